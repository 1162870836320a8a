# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers of the host-side scripts (check, demo, bench, the VM runner).

# cache_dir: print the cache directory, creating it: $VZR_CACHE, or
# /var/cache/vzroute-test, or (not writable, and no VZR_CACHE given)
# ~/.cache/vzroute-test.
cache_dir() {
	local d=${VZR_CACHE:-/var/cache/vzroute-test}
	if ! mkdir -p "$d" 2>/dev/null || [[ ! -w $d ]]; then
		[[ -z ${VZR_CACHE:-} ]] || return 1
		d=${XDG_CACHE_HOME:-$HOME/.cache}/vzroute-test
		mkdir -p "$d" || return 1
	fi
	printf '%s\n' "$d"
}

# newest_kernel: print the newest installed kernel that has its modules.
newest_kernel() {
	local v best=
	for v in /boot/vmlinuz-*; do
		[[ -e $v ]] || continue
		v=${v#/boot/vmlinuz-}
		[[ -d /lib/modules/$v/kernel ]] || continue
		best+="$v"$'\n'
	done
	[[ -n $best ]] || return 1
	printf '%s' "$best" | sort -V | tail -n 1
}
