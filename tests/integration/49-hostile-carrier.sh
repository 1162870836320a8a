#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A container's root sets its ends of veth pairs down and up, again and
# again, and the carriers of devices of the node go with them: its routed
# device's host side, and the node's bridge br0, whose only running port
# is its bridged device's host side. br0 is the node's uplink too, holding
# the LAN's prefix, with proxy entries on (neigh_devs=detect). A carrier
# is nothing vzroute reads of a device, so none of this costs vzroute a
# look at the node: before 2026-12-06, each change of a node device's
# carrier made it read the uplinks again and look at every route slot of
# the node (kmod/neigh.c, check_uplinks()), and a change of br0's, a device
# that may stand for every device, made it look at every device of every
# namespace too (kmod/scan.c, scan_all()). Kprobe events count both:
# scan_all() itself, and vzr_pernet(), which the look at the slots calls
# for each, while another container's 2,000 routes make it long. A flag
# does count: br0 set NOARP is no uplink for detect, and the container's
# proxy entry goes, then comes back with ARP. The container's routed
# address keeps its route and proxy entry in step with its link.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"
# shellcheck source=tests/lib/lan.sh
. "$VZR_ROOT/tests/lib/lan.sh"
# shellcheck disable=SC2317 # the EXIT trap
cleanup() {
	local rc=$?
	ip link del vhb 2>/dev/null || true
	ip link del br0 2>/dev/null || true
	_vzr_rc "$rc"
	cleanup_all
}
trap cleanup EXIT

N=2000		# the other container's routes
FLAPS=10
A=192.0.2.10	# the container's address, on the uplink's prefix
modprobe bridge
ct_with_addrs c0 vh0 "$N"
uct_create vhu
as_uct ip addr add "$A/32" dev eth0
# Its bridged device: eth1, whose host side vhb is br0's only port.
ip link add br0 up type bridge stp_state 0 forward_delay 0
ip addr add 192.0.2.1/24 dev br0
ip link add vhb type veth peer name eth1 netns "/proc/$UCT/ns/net"
ip link set vhb master br0 up
as_uct ip link set eth1 up
wait_for oper_up "" br0
mod_load allow=10.2.0.0/16,192.0.2.0/24 max_per_netns=0 neigh_devs=detect
wait_for vzr_route_count_is $((N + 1))
[[ $(ip -j route show "$A" proto "$VZR_PROTO" | jq -r '.[0].dev') == vhu ]] ||
	fail "$A is not routed through vhu: $(ip route show "$A")"
expect_proxies init "$A br0"
ok "$((N + 1)) routes, $A proxied on br0 only"

# its_route COUNT: the container's address has COUNT routes of ours.
its_route() { [[ $(ip route show "$A" proto "$VZR_PROTO" | wc -l) == "$1" ]]; }
kprobe_count pernet vzr_pernet
kprobe_count full scan_all
p0=$(kprobe_hits pernet)
f0=$(kprobe_hits full)
for ((f = 0; f < FLAPS; f++)); do
	as_uct ip link set eth1 down
	as_uct ip link set eth0 down
	wait_for its_route 0
	wait_for oper_not_up "" br0
	as_uct ip link set eth1 up
	as_uct ip link set eth0 up
	wait_for its_route 1
	wait_for oper_up "" br0
done
pernet=$(($(kprobe_hits pernet) - p0))
full=$(($(kprobe_hits full) - f0))
((full == 0)) ||
	fail "$full looks at every device for $FLAPS flaps of br0's carrier"
# Less than one look at the node's slots for all the flaps.
((pernet < N)) ||
	fail "$pernet calls of vzr_pernet() for $FLAPS link flaps: the node's $((N + 1)) slots were looked at"
ok "$FLAPS flaps of vhu's and br0's carriers: no look at every device, $pernet calls of vzr_pernet() (fewer than the $((N + 1)) slots)"
expect_proxies init "$A br0"
kprobes_off

# NOARP is a flag: br0 stops being an uplink, and is one again.
ip link set br0 arp off
expect_proxies init
ip link set br0 arp on
expect_proxies init "$A br0"
ok "br0 set NOARP: no uplink, $A's entry gone; ARP again: back"

mod_unload
expect_no_routes
expect_proxies init
check_kernel_log
pass
