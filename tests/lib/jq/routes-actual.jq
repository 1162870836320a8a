# SPDX-License-Identifier: GPL-2.0
#
# routes_json (tests/lib/lib.sh): ip's JSON (input) as the normalised list.
#	jq -L tests/lib/jq -f routes-actual.jq --argjson v6 BOOL --argjson proto N
include "routes";

actual($v6; $proto)
