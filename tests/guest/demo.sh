#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of "make demo" (tests/demo.sh boots the VM that runs it):
#	tests/vm/run.sh tests/guest/demo.sh
#
# Plays, with narration, what vzroute is for: a core router and two nodes
# running FRR (OSPF), a container that live-migrates from one node to the
# other while the router pings it, and a hot spare taking over.  The
# topology is the tests' (tests/lib/topo.sh), the node configuration is
# examples/frr-node.conf.  Then the same migration without a routing
# daemon, on the nodes' own LAN, with proxy ARP/NDP entries and a
# gratuitous ARP (tests/lib/lan.sh).  Output goes to the console.

set -euo pipefail
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=tests/lib/lib.sh
. "$here/../lib/lib.sh"
# shellcheck source=tests/lib/topo.sh
. "$here/../lib/topo.sh"
# shellcheck source=tests/lib/lan.sh
. "$here/../lib/lan.sh"
trap topo_cleanup EXIT

if [[ ${VZR_ALLOW_HOST:-0} != 1 ]] && ! grep -q 'vzr\.cmd=' /proc/cmdline; then
	echo "demo.sh: this runs in the vzroute VM: make demo (tests/demo.sh)" >&2
	exit 2
fi

demo_start=$(_vzr_now_us)

say() { printf '%s\n' "$*"; }
step() { printf '\n[%s] %s\n' "$1" "$2"; }

# show NS CMD...: print "NS# CMD" and CMD's output (run in NS), indented.
show() {
	local ns=$1 out
	shift
	printf '    %s# %s\n' "$ns" "$*"
	out=$(ip netns exec "$ns" "$@" 2>&1) || true
	[[ -n $out ]] || out="(nothing)"
	# shellcheck disable=SC2001 # one sed for every line
	sed 's/^/        /' <<<"$out"
}

# quiet CMD...: run CMD (in this shell: it may set variables) with its
# output aside; on failure show that output and stop.
quiet_out=/tmp/vzr-demo-out
quiet() {
	"$@" >"$quiet_out" 2>&1 && return 0
	say "FAILED: $*"
	cat "$quiet_out"
	exit 1
}

# ping_vip CT: rtr pings $VIP, which container CT must answer; ECHOES says
# how CT's count of echo requests went ("12 -> 13").
ping_vip() {
	local e
	e=$(ct_echoes "$1")
	quiet expect_answer "$VIP" "$1"
	ECHOES="$e -> $(ct_echoes "$1")"
}

A=198.51.100.10
A6=2001:db8:100::10
VIP=198.51.100.20

cat <<'EOF'

=====================================================================
  vzroute demo: host routes that follow containers
=====================================================================

Network namespaces in a QEMU guest play a small network: a core
router, two OpenVZ nodes, and their containers (routed veth, as OpenVZ 9
sets them up).  vzroute, loaded in the guest's kernel, puts a route to
each container address in its node's table; the node's FRR announces it
to the router over OSPF ("redistribute kernel", examples/frr-node.conf).

                 rtr              core router: FRR (OSPF, OSPFv3)
          r-n1  /   \  r-n2
          eth0 /     \ eth0
             n1       n2          nodes: FRR, examples/frr-node.conf
      veth101 |       | veth102
         eth0 |       | eth0
             ct1 ---> ct1         the container, before and after migrating

EOF

# Let "ip route" print "proto vzroute" rather than "proto 157".
if [[ -f $VZR_ROOT/rt_protos.d/vzroute.conf && -d /etc/iproute2/rt_protos.d ]]; then
	cp "$VZR_ROOT/rt_protos.d/vzroute.conf" /etc/iproute2/rt_protos.d/ 2>/dev/null || true
fi

step 1 "Load vzroute"
say "    # insmod vzroute.ko allow=$TOPO_ALLOW host_ifnames='$TOPO_HOST_IFNAMES'"
modprobe veth
quiet mod_load allow="$TOPO_ALLOW" host_ifnames="$TOPO_HOST_IFNAMES"
say "    Only addresses in allow= are routed, and only behind host-side veths"
say "    named veth*: the nodes' uplinks are veths too, and are left alone."

step 2 "Start the network: namespaces, links, FRR on rtr, n1 and n2"
t0=$(_vzr_now_us)
quiet topo_up
say "    zebra, ospfd and ospf6d in each namespace, up in $(topo_ms_since "$t0") ms."

step 3 "Container ct1 starts on n1 with $A and $A6"
quiet topo_ct ct1 n1 veth101 "$A" "$A6"
quiet expect_routes -n n1 "[{\"dst\": \"$A\", \"dev\": \"veth101\", \"metric\": 128, \"scope\": \"link\"}]"
quiet expect_routes -6 -n n1 "[{\"dst\": \"$A6\", \"dev\": \"veth101\", \"metric\": 128}]"
say "    vzroute added the node's routes to the container:"
show n1 ip route show proto vzroute
show n1 ip -6 route show proto vzroute
show n2 ip route show proto vzroute
t0=$(_vzr_now_us)
quiet expect_route rtr "$A/32" "ospf r-n1"
quiet expect_route -6 rtr "$A6/128" "ospf r-n1"
say "    The router learned them over OSPF from n1 (OSPF adjacencies"
say "    included: $(topo_ms_since "$t0") ms):"
show rtr ip route show "$A"
show rtr ip -6 route show "$A6"
quiet expect_ping rtr "$A"
say "    rtr pings $A: answered."

step 4 "Live migration: ct1 moves from n1 to n2 while rtr pings it every 10 ms"
say "    Its namespace stays; its veth is deleted on n1 and a new one comes"
say "    up on n2 with the same addresses, as after a live migration."
quiet topo_move ct1 n2 veth102
say "    Right after the move:"
show n1 ip route show proto vzroute
show n2 ip route show proto vzroute
show rtr ip route show "$A"
say "    rtr's route moved to n2 in $MOVE_CONV_MS ms (as seen by polling)."
say "    Outage: $PING_LOST of $PING_SENT pings lost, one sent every" \
	"$((PING_STEP_US / 1000)).$((PING_STEP_US / 100 % 10)) ms: $PING_OUTAGE_MS ms;"
say "    longest time without a reply: $PING_GAP_MS ms."
say "    (Emulated time: on an idle machine this VM needs 700-800 ms to move"
say "    such a route even by hand; on real hardware the same takes ~30 ms.)"
quiet expect_route -6 rtr "$A6/128" "ospf r-n2"
show rtr ip -6 route show "$A6"
say "    IPv6 followed once the container's address passed DAD on n2."

step 5 "Hot spare: $VIP on a primary container behind n1, a spare behind n2"
say "    n2 becomes a spare node: its FRR announces container routes with a"
say "    worse metric (examples/frr-node.conf says 100):"
say "    n2# vtysh -c 'configure terminal' -c 'router ospf'" \
	"-c 'redistribute kernel metric 200 route-map VZROUTE-4'"
quiet topo_vtysh n2 "configure terminal" "router ospf" "redistribute kernel metric 200 route-map VZROUTE-4"
quiet topo_ct primary n1 veth103 "$VIP" 198.51.100.21
quiet topo_ct spare n2 veth104 "$VIP" 198.51.100.22
quiet expect_route rtr 198.51.100.22/32 "ospf r-n2"
quiet expect_route rtr "$VIP/32" "ospf r-n1"
show n1 ip route show proto vzroute
show n2 ip route show proto vzroute
show rtr ip route show "$VIP"
ping_vip primary
say "    rtr pings $VIP: the primary answered ($ECHOES echo requests)."
say "    The primary container stops (its namespace is deleted):"
t0=$(_vzr_now_us)
quiet topo_ct_stop primary
quiet expect_route rtr "$VIP/32" "ospf r-n2"
took=$(topo_ms_since "$t0")
show n1 ip route show proto vzroute
show rtr ip route show "$VIP"
ping_vip spare
say "    rtr sends $VIP to the spare on n2 after $took ms; the spare answered"
say "    ($ECHOES echo requests)."
t0=$(_vzr_now_us)
quiet topo_ct primary n1 veth103 "$VIP" 198.51.100.21
quiet expect_route rtr "$VIP/32" "ospf r-n1"
say "    The primary comes back: rtr returns to n1 after $(topo_ms_since "$t0") ms."

step 6 "No routing daemon: containers on the nodes' own LAN"
quiet topo_cleanup
say "    Most OpenVZ nodes route nothing: their containers take addresses from"
say "    the LAN, and the node answers ARP and NDP for them on its uplink"
say "    (vzctl: vzarp, arping -A, ndsend).  With neigh_devs=, vzroute does"
say "    that in the kernel, in step with the route.  A new LAN: a bridge, the"
say "    nodes n1 and n2 on it (192.0.2.1, .2), a LAN host lh (192.0.2.100),"
say "    no FRR."
say "    # insmod vzroute.ko allow=$LAN_ALLOW host_ifnames='veth*' neigh_devs=detect"
quiet lan_up
quiet mod_load allow="$LAN_ALLOW" host_ifnames='veth*' neigh_devs=detect
quiet topo_ct ct1 n1 veth101 192.0.2.10 2001:db8:1::10
quiet expect_proxies n1 "192.0.2.10 eth0" "2001:db8:1::10 eth0"
say "    ct1 starts on n1 with 192.0.2.10 and 2001:db8:1::10: a route and a"
say "    proxy entry on the uplink for each, announced to the LAN:"
show n1 ip neigh show proxy
say "    # vzroute show"
"$VZR_TOOL" show | sed 's/^/        /'
quiet expect_ping lh 192.0.2.10
quiet expect_ping -6 lh 2001:db8:1::10
say "    lh reaches it, at n1's MAC ($(lan_mac n1)):"
show lh ip neigh show 192.0.2.10
say "    ct1 migrates to n2 while lh pings it every 10 ms:"
quiet lan_move ct1 192.0.2.10 n2 veth102 "$(lan_mac n1)" "$(lan_mac n2)" 10
show n1 ip neigh show proxy
show n2 ip neigh show proxy
show lh ip neigh show 192.0.2.10
say "    n1's entry went with the container; n2 announced its own, and lh"
say "    moved to n2's MAC ($(lan_mac n2)) $MOVE_NEIGH_MS ms after the container"
say "    was up there, instead of probing n1 until its entry timed out."
say "    Outage: $PING_OUTAGE_MS ms; longest time without a reply: $PING_GAP_MS ms."

step 7 "Done"
say "    Stopping FRR and removing the namespaces.  The demo took" \
	"$(($(topo_ms_since "$demo_start") / 1000)) s in the guest."
say "    Tests of the same scenarios: tests/integration/5*.sh and 6*.sh"
say "    (make check)."
