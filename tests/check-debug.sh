#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The vzroute tests on the debug kernel (tests/kernel/debug.config: KUnit,
# KASAN, UBSAN, lockdep, RCU checks, atomic-sleep checks, kmemleak, debug
# objects, fault injection).
#
# usage: check-debug.sh [-q] [kunit|suite|all]
#   kunit  the KUnit suites of tests/kunit: one boot that loads
#          vzroute_kunit.ko; one result line per test case,
#          "ok - kunit: SUITE.CASE", and "kunit: kernel log" for the
#          reports (KASAN, lockdep, leaks...) written meanwhile
#   suite  the integration tests (tests/guest/suite.sh) with vzroute.ko
#          built against the debug kernel; results "debug: NAME"
#   all    both (default)
#   -q     the integration tests "make check" runs there, a subset that
#          keeps it within budget (see quick_skip below)
#
# Before that: the debug kernel is built or taken from the cache
# (tests/kernel/build.sh; "debug: kernel"), and the modules are built
# against it in a scratch copy (tests/kernel/modules.sh; "debug: modules").
# Output is that of tests/check.sh: "ok - NAME", "not ok - NAME" with the
# reasons indented below, "skip - NAME", comments starting with "#", and
# last "N passed, N failed".  Exit status non-zero when anything failed.
#
# Environment:
#   VZR_DEBUG_TESTS=REGEX  integration tests to run on the debug kernel,
#                          less those VZR_DEBUG_SKIP names (default: 1*,
#                          2*, 3* and 4*: $debug_tests)
#   VZR_DEBUG_SKIP=REGEX   tests left to the stock kernel (default:
#                          $debug_skip; with -q, also $quick_skip)
#   VZR_DEBUG_TEST_TIMEOUT=SECS  per-test limit (default 300, or a test's
#                          own "# timeout:" when longer)
#   VZR_FUZZ_COUNT, VZR_FUZZ_CT_COUNT  messages of 45-nl-fuzz as root and as
#                          a container's root (default 70000 and 30000)
#   VZR_KMEMLEAK=each      scan for leaks after every test, not only after
#                          the last unload (see tests/lib/lib.sh kmemleak_scan)
#   VZR_CACHE, VZR_VERBOSE as for tests/check.sh.

set -uo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

# Which integration tests run on the debug kernel, by name: the core (1*),
# the generic netlink family and the tool (2*), venet (3*) and the hostile
# containers (4*), less those left to the stock kernel (debug_skip: FRR and
# BIRD, 5* and 33-venet-frr, and the big ones, 25-dump-10k, 25-table-*,
# 43-hostile-flood and 90-scale, 6-30 times slower under KASAN;
# 49-hostile-carrier, -dump, -elect, -recount and -tentative, which count
# with a kprobe event, and this kernel has no kprobes; the uplinks the first
# checks are 60's and 62's too, the recount 15-policy's, the election 41's
# (those four not with -q), the dump 20's and 21's, the poll 10-addresses'
# and 43's). "make check"
# (-q) also leaves out those whose kernel side is mostly pure logic or a
# path the others take too, to keep the step near 10 minutes: 15-policy
# (allow= matching: the vzr_prefix and vzr_params KUnit suites; the cap:
# vzr_decide), 16-bridge-ifnames (name globs: vzr_ifnames; the master
# check), 17-params (each refused value is a module load: vzr_params),
# 20-tool-show (the dump that 21, 22 and 24 also read), 23-tool-perms
# (permission flags that genetlink itself checks), 29-tool-names and
# 29-tool-prometheus (the tool's naming and output formats over the dump and
# counters 20-22 read; the debug guest has no cgroup2 mount either),
# 32-venet-nomap (the map looked up again: the path 30 takes too) and
# 34-venet-vzctl (foreign routes beside ours, as 47's soak keeps).
# 11-updown, 14-conflict, 18-hostns, 27-unload-caps and 41-hostile-
# binding: 5-10 minutes of this guest, whose job is the longest of make
# check.  Their kernel side is mostly taken here by others: unloads by
# every test's teardown, a foreign route on our key by 26-route-deleted,
# links going down and up by 12, 22, 26, 28, 31 and 44, a reload by 13;
# host sides in a host namespace only by 47-fault-soak's random churn (a
# container's host side goes there one time in four; a few dozen
# operations, so not every run);
# what they add is decision logic (conflicts, bindings), which the
# vzr_decide, vzr_decide_bind and vzr_bind KUnit suites cover, and they
# run on 6.1 and 6.12-rt.
# 40-hostile-nested (a 10 s flood with timing bounds; on the debug kernel
# its flooding tool once found no socket to send to, not understood yet).
# 46-soak (the checker's own tests first: minutes under KASAN); the soak
# runs here as 47-fault-soak instead, a minute without faults and then a
# minute with vzroute's allocations and requests failing (this kernel's
# fault injection alone).
# 30-venet-map and 31-venet-node stay: the IP map is read under a spinlock.
# 45-nl-fuzz (the generic netlink fuzzer, tests/tools/nlfuzz.c) runs here
# too: the kernel side of every message is what KASAN, UBSAN and lockdep
# are for. Of the LAN tests (6*), 60-lan-proxy and 62-lan-venet run here
# (the neighbour requests, the uplinks read under RCU and the
# announcements sent from the run), but not with -q: 60 alone takes
# minutes under KASAN; 61-lan-migrate, whose bounds are timings, is left
# to a stock kernel (the 6.1-stall lane).
debug_tests='^[1-4][0-9]-|^6[02]-'
debug_skip='^5[0-9]-|^25-(dump|table)|^43-hostile-flood$|^49-hostile-(carrier|dump|elect|recount|tentative)$|^90-|^33-venet-frr$'
quick_skip='^11-updown$|^14-conflict$|^18-hostns$|^27-unload-caps$|^41-hostile-binding$|^15-policy$|^16-bridge-ifnames$|^17-params$|^20-tool-show$|^23-tool-perms$|^29-tool-names$|^29-tool-prometheus$|^32-venet-nomap$|^34-venet-vzctl$|^40-hostile-nested$|^46-soak$|^6[0-9]-'

# shellcheck source=tests/lib/report.sh
. "$ROOT/tests/lib/report.sh"

quick=0
while [[ ${1-} == -* ]]; do
	case $1 in
	-q) quick=1 ;;
	*) echo "usage: check-debug.sh [-q] [kunit|suite|all]" >&2; exit 2 ;;
	esac
	shift
done
mode=${1:-all}
case $mode in
kunit | suite | all) ;;
*) echo "usage: check-debug.sh [-q] [kunit|suite|all]" >&2; exit 2 ;;
esac

# shellcheck source=tests/lib/host.sh
. "$ROOT/tests/lib/host.sh"

cache=$(cache_dir) || { report "not ok" "debug: setup" "no writable cache directory (VZR_CACHE)"; finish; }
mkdir -p "$cache/runs"
find "$cache/runs" -mindepth 1 -maxdepth 1 -name 'debug.*' -mmin +1440 -exec rm -rf {} + 2>/dev/null || true
logs=$(mktemp -d "$cache/runs/debug.XXXXXX")
chmod 755 "$logs"
say "# check-debug.sh: logs in $logs"

# The report patterns of tests/lib/lib.sh (_VZR_KERNEL_REPORTS) and
# kernel_report_excerpt, for the KUnit run's log.
# shellcheck source=tests/lib/kreports.sh
. "$ROOT/tests/lib/kreports.sh"

# This kernel has kmemleak: in the guest, a kmemleak that cannot scan is a
# failure (tests/lib/lib.sh kmemleak_scan), not a scan that found nothing.
# Scanned after the last unload only ("end"): a scan takes 10-25 s there,
# and scanning after each test too (VZR_KMEMLEAK=each) tripled the time of
# a run of the suite.
export VZR_KMEMLEAK=${VZR_KMEMLEAK:-end}

###########################################################################
# Packages the kernel build needs beyond what tests/check.sh installs
# (tests/lib/deps.sh installs them, as for check.sh and demo.sh).

# shellcheck source=tests/lib/deps.sh
. "$ROOT/tests/lib/deps.sh"
DEPS_PACKAGES=("${DEPS_DEBUG_BUILD[@]}" qemu-system-x86 busybox-static iproute2 jq)
deps_missing
if [[ ${#DEPS_MISSING[@]} -gt 0 ]]; then
	if deps_install "$logs/apt.log"; then
		report ok "debug: packages" "installed: ${DEPS_MISSING[*]}"
	else
		report "not ok" "debug: packages" "$DEPS_ERROR"
		finish
	fi
fi

###########################################################################
# The kernel, then the modules against it.

t0=$(now_ms)
if kdir=$("$ROOT/tests/kernel/build.sh" -n 2>/dev/null); then
	say "# debug kernel: cached in $kdir"
	report ok "debug: kernel"
else
	say "# debug kernel: building (10-20 minutes on 2 cores; progress below)"
	if kdir=$("$ROOT/tests/kernel/build.sh" 2> >(tee "$logs/kernel-build.err" >&2)); then
		say "# debug kernel: built in $(secs $(($(now_ms) - t0)))s: $kdir"
		report ok "debug: kernel"
	else
		sleep 0.2	# let tee finish
		report "not ok" "debug: kernel" "tests/kernel/build.sh failed:"$'\n'"$(tail -n 30 "$logs/kernel-build.err")"
		finish
	fi
fi

mods=$logs/modules
want=()
[[ $mode == suite ]] || want+=(kunit)
[[ $mode == kunit ]] || want+=(vzroute venet)
t0=$(now_ms)
if "$ROOT/tests/kernel/modules.sh" "$kdir" "$mods" "${want[@]}" 2>"$logs/modules.err"; then
	warn=$(cat "$mods"/*.log | grep -c 'warning:' || true)
	say "# debug modules: built in $(secs $(($(now_ms) - t0)))s${warn:+, $warn compiler warning(s): see $mods/*.log}"
	report ok "debug: modules"
else
	report "not ok" "debug: modules" "$(cat "$logs/modules.err")"
fi

###########################################################################
# One VM on the debug kernel.  vm NAME TIMEOUT GUEST_SCRIPT [ARGS...]:
# console in $logs/NAME-console.log, results in $logs/NAME-result;
# sets vm_rc and vm_problems (what run.sh reported about the VM itself).

vm() {
	local name=$1 timeout=$2
	shift 2
	# kasan_multi_shot: every KASAN report, not only the first of the boot;
	# log_buf_len: room for the checkers' reports between two marks;
	# slub_debug=A,...: vzroute's caches marked for failslab (47-fault-soak;
	# since 5.9 the mark can only be given at boot), and so never merged
	local args=(-K "$kdir" -t "$timeout" -r "$logs/$name-result"
		    -a "kasan_multi_shot log_buf_len=8M slub_debug=A,vzr_entry,vzr_slot")
	: >"$logs/$name-result"
	if [[ ${VZR_VERBOSE:-0} == 1 ]]; then
		"$ROOT/tests/vm/run.sh" "${args[@]}" "$@" 2> >(tee "$logs/$name-run.err" >&2) |
			tee "$logs/$name-console.log"
		vm_rc=${PIPESTATUS[0]}
	else
		"$ROOT/tests/vm/run.sh" "${args[@]}" -l "$logs/$name-console.log" "$@" \
			2>"$logs/$name-run.err"
		vm_rc=$?
	fi
	sleep 0.2	# let tee finish
	vm_problems=$(vm_problems_of "$logs/$name-run.err" "$logs/$name-result" "$vm_rc" "$logs/$name-console.log")
	[[ -z $vm_problems ]] || vm_problems+=$'\n'
}

###########################################################################
# KUnit

# kunit_results FILE: turn the KTAP in the kernel log lines ("kmsg: ...")
# into result lines.  In 6.1 a module's suites each print
#	KTAP version 1 / # Subtest: SUITE / 1..N   (indented)
# their cases as "ok N - CASE" (or "not ok", with "# SKIP") at the same
# indentation, the diagnostics of a case before its result, and the
# suite's own result one level out.
kunit_results() {
	local file=$1 line text indent suite='' sindent=-1 nplanned=0 ncases=0
	local diag='' verdict name reasons nsuites=0 log=''
	while IFS= read -r line; do
		case $line in
		'kmsg: '*) ;;
		'kmemleak: '*) log+="${line#kmemleak: }"$'\n'; continue ;;
		*) continue ;;
		esac
		text=${line#kmsg: }
		text=$(sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' <<<"$text")
		log+=$text$'\n'
		indent=${text%%[! ]*}
		indent=${#indent}
		text=${text#"${text%%[! ]*}"}
		case $text in
		'# Subtest: '*)
			if ((indent > sindent && sindent >= 0)) && [[ -n $suite ]]; then
				# a parameterised case in newer kernels: diagnostics
				diag+=$text$'\n'
				continue
			fi
			suite=${text#'# Subtest: '}
			sindent=$indent
			nplanned=0
			ncases=0
			diag=''
			nsuites=$((nsuites + 1))
			;;
		'1..'*)
			((indent == sindent)) && nplanned=${text#1..}
			;;
		'ok '* | 'not ok '*)
			[[ -n $suite ]] || continue
			if ((indent < sindent)); then
				# the suite's own result
				if ((ncases < nplanned)); then
					report "not ok" "kunit: $suite" "$((nplanned - ncases)) of $nplanned case(s) reported no result"
				fi
				suite=''
				sindent=-1
				continue
			fi
			((indent == sindent)) || { diag+=$text$'\n'; continue; }
			ncases=$((ncases + 1))
			verdict=ok
			[[ $text == 'not ok '* ]] && verdict='not ok'
			# "ok N - NAME" or, in Debian's 6.1, "ok N NAME"
			name=${text#"$verdict "}
			name=${name#* }
			name=${name#- }
			reasons=''
			if [[ $name == *' # SKIP'* ]]; then
				reasons=${name#*' # SKIP'}
				reasons=${reasons# }
				name=${name%%' # SKIP'*}
				[[ $verdict == ok ]] && verdict=skip
			elif [[ $name == *' # '* ]]; then
				name=${name%%' # '*}
			fi
			if [[ $verdict == 'not ok' ]]; then
				reasons=$(grep -v -E '^(ok [0-9]+ |# [a-z0-9_]+: pass:|KTAP version|# Subtest: |1\.\.[0-9])' <<<"$diag" | head -n 40)
			fi
			report "$verdict" "kunit: $suite.$name" "$reasons"
			diag=''
			;;
		*)
			# diagnostics: anything of the suite's indentation or
			# deeper (a case's parameters, failed expectations)
			[[ -n $suite ]] && ((indent >= sindent)) && diag+=$text$'\n'
			;;
		esac
	done <"$file"
	if [[ -n $suite ]]; then
		report "not ok" "kunit: $suite" "the suite did not finish ($ncases of $nplanned case(s) reported): the kernel crashed or hung?"
	fi
	if ((nsuites == 0)); then
		report "not ok" "kunit: suites" "no KTAP in the kernel log: did vzroute_kunit.ko load? (see $logs/kunit-console.log)"
	fi
	line=$(grep -a '^# kunit: insmod' "$file" | tail -n 1)
	if [[ -n $line && $line != '# kunit: insmod 0, rmmod 0,'* ]]; then
		report "not ok" "kunit: load and unload" "${line#\# kunit: } (status of insmod, rmmod)"$'\n'"$(grep -a '^kmsg: ' "$file" | tail -n 10)"
	fi
	# Reports of the checkers while the suites ran, or leaks after unload.
	local hits
	hits=$(grep -F 'kmemleak: cannot scan' <<<"$log")
	[[ ! $log =~ $_VZR_KERNEL_REPORTS ]] || hits+=$(kernel_report_excerpt <<<"$log")
	if [[ -n $hits ]]; then
		report "not ok" "kunit: kernel log" "kernel reports while the suites ran or after unloading:"$'\n'"$hits"
	elif grep -q '^# kunit: insmod' "$file"; then
		report ok "kunit: kernel log"
	fi
}

if [[ $mode != suite ]]; then
	if [[ -f $mods/vzroute_kunit.ko ]]; then
		t0=$(now_ms)
		vm kunit 600 "$ROOT/tests/guest/kunit.sh" "$mods/vzroute_kunit.ko"
		elapsed=$(secs $(($(now_ms) - t0)))
		kunit_results "$logs/kunit-result"
		line=$(grep -a '^# kunit: insmod' "$logs/kunit-result" | tail -n 1)
		say "# kunit: VM ${elapsed}s (boot to power-off)${line:+; ${line#\# kunit: }}"
		if [[ -n $vm_problems ]]; then
			report "not ok" "kunit: vm" "${vm_problems}console: $logs/kunit-console.log"
		fi
	else
		report "not ok" "kunit: suites" "vzroute_kunit.ko was not built"
	fi
fi

###########################################################################
# The integration suite

if [[ $mode != kunit ]]; then
	include=${VZR_DEBUG_TESTS:-$debug_tests}
	exclude=${VZR_DEBUG_SKIP:-$debug_skip}
	((quick)) && exclude=${VZR_DEBUG_SKIP:-$debug_skip|$quick_skip}
	names=()
	for t in "${VZR_TEST_DIR:-$ROOT/tests/integration}"/*.sh; do
		[[ -f $t ]] || continue
		n=$(basename "$t" .sh)
		[[ $n =~ $include ]] || continue
		[[ -n $exclude && $n =~ $exclude ]] && continue
		names+=("$n")
	done
	if [[ ${#names[@]} -eq 0 ]]; then
		report "not ok" "debug: suite" "no integration test selected (VZR_DEBUG_TESTS=$include, VZR_DEBUG_SKIP=$exclude)"
		finish
	fi
	pattern="^($(IFS='|'; echo "${names[*]}"))\$"
	test_timeout=${VZR_DEBUG_TEST_TIMEOUT:-300}
	# The fuzzer's run here: 70,000 messages as root, 30,000 as a
	# container's root (make stress: a million each), at about 650 and
	# 1,000 messages a second on this kernel under emulation (2026-11-30):
	# two minutes; the test's own "# timeout:" covers that.
	if [[ " ${names[*]} " == *" 45-nl-fuzz "* ]]; then
		export VZR_FUZZ_COUNT=${VZR_FUZZ_COUNT:-70000}
		export VZR_FUZZ_CT_COUNT=${VZR_FUZZ_CT_COUNT:-30000}
	fi
	say "# debug: ${#names[@]} integration test(s) on the debug kernel: ${names[*]}"
	# The tests run the tool and tests/tools on the host's build (which
	# does not depend on the kernel); make them if "make check" has not.
	for d in userspace tests/tools; do
		[[ -f $ROOT/$d/Makefile ]] || continue
		make -C "$ROOT/$d" >"$logs/make-${d//\//-}.log" 2>&1 ||
			report "not ok" "debug: make -C $d" "$(tail -n 20 "$logs/make-${d//\//-}.log")"
	done
	t0=$(now_ms)
	if [[ -f $mods/vzroute.ko ]]; then
		export VZR_KO=$mods/vzroute.ko
	else
		export VZR_KO=$mods/vzroute.ko-not-built
	fi
	export VZR_VENET_KO=$mods/venet_emu.ko
	VZR_TEST_TIMEOUT=$test_timeout VZR_TESTS=$pattern \
		vm suite $((300 + ${#names[@]} * (test_timeout + 60))) \
		"$ROOT/tests/guest/suite.sh" "$pattern"
	say "# debug: VM $(secs $(($(now_ms) - t0)))s (boot to power-off)"

	guest_results "$logs/suite-result" "debug: " 1
	if ((nfail > 0)); then
		say "# debug: console log of the guest: $logs/suite-console.log"
	fi
	# Time per test, from the console ("--- ok - NAME (12.3s)").
	times=$(tr -d '\r' <"$logs/suite-console.log" |
		sed -n -E 's/^--- (ok|not ok|skip) - ([^ ]+) \(([0-9.]+s)\)$/\2 \3/p' |
		tr '\n' ',' | sed 's/,$//; s/,/, /g')
	[[ -z $times ]] || say "# debug: times: $times"
	# The figures the tests print for the record (nlfuzz's, the soak's).
	tr -d '\r' <"$logs/suite-console.log" |
		grep -a -E '^(nlfuzz: |soak: (seed|operations|without faults|faults|checks|monitor))' |
		sed 's/^/# debug: /' || true
	((guest_reported > 0)) || vm_problems+="the VM produced no test result"$'\n'
	if [[ -n $vm_problems ]]; then
		report "not ok" "debug: vm" "${vm_problems}console: $logs/suite-console.log"
	else
		report ok "debug: vm"
	fi
fi

finish
