#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make demo": install what is missing (tests/lib/deps.sh, as make check does),
# build vzroute.ko against the newest installed Debian kernel (VZR_KVER:
# another), boot it in
# QEMU and play tests/guest/demo.sh there: a container live-migrating
# between two FRR nodes while a router pings it, then a hot spare taking
# over.  The narration is the guest's console, cleaned of boot noise.
#
# Environment:
#   VZR_CACHE=DIR      cache and log directory (default /var/cache/vzroute-test)
#   VZR_KVER=VERSION   kernel to build against and boot (default newest)
#   VZR_VERBOSE=1      show the whole guest console, boot messages included

set -uo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=tests/lib/deps.sh
. "$ROOT/tests/lib/deps.sh"

say() { printf '%s\n' "$*"; }
die() {
	say "demo: $*" >&2
	exit 1
}

# shellcheck source=tests/lib/host.sh
. "$ROOT/tests/lib/host.sh"

start=$SECONDS
cache=$(cache_dir) || die "no writable cache directory (set VZR_CACHE)"
mkdir -p "$cache/runs"
logs=$(mktemp -d "$cache/runs/demo.XXXXXX") || die "cannot create a log directory in $cache/runs"

deps_missing
if ((${#DEPS_MISSING[@]})); then
	say "==> Installing ${DEPS_MISSING[*]} (apt-get)"
	deps_install "$logs/apt.log" || die "$DEPS_ERROR"
fi

kver=${VZR_KVER:-$(newest_kernel || true)}
[[ -n $kver ]] || die "no installed kernel (/boot/vmlinuz-* with modules in /lib/modules)"
if [[ -n ${VZR_KVER:-} ]]; then
	say "==> Kernel $kver (VZR_KVER)"
else
	say "==> Kernel $kver (the newest installed of the standard flavour; VZR_KVER picks another)"
fi
say "==> Building vzroute.ko for $kver"
make -C "$ROOT" module KDIR="/lib/modules/$kver/build" >"$logs/module.log" 2>&1 ||
	die "make module failed ($logs/module.log):"$'\n'"$(tail -n 30 "$logs/module.log")"
# The guest's scenes show the routes with the tool, as an admin would.
say "==> Building the vzroute tool"
make -C "$ROOT/userspace" >"$logs/tool.log" 2>&1 ||
	die "make -C userspace failed ($logs/tool.log):"$'\n'"$(tail -n 30 "$logs/tool.log")"
# The guest loads a copy without debug information (as modules_install
# would install it): much smaller, so insmod is fast under emulation.
strip --strip-debug -o "$logs/vzroute.ko" "$ROOT/vzroute.ko" || die "cannot strip vzroute.ko"
export VZR_KO=$logs/vzroute.ko

say "==> Booting $kver in QEMU (software emulation: everything is slow, and the"
say "    times below are the emulated machine's)"

# The console: drop the firmware's and the kernel's messages before the
# demo starts, terminal control sequences and carriage returns; kernel
# messages after it only when they report a problem (run.sh also does).
filter() {
	if [[ ${VZR_VERBOSE:-0} == 1 ]]; then
		cat
		return
	fi
	awk '
		{ gsub(/\r/, ""); gsub(/\033\[[0-9;?]*[A-Za-z]/, ""); gsub(/\033c/, "") }
		!started && /^====/ { started = 1 }
		!started { next }
		/^\[ *[0-9]+\.[0-9]+\] / && !/BUG:|WARNING:|Oops|panic|KASAN|UBSAN|Call Trace/ { next }
		{ print; fflush() }'
}

"$ROOT/tests/vm/run.sh" -k "$kver" -t 300 "$ROOT/tests/guest/demo.sh" 2>"$logs/run.err" |
	tee "$logs/console.log" | filter
rc=${PIPESTATUS[0]}
say ""
if ((rc != 0)); then
	cat "$logs/run.err" >&2
	die "the demo failed (status $rc); guest console: $logs/console.log"
fi
say "==> Demo done in $((SECONDS - start)) s (console: $logs/console.log)"
