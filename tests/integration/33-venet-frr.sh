#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End to end with venet containers: the reachability scenario of
# 50-frr-reach.sh on an OpenVZ 7 style node (tests/venet's emulator). The
# node is the init netns, where the node's venet0 lives, running FRR from
# examples/frr-node.conf; rtr learns the container's /32 and /128 over OSPF
# and OSPFv3 and pings it through the node's venet; an address the node's
# IP map does not give the container is never announced; deleting the
# addresses, or stopping the container, withdraws them.

set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/frr.sh
. "$(dirname "$0")/../frr.sh"
trap 'venet_cleanup topo_cleanup' EXIT
dmesg_mark "${0##*/}"
topo_require frr

a4=198.51.100.10
a6=2001:db8:100::10
rogue=198.51.100.66
venet_load
mod_load allow="$TOPO_ALLOW"
t0=$(_vzr_now_us)
topo_up -n n1 -i n1
echo "note: rtr and n1 (the init netns) with FRR started in $(topo_ms_since "$t0") ms"
# What vzctl's setup_venet does for the node's venet0.
venet_node
sysctl -q -w net.ipv4.conf.venet0.rp_filter=0 net.ipv4.conf.venet0.send_redirects=0 >/dev/null

vct_create ct1
venet_map add ct1 "$a4" "$a6"
ip -n ct1 -batch - <<EOF2
addr add $a4/32 dev venet0
addr add $a6/128 dev venet0
addr add $rogue/32 dev venet0
EOF2
t0=$(_vzr_now_us)
expect_routes -n n1 "[{\"dst\": \"$a4\", \"dev\": \"venet0\", \"metric\": 128, \"scope\": \"link\"}]"
expect_routes -6 -n n1 "[{\"dst\": \"$a6\", \"dev\": \"venet0\", \"metric\": 128}]"
ok "vzroute routed the container's mapped addresses through the node's venet0"
expect_route rtr "$a4/32" "ospf r-n1"
expect_route -6 rtr "$a6/128" "ospf r-n1"
ok "rtr learned $a4/32 and $a6/128 from n1 over OSPF and OSPFv3 ($(topo_ms_since "$t0") ms from the container's addresses, adjacencies included)"
expect_ping rtr "$a4"
expect_ping -6 rtr "$a6"
ok "rtr pings the venet container over IPv4 and IPv6"

expect_route rtr "$rogue/32" none
expect_route rtr 0.0.0.0/0 none
expect_route -6 rtr ::/0 none
expect_no_routes -n rtr
expect_no_routes -6 -n rtr
ok "nothing else announced: not the unmapped $rogue, no default route, nothing for the uplink"

ip -n ct1 -batch - <<EOF2
addr del $a4/32 dev venet0
addr del $a6/128 dev venet0
EOF2
t0=$(_vzr_now_us)
expect_route rtr "$a4/32" none
expect_route -6 rtr "$a6/128" none
expect_no_routes -n n1
expect_no_routes -6 -n n1
ok "deleting the addresses withdrew them from rtr ($(topo_ms_since "$t0") ms)"

# The container stops with its addresses configured: the namespace, its
# venet and its map entries go, and so do the announcements.
ip -n ct1 -batch - <<EOF2
addr add $a4/32 dev venet0
addr add $a6/128 dev venet0
EOF2
expect_route rtr "$a4/32" "ospf r-n1"
expect_route -6 rtr "$a6/128" "ospf r-n1"
t0=$(_vzr_now_us)
ns_destroy ct1
expect_route rtr "$a4/32" none
expect_route -6 rtr "$a6/128" none
ok "container stop withdrew both from rtr ($(topo_ms_since "$t0") ms)"
check_kernel_log
pass
