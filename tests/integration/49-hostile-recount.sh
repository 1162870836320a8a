#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A container's root at its max_per_netns, with addresses refused, lets
# its oldest address go and adds a new one, 300 times, in 5 batches,
# each once vzroute has run since the last. An address it lets go with a
# grant leaves room that belongs to its oldest refused address: vzroute
# finds that one by deciding the container's addresses again in
# first-come order, which walks every address tracked on the node, twice
# (kmod/reconcile.c, recount()), and another container's 2,000 addresses
# make those walks long. They come a second apart at most
# (VZR_WALK_GAP), however fast the container goes: each walk calls
# vzr_pernet() for every entry, which a kprobe event counts. Before
# 2026-12-06, every run that saw such an address go walked twice. The
# container never has more routes than its cap meanwhile, and once it
# stops, its routes are those of its four oldest addresses, checked field
# by field, as if each address let go had been recounted at once.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

N=2000		# the other container's addresses, all denied
CAP=4
KEEP=$((CAP + 2))	# the container's addresses at a time
STEPS=300
ROUNDS=5
ct_with_addrs c0 vh0 "$N"
uct_create vhu
mod_load allow=10.9.0.0/16 max_per_netns=$CAP
# addr I: the container's Ith address (from 0), in the order it adds them.
addr() { echo "10.9.$(($1 / 250)).$(($1 % 250 + 1))"; }
seen() { [[ -n $(vzr_addr_state "$1") ]]; }
for ((i = 0; i < KEEP; i++)); do
	as_uct ip addr add "$(addr "$i")/32" dev eth0
	# One at a time: each is tracked before the next comes.
	wait_for seen "$(addr "$i")"
done
E=$((N + KEEP))
wait_for vzr_counter_is tracked "$E"
# routes FIRST: the routes of addresses FIRST to FIRST + CAP - 1.
routes() {
	local i r=()
	for ((i = $1; i < $1 + CAP; i++)); do
		r+=("$(addr "$i")@vhu")
	done
	vzr_link_routes "${r[@]}"
}
# states FIRST: the container's addresses' states, FIRST the oldest.
states() {
	local i
	for ((i = $1; i < $1 + KEEP; i++)); do
		echo "$(addr "$i") $( ((i < $1 + CAP)) && echo installed || echo over-cap)"
	done
}
got_states() {
	vzr show -j | jq -r '.[] | select(.address | startswith("10.9.")) | "\(.address) \(.state)"' | sort -V
}
expect_routes "$(routes 0)" || fail "the container's states: $(got_states)"
[[ $(got_states) == "$(states 0)" ]] || fail "the container's states: $(got_states)"
ok "$CAP routes through vhu, $((KEEP - CAP)) addresses refused, $N addresses of c0 tracked"

# Step I lets address I go, the oldest, granted unless a recount is due,
# and adds address I + KEEP, the newest. ROUNDS batches of STEPS / ROUNDS steps,
# each once a run has begun after the last (the counter of runs moved):
# however quick the machine, the runs see addresses go that often.
kprobe_count pernet vzr_pernet
h0=$(kprobe_hits pernet)
t0=$(_vzr_now_us)
per=$((STEPS / ROUNDS))
for ((r = 0; r < ROUNDS; r++)); do
	batch=
	for ((i = r * per; i < (r + 1) * per; i++)); do
		batch+="address del $(addr "$i")/32 dev eth0"$'\n'
		batch+="address add $(addr $((i + KEEP)))/32 dev eth0"$'\n'
	done
	runs=$(vzr_counter reconciliations)
	as_uct ip -batch - <<<"$batch"
	ran() { (($(vzr_counter reconciliations) > runs)); }
	wait_for ran
	# Never more routes than the cap, while grants wait for a recount.
	n=$(ip route show dev vhu proto "$VZR_PROTO" | wc -l)
	((n <= CAP)) || fail "$n routes through vhu after round $r, more than $CAP"
done
# Settled: granted to the oldest, whose routes may wait for the
# container's budget of route adds (kmod/budget.c).
settled() { [[ $(got_states | sed 's/ pending$/ installed/') == "$(states "$STEPS")" ]]; }
poll_until $((VZR_TIMEOUT * 3)) settled ||
	fail "the container's states: $(got_states), expected $(states "$STEPS") (installed or pending)"
ms=$((($(_vzr_now_us) - t0) / 1000))
hits=$(($(kprobe_hits pernet) - h0))
kprobes_off
# Two walks of the E entries a second, and one more pair (the first
# recount comes at once, the last one up to a second after the last
# round); some calls for each step, on its own entries.
bound=$((2 * E * (ms / 1000 + 2) + 10 * STEPS))
((hits <= bound)) ||
	fail "$hits calls of vzr_pernet() in $ms ms for $STEPS steps: more than two walks of the $E entries a second ($bound)"
ok "$STEPS steps in $ROUNDS rounds, $ms ms: $hits calls of vzr_pernet(), at most $bound"
expect_routes -t $((VZR_TIMEOUT * 6)) "$(routes "$STEPS")" ||
	fail "the container's states: $(got_states)"
[[ $(got_states) == "$(states "$STEPS")" ]] ||
	fail "the container's states: $(got_states), expected $(states "$STEPS")"
ok "the routes are the $CAP oldest addresses', the others refused"

mod_unload
expect_no_routes
check_kernel_log
pass
