// SPDX-License-Identifier: GPL-2.0
/*
 * vzroute config, vzroute set KEY VALUE..., vzroute allow add|del PREFIX
 * [dev PATTERN]: the module's settings.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/vzroute.h>

#include "nl.h"
#include "subcommands.h"
#include "values.h"

/* The settings in the order they are printed (no help: not metrics). */
#define SETTING(name, attr, type) { name, attr, type, NULL, false }
const struct value_key config_keys[] = {
	SETTING("proto", VZROUTE_A_PROTO, V_U32),
	SETTING("metric", VZROUTE_A_METRIC, V_U32),
	SETTING("table", VZROUTE_A_TABLE, V_U32),
	SETTING("max_per_netns", VZROUTE_A_MAX_PER_NETNS, V_U32),
	SETTING("keep_routes", VZROUTE_A_KEEP_ROUTES, V_BOOL),
	SETTING("host_ifnames", VZROUTE_A_HOST_IFNAMES, V_STR),
	SETTING("neigh_devs", VZROUTE_A_NEIGH_DEVS, V_STR),
	SETTING("neigh_announce", VZROUTE_A_NEIGH_ANNOUNCE, V_U8),
	SETTING("allow", VZROUTE_A_ALLOW, V_LIST),
};

#define N_KEYS (sizeof(config_keys) / sizeof(config_keys[0]))
_Static_assert(N_KEYS <= VALUES_MAX, "VALUES_MAX");
const size_t config_nkeys = N_KEYS;

/* --- vzroute config ----------------------------------------------------- */

int cmd_config(int argc, char **argv)
{
	return values_cmd(argc, argv, "config [-j|-p]", VZROUTE_CMD_GET_CONFIG,
			  "reading the settings", config_keys, N_KEYS);
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

/* The request of a checked "set" command line (NULL-terminated argv). */
static bool set_fill(struct nlmsghdr *req, const void *arg)
{
	char *const *argv = arg;

	for (int i = 1; argv[i]; i += 2) {
		const char *name = argv[i], *value = argv[i + 1];
		size_t k;
		uint32_t n = 0;
		uint8_t b = 0;
		bool ok = false;

		for (k = 0; strcmp(name, config_keys[k].name); k++)
			;
		switch (config_keys[k].type) {
		case V_U32:
			parse_u32(value, &n);
			ok = nl_put_u32(req, config_keys[k].attr, n);
			break;
		case V_BOOL:
			parse_bool(value, &b);
			ok = nl_put_u8(req, config_keys[k].attr, b);
			break;
		case V_U8:
			parse_u32(value, &n);
			ok = nl_put_u8(req, config_keys[k].attr, (uint8_t)n);
			break;
		case V_STR:
		case V_LIST:
			ok = nl_put_str(req, config_keys[k].attr, value);
			break;
		case V_U64:	/* no setting is one */
			break;
		}
		if (!ok) {
			fprintf(stderr, "vzroute: set: the values are too long "
				"for one request\n");
			return false;
		}
	}
	return true;
}

int cmd_set(int argc, char **argv)
{
	static const char usage[] = "set KEY VALUE [KEY VALUE...]\n"
		"keys: proto, metric, table, max_per_netns (numbers), "
		"keep_routes (0/1/yes/no/on/off),\n"
		"      host_ifnames (patterns), allow (prefixes, \"\" for none),\n"
		"      neigh_devs (\"\", detect or patterns), neigh_announce (0-10)";
	bool seen[N_KEYS] = { false };

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
			if (!strcmp(name, config_keys[k].name))
				break;
		if (k == N_KEYS)
			return usage_error(usage, "set: unknown key '%s'", name);
		if (seen[k])
			return usage_error(usage, "set: key '%s' given twice", name);
		seen[k] = true;
		if (config_keys[k].type == V_U32 && !parse_u32(value, &n))
			return usage_error(usage, "set: %s: '%s' is not a number "
					   "from 0 to 4294967295", name, value);
		if (config_keys[k].type == V_U8 &&
		    (!parse_u32(value, &n) || n > 255))
			return usage_error(usage, "set: %s: '%s' is not a number "
					   "from 0 to 255", name, value);
		if (config_keys[k].type == V_BOOL && !parse_bool(value, &b))
			return usage_error(usage, "set: %s: '%s' is not one of "
					   "0, 1, yes, no, on, off", name, value);
	}

	return nl_once(&(struct nl_req){ .cmd = VZROUTE_CMD_SET_CONFIG,
					 .fill = set_fill, .arg = argv,
					 .what = "changing the settings",
					 .change = true });
}

/* --- vzroute allow add|del PREFIX [dev PATTERN] ------------------------ */

/* The request of "allow add|del": argv[1] the action, argv[2] the entry. */
static bool allow_fill(struct nlmsghdr *req, const void *arg)
{
	char *const *argv = arg;

	if (nl_put_str(req, strcmp(argv[1], "add") ? VZROUTE_A_ALLOW_DEL :
			    VZROUTE_A_ALLOW_ADD, argv[2]))
		return true;
	fprintf(stderr, "vzroute: allow %s: the entry is too long\n", argv[1]);
	return false;
}

int cmd_allow(int argc, char **argv)
{
	static const char usage[] = "allow add|del PREFIX [dev PATTERN]\n"
		"PATTERN (a shell pattern on the host-side device name) binds\n"
		"the prefix to the containers behind those devices";
	char entry[VZROUTE_ENTRY_STRLEN + 1];
	char what[VZROUTE_ENTRY_STRLEN + 64];
	char *req_argv[3];
	bool add;
	int n;

	if (argc == 2 && help_option(argv[1]))
		return usage_help(usage);
	if (argc < 2)
		return usage_error(usage, "allow: add or del is needed");
	add = !strcmp(argv[1], "add");
	if (!add && strcmp(argv[1], "del"))
		return usage_error(usage, "allow: unknown action '%s'", argv[1]);
	if (argc < 3)
		return usage_error(usage, "allow %s: a prefix is needed", argv[1]);
	if (argc > 3 && strcmp(argv[3], "dev"))
		return usage_error(usage, "allow %s: unexpected argument '%s'",
				   argv[1], argv[3]);
	if (argc == 4)
		return usage_error(usage, "allow %s: dev needs a pattern", argv[1]);
	if (argc > 5)
		return usage_error(usage, "allow %s: unexpected argument '%s'",
				   argv[1], argv[5]);
	/* The kernel's own text for an entry, "PREFIX@PATTERN": it checks both. */
	if (argc == 5)
		n = snprintf(entry, sizeof(entry), "%s@%s", argv[2], argv[4]);
	else
		n = snprintf(entry, sizeof(entry), "%s", argv[2]);
	if (n < 0 || (size_t)n >= sizeof(entry) - 1) {
		fprintf(stderr, "vzroute: allow %s: the entry is too long "
			"(at most %d characters)\n", argv[1],
			VZROUTE_ENTRY_STRLEN - 1);
		return EXIT_FAIL;
	}

	snprintf(what, sizeof(what), "%s %s %s the allow list",
		 add ? "adding" : "removing", entry, add ? "to" : "from");
	req_argv[0] = argv[0];
	req_argv[1] = argv[1];
	req_argv[2] = entry;
	return nl_once(&(struct nl_req){ .cmd = VZROUTE_CMD_SET_CONFIG,
					 .fill = allow_fill, .arg = req_argv,
					 .what = what, .change = true });
}
