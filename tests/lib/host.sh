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

# installed_kernels: every installed kernel that has its modules
# (/boot/vmlinuz-VERSION and /lib/modules/VERSION/kernel), oldest first.
installed_kernels() {
	local v list=
	for v in /boot/vmlinuz-*; do
		[[ -e $v ]] || continue
		v=${v#/boot/vmlinuz-}
		[[ -d /lib/modules/$v/kernel ]] || continue
		list+="$v"$'\n'
	done
	[[ -n $list ]] || return 1
	printf '%s' "$list" | sort -V
}

# newest_kernel: print the newest installed kernel of the standard flavour
# (Debian's -amd64: not -rt-amd64, the PREEMPT_RT one, nor -cloud-amd64,
# which sort after it), or the newest of any flavour when there is none.
newest_kernel() {
	local all std
	all=$(installed_kernels) || return 1
	std=$(grep -v -E -- '-(rt|cloud)-' <<<"$all")
	printf '%s\n' "${std:-$all}" | tail -n 1
}

# kernel_matching ERE: print the newest installed kernel whose version
# matches ERE (for example '^6\.12\..*-rt-amd64$').
kernel_matching() {
	local v
	v=$(installed_kernels | grep -E -- "$1" | tail -n 1)
	[[ -n $v ]] || return 1
	printf '%s\n' "$v"
}
