# SPDX-License-Identifier: GPL-2.0
#
# expect_routes and friends (tests/lib/lib.sh): compare ip's JSON (input)
# with the expected list $exp (a JSON string); the first line says "same"
# or "differ", a report of the differences follows.
#	jq -r -L tests/lib/jq -f routes-compare.jq --argjson v6 BOOL
#	   --argjson proto N --arg exp JSON
include "routes";

actual($v6; $proto) as $a
| ($exp | fromjson | expected($v6; $proto)) as $e
| if $a == $e then "same" else
    "differ",
    "  expected:", ($e[] | "    \(tojson)"), (if $e == [] then "    (none)" else empty end),
    "  actual:", ($a[] | "    \(tojson)"), (if $a == [] then "    (none)" else empty end),
    (($e - $a) | if length > 0 then "  missing:", (.[] | "    \(tojson)") else empty end),
    (($a - $e) | if length > 0 then "  unexpected:", (.[] | "    \(tojson)") else empty end)
  end
