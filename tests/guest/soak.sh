#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Churn soak, inside the test VM (tests/integration/46-soak.sh runs it;
# it can also run alone as root in the guest):
#	tests/guest/soak.sh
#
# Random mixes of what a node goes through, seeded (the seed is printed;
# VZR_SOAK_SEED replays a run's choices, not the kernel's timing):
#   - containers (netns + veth, host side in the initial namespace or in a
#     second host namespace, node2) created and destroyed: namespace
#     deleted, veth deleted from the host end or from the container end;
#   - IPv4 and IPv6 addresses added and removed from a small pool (so that
#     containers share addresses: standby, takeover), IPv6 with and without
#     DAD, DAD failures (the host side holds the address first);
#   - links down and up at both ends; MTU below 1280 and back, and
#     disable_ipv6, at both ends; host-side renames out of host_ifnames and
#     back; host sides enslaved to a bridge and released;
#   - vzroute set of metric, proto, table, max_per_netns; allow add and del
#     (bound entries too); resync;
#   - module reloads, with keep_routes=1 (the same settings again, as an
#     upgrade) and without (the load's settings), with churn while the
#     module is out;
#   - all along, a `vzroute show -j` loop and a `vzroute monitor -j`.
# A few foreign routes (blackhole, protocols static and boot) sit on keys
# that container addresses take, for conflicts; they must survive.
#
# Every VZR_SOAK_CHECK_EVERY seconds of churn the soak stops, and
# tests/tools/vzrcheck waits for a quiet, consistent view (vzroute's
# counters unchanged around a full read, no DAD running) and compares the
# routes with the rules.  The kernel log is checked for reports then too.
#
# Environment:
#   VZR_SOAK_SECS         seconds of churn (default 60)
#   VZR_SOAK_SEED         seed (default: from the clock; printed)
#   VZR_SOAK_CHECK_EVERY  seconds of churn between checks (default 5)
#   VZR_SOAK_CTS          most containers at a time (default 8)
#   VZR_SOAK_FAULTS       1: during the churn, fail VZR_SOAK_FAULT_PCT
#                         (default 10) % of vzroute's allocations from its
#                         own slab caches (entries, route slots: failslab),
#                         of all its allocations (its fail_alloc) and of
#                         its requests to rtnetlink (its fail_send,
#                         kmod/fault.h); off for each check, which must
#                         then pass.  Needs CONFIG_FAILSLAB, fault
#                         injection in debugfs and the caches marked at
#                         boot (slub_debug=A,vzr_entry,vzr_slot): the
#                         debug kernel
#   VZR_SOAK_PLAIN_SECS   with VZR_SOAK_FAULTS=1: the first that many of
#                         VZR_SOAK_SECS churn with no fault, a plain soak
#                         on the same kernel before the faulty one; its
#                         figures are printed apart (default 0)
#   VZR_SOAK_KEEP_GOING   1: after a violation, start the module afresh
#                         (routes of every protocol it used flushed, loaded
#                         again) and go on, to find more than the first
#                         bug in one run; the exit status is still 1
# Prints its figures ("soak: ...") and exits 0, or 1 on a violation or a
# kernel report (the checker's output and the state are printed).

set -euo pipefail

# shellcheck source=tests/lib/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/lib.sh"
# This script explains its own failures.
trap - ERR
set +E

secs=${VZR_SOAK_SECS:-60}
faults=${VZR_SOAK_FAULTS:-0}
plain=${VZR_SOAK_PLAIN_SECS:-0}
fault_pct=${VZR_SOAK_FAULT_PCT:-10}
keep_going=${VZR_SOAK_KEEP_GOING:-0}
every=${VZR_SOAK_CHECK_EVERY:-5}
max_cts=${VZR_SOAK_CTS:-8}
seed=${VZR_SOAK_SEED:-$((${EPOCHREALTIME//[.,]/} % 1000000000))}
RANDOM=$seed
check=("$VZR_ROOT/tests/tools/vzrcheck")
work=${TMPDIR:-/tmp}/vzr-soak.$$
mkdir -p "$work"
foreign=$work/foreign
base_params=('allow=10.1.0.0/16,10.9.0.0/24,2001:db8::/32,10.1.0.5/32@vh1' 'host_ifnames=vh*,vn*' max_per_netns=6)

echo "soak: seed $seed, ${secs}s, a check every ${every}s, at most $max_cts containers$( ((faults && plain)) && echo ", the first ${plain}s without faults")"

modprobe -a veth bridge dummy

# Pools: small, so that containers share addresses.  (The arrays below
# are read through pick's nameref.)
# shellcheck disable=SC2034
pool4=(10.1.0.1 10.1.0.2 10.1.0.3 10.1.0.4 10.1.0.5 10.1.0.6 10.1.0.7
	10.1.0.8 10.9.0.1 10.9.0.2 10.9.0.3 192.0.2.1 169.254.1.1)
# shellcheck disable=SC2034
pool6=(2001:db8::1 2001:db8::2 2001:db8::3 2001:db8::4 2001:db8::5
	2001:db8:9::1 2001:db9::1)

declare -A ct_host=()	# container number -> its host side's current name
declare -A ct_hns=()	# container number -> host netns ("" = initial)
declare -A ct_state=()	# container number -> live | shell (veth gone)
nops=0 nchecks=0 nviol=0 nreloads=0 nshowerr=0
declare -A opcount=()
old_protos=157
cur_proto=157

# away: true 3 times in 10.  Changes that take a container's routes away
# (link down, MTU 1200, disable_ipv6, renamed, bridged) are drawn less
# often than the ones that bring them back, so that most containers are
# routed at most times and there are routes to get wrong.
away() {
	((RANDOM % 10 < 3))
}

pick() { # pick ARRAY: one of its elements, in $REPLY
	local -n _a=$1
	REPLY=${_a[RANDOM % ${#_a[@]}]}
}

# hip N ARGS...: ip ARGS in container N's host namespace.
hip() {
	local n=$1
	shift
	ip ${ct_hns[$n]:+-n "${ct_hns[$n]}"} "$@"
}

soak_cleanup() {
	local -
	set +e
	[[ -z ${show_pid:-} ]] || kill "$show_pid" 2>/dev/null
	[[ -z ${mon_pid:-} ]] || kill "$mon_pid" 2>/dev/null
	wait 2>/dev/null
	# failslab outlives the soak: never leave it failing.
	((!faults)) || [[ ! -f ${fs:-}/probability ]] || echo 0 >"$fs/probability"
	ip -all netns delete 2>/dev/null
	ip link del br0 2>/dev/null
	for h in "${ct_host[@]}"; do ip link del "$h" 2>/dev/null; done
	mod_loaded && rmmod vzroute
	# Its foreign routes in the node's namespace (node2's went with it):
	# left there, they would hold those keys against the tests after it.
	if [[ -f ${foreign:-} ]]; then
		while read -r ns dst proto metric _; do
			[[ $ns == - ]] || continue
			ip route del blackhole "$dst" proto "$proto" metric "$metric" 2>/dev/null
		done <"$foreign"
	fi
	rm -rf "$work"
	return 0
}
trap soak_cleanup EXIT

load() {
	mod_load "$@" || { echo "soak: cannot load the module ($*)" >&2; exit 1; }
	((!faults)) || faults_loaded
}

# The module's unload ends its fault attributes: their counts first.
unload() {
	faults_tally
	mod_unload
}

###########################################################################
# Faults (VZR_SOAK_FAULTS=1): failslab on vzroute's caches only, and
# vzroute's own fail_alloc and fail_send.  Each one's "times" counts down
# the faults it injected; vzroute's are made anew at each load, so what
# they counted is added up before each unload (faults_tally).

fs=/sys/kernel/debug/failslab
vzf=/sys/kernel/debug/vzroute
FAULT_TIMES=100000000
declare -A faults_done=([failslab]=0 [fail_alloc]=0 [fail_send]=0)
churning=0
faulting=0	# past the plain part (VZR_SOAK_PLAIN_SECS)

faults_setup() {
	[[ -d $fs ]] || mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
	[[ -d $fs ]] || { echo "soak: no $fs: a kernel with CONFIG_FAILSLAB" >&2; exit 2; }
	echo Y >"$fs/cache-filter"	# only caches marked failslab
	echo N >"$fs/ignore-gfp-wait"	# vzroute allocates with GFP_KERNEL
	faults_quiet "$fs"
}

# faults_quiet DIR: a fault attribute armed to count, silent, not failing.
faults_quiet() {
	echo 0 >"$1/verbose"
	echo 1 >"$1/interval"
	echo 0 >"$1/space"
	echo 0 >"$1/probability"
	echo "$FAULT_TIMES" >"$1/times"
}

# After each load: the module's caches, made anew, must be marked for
# failslab (the mark is read-only since 5.9: slub_debug=A,... gives it at
# boot), and its own attributes armed, failing at once when churning.
faults_loaded() {
	local c a
	for c in vzr_entry vzr_slot; do
		if [[ -L /sys/kernel/slab/$c || $(cat "/sys/kernel/slab/$c/failslab" 2>/dev/null) != 1 ]]; then
			echo "soak: /sys/kernel/slab/$c is not marked for failslab (boot with slub_debug=A,vzr_entry,vzr_slot)" >&2
			exit 2
		fi
	done
	for a in fail_alloc fail_send; do
		[[ -d $vzf/$a ]] || { echo "soak: no $vzf/$a: vzroute built without fault injection (CONFIG_FAULT_INJECTION_DEBUG_FS)" >&2; exit 2; }
		faults_quiet "$vzf/$a"
	done
	((!churning)) || faults_on
}

# Add up what vzroute's attributes counted (before an unload, at the end).
faults_tally() {
	local a
	((faults)) && mod_loaded || return 0
	for a in fail_alloc fail_send; do
		faults_done[$a]=$((faults_done[$a] + FAULT_TIMES - $(<"$vzf/$a/times")))
		echo "$FAULT_TIMES" >"$vzf/$a/times"
	done
}

faults_set() {
	local a
	echo "$1" >"$fs/probability"
	if mod_loaded; then
		for a in fail_alloc fail_send; do
			echo "$1" >"$vzf/$a/probability"
		done
	fi
}

faults_on() {
	churning=1
	((faults && faulting)) && faults_set "$fault_pct"
	return 0
}

faults_off() {
	churning=0
	((faults)) && faults_set 0
	return 0
}

# The settings as they are now, as module parameters (for a reload with
# keep_routes=1: an upgrade keeps its modprobe.d options).
current_params() {
	local c
	c=$(vzr -j config)
	jq -r '"proto=\(.proto)", "metric=\(.metric)", "table=\(.table)",
		"max_per_netns=\(.max_per_netns)",
		"host_ifnames=\(.host_ifnames // "")", "allow=\(.allow | join(","))"' <<<"$c"
}

###########################################################################
# Operations: each one or two commands; a refused one (an address already
# there, a device already gone) is churn too, and is not an error.

op_ct_new() {
	local n hif hns=
	((${#ct_state[@]} < max_cts)) || return 0
	for n in $(seq 1 $((max_cts * 2))); do
		[[ -n ${ct_state[$n]-} ]] || break
	done
	if ((RANDOM % 4 == 0)); then
		hns=node2
		hif=vn$n
	else
		hif=vh$n
	fi
	ip -batch - <<-EOF >/dev/null 2>&1 || return 0
		netns add c$n
		link add name $hif ${hns:+netns $hns }up type veth peer name eth0 netns c$n
	EOF
	ip -n "c$n" -batch - <<-EOF >/dev/null 2>&1 || true
		link set dev lo up
		link set dev eth0 up
	EOF
	ct_host[$n]=$hif
	ct_hns[$n]=$hns
	ct_state[$n]=live
}

# a random live container's number in $CT, or return 1
live_ct() {
	local n live=()
	for n in "${!ct_state[@]}"; do
		[[ ${ct_state[$n]} != live ]] || live+=("$n")
	done
	((${#live[@]})) || return 1
	CT=${live[RANDOM % ${#live[@]}]}
}

forget_ct() {
	unset "ct_host[$1]" "ct_hns[$1]" "ct_state[$1]"
}

op_ct_del() {
	local n shells=() nlive=0
	for n in "${!ct_state[@]}"; do
		if [[ ${ct_state[$n]} == shell ]]; then
			shells+=("$n")
		else
			nlive=$((nlive + 1))
		fi
	done
	# A namespace whose veth went goes soon after, so that empty ones do
	# not take the places of containers.
	if ((${#shells[@]})); then
		n=${shells[RANDOM % ${#shells[@]}]}
		ip netns del "c$n" 2>/dev/null || true
		forget_ct "$n"
		return 0
	fi
	# keep a few: addresses need somewhere to live
	((nlive > 3)) || return 0
	live_ct || return 0
	n=$CT
	case $((RANDOM % 3)) in
	0)	ip netns del "c$n" 2>/dev/null || true
		# the veth goes with it (asynchronously)
		forget_ct "$n" ;;
	1)	hip "$n" link del "${ct_host[$n]}" 2>/dev/null || true
		ct_state[$n]=shell ;;
	2)	ip -n "c$n" link del eth0 2>/dev/null || true
		ct_state[$n]=shell ;;
	esac
}

op_addr_add() {
	live_ct || return 0
	local n=$CT a
	if ((RANDOM % 2)); then
		pick pool4
		ip -n "c$n" addr add "$REPLY/32" dev eth0 2>/dev/null || true
		return 0
	fi
	pick pool6
	a=$REPLY
	case $((RANDOM % 4)) in
	0 | 1) ip -n "c$n" addr add "$a/64" dev eth0 nodad 2>/dev/null || true ;;
	2) ip -n "c$n" addr add "$a/64" dev eth0 2>/dev/null || true ;;
	3)	# DAD failure: the host side has it first
		hip "$n" addr add "$a/128" dev "${ct_host[$n]}" nodad 2>/dev/null || true
		ip -n "c$n" addr add "$a/64" dev eth0 2>/dev/null || true ;;
	esac
}

op_addr_del() {
	live_ct || return 0
	local n=$CT
	if ((RANDOM % 2)); then
		pick pool4
		ip -n "c$n" addr del "$REPLY/32" dev eth0 2>/dev/null || true
	else
		pick pool6
		ip -n "c$n" addr del "$REPLY/64" dev eth0 2>/dev/null ||
			hip "$n" addr del "$REPLY/128" dev "${ct_host[$n]}" 2>/dev/null || true
	fi
}

# pick_end N: a random end of container N: its namespace in E_NS (""
# for the initial one) and its name in E_DEV.
pick_end() {
	local n=$1
	if ((RANDOM % 2)); then
		E_NS=c$n
		E_DEV=eth0
	else
		E_NS=${ct_hns[$n]}
		E_DEV=${ct_host[$n]}
	fi
}

op_link() {
	live_ct || return 0
	pick_end "$CT"
	local st
	st=$(ip ${E_NS:+-n "$E_NS"} -o link show dev "$E_DEV" 2>/dev/null) || return 0
	if [[ $st =~ [\<,]UP[,\>] ]]; then
		away || return 0
		ip ${E_NS:+-n "$E_NS"} link set dev "$E_DEV" down 2>/dev/null || true
	else
		ip ${E_NS:+-n "$E_NS"} link set dev "$E_DEV" up 2>/dev/null || true
	fi
}

op_mtu() {
	live_ct || return 0
	pick_end "$CT"
	local mtu=1500
	! away || mtu=1200
	ip ${E_NS:+-n "$E_NS"} link set dev "$E_DEV" mtu "$mtu" 2>/dev/null || true
}

op_v6off() {
	live_ct || return 0
	pick_end "$CT"
	local v=0
	! away || v=1
	if [[ -n $E_NS ]]; then
		ip netns exec "$E_NS" sysctl -qw "net.ipv6.conf.$E_DEV.disable_ipv6=$v" 2>/dev/null || true
	else
		# (no such file while the MTU is below 1280: IPv6 is off there)
		{ echo "$v" >"/proc/sys/net/ipv6/conf/$E_DEV/disable_ipv6"; } 2>/dev/null || true
	fi
}

# The host side, renamed out of host_ifnames (vh* -> xh*) and back, as a
# runtime renaming a device does: down, rename, up.
op_rename() {
	live_ct || return 0
	local n=$CT old new
	old=${ct_host[$n]}
	case $old in
	v*) away || return 0; new=x${old#v} ;;
	x*) new=v${old#x} ;;
	esac
	hip "$n" -batch - <<-EOF >/dev/null 2>&1 || true
		link set dev $old down
		link set dev $old name $new
		link set dev $new up
	EOF
	hip "$n" link show dev "$new" >/dev/null 2>&1 && ct_host[$n]=$new
	return 0
}

op_bridge() {
	live_ct || return 0
	local n=$CT
	[[ -z ${ct_hns[$n]} ]] || return 0
	if ip -o link show dev "${ct_host[$n]}" 2>/dev/null | grep -q ' master br0 '; then
		ip link set dev "${ct_host[$n]}" nomaster 2>/dev/null || true
	elif away; then
		ip link set dev "${ct_host[$n]}" master br0 2>/dev/null || true
	fi
}

op_set() {
	mod_loaded || return 0
	case $((RANDOM % 4)) in
	0) pick_from 128 129 300; vzr set metric "$REPLY" >/dev/null 2>&1 || true ;;
	1)	pick_from 157 158 200
		if vzr set proto "$REPLY" >/dev/null 2>&1; then
			cur_proto=$REPLY
			[[ ,$old_protos, == *",$REPLY,"* ]] || old_protos+=",$REPLY"
		fi ;;
	2) pick_from 254 254 100; vzr set table "$REPLY" >/dev/null 2>&1 || true ;;
	3) pick_from 6 2 0; vzr set max_per_netns "$REPLY" >/dev/null 2>&1 || true ;;
	esac
}

pick_from() {
	local a=("$@")
	REPLY=${a[RANDOM % ${#a[@]}]}
}

op_allow() {
	mod_loaded || return 0
	# shellcheck disable=SC2034 # read through pick's nameref
	local e=(192.0.2.0/24 '10.1.0.7/32 dev vh3*' '10.1.0.8/32 dev nomatch'
		'2001:db8::3/128 dev vn*' 10.9.0.0/24 '2001:db9::/32')
	pick e
	# shellcheck disable=SC2086 # "PREFIX dev PATTERN" is three words
	if ((RANDOM % 2)); then
		vzr allow add $REPLY >/dev/null 2>&1 || true
	else
		vzr allow del $REPLY >/dev/null 2>&1 || true
	fi
}

op_resync() {
	mod_loaded || return 0
	vzr resync >/dev/null 2>&1 || true
}

# Reload: with keep_routes=1 and the settings of now (an upgrade), or
# without (the routes go; the load's own settings).  A few other
# operations happen while the module is out.
op_reload() {
	mod_loaded || return 0
	local keep_routes=$((RANDOM % 2)) params=() i was=$churning
	# Its own steps (the settings read, keep_routes set, the unload's
	# deletes) must not fail; the churn in between goes on faulting.
	faults_off
	if ((keep_routes)); then
		mapfile -t params < <(current_params)
		vzr set keep_routes 1 >/dev/null
	fi
	unload || { echo "soak: rmmod failed" >&2; exit 1; }
	((!was)) || faults_on
	for ((i = RANDOM % 4; i > 0; i--)); do
		churn_one nomod
	done
	faults_off
	if ((keep_routes)); then
		load "${params[@]}"
	else
		load "${base_params[@]}"
		cur_proto=157
	fi
	((!was)) || faults_on
	nreloads=$((nreloads + 1))
}

# shellcheck disable=SC2034 # read through pick's nameref
ops=(ct_new ct_del addr_add addr_add addr_add addr_add addr_add addr_add
	addr_add addr_add addr_del addr_del link link mtu mtu v6off rename bridge
	set set set allow resync reload)
# shellcheck disable=SC2034
nomod_ops=(ct_new ct_del addr_add addr_del link mtu)

churn_one() {
	local op
	if [[ ${1-} == nomod ]]; then
		pick nomod_ops
	else
		pick ops
		# a reload is dear under emulation: one in two draws
		[[ $REPLY != reload ]] || ((RANDOM % 2 == 0)) || REPLY=resync
	fi
	op=$REPLY
	"op_$op"
	nops=$((nops + 1))
	opcount[$op]=$((${opcount[$op]:-0} + 1))
}

###########################################################################
# Checks

dump_state() {
	echo "--- soak: state at the violation (seed $seed)"
	vzr show 2>&1 || true
	vzr config 2>&1 || true
	vzr stats 2>&1 || true
	for ns in "" $(ip netns list | awk '{print $1}'); do
		echo "--- netns ${ns:-init}"
		ip ${ns:+-n "$ns"} -br addr 2>&1 || true
		ip ${ns:+-n "$ns"} -d -o link 2>&1 | sed 's/\\.*//' || true
		ip ${ns:+-n "$ns"} route show table all proto "$cur_proto" 2>&1 || true
		ip ${ns:+-n "$ns"} -6 route show table all proto "$cur_proto" 2>&1 || true
	done
	echo "--- recent monitor events"
	tail -n 30 "$work/monitor.json" 2>/dev/null || true
}

run_check() {
	local out rc=0 log t0
	faults_off
	mod_loaded || load "${base_params[@]}"
	nchecks=$((nchecks + 1))
	t0=${EPOCHREALTIME//[.,]/}
	out=$("${check[@]}" -v --timeout 60 --foreign "$foreign" --old-protos "$old_protos" 2>&1) || rc=$?
	t0=$(((${EPOCHREALTIME//[.,]/} - t0) / 1000))
	((t0 <= check_ms_max)) || check_ms_max=$t0
	if ((rc != 0)); then
		nviol=$((nviol + 1))
		echo "soak: check $nchecks after $nops operations: VIOLATION (vzrcheck status $rc, seed $seed)"
		printf '%s\n' "$out"
		dump_state
		grep -E '^vzrcheck: [a-z]' <<<"$out" | sed -E 's/^vzrcheck: ([^:]*):.*/\1/' >>"$work/kinds"
		((keep_going)) && afresh
		return 1
	fi
	echo "soak: check $nchecks after $nops operations: ${out#vzrcheck: }"
	log=$(dmesg_since_mark)
	if [[ $log =~ $_VZR_KERNEL_REPORTS ]]; then
		nviol=$((nviol + 1))
		echo "soak: check $nchecks: kernel report (seed $seed):"
		kernel_report_excerpt <<<"$log"
		echo "kernel report" >>"$work/kinds"
		dmesg_mark "soak: after the report"
		return 1
	fi
	return 0
}

# afresh: after a violation (VZR_SOAK_KEEP_GOING=1), the module loaded
# again and the routes of every protocol it used flushed, so that the
# next check starts from a clean slate.
afresh() {
	local ns p
	! mod_loaded || unload
	for ns in "" node2; do
		for p in ${old_protos//,/ }; do
			ip ${ns:+-n "$ns"} -4 route flush table all proto "$p" 2>/dev/null || true
			ip ${ns:+-n "$ns"} -6 route flush table all proto "$p" 2>/dev/null || true
		done
	done
	load "${base_params[@]}"
	old_protos=157
	cur_proto=157
}

###########################################################################
# The run

ns_create node2 >/dev/null
ip link add name br0 up type bridge
ip link set dev br0 up
: >"$foreign"
# Foreign routes on keys that container addresses take (conflicts), and
# beside them; recorded for the checker, which wants them untouched.
while read -r ns fam dst proto metric; do
	[[ $ns != - ]] || ns=
	ip ${ns:+-n "$ns"} "$fam" route add blackhole "$dst" proto "$proto" metric "$metric"
	echo "${ns:--} $dst $proto $metric 254 blackhole" >>"$foreign"
done <<-EOF
	- -4 10.9.0.1/32 4 128
	- -4 10.9.0.2/32 3 129
	- -6 2001:db8:9::1/128 4 128
	node2 -4 10.9.0.3/32 4 128
EOF

dmesg_mark "soak seed $seed"
check_ms_max=0
((!faults)) || faults_setup
load "${base_params[@]}"
for i in 1 2 3 4; do
	op_ct_new
	op_addr_add
	op_addr_add
done

# The concurrent readers.
vzr monitor -j >"$work/monitor.json" 2>"$work/monitor.err" &
mon_pid=$!
(
	while :; do
		if mod_loaded && ! vzr show -j >/dev/null 2>>"$work/show.err"; then
			echo x >>"$work/show.fails"
		fi
		vzr_sleep 0.2 # a reader, not a flood: leave the CPU to the churn
	done
) &
show_pid=$!

# plain_figures: what the plain part did, once it is over.
plain_figures() {
	echo "soak: without faults: $nops operations in $((churn_us / 1000000)).$((churn_us / 100000 % 10)) s of churn, $nchecks checks, $nviol violations"
}

start=${EPOCHREALTIME//[.,]/}
end=$((start + secs * 1000000))
plain_end=$((start + plain * 1000000))
churn_us=0
rc=0
((faults && plain)) || faulting=1
while :; do
	now=${EPOCHREALTIME//[.,]/}
	# The faulty part gets its whole time from the switch on, however
	# long the last plain check took.
	if ((!faulting && now >= plain_end)); then
		plain_figures
		faulting=1
		end=$((now + (secs - plain) * 1000000))
	fi
	((now < end)) || break
	t0=$now
	next=$((now + every * 1000000))
	((next <= end)) || next=$end
	((faulting || next <= plain_end)) || next=$plain_end
	faults_on
	while ((${EPOCHREALTIME//[.,]/} < next)); do
		churn_one
	done
	churn_us=$((churn_us + ${EPOCHREALTIME//[.,]/} - t0))
	if ! run_check; then
		rc=1
		((keep_going)) || break
	fi
done

kill "$show_pid" 2>/dev/null || true
wait "$show_pid" 2>/dev/null || true
show_pid=
monalive=yes
kill -0 "$mon_pid" 2>/dev/null || monalive=no
kill "$mon_pid" 2>/dev/null || true
wait "$mon_pid" 2>/dev/null || true
mon_pid=
nevents=$(wc -l <"$work/monitor.json")
badjson=$(jq -c . <"$work/monitor.json" >/dev/null 2>&1 && echo 0 || echo 1)
nshowerr=0
[[ ! -f $work/show.fails ]] || nshowerr=$(wc -l <"$work/show.fails")
elapsed=$(((${EPOCHREALTIME//[.,]/} - start) / 1000))
opsline=
for k in "${!opcount[@]}"; do opsline+=" $k=${opcount[$k]}"; done
echo "soak: seed $seed: $nops operations in $((churn_us / 1000000)).$((churn_us / 100000 % 10)) s of churn" \
	"($(awk -v n="$nops" -v us="$churn_us" 'BEGIN { printf "%.1f", us ? n * 1e6 / us : 0 }') ops/s;" \
	"$((elapsed / 1000)) s in all), $nchecks checks, $nviol violations, $nreloads reloads"
echo "soak: operations:$opsline"
echo "soak: checks: the longest took $check_ms_max ms (quiet point included)"
if ((faults)); then
	((faulting)) || plain_figures
	faults_off
	faults_tally
	faults_done[failslab]=$((FAULT_TIMES - $(<"$fs/times")))
	echo "soak: faults: failslab ${faults_done[failslab]} (vzroute's caches), fail_alloc ${faults_done[fail_alloc]} (its allocations), fail_send ${faults_done[fail_send]} (its requests to rtnetlink), $fault_pct% of each during the churn"
fi
echo "soak: monitor: $nevents events, still running at the end: $monalive, every line JSON: $( ((badjson)) && echo no || echo yes); show -j failures: $nshowerr (reloads included)"
if [[ $monalive != yes || $badjson != 0 ]]; then
	echo "soak: vzroute monitor -j died or wrote something that is not JSON:"
	tail -n 5 "$work/monitor.err" "$work/monitor.json" || true
	rc=1
fi
if [[ -s $work/kinds ]]; then
	echo "soak: violations by kind:"
	sort "$work/kinds" | uniq -c | sort -rn
fi
if ((nshowerr)); then
	echo "soak: vzroute show -j failed $nshowerr time(s) (a reload between the test and the dump included):"
	sort "$work/show.err" | uniq -c | sort -rn | head -5
fi
exit "$rc"
