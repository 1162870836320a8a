#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# modprobe finds the module DKMS installed for the running kernel and
# applies the options of /etc/modprobe.d/vzroute.conf: they are in sysfs
# and in the routes.  It lives outside tests/integration: only
# tests/check.sh's dkms step runs it (in its own VM boot), after installing
# the module through DKMS and writing tests/dkms/modprobe.conf there.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

kver=$(uname -r)
file=$(modinfo -F filename "$VZR_MOD") ||
	{ fail "modinfo finds no $VZR_MOD for $kver"; pass; }
[[ $file == /lib/modules/$kver/updates/dkms/$VZR_MOD.ko* ]] ||
	fail "modinfo $VZR_MOD: $file, not DKMS's /lib/modules/$kver/updates/dkms/"
grep -q '^options vzroute ' /etc/modprobe.d/vzroute.conf ||
	fail "no options line in /etc/modprobe.d/vzroute.conf"

modprobe "$VZR_MOD"
_VZR_MOD_LOADED=1
mod_loaded || fail "modprobe $VZR_MOD: not loaded"
[[ $(cat "/sys/module/$VZR_MOD/srcversion") == $(modinfo -F srcversion "$file") ]] ||
	fail "the loaded module is not $file"

p=/sys/module/$VZR_MOD/parameters
declare -A want=(
	[allow]="10.60.0.0/16,2001:db8:60::/48" [proto]=123 [metric]=260
	[table]=160 [host_ifnames]="vz*" [max_per_netns]=64 [keep_routes]=N
)
for k in "${!want[@]}"; do
	got=$(cat "$p/$k")
	[[ $got == "${want[$k]}" ]] || fail "parameter $k: '$got', want '${want[$k]}'"
done

ct_create c1 vz1
ct_addr c1 10.60.0.1/32
ct_addr c1 10.61.0.1/32		# not allowed
ct_create c2 veth2		# host side not vz*
ct_addr c2 10.60.0.2/32
VZR_PROTO=123 expect_routes '[{"dst": "10.60.0.1", "dev": "vz1", "metric": 260, "table": 160, "scope": "link"}]'
ok "modprobe applied /etc/modprobe.d/vzroute.conf"

modprobe -r "$VZR_MOD"
_VZR_MOD_LOADED=0
VZR_PROTO=123 expect_no_routes
pass
