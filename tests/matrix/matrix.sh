#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compile vzroute against prepared kernel trees (make matrix KTREES=...):
#	tests/matrix/matrix.sh DIR[:CC] ...
# Each DIR is a kernel tree on which "make modules_prepare" has run (or a
# headers directory).  vzroute is built there as a user would build it,
# with W=1, in a scratch copy (nothing is written into DIR or the
# checkout); on RHEL 7 (el7) trees with tests/venet's vz7 headers and on
# RHEL 8 and 9 (el8, el9) trees with its vz8 headers, so that the venet
# backend is compiled too.  OpenVZ 9 (vzkernel 5.14.0 ovz9) spells what
# vzroute reads of venet as vz8 does: ve_struct's venet_dev, the exported
# veip_lock and venet_entry_lookup(), net's owner_ve and ve_name.  CC is the compiler the tree was prepared with: by default
# gcc-N, N being the tree's CONFIG_GCC_VERSION, where that is installed,
# else gcc.  Module.symvers is not needed (KBUILD_MODPOST_WARN=1).
# Prints one line per tree:
#	DIR  KERNELRELEASE  built|failed  N warnings [, M objtool notes] [(venet: ...)]
# N counts the compiler's warnings in vzroute's files; M objtool's about
# vzroute's objects (see below).
# and exits 1 when a tree failed or warned.  The logs stay in
# $VZR_MATRIX_LOGS (default: a directory under /tmp, printed at the end).

set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
[[ $# -gt 0 ]] || { echo "usage: make matrix KTREES=\"DIR[:CC] ...\"" >&2; exit 2; }
logs=${VZR_MATRIX_LOGS:-$(mktemp -d /tmp/vzroute-matrix.XXXXXX)}
mkdir -p "$logs"
rc=0
for spec in "$@"; do
	dir=${spec%%:*}
	cc=
	[[ $spec == *:* ]] && cc=${spec#*:}
	rel=$(cat "$dir/include/config/kernel.release" 2>/dev/null) || {
		printf '%-28s %-34s %s\n' "$dir" "?" "failed: not prepared (no include/config/kernel.release)"
		rc=1
		continue
	}
	if [[ -z $cc ]]; then
		gv=$(sed -n 's/^CONFIG_GCC_VERSION=\([0-9]*\)$/\1/p' "$dir/.config" 2>/dev/null)
		cc=gcc
		[[ -n $gv ]] && command -v "gcc-$((gv / 10000))" >/dev/null && cc=gcc-$((gv / 10000))
	fi
	venet=()
	case $rel in
	*.el7*|*.vz7*) venet=(VZR_VENET_INCLUDE="$root/tests/venet/include") ;;
	*.el8*|*.vz8*|*.el9*|*.vz9*) venet=(VZR_VENET_INCLUDE="$root/tests/venet/include-vz8") ;;
	esac
	tmp=$(mktemp -d)
	cp -r "$root/Kbuild" "$root/kmod" "$root/uapi" "$root/conftest" "$tmp/"
	name=$(basename "$dir")
	log=$logs/$name.log
	if make -C "$dir" M="$tmp" CC="$cc" HOSTCC="$cc" W=1 KBUILD_MODPOST_WARN=1 \
		"${venet[@]}" modules >"$log" 2>&1 && [[ -f $tmp/vzroute.ko ]]; then
		result=built
	else
		result=failed
		rc=1
	fi
	# Warnings in vzroute's own files: the copy's, and tests/venet's
	# headers.  objtool's about vzroute's objects are counted apart: an
	# older tree's objtool does not know what a newer compiler emits
	# (4.18-el8's and gcc-11's .cold parts), which is no fault of the
	# source.
	nw=$(grep -E "^($tmp|$root/tests/venet)/[^:]*:[0-9]+(:[0-9]+)?: warning:" "$log" | sort -u | wc -l)
	no=$(grep -E "^($tmp/)?kmod/[^:]*\.o: warning: objtool:" "$log" | sort -u | wc -l)
	[[ $nw -eq 0 ]] || rc=1
	cp "$tmp/generated/vzr_autoconf.h" "$logs/$name.autoconf.h" 2>/dev/null
	sed -i "s|$tmp/||g" "$log"
	printf '%-18s %-31s %-6s %d warnings%s%s\n' "$dir" "$rel" "$result" "$nw" \
		"$([[ $no -eq 0 ]] || echo ", $no objtool notes")" \
		"${venet:+ (venet: ${venet[0]##*/})}"
	rm -rf "$tmp"
done
echo "logs: $logs"
exit $rc
