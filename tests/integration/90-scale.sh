#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Scale, not timed: 200 container namespaces with 5 addresses each appear,
# every route appears; they disappear, no route is left.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

n=${VZR_SCALE_NS:-200}
k=5
mod_load allow=10.0.0.0/8 max_per_netns=$k

batch=
for ((i = 0; i < n; i++)); do
	batch+="netns add s$i"$'\n'
	batch+="link add name vs$i type veth peer name eth0 netns s$i"$'\n'
	batch+="link set vs$i up"$'\n'
done
ip -batch - <<<"$batch"
for ((i = 0; i < n; i++)); do
	b="link set lo up"$'\n'"link set eth0 up"$'\n'
	for ((j = 1; j <= k; j++)); do
		b+="addr add 10.$((i / 250)).$((i % 250)).$j/32 dev eth0"$'\n'
	done
	ip -n "s$i" -batch - <<<"$b"
done

expected=$(for ((i = 0; i < n; i++)); do
	for ((j = 1; j <= k; j++)); do
		printf '{"dst":"10.%d.%d.%d","dev":"vs%d","metric":128,"scope":"link"}\n' \
			$((i / 250)) $((i % 250)) "$j" "$i"
	done
done | jq -s -c .)
expect_routes -t 120 "$expected"
ok "$((n * k)) routes installed"

batch=
for ((i = 0; i < n; i++)); do
	batch+="netns del s$i"$'\n'
done
ip -batch - <<<"$batch"
expect_no_routes -t 180
ok "all namespaces gone: no route left"
mod_unload
check_kernel_log
pass
