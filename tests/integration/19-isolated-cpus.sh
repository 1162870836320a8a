#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A CPU the admin keeps free of unbound work (here through the workqueue
# cpumask in sysfs, as tuned's cpu-partitioning profile does; isolcpus=,
# and nohz_full= on newer kernels, narrow the same mask) gets none of the
# removals' runs, which are unbound work. With CPU 1 taken out of the
# mask and the test, the remover among it, pinned to CPU 0, 4,000
# addresses are removed: the workqueue workers that may run on CPU 1 must
# get at most a fifth of the CPU time that all workers took meanwhile, the
# deletes' time. (Before, a removal's run went to the next CPU whatever
# the mask said: there, CPU 1's worker took all of it.)
#
# timeout: 300

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

wqmask=/sys/devices/virtual/workqueue/cpumask
[[ -w $wqmask ]] || skip "no $wqmask"
cpu1=/sys/devices/system/cpu/cpu1/online
[[ -r $cpu1 && $(<"$cpu1") == 1 ]] || skip "no CPU 1 online: nothing to keep free"
saved=$(<"$wqmask")
work=$(mktemp -d)
# shellcheck disable=SC2317 # the EXIT trap
isolated_cleanup() {
	local rc=$?
	if [[ $(<"$wqmask") != "$saved" ]]; then
		echo "$saved" >"$wqmask" || fail "could not give the workqueue cpumask back its $saved"
	fi
	rm -rf "$work"
	(exit "$rc")
	cleanup_all
}
trap isolated_cleanup EXIT

# This shell and all it starts (the removals, the polls) stay on CPU 0.
taskset -p -c 0 $$ >/dev/null
n=4000
mod_load allow=10.0.0.0/8 max_per_netns=0
ct_create c1 vh1
add='' del=''
for ((i = 0; i < n; i++)); do
	a="10.7.$((i / 250)).$((i % 250 + 1))/32"
	add+="addr add $a dev eth0"$'\n'
	del+="addr del $a dev eth0"$'\n'
done

# shellcheck disable=SC2317 # called through poll_until
count() {
	[[ $(ip -j route show proto "$VZR_PROTO" dev vh1 | jq length) == "$1" ]]
}
ip -n c1 -batch - <<<"$add"
poll_until 120 count "$n" || fail "not $n routes through vh1"
ok "$n routes through vh1"

# on_cpu1 LIST: whether the CPU list LIST (as in Cpus_allowed_list)
# has CPU 1.
on_cpu1() {
	local r rs
	IFS=, read -ra rs <<<"$1"
	for r in "${rs[@]}"; do
		if [[ $r == *-* ]]; then
			((${r%-*} <= 1 && 1 <= ${r#*-})) && return 0
		elif ((r == 1)); then
			return 0
		fi
	done
	return 1
}

# workers: a line "PID:START NS ON1 NAME" for each workqueue worker (kworkers,
# and the rescuers, named after their workqueue): its start time (PIDs are
# reused), the nanoseconds it has run (the scheduler's own sum, with
# SCHED_DEBUG, which every kernel tested has) and whether it may run on
# CPU 1.
workers() {
	local d st f key ns cpus line
	for d in /proc/[0-9]*; do
		{ read -r st <"$d/stat"; } 2>/dev/null || continue
		case $st in
		*" (kworker/"* | *" (vzroute)"* | *" (vzroute_rm)"*) ;;
		*) continue ;;
		esac
		# shellcheck disable=SC2086 # the fields after the name
		set -- ${st##*) }
		key="${d#/proc/}:${20}"
		ns='' cpus=''
		while read -r line; do
			# se.sum_exec_runtime : MS.NNNNNN
			[[ $line == se.sum_exec_runtime* ]] || continue
			f=${line##* }
			ns=$((10#${f%.*} * 1000000 + 10#${f#*.}))
			break
		done 2>/dev/null <"$d/sched"
		while read -r f line; do
			[[ $f == Cpus_allowed_list: ]] && cpus=$line && break
		done 2>/dev/null <"$d/status"
		[[ -n $ns && -n $cpus ]] || continue
		f=${st#*(}
		if on_cpu1 "$cpus"; then
			echo "$key $ns 1 ${f%)*}"
		else
			echo "$key $ns 0 ${f%)*}"
		fi
	done
}

echo 1 >"$wqmask"
[[ $(<"$wqmask") =~ ^0*1$ ]] || fail "the workqueue cpumask reads $(<"$wqmask") after writing 1"
runs0=$(vzr_counter reconciliations)
workers >"$work/before"
ip -n c1 -batch - <<<"$del"
poll_until 120 count 0 || fail "$(ip -j route show proto "$VZR_PROTO" dev vh1 | jq length) routes left through vh1"
workers >"$work/after"
echo "$saved" >"$wqmask"
[[ $(<"$wqmask") == "$saved" ]] || fail "the workqueue cpumask reads $(<"$wqmask"), not its $saved, once given back"
runs=$(($(vzr_counter reconciliations) - runs0))
((runs > 0)) || fail "no run counted for the removals"
# A worker that started meanwhile counts from 0; one that ended is lost.
read -r all one < <(awk 'NR == FNR { t0[$1] = $2; next }
	{ d = ($2 - t0[$1]) / 1e6; all += d; if ($3) one += d }
	END { printf "%d %d\n", all, one }' "$work/before" "$work/after")
echo "removals: $runs runs; the workers ran $all ms, those that may run on CPU 1 $one ms"
# Which of those ran, and how long: routine work of the kernel's own on
# CPU 1 (7 ms once on 6.12-rt, which has more of it) or vzroute's runs.
awk 'NR == FNR { t0[$1] = $2; next } $3 && $2 > t0[$1] {
	printf "  %s %s ran %.1f ms\n", $1, $4, ($2 - t0[$1]) / 1e6 }' \
	"$work/before" "$work/after"
((all >= 20)) || fail "the workers ran $all ms for $n removals: too little to tell"
((one * 5 <= all)) ||
	fail "the workers that may run on CPU 1 ran $one of the workers' $all ms: the removals' runs went to the CPU kept free"

ok "all $n routes withdrawn; the workers ran $all ms, those that may run on CPU 1 $one ms"

check_kernel_log
pass
