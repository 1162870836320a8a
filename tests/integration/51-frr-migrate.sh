#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Live migration with FRR: while the core router pings the container every
# 10 ms, the container moves between nodes n1 and n2 (its namespace stays;
# its veth goes on the old node and a new one, with the same addresses,
# comes on the new node).  The old node stops announcing the address the
# moment the container leaves, the router's route follows to the new node,
# and the outage (lost pings) is measured (topo_move, tests/lib/topo.sh): three
# moves, n1 -> n2 -> n1 -> n2.
# For comparison, the same move of a container whose route is moved by hand
# (deleted on the old node as its veth goes, added on the new node at
# once, as a script would): the floor of this machine, measured in the same boot.
# With VZR_MIGRATE_BGP=1 (59-bgp-migrate), the same over eBGP
# (examples/frr-node-bgp.conf, topo_up -g); VZR_MIGRATE_TO lists the
# nodes the container moves to in turn (default "n2 n1 n2").  Topology: tests/lib/topo.sh.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh" frr

# The bound on one migration's outage.  What it costs: vzroute's reaction
# (~100 ms), zebra and ospfd on both nodes, flooding to rtr, SPF there and
# zebra installing the route.  test-vm.md measured a route moved by hand
# between two FRR nodes at 30 ms on a native kernel and at 700-820 ms in
# this QEMU/TCG guest, whose timing also varies with the load of the
# machine running it (other VMs on a 2-core CI machine).  10 s is over ten
# times the emulated figure, so the test does not flake on a busy machine,
# and it still fails when the route follows anything slower than kernel
# events: the 3 s dead interval, a daemon's periodic scan, FRR's default
# 5 s LSA throttle, or the old node announcing the address until something
# cleans up.
OUTAGE_MAX_MS=${OUTAGE_MAX_MS:-10000}
ADDR=198.51.100.10
ADDR6=2001:db8:100::10
FLOOR=198.51.100.11

mod_load allow="$TOPO_ALLOW" host_ifnames="$TOPO_HOST_IFNAMES"
if [[ ${VZR_MIGRATE_BGP:-0} == 1 ]]; then
	topo_up -g
else
	topo_up
fi
topo_ct ct1 n1 veth101 "$ADDR" "$ADDR6"
expect_route rtr "$ADDR/32" "$TOPO_PROTO r-n1"
expect_route -6 rtr "$ADDR6/128" "$TOPO_PROTO r-n1"
expect_ping rtr "$ADDR"
ok "container on n1, announced, reachable from rtr"

from=n1
outages=()
for to in ${VZR_MIGRATE_TO:-n2 n1 n2}; do
	topo_move ct1 "$to" "veth10${to#n}"
	((PING_OUTAGE_MS <= OUTAGE_MAX_MS && PING_GAP_MS <= OUTAGE_MAX_MS)) ||
		fail "migration $from -> $to: outage above ${OUTAGE_MAX_MS} ms"
	expect_ping rtr "$ADDR"
	outages+=("$PING_OUTAGE_MS/$PING_GAP_MS")
	ok "migrated $from -> $to: $from withdrew at once, rtr followed"
	from=$to
done

# IPv6 follows too (the container's address goes through DAD again on its
# new eth0 first).
expect_route -6 rtr "$ADDR6/128" "$TOPO_PROTO r-$from"
expect_ping -6 rtr "$ADDR6"
ok "IPv6 address followed to $from"

# The floor: host ends named hf*, which host_ifnames=veth* leaves alone;
# routes by hand (proto static: a kernel route to FRR like vzroute's).
topo_ct cf n1 hf101 "$FLOOR"
ip -n n1 route add "$FLOOR/32" dev hf101 proto static scope link
expect_route rtr "$FLOOR/32" "$TOPO_PROTO r-n1"
topo_move -h cf n2 hf102
echo "outages with vzroute (lost x interval / longest gap, ms): ${outages[*]};" \
	"route moved by hand: $PING_OUTAGE_MS/$PING_GAP_MS"
check_kernel_log
pass
