#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The settings (the allow list and its bindings: which addresses the node
# gave which container) are the node's: GET_CONFIG is refused outside the
# initial network namespace, with a message, to a container's root and to
# root in a namespace acting as a node alike; in the initial namespace
# anyone reads them.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

ns_create node1
ct_create c1 vh1
mod_load 'allow=10.1.0.0/16,10.1.0.10/32@vh1'

nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
[[ $("${nobody[@]}" "$VZR_TOOL" -j config | jq -c .allow) == '["10.1.0.0/16","10.1.0.10/32@vh1"]' ]] ||
	fail "unprivileged config in the initial namespace: $("${nobody[@]}" "$VZR_TOOL" -j config 2>&1)"
ok "initial namespace: anyone reads the settings"

for who in "container root" "node namespace root"; do
	if [[ $who == "container root" ]]; then
		run=(ip netns exec c1 unshare --user --map-root-user)
	else
		run=(ip netns exec node1)
	fi
	for args in config "config -j"; do
		# shellcheck disable=SC2086
		if out=$("${run[@]}" "$VZR_TOOL" $args 2>&1); then
			fail "$who: '$args' answered: $out"
		fi
		[[ $out == *"Operation not permitted"*"only visible from the initial network namespace"* ]] ||
			fail "$who: '$args': $out"
		[[ $out != *"10.1.0"* ]] || fail "$who: '$args' shows an address: $out"
	done
done
ok "outside the initial namespace: settings refused with a reason"

mod_unload
check_kernel_log
pass
