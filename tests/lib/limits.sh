# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# How long an integration test may run, for the guest that runs it
# (tests/guest/suite.sh) and for the host that sizes the guest's own
# limit from its tests' (tests/check.sh): one reading of the header, so
# that the two cannot disagree.

# test_limit FILE DEFAULT: the test's limit in seconds, DEFAULT or the
# "# timeout: SECS" line of its opening comment, whichever is longer.
test_limit() {
	local own
	own=$(sed -n 's/^# timeout: \([0-9][0-9]*\)$/\1/p' "$1" | head -1)
	if [[ -n $own ]] && ((own > $2)); then
		echo "$own"
	else
		echo "$2"
	fi
}
