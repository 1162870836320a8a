#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The node's venet is the host side of every venet container, and only
# events on it (in the init netns) tell that the containers' routes can or
# cannot exist: a node venet that comes up after the containers (boot
# order), goes down and up, or is deleted and created again, converges.
# venet_dev= names it; anything else by that name is not a host side; bad
# names fail the load.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh" venet

venet_load
mod_load allow=10.0.0.0/8,2001:db8::/32

# Boot order: the containers (mapped and addressed) before the node venet.
vct_start c1 10.1.0.5 2001:db8::5
vct_start c2 10.2.0.5
expect_stable_routes -t 2 '[]'
ok "no node venet: no route"

v4='[{"dst": "10.1.0.5", "dev": "venet0", "metric": 128, "scope": "link"},
     {"dst": "10.2.0.5", "dev": "venet0", "metric": 128, "scope": "link"}]'
v6='[{"dst": "2001:db8::5", "dev": "venet0", "metric": 128}]'
venet_node
expect_routes "$v4"
expect_routes -6 "$v6"
ok "the node venet coming up after the containers brings every route"

ip link set venet0 down
expect_no_routes
expect_no_routes -6
ip link set venet0 up
expect_routes "$v4"
expect_routes -6 "$v6"
ok "node venet down: withdrawn; up: restored"

ip link del venet0
expect_no_routes
expect_no_routes -6
venet_node
expect_routes "$v4"
expect_routes -6 "$v6"
ok "node venet deleted: withdrawn; created again: restored"

# A device of another kind by that name is not the node's venet.
ip link del venet0
ip -batch - <<EOF2
link add name venet0 up type veth peer name vpeer0
link set dev vpeer0 up
EOF2
expect_stable_routes -t 2 '[]'
ip link del venet0
ok "a veth named venet0 is not a host side"

# venet_dev= names the node's venet.
mod_unload
mod_load allow=10.0.0.0/8,2001:db8::/32 venet_dev=vznode
[[ $(</sys/module/vzroute/parameters/venet_dev) == vznode ]] ||
	fail "venet_dev reads $(</sys/module/vzroute/parameters/venet_dev)"
venet_node vznode
expect_routes "${v4//venet0/vznode}"
expect_routes -6 "${v6//venet0/vznode}"
ip link del vznode
expect_no_routes
ok "venet_dev=vznode: routes through vznode"
mod_unload

for bad in '' 'a/b' 0123456789abcdef . ..; do
	if mod_load allow=10.0.0.0/8 "venet_dev=$bad" 2>/dev/null; then
		fail "venet_dev='$bad' accepted"
		mod_unload
	fi
done
[[ -d /sys/module/vzroute ]] && fail "a refused load left the module behind"
dmesg_grep "venet_dev=a/b refused: not a valid interface name" ||
	fail "no kernel log line for the refused venet_dev"
ok "invalid venet_dev values fail the load, with a message"

check_kernel_log
pass
