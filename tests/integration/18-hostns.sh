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
mod_unload
check_kernel_log
pass
