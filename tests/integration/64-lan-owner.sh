#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# timeout: 240
#
# A container's announcements count against a share of its own
# (kmod/announce.c, struct owner: its quota of records and its pace),
# found by the user namespace the node gave it.  The share outlives the
# container for its addresses' hold-downs (5 s after an announcement).
# Were the share to know the namespace by its address alone, a container
# started meanwhile could get the dead one's memory, and with it the
# quota and pace that one spent (the hostile container of issue 14).  So
# the share keeps the namespace until it goes: the kernel frees the user
# namespace of a container that announced an address no sooner than the
# hold-down after that announcement, and does free it then.  Shown by a
# kprobe event on the kernel's free_user_ns(), against the announcement's
# time on the wire (tests/tools/garpwatch).  Topology: tests/lib/lan.sh,
# with the container in a user namespace of its own on n1.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"
# shellcheck source=tests/lib/lan.sh
. "$VZR_ROOT/tests/lib/lan.sh"

ADDR=192.0.2.20
# kmod/pace.c's hold-down, and the least of it that must be seen between
# the announcement on the wire and the free (the watcher and the poll
# below are late by a little each; the kernel is never early).
HOLD_S=5
APART_S=4.5
CT=

cleanup() {
	local rc=$?
	if [[ -n $CT ]]; then
		kill "$CT" 2>/dev/null
		wait "$CT" 2>/dev/null
	fi
	kprobes_off
	(exit "$rc")
	topo_cleanup
}
trap cleanup EXIT

lan_up
mod_load allow="$LAN_ALLOW" host_ifnames='veth*' neigh_devs=detect
# Before the container: the only user namespace freed from now on is its.
kprobe_kernel_record ufree free_user_ns

unshare --user --map-root-user --net sleep 3600 &
CT=$!
poll_until "$VZR_TIMEOUT" _vzr_own_netns "$CT" || fail "no container namespace"
[[ $(readlink "/proc/$CT/ns/user") != "$(readlink /proc/self/ns/user)" ]] ||
	fail "the container's root is in the initial user namespace"
ip link add name veth120 netns n1 type veth peer name eth0 netns "/proc/$CT/ns/net" ||
	fail "cannot link the container to n1"
ip netns exec n1 sysctl -q -w net.ipv4.conf.veth120.proxy_arp=1 >/dev/null
ip -n n1 link set dev veth120 up
garp=${TMPDIR:-/tmp}/vzr-garp.$$
lan_garp_start "$ADDR" "$garp"
sent0=$(vzr_counter announced)
as_ns "$CT" ip link set dev lo up
as_ns "$CT" ip link set dev eth0 up
as_ns "$CT" ip addr add "$ADDR/32" dev eth0
expect_proxies n1 "$ADDR eth0"
wait_for _lan_garp_since "$garp" 0
t_garp=$(lan_garps "$garp" | awk 'NR == 1 { print $1 }')
wait_for vzr_counter_is announced $((sent0 + 1))
ok "the container's address proxied on n1 and announced"

# The container ends at once, well within its address's hold-down.
kill "$CT"
wait "$CT" 2>/dev/null || true
CT=
expect_proxies n1
ok "the container gone, its address no longer proxied"

poll_until $((HOLD_S + VZR_TIMEOUT)) kprobe_recorded ufree ||
	fail "the container's user namespace was not freed within $((HOLD_S + VZR_TIMEOUT))s of its announcement"
t_free=$EPOCHREALTIME
gap=$(awk -v a="$t_garp" -v b="$t_free" 'BEGIN { printf "%.2f\n", b - a }')
awk -v g="$gap" -v m="$APART_S" 'BEGIN { exit !(g >= m) }' ||
	fail "the container's user namespace was freed ${gap}s after its announcement: its share of the announcements (5s) let it go"
ok "its user namespace freed ${gap}s after its announcement, once the hold-down was over"

rm -f "$garp"
check_kernel_log
pass
