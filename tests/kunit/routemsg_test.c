// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for kmod/routemsg.c: the RTM_NEWROUTE/RTM_DELROUTE requests
 * vzroute sends, field by field, and the parser that reads route dumps.
 *
 * Messages handed to the parser sit in buffers allocated to their exact
 * length, so that KASAN reports any read past the end.
 */

#include <kunit/test.h>
#include <linux/slab.h>

#include "../../kmod/routemsg.c"

#include "vzr_kunit.h"

#define RTM_HDRLEN	NLMSG_LENGTH(sizeof(struct rtmsg))

static struct vzr_route test_route(struct kunit *test, const char *dst,
				   int ifindex, u32 proto, u32 metric, u32 table)
{
	struct vzr_route r;

	memset(&r, 0, sizeof(r));
	r.dst = vzr_test_ip(test, dst);
	r.ifindex = ifindex;
	r.proto = proto;
	r.metric = metric;
	r.table = table;
	return r;
}

/* The attribute at @off must be @type with exactly @len bytes of payload. */
static const void *expect_attr(struct kunit *test, const void *msg,
			       unsigned int off, u16 type, u16 len)
{
	const struct nlattr *nla = msg + off;

	KUNIT_EXPECT_EQ_MSG(test, nla->nla_type, type, "attribute at %u", off);
	KUNIT_EXPECT_EQ_MSG(test, nla->nla_len, NLA_HDRLEN + len,
			    "length of attribute %u", type);
	return nla_data(nla);
}

static u32 attr_u32(const void *data)
{
	u32 v;

	memcpy(&v, data, sizeof(v));
	return v;
}

/*
 * Build with a buffer bigger than VZR_ROUTE_MSG_MAX filled with a pattern:
 * the message is cleared up to VZR_ROUTE_MSG_MAX, and nothing beyond is
 * touched.
 */
static u8 *build(struct kunit *test, const struct vzr_route *r, u16 type,
		 u16 flags, u32 seq, int want_len)
{
	const size_t size = 2 * VZR_ROUTE_MSG_MAX;
	u8 *buf = kunit_kmalloc(test, size, GFP_KERNEL);
	size_t i;
	int len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 0xa5, size);
	len = vzr_route_msg(buf, size, r, type, flags, seq);
	KUNIT_ASSERT_EQ(test, len, want_len);
	KUNIT_EXPECT_EQ(test, ((struct nlmsghdr *)buf)->nlmsg_len, want_len);
	for (i = len; i < VZR_ROUTE_MSG_MAX; i++)
		if (buf[i]) {
			KUNIT_FAIL(test, "byte %zu after the message is %#x, not 0", i, buf[i]);
			break;
		}
	for (i = VZR_ROUTE_MSG_MAX; i < size; i++)
		if (buf[i] != 0xa5) {
			KUNIT_FAIL(test, "byte %zu beyond VZR_ROUTE_MSG_MAX was written", i);
			break;
		}
	return buf;
}

struct msg_case {
	const char *name;
	const char *dst;
	u16 type;
	u16 flags;
	u32 table;
	/* what the message must say */
	int len;
	u8 family;
	u8 dst_len;
	u8 rtm_table;
	u8 scope;
};

static const struct msg_case msg_cases[] = {
	{ "IPv4 add", "10.1.0.5", RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK,
	  254, 60, AF_INET, 32, 254, RT_SCOPE_LINK },
	{ "IPv4 replace", "10.1.0.5", RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE | NLM_F_ACK,
	  254, 60, AF_INET, 32, 254, RT_SCOPE_LINK },
	{ "IPv4 delete", "10.1.0.5", RTM_DELROUTE, NLM_F_ACK,
	  254, 60, AF_INET, 32, 254, RT_SCOPE_NOWHERE },
	{ "IPv6 add", "2001:db8::5", RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK,
	  254, 72, AF_INET6, 128, 254, RT_SCOPE_UNIVERSE },
	{ "IPv6 delete", "2001:db8::5", RTM_DELROUTE, NLM_F_ACK,
	  254, 72, AF_INET6, 128, 254, RT_SCOPE_NOWHERE },
	{ "IPv4 add, table 100", "192.0.2.1", RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
	  100, 60, AF_INET, 32, 100, RT_SCOPE_LINK },
	/* above 255 the header says "compat" and RTA_TABLE has the number */
	{ "IPv4 add, table 1000", "192.0.2.1", RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
	  1000, 60, AF_INET, 32, RT_TABLE_COMPAT, RT_SCOPE_LINK },
	{ "IPv6 delete, table 70000", "2001:db8::5", RTM_DELROUTE, 0,
	  70000, 72, AF_INET6, 128, RT_TABLE_COMPAT, RT_SCOPE_NOWHERE },
};

VZR_ARRAY_PARAM(msg, msg_cases, msg_case);

static void route_msg(struct kunit *test)
{
	const struct msg_case *c = test->param_value;
	struct vzr_route r = test_route(test, c->dst, 7, 157, 128, c->table);
	unsigned int alen = c->family == AF_INET ? 4 : 16, off;
	const struct nlmsghdr *nlh;
	const struct rtmsg *rtm;
	const void *data;
	u8 *buf;

	buf = build(test, &r, c->type, c->flags, 0x12345678, c->len);
	nlh = (const void *)buf;
	KUNIT_EXPECT_EQ(test, nlh->nlmsg_type, c->type);
	KUNIT_EXPECT_EQ(test, nlh->nlmsg_flags, NLM_F_REQUEST | c->flags);
	KUNIT_EXPECT_EQ(test, nlh->nlmsg_seq, 0x12345678);
	KUNIT_EXPECT_EQ(test, nlh->nlmsg_pid, 0);

	rtm = nlmsg_data(nlh);
	KUNIT_EXPECT_EQ(test, rtm->rtm_family, c->family);
	KUNIT_EXPECT_EQ(test, rtm->rtm_dst_len, c->dst_len);
	KUNIT_EXPECT_EQ(test, rtm->rtm_src_len, 0);
	KUNIT_EXPECT_EQ(test, rtm->rtm_tos, 0);
	KUNIT_EXPECT_EQ(test, rtm->rtm_table, c->rtm_table);
	KUNIT_EXPECT_EQ(test, rtm->rtm_protocol, 157);
	KUNIT_EXPECT_EQ(test, rtm->rtm_scope, c->scope);
	KUNIT_EXPECT_EQ(test, rtm->rtm_type, RTN_UNICAST);
	KUNIT_EXPECT_EQ(test, rtm->rtm_flags, 0);

	/* RTA_DST, RTA_OIF, RTA_PRIORITY, RTA_TABLE, in that order */
	off = RTM_HDRLEN;
	data = expect_attr(test, buf, off, RTA_DST, alen);
	KUNIT_EXPECT_EQ(test, memcmp(data, &r.dst.a, alen), 0);
	off += NLA_ALIGN(NLA_HDRLEN + alen);
	data = expect_attr(test, buf, off, RTA_OIF, 4);
	KUNIT_EXPECT_EQ(test, attr_u32(data), 7);
	off += NLA_HDRLEN + 4;
	data = expect_attr(test, buf, off, RTA_PRIORITY, 4);
	KUNIT_EXPECT_EQ(test, attr_u32(data), 128);
	off += NLA_HDRLEN + 4;
	data = expect_attr(test, buf, off, RTA_TABLE, 4);
	KUNIT_EXPECT_EQ(test, attr_u32(data), c->table);
	off += NLA_HDRLEN + 4;
	KUNIT_EXPECT_EQ(test, off, c->len);
}

static void route_msg_values(struct kunit *test)
{
	struct vzr_route r = test_route(test, "203.0.113.77", 0x7fffffff, 255,
					0xffffff, RT_TABLE_DEFAULT);
	const struct rtmsg *rtm;
	u8 *buf;

	buf = build(test, &r, RTM_NEWROUTE, 0, 0, 60);
	rtm = nlmsg_data((struct nlmsghdr *)buf);
	KUNIT_EXPECT_EQ(test, rtm->rtm_protocol, 255);
	KUNIT_EXPECT_EQ(test, rtm->rtm_table, RT_TABLE_DEFAULT);
	KUNIT_EXPECT_EQ(test, memcmp(buf + RTM_HDRLEN + NLA_HDRLEN,
				     "\xcb\x00\x71\x4d", 4), 0);
	KUNIT_EXPECT_EQ(test, attr_u32(buf + RTM_HDRLEN + 8 + NLA_HDRLEN), 0x7fffffff);
	KUNIT_EXPECT_EQ(test, attr_u32(buf + RTM_HDRLEN + 16 + NLA_HDRLEN), 0xffffff);
	KUNIT_EXPECT_EQ(test, attr_u32(buf + RTM_HDRLEN + 24 + NLA_HDRLEN),
			RT_TABLE_DEFAULT);
	/* NLM_F_REQUEST is always set */
	KUNIT_EXPECT_EQ(test, ((struct nlmsghdr *)buf)->nlmsg_flags, NLM_F_REQUEST);
}

static void route_msg_too_small(struct kunit *test)
{
	struct vzr_route r = test_route(test, "10.1.0.5", 7, 157, 128, 254);
	u8 *buf = kunit_kmalloc(test, VZR_ROUTE_MSG_MAX, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 0xa5, VZR_ROUTE_MSG_MAX);
	KUNIT_EXPECT_EQ(test, vzr_route_msg(buf, VZR_ROUTE_MSG_MAX - 1, &r,
					    RTM_NEWROUTE, 0, 1), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, buf[0], 0xa5);	/* untouched */
	KUNIT_EXPECT_EQ(test, vzr_route_msg(buf, 0, &r, RTM_NEWROUTE, 0, 1), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, vzr_route_msg(buf, VZR_ROUTE_MSG_MAX, &r,
					    RTM_NEWROUTE, 0, 1), 60);
}

/* A copy of @len bytes of @msg in a buffer of exactly that size. */
static void *exact(struct kunit *test, const void *msg, size_t len)
{
	void *p = kunit_kmalloc(test, len ? len : 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	memcpy(p, msg, len);
	return p;
}

static void route_roundtrip(struct kunit *test)
{
	static const struct {
		const char *dst;
		u32 table;
		u32 metric;
	} routes[] = {
		{ "10.1.0.5", 254, 128 },
		{ "198.51.100.255", 100, 0 },
		{ "192.0.2.1", 1000, 16777215 },
		{ "2001:db8::5", 254, 128 },
		{ "2001:db8:100::ffff", 70000, 1024 },
	};
	static const u16 types[] = { RTM_NEWROUTE, RTM_DELROUTE };
	struct vzr_route r, back;
	unsigned int i, t;
	u8 *buf;
	int len;

	for (i = 0; i < ARRAY_SIZE(routes); i++) {
		for (t = 0; t < ARRAY_SIZE(types); t++) {
			r = test_route(test, routes[i].dst, 42 + i, 157,
				       routes[i].metric, routes[i].table);
			len = r.dst.family == AF_INET ? 60 : 72;
			buf = build(test, &r, types[t], 0, i, len);
			memset(&back, 0xa5, sizeof(back));
			buf = exact(test, buf, len);
			KUNIT_EXPECT_EQ_MSG(test, vzr_route_parse(buf, len, &back), 0,
					    "%s", routes[i].dst);
			KUNIT_EXPECT_TRUE_MSG(test, vzr_route_equal(&r, &back), "%s",
					      routes[i].dst);
			KUNIT_EXPECT_EQ(test, back.dst.family, r.dst.family);
			KUNIT_EXPECT_EQ(test, back.ifindex, 42 + i);
			KUNIT_EXPECT_EQ(test, back.proto, 157);
			KUNIT_EXPECT_EQ(test, back.metric, routes[i].metric);
			KUNIT_EXPECT_EQ(test, back.table, routes[i].table);
		}
	}
}

/*
 * A message builder for the parser's input, independent of the code
 * under test: the header, then attributes appended one by one.
 */
struct msgbuf {
	u8 data[256];
	size_t len;		/* bytes handed to the parser */
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
};

static void mb_init(struct msgbuf *mb, u8 family, u8 dst_len, u8 table,
		    u8 proto, u8 type)
{
	memset(mb, 0, sizeof(*mb));
	mb->nlh = (void *)mb->data;
	mb->nlh->nlmsg_len = RTM_HDRLEN;
	mb->len = RTM_HDRLEN;
	mb->nlh->nlmsg_type = RTM_NEWROUTE;
	mb->nlh->nlmsg_flags = NLM_F_MULTI;
	mb->rtm = nlmsg_data(mb->nlh);
	mb->rtm->rtm_family = family;
	mb->rtm->rtm_dst_len = dst_len;
	mb->rtm->rtm_table = table;
	mb->rtm->rtm_protocol = proto;
	mb->rtm->rtm_scope = family == AF_INET6 ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	mb->rtm->rtm_type = type;
}

static void mb_attr(struct msgbuf *mb, u16 type, const void *data, u16 len)
{
	struct nlattr *nla = (void *)mb->data + NLMSG_ALIGN(mb->nlh->nlmsg_len);

	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	memcpy((void *)nla + NLA_HDRLEN, data, len);
	mb->nlh->nlmsg_len = NLMSG_ALIGN(mb->nlh->nlmsg_len) + NLA_ALIGN(NLA_HDRLEN + len);
	mb->len = mb->nlh->nlmsg_len;
}

static void mb_u32(struct msgbuf *mb, u16 type, u32 v)
{
	mb_attr(mb, type, &v, sizeof(v));
}

static void mb_be32(struct msgbuf *mb, u16 type, __be32 v)
{
	mb_attr(mb, type, &v, sizeof(v));
}

/*
 * A message described rather than built step by step: mb_init()'s header
 * (main table, proto 157), then the attributes in order, up to the first
 * of type 0 (RTA_UNSPEC).
 */
struct mb_spec {
	struct {
		u8 family;
		u8 dst_len;
		u8 type;
	} hdr;
	struct {
		u16 type;
		u16 len;
		const void *data;
	} attr[6];
	u32 nlmsg_len;	/* where not 0: what the header claims instead */
};

static void mb_build(struct msgbuf *mb, const struct mb_spec *spec)
{
	unsigned int i;

	mb_init(mb, spec->hdr.family, spec->hdr.dst_len, RT_TABLE_MAIN, 157, spec->hdr.type);
	for (i = 0; i < ARRAY_SIZE(spec->attr) && spec->attr[i].type; i++)
		mb_attr(mb, spec->attr[i].type, spec->attr[i].data, spec->attr[i].len);
	if (spec->nlmsg_len)
		mb->nlh->nlmsg_len = spec->nlmsg_len;
}

/* What the attributes of the messages below carry. */
static const u8 dst_v4[4] = { 10, 1, 0, 5 };	/* 10.1.0.5 */
static const u8 dst_v4_5[5] = { 10, 1, 0, 5 };	/* and a byte too many */
static const u8 dst_v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 5 };	/* 2001:db8::5 */
static const u32 u32_0, u32_3 = 3, u32_9 = 9, u32_128 = 128, u32_main = RT_TABLE_MAIN;
static const u16 u16_3 = 3;
static const u64 u64_128 = 128;
static const u8 u8_0, u8_main = RT_TABLE_MAIN;
static const __be32 gateway = cpu_to_be32(0xc0000201);
static const struct rta_cacheinfo cacheinfo;
static const struct rtnexthop nexthop = {
	.rtnh_len = sizeof(nexthop), .rtnh_ifindex = 3,
};

/* ECMP: next hops nested in RTA_MULTIPATH (here one, with a gateway) */
static const struct {
	struct rtnexthop nh;
	struct nlattr gw_hdr;
	__be32 gw;
} ecmp = {
	.nh = { .rtnh_len = sizeof(ecmp), .rtnh_ifindex = 3 },
	.gw_hdr = { .nla_len = NLA_HDRLEN + 4, .nla_type = RTA_GATEWAY },
	.gw = cpu_to_be32(0xc0000201),
};

static const struct {
	u16 family;
	u8 addr[16];
} via = { .family = AF_INET6 };

#define ATTR(type, v)		{ type, sizeof(v), &(v) }
#define DST_V4			ATTR(RTA_DST, dst_v4)
#define OIF_3			ATTR(RTA_OIF, u32_3)
#define HDR_V4			{ AF_INET, 32, RTN_UNICAST }

/* An IPv4 route of ours, complete: 10.1.0.5/32 on ifindex 3. */
static const struct mb_spec good_v4 = { HDR_V4, { DST_V4, OIF_3 } };

/* What "ip -6 route" dumps for a vzroute route: extra attributes. */
#define KERNEL_V6_ATTRS {							\
	ATTR(RTA_TABLE, u32_main), ATTR(RTA_DST, dst_v6),			\
	ATTR(RTA_PRIORITY, u32_128), ATTR(RTA_OIF, u32_9),			\
	ATTR(RTA_CACHEINFO, cacheinfo), ATTR(RTA_PREF, u8_0)			\
}

static const struct mb_spec kernel_v6 = {
	{ AF_INET6, 128, RTN_UNICAST }, KERNEL_V6_ATTRS
};

static int parse(struct kunit *test, const struct msgbuf *mb,
		 struct vzr_route *r)
{
	return vzr_route_parse(exact(test, mb->data, mb->len), mb->len, r);
}

static void route_parse_dump(struct kunit *test)
{
	struct vzr_route r, want = test_route(test, "2001:db8::5", 9, 157, 128, 254);
	struct vzr_ip dst = vzr_test_ip(test, "10.1.0.5");
	struct msgbuf mb;

	mb_build(&mb, &kernel_v6);
	KUNIT_EXPECT_EQ(test, parse(test, &mb, &r), 0);
	KUNIT_EXPECT_TRUE(test, vzr_route_equal(&r, &want));

	/* an IPv4 route as the kernel dumps it: table, dst, oif; no metric */
	mb_init(&mb, AF_INET, 32, RT_TABLE_MAIN, 157, RTN_UNICAST);
	mb_u32(&mb, RTA_TABLE, RT_TABLE_MAIN);
	mb_attr(&mb, RTA_DST, &dst.a, 4);
	mb_u32(&mb, RTA_OIF, 3);
	KUNIT_EXPECT_EQ(test, parse(test, &mb, &r), 0);
	want = test_route(test, "10.1.0.5", 3, 157, 0, 254);
	KUNIT_EXPECT_TRUE(test, vzr_route_equal(&r, &want));

	/* without RTA_TABLE the header's table counts */
	mb_init(&mb, AF_INET, 32, 100, 4, RTN_UNICAST);
	mb_attr(&mb, RTA_DST, &dst.a, 4);
	mb_u32(&mb, RTA_OIF, 3);
	mb_u32(&mb, RTA_PRIORITY, 5);
	KUNIT_EXPECT_EQ(test, parse(test, &mb, &r), 0);
	want = test_route(test, "10.1.0.5", 3, 4, 5, 100);
	KUNIT_EXPECT_TRUE(test, vzr_route_equal(&r, &want));

	/* a longer buffer than the message: only nlmsg_len counts */
	mb_build(&mb, &kernel_v6);
	KUNIT_EXPECT_EQ(test, vzr_route_parse(mb.data, sizeof(mb.data), &r), 0);
}

/* Messages the parser must refuse, with the error it must return. */
struct bad_case {
	const char *name;
	int err;
	struct mb_spec msg;
};

static const struct bad_case bad_cases[] = {
	{ "blackhole", -ENOENT, { { AF_INET, 32, RTN_BLACKHOLE }, { DST_V4, OIF_3 } } },
	{ "local", -ENOENT, { { AF_INET, 32, RTN_LOCAL }, { DST_V4, OIF_3 } } },
	{ "family AF_BRIDGE", -ENOENT, { { AF_BRIDGE, 32, RTN_UNICAST }, { DST_V4, OIF_3 } } },
	{ "family AF_UNSPEC", -ENOENT, { { AF_UNSPEC, 32, RTN_UNICAST }, { DST_V4, OIF_3 } } },
	{ "IPv4 /24", -ENOENT, { { AF_INET, 24, RTN_UNICAST }, { DST_V4, OIF_3 } } },
	{ "IPv6 /32", -ENOENT, { { AF_INET6, 32, RTN_UNICAST }, KERNEL_V6_ATTRS } },
	/* no RTA_OIF of its own */
	{ "multipath (ECMP)", -ENOENT, { HDR_V4, { DST_V4, ATTR(RTA_MULTIPATH, ecmp) } } },
	{ "multipath with an oif", -ENOENT,
	  { HDR_V4, { DST_V4, OIF_3, ATTR(RTA_MULTIPATH, nexthop) } } },
	{ "gateway", -ENOENT, { HDR_V4, { DST_V4, OIF_3, ATTR(RTA_GATEWAY, gateway) } } },
	{ "via", -ENOENT, { HDR_V4, { DST_V4, OIF_3, ATTR(RTA_VIA, via) } } },
	{ "no RTA_DST", -ENOENT, { HDR_V4, { OIF_3 } } },
	{ "no RTA_OIF", -ENOENT, { HDR_V4, { DST_V4, ATTR(RTA_PRIORITY, u32_128) } } },
	{ "RTA_OIF 0", -ENOENT, { HDR_V4, { DST_V4, ATTR(RTA_OIF, u32_0) } } },
	{ "IPv4 RTA_DST of 5 bytes", -EINVAL, { HDR_V4, { ATTR(RTA_DST, dst_v4_5), OIF_3 } } },
	{ "IPv6 RTA_DST of 4 bytes", -EINVAL,
	  { { AF_INET6, 128, RTN_UNICAST }, { DST_V4, OIF_3 } } },
	{ "RTA_OIF of 2 bytes", -EINVAL, { HDR_V4, { DST_V4, ATTR(RTA_OIF, u16_3) } } },
	{ "RTA_PRIORITY of 8 bytes", -EINVAL,
	  { HDR_V4, { DST_V4, OIF_3, ATTR(RTA_PRIORITY, u64_128) } } },
	{ "RTA_TABLE of 1 byte", -EINVAL, { HDR_V4, { DST_V4, OIF_3, ATTR(RTA_TABLE, u8_main) } } },
	/* the header claims less than a route message; the buffer holds it all */
	{ "nlmsg_len below a route message", -EINVAL, { HDR_V4, { DST_V4, OIF_3 }, NLMSG_HDRLEN } },
};

VZR_ARRAY_PARAM(bad, bad_cases, bad_case);

static void route_parse_refused(struct kunit *test)
{
	const struct bad_case *c = test->param_value;
	struct vzr_route r;
	struct msgbuf mb;

	mb_build(&mb, &c->msg);
	KUNIT_EXPECT_EQ(test, parse(test, &mb, &r), c->err);
}

/* Messages cut short, as a broken or hostile sender would send them. */
static void route_parse_truncated(struct kunit *test)
{
	struct vzr_route r;
	struct msgbuf mb;
	size_t len, cut;

	mb_build(&mb, &kernel_v6);
	len = mb.nlh->nlmsg_len;
	/* nlmsg_len says more than the buffer holds */
	for (cut = 1; cut <= len; cut++)
		KUNIT_EXPECT_EQ_MSG(test, vzr_route_parse(exact(test, mb.data, len - cut),
							  len - cut, &r),
				    -EINVAL, "buffer %zu bytes short", cut);

	/*
	 * nlmsg_len ends inside the last attribute (RTA_PREF): it is not
	 * read, and the route is complete without it.
	 */
	mb.nlh->nlmsg_len = len - 4;
	KUNIT_EXPECT_EQ(test, parse(test, &mb, &r), 0);
	KUNIT_EXPECT_EQ(test, r.ifindex, 9);

	/* an attribute whose length runs past the message is not read */
	mb_build(&mb, &good_v4);
	len = mb.nlh->nlmsg_len;
	mb_u32(&mb, RTA_MULTIPATH, 0);
	((struct nlattr *)(mb.data + len))->nla_len = 200;
	KUNIT_EXPECT_EQ(test, parse(test, &mb, &r), 0);

	/* nor is one shorter than an attribute header, nor what follows */
	mb_init(&mb, AF_INET, 32, RT_TABLE_MAIN, 157, RTN_UNICAST);
	mb_u32(&mb, RTA_OIF, 3);
	len = mb.nlh->nlmsg_len;
	mb_be32(&mb, RTA_DST, htonl(0x0a010005));
	((struct nlattr *)(mb.data + len))->nla_len = 2;
	KUNIT_EXPECT_EQ(test, parse(test, &mb, &r), -ENOENT);
}

static void route_equal(struct kunit *test)
{
	struct vzr_route a = test_route(test, "10.1.0.5", 7, 157, 128, 254), b;
	struct vzr_route other[6];	/* a, with one field changed in each */
	unsigned int i;

	b = a;
	KUNIT_EXPECT_TRUE(test, vzr_route_equal(&a, &b));
	for (i = 0; i < ARRAY_SIZE(other); i++)
		other[i] = a;
	other[0].dst = vzr_test_ip(test, "10.1.0.6");
	other[1].dst.family = AF_INET6;
	other[2].ifindex = 8;
	other[3].proto = 158;
	other[4].metric = 129;
	other[5].table = 100;
	for (i = 0; i < ARRAY_SIZE(other); i++)
		KUNIT_EXPECT_FALSE_MSG(test, vzr_route_equal(&a, &other[i]), "change %u", i);
}

/*
 * Requests with a delete that gives no metric other than 0 may delete a
 * route they do not name: vzr_route_msgs_inexact() says so for the whole
 * batch, and for one it cannot read.
 */
static void route_msgs_inexact(struct kunit *test)
{
	/* The exact ones first: a batch of them stays exact. */
	static const struct {
		const char *dst;
		u32 metric;
		u16 type;
		bool inexact;
	} msgs[] = {
		{ "10.1.0.5", 128, RTM_DELROUTE, false },
		{ "10.1.0.5", 0, RTM_NEWROUTE, false },
		{ "2001:db8::5", 1024, RTM_DELROUTE, false },
		{ "2001:db8::6", 0, RTM_DELROUTE, true },
		{ "10.1.0.6", 0, RTM_DELROUTE, true },
	};
	u8 buf[ARRAY_SIZE(msgs) * VZR_ROUTE_MSG_MAX];
	size_t len = 0, exact_len = 0;
	struct vzr_route r;
	unsigned int i;
	int n;

	for (i = 0; i < ARRAY_SIZE(msgs); i++) {
		r = test_route(test, msgs[i].dst, 3, 157, msgs[i].metric, 254);
		n = vzr_route_msg(buf + len, sizeof(buf) - len, &r,
				  msgs[i].type, 0, i);
		KUNIT_ASSERT_GT(test, n, 0);
		KUNIT_EXPECT_EQ_MSG(test, vzr_route_msgs_inexact(buf + len, n),
				    msgs[i].inexact, "message %u alone", i);
		len += NLMSG_ALIGN(n);
		if (!msgs[i].inexact)
			exact_len = len;
	}
	KUNIT_EXPECT_FALSE(test, vzr_route_msgs_inexact(buf, exact_len));
	KUNIT_EXPECT_TRUE(test, vzr_route_msgs_inexact(buf, len));
	KUNIT_EXPECT_FALSE(test, vzr_route_msgs_inexact(buf, 0));
	/* a delete it cannot read: as if inexact */
	r = test_route(test, "10.1.0.5", 3, 157, 128, 254);
	n = vzr_route_msg(buf, sizeof(buf), &r, RTM_DELROUTE, 0, 0);
	KUNIT_ASSERT_GT(test, n, 0);
	((struct rtmsg *)nlmsg_data((struct nlmsghdr *)buf))->rtm_dst_len = 24;
	KUNIT_EXPECT_TRUE(test, vzr_route_msgs_inexact(buf, n));
}

static struct kunit_case routemsg_cases[] = {
	KUNIT_CASE_PARAM(route_msg, msg_gen_params),
	KUNIT_CASE(route_msg_values),
	KUNIT_CASE(route_msg_too_small),
	KUNIT_CASE(route_roundtrip),
	KUNIT_CASE(route_parse_dump),
	KUNIT_CASE_PARAM(route_parse_refused, bad_gen_params),
	KUNIT_CASE(route_parse_truncated),
	KUNIT_CASE(route_equal),
	KUNIT_CASE(route_msgs_inexact),
	{}
};

VZR_KUNIT_SUITE(routemsg, NULL, NULL);

kunit_test_suite(routemsg_suite);
