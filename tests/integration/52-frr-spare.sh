#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hot spare with FRR: the same address on a container behind n1 (primary)
# and on one behind n2 (spare).  n2's FRR announces it with a worse metric
# (examples/frr-node.conf with "redistribute kernel metric 200" instead of
# 100), so the core router uses n1; when the primary container stops,
# traffic goes to the spare; when it comes back, traffic returns to it.
# Each container has a second address of its own, and its echo counter
# tells which one answered.  Topology: tests/frr.sh.

set -euo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/frr.sh
. "$(dirname "$0")/../frr.sh"
trap topo_cleanup EXIT
dmesg_mark "${0##*/}"
topo_require frr

VIP=198.51.100.20

# answered_by CT [OTHER]: rtr pings $VIP; CT's echo counter must go up,
# OTHER's must not.
answered_by() {
	local ct=$1 other=${2-} a0 b0='' a1 b1=''
	a0=$(ct_echoes "$ct")
	[[ -z $other ]] || b0=$(ct_echoes "$other")
	expect_ping rtr "$VIP" || return
	a1=$(ct_echoes "$ct")
	[[ -z $other ]] || b1=$(ct_echoes "$other")
	((a1 > a0)) || { fail "$VIP: $ct did not answer ($a0 -> $a1 echo requests)"; return 1; }
	[[ $b1 == "$b0" ]] || { fail "$VIP: $other got echo requests too ($b0 -> $b1)"; return 1; }
}

mod_load allow="$TOPO_ALLOW" host_ifnames="$TOPO_HOST_IFNAMES"
topo_up -4 -m n2=200
topo_ct primary n1 veth101 "$VIP" 198.51.100.21
topo_ct spare n2 veth102 "$VIP" 198.51.100.22
expect_route rtr 198.51.100.21/32 "ospf r-n1"
expect_route rtr 198.51.100.22/32 "ospf r-n2"
expect_route rtr "$VIP/32" "ospf r-n1"
poll_until 10 topo_announced "$VIP" 10.255.0.2 || fail "n2 does not announce $VIP"
answered_by primary spare
ok "primary (n1, metric 100) carries $VIP; the spare (n2, metric 200) is announced and idle"

t0=$(_vzr_now_us)
topo_ct_stop primary
expect_no_routes -n n1
expect_route rtr "$VIP/32" "ospf r-n2"
took=$(topo_ms_since "$t0")
answered_by spare
ok "primary stopped: rtr sends $VIP to the spare on n2 ($took ms)"

t0=$(_vzr_now_us)
topo_ct primary n1 veth101 "$VIP" 198.51.100.21
expect_route rtr "$VIP/32" "ospf r-n1"
took=$(topo_ms_since "$t0")
answered_by primary spare
ok "primary back: rtr sends $VIP to n1 again ($took ms)"
check_kernel_log
pass
