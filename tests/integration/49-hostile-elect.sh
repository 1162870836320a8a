#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A container's root has an address on two devices of its own, one end
# routed, the other standing by, and sets the ends down and up in turn,
# 50 times each, as fast as it can. Whenever the holder's end goes down,
# the address needs a new holder: vzroute elects the oldest of its
# users, walking the node's entries oldest first until it has met them
# all (kmod/track.c, vzr_slots_elect()). The container's
# are the youngest, behind another container's 2,000, so such a walk
# passes every entry of the node, for one system call of the container's.
# An election may walk VZR_ELECT_FREE (512) entries at any time, but more
# only a second (VZR_WALK_GAP) after the last that did: a kretprobe
# event records how far each walked. Before 2026-12-06, every run that
# saw the holder go walked them all. Once the container stops, the
# address is routed through the end that came first, field by field, and
# the other stands by.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

N=2000		# the other container's addresses, all denied
FLAPS=50	# of each end
FREE=512	# kmod/decide.h: VZR_ELECT_FREE
A=10.9.0.1
ct_with_addrs c0 vh0 "$N"
uct_create vhu
ip link add vhv up type veth peer name eth1 netns "/proc/$UCT/ns/net"
as_uct ip link set eth1 up
mod_load allow=10.9.0.0/16
as_uct ip addr add "$A/32" dev eth0
expect_routes "$(vzr_link_routes "$A@vhu")"
as_uct ip addr add "$A/32" dev eth1
# states: the address's state behind vhu, then behind vhv.
states() {
	vzr show -j | jq -r --arg a "$A" '[.[] | select(.address == $a)] |
		[(.[] | select(.host_ifname == "vhu") | .state),
		 (.[] | select(.host_ifname == "vhv") | .state)] | join(" ")'
}
states_are() { [[ $(states) == "$1" ]]; }
wait_for states_are "installed standby"
wait_for vzr_counter_is tracked $((N + 2))
ok "$A routed through vhu, standing by behind vhv, $N addresses of c0 tracked"

# The container sets its ends down and up in turn, 50 times each, as
# fast as it can: every time the holder's end goes down, the other is
# up, standing by.
kretprobe_record walked vzr_slots_elect
t0=$(_vzr_now_us)
# shellcheck disable=SC2016 # the container's shell expands them
as_uct sh -c 'for i in $(seq $0); do
	ip link set eth0 down; ip link set eth0 up
	ip link set eth1 down; ip link set eth1 up
done' "$FLAPS"
# Where the flaps left the holder, whichever it was: eth0's, the only one
# up, holds once elected, and keeps the address once eth1 is back.
as_uct ip link set eth1 down
poll_until $((VZR_TIMEOUT * 3)) states_are "installed down" ||
	fail "the address's states behind vhu and vhv: $(states)"
as_uct ip link set eth1 up
wait_for states_are "installed standby"
ms=$((($(_vzr_now_us) - t0) / 1000))
walks=$(kretprobe_values walked) || fail "no record of the elections' walks"
kprobes_off
# What each election walked; one that would go past FREE entries stops
# one after, and elects nothing.
long=$(awk -v f=$FREE '$1 > f + 1' <<<"$walks" | wc -l)
waited=$(awk -v f=$FREE '$1 == f + 1' <<<"$walks" | wc -l)
most=$(sort -n <<<"$walks" | tail -1)
# One a second: the first at once, the last up to a second after the
# last flap.
bound=$((ms / 1000 + 2))
((long <= bound)) ||
	fail "$long elections in $ms ms walked more than $((FREE + 1)) entries (the most $most): more than one a second ($bound)"
((long >= 1)) || fail "no election walked past the container's entries: the test has no teeth"
ok "$FLAPS flaps of each end, $ms ms: $(wc -l <<<"$walks") elections, $long of them past $FREE entries (at most $bound; the longest $most), $waited put off"
expect_routes "$(vzr_link_routes "$A@vhu")"
ok "$A routed through vhu, standing by behind vhv"

mod_unload
expect_no_routes
check_kernel_log
pass
