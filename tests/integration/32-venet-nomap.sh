#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# venet fails closed: loaded before the IP map exists (vznetdev loaded
# later, or not at all), vzroute routes no venet address until the map is
# there, looks for the map again by itself, and then routes what it
# assigns. An address taken out of the map while it stays on the
# container's venet loses its route within VZR_MAP_RECHECK (1 s). vzroute
# holds the map's module while loaded.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh" venet

[[ ! -d /sys/module/$VZR_VENET_MOD ]] || venet_unload
mod_load allow=10.0.0.0/8
dmesg_grep "venet: no IP map" || fail "no kernel log line about the missing IP map"
venet_load
venet_node
vct_create c1
vct_addrs add c1 10.1.0.5 10.1.0.6 192.0.2.6
v1=$(ns_veid c1)
expect_states "[
	{\"address\": \"10.1.0.5\", \"netns\": $v1, \"state\": \"unmapped\"},
	{\"address\": \"10.1.0.6\", \"netns\": $v1, \"state\": \"unmapped\"},
	{\"address\": \"192.0.2.6\", \"netns\": $v1, \"state\": \"unmapped\"}
]"
expect_no_routes
ok "map loaded after vzroute, nothing in it yet: every venet address unmapped, none routed"

# The map is found once it names an address: no reload needed.
venet_map add c1 10.1.0.5
r5='{"dst": "10.1.0.5", "dev": "venet0", "metric": 128, "scope": "link"}'
expect_routes "[$r5]"
wait_for dmesg_grep "routing only what the node's IP map assigns"
expect_states "[
	{\"address\": \"10.1.0.5\", \"netns\": $v1, \"state\": \"installed\"},
	{\"address\": \"10.1.0.6\", \"netns\": $v1, \"state\": \"unmapped\"},
	{\"address\": \"192.0.2.6\", \"netns\": $v1, \"state\": \"unmapped\"}
]"
ok "the map found later: what it assigns is routed, the rest stays unmapped"

# Taken out of the map, left on the device: withdrawn by the periodic
# check, with no event on the device to trigger it.
venet_map del c1 10.1.0.5
expect_no_routes -t 5
venet_map add c1 10.1.0.5
expect_routes "[$r5]"
ok "a map entry removed while the address stays: the route goes, and comes back with the entry"

# That periodic look asks the map about the addresses tracked, not about
# every address on the device: addresses a container keeps past
# max_tracked_per_netns cost nothing each second. The look is seen by
# the route it takes away (the address then unmapped is polled, and may
# get it back before the next look).
mod_unload
mod_load allow=10.0.0.0/8 max_tracked_per_netns=3
expect_routes "[$r5]"
vct_addrs add c1 10.1.0.20 10.1.0.21
# shellcheck disable=SC2317 # called through wait_for
untracked_at_least() {
	(($(vzr_counter untracked) >= $1))
}
wait_for untracked_at_least 2
u0=$(vzr_counter untracked)
venet_map del c1 10.1.0.5
expect_no_routes -t 5
venet_map add c1 10.1.0.5
expect_routes "[$r5]"
u=$(vzr_counter untracked)
((u == u0)) || fail "untracked went from $u0 to $u: the periodic look read the addresses left out"
ok "the periodic look reads no address past max_tracked_per_netns"

# vzroute holds the map's module while loaded.
if rmmod "$VZR_VENET_MOD" 2>/dev/null; then
	_VZR_VENET_LOADED=0
	fail "the emulator was unloaded under vzroute"
fi
mod_unload
expect_no_routes
venet_unload
ok "the map's module is held while vzroute runs, released at unload"
check_kernel_log
pass
