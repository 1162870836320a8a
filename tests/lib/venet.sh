# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# venet (OpenVZ 7/8), through the emulator of tests/venet (venet_emu.ko,
# built by tests/check.sh): one venet device per namespace, the node's in
# the init netns, and the node's IP map in /proc/venet_emu.  A venet test
# loads the emulator before vzroute (vzroute takes the map's symbols at
# load) and registers venet_cleanup instead of cleanup_all.

VZR_VENET_KO=${VZR_VENET_KO:-$VZR_ROOT/tests/venet/venet_emu.ko}
VZR_VENET_MOD=venet_emu
_VZR_VENET_LOADED=0

# venet_load: insmod the emulator (a copy left by a test that was killed is
# unloaded first).
venet_load() {
	if [[ ! -f $VZR_VENET_KO ]]; then
		echo "venet_load: $VZR_VENET_KO does not exist (make -C tests/venet)" >&2
		return 1
	fi
	[[ ! -d /sys/module/$VZR_VENET_MOD ]] || rmmod "$VZR_VENET_MOD" || return
	insmod "$VZR_VENET_KO" || return
	_VZR_VENET_LOADED=1
}

# venet_unload: rmmod the emulator (vzroute, which holds its symbols, first).
venet_unload() {
	rmmod "$VZR_VENET_MOD" || return
	_VZR_VENET_LOADED=0
}

# venet_cleanup [NEXT]: the EXIT trap of a venet test: vzroute, then the
# emulator, then NEXT (default cleanup_all; topo_cleanup for tests/lib/topo.sh).
venet_cleanup() {
	local rc=$? next=${1:-cleanup_all}
	set +e
	if ((_VZR_MOD_LOADED)) && mod_loaded; then
		rmmod "$VZR_MOD" >/dev/null 2>&1
		_VZR_MOD_LOADED=0
	fi
	ip link del dev venet0 >/dev/null 2>&1
	if ((_VZR_VENET_LOADED)); then
		rmmod "$VZR_VENET_MOD" >/dev/null 2>&1 ||
			echo "venet_cleanup: cannot unload $VZR_VENET_MOD" >&2
		_VZR_VENET_LOADED=0
	fi
	_vzr_rc "$rc"
	"$next"
}

# venet_node [NAME]: the node's venet device in the init netns (default
# venet0), up.
venet_node() {
	local name=${1:-venet0}
	ip -batch - <<-EOF
		link add name $name type venet
		link set dev $name up
	EOF
}

# vct_create NAME [ADDR...]: a venet container: netns NAME with lo and its
# venet0 up, default routes through venet0, and ADDR... on venet0.  The map
# is not touched (venet_map): the order of a live migration's destination,
# where CRIU restores the addresses before vzctl maps them.
vct_create() {
	local name=$1
	shift
	ns_create "$name" || return
	ip -n "$name" -batch - <<-EOF || return
		link add name venet0 type venet
		link set dev venet0 up
		route add default dev venet0
		route add ::/0 dev venet0
	EOF
	(($# == 0)) || vct_addrs add "$name" "$@"
}

# vct_start NAME ADDR...: what "vzctl start" does: the container's venet
# (vct_create), then its map entries, then its addresses.
vct_start() {
	local name=$1
	shift
	vct_create "$name" || return
	venet_map add "$name" "$@" || return
	vct_addrs add "$name" "$@"
}

# vct_addrs add|del NAME ADDR...: add (delete) ADDR... (IPv4 /32, IPv6 /128)
# on container NAME's venet0, in one ip call.
vct_addrs() {
	local op=$1 name=$2 batch=
	shift 2
	host_batch batch "addr $op ADDR dev venet0" "addr $op ADDR dev venet0" "$@"
	ip -n "$name" -batch - <<<"$batch"
}

# venet_map add|del NAME ADDR...: what vzctl does to the node's IP map
# (ve.ip_allow / ve.ip_deny): ADDR... assigned to, or taken from, NAME.
venet_map() {
	local op=$1 name=$2 veid a
	shift 2
	veid=$(ns_veid "$name") || return
	for a in "$@"; do
		echo "$op $veid $a" >/proc/venet_emu || {
			echo "venet_map: $op $a for $name refused" >&2
			return 1
		}
	done
}
