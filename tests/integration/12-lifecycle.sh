#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Renames, namespace destruction, and deleting the veth from either side.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

mod_load allow=10.0.0.0/8 host_ifnames=veth*
ct_create c1 veth101
ct_create c2 veth102
ct_create c3 veth103
ct_addr c1 10.1.0.1/32
ct_addr c2 10.1.0.2/32
ct_addr c3 10.1.0.3/32
all='[
	{"dst": "10.1.0.1", "dev": "veth101", "metric": 128, "scope": "link"},
	{"dst": "10.1.0.2", "dev": "veth102", "metric": 128, "scope": "link"},
	{"dst": "10.1.0.3", "dev": "veth103", "metric": 128, "scope": "link"}
]'
expect_routes "$all"

# Renaming the container device changes nothing; renaming the host side
# out of host_ifnames withdraws, back in restores.
ip -n c1 link set eth0 down
ip -n c1 link set eth0 name venet0
ip -n c1 link set venet0 up
expect_routes "$all"
ip link set veth101 down
ip link set veth101 name other101
ip link set other101 up
expect_routes '[
	{"dst": "10.1.0.2", "dev": "veth102", "metric": 128, "scope": "link"},
	{"dst": "10.1.0.3", "dev": "veth103", "metric": 128, "scope": "link"}
]'
ok "host side renamed out of host_ifnames: withdrawn"
ip link set other101 down
ip link set other101 name veth101
ip link set veth101 up
expect_routes "$all"
ok "renamed back: restored"

# Container stop: the namespace is destroyed.
ip netns del c1
expect_routes '[
	{"dst": "10.1.0.2", "dev": "veth102", "metric": 128, "scope": "link"},
	{"dst": "10.1.0.3", "dev": "veth103", "metric": 128, "scope": "link"}
]'
ok "namespace destroyed: withdrawn"

# veth deleted from the host side, then from the container side.
ip link del veth102
ip -n c3 link del eth0
expect_no_routes
ok "veth deleted from either side: withdrawn"

# The container end moves to another namespace (migration of the device).
ct_create c4 veth104
ct_addr c4 10.1.0.4/32
expect_routes '[{"dst": "10.1.0.4", "dev": "veth104", "metric": 128, "scope": "link"}]'
ns_create c5
ip -n c4 link set eth0 netns c5
expect_no_routes
ip -n c5 -batch - <<EOF2
addr add 10.1.0.4/32 dev eth0
link set eth0 up
EOF2
expect_routes '[{"dst": "10.1.0.4", "dev": "veth104", "metric": 128, "scope": "link"}]'
ok "container end moved to another namespace: follows it"

mod_unload
expect_no_routes
check_kernel_log
pass
