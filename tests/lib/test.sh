# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The opening of every guest test (tests/integration/*.sh,
# tests/dkms/60-dkms-modprobe.sh), in one line:
#
#	#!/bin/bash
#	# shellcheck source=tests/lib/test.sh
#	. "$(dirname "$0")/../lib/test.sh" [venet] [frr] [bird]
#
# It stops the test at the first failing command (set -euo pipefail),
# sources the helpers (lib.sh; venet.sh with "venet"; topo.sh with "frr"
# or "bird"), installs the EXIT trap that removes what the test created
# (cleanup_all, or venet_cleanup / topo_cleanup, which end with it), and
# writes the test's mark in the kernel log (dmesg_mark: check_kernel_log
# looks at what follows).  With "frr" or "bird" the test is skipped when
# those daemons are not installed (topo_require).

set -euo pipefail

_vzr_test_lib=${BASH_SOURCE[0]%/*}
# shellcheck source=tests/lib/lib.sh
. "$_vzr_test_lib/lib.sh"

_vzr_test_trap=cleanup_all
_vzr_test_daemons=()
for _vzr_test_arg in "$@"; do
	case $_vzr_test_arg in
	venet) ;;
	frr | bird) _vzr_test_daemons+=("$_vzr_test_arg") ;;
	*) echo "test.sh: unknown argument $_vzr_test_arg" >&2; exit 2 ;;
	esac
done
if ((${#_vzr_test_daemons[@]})); then
	# shellcheck source=tests/lib/topo.sh
	. "$_vzr_test_lib/topo.sh"
	_vzr_test_trap=topo_cleanup
fi
if [[ " $* " == *" venet "* ]]; then
	# shellcheck source=tests/lib/venet.sh
	. "$_vzr_test_lib/venet.sh"
	_vzr_test_trap="venet_cleanup $_vzr_test_trap"
fi
# shellcheck disable=SC2064 # expanded now, on purpose
trap "$_vzr_test_trap" EXIT
dmesg_mark "${0##*/}"
((${#_vzr_test_daemons[@]} == 0)) || topo_require "${_vzr_test_daemons[@]}"
unset _vzr_test_arg _vzr_test_trap _vzr_test_daemons
