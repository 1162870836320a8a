// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the kmod/uplinkpick.c: which devices neigh_devs
 * names, and on which uplinks an address gets a proxy entry.
 */

#include <kunit/test.h>

#include "../../kmod/uplinkpick.c"

#include "vzr_kunit.h"

static void uplink_named(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, vzr_uplink_named("", true, true, "eth0"));
	KUNIT_EXPECT_TRUE(test, vzr_uplink_named("detect", true, true, "eth0"));
	KUNIT_EXPECT_FALSE(test, vzr_uplink_named("detect", true, false, "eth0"));
	KUNIT_EXPECT_FALSE(test, vzr_uplink_named("detect", false, true, "eth0"));
	KUNIT_EXPECT_TRUE(test, vzr_uplink_named("eth*,bond0", true, false, "eth1"));
	KUNIT_EXPECT_TRUE(test, vzr_uplink_named("eth*,bond0", true, true, "bond0"));
	KUNIT_EXPECT_FALSE(test, vzr_uplink_named("eth*,bond0", true, true, "veth1"));
	KUNIT_EXPECT_FALSE(test, vzr_uplink_named("eth*", false, true, "eth0"));
}

static void add_uplink(struct kunit *test, struct vzr_uplinks *v, int ifindex,
		       const char *name, const char *ip, u8 len)
{
	struct vzr_uplink *u = &v->u[v->n++];
	struct vzr_ip a = vzr_test_ip(test, ip);

	u->ifindex = ifindex;
	strscpy(u->name, name, sizeof(u->name));
	KUNIT_ASSERT_TRUE(test, vzr_uplink_add_prefix(u, &a, len));
}

static void uplinks_pick(struct kunit *test)
{
	struct vzr_uplinks *v = kunit_kzalloc(test, sizeof(*v), GFP_KERNEL);
	const struct vzr_uplink *out[VZR_UPLINKS_MAX];
	struct vzr_ip ip;

	KUNIT_ASSERT_NOT_NULL(test, v);
	add_uplink(test, v, 2, "eth0", "192.0.2.1", 24);
	add_uplink(test, v, 3, "eth1", "192.0.2.129", 25);
	add_uplink(test, v, 4, "eth2", "2001:db8:1::1", 64);

	ip = vzr_test_ip(test, "192.0.2.200");
	KUNIT_ASSERT_EQ(test, vzr_uplinks_pick(v, &ip, 0, out, 8), 2U);
	KUNIT_EXPECT_EQ(test, out[0]->ifindex, 2);
	KUNIT_EXPECT_EQ(test, out[1]->ifindex, 3);
	/* The address's own host side is never an uplink. */
	KUNIT_ASSERT_EQ(test, vzr_uplinks_pick(v, &ip, 2, out, 8), 1U);
	KUNIT_EXPECT_EQ(test, out[0]->ifindex, 3);
	/* Room for one. */
	KUNIT_EXPECT_EQ(test, vzr_uplinks_pick(v, &ip, 0, out, 1), 1U);
	ip = vzr_test_ip(test, "192.0.2.10");
	KUNIT_EXPECT_EQ(test, vzr_uplinks_pick(v, &ip, 0, out, 8), 1U);
	ip = vzr_test_ip(test, "198.51.100.10");
	KUNIT_EXPECT_EQ(test, vzr_uplinks_pick(v, &ip, 0, out, 8), 0U);
	ip = vzr_test_ip(test, "2001:db8:1::10");
	KUNIT_ASSERT_EQ(test, vzr_uplinks_pick(v, &ip, 0, out, 8), 1U);
	KUNIT_EXPECT_EQ(test, out[0]->ifindex, 4);
	/* The LAN's own addresses: network, broadcast, subnet-router anycast. */
	ip = vzr_test_ip(test, "192.0.2.0");
	KUNIT_EXPECT_EQ(test, vzr_uplinks_pick(v, &ip, 0, out, 8), 0U);
	ip = vzr_test_ip(test, "192.0.2.127");	/* eth0's host, not eth1's */
	KUNIT_ASSERT_EQ(test, vzr_uplinks_pick(v, &ip, 0, out, 8), 1U);
	KUNIT_EXPECT_EQ(test, out[0]->ifindex, 2);
	ip = vzr_test_ip(test, "192.0.2.128");	/* eth1's network */
	KUNIT_ASSERT_EQ(test, vzr_uplinks_pick(v, &ip, 0, out, 8), 1U);
	KUNIT_EXPECT_EQ(test, out[0]->ifindex, 2);
	ip = vzr_test_ip(test, "192.0.2.255");
	KUNIT_EXPECT_EQ(test, vzr_uplinks_pick(v, &ip, 0, out, 8), 0U);
	ip = vzr_test_ip(test, "2001:db8:1::");
	KUNIT_EXPECT_EQ(test, vzr_uplinks_pick(v, &ip, 0, out, 8), 0U);
	/* An IPv4 prefix never holds an IPv6 address with the same bytes. */
	ip = vzr_test_ip(test, "c000:264::1");
	KUNIT_EXPECT_EQ(test, vzr_uplinks_pick(v, &ip, 0, out, 8), 0U);
}

/* The network is kept, not the address: two hosts of one prefix agree. */
static void uplinks_digest(struct kunit *test)
{
	struct vzr_uplinks *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	struct vzr_uplinks *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	add_uplink(test, a, 2, "eth0", "192.0.2.1", 24);
	add_uplink(test, b, 2, "eth0", "192.0.2.7", 24);
	KUNIT_EXPECT_EQ(test, vzr_uplinks_digest(a), vzr_uplinks_digest(b));
	b->u[0].proxy_ndp = true;
	KUNIT_EXPECT_NE(test, vzr_uplinks_digest(a), vzr_uplinks_digest(b));
}

static struct kunit_case uplink_cases[] = {
	KUNIT_CASE(uplink_named),
	KUNIT_CASE(uplinks_pick),
	KUNIT_CASE(uplinks_digest),
	{}
};

VZR_KUNIT_SUITE(uplink, NULL, NULL);

kunit_test_suite(uplink_suite);
