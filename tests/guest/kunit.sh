#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the KUnit suites inside the QEMU guest (a kernel with CONFIG_KUNIT):
#	tests/vm/run.sh -K KERNEL_DIR tests/guest/kunit.sh MODULE.ko
#
# Loads MODULE.ko (vzroute_kunit.ko; kunit.ko first when KUnit is a module
# of that kernel), whose suites run while it loads, unloads it, has
# kmemleak scan when the kernel has it, and copies the kernel log written
# meanwhile to $VZR_RESULT_DEV (default /dev/ttyS1), each line as
#	kmsg: LINE
# followed by the leak report (if any, or the reason kmemleak could not
# scan) as "kmemleak: LINE" and by
#	# kunit: insmod N, rmmod N, SECONDS s
# The host (tests/check-debug.sh) reads the KTAP in there.

set -uo pipefail

# shellcheck source=tests/lib/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/lib.sh"
trap - ERR
set +E

ko=${1:?usage: guest.sh MODULE.ko}
res_dev=${VZR_RESULT_DEV:-/dev/ttyS1}
name=$(basename "$ko" .ko)
kmemleak=/sys/kernel/debug/kmemleak

out() {
	printf '%s\n' "$@" >>"$res_dev"
}

stty -F "$res_dev" raw -echo 2>/dev/null || true
out "# kunit: kernel $(uname -r)"

# Leaks of the boot are not ours: mark them as known (see suite.sh).
if [[ -w $kmemleak ]]; then
	echo scan >"$kmemleak" 2>/dev/null
	echo clear >"$kmemleak" 2>/dev/null
fi

# KUnit may be a module of the kernel (=m); built in, modprobe finds it in
# modules.builtin and does nothing.
modprobe -q kunit || out "# kunit: modprobe kunit failed"

dmesg_mark "kunit $name"
start=$(_vzr_now_us)
insmod "$ko"
irc=$?
rrc=0
if [[ -d /sys/module/$name ]]; then
	rmmod "$name"
	rrc=$?
fi
elapsed=$(($(_vzr_now_us) - start))

# kmemleak reports an object once two scans in a row found it unreferenced
# and when it is older than 5 s.  Without kmemleak on a kernel that should
# have it (VZR_KMEMLEAK set), kmemleak_scan says so: "kmemleak: cannot scan".
leaks=
if [[ -w $kmemleak || ${VZR_KMEMLEAK:-0} != 0 ]]; then
	kmemleak_final=1 kmemleak_scan >/dev/null
	vzr_sleep 5.5
	leaks=$(kmemleak_final=1 kmemleak_scan)
fi

while IFS= read -r line; do
	out "kmsg: $line"
done < <(dmesg_since_mark 2>&1)
if [[ -n $leaks ]]; then
	while IFS= read -r line; do
		out "kmemleak: $line"
	done <<<"$leaks"
fi
out "# kunit: insmod $irc, rmmod $rrc, $((elapsed / 1000000)).$((elapsed / 100000 % 10)) s"
((irc == 0 && rrc == 0))
