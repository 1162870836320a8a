#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End to end with FRR over eBGP: node n1 (AS 65001) runs zebra and bgpd
# configured from examples/frr-node-bgp.conf, the router (AS 65000) FRR's
# bgpd, one session per address family.  The scenario of 50-frr-reach
# (tests/lib/reach.sh) passes unchanged: the container's /32 and /128
# reach rtr (ip -j route there, "proto bgp" through r-n1), rtr pings both,
# nothing else is announced, deleting the addresses withdraws them.
# 57-bgp-bird-reach runs this with BIRD on the node (VZR_BGP_NODE=bird,
# examples/bird-node-bgp.conf).  Topology: tests/lib/topo.sh.

kind=${VZR_BGP_NODE:-frr}
if [[ $kind == bird ]]; then
	# shellcheck source=tests/lib/test.sh
	. "$(dirname "$0")/../lib/test.sh" frr bird
else
	# shellcheck source=tests/lib/test.sh
	. "$(dirname "$0")/../lib/test.sh" frr
fi
# shellcheck source=tests/lib/reach.sh
. "$(dirname "$0")/../lib/reach.sh"

birds=()
[[ $kind == bird ]] && birds=(-b n1)

mod_load allow="$TOPO_ALLOW" host_ifnames="$TOPO_HOST_IFNAMES"
t0=$(_vzr_now_us)
topo_up -g -n n1 "${birds[@]}"
echo "note: rtr and n1 with $kind started in $(topo_ms_since "$t0") ms"
reach_veth n1 veth101
check_kernel_log
pass
