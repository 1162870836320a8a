#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 51-frr-migrate over eBGP: FRR's bgpd on the nodes
# (examples/frr-node-bgp.conf) and on the router; two live migrations
# (n1 -> n2 -> n1: BGP's sessions take longer to come up than OSPF's
# adjacencies, and three moves came within seconds of the suite's 120 s
# per test on a loaded machine) under a 10 ms ping, and the same move
# with the route moved by hand, the floor of this boot.

VZR_MIGRATE_BGP=1
VZR_MIGRATE_TO="n2 n1"
# shellcheck source=tests/integration/51-frr-migrate.sh
. "$(dirname "$0")/51-frr-migrate.sh"
