# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What counts as a kernel report in a kernel log, for the guest's tests
# (tests/lib/lib.sh, check_kernel_log) and for the host reading a guest's log
# (tests/check-debug.sh, the KUnit run).  Only the reports
# themselves: the boot banners name the checkers too ("kmemleak: Kernel
# memory leak detector initialized", "KASAN: ..." is never one of them,
# but "kasan:" is), so the patterns are the reports' own first lines.

_VZR_KERNEL_REPORTS='BUG:|WARNING:|KASAN:|UBSAN:|possible circular locking dependency|suspicious RCU usage|sleeping function called from invalid context|unreferenced object|Oops|general protection fault|kernel BUG'

# kernel_report_excerpt: from a kernel log on stdin, print each report
# (a line matching $_VZR_KERNEL_REPORTS) with the 40 lines that follow it
# (the call trace, lockdep's lock chains, KASAN's allocation and free
# stacks, kmemleak's backtrace), 200 lines at the most.
kernel_report_excerpt() {
	awk -v re="$_VZR_KERNEL_REPORTS" '
		$0 ~ re { left = 41 }
		left > 0 { left--; if (n++ < 200) print; else cut++ }
		END { if (cut) printf "(%d more lines of reports in the kernel log)\n", cut }'
}
