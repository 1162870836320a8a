#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Check the feature probes (conftest/) against a kernel's headers:
#	tests/dkms/conftest.sh KDIR [CC]
# Runs them through Kbuild, as a module build does, in a scratch copy of
# the module's Kbuild and probes, with CC (default: gcc-N, N being the
# tree's CONFIG_GCC_VERSION, where installed; else gcc), and compares the
# generated header with tests/dkms/expected-<series>.h line by line (every
# HAVE_* must be listed there, present or absent).  The series is elN for
# a RHEL N kernel (3.10.0-1160.el7.x86_64: el7), else major.minor.  Also checks that a broken compiler
# command makes conftest.sh fail instead of reporting every feature absent.
# Prints the differences and exits 1 on failure.

set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
kdir=$1
cc=${2:-}
rel=$(cat "$kdir/include/config/kernel.release")
if [[ $rel =~ \.(el[0-9]+) ]]; then
	series=${BASH_REMATCH[1]}
else
	series=$(sed -E 's/^([0-9]+\.[0-9]+).*/\1/' <<<"$rel")
fi
if [[ -z $cc ]]; then
	gv=$(sed -n 's/^CONFIG_GCC_VERSION=\([0-9]*\)$/\1/p' "$kdir/.config" 2>/dev/null || true)
	cc=gcc
	if [[ -n $gv ]] && command -v "gcc-$((gv / 10000))" >/dev/null; then
		cc=gcc-$((gv / 10000))
	fi
fi
expected=$root/tests/dkms/expected-$series.h
[[ -f $expected ]] || { echo "no $expected for kernel $rel"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$root/conftest" "$tmp/"
# Kbuild's own rule, with a target that needs only the header.
cat >"$tmp/Kbuild" <<'EOK'
obj-m := probe.o
probe-y := empty.o
ccflags-y := -I$(obj)/generated
EOK
sed -n '/^vzr_conftest_flags/,/^clean-files/p' "$root/Kbuild" |
	sed 's/(vzroute-y)/(probe-y)/' >>"$tmp/Kbuild"
printf '// SPDX-License-Identifier: GPL-2.0\n#include "vzr_autoconf.h"\n#include <linux/module.h>\nMODULE_LICENSE("GPL");\n' >"$tmp/empty.c"
if ! make -C "$kdir" M="$tmp" CC="$cc" HOSTCC="$cc" KBUILD_MODPOST_WARN=1 modules >"$tmp/build.log" 2>&1; then
	echo "Kbuild run of the probes failed:"
	tail -n 30 "$tmp/build.log"
	exit 1
fi
got=$tmp/generated/vzr_autoconf.h
rc=0
if ! diff -u <(grep -E '^(#define|/\*) HAVE_' "$expected" | sort) \
	<(grep -E '^(#define|/\*) HAVE_' "$got" | sort) >"$tmp/diff"; then
	echo "kernel $rel: generated header differs from $expected:"
	cat "$tmp/diff"
	rc=1
fi
echo "kernel $rel: $(grep -c '^#define HAVE_' "$got") present, $(grep -c '^/\* HAVE_' "$got") absent"
if sh "$root/conftest/conftest.sh" "$tmp/broken.h" "$root/conftest" \
	gcc -nostdinc >/dev/null 2>&1 || [[ -e $tmp/broken.h ]]; then
	echo "conftest.sh did not fail with a compiler command that cannot work"
	rc=1
fi
exit $rc
