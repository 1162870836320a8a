# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034 # LAN_* are read by the tests
#
# Containers on the node's own LAN, without a routing daemon (issue 16):
# proxy ARP/NDP entries made by vzroute (neigh_devs=) on the nodes'
# uplinks, shared by tests/integration/6*.sh.  Sourced after test.sh;
# sources topo.sh for its containers (topo_ct, topo_ct_migrate) and its
# ping measurement (topo_ping_*), none of which needs a daemon.
#
#	         lh                LAN host: 192.0.2.100/24, 2001:db8:1::100/64
#	          | eth0
#	   [ br0 in sw ]           the switch: a bridge in namespace sw
#	  eth0 /     \ eth0
#	     n1       n2           nodes: 192.0.2.K/24, 2001:db8:1::K/64 on
#	veth1xx|       |veth2xx    eth0 (the uplink), forwarding, proxy_ndp=1
#	      ctN ...              routed veth (topo_ct): addresses from the
#	                           LAN prefix, default route through the node
#
# No node has a route to the containers but vzroute's; the LAN host has
# only its connected prefix, so it reaches a container only through the
# node that answers ARP/NDP for the container's address.

# shellcheck source=tests/lib/topo.sh
. "$VZR_ROOT/tests/lib/topo.sh"

LAN_ALLOW=192.0.2.0/24,2001:db8:1::/64
LAN_HOST=192.0.2.100
LAN_HOST6=2001:db8:1::100

# lan_up: the switch, the LAN host and the nodes n1, n2.
lan_up() {
	local ns k batch=''
	for ns in sw lh n1 n2; do
		ns_create "$ns" || return
		ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 >/dev/null || return
	done
	modprobe bridge || return
	batch+="link add name br0 type bridge"$'\n'
	batch+="link set dev br0 up"$'\n'
	ip -n sw -batch - <<<"$batch" || { fail "lan_up: no bridge"; return 1; }
	for ns in lh n1 n2; do
		ip link add name "p-$ns" netns sw type veth peer name eth0 netns "$ns" ||
			{ fail "lan_up: cannot link $ns"; return 1; }
		ip -n sw link set dev "p-$ns" master br0 up || return
	done
	ip -n lh -batch - <<-EOF || { fail "lan_up: cannot set up lh"; return 1; }
		link set dev eth0 up
		addr add $LAN_HOST/24 dev eth0
		addr add $LAN_HOST6/64 dev eth0
	EOF
	for k in 1 2; do
		ip -n "n$k" -batch - <<-EOF || { fail "lan_up: cannot set up n$k"; return 1; }
			link set dev eth0 up
			addr add 192.0.2.$k/24 dev eth0
			addr add 2001:db8:1::$k/64 dev eth0
		EOF
		ip netns exec "n$k" sysctl -q -w net.ipv4.ip_forward=1 \
			net.ipv6.conf.all.forwarding=1 \
			net.ipv6.conf.eth0.proxy_ndp=1 >/dev/null || return
	done
}

# _lan_ns NS: the ip options for namespace NS ("init": the initial one).
_lan_ns() {
	[[ $1 == init ]] || echo "-n $1"
}

# lan_mac NS [DEV]: the MAC address of DEV (eth0) in NS (or "init").
lan_mac() {
	# shellcheck disable=SC2046 # the options, split on purpose
	ip $(_lan_ns "$1") -j link show dev "${2:-eth0}" | "${_VZR_JQ[@]}" -r '.[0].address'
}

# lan_proxies NS: the proxy neighbour entries of NS (or "init"), "ADDR
# DEV" per line, sorted.
lan_proxies() {
	# shellcheck disable=SC2046 # the options, split on purpose
	ip $(_lan_ns "$1") -j neigh show proxy |
		"${_VZR_JQ[@]}" -r '.[] | "\(.dst) \(.dev)"' | sort
}

# lan_proxies_are NS "ADDR DEV" ...: NS has exactly these proxy entries.
lan_proxies_are() {
	local ns=$1 want
	shift
	want=$(printf '%s\n' "$@" | sed '/^$/d' | sort)
	[[ $(lan_proxies "$ns") == "$want" ]]
}

# expect_proxies NS "ADDR DEV" ...: wait until NS has exactly these proxy
# entries (none with no argument).
expect_proxies() {
	local ns=$1
	shift
	poll_until "$VZR_TIMEOUT" lan_proxies_are "$ns" "$@" && return 0
	fail "$ns: proxy entries are [$(lan_proxies "$ns" | tr '\n' ';')], not [$(printf '%s;' "$@")]"
}

# expect_stable_proxies SECONDS NS ['ADDR DEV'...]: NS's proxy entries are
# exactly those now and stay so for SECONDS (a negative check costs its
# window: an entry that appears after it is not seen).
expect_stable_proxies() {
	local secs=$1 ns=$2 _VZR_DEADLINE
	shift 2
	_vzr_deadline "$secs"
	while :; do
		lan_proxies_are "$ns" "$@" ||
			{ fail "$ns: proxy entries are [$(lan_proxies "$ns" | tr '\n' ';')], not [$(printf '%s;' "$@")], within ${secs}s"; return 1; }
		_vzr_expired && return 0
		vzr_sleep "$VZR_POLL_INTERVAL"
	done
}

# lan_neigh_mac [-6] NS ADDR: the MAC address NS's neighbour cache holds
# for ADDR on eth0 (empty when none, or FAILED/INCOMPLETE).
lan_neigh_mac() {
	local f=-4
	if [[ $1 == -6 ]]; then
		f=-6
		shift
	fi
	ip "$f" -n "$1" -j neigh show "$2" dev eth0 |
		"${_VZR_JQ[@]}" -r '.[0].lladdr // empty'
}

# lan_neigh_is [-6] NS ADDR MAC: NS's neighbour entry for ADDR holds MAC.
lan_neigh_is() {
	local o=()
	if [[ $1 == -6 ]]; then
		o=(-6)
		shift
	fi
	[[ $(lan_neigh_mac "${o[@]}" "$1" "$2") == "$3" ]]
}

# lan_uplinks ADDR: the uplinks vzroute shows for ADDR, "IFNAME:STATE"
# per line (vzroute show -j).
lan_uplinks() {
	# shellcheck disable=SC2016 # jq's $a, not the shell's
	vzr show -j | "${_VZR_JQ[@]}" -r --arg a "$1" \
		'.[] | select(.address == $a) | (.neigh // [])[] | "\(.ifname):\(.state)"'
}

# _lan_uplinks_are ADDR LINES: lan_uplinks ADDR prints exactly LINES.
_lan_uplinks_are() {
	[[ $(lan_uplinks "$1") == "$2" ]]
}

# expect_uplinks ADDR "IFNAME:STATE"...: wait until vzroute shows these.
expect_uplinks() {
	local addr=$1 want
	shift
	want=$(printf '%s\n' "$@" | sed '/^$/d')
	poll_until "$VZR_TIMEOUT" _lan_uplinks_are "$addr" "$want" && return 0
	fail "$addr: vzroute shows uplinks [$(lan_uplinks "$addr" | tr '\n' ';')], not [$(printf '%s;' "$@")]"
}

# lan_watch_mac FILE ADDR MAC: in the background, poll lh's neighbour
# entry for ADDR every 20 ms (no process but ip: the measurement must not
# cost more than what it measures) and write $EPOCHREALTIME to FILE the
# first time it holds MAC.
lan_watch_mac() {
	local out
	while :; do
		out=$(ip -n lh neigh show "$2" dev eth0)
		if [[ $out == *" lladdr $3 "* ]]; then
			echo "$EPOCHREALTIME" >"$1"
			return 0
		fi
		vzr_sleep 0.02
	done
}

# lan_move CT ADDR NODE HOSTIF OLDMAC NEWMAC BOUND_S: live migration of
# container CT (topo_ct_migrate: its veth goes on the old node, HOSTIF
# comes on NODE) under a 10 ms ping of ADDR from lh.  The old node must
# have no proxy entry left within 1 s.  Sets MOVE_NEIGH_MS: from the
# moment the container is set up on NODE (its veth up, its addresses
# there) until lh's entry for ADDR holds NEWMAC (0 when it did before;
# fails after BOUND_S seconds), and the PING_* of topo_ping_stop.  The
# measurement of tests/integration/61-lan-migrate.sh and of make bench
# (tests/guest/bench-lan.sh).
lan_move() {
	local ct=$1 addr=$2 node=$3 hostif=$4 old=$5 new=$6 bound=$7 from t1 line watch
	local stamp=${TMPDIR:-/tmp}/vzr-lan-mac.$$
	from=${_TOPO_CT_NODE[$ct]}
	lan_neigh_is lh "$addr" "$old" || { fail "before the move lh holds $(lan_neigh_mac lh "$addr"), not $old"; return 1; }
	topo_ping_start lh "$addr" "${TMPDIR:-/tmp}/vzr-lan-ping.$$"
	poll_until "$VZR_TIMEOUT" topo_ping_run 10 ||
		{ topo_ping_stop; fail "ping $addr from lh: no 10 replies in a row before the move"; return 1; }
	rm -f "$stamp"
	lan_watch_mac "$stamp" "$addr" "$new" &
	watch=$!
	topo_ct_migrate "$ct" "$node" "$hostif" || { kill "$watch"; topo_ping_stop; return 1; }
	t1=$EPOCHREALTIME
	# The old node stops answering for the address at once.
	if ! poll_until 1 lan_proxies_are "$from"; then
		kill "$watch"
		topo_ping_stop
		fail "$from still proxies [$(lan_proxies "$from" | tr '\n' ';')] 1 s after the container left"
		return 1
	fi
	if ! poll_until "$bound" test -s "$stamp"; then
		kill "$watch"
		topo_ping_stop
		fail "lh still holds $(lan_neigh_mac lh "$addr") for $addr ${bound}s after the move"
		return 1
	fi
	wait "$watch" || true
	MOVE_NEIGH_MS=$(awk -v a="$t1" -v b="$(<"$stamp")" \
		'BEGIN { d = (b - a) * 1000; printf "%d\n", d < 0 ? 0 : d }')
	line=$(wc -l <"$_TOPO_PING_FILE")
	if ! poll_until 40 topo_ping_run 20 "$line"; then
		topo_ping_stop
		fail "ping $addr from lh: no 20 replies in a row within 40s of the move $from -> $node"
		return 1
	fi
	topo_ping_stop
	rm -f "$_TOPO_PING_FILE" "$stamp"
	echo "move $from -> $node: lh's entry at the new MAC $MOVE_NEIGH_MS ms after" \
		"the container was set up there; $PING_LOST of $PING_SENT pings lost:" \
		"outage $PING_OUTAGE_MS ms; longest time without a reply $PING_GAP_MS ms"
}

# lan_garp_start ADDR FILE: on lh, record the gratuitous ARPs for ADDR
# from the wire (tests/tools/garpwatch: a line "TIME MAC" each, in FILE).
# Returns once the watcher listens; stopped with the daemons, by
# topo_cleanup: a test that starts one has that as its EXIT trap.
lan_garp_start() {
	rm -f "$2"
	ip netns exec lh "$VZR_ROOT/tests/tools/garpwatch" eth0 "$1" "$2" &
	_TOPO_PIDS+=($!)
	_TOPO_DAEMON[$!]=lh/garpwatch
	poll_until "$VZR_TIMEOUT" grep -qsx ready "$2" ||
		{ fail "garpwatch on lh does not listen"; return 1; }
}

# lan_garps FILE [SINCE]: the gratuitous ARPs recorded in FILE (at or
# after time SINCE, an $EPOCHREALTIME), one "TIME MAC" per line.
lan_garps() {
	awk -v since="${2:-0}" '$1 != "ready" && $1 + 0 >= since + 0' "$1"
}

# _lan_garp_since FILE SINCE: one was recorded at or after SINCE.
_lan_garp_since() {
	[[ -n $(lan_garps "$1" "$2") ]]
}
