#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A container's root sets its end of the veth pair down and up, again and
# again: the carrier of its host side, a device of the node, goes with
# it. With proxy entries on (neigh_devs), a change of a node's device may
# be a change of its uplinks, which vzroute then reads again, looking at
# every route slot of the node (kmod/neigh.c, check_uplinks()). A host
# side has no connected prefix, so it is no uplink whatever its state:
# its carrier costs no such look. The look calls vzr_pernet() for each
# slot, which a kprobe event counts, while another container's 2,000
# routes make it long. Before 2026-12-06 each flap cost two of them. A
# flag that does matter still counts: the uplink set NOARP is no uplink
# for neigh_devs=detect, and its proxy entry goes, then comes back with
# ARP. The container's own proxy entry goes and comes with its link.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"
# shellcheck source=tests/lib/lan.sh
. "$VZR_ROOT/tests/lib/lan.sh"
# shellcheck disable=SC2317 # the EXIT trap
cleanup() {
	local rc=$?
	ip link del up0 2>/dev/null || true
	_vzr_rc "$rc"
	cleanup_all
}
trap cleanup EXIT

N=2000		# the other container's routes
FLAPS=20
A=192.0.2.10	# the container's address, on the uplink's prefix
ct_create c0 vh0
batch=
for ((i = 0; i < N; i++)); do
	batch+="address add 10.2.$((i / 250)).$((i % 250 + 1))/32 dev eth0"$'\n'
done
ip -n c0 -batch - <<<"$batch"
# The uplink: a veth (a dummy is NOARP), its peer left alone.
ip link add up0 up type veth peer name up0p
ip link set up0p up
ip addr add 192.0.2.1/24 dev up0
uct_create vhu
as_uct ip addr add "$A/32" dev eth0
mod_load allow=10.2.0.0/16,192.0.2.0/24 max_per_netns=0 neigh_devs=detect
wait_for vzr_route_count_is $((N + 1))
[[ $(ip -j route show "$A" proto "$VZR_PROTO" | jq -r '.[0].dev') == vhu ]] ||
	fail "$A is not routed through vhu: $(ip route show "$A")"
expect_proxies init "$A up0"
ok "$((N + 1)) routes, $A proxied on up0 only"

# its_route ROUTES: the container's address has ROUTES routes of ours.
its_route() { [[ $(ip route show "$A" proto "$VZR_PROTO" | wc -l) == "$1" ]]; }
kprobe_count pernet vzr_pernet
h0=$(kprobe_hits pernet)
for ((f = 0; f < FLAPS; f++)); do
	as_uct ip link set eth0 down
	wait_for its_route 0
	as_uct ip link set eth0 up
	wait_for its_route 1
done
hits=$(($(kprobe_hits pernet) - h0))
# Less than one look at the node's slots for all the flaps; before, two
# each.
((hits < N)) ||
	fail "$hits calls of vzr_pernet() for $FLAPS link flaps: the node's $((N + 1)) slots were looked at"
ok "$FLAPS link flaps: $hits calls of vzr_pernet(), fewer than the node's $((N + 1)) slots"
expect_proxies init "$A up0"
kprobes_off

# NOARP is a flag change (NETDEV_CHANGE, as a carrier's): up0 stops being
# an uplink, and is one again.
ip link set up0 arp off
expect_proxies init
ip link set up0 arp on
expect_proxies init "$A up0"
ok "up0 set NOARP: no uplink, $A's entry gone; ARP again: back"

mod_unload
expect_no_routes
expect_proxies init
check_kernel_log
pass
