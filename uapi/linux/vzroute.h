/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * vzroute: host routes for container addresses.
 *
 * The generic netlink family "vzroute" shared by the kernel module and the
 * vzroute tool.
 *
 * Requests:
 *
 * VZROUTE_CMD_GET_CONFIG (do): no attributes; the answer carries
 *   VZROUTE_A_PROTO, _METRIC, _TABLE, _MAX_PER_NETNS, _KEEP_ROUTES,
 *   _HOST_IFNAMES, _ALLOW (with each entry's binding), _NEIGH_DEVS and
 *   _NEIGH_ANNOUNCE. Allowed to anyone
 *   in the initial network namespace; elsewhere refused with -EPERM and an
 *   extended ACK message, since the allow list and its bindings say which
 *   addresses the node gives which container, and a container is to learn
 *   nothing of the others (nor is a namespace acting as a node).
 *
 * VZROUTE_CMD_SET_CONFIG (do): any of the attributes above, plus
 *   VZROUTE_A_ALLOW_ADD and VZROUTE_A_ALLOW_DEL (one entry each). The
 *   request is checked as a whole and applied as a whole, or refused with
 *   an extended ACK message and nothing changed. A metric, table or
 *   protocol change moves the installed routes without a gap. Needs
 *   CAP_NET_ADMIN in the initial user namespace.
 *
 * VZROUTE_CMD_GET_ADDRS (dump): one message per tracked address, with
 *   VZROUTE_A_ADDR_* attributes; an address that holds its route and has
 *   proxy neighbour entries (neigh_devs) has one VZROUTE_A_ADDR_NEIGH per
 *   uplink. A caller outside the initial network
 *   namespace sees only the addresses whose host side is in its own
 *   namespace. A dump that raced with changes is flagged NLM_F_DUMP_INTR.
 *
 * VZROUTE_CMD_GET_COUNTERS (do): the VZROUTE_A_CNT_* attributes. Only from
 *   the initial network namespace (-EPERM elsewhere).
 *
 * VZROUTE_CMD_RESYNC (do): compare with the kernel's routing tables and
 *   reconcile now. Needs CAP_NET_ADMIN in the initial user namespace.
 *
 * Allow-list entries: "PREFIX" or "PREFIX@PATTERN", the same text in the
 *   allow= module parameter, VZROUTE_A_ALLOW, _ALLOW_ADD and _ALLOW_DEL.
 *   PREFIX is "ADDR" or "ADDR/LEN", IPv4 or IPv6. PATTERN binds the entry
 *   to the host-side devices whose name it matches (a shell pattern: '*',
 *   '?', '[...]'; no ',', '@', '/' or blanks). The most specific entries
 *   containing an address (longest LEN) decide: the address is routed
 *   through a host device that one of them names no pattern for or whose
 *   name matches its pattern; if they all name other devices, the address
 *   is VZROUTE_STATE_UNBOUND there. Entries are keyed by prefix and
 *   pattern together: the same prefix may be bound to several devices.
 *
 * Notifications, on multicast group VZROUTE_MCGRP_EVENTS:
 *
 * VZROUTE_CMD_EVENT: VZROUTE_A_EVENT plus the VZROUTE_A_ADDR_* (and, when
 *   installed, VZROUTE_A_ROUTE_*) attributes of the address concerned, as
 *   in a VZROUTE_CMD_GET_ADDRS entry. Delivered in the initial network namespace,
 *   and in the namespace of the host side when that is another one.
 */
#ifndef _UAPI_LINUX_VZROUTE_H
#define _UAPI_LINUX_VZROUTE_H

#define VZROUTE_GENL_NAME	"vzroute"
#define VZROUTE_GENL_VERSION	1
#define VZROUTE_MCGRP_EVENTS	"events"

/** VZROUTE_RTPROT - default route protocol number of vzroute's routes */
#define VZROUTE_RTPROT		157
/** VZROUTE_METRIC - default metric of vzroute's routes */
#define VZROUTE_METRIC		128
/** VZROUTE_PREFIX_STRLEN - room for "ADDR/LEN" with its NUL */
#define VZROUTE_PREFIX_STRLEN	64
/** VZROUTE_IFNAMES_STRLEN - room for the host_ifnames list with its NUL */
#define VZROUTE_IFNAMES_STRLEN	256
/** VZROUTE_PATTERN_STRLEN - room for an allow entry's device pattern, NUL */
#define VZROUTE_PATTERN_STRLEN	32
/** VZROUTE_ANNOUNCE_MAX - most announcements per proxy entry added */
#define VZROUTE_ANNOUNCE_MAX	10
/** VZROUTE_ENTRY_STRLEN - room for "ADDR/LEN@PATTERN" with its NUL */
#define VZROUTE_ENTRY_STRLEN	(VZROUTE_PREFIX_STRLEN + VZROUTE_PATTERN_STRLEN)

/**
 * enum vzroute_cmd - commands of the family
 * @VZROUTE_CMD_GET_CONFIG: read the settings
 * @VZROUTE_CMD_SET_CONFIG: change settings
 * @VZROUTE_CMD_GET_ADDRS: dump the tracked addresses
 * @VZROUTE_CMD_GET_COUNTERS: read the counters
 * @VZROUTE_CMD_RESYNC: full reconciliation now
 * @VZROUTE_CMD_EVENT: notification of a state change
 */
enum vzroute_cmd {
	VZROUTE_CMD_GET_CONFIG = 1,
	VZROUTE_CMD_SET_CONFIG,
	VZROUTE_CMD_GET_ADDRS,
	VZROUTE_CMD_GET_COUNTERS,
	VZROUTE_CMD_RESYNC,
	VZROUTE_CMD_EVENT,

	__VZROUTE_CMD_MAX
};

#define VZROUTE_CMD_MAX (__VZROUTE_CMD_MAX - 1)

/**
 * enum vzroute_attr - attributes of the family
 * @VZROUTE_A_PAD: padding for 64-bit attributes
 * @VZROUTE_A_PROTO: u32, route protocol number, 3..255 except those of
 *	routing daemons (11, 12, 42, 186..198)
 * @VZROUTE_A_METRIC: u32, route metric, below 2^24
 * @VZROUTE_A_TABLE: u32, routing table, not 0, 252 or 255
 * @VZROUTE_A_MAX_PER_NETNS: u32, routes per container namespace, 0 = any
 * @VZROUTE_A_KEEP_ROUTES: u8, 1 to leave routes in place on unload
 * @VZROUTE_A_HOST_IFNAMES: string, comma-separated host-side name patterns;
 *	empty matches any name; at most VZROUTE_IFNAMES_STRLEN - 1 bytes
 * @VZROUTE_A_ALLOW: string, the whole allow list, comma-separated entries
 *	"PREFIX[@PATTERN]" (at most 64); empty routes nothing; at most
 *	64 * VZROUTE_ENTRY_STRLEN bytes
 * @VZROUTE_A_ALLOW_ADD: string, one entry "PREFIX[@PATTERN]" to add to the
 *	allow list, at most VZROUTE_ENTRY_STRLEN - 1 bytes; -EEXIST when the
 *	same prefix with the same pattern (or none) is present
 * @VZROUTE_A_ALLOW_DEL: string, one entry to remove from the allow list,
 *	as it was added (a bare prefix removes the unbound entry only);
 *	-ENOENT when absent
 * @VZROUTE_A_ADDR_FAMILY: u8, AF_INET or AF_INET6
 * @VZROUTE_A_ADDR_ADDR: binary, 4 or 16 bytes, the container address
 * @VZROUTE_A_ADDR_CT_NETNS: u32, inode number of the container netns
 * @VZROUTE_A_ADDR_CT_IFINDEX: u32, container device
 * @VZROUTE_A_ADDR_CT_IFNAME: string, container device
 * @VZROUTE_A_ADDR_HOST_NETNS: u32, inode number of the host-side netns
 * @VZROUTE_A_ADDR_HOST_IFINDEX: u32, host-side device
 * @VZROUTE_A_ADDR_HOST_IFNAME: string, host-side device
 * @VZROUTE_A_ADDR_STATE: u8, enum vzroute_state
 * @VZROUTE_A_ADDR_ERRNO: s32, positive errno when the state is FAILED,
 *	else 0
 * @VZROUTE_A_ADDR_SINCE: u64, seconds since the epoch of the last change
 * @VZROUTE_A_ADDR_AGE: u64, seconds in the current state
 * @VZROUTE_A_ROUTE_PROTO: u32, protocol of the installed route
 * @VZROUTE_A_ROUTE_METRIC: u32, metric of the installed route
 * @VZROUTE_A_ROUTE_TABLE: u32, table of the installed route
 * @VZROUTE_A_EVENT: u8, enum vzroute_event
 * @VZROUTE_A_CNT_EVENTS: u64, kernel events seen
 * @VZROUTE_A_CNT_ADDED: u64, routes added
 * @VZROUTE_A_CNT_REMOVED: u64, routes removed
 * @VZROUTE_A_CNT_FAILED: u64, route changes refused by the kernel
 * @VZROUTE_A_CNT_DENIED: u64, addresses refused by the allow list
 * @VZROUTE_A_CNT_OVER_CAP: u64, addresses refused by max_per_netns
 * @VZROUTE_A_CNT_CONFLICTS: u64, addresses that met a foreign route
 * @VZROUTE_A_CNT_TAKEOVERS: u64, standby addresses that took over
 * @VZROUTE_A_CNT_RECONCILIATIONS: u64, reconciler runs
 * @VZROUTE_A_CNT_BACKLOG_MAX: u64, most kicks waiting for one run
 * @VZROUTE_A_CNT_ADOPTED: u64, routes of ours found in place and kept
 * @VZROUTE_A_CNT_VERIFIES: u64, comparisons with the kernel's tables
 * @VZROUTE_A_CNT_UNBOUND: u64, addresses refused because their allow entry
 *	is bound to other host devices
 * @VZROUTE_A_CNT_UNTRACKED: u64, addresses left untracked because their
 *	container namespace had max_tracked_per_netns tracked already; each
 *	look that met one counts it
 * @VZROUTE_A_CNT_TRACKED: u64, addresses tracked now (a gauge)
 * @VZROUTE_A_ADDR_CTID: string, the OpenVZ container (CTID) the container
 *	namespace belongs to; only on OpenVZ kernels, not for the node's own
 *	namespaces (added last: the numbers before it do not move)
 * @VZROUTE_A_NEIGH_DEVS: string, the uplinks that get proxy neighbour
 *	entries for routed addresses: empty for none (the default), "detect"
 *	for every uplink that is up, not loopback, not a slave, not NOARP and
 *	holds a global address, or comma-separated shell patterns of uplink
 *	names; either way only uplinks with a connected prefix containing the
 *	address; at most VZROUTE_IFNAMES_STRLEN - 1 bytes
 * @VZROUTE_A_NEIGH_ANNOUNCE: u8, announcements (gratuitous ARP, unsolicited
 *	neighbour advertisement) sent on each uplink when a proxy entry is
 *	added, one a second, 0 for none; at most VZROUTE_ANNOUNCE_MAX
 * @VZROUTE_A_ADDR_NEIGH: nested, one per uplink the address is proxied on
 *	(or meant to be), with the VZROUTE_NEIGH_A_* attributes; repeated
 * @VZROUTE_A_CNT_NEIGH_ADDED: u64, proxy neighbour entries added
 * @VZROUTE_A_CNT_NEIGH_REMOVED: u64, proxy neighbour entries removed
 * @VZROUTE_A_CNT_NEIGH_CONFLICTS: u64, proxy entries vzroute did not make
 *	found where it meant to add one (left in place)
 * @VZROUTE_A_CNT_ANNOUNCED: u64, announcements sent
 * @VZROUTE_A_CNT_ANNOUNCE_DEFERRED: u64, announcements that waited: an
 *	address is announced on an uplink at most once in 5 s, a container
 *	sends at most 10 a second and the node 100
 * @VZROUTE_A_CNT_ANNOUNCE_DROPPED: u64, announcements not made because
 *	too many addresses were waiting or held down
 * @VZROUTE_A_CNT_RTNL_SCANS: u64, reconciler runs that read devices under
 *	RTNL; the others had nothing to read, or only IPv4 addresses added
 *	to tracked devices, whose facts the address notifier kept
 * @VZROUTE_A_CNT_DEFERRED: u64, route adds that waited for their
 *	container's budget: twice max_per_netns at once (twice
 *	max_tracked_per_netns when it is 0), then a tenth of that a second,
 *	rounded down (at least one)
 * @VZROUTE_A_CNT_TABLE_BYTES: u64, memory of the hash tables of tracked
 *	addresses and their routes, in bytes, now (a gauge; what they
 *	hold is counted by the kernel's slab caches)
 * @VZROUTE_A_CNT_AHEAD: u64, routes added before their address was
 *	tracked, as soon as a run began: an IPv4 address added alone on a
 *	quiet node (counted in VZROUTE_A_CNT_ADDED too)
 */
enum vzroute_attr {
	VZROUTE_A_PAD = 1,
	VZROUTE_A_PROTO,
	VZROUTE_A_METRIC,
	VZROUTE_A_TABLE,
	VZROUTE_A_MAX_PER_NETNS,
	VZROUTE_A_KEEP_ROUTES,
	VZROUTE_A_HOST_IFNAMES,
	VZROUTE_A_ALLOW,
	VZROUTE_A_ALLOW_ADD,
	VZROUTE_A_ALLOW_DEL,
	VZROUTE_A_ADDR_FAMILY,
	VZROUTE_A_ADDR_ADDR,
	VZROUTE_A_ADDR_CT_NETNS,
	VZROUTE_A_ADDR_CT_IFINDEX,
	VZROUTE_A_ADDR_CT_IFNAME,
	VZROUTE_A_ADDR_HOST_NETNS,
	VZROUTE_A_ADDR_HOST_IFINDEX,
	VZROUTE_A_ADDR_HOST_IFNAME,
	VZROUTE_A_ADDR_STATE,
	VZROUTE_A_ADDR_ERRNO,
	VZROUTE_A_ADDR_SINCE,
	VZROUTE_A_ADDR_AGE,
	VZROUTE_A_ROUTE_PROTO,
	VZROUTE_A_ROUTE_METRIC,
	VZROUTE_A_ROUTE_TABLE,
	VZROUTE_A_EVENT,
	VZROUTE_A_CNT_EVENTS,
	VZROUTE_A_CNT_ADDED,
	VZROUTE_A_CNT_REMOVED,
	VZROUTE_A_CNT_FAILED,
	VZROUTE_A_CNT_DENIED,
	VZROUTE_A_CNT_OVER_CAP,
	VZROUTE_A_CNT_CONFLICTS,
	VZROUTE_A_CNT_TAKEOVERS,
	VZROUTE_A_CNT_RECONCILIATIONS,
	VZROUTE_A_CNT_BACKLOG_MAX,
	VZROUTE_A_CNT_ADOPTED,
	VZROUTE_A_CNT_VERIFIES,
	VZROUTE_A_CNT_UNBOUND,
	VZROUTE_A_CNT_UNTRACKED,
	VZROUTE_A_CNT_TRACKED,
	VZROUTE_A_ADDR_CTID,
	VZROUTE_A_NEIGH_DEVS,
	VZROUTE_A_NEIGH_ANNOUNCE,
	VZROUTE_A_ADDR_NEIGH,
	VZROUTE_A_CNT_NEIGH_ADDED,
	VZROUTE_A_CNT_NEIGH_REMOVED,
	VZROUTE_A_CNT_NEIGH_CONFLICTS,
	VZROUTE_A_CNT_ANNOUNCED,
	VZROUTE_A_CNT_ANNOUNCE_DEFERRED,
	VZROUTE_A_CNT_ANNOUNCE_DROPPED,
	VZROUTE_A_CNT_RTNL_SCANS,
	VZROUTE_A_CNT_DEFERRED,
	VZROUTE_A_CNT_TABLE_BYTES,
	VZROUTE_A_CNT_AHEAD,

	__VZROUTE_A_MAX
};

#define VZROUTE_A_MAX (__VZROUTE_A_MAX - 1)

/**
 * enum vzroute_state - what became of one tracked container address
 * @VZROUTE_STATE_PENDING: seen, not decided yet; or decided, its route
 *	waiting for its container's budget (VZROUTE_A_CNT_DEFERRED)
 * @VZROUTE_STATE_INSTALLED: the host route exists and is ours
 * @VZROUTE_STATE_DENIED: outside the allow list
 * @VZROUTE_STATE_OVER_CAP: the container namespace reached max_per_netns
 * @VZROUTE_STATE_CONFLICT: a route vzroute did not create holds the prefix
 * @VZROUTE_STATE_STANDBY: another container holds the same address
 * @VZROUTE_STATE_TENTATIVE: IPv6 duplicate address detection still running
 * @VZROUTE_STATE_DAD_FAILED: IPv6 duplicate address detection failed
 * @VZROUTE_STATE_DOWN: the container device or its host side is down
 * @VZROUTE_STATE_HOST_LOCAL: the address is local to the host namespace
 * @VZROUTE_STATE_FAILED: adding the route failed with an errno
 * @VZROUTE_STATE_UNMAPPED: the node's own list of the container's addresses
 *	(the OpenVZ venet IP map) does not name it; re-checked while pending
 * @VZROUTE_STATE_UNBOUND: the most specific allow entries containing the
 *	address are bound to other host devices: it belongs to another
 *	container, and is never routed through this one, nor standby here
 */
enum vzroute_state {
	VZROUTE_STATE_PENDING = 1,
	VZROUTE_STATE_INSTALLED,
	VZROUTE_STATE_DENIED,
	VZROUTE_STATE_OVER_CAP,
	VZROUTE_STATE_CONFLICT,
	VZROUTE_STATE_STANDBY,
	VZROUTE_STATE_TENTATIVE,
	VZROUTE_STATE_DAD_FAILED,
	VZROUTE_STATE_DOWN,
	VZROUTE_STATE_HOST_LOCAL,
	VZROUTE_STATE_FAILED,
	VZROUTE_STATE_UNMAPPED,
	VZROUTE_STATE_UNBOUND,

	__VZROUTE_STATE_MAX
};

#define VZROUTE_STATE_MAX (__VZROUTE_STATE_MAX - 1)

/**
 * enum vzroute_event - what a VZROUTE_CMD_EVENT reports
 * @VZROUTE_EVENT_INSTALLED: a route was added for the address
 * @VZROUTE_EVENT_WITHDRAWN: the address lost its route
 * @VZROUTE_EVENT_DENIED: the allow list refused the address
 * @VZROUTE_EVENT_OVER_CAP: max_per_netns refused the address
 * @VZROUTE_EVENT_CONFLICT: a foreign route holds the prefix
 * @VZROUTE_EVENT_STANDBY: another container holds the address
 * @VZROUTE_EVENT_TAKEOVER: a standby address took the route over
 * @VZROUTE_EVENT_FAILED: the kernel refused the route
 * @VZROUTE_EVENT_STATE: any other change of state (down, DAD, host-local)
 * @VZROUTE_EVENT_NEIGH: the address's proxy neighbour entries changed (see
 *	its VZROUTE_A_ADDR_NEIGH attributes)
 */
enum vzroute_event {
	VZROUTE_EVENT_INSTALLED = 1,
	VZROUTE_EVENT_WITHDRAWN,
	VZROUTE_EVENT_DENIED,
	VZROUTE_EVENT_OVER_CAP,
	VZROUTE_EVENT_CONFLICT,
	VZROUTE_EVENT_STANDBY,
	VZROUTE_EVENT_TAKEOVER,
	VZROUTE_EVENT_FAILED,
	VZROUTE_EVENT_STATE,
	VZROUTE_EVENT_NEIGH,

	__VZROUTE_EVENT_MAX
};

#define VZROUTE_EVENT_MAX (__VZROUTE_EVENT_MAX - 1)

/**
 * enum vzroute_neigh_attr - attributes inside a VZROUTE_A_ADDR_NEIGH
 * @VZROUTE_NEIGH_A_IFINDEX: u32, the uplink
 * @VZROUTE_NEIGH_A_IFNAME: string, the uplink's name
 * @VZROUTE_NEIGH_A_STATE: u8, enum vzroute_neigh_state
 * @VZROUTE_NEIGH_A_ERRNO: s32, positive errno when the state is FAILED
 */
enum vzroute_neigh_attr {
	VZROUTE_NEIGH_A_IFINDEX = 1,
	VZROUTE_NEIGH_A_IFNAME,
	VZROUTE_NEIGH_A_STATE,
	VZROUTE_NEIGH_A_ERRNO,

	__VZROUTE_NEIGH_A_MAX
};

#define VZROUTE_NEIGH_A_MAX (__VZROUTE_NEIGH_A_MAX - 1)

/**
 * enum vzroute_neigh_state - the proxy neighbour entry of an address on
 *	one uplink
 * @VZROUTE_NEIGH_PROXIED: vzroute's proxy entry is in place
 * @VZROUTE_NEIGH_FOREIGN: a proxy entry vzroute did not make is there; it
 *	is left alone (and answers for the address all the same)
 * @VZROUTE_NEIGH_NO_PROXY_NDP: vzroute's entry is in place, but the uplink
 *	answers no neighbour solicitation for it: set net.ipv6.conf.UPLINK.
 *	proxy_ndp=1 (vzroute changes no sysctl)
 * @VZROUTE_NEIGH_FAILED: the kernel refused the entry
 */
enum vzroute_neigh_state {
	VZROUTE_NEIGH_PROXIED = 1,
	VZROUTE_NEIGH_FOREIGN,
	VZROUTE_NEIGH_NO_PROXY_NDP,
	VZROUTE_NEIGH_FAILED,

	__VZROUTE_NEIGH_MAX
};

#define VZROUTE_NEIGH_MAX (__VZROUTE_NEIGH_MAX - 1)

#endif /* _UAPI_LINUX_VZROUTE_H */
