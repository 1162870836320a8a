#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End to end with BIRD: node n1 runs BIRD 2 (examples/bird-node.conf:
# protocol kernel with "learn", importing only routes with krt_source 157,
# OSPFv2 and OSPFv3 toward the router), the core router runs FRR.  The
# scenario of 50-frr-reach passes unchanged.  Topology: tests/frr.sh.

set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/frr.sh
. "$(dirname "$0")/../frr.sh"
trap topo_cleanup EXIT
dmesg_mark "${0##*/}"
topo_require frr bird

mod_load allow="$TOPO_ALLOW" host_ifnames="$TOPO_HOST_IFNAMES"
topo_up -n n1 -b n1
topo_scenario_reach n1 veth101
check_kernel_log
pass
