#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the integration tests inside the QEMU guest:
#	tests/vm/run.sh tests/guest/suite.sh [PATTERN]
#
# Runs every tests/integration/*.sh (or $VZR_TEST_DIR/*.sh) whose name (without .sh) matches the
# extended regular expression PATTERN (default: $VZR_TESTS, or all), one at
# a time, each as its own bash process under timeout ($VZR_TEST_TIMEOUT,
# default 120 s; a test that says "# timeout: SECS" in its opening comment
# gets SECS when that is longer).  Before and after each test the guest is reset: leftover
# processes of the test, network namespaces and interfaces are removed, the
# module is unloaded, routes of protocol $VZR_PROTO are flushed and
# /etc/iproute2 is restored.  The kernel log written during the test and the
# reset is then checked (check_kernel_log).
#
# VZR_SUITE_KEEP=1: what the last test left (a container whose teardown
# would cost the kernel minutes, 43-hostile-flood at issue scale) stays
# for the VM's power-off, whether the test passed or not: no kill of its
# processes, no reset after it, no leak check; its kernel log is still
# checked.  Only for a VM whose last test is such a one: before that, the
# next reset would pay for the teardown.
# Results go to $VZR_RESULT_DEV (default /dev/ttyS1, the second serial port
# that run.sh saves in a host file), one line per test:
#	# planned NAME          (for each selected test, before any runs)
#	# running NAME          (when NAME starts)
#	ok - NAME
#	not ok - NAME           (followed by the reasons, indented by two spaces)
#	skip - NAME             (exit status 77; followed by the reason)
# Progress, with the time each test took, goes to the console.
# Exit status: 0 when every selected test passed, 1 otherwise (and when no
# test matched PATTERN).

set -euo pipefail

# shellcheck source=tests/lib/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/lib.sh"
# shellcheck source=tests/lib/limits.sh
. "$VZR_ROOT/tests/lib/limits.sh"
# This script handles failures itself.
trap - ERR
set +E

pattern=${1:-${VZR_TESTS:-}}
test_timeout=${VZR_TEST_TIMEOUT:-120}
res_dev=${VZR_RESULT_DEV:-/dev/ttyS1}
test_dir=${VZR_TEST_DIR:-$VZR_ROOT/tests/integration}
work=/tmp/vzr-suite

# Safety: the reset deletes every netns and interface; refuse to do that on
# a machine other than the test guest.
if [[ ${VZR_ALLOW_HOST:-0} != 1 ]] && ! grep -q 'vzr\.cmd=' /proc/cmdline; then
	echo "suite.sh: not in the vzroute test VM; run it with tests/vm/run.sh (or set VZR_ALLOW_HOST=1)" >&2
	exit 2
fi

result() {
	printf '%s\n' "$@" >>"$res_dev"
}

indent() {
	local line
	while IFS= read -r line; do
		printf '  %s\n' "$line"
	done
}

# reset: bring the guest back to a clean state (errors ignored).
reset_guest() {
	local - line name batch=
	set +e
	ip -all netns delete >/dev/null 2>&1
	# Interfaces of the init netns other than lo (fallback tunnel devices
	# cannot be deleted and are skipped).
	while IFS= read -r line; do
		name=${line#*: }
		name=${name%%:*}
		name=${name%%@*}
		case $name in
		lo | sit0 | tunl0 | ip6tnl0 | ip6gre0 | gre0 | gretap0 | erspan0 | ip_vti0 | ip6_vti0 | ip6erspan0) ;;
		*) batch+="link del dev $name"$'\n' ;;
		esac
	done < <(ip -o link show 2>/dev/null)
	[[ -z $batch ]] || ip -force -batch - <<<"$batch" >/dev/null 2>&1
	if mod_loaded || [[ -d /sys/module/$VZR_MOD ]]; then
		timeout 60 rmmod "$VZR_MOD" ||
			echo "suite.sh: cannot unload $VZR_MOD" >&2
	fi
	ip -force -batch - >/dev/null 2>&1 <<-EOF
		addr flush dev lo scope global
		route flush root 0.0.0.0/0 table all proto $VZR_PROTO
		route flush root ::/0 table all proto $VZR_PROTO
	EOF
	if [[ -d /run/vzroute/iproute2.orig ]]; then
		rm -rf /etc/iproute2/* && cp -a /run/vzroute/iproute2.orig/. /etc/iproute2/
	fi
	return 0
}

secs_since() {
	local us=$(($(_vzr_now_us) - $1))
	printf '%d.%01d' $((us / 1000000)) $((us % 1000000 / 100000))
}

tests=()
for t in "$test_dir"/*.sh; do
	[[ -f $t ]] || continue
	name=$(basename "$t" .sh)
	if [[ -n $pattern ]] && ! [[ $name =~ $pattern ]]; then
		continue
	fi
	tests+=("$t")
done

mkdir -p "$work"
stty -F "$res_dev" raw -echo 2>/dev/null || true
result "# suite: kernel $(uname -r), ${#tests[@]} test(s)${pattern:+ matching $pattern}"
if [[ ${#tests[@]} -eq 0 ]]; then
	echo "suite.sh: no test matches '${pattern}'" >&2
	result "# no test matches '${pattern}'"
	exit 1
fi
for t in "${tests[@]}"; do
	result "# planned $(basename "$t" .sh)"
done

modprobe veth || echo "suite.sh: modprobe veth failed" >&2

# kmemleak (the debug kernel, tests/kernel/debug.config).  kmemleak reports
# an object only once two scans in a row found it unreferenced (the first
# one only records its checksum) and only when it is older than 5 s: after
# each test, kmemleak_prescan does the first scan and check_kernel_log the
# second; a last check after the last unload catches what the tests leaked
# (with VZR_KMEMLEAK=end, the only one: see kmemleak_scan in tests/lib/lib.sh).
# What leaked before the first test (the boot) is not the module's: mark
# it as known (not in "end" mode, whose first scans are the last check's).
kmemleak=/sys/kernel/debug/kmemleak
kmemleak_each=0
[[ -w $kmemleak && ${VZR_KMEMLEAK:-0} != end ]] && kmemleak_each=1
if ((kmemleak_each)); then
	echo scan >"$kmemleak" 2>/dev/null || true
	echo clear >"$kmemleak" 2>/dev/null || true
fi
# kmemleak_prescan T: when kmemleak scans after each test (or, with
# kmemleak_final=1, when it has to scan at all), scan once, then wait until
# 5.5 s after time T (us) if the scan took less.
kmemleak_prescan() {
	local left
	if [[ ${kmemleak_final:-0} == 1 ]]; then
		[[ -w $kmemleak ]] || return 0
	else
		((kmemleak_each)) || return 0
	fi
	echo scan >"$kmemleak" 2>/dev/null || true
	left=$(($1 + 5500000 - $(_vzr_now_us)))
	((left <= 0)) || vzr_sleep "$((left / 1000000)).$(printf '%06d' $((left % 1000000)))"
}

npass=0 nfail=0 nskip=0
suite_start=$(_vzr_now_us)
kept=0
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	failfile=$work/$name.fail
	rm -f "$failfile" "$failfile.skip"
	: >"$failfile"
	reset_guest
	dmesg_mark "start $name"
	echo "=== RUN $name"
	result "# running $name"
	start=$(_vzr_now_us)
	limit=$(test_limit "$t" "$test_timeout")

	# timeout puts itself in a new process group: after the test, whatever
	# it left running in that group is killed.
	set +e
	VZR_TEST_NAME=$name VZR_FAIL_FILE=$failfile \
		timeout -k 5 "$limit" bash "$t" </dev/null &
	pid=$!
	wait "$pid"
	rc=$?
	set -e
	if [[ ${VZR_SUITE_KEEP:-0} == 1 && $t == "${tests[-1]}" ]]; then
		kept=1
		echo "suite.sh: VZR_SUITE_KEEP=1: what $name left stays for the power-off"
	else
		kill -KILL -- "-$pid" 2>/dev/null || true
	fi
	ended=$(_vzr_now_us)

	((kept)) || reset_guest
	kmemleak_prescan "$ended"
	reasons=
	if ! klog=$(VZR_FAIL_FILE='' check_kernel_log 2>&1); then
		reasons+="${klog#FAIL: }"$'\n'
	fi
	elapsed=$(secs_since "$start")

	if [[ -z $reasons && $rc -eq 77 && ! -s $failfile ]]; then
		verdict=skip
		nskip=$((nskip + 1))
		reasons=$(cat "$failfile.skip" 2>/dev/null || true)
	elif [[ -z $reasons && $rc -eq 0 && ! -s $failfile ]]; then
		verdict=ok
		npass=$((npass + 1))
	else
		verdict="not ok"
		nfail=$((nfail + 1))
		case $rc in
		0) ;;
		124 | 137) reasons="timed out after ${limit}s"$'\n'$reasons ;;
		*) reasons="exit status $rc"$'\n'$reasons ;;
		esac
		if [[ -s $failfile ]]; then
			reasons+=$(head -n 60 "$failfile")
		fi
	fi
	reasons=${reasons%$'\n'}
	if [[ -n $reasons ]]; then
		result "$verdict - $name" "$(indent <<<"$reasons")"
	else
		result "$verdict - $name"
	fi
	echo "--- $verdict - $name (${elapsed}s)"
	if [[ -n $reasons ]]; then
		indent <<<"$reasons"
	fi
done

# With kmemleak (or where it should be, VZR_KMEMLEAK set), a last check once
# everything is unloaded: the kernel log of the last reset, and the leaks.
if ((!kept)) && [[ -w $kmemleak || ${VZR_KMEMLEAK:-0} != 0 ]]; then
	reset_guest
	dmesg_mark "leak check after unload"
	kmemleak_final=1 kmemleak_prescan "$(_vzr_now_us)"
	if klog=$(kmemleak_final=1 VZR_FAIL_FILE='' check_kernel_log 2>&1); then
		npass=$((npass + 1))
		result "ok - leak-check"
	else
		nfail=$((nfail + 1))
		result "not ok - leak-check" "$(indent <<<"${klog#FAIL: }")"
	fi
	echo "--- kmemleak after the last unload: ${klog:-nothing}"
fi

echo "=== $npass passed, $nfail failed, $nskip skipped in $(secs_since "$suite_start")s"
((nfail == 0 && npass > 0)) || exit 1
exit 0
