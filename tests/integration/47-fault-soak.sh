#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The churn soak (tests/guest/soak.sh) on the debug kernel: first
# without faults (VZR_SOAK_PLAIN_SECS, default as long as the faulty part;
# 46-soak's stock-kernel minute, here under KASAN, lockdep and the
# atomic-sleep checks), then with vzroute's allocations and requests
# failing at random during the churn (issue 15):
#   - failslab, limited to vzroute's own slab caches, its tracked entries
#     and route slots (cache-filter; the debug kernel boots with
#     slub_debug=A,vzr_entry,vzr_slot, which marks them, and them alone);
#   - vzroute's own fail_alloc, every allocation of vzroute's, slab or
#     page (failslab and fail_page_alloc cannot single out one module on
#     x86_64: no stack-trace filter), and fail_send, its requests to
#     rtnetlink (kmod/fault.h).
# The faults stop for each check, and the checker must then find the
# routes right once vzroute is quiet; the kernel log must stay free of
# reports, and the debug run's kmemleak scan after the tests finds no
# leak.  The figures: faults injected of each kind, checks, the longest
# check.  Needs the debug kernel's fault injection: a skip on the stock
# kernels.  48-fault-inject fails each kind on its own and checks what
# it shows.
#
# timeout: 600

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

fs=/sys/kernel/debug/failslab
[[ -d $fs ]] || mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
[[ -d $fs ]] || skip "no $fs: this kernel has no failslab (the debug kernel's test)"

out=${TMPDIR:-/tmp}/vzr-47.out
rc=0
# A minute each, in churns of 10 s (a check takes 5 to 50 s under KASAN,
# on a busy machine: with one every 5 s, a run churned 9 s of its minute);
# 30 % of the allocations failing, since the churn makes few.
faulty=${VZR_SOAK_SECS:-60}
plain=${VZR_SOAK_PLAIN_SECS:-$faulty}
VZR_SOAK_FAULTS=1 VZR_SOAK_SECS=$((plain + faulty)) VZR_SOAK_PLAIN_SECS=$plain \
	VZR_SOAK_CHECK_EVERY=${VZR_SOAK_CHECK_EVERY:-10} \
	VZR_SOAK_FAULT_PCT=${VZR_SOAK_FAULT_PCT:-30} \
	"$VZR_ROOT/tests/guest/soak.sh" >"$out" 2>&1 || rc=$?
cat "$out"
((rc == 0)) || fail "the soak under faults exited $rc (above)"
# The plain part's figures (none when VZR_SOAK_PLAIN_SECS=0): soak.sh
# prints them when it switches to faults, and a soak without that line
# ran no plain part.
pchecks=0
if ((plain > 0)); then
	pline=$(grep '^soak: without faults: ' "$out") || true
	pops=$(sed -n 's/^soak: without faults: \([0-9]*\) operations.*/\1/p' <<<"$pline")
	pchecks=$(sed -n 's/.*, \([0-9]*\) checks, .*/\1/p' <<<"$pline")
	if ((${pops:-0} > 0 && ${pchecks:-0} >= 1)); then
		ok "soak without faults: ${pline#soak: without faults: }"
	else
		fail "no plain part was churned and checked: '$pline'"
	fi
fi
line=$(grep '^soak: faults: ' "$out") || true
checks=$(sed -n 's/^soak: seed .*, \([0-9]*\) checks, .*/\1/p' "$out")
checks=$((${checks:-0} - ${pchecks:-0}))
# Faults that never happened would prove nothing: vzroute's own two must
# have been injected.  failslab is counted, not required: fail_alloc sits
# in front of it at the same two caches' sites, and a short churn on a
# loaded machine (8 operations in one run) may never get past it.
for kind in fail_alloc fail_send; do
	n=$(sed -n "s/.* $kind \([0-9]*\) .*/\1/p" <<<"$line")
	((${n:-0} > 0)) || fail "no $kind fault was injected: '$line'"
done
# One at least: a check takes up to 50 s under KASAN on a loaded machine,
# so a minute of faults may hold a single round of churn and check.
((checks >= 1)) || fail "no check after the faults began"
ok "soak under faults: ${line#soak: faults: }; $checks checks passed after them"
rm -f "$out"
check_kernel_log
pass
