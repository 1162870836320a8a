#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the test initramfs for the vzroute QEMU harness.
#
# usage: mkinitrd.sh [-k KVER] [-m MODDIR] [-f]
#   -k KVER  kernel version whose modules go in (default: newest
#            /boot/vmlinuz-* that has a /lib/modules/<version> directory)
#   -m MODDIR  take them from MODDIR instead of /lib/modules/KVER (a test
#            kernel that is not installed: tests/kernel/build.sh)
#   -f       rebuild even when a cached image exists
#
# Prints the path of the initramfs on stdout.  The image lives outside the
# checkout, in ${VZR_CACHE:-/var/cache/vzroute-test}, named after the kernel
# version and a hash of this script (the guest's /init is embedded below, so
# editing it invalidates the cache).
#
# The image holds busybox-static (with its applets), the modules needed to
# reach the host's root filesystem over virtio-9p (decompressed when the
# distribution ships them compressed: busybox insmod takes plain .ko files)
# and /init.  /init mounts the host root read-only at /mnt, sets up the
# writable bits a test needs, chroots there and runs the command named by
# vzr.cmd= on the kernel command line; see the embedded script for details.

set -euo pipefail

self=$(readlink -f "${BASH_SOURCE[0]}")
kver=
moddir_opt=
force=0

# shellcheck source=tests/lib/host.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib/host.sh"

while getopts 'k:m:fh' opt; do
	case $opt in
	k) kver=$OPTARG ;;
	m) moddir_opt=$OPTARG ;;
	f) force=1 ;;
	h) sed -n '6,12p' "$self" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[[ $# -eq 0 ]] || { echo "mkinitrd: unexpected argument: $1" >&2; exit 2; }

if [[ -z $kver ]]; then
	kver=$(newest_kernel) || { echo "mkinitrd: no kernel found in /boot with modules in /lib/modules" >&2; exit 1; }
fi
moddir=${moddir_opt:-/lib/modules/$kver}
[[ -d $moddir ]] || { echo "mkinitrd: $moddir does not exist" >&2; exit 1; }

cache=$(cache_dir)
# (-m: the directory is part of the name; without it the hash is the
# script's alone)
hash=$({ cat "$self"; printf '%s' "$moddir_opt"; } | sha256sum | cut -c1-12)
out=$cache/initramfs-$kver-$hash.cpio

if [[ $force -eq 0 && -s $out ]]; then
	printf '%s\n' "$out"
	exit 0
fi

# busybox-static installs a statically linked /bin/busybox; a dynamically
# linked one (package busybox) would not run in the initramfs.
busybox=
for b in /bin/busybox /usr/bin/busybox; do
	[[ -x $b ]] || continue
	if LC_ALL=C ldd "$b" >/dev/null 2>&1; then
		continue
	fi
	busybox=$b
	break
done
[[ -n $busybox ]] || { echo "mkinitrd: no statically linked busybox (install busybox-static)" >&2; exit 1; }

stage=$(mktemp -d "$cache/.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,dev,proc,sys,mnt,tmp,lib/modules,stage}
cp "$busybox" "$stage/bin/busybox"
for applet in $("$stage/bin/busybox" --list); do
	[[ $applet == busybox || -e $stage/bin/$applet ]] || ln -s busybox "$stage/bin/$applet"
done
# A console node for the kernel to open before /init runs; the kernel's
# built-in initramfs normally provides one, this is belt and braces.
mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true

# Modules, in load order: what reaching the host's root over virtio-9p
# needs (the 9p filesystem, its virtio transport, the virtio PCI bus),
# with their dependencies read from the kernel's modules.dep, so that a
# kernel that splits or merges them (6.12: fscache is part of netfs) needs
# no list of its own here.  A module built into the kernel
# (modules.builtin) is left out; one that is neither is an error.
wanted=(virtio_pci 9pnet_virtio 9p)
depfile=$moddir/modules.dep
declare -A dep_path=() dep_of=() done_mod=()
if [[ -f $depfile ]]; then
	while IFS= read -r line; do
		key=${line%%:*}
		m=${key##*/}
		m=${m%%.ko*}
		m=${m//-/_}
		dep_path[$m]=$key
		dep_of[$m]=${line#*:}
	done <"$depfile"
fi
order=()
# add_mod NAME: NAME's dependencies first, then NAME.
add_mod() {
	local m=${1//-/_} d
	[[ -z ${done_mod[$m]-} ]] || return 0
	done_mod[$m]=1
	if [[ -z ${dep_path[$m]-} ]]; then
		if grep -qE "/${m//_/[-_]}\.ko\$" "$moddir/modules.builtin" 2>/dev/null; then
			return 0
		fi
		echo "mkinitrd: module $m not found in $depfile and not built in ($moddir/modules.builtin)" >&2
		exit 1
	fi
	for d in ${dep_of[$m]}; do
		d=${d##*/}
		add_mod "${d%%.ko*}"
	done
	order+=("$m")
}
for m in "${wanted[@]}"; do
	add_mod "$m"
done
: >"$stage/modules.list"
for m in "${order[@]}"; do
	f=$moddir/${dep_path[$m]}
	[[ ${dep_path[$m]} == /* ]] && f=${dep_path[$m]}
	[[ -f $f ]] || { echo "mkinitrd: $f (modules.dep) does not exist" >&2; exit 1; }
	# busybox insmod takes plain .ko files: decompress.
	case $f in
	*.ko.xz) xz -dc "$f" >"$stage/lib/modules/$m.ko" ;;
	*.ko.zst) zstd -qdc "$f" >"$stage/lib/modules/$m.ko" ;;
	*.ko.gz) gzip -dc "$f" >"$stage/lib/modules/$m.ko" ;;
	*) cp "$f" "$stage/lib/modules/$m.ko" ;;
	esac || { echo "mkinitrd: cannot decompress $f" >&2; exit 1; }
	echo "$m" >>"$stage/modules.list"
done
echo "mkinitrd: $kver: ${order[*]:-(all built in)}" >&2

cat >"$stage/init" <<'EOF'
#!/bin/busybox sh
# /init of the vzroute test initramfs (generated by tests/vm/mkinitrd.sh).
#
# Kernel command line:
#   vzr.cmd=PATH   command to run in the chroot (absolute path on the host
#                  filesystem, which the guest sees at the same path)
#   vzr.run=DIR    optional run directory written by run.sh, holding
#                  'args' (sourced: "set -- ..."), 'env' (sourced: export
#                  lines) and 'cwd' (one line)
#   vzr.9pcache=M  9p cache mode (default loose: the export is read-only and
#                  the host does not change it while the guest runs)
#   vzr.modules=DIR  shown at /lib/modules in the guest instead of the host's
#                  (a test kernel that is not installed, run.sh -K)
# The command's output goes to the console; it may write result lines to
# /dev/ttyS1.  When it ends, /init writes "exit=<status>" to /dev/ttyS1 and
# powers the machine off.
export PATH=/bin
RES=/dev/ttyS1

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

stty -F $RES raw -echo 2>/dev/null

finish() {
	# $1: status to report.  Make sure the serial ports are drained before
	# the machine is switched off: stty's TCSADRAIN waits for that.
	echo "exit=$1" >$RES
	stty -F $RES raw -echo 2>/dev/null
	stty -F /dev/console -tostop 2>/dev/null
	sync
	poweroff -f
	sleep 5
	echo o >/proc/sysrq-trigger
}

die() {
	echo "vzr-init: $*" >&2
	echo "init-error: $*" >$RES
	finish 125
}

cmd= run= cache=loose modules=
for w in $(cat /proc/cmdline); do
	case $w in
	vzr.cmd=*) cmd=${w#vzr.cmd=} ;;
	vzr.run=*) run=${w#vzr.run=} ;;
	vzr.9pcache=*) cache=${w#vzr.9pcache=} ;;
	vzr.modules=*) modules=${w#vzr.modules=} ;;
	esac
done

for m in $(cat /modules.list); do
	insmod /lib/modules/$m.ko 2>/tmp/insmod.err || {
		grep -q 'File exists' /tmp/insmod.err || { echo "vzr-init: insmod $m failed:"; cat /tmp/insmod.err; } >&2
	}
done

mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=$cache root /mnt ||
	die "cannot mount the host root over 9p"

# Writable and virtual filesystems inside the read-only root.
mount -t proc proc /mnt/proc || die "mount /proc"
mount -t sysfs sysfs /mnt/sys || die "mount /sys"
mount -t devtmpfs devtmpfs /mnt/dev || die "mount /dev"
mkdir -p /mnt/dev/pts /mnt/dev/shm
# What udev would add: bash's process substitution needs /dev/fd.
ln -s /proc/self/fd /mnt/dev/fd
ln -s /proc/self/fd/0 /mnt/dev/stdin
ln -s /proc/self/fd/1 /mnt/dev/stdout
ln -s /proc/self/fd/2 /mnt/dev/stderr
mount -t devpts -o newinstance,ptmxmode=0666 devpts /mnt/dev/pts 2>/dev/null
mount -t tmpfs -o mode=1777 shm /mnt/dev/shm
mount -t tmpfs -o mode=1777 tmp /mnt/tmp || die "mount /tmp"
mount -t tmpfs -o mode=0755 run /mnt/run || die "mount /run"
mkdir -p /mnt/run/netns /mnt/run/lock /mnt/run/vzroute
mount -t tmpfs -o mode=1777 vartmp /mnt/var/tmp || die "mount /var/tmp"
mount -t debugfs debugfs /mnt/sys/kernel/debug 2>/dev/null ||
	echo "vzr-init: warning: cannot mount debugfs" >&2
mount -t cgroup2 cgroup2 /mnt/sys/fs/cgroup 2>/dev/null
# A writable copy of /etc/iproute2 (tests drop files in rt_protos.d); the
# pristine copy stays in /run/vzroute/iproute2.orig for resets.
if [ -d /mnt/etc/iproute2 ]; then
	cp -a /mnt/etc/iproute2/. /stage/
	mount -t tmpfs -o mode=0755 iproute2 /mnt/etc/iproute2 &&
		cp -a /stage/. /mnt/etc/iproute2/ &&
		mkdir -p /mnt/run/vzroute/iproute2.orig &&
		cp -a /stage/. /mnt/run/vzroute/iproute2.orig/ ||
		echo "vzr-init: warning: /etc/iproute2 is not writable" >&2
else
	echo "vzr-init: warning: no /etc/iproute2 on the host; not made writable" >&2
fi
if [ -n "$modules" ]; then
	mount -o bind "/mnt$modules" /mnt/lib/modules ||
		die "cannot show $modules at /lib/modules"
fi
ip link set lo up
hostname vzr-guest

[ -n "$cmd" ] || die "no vzr.cmd= on the kernel command line"
[ -e "/mnt$cmd" ] || die "command $cmd not found in the guest"

set --
cwd=/
if [ -n "$run" ]; then
	[ -f "/mnt$run/env" ] && . "/mnt$run/env"
	[ -f "/mnt$run/args" ] && . "/mnt$run/args"
	[ -f "/mnt$run/cwd" ] && read -r cwd <"/mnt$run/cwd"
fi
export HOME=/tmp TERM=${TERM:-dumb}
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
if [ -x "/mnt$cmd" ]; then
	set -- "$cmd" "$@"
else
	set -- /bin/sh "$cmd" "$@"
fi
# Make the host root the root of the mount namespace rather than a plain
# chroot: the kernel refuses user namespaces to chrooted processes, and the
# tests need them (root in a container with its own user namespace). This
# shell keeps the initramfs as its root, for finish().
cd /mnt && mount --move . / || die "cannot move the host root to /"
chroot . /bin/sh -c 'cd "$0" 2>/dev/null || cd /; exec "$@"' "$cwd" "$@" </dev/console >/dev/console 2>&1
finish $?
EOF
chmod 755 "$stage/init"

tmp=$(mktemp "$cache/.initramfs.XXXXXX")
(cd "$stage" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) >"$tmp"
chmod 644 "$tmp"
mv -f "$tmp" "$out"
# Drop images of older versions of this script for the same kernel.
for old in "$cache"/initramfs-"$kver"-*.cpio; do
	[[ $old == "$out" ]] || rm -f "$old"
done
printf '%s\n' "$out"
