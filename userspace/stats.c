// SPDX-License-Identifier: GPL-2.0
/*
 * vzroute stats: the module's counters.
 */

#include <inttypes.h>
#include <stdio.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/vzroute.h>

#include "json.h"
#include "nl.h"
#include "subcommands.h"

static const struct counter {
	const char *name;
	uint16_t attr;
} counters[] = {
	{ "events", VZROUTE_A_CNT_EVENTS },
	{ "routes_added", VZROUTE_A_CNT_ADDED },
	{ "routes_removed", VZROUTE_A_CNT_REMOVED },
	{ "routes_failed", VZROUTE_A_CNT_FAILED },
	{ "denied", VZROUTE_A_CNT_DENIED },
	{ "over_cap", VZROUTE_A_CNT_OVER_CAP },
	{ "conflicts", VZROUTE_A_CNT_CONFLICTS },
	{ "takeovers", VZROUTE_A_CNT_TAKEOVERS },
	{ "reconciliations", VZROUTE_A_CNT_RECONCILIATIONS },
	{ "backlog_max", VZROUTE_A_CNT_BACKLOG_MAX },
	{ "adopted", VZROUTE_A_CNT_ADOPTED },
	{ "verifies", VZROUTE_A_CNT_VERIFIES },
};

#define N_COUNTERS (sizeof(counters) / sizeof(counters[0]))

struct values {
	uint16_t family_id;
	bool have[N_COUNTERS];
	uint64_t v[N_COUNTERS];
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct values *vals = data;
	const struct nlattr *attr;

	if (nlh->nlmsg_type != vals->family_id)
		return 0;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		for (size_t i = 0; i < N_COUNTERS; i++) {
			if (counters[i].attr != mnl_attr_get_type(attr) ||
			    mnl_attr_get_payload_len(attr) < 8)
				continue;
			vals->v[i] = mnl_attr_get_u64(attr);
			vals->have[i] = true;
		}
	}
	return 0;
}

static void print_stats(const struct values *vals)
{
	struct json j;

	if (!opts.json) {
		for (size_t i = 0; i < N_COUNTERS; i++)
			if (vals->have[i])
				printf("%s %" PRIu64 "\n", counters[i].name,
				       vals->v[i]);
		return;
	}
	json_init(&j, stdout, opts.pretty);
	json_begin_object(&j);
	for (size_t i = 0; i < N_COUNTERS; i++)
		if (vals->have[i])
			json_kv_uint(&j, counters[i].name, vals->v[i]);
	json_end_object(&j);
	putchar('\n');
}

int cmd_stats(int argc, char **argv)
{
	static const char usage[] = "stats [-j|-p]";
	struct values vals = { 0 };
	int ret = output_args(argc, argv, usage);

	if (ret >= 0)
		return ret;
	if (nl_once(VZROUTE_CMD_GET_COUNTERS, stats_cb, &vals, &vals.family_id,
		    "reading the counters", false))
		return EXIT_FAIL;
	print_stats(&vals);
	return finish_output(EXIT_OK);
}
