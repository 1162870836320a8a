# SPDX-License-Identifier: GPL-2.0
#
# Routes as tests/lib/lib.sh compares them (see "Routes" there): ip's JSON
# ("ip -N -j route show") and the tests' expected lists both become the
# same sorted list of {dst, dev, protocol, metric, table, scope}.
# Included by routes-actual.jq and routes-compare.jq (jq -L tests/lib/jq).

def scope_name: (tostring) as $s
  | {"0":"global","200":"site","253":"link","254":"host","255":"nowhere"}[$s] // $s;
def table_num: if type == "number" then .
  else {"main":254,"local":255,"default":253}[.] // tonumber end;
def cidr($v6): if . == "default" then (if $v6 then "::/0" else "0.0.0.0/0" end)
  elif test("/") then . else . + (if $v6 then "/128" else "/32" end) end;

# One route, its missing fields given: protocol $proto, table main, metric
# and scope as the caller says (evaluated only when missing).
def route($v6; $proto; metric0; scope0):
  {dst: (.dst | cidr($v6)),
   dev: (.dev // null),
   protocol: ((.protocol // $proto) | tonumber),
   metric: (.metric // metric0),
   table: ((.table // 254) | table_num),
   scope: ((.scope // scope0) | scope_name)};

# ip's list: what ip leaves out is metric 0 and scope global.
def actual($v6; $proto): map(route($v6; $proto; 0; "global")) | sort;

# An expected list: only the six fields, dst required; metric defaults to
# what the kernel gives a route added without one (IPv4 0, IPv6 1024), and
# scope must be said for IPv4.
def expected($v6; $proto):
  if type != "array" then error("expected routes must be a JSON list") else . end
  | map(if type != "object" then error("not an object: \(tojson)") else . end
    | (keys - ["dst","dev","protocol","metric","table","scope"]) as $bad
    | if ($bad | length) > 0 then error("unknown field(s) \($bad | join(",")) in \(tojson)")
      elif has("dst") | not then error("no dst in \(tojson)") else . end
    | route($v6; $proto; if $v6 then 1024 else 0 end;
            if $v6 then "global" else error("no scope in \(tojson)") end))
  | sort;
