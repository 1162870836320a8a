#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the debug test kernel: Debian's linux-source-6.1 with
# tests/kernel/debug.config merged onto "make allnoconfig".
#
# usage: build.sh [-f] [-n]
#   -f  rebuild even when a complete build is cached
#   -n  never build: print the cached directory if it is complete, else
#       exit 1 (used to tell a cached run from one that has to build)
#
# Prints one line on stdout, the cache directory:
#   ${VZR_CACHE:-/var/cache/vzroute-test}/kernel-<key>/
#     bzImage        the kernel
#     build/         the configured and built tree: external modules build
#                    with  make -C DIR/build M=<dir> modules
#     modroot/lib/modules/<release>/   modules.builtin & co (everything the
#                    guest needs is built in), for modprobe in the guest
#     kernelrelease  uname -r of the kernel
#     config         its .config
#     build.log      the whole build
# <key> hashes the source package version, the compiler version, the
# options of debug.config (its CONFIG_ lines, in order: comments and blank
# lines do not count) and $recipe below: a change to any of them builds a
# new kernel, otherwise the cached one is reused.  Progress (a dot every 10 s, the elapsed time
# every minute) goes to stderr.  Builds of other keys not used for a day
# are removed once this one is complete.

set -euo pipefail

self=$(readlink -f "${BASH_SOURCE[0]}")
here=$(dirname "$self")
fragment=$here/debug.config
tarball=${VZR_KERNEL_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
srcpkg=linux-source-6.1
force=0
lookup=0

msg() { printf 'kernel/build.sh: %s\n' "$*" >&2; }
die() { msg "$*"; exit 1; }

while getopts 'fnh' opt; do
	case $opt in
	f) force=1 ;;
	n) lookup=1 ;;
	h) awk 'NR >= 6 && /^#/ { sub(/^# ?/, ""); print; next } NR >= 6 { exit }' "$self"; exit 0 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[[ $# -eq 0 ]] || die "unexpected argument: $1"

# shellcheck source=tests/lib/host.sh
. "$here/../lib/host.sh"

# The version of the steps below: bump it when a change to this script
# changes what ends up in the cache (the kernel, or the layout of its
# directory).  Other edits of the script (comments, messages) leave the
# cached kernel valid, so they do not cost a 15-20 minute rebuild.
recipe=1

[[ -r $tarball ]] || die "$tarball not found (apt-get install $srcpkg)"
srcver=$(dpkg-query -W -f='${Version}' "$srcpkg" 2>/dev/null) ||
	srcver=$(stat -c '%s %Y' "$tarball")
ccver=$(gcc --version | head -n 1)
key=$({
	printf 'source %s %s\ncc %s\nrecipe %s\n' "$srcpkg" "$srcver" "$ccver" "$recipe"
	grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set$)' "$fragment"
} | sha256sum | cut -c1-12)

cache=$(cache_dir) || die "no writable cache directory (VZR_CACHE=${VZR_CACHE:-})"
dir=$cache/kernel-$key
done_mark=$dir/.complete

if [[ $lookup -eq 1 ]]; then
	[[ -f $done_mark ]] || exit 1
	touch "$dir/.used"
	printf '%s\n' "$dir"
	exit 0
fi

# One build per key at a time; a second caller waits and then reuses it.
exec 9>"$cache/kernel-$key.lock"
if ! flock -n 9; then
	msg "another build of kernel-$key is running; waiting for it"
	flock 9
fi

if [[ $force -eq 0 && -f $done_mark ]]; then
	touch "$dir/.used"
	printf '%s\n' "$dir"
	exit 0
fi

for tool in make gcc flex bison bc depmod xz gzip; do
	command -v "$tool" >/dev/null ||
		die "$tool not found (apt-get install build-essential flex bison bc kmod xz-utils libelf-dev libssl-dev)"
done

rm -rf "$dir"
mkdir -p "$dir"
log=$dir/build.log
: >"$log"
jobs=$(nproc)
start=$SECONDS

# run STEP CMD...: run a step into the log; on failure show its end.
run() {
	local step=$1
	shift
	printf '### %s: %s\n' "$step" "$*" >>"$log"
	if ! "$@" >>"$log" 2>&1; then
		msg "$step failed; the end of $log:"
		tail -n 30 "$log" | sed 's/^/    /' >&2
		exit 1
	fi
}

# progress PID: a dot every 10 s, the elapsed time every minute.
progress() {
	local pid=$1 n=0
	while kill -0 "$pid" 2>/dev/null; do
		sleep 10 &
		wait $! || true
		kill -0 "$pid" 2>/dev/null || break
		n=$((n + 1))
		if ((n % 6 == 0)); then
			printf ' %dm' $(((SECONDS - start) / 60)) >&2
		else
			printf '.' >&2
		fi
	done
}

msg "building kernel-$key ($srcpkg $srcver, $jobs jobs); log: $log"
run extract tar -xJf "$tarball" -C "$dir"
mv "$dir/$srcpkg" "$dir/build"
tree=$dir/build

# allnoconfig, the fragment on top, then defaults for whatever it unlocked.
run allnoconfig make -C "$tree" allnoconfig
run merge "$tree/scripts/kconfig/merge_config.sh" -m -O "$tree" "$tree/.config" "$fragment"
run olddefconfig make -C "$tree" olddefconfig

# Every line of the fragment must be in the result: a symbol that Kconfig
# dropped (a missing dependency) would otherwise go unnoticed.
bad=
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF -- "$line" "$tree/.config" ||
			bad+="  wanted $line, got: $(grep -E "^(# )?${line%%=*}[= ]" "$tree/.config" || echo 'absent')"$'\n' ;;
	'# CONFIG_'*' is not set')
		sym=${line#\# }
		sym=${sym%% *}
		if grep -q "^$sym=" "$tree/.config"; then
			bad+="  wanted $sym unset, got: $(grep "^$sym=" "$tree/.config")"$'\n'
		fi ;;
	esac
done <"$fragment"
if [[ -n $bad ]]; then
	msg "debug.config does not apply as written:"
	printf '%s' "$bad" >&2
	exit 1
fi

printf '### build: make -j%s bzImage modules\n' "$jobs" >>"$log"
make -C "$tree" -j"$jobs" bzImage modules >>"$log" 2>&1 &
pid=$!
progress "$pid"
if ! wait "$pid"; then
	printf '\n' >&2
	msg "the kernel build failed; the end of $log:"
	grep -E 'error|Error' "$log" | tail -n 20 | sed 's/^/    /' >&2
	tail -n 10 "$log" | sed 's/^/    /' >&2
	exit 1
fi
printf '\n' >&2

release=$(make -s -C "$tree" kernelrelease)
run modules_install make -C "$tree" modules_install INSTALL_MOD_PATH="$dir/modroot"
# (tests/vm/mkinitrd.sh looks for modules under kernel/, even if none is =m)
mkdir -p "$dir/modroot/lib/modules/$release/kernel"
cp "$tree/arch/x86/boot/bzImage" "$dir/bzImage"
cp "$tree/.config" "$dir/config"
printf '%s\n' "$release" >"$dir/kernelrelease"

# External modules need the headers, the generated files, the host tools
# (scripts/, objtool) and Module.symvers, not the kernel's own objects.
find "$tree" \( -path "$tree/scripts" -o -path "$tree/tools" \) -prune -o \
	\( -name '*.o' -o -name '*.a' -o -name '.*.o.cmd' -o -name '*.mod.c' \) \
	-type f -print0 | xargs -0 rm -f
rm -rf "$tree/Documentation"

elapsed=$((SECONDS - start))
{
	printf 'key %s\nsource %s %s\ncc %s\nrecipe %s\nrelease %s\n' "$key" "$srcpkg" "$srcver" "$ccver" "$recipe" "$release"
	printf 'built %s in %dm%02ds\n' "$(date -u +%FT%TZ)" $((elapsed / 60)) $((elapsed % 60))
} >"$done_mark"
touch "$dir/.used"
msg "kernel $release built in $((elapsed / 60))m$((elapsed % 60))s: $dir"

# Builds of other keys that nothing used for a day.
for old in "$cache"/kernel-*/; do
	old=${old%/}
	[[ $old != "$dir" && -d $old ]] || continue
	if [[ -z $(find "$old" -maxdepth 1 -name .used -mmin -1440 2>/dev/null) ]]; then
		rm -rf "$old" "$old.lock"
	fi
done

printf '%s\n' "$dir"
