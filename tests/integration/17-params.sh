#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module parameters: invalid values make the load fail with a message and
# leave nothing behind; valid ones are readable in sysfs and used in the
# routes.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

ct_create c1 vh1
ct_addr c1 10.1.0.1/32

bad=(
	"allow=10.0.0.0/33|bad prefix length"
	"allow=10.0.0.1/8|host bits set"
	"allow=banana|not an IPv4 or IPv6 address"
	"allow=10.0.0.0/8,,10.1.0.0/16|malformed prefix"
	"proto=0|reserved"
	"proto=2|reserved"
	"proto=12|routing daemon"
	"proto=188|routing daemon"
	"proto=256|3..255"
	"proto=abc|not a number"
	"metric=16777216|below 16777216"
	"metric=-1|not a number"
	"table=0|not a table"
	"table=255|reserved"
	"max_per_netns=x|not a number"
	"max_tracked_per_netns=0|must be at least 1"
	"keep_routes=maybe|"
	"host_ifnames=veth*,,x|empty pattern"
	"host_ifnames=a/b|no spaces"
)
for case in "${bad[@]}"; do
	param=${case%%|*}
	msg=${case#*|}
	if mod_load "$param" 2>/dev/null; then
		fail "insmod vzroute $param succeeded"
		mod_unload
		continue
	fi
	mod_loaded && fail "module loaded after a refused $param"
	[[ -z $msg ]] || dmesg_grep "$msg" ||
		fail "no kernel log message '$msg' for $param"
done
expect_no_routes
ok "${#bad[@]} invalid parameter values refused with a message"

mod_load allow=10.0.0.0/8,2001:db8::/32 proto=0x91 metric=300 table=100 \
	max_per_netns=7 max_tracked_per_netns=9 keep_routes=0 host_ifnames=vh*
VZR_PROTO=145 expect_routes '[{"dst": "10.1.0.1", "dev": "vh1", "metric": 300, "table": 100, "scope": "link"}]'
p=/sys/module/vzroute/parameters
declare -A want=(
	[allow]="10.0.0.0/8,2001:db8::/32" [proto]=145 [metric]=300 [table]=100
	[max_per_netns]=7 [max_tracked_per_netns]=9 [keep_routes]=N [host_ifnames]="vh*"
)
for k in "${!want[@]}"; do
	[[ $(<"$p/$k") == "${want[$k]}" ]] || fail "$p/$k: '$(<"$p/$k")', expected '${want[$k]}'"
done
ok "parameters readable in sysfs and used in the routes"
mod_unload
VZR_PROTO=145 expect_no_routes
check_kernel_log
pass
