#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed and invalid netlink requests (wrong types, missing attributes,
# out-of-range values, unknown attributes, oversized strings, truncated
# messages) are each refused with a message, and change neither the
# settings nor the routes.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

ct_create c1 vh1
ct_addr c1 10.1.0.1/32
ct_addr6_nodad c1 2001:db8::1/64
mod_load allow=10.0.0.0/8,2001:db8::/32
v4='[{"dst": "10.1.0.1", "dev": "vh1", "metric": 128, "scope": "link"}]'
v6='[{"dst": "2001:db8::1", "dev": "vh1", "metric": 128}]'
expect_routes "$v4"
expect_routes -6 "$v6"
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
