#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Routes follow the links: either end going down withdraws them, coming
# back up restores them (the kernel flushed them on the host side).

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

mod_load allow=10.0.0.0/8,2001:db8::/32
ct_create c1 vh1
ct_addr c1 10.1.0.5/24
ct_addr6_nodad c1 2001:db8::5/64
v4='[{"dst": "10.1.0.5", "dev": "vh1", "metric": 128, "scope": "link"}]'
v6='[{"dst": "2001:db8::5", "dev": "vh1", "metric": 128}]'
expect_routes "$v4"
expect_routes -6 "$v6"

ip -n c1 link set eth0 down
expect_no_routes
expect_no_routes -6
ok "container end down: withdrawn"
ip -n c1 link set eth0 up
# IPv6 addresses go with the link; add it back.
ct_addr6_nodad c1 2001:db8::5/64
expect_routes "$v4"
expect_routes -6 "$v6"
ok "container end up: restored"

ip link set vh1 down
expect_no_routes
expect_no_routes -6
ok "host end down: withdrawn"
ip link set vh1 up
expect_routes "$v4"
expect_routes -6 "$v6"
ok "host end up: restored"

# Down and up again faster than the reconciler can look: the kernel
# flushed the route in between and it must come back anyway.
ip -batch - <<EOF2
link set vh1 down
link set vh1 up
EOF2
expect_routes "$v4"
expect_routes -6 "$v6"
expect_stable_routes -t 2 "$v4"
ok "quick down/up of the host end: routes restored"

# Several host sides down at once, faster than the reconciler: a run takes
# every flush at once and finds each installed route's device among them.
# The one left down stays withdrawn, the others come back.
ct_create c2 vh2
ct_create c3 vh3
ct_create c4 vh4
ct_addr c2 10.2.0.5/24
ct_addr c3 10.3.0.5/24
ct_addr c4 10.4.0.5/24
r() { printf '{"dst": "10.%s.0.5", "dev": "vh%s", "metric": 128, "scope": "link"}' "$1" "$1"; }
expect_routes "[$(r 1), $(r 2), $(r 3), $(r 4)]"
ip -batch - <<EOF2
link set vh1 down
link set vh2 down
link set vh3 down
link set vh4 down
link set vh4 up
link set vh1 up
link set vh2 up
EOF2
expect_routes "[$(r 1), $(r 2), $(r 4)]"
expect_routes -6 "$v6"
expect_stable_routes -t 2 "[$(r 1), $(r 2), $(r 4)]"
ip link set vh3 up
expect_routes "[$(r 1), $(r 2), $(r 3), $(r 4)]"
ok "several host ends down at once: each route follows its own"

check_kernel_log
pass
