/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the vzroute KUnit suites.
 */
#ifndef _VZR_KUNIT_H
#define _VZR_KUNIT_H

#include <kunit/test.h>
#include <linux/errno.h>
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
 * VZR_ARRAY_PARAM(id, array, type): KUNIT_ARRAY_PARAM(id, array, ...), for
 * an array of struct type, whose cases are described by their ->name.
 */
#define VZR_ARRAY_PARAM(id, array, type)					\
	static void id##_desc(const struct type *c, char *desc)		\
	{									\
		vzr_test_desc(desc, c->name);					\
	}									\
	KUNIT_ARRAY_PARAM(id, array, id##_desc)

/*
 * VZR_ARRAY_PARAM_FMT(id, array, type, fmt, args...): the same, with cases
 * described by snprintf(@fmt, @args...), in which c is the entry.
 */
#define VZR_ARRAY_PARAM_FMT(id, array, type, fmt, ...)				\
	static void id##_desc(const struct type *c, char *desc)		\
	{									\
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, fmt, __VA_ARGS__);	\
	}									\
	KUNIT_ARRAY_PARAM(id, array, id##_desc)

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

/* A text that a parser must refuse, and the reason it must give. */
struct vzr_refused_case {
	const char *text;
	const char *why;
};

/* The description of a struct vzr_refused_case: its text, quoted. */
static inline void vzr_refused_desc(const struct vzr_refused_case *c, char *desc)
{
	desc[0] = '\0';
	vzr_test_quote(desc, c->text);
}

/* A parser under test: -EINVAL and a reason in *@why, or 0. */
typedef int vzr_parse_fn(struct kunit *test, const char *text, const char **why);

/* @parse must refuse @text, saying @want. */
static inline void vzr_expect_refused(struct kunit *test, vzr_parse_fn *parse,
				      const char *text, const char *want)
{
	const char *why = NULL;

	KUNIT_EXPECT_EQ(test, parse(test, text, &why), -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, why);
	KUNIT_EXPECT_STREQ(test, why, want);
}

/*
 * VZR_REFUSED_CASE(name, parse): the parameterised case @name, in which
 * @parse must refuse each struct vzr_refused_case it is given, saying why.
 * With KUNIT_ARRAY_PARAM(..., vzr_refused_desc) for its table.
 */
#define VZR_REFUSED_CASE(name, parse)						\
	static void name(struct kunit *test)					\
	{									\
		const struct vzr_refused_case *c = test->param_value;		\
										\
		vzr_expect_refused(test, parse, c->text, c->why);		\
	}

/*
 * VZR_KUNIT_SUITE(id, init, exit): the suite id##_suite, named "vzr_" #id,
 * of the cases in id##_cases[], each run between @init and @exit (NULL:
 * nothing to do).  Registered with kunit_test_suite() or
 * kunit_test_suites().
 */
#define VZR_KUNIT_SUITE(id, init_fn, exit_fn)					\
	static struct kunit_suite id##_suite = {				\
		.name = "vzr_" #id,						\
		.init = init_fn,						\
		.exit = exit_fn,						\
		.test_cases = id##_cases,					\
	}

#endif /* _VZR_KUNIT_H */
