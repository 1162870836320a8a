// SPDX-License-Identifier: GPL-2.0
/*
 * vzroute stats: the module's counters.
 */

#include <linux/vzroute.h>

#include "subcommands.h"
#include "values.h"

/* All u64, printed in this order. */
#define COUNTER(name, attr) { name, attr, V_U64 }
static const struct value_key counters[] = {
	COUNTER("events", VZROUTE_A_CNT_EVENTS),
	COUNTER("routes_added", VZROUTE_A_CNT_ADDED),
	COUNTER("routes_removed", VZROUTE_A_CNT_REMOVED),
	COUNTER("routes_failed", VZROUTE_A_CNT_FAILED),
	COUNTER("denied", VZROUTE_A_CNT_DENIED),
	COUNTER("unbound", VZROUTE_A_CNT_UNBOUND),
	COUNTER("over_cap", VZROUTE_A_CNT_OVER_CAP),
	COUNTER("conflicts", VZROUTE_A_CNT_CONFLICTS),
	COUNTER("takeovers", VZROUTE_A_CNT_TAKEOVERS),
	COUNTER("reconciliations", VZROUTE_A_CNT_RECONCILIATIONS),
	COUNTER("backlog_max", VZROUTE_A_CNT_BACKLOG_MAX),
	COUNTER("adopted", VZROUTE_A_CNT_ADOPTED),
	COUNTER("verifies", VZROUTE_A_CNT_VERIFIES),
	COUNTER("untracked", VZROUTE_A_CNT_UNTRACKED),
	COUNTER("tracked", VZROUTE_A_CNT_TRACKED),
};

#define N_COUNTERS (sizeof(counters) / sizeof(counters[0]))
_Static_assert(N_COUNTERS <= VALUES_MAX, "VALUES_MAX");

int cmd_stats(int argc, char **argv)
{
	return values_cmd(argc, argv, "stats [-j|-p]", VZROUTE_CMD_GET_COUNTERS,
			  "reading the counters", counters, N_COUNTERS);
}
