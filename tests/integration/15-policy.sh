#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The allow list, the per-namespace cap and host-local addresses.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

# state_is ADDR STATE: ADDR, tracked once, is in STATE.
state_is() {
	[[ $(vzr show -j | jq -r --arg a "$1" '[.[] | select(.address == $a) | .state] | join(" ")') == "$2" ]]
}

ct_create c1 vh1
ct_create c2 vh2
ct_addr c1 10.1.0.1/32
ct_addr c1 192.0.2.1/32

# Empty allow list (the default): nothing routed, and the log says why.
mod_load
expect_stable_routes -t 2 '[]'
dmesg_grep "allow= is empty" || fail "no log line about the empty allow list"
mod_unload
ok "empty allow list routes nothing and says so"

mod_load allow=10.1.0.0/16,2001:db8:1::/48 max_per_netns=3
expect_routes '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 128, "scope": "link"}]'
wait_for dmesg_grep "192.0.2.1 on eth0 (host side vh1): denied"
ok "outside the allow list: denied and logged"
ct_addr6_nodad c1 2001:db8:1::1/64
ct_addr6_nodad c1 2001:db8:2::1/64
expect_routes -6 '[{"dst": "2001:db8:1::1", "dev": "vh1", "metric": 128}]'
ok "IPv6 allow list"

# Cap of 3 per container namespace; another container has its own.
ct_addr c1 10.1.0.2/32
ct_addr c1 10.1.0.3/32
ct_addr c2 10.1.1.1/32
expect_routes '[
	{"dst": "10.1.0.1", "dev": "vh1", "metric": 128, "scope": "link"},
	{"dst": "10.1.0.2", "dev": "vh1", "metric": 128, "scope": "link"},
	{"dst": "10.1.1.1", "dev": "vh2", "metric": 128, "scope": "link"}
]'
wait_for dmesg_grep "10.1.0.3 on eth0 (host side vh1): over max_per_netns"
ok "fourth route of a namespace refused, the others unaffected"
ip -n c1 addr del 10.1.0.1/32 dev eth0
expect_routes '[
	{"dst": "10.1.0.2", "dev": "vh1", "metric": 128, "scope": "link"},
	{"dst": "10.1.0.3", "dev": "vh1", "metric": 128, "scope": "link"},
	{"dst": "10.1.1.1", "dev": "vh2", "metric": 128, "scope": "link"}
]'
ok "room under the cap: the refused address gets its route"

# An address of the host namespace is never routed into a container.
ip addr add 10.1.5.5/32 dev lo
ct_addr c2 10.1.5.5/32
expect_stable_routes -t 2 '[
	{"dst": "10.1.0.2", "dev": "vh1", "metric": 128, "scope": "link"},
	{"dst": "10.1.0.3", "dev": "vh1", "metric": 128, "scope": "link"},
	{"dst": "10.1.1.1", "dev": "vh2", "metric": 128, "scope": "link"}
]'
# ... and one the host takes later loses its route.
ip addr add 10.1.1.1/32 dev lo
expect_routes '[
	{"dst": "10.1.0.2", "dev": "vh1", "metric": 128, "scope": "link"},
	{"dst": "10.1.0.3", "dev": "vh1", "metric": 128, "scope": "link"}
]'
ip addr del 10.1.1.1/32 dev lo
expect_routes '[
	{"dst": "10.1.0.2", "dev": "vh1", "metric": 128, "scope": "link"},
	{"dst": "10.1.0.3", "dev": "vh1", "metric": 128, "scope": "link"},
	{"dst": "10.1.1.1", "dev": "vh2", "metric": 128, "scope": "link"}
]'
ok "host-local addresses refused, and released when the host drops them"

# An IPv6 address the host takes is tentative when its notifier runs,
# and no notifier tells of the end of its DAD: it counts as the host's
# from the start. A dummy device is NOARP, which skips DAD: hl0 is not, and its
# DAD takes 3 s, so that the address is still tentative when looked at.
modprobe dummy
ip link add hl0 type dummy
ip link set hl0 arp on
sysctl -qw net.ipv6.conf.hl0.accept_dad=1 net.ipv6.conf.hl0.dad_transmits=1 \
	net.ipv6.neigh.hl0.retrans_time_ms=3000
ip link set hl0 up
ip -6 addr add 2001:db8:1::1/128 dev hl0
[[ -n $(ip -6 addr show dev hl0 to 2001:db8:1::1/128 tentative) ]] ||
	fail "2001:db8:1::1 on hl0 was not tentative: the test misses its case"
expect_no_routes -6
wait_for state_is 2001:db8:1::1 host-local
# DAD over: nothing changes.
# shellcheck disable=SC2317 # called through wait_for
dad_over() {
	[[ -z $(ip -6 addr show dev hl0 to 2001:db8:1::1/128 tentative) ]]
}
wait_for dad_over
expect_stable_routes -6 -t 2 '[]'
ip -6 addr del 2001:db8:1::1/128 dev hl0
expect_routes -6 '[{"dst": "2001:db8:1::1", "dev": "vh1", "metric": 128}]'
ip link del hl0
ok "an IPv6 address the host takes, still tentative, loses its route"

# c2 at its cap with an older address refused: 10.1.6.6, local to the
# host when 10.1.1.2 and 10.1.1.3 got their routes, then not. The routes
# stay with the addresses that have them (first come, first kept).
ip addr add 10.1.6.6/32 dev lo
ct_addr c2 10.1.6.6/32
wait_for state_is 10.1.6.6 host-local
ct_addr c2 10.1.1.2/32
ct_addr c2 10.1.1.3/32
ip addr del 10.1.6.6/32 dev lo
wait_for dmesg_grep "10.1.6.6 on eth0 (host side vh2): over max_per_netns"
c2=(10.1.1.1@vh2 10.1.1.2@vh2 10.1.1.3@vh2)
expect_routes "$(vzr_link_routes 10.1.0.2@vh1 10.1.0.3@vh1 "${c2[@]}")"
# A resync looks at every device, and its run is over when it returns: it
# decides again only what changed, and moves no route.
a0=$(vzr_counter routes_added)
r0=$(vzr_counter routes_removed)
vzr resync >/dev/null
expect_routes "$(vzr_link_routes 10.1.0.2@vh1 10.1.0.3@vh1 "${c2[@]}")"
a=$(vzr_counter routes_added)
r=$(vzr_counter routes_removed)
((a == a0 && r == r0)) ||
	fail "resync: $((a - a0)) routes added, $((r - r0)) removed"
# c1 at its cap too, with 10.1.0.4 refused; it lets 10.1.0.2 go, and
# 10.1.0.4 gets in. Its grants start over, c2's do not: with every
# namespace's counted again, in first-come order, 10.1.6.6 would take
# 10.1.1.3's route. One route goes and one comes, no other.
ct_addr c1 10.1.0.4/32
wait_for dmesg_grep "10.1.0.4 on eth0 (host side vh1): over max_per_netns"
a0=$(vzr_counter routes_added)
r0=$(vzr_counter routes_removed)
ip -n c1 addr del 10.1.0.2/32 dev eth0
expect_routes "$(vzr_link_routes 10.1.0.3@vh1 10.1.0.4@vh1 "${c2[@]}")"
a=$(vzr_counter routes_added)
r=$(vzr_counter routes_removed)
((a - a0 == 1 && r - r0 == 1)) ||
	fail "c1's room at its cap: $((a - a0)) routes added, $((r - r0)) removed, not 1 and 1"
# Room in c2: its own oldest refused address gets in.
ip -n c2 addr del 10.1.1.1/32 dev eth0
expect_routes "$(vzr_link_routes 10.1.0.3@vh1 10.1.0.4@vh1 10.1.1.2@vh2 10.1.1.3@vh2 10.1.6.6@vh2)"
ok "a namespace's room at its cap goes to its oldest refused address; other namespaces keep their routes"

mod_unload
expect_no_routes
expect_no_routes -6
check_kernel_log
pass
