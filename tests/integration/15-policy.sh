#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The allow list, the per-namespace cap and host-local addresses.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

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

mod_unload
expect_no_routes
expect_no_routes -6
check_kernel_log
pass
