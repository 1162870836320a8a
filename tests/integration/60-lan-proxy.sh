#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# timeout: 400
#
# Containers on the node's own LAN (issue 16), no routing daemon: with
# neigh_devs=detect, each routed address gets a proxy ARP/NDP entry on its
# node's uplink, and the LAN host reaches it through that node.  Off by
# default; an entry vzroute did not make survives and is reported; unload
# removes exactly vzroute's entries, keep_routes=1 keeps them and a reload
# adopts them.  Topology: tests/lib/lan.sh.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"
# shellcheck source=tests/lib/lan.sh
. "$VZR_ROOT/tests/lib/lan.sh"

A1=192.0.2.10 A1V6=2001:db8:1::10	# ct1 on n1
A2=192.0.2.11 A2V6=2001:db8:1::11	# ct2 on n2
OTHER=192.0.2.200			# no container: an admin's entry

lan_up
mod_load allow="$LAN_ALLOW" host_ifnames='veth*'
topo_ct ct1 n1 veth101 "$A1" "$A1V6"
expect_routes -n n1 "[{\"dst\": \"$A1\", \"dev\": \"veth101\", \"metric\": 128, \"scope\": \"link\"}]"
expect_routes -6 -n n1 "[{\"dst\": \"$A1V6\", \"dev\": \"veth101\", \"metric\": 128}]"

# Off by default: routes, and nothing on the uplinks.
[[ $(cat /sys/module/vzroute/parameters/neigh_devs) == "" ]] ||
	fail "neigh_devs is not empty by default"
expect_stable_proxies 1 n1	# a quiet second: nothing may come
[[ -z $(lan_uplinks "$A1") ]] || fail "vzroute shows uplinks with neigh_devs unset"
ok "off by default: routes only, no proxy entry"

# A bad value changes nothing and says why.
if out=$(vzr set neigh_devs 'eth 0' 2>&1); then
	fail "neigh_devs 'eth 0' accepted"
fi
[[ $out == *"no spaces"* ]] || fail "no reason given for refusing 'eth 0': $out"
if vzr set neigh_announce 11 2>/dev/null; then
	fail "neigh_announce 11 accepted"
fi
[[ $(cat /sys/module/vzroute/parameters/neigh_devs) == "" ]] ||
	fail "a refused set changed neigh_devs"

# An admin's entries on n2 before anything of vzroute's: one for ct2's
# address, one for an address no container has.
ip -n n2 neigh add proxy "$A2" dev eth0
ip -n n1 neigh add proxy "$OTHER" dev eth0

# On at run time.
vzr set neigh_devs detect
[[ $(cat /sys/module/vzroute/parameters/neigh_devs) == detect ]] ||
	fail "sysfs does not show neigh_devs=detect"
expect_proxies n1 "$A1 eth0" "$A1V6 eth0" "$OTHER eth0"
expect_uplinks "$A1" eth0:proxied
expect_uplinks "$A1V6" eth0:proxied
ok "neigh_devs=detect: n1 proxies ct1's addresses on its uplink"

# Reachable from the LAN, through n1's MAC.
expect_ping lh "$A1"
expect_ping -6 lh "$A1V6"
mac1=$(lan_mac n1)
lan_neigh_is lh "$A1" "$mac1" || fail "lh holds $(lan_neigh_mac lh "$A1") for $A1, not n1's $mac1"
lan_neigh_is -6 lh "$A1V6" "$mac1" || fail "lh holds $(lan_neigh_mac -6 lh "$A1V6") for $A1V6, not n1's $mac1"
ok "the LAN host reaches ct1 (IPv4, IPv6) at n1's MAC"

# The admin's entry for ct2's address: left alone, reported.
conflicts0=$(vzr_counter neigh_conflicts)
topo_ct ct2 n2 veth201 "$A2" "$A2V6"
expect_routes -n n2 "[{\"dst\": \"$A2\", \"dev\": \"veth201\", \"metric\": 128, \"scope\": \"link\"}]"
expect_uplinks "$A2" eth0:foreign
expect_uplinks "$A2V6" eth0:proxied
expect_proxies n2 "$A2 eth0" "$A2V6 eth0"
(($(vzr_counter neigh_conflicts) > conflicts0)) || fail "the foreign entry was not counted"
proto=$(ip -n n2 -j neigh show proxy "$A2" | "${_VZR_JQ[@]}" -r '.[0].protocol // "none"')
[[ $proto == none ]] || fail "vzroute took over the admin's entry (protocol $proto)"
expect_ping lh "$A2"
ok "an admin's proxy entry survives, shown as foreign"

# Once the admin's entry goes, vzroute's takes its place.
ip -n n2 neigh del proxy "$A2" dev eth0
expect_uplinks "$A2" eth0:proxied
expect_proxies n2 "$A2 eth0" "$A2V6 eth0"
ok "the admin's entry deleted: vzroute proxies $A2 itself"

# IPv6 without proxy_ndp: the entry is there, the state says what is missing.
ip netns exec n1 sysctl -q -w net.ipv6.conf.eth0.proxy_ndp=0
expect_uplinks "$A1V6" eth0:no-proxy-ndp
ip netns exec n1 sysctl -q -w net.ipv6.conf.eth0.proxy_ndp=1
expect_uplinks "$A1V6" eth0:proxied
ok "proxy_ndp=0 on the uplink is shown as no-proxy-ndp"

# The address goes: its entry goes.
ip -n ct1 addr del "$A1/32" dev eth0
expect_proxies n1 "$A1V6 eth0" "$OTHER eth0"
ip -n ct1 addr add "$A1/32" dev eth0
expect_proxies n1 "$A1 eth0" "$A1V6 eth0" "$OTHER eth0"
ok "an address deleted loses its proxy entry, and gets it back when re-added"

# keep_routes=1: the unload leaves the entries; a reload adopts them.
vzr set keep_routes 1
mod_unload
lan_proxies_are n1 "$A1 eth0" "$A1V6 eth0" "$OTHER eth0" || fail "keep_routes=1: n1's entries did not stay"
lan_proxies_are n2 "$A2 eth0" "$A2V6 eth0" || fail "keep_routes=1: n2's entries did not stay"
mod_load allow="$LAN_ALLOW" host_ifnames='veth*' neigh_devs=detect
expect_uplinks "$A1" eth0:proxied
expect_uplinks "$A2V6" eth0:proxied
# shellcheck disable=SC2317 # called through wait_for
adopted_all() {
	(($(vzr_counter adopted) == 4))
}
wait_for adopted_all
(($(vzr_counter neigh_added) == 0)) || fail "the reload added $(vzr_counter neigh_added) proxy entries instead of adopting them"
lan_proxies_are n1 "$A1 eth0" "$A1V6 eth0" "$OTHER eth0" || fail "n1's entries changed on reload"
ok "keep_routes=1: entries kept over the unload, adopted by the reload"

# A config change turns them off, and on again.
vzr set neigh_devs ''
expect_proxies n1 "$OTHER eth0"
expect_proxies n2
vzr set neigh_devs 'eth*'
expect_proxies n1 "$A1 eth0" "$A1V6 eth0" "$OTHER eth0"
expect_proxies n2 "$A2 eth0" "$A2V6 eth0"
ok "neigh_devs '' removes vzroute's entries, a pattern brings them back"

# The unload removes vzroute's entries, and only them.
mod_unload
lan_proxies_are n1 "$OTHER eth0" || fail "after unload n1 has [$(lan_proxies n1 | tr '\n' ';')]"
lan_proxies_are n2 || fail "after unload n2 has [$(lan_proxies n2 | tr '\n' ';')]"
ok "unload: vzroute's entries gone, the admin's left"
check_kernel_log
pass
