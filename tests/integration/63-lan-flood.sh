#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# timeout: 300
#
# A container on the node's LAN that takes its address away and puts it
# back, again and again (issue 16; the hostile container of issue 14),
# must not make its node flood the LAN with announcements: an address is
# announced on an uplink at most once in 5 s (kmod/pace.c).  What is
# asked for meanwhile is not lost: it comes to one announcement when the
# hold-down ends, so the LAN still hears the last word.  The announcements
# are counted on the wire, at the LAN host (tests/tools/garpwatch), and
# against the module's counters.  Topology: tests/lib/lan.sh.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"
# shellcheck source=tests/lib/lan.sh
. "$VZR_ROOT/tests/lib/lan.sh"
# topo.sh's clean-up: it stops the garpwatch processes too.
trap topo_cleanup EXIT

ADDR=192.0.2.10
CYCLES=12
# kmod/pace.c's hold-down, and what of it two announcements must be apart
# on the wire (the work item runs on a jiffy; the watcher stamps each
# with the kernel's receive time, but a busy guest may still be late).
HOLD_S=5
APART_S=4.5

lan_up
mod_load allow="$LAN_ALLOW" host_ifnames='veth*' neigh_devs=detect
mac1=$(lan_mac n1)
garp=${TMPDIR:-/tmp}/vzr-garp.$$
garp2=${TMPDIR:-/tmp}/vzr-garp2.$$
tlast=0
lan_garp_start "$ADDR" "$garp"
topo_ct ct1 n1 veth101 "$ADDR"
expect_proxies n1 "$ADDR eth0"
wait_for _lan_garp_since "$garp" 0
ok "ct1 on n1: its address proxied and announced"

# Is n1's proxy entry for ADDR there ("yes") or gone ("no")?  One ip, no
# jq: the quicker each cycle, the more adds fall in one hold-down.
proxied() {
	local out
	out=$(ip -n n1 neigh show proxy)
	if [[ $1 == yes ]]; then
		[[ $out == *"$ADDR dev eth0"* ]]
	else
		[[ $out != *"$ADDR "* ]]
	fi
}

sent0=$(vzr_counter announced)
deferred0=$(vzr_counter announce_deferred)
t0=$EPOCHREALTIME
adds=()
for ((i = 1; i <= CYCLES; i++)); do
	ip -n ct1 addr del "$ADDR/32" dev eth0
	wait_for proxied no || break
	tlast=$EPOCHREALTIME
	adds+=("$tlast")
	ip -n ct1 addr add "$ADDR/32" dev eth0
	wait_for proxied yes || break
done
t1=$EPOCHREALTIME
took=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d\n", b - a + 0.999 }')
# Only adds closer than APART_S test the hold-down: without the pace their
# announcements would be as close.  Most must be.
close=$(printf '%s\n' "${adds[@]}" |
	awk -v apart="$APART_S" 'NR > 1 && $1 - prev < apart { n++ } { prev = $1 } END { print n + 0 }')
((close * 2 >= CYCLES)) ||
	fail "only $close of $CYCLES adds came less than ${APART_S}s after the one before: too slow to test a ${HOLD_S}s hold-down"
ok "$CYCLES times away and back in ${took}s ($close adds within ${APART_S}s of the one before)"

# The last word: an announcement after the last add, within the hold-down.
poll_until $((HOLD_S + VZR_TIMEOUT)) _lan_garp_since "$garp" "$tlast" ||
	fail "no announcement after the last add ($((HOLD_S + VZR_TIMEOUT))s)"
seen=$(lan_garps "$garp" "$t0")
n=$(grep -c . <<<"$seen" || true)
echo "announcements on the wire since the churn began:"$'\n'"$seen"
# Never two less than the hold-down apart; all with n1's MAC.
awk -v apart="$APART_S" -v mac="$mac1" '
	$2 != mac { print "from " $2 ", not " mac; bad = 1 }
	NR > 1 && $1 - prev < apart { printf "%.3f s apart\n", $1 - prev; bad = 1 }
	{ prev = $1 }
	END { exit bad }' <<<"$seen" ||
	fail "announcements closer than ${APART_S}s, or not n1's"
# For $CYCLES adds, one round per hold-down at most, and one at its end.
((n <= took / HOLD_S + 2)) || fail "$n announcements in ${took}s"
# The module says the same: what went on the wire, and what waited.
wait_for vzr_counter_is announced $((sent0 + n))
(($(vzr_counter announce_deferred) >= deferred0 + CYCLES - n)) ||
	fail "announce_deferred moved by $(($(vzr_counter announce_deferred) - deferred0)), not at least $((CYCLES - n))"
(($(vzr_counter announce_dropped) == 0)) || fail "announcements dropped"
ok "$n announcements for $CYCLES adds in ${took}s, at least ${APART_S}s apart, the last after the last add"

# Another address is not held down by the first's.
ADDR2=192.0.2.11
lan_garp_start "$ADDR2" "$garp2"
tadd=$EPOCHREALTIME
ip -n ct1 addr add "$ADDR2/32" dev eth0
expect_proxies n1 "$ADDR eth0" "$ADDR2 eth0"
poll_until $((HOLD_S - 1)) _lan_garp_since "$garp2" "$tadd" ||
	fail "$ADDR2 not announced within $((HOLD_S - 1))s"
ok "another address of the same container announced at once"

rm -f "$garp" "$garp2"
check_kernel_log
pass
