#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Which veths are container devices: not those whose host side is a bridge
# port (the container is on the host's L2), and only host sides matching
# host_ifnames.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

mod_load allow=10.0.0.0/8 host_ifnames=veth*,ve-[0-9]?
ct_create c1 veth1
ct_create c2 ve-12
ct_create c3 vx3
ct_create c4 ve-1
ct_addr c1 10.1.0.1/32
ct_addr c2 10.1.0.2/32
ct_addr c3 10.1.0.3/32
ct_addr c4 10.1.0.4/32
routed='[
	{"dst": "10.1.0.1", "dev": "veth1", "metric": 128, "scope": "link"},
	{"dst": "10.1.0.2", "dev": "ve-12", "metric": 128, "scope": "link"}
]'
expect_routes "$routed"
expect_stable_routes -t 2 "$routed"
ok "host_ifnames: veth1 and ve-12 match, vx3 and ve-1 do not"

modprobe bridge
ip link add name br0 type bridge
ip link set br0 up
ip link set veth1 master br0
expect_routes '[{"dst": "10.1.0.2", "dev": "ve-12", "metric": 128, "scope": "link"}]'
ok "host side enslaved to a bridge: no route"
ip link set veth1 nomaster
expect_routes "$routed"
ok "host side leaves the bridge: route back"

# A container that is born bridged never gets one.
ct_create c5 veth5
ip link set veth5 master br0
ct_addr c5 10.1.0.5/32
expect_stable_routes -t 2 "$routed"
ok "bridged from the start: no route"

mod_unload
expect_no_routes
check_kernel_log
pass
