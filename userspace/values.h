/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Named values the module answers a GET with (config: the settings;
 * stats: the counters): a table of keys says each one's attribute and
 * type, and they are read, printed (text or JSON) and freed the same way.
 */
#ifndef VZROUTE_VALUES_H
#define VZROUTE_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum value_type {
	V_U32,
	V_BOOL,		/* a u8, 0 or 1 */
	V_U8,		/* a u8, a number */
	V_U64,
	V_STR,
	V_LIST,		/* a string, comma-separated: a JSON array */
};

struct value_key {
	const char *name;
	uint16_t attr;
	enum value_type type;
	const char *help;	/* one line, for stats -o prometheus */
	bool gauge;		/* a level, not a count of events */
};

#define VALUES_MAX 25

/* The answer to a GET, by the table keys[0..n). */
struct values {
	const struct value_key *keys;
	size_t n;
	uint16_t family_id;
	bool have[VALUES_MAX];
	uint64_t num[VALUES_MAX];
	char *str[VALUES_MAX];
};

struct nl;
/*
 * Sends the GET cmd on nl (open) and fills v, whose keys and n are set.
 * 0 or a negative errno (nl_fail() says why); values_free() in any case.
 */
int values_get(struct nl *nl, uint8_t cmd, struct values *v);
void values_free(struct values *v);

/* The tables of config and stats. */
extern const struct value_key config_keys[];
extern const size_t config_nkeys;
extern const struct value_key stats_keys[];
extern const size_t stats_nkeys;

/*
 * "vzroute NAME": read the values of keys[0..n) with the request cmd and
 * print those the answer has, in the table's order; what names the
 * request in an error. Returns the exit code.
 */
int values_cmd(int argc, char **argv, const char *usage, uint8_t cmd,
	       const char *what, const struct value_key *keys, size_t n);

#endif
