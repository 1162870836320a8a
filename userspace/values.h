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
	V_U64,
	V_STR,
	V_LIST,		/* a string, comma-separated: a JSON array */
};

struct value_key {
	const char *name;
	uint16_t attr;
	enum value_type type;
};

#define VALUES_MAX 16

/*
 * "vzroute NAME": read the values of keys[0..n) with the request cmd and
 * print those the answer has, in the table's order; what names the
 * request in an error. Returns the exit code.
 */
int values_cmd(int argc, char **argv, const char *usage, uint8_t cmd,
	       const char *what, const struct value_key *keys, size_t n);

#endif
