#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A container's root takes all of its addresses away and gives them back,
# again and again: its end of the veth pair set down and up; its
# addresses flushed and added again in one batch (one system call each
# way, both); its device moved into a network namespace it has just made,
# its addresses added there, and moved back with them added again. Each
# time, every one of its routes is deleted and added again in the node's
# table (without a budget: 64 routes a flap, 128 for a move there and
# back). Its routes come from a budget of its own (kmod/budget.c): twice
# max_per_netns at once, then a tenth of that a second. So the routes it
# gets added stay within that budget, however fast it flaps, the adds
# that waited are counted, and once it stops every route is back, held
# by its own namespace. Another container (a user namespace of its own
# too) arriving right after with as many addresses gets them all without
# waiting: the budget is the flapping container's alone. The network
# namespaces a container makes are owned by its user namespace, and so
# is its budget: a new namespace for each flap brings no new budget.
#
# The debug kernel, beside another VM, takes about 300 s for it.
# timeout: 420

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"
nested=()
# shellcheck disable=SC2317 # the EXIT trap
cleanup() {
	local rc=$?
	((${#nested[@]} == 0)) || kill "${nested[@]}" 2>/dev/null || true
	_vzr_rc "$rc"
	cleanup_all
}
trap cleanup EXIT

N=64		# the default max_per_netns
FLAPS=30
# A move there and back takes more than twice the processes of the
# other flaps, and twice the routes: fewer of them show as much (the
# debug kernel took 3.5 s for a flush and batch, where 6.1 takes 0.6).
MOVES=10
rate=$((2 * N / 10))	# kmod/budget.c's rate(): 12 a second
uct_create vh2
other=$UCT
uct_create vhf
mod_load allow=10.4.0.0/16
batch=
for ((i = 1; i <= N; i++)); do
	batch+="address add 10.4.0.$i/32 dev eth0"$'\n'
done
as_uct ip -batch - <<<"$batch"
# routes_of DEV FIRST: the N routes of DEV, 10.4.FIRST.1 .. N.
routes_of() {
	local i r=()
	for ((i = 1; i <= N; i++)); do
		r+=("10.4.$2.$i@$1")
	done
	vzr_link_routes "${r[@]}"
}
mine=$(routes_of vhf 0)
expect_routes "$mine"

# flap PHASE TIMES CMD...: the container does CMD (one flap) TIMES times;
# then the routes are awaited back. The routes added meanwhile must stay
# within the budget of the seconds that took.
flap() {
	local phase=$1 times=$2 a0 d0 t0 a d t secs bound f
	shift 2
	a0=$(vzr_counter routes_added)
	d0=$(vzr_counter routes_deferred)
	t0=$(_vzr_now_us)
	for ((f = 0; f < times; f++)); do
		"$@" || fail "$phase: the container's flap $f failed"
	done
	# 64 tokens come back in about 5 s.
	expect_routes -t $((VZR_TIMEOUT + 10)) "$mine"
	a=$(vzr_counter routes_added)
	d=$(vzr_counter routes_deferred)
	t=$(_vzr_now_us)
	secs=$(((t - t0 + 999999) / 1000000))
	# What was left of the budget (at most its whole, 2N), and its rate.
	# A flap costs up to 2N routes without it: the check holds as long as
	# a flap takes less than 2N / rate, about 10 s.
	bound=$((2 * N + rate * secs))
	ok "$phase, $times times in ${secs}s: $((a - a0)) routes added (budget $bound), $((d - d0)) adds waited"
	((a - a0 <= bound)) ||
		fail "$phase: $((a - a0)) routes added in ${secs}s, over the budget of $bound"
	((d > d0)) || fail "$phase: no add waited for the budget"
	# The flaps were seen at all: each one's adds were made or waited.
	((a - a0 + d - d0 >= times)) ||
		fail "$phase: $((a - a0)) routes added, $((d - d0)) adds waited in $times flaps"
}

# as_ct SCRIPT...: the container runs each SCRIPT (an ip batch), each in
# a process of its own.
# shellcheck disable=SC2317 # called through flap
as_ct() {
	local script
	for script; do
		as_uct ip -batch - <<<"$script" || return
	done
}

# The namespaces the container makes, one for each move, made before the
# moves: each is new to vzroute when eth0 first goes there, and its
# making (three processes, and the wait for them) is not part of a move.
# On the debug kernel, whose guest runs its CPUs in one thread, a move
# there and back must ask for routes faster than a tenth of its budget a
# second for the budget to show (flap()), ten in under 100 s. With the
# namespaces made within them, ten took 79 to 108 s there; made before,
# 53 s.
#
# _nested_ready PID: PID runs sleep, in a namespace that is not the
# container's: nsenter and unshare have done their part. One that has
# exited is not worth waiting for. Read without a process of its own: the
# poll's processes would take the time of the ones it waits for.
# shellcheck disable=SC2317 # called through poll_until
_nested_ready() {
	local comm
	read -r comm 2>/dev/null <"/proc/$1/comm" || return 0
	[[ $comm == sleep && ! /proc/$1/ns/net -ef /proc/$UCT/ns/net ]]
}
# make_nested: one more namespace of the container's, held by a process
# that only waits to be killed (after the moves, or by cleanup), whose
# PID goes to nested[]; ready when _nested_ready says so.
make_nested() {
	local pid comm
	# Not as_uct, a function: $! must be the process that holds it.
	"${VZR_AS_NS[@]}" "$UCT" unshare --net sleep infinity &
	pid=$!
	nested+=("$pid")
	poll_until "$VZR_TIMEOUT" _nested_ready "$pid" &&
		read -r comm 2>/dev/null <"/proc/$pid/comm" && [[ $comm == sleep ]] ||
		fail "the container could not make a network namespace"
}
# _nested_step WHAT CMD...: CMD, or a line saying what failed.
# shellcheck disable=SC2317 # called through in_nested
_nested_step() {
	local what=$1
	shift
	"$@" || { echo "in_nested: $what failed" >&2; return 1; }
}
# in_nested: eth0 into the next namespace of nested[], up with the
# addresses there, then back, up with the addresses again. A move takes
# the device down and its addresses away.
# shellcheck disable=SC2317 # called through flap
in_nested() {
	local up="link set eth0 up"$'\n'"$batch" ns=${nested[moved++]}

	_nested_step "moving eth0 there" as_uct ip link set eth0 netns "$ns" &&
		_nested_step "adding the addresses there" \
			as_ns "$ns" ip -batch - <<<"$up" &&
		_nested_step "moving eth0 back" \
			as_ns "$ns" ip link set eth0 netns "$UCT" &&
		_nested_step "adding the addresses back" as_ct "$up"
}
flap "link down and up" "$FLAPS" as_ct "link set eth0 down" "link set eth0 up"
flap "addresses flushed and added again" "$FLAPS" as_ct "address flush dev eth0" "$batch"
for ((i = 0; i < MOVES; i++)); do
	make_nested
done
moved=0
flap "moved into a new namespace and back" "$MOVES" in_nested
# Each ends as its sleep is killed: what wait returns is that.
kill "${nested[@]}" 2>/dev/null || true
wait "${nested[@]}" 2>/dev/null || true
nested=()
# Held by the container's own namespace, not by one of those it made.
cns=$(stat -L -c %i "/proc/$UCT/ns/net")
for ((i = 1; i <= N; i++)); do
	echo "10.4.0.$i $cns installed"
done | expect_states -

# Another container, with as many addresses, at once: not one waits.
d0=$(vzr_counter routes_deferred)
UCT=$other as_uct ip -batch - <<<"${batch//10.4.0./10.4.2.}"
expect_routes "$(jq -c -s 'add' <<<"$mine $(routes_of vh2 2)")"
d=$(vzr_counter routes_deferred)
((d == d0)) || fail "another container's $N adds: $((d - d0)) waited"

mod_unload
expect_no_routes
check_kernel_log
pass
