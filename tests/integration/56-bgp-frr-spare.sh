#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hot spare with FRR over eBGP: nodes n1 (AS 65001) and n2 (AS 65002) run
# zebra and bgpd configured from examples/frr-node-bgp.conf, the router
# (AS 65000) bgpd; n2 is the spare (the example's AS-path prepends
# switched on).  The same address behind n1 and n2: rtr uses n1 (the
# shorter AS path) and holds n2's path with the prepends; when the primary
# stops, traffic goes to the spare; when it comes back, back to n1.
# 58-bgp-bird-spare runs this with BIRD on the nodes (VZR_BGP_NODE=bird,
# examples/bird-node-bgp.conf with SPARE = 1 on n2).
# Routes are asserted in rtr's kernel table (ip -j route) and packets by
# the containers' echo counters.  Topology: tests/lib/topo.sh.

kind=${VZR_BGP_NODE:-frr}
if [[ $kind == bird ]]; then
	# shellcheck source=tests/lib/test.sh
	. "$(dirname "$0")/../lib/test.sh" frr bird
else
	# shellcheck source=tests/lib/test.sh
	. "$(dirname "$0")/../lib/test.sh" frr
fi

VIP=198.51.100.20
birds=()
[[ $kind == bird ]] && birds=(-b n1 -b n2)

mod_load allow="$TOPO_ALLOW" host_ifnames="$TOPO_HOST_IFNAMES"
t0=$(_vzr_now_us)
topo_up -4 -g -s n2 "${birds[@]}"
echo "note: rtr and n1, n2 with $kind started in $(topo_ms_since "$t0") ms"

topo_ct primary n1 veth111 "$VIP" 198.51.100.21
topo_ct spare n2 veth112 "$VIP" 198.51.100.22
expect_route rtr 198.51.100.21/32 "bgp r-n1"
expect_route rtr 198.51.100.22/32 "bgp r-n2"
expect_route rtr "$VIP/32" "bgp r-n1"
# rtr's own view of the two paths: n1's plain, n2's prepended twice.
poll_until "$TOPO_TIMEOUT" topo_bgp_path "$VIP/32" 10.0.2.2 >/dev/null ||
	fail "rtr has no path to $VIP from n2"
[[ $(topo_bgp_path "$VIP/32" 10.0.1.2) == 65001 ]] ||
	fail "rtr: AS path of $VIP from n1: \"$(topo_bgp_path "$VIP/32" 10.0.1.2)\", expected 65001"
[[ $(topo_bgp_path "$VIP/32" 10.0.2.2) == "65002 65002 65002" ]] ||
	fail "rtr: AS path of $VIP from n2: \"$(topo_bgp_path "$VIP/32" 10.0.2.2)\", expected 65002 65002 65002"
expect_answer "$VIP" primary spare
ok "primary (n1, AS path 65001) carries $VIP; the spare (n2, 65002 65002 65002) is announced and idle"

t0=$(_vzr_now_us)
topo_ct_stop primary
expect_route rtr "$VIP/32" "bgp r-n2"
took=$(topo_ms_since "$t0")
expect_answer "$VIP" spare
expect_no_routes -n n1
ok "primary stopped: rtr sends $VIP to the spare on n2 ($took ms)"

t0=$(_vzr_now_us)
topo_ct primary n1 veth111 "$VIP" 198.51.100.21
expect_route rtr "$VIP/32" "bgp r-n1"
took=$(topo_ms_since "$t0")
expect_answer "$VIP" primary spare
ok "primary back: rtr sends $VIP to n1 again ($took ms)"
check_kernel_log
pass
