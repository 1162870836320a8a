#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The vzroute tests on the debug kernel (tests/kernel/debug.config: KUnit,
# KASAN, UBSAN, lockdep, RCU checks, atomic-sleep checks, kmemleak, debug
# objects, fault injection).
#
# usage: check-debug.sh [-s] [-q] [kunit|suite|all]
#   kunit  the KUnit suites of tests/kunit: one boot that loads
#          vzroute_kunit.ko; one result line per test case,
#          "ok - kunit: SUITE.CASE", and "kunit: kernel log" for the
#          reports (KASAN, lockdep, leaks...) written meanwhile
#   suite  the integration tests (tests/guest/suite.sh) with vzroute.ko
#          built against the debug kernel; results "debug: NAME"
#   all    both (default)
#   -s     leave out the closing "N passed, N failed" line (tests/check.sh
#          counts the result lines itself)
#   -q     the integration tests "make check" runs there, a subset that
#          keeps it within budget (see quick_tests below)
#
# Before that: the debug kernel is built or taken from the cache
# (tests/kernel/build.sh; "debug: kernel"), and the modules are built
# against it in a scratch copy (tests/kernel/modules.sh; "debug: modules").
# Output is that of tests/check.sh: "ok - NAME", "not ok - NAME" with the
# reasons indented below, "skip - NAME", comments starting with "#", and
# last "N passed, N failed".  Exit status non-zero when anything failed.
#
# Environment:
#   VZR_DEBUG_TESTS=REGEX  integration tests to run on the debug kernel
#                          (default: all but those VZR_DEBUG_SKIP names;
#                          with -q, $quick_tests)
#   VZR_DEBUG_SKIP=REGEX   tests left to the stock kernel (default: the FRR
#                          and BIRD ones, 5*, and the big ones, 25-dump-10k
#                          and 90-scale: 6-30 times slower under KASAN)
#   VZR_DEBUG_TEST_TIMEOUT=SECS  per-test limit (default 300)
#   VZR_CACHE, VZR_VERBOSE as for tests/check.sh.

set -uo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)

# What "make check" runs on the debug kernel: each test there costs 3-6
# times what it does on the stock kernel, plus two kmemleak scans (about
# 8 s each).  These cover the module's riskiest paths: the core add/delete
# path, namespace teardown (pernet exit), reload and adoption, conflicts
# and retries, load failures (unwinding), a host namespace other than the
# initial one, events, and malformed netlink input.  The harness' own test,
# policy and bridge cases and the tool's read/set paths run on the stock
# kernel; "make check-debug" runs them all here.
quick_tests='^(10-addresses|12-lifecycle|13-reload|14-conflict|17-params|18-hostns|22-tool-monitor|24-nl-bad)$'

summary=1
quick=0
while [[ ${1-} == -* ]]; do
	case $1 in
	-s) summary=0 ;;
	-q) quick=1 ;;
	*) echo "usage: check-debug.sh [-s] [-q] [kunit|suite|all]" >&2; exit 2 ;;
	esac
	shift
done
mode=${1:-all}
case $mode in
kunit | suite | all) ;;
*) echo "usage: check-debug.sh [-s] [-q] [kunit|suite|all]" >&2; exit 2 ;;
esac

npass=0
nfail=0
nskip=0
say() { printf '%s\n' "$*"; }

# report VERDICT NAME [REASONS]
report() {
	local verdict=$1 name=$2 reasons=${3-} line
	say "$verdict - $name"
	if [[ -n $reasons ]]; then
		while IFS= read -r line; do
			say "  $line"
		done <<<"$reasons"
	fi
	case $verdict in
	ok) npass=$((npass + 1)) ;;
	skip) nskip=$((nskip + 1)) ;;
	*) nfail=$((nfail + 1)) ;;
	esac
}

finish() {
	if ((summary)); then
		((nskip == 0)) || say "# $nskip skipped (not counted as passed)"
		say "$npass passed, $nfail failed"
	fi
	((nfail == 0)) || exit 1
	exit 0
}

secs() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }
now_ms() { local t=${EPOCHREALTIME/[.,]/}; printf '%s\n' $((10#$t / 1000)); }

# shellcheck source=tests/host.sh
. "$ROOT/tests/host.sh"

cache=$(cache_dir) || { report "not ok" "debug: setup" "no writable cache directory (VZR_CACHE)"; finish; }
mkdir -p "$cache/runs"
find "$cache/runs" -mindepth 1 -maxdepth 1 -name 'debug.*' -mmin +1440 -exec rm -rf {} + 2>/dev/null || true
logs=$(mktemp -d "$cache/runs/debug.XXXXXX")
chmod 755 "$logs"
say "# check-debug.sh: logs in $logs"

# The same report patterns as tests/lib.sh, for the KUnit run.
kernel_reports='BUG:|WARNING:|KASAN:|UBSAN:|possible circular locking dependency|suspicious RCU usage|sleeping function called from invalid context|unreferenced object|Oops|general protection fault|kernel BUG'

###########################################################################
# Packages the kernel build needs beyond what tests/check.sh installs
# (tests/deps.sh installs them, as for check.sh and demo.sh).

# shellcheck source=tests/deps.sh
. "$ROOT/tests/deps.sh"
DEPS_PACKAGES=(make gcc flex bison bc libelf-dev xz-utils cpio kmod linux-source-6.1
	       qemu-system-x86 busybox-static iproute2 jq)
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
[[ $mode == kunit ]] || want+=(vzroute)
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
	local name=$1 timeout=$2 line inblock=0
	shift 2
	# kasan_multi_shot: every KASAN report, not only the first of the boot;
	# log_buf_len: room for the checkers' reports between two marks
	local args=(-K "$kdir" -t "$timeout" -r "$logs/$name-result"
		    -a "kasan_multi_shot log_buf_len=8M")
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
	sleep 0.2
	vm_problems=
	while IFS= read -r line; do
		case $line in
		'run.sh: FAIL'* | 'run.sh: guest /init failed'*)
			vm_problems+=${line#run.sh: }$'\n'
			inblock=1 ;;
		'    '*) ((inblock)) && vm_problems+=$line$'\n' ;;
		*) inblock=0 ;;
		esac
	done <"$logs/$name-run.err"
	if ! grep -q '^exit=' "$logs/$name-result"; then
		vm_problems+="the guest reported no exit status (run.sh status $vm_rc)"$'\n'
	fi
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
	local file=$1 line text indent suite='' sindent=-1 planned=0 ncases=0
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
			planned=0
			ncases=0
			diag=''
			nsuites=$((nsuites + 1))
			;;
		'1..'*)
			((indent == sindent)) && planned=${text#1..}
			;;
		'ok '* | 'not ok '*)
			[[ -n $suite ]] || continue
			if ((indent < sindent)); then
				# the suite's own result
				if ((ncases < planned)); then
					report "not ok" "kunit: $suite" "$((planned - ncases)) of $planned case(s) reported no result"
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
		report "not ok" "kunit: $suite" "the suite did not finish ($ncases of $planned case(s) reported): the kernel crashed or hung?"
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
	hits=$(grep -E "$kernel_reports" <<<"$log" | head -n 40)
	if [[ -n $hits ]]; then
		report "not ok" "kunit: kernel log" "kernel reports while the suites ran or after unloading:"$'\n'"$hits"
	elif grep -q '^# kunit: insmod' "$file"; then
		report ok "kunit: kernel log"
	fi
}

if [[ $mode != suite ]]; then
	if [[ -f $mods/vzroute_kunit.ko ]]; then
		t0=$(now_ms)
		vm kunit 600 "$ROOT/tests/kunit/guest.sh" "$mods/vzroute_kunit.ko"
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
	include=${VZR_DEBUG_TESTS:-.}
	((quick)) && include=${VZR_DEBUG_TESTS:-$quick_tests}
	exclude=${VZR_DEBUG_SKIP:-'^5[0-9]-|^25-dump|^90-'}
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
	VZR_TEST_TIMEOUT=$test_timeout VZR_TESTS=$pattern \
		vm suite $((300 + ${#names[@]} * (test_timeout + 60))) \
		"$ROOT/tests/guest/suite.sh" "$pattern"
	say "# debug: VM $(secs $(($(now_ms) - t0)))s (boot to power-off)"

	declare -A seen=()
	planned=()
	running=
	reported=0
	inblock=0
	while IFS= read -r line; do
		case $line in
		'# planned '*) planned+=("${line#'# planned '}"); inblock=0 ;;
		'# running '*) running=${line#'# running '}; inblock=0 ;;
		'ok - '* | 'not ok - '* | 'skip - '*)
			verdict=${line%% - *}
			name=${line#* - }
			say "$verdict - debug: $name"
			case $verdict in
			ok) npass=$((npass + 1)) ;;
			skip) nskip=$((nskip + 1)) ;;
			*) nfail=$((nfail + 1)) ;;
			esac
			seen[$name]=1
			reported=$((reported + 1))
			inblock=1 ;;
		'  '*) ((inblock)) && say "$line" ;;
		*) inblock=0 ;;
		esac
	done <"$logs/suite-result"
	for name in "${planned[@]}"; do
		[[ -z ${seen[$name]-} ]] || continue
		if [[ $name == "$running" ]]; then
			report "not ok" "debug: $name" "no result: the VM crashed or hung while this test ran (see $logs/suite-console.log)"
		else
			report "not ok" "debug: $name" "not run: the VM stopped before"
		fi
	done
	# Time per test, from the console ("--- ok - NAME (12.3s)").
	times=$(tr -d '\r' <"$logs/suite-console.log" |
		sed -n -E 's/^--- (ok|not ok|skip) - ([^ ]+) \(([0-9.]+s)\)$/\2 \3/p' |
		tr '\n' ',' | sed 's/,$//; s/,/, /g')
	[[ -z $times ]] || say "# debug: times: $times"
	((reported > 0)) || vm_problems+="the VM produced no test result"$'\n'
	if [[ -n $vm_problems ]]; then
		report "not ok" "debug: vm" "${vm_problems}console: $logs/suite-console.log"
	else
		report ok "debug: vm"
	fi
fi

finish
