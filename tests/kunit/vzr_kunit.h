/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the vzroute KUnit suites.
 */
#ifndef _VZR_KUNIT_H
#define _VZR_KUNIT_H

#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/socket.h>
#include <linux/string.h>

#include "policy.h"

/*
 * Parse a literal IPv4 or IPv6 address independently of the code under
 * test (in4_pton/in6_pton rather than vzr_prefix_parse); a typo in a test
 * table fails the test instead of testing something else.
 */
static inline struct vzr_ip vzr_test_ip(struct kunit *test, const char *s)
{
	struct vzr_ip ip;
	u8 raw[16];

	memset(&ip, 0, sizeof(ip));
	if (in4_pton(s, -1, raw, -1, NULL)) {
		ip.family = AF_INET;
		memcpy(&ip.a.s6_addr32[0], raw, 4);
	} else if (in6_pton(s, -1, raw, -1, NULL)) {
		ip.family = AF_INET6;
		memcpy(&ip.a, raw, 16);
	} else {
		KUNIT_FAIL(test, "test bug: \"%s\" is not an address", s);
	}
	return ip;
}

/* Copy a table entry's name into a parameterised case's description. */
static inline void vzr_test_desc(char *desc, const char *name)
{
	strscpy(desc, name, KUNIT_PARAM_DESC_SIZE);
}

/*
 * Append @s to @desc in double quotes, with control characters, quotes
 * and backslashes escaped: a description is one KTAP line.
 */
static inline void vzr_test_quote(char *desc, const char *s)
{
	const size_t room = KUNIT_PARAM_DESC_SIZE - 2;	/* '"' and NUL */
	size_t n = min(strnlen(desc, KUNIT_PARAM_DESC_SIZE), room - 1);

	desc[n++] = '"';
	for (; *s && n < room - 4; s++) {
		unsigned char c = *s;

		if (c == '\n')
			n += scnprintf(desc + n, KUNIT_PARAM_DESC_SIZE - n, "\\n");
		else if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '#')
			n += scnprintf(desc + n, KUNIT_PARAM_DESC_SIZE - n, "\\x%02x", c);
		else
			desc[n++] = c;
	}
	desc[n++] = '"';
	desc[n] = '\0';
}

#endif /* _VZR_KUNIT_H */
