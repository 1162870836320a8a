#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 51-frr-migrate over eBGP: FRR's bgpd on the nodes
# (examples/frr-node-bgp.conf) and on the router; two live migrations
# (n1 -> n2 -> n1: BGP's sessions take longer to come up than OSPF's
# adjacencies, and three moves came within seconds of the suite's 120 s
# per test on a loaded machine) under a 10 ms ping, and the same move
# with the route moved by hand, the floor of this boot.

# Not in make check yet (issue #17): in two of three runs on a loaded
# machine the old node still had vzroute's route more than 1 s after the
# move, which is not understood. VZR_BGP_MIGRATE=1 runs it.
if [[ ${VZR_BGP_MIGRATE:-0} != 1 ]]; then
	# shellcheck source=tests/lib/test.sh
	. "$(dirname "$0")/../lib/test.sh"
	skip "59-bgp-migrate: left out until its stale-route failure is understood (VZR_BGP_MIGRATE=1 runs it; issue #17)"
fi

VZR_MIGRATE_BGP=1
VZR_MIGRATE_TO="n2 n1"
# shellcheck source=tests/integration/51-frr-migrate.sh
. "$(dirname "$0")/51-frr-migrate.sh"
