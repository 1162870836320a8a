#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# venet containers (tests/venet's emulator of OpenVZ 7's venet and IP map):
# an address gets a route through the node's venet0 only when the node's IP
# map assigns it to that very container. Unmapped addresses, and addresses
# mapped to another container, are refused ("unmapped"); a map entry that
# appears after the address (a live migration's destination) brings the
# route; the container's stop takes its routes and its map entries away.
# A veth container beside them gets no venet address bound to venet0.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh" venet

venet_load
mod_load allow=10.0.0.0/8,2001:db8::/32
dmesg_grep "routing only what the node's IP map assigns" ||
	fail "vzroute did not find the emulator's IP map at load"
venet_node

# vzctl start: the container's venet, then the map, then the addresses.
vct_start c1 10.1.0.5 2001:db8::5
vct_start c2 10.1.0.7
r5='{"dst": "10.1.0.5", "dev": "venet0", "metric": 128, "scope": "link"}'
r7='{"dst": "10.1.0.7", "dev": "venet0", "metric": 128, "scope": "link"}'
expect_routes "[$r5, $r7]"
expect_routes -6 '[{"dst": "2001:db8::5", "dev": "venet0", "metric": 128}]'
ok "mapped addresses routed through the node's venet0 (IPv4 and IPv6)"

# Root inside c1 adds an address the map does not give it, and one the map
# gives c2: neither is routed for c1.
vct_addrs add c1 10.1.0.6 10.1.0.7 2001:db8::6
v1=$(ns_veid c1)
v2=$(ns_veid c2)
states="10.1.0.5 $v1 installed
10.1.0.6 $v1 unmapped
10.1.0.7 $v1 unmapped
10.1.0.7 $v2 installed
2001:db8::5 $v1 installed
2001:db8::6 $v1 unmapped"
expect_states - <<<"$states"
expect_stable_routes -t 2 "[$r5, $r7]"
expect_stable_routes -6 -t 1 '[{"dst": "2001:db8::5", "dev": "venet0", "metric": 128}]'
ok "unmapped addresses, and another container's, are refused (state unmapped)"

# Live migration, destination side: CRIU restores the address first, vzctl
# maps it at post-restore. The route follows within the re-check period.
vct_addrs add c1 10.1.0.8
expect_states - <<<"$states"$'\n'"10.1.0.8 $v1 unmapped"
t0=$(_vzr_now_us)
venet_map add c1 10.1.0.8 2001:db8::6
r8='{"dst": "10.1.0.8", "dev": "venet0", "metric": 128, "scope": "link"}'
expect_routes "[$r5, $r7, $r8]"
expect_routes -6 '[{"dst": "2001:db8::5", "dev": "venet0", "metric": 128},
	{"dst": "2001:db8::6", "dev": "venet0", "metric": 128}]'
ok "map entries added after the addresses bring their routes ($((($(_vzr_now_us) - t0) / 1000)) ms, no other event)"

# The route carries traffic both ways through the emulated venet: the node
# reaches the container, and the container answers from its own address.
ip -batch - <<EOF2
addr add 192.0.2.254/32 dev lo
addr add 2001:db8:ffff::254/128 dev lo
EOF2
ping -c 1 -W 5 10.1.0.5 >/dev/null || fail "the node cannot ping 10.1.0.5 through venet0"
ping -6 -c 1 -W 5 2001:db8::5 >/dev/null || fail "the node cannot ping 2001:db8::5 through venet0"
# and not an unmapped address, even with a route by hand: the emulated
# venet, like OpenVZ's, delivers by the map
ip route add 10.1.0.6/32 dev venet0
! ping -c 1 -W 2 10.1.0.6 >/dev/null || fail "10.1.0.6 (unmapped) answered through venet0"
ip route del 10.1.0.6/32 dev venet0
ok "the node pings the container through its route"

# Taken out of the map while the address stays: the container's next
# address event re-examines it (the map itself notifies nobody).
venet_map del c1 10.1.0.8
vct_addrs add c1 10.1.0.9
expect_routes "[$r5, $r7]"
ok "a map entry removed: the route goes at the container's next event"

# vzctl stop (or a migration's source): the namespace goes, with the
# container's venet, its map entries and its routes; c2 keeps its own.
ns_destroy c1
expect_routes "[$r7]"
expect_no_routes -6
[[ $(cat /proc/venet_emu) == "10.1.0.7 $v2" ]] ||
	fail "map after c1 stopped: $(cat /proc/venet_emu)"
ok "container stop: its routes and map entries gone, the other's stay"

# A veth container beside them (README, "OpenVZ 7"): the map decides for
# venet devices only, so under an unbound range it stands by for c2's
# mapped address, and would take it when c2 stops. Bound to the node's
# venet0, the range is not its to have, and c2's stop leaves nobody the
# address.
ct_create c3 vh3
ct_addr c3 10.1.0.7/32
v3=$(ns_veid c3)
expect_states - <<<"10.1.0.7 $v2 installed"$'\n'"10.1.0.7 $v3 standby"
vzr allow add 10.1.0.0/16 dev venet0
expect_states - <<<"10.1.0.7 $v2 installed"$'\n'"10.1.0.7 $v3 unbound"
expect_routes "[$r7]"
ns_destroy c2
expect_states - <<<"10.1.0.7 $v3 unbound"
expect_no_routes
ok "a veth container cannot take a venet container's address bound to venet0"

mod_unload
expect_no_routes
check_kernel_log
pass
