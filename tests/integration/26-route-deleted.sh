#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Routes of ours deleted behind vzroute's back (an admin's ip route del or
# flush, another daemon) come back while their address is still routed;
# our own deletions, which the kernel notifies too, cost nothing;
# a foreign route that took the key (replacing ours) is never
# overwritten, not even when a protocol change moves every route; a burst
# that overflows the socket's queue costs an audit, and the socket still
# hears afterwards.
#
# timeout: 240

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

ct_dual max_per_netns=0
v4=$V4
v6=$V6


# One route deleted by hand, each family.
ip route del 10.1.0.1/32 dev vh1 proto 157 metric 128
if expect_routes "$v4"; then ok "IPv4 route deleted by hand: back"; else ct_dual_again; fi
ip -6 route del 2001:db8::1/128 dev vh1 proto 157 metric 128
if expect_routes -6 "$v6"; then ok "IPv6 route deleted by hand: back"; else ct_dual_again; fi

# ip route flush proto vzroute, of more routes than a run reads at once
# (and maybe than the socket's queue holds).
batch=
for i in $(seq 1 200); do
	batch+="addr add 10.1.1.$i/32 dev eth0"$'\n'
done
ip -n c1 -batch - <<<"$batch"
many=$(jq -c '. + [range(1; 201) | {dst: "10.1.1.\(.)", dev: "vh1", metric: 128, scope: "link"}]' <<<"$v4")
expect_routes -t 30 "$many"
ip -4 route flush proto 157
ip -6 route flush proto 157
if expect_routes -t 30 "$many" && expect_routes -6 "$v6"; then
	ok "ip route flush proto 157: all 202 routes back"
else
	vzr resync
	expect_routes -t 30 "$many"
	expect_routes -6 "$v6"
fi
batch=
for i in $(seq 1 200); do
	batch+="addr del 10.1.1.$i/32 dev eth0"$'\n'
done
ip -n c1 -batch - <<<"$batch"
expect_routes "$v4"

# Our own deletions are notified to our socket too (it listens to the
# route groups), under our port id: they are dropped as they arrive, and
# cost no run. An address added and deleted is two runs (each waited for
# before the next change); when our own deletion was heard back, it was
# three (each deletion queued another run). Nothing else is due on this
# quiet node; the margin is for a timed look that may fall in between.
n=20
with=$(jq -c '. + [{dst: "10.1.2.1", dev: "vh1", metric: 128, scope: "link"}]' <<<"$v4")
runs0=$(vzr_counter reconciliations)
removed0=$(vzr_counter routes_removed)
for ((i = 0; i < n; i++)); do
	ip -n c1 addr add 10.1.2.1/32 dev eth0
	expect_routes "$with" || break
	ip -n c1 addr del 10.1.2.1/32 dev eth0
	expect_routes "$v4" || break
done
runs=$(($(vzr_counter reconciliations) - runs0))
removed=$(($(vzr_counter routes_removed) - removed0))
if ((removed != n)); then
	fail "$n addresses added and deleted: $removed routes removed, not $n"
elif ((runs > 2 * n + 4)); then
	fail "$n addresses added and deleted one by one took $runs runs, more than $((2 * n + 4)): our own deletions heard back?"
else
	ok "$n addresses added and deleted one by one: $runs runs, our own deletions not heard back"
fi

# More notifications than the socket's queue holds, at once: IPv6 routes
# of our protocol (not ours: on a dummy device), all deleted when it goes
# down, which notifies each deletion within one hold of RTNL. netlink then
# refuses everything sent to the socket, answers too, until a receive call
# leaves its queue empty; vzroute skips receive calls that could change
# nothing, and must not skip that one. It audits (the overrun), and then
# still hears a route of ours deleted by hand, and still gets the answer
# to an add that fails (the only answer an add gets). A burst the runs
# kept up with is tried again, three at most. (The race that @recv_due
# in kmod/rtsock_priv.h is for, the callback dropping the last message
# as an overrun on another CPU congests the socket, is not forced here.)
modprobe dummy
ip link add vzrburst type dummy
burst=
for ((i = 1; i <= 2000; i++)); do
	printf -v hex %x "$i"
	burst+="route add 2001:db8:ff::$hex/128 dev vzrburst proto 157"$'\n'
done
verifies0=$(vzr_counter verifies)
# shellcheck disable=SC2317 # called through poll_until
audited() {
	(($(vzr_counter verifies) > verifies0))
}
for ((try = 1; try <= 3; try++)); do
	ip link set vzrburst up
	ip -6 -batch - <<<"$burst"
	ip link set vzrburst down
	# The overrun's error is read by the run it kicks: audited, or never.
	poll_until "$VZR_TIMEOUT" audited && break
done
ip link del vzrburst
if ((try > 3)); then
	fail "3 bursts of 2000 route deletions: the socket's queue never overflowed (verifies $verifies0 -> $(vzr_counter verifies))"
else
	ok "burst $try of 2000 route deletions overflowed the socket's queue: verifies $verifies0 -> $(vzr_counter verifies)"
fi
expect_routes -6 "$v6"
ip -6 route del 2001:db8::1/128 dev vh1 proto 157 metric 128
expect_routes -6 "$v6" && ok "after the overrun: IPv6 route deleted by hand, back"
ip route add 10.1.3.1/32 dev vh1 proto static metric 128
ip -n c1 addr add 10.1.3.1/32 dev eth0
expect_states "[{\"address\": \"10.1.0.1\", \"netns\": $(ns_veid c1), \"state\": \"installed\"},
	{\"address\": \"10.1.3.1\", \"netns\": $(ns_veid c1), \"state\": \"conflict\"},
	{\"address\": \"2001:db8::1\", \"netns\": $(ns_veid c1), \"state\": \"installed\"}]" &&
	ok "after the overrun: an add refused (a foreign route holds the key), refusal heard"
ip route del 10.1.3.1/32 dev vh1 proto static metric 128
expect_routes "$(jq -c '. + [{dst: "10.1.3.1", dev: "vh1", metric: 128, scope: "link"}]' <<<"$v4")" &&
	ok "after the overrun: the new address routed once the key is free"
ip -n c1 addr del 10.1.3.1/32 dev eth0
expect_routes "$v4"

# Another daemon takes the key of ours (same prefix, table and metric) in
# one go, "ip route replace": the kernel tells of the new route only, no
# deletion. vzroute reports a conflict, and a protocol change afterwards
# must not replace the foreign route. (A delete then an add would race
# with vzroute adding its route back.)
ip route replace 10.1.0.1/32 dev vh1 proto static metric 128
expect_states "[{\"address\": \"10.1.0.1\", \"netns\": $(ns_veid c1), \"state\": \"conflict\"},
	{\"address\": \"2001:db8::1\", \"netns\": $(ns_veid c1), \"state\": \"installed\"}]" || true
vzr set proto 158
VZR_PROTO=158 expect_routes -6 "$v6"
VZR_PROTO=4 expect_stable_routes -t 2 '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 128, "scope": "link"}]' &&
	ok "the foreign route survived the protocol change"
VZR_PROTO=158 expect_no_routes
ip route del 10.1.0.1/32 dev vh1 proto static metric 128
VZR_PROTO=158 expect_routes "$v4"
ok "foreign route gone: ours back under the new protocol"

mod_unload
VZR_PROTO=158 expect_no_routes
VZR_PROTO=158 expect_no_routes -6
expect_no_routes
check_kernel_log
pass
