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
#   debug       tests/check-debug.sh -q: the debug kernel (built
#               once, cached), the KUnit suites ("kunit: ..."), the core
#               and genl integration tests on it ("debug: ...") with the
#               kernel log checked after each and kmemleak after the last
#               unload (make kunit, make check-debug run its parts alone)
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
#   VZR_DEBUG=0            leave out the debug kernel step
#   VZR_DEBUG_TESTS=REGEX  integration tests to run on the debug kernel
# Every VZR_* variable is passed on to the guest.

set -uo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
VM=$ROOT/tests/vm

# say, report, finish and the counters; the same in check-debug.sh.
# shellcheck source=tests/lib/report.sh
. "$ROOT/tests/lib/report.sh"

# shellcheck source=tests/lib/host.sh
. "$ROOT/tests/lib/host.sh"

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
deps_missing
if [[ ${#DEPS_MISSING[@]} -eq 0 ]]; then
	report ok packages
elif deps_install "$logs/apt.log"; then
	report ok packages "installed: ${DEPS_MISSING[*]}"
else
	report "not ok" packages "$DEPS_ERROR"
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
	for f in "lib/modules/$kver/updates/vzroute.ko" usr/sbin/vzroute \
		usr/share/man/man8/vzroute.8 usr/share/bash-completion/completions/vzroute \
		etc/iproute2/rt_protos.d/vzroute.conf; do
		[[ -s $stage/$f ]] || missing+=" $f"
	done
	if [[ -z $missing ]] && modinfo -F parm "$stage/lib/modules/$kver/updates/vzroute.ko" |
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
	trap dk_cleanup EXIT
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
	trap - EXIT
	say "# dkms and deb steps: $((SECONDS - dk_step_start))s"
fi

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
if ((!venet_ok)); then
	export VZR_VENET_KO="$logs/venet_emu.ko-not-built"
fi

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

# Count from the complete result file (printed as they came, above).
guest_results "$result" "" 0
vm_trouble=$(vm_problems_of "$logs/run.err" "$result" "$vm_rc")
[[ -z $vm_trouble ]] || vm_trouble+=$'\n'
((guest_reported > 0)) || vm_trouble+="the VM produced no test result"$'\n'
if [[ -n $vm_trouble ]]; then
	report "not ok" vm "${vm_trouble}console: $console"
else
	report ok vm
fi
if ((nfail > 0)); then
	say "# console log of the guest: $console"
fi

###########################################################################
# (e) the debug kernel (tests/check-debug.sh): the KUnit suites and
#     the integration tests under KASAN, UBSAN, lockdep, kmemleak...; its
#     result lines ("debug: ...", "kunit: SUITE.CASE", one per KTAP test
#     case) are counted here.  The kernel is built once (about 20 minutes
#     on 2 cores) and cached.  The integration tests there are those of
#     check-debug.sh -q (core, genl, venet and hostile, 1*-4*, less the slowest), or with
#     VZR_TESTS those (VZR_DEBUG_TESTS overrides both).  VZR_DEBUG=0
#     leaves the whole step out (said on a comment line: nothing counts).

if [[ ${VZR_DEBUG:-1} == 0 ]]; then
	say "# debug kernel: left out (VZR_DEBUG=0)"
else
	t=$SECONDS
	debug_args=()
	if [[ -n ${VZR_TESTS:-} ]]; then
		export VZR_DEBUG_TESTS=${VZR_DEBUG_TESTS:-$VZR_TESTS}
	else
		debug_args+=(-q)
	fi
	relay < <("$ROOT/tests/check-debug.sh" "${debug_args[@]}" all)
	wait $!
	debug_rc=$?
	# Its own total must be there (else it died half way), and its
	# status must agree with it.
	if [[ -z $relay_total ]]; then
		report "not ok" debug "tests/check-debug.sh ended (status $debug_rc) before its last line"
	elif [[ $debug_rc -ne 0 && $relay_total == *' 0 failed' ]]; then
		report "not ok" debug "tests/check-debug.sh exited with status $debug_rc after \"$relay_total\""
	fi
	say "# debug kernel step: $((SECONDS - t))s"
fi
finish
