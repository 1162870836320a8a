#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side driver of "make check"; also runs on its own: tests/check.sh
#
# The kernels: the integration tests run on three of Debian 12's own
# kernels, installed by apt-get like every other dependency
# (tests/lib/deps.sh), each booted with vzroute.ko and the venet emulator
# built against its own headers; result lines carry the kernel's label:
#   6.1      Debian 12's default kernel (linux-image-amd64): every test
#            but the three with stall bounds (STALL_TESTS: 40, 43, 61),
#            so that its guest's CPUs may run in turns (lane_thread);
#            6.1-stall runs those.  Also the primary kernel, against
#            which sparse, checkpatch, make install, the feature probes,
#            DKMS and the packages run
#   6.12     Debian 12's 6.12 (linux-image-6.12-amd64): the harness, and
#            what its RT flavour, below, does not run of the suite:
#            25-dump-10k, 33-venet-frr and the LAN tests (6*) but
#            61-lan-migrate (a stall test: 6.1-stall), so that its guest's
#            CPUs may run in turns too.  The two
#            flavours are built from the same source and headers, so
#            vzroute's compatibility code is the same on both; RT, where
#            spinlocks sleep, takes the core, genl, venet and hostile
#            scenarios (0*-4*) for the pair.  Not 5* (FRR, BIRD: the
#            routing daemons' side, which vzroute reaches through the same
#            route changes 1* check), 46-soak (60 s of random churn), 90-
#            scale, the tool's own output (20, 23, 29: userspace, the
#            same on every kernel), 25-table-grow and 25-table-devices
#            (36,000 addresses, 1,100 devices, for the same code on every
#            kernel) nor 43-hostile-flood: 6.1,
#            6.1-flood and 6.1-stall run them.  For "make check" from scratch's
#            hour (README, Tests)
#   6.12-rt  its PREEMPT_RT flavour (linux-image-6.12-rt-amd64): 0*-4*,
#            the harness, core, genl, venet and hostile scenarios, where
#            spinlocks sleep and softirqs run in threads; not
#            25-dump-10k, 25-table-*, 43-hostile-flood and 46-soak
#            (their scale and length; 28 interrupts dumps here), the
#            tool's own output (20, 23, 29: userspace, the same on every
#            kernel), 33-venet-frr,
#            47 and 48 (the debug kernel's), 49-hostile-dump (a dump
#            that returns before it locks anything, the same on every
#            kernel), 49-hostile-carrier (a filter on an event, the
#            same on every kernel), 49-hostile-elect and
#            49-hostile-recount (decisions under vzr_lock alone, the
#            same on every kernel),
#            49-hostile-tentative (the poll 10-addresses takes there
#            too), 5*, 6* nor 90-scale, for the same budget; nor
#            40-hostile-nested, whose stall bounds it missed twice in
#            2026-12-06's make check runs beside the debug VM (three
#            host threads on two cores: 4,945 ms against 2,289), and
#            met alone (238 ms): 6.1-stall runs it
#   6.1-flood  6.1 again, in a VM of its own: 43-hostile-flood at the
#            scale of issue #14 (VZR_FLOOD_SCALE=issue, 80,000 addresses
#            in one container), its container left to the power-off
#            (VZR_SUITE_KEEP=1, tests/guest/suite.sh); the module of 6.1's
#            lane
#   6.1-stall  6.1 again: the three tests with stall bounds that the 6.1,
#            6.12 and 6.12-rt lanes leave out (6.12-rt only 40), 40, 43
#            (at its default scale, where its teardown is checked) and
#            61, in a guest with a host thread per CPU
#   debug    the debug kernel of tests/check-debug.sh (6.1 with KASAN,
#            lockdep...): KUnit and a subset of 1*-4*
# The VMs run as jobs, two at a time (VZR_JOBS), each guest's two CPUs in
# turns on one host thread unless it runs a stall test or runs alone
# (lane_thread).  The debug kernel's job starts first (its kernel build,
# when not cached, is the longest, and starts in the background as soon
# as the packages are in, beside the build checks), the lanes follow as
# jobs end, in the order of VZR_KERNELS.  By default that order puts the
# lanes with a thread per CPU beside the debug kernel's job when that
# kernel is built from scratch (the longest job then): two such guests
# side by side are four busy threads on two cores, and cost both about
# 40% (in a run of bf5633e, 6.1-flood running 40 and 43 beside 6.12
# running 43 and 61).  Results are printed when each job ends.
#
# Steps, each reported as it ends ("ok - NAME" / "not ok - NAME" with the
# reasons indented below):
#   packages    install what is missing (apt-get, noninteractive)
#   module      make module KDIR=/lib/modules/<primary kver>/build
#   sparse      make sparse
#   checkpatch  make checkpatch
#   LABEL: module and venet emulator   for each other lane, against its
#               kernel's headers (scratch copy, W=1 -Werror)
#   dkms, deb   installed as a node would, on the primary kernel
#   LABEL: NAME one line per integration test of the lane's VM, then
#   LABEL: vm   the VM itself: a kernel that panicked (during boot, or
#               while a named test ran) is reported here with its console
#   debug       tests/check-debug.sh -q: the debug kernel (built
#               once, cached), the KUnit suites ("kunit: ..."), the core
#               and genl integration tests on it ("debug: ...") with the
#               kernel log checked after each and kmemleak after the last
#               unload (make kunit, make check-debug run its parts alone)
# A boot whose kernel panicked before any test started (Debian's 6.12
# did, once in eight boots under emulation, 1.5 s in) is booted again
# once (VZR_BOOT_RETRIES), never silently: a "# LABEL: BOOT n PANICKED"
# line at the time, its console kept, and a warning repeated just before
# the last line.  A second panic, or one during a test, fails.
# The last line is exactly "N passed, N failed".  Skipped tests ("skip -")
# count as neither, and are never passes.  The exit status is non-zero when
# anything failed or when the VM reported no test result at all.
#
# Environment:
#   VZR_TESTS=REGEX        run only the integration tests whose name matches
#                          (on each kernel, within its lane's tests)
#   VZR_TEST_DIR=DIR       run DIR/*.sh instead of tests/integration/*.sh
#   VZR_CACHE=DIR          cache and log directory (default /var/cache/vzroute-test)
#   VZR_TEST_TIMEOUT=SECS  per-test limit inside the guest (default 120)
#   VZR_VM_TIMEOUT=SECS    limit for each VM (default from the test count)
#   VZR_KERNELS="LABEL..." the lanes to run, in this order (default
#                          "6.1 6.12-rt 6.1-flood 6.12 6.1-stall"); each
#                          runs its own tests: "6.1" alone leaves out 40,
#                          43 and 61
#   VZR_KVER=VERSION       one kernel only, every test (instead of the lanes)
#   VZR_TCG_THREAD=single|multi  how QEMU runs a guest's two CPUs
#                          (tests/vm/run.sh); default: multi for a guest
#                          that runs a stall test (STALL_TESTS) or when one
#                          VM runs at a time (VZR_JOBS=1, VZR_VERBOSE=1),
#                          single otherwise (lane_thread)
#   VZR_LANES_FULL=1       every lane may run every test (make stress: the
#                          soak on each kernel), VZR_TESTS still choosing;
#                          6.1-flood keeps its test, 6.1-stall is left out
#   VZR_JOBS=N             VMs at a time (default 2)
#   VZR_BOOT_RETRIES=N     boots again after a panic before any test (default 1)
#   VZR_VERBOSE=1          also copy the guest consoles to stderr (one VM at a time)
#   VZR_DEBUG=0            leave out the debug kernel step
#   VZR_DEBUG_TESTS=REGEX  integration tests to run on the debug kernel
#   VZR_KERNEL_ARGS=ARGS   the guests' extra kernel command line (default
#                          mitigations=off, below; empty: none)
# Every VZR_* variable is passed on to the guest.

set -uo pipefail

# The guests run with the CPU vulnerability mitigations off: Debian's
# kernels build them in (retpolines, page table isolation), and under TCG
# each costs emulated work on every indirect call and kernel entry, for
# nothing a test looks at (the debug kernel has them compiled out). 150
# veth pairs added, addressed and deleted in a 6.1 guest took 65 and 68 s
# with them, 59 and 56 s without (2026-12-03).
export VZR_KERNEL_ARGS=${VZR_KERNEL_ARGS-mitigations=off}

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
VM=$ROOT/tests/vm

# say, report, finish and the counters; the same in check-debug.sh.
# shellcheck source=tests/lib/report.sh
. "$ROOT/tests/lib/report.sh"

# shellcheck source=tests/lib/host.sh
. "$ROOT/tests/lib/host.sh"

# test_limit: a test's own time limit, as the guest's suite.sh takes it.
# shellcheck source=tests/lib/limits.sh
. "$ROOT/tests/lib/limits.sh"

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

# The list and the installation are shared with "make demo" (tests/demo.sh).
# shellcheck source=tests/lib/deps.sh
. "$ROOT/tests/lib/deps.sh"
DEPS_PACKAGES+=("${DEPS_CHECK_KERNELS[@]}")
[[ ${VZR_DEBUG:-1} == 0 ]] || DEPS_PACKAGES+=("${DEPS_DEBUG_BUILD[@]}")
deps_missing
if [[ ${#DEPS_MISSING[@]} -eq 0 ]]; then
	report ok packages
elif deps_install "$logs/apt.log"; then
	report ok packages "installed: ${DEPS_MISSING[*]}"
else
	report "not ok" packages "$DEPS_ERROR"
fi

###########################################################################
# (a2) the kernels.  Each lane is one of Debian 12's own kernels (packages
#      in tests/lib/deps.sh) booted with its own build of vzroute.ko and of
#      the venet emulator, running the integration tests LANE_TESTS names
#      (see the header).  VZR_KVER=VERSION: that one kernel, every test.

# label_of VERSION: the name the results carry, "6.1", "6.12", "6.12-rt".
label_of() {
	local l
	l=$(sed -E 's/^([0-9]+\.[0-9]+).*/\1/' <<<"$1")
	[[ $1 == *-rt-* ]] && l+=-rt
	printf '%s\n' "$l"
}

# The lanes: label, how to find the installed kernel (newest matching),
# which tests (ERE on the test name; empty: all).
declare -A LANE_ERE=(
	[6.1]='^6\.1\.[0-9]+-[0-9]+-amd64$'
	[6.12]='^6\.12\.[0-9]+\+deb12-amd64$'
	[6.12-rt]='^6\.12\.[0-9]+\+deb12-rt-amd64$'
)
LANE_ERE[6.1-flood]=${LANE_ERE[6.1]}
LANE_ERE[6.1-stall]=${LANE_ERE[6.1]}
declare -A LANE_TESTS=(
	[6.1]=''
	[6.12]='^(00|25-dump|33|6[0-9])-'
	[6.12-rt]='^([01][0-9]|2[124678]|3[0-24-9]|4[0-245])-|^49-hostile-flap$'
	[6.1-flood]='^43-'
	[6.1-stall]='^(40|43|61)-'
)
# Which of those a lane leaves out (ERE; empty: none): the tests with
# stall bounds (STALL_TESTS), which 6.1-stall runs, so that these lanes'
# guests may run their CPUs in turns (lane_thread).
declare -A LANE_SKIP=(
	[6.1]='^(40|43|61)-'
	[6.12]='^61-'
	[6.12-rt]='^40-'
)
# Lanes whose tests VZR_LANES_FULL does not widen: "keep" runs them as
# ever, "drop" is left out, 6.1 running all of them then.
declare -A LANE_FIXED=(
	[6.1-flood]=keep
	[6.1-stall]=drop
)
# The tests whose bounds are on how long the kernel stalls others (a host's
# ip link add + del under a flood, another container's route, a LAN
# host's neighbour entry): their guest gets a host thread per CPU
# (lane_thread says why).
STALL_TESTS='^(40|43|61)-'
# What a lane's guest gets besides (VZR_* variables, passed on by run.sh).
# The flood at issue scale: its adds alone take minutes under emulation.
declare -A LANE_ENV=(
	[6.1-flood]='VZR_FLOOD_SCALE=issue VZR_SUITE_KEEP=1 VZR_TEST_TIMEOUT=1500'
)
if [[ ${VZR_LANES_FULL:-0} == 1 ]]; then
	for l in "${!LANE_TESTS[@]}"; do
		[[ -n ${LANE_FIXED[$l]-} ]] || LANE_TESTS[$l]='' LANE_SKIP[$l]=''
	done
fi
lanes=() # labels, in order; the first one is the primary kernel
declare -A lane_kver=()
if [[ -n ${VZR_KVER:-} ]]; then
	l=$(label_of "$VZR_KVER")
	lanes=("$l")
	lane_kver[$l]=$VZR_KVER
	LANE_TESTS[$l]='' LANE_SKIP[$l]=''
	[[ -d /lib/modules/$VZR_KVER/kernel && -e /boot/vmlinuz-$VZR_KVER ]] ||
		report "not ok" "kernel $VZR_KVER" "not installed (/boot/vmlinuz-$VZR_KVER, /lib/modules/$VZR_KVER)"
else
	for l in ${VZR_KERNELS:-6.1 6.12-rt 6.1-flood 6.12 6.1-stall}; do
		if [[ -z ${LANE_ERE[$l]-} ]]; then
			report "not ok" "kernel $l" "unknown in VZR_KERNELS (known: ${!LANE_ERE[*]})"
			continue
		fi
		if [[ ${VZR_LANES_FULL:-0} == 1 && ${LANE_FIXED[$l]-} == drop ]]; then
			say "# kernel $l: left out (VZR_LANES_FULL=1: the 6.1 lane runs its tests)"
			continue
		fi
		if ! v=$(kernel_matching "${LANE_ERE[$l]}"); then
			report "not ok" "kernel $l" "no installed kernel matches ${LANE_ERE[$l]} (tests/lib/deps.sh installs it)"
			continue
		fi
		lanes+=("$l")
		lane_kver[$l]=$v
	done
fi
if [[ ${#lanes[@]} -eq 0 ]]; then
	report "not ok" kernel "no kernel to test"
	finish
fi
for l in "${lanes[@]}"; do
	say "# kernel $l: ${lane_kver[$l]}, tests ${LANE_TESTS[$l]:-all}${LANE_SKIP[$l]:+ but ${LANE_SKIP[$l]}}"
done
# The primary kernel: the build checks (sparse, checkpatch, make install),
# the feature probes, DKMS and the packages are done against it.
primary=${lanes[0]}
kver=${lane_kver[$primary]}
kdir=/lib/modules/$kver/build
say "# primary kernel (build checks, DKMS, packages): $kver"

# The debug kernel, when it is not cached, is the longest part of a first
# run: its build starts now, beside the build checks and the packages'
# tests, which leave a core idle much of the time. The debug job's own
# tests/kernel/build.sh waits for it (the build's lock), then finds it
# complete; if it failed, that one builds again and reports the failure.
# In a session of its own, so that check.sh ending for any reason ends it
# (prebuild_stop, from the EXIT trap) rather than leave it holding the
# build's lock.
prebuild=
prebuild_stop() {
	[[ -n $prebuild ]] && kill -0 "$prebuild" 2>/dev/null || return 0
	kill -TERM -- "-$prebuild" 2>/dev/null
	wait "$prebuild" 2>/dev/null
	return 0
}
if [[ ${VZR_DEBUG:-1} != 0 ]] && ! "$ROOT/tests/kernel/build.sh" -n >/dev/null 2>&1; then
	setsid "$ROOT/tests/kernel/build.sh" >/dev/null 2>"$logs/kernel-prebuild.err" &
	prebuild=$!
	trap prebuild_stop EXIT
	trap 'exit 130' INT TERM
	say "# debug kernel: build started in the background ($logs/kernel-prebuild.err)"
fi

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

# The module is built with the venet emulator's OpenVZ headers
# (tests/venet/include), so that its venet IP map code is compiled, checked
# and tested as on an OpenVZ kernel (the DKMS and package steps below build
# it as a node without venet would).
venet_inc=$ROOT/tests/venet/include

make_step() {
	local name=$1 target=$2
	if make -C "$ROOT" "$target" KDIR="$kdir" CHECKPATCH="$checkpatch" \
		VZR_VENET_INCLUDE="$venet_inc" >"$logs/$name.log" 2>&1; then
		report ok "$name"
		return 0
	fi
	report "not ok" "$name" "make $target failed ($logs/$name.log):"$'\n'"$(tail_of "$logs/$name.log" 40)"
	return 1
}

module_ok=1
make_step module module || module_ok=0
say "# module: built against $kver"
make_step sparse sparse || true
make_step checkpatch checkpatch || true
# The venet emulator the venet tests load (tests/venet), for the same kernel.
venet_ok=0
if make -C "$ROOT/tests/venet" clean all KDIR="$kdir" >"$logs/venet-emu.log" 2>&1 &&
	make -C "$ROOT/tests/venet" sparse KDIR="$kdir" >>"$logs/venet-emu.log" 2>&1; then
	venet_ok=1
	report ok "venet emulator (tests/venet: W=1 -Werror, sparse)"
else
	report "not ok" "venet emulator" "make -C tests/venet failed ($logs/venet-emu.log):"$'\n'"$(tail_of "$logs/venet-emu.log" 40)"
fi
# The tests run vz7's spelling of the headers; vz8's is compiled only.
if out=$("$ROOT/tests/venet/check-vz8.sh" "$kdir" 2>&1); then
	report ok "module against vz8's venet headers (tests/venet/include-vz8, build only)"
else
	report "not ok" "module against vz8's venet headers" "$out"
fi
if { make -C "$ROOT/userspace" clean all && make -C "$ROOT/tests/tools" clean all; } >"$logs/tool.log" 2>&1; then
	report ok tool
else
	report "not ok" tool "make -C userspace failed ($logs/tool.log):"$'\n'"$(tail_of "$logs/tool.log" 40)"
fi
# make install, staged: module, tool, man page, completion, rt_protos.d.
stage=$logs/install-root
if make -C "$ROOT" install KDIR="$kdir" DESTDIR="$stage" INSTALL_MOD_PATH="$stage" VZR_VENET_INCLUDE="$venet_inc" \
	>"$logs/install.log" 2>&1; then
	missing=
	# (compressed when the kernel's Kbuild compresses modules, as 6.12's
	# does: vzroute.ko.xz)
	inst_ko=$(compgen -G "$stage/lib/modules/$kver/updates/vzroute.ko*" | head -n 1)
	inst_ko=${inst_ko#"$stage/"}
	for f in "${inst_ko:-lib/modules/$kver/updates/vzroute.ko}" usr/sbin/vzroute \
		usr/share/man/man8/vzroute.8 usr/share/bash-completion/completions/vzroute \
		etc/iproute2/rt_protos.d/vzroute.conf; do
		[[ -s $stage/$f ]] || missing+=" $f"
	done
	if [[ -z $missing ]] && modinfo -F parm "$stage/$inst_ko" |
		grep -c -E '^(allow|host_ifnames|proto|metric|table|max_per_netns|max_tracked_per_netns|keep_routes|venet_dev):' |
		grep -qx 9; then
		report ok "make install (module, tool, man page, completion, rt_protos.d; modinfo documents 9 parameters)"
	else
		report "not ok" "make install" "missing or undocumented:${missing:- a module parameter in modinfo}"
	fi
else
	report "not ok" "make install" "failed ($logs/install.log):"$'\n'"$(tail_of "$logs/install.log" 20)"
fi

# The tool's own tests, against a stand-in for the family (no module).
if make -C "$ROOT/userspace" check >"$logs/tool-check.log" 2>&1; then
	report ok "tool: unit tests ($(grep -cE '^ok ' "$logs/tool-check.log") cases)"
else
	report "not ok" "tool: unit tests" "make -C userspace check failed ($logs/tool-check.log):"$'\n'"$(tail_of "$logs/tool-check.log" 40)"
fi

###########################################################################
# (c1) the module and the venet emulator of every other lane, each against
#      its kernel's headers, at the start of the lane's job (below) (W=1 -Werror, with the emulator's OpenVZ
#      headers, as above), in a scratch copy of the sources so that the
#      checkout's objects stay those of the primary kernel.

declare -A lane_ko=() lane_venet=()
if ((module_ok)) && strip --strip-debug -o "$logs/vzroute.ko" "$ROOT/vzroute.ko"; then
	lane_ko[$primary]=$logs/vzroute.ko
else
	lane_ko[$primary]=$logs/vzroute.ko-not-built
fi
if ((venet_ok)); then
	lane_venet[$primary]=$ROOT/tests/venet/venet_emu.ko
else
	lane_venet[$primary]=$logs/venet_emu.ko-not-built
fi

# lane_build LABEL: build both modules for the lane's kernel into
# $logs/k-LABEL (the stripped .ko files, build.log, src/).
lane_build() {
	local l=$1 v=${lane_kver[$1]} out=$logs/k-$1 t=$SECONDS
	local kd=/lib/modules/${lane_kver[$1]}/build
	lane_ko[$l]=$out/vzroute.ko-not-built
	lane_venet[$l]=$out/venet_emu.ko-not-built
	mkdir -p "$out/src"
	tar -C "$ROOT" --exclude=.git --exclude=./userspace --exclude=./debian --exclude=./build \
		--exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude=Module.symvers --exclude=modules.order \
		--exclude=./generated -cf - . | tar -C "$out/src" -xf -
	if make -j"$(nproc)" -C "$out/src" module KDIR="$kd" \
		VZR_VENET_INCLUDE="$out/src/tests/venet/include" >"$out/build.log" 2>&1 &&
		make -j"$(nproc)" -C "$out/src/tests/venet" all KDIR="$kd" >>"$out/build.log" 2>&1 &&
		strip --strip-debug -o "$out/vzroute.ko" "$out/src/vzroute.ko" &&
		strip --strip-debug -o "$out/venet_emu.ko" "$out/src/tests/venet/venet_emu.ko"; then
		lane_ko[$l]=$out/vzroute.ko
		lane_venet[$l]=$out/venet_emu.ko
		report ok "$l: module and venet emulator against $v headers (W=1 -Werror, $((SECONDS - t))s)"
	else
		report "not ok" "$l: module and venet emulator against $v headers" \
			"build failed ($out/build.log):"$'\n'"$(tail_of "$out/build.log" 40)"
	fi
}
# (called by lane_job, so that the VMs of the lanes already built, and the
# debug kernel's job, need not wait for it)

###########################################################################
# (c2) installed like a real module: VERSION agreement, the feature probes
#      (conftest/) against the headers, DKMS (make dkms-install) and the
#      Debian packages (make deb, apt-get install), each followed by
#      tests/dkms/60-dkms-modprobe.sh in its own short VM boot
#      (modprobe finds DKMS's module and applies /etc/modprobe.d/vzroute.conf;
#      tests/dkms holds that test, outside the main suite), then removed.
#      Everything installed here is removed again before the main VM run,
#      also when a step fails (trap), so that nothing under /lib/modules or
#      /etc/modprobe.d stands in for ./vzroute.ko there.  Left out (skip)
#      when vzroute is already installed on this machine, or with
#      VZR_DKMS=0.

dk_version=$(cat "$ROOT/VERSION")
dk_sudo=()
dk_undo_dkms=0
dk_undo_debs=0

# dk_leftovers: what of vzroute is installed on this machine.
dk_leftovers() {
	local f
	for f in /usr/src/vzroute-* /var/lib/dkms/vzroute /lib/modules/*/updates/dkms/vzroute.ko* \
		/lib/modules/*/updates/vzroute.ko* /etc/modprobe.d/vzroute.conf /usr/sbin/vzroute \
		/etc/iproute2/rt_protos.d/vzroute.conf; do
		[[ -e $f ]] && printf '%s\n' "$f"
	done
	dpkg-query -W -f='${Package} ${Status}\n' vzroute vzroute-dkms 2>/dev/null |
		grep -v ' not-installed$' || true
}

# dk_cleanup: undo what this section installed (errors ignored).
dk_cleanup() {
	"${dk_sudo[@]}" rm -f /etc/modprobe.d/vzroute.conf
	if ((dk_undo_debs)); then
		"${dk_sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q \
			vzroute vzroute-dkms >>"$logs/dkms-cleanup.log" 2>&1
		dk_undo_debs=0
	fi
	if ((dk_undo_dkms)); then
		"${dk_sudo[@]}" make -C "$ROOT" dkms-remove >>"$logs/dkms-cleanup.log" 2>&1
		dk_undo_dkms=0
	fi
	"${dk_sudo[@]}" depmod -a "$kver" >>"$logs/dkms-cleanup.log" 2>&1
	return 0
}

# dk_vm_test WHAT: 60-dkms-modprobe in a VM, with the test's options in
# /etc/modprobe.d/vzroute.conf.
dk_vm_test() {
	local what=$1 res=$logs/dkms-vm-$1.result con=$logs/dkms-vm-$1.console line reasons=
	: >"$res"
	if ! "${dk_sudo[@]}" install -m 0644 "$ROOT/tests/dkms/modprobe.conf" /etc/modprobe.d/vzroute.conf; then
		report "not ok" "$what: 60-dkms-modprobe (VM)" "cannot write /etc/modprobe.d/vzroute.conf"
		return
	fi
	VZR_TEST_DIR="$ROOT/tests/dkms" VZR_TESTS='' "$VM/run.sh" -k "$kver" -t 300 -r "$res" -l "$con" \
		"$ROOT/tests/guest/suite.sh" '^60-dkms-modprobe$' 2>"$logs/dkms-vm-$what.err"
	"${dk_sudo[@]}" rm -f /etc/modprobe.d/vzroute.conf
	if grep -qx 'ok - 60-dkms-modprobe' "$res"; then
		report ok "$what: 60-dkms-modprobe (VM)"
		return
	fi
	while IFS= read -r line; do
		case $line in 'not ok - '* | '  '*) reasons+=$line$'\n' ;; esac
	done <"$res"
	report "not ok" "$what: 60-dkms-modprobe (VM)" "${reasons:-no result}"$'\n'"$(tail_of "$logs/dkms-vm-$what.err" 10)"$'\n'"console: $con"
}

# shellcheck disable=SC2317 # called through dk_install
# dk_check_module WHAT: modinfo finds DKMS's module for $kver, with every
# parameter documented.
dk_check_module() {
	local file parms p missing=
	file=$(modinfo -k "$kver" -F filename vzroute 2>&1) || { printf 'modinfo -k %s vzroute: %s\n' "$kver" "$file"; return 1; }
	[[ $file == /lib/modules/$kver/updates/dkms/vzroute.ko* ]] ||
		{ printf 'modinfo finds %s, not DKMS'"'"'s\n' "$file"; return 1; }
	parms=$(modinfo -k "$kver" -F parm vzroute)
	for p in allow host_ifnames proto metric table max_per_netns max_tracked_per_netns keep_routes venet_dev; do
		grep -q "^$p:." <<<"$parms" || missing+=" $p"
	done
	[[ -z $missing ]] || { printf 'modinfo: undocumented parameter(s):%s\n' "$missing"; return 1; }
}

# shellcheck disable=SC2317 # called through dk_install
# dk_check_deb: dk_check_module, and the packages' files are there.
dk_check_deb() {
	local f rc=0
	dk_check_module || return
	for f in /usr/sbin/vzroute /usr/share/man/man8/vzroute.8.gz \
		/usr/share/bash-completion/completions/vzroute /etc/iproute2/rt_protos.d/vzroute.conf \
		/usr/share/doc/vzroute/examples/modprobe.d/vzroute.conf \
		/usr/share/doc/vzroute/examples/modules-load.d/vzroute.conf; do
		[[ -e $f ]] || { echo "missing: $f"; rc=1; }
	done
	return "$rc"
}

# dk_install WHAT NAME CHECK CMD...: install vzroute with CMD... (as root,
# output to $logs/WHAT-install.log), then CHECK must succeed (its output
# says why not); report NAME, and run the VM test (dk_vm_test WHAT).
dk_install() {
	local what=$1 name=$2 check=$3 log=$logs/$1-install.log t=$SECONDS out=
	shift 3
	if "${dk_sudo[@]}" "$@" >"$log" 2>&1 && out=$("$check"); then
		report ok "$name ($((SECONDS - t))s)"
		t=$SECONDS
		dk_vm_test "$what"
		say "# $what: VM test took $((SECONDS - t))s"
	else
		report "not ok" "$name" "${out:-$* failed ($log):}"$'\n'"$(tail_of "$log" 30)"
	fi
}

# The probes against the other kernel trees of tests/dkms/expected-NAME.h
# (el7, el8, el9, 6.6, 6.12, 6.18: see the README), where such a tree is on
# this machine: VZR_KTREES="NAME=DIR[:CC] ...", else
# /var/cache/vzroute-test/trees/NAME.  No root needed, so not under
# VZR_DKMS; a tree that is absent is a skip.
for exp in "$ROOT"/tests/dkms/expected-*.h; do
	t=${exp##*/expected-} && t=${t%.h}
	[[ $kver == "$t".* ]] && continue	# the headers' own, below
	dir=$(tr ' ' '\n' <<<"${VZR_KTREES:-}" | sed -n "s/^${t//./\\.}=//p")
	dir=${dir:-/var/cache/vzroute-test/trees/$t} && cc=
	[[ $dir == *:* ]] && cc=${dir#*:} && dir=${dir%%:*}
	if [[ ! -f $dir/include/config/kernel.release ]]; then
		report skip "conftest: probes against the $t tree" "no prepared tree at $dir (VZR_KTREES=\"$t=DIR[:CC]\")"
	elif out=$("$ROOT/tests/dkms/conftest.sh" "$dir" "$cc" 2>&1); then
		report ok "conftest: probes against the $t tree ($(<"$dir/include/config/kernel.release"))"
	else
		report "not ok" "conftest: probes against the $t tree" "$out"
	fi
done

dk_step_start=$SECONDS
if [[ ${VZR_DKMS:-1} == 0 ]]; then
	say "# dkms: left out (VZR_DKMS=0)"
elif [[ $(id -u) -ne 0 ]] && ! { command -v sudo >/dev/null && sudo -n true 2>/dev/null; }; then
	report skip dkms "needs root (or passwordless sudo) to install and remove"
elif dk_pre=$(dk_leftovers) && [[ -n $dk_pre ]]; then
	report skip dkms "vzroute is already installed here; not touching it:"$'\n'"$dk_pre"
else
	[[ $(id -u) -eq 0 ]] || dk_sudo=(sudo -n)
	trap 'dk_cleanup; prebuild_stop' EXIT
	t=$SECONDS
	out=
	if out=$("$ROOT/tests/dkms/versions.sh" 2>&1); then
		report ok "version: VERSION, dkms.conf, debian/changelog, userspace agree ($dk_version)"
	else
		report "not ok" "version: VERSION, dkms.conf, debian/changelog, userspace agree" "$out"
	fi
	if out=$("$ROOT/tests/dkms/conftest.sh" "$kdir" 2>&1); then
		report ok "conftest: probes against $kver headers ($((SECONDS - t))s)"
	else
		report "not ok" "conftest: probes against $kver headers" "$out"
	fi

	dk_undo_dkms=1
	dk_install dkms "dkms: add, build, install for $kver" dk_check_module \
		make -C "$ROOT" dkms-install KVER="$kver"
	t=$SECONDS
	out=
	if "${dk_sudo[@]}" make -C "$ROOT" dkms-remove >"$logs/dkms-remove.log" 2>&1 &&
		"${dk_sudo[@]}" depmod -a "$kver" && out=$(dk_leftovers) && [[ -z $out ]]; then
		dk_undo_dkms=0
		report ok "dkms: remove --all leaves nothing ($((SECONDS - t))s)"
	else
		report "not ok" "dkms: remove --all leaves nothing" "${out:-make dkms-remove failed ($logs/dkms-remove.log)}"
		dk_cleanup
	fi

	t=$SECONDS
	out=
	if make -C "$ROOT" deb >"$logs/deb-build.log" 2>&1; then
		report ok "deb: build vzroute, vzroute-dkms ($((SECONDS - t))s)"
		dk_undo_debs=1
		dk_install deb "deb: install (DKMS builds the module on install)" dk_check_deb \
			env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			"$ROOT"/build/deb/vzroute_"$dk_version"-*.deb "$ROOT"/build/deb/vzroute-dkms_"$dk_version"-*.deb
		t=$SECONDS
		out=
		if "${dk_sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q vzroute vzroute-dkms \
			>"$logs/deb-purge.log" 2>&1 && out=$(dk_leftovers) && [[ -z $out ]]; then
			dk_undo_debs=0
			report ok "deb: purge leaves nothing ($((SECONDS - t))s)"
		else
			report "not ok" "deb: purge leaves nothing" "${out:-apt-get purge failed ($logs/deb-purge.log)}"
		fi
	else
		report "not ok" "deb: build" "make deb failed ($logs/deb-build.log):"$'\n'"$(tail_of "$logs/deb-build.log" 30)"
	fi
	# The RPM packages (tests/dkms/rpm.sh): built and checked, installed
	# into a scratch root only.
	t=$SECONDS
	if out=$("$ROOT/tests/dkms/rpm.sh" "$logs" 2>&1); then
		report ok "rpm: make rpm; rpmlint, rpm -qlp lists, dkms scriptlets, rpm --root install ($((SECONDS - t))s)"
	else
		report "not ok" "rpm: make rpm and its checks" "$out"
	fi
	dk_cleanup
	trap prebuild_stop EXIT
	say "# dkms and deb steps: $((SECONDS - dk_step_start))s"
fi

###########################################################################
# (d) the VMs: one per lane (tests/guest/suite.sh on that kernel), and the
#     debug kernel step (tests/check-debug.sh), run as jobs, VZR_JOBS
#     (default 2) at a time: a QEMU TCG guest keeps about one host core
#     busy, so two of them fill this 2-core machine.  Each job writes its
#     result lines to a file, printed and counted here when it ends (in
#     the order they end).  Their names carry the lane ("6.12: NAME") or
#     "debug: " / "kunit: ".

pattern=${VZR_TESTS:-}
test_timeout=${VZR_TEST_TIMEOUT:-120}
export VZR_TEST_TIMEOUT=$test_timeout
boot_retries=${VZR_BOOT_RETRIES:-1}
: >"$logs/boot-panics"

# lane_names LABEL: the tests of the lane (LANE_TESTS, LANE_SKIP and
# VZR_TESTS).
lane_names() {
	local t n
	for t in "${VZR_TEST_DIR:-$ROOT/tests/integration}"/*.sh; do
		[[ -f $t ]] || continue
		n=$(basename "$t" .sh)
		[[ -z ${LANE_TESTS[$1]} || $n =~ ${LANE_TESTS[$1]} ]] || continue
		[[ -z ${LANE_SKIP[$1]-} || ! $n =~ ${LANE_SKIP[$1]} ]] || continue
		[[ -z $pattern || $n =~ $pattern ]] || continue
		printf '%s\n' "$n"
	done
}

# lane_thread LABEL: how QEMU runs the lane's two guest CPUs (run.sh's
# VZR_TCG_THREAD; set by hand, it stays).  Two VMs side by side with a
# host thread per guest CPU (QEMU's default) are four busy threads on two
# cores, and multi-threaded TCG's cross-CPU work (TLB flushes, exclusive
# sections) waits for descheduled threads: four tests took 144 s per VM
# that way, and 91 s with each guest's CPUs in turns on one thread
# (2026-12-02; 6.1's 51 tests 1,188 s against 1,826 in a whole run).  In
# turns, though, a guest CPU spinning on a lock that the other holds
# keeps QEMU's thread for its whole time slice, TCG having no way to say
# that the holder is not running: a stall of the emulation that the
# STALL_TESTS' bounds would take for the kernel's (43 failed once so, its
# host's ip link add + del taking 9.7 s where 0.7-1.5 s was usual, when it
# still started ip for each command).  So a
# lane with one of those keeps a thread per CPU, and the others, when two
# VMs run at a time, run in turns.
lane_thread() {
	grep -q -E "$STALL_TESTS" < <(lane_names "$1")
	tcg_thread $?
}

# tcg_thread STALL: the mode for a guest that runs a stall test (STALL 0)
# or none (any other STALL): lane_thread's rule, for the debug kernel's
# job too, whose tests have no stall bound.
tcg_thread() {
	if [[ -n ${VZR_TCG_THREAD:-} ]]; then
		echo "$VZR_TCG_THREAD"
	elif ((jobs_max < 2 || $1 == 0)); then
		echo multi
	else
		echo single
	fi
}

# boot_panicked RESULT CONSOLE: the guest's kernel panicked before any
# test started (no "# running" line, no exit status).
boot_panicked() {
	! grep -q -a -e '^# running ' -e '^exit=' "$1" &&
		grep -q -a 'Kernel panic - not syncing' "$2"
}

# lane_job LABEL: boot the lane's kernel once and run its tests there;
# prints result lines and its own "N passed, N failed" (run in a subshell
# whose output check.sh relays).  A boot whose kernel panicked before any
# test started is booted again, at most VZR_BOOT_RETRIES times (default
# 1; 0: never), said on a comment line, kept in $logs/boot-panics for
# the summary, its console kept.  Any other death of the VM fails.
lane_job() {
	local l=$1 d=$logs/vm-$1 names n pat vm_timeout t boot=1 vm_rc tailer='' times line
	npass=0 nfail=0 nskip=0
	mkdir -p "$d"
	if [[ ${lane_kver[$l]} == "${lane_kver[$primary]}" ]]; then
		lane_ko[$l]=${lane_ko[$primary]}
		lane_venet[$l]=${lane_venet[$primary]}
	else
		lane_build "$l"
	fi
	# A longer limit set for the whole run stays.
	test_timeout=${VZR_TEST_TIMEOUT:-120}
	# shellcheck disable=SC2086 # NAME=VALUE words
	[[ -z ${LANE_ENV[$l]-} ]] || export ${LANE_ENV[$l]}
	((VZR_TEST_TIMEOUT >= test_timeout)) || export VZR_TEST_TIMEOUT=$test_timeout
	test_timeout=$VZR_TEST_TIMEOUT
	mapfile -t names < <(lane_names "$l")
	n=${#names[@]}
	if ((n == 0)) && [[ -n ${pattern:-} || -n ${VZR_TEST_DIR:-} || -n ${LANE_ENV[$l]-} ]]; then
		# A run of some tests (VZR_TESTS, VZR_TEST_DIR) leaves out the
		# lanes that run none of them (the jobs' loop checks that some
		# lane does).
		say "# $l: none of its tests selected (VZR_TESTS=${pattern:-}, VZR_TEST_DIR=${VZR_TEST_DIR:-}); left out"
		say "$npass passed, $nfail failed"
		return
	fi
	if ((n == 0)); then
		report "not ok" "$l: vm" "no integration test selected (lane ${LANE_TESTS[$l]:-all}, VZR_TESTS=${pattern:-})"
		say "$npass passed, $nfail failed"
		return
	fi
	pat="^($(IFS='|'; echo "${names[*]}"))\$"
	# Each test's own limit, as suite.sh takes it.
	vm_timeout=180
	for t in "${names[@]}"; do
		vm_timeout=$((vm_timeout + 60 +
			$(test_limit "${VZR_TEST_DIR:-$ROOT/tests/integration}/$t.sh" "$test_timeout")))
	done
	vm_timeout=${VZR_VM_TIMEOUT:-$vm_timeout}
	export VZR_KO=${lane_ko[$l]} VZR_VENET_KO=${lane_venet[$l]}
	while :; do
		: >"$d/result"
		: >"$d/console.log"
		if [[ ${VZR_VERBOSE:-0} == 1 ]]; then
			tail -n +1 -f "$d/console.log" >&2 &
			tailer=$!
		fi
		"$VM/run.sh" -k "${lane_kver[$l]}" -t "$vm_timeout" -r "$d/result" -l "$d/console.log" \
			"$ROOT/tests/guest/suite.sh" "$pat" 2>"$d/run.err"
		vm_rc=$?
		[[ -z $tailer ]] || { kill "$tailer" 2>/dev/null; wait "$tailer" 2>/dev/null; tailer=; }
		if ((boot <= boot_retries)) && boot_panicked "$d/result" "$d/console.log"; then
			mv "$d/console.log" "$d/console-boot$boot-panic.log"
			mv "$d/result" "$d/result-boot$boot-panic"
			mv "$d/run.err" "$d/run-boot$boot-panic.err"
			say "# $l: BOOT $boot PANICKED before any test ($(grep -a -m1 -o 'Kernel panic - not syncing.*' "$d/console-boot$boot-panic.log" | tr -d '\r')); console: $d/console-boot$boot-panic.log"
			printf '%s: boot %d of %s panicked before any test, booted again (console: %s)\n' \
				"$l" "$boot" "${lane_kver[$l]}" "$d/console-boot$boot-panic.log" >>"$logs/boot-panics"
			say "# $l: booting again (VZR_BOOT_RETRIES=$boot_retries); the summary repeats this"
			boot=$((boot + 1))
			continue
		fi
		break
	done
	guest_results "$d/result" "$l: " 1
	local trouble
	trouble=$(vm_problems_of "$d/run.err" "$d/result" "$vm_rc" "$d/console.log")
	[[ -z $trouble ]] || trouble+=$'\n'
	((guest_reported > 0)) || trouble+="the VM produced no test result"$'\n'
	((boot == 1)) || [[ -z $trouble ]] || trouble+="this was boot $boot: the one(s) before panicked before any test (above)"$'\n'
	if [[ -n $trouble ]]; then
		report "not ok" "$l: vm" "${trouble}console: $d/console.log"
	else
		report ok "$l: vm (${lane_kver[$l]}, $n tests$( ((boot > 1)) && echo ", boot $boot: the earlier one(s) panicked before any test"))"
	fi
	times=$(tr -d '\r' <"$d/console.log" |
		sed -n -E 's/^--- (ok|not ok|skip) - ([^ ]+) \(([0-9.]+s)\)$/\2 \3/p' |
		tr '\n' ',' | sed 's/,$//; s/,/, /g')
	line=$(grep -a -o 'guest script exited.*' "$d/run.err" | tail -n 1)
	[[ -z $line ]] || say "# $l: $line"
	[[ -z $times ]] || say "# $l: times: $times"
	# The figures the tests print for the record (the churn soak's, and
	# 11-updown's rounds under make stress).
	tr -d '\r' <"$d/console.log" | grep -a -E '^(soak: (seed|operations|monitor)|updown: )' | sed "s/^/# $l: /" || true
	say "$npass passed, $nfail failed"
}

# debug_job: tests/check-debug.sh (the debug kernel: built once and cached,
# 11 to 29 minutes on the 2-core machines seen, the longer beside the build
# checks; the KUnit suites and the integration tests of check-debug.sh -q,
# core, genl, venet and hostile less the slowest, or with VZR_TESTS those;
# VZR_DEBUG_TESTS overrides both).
#
# Its guest's two CPUs run in turns on one QEMU thread when another VM
# runs beside it, as the lanes' without a stall test do (the jobs' loop
# sets VZR_TCG_THREAD: tcg_thread).
debug_job() {
	local args=()
	if [[ -n ${VZR_TESTS:-} ]]; then
		export VZR_DEBUG_TESTS=${VZR_DEBUG_TESTS:-$VZR_TESTS}
	else
		args+=(-q)
	fi
	"$ROOT/tests/check-debug.sh" "${args[@]}" all
}

queue=()
if [[ ${VZR_DEBUG:-1} == 0 ]]; then
	say "# debug kernel: left out (VZR_DEBUG=0)"
else
	# First: when its kernel is not cached yet, the build is the longest
	# job, and the lanes' VMs run beside it.
	queue+=(debug)
fi
queue+=("${lanes[@]}")
any_test=0
for l in "${lanes[@]}"; do
	[[ -z $(lane_names "$l") ]] || any_test=1
done
# The debug job may still run some of them (VZR_DEBUG_TESTS follows
# VZR_TESTS), but a selection that no lane runs is most likely a typo.
((any_test)) ||
	report "not ok" "vm" "no lane runs any integration test (VZR_TESTS=${pattern:-}, VZR_TEST_DIR=${VZR_TEST_DIR:-})"
jobs_max=${VZR_JOBS:-2}
[[ ${VZR_VERBOSE:-0} == 1 ]] && jobs_max=1
declare -A job_pid=() job_t0=() job_took=()
vm_t0=$SECONDS
say "# jobs: ${queue[*]}, $jobs_max at a time"
while ((${#queue[@]} > 0 || ${#job_pid[@]} > 0)); do
	while ((${#job_pid[@]} < jobs_max && ${#queue[@]} > 0)); do
		j=${queue[0]}
		queue=("${queue[@]:1}")
		# How QEMU runs the job's guest CPUs, decided here, once.
		if [[ $j == debug ]]; then
			thread=$(tcg_thread 1)
			VZR_TCG_THREAD=$thread debug_job >"$logs/job-$j.out" &
		else
			thread=$(lane_thread "$j")
			(VZR_TCG_THREAD=$thread lane_job "$j") >"$logs/job-$j.out" &
		fi
		job_pid[$!]=$j
		job_t0[$j]=$SECONDS
		say "# started: $j ($([[ $j != debug ]] && echo "${lane_kver[$j]}, $(lane_names "$j" | wc -l) tests, ")TCG thread $thread) at +$((SECONDS - vm_t0))s"
	done
	done_pid=
	wait -n -p done_pid "${!job_pid[@]}"
	job_rc=$?
	[[ -n $done_pid && -n ${job_pid[$done_pid]-} ]] || continue
	j=${job_pid[$done_pid]}
	unset "job_pid[$done_pid]"
	job_took[$j]=$((SECONDS - job_t0[$j]))
	say "# ---- $j: ended after ${job_took[$j]}s (status $job_rc); its results:"
	relay <"$logs/job-$j.out"
	# Its own total must be there (else it died half way), and its
	# status must agree with it.
	if [[ -z $relay_total ]]; then
		report "not ok" "$j: harness" "the job ended (status $job_rc) before its last line ($logs/job-$j.out)"
	elif [[ $j == debug && $job_rc -ne 0 && $relay_total == *' 0 failed' ]]; then
		report "not ok" debug "tests/check-debug.sh exited with status $job_rc after \"$relay_total\""
	fi
done

###########################################################################
# Summary: where the time went, and any boot that panicked.

# Done by now when the debug job got as far as its kernel (it waited for
# the build); else nobody needs it.
prebuild_stop

summary="build, sparse, checkpatch, DKMS, packages ${vm_t0}s; VMs $((SECONDS - vm_t0))s ("
for j in "${!job_took[@]}"; do
	summary+="$j ${job_took[$j]}s, "
done
say "# times: ${summary%, }); total ${SECONDS}s"
if [[ -s $logs/boot-panics ]]; then
	say "# WARNING: a kernel panicked during boot, before any test, and was booted again:"
	while IFS= read -r line; do
		say "#   $line"
	done <"$logs/boot-panics"
fi
finish
