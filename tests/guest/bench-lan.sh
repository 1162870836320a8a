#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The LAN migration arms of make bench, run in the benchmark VM after the
# routed migration arms (tests/guest/bench-migrate.sh), or alone with
# VZR_BENCH_ONLY=lan.
#
# Containers on the node's LAN, no routing daemon (issue 16): a container
# moves between two nodes of one LAN while the LAN host pings it every
# 10 ms (lan_move in tests/lib/lan.sh, the measurement of
# tests/integration/61-lan-migrate.sh; IPv4).  Two arms, each
# VZR_BENCH_MOVES moves (default 31), alternating as bench-migrate.sh's do:
#   lan-announce  neigh_announce=1: the new node's proxy entry is announced
#                 (gratuitous ARP), the LAN host moves to its MAC at once
#   lan-silent    neigh_announce=0: the LAN host moves once a probe of the
#                 old node's MAC fails (its entry's timeouts)
# Writes "RESULT ARM outage_ms V", "gap_ms" (the longest time without a
# reply) and "neigh_ms" (from the container set up on the new node to the
# LAN host holding that node's MAC) per move.

set -euo pipefail
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=tests/lib/lib.sh
. "$here/../lib/lib.sh"
# shellcheck source=tests/lib/lan.sh
. "$here/../lib/lan.sh"
trap cleanup_all EXIT

moves=${VZR_BENCH_MOVES:-31}
res=${VZR_RESULT_DEV:-/dev/ttyS1}
ADDR=192.0.2.10

result() {
	echo "RESULT $*" >>"$res"
	echo "RESULT $*"
}

dmesg_mark "${0##*/}"
modprobe veth
if [[ -n $(ip netns list) ]]; then
	echo "== lan: removing the namespaces of the other arms"
	ip -all netns delete
fi
echo "== lan: $moves moves announced, $moves silent"
lan_up
mod_load allow="$LAN_ALLOW" host_ifnames='veth*' neigh_devs=detect
declare -A mac=([n1]=$(lan_mac n1) [n2]=$(lan_mac n2))
topo_ct ct1 n1 veth101 "$ADDR"
expect_proxies n1 "$ADDR eth0"
expect_ping lh "$ADDR"
hostif=100
for ((r = 1; r <= moves; r++)); do
	order=(announce silent)
	((r % 2)) || order=(silent announce)
	for a in "${order[@]}"; do
		if [[ $a == announce ]]; then
			vzr set neigh_announce 1
		else
			vzr set neigh_announce 0
		fi
		from=${_TOPO_CT_NODE[ct1]}
		to=n1
		[[ $from == n2 ]] || to=n2
		hostif=$((hostif + 1))
		lan_move ct1 "$ADDR" "$to" "veth$hostif" "${mac[$from]}" "${mac[$to]}" 150
		result "lan-$a" outage_ms "$PING_OUTAGE_MS"
		result "lan-$a" gap_ms "$PING_GAP_MS"
		result "lan-$a" neigh_ms "$MOVE_NEIGH_MS"
	done
done
check_kernel_log
echo "== lan: done"
