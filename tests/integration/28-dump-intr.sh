#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A dump of the tracked addresses that races with a change it shows (here
# the rename of a host-side device, which changes nothing else) is flagged
# NLM_F_DUMP_INTR; one that races with nothing is not. A dump whose sent
# entries go between two parts carries every other entry all the same.

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

ct_create c1 vh1
batch=
for i in $(seq 1 80); do
	batch+="addr add 10.1.1.$i/32 dev eth0"$'\n'
done
ip -n c1 -batch - <<<"$batch"
# Down: the rename below (which needs the device down) changes no state.
ip link set dev vh1 down
mod_load allow=10.0.0.0/8 max_per_netns=0
# shellcheck disable=SC2317 # called through wait_for
all_down() {
	[[ $(vzr show -j | jq '[.[] | select(.state == "down")] | length') == 80 ]]
}
wait_for all_down

dumpintr=$VZR_ROOT/tests/tools/dumpintr
rc=0
out=$("$dumpintr" true) || rc=$?
echo "nothing changed: $out"
((rc == 1)) || fail "a dump that raced with nothing: status $rc (0: flagged)"

# Run by dumpintr between the dump's two parts: the rename, and the wait
# (with a deadline) until vzroute has seen it.
rename_seen() {
	ip link set dev vh1 name vh1x &&
		timeout "$VZR_TIMEOUT" bash -c \
			'until "$1" show -j | grep -q "\"vh1x\""; do sleep 0.1; done' _ "$VZR_TOOL"
}
export -f rename_seen
export VZR_TIMEOUT VZR_TOOL
rc=0
out=$("$dumpintr" bash -c rename_seen) || rc=$?
echo "host side renamed: $out"
((rc == 0)) || fail "a dump that raced with a rename of the host side was not flagged (status $rc)"
ip link set dev vh1x name vh1
((VZR_FAILS)) || ok "NLM_F_DUMP_INTR when, and only when, the dump raced with a change"

# Between two parts, the addresses the first part carried go: the dump
# resumes after the last entry it sent, not after as many entries as it
# sent, so it still carries every address once (80 entries: the first
# part's, then all the others), where counting would skip as many of the
# others as went.
first=$(mktemp)
# shellcheck disable=SC2317 # run by dumpintr through bash -c
delete_first() {
	local n a b=
	n=$(wc -l <"$DUMPINTR_FIRST")
	((n > 0)) || return 1
	while read -r a; do
		b+="addr del $a/32 dev eth0"$'\n'
	done <"$DUMPINTR_FIRST"
	ip -n c1 -batch - <<<"$b" &&
		timeout "$VZR_TIMEOUT" bash -c \
			'until [[ $("$1" show -j | jq length) == "$2" ]]; do sleep 0.1; done' _ "$VZR_TOOL" $((80 - n))
}
export -f delete_first
rc=0
out=$(DUMPINTR_FIRST=$first "$dumpintr" bash -c delete_first) || rc=$?
echo "first part's addresses deleted ($(wc -l <"$first") of them): $out"
((rc == 0)) || fail "a dump that raced with deletions was not flagged (status $rc)"
[[ $out == *" entries=80 "* ]] || fail "a dump that lost the entries it had sent skipped others: $out (80 entries expected)"
rm -f "$first"
((VZR_FAILS)) || ok "a dump resumes after the last entry it sent, whatever went since"

mod_unload
check_kernel_log
pass
