#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# timeout: 300
#
# A container's announcements count against a share of its own
# (kmod/announce.c, struct owner: its quota of records and its pace),
# found by the user namespace the node gave it.  Were the share to know
# the namespace by its address alone, a container started while a dead
# one's share lasts could get that memory, and with it the quota and pace
# the dead one spent (the hostile container of issue 14).  So the share
# holds the namespace for as long as it lasts, and it lasts only as long
# as its container's own records:
#  - a container that announced an address and ended: its user namespace
#    is freed no sooner than the hold-down (5 s) after that announcement,
#    and is freed then;
#  - one whose address another container took over, and asked for, within
#    the hold-down: the record goes to the new container's share, so the
#    old namespace is not kept for another hold-down after the new
#    container's announcement.
# Each namespace's free is a kprobe event on the kernel's proc_free_inum()
# for its inode number; the announcements' times are their arrival on the
# LAN host (tests/tools/garpwatch).  Topology: tests/lib/lan.sh, with
# containers in user namespaces of their own on n1.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"
# shellcheck source=tests/lib/lan.sh
. "$VZR_ROOT/tests/lib/lan.sh"
trap topo_cleanup EXIT

# kmod/pace.c's hold-down, and the least of it that must be seen between
# an announcement on the wire and a free (the watcher stamps with the
# kernel's receive time, the poll below is late, never early).
HOLD_S=5
APART_S=4.5

# lan_uct HOSTIF: a container in user and network namespaces of its own
# (uct_create), its host side HOSTIF on n1.
lan_uct() {
	uct_create -n n1 "$1" || fail "no container on n1"
	ip netns exec n1 sysctl -q -w "net.ipv4.conf.$1.proxy_arp=1" >/dev/null
}

# record_free NAME: record the free of UCT's user namespace as NAME.
record_free() {
	local inum
	inum=$(readlink "/proc/$UCT/ns/user" | sed -n 's/^user:\[\([0-9]*\)\]$/\1/p')
	[[ -n $inum ]] || fail "no inode number for the container's user namespace"
	kprobe_kernel_record "$1" proc_free_inum 'inum=$arg1:u32' "inum == $inum"
}

# uct_end: end UCT's container, at once.
uct_end() {
	kill "$UCT"
	wait "$UCT" 2>/dev/null || true
}

# first_garp FILE [SINCE]: the time of FILE's first announcement (since).
first_garp() {
	lan_garps "$1" "${2:-0}" | awk 'NR == 1 { print $1 }'
}

# announce_and_end ADDR HOSTIF EVENT FILE: a container on n1 through
# HOSTIF, the free of its user namespace recorded as EVENT, has ADDR
# proxied and announced (watched into FILE; T_GARP: when), and ends.
announce_and_end() {
	lan_uct "$2"
	record_free "$3"
	lan_garp_start "$1" "$4"
	as_uct ip addr add "$1/32" dev eth0
	expect_proxies n1 "$1 eth0"
	wait_for _lan_garp_since "$4" 0
	T_GARP=$(first_garp "$4")
	uct_end
	expect_proxies n1
}

# freed_since EVENT SINCE: wait for EVENT, the free of a user namespace,
# and print how long after SINCE (an $EPOCHREALTIME) it was seen; false
# when it was not within the hold-down and the usual time limit.
freed_since() {
	poll_until $((HOLD_S + VZR_TIMEOUT)) kprobe_recorded "$1" || return 1
	awk -v a="$2" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f\n", b - a }'
}

lan_up
mod_load allow="$LAN_ALLOW" host_ifnames='veth*' neigh_devs=detect
garp=${TMPDIR:-/tmp}/vzr-garp.$$
garp2=${TMPDIR:-/tmp}/vzr-garp2.$$

# A container that announced an address, and ended.
announce_and_end 192.0.2.20 veth120 ufree1 "$garp"
ok "a container's address proxied on n1 and announced; the container ended at once"
gap=$(freed_since ufree1 "$T_GARP") ||
	fail "its user namespace was not freed within $((HOLD_S + VZR_TIMEOUT))s of its end"
awk -v g="$gap" -v m="$APART_S" 'BEGIN { exit !(g >= m) }' ||
	fail "its user namespace was freed ${gap}s after its announcement: its share of the announcements (${HOLD_S}s) let it go"
ok "its user namespace freed ${gap}s after its announcement, once the hold-down was over"

# A container's address taken over by another within its hold-down.
ADDR=192.0.2.21
announce_and_end "$ADDR" veth121 ufree2 "$garp2"
since=$(awk -v t="$T_GARP" 'BEGIN { printf "%.6f\n", t + 0.5 }')
lan_uct veth122
deferred0=$(vzr_counter announce_deferred)
as_uct ip addr add "$ADDR/32" dev eth0
expect_proxies n1 "$ADDR eth0"
# Its ask must come within the hold-down, or the record would have gone
# with the first container's share, as it did before the record moved.
wait_for vzr_counter_is announce_deferred $((deferred0 + 1))
# The hold-down keeps the new container's announcement until its end.
poll_until $((HOLD_S + VZR_TIMEOUT)) _lan_garp_since "$garp2" "$since" ||
	fail "the new container's address was not announced at the end of the hold-down"
t_garp2=$(first_garp "$garp2" "$since")
ok "another container took the address over and had it announced at the end of the hold-down"
if kprobe_recorded ufree2; then
	ok "the first container's user namespace freed before the new container's announcement"
else
	# Freed once its namespace's teardown is over, and its budget of
	# route adds (kmod/budget.c) swept, a second or so after it is full
	# again: a busy guest may make that longer than the hold-down. A
	# record kept in its share would keep it for another hold-down.
	late=$(freed_since ufree2 "$t_garp2") ||
		fail "the first container's user namespace was not freed within $((HOLD_S + VZR_TIMEOUT))s"
	awk -v l="$late" -v h="$HOLD_S" 'BEGIN { exit !(l < h / 2) }' ||
		fail "the first container's user namespace was freed ${late}s after the new container's announcement: the address's record kept its share"
	ok "the first container's user namespace freed ${late}s after the new container's announcement (a hold-down: ${HOLD_S}s)"
fi

rm -f "$garp" "$garp2"
check_kernel_log
pass
