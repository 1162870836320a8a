# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034 # TOPO_* and PING_* are read by the tests
#
# Real routing daemons around vzroute: the topology (namespaces, links,
# FRR or BIRD in each, containers, what the router sees, the outage of a
# migration) shared by tests/integration/5*.sh and 33-venet-frr.sh, the
# demo (tests/guest/demo.sh) and make bench (tests/guest/bench-migrate.sh).
# A test gets it, with topo_cleanup as its EXIT trap, from tests/lib/test.sh:
#
#	. "$(dirname "$0")/../lib/test.sh" frr      # sources this, topo_require frr
#	mod_load allow="$TOPO_ALLOW" host_ifnames="$TOPO_HOST_IFNAMES"
#	topo_up
#
#	                 rtr              core router: FRR (zebra, ospfd, ospf6d;
#	          r-n1  /   \  r-n2       with topo_up -g: bgpd, AS 65000)
#	                                  OSPF point-to-point links, cost 10
#	          eth0 /     \ eth0       (topo_up -c NODE=COST on rtr's side)
#	             n1       n2          nodes: FRR from examples/frr-node.conf,
#	      veth101 |       | veth102   or BIRD from examples/bird-node.conf
#	         eth0 |       | eth0      routed veth: proxy ARP and fe80::1 on
#	            ct1       ct2         the host end, default route through it
#
# Each box is a network namespace (ns_create: cleanup_all removes them).
# Addresses:
#   rtr-nK link   10.0.K.0/30 (rtr .1, node .2), 2001:db8:ffK::/64 (::1, ::2)
#   BGP (-g)      nK is AS 6500K (examples/*-node-bgp.conf), rtr AS 65000;
#                 one eBGP session per family on the link's addresses
#   router ids    nK 10.255.0.K, rtr 10.255.0.254
#   nodes         default route via rtr (proto boot: a kernel route that
#                 must not be announced, like any node's)
#   containers    inside $TOPO_ALLOW, the module's allow= list
# The module is loaded by the test with host_ifnames=veth*, so only the
# containers' host ends (veth*) are container devices, never the uplinks.
#
# Daemons run in the foreground as background jobs of the test: they are in
# its process group, which the suite kills after the test, and topo_cleanup
# stops them first.  Their files (configuration, sockets, pid files, logs)
# live in one directory per namespace under $_TOPO_RUN; nothing in /etc is
# read or written (the guest's /etc is read-only), except vtysh's own
# /etc/frr/vtysh.conf, which it reads if it can.
#
# Node configurations are made from examples/*.conf by exact text
# substitutions that must each match (topo_conf_from): the tests exercise
# the files users copy, and a change to an example that breaks a
# substitution fails the tests instead of silently testing something else.

TOPO_ALLOW=198.51.100.0/24,2001:db8:100::/48
TOPO_HOST_IFNAMES='veth*'
TOPO_EXAMPLES=${TOPO_EXAMPLES:-$VZR_ROOT/examples}
FRR_SBIN=${FRR_SBIN:-/usr/lib/frr}
# OSPF-level waits (adjacencies from a cold start, SPF, route installation):
# seconds under emulation, so more than VZR_TIMEOUT.
TOPO_TIMEOUT=${TOPO_TIMEOUT:-40}
# The external metric FRR and BIRD nodes give container routes (the value in
# the examples).
TOPO_METRIC=100

_TOPO_RUN=
declare -ga _TOPO_NODES=()	# nodes of the topology (n1 n2)
declare -ga _TOPO_PIDS=()	# daemons started
declare -gA _TOPO_DAEMON=()	# pid -> "NS/daemon"
declare -gA _TOPO_KIND=()	# node -> frr | bird
declare -gA _TOPO_CT_NODE=()	# container -> node holding its veth ("" = none)
declare -gA _TOPO_CT_IF=()	# container -> host-side veth name
declare -gA _TOPO_CT_ADDRS=()	# container -> its addresses (space-separated)
declare -gA _TOPO_COST=()	# node -> OSPF cost of rtr's link toward it
_TOPO_V6=1
# The routing protocol between the nodes and rtr: ospf, or bgp (topo_up -g).
# Also the name of rtr's routes to the containers in topo_route's summary.
TOPO_PROTO=ospf
_TOPO_PING_PID=

###########################################################################
# Set-up and clean-up

# topo_require frr|bird...: skip the test when the daemons are missing
# (tests/check.sh installs frr and bird2).
topo_require() {
	local what f
	for what in "$@"; do
		case $what in
		frr)
			for f in "$FRR_SBIN/zebra" "$FRR_SBIN/ospfd" "$FRR_SBIN/ospf6d" "$FRR_SBIN/bgpd" "$(command -v vtysh || echo vtysh)"; do
				[[ -x $f ]] || skip "FRR not installed ($f missing; apt-get install frr)"
			done
			id frr >/dev/null 2>&1 || skip "no user frr (FRR not installed properly)"
			;;
		bird)
			if ! command -v bird >/dev/null || ! command -v birdc >/dev/null; then
				skip "BIRD 2 not installed (apt-get install bird2)"
			fi
			;;
		*) fail "topo_require: unknown $what"; return 1 ;;
		esac
	done
}

# _topo_dir NS: set _TOPO_D to the files directory of namespace NS
# (creating it, owned by frr: FRR daemons drop their privileges to that
# user).  No subshell: it sets _TOPO_RUN on first use.
_topo_dir() {
	if [[ -z $_TOPO_RUN ]]; then
		_TOPO_RUN=$(mktemp -d /run/vzr-topo.XXXXXX) || return
		chmod 755 "$_TOPO_RUN"
	fi
	if [[ ! -d $_TOPO_RUN/$1 ]]; then
		mkdir -p "$_TOPO_RUN/$1" || return
		chown frr:frr "$_TOPO_RUN/$1" || return
	fi
	_TOPO_D=$_TOPO_RUN/$1
}

# topo_stop_daemons: stop every daemon this test started (TERM, then KILL
# after 5 s) and wait for them.
topo_stop_daemons() {
	local pid left=() _VZR_DEADLINE
	((${#_TOPO_PIDS[@]})) || return 0
	kill -TERM "${_TOPO_PIDS[@]}" 2>/dev/null || true
	_vzr_deadline 5
	for pid in "${_TOPO_PIDS[@]}"; do
		while kill -0 "$pid" 2>/dev/null && ! _vzr_expired; do
			vzr_sleep 0.05
		done
		kill -0 "$pid" 2>/dev/null && left+=("$pid")
	done
	if ((${#left[@]})); then
		echo "topo: daemons still running after SIGTERM, killed: $(for pid in "${left[@]}"; do printf '%s ' "${_TOPO_DAEMON[$pid]}"; done)" >&2
		kill -KILL "${left[@]}" 2>/dev/null || true
	fi
	wait "${_TOPO_PIDS[@]}" 2>/dev/null || true
	_TOPO_PIDS=()
}

# topo_cleanup: the EXIT trap of a topology test: stop the pings and the
# daemons (showing the end of their logs when the test failed), then
# cleanup_all.
topo_cleanup() {
	local rc=$? f
	set +e
	if [[ -n $_TOPO_PING_PID ]]; then
		kill -KILL "$_TOPO_PING_PID" 2>/dev/null
		wait "$_TOPO_PING_PID" 2>/dev/null
		_TOPO_PING_PID=
	fi
	# On failure, what the kernels and the daemons think (while they run).
	if [[ -n $_TOPO_RUN && -d $_TOPO_RUN ]] && ((rc != 0 || VZR_FAILS > 0)); then
		for f in rtr "${_TOPO_NODES[@]}"; do
			echo "--- $f: links and routes" >&2
			{
				ip -n "$f" -br link
				ip -n "$f" route
				ip -n "$f" -6 route
				if [[ ${_TOPO_KIND[$f]:-frr} == frr ]]; then
					topo_vtysh "$f" "show ip route" "show ipv6 route"
				else
					topo_birdc "$f" show route all
				fi
			} >&2 2>&1
		done
	fi
	topo_stop_daemons
	if ((${#_TOPO_INIT_SYSCTLS[@]})); then
		sysctl -q -w "${_TOPO_INIT_SYSCTLS[@]}" >/dev/null
		_TOPO_INIT_SYSCTLS=()
	fi
	if [[ -n $_TOPO_RUN && -d $_TOPO_RUN ]]; then
		if ((rc != 0 || VZR_FAILS > 0)); then
			for f in "$_TOPO_RUN"/*/*.log "$_TOPO_RUN"/*/*.out; do
				[[ -s $f ]] || continue
				echo "--- end of ${f#"$_TOPO_RUN"/}" >&2
				tail -n 15 "$f" >&2
			done
		fi
		rm -rf "$_TOPO_RUN"
	fi
	_TOPO_RUN=
	_vzr_rc "$rc"
	cleanup_all
}

###########################################################################
# Configurations

# topo_conf_from EXAMPLE OUT [FROM TO]...: write OUT from EXAMPLE with every
# occurrence of each FROM replaced by TO, in order.  Fails when a FROM does
# not occur: the example changed and the test would no longer test it.
topo_conf_from() {
	local src=$1 out=$2 text
	shift 2
	text=$(<"$src") || { fail "cannot read $src"; return 1; }
	while (($# >= 2)); do
		if [[ $text != *"$1"* ]]; then
			fail "${src##*/}: no \"$1\" to replace with \"$2\" (did the example change?)"
			return 1
		fi
		text=${text//"$1"/"$2"}
		shift 2
	done
	printf '%s\n' "$text" >"$out"
}

# topo_conf_frr_node NODE ROUTER_ID [METRIC]: NODE's frr.conf from
# examples/frr-node.conf; METRIC replaces the external metric 100 (a hot
# spare announces a worse one).
topo_conf_frr_node() {
	local node=$1 rid=$2 metric=${3:-$TOPO_METRIC} dir subst=()
	_topo_dir "$node" || return
	dir=$_TOPO_D
	subst=("hostname node1" "hostname $node" "router-id 192.0.2.11" "router-id $rid")
	if [[ $metric != "$TOPO_METRIC" ]]; then
		subst+=("redistribute kernel metric $TOPO_METRIC route-map VZROUTE-4"
			"redistribute kernel metric $metric route-map VZROUTE-4"
			"redistribute kernel metric $TOPO_METRIC route-map VZROUTE-6"
			"redistribute kernel metric $metric route-map VZROUTE-6")
	fi
	topo_conf_from "$TOPO_EXAMPLES/frr-node.conf" "$dir/frr.conf" "${subst[@]}"
}

# topo_conf_bird_node NODE ROUTER_ID [METRIC]: NODE's bird.conf from
# examples/bird-node.conf, plus a log file.
topo_conf_bird_node() {
	local node=$1 rid=$2 metric=${3:-$TOPO_METRIC} dir subst=()
	_topo_dir "$node" || return
	dir=$_TOPO_D
	subst=("router id 192.0.2.11;" "router id $rid;")
	if [[ $metric != "$TOPO_METRIC" ]]; then
		subst+=("ospf_metric2 = $TOPO_METRIC;" "ospf_metric2 = $metric;")
	fi
	topo_conf_from "$TOPO_EXAMPLES/bird-node.conf" "$dir/bird.conf" "${subst[@]}" || return
	printf '\nlog "%s" all;\n' "$dir/bird.log" >>"$dir/bird.conf"
}

# topo_conf_frr_node_bgp NODE K [SPARE]: NODE's frr.conf from
# examples/frr-node-bgp.conf: AS 6500K, router-id 10.255.0.K, rtr at
# 10.0.K.1 and 2001:db8:ffK::1; SPARE=1 uncomments the AS-path prepends.
topo_conf_frr_node_bgp() {
	local node=$1 k=$2 spare=${3:-0} subst=()
	_topo_dir "$node" || return
	((spare)) && subst+=("! set as-path prepend 65001 65001" " set as-path prepend 6500$k 6500$k")
	subst+=("hostname node1" "hostname $node" "bgp router-id 192.0.2.11" "bgp router-id 10.255.0.$k"
		"router bgp 65001" "router bgp 6500$k" "neighbor 10.0.1.1 " "neighbor 10.0.$k.1 "
		"neighbor 2001:db8:ff1::1 " "neighbor 2001:db8:ff$k::1 ")
	topo_conf_from "$TOPO_EXAMPLES/frr-node-bgp.conf" "$_TOPO_D/frr.conf" "${subst[@]}"
}

# topo_conf_bird_node_bgp NODE K [SPARE]: the same from
# examples/bird-node-bgp.conf (SPARE=1: define SPARE = 1).
topo_conf_bird_node_bgp() {
	local node=$1 k=$2 spare=${3:-0} subst=()
	_topo_dir "$node" || return
	subst=("router id 192.0.2.11;" "router id 10.255.0.$k;" "define NODE_AS = 65001;" "define NODE_AS = 6500$k;"
		"neighbor 10.0.1.1 as" "neighbor 10.0.$k.1 as" "neighbor 2001:db8:ff1::1 as" "neighbor 2001:db8:ff$k::1 as")
	((spare)) && subst+=("define SPARE = 0;" "define SPARE = 1;")
	topo_conf_from "$TOPO_EXAMPLES/bird-node-bgp.conf" "$_TOPO_D/bird.conf" "${subst[@]}" || return
	printf '\nlog "%s" all;\n' "$_TOPO_D/bird.log" >>"$_TOPO_D/bird.conf"
}

# _topo_conf_bgp_router: rtr's BGP part: one eBGP neighbour per node and
# family (AS 6500K), the nodes' fast timers, everything accepted (a test
# router, no policy needed).
_topo_conf_bgp_router() {
	local k n nbrs=()
	echo "router bgp 65000"
	echo " bgp router-id 10.255.0.254"
	echo " no bgp ebgp-requires-policy"
	echo " no bgp default ipv4-unicast"
	for k in 1 2; do
		[[ " ${_TOPO_NODES[*]} " == *" n$k "* ]] || continue
		for n in 10.0.$k.2 2001:db8:ff$k::2; do
			nbrs+=("$n")
			printf ' neighbor %s remote-as 6500%s\n neighbor %s timers 1 3\n' "$n" "$k" "$n"
			printf ' neighbor %s timers connect 1\n neighbor %s advertisement-interval 0\n' "$n" "$n"
		done
	done
	echo " address-family ipv4 unicast"
	for n in "${nbrs[@]}"; do
		[[ $n == *:* ]] || echo "  neighbor $n activate"
	done
	echo " exit-address-family"
	echo " address-family ipv6 unicast"
	for n in "${nbrs[@]}"; do
		[[ $n != *:* ]] || echo "  neighbor $n activate"
	done
	echo " exit-address-family"
	echo "!"
}

# topo_conf_frr_router: the core router's frr.conf, for the links to
# $_TOPO_NODES with the costs of _TOPO_COST (default 10).  It only runs
# OSPF on its links (nothing to redistribute), with the same fast timers as
# the nodes.
topo_conf_frr_router() {
	local dir k cost
	_topo_dir rtr || return
	dir=$_TOPO_D
	{
		cat <<-EOF
			frr defaults traditional
			hostname rtr
			ip forwarding
			ipv6 forwarding
			!
		EOF
		if [[ $TOPO_PROTO == bgp ]]; then
			_topo_conf_bgp_router
		else
			for k in 1 2; do
				[[ " ${_TOPO_NODES[*]} " == *" n$k "* ]] || continue
				cost=${_TOPO_COST[n$k]:-10}
				cat <<-EOF
					interface r-n$k
					 ip ospf area 0
					 ip ospf network point-to-point
					 ip ospf hello-interval 1
					 ip ospf dead-interval 3
					 ip ospf cost $cost
					 ipv6 ospf6 area 0
					 ipv6 ospf6 network point-to-point
					 ipv6 ospf6 hello-interval 1
					 ipv6 ospf6 dead-interval 3
					 ipv6 ospf6 cost $cost
					!
				EOF
			done
			cat <<-EOF
				router ospf
				 ospf router-id 10.255.0.254
				 timers throttle spf 0 50 1000
				 timers throttle lsa all 0
				 timers lsa min-arrival 0
				!
				router ospf6
				 ospf6 router-id 10.255.0.254
				 timers throttle spf 0 50 1000
				 timers lsa min-arrival 0
				!
			EOF
		fi
	} >"$dir/frr.conf"
}

###########################################################################
# Daemons

# _topo_spawn NS NAME CMD...: run CMD in namespace NS as a background job
# of the test (output to NAME.out in NS's directory); remember its pid.
_topo_spawn() {
	local ns=$1 name=$2 dir
	shift 2
	_topo_dir "$ns" || return
	dir=$_TOPO_D
	# The subshell execs ip, which execs the daemon: $! is the daemon.
	(cd "$dir" && exec ip netns exec "$ns" "$@") </dev/null >"$dir/$name.out" 2>&1 &
	_TOPO_PIDS+=("$!")
	_TOPO_DAEMON[$!]=$ns/$name
}

# _topo_have_files FILE...: true when every FILE exists (sockets).
_topo_have_files() {
	local f
	for f in "$@"; do
		[[ -e $f ]] || return 1
	done
}

# _topo_alive: fail (naming it) when a daemon has died.
_topo_alive() {
	local pid
	for pid in "${_TOPO_PIDS[@]}"; do
		if ! kill -0 "$pid" 2>/dev/null; then
			fail "daemon ${_TOPO_DAEMON[$pid]} exited: $(tail -n 5 "$_TOPO_RUN/${_TOPO_DAEMON[$pid]}.out" 2>/dev/null)"
			return 1
		fi
	done
}

# topo_frr_start NS...: start zebra, ospfd and (unless -4) ospf6d in each NS,
# then load NS's frr.conf into them with vtysh -f (which, like the boot-time
# "vtysh -b", sends each command to the daemons that know it).
topo_frr_start() {
	local ns dir d daemons=(ospfd) files=() pids=() rc=0 i t0 t1 t2
	((_TOPO_V6)) && daemons+=(ospf6d)
	[[ $TOPO_PROTO == bgp ]] && daemons=(bgpd)
	t0=$(_vzr_now_us)
	# zebra first: ospfd and ospf6d connect to its socket, and retry only
	# seconds later when it is not there yet.
	for ns in "$@"; do
		_topo_dir "$ns" || return
		dir=$_TOPO_D
		for d in zebra "${daemons[@]}"; do
			: >"$dir/$d.conf"
		done
		chown frr:frr "$dir"/*.conf
		_topo_spawn "$ns" zebra "$FRR_SBIN/zebra" -N "$ns" -f "$dir/zebra.conf" \
			-i "$dir/zebra.pid" -z "$dir/zserv.api" --vty_socket "$dir" -P 0 \
			--log "file:$dir/zebra.log"
		files+=("$dir/zserv.api" "$dir/zebra.vty")
	done
	poll_until "$TOPO_TIMEOUT" _topo_have_files "${files[@]}" ||
		{ _topo_alive || true; fail "zebra did not start in $*"; return 1; }
	t1=$(_vzr_now_us)
	files=()
	for ns in "$@"; do
		dir=$_TOPO_RUN/$ns
		for d in "${daemons[@]}"; do
			_topo_spawn "$ns" "$d" "$FRR_SBIN/$d" -N "$ns" -f "$dir/$d.conf" \
				-i "$dir/$d.pid" -z "$dir/zserv.api" --vty_socket "$dir" -P 0 \
				--log "file:$dir/$d.log"
			files+=("$dir/$d.vty")
		done
	done
	poll_until "$TOPO_TIMEOUT" _topo_have_files "${files[@]}" ||
		{ _topo_alive || true; fail "${daemons[*]} did not start in $*"; return 1; }
	t2=$(_vzr_now_us)
	for ns in "$@"; do
		dir=$_TOPO_RUN/$ns
		vtysh --vty_socket "$dir" -f "$dir/frr.conf" >"$dir/vtysh.out" 2>&1 &
		pids+=("$!")
	done
	i=0
	for ns in "$@"; do
		if ! wait "${pids[i]}"; then
			fail "vtysh -f $_TOPO_RUN/$ns/frr.conf rejected the configuration:"$'\n'"$(<"$_TOPO_RUN/$ns/vtysh.out")"
			rc=1
		fi
		i=$((i + 1))
	done
	echo "topo: FRR in $*: zebra $(((t1 - t0) / 1000)) ms, ${daemons[*]} $(((t2 - t1) / 1000)) ms, configuration $(topo_ms_since "$t2") ms"
	return "$rc"
}

# topo_bird_start NODE: start BIRD 2 in NODE with its bird.conf.
topo_bird_start() {
	local node=$1 dir
	_topo_dir "$node" || return
	dir=$_TOPO_D
	_topo_spawn "$node" bird bird -f -c "$dir/bird.conf" -s "$dir/bird.ctl" -P "$dir/bird.pid"
	poll_until "$TOPO_TIMEOUT" _topo_have_files "$dir/bird.ctl" ||
		{ _topo_alive || true; fail "bird did not start in $node"; return 1; }
}

# topo_vtysh NS CMD...: run vtysh commands (-c each) against NS's daemons.
topo_vtysh() {
	local ns=$1 a args=()
	shift
	for a in "$@"; do
		args+=(-c "$a")
	done
	vtysh --vty_socket "$_TOPO_RUN/$ns" "${args[@]}"
}

# topo_birdc NODE CMD...: a birdc command against NODE's BIRD.
topo_birdc() {
	local node=$1
	shift
	birdc -s "$_TOPO_RUN/$node/bird.ctl" "$@"
}

###########################################################################
# The topology

# topo_up [-4] [-n "NODES"] [-i NODE] [-b NODE] [-m NODE=METRIC] [-c NODE=COST]:
# create rtr and the nodes (default "n1 n2"), link them, start FRR on rtr
# and FRR (or, with -b, BIRD) on each node.  Options may repeat.
#   -4              IPv4 only: no ospf6d (faster start)
#   -i NODE         NODE is the init netns (a venet node: OpenVZ's node
#                   venet lives there), named NODE for ip -n; the sysctls
#                   the topology changes there are restored by topo_cleanup
#   -b NODE         NODE runs BIRD (examples/bird-node.conf), not FRR
#   -m NODE=METRIC  external metric of NODE's container routes (default 100)
#   -g              BGP instead of OSPF: rtr runs bgpd, the nodes
#                   examples/frr-node-bgp.conf or bird-node-bgp.conf
#   -s NODE         (with -g) NODE is a hot spare: the example's AS-path
#                   prepends switched on
#   -c NODE=COST    OSPF cost of rtr's link toward NODE (default 10)
# Returns once the daemons run and took their configuration; adjacencies
# form in the background (assert on routes with a TOPO_TIMEOUT wait).
topo_up() {
	local OPTIND opt nodes="n1 n2" node k batch='' frr=(rtr) t0 init_node=''
	local -A metric=() bird=() spare=()
	t0=$(_vzr_now_us)
	_TOPO_COST=()
	TOPO_PROTO=ospf
	while getopts '4gn:i:b:m:c:s:' opt; do
		case $opt in
		4) _TOPO_V6=0 ;;
		g) TOPO_PROTO=bgp ;;
		s) spare[$OPTARG]=1 ;;
		i) init_node=$OPTARG ;;
		n) nodes=$OPTARG ;;
		b) bird[$OPTARG]=1 ;;
		m) metric[${OPTARG%%=*}]=${OPTARG#*=} ;;
		c) _TOPO_COST[${OPTARG%%=*}]=${OPTARG#*=} ;;
		*) fail "topo_up: bad option"; return 1 ;;
		esac
	done
	read -r -a _TOPO_NODES <<<"$nodes"

	for node in rtr "${_TOPO_NODES[@]}"; do
		if [[ $node == "$init_node" ]]; then
			_topo_init_node "$node" || return
		else
			ns_create "$node" || return
		fi
		# No DAD on these links: OSPFv3 speaks from link-local addresses,
		# which would otherwise stay tentative for a second or two.
		ip netns exec "$node" sysctl -q -w net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 >/dev/null || return
	done
	for node in "${_TOPO_NODES[@]}"; do
		k=${node#n}
		batch+="link add name r-$node netns rtr up type veth peer name eth0 netns $node"$'\n'
	done
	ip -batch - <<<"$batch" || { fail "topo_up: cannot create the links"; return 1; }
	batch=
	for node in "${_TOPO_NODES[@]}"; do
		k=${node#n}
		batch+="addr add 10.0.$k.1/30 dev r-$node"$'\n'
		batch+="addr add 2001:db8:ff$k::1/64 dev r-$node"$'\n'
		ip -n "$node" -batch - <<-EOF || { fail "topo_up: cannot set up $node"; return 1; }
			link set dev eth0 up
			addr add 10.0.$k.2/30 dev eth0
			addr add 2001:db8:ff$k::2/64 dev eth0
			addr add 10.255.0.$k/32 dev lo
			route add default via 10.0.$k.1
			route add ::/0 via 2001:db8:ff$k::1
		EOF
	done
	batch+="addr add 10.255.0.254/32 dev lo"$'\n'
	ip -n rtr -batch - <<<"$batch" || { fail "topo_up: cannot set up rtr"; return 1; }

	echo "topo: namespaces and links in $(topo_ms_since "$t0") ms"
	topo_conf_frr_router || return
	for node in "${_TOPO_NODES[@]}"; do
		k=${node#n}
		if [[ -n ${bird[$node]-} ]]; then
			_TOPO_KIND[$node]=bird
			if [[ $TOPO_PROTO == bgp ]]; then
				topo_conf_bird_node_bgp "$node" "$k" "${spare[$node]-0}" || return
			else
				topo_conf_bird_node "$node" "10.255.0.$k" "${metric[$node]-}" || return
			fi
			# FRR's configuration turns forwarding on; BIRD's does not.
			ip netns exec "$node" sysctl -q -w net.ipv4.ip_forward=1 \
				net.ipv6.conf.all.forwarding=1 >/dev/null || return
			topo_bird_start "$node" || return
		else
			_TOPO_KIND[$node]=frr
			if [[ $TOPO_PROTO == bgp ]]; then
				topo_conf_frr_node_bgp "$node" "$k" "${spare[$node]-0}" || return
			else
				topo_conf_frr_node "$node" "10.255.0.$k" "${metric[$node]-}" || return
			fi
			frr+=("$node")
		fi
	done
	topo_frr_start "${frr[@]}"
}

# The init netns's sysctls as they were before _topo_init_node.
declare -ga _TOPO_INIT_SYSCTLS=()

# _topo_init_node NODE: name the init netns NODE (ip netns attach; deleting
# the name later leaves the namespace alone) and remember the sysctls the
# topology and FRR change there, which later tests would inherit.
_topo_init_node() {
	local node=$1 k
	for k in net.ipv4.ip_forward net.ipv6.conf.all.forwarding \
		net.ipv6.conf.all.accept_dad net.ipv6.conf.default.accept_dad; do
		_TOPO_INIT_SYSCTLS+=("$k=$(sysctl -n "$k")") || return
	done
	_VZR_NSS+=("$node")
	ip netns attach "$node" $$
}

# topo_set_cost NODE COST: change the OSPF cost of rtr's link toward NODE.
topo_set_cost() {
	local node=$1 cost=$2 cmds
	cmds=("configure terminal" "interface r-$node" "ip ospf cost $cost")
	((_TOPO_V6)) && cmds+=("ipv6 ospf6 cost $cost")
	topo_vtysh rtr "${cmds[@]}" || { fail "cannot set the cost of r-$node"; return 1; }
	_TOPO_COST[$node]=$cost
}

###########################################################################
# Containers (routed veth, as OpenVZ 9 creates them)

# topo_ct NAME NODE HOSTIF ADDR...: a container: netns NAME whose eth0 is
# the peer of HOSTIF in NODE (topo_ct_plug), with ADDR... (IPv4 /32, IPv6
# /128 with DAD).
topo_ct() {
	local name=$1
	ns_create "$name" || return
	topo_ct_plug "$@"
}

# topo_ct_plug [-h] [-r] NAME NODE HOSTIF ADDR...: connect the existing
# container NAME to NODE through a new veth pair (HOSTIF in NODE, eth0 in
# NAME), the way OpenVZ 9 sets up a routed veth: proxy ARP and the
# link-local address fe80::1 on the host end; in the container, ADDR... on
# eth0 and default routes through it.  With -h, also the node's routes to
# ADDR... by hand (proto static: to FRR a kernel route like vzroute's), in
# the ip call that brings HOSTIF up.  The node's side comes first, as when
# a container starts; with -r the container's, as in a live migration's
# restore (CRIU gives the container its addresses back before vzctl's
# post-restore sets up the node's side: ../shared/notes/openvz-venet.md),
# so that a route by hand and vzroute's both wait for HOSTIF to come up.
topo_ct_plug() {
	local hand=0 restore=0 name node hostif cbatch nbatch
	while [[ $1 == -[hr] ]]; do
		[[ $1 == -h ]] && hand=1
		[[ $1 == -r ]] && restore=1
		shift
	done
	name=$1 node=$2 hostif=$3
	shift 3
	_TOPO_CT_NODE[$name]=$node
	_TOPO_CT_IF[$name]=$hostif
	_TOPO_CT_ADDRS[$name]="$*"
	ip link add name "$hostif" netns "$node" type veth peer name eth0 netns "$name" ||
		{ fail "topo_ct_plug: cannot create $hostif in $node"; return 1; }
	ip netns exec "$node" sysctl -q -w "net.ipv4.conf.$hostif.proxy_arp=1" >/dev/null || return
	nbatch="addr add fe80::1/64 dev $hostif nodad"$'\n'
	nbatch+="link set dev $hostif up"$'\n'
	cbatch="link set dev eth0 up"$'\n'
	host_batch cbatch "addr add ADDR dev eth0" "addr add ADDR dev eth0" "$@"
	((!hand)) || host_batch nbatch "route add ADDR dev $hostif proto static scope link" \
		"route add ADDR dev $hostif proto static" "$@"
	cbatch+="route add default dev eth0"$'\n'
	cbatch+="route add ::/0 via fe80::1 dev eth0"$'\n'
	if ((restore)); then
		ip -n "$name" -batch - <<<"$cbatch" || { fail "topo_ct_plug: cannot set up $name"; return 1; }
	fi
	ip -n "$node" -batch - <<<"$nbatch" || { fail "topo_ct_plug: cannot set up $hostif in $node"; return 1; }
	((restore)) || ip -n "$name" -batch - <<<"$cbatch" || { fail "topo_ct_plug: cannot set up $name"; return 1; }
}

# topo_ct_unplug [-h] NAME: delete the container's veth pair on its node
# (the container's netns, its processes, stay).  With -h, first the node's
# routes to its addresses, by hand, in the same ip call.
topo_ct_unplug() {
	local hand=0 name node hostif addrs batch=''
	if [[ $1 == -h ]]; then
		hand=1
		shift
	fi
	name=$1 node=${_TOPO_CT_NODE[$1]-} hostif=${_TOPO_CT_IF[$1]-}
	[[ -n $node ]] || { fail "topo_ct_unplug: $name is not plugged"; return 1; }
	if ((hand)); then
		read -r -a addrs <<<"${_TOPO_CT_ADDRS[$name]}"
		host_batch batch "route del ADDR dev $hostif" "route del ADDR dev $hostif" "${addrs[@]}"
	fi
	batch+="link del dev $hostif"
	ip -n "$node" -batch - <<<"$batch" || { fail "topo_ct_unplug: cannot delete ${batch//$'\n'/, } in $node"; return 1; }
	_TOPO_CT_NODE[$name]=
}

# topo_ct_migrate [-h] NAME NODE HOSTIF: live migration as the network sees
# it: the veth goes on the old node, a new one comes on NODE, same
# addresses, given back to the container before NODE's side comes up
# (topo_ct_plug -r).  With -h the node's routes move by hand with the
# veth (topo_ct_unplug -h, topo_ct_plug -h): what a script would do, at
# best.
topo_ct_migrate() {
	local opt=() name node hostif addrs
	if [[ $1 == -h ]]; then
		opt=(-h)
		shift
	fi
	name=$1 node=$2 hostif=$3
	read -r -a addrs <<<"${_TOPO_CT_ADDRS[$name]}"
	topo_ct_unplug "${opt[@]}" "$name" || return
	topo_ct_plug "${opt[@]}" -r "$name" "$node" "$hostif" "${addrs[@]}"
}

# topo_ct_stop NAME: the container stops: its netns goes (and with it the
# veth pair; the kernel finishes that asynchronously).
topo_ct_stop() {
	local name=$1
	ns_destroy "$name" || { fail "cannot delete netns $name"; return 1; }
	_TOPO_CT_NODE[$name]=
}

# ct_echoes [-6] NAME: print how many ICMP (ICMPv6) echo requests container
# NAME has received.
# shellcheck disable=SC2016 # awk's $1, not the shell's
ct_echoes() {
	if [[ $1 == -6 ]]; then
		ip netns exec "$2" awk '$1 == "Icmp6InEchos" { print $2; f = 1 } END { exit !f }' /proc/net/snmp6
		return
	fi
	# Icmp: a line of names, then a line of values
	ip netns exec "$1" awk '$1 == "Icmp:" && !c { for (i = 2; i <= NF; i++) if ($i == "InEchos") c = i; next }
		$1 == "Icmp:" && c { print $c; f = 1; exit } END { exit !f }' /proc/net/snmp
}

# expect_answer ADDR CT [OTHER]: rtr pings ADDR (expect_ping); container
# CT must have received echo requests meanwhile, container OTHER none.
expect_answer() {
	local addr=$1 ct=$2 other=${3-} a0 b0='' a1 b1=''
	a0=$(ct_echoes "$ct") || return
	[[ -z $other ]] || b0=$(ct_echoes "$other") || return
	expect_ping rtr "$addr" || return
	a1=$(ct_echoes "$ct") || return
	[[ -z $other ]] || b1=$(ct_echoes "$other") || return
	((a1 > a0)) || { fail "$addr: $ct did not answer ($a0 -> $a1 echo requests)"; return 1; }
	[[ $b1 == "$b0" ]] || { fail "$addr: $other got echo requests too ($b0 -> $b1)"; return 1; }
}

###########################################################################
# The router's view

# topo_route [-6] NS PREFIX: summarise NS's main-table route to exactly
# PREFIX from "ip -j route": "PROTO DEV[,DEV...]" (protocol by name,
# the devices of every nexthop, sorted: "ospf r-n1", "ospf r-n1,r-n2"), or
# "none" (tests/lib/jq/route-summary.jq).
topo_route() {
	_topo_route_get "$@" || return
	printf '%s\n' "$_TOPO_ROUTE_NOW"
}

_TOPO_ROUTE_LAST_RAW=
_TOPO_ROUTE_LAST=
# _topo_route_get [-6] NS PREFIX: topo_route into _TOPO_ROUTE_NOW, and
# ip's output into _TOPO_ROUTE_RAW.  jq runs only when ip's output is not
# the one summarised last (expect_route polls).
_topo_route_get() {
	local fam=-4
	if [[ $1 == -6 ]]; then
		fam=-6
		shift
	fi
	_TOPO_ROUTE_RAW=$(ip -n "$1" "$fam" -N -j route show table main exact "$2") || return
	if [[ -z $_TOPO_ROUTE_LAST || $_TOPO_ROUTE_RAW != "$_TOPO_ROUTE_LAST_RAW" ]]; then
		_TOPO_ROUTE_LAST=$("${_VZR_JQ[@]}" -r -f "$VZR_ROOT/tests/lib/jq/route-summary.jq" \
			<<<"$_TOPO_ROUTE_RAW") || return
		_TOPO_ROUTE_LAST_RAW=$_TOPO_ROUTE_RAW
	fi
	_TOPO_ROUTE_NOW=$_TOPO_ROUTE_LAST
}

_topo_route_is() {
	_topo_route_get "${@:1:$#-1}" && [[ $_TOPO_ROUTE_NOW == "${!#}" ]]
}

# expect_route [-6] [-t SECONDS] NS PREFIX 'PROTO DEVS': wait (default
# $TOPO_TIMEOUT) until topo_route prints 'PROTO DEVS' ("none": no route).
expect_route() {
	local six=() t=$TOPO_TIMEOUT _TOPO_ROUTE_NOW='' _TOPO_ROUTE_RAW=''
	while :; do
		case $1 in
		-6) six=(-6); shift ;;
		-t) t=$2; shift 2 ;;
		*) break ;;
		esac
	done
	poll_until "$t" _topo_route_is "${six[@]}" "$1" "$2" "$3" && return 0
	fail "route to $2 in $1: expected \"$3\", got \"$_TOPO_ROUTE_NOW\" after ${t}s"$'\n'"  ip -j route: $_TOPO_ROUTE_RAW"
}

# topo_announced [-6] PREFIX RID: rtr's OSPF (OSPFv3) database holds a live
# (not MaxAge) AS-external LSA for PREFIX (an address: "198.51.100.20")
# from router RID.
topo_announced() {
	local v6=0 prefix rid db line age=0 w
	if [[ $1 == -6 ]]; then
		v6=1
		shift
	fi
	prefix=$1 rid=$2
	if ((v6)); then
		db=$(topo_vtysh rtr "show ipv6 ospf6 database as-external") || return
		# Type LSId AdvRouter Age SeqNum Payload
		while read -r -a w; do
			[[ ${w[0]-} == ASE && ${w[2]-} == "$rid" && ${w[5]-} == "$prefix/128" ]] &&
				((w[3] < 3600)) && return 0
		done <<<"$db"
		return 1
	fi
	db=$(topo_vtysh rtr "show ip ospf database external $prefix") || return
	while read -r line; do
		case $line in
		"LS age: "*) age=${line#LS age: } ;;
		"Advertising Router: $rid") ((age < 3600)) && return 0 ;;
		esac
	done <<<"$db"
	return 1
}

# topo_bgp_path [-6] PREFIX NEIGHBOUR: the AS path of rtr's BGP path for
# PREFIX learned from NEIGHBOUR (an address of a node), as bgpd shows it
# ("65002 65002 65002"); fails when rtr has no such path.
topo_bgp_path() {
	local af=ipv4 out
	if [[ $1 == -6 ]]; then
		af=ipv6
		shift
	fi
	out=$(topo_vtysh rtr "show bgp $af unicast $1 json") || return
	"${_VZR_JQ[@]}" -r -e --arg n "$2" \
		'[.paths[]? | select(.peer.peerId == $n) | .aspath.string] | first // empty' <<<"$out"
}

# topo_ping [-6] NS ADDR: an echo from NS to ADDR is answered (within 2 s).
topo_ping() {
	local f=-4
	if [[ $1 == -6 ]]; then
		f=-6
		shift
	fi
	ip netns exec "$1" ping "$f" -n -q -c 1 -W 2 "$2" >/dev/null
}

# expect_ping [-6] NS ADDR: fail unless topo_ping succeeds within
# $VZR_TIMEOUT.
expect_ping() {
	poll_until "$VZR_TIMEOUT" topo_ping "$@" && return 0
	fail "no answer to ping from $* within ${VZR_TIMEOUT}s"
}

###########################################################################
# Outage measurement

# topo_ping_start NS ADDR FILE: ping ADDR from NS every 10 ms in the
# background, output (with timestamps) to FILE.
topo_ping_start() {
	ip netns exec "$1" ping -n -D -i 0.01 "$2" >"$3" 2>&1 &
	_TOPO_PING_PID=$!
	_TOPO_PING_FILE=$3
}

# topo_ping_run N [LINE]: true when the last N replies in the ping output
# (after its first LINE lines, default 0) answer N consecutive echo
# requests: the path works, without a loss, right now.
topo_ping_run() {
	awk -v n="$1" -v from="${2:-0}" '
		/bytes from/ && !/DUP!/ && match($0, /icmp_seq=[0-9]+/) {
			s = substr($0, RSTART + 9, RLENGTH - 9) + 0
			if (NR > from) run = (run && s == prev + 1) ? run + 1 : 1
			prev = s
		}
		END { exit !(run >= n) }' "$_TOPO_PING_FILE"
}

# topo_ping_stop: stop the ping and set PING_SENT, PING_RECV, PING_TIME_MS
# (how long it ran), PING_LOST (echo requests left unanswered between the
# first reply and the last one: not those still in flight when ping stops),
# PING_STEP_US (the real time between two sends: under emulation ping sends
# less often than asked), PING_OUTAGE_MS (lost x that step) and PING_GAP_MS
# (the longest time between two consecutive replies, from ping's
# timestamps).
topo_ping_stop() {
	local out
	kill -INT "$_TOPO_PING_PID" 2>/dev/null || true
	wait "$_TOPO_PING_PID" 2>/dev/null || true
	_TOPO_PING_PID=
	out=$(awk '
		/bytes from/ && !/DUP!/ {
			t = substr($1, 2, length($1) - 2) + 0
			if (last && t - last > gap) gap = t - last
			last = t
			if (match($0, /icmp_seq=[0-9]+/)) {
				s = substr($0, RSTART + 9, RLENGTH - 9) + 0
				if (!first) first = s
				lastseq = s
				got++
			}
		}
		/packets transmitted/ {
			sent = $1; recv = $4
			for (i = 1; i < NF; i++) if ($i == "time") ms = $(i + 1) + 0
		}
		END {
			lost = got ? lastseq - first + 1 - got : sent
			printf "%d %d %d %d %d\n", sent, recv, ms, gap * 1000, lost
		}' "$_TOPO_PING_FILE")
	read -r PING_SENT PING_RECV PING_TIME_MS PING_GAP_MS PING_LOST <<<"$out"
	PING_STEP_US=0
	((PING_SENT <= 1)) || PING_STEP_US=$((PING_TIME_MS * 1000 / (PING_SENT - 1)))
	PING_OUTAGE_MS=$((PING_LOST * PING_STEP_US / 1000))
}

# topo_move [-h] CT NODE HOSTIF: live migration of container CT to NODE
# (topo_ct_migrate: its veth goes on the old node, a new one, HOSTIF, comes
# on NODE with the same addresses) while rtr pings CT's first IPv4 address
# every 10 ms; measures the outage.  The one measurement of the migration
# test (51-frr-migrate.sh), the demo and make bench (tests/guest/bench-migrate.sh).
#   -h  the routes are moved by hand, as a script would at best (vzroute
#       not involved: unloaded, or blind to HOSTIF's name): "ip route del"
#       on the old node in the ip call that deletes the old veth, "ip route
#       add" on NODE in the one that brings the new veth up
#       (topo_ct_migrate -h).
# The old node must have no vzroute route left within 1 s.
# The move starts once 10 echo requests in a row were answered; it ends
# when rtr's route goes through r-NODE (within TOPO_TIMEOUT) and, after
# that, 20 echo requests in a row were answered.  Prints a summary; sets
# the PING_* of topo_ping_stop, MOVE_FROM (the old node) and MOVE_CONV_MS
# (from the start of the move to rtr's route via r-NODE, as seen by
# polling).
topo_move() {
	local opt=() how='' ct node hostif from addr='' a addrs t0 line
	if [[ $1 == -h ]]; then
		opt=(-h) how=' (routes moved by hand)'
		shift
	fi
	ct=$1 node=$2 hostif=$3
	from=${_TOPO_CT_NODE[$ct]-}
	[[ -n $from ]] || { fail "topo_move: $ct is not plugged"; return 1; }
	read -r -a addrs <<<"${_TOPO_CT_ADDRS[$ct]-}"
	for a in "${addrs[@]}"; do
		[[ $a == *:* ]] || { addr=$a; break; }
	done
	[[ -n $addr ]] || { fail "topo_move: $ct has no IPv4 address to ping"; return 1; }
	MOVE_FROM=$from
	topo_ping_start rtr "$addr" "${TMPDIR:-/tmp}/vzr-move-ping.$$"
	# From a working state.
	poll_until "$VZR_TIMEOUT" topo_ping_run 10 ||
		{ topo_ping_stop; fail "ping $addr from rtr: no 10 replies in a row before the move"; return 1; }
	t0=$(_vzr_now_us)
	topo_ct_migrate "${opt[@]}" "$ct" "$node" "$hostif" || { topo_ping_stop; return 1; }
	# The old node withdraws at once: vzroute's route dies with the veth.
	# Only the moved container's addresses: other containers may still
	# live on the old node (59-bgp-migrate ends with ct1 on n1, then moves
	# the floor's container away from n1).  (Checked with -h too, where it
	# cannot fail: both ways of moving then spend the same processes
	# during the outage.)
	if ! poll_until 1 _topo_no_vzr_route "$from" "${addrs[@]}"; then
		topo_ping_stop
		fail "topo_move: $from still routes ${addrs[*]} (protocol $VZR_PROTO) 1 s after the move:"$'\n'"$_TOPO_LEFT"
		return 1
	fi
	expect_route rtr "$addr/32" "$TOPO_PROTO r-$node" || { topo_ping_stop; return 1; }
	MOVE_CONV_MS=$(topo_ms_since "$t0")
	# Until the replies are back: 20 in a row, all after rtr's route moved.
	line=$(wc -l <"$_TOPO_PING_FILE")
	if ! poll_until "$TOPO_TIMEOUT" topo_ping_run 20 "$line"; then
		topo_ping_stop
		fail "ping $addr from rtr: no 20 replies in a row within ${TOPO_TIMEOUT}s of the move $from -> $node"
		return 1
	fi
	topo_ping_stop
	rm -f "$_TOPO_PING_FILE"
	echo "migration$how $from -> $node:" \
		"rtr's route via r-$node after $MOVE_CONV_MS ms;" \
		"$PING_LOST of $PING_SENT pings lost (one sent every $((PING_STEP_US / 1000)).$((PING_STEP_US / 100 % 10)) ms):" \
		"outage $PING_OUTAGE_MS ms; longest time without a reply $PING_GAP_MS ms"
}

# _topo_no_vzr_route NS ADDR...: NS's main table holds no route of
# protocol $VZR_PROTO to any ADDR (host routes); what it holds is left in
# _TOPO_LEFT.
_topo_no_vzr_route() {
	local ns=$1 a len out
	shift
	_TOPO_LEFT=
	for a in "$@"; do
		len=32
		[[ $a != *:* ]] || len=128
		out=$(ip -n "$ns" route show table main exact "$a/$len" proto "$VZR_PROTO") || return
		[[ -z $out ]] || _TOPO_LEFT+="  $out"$'\n'
	done
	[[ -z $_TOPO_LEFT ]]
}

# topo_ms_since T0_US: milliseconds since T0 (from _vzr_now_us).
topo_ms_since() {
	_vzr_now
	echo $(((_VZR_NOW - $1) / 1000))
}
