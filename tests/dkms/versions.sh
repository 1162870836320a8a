#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The tree has one version, in VERSION; dkms.conf, debian/changelog and
# rpm/vzroute.spec repeat it (the tool's Makefile reads VERSION).  Exit 1,
# saying which disagrees, when they do not.
#	tests/dkms/versions.sh [ROOT]

set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
v=$(<"$root/VERSION")
rc=0
[[ $v =~ ^[0-9]+(\.[0-9]+)*$ ]] || { echo "VERSION: '$v' is not a version"; exit 1; }
dkms=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$root/dkms.conf")
[[ $dkms == "$v" ]] || { echo "dkms.conf: PACKAGE_VERSION=\"$dkms\", VERSION says $v"; rc=1; }
deb=$(sed -n '1s/^vzroute (\([^)]*\)).*/\1/p' "$root/debian/changelog")
[[ ${deb%-*} == "$v" ]] || { echo "debian/changelog: $deb, VERSION says $v"; rc=1; }
spec=$(sed -n 's/^Version:[[:space:]]*//p' "$root/rpm/vzroute.spec")
[[ $spec == "$v" ]] || { echo "rpm/vzroute.spec: Version: $spec, VERSION says $v"; rc=1; }
# shellcheck disable=SC2016 # $(VERSION) is make's
tool=$(make -s -C "$root/userspace" --no-print-directory \
	--eval='vzr-print-version: ; @echo $(VERSION)' vzr-print-version)
[[ $tool == "$v" ]] || { echo "userspace/Makefile: VERSION $tool, VERSION says $v"; rc=1; }
exit $rc
