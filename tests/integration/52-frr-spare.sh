#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hot spare with FRR: the same address on a container behind n1 (primary)
# and on one behind n2 (spare).  n2's FRR announces it with a worse metric
# (examples/frr-node.conf with "redistribute kernel metric 200" instead of
# 100), so the core router uses n1; when the primary container stops,
# traffic goes to the spare; when it comes back, traffic returns to it.
# Each container has a second address of its own, and its echo counter
# tells which one answered (expect_answer).  Topology: tests/lib/topo.sh.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh" frr

VIP=198.51.100.20

mod_load allow="$TOPO_ALLOW" host_ifnames="$TOPO_HOST_IFNAMES"
topo_up -4 -m n2=200
topo_ct primary n1 veth101 "$VIP" 198.51.100.21
topo_ct spare n2 veth102 "$VIP" 198.51.100.22
expect_route rtr 198.51.100.21/32 "ospf r-n1"
expect_route rtr 198.51.100.22/32 "ospf r-n2"
expect_route rtr "$VIP/32" "ospf r-n1"
poll_until 10 topo_announced "$VIP" 10.255.0.2 || fail "n2 does not announce $VIP"
expect_answer "$VIP" primary spare
ok "primary (n1, metric 100) carries $VIP; the spare (n2, metric 200) is announced and idle"

t0=$(_vzr_now_us)
topo_ct_stop primary
expect_no_routes -n n1
expect_route rtr "$VIP/32" "ospf r-n2"
took=$(topo_ms_since "$t0")
expect_answer "$VIP" spare
ok "primary stopped: rtr sends $VIP to the spare on n2 ($took ms)"

t0=$(_vzr_now_us)
topo_ct primary n1 veth101 "$VIP" 198.51.100.21
expect_route rtr "$VIP/32" "ospf r-n1"
took=$(topo_ms_since "$t0")
expect_answer "$VIP" primary spare
ok "primary back: rtr sends $VIP to n1 again ($took ms)"
check_kernel_log
pass
