#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vzroute show (table and JSON) in every state the module produces, checked
# against the host's routing table and the containers' real addresses.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

for c in c1 c2 c3 c4 c5 c6; do
	ct_create "$c" "v$c"
done
ip addr add 10.1.5.5/32 dev lo
ip route add 10.1.0.9/32 dev vc3 metric 128 proto static
ip addr add 2001:db8::77/128 dev vc1 nodad
mod_load allow=10.1.0.0/16,2001:db8::/32 max_per_netns=3

ct_addr c1 10.1.0.1/32
ct_addr c1 10.2.0.1/32
ct_addr6_nodad c1 2001:db8::1/64
ct_addr c1 2001:db8::77/64
expect_routes '[{"dst": "10.1.0.1", "dev": "vc1", "metric": 128, "scope": "link"}]'
ct_addr c2 10.1.0.1/32
ct_addr c3 10.1.0.9/32
ct_addr c4 10.1.5.5/32
ip -n c5 link set eth0 down
ct_addr c5 10.1.0.7/32
for i in 1 2 3 4; do
	ct_addr c6 "10.1.6.$i/32"
done

want=$(json_rows address host_ifname state <<'EOF'
10.1.0.1      vc1  installed
10.1.0.1      vc2  standby
10.1.0.7      vc5  down
10.1.0.9      vc3  conflict
10.1.5.5      vc4  host-local
10.1.6.1      vc6  installed
10.1.6.2      vc6  installed
10.1.6.3      vc6  installed
10.1.6.4      vc6  over-cap
10.2.0.1      vc1  denied
2001:db8::1   vc1  installed
2001:db8::77  vc1  dad-failed
EOF
)
states() {
	vzr show -j | jq -c '[.[] | {address, host_ifname, state}] | sort_by(.address, .host_ifname)'
}
same_states() {
	[[ $(states) == "$(jq -c 'sort_by(.address, .host_ifname)' <<<"$want")" ]]
}
poll_until 15 same_states ||
	fail "vzroute show -j states:"$'\n'"$(states | jq -c '.[]')"$'\n'"expected:"$'\n'"$(jq -c '.[]' <<<"$want")"
ok "show -j reports every state"

# Installed entries carry exactly the routes in the table, and every
# route of ours belongs to an installed entry.
from_show=$(vzr show -j | jq -c '[.[] | select(.state == "installed")
	| {dst: .address, dev: .host_ifname, protocol: .route.protocol,
	   metric: .route.metric, table: .route.table}] | sort_by(.dst)')
from_ip=$( { ip -4 -N -j route show table all proto 157; ip -N -j -6 route show table all proto 157; } |
	jq -s -c '[.[][] | {dst, dev, protocol: ((.protocol // "157") | tonumber),
	   metric: (.metric // 0), table: ((.table // "254") | tonumber)}] | sort_by(.dst)')
[[ $from_show == "$from_ip" ]] ||
	fail "show -j and ip route disagree:"$'\n'"  show: $from_show"$'\n'"  ip:   $from_ip"
ok "show -j agrees with ip route field by field"

# Every qualifying address on a container device is listed, nothing else.
real=$(for c in c1 c2 c3 c4 c5 c6; do
	ip -n "$c" -j addr show dev eth0
done | jq -s -c '[.[][].addr_info[] | select(.scope == "global") | .local] | sort')
listed=$(vzr show -j | jq -c '[.[].address] | sort')
[[ $real == "$listed" ]] || fail "addresses: containers have $real, show lists $listed"
ok "show -j lists exactly the containers' addresses"

# The readable table: a header and one line per address.
table=$(vzr show)
[[ $(head -n 1 <<<"$table") == ADDRESS*STATE* ]] || fail "no header: $table"
[[ $(($(wc -l <<<"$table") - 1)) == 12 ]] || fail "show: expected 12 lines:"$'\n'"$table"
grep -E '^10\.1\.0\.9 .* conflict' <<<"$table" >/dev/null || fail "show: no conflict line"
vzr show -6 -j | jq -e 'length == 2 and all(.family == "inet6")' >/dev/null ||
	fail "show -6 is not the two IPv6 entries"
ok "readable table and family filter"

mod_unload
out=$(vzr show 2>&1) && fail "show succeeded without the module"
[[ $out == *"not loaded"*"modprobe vzroute"* ]] || fail "no not-loaded hint: $out"
ok "module not loaded: clear message"
check_kernel_log
pass
