#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every qualifying address on a container device gets exactly one host
# route: IPv4 primary, secondary and labelled addresses, IPv6 after DAD;
# link-local never; deleting an address withdraws its route.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

mod_load allow=10.0.0.0/8,2001:db8::/32
ct_create c1 vh1
ip -n c1 -batch - <<EOF2
addr add 10.1.0.5/24 dev eth0
addr add 10.1.0.6/24 dev eth0
addr add 10.2.0.7/32 dev eth0 label eth0:1
addr add 169.254.3.3/16 dev eth0
addr add 2001:db8::5/64 dev eth0
addr add fe80::55/64 dev eth0 nodad
EOF2

expect_routes '[
	{"dst": "10.1.0.5", "dev": "vh1", "metric": 128, "scope": "link"},
	{"dst": "10.1.0.6", "dev": "vh1", "metric": 128, "scope": "link"},
	{"dst": "10.2.0.7", "dev": "vh1", "metric": 128, "scope": "link"}
]'
ok "IPv4 primary, secondary and labelled addresses routed; 169.254/16 not"

# The shipped rt_protos.d entry names our protocol for iproute2.
cp "$VZR_ROOT/rt_protos.d/vzroute.conf" /etc/iproute2/rt_protos.d/
[[ $(ip route show proto vzroute | wc -l) == 3 ]] ||
	fail "ip route show proto vzroute: $(ip route show proto vzroute)"
[[ $(ip route show 10.1.0.5) == *"proto vzroute"* ]] ||
	fail "protocol not named: $(ip route show 10.1.0.5)"
ok "ip route show proto vzroute"

# DAD takes about a second; no route may exist while the address is
# tentative. Read the routes first: if the address is still tentative
# afterwards, they were read while it was.
r=$(routes_json -6)
if ip -n c1 -6 addr show dev eth0 tentative | grep -q 2001:db8::5; then
	[[ $r == '[]' ]] || fail "IPv6 route while DAD still runs: $r"
else
	echo "note: DAD finished before the tentative check could run"
fi
expect_routes -6 '[{"dst": "2001:db8::5", "dev": "vh1", "metric": 128}]'
ok "IPv6 address routed after DAD, its link-local addresses never"

ip -n c1 addr del 10.1.0.6/24 dev eth0
ip -n c1 addr del 2001:db8::5/64 dev eth0
expect_routes '[
	{"dst": "10.1.0.5", "dev": "vh1", "metric": 128, "scope": "link"},
	{"dst": "10.2.0.7", "dev": "vh1", "metric": 128, "scope": "link"}
]'
expect_no_routes -6
ok "deleted addresses lose their routes"

# The route carries traffic: the host reaches the container (the host
# needs an address of its own to ping from).
ip addr add 192.0.2.254/32 dev lo
ip -n c1 route add default dev eth0
ping -c 1 -W 5 10.1.0.5 >/dev/null || fail "host cannot ping 10.1.0.5 through the route"
ok "host pings the container through its route"

# A DAD failure never gets a route: the host side already holds the address.
ip addr add 2001:db8::77/128 dev vh1 nodad
ip -n c1 addr add 2001:db8::77/64 dev eth0
poll_until 10 bash -c "ip -n c1 -6 addr show dev eth0 | grep -q dadfailed" ||
	fail "DAD did not fail for 2001:db8::77"
expect_stable_routes -6 -t 2 '[]'
ok "DAD failure: no route"

mod_unload
expect_no_routes
expect_no_routes -6
ok "unload removes every route"
check_kernel_log
pass
