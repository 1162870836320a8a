#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End to end with BIRD: node n1 runs BIRD 2 (examples/bird-node.conf:
# protocol kernel with "learn", importing only routes with krt_source 157,
# OSPFv2 and OSPFv3 toward the router), the core router runs FRR.  The
# scenario of 50-frr-reach (tests/lib/reach.sh) passes unchanged.
# Topology: tests/lib/topo.sh.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh" frr bird
# shellcheck source=tests/lib/reach.sh
. "$(dirname "$0")/../lib/reach.sh"

mod_load allow="$TOPO_ALLOW" host_ifnames="$TOPO_HOST_IFNAMES"
topo_up -n n1 -b n1
reach_veth n1 veth101
check_kernel_log
pass
