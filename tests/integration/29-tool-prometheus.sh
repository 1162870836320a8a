#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vzroute stats -o prometheus against the real module: the output passes
# promtool check metrics (Debian's prometheus package) and a strict reader
# of the format (userspace/test/promcheck.awk); its counters are those of
# stats -j, and they move as routes are added, refused and removed; the
# per-state gauges count what show -j and ip route show; vzroute_info
# carries the module's settings.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

command -v promtool >/dev/null || fail "promtool not installed (apt-get install prometheus; tests/lib/deps.sh lists it)"

# prom: the samples of stats -o prometheus, read strictly, as
# "NAME{LABELS} VALUE".
prom() {
	local out
	out=$(vzr stats -o prometheus) || { echo "stats -o prometheus failed" >&2; return 1; }
	awk -f "$VZR_ROOT/userspace/test/promcheck.awk" <<<"$out"
}
# promtool_ok: promtool check metrics finds no problem in stats -o
# prometheus (a Go program: seconds to start under emulation, so it runs
# at each step, not in every poll).
promtool_ok() {
	local lint
	lint=$(vzr stats -o prometheus | promtool check metrics 2>&1) || { fail "promtool check metrics: $lint"; return 1; }
	[[ -z $lint ]] || fail "promtool check metrics found problems: $lint"
}
# sample NAME SAMPLES: the value of the series NAME.
sample() {
	awk -v s="$1" '$1 == s { print $2; f = 1 } END { exit !f }' <<<"$2"
}
# shellcheck disable=SC2317 # called through wait_for
# same_as_json: stats -o prometheus and stats -j, read one after the
# other, agree on every counter (retried while something still moves).
same_as_json() {
	local p j
	p=$(prom) || return
	j=$(vzr stats -j | jq -r 'to_entries[] | "vzroute_\(.key)\(if .key == "backlog_max" or .key == "tracked" or .key == "table_bytes" then "" else "_total" end) \(.value)"')
	[[ $(grep -v '^vzroute_entries\|^vzroute_info' <<<"$p") == "$j" ]]
}

mod_load allow=10.1.0.0/16
for c in c1 c2 c3 c4; do
	ct_create "$c" "v$c"
done
wait_for same_as_json
promtool_ok
ok "stats -o prometheus: promtool finds no problem; every counter of stats -j, same value"
p0=$(prom)

ct_addr c1 10.1.0.1/32
ct_addr c2 10.1.0.2/32
ct_addr c3 10.1.0.3/32
ct_addr c4 10.2.0.4/32
expect_routes '[{"dst": "10.1.0.1", "dev": "vc1", "metric": 128, "scope": "link"},
		{"dst": "10.1.0.2", "dev": "vc2", "metric": 128, "scope": "link"},
		{"dst": "10.1.0.3", "dev": "vc3", "metric": 128, "scope": "link"}]'
# shellcheck disable=SC2317 # called through wait_for
three_installed() {
	p1=$(prom) && [[ $(sample 'vzroute_entries{state="installed"}' "$p1") == 3 &&
		$(sample 'vzroute_entries{state="denied"}' "$p1") == 1 ]]
}
wait_for three_installed
for m in routes_added:3 denied:1 routes_removed:0; do
	n=vzroute_${m%:*}_total
	d=$(($(sample "$n" "$p1") - $(sample "$n" "$p0")))
	[[ $d == "${m#*:}" ]] || fail "$n moved by $d, expected ${m#*:}"
done
[[ $(sample vzroute_events_total "$p1") -gt $(sample vzroute_events_total "$p0") ]] || fail "vzroute_events_total did not move"
# the gauges: every state, and as many as show -j has in each
want=$(vzr show -j | jq -r 'group_by(.state)[] | "\(.[0].state) \(length)"' | sort)
got=$(grep '^vzroute_entries' <<<"$p1" | sed -n 's/^vzroute_entries{state="\([a-z-]*\)"} \([0-9]*\)$/\1 \2/p' | awk '$2 > 0' | sort)
[[ $got == "$want" ]] || fail "entries per state: prometheus \"$got\", show -j \"$want\""
[[ $(grep -c '^vzroute_entries{state=' <<<"$p1") -ge 13 ]] || fail "not every state has its gauge"
promtool_ok
ok "three routes and one refusal: routes_added +3, denied +1, entries installed 3 and denied 1, as show -j"

ip -n c2 addr del 10.1.0.2/32 dev eth0
# shellcheck disable=SC2317 # called through wait_for
two_installed() {
	p2=$(prom) && [[ $(sample 'vzroute_entries{state="installed"}' "$p2") == 2 ]]
}
wait_for two_installed
d=$(($(sample vzroute_routes_removed_total "$p2") - $(sample vzroute_routes_removed_total "$p1")))
[[ $d == 1 ]] || fail "vzroute_routes_removed_total moved by $d, expected 1"
[[ $(ip -j route show proto "$VZR_PROTO" | jq length) == 2 ]] || fail "ip route: not 2 routes of ours"
wait_for same_as_json
promtool_ok
ok "an address deleted: routes_removed +1, installed 2 (ip route agrees), still equal to stats -j"

vzr set metric 150
info=$(grep '^vzroute_info{' <<<"$(prom)")
want=$(vzr config -j | jq -r '"proto=\"\(.proto)\",metric=\"\(.metric)\",table=\"\(.table)\",max_per_netns=\"\(.max_per_netns)\",keep_routes=\"\(if .keep_routes then 1 else 0 end)\""')
[[ $info == *",$want,"* && $info == *'metric="150"'* && $info == *'version="'* && $info == *'} 1' ]] ||
	fail "vzroute_info: $info; expected to hold $want"
ok "vzroute_info: the settings of config -j (metric 150 after set)"

mod_unload
out=$(vzr stats -o prometheus 2>/dev/null) && fail "stats -o prometheus succeeded without the module"
[[ -z $out ]] || fail "stats -o prometheus printed something without the module: $out"
ok "module not loaded: exit 1, nothing on stdout"
check_kernel_log
pass
