// SPDX-License-Identifier: GPL-2.0
/*
 * vzroute config, vzroute set KEY VALUE..., vzroute allow add|del PREFIX:
 * the module's settings.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/vzroute.h>

#include "json.h"
#include "nl.h"
#include "subcommands.h"

enum key_type { K_U32, K_BOOL, K_STR, K_LIST };

/* The settings in the order they are printed. */
static const struct key {
	const char *name;
	uint16_t attr;
	enum key_type type;
} keys[] = {
	{ "proto", VZROUTE_A_PROTO, K_U32 },
	{ "metric", VZROUTE_A_METRIC, K_U32 },
	{ "table", VZROUTE_A_TABLE, K_U32 },
	{ "max_per_netns", VZROUTE_A_MAX_PER_NETNS, K_U32 },
	{ "keep_routes", VZROUTE_A_KEEP_ROUTES, K_BOOL },
	{ "host_ifnames", VZROUTE_A_HOST_IFNAMES, K_STR },
	{ "allow", VZROUTE_A_ALLOW, K_LIST },
};

#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

/* --- vzroute config ----------------------------------------------------- */

struct config {
	uint16_t family_id;
	bool have[N_KEYS];
	uint32_t num[N_KEYS];
	char *str[N_KEYS];
};

static int config_cb(const struct nlmsghdr *nlh, void *data)
{
	struct config *cfg = data;
	const struct nlattr *attr;

	if (nlh->nlmsg_type != cfg->family_id)
		return 0;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		uint16_t type = mnl_attr_get_type(attr);
		size_t len = mnl_attr_get_payload_len(attr);

		for (size_t k = 0; k < N_KEYS; k++) {
			if (keys[k].attr != type)
				continue;
			switch (keys[k].type) {
			case K_U32:
			case K_BOOL:
				/* a u32, or a u8 for a flag */
				if (len < (keys[k].type == K_U32 ? 4 : 1))
					break;
				cfg->num[k] = keys[k].type == K_U32 ?
					      mnl_attr_get_u32(attr) :
					      mnl_attr_get_u8(attr);
				cfg->have[k] = true;
				break;
			case K_STR:
			case K_LIST:
				free(cfg->str[k]);
				cfg->str[k] = strndup(mnl_attr_get_payload(attr), len);
				if (!cfg->str[k])
					return -ENOMEM;
				/* the kernel's parsers stop at a newline too */
				cfg->str[k][strcspn(cfg->str[k], "\n")] = '\0';
				cfg->have[k] = true;
				break;
			}
		}
	}
	return 0;
}

static void json_list(struct json *j, const char *s)
{
	json_begin_array(j);
	while (*s) {
		size_t len = strcspn(s, ",");
		char item[VZROUTE_PREFIX_STRLEN * 2];

		/* the items, without the blanks around them */
		while (len && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len) {
			snprintf(item, sizeof(item), "%.*s", (int)len, s);
			json_string(j, item);
		}
		s += strcspn(s, ",");
		if (*s == ',')
			s++;
	}
	json_end_array(j);
}

static void print_config(const struct config *cfg)
{
	struct json j;

	if (!opts.json) {
		for (size_t k = 0; k < N_KEYS; k++) {
			if (!cfg->have[k])
				continue;
			if (keys[k].type == K_U32 || keys[k].type == K_BOOL)
				printf("%s %u\n", keys[k].name, cfg->num[k]);
			else if (cfg->str[k][0])
				printf("%s %s\n", keys[k].name, cfg->str[k]);
			else
				printf("%s\n", keys[k].name);
		}
		return;
	}
	json_init(&j, stdout, opts.pretty);
	json_begin_object(&j);
	for (size_t k = 0; k < N_KEYS; k++) {
		if (!cfg->have[k])
			continue;
		json_key(&j, keys[k].name);
		switch (keys[k].type) {
		case K_U32:
			json_uint(&j, cfg->num[k]);
			break;
		case K_BOOL:
			json_bool(&j, cfg->num[k]);
			break;
		case K_STR:
			json_string(&j, cfg->str[k]);
			break;
		case K_LIST:
			json_list(&j, cfg->str[k]);
			break;
		}
	}
	json_end_object(&j);
	putchar('\n');
}

int cmd_config(int argc, char **argv)
{
	static const char usage[] = "config [-j|-p]";
	struct config cfg = { 0 };
	int ret = output_args(argc, argv, usage);

	if (ret >= 0)
		return ret;
	ret = nl_once(VZROUTE_CMD_GET_CONFIG, config_cb, &cfg, &cfg.family_id,
		      "reading the settings", false);
	if (!ret) {
		print_config(&cfg);
		ret = finish_output(EXIT_OK);
	}
	for (size_t k = 0; k < N_KEYS; k++)
		free(cfg.str[k]);
	return ret;
}

/* --- vzroute set -------------------------------------------------------- */

/* Decimal digits only, fitting 32 bits. */
static bool parse_u32(const char *s, uint32_t *v)
{
	uint64_t n = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		n = n * 10 + (uint64_t)(*s - '0');
		if (n > UINT32_MAX)
			return false;
	}
	*v = (uint32_t)n;
	return true;
}

static bool parse_bool(const char *s, uint8_t *v)
{
	static const char *const yes[] = { "1", "yes", "on", "true" };
	static const char *const no[] = { "0", "no", "off", "false" };

	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i])) {
			*v = 1;
			return true;
		}
		if (!strcasecmp(s, no[i])) {
			*v = 0;
			return true;
		}
	}
	return false;
}

int cmd_set(int argc, char **argv)
{
	static const char usage[] = "set KEY VALUE [KEY VALUE...]\n"
		"keys: proto, metric, table, max_per_netns (numbers), "
		"keep_routes (0/1/yes/no/on/off),\n"
		"      host_ifnames (patterns), allow (prefixes, \"\" for none)";
	bool seen[N_KEYS] = { false };
	struct nlmsghdr *req;
	struct nl nl;
	int err;

	if (argc == 2 && help_option(argv[1]))
		return usage_help(usage);
	if (argc < 3)
		return usage_error(usage, "set: a key and a value are needed");
	if ((argc - 1) % 2)
		return usage_error(usage, "set: '%s' has no value", argv[argc - 1]);

	/* Check everything before talking to the kernel. */
	for (int i = 1; i < argc; i += 2) {
		const char *name = argv[i], *value = argv[i + 1];
		size_t k;
		uint32_t n;
		uint8_t b;

		for (k = 0; k < N_KEYS; k++)
			if (!strcmp(name, keys[k].name))
				break;
		if (k == N_KEYS)
			return usage_error(usage, "set: unknown key '%s'", name);
		if (seen[k])
			return usage_error(usage, "set: key '%s' given twice", name);
		seen[k] = true;
		if (keys[k].type == K_U32 && !parse_u32(value, &n))
			return usage_error(usage, "set: %s: '%s' is not a number "
					   "from 0 to 4294967295", name, value);
		if (keys[k].type == K_BOOL && !parse_bool(value, &b))
			return usage_error(usage, "set: %s: '%s' is not one of "
					   "0, 1, yes, no, on, off", name, value);
	}

	if (nl_open(&nl))
		return EXIT_FAIL;
	req = nl_request(&nl, VZROUTE_CMD_SET_CONFIG, NLM_F_ACK);
	for (int i = 1; i < argc; i += 2) {
		const char *name = argv[i], *value = argv[i + 1];
		size_t k;
		uint32_t n = 0;
		uint8_t b = 0;
		bool ok = false;

		for (k = 0; strcmp(name, keys[k].name); k++)
			;
		switch (keys[k].type) {
		case K_U32:
			parse_u32(value, &n);
			ok = nl_put_u32(req, keys[k].attr, n);
			break;
		case K_BOOL:
			parse_bool(value, &b);
			ok = nl_put_u8(req, keys[k].attr, b);
			break;
		case K_STR:
		case K_LIST:
			ok = nl_put_str(req, keys[k].attr, value);
			break;
		}
		if (!ok) {
			fprintf(stderr, "vzroute: set: the values are too long "
				"for one request\n");
			nl_close(&nl);
			return EXIT_FAIL;
		}
	}
	err = nl_do(&nl, req, NULL, NULL);
	if (err)
		nl_fail(&nl, "changing the settings", err, true);
	nl_close(&nl);
	return err ? EXIT_FAIL : EXIT_OK;
}

/* --- vzroute allow add|del PREFIX -------------------------------------- */

int cmd_allow(int argc, char **argv)
{
	static const char usage[] = "allow add|del PREFIX";
	char what[VZROUTE_PREFIX_STRLEN + 64];
	struct nlmsghdr *req;
	uint16_t attr;
	struct nl nl;
	int err;

	if (argc == 2 && help_option(argv[1]))
		return usage_help(usage);
	if (argc < 2)
		return usage_error(usage, "allow: add or del is needed");
	if (!strcmp(argv[1], "add"))
		attr = VZROUTE_A_ALLOW_ADD;
	else if (!strcmp(argv[1], "del"))
		attr = VZROUTE_A_ALLOW_DEL;
	else
		return usage_error(usage, "allow: unknown action '%s'", argv[1]);
	if (argc < 3)
		return usage_error(usage, "allow %s: a prefix is needed", argv[1]);
	if (argc > 3)
		return usage_error(usage, "allow %s: unexpected argument '%s'",
				   argv[1], argv[3]);

	if (nl_open(&nl))
		return EXIT_FAIL;
	req = nl_request(&nl, VZROUTE_CMD_SET_CONFIG, NLM_F_ACK);
	if (!nl_put_str(req, attr, argv[2])) {
		fprintf(stderr, "vzroute: allow %s: the prefix is too long\n",
			argv[1]);
		nl_close(&nl);
		return EXIT_FAIL;
	}
	err = nl_do(&nl, req, NULL, NULL);
	if (err) {
		snprintf(what, sizeof(what), "%s %.*s %s the allow list",
			 attr == VZROUTE_A_ALLOW_ADD ? "adding" : "removing",
			 VZROUTE_PREFIX_STRLEN, argv[2],
			 attr == VZROUTE_A_ALLOW_ADD ? "to" : "from");
		nl_fail(&nl, what, err, true);
	}
	nl_close(&nl);
	return err ? EXIT_FAIL : EXIT_OK;
}
