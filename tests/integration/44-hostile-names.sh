#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A container's root names its own device as it likes: bytes a terminal
# acts on (DEL, a C1 CSI), a line separator and bidirectional overrides
# and isolates, which would rewrite or reorder what the admin reads. On
# the node, "vzroute show -j" and "vzroute monitor -j" escape them
# (\u007f, \u009b, \u2028, \u202e, \u2066), and the table shows none of
# them.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

uct_create vhx
mod_load allow=10.1.0.0/16
monitor_start /tmp/44-events.json -- -j

# DEL, CSI, LINE SEPARATOR, RIGHT-TO-LEFT OVERRIDE, LEFT-TO-RIGHT ISOLATE
name=$'e\x7f\xc2\x9b\xe2\x80\xa8\xe2\x80\xae\xe2\x81\xa6'
as_uct ip link set eth0 down
as_uct ip link set eth0 name "$name"
as_uct ip link set "$name" up
as_uct ip addr add 10.1.0.44/32 dev "$name"
expect_routes '[{"dst": "10.1.0.44", "dev": "vhx", "metric": 128, "scope": "link"}]'

escaped='"container_ifname":"e\u007f\u009b\u2028\u202e\u2066"'
out=$(vzr show -j)
grep -qF "$escaped" <<<"$out" || fail "show -j does not escape the name: $out"
[[ $(jq -r '.[0].container_ifname' <<<"$out") == "$name" ]] ||
	fail "show -j: the escaped name does not decode to the device's name"
# shellcheck disable=SC2317 # called through wait_for
heard() { grep -qF "$escaped" /tmp/44-events.json; }
wait_for heard
monitor_stop
LC_ALL=C grep -q '[^ -~]' /tmp/44-events.json &&
	fail "monitor -j wrote bytes outside printable ASCII: $(od -c /tmp/44-events.json | head -5)"
table=$(vzr show)
LC_ALL=C grep -q '[^ -~]' <<<"$table" &&
	fail "the table holds bytes outside printable ASCII: $(od -c <<<"$table" | head -5)"
grep -qE '^10\.1\.0\.44 +[0-9]+/e[?]{12} +vhx +installed' <<<"$table" ||
	fail "the table does not show the name with its bytes as '?': $table"
ok "the container's device name is escaped in show -j and monitor -j, and masked in the table"
rm -f /tmp/44-events.json

check_kernel_log
pass
