#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# timeout: 400
#
# Live migration within the LAN (issue 16), no routing daemon: while the
# LAN host pings the container every 10 ms, the container moves from n1
# to n2 (topo_ct_migrate: its veth goes on n1, a new one comes on n2).
# n1's proxy entries go the moment the container leaves; n2 adds its own
# and announces them, and the LAN host's neighbour entry for the address
# moves to n2's MAC at once, without waiting for a timeout.  Then, for
# comparison, the same move back with the announcement left out
# (neigh_announce=0): the LAN host keeps n2's MAC until its entry
# times out (the old node, now without a route, forwards what still
# reaches it back onto the LAN meanwhile).  Both are measured in the same
# boot and printed; only generous bounds are asserted of the second.
# Topology and the move (lan_move): tests/lib/lan.sh.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"
# shellcheck source=tests/lib/lan.sh
. "$VZR_ROOT/tests/lib/lan.sh"

ADDR=192.0.2.10 ADDR6=2001:db8:1::10
# How soon the LAN host must hold the new node's MAC after an announced
# move, from the moment the container is set up on the new node: vzroute
# reacts in ~100 ms, the gratuitous ARP is one packet.  Without it, the
# LAN host's entry moves only once a probe of the old MAC fails: its
# entry goes stale 15 to 45 s after it was last confirmed
# (base_reachable_time 30 s), then 5 s of delay and 3 probes a second
# apart.  5 s is below that, and far above an emulated reaction on a busy
# machine.
NEIGH_MAX_MS=${NEIGH_MAX_MS:-5000}
# The move without announcement: the entry must follow within the
# kernel's own timeouts (45 + 5 + 3 s and ARP's proxy delay), with room.
TIMEOUT_MAX_S=${TIMEOUT_MAX_S:-150}

lan_up
mod_load allow="$LAN_ALLOW" host_ifnames='veth*' neigh_devs=detect
mac1=$(lan_mac n1)
mac2=$(lan_mac n2)
topo_ct ct1 n1 veth101 "$ADDR" "$ADDR6"
expect_proxies n1 "$ADDR eth0" "$ADDR6 eth0"
expect_ping lh "$ADDR"
expect_ping -6 lh "$ADDR6"
wait_for lan_neigh_is -6 lh "$ADDR6" "$mac1"
ok "ct1 on n1, proxied, reachable from lh"

# The announced move.
monitor_start /tmp/lan-events
sent0=$(vzr_counter announced)
lan_move ct1 "$ADDR" n2 veth102 "$mac1" "$mac2" $((NEIGH_MAX_MS / 1000 + 2)) || exit 1
((MOVE_NEIGH_MS <= NEIGH_MAX_MS)) ||
	fail "announced move: lh held n1's MAC for $MOVE_NEIGH_MS ms (bound $NEIGH_MAX_MS)"
with="$PING_OUTAGE_MS/$PING_GAP_MS ms, entry moved after $MOVE_NEIGH_MS ms"
expect_proxies n2 "$ADDR eth0" "$ADDR6 eth0"
expect_proxies n1
# IPv6 too: the unsolicited advertisement overrides the stale entry.
wait_for lan_neigh_is -6 lh "$ADDR6" "$mac2"
expect_ping -6 lh "$ADDR6"
(($(vzr_counter announced) >= sent0 + 2)) || fail "announced counted $(vzr_counter announced) (was $sent0)"
monitor_stop
grep -q "^.* neigh $ADDR .*\[neigh eth0\]" /tmp/lan-events ||
	fail "no neigh event for $ADDR on eth0:"$'\n'"$(cat /tmp/lan-events)"
ok "announced move n1 -> n2: n1 let go at once, lh at n2's MAC after $MOVE_NEIGH_MS ms"

# The same move back, announcing nothing.
vzr set neigh_announce 0
sent0=$(vzr_counter announced)
lan_move ct1 "$ADDR" n1 veth103 "$mac2" "$mac1" "$TIMEOUT_MAX_S" || exit 1
without="$PING_OUTAGE_MS/$PING_GAP_MS ms, entry moved after $MOVE_NEIGH_MS ms"
expect_proxies n1 "$ADDR eth0" "$ADDR6 eth0"
expect_proxies n2
(($(vzr_counter announced) == sent0)) || fail "neigh_announce=0 still announced"
ok "move n2 -> n1 without announcement: lh followed after $MOVE_NEIGH_MS ms"

echo "outage (lost x interval / longest gap) with announcement: $with;" \
	"without: $without"
check_kernel_log
pass
