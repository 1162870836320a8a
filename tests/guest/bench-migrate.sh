#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The migration arm of make bench, run in the benchmark VM after the other
# arms (tests/guest/bench.sh), or alone with VZR_BENCH_ONLY=migrate.
#
# Scenario 2 of the end-to-end tests, live migration: a container moves
# between two FRR nodes while the core router pings it every 10 ms, and the
# outage is lost pings x the real send interval (topo_move in tests/lib/topo.sh,
# the measurement of tests/integration/51-frr-migrate.sh and of the demo;
# the topology of tests/integration/5*.sh, IPv4 only).  Two arms, each
# VZR_BENCH_MOVES moves (default 31):
#   migrate-vzroute  vzroute loaded: the route follows the veth
#   migrate-by-hand  vzroute unloaded, the route moved by hand ("ip route
#                    del" on the old node, "ip route add" on the new one in
#                    the ip call that brings the new host side up, the
#                    container's addresses given back before it as in a
#                    restore: topo_ct_migrate): the floor, what OSPF and FRR
#                    themselves cost on this machine
# The arms alternate, vzroute, by hand, by hand, vzroute, vzroute, ..., and
# each moves the container both ways, so that a change in the machine's load
# (other VMs on the same cores) weighs on both.  Switching arms is not
# measured: the router loses the route, then learns it again from the other
# arm before the next move.
#
# Writes "RESULT migrate-vzroute outage_ms V" and "RESULT migrate-by-hand
# outage_ms V" per move, with gap_ms (the longest time without a reply)
# beside them, to the result port; tests/bench.sh makes the table and
# the ratio.

set -euo pipefail
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=tests/lib/lib.sh
. "$here/../lib/lib.sh"
# shellcheck source=tests/lib/topo.sh
. "$here/../lib/topo.sh"
trap topo_cleanup EXIT

moves=${VZR_BENCH_MOVES:-31}
res=${VZR_RESULT_DEV:-/dev/ttyS1}
ADDR=198.51.100.10

result() {
	echo "RESULT $*" >>"$res"
	echo "RESULT $*"
}

# _no_veths: the initial namespace has no veth left.
_no_veths() {
	[[ -z $(ip -o link show type veth) ]]
}

dmesg_mark "${0##*/}"
topo_require frr
modprobe veth

# The other arms leave 100 namespaces with 10,000 addresses behind, and
# vzroute walks every namespace on load and at every change: start from a
# guest without them (their veths go once the kernel has destroyed them).
if [[ -n $(ip netns list) ]]; then
	echo "== migrate: removing the namespaces of the other arms"
	ip -all netns delete
	poll_until 600 _no_veths || { fail "the other arms' veths are still there after 600 s"; exit 1; }
fi

# use ARM: make ARM hold the container's route on its node: vzroute (the
# module loaded) or by-hand (the module unloaded, a static route).  The old
# route goes first and the router has to forget it, so that no withdrawal
# is still on its way during the next move.
use() {
	local want=$1 node=${_TOPO_CT_NODE[ct1]} hostif=${_TOPO_CT_IF[ct1]}
	[[ $want != "$arm" ]] || return 0
	if [[ $want == by-hand ]]; then
		mod_unload
		expect_no_routes -n "$node"
	else
		ip -n "$node" route del "$ADDR/32" dev "$hostif" proto static
	fi
	expect_route rtr "$ADDR/32" none
	if [[ $want == by-hand ]]; then
		ip -n "$node" route add "$ADDR/32" dev "$hostif" proto static scope link
	else
		mod_load allow="$TOPO_ALLOW" host_ifnames="$TOPO_HOST_IFNAMES"
		expect_routes -n "$node" "[{\"dst\": \"$ADDR\", \"dev\": \"$hostif\", \"metric\": 128, \"scope\": \"link\"}]"
	fi
	expect_route rtr "$ADDR/32" "$TOPO_PROTO r-$node"
	expect_ping rtr "$ADDR"
	arm=$want
}

# The same moves over OSPF (examples/frr-node.conf), then over eBGP
# (examples/frr-node-bgp.conf, topo_up -g): arms migrate-vzroute and
# migrate-by-hand, then migrate-bgp-vzroute and migrate-bgp-by-hand.
for proto in ospf bgp; do
	prefix=migrate
	up=(-4)
	if [[ $proto == bgp ]]; then
		prefix=migrate-bgp
		up=(-4 -g)
		# a fresh topology: the OSPF one's daemons and namespaces go
		topo_cleanup
	fi
	echo "== migrate ($proto): $moves moves with vzroute, $moves with the route moved by hand"
	mod_load allow="$TOPO_ALLOW" host_ifnames="$TOPO_HOST_IFNAMES"
	topo_up "${up[@]}"
	topo_ct ct1 n1 veth101 "$ADDR"
	expect_route rtr "$ADDR/32" "$TOPO_PROTO r-n1"
	expect_ping rtr "$ADDR"
	arm=vzroute
	for ((r = 1; r <= moves; r++)); do
		order=(vzroute by-hand)
		((r % 2)) || order=(by-hand vzroute)
		for a in "${order[@]}"; do
			use "$a"
			to=n1
			[[ ${_TOPO_CT_NODE[ct1]} == n2 ]] || to=n2
			opt=()
			[[ $a == vzroute ]] || opt=(-h)
			topo_move "${opt[@]}" ct1 "$to" "veth10${to#n}"
			result "$prefix-$a" outage_ms "$PING_OUTAGE_MS"
			result "$prefix-$a" gap_ms "$PING_GAP_MS"
		done
	done
done
check_kernel_log
echo "== migrate: done"
