#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End to end with venet containers: the reachability scenario of
# 50-frr-reach.sh (tests/lib/reach.sh) on an OpenVZ 7 style node
# (tests/venet's emulator).  The node is the init netns, where the node's
# venet0 lives, running FRR from examples/frr-node.conf; rtr learns the
# container's /32 and /128 over OSPF and OSPFv3 and pings it through the
# node's venet; an address the node's IP map does not give the container
# is never announced; deleting the addresses, or stopping the container,
# withdraws them.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh" venet frr
# shellcheck source=tests/lib/reach.sh
. "$(dirname "$0")/../lib/reach.sh"

a4=$REACH_A4
a6=$REACH_A6
rogue=198.51.100.66
venet_load
mod_load allow="$TOPO_ALLOW"
t0=$(_vzr_now_us)
topo_up -n n1 -i n1
echo "note: rtr and n1 (the init netns) with FRR started in $(topo_ms_since "$t0") ms"
# What vzctl's setup_venet does for the node's venet0.
venet_node
sysctl -q -w net.ipv4.conf.venet0.rp_filter=0 net.ipv4.conf.venet0.send_redirects=0 >/dev/null

# ct1 maps and gets both addresses, and one more the map does not give it.
vct_start ct1 "$a4" "$a6"
vct_addrs add ct1 "$rogue"
reach_scenario n1 venet0 ct1 venet0 "$rogue"

# The container stops with its addresses configured: the namespace, its
# venet and its map entries go, and so do the announcements.
vct_addrs add ct1 "$a4" "$a6"
expect_route rtr "$a4/32" "ospf r-n1"
expect_route -6 rtr "$a6/128" "ospf r-n1"
t0=$(_vzr_now_us)
ns_destroy ct1
expect_route rtr "$a4/32" none
expect_route -6 rtr "$a6/128" none
ok "container stop withdrew both from rtr ($(topo_ms_since "$t0") ms)"
check_kernel_log
pass
