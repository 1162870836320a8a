#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vzroute's own faults (kmod/fault.h; issue 15), one at a time, on a
# kernel with fault injection in debugfs: the debug kernel's test, a skip
# on the stock kernels.
#   fail_send   vzroute's requests to rtnetlink fail, as netlink fails
#               them when it cannot allocate (-ENOBUFS).  An address
#               added meanwhile is "failed" with that errno, routes_failed
#               counts it, and no route is made; a delete that fails is
#               counted, and its route stays.  Once the faults stop, the
#               retry adds the route and the audit removes the stale one.
#   fail_alloc  every allocation of vzroute's fails (entries, notes,
#               batches, messages).  Addresses added meanwhile get no
#               route; once the faults stop, each gets its route, with no
#               resync asked for.
#   sync_pause  a run paused between its decisions and its sync, while
#               the IPv6 routes of vh1 are flushed (its MTU below IPv6's
#               minimum and back).  The paused run hears the route go and
#               puts it back; the flush's record, read by the next run, is
#               older than that route.  Its add meets the route: an audit
#               adopts it, with no conflict.  With the container's address
#               removed as well, the next run deletes the route put back.
#   scan_pause  a run paused between the notes it took without RTNL and
#               its look under RTNL, while an address its note's facts
#               saw there is removed: the look finds it gone, and its
#               route goes.
#   ahead_pause a run paused right before a route it adds ahead of its
#               tracking, while the kernel flushes the routes of its
#               device: the flush's record, read after the add, makes
#               the run adopt the route, with no conflict and no takeover.
# The faults are counted down by each attribute's "times"; the test waits
# for them to happen, never for a time.  47-fault-soak injects them at
# random during churn.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

vzf=/sys/kernel/debug/vzroute
# /proc/self/fail-nth exists where the kernel has fault injection.
[[ -e /proc/self/fail-nth ]] ||
	skip "this kernel has no fault injection (the debug kernel's test)"
[[ -d /sys/kernel/debug/failslab ]] ||
	mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
ct_dual
# Here the module must have made them: their absence is a failure.
[[ -d $vzf/fail_send && -d $vzf/fail_alloc && -f $vzf/sync_pause_hold &&
   -f $vzf/scan_pause_hold && -f $vzf/ahead_pause_hold ]] ||
	{ fail "no $vzf/fail_send, fail_alloc or a pause's hold, on a kernel with fault injection"; exit 1; }

TIMES=1000000
ENOBUFS=105	# Linux's number, as vzroute show -j gives it
# arm NAME PERCENT: fail PERCENT % of NAME's calls, silently, counting.
arm() {
	local d=$vzf/$1
	echo 0 >"$d/verbose"
	echo 1 >"$d/interval"
	echo 0 >"$d/space"
	echo "$TIMES" >"$d/times"
	echo "$2" >"$d/probability"
}
disarm() {
	echo 0 >"$vzf/$1/probability"
}
# injected NAME: the faults NAME injected since it was armed.
injected() {
	echo $((TIMES - $(<"$vzf/$1/times")))
}
injected_at_least() {
	(($(injected "$1") >= $2))
}
# state_is ADDR "STATE ERRNO"
state_is() {
	[[ $(vzr_addr_state "$1") == "$2" ]]
}

###########################################################################
# fail_send

failed0=$(vzr_counter routes_failed)
arm fail_send 100
ct_addr c1 10.1.0.2/32
wait_for state_is 10.1.0.2 "failed $ENOBUFS"
failed1=$(vzr_counter routes_failed)
((failed1 > failed0)) || fail "routes_failed did not move: $failed0 -> $failed1"
expect_routes "$V4"
ok "fail_send: 10.1.0.2 failed (ENOBUFS), routes_failed $failed0 -> $failed1, no route"

# The delete of 10.1.0.1's route fails too: counted, and the route stays.
ip -n c1 addr del 10.1.0.1/32 dev eth0
_failed_more() { (($(vzr_counter routes_failed) > failed1)); }
wait_for _failed_more
expect_routes "$V4"
ok "fail_send: the withdrawal of 10.1.0.1 failed and was counted; its route stays meanwhile"

n=$(injected fail_send)
disarm fail_send
V4b='[{"dst": "10.1.0.2", "dev": "vh1", "metric": 128, "scope": "link"}]'
expect_routes "$V4b"
wait_for state_is 10.1.0.2 "installed 0"
ok "fail_send off after $n faults: 10.1.0.2 routed, 10.1.0.1's stale route removed"

###########################################################################
# fail_alloc

batch=
for i in $(seq 1 20); do
	batch+="addr add 10.1.2.$i/32 dev eth0"$'\n'
done
arm fail_alloc 100
ip -n c1 -batch - <<<"$batch"
# Enough faults that the events' notes and a run's own allocations failed.
wait_for injected_at_least fail_alloc 20
# None of them is routed: only 10.1.0.2 (expect_routes returns at once
# when the routes are already those).
expect_routes "$V4b"
n=$(injected fail_alloc)
disarm fail_alloc
many=$(jq -c '. + [range(1; 21) | {dst: "10.1.2.\(.)", dev: "vh1", metric: 128, scope: "link"}]' <<<"$V4b")
expect_routes -t 30 "$many"
expect_routes -6 "$V6"
ok "fail_alloc off after $n faults: the 20 addresses added meanwhile routed, nothing else moved"

###########################################################################
# sync_pause

# pause_next_run ACTION...: ACTION kicks a run, which pauses before its
# sync; returns once it is there.  resume_run lets it go on.
pause_next_run() {
	echo 1 >"$vzf/sync_pause_hold"
	echo 1 >"$vzf/sync_pause_times"
	"$@"
	wait_for _paused sync
}
# _paused PLACE: the run held at PLACE (sync, scan or ahead) is there.
_paused() {
	[[ $(<"$vzf/$1_pause_times") == 0 ]]
}
resume_run() {
	echo 0 >"$vzf/sync_pause_hold"
}
flap_vh1_mtu() {
	ip link set vh1 mtu 1200
	ip link set vh1 mtu 1500
}
added0=$(vzr_counter routes_added)
adopted0=$(vzr_counter adopted)
conflicts0=$(vzr_counter conflicts)
pause_next_run ct_addr c1 10.1.0.3/32
flap_vh1_mtu
resume_run
V4c=$(jq -c '. + [{dst: "10.1.0.3", dev: "vh1", metric: 128, scope: "link"}]' <<<"$many")
expect_routes "$V4c"
expect_routes -6 "$V6"
_adopted() { (($(vzr_counter adopted) > adopted0)); }
wait_for _adopted
expect_stable_routes -6 -t 2 "$V6"
n=$(($(vzr_counter routes_added) - added0))
# 10.1.0.3's and 2001:db8::1's, put back once.
((n == 2)) || fail "$n routes added, not 2"
[[ $(vzr_counter conflicts) == "$conflicts0" ]] ||
	fail "conflicts $conflicts0 -> $(vzr_counter conflicts): the flush's record took the route put back for another's"
wait_for state_is 2001:db8::1 "installed 0"
ok "sync_pause: IPv6 flushed while a run paused, put back on hearing it: the next run adopts it, no conflict"

added0=$(vzr_counter routes_added)
removed0=$(vzr_counter routes_removed)
pause_next_run ct_addr c1 10.1.0.4/32
flap_vh1_mtu
ip -n c1 addr del 2001:db8::1/64 dev eth0
resume_run
expect_no_routes -6
n=$(($(vzr_counter routes_added) - added0))
# 10.1.0.4's, and 2001:db8::1's put back by the run held.
((n == 2)) || fail "$n routes added, not 2"
n=$(($(vzr_counter routes_removed) - removed0))
((n == 1)) || fail "routes_removed moved by $n, not 1 (the route put back)"
[[ $(vzr_counter conflicts) == "$conflicts0" ]] || fail "conflicts moved"
ok "sync_pause: the same, its address gone meanwhile: the route put back is deleted"
ct_addr6_nodad c1 2001:db8::1/64
expect_routes -6 "$V6"

###########################################################################
# scan_pause

# What a run takes from a note's facts before its look under RTNL is no
# sight of that look: 10.1.0.20/32 added (its note's facts say there)
# together with a note that needs RTNL (c2's IPv6 address); the run
# held before RTNL; 10.1.0.20 then removed from c1 altogether, whose
# note joins the held run under RTNL. That run's look finds it gone,
# and its route goes, with no later event to bring another run.
V4d=$(jq -c '. + [{dst: "10.1.0.4", dev: "vh1", metric: 128, scope: "link"}]' <<<"$V4c")
V4e=$(jq -c '. + [{dst: "10.1.0.20", dev: "vh1", metric: 128, scope: "link"}]' <<<"$V4d")
ct_create c2 vh2
ct_addr c1 10.1.0.20/24
expect_routes "$V4e"
pause_next_run ct_addr6_nodad c2 fd00::1/64
ct_addr6_nodad c2 fd00::2/64
ct_addr c1 10.1.0.20/32
echo 1 >"$vzf/scan_pause_hold"
echo 1 >"$vzf/scan_pause_times"
resume_run
wait_for _paused scan
ip -n c1 addr del 10.1.0.20/32 dev eth0
ip -n c1 addr del 10.1.0.20/24 dev eth0
echo 0 >"$vzf/scan_pause_hold"
expect_routes "$V4d"
_untracked() {
	[[ -z $(vzr_addr_state 10.1.0.20) ]]
}
wait_for _untracked
ok "scan_pause: an address seen from its note's facts, gone before the run's look under RTNL: its route goes"

###########################################################################
# ahead_pause

# A quiet add's route is about to go in ahead of its tracking
# (routes_ahead), and its run is held right before the add. Meanwhile
# vh1 loses its only IPv4 address (169.254.0.1, which costs no run of its
# own), and the kernel flushes the IPv4 routes through vh1. The route is
# then added; the held run reads the flush's record under RTNL, with no
# way to tell whether it is older than the route (here it is): its add
# meets the route, which an audit adopts, with no conflict, and the
# entry that holds it takes nothing over. The other routes come back as
# after any flush.
ip addr add 169.254.0.1/32 dev vh1
vzr resync >/dev/null || fail "vzroute resync"
ahead0=$(vzr_counter routes_ahead)
takeovers0=$(vzr_counter takeovers)
conflicts0=$(vzr_counter conflicts)
adopted0=$(vzr_counter adopted)
echo 1 >"$vzf/ahead_pause_hold"
echo 1 >"$vzf/ahead_pause_times"
ct_addr c1 10.1.0.21/24
wait_for _paused ahead
ip addr del 169.254.0.1/32 dev vh1
echo 0 >"$vzf/ahead_pause_hold"
V4f=$(jq -c '. + [{dst: "10.1.0.21", dev: "vh1", metric: 128, scope: "link"}]' <<<"$V4d")
expect_routes "$V4f"
wait_for state_is 10.1.0.21 "installed 0"
wait_for _adopted
n=$(($(vzr_counter routes_ahead) - ahead0))
((n == 1)) || fail "routes_ahead moved by $n, not 1"
[[ $(vzr_counter conflicts) == "$conflicts0" ]] ||
	fail "conflicts $conflicts0 -> $(vzr_counter conflicts): a route added ahead met as another's after a flush"
[[ $(vzr_counter takeovers) == "$takeovers0" ]] ||
	fail "takeovers $takeovers0 -> $(vzr_counter takeovers): a route added ahead counted as taken over"
ok "ahead_pause: a flush read after a route added ahead: the route adopted, no conflict, no takeover"

mod_unload
expect_no_routes
expect_no_routes -6
check_kernel_log
pass
