#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vzroute show names containers the way the node does (userspace/ctname.c),
# one container per naming source this VM can make:
#   web     a netns made by "ip netns add web"            -> web (netns)
#   box1    an unnamed netns whose process is in the cgroup
#           lxc.payload.box1 (LXC 4+, LXD)                -> box1 (lxc)
#   db-1    the same in machine.slice/machine-db\x2d1.scope
#           (systemd-nspawn, libvirt; \x2d is systemd's escaped "-")
#                                                         -> db-1 (machine)
#   (none)  an unnamed netns, process in the root cgroup  -> its inode
# The cgroups are made by hand under /sys/fs/cgroup: no LXC or
# systemd-nspawn runs here (the guest has no systemd and no container
# images); what is tested is the lookup from the namespace to the name.
# A CTID from the kernel (OpenVZ) comes first: no kernel here has the
# owner_ve the module reads it from (userspace/test covers the tool's side).

# shellcheck source=tests/lib/test.sh
. "$(dirname "$0")/../lib/test.sh"

cg=/sys/fs/cgroup
pids=()
cgroups=()
# shellcheck disable=SC2317 # the EXIT trap
names_cleanup() {
	local rc=$? d
	set +e
	if ((${#pids[@]})); then
		kill -KILL "${pids[@]}" 2>/dev/null
		wait "${pids[@]}" 2>/dev/null
	fi
	for d in "${cgroups[@]}"; do
		rmdir "$d" 2>/dev/null
	done
	rmdir "$cg/machine.slice" 2>/dev/null
	ip link del vnoname 2>/dev/null
	(exit "$rc")
	cleanup_all
}
trap names_cleanup EXIT

[[ -e $cg/cgroup.procs ]] || mount -t cgroup2 cgroup2 "$cg" || fail "no cgroup2 at $cg"

# unnamed_ct CGROUP HOSTIF ADDR: a process in a network namespace of its own
# (no /run/netns name), in CGROUP ("" = where this test is); HOSTIF in the
# init netns is the peer of its eth0, which gets ADDR.  Sets ct_pid.
unnamed_ct() {
	local cgroup=$1 hostif=$2 addr=$3
	if [[ -n $cgroup ]]; then
		mkdir -p "$cgroup" || return
		cgroups=("$cgroup" "${cgroups[@]}")
	fi
	# shellcheck disable=SC2016 # for the inner shell
	sh -c '[ -z "$1" ] || echo $$ >"$1/cgroup.procs" || exit 1; exec unshare -n sleep 600' sh "$cgroup" &
	ct_pid=$!
	pids+=("$ct_pid")
	poll_until 5 netns_differs "$ct_pid" || fail "process $ct_pid did not get a netns of its own"
	ip link add name "$hostif" up type veth peer name eth0 netns "$ct_pid" || return
	nsenter --net="/proc/$ct_pid/ns/net" ip -batch - <<-EOF
		link set dev lo up
		link set dev eth0 up
		addr add $addr dev eth0
	EOF
}

# shellcheck disable=SC2317 # called through poll_until
netns_differs() { # process $1 is in another netns than this shell
	[[ $(readlink "/proc/$1/ns/net") != "$(readlink /proc/self/ns/net)" ]]
}

ino_of() { # the netns inode of process $1
	local l
	l=$(readlink "/proc/$1/ns/net") && l=${l#net:[} && echo "${l%]}"
}

mod_load allow=10.1.0.0/16
ct_create web vweb
ct_addr web 10.1.0.1/32
unnamed_ct "$cg/lxc.payload.box1" vbox1 10.1.0.2/32
box_ino=$(ino_of "$ct_pid")
unnamed_ct "$cg/machine.slice/machine-db\\x2d1.scope" vdb1 10.1.0.3/32
db_ino=$(ino_of "$ct_pid")
unnamed_ct "" vnoname 10.1.0.4/32
none_ino=$(ino_of "$ct_pid")
web_ino=$(stat -L -c %i /run/netns/web)
grep -qx "0::/lxc.payload.box1" "/proc/${pids[0]}/cgroup" || fail "box1's process is not in lxc.payload.box1: $(cat "/proc/${pids[0]}/cgroup")"

# shellcheck disable=SC2317 # called through wait_for
four_installed() {
	[[ $(vzr show -j | jq '[.[] | select(.state == "installed")] | length') == 4 ]]
}
wait_for four_installed

got=$(vzr show -j | jq -c '[.[] | {address, container, container_source, container_netns}] | sort_by(.address)')
want=$(jq -c -n --argjson w "$web_ino" --argjson b "$box_ino" --argjson d "$db_ino" --argjson n "$none_ino" '[
	{address: "10.1.0.1", container: "web", container_source: "netns", container_netns: $w},
	{address: "10.1.0.2", container: "box1", container_source: "lxc", container_netns: $b},
	{address: "10.1.0.3", container: "db-1", container_source: "machine", container_netns: $d},
	{address: "10.1.0.4", container: ($n | tostring), container_source: "inode", container_netns: $n}]')
[[ $got == "$want" ]] || fail "show -j names:"$'\n'"  got:  $got"$'\n'"  want: $want"
ok "show -j: web by ip netns, box1 by its LXC cgroup, db-1 by its machine scope, the unnamed one by inode $none_ino"

table=$(vzr show)
for row in "10.1.0.1 web/eth0 vweb" "10.1.0.2 box1/eth0 vbox1" "10.1.0.3 db-1/eth0 vdb1" \
	"10.1.0.4 $none_ino/eth0 vnoname"; do
	read -r a c h <<<"$row"
	grep -Eq "^${a//./\\.} +$c +$h +installed " <<<"$table" || fail "show: no line \"$a $c $h installed\":"$'\n'"$table"
done
ok "show: the CONTAINER column names them the same way"

# A name given later is used at once: the tool looks it up on every run.
ip netns attach later "${pids[2]}"
_VZR_NSS+=(later)
[[ $(vzr show -j | jq -r '.[] | select(.address == "10.1.0.4") | "\(.container) \(.container_source)"') == "later netns" ]] ||
	fail "after ip netns attach later: $(vzr show -j | jq -c '.[] | select(.address == "10.1.0.4")')"
ok "ip netns attach: the inode becomes the name"
check_kernel_log
pass
