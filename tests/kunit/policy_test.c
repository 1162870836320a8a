// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for kmod/policy.c: addresses, allow-list prefixes, interface
 * name patterns and the checks of the protocol, metric and table.
 */

#include <kunit/test.h>
#include <linux/module.h>

#include "../../kmod/policy.c"

#include "vzr_kunit.h"

/* --- vzr_prefix: parsing and matching allow-list entries ----------------- */

struct prefix_case {
	const char *text;
	u8 family;
	const char *addr;	/* the network address it must yield */
	u8 len;
};

static const struct prefix_case prefix_good[] = {
	{ "10.0.0.0/8", AF_INET, "10.0.0.0", 8 },
	{ "198.51.100.0/24", AF_INET, "198.51.100.0", 24 },
	{ "192.0.2.7", AF_INET, "192.0.2.7", 32 },	/* bare: a host */
	{ "192.0.2.7/32", AF_INET, "192.0.2.7", 32 },
	{ "0.0.0.0/0", AF_INET, "0.0.0.0", 0 },
	{ "255.255.255.255/32", AF_INET, "255.255.255.255", 32 },
	{ "10.128.0.0/9", AF_INET, "10.128.0.0", 9 },
	{ "2001:db8::/32", AF_INET6, "2001:db8::", 32 },
	{ "2001:db8:100::/48", AF_INET6, "2001:db8:100::", 48 },
	{ "2001:db8::1", AF_INET6, "2001:db8::1", 128 },
	{ "2001:db8::1/128", AF_INET6, "2001:db8::1", 128 },
	{ "::/0", AF_INET6, "::", 0 },
	{ "2001:db8:8000::/33", AF_INET6, "2001:db8:8000::", 33 },
	{ "2001:0db8:0000::/32", AF_INET6, "2001:db8::", 32 },
};

static void prefix_good_desc(const struct prefix_case *c, char *desc)
{
	vzr_test_desc(desc, c->text);
}

KUNIT_ARRAY_PARAM(prefix_good, prefix_good, prefix_good_desc);

static void prefix_parse_good(struct kunit *test)
{
	const struct prefix_case *c = test->param_value;
	struct vzr_ip want = vzr_test_ip(test, c->addr);
	const char *why = "untouched";
	struct vzr_prefix p;

	memset(&p, 0xa5, sizeof(p));
	KUNIT_ASSERT_EQ(test, vzr_prefix_parse(c->text, strlen(c->text), &p, &why), 0);
	KUNIT_EXPECT_NULL(test, why);
	KUNIT_EXPECT_EQ(test, p.ip.family, c->family);
	KUNIT_EXPECT_EQ(test, p.len, c->len);
	/* The whole address, unused IPv4 words included, is set. */
	KUNIT_EXPECT_TRUE(test, vzr_ip_equal(&p.ip, &want));
	KUNIT_EXPECT_EQ(test, memcmp(&p.ip.a, &want.a, sizeof(want.a)), 0);
}

/* vzr_prefix_parse() as vzr_expect_refused() calls it */
static int try_prefix(struct kunit *test, const char *text, const char **why)
{
	struct vzr_prefix p;

	return vzr_prefix_parse(text, strlen(text), &p, why);
}

static const struct vzr_refused_case prefix_refused[] = {
	{ "10.1.2.3/8", "host bits set beyond the prefix length" },
	{ "1.2.3.4/0", "host bits set beyond the prefix length" },
	{ "10.0.0.1/31", "host bits set beyond the prefix length" },
	{ "2001:db8::1/64", "host bits set beyond the prefix length" },
	{ "::1/0", "host bits set beyond the prefix length" },
	{ "2001:db8::1/127", "host bits set beyond the prefix length" },
	{ "10.0.0.0/33", "bad prefix length" },
	{ "10.0.0.0/", "bad prefix length" },
	{ "10.0.0.0/-1", "bad prefix length" },
	{ "10.0.0.0/8x", "bad prefix length" },
	{ "10.0.0.0/8/8", "bad prefix length" },
	{ "2001:db8::/129", "bad prefix length" },
	{ "2001:db8::/1000", "bad prefix length" },
	{ "10.0.0", "not an IPv4 or IPv6 address" },
	{ "10.0.0.256", "not an IPv4 or IPv6 address" },
	{ "10.0.0.1 ", "not an IPv4 or IPv6 address" },
	{ " 10.0.0.1", "not an IPv4 or IPv6 address" },
	{ "veth0", "not an IPv4 or IPv6 address" },
	{ "2001:db8:::1", "not an IPv4 or IPv6 address" },
	{ "/8", "not an IPv4 or IPv6 address" },
	{ "", "malformed prefix" },
	/* 53 characters: longer than any address with a length */
	{ "2001:0db8:0000:0000:0000:0000:0000:0001/128__________",
	  "malformed prefix" },
};

KUNIT_ARRAY_PARAM(prefix_refused, prefix_refused, vzr_refused_desc);
VZR_REFUSED_CASE(prefix_parse_refused, try_prefix);

/* The text is a slice of a longer list: only @n characters count. */
static void prefix_parse_slice(struct kunit *test)
{
	const char *list = "10.0.0.0/8,2001:db8::/32";
	struct vzr_ip want = vzr_test_ip(test, "10.0.0.0");
	const char *why;
	struct vzr_prefix p;

	KUNIT_ASSERT_EQ(test, vzr_prefix_parse(list, 10, &p, &why), 0);
	KUNIT_EXPECT_TRUE(test, vzr_ip_equal(&p.ip, &want));
	KUNIT_EXPECT_EQ(test, p.len, 8);

	/* "10.0.0.0/" then: the length is cut off */
	KUNIT_EXPECT_EQ(test, vzr_prefix_parse(list, 9, &p, &why), -EINVAL);
	/* "10.0.0.0/8,2" */
	KUNIT_EXPECT_EQ(test, vzr_prefix_parse(list, 12, &p, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, vzr_prefix_parse(list + 11, 13, &p, &why), 0);
	KUNIT_EXPECT_EQ(test, p.ip.family, AF_INET6);
	KUNIT_EXPECT_EQ(test, p.len, 32);
}

static struct vzr_prefix test_prefix(struct kunit *test, const char *s)
{
	struct vzr_prefix p;
	const char *why;

	memset(&p, 0, sizeof(p));
	KUNIT_EXPECT_EQ_MSG(test, vzr_prefix_parse(s, strlen(s), &p, &why), 0,
			    "test bug: prefix %s", s);
	return p;
}

/* Whether a pattern (a prefix, a glob) matches a subject (an address, a name). */
struct match_case {
	const char *pat;
	const char *subject;
	bool match;
};

static const struct match_case prefix_matches[] = {
	{ "10.0.0.0/8", "10.0.0.0", true },
	{ "10.0.0.0/8", "10.255.255.255", true },
	{ "10.0.0.0/8", "11.0.0.0", false },
	{ "10.0.0.0/8", "9.255.255.255", false },
	{ "10.128.0.0/9", "10.127.255.255", false },
	{ "10.128.0.0/9", "10.128.0.1", true },
	{ "0.0.0.0/0", "192.0.2.1", true },
	{ "0.0.0.0/0", "255.255.255.255", true },
	{ "192.0.2.7/32", "192.0.2.7", true },
	{ "192.0.2.7/32", "192.0.2.6", false },
	{ "192.0.2.7/32", "192.0.2.8", false },
	{ "2001:db8::/32", "2001:db8:ffff::1", true },
	{ "2001:db8::/32", "2001:db9::1", false },
	{ "2001:db8:8000::/33", "2001:db8:7fff::1", false },
	{ "2001:db8:8000::/33", "2001:db8:8000::1", true },
	{ "::/0", "2001:db8::1", true },
	{ "::/0", "fe80::1", true },
	{ "2001:db8::1/128", "2001:db8::1", true },
	{ "2001:db8::1/128", "2001:db8::", false },
	{ "2001:db8::1/128", "2001:db8::1:0", false },
	/* families never mix, even when the bits would */
	{ "0.0.0.0/0", "::", false },
	{ "0.0.0.0/0", "2001:db8::1", false },
	{ "::/0", "10.0.0.1", false },
	{ "::/0", "0.0.0.0", false },
	{ "10.0.0.0/8", "a00::1", false },
	{ "a00::/8", "10.0.0.1", false },
};

VZR_ARRAY_PARAM_FMT(prefix_matches, prefix_matches, match_case, "%s %s %s",
		    c->subject, c->match ? "in" : "not in", c->pat);

static void prefix_match(struct kunit *test)
{
	const struct match_case *c = test->param_value;
	struct vzr_prefix p = test_prefix(test, c->pat);
	struct vzr_ip ip = vzr_test_ip(test, c->subject);

	KUNIT_EXPECT_EQ(test, vzr_prefix_match(&p, &ip), c->match);
}

static void prefix_allowed(struct kunit *test)
{
	struct vzr_prefix allow[3];
	struct vzr_ip ip;

	allow[0] = test_prefix(test, "198.51.100.0/24");
	allow[1] = test_prefix(test, "2001:db8:100::/48");
	allow[2] = test_prefix(test, "203.0.113.9");

	/* empty list: nothing is allowed */
	ip = vzr_test_ip(test, "198.51.100.1");
	KUNIT_EXPECT_FALSE(test, vzr_allowed(allow, 0, &ip));
	KUNIT_EXPECT_TRUE(test, vzr_allowed(allow, 3, &ip));
	/* only the first @n entries count */
	ip = vzr_test_ip(test, "203.0.113.9");
	KUNIT_EXPECT_TRUE(test, vzr_allowed(allow, 3, &ip));
	KUNIT_EXPECT_FALSE(test, vzr_allowed(allow, 2, &ip));
	ip = vzr_test_ip(test, "203.0.113.8");
	KUNIT_EXPECT_FALSE(test, vzr_allowed(allow, 3, &ip));
	ip = vzr_test_ip(test, "2001:db8:100:ffff::5");
	KUNIT_EXPECT_TRUE(test, vzr_allowed(allow, 3, &ip));
	ip = vzr_test_ip(test, "2001:db8:101::5");
	KUNIT_EXPECT_FALSE(test, vzr_allowed(allow, 3, &ip));
	ip = vzr_test_ip(test, "198.51.101.1");
	KUNIT_EXPECT_FALSE(test, vzr_allowed(allow, 3, &ip));
}

static struct kunit_case prefix_cases[] = {
	KUNIT_CASE_PARAM(prefix_parse_good, prefix_good_gen_params),
	KUNIT_CASE_PARAM(prefix_parse_refused, prefix_refused_gen_params),
	KUNIT_CASE(prefix_parse_slice),
	KUNIT_CASE_PARAM(prefix_match, prefix_matches_gen_params),
	KUNIT_CASE(prefix_allowed),
	{}
};

VZR_KUNIT_SUITE(prefix, NULL, NULL);

/* --- vzr_addr: addresses and which of them qualify for a route ----------- */

static void ip_set_equal(struct kunit *test)
{
	struct in6_addr v6 = IN6ADDR_LOOPBACK_INIT;
	struct vzr_ip a, b;
	__be32 v4 = htonl(0x0a000001);

	/* set4 clears what an earlier address left behind */
	memset(&a, 0xff, sizeof(a));
	vzr_ip_set4(&a, v4);
	KUNIT_EXPECT_EQ(test, a.family, AF_INET);
	KUNIT_EXPECT_EQ(test, memcmp(&a.a.s6_addr32[0], &v4, 4), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(&a.a.s6_addr32[1], 0, 12));
	b = vzr_test_ip(test, "10.0.0.1");
	KUNIT_EXPECT_TRUE(test, vzr_ip_equal(&a, &b));
	KUNIT_EXPECT_EQ(test, vzr_ip_maxlen(&a), 32);

	vzr_ip_set6(&b, &v6);
	KUNIT_EXPECT_EQ(test, b.family, AF_INET6);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&b.a, &v6));
	KUNIT_EXPECT_EQ(test, vzr_ip_maxlen(&b), 128);
	KUNIT_EXPECT_FALSE(test, vzr_ip_equal(&a, &b));

	/* the same bits in another family are another address */
	b = a;
	b.family = AF_INET6;
	KUNIT_EXPECT_FALSE(test, vzr_ip_equal(&a, &b));
	KUNIT_EXPECT_FALSE(test, vzr_ip_equal(&b, &a));

	b = vzr_test_ip(test, "10.0.0.2");
	KUNIT_EXPECT_FALSE(test, vzr_ip_equal(&a, &b));
}

static void ip_str(struct kunit *test)
{
	char buf[VZR_IP_STRLEN];
	struct vzr_ip ip;

	ip = vzr_test_ip(test, "192.0.2.33");
	KUNIT_EXPECT_PTR_EQ(test, vzr_ip_str(&ip, buf, sizeof(buf)), (const char *)buf);
	KUNIT_EXPECT_STREQ(test, buf, "192.0.2.33");
	ip = vzr_test_ip(test, "2001:0db8:0000:0000:0000:0000:0000:0001");
	KUNIT_EXPECT_STREQ(test, vzr_ip_str(&ip, buf, sizeof(buf)), "2001:db8::1");
	ip = vzr_test_ip(test, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	KUNIT_EXPECT_STREQ(test, vzr_ip_str(&ip, buf, sizeof(buf)),
			   "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	/* a short buffer is cut, never overrun */
	ip = vzr_test_ip(test, "192.0.2.33");
	KUNIT_EXPECT_STREQ(test, vzr_ip_str(&ip, buf, 5), "192.");
}

struct qualify_case {
	const char *addr;
	bool qualifies;
	const char *what;
};

static const struct qualify_case qualify_cases[] = {
	{ "10.1.0.5", true, "private" },
	{ "192.0.2.1", true, "documentation" },
	{ "100.64.0.1", true, "shared" },
	{ "1.0.0.0", true, "first after 0/8" },
	{ "126.255.255.255", true, "last before 127/8" },
	{ "128.0.0.0", true, "first after 127/8" },
	{ "169.253.255.255", true, "last before 169.254/16" },
	{ "169.255.0.0", true, "first after 169.254/16" },
	{ "223.255.255.255", true, "last before 224/4" },
	{ "10.0.0.255", true, "a subnet broadcast looks like any address" },
	{ "0.0.0.0", false, "unspecified" },
	{ "127.0.0.1", false, "loopback" },
	{ "127.255.255.254", false, "loopback" },
	{ "169.254.0.0", false, "link-local" },
	{ "169.254.3.3", false, "link-local" },
	{ "169.254.255.255", false, "link-local" },
	{ "224.0.0.1", false, "multicast" },
	{ "239.255.255.255", false, "multicast" },
	{ "255.255.255.255", false, "limited broadcast" },
	{ "2001:db8::5", true, "global" },
	{ "fd00::1", true, "unique local" },
	{ "64:ff9b::c000:201", true, "NAT64" },
	{ "fec0::1", true, "site-local (deprecated, still unicast)" },
	{ "::", false, "unspecified" },
	{ "::1", false, "loopback" },
	{ "fe80::1", false, "link-local" },
	{ "febf:ffff::1", false, "link-local (fe80::/10 end)" },
	{ "ff02::1", false, "multicast link scope" },
	{ "ff05::2", false, "multicast site scope" },
	{ "ff0e::1", false, "multicast global scope" },
	{ "::ffff:10.0.0.1", false, "IPv4-mapped" },
	{ "::ffff:192.0.2.1", false, "IPv4-mapped" },
};

VZR_ARRAY_PARAM_FMT(qualify, qualify_cases, qualify_case, "%s (%s)", c->addr, c->what);

static void ip_qualifies(struct kunit *test)
{
	const struct qualify_case *c = test->param_value;
	struct vzr_ip ip = vzr_test_ip(test, c->addr);

	KUNIT_EXPECT_EQ(test, vzr_ip_qualifies(&ip), c->qualifies);
}

static struct kunit_case addr_cases[] = {
	KUNIT_CASE(ip_set_equal),
	KUNIT_CASE(ip_str),
	KUNIT_CASE_PARAM(ip_qualifies, qualify_gen_params),
	{}
};

VZR_KUNIT_SUITE(addr, NULL, NULL);

/* --- vzr_ifnames: host_ifnames patterns ----------------------------------- */

static const struct match_case glob_cases[] = {
	{ "veth0", "veth0", true },
	{ "veth0", "veth1", false },
	{ "veth0", "veth01", false },
	{ "veth0", "veth", false },
	{ "VETH0", "veth0", false },		/* case matters */
	{ "veth*", "veth0", true },
	{ "veth*", "veth", true },		/* '*' may match nothing */
	{ "veth*", "vet", false },
	{ "veth*", "xveth0", false },
	{ "*", "anything", true },
	{ "**", "x", true },
	{ "*0", "veth10", true },
	{ "*1", "veth10", false },
	{ "*eth*", "veth101", true },
	{ "a*b*c", "axxbyyc", true },
	{ "a*b*c", "axxbyy", false },
	{ "a*b*c", "abcbc", true },		/* backtracking */
	{ "a*bc", "abcbcbd", false },
	{ "?", "a", true },
	{ "?", "ab", false },
	{ "ve??", "ve10", true },
	{ "ve??", "ve1", false },
	{ "ve[0-9]*", "ve101", true },
	{ "ve[0-9]*", "ve1", true },
	{ "ve[0-9]*", "vea", false },
	{ "ve[0-9]*", "ve", false },
	{ "[abc]x", "bx", true },
	{ "[abc]x", "dx", false },
	{ "[!a-c]x", "dx", true },
	{ "[!a-c]x", "bx", false },
	{ "[]a]", "]", true },			/* ']' first is a member */
	{ "[]a]", "a", true },
	{ "[!]]", "]", false },
	{ "[!]]", "x", true },
	{ "[a-]", "-", true },			/* '-' last is a member */
	{ "[a-]", "a", true },
	{ "[a-]", "b", false },
	{ "[0-35-9]", "4", false },
	{ "[0-35-9]", "5", true },
	{ "ve[0", "ve0", false },		/* unterminated set */
	{ "ve[0", "ve[0", false },
	{ "*[", "x[", false },
};

VZR_ARRAY_PARAM_FMT(glob, glob_cases, match_case, "'%s' %s %s",
		    c->pat, c->match ? "matches" : "does not match", c->subject);

static void glob_match(struct kunit *test)
{
	const struct match_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, vzr_glob(c->pat, strlen(c->pat), c->subject), c->match);
}

/* Patterns are slices of the list: only @plen characters count. */
static void glob_length(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, vzr_glob("veth*,ve-*", 5, "veth9"));
	KUNIT_EXPECT_FALSE(test, vzr_glob("veth*,ve-*", 5, "ve-9"));
	KUNIT_EXPECT_TRUE(test, vzr_glob("vethX", 4, "veth"));
	KUNIT_EXPECT_FALSE(test, vzr_glob("vethX", 4, "vethX"));
	KUNIT_EXPECT_FALSE(test, vzr_glob("x", 0, "x"));
	/* a set cut by the slice is unterminated */
	KUNIT_EXPECT_FALSE(test, vzr_glob("v[0-9]", 4, "v0"));
}

static void ifnames_match(struct kunit *test)
{
	static const struct match_case cases[] = {
		/* empty: any name */
		{ "", "veth0", true },
		{ "", "eth0", true },
		{ "veth*", "veth0", true },
		{ "veth*", "eth0", false },
		{ "veth*,ve-*", "ve-101", true },
		{ "ve-*,veth*", "veth3", true },
		{ "veth*,ve-*", "vz0", false },
		{ "a,b,c", "c", true },
		{ "a,b,c", "ab", false },
		/* a list that is not empty but has only empty patterns matches nothing */
		{ ",", "x", false },
		{ "veth*,", "x", false },
		/* a pattern never runs into the next one */
		{ "ve,th", "veth", false },
	};
	const struct match_case *c;

	for (c = cases; c < cases + ARRAY_SIZE(cases); c++)
		KUNIT_EXPECT_EQ_MSG(test, vzr_ifnames_match(c->pat, c->subject), c->match,
				    "\"%s\" and %s", c->pat, c->subject);
}

static struct kunit_case ifnames_cases[] = {
	KUNIT_CASE_PARAM(glob_match, glob_gen_params),
	KUNIT_CASE(glob_length),
	KUNIT_CASE(ifnames_match),
	{}
};

VZR_KUNIT_SUITE(ifnames, NULL, NULL);

/* --- vzr_checks: proto, metric, table ------------------------------------- */

/* @check (of @what) refuses each of @refused, and takes each of @usable. */
static void expect_check(struct kunit *test, const char *(*check)(u32),
			 const char *what, const u32 *refused, size_t n_refused,
			 const u32 *usable, size_t n_usable)
{
	size_t i;

	for (i = 0; i < n_refused; i++)
		KUNIT_EXPECT_NOT_NULL_MSG(test, check(refused[i]),
					  "%s %u", what, refused[i]);
	for (i = 0; i < n_usable; i++)
		KUNIT_EXPECT_NULL_MSG(test, check(usable[i]),
				      "%s %u", what, usable[i]);
}

static void check_proto(struct kunit *test)
{
	static const u32 refused[] = { 0, 1, 2, 11, 12, 42, 186, 190, 198,
				       256, 65535, U32_MAX };
	static const u32 usable[] = { 3, 4, 10, 13, 41, 43, 157, 185, 199,
				      254, 255 };

	expect_check(test, vzr_check_proto, "proto", refused, ARRAY_SIZE(refused),
		     usable, ARRAY_SIZE(usable));
	KUNIT_EXPECT_STREQ(test, vzr_check_proto(256), "proto must be 3..255");
	KUNIT_EXPECT_STREQ(test, vzr_check_proto(2),
			   "proto 0-2 are kernel-reserved; routing daemons ignore or delete them");
	KUNIT_EXPECT_STREQ(test, vzr_check_proto(186),
			   "proto belongs to a routing daemon that deletes routes carrying it");
}

static void check_metric(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, vzr_check_metric(0));
	KUNIT_EXPECT_NULL(test, vzr_check_metric(128));
	KUNIT_EXPECT_NULL(test, vzr_check_metric(0xffffff));
	KUNIT_EXPECT_NOT_NULL(test, vzr_check_metric(0x1000000));
	KUNIT_EXPECT_NOT_NULL(test, vzr_check_metric(U32_MAX));
}

static void check_table(struct kunit *test)
{
	static const u32 refused[] = { 0, 252, 255 };
	static const u32 usable[] = { 1, 100, 251, 253, 254, 256, 1000,
				      U32_MAX };

	expect_check(test, vzr_check_table, "table", refused, ARRAY_SIZE(refused),
		     usable, ARRAY_SIZE(usable));
}

static void effective_metric(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vzr_effective_metric(AF_INET6, 0), 1024);
	KUNIT_EXPECT_EQ(test, vzr_effective_metric(AF_INET6, 1), 1);
	KUNIT_EXPECT_EQ(test, vzr_effective_metric(AF_INET6, 128), 128);
	KUNIT_EXPECT_EQ(test, vzr_effective_metric(AF_INET, 0), 0);
	KUNIT_EXPECT_EQ(test, vzr_effective_metric(AF_INET, 128), 128);
}

static struct kunit_case checks_cases[] = {
	KUNIT_CASE(check_proto),
	KUNIT_CASE(check_metric),
	KUNIT_CASE(check_table),
	KUNIT_CASE(effective_metric),
	{}
};

VZR_KUNIT_SUITE(checks, NULL, NULL);

kunit_test_suites(&prefix_suite, &addr_suite, &ifnames_suite, &checks_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of vzroute's pure logic");

/* --- allow entries bound to host devices: "PREFIX@PATTERN" --------------- */

struct entry_case {
	const char *text;
	const char *addr;	/* the network address it must yield */
	u8 len;
	const char *dev;	/* the pattern it must yield */
};

static const struct entry_case entry_good[] = {
	{ "198.51.100.0/24", "198.51.100.0", 24, "" },	/* unbound */
	{ "198.51.100.10/32@veth101*", "198.51.100.10", 32, "veth101*" },
	{ "198.51.100.10@veth101", "198.51.100.10", 32, "veth101" },
	{ "2001:db8::1@ve-[0-9]*", "2001:db8::1", 128, "ve-[0-9]*" },
	{ "2001:db8:100::/48@vh?", "2001:db8:100::", 48, "vh?" },
	{ "10.0.0.0/8@[!x]*", "10.0.0.0", 8, "[!x]*" },
	{ "10.0.0.0/8@0123456789012345678901234567890", "10.0.0.0", 8,
	  "0123456789012345678901234567890" },	/* 31: the longest */
};

static void entry_good_desc(const struct entry_case *c, char *desc)
{
	vzr_test_desc(desc, c->text);
}

KUNIT_ARRAY_PARAM(entry_good, entry_good, entry_good_desc);

static void entry_parse_good(struct kunit *test)
{
	const struct entry_case *c = test->param_value;
	struct vzr_ip want = vzr_test_ip(test, c->addr);
	char back[VZROUTE_ENTRY_STRLEN];
	const char *why = "untouched";
	struct vzr_prefix p, q;

	memset(&p, 0xa5, sizeof(p));
	KUNIT_ASSERT_EQ(test, vzr_entry_parse(c->text, strlen(c->text), &p, &why), 0);
	KUNIT_EXPECT_NULL(test, why);
	KUNIT_EXPECT_TRUE(test, vzr_ip_equal(&p.ip, &want));
	KUNIT_EXPECT_EQ(test, p.len, c->len);
	KUNIT_EXPECT_STREQ(test, p.dev, c->dev);
	/* What GET_CONFIG and sysfs print reads back as the same entry. */
	vzr_entry_str(&p, back, sizeof(back));
	KUNIT_ASSERT_EQ(test, vzr_entry_parse(back, strlen(back), &q, &why), 0);
	KUNIT_EXPECT_TRUE_MSG(test, vzr_entry_equal(&p, &q), "printed as %s", back);
}

struct entry_bad_case {
	const char *text;
	const char *why;
};

static const struct entry_bad_case entry_bad[] = {
	{ "10.0.0.0/8@", "empty device pattern after '@'" },
	{ "10.0.0.0/8@veth 1", "device pattern: no blanks, ',', '@' or '/'" },
	{ "10.0.0.0/8@veth\t1", "device pattern: no blanks, ',', '@' or '/'" },
	{ "10.0.0.0/8@a,b", "device pattern: no blanks, ',', '@' or '/'" },
	{ "10.0.0.0/8@a@b", "device pattern: no blanks, ',', '@' or '/'" },
	{ "10.0.0.0/8@ve/th", "device pattern: no blanks, ',', '@' or '/'" },
	{ "10.0.0.0/8@01234567890123456789012345678901",
	  "device pattern too long (at most 31 characters)" },
	{ "@veth1", "malformed prefix" },
	{ "banana@veth1", "not an IPv4 or IPv6 address" },
	{ "10.0.0.1/8@veth1", "host bits set beyond the prefix length" },
	{ "10.0.0.0/33@veth1", "bad prefix length" },
};

static void entry_bad_desc(const struct entry_bad_case *c, char *desc)
{
	vzr_test_desc(desc, c->text);
}

KUNIT_ARRAY_PARAM(entry_bad, entry_bad, entry_bad_desc);

static void entry_parse_refused(struct kunit *test)
{
	const struct entry_bad_case *c = test->param_value;
	const char *why = NULL;
	struct vzr_prefix p;

	KUNIT_EXPECT_EQ(test, vzr_entry_parse(c->text, strlen(c->text), &p, &why),
			-EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, why);
	KUNIT_EXPECT_STREQ(test, why, c->why);
}

static void entry_equal(struct kunit *test)
{
	struct vzr_prefix a, b;
	const char *why;

	KUNIT_ASSERT_EQ(test, vzr_entry_parse("10.1.0.1@vh1", 12, &a, &why), 0);
	KUNIT_ASSERT_EQ(test, vzr_entry_parse("10.1.0.1/32@vh1", 15, &b, &why), 0);
	KUNIT_EXPECT_TRUE(test, vzr_entry_equal(&a, &b));
	KUNIT_ASSERT_EQ(test, vzr_entry_parse("10.1.0.1@vh2", 12, &b, &why), 0);
	KUNIT_EXPECT_FALSE(test, vzr_entry_equal(&a, &b));	/* other devices */
	KUNIT_ASSERT_EQ(test, vzr_entry_parse("10.1.0.1", 8, &b, &why), 0);
	KUNIT_EXPECT_FALSE(test, vzr_entry_equal(&a, &b));	/* unbound */
}

/* One allow list for every match case; the most specific entries decide. */
static const char *const bind_list[] = {
	"198.51.100.0/24",
	"198.51.100.10/32@veth101*",
	"198.51.100.20/32@veth201",	/* one address bound to two devices */
	"198.51.100.20/32@veth202",
	"203.0.113.0/24@vethA*",	/* a bound range, a narrower one inside */
	"203.0.113.0/25@vethB*",
	"2001:db8:100::/48",
	"2001:db8:100::10/128@ve-101",
	"192.0.2.0/24@vh1",
	"192.0.2.0/24",			/* unbound too: any device */
};

struct bind_match_case {
	const char *addr;
	const char *hname;
	enum vzr_allow verdict;
};

static const struct bind_match_case bind_match_cases[] = {
	{ "198.51.100.10", "veth101", VZR_ALLOW_HERE },
	{ "198.51.100.10", "veth1011", VZR_ALLOW_HERE },
	{ "198.51.100.10", "veth102", VZR_ALLOW_ELSEWHERE },
	{ "198.51.100.11", "veth102", VZR_ALLOW_HERE },	/* the /24 */
	{ "198.51.100.20", "veth201", VZR_ALLOW_HERE },
	{ "198.51.100.20", "veth202", VZR_ALLOW_HERE },
	{ "198.51.100.20", "veth203", VZR_ALLOW_ELSEWHERE },
	{ "203.0.113.5", "vethB1", VZR_ALLOW_HERE },
	{ "203.0.113.5", "vethA1", VZR_ALLOW_ELSEWHERE },	/* /25 decides */
	{ "203.0.113.200", "vethA1", VZR_ALLOW_HERE },
	{ "203.0.113.200", "vethB1", VZR_ALLOW_ELSEWHERE },
	{ "2001:db8:100::10", "ve-101", VZR_ALLOW_HERE },
	{ "2001:db8:100::10", "ve-102", VZR_ALLOW_ELSEWHERE },
	{ "2001:db8:100::11", "ve-102", VZR_ALLOW_HERE },
	{ "192.0.2.1", "vh1", VZR_ALLOW_HERE },
	{ "192.0.2.1", "vh2", VZR_ALLOW_HERE },
	{ "10.0.0.1", "veth101", VZR_ALLOW_NONE },
	{ "2001:db8:200::1", "ve-101", VZR_ALLOW_NONE },
	{ "::ffff:198.51.100.10", "veth101", VZR_ALLOW_NONE },	/* no family mix */
};

static void bind_match_desc(const struct bind_match_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s on %s", c->addr, c->hname);
}

KUNIT_ARRAY_PARAM(bind_match, bind_match_cases, bind_match_desc);

static void bind_match(struct kunit *test)
{
	const struct bind_match_case *c = test->param_value;
	struct vzr_ip ip = vzr_test_ip(test, c->addr);
	struct vzr_prefix *allow;
	const char *why;
	unsigned int i;

	allow = kunit_kcalloc(test, ARRAY_SIZE(bind_list), sizeof(*allow),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, allow);
	for (i = 0; i < ARRAY_SIZE(bind_list); i++)
		KUNIT_ASSERT_EQ(test, vzr_entry_parse(bind_list[i],
						      strlen(bind_list[i]),
						      &allow[i], &why), 0);
	KUNIT_EXPECT_EQ(test, vzr_allow_match(allow, ARRAY_SIZE(bind_list),
					      &ip, c->hname), c->verdict);
	/* In any order: the list's order decides nothing. */
	for (i = 0; i < ARRAY_SIZE(bind_list) / 2; i++)
		swap(allow[i], allow[ARRAY_SIZE(bind_list) - 1 - i]);
	KUNIT_EXPECT_EQ(test, vzr_allow_match(allow, ARRAY_SIZE(bind_list),
					      &ip, c->hname), c->verdict);
	/* The unbound view: the allow list covers it or not. */
	KUNIT_EXPECT_EQ(test, vzr_allowed(allow, ARRAY_SIZE(bind_list), &ip),
			c->verdict != VZR_ALLOW_NONE);
}

static void bind_match_empty(struct kunit *test)
{
	struct vzr_ip ip = vzr_test_ip(test, "198.51.100.10");

	KUNIT_EXPECT_EQ(test, vzr_allow_match(NULL, 0, &ip, "veth101"),
			VZR_ALLOW_NONE);
}

static struct kunit_case bind_cases[] = {
	KUNIT_CASE_PARAM(entry_parse_good, entry_good_gen_params),
	KUNIT_CASE_PARAM(entry_parse_refused, entry_bad_gen_params),
	KUNIT_CASE(entry_equal),
	KUNIT_CASE_PARAM(bind_match, bind_match_gen_params),
	KUNIT_CASE(bind_match_empty),
	{}
};

static struct kunit_suite bind_suite = {
	.name = "vzr_bind",
	.test_cases = bind_cases,
};

kunit_test_suite(bind_suite);
