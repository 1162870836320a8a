#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed and invalid netlink requests (wrong types, missing attributes,
# out-of-range values, unknown attributes, oversized strings, truncated
# messages) are each refused with a message, and change neither the
# settings nor the routes.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

ct_dual
v4=$V4
v6=$V6
before=$(vzr -j config)

out=$("$VZR_ROOT/tests/tools/nlbad" 2>&1) || fail "nlbad:"$'\n'"$out"
echo "$out"
(($(grep -c '^ok ' <<<"$out") >= 20)) || fail "too few cases ran"

[[ $(vzr -j config) == "$before" ]] || fail "settings changed: $(vzr -j config)"
expect_stable_routes -t 1 "$v4"
expect_stable_routes -6 -t 1 "$v6"
ok "every malformed request refused; settings and routes unchanged"
mod_unload
check_kernel_log
pass
