#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End to end with FRR: a container's /32 and /128, routed by vzroute on
# node n1, reach the core router over OSPF and OSPFv3 (zebra, ospfd and
# ospf6d configured from examples/frr-node.conf); the router pings the
# container; deleting the addresses withdraws them (reach_scenario,
# tests/lib/reach.sh).  Topology: tests/lib/topo.sh.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh" frr
# shellcheck source=tests/lib/reach.sh
. "$(dirname "$0")/../lib/reach.sh"

mod_load allow="$TOPO_ALLOW" host_ifnames="$TOPO_HOST_IFNAMES"
t0=$(_vzr_now_us)
topo_up -n n1
echo "note: rtr and n1 with FRR started in $(topo_ms_since "$t0") ms"
reach_veth n1 veth101
check_kernel_log
pass
