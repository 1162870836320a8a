// SPDX-License-Identifier: GPL-2.0
/*
 * vzroute stats: the module's counters; with -o prometheus, the counters,
 * the entries per state and the settings in Prometheus' text format
 * (prometheus.c).
 */

#include <string.h>

#include <linux/vzroute.h>

#include "subcommands.h"
#include "values.h"

/*
 * All u64, printed in this order. A gauge is a level or a high-water
 * mark, not a count of events: rate() of it would mean nothing.
 */
#define COUNTER(name, attr, help) { name, attr, V_U64, help, false }
#define GAUGE(name, attr, help) { name, attr, V_U64, help, true }
const struct value_key stats_keys[] = {
	COUNTER("events", VZROUTE_A_CNT_EVENTS, "Kernel events seen."),
	COUNTER("routes_added", VZROUTE_A_CNT_ADDED, "Routes added."),
	COUNTER("routes_removed", VZROUTE_A_CNT_REMOVED, "Routes removed."),
	COUNTER("routes_failed", VZROUTE_A_CNT_FAILED,
		"Route changes refused by the kernel."),
	COUNTER("routes_deferred", VZROUTE_A_CNT_DEFERRED,
		"Route adds that waited for their container's budget."),
	COUNTER("routes_ahead", VZROUTE_A_CNT_AHEAD,
		"Routes added before their address was tracked: an IPv4 address added alone on a quiet node."),
	COUNTER("denied", VZROUTE_A_CNT_DENIED,
		"Addresses refused by the allow list."),
	COUNTER("unbound", VZROUTE_A_CNT_UNBOUND,
		"Addresses refused because their allow entry is bound to other host devices."),
	COUNTER("over_cap", VZROUTE_A_CNT_OVER_CAP,
		"Addresses refused by max_per_netns."),
	COUNTER("conflicts", VZROUTE_A_CNT_CONFLICTS,
		"Addresses that met a route vzroute did not make."),
	COUNTER("takeovers", VZROUTE_A_CNT_TAKEOVERS,
		"Standby addresses that took over."),
	COUNTER("reconciliations", VZROUTE_A_CNT_RECONCILIATIONS,
		"Reconciler runs."),
	GAUGE("backlog_max", VZROUTE_A_CNT_BACKLOG_MAX,
		"Most kicks that waited for one reconciler run."),
	COUNTER("rtnl_scans", VZROUTE_A_CNT_RTNL_SCANS,
		"Reconciler runs that read devices under RTNL."),
	COUNTER("adopted", VZROUTE_A_CNT_ADOPTED,
		"Routes of vzroute found in place and kept."),
	COUNTER("verifies", VZROUTE_A_CNT_VERIFIES,
		"Comparisons with the kernel's routing tables."),
	COUNTER("untracked", VZROUTE_A_CNT_UNTRACKED,
		"Looks that left an address untracked under max_tracked_per_netns."),
	GAUGE("tracked", VZROUTE_A_CNT_TRACKED,
		"Addresses tracked now."),
	GAUGE("table_bytes", VZROUTE_A_CNT_TABLE_BYTES,
		"Memory of the hash tables of tracked addresses and their routes, now."),
	COUNTER("neigh_added", VZROUTE_A_CNT_NEIGH_ADDED,
		"Proxy neighbour entries added on uplinks."),
	COUNTER("neigh_removed", VZROUTE_A_CNT_NEIGH_REMOVED,
		"Proxy neighbour entries removed."),
	COUNTER("neigh_conflicts", VZROUTE_A_CNT_NEIGH_CONFLICTS,
		"Proxy entries vzroute did not make, found where it meant to add one."),
	COUNTER("announced", VZROUTE_A_CNT_ANNOUNCED,
		"Gratuitous ARPs and unsolicited neighbour advertisements sent."),
	COUNTER("announce_deferred", VZROUTE_A_CNT_ANNOUNCE_DEFERRED,
		"Announcements that waited for the address's hold-down, or the container's or the node's rate."),
	COUNTER("announce_dropped", VZROUTE_A_CNT_ANNOUNCE_DROPPED,
		"Announcements not made: too many addresses waiting."),
};

#define N_COUNTERS (sizeof(stats_keys) / sizeof(stats_keys[0]))
_Static_assert(N_COUNTERS <= VALUES_MAX, "VALUES_MAX");
const size_t stats_nkeys = N_COUNTERS;

static const char usage[] = "stats [-j|-p|-o prometheus]";

int cmd_stats(int argc, char **argv)
{
	bool prom = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") && strcmp(argv[i], "--output"))
			continue;
		if (i + 1 == argc)
			return usage_error(usage, "stats: %s needs a format", argv[i]);
		if (strcmp(argv[i + 1], "prometheus"))
			return usage_error(usage, "stats: unknown format '%s' "
					   "(known: prometheus)", argv[i + 1]);
		if (prom)
			return usage_error(usage, "stats: -o given twice");
		prom = true;
		/* the rest, without "-o prometheus", as ever */
		memmove(&argv[i], &argv[i + 2], (size_t)(argc - i - 1) * sizeof(*argv));
		argc -= 2;
		i--;
	}
	if (!prom)
		return values_cmd(argc, argv, usage, VZROUTE_CMD_GET_COUNTERS,
				  "reading the counters", stats_keys, N_COUNTERS);
	for (int i = 1; i < argc; i++) {
		if (help_option(argv[i]))
			return usage_help(usage);
		if (output_option(argv[i]))
			return usage_error(usage, "stats: %s and -o prometheus "
					   "exclude each other", argv[i]);
		return usage_error(usage, "stats: unexpected argument '%s'", argv[i]);
	}
	if (opts.json)
		return usage_error(usage, "stats: -j/-p and -o prometheus "
				   "exclude each other");
	return prometheus_print();
}
