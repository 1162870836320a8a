#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side driver of "make check"; also runs on its own: tests/check.sh
#
# Steps, each reported as it ends ("ok - NAME" / "not ok - NAME" with the
# reasons indented below):
#   packages    install what is missing (apt-get, noninteractive)
#   module      make module KDIR=/lib/modules/<kver>/build
#   sparse      make sparse
#   checkpatch  make checkpatch
#   vm          one QEMU boot running tests/guest/suite.sh; then one line per
#               integration test, printed as the guest reports it
# The last line is exactly "N passed, N failed".  Skipped tests ("skip -")
# count as neither, and are never passes.  The exit status is non-zero when
# anything failed or when the VM reported no test result at all.
#
# Environment:
#   VZR_TESTS=REGEX        run only the integration tests whose name matches
#   VZR_TEST_DIR=DIR       run DIR/*.sh instead of tests/integration/*.sh
#   VZR_CACHE=DIR          cache and log directory (default /var/cache/vzroute-test)
#   VZR_TEST_TIMEOUT=SECS  per-test limit inside the guest (default 120)
#   VZR_VM_TIMEOUT=SECS    limit for the whole VM (default from the test count)
#   VZR_KVER=VERSION       kernel to build against and boot (default newest)
#   VZR_VERBOSE=1          also copy the guest console to stdout
# Every VZR_* variable is passed on to the guest.

set -uo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
VM=$ROOT/tests/vm
npass=0
nfail=0
nskip=0

say() { printf '%s\n' "$*"; }

# report VERDICT NAME [REASONS]: print one result line and count it.
report() {
	local verdict=$1 name=$2 reasons=${3-} line
	say "$verdict - $name"
	if [[ -n $reasons ]]; then
		while IFS= read -r line; do
			say "  $line"
		done <<<"$reasons"
	fi
	case $verdict in
	ok) npass=$((npass + 1)) ;;
	skip) nskip=$((nskip + 1)) ;;
	*) nfail=$((nfail + 1)) ;;
	esac
}

finish() {
	((nskip == 0)) || say "# $nskip skipped (not counted as passed)"
	say "$npass passed, $nfail failed"
	((nfail == 0)) || exit 1
	exit 0
}

cache_dir() {
	local d=${VZR_CACHE:-/var/cache/vzroute-test}
	if ! mkdir -p "$d" 2>/dev/null || [[ ! -w $d ]]; then
		[[ -z ${VZR_CACHE:-} ]] || return 1
		d=${XDG_CACHE_HOME:-$HOME/.cache}/vzroute-test
		mkdir -p "$d" || return 1
	fi
	printf '%s\n' "$d"
}

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

# tail_of FILE: the end of a log, for a failure report.
tail_of() {
	tail -n "${2:-40}" "$1" 2>/dev/null
}

cache=$(cache_dir) || { say "check.sh: no writable cache directory (VZR_CACHE)" >&2; report "not ok" setup "no writable cache directory"; finish; }
mkdir -p "$cache/runs"
logs=$(mktemp -d "$cache/runs/check.XXXXXX")
say "# check.sh: logs in $logs"

###########################################################################
# (a) packages

packages=(linux-image-amd64 linux-headers-amd64 qemu-system-x86 busybox-static
	  iproute2 iputils-ping jq sparse kmod cpio libmnl-dev linux-source-6.1)
missing=()
for p in "${packages[@]}"; do
	[[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == "install ok installed" ]] || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
	report ok packages
else
	sudo=()
	if [[ $(id -u) -ne 0 ]]; then
		if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
			sudo=(sudo -n)
		fi
	fi
	if [[ $(id -u) -ne 0 && ${#sudo[@]} -eq 0 ]]; then
		report "not ok" packages "missing: ${missing[*]} (not root, no sudo: install them by hand)"
	elif { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends "${missing[@]}"; } >"$logs/apt.log" 2>&1; then
		report ok packages "installed: ${missing[*]}"
	else
		report "not ok" packages "apt-get install ${missing[*]} failed ($logs/apt.log):"$'\n'"$(tail_of "$logs/apt.log" 20)"
	fi
fi

kver=${VZR_KVER:-$(newest_kernel || true)}
if [[ -z $kver ]]; then
	report "not ok" kernel "no installed kernel (/boot/vmlinuz-* with modules in /lib/modules)"
	finish
fi
kdir=/lib/modules/$kver/build
say "# kernel $kver"

###########################################################################
# (b) module, (c) sparse and checkpatch

# checkpatch.pl is not in the headers package: take it (and the files it
# reads) from Debian's kernel source tarball, once, into the cache.
checkpatch=$cache/linux-source-6.1/scripts/checkpatch.pl
if [[ ! -f $checkpatch ]]; then
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$cache" \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch \
		>"$logs/checkpatch-extract.log" 2>&1 || rm -f "$checkpatch"
fi

make_step() {
	local name=$1 target=$2
	if make -C "$ROOT" "$target" KDIR="$kdir" CHECKPATCH="$checkpatch" \
		>"$logs/$name.log" 2>&1; then
		report ok "$name"
		return 0
	fi
	report "not ok" "$name" "make $target failed ($logs/$name.log):"$'\n'"$(tail_of "$logs/$name.log" 40)"
	return 1
}

module_ok=1
make_step module module || module_ok=0
make_step sparse sparse || true
make_step checkpatch checkpatch || true

###########################################################################
# (d) the VM

pattern=${VZR_TESTS:-}
test_timeout=${VZR_TEST_TIMEOUT:-120}
ntests=0
for t in "${VZR_TEST_DIR:-$ROOT/tests/integration}"/*.sh; do
	[[ -f $t ]] || continue
	name=$(basename "$t" .sh)
	if [[ -n $pattern ]] && ! [[ $name =~ $pattern ]]; then
		continue
	fi
	ntests=$((ntests + 1))
done
vm_timeout=${VZR_VM_TIMEOUT:-$((180 + ntests * (test_timeout + 60)))}

# A stale vzroute.ko from an earlier build must not be tested. The guest
# loads a copy without debug information, as DKMS and modules_install
# strip it: 30 times smaller, which makes insmod under emulation fast.
if ((!module_ok)); then
	export VZR_KO="$logs/vzroute.ko-not-built"
elif strip --strip-debug -o "$logs/vzroute.ko" "$ROOT/vzroute.ko"; then
	export VZR_KO="$logs/vzroute.ko"
fi
export VZR_TEST_TIMEOUT=$test_timeout

result=$logs/vm-result
console=$logs/console.log
: >"$result"
done_flag=$logs/.vm-done

# Print the guest's result lines as they arrive.
follow_results() {
	local line buf='' last=0
	exec 3<"$result"
	while :; do
		[[ -e $done_flag ]] && last=1
		while IFS= read -r -u 3 line; do
			line=$buf$line
			buf=''
			case $line in
			'ok - '* | 'not ok - '* | 'skip - '* | '  '*) say "$line" ;;
			esac
		done
		buf+=$line
		((last)) && break
		sleep 0.5
	done
	exec 3<&-
}

say "# vm: $ntests test(s)${pattern:+ matching /$pattern/}, timeout ${vm_timeout}s; console: $console"
follow_results &
follower=$!
run_args=(-k "$kver" -t "$vm_timeout" -r "$result")
if [[ ${VZR_VERBOSE:-0} == 1 ]]; then
	"$VM/run.sh" "${run_args[@]}" "$ROOT/tests/guest/suite.sh" ${pattern:+"$pattern"} \
		2> >(tee "$logs/run.err" >&2) | tee "$console"
	vm_rc=${PIPESTATUS[0]}
else
	"$VM/run.sh" "${run_args[@]}" -l "$console" "$ROOT/tests/guest/suite.sh" ${pattern:+"$pattern"} \
		2>"$logs/run.err"
	vm_rc=$?
fi
touch "$done_flag"
wait "$follower"

# Count from the complete result file.
declare -A seen=()
planned=()
running=
reported=0
exit_line=
while IFS= read -r line; do
	case $line in
	'# planned '*) planned+=("${line#'# planned '}") ;;
	'# running '*) running=${line#'# running '} ;;
	'ok - '*) npass=$((npass + 1)); seen[${line#ok - }]=1; reported=$((reported + 1)) ;;
	'not ok - '*) nfail=$((nfail + 1)); seen[${line#not ok - }]=1; reported=$((reported + 1)) ;;
	'skip - '*) nskip=$((nskip + 1)); seen[${line#skip - }]=1; reported=$((reported + 1)) ;;
	exit=*) exit_line=$line ;;
	esac
done <"$result"

for name in "${planned[@]}"; do
	[[ -z ${seen[$name]-} ]] || continue
	if [[ $name == "$running" ]]; then
		report "not ok" "$name" "no result: the VM crashed or hung while this test ran (see $console)"
	else
		report "not ok" "$name" "not run: the VM stopped before"
	fi
	seen[$name]=1
done

# Problems of the VM itself: what run.sh reported (with the indented lines
# that follow), and what the guest said outside test results.
vm_problems=
inblock=0
while IFS= read -r line; do
	case $line in
	'run.sh: FAIL'* | 'run.sh: guest /init failed'*)
		vm_problems+=${line#run.sh: }$'\n'
		inblock=1 ;;
	'    '*) ((inblock)) && vm_problems+=$line$'\n' ;;
	*) inblock=0 ;;
	esac
done <"$logs/run.err"
while IFS= read -r line; do
	case $line in
	'# no test'* | 'init-error: '*) vm_problems+=${line#\# }$'\n' ;;
	esac
done <"$result"
if [[ -z $exit_line && -z $vm_problems ]]; then
	vm_problems+="the guest reported no exit status (run.sh status $vm_rc)"$'\n'
fi
if ((reported == 0)); then
	vm_problems+="the VM produced no test result"$'\n'
fi
if [[ -n $vm_problems ]]; then
	report "not ok" vm "${vm_problems}console: $console"
else
	report ok vm
fi
if ((nfail > 0)); then
	say "# console log of the guest: $console"
fi
finish
