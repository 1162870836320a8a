#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# timeout: 400
#
# Containers on the node's LAN on venet (OpenVZ 7, with tests/venet's
# emulator): the node is the initial namespace, its uplink lan0 is on the
# LAN's switch, and neigh_devs names it by pattern.  Each venet address
# gets a proxy entry on lan0 (none on venet0, the host side), the LAN host
# reaches it at lan0's MAC, and the entry goes with the container and with
# the module.  Topology as tests/lib/lan.sh, with the initial namespace
# as the only node.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh" venet
# shellcheck source=tests/lib/lan.sh
. "$VZR_ROOT/tests/lib/lan.sh"

A=192.0.2.10 A6=2001:db8:1::10

# The initial namespace's settings this test changes, restored on exit.
saved=()
for k in net.ipv4.ip_forward net.ipv6.conf.all.forwarding; do
	saved+=("$k=$(sysctl -n "$k")")
done
# shellcheck disable=SC2064 # expanded now, on purpose
trap "sysctl -q -w ${saved[*]} >/dev/null; venet_cleanup cleanup_all" EXIT

for ns in sw lh; do
	ns_create "$ns"
	ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 >/dev/null
done
modprobe bridge
ip -n sw link add name br0 up type bridge
ip link add name lan0 type veth peer name p-node netns sw
ip link add name eth0 netns lh type veth peer name p-lh netns sw
ip -n sw link set dev p-node master br0 up
ip -n sw link set dev p-lh master br0 up
ip -n lh link set dev eth0 up
ip -n lh addr add "$LAN_HOST/24" dev eth0
ip -n lh addr add "$LAN_HOST6/64" dev eth0 nodad
sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 >/dev/null
sysctl -q -w net.ipv6.conf.lan0.proxy_ndp=1 net.ipv6.conf.lan0.accept_dad=0 >/dev/null
ip link set dev lan0 up
ip addr add 192.0.2.1/24 dev lan0
ip addr add 2001:db8:1::1/64 dev lan0 nodad

venet_load
mod_load allow="$LAN_ALLOW" neigh_devs='lan*'
venet_node venet0
vct_start c1 "$A" "$A6"
expect_routes "[{\"dst\": \"$A\", \"dev\": \"venet0\", \"metric\": 128, \"scope\": \"link\"}]"
expect_proxies init "$A lan0" "$A6 lan0"
expect_uplinks "$A" lan0:proxied
expect_uplinks "$A6" lan0:proxied
ok "venet container's addresses proxied on lan0 (neigh_devs='lan*'), not on venet0"

expect_ping lh "$A"
expect_ping -6 lh "$A6"
mac=$(lan_mac init lan0)
lan_neigh_is lh "$A" "$mac" || fail "lh holds $(lan_neigh_mac lh "$A") for $A, not lan0's $mac"
lan_neigh_is -6 lh "$A6" "$mac" || fail "lh holds $(lan_neigh_mac -6 lh "$A6") for $A6, not lan0's $mac"
ok "the LAN host reaches the venet container (IPv4, IPv6) at lan0's MAC"

# The address leaves the container's venet: its entry goes.
vct_addrs del c1 "$A"
expect_proxies init "$A6 lan0"
vct_addrs add c1 "$A"
expect_proxies init "$A lan0" "$A6 lan0"
ok "an address taken off the venet loses its proxy entry"

# The container stops: everything goes.
ns_destroy c1
expect_proxies init
ok "container stopped: no proxy entry left"

vct_start c2 192.0.2.11
expect_proxies init "192.0.2.11 lan0"
mod_unload
lan_proxies_are init || fail "after unload: [$(lan_proxies init | tr '\n' ';')]"
ok "unload: the entries go with the module"
check_kernel_log
pass
