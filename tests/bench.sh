#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: how fast container addresses become host routes, vzroute
# against the kernel's own floor and against userspace, all arms in one
# VM boot. Prints the table and writes it, with the kernel, the date and
# the command, to tests/bench/results.txt.
#
# Knobs: VZR_BENCH_NS (100) x VZR_BENCH_K (100) routes, VZR_BENCH_ROUNDS (3),
# VZR_BENCH_LAT (1000), VZR_BENCH_SCRIPT_N (500), VZR_BENCH_MOVES (31: live
# migrations per arm of tests/guest/bench-migrate.sh, over OSPF and over
# BGP, and of tests/guest/bench-lan.sh, on a LAN with and without
# announcement), VZR_BENCH_BIG (100000: the arms at load, floor, dump,
# resync and memory again at that many addresses, VZR_BENCH_K a
# namespace, last; 0 leaves them out), VZR_KVER (the kernel to build
# against and boot; default the newest installed), VZR_BENCH_LAT_PAUSE_MS
# (25: the latency arms' quiet moment between single addresses),
# VZR_BENCH_LAT_BLOCKS (4, even: the blocks in which vzroute's latency
# passes and the daemon's take turns), VZR_BENCH_PROFILE_TOP (10: the
# functions of vzroute the profile of the quiet node's runs names).
# VZR_BENCH_ONLY=migrate runs the routed migration arms alone, =lan the
# LAN ones, =live the live arms (addresses added and removed, routed by
# every installer), =scale the arms at load at both sizes, =lat the
# latency arms and the live arms' RTNL contention, =rtnl that contention
# alone; each leaves results.txt as it is. The contention arms run in a
# second boot (below).
#
# After the table, "targets" checks issue #18's targets, each a ratio
# between arms of this run, and says "met" or "not met".

set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=tests/lib/deps.sh
. "$ROOT/tests/lib/deps.sh"
DEPS_PACKAGES+=(time linux-perf)
deps_missing
deps_install /tmp/vzroute-bench-apt.log || { echo "bench: $DEPS_ERROR" >&2; exit 1; }

# shellcheck source=tests/lib/host.sh
. "$ROOT/tests/lib/host.sh"
# VZR_KVER picks the kernel; by default the newest installed one of the
# standard flavour (tests/lib/host.sh newest_kernel); said below.
kver=${VZR_KVER:-$(newest_kernel)} || { echo "bench: no installed kernel found" >&2; exit 1; }
[[ -e /boot/vmlinuz-$kver && -d /lib/modules/$kver/build ]] ||
	{ echo "bench: kernel $kver is not installed with its headers (/boot/vmlinuz-$kver, /lib/modules/$kver/build)" >&2; exit 1; }
echo "# bench: kernel $kver (VZR_KVER=${VZR_KVER:-unset: the newest installed})"
kdir=/lib/modules/$kver/build
cache=${VZR_CACHE:-/var/cache/vzroute-test}
mkdir -p "$cache/runs"
work=$(mktemp -d "$cache/runs/bench.XXXXXX")
make -C "$ROOT" module tool KDIR="$kdir" >"$work/build.log" 2>&1 ||
	{ tail -20 "$work/build.log"; exit 1; }
make -C "$ROOT/tests/bench" KDIR="$kdir" >>"$work/build.log" 2>&1 ||
	{ tail -20 "$work/build.log"; exit 1; }
strip --strip-debug -o "$work/vzroute.ko" "$ROOT/vzroute.ko"

export VZR_KO=$work/vzroute.ko
export VZR_BENCH_NS=${VZR_BENCH_NS:-100} VZR_BENCH_K=${VZR_BENCH_K:-100}
export VZR_BENCH_ROUNDS=${VZR_BENCH_ROUNDS:-3}
export VZR_BENCH_MOVES=${VZR_BENCH_MOVES:-31} VZR_BENCH_ONLY=${VZR_BENCH_ONLY:-}
[[ -z $VZR_BENCH_ONLY || $VZR_BENCH_ONLY =~ ^(migrate|lan|live|scale|lat|rtnl)$ ]] ||
	{ echo "bench: VZR_BENCH_ONLY=$VZR_BENCH_ONLY: only \"migrate\", \"lan\", \"live\", \"scale\", \"lat\" or \"rtnl\" can run alone" >&2; exit 2; }
export VZR_BENCH_LAT_PAUSE_MS=${VZR_BENCH_LAT_PAUSE_MS:-25}
[[ $VZR_BENCH_LAT_PAUSE_MS =~ ^[1-9][0-9]*$ ]] ||
	{ echo "bench: VZR_BENCH_LAT_PAUSE_MS=$VZR_BENCH_LAT_PAUSE_MS: milliseconds, at least 1" >&2; exit 2; }
export VZR_BENCH_LAT_BLOCKS=${VZR_BENCH_LAT_BLOCKS:-4}
[[ $VZR_BENCH_LAT_BLOCKS =~ ^[1-9][0-9]*$ ]] && ((VZR_BENCH_LAT_BLOCKS % 2 == 0)) ||
	{ echo "bench: VZR_BENCH_LAT_BLOCKS=$VZR_BENCH_LAT_BLOCKS: an even number of blocks (each installer first in half of them)" >&2; exit 2; }
export VZR_BENCH_PROFILE_TOP=${VZR_BENCH_PROFILE_TOP:-10}
[[ $VZR_BENCH_PROFILE_TOP =~ ^[1-9][0-9]*$ ]] ||
	{ echo "bench: VZR_BENCH_PROFILE_TOP=$VZR_BENCH_PROFILE_TOP: how many of vzroute's functions the profile names, at least 1" >&2; exit 2; }
export VZR_BENCH_BIG=${VZR_BENCH_BIG:-100000}
[[ $VZR_BENCH_BIG =~ ^[0-9]+$ ]] ||
	{ echo "bench: VZR_BENCH_BIG=$VZR_BENCH_BIG: a number of addresses (0: no scale arms)" >&2; exit 2; }
echo "# bench: $((VZR_BENCH_NS * VZR_BENCH_K)) routes, $VZR_BENCH_ROUNDS rounds, kernel $kver (QEMU TCG); console: $work/console.log"
vm_rc=0
vm_log=$work/console.log
: >"$work/result"
if [[ $VZR_BENCH_ONLY != rtnl ]]; then
	"$ROOT/tests/vm/run.sh" -k "$kver" -m 2048 -t 5400 -l "$vm_log" \
		-r "$work/result" "$ROOT/tests/guest/bench.sh" || vm_rc=$?
fi
# The live arms once more, traced (their RTNL waits), in a boot of their
# own whose kernel switches the lock contention tracepoints on from its
# command line, before the second CPU starts. Switching them on at run
# time patches the kernel's text under the other vCPU, which once
# livelocked QEMU TCG (one vCPU in text_poke_bp() waiting for the other,
# the other looping on the int3 in __schedule); and the timed arms of the
# first boot run without them.
if ((vm_rc == 0)) && [[ -z $VZR_BENCH_ONLY || $VZR_BENCH_ONLY =~ ^(lat|rtnl)$ ]]; then
	vm_log=$work/console-rtnl.log
	VZR_BENCH_ONLY=rtnl "$ROOT/tests/vm/run.sh" -k "$kver" -m 2048 -t 1800 -l "$vm_log" \
		-a "trace_event=lock:contention_begin,lock:contention_end" \
		-r "$work/result-rtnl" "$ROOT/tests/guest/bench.sh" || vm_rc=$?
	cat "$work/result-rtnl" >>"$work/result"
fi
if ((vm_rc)); then
	echo "bench: the VM failed (exit $vm_rc); see $vm_log" >&2
	grep -q '^RESULT ' "$work/result" || exit 1
	echo "bench: what follows has only the arms that finished; results.txt is left as it is" >&2
fi

table=$(awk -v only="$VZR_BENCH_ONLY" -v pause="$VZR_BENCH_LAT_PAUSE_MS" -v moves="$VZR_BENCH_MOVES" -v ns="$VZR_BENCH_NS" -v perns="$VZR_BENCH_K" -v big="$VZR_BENCH_BIG" -v top="$VZR_BENCH_PROFILE_TOP" '
$1 == "RESULT" { k = $2 " " $3; v[k] = v[k] " " $4; n[k]++; order[k] = ++seen }
function med(s,   a, c, i, j, t) {
	c = split(s, a, " ")
	for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++)
		if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
	lo = a[1]; hi = a[c]
	return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
}
END {
	printf "%-12s %-14s %12s %22s\n", "arm", "metric", "median", "spread (min..max)"
	for (k in v) { m[k] = med(v[k]); l[k] = lo; h[k] = hi }
	split("floor addrs ip-batch vzroute userspace overlap react local script dump", arms, " ")
	for (a = 1; a <= 10; a++)
		for (k in v) {
			split(k, p, " ")
			# The profiles by function are printed with where()
			# and resync_split(), the CPU of the live arms with
			# live_cpu().
			if (p[1] == arms[a] && p[2] !~ /^((profile|resync)_fn|cpu_)/)
				printf "%-12s %-14s %12s %22s\n", p[1], p[2], m[k], l[k] ".." h[k]
		}
	split("migrate-vzroute migrate-by-hand migrate-bgp-vzroute migrate-bgp-by-hand", arms, " ")
	for (a = 1; a <= 4; a++)
		for (t = 1; t <= 2; t++) {
			k = arms[a] " " (t == 1 ? "outage_ms" : "gap_ms")
			if (k in v)
				printf "%-19s %-11s %12s %22s\n", arms[a], (t == 1 ? "outage_ms" : "gap_ms"), m[k], l[k] ".." h[k]
		}
	split("lan-announce lan-silent", arms, " ")
	split("outage_ms gap_ms neigh_ms", ms, " ")
	for (a = 1; a <= 2; a++)
		for (t = 1; t <= 3; t++) {
			k = arms[a] " " ms[t]
			if (k in v)
				printf "%-19s %-11s %12s %22s\n", arms[a], ms[t], m[k], l[k] ".." h[k]
		}
	print ""
	print "ratios (same boot):"
	if (only == "") {	# (the other arms ran)
		printf "  load:       vzroute / floor       = %s (routes for addresses already there)\n", qs("vzroute load", "floor add", "%.2f")
		printf "  unload:     vzroute / floor       = %s\n", qs("vzroute unload", "floor del", "%.2f")
	}
	if (only == "" || only == "live") {
		printf "  bulk add:   vzroute / addrs alone = %s (the address adds bound every live arm)\n", qs("vzroute add", "addrs add", "%.2f")
		printf "  bulk add:   userspace / addrs alone = %s\n", qs("userspace add", "addrs add", "%.2f")
		printf "  bulk add:   vzroute / floor       = %s\n", qs("vzroute add", "floor add", "%.2f")
		printf "  bulk add:   ip -batch / vzroute   = %s\n", qs("ip-batch add", "vzroute add", "%.1f")
		printf "  bulk add:   userspace / vzroute   = %s\n", qs("userspace add", "vzroute add", "%.1f")
		printf "  bulk add:   script / vzroute      = %s\n", qs("script add", "vzroute add", "%.1f")
		printf "  bulk del:   vzroute / floor       = %s\n", qs("vzroute del", "floor del", "%.2f")
		printf "  bulk del:   userspace / vzroute   = %s\n", qs("userspace del", "vzroute del", "%.1f")
	}
	if (only == "" || only == "lat") {
		printf "  latency:    userspace / vzroute   = %s (median), %s (p99)\n",
			qs("userspace lat_median", "vzroute lat_median", "%.1f"),
			qs("userspace lat_p99", "vzroute lat_p99", "%.1f")
		printf "  latency, in-kernel probe: userspace / vzroute = %s (median), %s (p99)\n",
			qs("userspace kern_lat_median", "vzroute kern_lat_median", "%.1f"),
			qs("userspace kern_lat_p99", "vzroute kern_lat_p99", "%.1f")
		printf "  latency, %d ms apart: userspace / vzroute = %s (median), %s (p99)\n", pause,
			qs("userspace idle_lat_median", "vzroute idle_lat_median", "%.1f"),
			qs("userspace idle_lat_p99", "vzroute idle_lat_p99", "%.1f")
		printf "  latency, %d ms apart, in-kernel probe: userspace / vzroute = %s (median), %s (p99)\n", pause,
			qs("userspace idle_kern_lat_median", "vzroute idle_kern_lat_median", "%.1f"),
			qs("userspace idle_kern_lat_p99", "vzroute idle_kern_lat_p99", "%.1f")
	}
	if ((only == "" || only == "scale") && m["dump ip_wall"] > 0)
		printf "  dump:       vzroute show -j / ip -j route show = %.2f (%d routes)\n",
			m["dump wall"] / m["dump ip_wall"], ns * perns
	if (m["migrate-by-hand outage_ms"] > 0 && m["migrate-by-hand gap_ms"] > 0)
		printf "  migration:  vzroute / by hand     = %.2f (median outage), %.2f (median gap); %d moves each\n",
			m["migrate-vzroute outage_ms"] / m["migrate-by-hand outage_ms"],
			m["migrate-vzroute gap_ms"] / m["migrate-by-hand gap_ms"], moves
	if (m["migrate-bgp-by-hand outage_ms"] > 0 && m["migrate-bgp-by-hand gap_ms"] > 0)
		printf "  migration over BGP: vzroute / by hand = %.2f (median outage), %.2f (median gap); %d moves each\n",
			m["migrate-bgp-vzroute outage_ms"] / m["migrate-bgp-by-hand outage_ms"],
			m["migrate-bgp-vzroute gap_ms"] / m["migrate-bgp-by-hand gap_ms"], moves
	if ("lan-announce neigh_ms" in v && "lan-silent neigh_ms" in v)
		printf "  LAN migration: the LAN host at the new MAC after %s ms announced, %s ms silent; outage %s against %s ms (medians, %d moves each)\n",
			m["lan-announce neigh_ms"], m["lan-silent neigh_ms"],
			m["lan-announce outage_ms"], m["lan-silent outage_ms"], moves
	if (m["migrate-by-hand outage_ms"] > 0 && m["migrate-bgp-vzroute outage_ms"] > 0)
		printf "  migration, BGP beside OSPF: %s ms against %s ms (vzroute, median outage)\n",
			m["migrate-bgp-vzroute outage_ms"], m["migrate-vzroute outage_ms"]
	targets()
	where()
	live_cpu()
}

# The CPU of an arm in all the parts that take a sample each, from the prefix
# of its metrics ("ARM cpu_OP_").
function cpu_total(p) {
	return m[p "adder"] + m[p "runs"] + m[p "daemon"] + m[p "other"]
}

# The CPU of the live arms (live_cpu in the guest): where the time of
# target 1 goes, beside the wall time of the timed rounds.
function live_cpu(   a, i, o, op, arm, t, base, p) {
	if (!("vzroute cpu_add_runs" in m))
		return
	print ""
	print "CPU of the live arms, sampled (perf on both CPUs, each arm once more, untimed), microseconds"
	print "per change: the adding process (and of it, the notifiers of the installer), the runs of the"
	print "installer (and of them, rtnetlink handling their messages), the daemon process (and of it,"
	print "rtnetlink), the rest, and across them, spinning for a mutex (RTNL, mostly); sleeping"
	print "waits (RTNL, a CPU) are in none"
	printf "  %-10s %-10s %8s %8s %8s %8s %8s %8s %8s %8s %11s %8s\n", "changes", "arm", "adder", "(notif.)", "runs", "(rtnl)", "daemon", "(rtnl)", "other", "total", "over addrs", "spin"
	split("addrs vzroute react userspace", a, " ")
	for (o = 1; o <= 2; o++) {
		op = o == 1 ? "add" : "del"
		base = cpu_total("addrs cpu_" op "_")
		for (i = 1; i <= 4; i++) {
			arm = a[i]
			p = arm " cpu_" op "_"
			if (!((p "adder") in m))
				continue
			t = cpu_total(p)
			printf "  %-10s %-10s %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %11s %8.1f\n",
				o == 1 ? "adds" : "removals", arm,
				m[p "adder"], m[p "adder_installer"], m[p "runs"], m[p "runs_rtnetlink"],
				m[p "daemon"], m[p "daemon_rtnetlink"], m[p "other"], t,
				arm == "addrs" || !(("addrs cpu_" op "_adder") in m) ? "-" : sprintf("%.1f", t - base),
				m[p "spin"]
		}
	}
}

# phases(LABEL, PREFIX, ROUTEIN, ARM): the phases the latency probe saw in
# one arm, in microseconds from the address notifier (medians); PREFIX
# "ph_" or "tail_" (the slowest 1%), ROUTEIN the name of its latency.
function phases(label, p, routein, arm,   k, i, ph, line) {
	if (!((arm " " p routein) in m))
		return
	line = sprintf("  %-14s %-9s", label, arm)
	split("unlock run scan rtnl sync send newroute insert " routein, ph, " ")
	for (i = 1; i <= 9; i++) {
		k = arm " " p ph[i]
		line = line sprintf(" %9s", k in m ? sprintf("%.0f", m[k] * 1e6) : "-")
	}
	print line
}

# Where the time of targets 1 and 2 goes: the phases of the probe, the least
# any installer could do, and the contention on RTNL in the live arms.
function where(   p, pp, lbl, i, a, fl, arm, ins, d, r, fn, k) {
	if (!("vzroute ph_routein_median" in m) && !("vzroute rtnl_waits" in m))
		return
	print ""
	print "where the time goes (targets 1 and 2), microseconds from the address notifier, medians:"
	if (!("vzroute ph_routein_median" in m)) {
		rtnl_where()
		return
	}
	print "  (a pass of its own with the probes on. RTNL free: the adder lets RTNL go; run, scan,"
	print "  has RTNL, sync: vzroute starts a run, starts its scan, has RTNL for it, is done"
	print "  scanning and deciding; send: another task sends a netlink message; route add: rtnetlink"
	print "  gives the add RTNL; insert: from there to the FIB entry; route in: notifier to FIB."
	print "  Each counted when it came between the notifier and the route for at least half the"
	print "  addresses; -: it did not, as for a daemon already waiting for RTNL when the notifier"
	print "  ran, its message sent before it; slowest 1%: the same over the addresses whose route"
	print "  came last, at or above the p99 of that pass)"
	printf "  %-14s %-9s %9s %9s %9s %9s %9s %9s %9s %9s %9s\n", "latency", "arm", "RTNL free", "run", "scan", "has RTNL", "sync", "send", "route add", "insert", "route in"
	split("vzroute userspace react", a, " ")
	for (i = 1; i <= 3; i++) {
		phases("in a stream", "ph_", "routein_median", a[i])
		phases("  slowest 1%", "tail_", "routein", a[i])
		phases(pause " ms apart", "idle_ph_", "routein_median", a[i])
		phases("  slowest 1%", "idle_tail_", "routein", a[i])
	}
	split("ph_ tail_ idle_ph_ idle_tail_", pp, " ")
	for (i = 1; i <= 4; i++) {
		p = pp[i]
		if (("vzroute " p "full") in m)
			printf "  vzroute, %s%s: in at least half of them the run looked at every device\n",
				p ~ /^idle_/ ? pause " ms apart" : "in a stream", p ~ /tail_/ ? ", slowest 1%" : ""
	}
	for (i = 1; i <= 2; i++) {
		p = i == 1 ? "" : "idle_"
		lbl = i == 1 ? "in a stream" : pause " ms apart"
		d = m["userspace " p "ph_routein_median"]
		if (!(("vzroute " p "ph_unlock") in m) || d <= 0)
			continue
		# No route goes in before the adder lets RTNL go, nor faster
		# than the quickest insert of the run: about the least any
		# installer could do (a sum of medians, an estimate).
		ins = -1
		if (("vzroute " p "ph_insert") in m)
			ins = m["vzroute " p "ph_insert"]
		if (("userspace " p "ph_insert") in m && (ins < 0 || m["userspace " p "ph_insert"] < ins))
			ins = m["userspace " p "ph_insert"]
		if (ins < 0)
			continue
		fl = (m["vzroute " p "ph_unlock"] + ins) * 1e6
		printf "  %s: RTNL free + the quickest insert = %.0f us, %.2f of the daemon at %.0f us (target: 0.5)\n",
			lbl, fl, fl / (d * 1e6), d * 1e6
		if (p == "idle_" && ("userspace " p "ph_send") in m && ("vzroute " p "ph_run") in m)
			printf "  %s: the daemon sends its route at %.0f us, vzroute starts its run at %.0f us: the wake-up of either, %.2f and %.2f of the daemon in all\n",
				lbl, m["userspace " p "ph_send"] * 1e6, m["vzroute " p "ph_run"] * 1e6,
				m["userspace " p "ph_send"] / d, m["vzroute " p "ph_run"] / d
	}
	if ("vzroute profile_us" in m) {
		printf "  %s, sampled (perf, a pass of its own): the runs use %.0f us of CPU per address\n", pause " ms apart", m["vzroute profile_us"]
		printf "  added and removed (%.2f runs each): the scan %.0f%%, the sync %.0f%% (of which rtnetlink\n", m["vzroute profile_runs"], m["vzroute profile_scan_pct"], m["vzroute profile_sync_pct"]
		printf "  handling the route messages, as for any installer, %.0f%%), its reading of the route\n", m["vzroute profile_rtnetlink_pct"]
		printf "  sockets %.0f%%, the rest %.0f%%\n", m["vzroute profile_listen_pct"], m["vzroute profile_other_pct"]
		# profile_fnRANK_FUNCTION: the own part of vzroute, by function.
		for (r = 1; ; r++) {
			fn = ""
			for (k in m)
				if (index(k, "vzroute profile_fn" r "_") == 1)
					fn = k
			if (fn == "")
				break
			if (r == 1)
				printf "  outside rtnetlink handling its messages, by the function of vzroute it went to\n  (with what it called of the kernel), us per address:"
			printf "%s %s %.1f", (r - 1) % 4 ? "," : "\n   ", substr(fn, length("vzroute profile_fn" r "_") + 1), m[fn]
		}
		if (r > 1)
			printf "\n"
	}
	rtnl_where()
}

# The live arms traced (VZR_BENCH_ONLY=rtnl, or its boot in a full run).
function rtnl_where(   i, a, arm) {
	if (!("vzroute rtnl_waits" in m))
		return
	print "  (each live arm once more, untimed, in a boot of its own with the lock contention"
	print "  tracepoints on RTNL: the time the adding process and the installer waited for it, adds"
	print "  and removals together; waits: of every task; over addrs: the arm over the address"
	print "  changes alone, from the timed rounds)"
	printf "  %-22s %-9s %12s %12s %8s %10s %6s\n", "live adds+removals", "arm", "adder waits", "inst. waits", "waits", "over addrs", "lost"
	split("addrs vzroute userspace", a, " ")
	for (i = 1; i <= 3; i++) {
		arm = a[i]
		if (!((arm " rtnl_waits") in m))
			continue
		printf "  %-22s %-9s %11.2fs %11.2fs %8d %9s %6d\n", "RTNL waited for", arm,
			m[arm " rtnl_wait_adder"], m[arm " rtnl_wait_installer"], m[arm " rtnl_waits"],
			arm != "addrs" && (arm " add") in m ? sprintf("%.2fs", m[arm " add"] + m[arm " del"] - m["addrs add"] - m["addrs del"]) : "-",
			m[arm " rtnl_lost"]
	}
}

# qs(A, B, FMT): A / B formatted, or "-" when either is missing (an arm that
# did not run, as in a table left incomplete by a failed VM).
function qs(a, b, fmt) {
	return (a in m) && (b in m) && m[b] > 0 ? sprintf(fmt, m[a] / m[b]) : "-"
}

# target(WHAT, A, B, LIMIT): A / B against LIMIT, when both were measured.
function target(what, a, b, limit,   r) {
	if (!(a in m) || !(b in m)) {
		printf "  %-62s  not measured in this run\n", what
		return
	}
	if (m[b] <= 0) {
		printf "  %-62s  no ratio: %s is %s\n", what, b, m[b]
		return
	}
	r = m[a] / m[b]
	printf "  %-62s %7.2f <= %-5s %s\n", what, r, limit, r <= limit ? "met" : "not met"
}

# Over an arm: what a live arm costs beyond the address changes alone.
function over(name, arm, op) {
	if ((arm " " op) in m && ("addrs " op) in m)
		m[name] = m[arm " " op] - m["addrs " op]
}

# ref(WHAT, A, B): A / B with no target: what the kernel itself does.
function ref(what, a, b) {
	if ((a in m) && (b in m) && m[b] > 0)
		printf "  %-62s %7.2f\n", what, m[a] / m[b]
}

# bound(WHAT, A, LIMIT): A itself against LIMIT.
function bound(what, a, limit) {
	if (!(a in m))
		printf "  %-62s  not measured in this run\n", what
	else
		printf "  %-62s %7d <= %-5s %s\n", what, m[a], limit, m[a] <= limit ? "met" : "not met"
}

function targets(   b, s) {
	b = big / 1000 "k"
	s = ns * perns / 1000 "k"
	over("over vzroute add", "vzroute", "add")
	over("over userspace add", "userspace", "add")
	over("over vzroute del", "vzroute", "del")
	over("over userspace del", "userspace", "del")
	over("over overlap del", "overlap", "del")
	over("over react add", "react", "add")
	over("over react del", "react", "del")
	print ""
	print "targets (issue #18), each a ratio between arms of this run:"
	target("1. live adds: vzroute / daemon, each over the address adds", "over vzroute add", "over userspace add", 0.5)
	ref("   (react: a run as soon as a change comes, that only sends / daemon)", "over react add", "over userspace add")
	target("1. live adds: vzroute over the address adds / vzroute at load", "over vzroute add", "vzroute load", 1.5)
	target("1. live removals: vzroute / daemon, over the address removals", "over vzroute del", "over userspace del", 0.5)
	ref("   (react: a run as soon as a change comes, that only sends / daemon)", "over react del", "over userspace del")
	ref("   (the deletes alone, batched, their loop / daemon)", "floor kernel_del_batched", "over userspace del")
	ref("   (the same on the other CPU as the removals go / daemon)", "over overlap del", "over userspace del")
	target("1. live removals: vzroute over them / vzroute unload", "over vzroute del", "vzroute unload", 1.5)
	target("2. latency as the adder sees it, median: vzroute / daemon", "vzroute lat_median", "userspace lat_median", 0.5)
	ref("   (react: a work item that only sends the route / daemon)", "react lat_median", "userspace lat_median")
	ref("   (least possible: kernel local route / daemon)", "local lat_median", "userspace lat_median")
	target("2. latency as the adder sees it, p99: vzroute / daemon", "vzroute lat_p99", "userspace lat_p99", 0.5)
	ref("   (react: a work item that only sends the route / daemon)", "react lat_p99", "userspace lat_p99")
	target("2. latency, in-kernel probe, median: vzroute / daemon", "vzroute kern_lat_median", "userspace kern_lat_median", 0.5)
	ref("   (react: a work item that only sends the route / daemon)", "react kern_lat_median", "userspace kern_lat_median")
	target("2. latency, in-kernel probe, p99: vzroute / daemon", "vzroute kern_lat_p99", "userspace kern_lat_p99", 0.5)
	ref("   (react: a work item that only sends the route / daemon)", "react kern_lat_p99", "userspace kern_lat_p99")
	target("2. " pause " ms apart, as the adder sees it, median", "vzroute idle_lat_median", "userspace idle_lat_median", 0.5)
	ref("   (react: a work item that only sends the route / daemon)", "react idle_lat_median", "userspace idle_lat_median")
	ref("   (least possible: kernel local route / daemon)", "local idle_lat_median", "userspace idle_lat_median")
	target("2. " pause " ms apart, as the adder sees it, p99", "vzroute idle_lat_p99", "userspace idle_lat_p99", 0.5)
	ref("   (react: a work item that only sends the route / daemon)", "react idle_lat_p99", "userspace idle_lat_p99")
	target("2. " pause " ms apart, in-kernel probe, median", "vzroute idle_kern_lat_median", "userspace idle_kern_lat_median", 0.5)
	ref("   (react: a work item that only sends the route / daemon)", "react idle_kern_lat_median", "userspace idle_kern_lat_median")
	target("2. " pause " ms apart, in-kernel probe, p99", "vzroute idle_kern_lat_p99", "userspace idle_kern_lat_p99", 0.5)
	ref("   (react: a work item that only sends the route / daemon)", "react idle_kern_lat_p99", "userspace idle_kern_lat_p99")
	target("3. dump at " b ": vzroute show -j / ip -j route show", "dump wall_big", "dump ip_wall_big", 1.0)
	target("3. dump: " b " / " s, "dump wall_big", "dump wall", 12)
	bound("4. kernel memory per tracked address (bytes), at " s, "vzroute bytes_per_addr", 192)
	bound("4. kernel memory per tracked address (bytes), at " b, "vzroute bytes_per_addr_big", 192)
	print "     (its slab objects, and its hash tables beyond their size at load)"
	target("5. migration outage: vzroute / route moved by hand (median)", "migrate-vzroute outage_ms", "migrate-by-hand outage_ms", 1.1)
	target("6. install at load, " b ": vzroute / floor", "vzroute load_big", "floor add_big", 1.25)
	target("6. unload, " b ": vzroute / floor", "vzroute unload_big", "floor del_big", 1.25)
	target("6. install at load: " b " / " s, "vzroute load_big", "vzroute load", 12)
	ref("   (the floor, adds: " b " / " s ")", "floor add_big", "floor add")
	target("6. unload: " b " / " s, "vzroute unload_big", "vzroute unload", 12)
	ref("   (the floor, deletes: " b " / " s ")", "floor del_big", "floor del")
	target("6. dump: " b " / " s, "dump wall_big", "dump wall", 12)
	target("6. resync: " b " / " s, "vzroute resync_big", "vzroute resync", 12)
	resync_split(b, s)
}

# Where the run of a resync spends its time (resync_profile in the guest), per
# tracked address at both counts: linear where the two are alike. The
# functions that took the most per address at the larger count, most
# first; their growth only where the smaller count gave them 0.05 us or
# more (fewer samples than that tell little).
function resync_split(b, s,   k, fn, f, nf, i, j, t, big, small) {
	if (!("vzroute resync_us_big" in m) || !("vzroute resync_us" in m))
		return
	printf "   (the run of a resync, sampled (perf): %.1f us per tracked address at %s, %.1f at %s)\n",
		m["vzroute resync_us_big"], b, m["vzroute resync_us"], s
	nf = 0
	for (k in m)
		if (k ~ /^vzroute resync_fn_.*_big$/) {
			fn = substr(k, length("vzroute resync_fn_") + 1)
			f[++nf] = substr(fn, 1, length(fn) - 4)
		}
	for (i = 1; i <= nf; i++)
		for (j = i + 1; j <= nf; j++)
			if (m["vzroute resync_fn_" f[j] "_big"] > m["vzroute resync_fn_" f[i] "_big"]) {
				t = f[i]; f[i] = f[j]; f[j] = t
			}
	printf "    %-36s %10s %10s %8s\n", "in (with the kernel\047s it called)", "us at " b, "us at " s, "growth"
	for (i = 1; i <= nf && i <= top; i++) {
		big = m["vzroute resync_fn_" f[i] "_big"]
		small = m["vzroute resync_fn_" f[i]] + 0
		printf "    %-36s %10.2f %10.2f %8s\n", f[i], big, small, (small >= 0.05 ? sprintf("%.1f", big / small) : "-")
	}
	printf "    (growth: us per address at %s over us per address at %s; 1.0 is linear)\n", b, s
}' "$work/result")

{
	echo "make bench on $(date -u +%Y-%m-%dT%H:%MZ), kernel $kver under QEMU TCG (software"
	echo "emulation, 2 vCPUs): absolute times mean little; the ratios between arms"
	echo "measured in the same boot are the result. Times in seconds, memory in bytes/KiB."
	echo "Command: ${VZR_KVER:+VZR_KVER=$VZR_KVER }${VZR_BENCH_ONLY:+VZR_BENCH_ONLY=$VZR_BENCH_ONLY }make bench" \
		"(VZR_BENCH_NS=$VZR_BENCH_NS VZR_BENCH_K=$VZR_BENCH_K VZR_BENCH_ROUNDS=$VZR_BENCH_ROUNDS VZR_BENCH_BIG=$VZR_BENCH_BIG VZR_BENCH_LAT_PAUSE_MS=$VZR_BENCH_LAT_PAUSE_MS VZR_BENCH_LAT_BLOCKS=$VZR_BENCH_LAT_BLOCKS VZR_BENCH_PROFILE_TOP=$VZR_BENCH_PROFILE_TOP)"
	echo "Migration (tests/guest/bench-migrate.sh, bench-lan.sh): VZR_BENCH_MOVES=$VZR_BENCH_MOVES moves per arm${VZR_BENCH_ONLY:+, VZR_BENCH_ONLY=$VZR_BENCH_ONLY}; outage in ms"
	((vm_rc == 0)) || echo "NOT A CLEAN RUN: the VM failed (exit $vm_rc; see $vm_log); the arms after the failure are missing"
	echo
	echo "$table"
} | tee "$work/results.txt"
((vm_rc == 0)) || exit 1
[[ -n $VZR_BENCH_ONLY ]] || cp "$work/results.txt" "$ROOT/tests/bench/results.txt"
