#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A container's root keeps addresses tentative on its device (DAD that does
# not end), more than a note of the device names (kmod/note.h), beside many
# addresses that are not. DAD's end has no notifier, so vzroute polls the
# tentative ones: every 100 ms for their first seconds (kmod/decide.h,
# VZR_DAD_YOUNG), as DAD normally takes, then every 2 s (VZR_POLL_SLOW).
# More than four on a device cost a walk of its IPv6 list, so that is what
# the container's stuck addresses cost the node: one walk every 2 s, not
# every 100 ms. The scan's lookups are counted by a kprobe event on
# vzr_entry_lookup(), which it calls for each address it looks at. When
# DAD ends, the poll finds it: the addresses are routed.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

N=500	# addresses that are not tentative
K=8	# tentative ones: twice what a note names
uct_create vhu
mod_load allow=fd00::/16 max_per_netns=0
batch=
for ((i = 1; i <= N; i++)); do
	batch+=$(printf 'addr add fd00::1:%x/128 dev eth0 nodad' "$i")$'\n'
done
as_uct ip -batch - <<<"$batch"
# DAD that does not end while the poll is counted: probes 10 minutes
# apart, set through rtnetlink (see 43-hostile-flood).
as_uct sysctl -qw net.ipv6.conf.eth0.dad_transmits=10000
as_uct ip ntable change name ndisc_cache dev eth0 retrans 600000
batch=
for ((i = 1; i <= K; i++)); do
	batch+=$(printf 'addr add fd00::2:%x/128 dev eth0' "$i")$'\n'
done
as_uct ip -batch - <<<"$batch"
tentative=$(as_uct ip -6 -j addr show dev eth0 tentative |
	jq '[.[].addr_info[] | select((.local // "") | startswith("fd00::2:"))] | length')
[[ $tentative == "$K" ]] || fail "$tentative of the $K addresses are tentative in the kernel"

# routes6: how many IPv6 routes of ours the table has.
routes6() { ip -6 route show proto "$VZR_PROTO" | wc -l; }
# states_are ROUTED TENTATIVE: the addresses, as vzroute shows them.
counts() {
	vzr show -j | jq -c '[([.[] | select(.state == "installed")] | length),
		([.[] | select(.state == "tentative")] | length), length]'
}
states_are() { [[ $(counts) == "[$1,$2,$(($1 + $2))]" ]]; }
poll_until "$VZR_TIMEOUT" states_are "$N" "$K" ||
	fail "installed, tentative, all: $(counts), expected $N, $K and $((N + K))"
[[ $(routes6) == "$N" ]] || fail "$(routes6) routes, expected $N"
ok "$N addresses routed, $K tentative and not"

# old: the K tentative ones changed state VZR_DAD_YOUNG (3) seconds ago,
# and one more, by vzroute's clock (the wall clock's seconds).
old() {
	vzr show -j | jq -e --argjson now "$(date +%s)" --argjson k "$K" \
		'[.[] | select(.state == "tentative" and $now - .since >= 4)] | length == $k' >/dev/null
}
wait_for old

kprobe_count lookup vzr_entry_lookup
hits() { kprobe_hits lookup; }
# Two walks of the device's IPv6 addresses, each N + K lookups: every
# 2 s, they take at least that long; every 100 ms, as before 2026-12-06,
# a tenth of it.
t0=$(_vzr_now_us)
h0=$(hits)
two_walks() { (($(hits) >= h0 + 2 * (N + K))); }
poll_until $((VZR_TIMEOUT * 3)) two_walks ||
	fail "$(($(hits) - h0)) lookups in $(((VZR_TIMEOUT * 3))) s: the tentative addresses were not polled"
ms=$((($(_vzr_now_us) - t0) / 1000))
looked=$(($(hits) - h0))
((ms >= 1500)) ||
	fail "$looked lookups, two walks of the device's $((N + K)) addresses, in ${ms} ms: polled more often than every 2 s"
states_are "$N" "$K" || fail "after the poll: $(counts), expected $N, $K and $((N + K))"
ok "two walks of the device's $((N + K)) addresses took ${ms} ms ($looked lookups)"

# DAD that ends: the same addresses again, with three probes a second
# apart. The run their adds ask for finds them tentative, and nothing but
# the poll tells it that DAD ended.
as_uct sysctl -qw net.ipv6.conf.eth0.dad_transmits=3
as_uct ip ntable change name ndisc_cache dev eth0 retrans 1000
as_uct ip -batch - <<<"${batch//addr add/addr del}"
as_uct ip -batch - <<<"$batch"
all_routed() { [[ $(routes6) == $((N + K)) ]]; }
# DAD's 3 to 4 s, and the slow poll's 2 s if its youth ended first.
poll_until $((VZR_TIMEOUT * 3)) all_routed ||
	fail "$(routes6) routes after DAD, expected $((N + K))"
poll_until "$VZR_TIMEOUT" states_are $((N + K)) 0 ||
	fail "after DAD: $(counts), expected $((N + K)) installed"
got=$(ip -j -6 route show proto "$VZR_PROTO" dev vhu |
	jq -r '.[] | select(.dst | startswith("fd00::2:")) | "\(.dst) \(.metric)"' | sort)
want=$(for ((i = 1; i <= K; i++)); do printf 'fd00::2:%x 128\n' "$i"; done | sort)
[[ $got == "$want" ]] || fail "routes of the tentative addresses: $got, expected $want"
ok "DAD ended: the poll found it, the $K addresses routed through vhu"

mod_unload
expect_no_routes -6
check_kernel_log
pass
