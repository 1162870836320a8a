#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build vzroute against OpenVZ 8's spelling of the venet headers
# (tests/venet/include-vz8: ve_struct's venet_dev) in a scratch copy, with
# W=1 -Werror, and check that the probes chose the vz8 branch:
#	tests/venet/check-vz8.sh KDIR
# The tests run the vz7 spelling (tests/venet/include); this only shows
# that the other branch of kmod/venet_map.h compiles.

set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
kdir=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$root/Kbuild" "$root/kmod" "$root/uapi" "$root/conftest" "$tmp/"
if ! make -C "$kdir" M="$tmp" W=1 KCFLAGS=-Werror \
	VZR_VENET_INCLUDE="$root/tests/venet/include-vz8" modules >"$tmp/build.log" 2>&1; then
	echo "build against include-vz8 failed:"
	tail -n 30 "$tmp/build.log"
	exit 1
fi
h=$tmp/generated/vzr_autoconf.h
for want in '#define HAVE_VENET_MAP 1' '#define HAVE_VE_VENET_DEV 1' '/* HAVE_VE_VENET_DEV_VZ7: absent */'; do
	grep -qxF "$want" "$h" || { echo "probes: no '$want' in the generated header:"; cat "$h"; exit 1; }
done
echo "vz8 spelling: built, probes chose ve->venet_dev"
