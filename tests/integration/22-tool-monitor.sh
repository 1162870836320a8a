#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vzroute monitor: the events of a scripted scenario arrive, in order, one
# JSON object per line.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

ct_create c1 vh1
ct_create c2 vh2
mod_load allow=10.1.0.0/16
monitor_start /tmp/events.json -- -j

ct_addr c1 10.1.0.1/32
expect_routes '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 128, "scope": "link"}]'
ct_addr c2 10.1.0.1/32
poll_until 5 bash -c "$VZR_TOOL show -j | jq -e 'any(.state == \"standby\")'" >/dev/null ||
	fail "no standby entry"
ip -n c1 addr del 10.1.0.1/32 dev eth0
expect_routes '[{"dst": "10.1.0.1", "dev": "vh2", "metric": 128, "scope": "link"}]'
ct_addr c2 10.9.0.1/32
poll_until 5 bash -c "$VZR_TOOL show -j | jq -e 'any(.state == \"denied\")'" >/dev/null ||
	fail "no denied entry"
vzr set metric 200
expect_routes '[{"dst": "10.1.0.1", "dev": "vh2", "metric": 200, "scope": "link"}]'
ip -n c2 link set eth0 down
expect_no_routes

want=$(json_rows event address host_ifname <<'EOF'
installed  10.1.0.1  vh1
standby    10.1.0.1  vh2
withdrawn  10.1.0.1  vh1
takeover   10.1.0.1  vh2
denied     10.9.0.1  vh2
installed  10.1.0.1  vh2
withdrawn  10.1.0.1  vh2
state      10.9.0.1  vh2
EOF
)
got() {
	jq -s -c '[.[] | {event, address, host_ifname}]' /tmp/events.json
}
poll_until 5 bash -c "[[ \$(jq -s length /tmp/events.json) -ge $(jq length <<<"$want") ]]" || true
monitor_stop
[[ $(got) == "$(jq -c . <<<"$want")" ]] ||
	fail "events:"$'\n'"$(got | jq -c '.[]')"$'\n'"expected:"$'\n'"$(jq -c '.[]' <<<"$want")"
jq -e -s 'all(.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$"))' /tmp/events.json >/dev/null ||
	fail "events without a timestamp"
jq -e -s '.[5].route == {"protocol": 157, "metric": 200, "table": 254}' /tmp/events.json >/dev/null ||
	fail "the metric change event does not carry the new route"
ok "monitor -j: $(jq -s length /tmp/events.json) events in order, timestamped"

mod_unload
check_kernel_log
pass
