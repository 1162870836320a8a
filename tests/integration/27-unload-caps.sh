#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unloading withdraws every route of vzroute's protocol (one set after
# load) in the initial namespace and in a host
# namespace, even when rmmod runs without CAP_NET_ADMIN (a unit with a
# capability bounding set, or SELinux's kmod_t).

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

ns_create hn
ct_create c1 vh1
ct_create c2 vh2 hn
ct_addr c1 10.1.0.1/32
ct_addr6_nodad c1 2001:db8::1/64
ct_addr c2 10.1.0.2/32
ct_addr6_nodad c2 2001:db8::2/64
mod_load allow=10.0.0.0/8,2001:db8::/32
expect_routes '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 128, "scope": "link"}]'
expect_routes -6 '[{"dst": "2001:db8::1", "dev": "vh1", "metric": 128}]'
expect_routes -n hn '[{"dst": "10.1.0.2", "dev": "vh2", "metric": 128, "scope": "link"}]'
expect_routes -6 -n hn '[{"dst": "2001:db8::2", "dev": "vh2", "metric": 128}]'
# Moved to another protocol than the one at load.
vzr set proto 158
VZR_PROTO=158 expect_routes '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 128, "scope": "link"}]'
VZR_PROTO=158 expect_routes -n hn '[{"dst": "10.1.0.2", "dev": "vh2", "metric": 128, "scope": "link"}]'

nocap=(setpriv --bounding-set=-net_admin --inh-caps=-net_admin)
# shellcheck disable=SC2016 # awk's $2
caps=$("${nocap[@]}" awk '/^CapEff/ { print $2 }' /proc/self/status)
((!(16#$caps & (1 << 12)) && (16#$caps & (1 << 16)))) ||
	fail "setpriv did not leave CAP_SYS_MODULE without CAP_NET_ADMIN: CapEff $caps"
"${nocap[@]}" rmmod "$VZR_MOD"
_VZR_MOD_LOADED=0
for proto in 157 158; do
	for ns in '' hn; do
		VZR_PROTO=$proto expect_no_routes ${ns:+-n "$ns"} -t 2 || true
		VZR_PROTO=$proto expect_no_routes -6 ${ns:+-n "$ns"} -t 2 || true
	done
done
((VZR_FAILS)) || ok "rmmod without CAP_NET_ADMIN left no route of protocol 157 or 158"
check_kernel_log
pass
