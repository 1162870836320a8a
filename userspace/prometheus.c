// SPDX-License-Identifier: GPL-2.0
/*
 * vzroute stats -o prometheus: the counters, the tracked addresses per
 * state and the settings, in the Prometheus text exposition format (0.0.4),
 * for node_exporter's textfile collector.  Three requests on one socket;
 * printed only when all three succeeded, so that a failed run leaves
 * nothing half written for the collector to read.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/vzroute.h>

#include "addr.h"
#include "nl.h"
#include "subcommands.h"
#include "values.h"

#ifndef VERSION
#define VERSION "0.1.0"
#endif

struct states {
	uint16_t family_id;
	uint64_t n[VZROUTE_STATE_MAX + 1];	/* [0]: a state unknown here */
};

static void states_reset(void *data)
{
	struct states *s = data;

	memset(s->n, 0, sizeof(s->n));
}

static int states_cb(const struct nlmsghdr *nlh, void *data)
{
	struct states *s = data;
	struct vz_addr_ext ext;
	struct vz_addr a;

	if (nlh->nlmsg_type != s->family_id || vz_addr_parse(nlh, &a, &ext) < 0)
		return 0;
	s->n[a.state <= VZROUTE_STATE_MAX ? a.state : 0]++;
	return 0;
}

/* A label value: backslash, double quote and newline escaped. */
static void label(const char *name, const char *value, bool first)
{
	printf("%s%s=\"", first ? "" : ",", name);
	for (; *value; value++) {
		if (*value == '\\' || *value == '"')
			printf("\\%c", *value);
		else if (*value == '\n')
			fputs("\\n", stdout);
		else
			putchar(*value);
	}
	putchar('"');
}

static void header(const char *name, const char *type, const char *help)
{
	printf("# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void print_counters(const struct values *v)
{
	char name[96];

	for (size_t k = 0; k < v->n; k++) {
		if (!v->have[k])
			continue;
		if (v->keys[k].gauge) {
			snprintf(name, sizeof(name), "vzroute_%s", v->keys[k].name);
			header(name, "gauge", v->keys[k].help);
		} else {
			snprintf(name, sizeof(name), "vzroute_%s_total", v->keys[k].name);
			header(name, "counter", v->keys[k].help);
		}
		printf("%s %" PRIu64 "\n", name, v->num[k]);
	}
}

static void print_states(const struct states *s)
{
	header("vzroute_entries", "gauge",
	       "Tracked container addresses, by state (vzroute show).");
	for (int st = 1; st <= VZROUTE_STATE_MAX; st++)
		printf("vzroute_entries{state=\"%s\"} %" PRIu64 "\n",
		       vz_state_name((uint8_t)st), s->n[st]);
	if (s->n[0])
		printf("vzroute_entries{state=\"unknown\"} %" PRIu64 "\n", s->n[0]);
}

static void print_info(const struct values *cfg, uint32_t genl_version)
{
	char num[24];

	header("vzroute_info", "gauge",
	       "The tool's version, the family's version and the module's settings, as labels.");
	printf("vzroute_info{");
	label("version", VERSION, true);
	snprintf(num, sizeof(num), "%" PRIu32, genl_version);
	label("genl_version", num, false);
	for (size_t k = 0; k < cfg->n; k++) {
		const struct value_key *key = &cfg->keys[k];

		if (!cfg->have[k])
			continue;
		if (key->type == V_STR || key->type == V_LIST) {
			label(key->name, cfg->str[k], false);
		} else {
			snprintf(num, sizeof(num), "%" PRIu64, cfg->num[k]);
			label(key->name, num, false);
		}
	}
	printf("} 1\n");
}

int prometheus_print(void)
{
	struct values cnt = { .keys = stats_keys, .n = stats_nkeys };
	struct values cfg = { .keys = config_keys, .n = config_nkeys };
	struct states st = { 0 };
	const char *what;
	struct nl nl;
	int err;

	if (nl_open(&nl))
		return EXIT_FAIL;
	st.family_id = nl.family.id;
	what = "reading the counters";
	err = values_get(&nl, VZROUTE_CMD_GET_COUNTERS, &cnt);
	if (!err) {
		what = "reading the settings";
		err = values_get(&nl, VZROUTE_CMD_GET_CONFIG, &cfg);
	}
	if (!err) {
		what = "reading addresses";
		err = nl_dump(&nl, VZROUTE_CMD_GET_ADDRS, states_cb, states_reset, &st);
	}
	if (err == -EINTR)
		fprintf(stderr, "vzroute: %s: they kept changing during the dump; "
			"gave up after %d tries\n", what, NL_DUMP_REDO + 1);
	else if (err)
		nl_fail(&nl, what, err, false);
	if (!err) {
		print_counters(&cnt);
		print_states(&st);
		print_info(&cfg, nl.family.version);
	}
	nl_close(&nl);
	values_free(&cnt);
	values_free(&cfg);
	return err ? EXIT_FAIL : finish_output(EXIT_OK);
}
