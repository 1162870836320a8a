// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for kmod/neighmsg.c: the proxy neighbour requests vzroute
 * sends (RTM_NEWNEIGH, RTM_DELNEIGH, RTM_GETNEIGH with NTF_PROXY), field
 * by field, and the parser of the kernel's answers and dumps.
 */

#include <kunit/test.h>
#include <linux/neighbour.h>
#include <linux/slab.h>

#include "../../kmod/neighmsg.c"

#include "vzr_kunit.h"

#define NDM_HDRLEN	NLMSG_LENGTH(sizeof(struct ndmsg))

static struct vzr_nkey key(struct kunit *test, const char *ip, int ifindex)
{
	struct vzr_nkey k;

	memset(&k, 0, sizeof(k));
	k.ip = vzr_test_ip(test, ip);
	k.ifindex = ifindex;
	return k;
}

static u8 *build(struct kunit *test, const struct vzr_nkey *k, u16 type,
		 u16 flags, u8 proto, int *len)
{
	u8 *buf = kunit_kzalloc(test, 2 * VZR_NEIGH_MSG_MAX, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 0xa5, 2 * VZR_NEIGH_MSG_MAX);
	*len = vzr_neigh_msg(buf, 2 * VZR_NEIGH_MSG_MAX, k, type, flags, 7,
			     proto);
	KUNIT_ASSERT_GT(test, *len, 0);
	KUNIT_EXPECT_LE(test, *len, VZR_NEIGH_MSG_MAX);
	KUNIT_EXPECT_EQ(test, buf[VZR_NEIGH_MSG_MAX], 0xa5);
	return buf;
}

/* An add: NTF_PROXY, the family, the uplink, NDA_DST, NDA_PROTOCOL. */
static void neigh_msg_add(struct kunit *test)
{
	struct vzr_nkey k = key(test, "192.0.2.10", 3);
	const struct nlmsghdr *nlh;
	const struct ndmsg *ndm;
	const struct nlattr *nla;
	int len;
	u8 *buf = build(test, &k, RTM_NEWNEIGH,
			NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 157, &len);

	nlh = (void *)buf;
	ndm = nlmsg_data(nlh);
	KUNIT_EXPECT_EQ(test, nlh->nlmsg_type, RTM_NEWNEIGH);
	KUNIT_EXPECT_EQ(test, nlh->nlmsg_flags,
			NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	KUNIT_EXPECT_EQ(test, nlh->nlmsg_seq, 7);
	KUNIT_EXPECT_EQ(test, ndm->ndm_family, AF_INET);
	KUNIT_EXPECT_EQ(test, ndm->ndm_ifindex, 3);
	KUNIT_EXPECT_EQ(test, ndm->ndm_flags, NTF_PROXY);
	nla = (void *)buf + NDM_HDRLEN;
	KUNIT_EXPECT_EQ(test, nla->nla_type, NDA_DST);
	KUNIT_EXPECT_EQ(test, nla->nla_len, NLA_HDRLEN + 4);
	KUNIT_EXPECT_EQ(test, memcmp(nla_data(nla), &k.ip.a, 4), 0);
	nla = (void *)nla + nla_total_size(4);
	KUNIT_EXPECT_EQ(test, nla->nla_type, VZR_NDA_PROTOCOL);
	KUNIT_EXPECT_EQ(test, *(u8 *)nla_data(nla), 157);
	KUNIT_EXPECT_EQ(test, len, NDM_HDRLEN + nla_total_size(4) +
			nla_total_size(1));
	/* Without a protocol (a kernel that keeps none), no attribute. */
	buf = build(test, &k, RTM_NEWNEIGH, 0, 0, &len);
	KUNIT_EXPECT_EQ(test, len, NDM_HDRLEN + nla_total_size(4));
}

/* A get carries nothing but the key: the kernel refuses more. */
static void neigh_msg_get(struct kunit *test)
{
	struct vzr_nkey k = key(test, "2001:db8::10", 4);
	const struct ndmsg *ndm;
	int len;
	u8 *buf = build(test, &k, RTM_GETNEIGH, 0, 157, &len);

	ndm = nlmsg_data((struct nlmsghdr *)buf);
	KUNIT_EXPECT_EQ(test, ndm->ndm_family, AF_INET6);
	KUNIT_EXPECT_EQ(test, ndm->ndm_state, 0);
	KUNIT_EXPECT_EQ(test, ndm->ndm_type, 0);
	KUNIT_EXPECT_EQ(test, ndm->ndm_flags, NTF_PROXY);
	KUNIT_EXPECT_EQ(test, len, NDM_HDRLEN + nla_total_size(16));
}

static void neigh_msg_too_small(struct kunit *test)
{
	struct vzr_nkey k = key(test, "192.0.2.10", 3);
	u8 buf[VZR_NEIGH_MSG_MAX - 1];

	KUNIT_EXPECT_EQ(test, vzr_neigh_msg(buf, sizeof(buf), &k, RTM_DELNEIGH,
					    0, 1, 0), -EMSGSIZE);
}

/* What is built is read back, into a buffer of its exact length. */
static void neigh_roundtrip(struct kunit *test)
{
	static const char *const ips[] = { "192.0.2.10", "2001:db8::10" };
	struct vzr_nkey k, got;
	unsigned int i;
	u8 proto;
	int len;

	for (i = 0; i < ARRAY_SIZE(ips); i++) {
		u8 *buf, *exact;

		k = key(test, ips[i], 9);
		buf = build(test, &k, RTM_NEWNEIGH, 0, 157, &len);
		exact = kunit_kmalloc(test, len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, exact);
		memcpy(exact, buf, len);
		KUNIT_ASSERT_EQ(test, vzr_neigh_parse(exact, len, &got, &proto), 0);
		KUNIT_EXPECT_TRUE(test, vzr_ip_equal(&got.ip, &k.ip));
		KUNIT_EXPECT_EQ(test, got.ifindex, 9);
		KUNIT_EXPECT_EQ(test, proto, 157);
	}
}

/* Not a proxy entry, or cut short: never read as one. */
static void neigh_parse_refused(struct kunit *test)
{
	struct vzr_nkey k = key(test, "192.0.2.10", 3), got;
	struct ndmsg *ndm;
	u8 proto;
	int len;
	u8 *buf = build(test, &k, RTM_NEWNEIGH, 0, 157, &len);

	KUNIT_EXPECT_EQ(test, vzr_neigh_parse(buf, NDM_HDRLEN - 1, &got, &proto),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vzr_neigh_parse(buf, len - 1, &got, &proto),
			-EINVAL);
	ndm = nlmsg_data((struct nlmsghdr *)buf);
	ndm->ndm_flags = 0;
	KUNIT_EXPECT_EQ(test, vzr_neigh_parse(buf, len, &got, &proto), -ENOENT);
	ndm->ndm_flags = NTF_PROXY;
	ndm->ndm_family = AF_BRIDGE;
	KUNIT_EXPECT_EQ(test, vzr_neigh_parse(buf, len, &got, &proto), -ENOENT);
	ndm->ndm_family = AF_INET6;	/* a 4-byte NDA_DST then */
	KUNIT_EXPECT_EQ(test, vzr_neigh_parse(buf, len, &got, &proto), -EINVAL);
}

/*
 * Does the entry of @ip on @ifindex, as the kernel would send it in a dump
 * (built here, then parsed), answer for @want? @mangle, if set, changes
 * the message first.
 */
static bool answers(struct kunit *test, const char *ip, int ifindex,
		    const struct vzr_nkey *want, void (*mangle)(struct ndmsg *))
{
	struct vzr_nkey k = key(test, ip, ifindex), got;
	u8 proto;
	int len, err;
	u8 *buf = build(test, &k, RTM_NEWNEIGH, 0, ifindex ? 157 : 0, &len);

	if (mangle)
		mangle(nlmsg_data((struct nlmsghdr *)buf));
	memset(&got, 0, sizeof(got));
	err = vzr_neigh_parse(buf, len, &got, &proto);
	/* A device-less entry is no entry to the parser, but answers. */
	if (!ifindex)
		KUNIT_EXPECT_EQ(test, err, -ENOENT);
	return vzr_neigh_answers(&got, err, want);
}

static void not_proxy(struct ndmsg *ndm)
{
	ndm->ndm_flags = 0;
}

static void bad_family(struct ndmsg *ndm)
{
	ndm->ndm_family = AF_INET6;	/* with a 4-byte NDA_DST */
}

/*
 * A dump read in place of a get (kernels without a single RTM_GETNEIGH):
 * each entry matched as the kernel's lookup matches.
 */
static void neigh_answers(struct kunit *test)
{
	struct vzr_nkey want = key(test, "192.0.2.10", 3);

	/* On the uplink: yes; on another, or another address: no. */
	KUNIT_EXPECT_TRUE(test, answers(test, "192.0.2.10", 3, &want, NULL));
	KUNIT_EXPECT_FALSE(test, answers(test, "192.0.2.10", 4, &want, NULL));
	KUNIT_EXPECT_FALSE(test, answers(test, "192.0.2.11", 3, &want, NULL));
	/* On no device: it answers on every uplink. */
	KUNIT_EXPECT_TRUE(test, answers(test, "192.0.2.10", 0, &want, NULL));
	/* Not a proxy entry, or malformed: never. */
	KUNIT_EXPECT_FALSE(test, answers(test, "192.0.2.10", 3, &want, not_proxy));
	KUNIT_EXPECT_FALSE(test, answers(test, "192.0.2.10", 3, &want, bad_family));
}

static struct kunit_case neighmsg_cases[] = {
	KUNIT_CASE(neigh_answers),
	KUNIT_CASE(neigh_msg_add),
	KUNIT_CASE(neigh_msg_get),
	KUNIT_CASE(neigh_msg_too_small),
	KUNIT_CASE(neigh_roundtrip),
	KUNIT_CASE(neigh_parse_refused),
	{}
};

VZR_KUNIT_SUITE(neighmsg, NULL, NULL);

kunit_test_suite(neighmsg_suite);
