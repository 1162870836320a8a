#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Loading after the containers exist converges to the same routes; stale
# routes of our protocol go; keep_routes=1 leaves the routes in place over
# an unload and the next load adopts them without touching them.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

ct_create c1 vh1
ct_create c2 vh2
ct_addr c1 10.1.0.1/24
ct_addr6_nodad c1 2001:db8::1/64
ct_addr c2 10.1.0.2/24
# Stale: our protocol, no address justifies them (a crash, or a container
# that left while the module was not loaded).
ip -batch - <<EOF2
route add 10.9.9.9/32 dev vh2 proto 157 metric 128
route add 10.9.9.8/32 dev vh1 proto 157 metric 128 table 100
route add 2001:db8::99/128 dev vh1 proto 157 metric 128
EOF2
# Not ours: another protocol must be left alone.
ip route add 10.9.9.7/32 dev vh1 proto static

mod_load allow=10.0.0.0/8,2001:db8::/32
want='[
	{"dst": "10.1.0.1", "dev": "vh1", "metric": 128, "scope": "link"},
	{"dst": "10.1.0.2", "dev": "vh2", "metric": 128, "scope": "link"}
]'
want6='[{"dst": "2001:db8::1", "dev": "vh1", "metric": 128}]'
expect_routes "$want"
expect_routes -6 "$want6"
ok "loaded after the containers: same routes, stale ones gone"
[[ -n $(ip route show 10.9.9.7/32 proto static) ]] || fail "foreign route 10.9.9.7 was touched"

mod_unload
expect_no_routes
expect_no_routes -6
[[ -n $(ip route show 10.9.9.7/32 proto static) ]] || fail "foreign route 10.9.9.7 removed on unload"
ok "unload removes ours only"

mod_load allow=10.0.0.0/8,2001:db8::/32 keep_routes=1
expect_routes "$want"
expect_routes -6 "$want6"
mod_unload
expect_stable_routes -t 1 "$want"
expect_stable_routes -6 -t 1 "$want6"
ok "keep_routes=1: routes stay after unload"

# While unloaded, c2 drops its address: its kept route is now stale.
ip -n c2 addr del 10.1.0.2/24 dev eth0
expect_stable_routes -t 1 "$want"

# Reload: the routes still justified are adopted, not re-created: no
# route message for them may appear.
ip -o monitor route >/tmp/vzr-monitor.log 2>&1 &
mon=$!
# Load only once ip monitor listens: its rtnetlink socket (port id = its
# pid) has joined the route groups.  A fixed 0.5 s was sometimes too short
# on a loaded machine, and the stale route's deletion went unseen.
# shellcheck disable=SC2317 # called through wait_for
ip_monitor_listening() {
	awk -v p="$1" '$2 == 0 && $3 == p && $4 != "00000000" { f = 1 } END { exit !f }' /proc/net/netlink
}
wait_for ip_monitor_listening "$mon"
mod_load allow=10.0.0.0/8,2001:db8::/32
expect_routes "$(jq -c '.[:1]' <<<"$want")"
expect_routes -6 "$want6"
wait_for dmesg_grep "vzroute: loaded"
poll_until "$VZR_TIMEOUT" grep -q '^Deleted 10.1.0.2 ' /tmp/vzr-monitor.log ||
	fail "no deletion of the stale route 10.1.0.2 seen by ip monitor"
# A negative check, hence a window: for 1 s after the load (and after the
# stale route's deletion reached ip monitor), no message about the adopted
# routes may arrive.
vzr_sleep 1
kill "$mon"
wait "$mon" 2>/dev/null || true
if grep -E '10\.1\.0\.1|2001:db8::1 ' /tmp/vzr-monitor.log; then
	fail "adopted routes were deleted or re-added on reload"
fi
ok "reload adopts the kept routes and removes the stale one"

mod_unload
expect_no_routes
expect_no_routes -6
check_kernel_log
pass
