#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of the vzroute tool that need no kernel module: the tool runs
# against fakegenl.so, a preloaded stand-in for the module's generic netlink
# family (see fakegenl.c). Run by "make check" in userspace/.
#
# usage: test/run.sh [VZROUTE] [FAKEGENL_SO]

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
vz=$(readlink -f "${1:-$here/../vzroute}")
fake=$(readlink -f "${2:-$here/fakegenl.so}")
for f in "$vz" "$fake"; do
	[[ -f $f ]] || { echo "run.sh: $f not found (make check builds it)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log=$tmp/log

passed=0
failed=0

ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
nok() { failed=$((failed + 1)); printf 'FAIL %s\n' "$1"; }
check() { # check NAME CONDITION...
	local name=$1
	shift
	if "$@"; then ok "$name"; else nok "$name"; fi
}

# run [ENV=VALUE...] -- ARGS: the tool under the fake; rc, out, err
run() {
	local env=()
	while [[ $1 != -- ]]; do env+=("$1"); shift; done
	shift
	rm -f "$log"
	env LD_PRELOAD="$fake" FAKEGENL_LOG="$log" "${env[@]}" "$vz" "$@" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

json_ok() { # is stdin valid JSON?
	if command -v jq >/dev/null; then
		jq -e . >/dev/null 2>&1
	elif command -v python3 >/dev/null; then
		python3 -c 'import json,sys; json.load(sys.stdin)' 2>/dev/null
	else
		cat >/dev/null
	fi
}

have_jq() { command -v jq >/dev/null; }

# --- options and usage --------------------------------------------------------
run -- --help
check "--help exits 0" test $rc -eq 0
check "--help lists the subcommands" grep -q "monitor" <<<"$out"
run -- --version
check "--version prints the version" test "$out" = "vzroute 0.1.0" -a $rc -eq 0
run -- foo
check "unknown subcommand: exit 2" test $rc -eq 2
check "unknown subcommand: usage on stderr" grep -q "^usage: vzroute" <<<"$err"
run -- --bogus
check "unknown option: exit 2" test $rc -eq 2
run -- show -4 -6
check "show -4 -6: exit 2" test $rc -eq 2
run -- show extra
check "show extra: exit 2" test $rc -eq 2
run -- set metric
check "set without value: exit 2" test $rc -eq 2
run -- set metric ten
check "set non-number: exit 2" test $rc -eq 2
run -- set metric 4294967296
check "set number beyond 32 bits: exit 2" test $rc -eq 2
run -- set colour blue
check "set unknown key: exit 2" test $rc -eq 2
run -- set metric 1 metric 2
check "set key twice: exit 2" test $rc -eq 2
check "set usage error sends nothing" test ! -e "$log"
run -- set keep_routes maybe
check "set bad boolean: exit 2" test $rc -eq 2
run -- allow
check "allow alone: exit 2" test $rc -eq 2
run -- allow add
check "allow add without prefix: exit 2" test $rc -eq 2
run -- allow add 10.0.0.0/8 x
check "allow add extra: exit 2" test $rc -eq 2
run -- resync now
check "resync extra: exit 2" test $rc -eq 2

# --- the module not loaded ------------------------------------------------------
for cmd in show config stats resync monitor "set metric 1" "allow add 10.0.0.0/8"; do
	# shellcheck disable=SC2086
	run FAKEGENL=absent -- $cmd
	check "$cmd, module absent: message and exit 1" test $rc -eq 1 -a \
		"$err" = "vzroute: the vzroute kernel module is not loaded (try: modprobe vzroute)"
done

# --- show -----------------------------------------------------------------------
run FAKEGENL_N=12 --
check "no subcommand is show" test $rc -eq 0
check "show: header" grep -Eq '^ADDRESS +CONTAINER +HOST +STATE +DETAIL +AGE$' <<<"$(head -1 <<<"$out")"
check "show: one line per address" test "$(wc -l <<<"$out")" -eq 13
check "show: installed detail" grep -Eq '^10\.1\.30\.239 +4026532301/eth0 +vh1 +installed +proto 157 metric 128 table 254 +16m37s$' <<<"$out"
check "show: failed detail" grep -Eq ' failed +Network is unreachable +2h46m$' <<<"$out"
check "show: unprintable name bytes shown as ?" grep -q 'v"h\\x? ' <<<"$out"
check "show: IPv4 before IPv6" test "$(sed -n 9p <<<"$out" | cut -c1-3)" = 10. -a "$(sed -n 10p <<<"$out" | cut -c1-4)" = 2001
run FAKEGENL_N=12 -- show -6
check "show -6: only IPv6" test "$(grep -c '^2001' <<<"$out")" -eq 4 -a "$(wc -l <<<"$out")" -eq 5
run FAKEGENL_N=12 -- -6
check "vzroute -6 is show -6" test "$(grep -c '^2001' <<<"$out")" -eq 4 -a "$(wc -l <<<"$out")" -eq 5
run -- -4 config
check "-4 with another subcommand: exit 2" test $rc -eq 2
run FAKEGENL_N=12 -- -j show
check "show -j: valid JSON" json_ok <<<"$out"
if have_jq; then
	check "show -j: 12 entries" test "$(jq length <<<"$out")" -eq 12
	check "show -j: errno only when failed" test "$(jq '[.[] | select(has("errno"))] | length' <<<"$out")" -eq 1 -a \
		"$(jq '.[] | select(.state == "failed") | .errno' <<<"$out")" -eq 101
	check "show -j: route only when installed" test "$(jq -c '[.[] | select(has("route")) | .state]' <<<"$out")" = '["installed"]'
	check "show -j: fields" test "$(jq -c '.[0] | keys_unsorted' <<<"$out")" = \
		'["family","address","container","container_source","container_netns","container_ifindex","container_ifname","host_netns","host_ifindex","host_ifname","state","since","age"]'
	# fakegenl's namespaces exist nowhere: named by their inode
	check "show -j: unknown namespaces named by their inode" test \
		"$(jq -c '[.[] | select(.container != (.container_netns | tostring) or .container_source != "inode")] | length' <<<"$out")" -eq 0
	check "show -j: escaped name" test "$(jq -r '.[] | select(.host_ifindex == 14) | .host_ifname' <<<"$out")" = $'v"h\\x\xef\xbf\xbd'
	check "show -j: C1, DEL, separators and bidi controls escaped" \
		grep -qF '"host_ifname":"v\u007f\u009b\u202e\u2028\u2066"' <<<"$out"
	check "show -j: escaped controls decode back" \
		test "$(jq -r '.[] | select(.host_ifindex == 15) | .host_ifname' <<<"$out")" = $'v\x7f\xc2\x9b\xe2\x80\xae\xe2\x80\xa8\xe2\x81\xa6'
fi
run FAKEGENL_N=12 FAKEGENL_CTID=1 -- show
check "show: a CTID names its container" test "$(grep -c ' 101/eth0 ' <<<"$out")" -eq 1
if have_jq; then
	run FAKEGENL_N=12 FAKEGENL_CTID=1 -- -j show
	check "show -j: ctid only where sent" test "$(jq -c '[.[] | select(has("ctid")) | .ctid]' <<<"$out")" = '["101"]'
fi
run FAKEGENL_N=12 -- show -p
check "show -p: valid, indented JSON" json_ok <<<"$out"
check "show -p: indented" grep -q '^    "family": "inet",$' <<<"$out"
run -- -j show -4 -6
check "show: usage error after -j too" test $rc -eq 2

# Correctness at scale only: how fast is make bench's business, not a
# timed assertion that a loaded machine fails.
run FAKEGENL_N=100000 -- -j show
check "show -j: 100000 addresses" test $rc -eq 0
if have_jq; then
	check "show -j: 100000 entries, sorted" test "$(jq '[.[] | [(if .family == "inet" then 0 else 1 end), (.address | split(".") | map(tonumber? // 0))]] | (length == 100000) and (. == sort)' <<<"$out" 2>/dev/null)" = true
fi

run FAKEGENL=intr=3 -- show
check "show: interrupted dump done again" test $rc -eq 0 -a "$(grep -c '^dump' "$log")" -eq 4
check "show: the dump asks for NLM_F_DUMP|NLM_F_ACK" grep -q '^dump 1 flags 0x305$' "$log"
check "show: only the last dump's entries" test "$(wc -l <<<"$out")" -eq 7
run FAKEGENL=intr=99 -- show
check "show: stops after 30 tries, status 0" test $rc -eq 0 -a "$(grep -c '^dump' "$log")" -eq 30
check "show: prints the last try whole" test "$(wc -l <<<"$out")" -eq 7
check "show: warns that it may be inconsistent" grep -q "^vzroute: warning: the addresses kept changing during the dump, 30 times in a row" <<<"$err"
run FAKEGENL=dumperr -- show
check "show: error in NLMSG_DONE with its extack" test $rc -eq 1 -a \
	"$err" = "vzroute: reading addresses: No buffer space available: table too busy"

# --- config, set, allow -----------------------------------------------------------
run -- config
check "config: key value lines" test "$out" = "$(printf '%s\n' 'proto 157' 'metric 128' 'table 254' \
	'max_per_netns 64' 'keep_routes 0' 'host_ifnames veth*,vh*' 'allow 10.0.0.0/8,2001:db8::/32')"
run -- -j config
check "config -j" test "$out" = \
	'{"proto":157,"metric":128,"table":254,"max_per_netns":64,"keep_routes":false,"host_ifnames":"veth*,vh*","allow":["10.0.0.0/8","2001:db8::/32"]}'
run -- set metric 100 proto 200 allow "" host_ifnames 'veth*' keep_routes on max_per_netns 0 table 100
check "set: exit 0" test $rc -eq 0
check "set: all pairs in one request" test "$(grep -c '^set' "$log")" -eq 1
check "set: attributes and types" grep -qx 'set 3=u32:100 2=u32:200 8=str:\[\](1) 7=str:\[veth\*\](6) 6=u8:1 5=u32:0 4=u32:100' "$log"
run FAKEGENL=einval -- set metric 99999999
check "set refused: strerror and extack" test $rc -eq 1 -a \
	"$err" = "vzroute: changing the settings: Invalid argument: metric must be below 2^24"
perm="vzroute: permission denied: changing vzroute needs CAP_NET_ADMIN in the initial user namespace (root on the node)"
run FAKEGENL=eperm -- set metric 5
check "set EPERM: permission message" test $rc -eq 1 -a "$err" = "$perm"
run -- allow add 10.9.0.0/16
check "allow add: ALLOW_ADD" grep -qx 'set 9=str:\[10.9.0.0/16\](12)' "$log"
run -- allow del 10.9.0.0/16
check "allow del: ALLOW_DEL" grep -qx 'set 10=str:\[10.9.0.0/16\](12)' "$log"
run -- allow add 10.9.0.10 dev 'veth10[12]*'
check "allow add dev: ALLOW_ADD PREFIX@PATTERN" grep -qx 'set 9=str:\[10.9.0.10@veth10\[12\]\*\](22)' "$log"
run -- allow del 10.9.0.10 dev veth101
check "allow del dev: ALLOW_DEL PREFIX@PATTERN" grep -qx 'set 10=str:\[10.9.0.10@veth101\](18)' "$log"
run -- allow add 10.9.0.10 dev
check "allow add dev without pattern: exit 2" test $rc -eq 2
run -- allow add 10.9.0.10 via veth101
check "allow add with another word than dev: exit 2" test $rc -eq 2
run FAKEGENL=eperm -- allow add 10.9.0.0/16
check "allow EPERM: permission message" test $rc -eq 1 -a "$err" = "$perm"

# --- stats, resync ------------------------------------------------------------------
run -- stats
check "stats: 16 counters" test "$(wc -l <<<"$out")" -eq 16 -a "$(head -1 <<<"$out")" = "events 5000027000"
run -- stats -j
check "stats -j" test "$out" = \
	'{"events":5000027000,"routes_added":28000,"routes_removed":29000,"routes_failed":30000,"denied":31000,"unbound":39000,"over_cap":32000,"conflicts":33000,"takeovers":34000,"reconciliations":35000,"backlog_max":36000,"adopted":37000,"verifies":38000,"untracked":40000,"tracked":41000,"table_bytes":131072}'

# --- stats -o prometheus ------------------------------------------------------------
prom_samples() { awk -f "$here/promcheck.awk" <<<"$out" 2>"$tmp/promcheck.err"; }
run FAKEGENL_N=12 -- stats -o prometheus
check "stats -o prometheus: exit 0" test $rc -eq 0 -a -z "$err"
check "stats -o prometheus: the format, read strictly (test/promcheck.awk)" eval 'prom_samples >/dev/null'
if command -v promtool >/dev/null; then
	check "stats -o prometheus: promtool check metrics finds no problem" \
		sh -c 'promtool check metrics >"$1" 2>&1 && ! test -s "$1"' sh "$tmp/promtool.out" <<<"$out"
fi
samples=$(prom_samples)
# every counter of stats -j, with its value: NAME_total; backlog_max,
# tracked and table_bytes gauges
run -- stats -j
if have_jq; then
	want=$(jq -r 'to_entries[] | "vzroute_\(.key)\(if .key == "backlog_max" or .key == "tracked" or .key == "table_bytes" then "" else "_total" end) \(.value)"' <<<"$out")
	check "stats -o prometheus: every counter of stats -j, same values" \
		test "$(grep -v '^vzroute_entries\|^vzroute_info' <<<"$samples")" = "$want"
fi
check "stats -o prometheus: counters typed counter, with HELP" test "$(grep -c '^# TYPE vzroute_.*_total counter$' <<<"$(LD_PRELOAD="$fake" "$vz" stats -o prometheus)")" -eq 13
check "stats -o prometheus: table_bytes a gauge, with HELP" test "$(grep -c '^# TYPE vzroute_table_bytes gauge$\|^# HELP vzroute_table_bytes ' <<<"$(LD_PRELOAD="$fake" "$vz" stats -o prometheus)")" -eq 2
check "stats -o prometheus: one gauge per state, 12 entries in all" test \
	"$(grep '^vzroute_entries{state="[a-z-]*"} ' <<<"$samples" | awk '{ n++; s += $2 } END { print n, s }')" = "13 12"
check "stats -o prometheus: states as show counts them" test \
	"$(grep -c '^vzroute_entries{state="installed"} 1$\|^vzroute_entries{state="pending"} 2$\|^vzroute_entries{state="unbound"} 0$' <<<"$samples")" -eq 3
check "stats -o prometheus: info metric" grep -qx \
	'vzroute_info{version="0.1.0",genl_version="1",proto="157",metric="128",table="254",max_per_netns="64",keep_routes="0",host_ifnames="veth\*,vh\*",allow="10.0.0.0/8,2001:db8::/32"} 1' <<<"$samples"
run -- stats -o prometheus
check "stats -o prometheus: one socket, three requests" test "$(grep -v '^ctrl' "$log" | tr '\n' ,)" = "get_counters,get_config,dump 1 flags 0x305,"
run -- --json stats -o prometheus
check "stats -o prometheus with -j: exit 2, nothing asked" test $rc -eq 2 -a ! -e "$log"
run -- stats -o
check "stats -o without a format: exit 2" test $rc -eq 2 -a -z "$out"
run -- stats -o json
check "stats -o json: exit 2, says the known formats" test $rc -eq 2 -a ! -e "$log" && grep -q "known: prometheus" <<<"$err"
run -- stats -o prometheus -o prometheus
check "stats -o twice: exit 2" test $rc -eq 2
run -- stats -o prometheus now
check "stats -o prometheus extra: exit 2" test $rc -eq 2
run FAKEGENL=absent -- stats -o prometheus
check "stats -o prometheus, module absent: exit 1, nothing on stdout" test $rc -eq 1 -a -z "$out"
run FAKEGENL=intr=99 -- stats -o prometheus
check "stats -o prometheus, dump kept changing: exit 1, nothing on stdout" test $rc -eq 1 -a -z "$out"

run -- resync
check "resync: exit 0" test $rc -eq 0 -a "$(grep -c '^resync' "$log")" -eq 1
run FAKEGENL=eperm -- resync
check "resync EPERM: permission message" test $rc -eq 1 -a "$err" = "$perm"

# --- monitor --------------------------------------------------------------------------
monitor() { # monitor SIGNAL LINES [ENV...] -- ARGS: kill once LINES are out
	local sig=$1 lines=$2 pid i
	shift 2
	local env=()
	while [[ $1 != -- ]]; do env+=("$1"); shift; done
	shift
	env LD_PRELOAD="$fake" "${env[@]}" "$vz" monitor "$@" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	# Up to 30 s: make check runs this beside busy VMs.
	for ((i = 0; i < 600; i++)); do
		[[ $(wc -l <"$tmp/out") -ge $lines ]] && break
		sleep 0.05
	done
	sleep 0.2	# nothing more should come
	kill "-$sig" "$pid"
	wait "$pid"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}
ts='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z'
monitor TERM 4 FAKEGENL_EVENTS=4 --
check "monitor: SIGTERM exits 0" test $rc -eq 0
check "monitor: installed line" grep -Eqx "$ts installed 10\.1\.0\.0 eth0@4026532300 via vh0 \[proto 157 metric 128 table 254\]" <<<"$out"
check "monitor: failed line" grep -Eqx "$ts failed 10\.1\.30\.239 eth0@4026532301 via vh1 \[Network is unreachable\]" <<<"$out"
check "monitor: withdrawn line" grep -Eqx "$ts withdrawn 2001:db8::2 eth0@4026532302 via vh2 \[state down\]" <<<"$out"
check "monitor: 4 lines" test "$(wc -l <<<"$out")" -eq 4
monitor INT 4 FAKEGENL_EVENTS=4 -- -j
check "monitor -j: SIGINT exits 0" test $rc -eq 0
check "monitor -j: one object per line" test "$(grep -c '^{"time":".*}$' <<<"$out")" -eq 4
if have_jq; then
	check "monitor -j: every line is JSON" jq -e . >/dev/null <<<"$out"
	check "monitor -j: event and time first" test "$(head -1 <<<"$out" | jq -c 'keys_unsorted[0:3]')" = '["time","event","family"]'
fi
check "monitor: says on stderr when it listens" grep -qx "vzroute: monitor: listening" <<<"$err"
monitor TERM 2 FAKEGENL=reload FAKEGENL_EVENTS=1 --
check "monitor: follows a module reload" test $rc -eq 0 -a "$(wc -l <<<"$out")" -eq 2
check "monitor: notes the reload" grep -q "is back" <<<"$err"
# through a pipe: each event must arrive before the monitor ends
( env LD_PRELOAD="$fake" FAKEGENL_EVENTS=1 "$vz" monitor -j 2>"$tmp/err" & echo $! >"$tmp/pid"; wait ) |
	{ timeout 5 head -1 >"$tmp/line"; kill -TERM "$(cat "$tmp/pid")"; }
check "monitor: flushed per event through a pipe" grep -q '"event":"installed"' "$tmp/line"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
