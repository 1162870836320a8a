#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vzctl's own node routes for venet addresses (vz-net_add, protocol boot,
# by libvzctl version: "ip route replace ADDR dev venet0", metric 0 and
# IPv6 1024, or "ip route add ADDR dev venet0 metric 1000")
# coexist with vzroute's: neither replaces nor deletes the other's, in
# either order, and the container's stop takes vzroute's route only.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh" venet

venet_load
mod_load allow=10.0.0.0/8,2001:db8::/32
venet_node

# boot_routes [-6] ADDR: "METRIC,..." of the protocol-boot routes to ADDR
# through venet0 (what vzctl made), sorted.
boot_routes() {
	local fam=-4
	[[ $1 == -6 ]] && { fam=-6; shift; }
	ip "$fam" -N -j route show table main exact "$1" proto 3 dev venet0 |
		jq -r '[.[] | .metric // 0] | sort | map(tostring) | join(",")'
}
ours() {
	printf '[{"dst": "%s", "dev": "venet0", "metric": 128, "scope": "link"}]' "$1"
}
ours6() {
	printf '[{"dst": "%s", "dev": "venet0", "metric": 128}]' "$1"
}

# Destination of a live migration: addresses restored first, then vzctl
# maps them and runs vz-net_add at once, before vzroute's re-check.
vct_create c1 10.1.0.5 2001:db8::5
venet_map add c1 10.1.0.5 2001:db8::5
ip -batch - <<EOF2
route replace 10.1.0.5 dev venet0
route add 10.1.0.5 dev venet0 metric 1000
route replace 2001:db8::5 dev venet0
EOF2
expect_routes "$(ours 10.1.0.5)"
expect_routes -6 "$(ours6 2001:db8::5)"
[[ $(boot_routes 10.1.0.5) == 0,1000 ]] || fail "vzctl's IPv4 routes: $(boot_routes 10.1.0.5)"
[[ $(boot_routes -6 2001:db8::5) == 1024 ]] || fail "vzctl's IPv6 route: $(boot_routes -6 2001:db8::5)"
ok "vzctl's routes first: vzroute adds its own beside them"

# vzctl after vzroute (container start, or a later vz-net_add run).
vct_start c2 10.2.0.5
expect_routes "[$(ours 10.1.0.5 | tr -d '[]'), $(ours 10.2.0.5 | tr -d '[]')]"
ip -batch - <<EOF2
route replace 10.2.0.5 dev venet0
route add 10.2.0.5 dev venet0 metric 1000
EOF2
expect_stable_routes -t 2 "[$(ours 10.1.0.5 | tr -d '[]'), $(ours 10.2.0.5 | tr -d '[]')]"
[[ $(boot_routes 10.2.0.5) == 0,1000 ]] || fail "vzctl's routes for 10.2.0.5: $(boot_routes 10.2.0.5)"
ok "vzctl's replace after vzroute leaves vzroute's route alone"

# Source of a migration, or a stop: the container goes; vzroute takes its
# own routes away and leaves vzctl's to vz-stop.
ns_destroy c1
expect_routes "$(ours 10.2.0.5)"
expect_no_routes -6
[[ $(boot_routes 10.1.0.5) == 0,1000 ]] || fail "vzctl's IPv4 routes after the stop: $(boot_routes 10.1.0.5)"
[[ $(boot_routes -6 2001:db8::5) == 1024 ]] || fail "vzctl's IPv6 route after the stop: $(boot_routes -6 2001:db8::5)"
ok "container stop: vzroute's routes gone, vzctl's untouched"

# vz-net_del and vz-stop delete every route of the address ("ip route del
# ADDR" until none is left), vzroute's too; vzctl does that once the
# address has left the container. Should it do so while the address stays,
# vzroute hears its route deleted and adds it again (no resync needed),
# while vzctl's go for good. Each route is named by its metric, so that
# the deletions do not race with vzroute's re-add for which route the
# next bare "route del" takes.
ip -batch - <<EOF2
route del 10.2.0.5 metric 0
route del 10.2.0.5 metric 128
route del 10.2.0.5 metric 1000
EOF2
[[ -z $(boot_routes 10.2.0.5) ]] || fail "vzctl's routes for 10.2.0.5 not all deleted"
expect_routes "$(ours 10.2.0.5)"
ok "every route of the address deleted: vzctl's stay gone, vzroute's comes back by itself"

mod_unload
expect_no_routes
[[ -z $(ip route show table main exact 10.1.0.5 proto 157) ]] || fail "vzroute route left behind"
check_kernel_log
pass
