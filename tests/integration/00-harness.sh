#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Harness smoke test: no module.  Containers, addresses, routes of protocol
# $VZR_PROTO added by hand and the route assertions, a ping across a veth.
# shellcheck disable=SC2119 # routes_json without arguments: init netns

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

t0=$(_vzr_now_us)
ct_create ct1 vzh1
t1=$(_vzr_now_us)
ns_create hns
ct_create ct2 vzh2 hns
t2=$(_vzr_now_us)
echo "ct_create: $(((t1 - t0) / 1000)) ms (init netns), $(((t2 - t1) / 1000)) ms (ns_create + ct_create in hns)"

# Container 1, routed: a /32 on eth0 and a default route through eth0; the
# host reaches it through a /32 device route of protocol $VZR_PROTO.
ct_addr ct1 10.99.0.1/32
ct_addr6_nodad ct1 fd00:99::1/128
ip -n ct1 -batch - <<EOF
route add default dev eth0
route add ::/0 dev eth0
EOF
ip -batch - <<EOF
addr add 10.98.0.1/32 dev vzh1
addr add fd00:98::1/128 dev vzh1 nodad
route add 10.99.0.1/32 dev vzh1 proto $VZR_PROTO metric 128
route add fd00:99::1/128 dev vzh1 proto $VZR_PROTO
route add 10.99.5.0/24 dev vzh1 proto $VZR_PROTO table 100
route add 10.99.6.0/24 dev vzh1 proto static
EOF

expect_routes '[
	{"dst": "10.99.0.1/32", "dev": "vzh1", "protocol": 157, "metric": 128, "table": 254, "scope": "link"},
	{"dst": "10.99.5.0/24", "dev": "vzh1", "metric": 0, "table": 100, "scope": "link"}
]'
ok "IPv4 routes of protocol $VZR_PROTO listed (other protocols ignored)"
expect_routes -6 '[{"dst": "fd00:99::1", "dev": "vzh1"}]'
ok "IPv6 route with default metric"

# A name for the protocol in /etc/iproute2 must not change the comparison.
# (The guest's /etc/iproute2 is a writable copy: drop any other name the
# host may give the number, e.g. an installed vzroute package's.)
for f in /etc/iproute2/rt_protos.d/*.conf; do
	if grep -q "^$VZR_PROTO[[:space:]]" "$f" 2>/dev/null; then
		rm -f "$f"
	fi
done
echo "$VZR_PROTO vzroute-test" >/etc/iproute2/rt_protos.d/vzroute-test.conf
[[ $(ip route show 10.99.0.1/32) == *"proto vzroute-test"* ]] ||
	fail "rt_protos.d entry not picked up by ip"
[[ $(routes_json) == '[{"dst":"10.99.0.1/32","dev":"vzh1","protocol":157,"metric":128,"table":254,"scope":"link"},{"dst":"10.99.5.0/24","dev":"vzh1","protocol":157,"metric":0,"table":100,"scope":"link"}]' ]] ||
	fail "routes_json: unexpected output: $(routes_json)"
ok "routes_json normalised with a protocol name configured"

ping -c 1 -W 5 10.99.0.1 >/dev/null || fail "ping 10.99.0.1 (routed container) failed"
ping -c 1 -W 5 fd00:99::1 >/dev/null || fail "ping fd00:99::1 (routed container) failed"
ok "host pings the routed container over IPv4 and IPv6"

expect_stable_routes -t 1 -6 '[{"dst": "fd00:99::1/128", "dev": "vzh1", "metric": 1024}]'
ok "stable for 1 s"

ip -batch - <<EOF
route del 10.99.0.1/32 dev vzh1 proto $VZR_PROTO metric 128
route del 10.99.5.0/24 table 100
route del fd00:99::1/128 dev vzh1
EOF
expect_no_routes
expect_no_routes -6
ok "routes deleted"

# Container 2, its host side in netns hns, on a shared /24.
ct_addr ct2 10.77.0.2/24
ip -n hns -batch - <<EOF
addr add 10.77.0.1/24 dev vzh2
route add 10.99.0.2/32 dev vzh2 proto $VZR_PROTO
EOF
expect_no_routes
expect_routes -n hns '[{"dst": "10.99.0.2", "dev": "vzh2", "scope": "link"}]'
ip netns exec hns ping -c 1 -W 5 10.77.0.2 >/dev/null || fail "ping from hns to ct2 failed"
ok "container with its host side in another netns"

ct_destroy ct2
expect_no_routes -n hns
[[ ! -e /run/netns/ct2 ]] || fail "ct_destroy left /run/netns/ct2"
ok "ct_destroy"

check_kernel_log
pass
