#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Who may do what: anyone on the host may read; only CAP_NET_ADMIN in the
# initial user namespace may change; root in a container (its own network
# and user namespace) can change nothing and sees nothing of others; a
# namespace acting as a node sees only its own containers.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

ns_create node1
ct_create c1 vh1
ct_create c2 vh2 node1
ct_addr c1 10.1.0.1/32
ct_addr c2 10.1.0.2/32
mod_load allow=10.1.0.0/16
expect_routes '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 128, "scope": "link"}]'
expect_routes -n node1 '[{"dst": "10.1.0.2", "dev": "vh2", "metric": 128, "scope": "link"}]'
before=$(vzr -j config)

nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
n=$("${nobody[@]}" "$VZR_TOOL" show -j | jq length)
((n == 2)) || fail "unprivileged show lists $n entries, expected 2"
"${nobody[@]}" "$VZR_TOOL" config >/dev/null || fail "unprivileged config failed"
for args in "set metric 5" "allow add 10.9.0.0/16" "resync"; do
	# shellcheck disable=SC2086
	if out=$("${nobody[@]}" "$VZR_TOOL" $args 2>&1); then
		fail "unprivileged '$args' succeeded"
	fi
	[[ $out == *"permission denied"*"CAP_NET_ADMIN"* ]] || fail "unprivileged '$args': $out"
done
ok "unprivileged: reads, cannot change"

# Root in a container with its own user namespace.
ctroot=(ip netns exec c1 unshare --user --map-root-user)
for args in "set metric 5" "allow add 0.0.0.0/0" "resync"; do
	# shellcheck disable=SC2086
	if out=$("${ctroot[@]}" "$VZR_TOOL" $args 2>&1); then
		fail "container root '$args' succeeded"
	fi
	[[ $out == *"permission denied"* ]] || fail "container root '$args': $out"
done
[[ $("${ctroot[@]}" "$VZR_TOOL" show -j) == "[]" ]] || fail "container root sees entries"
"${ctroot[@]}" "$VZR_TOOL" stats >/dev/null 2>&1 && fail "container root reads the node's counters"
[[ $(vzr -j config) == "$before" ]] || fail "settings changed"
ok "container root: changes nothing, sees nothing"

# A namespace acting as a node sees its own containers only, and hears
# only their events.
[[ $(ip netns exec node1 "$VZR_TOOL" show -j | jq -c '[.[].address]') == '["10.1.0.2"]' ]] ||
	fail "node1 sees: $(ip netns exec node1 "$VZR_TOOL" show -j)"
monitor_start /tmp/node1.json node1 -- -j
monitor_start /tmp/init.json -- -j
ct_addr c1 10.1.0.11/32
ct_addr c2 10.1.0.12/32
expect_routes -n node1 '[{"dst": "10.1.0.2", "dev": "vh2", "metric": 128, "scope": "link"},
	{"dst": "10.1.0.12", "dev": "vh2", "metric": 128, "scope": "link"}]'
expect_routes '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 128, "scope": "link"},
	{"dst": "10.1.0.11", "dev": "vh1", "metric": 128, "scope": "link"}]'
poll_until 5 bash -c '[[ $(jq -s length /tmp/init.json) -ge 2 ]]' || true
monitor_stop
[[ $(jq -s -c '[.[].address] | sort' /tmp/node1.json) == '["10.1.0.12"]' ]] ||
	fail "node1 heard: $(cat /tmp/node1.json)"
[[ $(jq -s -c '[.[].address] | sort' /tmp/init.json) == '["10.1.0.11","10.1.0.12"]' ]] ||
	fail "the initial namespace heard: $(cat /tmp/init.json)"
ok "node namespace: its own entries and events only"

mod_unload
check_kernel_log
pass
