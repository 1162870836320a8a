#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 55-bgp-frr-reach with BIRD 2 on the node (examples/bird-node-bgp.conf:
# the kernel protocol learning only proto 157 routes, eBGP to rtr); rtr
# still runs FRR's bgpd.

VZR_BGP_NODE=bird
# shellcheck source=tests/integration/55-bgp-frr-reach.sh
. "$(dirname "$0")/55-bgp-frr-reach.sh"
