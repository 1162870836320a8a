#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An IPv4 address added to a container device vzroute already tracks is
# taken as the address notifier saw it, under RTNL: the run that routes
# it reads no device under RTNL again (rtnl_scans stays, reconciliations
# move). Whatever else happened to the device sends the run back to the
# scan: a removal (another address may have the same local address), a
# burst of more addresses than a note holds, an add and a delete of the
# same address before the run. The notifier's facts are the device's:
# an address added while the host side is down is down; one the host
# has is host-local. Such an address alone on a quiet node is routed as
# its run begins, before it is tracked (routes_ahead), unless another
# container uses it or the policy refuses it. An address that never gets
# a route costs no look.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

# rtnl_scans and reconciliations, as "SCANS RUNS".
scans_runs() {
	vzr stats -j | jq -r '"\(.rtnl_scans) \(.reconciliations)"'
}

# settle: a run has taken every event so far (resync waits for it, and
# it scans every device under RTNL); then read the counters into s0, r0,
# and routes_ahead, takeovers and verifies into a0, t0, v0.
settle() {
	vzr resync >/dev/null || fail "vzroute resync"
	read -r s0 r0 < <(scans_runs)
	a0=$(vzr_counter routes_ahead)
	t0=$(vzr_counter takeovers)
	v0=$(vzr_counter verifies)
}

# ahead_is N: routes_ahead moved by N since settle.
ahead_is() {
	local a
	a=$(vzr_counter routes_ahead)
	((a == a0 + $1)) || fail "routes_ahead $a0 -> $a (want +$1)"
}

# state_is ADDR STATE: vzroute show has ADDR, once, in STATE.
state_is() {
	[[ $(vzr_addr_state "$1") == "$2 0" ]]
}

# Waiting for oper_up (lib.sh) keeps a late NETDEV_CHANGE out of a
# measure: before 2026-12-06 a carrier's change noted the device.

# on_vh1 ADDR...: the routes vzroute gives ADDR... through vh1, as JSON.
on_vh1() {
	vzr_link_routes "${@/%/@vh1}"
}

# scans_moved: a run scanned under RTNL since settle.
scans_moved() {
	local s r
	read -r s r < <(scans_runs)
	((s > s0))
}

mod_load allow=10.0.0.0/8
ct_create c1 vh1
# No IPv6: its link-local addresses and DAD would note the devices.
ip netns exec c1 sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
sysctl -qw net.ipv6.conf.vh1.disable_ipv6=1
wait_for oper_up c1 eth0
wait_for oper_up "" vh1
ct_addr c1 10.1.0.1/24
expect_routes "$(on_vh1 10.1.0.1)"

settle
ct_addr c1 10.1.0.2/24
expect_routes "$(on_vh1 10.1.0.1 10.1.0.2)"
read -r s r < <(scans_runs)
((s == s0 && r > r0)) ||
	fail "an address added to a tracked device: rtnl_scans $s0 -> $s (want no change), reconciliations $r0 -> $r (want more)"
ok "an address added to a tracked device is routed without a scan under RTNL"

# Alone on a quiet node, and nothing to weigh but the policy, its route
# went in as the run began, before the address was tracked; the entry
# that then holds the route took nothing over.
ahead_is 1
(($(vzr_counter takeovers) == t0)) || fail "takeovers $t0 -> $(vzr_counter takeovers) for a new address"
state_is 10.1.0.2 installed || fail "10.1.0.2: $(vzr_addr_state 10.1.0.2)"
ok "it was routed ahead of its tracking (routes_ahead +1), installed, no takeover"

# An address another container uses is decided as ever: it stands by
# (a route of its own would also meet c1's, under the same key). One the
# allow list refuses gets no route ahead.
ct_create c2 vh2
ip netns exec c2 sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
sysctl -qw net.ipv6.conf.vh2.disable_ipv6=1
wait_for oper_up c2 eth0
wait_for oper_up "" vh2
settle
ct_addr c2 10.1.0.2/24
expect_states - <<EOF
10.1.0.1 $(ns_veid c1) installed
10.1.0.2 $(ns_veid c1) installed
10.1.0.2 $(ns_veid c2) standby
EOF
ct_addr c2 192.0.2.1/24
wait_for state_is 192.0.2.1 denied
ahead_is 0
expect_stable_routes -t 2 "$(on_vh1 10.1.0.1 10.1.0.2)"
ip -n c2 addr flush dev eth0
expect_states - <<EOF
10.1.0.1 $(ns_veid c1) installed
10.1.0.2 $(ns_veid c1) installed
EOF
ok "another's address stands by, a denied one is refused: neither routed ahead"

# Two addresses with the same local address: the removal of one leaves
# the other, which only a look at the device's list tells.
ct_addr c1 10.1.0.3/24
ct_addr c1 10.1.0.3/32
expect_routes "$(on_vh1 10.1.0.1 10.1.0.2 10.1.0.3)"
settle
ip -n c1 addr del 10.1.0.3/32 dev eth0
wait_for scans_moved
expect_stable_routes -t 2 "$(on_vh1 10.1.0.1 10.1.0.2 10.1.0.3)"
ip -n c1 addr del 10.1.0.3/24 dev eth0
expect_routes "$(on_vh1 10.1.0.1 10.1.0.2)"
ok "a removal is scanned: the same address with another prefix keeps its route"

# Added and deleted before a run could take the add: the delete wins.
# Both in one batch, so that one run normally sees both; if a run took
# the add alone, the delete's own run still withdraws the route.
settle
ip -n c1 -batch - <<EOF
addr add 10.1.0.9/24 dev eth0
addr del 10.1.0.9/24 dev eth0
EOF
wait_for scans_moved
expect_routes "$(on_vh1 10.1.0.1 10.1.0.2)"
[[ -z $(vzr_addr_state 10.1.0.9) ]] || fail "10.1.0.9 still tracked: $(vzr_addr_state 10.1.0.9)"
ok "an address added and deleted at once: no route, not tracked"

# One more address than a note names (4): the whole device is scanned,
# the fifth address included.
settle
ip -n c1 -batch - <<EOF
addr add 10.1.1.1/24 dev eth0
addr add 10.1.1.2/24 dev eth0
addr add 10.1.1.3/24 dev eth0
addr add 10.1.1.4/24 dev eth0
addr add 10.1.1.5/24 dev eth0
EOF
expect_routes "$(on_vh1 10.1.0.1 10.1.0.2 10.1.1.1 10.1.1.2 10.1.1.3 10.1.1.4 10.1.1.5)"
ip -n c1 addr flush dev eth0 to 10.1.1.0/24
expect_routes "$(on_vh1 10.1.0.1 10.1.0.2)"
ok "a burst of 5 addresses routed; flushed, withdrawn"

# The host side down when the address comes: its facts say so.
ip link set vh1 down
expect_no_routes
wait_for oper_not_up c1 eth0
settle
ct_addr c1 10.1.0.4/24
wait_for state_is 10.1.0.4 down
read -r s r < <(scans_runs)
((s == s0)) || fail "an address added while the host side is down: rtnl_scans $s0 -> $s"
ahead_is 0
# No add was tried ahead through the down host side (refused, it would
# have asked for an audit).
(($(vzr_counter verifies) == v0)) || fail "verifies $v0 -> $(vzr_counter verifies)"
expect_stable_routes -t 2 '[]'
ip link set vh1 up
wait_for oper_up c1 eth0
wait_for oper_up "" vh1
expect_routes "$(on_vh1 10.1.0.1 10.1.0.2 10.1.0.4)"
ok "an address added while the host side is down: down, routed once it is up"

# An address the host has is host-local, read without RTNL too.
ip addr add 10.1.0.7/32 dev lo
settle
ct_addr c1 10.1.0.7/24
wait_for state_is 10.1.0.7 host-local
read -r s r < <(scans_runs)
((s == s0)) || fail "an address the host has: rtnl_scans $s0 -> $s"
ahead_is 0
expect_stable_routes -t 2 "$(on_vh1 10.1.0.1 10.1.0.2 10.1.0.4)"
ok "an address the host has: host-local, no route"

# An address that never gets a route, on a host side: no container's
# address can be it, so nothing is looked at (each container's start and
# stop brings its host side's fe80::, often 169.254.0.1 too). Had it
# been noted, the run that routes the next add would have taken the
# note, and scanned under RTNL, by the time that route is in.
settle
ip addr add 169.254.0.1/32 dev vh1
ct_addr c1 10.1.0.5/24
expect_routes "$(on_vh1 10.1.0.1 10.1.0.2 10.1.0.4 10.1.0.5)"
read -r s r < <(scans_runs)
((s == s0)) || fail "169.254.0.1 added to a host side: rtnl_scans $s0 -> $s (want no change)"
ahead_is 1
ok "a link-local address on a host side: no scan under RTNL"

# It was vh1's only IPv4 address: its removal made the kernel flush the
# IPv4 routes through vh1, without a word, and that still asks for a run,
# which puts them back.
ip addr del 169.254.0.1/32 dev vh1
wait_for scans_moved
expect_routes "$(on_vh1 10.1.0.1 10.1.0.2 10.1.0.4 10.1.0.5)"
ok "its removal flushed vh1's routes: put back"

mod_unload
expect_no_routes
check_kernel_log
pass
