#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The table's hash chains double as the node's addresses fill them
# (kmod/chains.c): past four addresses a chain, 32,768 at load's 8,192
# chains, every address is still found where the chains moved it: each
# routed, in the dump once, its removal and its return seen.
# timeout: 900

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

nns=9
per=4000	# within max_tracked_per_netns (4096)
n=$((nns * per))
# What the module's tables take at load: 8,192 chains of a pointer for
# the addresses and for the routes (8 bytes: the guests are x86_64), and
# 256 for the container devices, which are 9 here.
tables=$((2 * 8192 * 8))
at_load=$((tables + 256 * 8))

# addrs C FORMAT: container C's addresses, each through printf's FORMAT
# (its one %s); without a fork for each, which costs minutes emulated.
addrs() {
	local i
	for ((i = 0; i < per; i++)); do
		printf "$2" "10.$((100 + $1)).$((i / 250)).$((i % 250 + 1))"
	done
}
# batch C OP: OP (add or del) of container C's addresses, for ip -batch.
batch() {
	addrs "$1" "addr $2 %s/32 dev eth0\n"
}
# want [SKIP]: every container's routes ("DST DEV"), but SKIP's, sorted.
want() {
	local c
	for ((c = 0; c < nns; c++)); do
		[[ $c != "${1:-}" ]] || continue
		addrs "$c" "%s vg$c\n"
	done | sort
}
# Every route, and every route but g0's, each scope link, metric 128.
all=$(want | sed 's/$/ link 128/')
but_g0=$(want 0 | sed 's/$/ link 128/')
# routed ROUTES: the table holds ROUTES and no other (field by field).
routed() {
	[[ $(vzr_route_lines) == "$1" ]]
}
installed() {
	[[ $(vzr show -j | jq 'map(select(.state == "installed")) | length') == "$1" ]]
}
# whole: the dump has every address once.
whole() {
	local got
	got=$(vzr show -j | jq -r '"\(length) \([.[].address] | unique | length)"')
	[[ $got == "$n $n" ]] || fail "the dump: $got entries and distinct addresses, expected $n"
}

mod_load allow=10.0.0.0/8 max_per_netns=0
bytes=$(vzr_counter table_bytes)
[[ $bytes == "$at_load" ]] || fail "table_bytes at load: $bytes, expected $at_load"
for ((c = 0; c < nns; c++)); do
	ct_create "g$c" "vg$c"
	batch "$c" add | ip -n "g$c" -batch -
done
poll_until 600 vzr_route_count_is "$n" || fail "$(vzr_route_count) routes, expected $n"
routed "$all" || fail "the routes are not every address's, scope link, metric 128"
poll_until 60 installed "$n" || fail "not $n installed"
bytes=$(vzr_counter table_bytes)
# Both tables (addresses, routes) hold 36,000: 16,384 chains each.
((bytes == 2 * tables + 256 * 8)) ||
	fail "table_bytes at $n addresses: $bytes, expected $((2 * tables + 256 * 8))"
whole
# A full run looks every address up in the chains it moved to (the scan),
# and every route's slot (the audit, which deletes a route of ours it
# finds no slot for): one not found would be tracked twice, or its route
# deleted.
vzr resync >/dev/null || fail "vzroute resync"
routed "$all" || fail "after a resync, the routes are not every address's"
whole
[[ $(vzr_counter tracked) == "$n" ]] || fail "$(vzr_counter tracked) tracked after a resync, expected $n"
ok "$n addresses: the chains doubled ($bytes bytes), every route in place, the dump whole, a resync finds each"

# Removed, then back: found where the chains moved them, and the chains
# stay as large (they never shrink before unload).
batch 0 del | ip -n g0 -batch -
poll_until 120 vzr_route_count_is $((n - per)) || fail "g0's $per addresses removed: $(vzr_route_count) routes left"
routed "$but_g0" || fail "g0's addresses removed: not every other route in place"
installed $((n - per)) || fail "not $((n - per)) installed after g0's removals"
[[ $(vzr_counter table_bytes) == "$bytes" ]] || fail "table_bytes went from $bytes to $(vzr_counter table_bytes)"
batch 0 add | ip -n g0 -batch -
poll_until 120 vzr_route_count_is "$n" || fail "g0's addresses back: $(vzr_route_count) routes"
routed "$all" || fail "g0's addresses back: not every route in place"
poll_until 60 installed "$n" || fail "not $n installed after g0's addresses came back"
ok "a container's $per addresses removed and added again: their routes went and came back"

mod_unload
expect_no_routes -t 120
check_kernel_log
pass
