#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vzroute takes the IP map's symbols when it loads, and loads without them
# (a kernel without venet, or vznetdev not loaded yet): then the allow list
# is the only gate for venet containers, and the kernel log says so. Loaded
# again once the map is there, it refuses unmapped addresses, and the
# emulator (vznetdev) cannot be unloaded under it.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh" venet

[[ ! -d /sys/module/$VZR_VENET_MOD ]] || venet_unload
mod_load allow=10.0.0.0/8
dmesg_grep "venet: no IP map" || fail "no kernel log line about the missing IP map"
venet_load
venet_node
vct_start c1 10.1.0.5
vct_addrs add c1 10.1.0.6 192.0.2.6
r5='{"dst": "10.1.0.5", "dev": "venet0", "metric": 128, "scope": "link"}'
r6='{"dst": "10.1.0.6", "dev": "venet0", "metric": 128, "scope": "link"}'
expect_routes "[$r5, $r6]"
wait_for dmesg_grep "but no IP map"
ok "without the map: the allow list alone decides (10.1.0.6 routed, 192.0.2.6 denied)"

# With the map (vzroute reloaded after vznetdev): 10.1.0.6 is refused.
mod_unload
mod_load allow=10.0.0.0/8
dmesg_grep "routing only what the node's IP map assigns" || fail "map not found on reload"
expect_routes "[$r5]"
v1=$(ns_veid c1)
expect_states - <<EOF
10.1.0.5 $v1 installed
10.1.0.6 $v1 unmapped
192.0.2.6 $v1 unmapped
EOF
ok "with the map: the unmapped address is refused"

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
