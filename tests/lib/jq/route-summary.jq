# SPDX-License-Identifier: GPL-2.0
#
# topo_route (tests/lib/topo.sh): ip's JSON for the routes to one prefix
# ("ip -N -j route show table main exact PREFIX") as "PROTO DEV[,DEV...]":
# the protocol by name, the devices of every nexthop, sorted ("ospf r-n1",
# "ospf r-n1,r-n2"); "none" when there is no route, "N routes" when more
# than one.  ip leaves the protocol out for "boot".

{"2": "kernel", "3": "boot", "4": "static", "12": "bird", "157": "vzroute", "186": "bgp", "188": "ospf"} as $names
| if length == 0 then "none"
  elif length > 1 then "\(length) routes"
  else .[0]
    | ((.protocol // 3) | tostring) as $p
    | "\($names[$p] // $p) \([.dev // empty, (.nexthops // [])[].dev] | sort | join(","))"
  end
