# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The reachability scenario of the end-to-end tests, played against
# whatever the node runs and whatever the container is: 50-frr-reach (FRR,
# veth), 54-bird (BIRD, veth), 33-venet-frr (FRR, venet), and over BGP
# 55-bgp-frr-reach and 57-bgp-bird-reach.  Sourced by
# those tests after tests/lib/test.sh (with frr or bird: tests/lib/topo.sh).

REACH_A4=198.51.100.10
REACH_A6=2001:db8:100::10

# reach_veth NODE HOSTIF: a container ct1 behind NODE (topo_ct, host end
# HOSTIF) with $REACH_A4 and $REACH_A6, then reach_scenario.
reach_veth() {
	local node=$1 hostif=$2
	topo_ct ct1 "$node" "$hostif" "$REACH_A4" "$REACH_A6" || return
	reach_scenario "$node" "$hostif" ct1 eth0
}

# reach_scenario NODE DEV CT CTDEV [ROGUE]: container CT has just got
# $REACH_A4 and $REACH_A6 on CTDEV, whose host side is DEV on NODE.
#   - vzroute routes both on NODE, through DEV;
#   - the router learns the /32 and the /128 over OSPF and OSPFv3 (or BGP:
#     TOPO_PROTO, topo_up -g) through
#     NODE's link, and pings the container at both;
#   - nothing else is announced: not ROGUE (an address of CT that must
#     not be routed), not NODE's other kernel routes (its default routes),
#     no vzroute route for the uplink pairs;
#   - deleting the addresses withdraws them from the router and from NODE.
reach_scenario() {
	local node=$1 dev=$2 ct=$3 ctdev=$4 rogue=${5-} t0 a4=$REACH_A4 a6=$REACH_A6
	t0=$(_vzr_now_us)
	expect_routes -n "$node" "[{\"dst\": \"$a4\", \"dev\": \"$dev\", \"metric\": 128, \"scope\": \"link\"}]" || return
	expect_routes -6 -n "$node" "[{\"dst\": \"$a6\", \"dev\": \"$dev\", \"metric\": 128}]" || return
	ok "vzroute routed the container's addresses on $node through $dev"
	expect_route rtr "$a4/32" "$TOPO_PROTO r-$node" || return
	expect_route -6 rtr "$a6/128" "$TOPO_PROTO r-$node" || return
	ok "rtr learned $a4/32 and $a6/128 from $node (${_TOPO_KIND[$node]}) over $(if [[ $TOPO_PROTO == bgp ]]; then echo "eBGP (IPv4 and IPv6 sessions)"; else echo "OSPF and OSPFv3"; fi) ($(topo_ms_since "$t0") ms from the container's addresses, adjacencies included)"
	expect_ping rtr "$a4" || return
	expect_ping -6 rtr "$a6" || return
	ok "rtr pings the container over IPv4 and IPv6"

	# The node's default routes are kernel routes too (proto boot), and
	# the uplink pairs are veths with their peer in another namespace: the
	# example's route-map and host_ifnames keep them out.
	if [[ -n $rogue ]]; then
		expect_route rtr "$rogue/32" none || return
	fi
	expect_route rtr 0.0.0.0/0 none || return
	expect_route -6 rtr ::/0 none || return
	expect_no_routes -n rtr || return
	expect_no_routes -6 -n rtr || return
	ok "nothing else announced:${rogue:+ not $rogue,} no default route on rtr, no vzroute route for the uplinks"

	ip -n "$ct" -batch - <<-EOF
		addr del $a4/32 dev $ctdev
		addr del $a6/128 dev $ctdev
	EOF
	t0=$(_vzr_now_us)
	expect_route rtr "$a4/32" none || return
	expect_route -6 rtr "$a6/128" none || return
	expect_no_routes -n "$node" || return
	expect_no_routes -6 -n "$node" || return
	ok "deleting the addresses withdrew them from rtr ($(topo_ms_since "$t0") ms)"
}
