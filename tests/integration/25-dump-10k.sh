#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A dump of 10,000 tracked addresses (many netlink messages, resumed by the
# kernel across reads) returns every one of them.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

n=${VZR_DUMP_N:-10000}
per=1000
mod_load allow=10.0.0.0/8 max_per_netns=0
for ((c = 0; c < n / per; c++)); do
	ct_create "d$c" "vd$c"
	b=
	for ((i = 0; i < per; i++)); do
		b+="addr add 10.$((100 + c)).$((i / 250)).$((i % 250 + 1))/32 dev eth0"$'\n'
	done
	ip -n "d$c" -batch - <<<"$b"
done

count() {
	local got
	got=$(vzr show -j | jq 'map(select(.state == "installed")) | length')
	[[ $got == "$n" ]]
}
poll_until 120 count || fail "show -j lists $(vzr show -j | jq length) entries, expected $n installed"
[[ $(ip -j route show proto 157 | jq length) == "$n" ]] || fail "not $n routes in the table"
got=$(vzr show -j | jq -c '[.[].address] | unique | length')
[[ $got == "$n" ]] || fail "$got distinct addresses in the dump, expected $n"
ok "dump of $n entries complete"
mod_unload
expect_no_routes -t 60
check_kernel_log
pass
