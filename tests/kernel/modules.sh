#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build vzroute.ko, vzroute_kunit.ko and the venet emulator venet_emu.ko
# against a kernel tree, in a scratch copy of the sources, so that the checkout's own objects (built against
# the installed kernel) stay as they are.
#
# usage: modules.sh KERNEL_DIR OUT_DIR [vzroute|kunit|venet]...
#   KERNEL_DIR  what tests/kernel/build.sh printed (its build/ is the tree)
#   OUT_DIR     gets src/ (the copy), the .ko files, and a build log per
#               module: vzroute.log, kunit.log, venet.log
# Without a module name, vzroute and kunit are built.  vzroute_kunit.ko needs a kernel
# with CONFIG_KUNIT.  Modules are stripped of debug information (as DKMS
# installs them), which makes insmod under emulation much faster.
# Exit status: 0 when every module asked for was built.  Warnings of the
# compiler are left in the logs; "grep -c warning:" counts them.

set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
kdir=${1:?usage: modules.sh KERNEL_DIR OUT_DIR [vzroute|kunit|venet]...}
out=${2:?usage: modules.sh KERNEL_DIR OUT_DIR [vzroute|kunit|venet]...}
shift 2
what=("$@")
[[ ${#what[@]} -gt 0 ]] || what=(vzroute kunit)
tree=$kdir/build
[[ -f $tree/Module.symvers ]] || { echo "modules.sh: $tree is not a built kernel tree" >&2; exit 1; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
src=$out/src
rm -rf "$src"
mkdir -p "$src"
# The whole source tree (Kbuild reaches kmod/, uapi/, conftest/...), but no
# product of another build: objects, command files, generated headers.
tar -C "$root" --exclude=.git --exclude=./userspace --exclude=./debian \
	--exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude=Module.symvers --exclude=modules.order \
	--exclude=./generated -cf - . | tar -C "$src" -xf -

rc=0
for m in "${what[@]}"; do
	case $m in
	# vzroute with the emulator's OpenVZ headers, as tests/check.sh builds
	# it, so that the venet tests run on this kernel too.
	vzroute) dir=$src ko=vzroute.ko ;;
	kunit) dir=$src/tests/kunit ko=vzroute_kunit.ko ;;
	venet) dir=$src/tests/venet ko=venet_emu.ko ;;
	*) echo "modules.sh: unknown module $m" >&2; exit 2 ;;
	esac
	rm -f "$out/$ko"
	if make -C "$tree" M="$dir" VZR_VENET_INCLUDE="$src/tests/venet/include" \
		modules >"$out/$m.log" 2>&1 &&
		[[ -f $dir/$ko ]]; then
		strip --strip-debug -o "$out/$ko" "$dir/$ko"
	else
		[[ -f $dir/$ko ]] || echo "(no $ko: does the kernel have CONFIG_KUNIT?)" >>"$out/$m.log"
		echo "modules.sh: building $ko against $tree failed; see $out/$m.log" >&2
		tail -n 20 "$out/$m.log" | sed 's/^/    /' >&2
		rc=1
	fi
done
exit "$rc"
