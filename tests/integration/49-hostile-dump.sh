#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A container's root dumps vzroute's table ("vzroute show", GET_ADDRS) as
# often as it likes: it sees nothing, since no host side is ever in a
# namespace of its own, and its dumps cost no walk of the node's entries
# under vzroute's lock. The walk is counted by a kprobe event on
# vzr_entry_next(), which a dump calls for each entry it passes: not once
# for the container's dumps; once for each of the node's entries, and
# more, for the node's own dump, which shows the probe counts.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

N=500
ct_create c1 vh1
uct_create vhu
mod_load allow=10.1.0.0/16 max_per_netns=0
batch=
for ((i = 0; i < N; i++)); do
	batch+="addr add 10.1.$((i / 250)).$((i % 250 + 1))/32 dev eth0"$'\n'
done
ip -n c1 -batch - <<<"$batch"
as_uct ip addr add 10.1.9.1/32 dev eth0
# shellcheck disable=SC2317 # called through wait_for
all_routed() {
	[[ $(vzr show -j | jq '[.[] | select(.state == "installed")] | length') == $((N + 1)) ]]
}
wait_for all_routed

kprobe_count next vzr_entry_next
hits() { kprobe_hits next; }
h0=$(hits)
for ((i = 0; i < 5; i++)); do
	out=$(as_uct "$VZR_TOOL" show -j)
	jq -e 'length == 0' <<<"$out" >/dev/null ||
		fail "the container's dump shows entries: $(jq -c '.[:3]' <<<"$out")"
done
h1=$(hits)
((h1 == h0)) || fail "the container's 5 dumps walked $((h1 - h0)) entries"
n=$(vzr show -j | jq length)
h2=$(hits)
((n == N + 1)) || fail "the node's dump shows $n entries, expected $((N + 1))"
((h2 - h1 >= N + 1)) ||
	fail "the node's dump walked $((h2 - h1)) entries of $((N + 1)): the probe does not count"
ok "a container's 5 dumps: nothing shown, no entry walked (the node's: $((h2 - h1)) steps for $n entries)"

mod_unload
expect_no_routes
check_kernel_log
pass
