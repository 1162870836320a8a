#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The host side may live in a namespace other than the initial one (a node
# that is itself a namespace, nested containers): the route goes into the
# namespace of the host side, and dies with it.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

mod_load allow=10.0.0.0/8 host_ifnames=vh*
ns_create node1
ct_create c1 vh1 node1
ct_addr c1 10.1.0.1/32
ct_addr6_nodad c1 2001:db8::1/64
expect_routes -n node1 '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 128, "scope": "link"}]'
expect_no_routes
ok "route in the host side's namespace, none in the initial one"

ip netns del node1
expect_no_routes
# The namespace is destroyed asynchronously; unload only once it is (its
# veth is gone: c1 lost eth0), so that its teardown runs with vzroute
# loaded.
# shellcheck disable=SC2317 # called through wait_for
c1_has_no_eth0() { ! ip -n c1 link show dev eth0 >/dev/null 2>&1; }
wait_for c1_has_no_eth0
ok "the route dies with the namespace"

# A host side that moves out of its namespace, which then dies at once:
# the entry may still be in that namespace's slot when it goes, and the
# route follows the device.
ns_create node2
ct_create c2 vh2 node2
ct_addr c2 10.1.0.2/32
expect_routes -n node2 '[{"dst": "10.1.0.2", "dev": "vh2", "metric": 128, "scope": "link"}]'
ip -n node2 link set dev vh2 netns 1
_VZR_CT_HOSTNS[c2]=
ns_destroy node2
ip link set dev vh2 up
expect_routes '[{"dst": "10.1.0.2", "dev": "vh2", "metric": 128, "scope": "link"}]'
ok "a host side moved out of a dying namespace: the route follows it"
mod_unload
check_kernel_log
pass
