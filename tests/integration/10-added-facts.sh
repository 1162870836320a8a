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
# has is host-local.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

# rtnl_scans and reconciliations, as "SCANS RUNS".
scans_runs() {
	vzr stats -j | jq -r '"\(.rtnl_scans) \(.reconciliations)"'
}

# settle: a run has taken every event so far (resync waits for it, and
# it scans every device under RTNL); then read the counters into s0, r0.
settle() {
	vzr resync >/dev/null || fail "vzroute resync"
	read -r s0 r0 < <(scans_runs)
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
expect_stable_routes -t 2 "$(on_vh1 10.1.0.1 10.1.0.2 10.1.0.4)"
ok "an address the host has: host-local, no route"

mod_unload
expect_no_routes
check_kernel_log
pass
