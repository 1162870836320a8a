#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 56-bgp-frr-spare with BIRD 2 on both nodes (examples/bird-node-bgp.conf,
# SPARE = 1 on n2); rtr still runs FRR's bgpd.

VZR_BGP_NODE=bird
# shellcheck source=tests/integration/56-bgp-frr-spare.sh
. "$(dirname "$0")/56-bgp-frr-spare.sh"
