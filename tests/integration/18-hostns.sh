#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The host side may live in a namespace other than the initial one (a node
# that is itself a namespace, nested containers): the route goes into the
# namespace of the host side, and dies with it.

set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
trap cleanup_all EXIT
dmesg_mark "${0##*/}"

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
vzr_sleep 1
mod_unload
check_kernel_log
pass
