# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034 # DEPS_* are read by the scripts that source this
#
# The Debian packages "make check" (tests/check.sh) and "make demo"
# (tests/demo.sh) need on the build machine, and their installation.
# Sourced by both:
#
#	. "$ROOT/tests/lib/deps.sh"
#	deps_missing                    # sets DEPS_MISSING
#	deps_install "$log"             # apt-get install "${DEPS_MISSING[@]}"
#
# The VM shares the machine's root file system, so everything the guest
# runs (iproute2, ping, jq, FRR, BIRD) is installed here too.

DEPS_PACKAGES=(linux-image-amd64 linux-headers-amd64 qemu-system-x86 busybox-static
	       iproute2 iputils-ping jq sparse kmod cpio libmnl-dev linux-source-6.1
	       frr bird2 dkms debhelper dh-dkms build-essential prometheus rpm rpmlint)
# The kernels "make check" boots besides Debian 12's default 6.1 (the
# meta-packages follow Debian's newest 6.12 build, image and headers):
# 6.12 and its PREEMPT_RT flavour.  check.sh adds them to DEPS_PACKAGES.
DEPS_CHECK_KERNELS=(linux-image-6.12-amd64 linux-headers-6.12-amd64
		    linux-image-6.12-rt-amd64 linux-headers-6.12-rt-amd64)
# What the debug kernel's build needs besides (tests/kernel/build.sh, from
# linux-source-6.1): check-debug.sh installs it, and check.sh too, which
# starts that build early.
DEPS_DEBUG_BUILD=(make gcc flex bison bc libelf-dev xz-utils cpio kmod linux-source-6.1)
DEPS_MISSING=()
DEPS_ERROR=

# deps_missing: set DEPS_MISSING to the packages of DEPS_PACKAGES that are
# not installed.
deps_missing() {
	local p
	DEPS_MISSING=()
	for p in "${DEPS_PACKAGES[@]}"; do
		[[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == "install ok installed" ]] ||
			DEPS_MISSING+=("$p")
	done
}

# deps_install LOG: install DEPS_MISSING with apt-get (noninteractive, as
# root or through passwordless sudo), output to LOG.  On failure return 1
# with the reason in DEPS_ERROR.
deps_install() {
	local log=$1 sudo=() units=() p
	DEPS_ERROR=
	((${#DEPS_MISSING[@]})) || return 0
	if [[ $(id -u) -ne 0 ]]; then
		if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
			sudo=(sudo -n)
		fi
	fi
	if [[ $(id -u) -ne 0 && ${#sudo[@]} -eq 0 ]]; then
		DEPS_ERROR="missing: ${DEPS_MISSING[*]} (not root, no sudo: install them by hand)"
		return 1
	fi
	if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends "${DEPS_MISSING[@]}"; } >"$log" 2>&1; then
		DEPS_ERROR="apt-get install ${DEPS_MISSING[*]} failed ($log):"$'\n'"$(tail -n 20 "$log" 2>/dev/null)"
		return 1
	fi
	# The tests start FRR and BIRD themselves, inside the VM.  Installing
	# the packages enables and starts their services on a systemd machine:
	# a routing daemon running on the build machine for nothing.  Stop and
	# disable the ones this installation brought (never one that was there
	# before).
	for p in "${DEPS_MISSING[@]}"; do
		case $p in
		frr) units+=(frr.service) ;;
		bird2) units+=(bird.service) ;;
		esac
	done
	if ((${#units[@]})) && [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
		"${sudo[@]}" systemctl disable --now "${units[@]}" >>"$log" 2>&1 || true
	fi
	return 0
}
