#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Never touch what is not ours: a foreign route for the same prefix, table
# and metric wins; ours appears once it is gone. Two containers with the
# same address: the first holds the route, the second is standby and takes
# over at once when the first lets go; with more standbys, the oldest.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

ct_create c1 vh1
ct_create c2 vh2
ct_create c3 vh3
ip route add 10.1.0.1/32 dev vh3 metric 128 proto static
mod_load allow=10.0.0.0/8
ct_addr c1 10.1.0.1/32
expect_stable_routes -t 2 '[]'
[[ $(ip -j route show 10.1.0.1/32 | jq -r '.[0].protocol') == static ]] ||
	fail "the foreign route was changed"
ok "foreign route left alone, no route of ours"

ip route del 10.1.0.1/32 dev vh3 metric 128 proto static
# Conflicts are retried every 2 s; allow for emulation.
expect_routes -t 6 '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 128, "scope": "link"}]'
ok "foreign route gone: ours installed"

# Duplicate address: c1 holds it, c2 waits.
ct_addr c2 10.1.0.1/32
expect_stable_routes -t 2 '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 128, "scope": "link"}]'
ok "second container with the same address: standby"
ip -n c1 addr del 10.1.0.1/32 dev eth0
expect_routes '[{"dst": "10.1.0.1", "dev": "vh2", "metric": 128, "scope": "link"}]'
ok "first lets go: standby takes over"
ct_addr c1 10.1.0.1/32
expect_stable_routes -t 2 '[{"dst": "10.1.0.1", "dev": "vh2", "metric": 128, "scope": "link"}]'
ok "first comes back: it is standby now"
# The holder's namespace goes, and its host side with it: the kernel drops
# the route itself, without a word to rtnetlink (a flush). The standby
# takes over all the same, counted and told as a takeover.
monitor_start /tmp/14-events.json -- -j
# shellcheck disable=SC2317 # called through wait_for
told() {
	jq -e -s --arg a "$1" --arg d "$2" \
		'any(.event == "takeover" and .address == $a and .host_ifname == $d)' \
		/tmp/14-events.json >/dev/null
}
# expect_takeover ADDR DEV BEFORE: the monitor told ADDR's takeover through
# DEV, and takeovers is one more than BEFORE.
expect_takeover() {
	wait_for told "$1" "$2"
	(($(vzr_counter takeovers) == $3 + 1)) ||
		fail "takeovers: $(vzr_counter takeovers), expected $(($3 + 1))"
}
t0=$(vzr_counter takeovers)
ip netns del c2
expect_routes '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 128, "scope": "link"}]'
expect_takeover 10.1.0.1 vh1 "$t0"
ok "holder's namespace destroyed: standby takes over, a takeover"

# A takeover whose new route the kernel refuses (IPv6 disabled on the
# standby's host side: EACCES): the old holder's route goes all the same,
# since it leads to a container that no longer has the address; the new
# holder shows "failed", and gets its route once IPv6 is back there.
vzr allow add 2001:db8::/32
ct_create c4 vh4
ct_create c5 vh5
ct_addr6_nodad c4 2001:db8::14/64
expect_routes -6 '[{"dst": "2001:db8::14", "dev": "vh4", "metric": 128}]'
sysctl -qw net.ipv6.conf.vh5.disable_ipv6=1
ct_addr6_nodad c5 2001:db8::14/64
expect_states - <<EOF
2001:db8::14 $(ns_veid c4) installed
2001:db8::14 $(ns_veid c5) standby
10.1.0.1 $(ns_veid c1) installed
EOF
ip -n c4 addr del 2001:db8::14/64 dev eth0
expect_no_routes -6
# shellcheck disable=SC2317 # called through wait_for
refused() {
	[[ $(vzr_addr_state 2001:db8::14) == "failed 13" ]]
}
wait_for refused
ok "takeover refused by the kernel (EACCES): the old holder's route withdrawn, the new one failed"
sysctl -qw net.ipv6.conf.vh5.disable_ipv6=0
expect_routes -t 6 -6 '[{"dst": "2001:db8::14", "dev": "vh5", "metric": 128}]'
ok "IPv6 back on the new holder's host side: routed there"
ip netns del c5
expect_no_routes -6

# A new key (metric) that a foreign route holds: ours under the old key
# goes as well, since the settings no longer justify it, and the address
# shows the conflict; once the foreign route goes, ours comes back under
# the new key.
ip route add blackhole 10.1.0.1/32 proto static metric 129
vzr set metric 129
expect_routes '[]'
# shellcheck disable=SC2317 # called through wait_for
in_conflict() {
	[[ $(vzr show -j | jq -r '.[] | select(.address == "10.1.0.1") | .state') == conflict ]]
}
wait_for in_conflict
[[ $(ip -j route show 10.1.0.1/32 | jq -r '.[0].protocol') == static ]] ||
	fail "the foreign route was changed"
ok "new key held by a foreign route: no route of ours under either key, conflict"
ip route del blackhole 10.1.0.1/32 proto static metric 129
expect_routes -t 6 '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 129, "scope": "link"}]'
ok "foreign route gone: ours under the new key"

# Two standbys for each of two addresses, each address's oldest neither
# first by container nor by host side (vh6 after vh3); both holders let
# go together: each address goes to its oldest standby.
ct_create c6 vh6
ct_addr c6 10.1.0.1/32
expect_states - <<EOF
10.1.0.1 $(ns_veid c1) installed
10.1.0.1 $(ns_veid c6) standby
EOF
ct_addr c3 10.1.0.1/32
ct_addr c6 10.1.0.2/32
expect_routes '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 129, "scope": "link"},
	{"dst": "10.1.0.2", "dev": "vh6", "metric": 129, "scope": "link"}]'
ct_addr c1 10.1.0.2/32
expect_states - <<EOF
10.1.0.1 $(ns_veid c1) installed
10.1.0.1 $(ns_veid c3) standby
10.1.0.1 $(ns_veid c6) standby
10.1.0.2 $(ns_veid c1) standby
10.1.0.2 $(ns_veid c6) installed
EOF
ct_addr c3 10.1.0.2/32
expect_states - <<EOF
10.1.0.1 $(ns_veid c1) installed
10.1.0.1 $(ns_veid c3) standby
10.1.0.1 $(ns_veid c6) standby
10.1.0.2 $(ns_veid c1) standby
10.1.0.2 $(ns_veid c3) standby
10.1.0.2 $(ns_veid c6) installed
EOF
ip -n c1 addr del 10.1.0.1/32 dev eth0 && ip -n c6 addr del 10.1.0.2/32 dev eth0
expect_routes '[{"dst": "10.1.0.1", "dev": "vh6", "metric": 129, "scope": "link"},
	{"dst": "10.1.0.2", "dev": "vh1", "metric": 129, "scope": "link"}]'
expect_states - <<EOF
10.1.0.1 $(ns_veid c3) standby
10.1.0.1 $(ns_veid c6) installed
10.1.0.2 $(ns_veid c1) installed
10.1.0.2 $(ns_veid c3) standby
EOF
ok "holders gone together: each address to its oldest standby"

# The holder's host side goes down: the kernel flushes the route, and the
# standby takes over, a takeover as above; once it is up again, the old
# holder stands by.
ct_create c7 vh7
ct_create c8 vh8
ct_addr c7 10.1.0.7/32
expect_routes '[{"dst": "10.1.0.1", "dev": "vh6", "metric": 129, "scope": "link"},
	{"dst": "10.1.0.2", "dev": "vh1", "metric": 129, "scope": "link"},
	{"dst": "10.1.0.7", "dev": "vh7", "metric": 129, "scope": "link"}]'
ct_addr c8 10.1.0.7/32
expect_states - <<EOF
10.1.0.1 $(ns_veid c3) standby
10.1.0.1 $(ns_veid c6) installed
10.1.0.2 $(ns_veid c1) installed
10.1.0.2 $(ns_veid c3) standby
10.1.0.7 $(ns_veid c7) installed
10.1.0.7 $(ns_veid c8) standby
EOF
t0=$(vzr_counter takeovers)
ip link set vh7 down
expect_routes '[{"dst": "10.1.0.1", "dev": "vh6", "metric": 129, "scope": "link"},
	{"dst": "10.1.0.2", "dev": "vh1", "metric": 129, "scope": "link"},
	{"dst": "10.1.0.7", "dev": "vh8", "metric": 129, "scope": "link"}]'
expect_takeover 10.1.0.7 vh8 "$t0"
ip link set vh7 up
expect_states - <<EOF
10.1.0.1 $(ns_veid c3) standby
10.1.0.1 $(ns_veid c6) installed
10.1.0.2 $(ns_veid c1) installed
10.1.0.2 $(ns_veid c3) standby
10.1.0.7 $(ns_veid c7) standby
10.1.0.7 $(ns_veid c8) installed
EOF
monitor_stop
ok "holder's host side down: its route flushed, standby takes over, a takeover"

mod_unload
expect_no_routes
check_kernel_log
pass
