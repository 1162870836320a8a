#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Flushes of one address family. The kernel deletes every IPv6 route
# through a device whose MTU drops below 1280, or where disable_ipv6 is
# set (no netdevice event for that one); vzroute adds the route again once
# the device carries IPv6 again. The host side losing its last IPv4
# address flushes its IPv4 routes only: the IPv6 route, and listeners,
# hear nothing of it.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

ct_dual
v4=$V4
v6=$V6


# MTU below IPV6_MIN_MTU: the kernel stops IPv6 on the device.
ip link set dev vh1 mtu 1200
expect_no_routes -6
ip link set dev vh1 mtu 1500
if expect_routes -6 "$v6"; then
	ok "IPv6 route back after the MTU went below 1280 and back"
else
	ct_dual_again
fi
expect_routes "$v4"

# disable_ipv6: addrconf is called directly, no netdevice event.
sysctl -qw net.ipv6.conf.vh1.disable_ipv6=1
expect_no_routes -6
sysctl -qw net.ipv6.conf.vh1.disable_ipv6=0
if expect_routes -6 "$v6"; then
	ok "IPv6 route back after disable_ipv6=1 and 0"
else
	ct_dual_again
fi
expect_routes "$v4"

# The host side's last IPv4 address goes: the kernel flushes the IPv4
# routes through it, silently; vzroute adds its IPv4 route again and
# leaves the IPv6 one alone.
ip addr add 192.0.2.1/32 dev vh1
monitor_start /tmp/vzr-19-events.json -- -j
mon=$MONITOR_PID
ip addr del 192.0.2.1/32 dev vh1
expect_routes "$v4"
expect_routes -6 "$v6"
# A marker: everything the flush caused comes before its event.
ct_addr c1 10.1.0.2/32
# shellcheck disable=SC2317 # called through wait_for
marker_seen() {
	jq -e -s 'any(.address == "10.1.0.2" and .event == "installed")' /tmp/vzr-19-events.json >/dev/null 2>&1
}
wait_for marker_seen
monitor_stop "$mon"
events=$(jq -s -c '[.[] | {event, address}]' /tmp/vzr-19-events.json)
[[ $events == '[{"event":"installed","address":"10.1.0.2"}]' ]] ||
	fail "events for routes nobody touched: $events"
expect_routes "$(jq -c '. + [{"dst": "10.1.0.2", "dev": "vh1", "metric": 128, "scope": "link"}]' <<<"$v4")"
expect_routes -6 "$v6"
ok "an IPv4 flush leaves the IPv6 route and its listeners alone"

mod_unload
expect_no_routes
expect_no_routes -6
check_kernel_log
pass
