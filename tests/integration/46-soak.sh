#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The invariant under churn.  First the checker itself
# (tests/tools/vzrcheck): it passes on a node whose routes are right, and
# catches drift it must catch: a route of vzroute's protocol nothing
# justifies, one with the wrong metric, a foreign route gone.  Then the
# churn soak (tests/guest/soak.sh) for VZR_SOAK_SECS seconds (default 60;
# make stress: 600), with the checker at every quiet point.
#
# The checker's part takes about 100 s under emulation and the soak its
# VZR_SOAK_SECS and a last check: 3 to 4 minutes on a loaded machine,
# twice as long with two VMs on two cores.
# timeout: 600

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

check=("$VZR_ROOT/tests/tools/vzrcheck" --timeout 20)
out=/tmp/vzr-46.out

# expect_check_fails WHAT: vzrcheck exits 1 and its output has WHAT.
expect_check_fails() {
	local rc=0
	"${check[@]}" "${@:2}" >"$out" 2>&1 || rc=$?
	if ((rc != 1)); then
		fail "vzrcheck exited $rc, not 1, with $1 (output: $(<"$out"))"
		return 1
	fi
	grep -qF -- "$1" "$out" || fail "vzrcheck did not name $1:"$'\n'"$(<"$out")"
}

ct_dual max_per_netns=2
ct_create c2 vh2
ct_addr c2 10.1.0.1/32
ct_addr c1 10.1.0.3/32
ct_addr c1 192.0.2.7/32
expect_states - <<-EOF
	10.1.0.1 $(ns_veid c1) installed
	10.1.0.1 $(ns_veid c2) standby
	10.1.0.3 $(ns_veid c1) over-cap
	192.0.2.7 $(ns_veid c1) denied
	2001:db8::1 $(ns_veid c1) installed
EOF
"${check[@]}" -v >"$out" 2>&1 || fail "vzrcheck fails on a node whose routes are right: $(<"$out")"
ok "checker: consistent node (standby, over-cap, denied) passes"

# A route of the protocol for an address nothing justifies.  vzroute
# hears no route added by someone else, so it stays until a resync.
ip route add 10.1.0.99/32 dev vh1 proto "$VZR_PROTO" metric 128
expect_check_fails "unjustified route: 10.1.0.99/32 dev vh1 proto $VZR_PROTO metric 128 table 254 in init"
ip route del 10.1.0.99/32 dev vh1 proto "$VZR_PROTO" metric 128
"${check[@]}" >"$out" 2>&1 || fail "vzrcheck still fails once the route is gone: $(<"$out")"
ok "checker: a route nobody justifies is named, and its removal passes"

# The same address, the wrong metric.
ip -6 route add 2001:db8::1/128 dev vh1 proto "$VZR_PROTO" metric 129
expect_check_fails "unjustified route: 2001:db8::1/128 dev vh1 proto $VZR_PROTO metric 129"
ip -6 route del 2001:db8::1/128 dev vh1 proto "$VZR_PROTO" metric 129
"${check[@]}" >"$out" 2>&1 || fail "vzrcheck still fails once the route is gone: $(<"$out")"
ok "checker: a route with the wrong metric is named"

# A foreign route the caller made must stay.
ip route add blackhole 10.9.9.9/32 proto static metric 7
echo "- 10.9.9.9/32 4 7 254 blackhole" >/tmp/vzr-46.foreign
"${check[@]}" --foreign /tmp/vzr-46.foreign >"$out" 2>&1 || fail "vzrcheck fails with its foreign route there: $(<"$out")"
ip route del blackhole 10.9.9.9/32 proto static metric 7
expect_check_fails "foreign route gone or changed: blackhole 10.9.9.9/32" --foreign /tmp/vzr-46.foreign
ok "checker: a foreign route that went is named"

# No module: the check cannot run, which is no pass.
mod_unload
rc=0
"${check[@]}" >"$out" 2>&1 || rc=$?
((rc == 2)) || fail "vzrcheck without the module exited $rc, not 2: $(<"$out")"
cleanup_all
ok "checker: no module, status 2"

dmesg_mark "46-soak: the soak"
VZR_SOAK_SECS=${VZR_SOAK_SECS:-60} "$VZR_ROOT/tests/guest/soak.sh" ||
	fail "the soak found a violation (above)"
ok "soak"
check_kernel_log
pass
