#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vzroute set / allow: settings change at run time, routes follow, a metric
# change loses no packet, a refused request changes nothing, and bad
# arguments are usage errors.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

ct_create c1 vh1
ct_addr c1 10.1.0.1/32
ct_addr6_nodad c1 2001:db8::1/64
ip -n c1 route add default dev eth0
ip addr add 192.0.2.254/32 dev lo
mod_load allow=10.0.0.0/8,2001:db8::/32
expect_routes '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 128, "scope": "link"}]'

# A metric change while the host pings the container every 10 ms: the new
# route is added before the old one goes, so nothing may be lost.
ping -i 0.01 -c 400 -W 1 10.1.0.1 >/tmp/ping.log 2>&1 &
pinger=$!
# The changes start once the pings are answered.
wait_for grep -q 'bytes from' /tmp/ping.log
vzr set metric 300
expect_routes '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 300, "scope": "link"}]'
expect_routes -6 '[{"dst": "2001:db8::1", "dev": "vh1", "metric": 300}]'
vzr set proto 150
VZR_PROTO=150 expect_routes '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 300, "scope": "link"}]'
expect_no_routes
wait "$pinger" || true
stats=$(grep -E 'packets transmitted' /tmp/ping.log) || fail "no ping statistics: $(cat /tmp/ping.log)"
tx=${stats%% packets transmitted*}
rx=${stats#*, }
rx=${rx%% received*}
echo "ping during the changes: $stats"
((tx >= 100)) || fail "only $tx pings sent"
((rx == tx)) || fail "metric/protocol change lost $((tx - rx)) of $tx pings"
ok "metric and protocol changes with no lost packet ($rx/$tx)"

vzr set table 100 proto 157
expect_routes '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 300, "table": 100, "scope": "link"}]'
VZR_PROTO=150 expect_no_routes
ok "table change moves the routes"

declare -A sysfs=([metric]=300 [table]=100 [proto]=157)
for k in "${!sysfs[@]}"; do
	[[ $(</sys/module/vzroute/parameters/$k) == "${sysfs[$k]}" ]] ||
		fail "sysfs $k is $(</sys/module/vzroute/parameters/$k), expected ${sysfs[$k]}"
done
ok "sysfs parameters follow run-time changes"

# All or nothing: one bad value refuses the whole request.
before=$(vzr -j config)
out=$(vzr set metric 400 proto 12 2>&1) && fail "set with proto 12 succeeded"
[[ $out == *"routing daemon"* ]] || fail "no kernel reason in: $out"
[[ $(vzr -j config) == "$before" ]] || fail "a refused request changed the settings"
out=$(vzr set metric 16777216 2>&1) && fail "metric 2^24 accepted"
[[ $out == *"below 16777216"* ]] || fail "no kernel reason in: $out"
out=$(vzr allow del 172.16.0.0/12 2>&1) && fail "deleting an absent prefix succeeded"
[[ $out == *"not in the allow list"* ]] || fail "no kernel reason in: $out"
out=$(vzr allow add 10.0.0.1/8 2>&1) && fail "prefix with host bits accepted"
[[ $out == *"host bits"* ]] || fail "no kernel reason in: $out"
[[ $(vzr -j config) == "$before" ]] || fail "refused requests changed the settings"
expect_stable_routes -t 1 '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 300, "table": 100, "scope": "link"}]'
ok "refused requests say why and change nothing"

# The allow list, both ways, at once.
vzr allow del 10.0.0.0/8
expect_no_routes
expect_routes -6 '[{"dst": "2001:db8::1", "dev": "vh1", "metric": 300, "table": 100}]'
vzr allow add 10.1.0.0/24
expect_routes '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 300, "table": 100, "scope": "link"}]'
[[ $(</sys/module/vzroute/parameters/allow) == "2001:db8::/32,10.1.0.0/24" ]] ||
	fail "sysfs allow is $(</sys/module/vzroute/parameters/allow)"
vzr set allow ""
expect_no_routes
expect_no_routes -6
vzr set allow 10.0.0.0/8,2001:db8::/32 max_per_netns 1 keep_routes 1 host_ifnames "vh*"
expect_routes '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 300, "table": 100, "scope": "link"}]'
vzr -j config | jq -e '.max_per_netns == 1 and .keep_routes == true and .host_ifnames == "vh*"' >/dev/null ||
	fail "config after set: $(vzr -j config)"
ok "allow add/del and set take effect immediately"

# Usage errors: exit 2, nothing sent.
for args in "set metric" "set colour red" "set metric ten" "allow frob 10.0.0.0/8" \
	"allow add" "bogus" "set metric 1 metric 2"; do
	rc=0
	# shellcheck disable=SC2086 # split on purpose
	vzr $args >/dev/null 2>&1 || rc=$?
	((rc == 2)) || fail "vzroute $args: exit $rc, expected 2"
done
ok "usage errors exit 2"

vzr resync
vzr set keep_routes 0
mod_unload
expect_no_routes
check_kernel_log
pass
