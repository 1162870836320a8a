#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The table of container devices doubles as they fill it (kmod/track.c,
# kmod/chains.c): past four devices a chain, 1,024 at load's 256 chains.
# A node whose containers have an address each has a device for each
# address. 1,100 container devices, one address each: each address is
# routed through its own host side and in the dump once with it; a
# resync finds every device where the chains moved it; 100 devices
# deleted take their routes with them, and the table does not shrink.
# timeout: 600

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

n=1100
gone=100
# table_bytes at load: the addresses' and the routes' 8,192 chains and
# the devices' 256, a pointer each (8 bytes: the guests are x86_64).
at_load=$(((2 * 8192 + 256) * 8))

# addr I: device I's address in $a (no fork for each: they cost
# seconds emulated).
addr() {
	printf -v a '10.201.%d.%d' $(($1 / 250)) $(($1 % 250 + 1))
}
# want FIRST: "ADDRESS HOSTIF" of devices FIRST to n - 1, sorted.
want() {
	local i a
	for ((i = $1; i < n; i++)); do
		addr "$i"
		printf '%s vd%d\n' "$a" "$i"
	done | sort
}
dumped() {
	vzr show -j | jq -r '.[] | "\(.address) \(.host_ifname) \(.state)"' | sort
}
# changes: the counters that a route's change moves.
changes() {
	vzr stats -j | jq -c '[.routes_added, .routes_removed, .takeovers]'
}
# each FIRST: every address of devices FIRST on routed through its own
# host side (scope link, metric 128, field by field), and in the dump
# once, installed, with that host side.
each() {
	local routes_want dump_want
	routes_want=$(want "$1" | sed 's/$/ link 128/')
	dump_want=$(want "$1" | sed 's/$/ installed/')
	[[ $(vzr_route_lines) == "$routes_want" ]] ||
		fail "the routes are not each address's through its own host side"
	[[ $(dumped) == "$dump_want" ]] ||
		fail "the dump does not hold each address once, installed, with its host side"
}

mod_load allow=10.0.0.0/8 max_per_netns=0
bytes=$(vzr_counter table_bytes)
[[ $bytes == "$at_load" ]] || fail "table_bytes at load: $bytes, expected $at_load"
ns_create gd
# ip keeps each "netns gd" it opens until it ends: 250 a batch, well
# within its files.
for ((i = 0; i < n; i += 250)); do
	for ((j = i; j < n && j < i + 250; j++)); do
		printf 'link add name vd%d up type veth peer name c%d netns gd\n' "$j" "$j"
	done | ip -batch -
done
for ((i = 0; i < n; i++)); do
	addr "$i"
	printf 'link set c%d up\naddr add %s/32 dev c%d\n' "$i" "$a" "$i"
done | ip -n gd -batch -
poll_until 300 vzr_route_count_is "$n" || fail "$(vzr_route_count) routes, expected $n"
each 0
before=$(changes)
[[ $before == "[$n,0,0]" ]] || fail "routes added, removed, taken over: $before, expected [$n,0,0]"
bytes=$(vzr_counter table_bytes)
((bytes == at_load + 256 * 8)) ||
	fail "table_bytes with $n devices: $bytes, expected $((at_load + 256 * 8)) (512 chains of devices)"
# A full run looks every device up where the doubling put it. One not
# found would be tracked again as a new device, the old one forgotten,
# and its address's route taken over by the new one's entry: a resync of
# a table that is right changes no route, nor who holds it.
vzr resync >/dev/null || fail "vzroute resync"
each 0
vzr_counter_is tracked "$n" || fail "$(vzr_counter tracked) tracked after a resync, expected $n"
[[ $(changes) == "$before" ]] ||
	fail "a resync changed routes: added, removed, taken over $before before, $(changes) after"
ok "$n devices: their chains doubled ($bytes bytes), each address routed through its own, the dump whole, a resync finds each"

for ((i = 0; i < gone; i++)); do
	printf 'link del c%d\n' "$i"
done | ip -n gd -batch -
# The kernel takes a device's routes with it; vzroute forgets its
# entries in the run that the device's going kicks.
poll_until 120 vzr_route_count_is $((n - gone)) ||
	fail "$gone devices deleted: $(vzr_route_count) routes left, expected $((n - gone))"
poll_until 120 vzr_counter_is tracked $((n - gone)) ||
	fail "$(vzr_counter tracked) tracked after $gone devices went, expected $((n - gone))"
each "$gone"
[[ $(vzr_counter table_bytes) == "$bytes" ]] || fail "table_bytes went from $bytes to $(vzr_counter table_bytes)"
ok "$gone devices deleted: their routes and entries went, every other in place"

mod_unload
expect_no_routes -t 120
check_kernel_log
pass
