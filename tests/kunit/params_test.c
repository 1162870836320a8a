// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for kmod/params.c: the allow and host_ifnames parsers, and
 * the module parameter handlers that validate a value as a whole before
 * it replaces the old one.
 *
 * Including params.c gives this module its own vzr_cfg and its own copies
 * of vzroute's parameters (vzroute_kunit.allow=... and so on); nothing
 * sets them, and the handlers are called directly below.
 */

#include <kunit/test.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "../../kmod/params.c"

#include "vzr_kunit.h"

/* Each case starts from the defaults and leaves vzr_cfg as it found it. */
static int params_init(struct kunit *test)
{
	struct vzr_config *saved;

	saved = kunit_kmalloc(test, sizeof(*saved), GFP_KERNEL);
	if (!saved)
		return -ENOMEM;
	*saved = vzr_cfg;
	test->priv = saved;
	return 0;
}

static void params_exit(struct kunit *test)
{
	vzr_cfg = *(struct vzr_config *)test->priv;
}

static void config_defaults(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vzr_cfg.proto, 157);
	KUNIT_EXPECT_EQ(test, vzr_cfg.metric, 128);
	KUNIT_EXPECT_EQ(test, vzr_cfg.table, RT_TABLE_MAIN);
	KUNIT_EXPECT_EQ(test, vzr_cfg.max_per_netns, 64);
	KUNIT_EXPECT_EQ(test, vzr_cfg.max_tracked, 4096);
	KUNIT_EXPECT_FALSE(test, vzr_cfg.keep_routes);
	KUNIT_EXPECT_EQ(test, vzr_cfg.n_allow, 0);	/* routes nothing */
	KUNIT_EXPECT_STREQ(test, vzr_cfg.host_ifnames, "");
	/* the defaults pass their own checks */
	KUNIT_EXPECT_NULL(test, vzr_check_proto(vzr_cfg.proto));
	KUNIT_EXPECT_NULL(test, vzr_check_metric(vzr_cfg.metric));
	KUNIT_EXPECT_NULL(test, vzr_check_table(vzr_cfg.table));
}

static struct vzr_prefix *allow_buf(struct kunit *test)
{
	struct vzr_prefix *out;

	out = kunit_kcalloc(test, VZR_ALLOW_MAX, sizeof(*out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	return out;
}

static char *ifnames_buf(struct kunit *test)
{
	char *out = kunit_kzalloc(test, VZR_IFNAMES_MAX, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, out);
	return out;
}

/* The parsers as vzr_expect_refused() calls them. */
static int try_allow(struct kunit *test, const char *text, const char **why)
{
	unsigned int n;

	return vzr_parse_allow(text, allow_buf(test), &n, why);
}

static int try_ifnames(struct kunit *test, const char *text, const char **why)
{
	return vzr_parse_ifnames(text, ifnames_buf(test), why);
}

static void expect_prefix(struct kunit *test, const struct vzr_prefix *p,
			  const char *addr, u8 len)
{
	struct vzr_ip want = vzr_test_ip(test, addr);

	KUNIT_EXPECT_TRUE_MSG(test, vzr_ip_equal(&p->ip, &want), "want %s", addr);
	KUNIT_EXPECT_EQ_MSG(test, p->len, len, "want %s/%u", addr, len);
}

static void parse_allow(struct kunit *test)
{
	struct vzr_prefix *out = allow_buf(test);
	const char *why = "untouched";
	unsigned int n = 99;

	KUNIT_EXPECT_EQ(test, vzr_parse_allow("", out, &n, &why), 0);
	KUNIT_EXPECT_EQ(test, n, 0);
	KUNIT_EXPECT_NULL(test, why);

	/* what "echo > parameters/allow" would write */
	n = 99;
	KUNIT_EXPECT_EQ(test, vzr_parse_allow("\n", out, &n, &why), 0);
	KUNIT_EXPECT_EQ(test, n, 0);

	KUNIT_EXPECT_EQ(test, vzr_parse_allow("10.0.0.0/8", out, &n, &why), 0);
	KUNIT_ASSERT_EQ(test, n, 1);
	expect_prefix(test, &out[0], "10.0.0.0", 8);

	KUNIT_EXPECT_EQ(test, vzr_parse_allow("198.51.100.0/24,2001:db8:100::/48,192.0.2.9\n",
					      out, &n, &why), 0);
	KUNIT_EXPECT_NULL(test, why);
	KUNIT_ASSERT_EQ(test, n, 3);
	expect_prefix(test, &out[0], "198.51.100.0", 24);
	expect_prefix(test, &out[1], "2001:db8:100::", 48);
	expect_prefix(test, &out[2], "192.0.2.9", 32);

	/* one trailing comma is tolerated */
	KUNIT_EXPECT_EQ(test, vzr_parse_allow("10.0.0.0/8,", out, &n, &why), 0);
	KUNIT_EXPECT_EQ(test, n, 1);
}

static const struct vzr_refused_case allow_refused[] = {
	{ ",10.0.0.0/8", "malformed prefix" },
	{ "10.0.0.0/8,,10.1.0.0/16", "malformed prefix" },
	{ ",", "malformed prefix" },
	{ "10.0.0.0/8,bogus", "not an IPv4 or IPv6 address" },
	{ " 10.0.0.0/8", "not an IPv4 or IPv6 address" },
	{ "10.0.0.0/8 ,10.1.0.0/16", "bad prefix length" },
	{ "10.0.0.0/8;10.1.0.0/16", "bad prefix length" },
	{ "10.0.0.1/8", "host bits set beyond the prefix length" },
	{ "2001:db8::/32,2001:db8::1/64", "host bits set beyond the prefix length" },
	{ "10.0.0.0/40", "bad prefix length" },
};

KUNIT_ARRAY_PARAM(allow_refused, allow_refused, vzr_refused_desc);
VZR_REFUSED_CASE(parse_allow_refused, try_allow);

/* "10.0.0.0/32,10.0.0.1/32,..." with @count entries */
static char *host_list(struct kunit *test, unsigned int count)
{
	size_t size = count * 16 + 1;
	char *s = kunit_kzalloc(test, size, GFP_KERNEL);
	unsigned int i;
	size_t len = 0;

	KUNIT_ASSERT_NOT_NULL(test, s);
	for (i = 0; i < count; i++)
		len += scnprintf(s + len, size - len, "%s10.0.%u.%u/32",
				 i ? "," : "", i / 256, i % 256);
	return s;
}

static void parse_allow_max(struct kunit *test)
{
	struct vzr_prefix *out = allow_buf(test);
	const char *why;
	unsigned int n;

	KUNIT_EXPECT_EQ(test, vzr_parse_allow(host_list(test, VZR_ALLOW_MAX),
					      out, &n, &why), 0);
	KUNIT_EXPECT_EQ(test, n, VZR_ALLOW_MAX);
	expect_prefix(test, &out[VZR_ALLOW_MAX - 1], "10.0.0.63", 32);

	vzr_expect_refused(test, try_allow, host_list(test, VZR_ALLOW_MAX + 1),
			   "too many prefixes (at most 64)");
}

static char *repeat(struct kunit *test, char c, size_t len)
{
	char *s = kunit_kzalloc(test, len + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	memset(s, c, len);
	return s;
}

static void parse_ifnames(struct kunit *test)
{
	char *out = ifnames_buf(test);
	const char *why = "untouched";
	char *longest;

	memset(out, 'x', VZR_IFNAMES_MAX);
	KUNIT_EXPECT_EQ(test, vzr_parse_ifnames("", out, &why), 0);
	KUNIT_EXPECT_NULL(test, why);
	KUNIT_EXPECT_STREQ(test, out, "");

	KUNIT_EXPECT_EQ(test, vzr_parse_ifnames("\n", out, &why), 0);
	KUNIT_EXPECT_STREQ(test, out, "");

	KUNIT_EXPECT_EQ(test, vzr_parse_ifnames("veth*", out, &why), 0);
	KUNIT_EXPECT_STREQ(test, out, "veth*");

	KUNIT_EXPECT_EQ(test, vzr_parse_ifnames("veth*,ve-[0-9]*,tap?\n", out, &why), 0);
	KUNIT_EXPECT_STREQ(test, out, "veth*,ve-[0-9]*,tap?");

	/* the longest list that fits, terminator included */
	longest = repeat(test, 'v', VZR_IFNAMES_MAX - 1);
	KUNIT_EXPECT_EQ(test, vzr_parse_ifnames(longest, out, &why), 0);
	KUNIT_EXPECT_STREQ(test, out, longest);
}

static const struct vzr_refused_case ifnames_refused[] = {
	{ ",veth*", "empty pattern in list" },
	{ "veth*,", "empty pattern in list" },
	{ "veth*,,ve-*", "empty pattern in list" },
	{ ",", "empty pattern in list" },
	{ "veth 1", "patterns are interface names: no spaces or '/'" },
	{ " veth*", "patterns are interface names: no spaces or '/'" },
	{ "veth*\t", "patterns are interface names: no spaces or '/'" },
	{ "a/b", "patterns are interface names: no spaces or '/'" },
	{ "veth\x7f", "patterns are interface names: no spaces or '/'" },
};

KUNIT_ARRAY_PARAM(ifnames_refused, ifnames_refused, vzr_refused_desc);
VZR_REFUSED_CASE(parse_ifnames_refused, try_ifnames);

static void parse_ifnames_too_long(struct kunit *test)
{
	vzr_expect_refused(test, try_ifnames, repeat(test, 'v', VZR_IFNAMES_MAX),
			   "list too long");
}

/* The page a parameter's get handler writes to. */
static char *param_buf(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	return buf;
}

/* The module parameter handlers: all or nothing. */
static void param_allow(struct kunit *test)
{
	const struct kernel_param kp = { .name = "allow" };
	char *buf = param_buf(test);

	KUNIT_EXPECT_EQ(test, allow_set("198.51.100.0/24,2001:db8:100::/48\n", &kp), 0);
	KUNIT_ASSERT_EQ(test, vzr_cfg.n_allow, 2);
	expect_prefix(test, &vzr_cfg.allow[0], "198.51.100.0", 24);
	expect_prefix(test, &vzr_cfg.allow[1], "2001:db8:100::", 48);
	KUNIT_EXPECT_EQ(test, allow_get(buf, &kp),
			(int)strlen("198.51.100.0/24,2001:db8:100::/48\n"));
	KUNIT_EXPECT_STREQ(test, buf, "198.51.100.0/24,2001:db8:100::/48\n");

	/* a refused list leaves the old one in place */
	KUNIT_EXPECT_EQ(test, allow_set("10.0.0.0/8,bogus", &kp), -EINVAL);
	KUNIT_EXPECT_EQ(test, allow_set("10.0.0.0/8,10.0.0.1/8", &kp), -EINVAL);
	KUNIT_EXPECT_EQ(test, allow_set(host_list(test, VZR_ALLOW_MAX + 1), &kp), -EINVAL);
	KUNIT_EXPECT_EQ(test, vzr_cfg.n_allow, 2);
	expect_prefix(test, &vzr_cfg.allow[0], "198.51.100.0", 24);

	KUNIT_EXPECT_EQ(test, allow_set("", &kp), 0);
	KUNIT_EXPECT_EQ(test, vzr_cfg.n_allow, 0);
	KUNIT_EXPECT_EQ(test, allow_get(buf, &kp), 1);
	KUNIT_EXPECT_STREQ(test, buf, "\n");
}

static void param_host_ifnames(struct kunit *test)
{
	const struct kernel_param kp = { .name = "host_ifnames" };
	char *buf = param_buf(test);

	KUNIT_EXPECT_EQ(test, ifnames_set("veth*,ve-*\n", &kp), 0);
	KUNIT_EXPECT_STREQ(test, vzr_cfg.host_ifnames, "veth*,ve-*");
	KUNIT_EXPECT_EQ(test, ifnames_get(buf, &kp), 11);
	KUNIT_EXPECT_STREQ(test, buf, "veth*,ve-*\n");

	KUNIT_EXPECT_EQ(test, ifnames_set("veth*,", &kp), -EINVAL);
	KUNIT_EXPECT_EQ(test, ifnames_set(repeat(test, 'v', VZR_IFNAMES_MAX), &kp), -EINVAL);
	KUNIT_EXPECT_STREQ(test, vzr_cfg.host_ifnames, "veth*,ve-*");

	KUNIT_EXPECT_EQ(test, ifnames_set("", &kp), 0);
	KUNIT_EXPECT_STREQ(test, vzr_cfg.host_ifnames, "");
}

struct u32_case {
	int (*set)(const char *val, const struct kernel_param *kp);
	const char *name;
	const char *val;
	int err;
	u32 result;	/* when err is 0 */
};

static const struct u32_case u32_cases[] = {
	{ proto_set, "proto", "157", 0, 157 },
	{ proto_set, "proto", "158\n", 0, 158 },
	{ proto_set, "proto", "0x9e", 0, 158 },
	{ proto_set, "proto", "3", 0, 3 },
	{ proto_set, "proto", "255", 0, 255 },
	{ proto_set, "proto", "2", -EINVAL },
	{ proto_set, "proto", "11", -EINVAL },
	{ proto_set, "proto", "12", -EINVAL },
	{ proto_set, "proto", "42", -EINVAL },
	{ proto_set, "proto", "186", -EINVAL },
	{ proto_set, "proto", "198", -EINVAL },
	{ proto_set, "proto", "256", -EINVAL },
	{ proto_set, "proto", "", -EINVAL },
	{ proto_set, "proto", "zebra", -EINVAL },
	{ proto_set, "proto", "-157", -EINVAL },
	{ metric_set, "metric", "0", 0, 0 },
	{ metric_set, "metric", "16777215", 0, 16777215 },
	{ metric_set, "metric", "16777216", -EINVAL },
	{ metric_set, "metric", "4294967296", -EINVAL },
	{ table_set, "table", "254", 0, 254 },
	{ table_set, "table", "1000", 0, 1000 },
	{ table_set, "table", "0", -EINVAL },
	{ table_set, "table", "252", -EINVAL },
	{ table_set, "table", "255", -EINVAL },
	{ cap_set, "max_per_netns", "0", 0, 0 },
	{ cap_set, "max_per_netns", "4294967295", 0, U32_MAX },
	{ cap_set, "max_per_netns", "4294967296", -EINVAL },
	{ cap_set, "max_per_netns", "-1", -EINVAL },
	{ cap_set, "max_per_netns", "1k", -EINVAL },
	{ tracked_set, "max_tracked_per_netns", "1", 0, 1 },
	{ tracked_set, "max_tracked_per_netns", "4096", 0, 4096 },
	{ tracked_set, "max_tracked_per_netns", "0", -EINVAL },
	{ tracked_set, "max_tracked_per_netns", "x", -EINVAL },
};

static void u32_desc(const struct u32_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s=", c->name);
	vzr_test_quote(desc, c->val);
}

KUNIT_ARRAY_PARAM(u32_params, u32_cases, u32_desc);

static void param_u32(struct kunit *test)
{
	const struct u32_case *c = test->param_value;
	u32 v = 12345;
	const struct kernel_param kp = { .name = c->name, .arg = &v };

	KUNIT_EXPECT_EQ(test, c->set(c->val, &kp), c->err);
	if (c->err)
		KUNIT_EXPECT_EQ_MSG(test, v, 12345, "a refused value was stored");
	else
		KUNIT_EXPECT_EQ(test, v, c->result);
}

static struct kunit_case params_cases[] = {
	KUNIT_CASE(config_defaults),
	KUNIT_CASE(parse_allow),
	KUNIT_CASE_PARAM(parse_allow_refused, allow_refused_gen_params),
	KUNIT_CASE(parse_allow_max),
	KUNIT_CASE(parse_ifnames),
	KUNIT_CASE_PARAM(parse_ifnames_refused, ifnames_refused_gen_params),
	KUNIT_CASE(parse_ifnames_too_long),
	KUNIT_CASE(param_allow),
	KUNIT_CASE(param_host_ifnames),
	KUNIT_CASE_PARAM(param_u32, u32_params_gen_params),
	{}
};

VZR_KUNIT_SUITE(params, params_init, params_exit);

kunit_test_suite(params_suite);

/* --- allow= with entries bound to host devices ("PREFIX@PATTERN") ------- */

static void parse_allow_bound(struct kunit *test)
{
	struct vzr_prefix *out = allow_buf(test);
	const char *why;
	unsigned int n;

	KUNIT_EXPECT_EQ(test, vzr_parse_allow("198.51.100.0/24,198.51.100.10/32@veth101*,2001:db8::1@ve-[0-9]*\n",
					      out, &n, &why), 0);
	KUNIT_ASSERT_EQ(test, n, 3);
	expect_prefix(test, &out[0], "198.51.100.0", 24);
	KUNIT_EXPECT_STREQ(test, out[0].dev, "");
	expect_prefix(test, &out[1], "198.51.100.10", 32);
	KUNIT_EXPECT_STREQ(test, out[1].dev, "veth101*");
	expect_prefix(test, &out[2], "2001:db8::1", 128);
	KUNIT_EXPECT_STREQ(test, out[2].dev, "ve-[0-9]*");

	/* The same prefix bound to two devices: two entries. */
	KUNIT_EXPECT_EQ(test, vzr_parse_allow("10.1.0.1@vh1,10.1.0.1@vh2", out, &n, &why), 0);
	KUNIT_ASSERT_EQ(test, n, 2);
	KUNIT_EXPECT_STREQ(test, out[0].dev, "vh1");
	KUNIT_EXPECT_STREQ(test, out[1].dev, "vh2");
}

static const struct allow_bad_case {
	const char *text;
	const char *why;
} allow_bound_refused[] = {
	{ "10.0.0.0/8@", "empty device pattern after '@'" },
	{ "10.0.0.0/8,10.1.0.1@", "empty device pattern after '@'" },
	{ "10.0.0.0/8@veth 1", "device pattern: no blanks, ',', '@' or '/'" },
	{ "10.0.0.0/8@a@b", "device pattern: no blanks, ',', '@' or '/'" },
	{ "10.0.0.0/8@01234567890123456789012345678901",
	  "device pattern too long (at most 31 characters)" },
	{ "@veth1", "malformed prefix" },
};

static void allow_bound_desc(const struct allow_bad_case *c, char *desc)
{
	desc[0] = '\0';
	vzr_test_quote(desc, c->text);
}

KUNIT_ARRAY_PARAM(allow_bound_refused, allow_bound_refused, allow_bound_desc);

static void parse_allow_bound_refused(struct kunit *test)
{
	const struct allow_bad_case *c = test->param_value;
	struct vzr_prefix *out = allow_buf(test);
	const char *why = NULL;
	unsigned int n;

	KUNIT_EXPECT_EQ(test, vzr_parse_allow(c->text, out, &n, &why), -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, why);
	KUNIT_EXPECT_STREQ(test, why, c->why);
}

/* allow= takes bindings, and sysfs shows them as they were written. */
static void param_allow_bound(struct kunit *test)
{
	static const char list[] = "198.51.100.0/24,198.51.100.10/32@veth101*,2001:db8::1/128@ve-1\n";
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	const struct kernel_param kp = { .name = "allow" };

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, allow_set(list, &kp), 0);
	KUNIT_ASSERT_EQ(test, vzr_cfg.n_allow, 3);
	KUNIT_EXPECT_STREQ(test, vzr_cfg.allow[1].dev, "veth101*");
	KUNIT_EXPECT_EQ(test, allow_get(buf, &kp), (int)strlen(list));
	KUNIT_EXPECT_STREQ(test, buf, list);

	/* a refused binding leaves the old list in place */
	KUNIT_EXPECT_EQ(test, allow_set("10.0.0.0/8@", &kp), -EINVAL);
	KUNIT_EXPECT_EQ(test, vzr_cfg.n_allow, 3);
	KUNIT_EXPECT_STREQ(test, vzr_cfg.allow[2].dev, "ve-1");
}

static struct kunit_case params_bind_cases[] = {
	KUNIT_CASE(parse_allow_bound),
	KUNIT_CASE_PARAM(parse_allow_bound_refused, allow_bound_refused_gen_params),
	KUNIT_CASE(param_allow_bound),
	{}
};

static struct kunit_suite params_bind_suite = {
	.name = "vzr_params_bind",
	.init = params_init,
	.exit = params_exit,
	.test_cases = params_bind_cases,
};

kunit_test_suite(params_bind_suite);
