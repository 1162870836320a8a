# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for the vzroute guest tests (tests/integration/*.sh).  A test runs
# as root inside the QEMU guest (tests/vm/run.sh, tests/guest/suite.sh) and
# starts with (tests/lib/test.sh: set -euo pipefail, this file, the EXIT
# trap that runs cleanup_all, the kernel log mark):
#
#	#!/bin/bash
#	. "$(dirname "$0")/../lib/test.sh"
#
# It exits 0 on success and non-zero on failure; exit status 77 (see skip)
# means "skipped", which is never counted as a pass.
#
# Conventions: assertions (expect_*, wait_for, check_kernel_log) print what
# went wrong, record it with fail and return 1, so under set -e the test
# stops at the first failed assertion.  Actions (ct_*, mod_*) print the error
# and return non-zero without recording a failure, so that a test can assert
# that an action fails ("! mod_load bad_param=1").
#
# Environment (all optional):
#   VZR_KO              module to load          (default: <repo>/vzroute.ko)
#   VZR_MOD             module name             (default: vzroute)
#   VZR_PROTO           route protocol number   (default: 157)
#   VZR_TIMEOUT         default assertion timeout, seconds (default: 10)
#   VZR_POLL_INTERVAL   polling interval, seconds          (default: 0.1)
#   VZR_STABLE_TIME     default expect_stable_routes window (default: 3)
#   VZR_FAIL_FILE       set by suite.sh: fail appends its messages there
#
# Costs: under TCG a process spawn costs about 40 ms, ip about 70 ms and jq
# about 300 ms (jq compiles its builtins at every start).  The helpers avoid
# needless processes: sleeps are bash builtins, ip -batch groups commands,
# and the route assertions re-run jq only when ip's raw output changes.

# Repository root, derived from the location of this file.
_vzr_lib_dir=${BASH_SOURCE[0]%/*}
[[ $_vzr_lib_dir != "${BASH_SOURCE[0]}" ]] || _vzr_lib_dir=.
VZR_ROOT=$(cd "$_vzr_lib_dir/../.." && pwd)
VZR_KO=${VZR_KO:-$VZR_ROOT/vzroute.ko}
VZR_MOD=${VZR_MOD:-vzroute}
VZR_PROTO=${VZR_PROTO:-157}
VZR_TOOL=${VZR_TOOL:-$VZR_ROOT/userspace/vzroute}
VZR_TIMEOUT=${VZR_TIMEOUT:-10}
VZR_POLL_INTERVAL=${VZR_POLL_INTERVAL:-0.1}
VZR_STABLE_TIME=${VZR_STABLE_TIME:-3}
VZR_TEST_NAME=${VZR_TEST_NAME:-${0##*/}}
VZR_TEST_NAME=${VZR_TEST_NAME%.sh}
VZR_FAILS=0
export VZR_ROOT VZR_KO VZR_MOD VZR_PROTO VZR_TOOL

# vzr ARGS...: the vzroute tool.
vzr() {
	"$VZR_TOOL" "$@"
}

# Objects created by this test, for cleanup_all.
declare -ga _VZR_CTS=()		# container netns names
declare -gA _VZR_CT_HOSTIF=()	# container -> host-side veth name
declare -gA _VZR_CT_HOSTNS=()	# container -> netns of the host side ("" = init)
declare -ga _VZR_NSS=()		# plain netns (ns_create)
declare -ga _VZR_UCTS=()		# uct_create: "PID:HOSTIF[@NODE]"
declare -ga _VZR_KPROBES=()		# kprobe_count: event names
_VZR_MOD_LOADED=0
_VZR_DMESG_MARK=
_VZR_ERRF=${TMPDIR:-/tmp}/.vzr-err.$$

###########################################################################
# Results

# fail MSG...: print MSG, record a failure (VZR_FAILS, $VZR_FAIL_FILE) and
# return 1.  MSG may span several lines.
fail() {
	local msg="$*"
	VZR_FAILS=$((VZR_FAILS + 1))
	printf 'FAIL: %s\n' "$msg" >&2
	if [[ -n ${VZR_FAIL_FILE:-} ]]; then
		printf '%s\n' "$msg" >>"$VZR_FAIL_FILE" || true
	fi
	return 1
}

# ok MSG...: progress note for a passed check (prints only).
ok() {
	printf 'ok: %s\n' "$*"
}

# pass: end the test: exit 0, or 1 when a failure was recorded.
pass() {
	if ((VZR_FAILS > 0)); then
		printf 'FAIL: %s (%d failure(s))\n' "$VZR_TEST_NAME" "$VZR_FAILS" >&2
		exit 1
	fi
	printf 'PASS: %s\n' "$VZR_TEST_NAME"
	exit 0
}

# skip REASON...: end the test as skipped (exit 77).  Not a pass.
skip() {
	printf 'SKIP: %s\n' "$*"
	if [[ -n ${VZR_FAIL_FILE:-} ]]; then
		printf '%s\n' "$*" >"$VZR_FAIL_FILE.skip" || true
	fi
	exit 77
}

# When set -e ends the test, say which command failed (once, and only when
# no failure has been explained yet).
_vzr_on_err() {
	local rc=$1 cmd=$2 where=$3
	[[ $- == *e* ]] || return 0
	((VZR_FAILS == 0)) || return 0
	if [[ -n ${VZR_FAIL_FILE:-} ]]; then
		[[ -s $VZR_FAIL_FILE ]] && return 0
		printf 'command failed (status %d) at %s: %s\n' "$rc" "$where" "$cmd" >>"$VZR_FAIL_FILE" || true
	fi
	printf 'FAIL: command failed (status %d) at %s: %s\n' "$rc" "$where" "$cmd" >&2
	VZR_FAILS=$((VZR_FAILS + 1))
}
set -E
trap '_vzr_on_err $? "$BASH_COMMAND" "${BASH_SOURCE[0]##*/}:$LINENO"' ERR

###########################################################################
# Time and polling (no sleep process: a read with a timeout on a pipe that
# never gets data).

# _vzr_now: set _VZR_NOW to the time in microseconds (no subshell).
_vzr_now() {
	_VZR_NOW=${EPOCHREALTIME//[.,]/}
	_VZR_NOW=$((10#$_VZR_NOW))
}

# _vzr_now_us: print the time in microseconds.
_vzr_now_us() {
	_vzr_now
	printf '%s\n' "$_VZR_NOW"
}

# _vzr_deadline SECONDS: set _VZR_DEADLINE to now + SECONDS ("1.5" works).
_vzr_deadline() {
	local s=$1 int frac=
	int=${s%%.*}
	[[ $s == *.* ]] && frac=${s#*.}
	frac=${frac}000000
	frac=${frac:0:6}
	_vzr_now
	_VZR_DEADLINE=$((_VZR_NOW + 10#${int:-0} * 1000000 + 10#$frac))
}

# _vzr_expired: true once _VZR_DEADLINE has passed.
_vzr_expired() {
	_vzr_now
	((_VZR_NOW >= _VZR_DEADLINE))
}

# _vzr_rc N: return N (an EXIT trap restores the status it started with
# before handing over to the next one).
_vzr_rc() {
	return "$1"
}

_VZR_SLEEP_FD=
# vzr_sleep SECONDS: sleep without spawning a process.
vzr_sleep() {
	if [[ -z $_VZR_SLEEP_FD ]]; then
		exec {_VZR_SLEEP_FD}<> <(:)
	fi
	read -r -t "$1" -u "$_VZR_SLEEP_FD" _ || true
}

# poll_until TIMEOUT CMD [ARGS...]: run CMD every $VZR_POLL_INTERVAL seconds
# until it succeeds (return 0) or TIMEOUT seconds have passed (return 1).
# CMD runs at least once.  Records no failure.
poll_until() {
	local timeout=$1 _VZR_DEADLINE
	shift
	_vzr_deadline "$timeout"
	while :; do
		if "$@"; then
			return 0
		fi
		if _vzr_expired; then
			return 1
		fi
		vzr_sleep "$VZR_POLL_INTERVAL"
	done
}

# wait_for CMD [ARGS...]: poll_until $VZR_TIMEOUT; on timeout, fail.
wait_for() {
	poll_until "$VZR_TIMEOUT" "$@" && return 0
	fail "timed out after ${VZR_TIMEOUT}s waiting for: $*"
}

###########################################################################
# Namespaces and containers

# ns_create NAME: a plain network namespace with lo up (e.g. as the HOSTNS
# of ct_create).  Removed by cleanup_all.
ns_create() {
	local name=$1
	_VZR_NSS+=("$name")
	ip netns add "$name" || return
	ip -n "$name" link set lo up
}

# ns_destroy NAME
ns_destroy() {
	local name=$1 n keep=()
	for n in "${_VZR_NSS[@]}"; do
		[[ $n == "$name" ]] || keep+=("$n")
	done
	_VZR_NSS=("${keep[@]}")
	ip netns del "$name"
}

# ct_create NAME HOSTIF [HOSTNS]: netns NAME with lo up and eth0, the peer of
# veth HOSTIF, which lives in the init netns (or in HOSTNS); both ends up.
ct_create() {
	local name=$1 hostif=$2 hostns=${3:-}
	_VZR_CTS+=("$name")
	_VZR_CT_HOSTIF[$name]=$hostif
	_VZR_CT_HOSTNS[$name]=$hostns
	# The peer cannot be created "up" (veth_open needs the pair complete).
	ip -batch - <<-EOF || { echo "ct_create $name: cannot create netns/veth $hostif" >&2; return 1; }
		netns add $name
		link add name $hostif ${hostns:+netns $hostns }up type veth peer name eth0 netns $name
	EOF
	ip -n "$name" -batch - <<-EOF || { echo "ct_create $name: cannot bring up lo/eth0" >&2; return 1; }
		link set dev lo up
		link set dev eth0 up
	EOF
}

# host_batch VAR FMT4 FMT6 ADDR...: append to the variable VAR one line per
# ADDR for ip -batch: FMT4 for an IPv4 address, FMT6 for an IPv6 one, with
# the word ADDR in them replaced by ADDR/32 or ADDR/128.  (No subshell: the
# migration's outage is measured around callers.)
host_batch() {
	local -n _vzr_hb=$1
	local f4=$2 f6=$3 a
	shift 3
	for a in "$@"; do
		if [[ $a == *:* ]]; then
			_vzr_hb+=${f6//ADDR/$a/128}$'\n'
		else
			_vzr_hb+=${f4//ADDR/$a/32}$'\n'
		fi
	done
}

# ct_with_addrs NAME HOSTIF N: ct_create NAME HOSTIF, and N IPv4 addresses
# on its eth0 (10.2.0.1 on, 250 to a /24), in one batch: another
# container, whose entries make walks of the node's long.
ct_with_addrs() {
	local i batch=
	ct_create "$1" "$2" || return
	for ((i = 0; i < $3; i++)); do
		batch+="address add 10.2.$((i / 250)).$((i % 250 + 1))/32 dev eth0"$'\n'
	done
	ip -n "$1" -batch - <<<"$batch"
}

# oper_up NS DEV: DEV of netns NS ("" for the host's) is operationally up.
# The kernel's link watch sets that, and tells the notifiers of the
# carrier's change, later than the change, under RTNL; a dump of the
# link takes RTNL too, so what it shows was told. oper_not_up: it is not.
oper_up() {
	[[ $(ip ${1:+-n "$1"} -j link show dev "$2" | "${_VZR_JQ[@]}" -r '.[0].operstate') == UP ]]
}

oper_not_up() {
	! oper_up "$@"
}

# ct_addr NAME ADDR/PLEN: add an address to eth0 of container NAME (IPv6
# addresses go through duplicate address detection; see ct_addr6_nodad).
ct_addr() {
	ip -n "$1" addr add "$2" dev eth0
}

# ct_addr6_nodad NAME ADDR/PLEN: IPv6 address usable at once (no DAD).
ct_addr6_nodad() {
	ip -n "$1" -6 addr add "$2" dev eth0 nodad
}

# ns_veid NAME: namespace NAME's inode number: the netns vzroute show
# reports, and the venet map's id of a container.
ns_veid() {
	stat -L -c %i "/run/netns/$1"
}

# ct_dual [PARAM...]: where many single-container tests start: container c1
# behind vh1 with 10.1.0.1/32 and 2001:db8::1/64 (no DAD), vzroute loaded
# with allow=10.0.0.0/8,2001:db8::/32 and PARAM..., and both routes in
# place.  Sets V4 and V6 to those routes, as expect_routes wants them.
ct_dual() {
	ct_create c1 vh1 || return
	ct_addr c1 10.1.0.1/32 || return
	ct_addr6_nodad c1 2001:db8::1/64 || return
	mod_load allow=10.0.0.0/8,2001:db8::/32 "$@" || return
	V4='[{"dst": "10.1.0.1", "dev": "vh1", "metric": 128, "scope": "link"}]'
	V6='[{"dst": "2001:db8::1", "dev": "vh1", "metric": 128}]'
	expect_routes "$V4" && expect_routes -6 "$V6"
}

# ct_dual_again: after a section that left the routes changed, a resync and
# ct_dual's routes again.
ct_dual_again() {
	vzr resync
	expect_routes "$V4" && expect_routes -6 "$V6"
}

# uct_create [-n NODE] HOSTIF [session]: a container as a runtime without
# the node's help makes one: a process in a user namespace (its root
# mapped to ours) and a network namespace of its own, whose eth0 is the
# peer of HOSTIF on the node (in namespace NODE, with -n); lo, eth0 and
# HOSTIF up. UCT is that process's pid, which holds the namespaces for the
# container's life (its sleep is no wait: the namespaces are polled for):
# as_uct runs commands as the container's root. cleanup_all ends it and
# removes HOSTIF. With "session", the process leads a session of its own:
# what kills the test's process group (its time limit, suite.sh) leaves
# it be.
uct_create() {
	local node=() hostif lead=()
	if [[ $1 == -n ]]; then
		node=(-n "$2")
		shift 2
	fi
	hostif=$1
	[[ ${2:-} != session ]] || lead=(setsid)
	"${lead[@]}" unshare --user --map-root-user --net sleep 3600 &
	UCT=$!
	_VZR_UCTS+=("$UCT:$hostif${node[1]:+@${node[1]}}")
	poll_until "$VZR_TIMEOUT" _vzr_own_netns "$UCT" || { echo "uct_create: no namespace" >&2; return 1; }
	ip "${node[@]}" link add "$hostif" up type veth peer name eth0 netns "/proc/$UCT/ns/net" || return
	as_uct ip link set lo up && as_uct ip link set eth0 up || return
	[[ $(readlink "/proc/$UCT/ns/user") != "$(readlink /proc/self/ns/user)" ]] ||
		{ echo "uct_create: the container's root is in the initial user namespace" >&2; return 1; }
}

_vzr_own_netns() {
	[[ $(readlink "/proc/$1/ns/net") != "$(readlink /proc/self/ns/net)" ]]
}

# VZR_AS_NS PID CMD...: CMD in the user and network namespaces of PID, as
# their root. An array, not only a function, for a caller that runs it in
# the background: $! is then nsenter itself, which becomes CMD.
VZR_AS_NS=(nsenter -U -n --preserve-credentials -t)

# as_ns PID CMD [ARGS...]: run CMD as PID's container's root.
as_ns() {
	"${VZR_AS_NS[@]}" "$@"
}

# as_uct CMD [ARGS...]: run CMD as uct_create's container's root.
as_uct() {
	as_ns "$UCT" "$@"
}

# uct_destroy: end uct_create's container and remove its host side.
uct_destroy() {
	local u h
	for u in "${_VZR_UCTS[@]}"; do
		kill "${u%%:*}" 2>/dev/null || true
		wait "${u%%:*}" 2>/dev/null || true
		h=${u#*:}
		if [[ $h == *@* ]]; then
			ip -n "${h#*@}" link del "${h%@*}" 2>/dev/null || true
		else
			ip link del "$h" 2>/dev/null || true
		fi
	done
	_VZR_UCTS=()
	return 0
}

# ct_exec NAME CMD [ARGS...]: run CMD inside container NAME.
ct_exec() {
	local name=$1
	shift
	ip netns exec "$name" "$@"
}

# ct_hostif NAME: print the host-side interface of container NAME.
ct_hostif() {
	printf '%s\n' "${_VZR_CT_HOSTIF[$1]-}"
}

# ct_destroy NAME: remove the veth pair (synchronously) and the netns.
ct_destroy() {
	local name=$1 hostif hostns n keep=() rc=0
	hostif=${_VZR_CT_HOSTIF[$name]-}
	hostns=${_VZR_CT_HOSTNS[$name]-}
	for n in "${_VZR_CTS[@]}"; do
		[[ $n == "$name" ]] || keep+=("$n")
	done
	_VZR_CTS=("${keep[@]}")
	unset '_VZR_CT_HOSTIF[$name]' '_VZR_CT_HOSTNS[$name]'
	if [[ -n $hostns ]]; then
		ip -n "$name" link del dev eth0 || rc=$?
		ip netns del "$name" || rc=$?
	else
		ip -force -batch - <<-EOF || rc=$?
			link del dev ${hostif:-eth0}
			netns del $name
		EOF
	fi
	return "$rc"
}

# cleanup_all: remove every container, netns and veth this test created and
# unload the module if this test loaded it.  Errors are ignored.  Register
# it with "trap cleanup_all EXIT".  If a failure was recorded but the exit
# status would be 0 (a failed assertion under "|| true"), it exits 1.
cleanup_all() {
	local rc=$?
	local - n batch=
	set +e
	kprobes_off
	for n in "${_VZR_CTS[@]}"; do
		[[ -z ${_VZR_CT_HOSTNS[$n]-} && -n ${_VZR_CT_HOSTIF[$n]-} ]] &&
			batch+="link del dev ${_VZR_CT_HOSTIF[$n]}"$'\n'
	done
	for n in "${_VZR_CTS[@]}" "${_VZR_NSS[@]}"; do
		batch+="netns del $n"$'\n'
	done
	if [[ -n $batch ]]; then
		ip -force -batch - <<<"$batch" >/dev/null 2>&1 || true
	fi
	uct_destroy
	_VZR_CTS=()
	_VZR_NSS=()
	_VZR_CT_HOSTIF=()
	_VZR_CT_HOSTNS=()
	if ((_VZR_MOD_LOADED)) && mod_loaded; then
		rmmod "$VZR_MOD" >/dev/null 2>&1 || true
	fi
	_VZR_MOD_LOADED=0
	monitor_stop
	rm -f "$_VZR_ERRF"
	if ((rc == 0 && VZR_FAILS > 0)); then
		exit 1
	fi
	return 0
}

###########################################################################
# Module

_VZR_DEPS_DONE=0

# mod_load [PARAMS...]: insmod $VZR_KO PARAMS... (after modprobing the
# modules it depends on).
mod_load() {
	if [[ ! -f $VZR_KO ]]; then
		echo "mod_load: $VZR_KO does not exist (build the module first)" >&2
		return 1
	fi
	if ((!_VZR_DEPS_DONE)); then
		local deps
		deps=$(modinfo -F depends "$VZR_KO") || return
		if [[ -n $deps ]]; then
			# shellcheck disable=SC2086 # a comma-separated list
			modprobe -a ${deps//,/ } || return
		fi
		_VZR_DEPS_DONE=1
	fi
	insmod "$VZR_KO" "$@" || return
	_VZR_MOD_LOADED=1
}

# mod_unload: rmmod $VZR_MOD.
mod_unload() {
	kprobes_off
	rmmod "$VZR_MOD" || return
	_VZR_MOD_LOADED=0
}

###########################################################################
# Calls counted: a kprobe event on a function of the module, whose hits
# the kernel counts in kprobe_profile.

_VZR_TRACE=/sys/kernel/tracing

# kprobe_count NAME SYMBOL: count the calls of the module's SYMBOL, as the
# event vzrtest/NAME, from now on (kprobe_hits NAME); the test is skipped
# where the kernel has no kprobe events. mod_unload and cleanup_all
# remove it.
kprobe_count() {
	_vzr_kprobe_events
	_vzr_kprobe_off "$1"	# one left by an earlier run that ended early
	echo "p:vzrtest/$1 $VZR_MOD:$2" >>"$_VZR_TRACE/kprobe_events" || return
	echo 1 >"$_VZR_TRACE/events/vzrtest/$1/enable" || return
	_VZR_KPROBES+=("$1")
}

# kretprobe_record NAME SYMBOL: record the nonzero values the module's
# SYMBOL returns, as the event vzrtest/NAME, from now on (kretprobe_values
# NAME); skipped as kprobe_count is.
kretprobe_record() {
	_vzr_kprobe_events
	_vzr_kprobe_off "$1"
	echo "r:vzrtest/$1 $VZR_MOD:$2 ret=\$retval:u64" >>"$_VZR_TRACE/kprobe_events" || return
	echo 'ret != 0' >"$_VZR_TRACE/events/vzrtest/$1/filter" || return
	: >"$_VZR_TRACE/trace"
	echo 1 >"$_VZR_TRACE/events/vzrtest/$1/enable" || return
	_VZR_KPROBES+=("$1")
}

# kprobe_kernel_record NAME SYMBOL [FETCHARGS [FILTER]]: record each call
# of the kernel's own SYMBOL (not the module's), with FETCHARGS (as
# kprobe_events takes them) and where FILTER holds, as the event
# vzrtest/NAME, from now on (kprobe_recorded NAME). Empties the trace
# buffer. Skipped as kprobe_count is; fails where SYMBOL cannot be probed.
kprobe_kernel_record() {
	_vzr_kprobe_events
	_vzr_kprobe_off "$1"
	echo "p:vzrtest/$1 $2 ${3-}" >>"$_VZR_TRACE/kprobe_events" || return
	if [[ -n ${4-} ]]; then
		echo "$4" >"$_VZR_TRACE/events/vzrtest/$1/filter" || return
	fi
	: >"$_VZR_TRACE/trace"
	echo 1 >"$_VZR_TRACE/events/vzrtest/$1/enable" || return
	_VZR_KPROBES+=("$1")
}

# kprobe_recorded NAME: true once the trace holds an event NAME.
kprobe_recorded() {
	grep -q " $1: (" "$_VZR_TRACE/trace"
}

# kretprobe_values NAME: what kretprobe_record NAME recorded, a value a
# line; fails when the trace buffer lost some.
kretprobe_values() {
	local t
	t=$(cat "$_VZR_TRACE/trace") || return
	[[ $t != *"LOST "* ]] || { echo "kretprobe_values: the trace buffer lost events" >&2; return 1; }
	sed -n "s|.* $1: (.*) ret=\([0-9][0-9]*\)\$|\1|p" <<<"$t"
}

# kprobe_hits NAME: the calls kprobe_count NAME has counted.
kprobe_hits() {
	awk -v n="$1" '$1 == n { print $2 }' "$_VZR_TRACE/kprobe_profile"
}

_vzr_kprobe_events() {
	mountpoint -q "$_VZR_TRACE" ||
		mount -t tracefs nodev "$_VZR_TRACE" 2>/dev/null || true
	[[ -w $_VZR_TRACE/kprobe_events ]] || skip "this kernel has no kprobe events"
}

_vzr_kprobe_off() {
	[[ -e $_VZR_TRACE/events/vzrtest/$1/enable ]] || return 0
	echo 0 >"$_VZR_TRACE/events/vzrtest/$1/enable" || true
	echo "-:vzrtest/$1" >>"$_VZR_TRACE/kprobe_events" || true
}

# kprobes_off: remove kprobe_count's, kretprobe_record's and
# kprobe_kernel_record's events, before the module goes.
kprobes_off() {
	local n
	for n in "${_VZR_KPROBES[@]}"; do
		_vzr_kprobe_off "$n"
	done
	_VZR_KPROBES=()
}

# mod_loaded: true when $VZR_MOD is loaded (and fully initialised).
mod_loaded() {
	local state
	[[ -r /sys/module/$VZR_MOD/initstate ]] || return 1
	read -r state </sys/module/"$VZR_MOD"/initstate || return 1
	[[ $state == live ]]
}

###########################################################################
# Kernel log

# The report patterns (_VZR_KERNEL_REPORTS) and kernel_report_excerpt.
# shellcheck source=tests/lib/kreports.sh
. "$VZR_ROOT/tests/lib/kreports.sh"

# dmesg_mark [TEXT]: write a unique mark to the kernel log; later
# dmesg_since_mark/check_kernel_log look only at what follows it.
dmesg_mark() {
	_vzr_now
	_VZR_DMESG_MARK="vzr-mark-$$-$RANDOM-$_VZR_NOW"
	printf '<6>vzroute-test: %s %s\n' "$_VZR_DMESG_MARK" "${1:-}" >/dev/kmsg
}

# dmesg_since_mark: print the kernel log lines after the last dmesg_mark
# (the whole log if there is no mark, or if it has left the ring buffer,
# which is reported on stderr).
dmesg_since_mark() {
	local rc=0
	if [[ -z $_VZR_DMESG_MARK ]]; then
		dmesg
		return
	fi
	# (awk: bash's own ${log#*mark} is quadratic, seconds under TCG)
	dmesg | awk -v m="$_VZR_DMESG_MARK" 'f { print } index($0, m) { f = 1 } END { exit !f }' || rc=$?
	if ((rc != 0)); then
		echo "dmesg_since_mark: mark no longer in the kernel log; showing all of it" >&2
		dmesg
	fi
}

# dmesg_grep [-E] TEXT: true when a kernel log line since the mark contains
# TEXT (a fixed string; with -E, an extended regular expression).  Reads the
# log afresh at each call, so it polls well: wait_for dmesg_grep "loaded".
# (Not "wait_for grep -q TEXT <(dmesg_since_mark)": the process
# substitution is expanded once, and every later poll reads an empty pipe.)
dmesg_grep() {
	local log
	if [[ ${1-} == -E ]]; then
		log=$(dmesg_since_mark 2>/dev/null) || return
		grep -q -E -e "$2" <<<"$log"
	else
		log=$(dmesg_since_mark 2>/dev/null) || return
		[[ $log == *"$1"* ]]
	fi
}

# kmemleak_scan: when the kernel has kmemleak, scan now and
# print the reports (empty output: nothing found), then clear them.
# VZR_KMEMLEAK says when (tests/check-debug.sh sets it for its
# kernel, which has kmemleak):
#   unset, 0  at every call, when the kernel has kmemleak
#   each      at every call; a kmemleak that is missing or that disabled
#             itself (it does on an internal error) is a failure, status 2,
#             not a scan that silently found nothing
#   end       the same, but only when kmemleak_final=1 (set by the check
#             after the last unload: tests/guest/suite.sh, tests/guest/kunit.sh;
#             "kmemleak_final=1 check_kernel_log").  Under
#             KASAN and emulation a scan takes 10-25 s, and a leak found
#             there still shows its allocation's backtrace.
kmemleak_scan() {
	local f=/sys/kernel/debug/kmemleak out mode=${VZR_KMEMLEAK:-0}
	[[ $mode != end || ${kmemleak_final:-0} == 1 ]] || return 0
	if [[ ! -w $f ]] || ! echo scan >"$f" 2>/dev/null; then
		if [[ $mode == each || $mode == end ]]; then
			echo "kmemleak: cannot scan ($f missing, or kmemleak disabled itself)"
			return 2
		fi
		return 0
	fi
	out=$(<"$f")
	echo clear >"$f" 2>/dev/null || true
	[[ -z $out ]] || printf '%s\n' "$out"
}

# check_kernel_log: fail if the kernel log since the last
# dmesg_mark (or kmemleak, see kmemleak_scan for when it scans) has a kernel
# report: BUG:, WARNING:, KASAN:, UBSAN:, lockdep and RCU splats, sleeping
# in atomic context, leaks, oopses.  The reports are printed whole
# (kernel_report_excerpt), not only their first line: the call trace says
# where.
check_kernel_log() {
	local log leaks rc=0
	log=$(dmesg_since_mark) || return
	leaks=$(kmemleak_scan) || rc=$?
	if ((rc == 2)); then
		fail "$leaks"
		return
	fi
	[[ -z $leaks ]] || log+=$'\n'$leaks
	[[ $log =~ $_VZR_KERNEL_REPORTS ]] || return 0
	fail "kernel log reports since the mark:"$'\n'"$(kernel_report_excerpt <<<"$log" | sed 's/^/  /')"
}

###########################################################################
# Routes
#
# Routes are compared as normalised JSON lists, sorted, with exactly these
# fields per route:
#   dst       string, always with a prefix length ("10.0.0.1/32",
#             "0.0.0.0/0", "::/0")
#   dev       string, or null (multipath, blackhole...)
#   protocol  number ($VZR_PROTO: only routes of that protocol are listed)
#   metric    number (IPv4 routes without a metric: 0)
#   table     number (main = 254)
#   scope     string: global, site, link, host, nowhere (IPv6: global)
# Expected lists use the same form; in them, "dst" may omit the prefix
# length ("10.0.0.1" means /32) or say "default", "table" may be a name
# (main, local, default), and these fields may be left out: protocol
# ($VZR_PROTO), table (254), metric (0 for IPv4, 1024 for IPv6, which is
# what the kernel gives a route added without one), scope (IPv6 only:
# global).  Any other key is an error.
# Each list is read with "ip -N -j route show table all proto $VZR_PROTO";
# -N keeps the numbers whatever /etc/iproute2 names them.  The jq programs
# are in tests/lib/jq (routes.jq).

_VZR_JQ=(jq -M -L "$VZR_ROOT/tests/lib/jq")

# _vzr_routes_raw V6 NS: ip's JSON for the routes of $VZR_PROTO.
_vzr_routes_raw() {
	local fam=-4
	[[ $1 == 1 ]] && fam=-6
	ip ${2:+-n "$2"} "$fam" -N -j route show table all proto "$VZR_PROTO"
}

# _vzr_jq_routes PROGRAM V6 [JQ ARGS...]: run tests/lib/jq/PROGRAM.jq on
# ip's JSON (stdin) with $v6 and $proto set.
_vzr_jq_routes() {
	local prog=$1 v6=false
	[[ $2 == 1 ]] && v6=true
	shift 2
	"${_VZR_JQ[@]}" -f "$VZR_ROOT/tests/lib/jq/$prog.jq" --argjson v6 "$v6" \
		--argjson proto "$VZR_PROTO" "$@"
}

# routes_json [-6] [NS]: print the normalised list (one line) of the routes
# of protocol $VZR_PROTO in all tables of the init netns, or of NS.
routes_json() {
	local v6=0 raw
	if [[ ${1-} == -6 ]]; then
		v6=1
		shift
	fi
	raw=$(_vzr_routes_raw "$v6" "${1-}") || return
	_vzr_jq_routes routes-actual "$v6" -c <<<"$raw"
}

# _vzr_route_opts ARGS...: parse [-6] [-n NS] [-t SECONDS] into _o_v6,
# _o_ns, _o_t; _o_shift = number of words consumed.
_vzr_route_opts() {
	_o_v6=0 _o_ns='' _o_t='' _o_shift=0
	while (($#)); do
		case $1 in
		-6) _o_v6=1; shift; _o_shift=$((_o_shift + 1)) ;;
		-4) shift; _o_shift=$((_o_shift + 1)) ;;
		-n) _o_ns=$2; shift 2; _o_shift=$((_o_shift + 2)) ;;
		-t) _o_t=$2; shift 2; _o_shift=$((_o_shift + 2)) ;;
		*) break ;;
		esac
	done
}

# _vzr_route_context: after a route check failed, what vzroute believes
# (show, its first 40 lines; stats) on stderr, the console, for the one
# who reads the failure; not in the failure's own message.  Nothing when
# the module is not loaded.
_vzr_route_context() {
	mod_loaded 2>/dev/null || return 0
	{
		echo "vzroute show, at the failure (40 lines at most):"
		vzr show 2>&1 | sed -n '1,40s/^/  /p'
		echo "vzroute stats -j, at the failure:"
		vzr stats -j 2>&1 | sed 's/^/  /'
	} >&2
	return 0
}

# Raw ip output last found equal to an expected list, by "v6|proto|list".
declare -gA _VZR_ROUTES_SAME=()

# _vzr_watch_routes MODE SECONDS V6 NS EXPECTED: MODE "until": poll until
# the routes equal EXPECTED or SECONDS pass; MODE "stable": check that they
# stay equal for SECONDS.  jq runs only when ip's output changes.
_vzr_watch_routes() {
	local mode=$1 secs=$2 v6=$3 ns=$4 exp=$5
	local raw last='' have=0 out='' verdict where expired=0 _VZR_DEADLINE
	local errf=$_VZR_ERRF key="$v6|$VZR_PROTO|$exp" seen
	where="IPv4 routes of protocol $VZR_PROTO${ns:+ in netns $ns}"
	[[ $v6 != 1 ]] || where="IPv6${where#IPv4}"
	_vzr_deadline "$secs"
	while :; do
		if _vzr_expired; then
			expired=1
		fi
		if raw=$(_vzr_routes_raw "$v6" "$ns" 2>"$errf"); then
			seen=${_VZR_ROUTES_SAME[$key]-}
			if [[ -n $seen && $raw == "$seen" ]] ||
				[[ $raw == '[]' && $exp =~ ^[[:space:]]*\[[[:space:]]*\][[:space:]]*$ ]]; then
				# seen equal before (the comparison depends on nothing
				# else): spare a jq run
				out=same
				last=$raw
				have=1
			elif ((!have)) || [[ $raw != "$last" ]]; then
				if ! out=$(_vzr_jq_routes routes-compare "$v6" -r --arg exp "$exp" \
					<<<"$raw" 2>"$errf"); then
					fail "$where: cannot compare (bad expected list?): $(<"$errf")"$'\n'"  expected: $exp"
					return 1
				fi
				last=$raw
				have=1
			fi
			verdict=${out%%$'\n'*}
			[[ $verdict != same ]] || _VZR_ROUTES_SAME[$key]=$raw
		else
			verdict=error
			out=$'error\n'"  ip failed: $(<"$errf")"
			have=0
		fi
		if [[ $mode == until ]]; then
			[[ $verdict == same ]] && return 0
			if ((expired)); then
				# fail returns 1, which set -e would take as the end
				fail "$where not as expected after ${secs}s:"$'\n'"${out#*$'\n'}" || true
				_vzr_route_context
				return 1
			fi
		else
			if [[ $verdict != same ]]; then
				# fail returns 1, which set -e would take as the end
				fail "$where not as expected during the ${secs}s window:"$'\n'"${out#*$'\n'}" || true
				_vzr_route_context
				return 1
			fi
			((expired)) && return 0
		fi
		vzr_sleep "$VZR_POLL_INTERVAL"
	done
}

# expect_routes [-6] [-n NS] [-t SECONDS] 'EXPECTED_JSON': wait (default
# $VZR_TIMEOUT s) until the routes of protocol $VZR_PROTO (all tables) equal
# EXPECTED_JSON; on timeout, fail showing both lists.
expect_routes() {
	_vzr_route_opts "$@"
	shift "$_o_shift"
	[[ $# -eq 1 ]] || { fail "usage: expect_routes [-6] [-n NS] [-t SECONDS] 'JSON'"; return 1; }
	_vzr_watch_routes until "${_o_t:-$VZR_TIMEOUT}" "$_o_v6" "$_o_ns" "$1"
}

# expect_no_routes [-6] [-n NS] [-t SECONDS]: wait until there is no route
# of protocol $VZR_PROTO.
expect_no_routes() {
	_vzr_route_opts "$@"
	shift "$_o_shift"
	[[ $# -eq 0 ]] || { fail "usage: expect_no_routes [-6] [-n NS] [-t SECONDS]"; return 1; }
	_vzr_watch_routes until "${_o_t:-$VZR_TIMEOUT}" "$_o_v6" "$_o_ns" '[]'
}

# expect_stable_routes [-6] [-n NS] [-t SECONDS] 'EXPECTED_JSON': check that
# the routes equal EXPECTED_JSON now and keep doing so for SECONDS (default
# $VZR_STABLE_TIME).  This is how negative checks ("no route appears") are
# written, and they necessarily cost the whole window: a route that shows up
# after it is not seen.  Pick the window to cover the module's reaction time
# under emulation.
expect_stable_routes() {
	_vzr_route_opts "$@"
	shift "$_o_shift"
	[[ $# -eq 1 ]] || { fail "usage: expect_stable_routes [-6] [-n NS] [-t SECONDS] 'JSON'"; return 1; }
	_vzr_watch_routes stable "${_o_t:-$VZR_STABLE_TIME}" "$_o_v6" "$_o_ns" "$1"
}

# json_rows KEY...: the table on stdin (one row a line, words separated by
# blanks, as many as KEYs) as a compact JSON list of objects with those
# keys; numbers stay numbers.  For expected lists that read as tables.
json_rows() {
	"${_VZR_JQ[@]}" -R -s -c --arg keys "$*" -f "$VZR_ROOT/tests/lib/jq/rows.jq"
}

# vzr_states: vzroute show -j as a sorted list of {address, netns (the
# container's inode number), state}.
vzr_states() {
	vzr show -j | jq -c '[.[] | {address, netns: .container_netns, state}] | sort_by(.address, .netns)'
}

# vzr_link_routes DST@DEV...: those routes of ours, scope link and metric
# 128 (the defaults), as expect_routes wants them.
vzr_link_routes() {
	local r
	for r; do
		echo "${r%@*} ${r#*@} 128 link"
	done | json_rows dst dev metric scope
}

# vzr_route_count: how many routes of ours the table has; cheap (no JSON),
# for polls while thousands go in.
vzr_route_count() {
	ip route show proto "$VZR_PROTO" | wc -l
}

# vzr_route_count_is N: the table has N routes of ours (a poll_until
# condition).
vzr_route_count_is() {
	[[ $(vzr_route_count) == "$1" ]]
}

# vzr_route_lines: our routes, "DST DEV SCOPE METRIC" a line, sorted: for
# tables too large for expect_routes' JSON, field by field all the same.
vzr_route_lines() {
	ip -j route show proto "$VZR_PROTO" |
		jq -r '.[] | "\(.dst) \(.dev) \(.scope) \(.metric)"' | sort
}

# vzr_counter NAME: the counter NAME of vzroute stats -j.
vzr_counter() {
	# shellcheck disable=SC2016 # jq's $k, not the shell's
	vzr stats -j | "${_VZR_JQ[@]}" -r --arg k "$1" '.[$k]'
}

# vzr_counter_is NAME VALUE: the counter NAME is VALUE now.
vzr_counter_is() {
	[[ $(vzr_counter "$1") == "$2" ]]
}

# vzr_addr_state ADDR: "STATE ERRNO" of ADDR in vzroute show -j, a line
# for each container that has it (ERRNO is 0 unless the state is failed).
vzr_addr_state() {
	# shellcheck disable=SC2016 # jq's $a, not the shell's
	vzr show -j | "${_VZR_JQ[@]}" -r --arg a "$1" \
		'.[] | select(.address == $a) | "\(.state) \(.errno // 0)"'
}

# expect_states 'JSON'|-: wait (VZR_TIMEOUT) until vzr_states equals JSON
# (sorted the same way); on timeout, fail showing both.  With "-", the list
# is the table on stdin, "ADDRESS NETNS STATE" a line (json_rows).
expect_states() {
	local want list=$1
	if [[ $list == - ]]; then
		list=$(json_rows address netns state) || { fail "expect_states: bad table"; return 1; }
	fi
	want=$(jq -c 'sort_by(.address, .netns)' <<<"$list") || { fail "expect_states: bad JSON: $list"; return 1; }
	_vzr_states_are() { [[ $(vzr_states) == "$want" ]]; }
	poll_until "$VZR_TIMEOUT" _vzr_states_are && return 0
	fail "vzroute show -j states:"$'\n'"  actual:   $(vzr_states)"$'\n'"  expected: $want"
}

###########################################################################
# vzroute monitor

declare -ga _VZR_MONITORS=()	# pids of the monitors monitor_start started
MONITOR_LISTENING='vzroute: monitor: listening'

# monitor_start OUTFILE [NS] [-- ARGS...]: start "vzroute monitor ARGS..."
# in the background (inside netns NS), its output to OUTFILE and its
# stderr to OUTFILE.err, and wait until it says on stderr that its
# subscription is in place ($MONITOR_LISTENING): the events that follow
# reach it.  MONITOR_PID is its pid.  Fails (and stops it) when it exits or
# does not say so within $VZR_TIMEOUT.
monitor_start() {
	local out=$1 ns=
	shift
	if (($#)) && [[ $1 != -- ]]; then
		ns=$1
		shift
	fi
	[[ ${1-} != -- ]] || shift
	: >"$out.err"	# there before the first poll reads it
	if [[ -n $ns ]]; then
		ip netns exec "$ns" "$VZR_TOOL" monitor "$@" >"$out" 2>"$out.err" &
	else
		"$VZR_TOOL" monitor "$@" >"$out" 2>"$out.err" &
	fi
	MONITOR_PID=$!
	_VZR_MONITORS+=("$MONITOR_PID")
	if poll_until "$VZR_TIMEOUT" _vzr_monitor_ready "$MONITOR_PID" "$out.err" &&
		_vzr_monitor_ready '' "$out.err"; then
		return 0
	fi
	kill -0 "$MONITOR_PID" 2>/dev/null && monitor_stop "$MONITOR_PID"
	fail "vzroute monitor${ns:+ in $ns} did not start listening:"$'\n'"$(<"$out.err")"
}

# _vzr_monitor_ready PID ERRFILE: ERRFILE has the line, or PID (if not
# empty) has exited: no use waiting longer.
_vzr_monitor_ready() {
	local line
	while IFS= read -r line; do
		[[ $line != "$MONITOR_LISTENING" ]] || return 0
	done <"$2"
	[[ -n $1 ]] && ! kill -0 "$1" 2>/dev/null
}

# monitor_stop [PID...]: stop these monitors (default: all of this test's)
# and wait for them; their files are complete afterwards.
monitor_stop() {
	local pid keep=()
	(($#)) || set -- "${_VZR_MONITORS[@]}"
	(($#)) || return 0
	kill "$@" 2>/dev/null || true
	wait "$@" 2>/dev/null || true
	for pid in "${_VZR_MONITORS[@]}"; do
		[[ " $* " == *" $pid "* ]] || keep+=("$pid")
	done
	_VZR_MONITORS=("${keep[@]}")
}
