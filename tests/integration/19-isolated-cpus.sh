#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A CPU the admin keeps free of unbound work (here through the workqueue
# cpumask in sysfs, as tuned's cpu-partitioning profile does; isolcpus=
# and nohz_full= narrow the same mask) is left alone by the removals'
# runs, which are queued away from the remover's CPU. With the test and
# all it starts pinned to CPU 0 and CPU 1 taken out of the mask, removing
# addresses must leave CPU 1's workqueue workers as idle as they were,
# while the workers on CPU 0 do the deletes.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

wqmask=/sys/devices/virtual/workqueue/cpumask
[[ -w $wqmask ]] || skip "no $wqmask"
(($(nproc --all) >= 2)) || skip "one CPU: nothing to keep free"
saved=$(<"$wqmask")
work=$(mktemp -d)
restore() {
	echo "$saved" >"$wqmask" || true
	rm -rf "$work"
	cleanup_all
}
trap restore EXIT

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

count() {
	[[ $(ip -j route show proto 157 dev vh1 | jq length) == "$1" ]]
}
ip -n c1 -batch - <<<"$add"
poll_until 120 count "$n" || fail "not $n routes through vh1"
ok "$n routes through vh1"

# workers: a line "PID TICKS CPUS" for each of the kernel's workqueue
# workers: its CPU time so far (utime + stime, in clock ticks: the
# scheduler's exact run time, split) and the CPUs it may run on.
workers() {
	local f st
	for f in /proc/[0-9]*/stat; do
		read -r st <"$f" 2>/dev/null || continue
		[[ $st == *" (kworker/"* ]] || continue
		# shellcheck disable=SC2086 # the fields after the name
		set -- ${st##*) }
		printf '%s %s %s\n' "${f//[!0-9]/}" $((${12} + ${13})) \
			"$(awk '$1 == "Cpus_allowed_list:" { print $2 }' "${f%stat}status" 2>/dev/null)"
	done
}
echo 1 >"$wqmask"
[[ $(<"$wqmask") =~ ^0*1$ ]] || fail "the workqueue cpumask reads $(<"$wqmask") after writing 1"
runs0=$(vzr_counter reconciliations)
workers >"$work/before"
ip -n c1 -batch - <<<"$del"
poll_until 120 count 0 || fail "$(ip -j route show proto 157 dev vh1 | jq length) routes left through vh1"
workers >"$work/after"
runs=$(($(vzr_counter reconciliations) - runs0))
# A worker that started meanwhile counts from 0; one that ended is lost.
read -r all one < <(awk 'NR == FNR { t0[$1] = $2; next }
	{ d = $2 - t0[$1]; all += d; if ($3 == "1") one += d }
	END { print all + 0, one + 0 }' "$work/before" "$work/after")
echo "removals: $runs runs; workers' ticks: $all, of which on CPU 1's own $one"
((runs > 0)) || fail "no run counted for the removals"
# Nearly all of the workers' time is vzroute's deletes: had they gone to
# CPU 1, its own workers would have taken most of it.
((all >= 4)) || fail "the workers took $all ticks for $n removals: too few to tell"
((one * 10 <= all)) || fail "CPU 1's own workers took $one of the workers' $all ticks: the removals' runs went to the CPU kept free"
ok "all $n routes withdrawn; CPU 1, kept free of unbound work, ran $one of the workers' $all ticks"

check_kernel_log
pass
