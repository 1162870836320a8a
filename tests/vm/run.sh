#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the installed Debian kernel under QEMU (TCG) with the host's root
# filesystem shared read-only over virtio-9p and run one guest script in it.
#
# usage: run.sh [-k KVER] [-m MEM] [-c CPUS] [-t TIMEOUT] [-l CONSOLE_LOG]
#               [-r RESULT_FILE] [-a KERNEL_ARGS] GUEST_SCRIPT [ARGS...]
#   -k KVER         kernel version (default: newest /boot/vmlinuz-* that has
#                   modules in /lib/modules)
#   -m MEM          guest memory in MiB (default 1024)
#   -c CPUS         guest CPUs (default 2)
#   -t TIMEOUT      wall-clock limit for the whole VM in seconds
#                   (default $VZR_VM_TIMEOUT or 600)
#   -l CONSOLE_LOG  write the serial console to this file instead of stdout
#   -r RESULT_FILE  where the guest's second serial port (/dev/ttyS1) goes
#                   (default: a file in the run directory)
#   -a KERNEL_ARGS  extra kernel command line (also $VZR_KERNEL_ARGS)
#   -K KERNEL_DIR   boot the test kernel that tests/kernel/build.sh left in
#                   KERNEL_DIR (bzImage, kernelrelease, modroot/) instead
#                   of an installed one; the guest sees its modules
#                   directory at /lib/modules
#
# VZR_TCG_THREAD=single|multi: how QEMU runs the guest's CPUs (-accel
# tcg,thread=...): multi, QEMU's own default for an x86 guest here, gives
# each guest CPU a host thread; single runs them all, in turns, on one.
# Unset: QEMU's default.  tests/check.sh sets it for each of its VMs
# (tcg_thread, lane_thread say how and why).
#
# GUEST_SCRIPT is a path on the host; the guest sees the host's root at the
# same path.  ARGS, the current directory and every VZR_* environment
# variable are handed to the guest through files in a run directory under
# ${VZR_CACHE:-/var/cache/vzroute-test}/runs.
#
# The guest (see mkinitrd.sh) has the host's root read-only, with fresh
# tmpfs on /tmp, /run (and /run/netns), /var/tmp and /dev/shm, a writable
# copy of /etc/iproute2, devtmpfs, proc, sysfs and debugfs; a guest script
# kept under /tmp, /var/tmp or /run on the host is therefore not visible.
#
# Exit status: the guest script's, read from the last "exit=N" line on
# ttyS1.  124: the VM hit the timeout without reporting; 125: the VM ended
# without reporting (kernel panic, QEMU or /init failure).  A kernel oops,
# panic or warning on the console is reported, and turns a 0 into 1.

set -euo pipefail

here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
kver=
kernel_dir=
mem=1024
cpus=2
vm_timeout=${VZR_VM_TIMEOUT:-600}
console_log=
result=
extra_args=${VZR_KERNEL_ARGS:-}
tcg_thread=${VZR_TCG_THREAD:-}

usage() {
	awk 'NR >= 7 && /^#/ { sub(/^# ?/, ""); print; next } NR >= 7 { exit }' "$here/run.sh" >&2
	exit "${1:-2}"
}

msg() { printf 'run.sh: %s\n' "$*" >&2; }

# shellcheck source=tests/lib/host.sh
. "$here/../lib/host.sh"

# Quote a string for a POSIX shell (the guest's /init is busybox ash).
shquote() {
	local s=$1 q="'\\''"
	printf "'%s'" "${s//\'/$q}"
}

while getopts 'k:K:m:c:t:l:r:a:h' opt; do
	case $opt in
	k) kver=$OPTARG ;;
	m) mem=$OPTARG ;;
	c) cpus=$OPTARG ;;
	t) vm_timeout=$OPTARG ;;
	l) console_log=$OPTARG ;;
	r) result=$OPTARG ;;
	a) extra_args+=" $OPTARG" ;;
	K) kernel_dir=$(readlink -f "$OPTARG") ;;
	h) usage 0 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[[ $# -ge 1 ]] || usage
case $tcg_thread in
'' | single | multi) ;;
*) msg "VZR_TCG_THREAD must be single or multi, not \"$tcg_thread\""; exit 2 ;;
esac

script=$(readlink -f "$1")
shift
[[ -f $script ]] || { msg "guest script $script not found"; exit 2; }
case $script in
*[[:space:]\"]*) msg "guest script path must not contain blanks or quotes: $script"; exit 2 ;;
/tmp/* | /var/tmp/* | /run/* | /dev/* | /proc/* | /sys/*)
	msg "guest script $script is not visible in the guest (it mounts its own ${script%"${script#/*/}"})"
	exit 2 ;;
esac

if [[ -n $kernel_dir ]]; then
	# A test kernel (tests/kernel/build.sh): its own modules directory.
	kver=$(<"$kernel_dir/kernelrelease") || { msg "$kernel_dir is not a kernel built by tests/kernel/build.sh"; exit 2; }
	kmoddir=$kernel_dir/modroot/lib/modules
	kernel=$kernel_dir/bzImage
	extra_args+=" vzr.modules=$kmoddir"
fi
if [[ -z $kver ]]; then
	kver=$(newest_kernel) || { msg "no installed kernel found (/boot/vmlinuz-* with /lib/modules)"; exit 2; }
fi
[[ -n $kernel_dir ]] || kernel=/boot/vmlinuz-$kver
[[ -r $kernel ]] || { msg "cannot read $kernel"; exit 2; }
qemu=${VZR_QEMU:-qemu-system-x86_64}
command -v "$qemu" >/dev/null || { msg "$qemu not found (install qemu-system-x86)"; exit 2; }

if [[ -n $kernel_dir ]]; then
	initrd=$("$here/mkinitrd.sh" -k "$kver" -m "$kmoddir/$kver")
else
	initrd=$("$here/mkinitrd.sh" -k "$kver")
fi
cache=$(dirname "$initrd")

mkdir -p "$cache/runs"
# Run directories older than a day are leftovers of earlier runs.
find "$cache/runs" -mindepth 1 -maxdepth 1 -name 'run.*' -mmin +1440 -exec rm -rf {} + 2>/dev/null || true
rundir=$(mktemp -d "$cache/runs/run.XXXXXX")
chmod 755 "$rundir"
case $rundir in
*[[:space:]\"]*) msg "cache path must not contain blanks or quotes: $rundir"; exit 2 ;;
esac

{
	printf 'set --'
	for a in "$@"; do
		printf ' '
		shquote "$a"
	done
	printf '\n'
} >"$rundir/args"
{
	while IFS= read -r name; do
		[[ $name == VZR_* ]] || continue
		printf 'export %s=' "$name"
		shquote "${!name}"
		printf '\n'
	done < <(compgen -e)
} >"$rundir/env"
printf '%s\n' "$PWD" >"$rundir/cwd"

[[ -n $result ]] || result=$rundir/result
: >"$result"
result=$(readlink -f "$result")
own_log=$rundir/console.log
[[ -n $console_log ]] && own_log=$console_log
: >"$own_log"

# quiet, but warnings (level 4) and worse still reach the console ("quiet"
# must come before "loglevel", the last one wins).
# no_timer_check: under emulation on a loaded host the IO-APIC timer
# check can miss its window and panic the guest at boot.
append="console=ttyS0,115200 panic=-1 quiet loglevel=5 no_timer_check"
append+=" vzr.cmd=$script vzr.run=$rundir $extra_args"

# shellcheck disable=SC2054 # commas belong to QEMU options
qemu_cmd=(
	timeout -k 10 "$vm_timeout"
	"$qemu" -machine q35 ${tcg_thread:+-accel "tcg,thread=$tcg_thread"}
	-cpu max -m "$mem" -smp "$cpus"
	-nographic -no-reboot -net none -monitor none
	-kernel "$kernel" -initrd "$initrd" -append "$append"
	-fsdev "local,id=root,path=/,security_model=none,readonly=on,multidevs=remap"
	-device virtio-9p-pci,fsdev=root,mount_tag=root
	-chardev stdio,id=con,signal=off -serial chardev:con
	-chardev "file,id=res,path=$result" -serial chardev:res
)

start=$EPOCHREALTIME
set +e
if [[ -n $console_log ]]; then
	"${qemu_cmd[@]}" </dev/null >"$own_log" 2>&1
	qrc=$?
else
	"${qemu_cmd[@]}" </dev/null 2>&1 | tee "$own_log"
	qrc=${PIPESTATUS[0]}
	echo # the console's last line has no newline
fi
set -e
end=$EPOCHREALTIME
elapsed=$(( (${end/./} - ${start/./}) / 1000 ))
secs=$(printf '%d.%03d' $((elapsed / 1000)) $((elapsed % 1000)))

# ttyS1 is set raw by /init; strip carriage returns anyway.
sed -i 's/\r$//' "$result"

status=
line=$(grep -a '^exit=[0-9]*$' "$result" | tail -n 1) && status=${line#exit=}
init_err=$(grep -a '^init-error: ' "$result" || true)

# Kernel reports on the console: only lines printed by the kernel (they carry
# the printk timestamp), so that test output quoting a log does not count.
oops=$(grep -a -n -E '^\[ *[0-9]+\.[0-9]+\]( \[ *[CT][0-9]+\])? (Kernel panic|Oops|BUG:|WARNING:|KASAN:|UBSAN:|general protection fault|kernel BUG|Call Trace:|unreferenced object)' "$own_log" || true)

rc=0
if [[ -n $init_err ]]; then
	msg "guest /init failed: ${init_err#init-error: }"
fi
if [[ -z $status ]]; then
	if [[ $qrc -eq 124 || $qrc -eq 137 ]]; then
		msg "FAIL: the VM did not finish within ${vm_timeout}s and reported no exit status"
		rc=124
	else
		msg "FAIL: the VM ended (qemu status $qrc) without reporting an exit status: kernel panic or early boot failure?"
		rc=125
	fi
else
	rc=$status
fi
if [[ -n $oops ]]; then
	msg "FAIL: kernel oops/panic/warning on the console ($own_log):"
	printf '%s\n' "$oops" | head -n 40 | sed 's/\r$//; s/^/    /' >&2
	[[ $rc -ne 0 ]] || rc=1
fi
msg "guest script exited with status ${status:-none} after ${secs}s (kernel $kver; console: $own_log; results: $result)"
exit "$rc"
