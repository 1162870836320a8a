#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compares what two builds of the tool print (stdout, stderr, exit status)
# for the subcommands that read addresses, and config and stats, against
# test/fakegenl.so, with its usual entries and with FAKEGENL=vary, from
# none to 100,000: for a change meant to leave the output as it was (a
# speed-up). Not part of make check; the monitor's timestamps are left
# out of the comparison.
#
# usage: test/compare.sh OLD_VZROUTE NEW_VZROUTE [FAKEGENL_SO]

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
old=$(readlink -f "${1:?usage: compare.sh OLD NEW [FAKEGENL_SO]}")
new=$(readlink -f "${2:?usage: compare.sh OLD NEW [FAKEGENL_SO]}")
fake=$(readlink -f "${3:-$here/fakegenl.so}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
same=0
differ=0

# out VZROUTE WHICH ENV... -- ARGS: its output in $tmp/WHICH
out() {
	local vz=$1 which=$2 env=()

	shift 2
	while [[ $1 != -- ]]; do env+=("$1"); shift; done
	shift
	env LD_PRELOAD="$fake" "${env[@]}" "$vz" "$@" >"$tmp/$which.out" \
		2>"$tmp/$which.err"
	echo "exit $?" >>"$tmp/$which.err"
}

# The monitor runs until killed: long enough for the events, then TERM.
mon() {
	local vz=$1 which=$2 env=()

	shift 2
	while [[ $1 != -- ]]; do env+=("$1"); shift; done
	shift
	env LD_PRELOAD="$fake" "${env[@]}" "$vz" monitor "$@" >"$tmp/$which.out" \
		2>"$tmp/$which.err" &
	sleep 1
	kill -TERM $!
	wait $!
	echo "exit $?" >>"$tmp/$which.err"
	sed -i -E 's/^"?[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z"? //; s/"time":"[^"]*",//' \
		"$tmp/$which.out"
}

# compare RUNNER ENV... -- ARGS
compare() {
	local runner=$1

	shift
	"$runner" "$old" old "$@"
	"$runner" "$new" new "$@"
	if cmp -s "$tmp/old.out" "$tmp/new.out" &&
	   cmp -s "$tmp/old.err" "$tmp/new.err"; then
		same=$((same + 1))
	else
		differ=$((differ + 1))
		printf 'DIFFERS: %s\n' "$*"
		diff "$tmp/old.out" "$tmp/new.out" | head -5
		diff "$tmp/old.err" "$tmp/new.err" | head -5
	fi
}

for n in 0 1 6 12 300 5000 100000; do
	for v in "" vary; do
		for args in show "-j show" "show -p" "show -4" "-j show -6" \
			    "stats -o prometheus"; do
			# shellcheck disable=SC2086
			compare out FAKEGENL=$v FAKEGENL_N=$n -- $args
		done
	done
done
# the other users of the JSON writer
for args in config "-j config" "-p config" stats "-j stats" "-p stats"; do
	# shellcheck disable=SC2086
	compare out -- $args
done
for v in "" vary; do
	compare out FAKEGENL=$v FAKEGENL_N=12 FAKEGENL_CTID=1 -- -j show
	compare out FAKEGENL=$v FAKEGENL_N=12 FAKEGENL_CTID=1 -- show
	compare out FAKEGENL=${v:+$v,}intr=3 FAKEGENL_N=300 -- -j show
	compare out FAKEGENL=${v:+$v,}intr=99 FAKEGENL_N=300 -- show
	compare out FAKEGENL=${v:+$v,}dumperr FAKEGENL_N=300 -- -j show
	compare mon FAKEGENL=$v FAKEGENL_EVENTS=100 -- -j
	compare mon FAKEGENL=$v FAKEGENL_EVENTS=100 --
done
echo "$same the same, $differ different"
[[ $differ -eq 0 ]]
