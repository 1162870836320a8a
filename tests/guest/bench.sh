#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the benchmark VM (tests/bench.sh): every arm in the same
# boot, several rounds each. Writes "RESULT ARM METRIC VALUE" lines to the
# result port; the host side makes the table.

set -euo pipefail
# shellcheck source=tests/lib/lib.sh
. "$(dirname "$0")/../lib/lib.sh"
here=$VZR_ROOT/tests/bench
n=${VZR_BENCH_NS:-100}
k=${VZR_BENCH_K:-100}
rounds=${VZR_BENCH_ROUNDS:-3}
lat_count=${VZR_BENCH_LAT:-1000}
# More than VZR_RUN_GAP (kmod/reconcile.c) at any HZ: the quiet moment
# after which vzroute looks at a change without delay.
lat_pause=${VZR_BENCH_LAT_PAUSE_MS:-25}
script_n=${VZR_BENCH_SCRIPT_N:-500}
total=$((n * k))
res=${VZR_RESULT_DEV:-/dev/ttyS1}

result() {
	echo "RESULT $*" >>"$res"
	echo "RESULT $*"
}

# Address i of the bulk arms, as addwait computes it: 10.1.0.1 + i.
addr_of() {
	local v=$((0x0a010001 + $1))
	echo "$((v >> 24)).$(((v >> 16) & 255)).$(((v >> 8) & 255)).$((v & 255))"
}

# The same into variable $1, without the fork of a command substitution
# (100,000 of those take minutes under emulation).
addr_to() {
	local v=$((0x0a010001 + $2))
	printf -v "$1" '%d.%d.%d.%d' $((v >> 24)) $(((v >> 16) & 255)) $(((v >> 8) & 255)) $((v & 255))
}

# In the boot of the traced arms (VZR_BENCH_ONLY=rtnl) the lock contention
# tracepoints are on from the start (tests/bench.sh says why); the trace
# buffer takes nothing but in those arms (rtnl_arm).
tr=/sys/kernel/tracing
if [[ -d $tr/events ]] || mount -t tracefs nodev "$tr" 2>/dev/null; then
	echo 0 >"$tr/tracing_on"
fi

# The userspace daemon, ready once it has subscribed everywhere.
usd_start() {
	# Emptied first: the last daemon's "ready" is no readiness.
	: >/tmp/usd.out
	"$here/usd" 161 "$n" >/tmp/usd.out &
	usd_pid=$!
	poll_until 60 grep -qx ready /tmp/usd.out
}

usd_stop() {
	kill "$usd_pid"
	wait "$usd_pid" 2>/dev/null || true
}

# VZR_BENCH_ONLY=migrate: the migration arm alone (tests/guest/bench-migrate.sh);
# =lan: the LAN migration arms alone (tests/guest/bench-lan.sh); =live:
# the live arms, and vzroute at load at $total (live_rounds), and their
# CPU (live_cpu); =scale:
# the arms at load, alone, at $total and at VZR_BENCH_BIG (below); =lat:
# the latency arms; =rtnl: the live arms' RTNL contention, in a boot of
# its own (below).
case ${VZR_BENCH_ONLY:-} in
'' | live | scale | lat | rtnl) ;;
migrate) exec "$VZR_ROOT/tests/guest/bench-migrate.sh" ;;
lan) exec "$VZR_ROOT/tests/guest/bench-lan.sh" ;;
*) echo "guest.sh: VZR_BENCH_ONLY=$VZR_BENCH_ONLY: only \"migrate\", \"lan\", \"live\", \"scale\", \"lat\" or \"rtnl\" can run alone" >&2; exit 2 ;;
esac

modprobe veth
# A node has an address of its own, on a device older than its
# containers' host sides. Without one, the kernel picks each new route's
# source address by walking every device of the namespace (fib_create_info
# calling inet_select_addr, for a host side with no address of its own):
# with 1,000 host sides, 100,000 routes cost the floor 35 s instead of 6.
modprobe dummy
ip link add uplink0 type dummy
ip addr add 198.18.0.1/24 dev uplink0
ip link set uplink0 up
b=
for ((i = 0; i < n; i++)); do
	b+="netns add s$i"$'\n'"link add name vs$i type veth peer name eth0 netns s$i"$'\n'
	b+="link set vs$i up"$'\n'
done
ip -batch - <<<"$b"
for ((i = 0; i < n; i++)); do
	ip -n "s$i" -batch - <<<"link set lo up"$'\n'"link set eth0 up"
done
# The same route set as text, for the ip -batch arm.
addb=
delb=
for ((i = 0; i < n; i++)); do
	for ((j = 0; j < k; j++)); do
		addr_to a $((i * k + j))
		addb+="route add $a/32 dev vs$i proto 160 metric 128"$'\n'
		delb+="route del $a/32 dev vs$i proto 160 metric 128"$'\n'
	done
done
vzr_allow="allow=10.0.0.0/8 max_per_netns=0"

# The $total bulk addresses, k in each namespace.
add_bulk() {
	local i j b a
	for ((i = 0; i < n; i++)); do
		b=
		for ((j = 0; j < k; j++)); do
			addr_to a $((i * k + j))
			b+="addr add $a/32 dev eth0"$'\n'
		done
		ip -n "s$i" -batch - <<<"$b"
	done
}

# The bulk addresses gone again: eth0 carries no other IPv4 address.
del_bulk() {
	local i
	for ((i = 0; i < n; i++)); do
		ip -n "s$i" -4 addr flush dev eth0
	done
}

# dump_rounds SUFFIX: $rounds rounds of the dump as it is now: the tool's
# wall time and peak memory, and ip's dump of the same routes (metrics
# wallSUFFIX, rss_kibSUFFIX, ip_wallSUFFIX).
dump_rounds() {
	local r t
	for ((r = 1; r <= rounds; r++)); do
		t=$( { /usr/bin/time -f '%e %M' "$VZR_TOOL" show -j >/dev/null; } 2>&1)
		result dump "wall$1" "${t% *}"
		result dump "rss_kib$1" "${t#* }"
		t=$( { /usr/bin/time -f '%e' ip -j route show proto 157 >/dev/null; } 2>&1)
		result dump "ip_wall$1" "$t"
	done
}

# resync_rounds SUFFIX: $rounds times "vzroute resync" (a comparison
# with the kernel's tables, nothing to mend), metric resyncSUFFIX.
resync_rounds() {
	local r t0
	for ((r = 1; r <= rounds; r++)); do
		t0=$(_vzr_now_us)
		"$VZR_TOOL" resync
		result vzroute "resync$1" "$(awk -v x=$(($(_vzr_now_us) - t0)) 'BEGIN { printf "%.4f", x / 1e6 }')"
	done
}

# resync_profile SUFFIX COUNT: $rounds resyncs more, under perf
# (perf_profile), with COUNT addresses tracked: where their runs'
# time goes, by the function of the module it went to (rtnetlink's dump
# of the routes included), in microseconds per tracked address and
# resync: metric resync_fn_FUNCTIONSUFFIX, and resync_usSUFFIX in all.
# A function whose share per address grows with the count is what keeps
# a resync from being linear (issue #18, target 6).
resync_profile() {
	local out us fn
	out=$(perf_profile "the resyncs" $((rounds * $2)) all \
		bash -c 'for ((r = 0; r < $1; r++)); do "$2" resync || exit; done' \
		resyncs "$rounds" "$VZR_TOOL") || exit 1
	read -r _ us _ <<<"$out"
	result vzroute "resync_us$1" "$us"
	while read -r _ us fn; do
		result vzroute "resync_fn_$fn$1" "$us"
	done < <(grep '^fn ' <<<"$out")
}

# floor_round SUFFIX COUNT [PARAM...]: the floor arm once, COUNT routes over the
# host sides, $k each, as the bulk addresses are, timed as vzroute's load
# and unload are (load_rounds): from insmod to the last of its routes as
# addwait's listener sees it, and from rmmod to the last one gone
# (metrics addSUFFIX, delSUFFIX). A listener costs whoever sends the
# route messages (each notification delivered to it, the listener woken
# and running beside the sender), and vzroute's arms always have one;
# timing the floor without it made vzroute pay for it alone (README,
# Performance). The floor's own clock of its loops, with the listener
# there, is kept as kernel_addSUFFIX and kernel_delSUFFIX. PARAMs go to
# the module (batch=64: as vzroute batches its changes).
floor_round() {
	local ns out op
	dmesg_mark "floor$1"
	# A failed add has no event: addwait gives up waiting (its socket's
	# time limit), and the kernel log says what failed.
	out=$("$here/addwait" run add 159 "$2" insmod "$here/vzr_floor.ko" n="$2" devs=vs per="$k" "${@:3}") ||
		{ dmesg_since_mark | grep -a vzr-floor >&2; rmmod vzr_floor 2>/dev/null; exit 1; }
	result floor "add$1" "${out#run }"
	out=$("$here/addwait" run del 159 "$2" rmmod vzr_floor)
	result floor "del$1" "${out#run }"
	for op in add del; do
		ns=$(floor_clean_ns "$op" "$2") || { echo "floor: no clean $op in the kernel log" >&2; exit 1; }
		result floor "kernel_$op$1" "$(awk -v x="$ns" 'BEGIN { printf "%.4f", x / 1e9 }')"
	done
}

# floor_clean_ns OP COUNT: the floor's own clock, in ns, of its OP (add,
# del) of COUNT routes since the last dmesg_mark, none failed; fails
# when the kernel log has no such line.
floor_clean_ns() {
	local ns
	ns=$(dmesg_since_mark | sed -n "s/.*vzr-floor: $1 $2 routes in \\([0-9]*\\) ns (0 failed).*/\\1/p")
	[[ -n $ns ]] && echo "$ns"
}

# overlap_round: the floor's $total routes put in, batched; the bulk
# addresses added, then removed while the floor's unload deletes the
# routes on the other CPU, timed until both are done (metric overlap
# del). addwait pins itself to the CPU it is on, where the addrs arm's
# is left to the scheduler. The floor's log says whether every add and
# delete went through.
overlap_round() {
	local out op
	dmesg_mark overlap
	insmod "$here/vzr_floor.ko" n="$total" devs=vs per="$k" batch=64
	out=$("$here/addwait" bulk 0 "$n" "$k" vzr_floor 159)
	for op in add del; do
		floor_clean_ns "$op" "$total" >/dev/null ||
			{ echo "overlap: no clean $op in the kernel log" >&2; dmesg_since_mark | grep -a vzr-floor >&2; exit 1; }
	done
	result overlap del "$(sed -n 's/^del //p' <<<"$out")"
}

# load_rounds SUFFIX COUNT [ROUNDS]: a node booting with its containers
# up (no address events, one walk) and the module unloaded again, ROUNDS
# times ($rounds): from insmod to the last of COUNT routes, and from
# rmmod to the last one gone (metrics loadSUFFIX, unloadSUFFIX).
load_rounds() {
	local r out
	for ((r = 1; r <= ${3:-$rounds}; r++)); do
		out=$("$here/addwait" run add 157 "$2" insmod "$VZR_KO" $vzr_allow)
		result vzroute "load$1" "${out#run }"
		out=$("$here/addwait" run del 157 "$2" rmmod vzroute)
		result vzroute "unload$1" "${out#run }"
	done
}

# Objects in use in every slab cache, in bytes.
slab_bytes() {
	awk 'NR > 2 { s += $2 * $4 } END { print s }' /proc/slabinfo
}

# slab_settled: slab_bytes once the figures stopped moving (a run that
# was finishing, frees deferred by RCU): two readings in a row, a poll
# apart, within a page of each other; fails after 60 s. slab_steady is
# its poll.
slab_steady() {
	local now
	now=$(slab_bytes)
	if [[ -n $slab_last ]] && ((now - slab_last < 4096 && slab_last - now < 4096)); then
		return 0
	fi
	slab_last=$now
	return 1
}
slab_settled() {
	slab_last=
	poll_until 60 slab_steady ||
		{ echo "bench: the slab figures kept moving for 60 s" >&2; return 1; }
	echo "$slab_last"
}

# loaded_arms SUFFIX COUNT: with COUNT addresses tracked and routed, the
# dump against ip's, the resync, and kernel memory per tracked address:
# every slab cache with the module and without it, its routes kept so
# that only its own bookkeeping differs, and what its hash tables grew
# by beyond their size at load, which the slab caches do not hold
# (metrics bytes_per_addrSUFFIX, table_bytesSUFFIX). Then loaded again
# for resync_profile, apart: perf and its reading of the samples leave
# the slab caches larger, by more than the module's own memory. The
# routes go after, so that the next load starts from none.
loaded_arms() {
	local with without tables0 tables
	# Its tables as loaded: with no host side it would track.
	insmod "$VZR_KO" host_ifnames=vzr-bench-none
	tables0=$(vzr_counter table_bytes)
	rmmod vzroute
	insmod "$VZR_KO" $vzr_allow keep_routes=1
	poll_until 600 bash -c "[[ \$(ip route show proto 157 | wc -l) == $2 ]]"
	with=$(slab_settled)
	dump_rounds "$1"
	resync_rounds "$1"
	result dump "entries$1" "$("$VZR_TOOL" show -j | jq length)"
	tables=$(vzr_counter table_bytes)
	rmmod vzroute
	without=$(slab_settled)
	result vzroute "table_bytes$1" "$tables"
	result vzroute "bytes_per_addr$1" "$(((with - without + tables - tables0) / $2))"
	# The routes are kept: the load's run adopts them, which resync waits for.
	insmod "$VZR_KO" $vzr_allow keep_routes=1
	"$VZR_TOOL" resync >/dev/null
	resync_profile "$1" "$2"
	rmmod vzroute
	ip route flush proto 157
}

# The scale arms (issue #18, linear at scale): VZR_BENCH_BIG (100,000)
# addresses, $k in each namespace as in the bulk arms (1,000 namespaces),
# measured as the bulk ones are: floor, load and unload, dump, resync,
# memory. The bulk namespaces are kept with their addresses when they are
# still there (VZR_BENCH_ONLY=scale); the migration arms delete every
# namespace, and the missing ones are made again.
scale_arms() {
	local big=${VZR_BENCH_BIG:-100000} bns i j b a r missing=()
	((big > total)) || return 0
	bns=$(((big + k - 1) / k))
	echo "== scale: $big addresses in $bns namespaces"
	# What the guest holds by then (in a full run, after every other
	# arm), for the install at load's spread between runs.
	free -m
	ps --ppid 2 -p 2 --deselect -o pid=,comm=	# no kernel threads
	cat /proc/loadavg
	[[ ! -d /sys/module/vzroute ]] || rmmod vzroute
	b=
	for ((i = 0; i < bns; i++)); do
		[[ ! -e /run/netns/s$i ]] || continue
		missing+=("$i")
		b+="netns add s$i"$'\n'"link add name vs$i type veth peer name eth0 netns s$i"$'\n'
		b+="link set vs$i up"$'\n'
	done
	[[ -z $b ]] || ip -batch - <<<"$b"
	for i in "${missing[@]}"; do
		b="link set lo up"$'\n'"link set eth0 up"$'\n'
		for ((j = 0; j < k && i * k + j < big; j++)); do
			addr_to a $((i * k + j))
			b+="addr add $a/32 dev eth0"$'\n'
		done
		ip -n "s$i" -batch - <<<"$b"
	done
	# Round by round, floor then vzroute: a guest slowing down during
	# these minutes (the floor's own rounds at 100,000 once went from
	# 3.9 to 6.2 s in one run) then slows both sides of the ratio.
	for ((r = 1; r <= rounds; r++)); do
		floor_round _big "$big"
		load_rounds _big "$big" 1
	done
	loaded_arms _big "$big"
}

# The latency arms: $lat_count single addresses for each installer,
# each added, its route awaited, removed, its removal awaited; the next
# one at once (a stream, each add right after the last run) or
# $lat_pause ms after (an address on a quiet node). Two measures of each:
# addwait's, from before the address add to the route event (it includes
# the add itself, the same for both), and the probe's, inside the kernel
# from the address notifier to the FIB insert (metrics PREFIXlat_*,
# PREFIXkern_lat_*; PREFIX idle_ for the quiet node).
#
# vzroute's passes and the daemon's take turns in $lat_blocks blocks (an
# even number; a block of each installer is both its passes), vzroute
# first in the even ones, the daemon in the odd ones, so that both have
# the same mean place in the sequence, and each measure is over all of
# an installer's addresses: the machine's drift in speed, which within
# one run has been as large as the difference, then lands on both alike
# (before, all of vzroute's addresses came before all of the daemon's).
# One probe stays loaded throughout, each pass's addresses in a series of
# its own (lat_series). Between the two installers in each block, with
# neither loaded, the least any installer could do as the adder sees it
# (lat_floor), and an installer that sends the route from a work item as
# vzroute does, and does nothing else (lat_react).
lat_blocks=${VZR_BENCH_LAT_BLOCKS:-4}

# lat_block SERIES PROTO PAUSE_MS BLOCK: addresses BLOCK of $lat_blocks of
# the series, whose addwait latencies go to /tmp/lat.SERIES.
lat_block() {
	local from=$(($4 * lat_count / lat_blocks))
	local to=$((($4 + 1) * lat_count / lat_blocks))
	((to > from)) || return 0
	"$here/addwait" lat "$2" $((to - from)) "$3" $(($1 * lat_count + from)) |
		sed -n 's/^lat //p' >>"/tmp/lat.$1"
}

# lat_adder SERIES NAME PREFIX: the series' pooled latencies as the adder
# saw them.
lat_adder() {
	local med p99
	read -r med p99 < <(sort -g "/tmp/lat.$1" | awk '{ a[NR - 1] = $1 }
		END { if (NR) printf "%s %s\n", a[int(NR / 2)], a[int(NR * 0.99)] }') || true
	[[ -n ${p99:-} ]] || { echo "latency series $1: no latencies" >&2; exit 1; }
	result "$2" "$3lat_median" "$med"
	result "$2" "$3lat_p99" "$p99"
}

# lat_series SERIES NAME PREFIX: the series' pooled measures.
lat_series() {
	lat_adder "$@"
	lat_pairs "$2" "$3kern_lat" "series $1: "
}

lat_vzroute() {
	insmod "$VZR_KO" $vzr_allow
	# Returns once a run is done: the load's own run is over.
	"$VZR_TOOL" resync >/dev/null
	lat_block 0 157 0 "$1"
	lat_block 1 157 "$lat_pause" "$1"
	rmmod vzroute
}

lat_daemon() {
	usd_start
	lat_block 2 161 0 "$1"
	lat_block 3 161 "$lat_pause" "$1"
	usd_stop
}

# The adder's own share of its measure: the kernel's local route for the
# address, which it inserts from the address notifier chain itself, seen
# by a listener in the address's namespace (addwait's "local"). No
# installer that reacts to that notifier has its route in sooner. Series
# 6 and 7 are above the probe's addresses, which it leaves alone.
lat_floor() {
	lat_block 6 local 0 "$1"
	lat_block 7 local "$lat_pause" "$1"
}

# An installer in the kernel that sends the route and does nothing else
# (tests/bench/react.c), from a work item on the notifier's CPU, as
# vzroute does: what vzroute takes beyond it is its own work.
lat_react() {
	insmod "$here/vzr_react.ko" dev=vs0 proto=163
	lat_block 4 163 0 "$1"
	lat_block 5 163 "$lat_pause" "$1"
	rmmod vzr_react
}

# Where the time goes: each arm's passes again with the probe's phases on
# (tests/bench/latprobe.c; its kprobes cost time on the paths they stamp,
# hence passes of their own, not taken in turns): medians from the
# notifier of the adder letting RTNL go, vzroute's run starting, its being
# done scanning and deciding, the installer sending, RTNL handed to the
# route add, and of the insert, from that hand-over to the FIB entry
# (PREFIXph_*, each when at least half the addresses saw it;
# PREFIXph_routein: that pass's own notifier to FIB), and the same over
# the slowest 1% of that pass's addresses (PREFIXtail_*), where a p99 goes.
lat_phases() {	# NAME PROTO PREFIX PAUSE_MS
	dmesg_mark "lat-phases-$1$3"
	insmod "$here/vzr_latprobe.ko" n="$lat_count" proto="$2" phases=1
	"$here/addwait" lat "$2" "$lat_count" "$4" >/dev/null
	rmmod vzr_latprobe
	dmesg_since_mark | grep -a 'vzr-latprobe' || true
	lat_pairs "$1" "$3ph_routein"
	# "phases unlock NS/COUNT run NS/COUNT ... insert NS/COUNT", then
	# the slowest 1%: "tail phases ... routein NS/COUNT", COUNT their number.
	probe_phases "$1" phases "$3ph_" "$lat_count"
	probe_phases "$1" "tail phases" "$3tail_" ''
}

# perf_split N [all]: /tmp/perf.data's samples whose stack holds vzr_run,
# per N addresses, as lat_profile (below) describes: the "us ... _pct" line, then
# an "fn US FUNCTION" line for each function of the module that samples
# went to; with "all", those under netlink_unicast too. perf script gives
# a line for each sample (comm, period in ns), then its stack, a frame to
# a line, each starting with a tab, leaf first. /tmp/vzr-syms names the
# module's functions: from /proc/kallsyms, read while it is loaded.
perf_split() {
	perf script -i /tmp/perf.data -F comm,period,ip,sym 2>/tmp/perf-script.err |
		awk -v n="$1" -v all="${2:-}" -v syms=/tmp/vzr-syms '
	BEGIN {
		while ((getline f <syms) > 0)
			mod[f] = 1
	}
	function own(   i) {
		for (i = 1; i < top && all == ""; i++)
			if (fr[i] == "netlink_unicast")
				return
		for (i = 1; i <= top; i++)
			if (fr[i] in mod) {
				at[fr[i]] += per
				return
			}
	}
	function sample(   i) {
		top = 0
		for (i = 1; i <= nf; i++)
			if (fr[i] == "vzr_run")
				top = i
		if (!top)
			return
		total += per
		own()
		for (i = 1; i < top; i++) {
			if (fr[i] == "vzr_scan") { scan += per; return }
			if (fr[i] == "vzr_rtsock_listen") { listen += per; return }
		}
		for (i = 1; i < top; i++)
			if (fr[i] == "vzr_sync")
				break
		if (i == top)
			return
		sync += per
		for (i = 1; i < top; i++)
			if (fr[i] == "netlink_unicast") { rtnl += per; return }
	}
	/^\t/ { fr[++nf] = $2; next }
	NF { if (nf) sample(); nf = 0; per = $NF; next }
	END {
		if (nf)
			sample()
		if (total)
			printf "us %.1f scan_pct %.1f sync_pct %.1f rtnetlink_pct %.1f listen_pct %.1f other_pct %.1f\n",
				total / n / 1000, 100 * scan / total, 100 * sync / total, 100 * rtnl / total,
				100 * listen / total, 100 * (total - scan - sync - listen) / total
		for (f in at)
			printf "fn %.2f %s\n", at[f] / n / 1000, f
	}' ||
		{ cat /tmp/perf-script.err >&2; echo "bench: perf script failed" >&2; exit 1; }
}

# module_syms WHAT MODULE...: the functions of those of the MODULEs that
# are loaded, from /proc/kallsyms, to /tmp/vzr-syms, for perf_split and
# live_cpu_arm to tell their samples by. Exits, naming WHAT, when it
# cannot read them.
module_syms() {
	local what=$1
	shift
	awk -v mods=" $* " 'index(mods, " " substr($4, 2, length($4) - 2) " ") { print $3 }' \
		/proc/kallsyms >/tmp/vzr-syms ||
		{ echo "bench: cannot read the module symbols for $what" >&2; exit 1; }
}

# perf_profile WHAT N ALL CMD...: CMD, with the module loaded, under perf
# as the profiles of the runs sample it (cpu-clock on every CPU, with call
# stacks), then perf_split N ALL of what it sampled, and a last line
# "runs R": the module's runs while CMD ran. Exits (its caller's command
# substitution: the caller exits in turn), naming WHAT was profiled, when
# perf fails or no sample fell in vzr_run.
perf_profile() {
	local what=$1 n=$2 all=$3 out r0 r1
	shift 3
	module_syms "$what" vzroute
	r0=$(vzr_counter reconciliations)
	perf record -B -a -g -e cpu-clock -F 20000 -o /tmp/perf.data -- "$@" >/dev/null ||
		{ echo "bench: perf record of $what failed" >&2; exit 1; }
	r1=$(vzr_counter reconciliations)
	out=$(perf_split "$n" "$all") || exit 1
	rm -f /tmp/perf.data /tmp/vzr-syms
	[[ $out == us\ * ]] || { echo "bench: the profile of $what has no samples in vzr_run" >&2; exit 1; }
	printf '%s\nruns %d\n' "$out" $((r1 - r0))
}

# Where a quiet node's runs spend their time, sampled: perf on every CPU
# (cpu-clock at 20 kHz; the emulated CPUs have no hardware counters) while
# $lat_count addresses come $lat_pause ms apart, each added and removed as
# in the latency arms. Of the samples whose stack holds vzr_run: the
# worker's CPU time per address (its add's run, its removal's, and the
# run that the notification of our own route's removal kicks; not the
# time asleep waiting for RTNL), and the shares of the scan, of the sync
# and, within it, of rtnetlink handling our route messages (what the same
# message costs any installer), of the sync's reading of the route
# sockets (not counted in the sync's share), and of the rest (metrics
# profile_*; profile_runs: runs per address, from vzroute's own
# counter). perf's own messages go to the console (it says there when it
# lost samples). Interrupts are taken only where the guest enables them,
# so time with them off lands on the place that enables them again: the
# shares of whole subtrees are sound, a function's own share is not.
#
# Then vzroute's own part, what the run takes outside netlink_unicast
# (rtnetlink handling its messages, the share above), by where in
# vzroute it went: each such sample goes to the innermost function of
# the module on its stack, with whatever of the kernel's it called from
# there (metrics profile_fnRANK_FUNCTION, microseconds per address, the
# largest VZR_BENCH_PROFILE_TOP; the names are the compiler's, static
# functions inlined into their callers count there).
profile_top=${VZR_BENCH_PROFILE_TOP:-10}
lat_profile() {
	local runs out kv i rank fn us
	insmod "$VZR_KO" $vzr_allow
	"$VZR_TOOL" resync >/dev/null
	out=$(perf_profile "the quiet node's runs" "$lat_count" '' \
		"$here/addwait" lat 157 "$lat_count" "$lat_pause") || { rmmod vzroute; exit 1; }
	rmmod vzroute
	echo "profile: ${out%%$'\n'*}"
	read -ra kv <<<"${out%%$'\n'*}"
	for ((i = 0; i + 1 < ${#kv[@]}; i += 2)); do
		result vzroute "profile_${kv[i]}" "${kv[i + 1]}"
	done
	rank=0
	while read -r _ us fn; do
		((++rank <= profile_top)) || break
		echo "profile: vzroute's own, under $fn: $us us per address"
		result vzroute "profile_fn${rank}_$fn" "$us"
	done < <(grep '^fn ' <<<"$out" | sort -k2,2gr)
	read -r _ runs < <(grep '^runs ' <<<"$out")
	result vzroute profile_runs "$(awk -v r="$runs" -v n="$lat_count" 'BEGIN { printf "%.2f", r / n }')"
}

# probe_phases NAME KIND PREFIX N: from the probe's "vzr-latprobe: KIND"
# line, each phase that at least half of N addresses saw (N empty: the
# count of the line's last pair), as metric PREFIX<phase>.
probe_phases() {
	local out ph v
	out=$(dmesg_since_mark | sed -n "s/.*vzr-latprobe: $2 //p" | awk -v n="$4" '{
		c = n
		if (c == "") {
			c = $NF
			sub(/.*\//, "", c)
		}
		c += 0
		for (i = 1; i < NF; i += 2) {
			split($(i + 1), a, "/")
			if (a[2] * 2 >= c)
				printf "%s %.6f\n", $i, a[1] / 1e9
		}
	}')
	[[ -n $out ]] || { echo "latency probe printed no $2" >&2; exit 1; }
	while read -r ph v; do
		result "$1" "$3$ph" "$v"
	done <<<"$out"
}

# lat_pairs NAME METRIC [SERIES]: the probe's median and p99, notifier to
# FIB (metrics METRIC_median, METRIC_p99), from its line in the kernel log
# ("vzr-latprobe: SERIESK pairs, ..."; SERIES "series I: " when the probe
# was loaded with series=).
lat_pairs() {
	local pairs med p99
	read -r pairs med p99 < <(dmesg_since_mark |
		sed -n "s/.*vzr-latprobe: ${3:-}\([0-9]*\) pairs, median \([0-9]*\) ns, p99 \([0-9]*\) ns.*/\1 \2 \3/p") || true
	[[ ${pairs:-0} -eq $lat_count ]] ||
		{ echo "latency probe saw ${pairs:-no} pairs of $lat_count${3:+ in ${3%: }}" >&2; exit 1; }
	result "$1" "$2_median" "$(awk -v x="$med" 'BEGIN { printf "%.6f", x / 1e9 }')"
	result "$1" "$2_p99" "$(awk -v x="$p99" 'BEGIN { printf "%.6f", x / 1e9 }')"
}

lat_arms() {
	local b out
	echo "== latency: $lat_count single addresses, in a stream and ${lat_pause} ms apart, vzroute, the daemon and react in $lat_blocks blocks each, by turns"
	rm -f /tmp/lat.[0-7]
	dmesg_mark lat
	# Series 0, 1: vzroute in a stream, on a quiet node; 2, 3: the daemon;
	# 4, 5: react; 6, 7: the kernel's local route.
	insmod "$here/vzr_latprobe.ko" n=$((6 * lat_count)) proto=0 series=6
	for ((b = 0; b < lat_blocks; b++)); do
		if ((b % 2 == 0)); then
			lat_vzroute "$b"
			lat_react "$b"
			lat_floor "$b"
			lat_daemon "$b"
		else
			lat_daemon "$b"
			lat_floor "$b"
			lat_react "$b"
			lat_vzroute "$b"
		fi
	done
	rmmod vzr_latprobe
	dmesg_since_mark | grep -a 'vzr-latprobe\|vzr-react' || true
	out=$(dmesg_since_mark | grep -a 'vzr-react:' || true)
	[[ $(grep -c ' 0 failed, 0 dropped, [0-9]* runs$' <<<"$out") == "$lat_blocks" ]] ||
		{ echo "bench: react did not send every route of its $lat_blocks blocks: $out" >&2; exit 1; }
	lat_series 0 vzroute ''
	lat_series 1 vzroute idle_
	lat_series 2 userspace ''
	lat_series 3 userspace idle_
	lat_series 4 react ''
	lat_series 5 react idle_
	lat_adder 6 local ''
	lat_adder 7 local idle_

	insmod "$VZR_KO" $vzr_allow
	lat_phases vzroute 157 '' 0
	lat_phases vzroute 157 idle_ "$lat_pause"
	rmmod vzroute
	usd_start
	lat_phases userspace 161 '' 0
	lat_phases userspace 161 idle_ "$lat_pause"
	usd_stop
	insmod "$here/vzr_react.ko" dev=vs0 proto=163
	lat_phases react 163 '' 0
	lat_phases react 163 idle_ "$lat_pause"
	rmmod vzr_react
	lat_profile
}

# Where the live adds' time goes: each live arm once more, untimed, with
# the trace buffer taking the kernel's lock contention tracepoints (on
# since boot), filtered to RTNL's mutex: how long the adding process and
# the installer (vzroute's worker, the daemon) each waited for RTNL, over the adds and removals together (the installer: the
# daemon, or every kernel worker, vzroute's among them), and how many
# waits every task had (metrics rtnl_wait_adder, rtnl_wait_installer,
# rtnl_waits; rtnl_lost: events the trace buffer dropped, 0 or the
# figures are low).
rtnl_arm() {	# NAME PROTO INSTALLER_COMM_PATTERN
	local addr f out aw iw nw clock size
	addr=$(awk '$3 == "rtnl_mutex" { print $1; exit }' /proc/kallsyms)
	[[ $addr =~ [1-9a-f] ]] ||
		{ echo "bench: no address for rtnl_mutex in /proc/kallsyms" >&2; exit 1; }
	echo 0 >"$tr/tracing_on"
	clock=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$tr/trace_clock")
	size=$(awk '{ print $1; exit }' "$tr/buffer_size_kb")	# "7 (expanded: 1408)" before first use
	echo mono >"$tr/trace_clock"
	echo 32768 >"$tr/buffer_size_kb"
	echo >"$tr/trace"
	for f in begin end; do
		echo "lock_addr == 0x$addr" >"$tr/events/lock/contention_$f/filter"
	done
	echo 1 >"$tr/tracing_on"
	"$here/addwait" bulk "$2" "$n" "$k" >/dev/null
	echo 0 >"$tr/tracing_on"
	for f in begin end; do
		echo 0 >"$tr/events/lock/contention_$f/filter"
	done
	result "$1" rtnl_lost "$(cat "$tr"/per_cpu/cpu*/stats | awk '/^overrun:/ { s += $2 } END { print s + 0 }')"
	out=$(awk -v inst="$3" '
	{
		for (i = 2; i <= NF; i++)
			if ($i ~ /^contention_(begin|end):$/)
				break
		if (i > NF)
			next
		task = $1; pid = task; sub(/.*-/, "", pid); sub(/-[0-9]+$/, "", task)
		ts = $(i - 1); sub(/:$/, "", ts)
		# A waiter may begin again (spin, sleep, wake and spin) before
		# its one end: its wait is from the first.
		if ($i == "contention_begin:") {
			if (!(pid in t0))
				t0[pid] = ts
			next
		}
		if (!(pid in t0))
			next
		w = ts - t0[pid]; delete t0[pid]; waits++
		if (task == "addwait")
			adder += w
		else if (task ~ inst)
			installer += w
	}
	END { printf "%.4f %.4f %d\n", adder, installer, waits }' "$tr/trace")
	echo >"$tr/trace"
	echo "$size" >"$tr/buffer_size_kb"
	echo "$clock" >"$tr/trace_clock"
	read -r aw iw nw <<<"$out"
	result "$1" rtnl_wait_adder "$aw"
	result "$1" rtnl_wait_installer "$iw"
	result "$1" rtnl_waits "$nw"
}

rtnl_arms() {
	[[ -d $tr/events/lock/contention_begin && -e $tr/tracing_on ]] ||
		{ echo "== RTNL contention: no lock contention tracepoints in this kernel; not measured"; return 0; }
	[[ $(<"$tr/events/lock/contention_begin/enable") == 1 && $(<"$tr/events/lock/contention_end/enable") == 1 ]] ||
		{ echo "bench: the lock contention tracepoints are not on (trace_event= on the kernel's command line)" >&2; exit 1; }
	echo "== RTNL contention in the live arms (traced, untimed)"
	rtnl_arm addrs 0 '^$'
	insmod "$VZR_KO" $vzr_allow
	rtnl_arm vzroute 157 '^kworker/'
	rmmod vzroute
	usd_start
	rtnl_arm userspace 161 '^usd$'
	usd_stop
}

# VZR_BENCH_ONLY=lat: the latency arms alone; =rtnl: where the live adds'
# time goes, the traced arms, alone (tests/bench.sh runs them in a boot of
# their own after the others).
if [[ ${VZR_BENCH_ONLY:-} =~ ^(lat|rtnl)$ ]]; then
	if [[ $VZR_BENCH_ONLY == lat ]]; then
		lat_arms
	else
		rtnl_arms
	fi
	echo "== done"
	exit 0
fi

# VZR_BENCH_ONLY=scale: the arms of the bulk addresses already there and
# the scale arms, alone.
if [[ ${VZR_BENCH_ONLY:-} == scale ]]; then
	add_bulk
	for ((r = 1; r <= rounds; r++)); do
		floor_round '' "$total"
		load_rounds '' "$total" 1
	done
	loaded_arms '' "$total"
	scale_arms
	echo "== done"
	exit 0
fi

# react (tests/bench/react.c) live, once: a work item run as soon as a
# change comes, sending the routes and doing nothing else, all to one
# host side. vzroute, whose runs begin VZR_RUN_GAP apart to take a burst
# in few runs, against what runs that begin at once cost however little
# they do (issue #18: the stream's latency and target 1 pull against
# each other). Its ring holds $react_max changes that its work item has
# not taken yet: with more addresses than that the arm is left out,
# rather than have it drop changes and its check stop the bench.
react_max=16384
react_live=(dev=vs0 proto=163 "prefix=$((0x0a010000))")
react_round() {
	local out
	if ((total > react_max)); then
		echo "bench: react left out of the live arms: $total addresses, its ring holds $react_max"
		return
	fi
	dmesg_mark react
	insmod "$here/vzr_react.ko" "${react_live[@]}"
	out=$("$here/addwait" bulk 163 "$n" "$k")
	rmmod vzr_react
	result react add "$(sed -n 's/^add //p' <<<"$out")"
	result react del "$(sed -n 's/^del //p' <<<"$out")"
	out=$(dmesg_since_mark | sed -n "s/.*vzr-react: $((2 * total)) routes sent, 0 failed, 0 dropped, \\([0-9]*\\) runs$/\\1/p")
	[[ -n $out ]] ||
		{ echo "bench: react did not send each of its $((2 * total)) routes:" "$(dmesg_since_mark | grep -a vzr-react)" >&2; exit 1; }
	result react runs "$out"
}

# The live arms, $rounds rounds: every way of routing $total addresses as
# they come and go, each timed from the first change to the last route;
# and in each round vzroute at load, the addresses already there.
live_rounds() {
	local r t0 t1 t2 out i
	for ((r = 1; r <= rounds; r++)); do
		echo "== round $r: $total routes"
		# Floor: in-kernel loop, no tracking.
		floor_round '' "$total"

		# ip -batch: the fastest a userspace tool can feed the kernel.
		t0=$(_vzr_now_us)
		ip -batch - <<<"$addb"
		t1=$(_vzr_now_us)
		ip -batch - <<<"$delb"
		t2=$(_vzr_now_us)
		result ip-batch add "$(awk -v x=$((t1 - t0)) 'BEGIN { printf "%.4f", x / 1e6 }')"
		result ip-batch del "$(awk -v x=$((t2 - t1)) 'BEGIN { printf "%.4f", x / 1e6 }')"

		# The address changes alone, nobody routing them: what bounds the
		# live arms below, which include them.
		out=$("$here/addwait" bulk 0 "$n" "$k")
		result addrs add "$(sed -n 's/^add //p' <<<"$out")"
		result addrs del "$(sed -n 's/^del //p' <<<"$out")"

		# vzroute: from the first address add to the last route.
		insmod "$VZR_KO" $vzr_allow
		out=$("$here/addwait" bulk 157 "$n" "$k")
		result vzroute runs "$(vzr_counter reconciliations)"
		rmmod vzroute
		result vzroute add "$(sed -n 's/^add //p' <<<"$out")"
		result vzroute del "$(sed -n 's/^del //p' <<<"$out")"

		# The userspace daemon, measured the same way.
		usd_start
		out=$("$here/addwait" bulk 161 "$n" "$k")
		usd_stop
		result userspace add "$(sed -n 's/^add //p' <<<"$out")"
		result userspace del "$(sed -n 's/^del //p' <<<"$out")"

		react_round

		# Beside the live removals (issue #18's target for them), what an
		# installer with nothing to find out adds to them. The floor's
		# deletes, batched as vzroute batches its own (only failures
		# answered), alone: on one CPU, as vzroute's run shared the
		# remover's until ad2619c, they cannot overlap the removals.
		# Then the same deletes on the other CPU, from the moment the
		# removals start (addwait pins itself and the unload),
		# overlapping them as far as RTNL, which both take for each
		# change, lets them: one schedule that the lock's arbitration
		# gives, not the least possible.
		floor_round _batched "$total" batch=64
		overlap_round

		# vzroute at load, which issue #18's target 1 compares the live
		# arms with: in the same round as they, since a guest's speed
		# drifts over a run's minutes (the load once ran after the
		# latency arms, minutes later, and its ratio to the floor at
		# 10,000 went from 0.73 in one run to 2.23 in the next, the same
		# module, while the floor's adds, timed in these rounds, went
		# from 0.68 to 0.85 s). The
		# addresses first, then the module loaded and unloaded once; the
		# addresses go again before the next round's arms.
		add_bulk
		load_rounds '' "$total" 1
		del_bulk

		# One ip process per address, as vzctl's scripts do; scaled.
		t0=$(_vzr_now_us)
		for ((i = 0; i < script_n; i++)); do
			ip route replace "$(addr_of "$i")/32" dev "vs$((i / k))" proto 162
		done
		t1=$(_vzr_now_us)
		ip -force -batch - <<<"route flush proto 162" >/dev/null 2>&1 || true
		result script add "$(awk -v x=$((t1 - t0)) -v s="$script_n" -v t="$total" \
			'BEGIN { printf "%.4f", x / 1e6 * t / s }')"
	done
}

# Where target 1's time goes, as CPU: each live arm once more, untimed,
# its adds of $total addresses, then their removals, each under perf of
# its own (cpu-clock on both CPUs, with call stacks, at 1 kHz: under
# emulation each sample costs the task it interrupts). Every sample but
# the idle tasks' goes to one part: the adding process (addwait: its
# system calls, and so the installer's notifiers, which run in them; of
# that, what went under a function of the installer's module), the
# installer's runs (stacks through vzr_run, or react's send_changes; of
# that, rtnetlink handling their messages, under netlink_unicast), the
# daemon's process (usd; of that, under netlink_unicast), or the rest
# (other kernel workers, softirqs, on an idle CPU too; perf's own process
# is left out); across them, what went to spinning
# for a mutex (RTNL's, for the most part: mutex_spin_on_owner,
# osq_lock). Metrics cpu_OP_PART of each arm (OP add or del), in
# microseconds per change; the address changes alone are the "addrs"
# arm. A part's CPU over the addrs arm's is what that installer costs
# there, beside the wall time of the timed rounds: time spent asleep
# (waiting for RTNL, for a CPU) is in none.
live_cpu_arm() {	# ARM PROTO
	local op out kv i
	module_syms "the live $1 arm" vzroute vzr_react
	for op in add del; do
		perf record -B -a -g -e cpu-clock -F 1000 -o /tmp/perf.data -- \
			"$here/addwait" "bulk-$op" "$2" "$n" "$k" >/dev/null ||
			{ echo "bench: perf record of the live $1 arm's ${op}s failed" >&2; exit 1; }
		out=$(perf script -i /tmp/perf.data -F comm,period,ip,sym 2>/tmp/perf-script.err |
			awk -v n="$total" -v op="$op" -v syms=/tmp/vzr-syms '
		BEGIN {
			while ((getline f <syms) > 0)
				mod[f] = 1
			split("adder adder_installer runs runs_rtnetlink daemon daemon_rtnetlink other spin", parts, " ")
		}
		function has(name,   i) {
			for (i = 1; i <= nf; i++)
				if (fr[i] == name)
					return 1
			return 0
		}
		function sample(   i) {
			# The idle task itself, and perf: not what any arm costs.
			# Softirqs that came on an idle CPU go to the rest.
			if ((comm ~ /^swapper/ && !has("__do_softirq")) || comm == "perf")
				return
			if (has("mutex_spin_on_owner") || has("osq_lock"))
				cpu["spin"] += per
			if (comm == "addwait") {
				cpu["adder"] += per
				for (i = 1; i <= nf; i++)
					if (fr[i] in mod) {
						cpu["adder_installer"] += per
						break
					}
			} else if (has("vzr_run") || has("send_changes")) {
				cpu["runs"] += per
				if (has("netlink_unicast"))
					cpu["runs_rtnetlink"] += per
			} else if (comm == "usd") {
				cpu["daemon"] += per
				if (has("netlink_unicast"))
					cpu["daemon_rtnetlink"] += per
			} else {
				cpu["other"] += per
			}
		}
		/^\t/ { fr[++nf] = $2; next }
		NF { if (nf) sample(); nf = 0; comm = $1; per = $NF; next }
		END {
			if (nf)
				sample()
			for (i = 1; i <= 8; i++)
				printf "%s_%s %.2f ", op, parts[i], cpu[parts[i]] / n / 1000
			printf "\n"
		}') || { cat /tmp/perf-script.err >&2; echo "bench: perf script failed" >&2; exit 1; }
		echo "live cpu, $1: $out"
		read -ra kv <<<"$out"
		for ((i = 0; i + 1 < ${#kv[@]}; i += 2)); do
			result "$1" "cpu_${kv[i]}" "${kv[i + 1]}"
		done
	done
	rm -f /tmp/perf.data /tmp/perf.data.old /tmp/vzr-syms
}

live_cpu() {
	echo "== the live arms' CPU, sampled (untimed)"
	live_cpu_arm addrs 0
	insmod "$VZR_KO" $vzr_allow
	live_cpu_arm vzroute 157
	rmmod vzroute
	usd_start
	live_cpu_arm userspace 161
	usd_stop
	if ((total > react_max)); then
		return
	fi
	insmod "$here/vzr_react.ko" "${react_live[@]}"
	live_cpu_arm react 163
	rmmod vzr_react
}

# VZR_BENCH_ONLY=live: the live arms alone.
if [[ ${VZR_BENCH_ONLY:-} == live ]]; then
	live_rounds
	live_cpu
	echo "== done"
	exit 0
fi

live_rounds
live_cpu

lat_arms

echo "== memory, dump and resync: $total tracked addresses"
add_bulk
loaded_arms '' "$total"
"$VZR_ROOT/tests/guest/bench-migrate.sh"
"$VZR_ROOT/tests/guest/bench-lan.sh"

# Last, so that nothing after it pays for that many addresses (the VM
# powers off with them).
scale_arms
echo "== done"
