// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for kmod/note.c: how the notes of one device merge. An
 * address added keeps its facts only while every event of its device
 * was such an add with the same host side; anything else, or more
 * addresses than a note names, leaves a note that is only where to look.
 */

#include <kunit/test.h>
#include <linux/rtnetlink.h>

#include "../../kmod/note.c"

#include "vzr_kunit.h"

/* What note.c needs of the module besides itself (netns.c, backend.c). */
DEFINE_MUTEX(vzr_lock);

bool vzr_node_net(const struct net *net)
{
	return net->user_ns == &init_user_ns;
}

/* Keys only, never followed: any two addresses will do. */
static struct net *const ct_net = &init_net;
static char host_b_key;
#define HOST_A	(&init_net)
#define HOST_B	((struct net *)&host_b_key)

static const struct vzr_facts facts_a = {
	.hnet = HOST_A, .hifindex = 7, .active = true,
};

static void added(struct kunit *test, const char *ip,
		  const struct vzr_facts *f)
{
	struct vzr_ip a = vzr_test_ip(test, ip);

	rtnl_lock();
	vzr_note_added(ct_net, 3, &a, f);
	rtnl_unlock();
}

static void noted(struct kunit *test, const char *ip)
{
	struct vzr_ip a;

	if (!ip) {
		vzr_note_dev(ct_net, 3, NULL);
		return;
	}
	a = vzr_test_ip(test, ip);
	vzr_note_dev(ct_net, 3, &a);
}

/* The one note of device 3, taken; NULL (and a failure) otherwise. */
static struct vzr_note *take_one(struct kunit *test, struct list_head *out)
{
	bool all;

	mutex_lock(&vzr_lock);
	all = vzr_note_take(out);
	mutex_unlock(&vzr_lock);
	KUNIT_EXPECT_FALSE(test, all);
	if (!list_is_singular(out)) {
		KUNIT_FAIL(test, "not one note");
		return NULL;
	}
	return list_first_entry(out, struct vzr_note, list);
}

static void one_add(struct kunit *test)
{
	struct vzr_note *d;
	LIST_HEAD(out);

	added(test, "10.1.0.1", &facts_a);
	d = take_one(test, &out);
	if (d) {
		KUNIT_EXPECT_TRUE(test, d->added);
		KUNIT_EXPECT_FALSE(test, d->whole);
		KUNIT_EXPECT_EQ(test, d->n, 1);
		KUNIT_EXPECT_PTR_EQ(test, d->facts.hnet, HOST_A);
		KUNIT_EXPECT_EQ(test, d->facts.hifindex, 7);
	}
	vzr_note_free(&out);
}

/* The same address twice, with the same facts, is one address. */
static void same_twice(struct kunit *test)
{
	struct vzr_note *d;
	LIST_HEAD(out);

	added(test, "10.1.0.1", &facts_a);
	added(test, "10.1.0.1", &facts_a);
	d = take_one(test, &out);
	if (d) {
		KUNIT_EXPECT_TRUE(test, d->added);
		KUNIT_EXPECT_EQ(test, d->n, 1);
	}
	vzr_note_free(&out);
}

/* Four fit; the fifth, the last event, makes the note whole. */
static void fifth_add(struct kunit *test)
{
	static const char *const ips[] = {
		"10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.4", "10.1.0.5",
	};
	struct vzr_note *d;
	unsigned int i;
	LIST_HEAD(out);

	for (i = 0; i < ARRAY_SIZE(ips); i++)
		added(test, ips[i], &facts_a);
	d = take_one(test, &out);
	if (d) {
		KUNIT_EXPECT_TRUE(test, d->whole);
		KUNIT_EXPECT_FALSE(test, d->added);
	}
	vzr_note_free(&out);
}

struct merge_case {
	const char *name;
	bool removal_first;	/* the other event before the add */
	const char *other;	/* the other event's address; NULL: the device */
	bool host_b;		/* not an event: the add again, host side B */
	bool down;		/* not an event: the add again, host side down */
};

static const struct merge_case merge_cases[] = {
	{ "removal after", false, "10.1.0.1" },
	{ "removal before", true, "10.1.0.1" },
	{ "another address's removal", false, "10.1.0.9" },
	{ "device event after", false, NULL },
	{ "device event before", true, NULL },
	{ "another host side", false, NULL, true },
	{ "another up state", false, NULL, false, true },
};

VZR_ARRAY_PARAM(merge, merge_cases, merge_case);

/* Any other event of the device: the note is only where to look. */
static void merge_loses_facts(struct kunit *test)
{
	const struct merge_case *c = test->param_value;
	struct vzr_facts b = facts_a;
	struct vzr_note *d;
	LIST_HEAD(out);

	if (c->host_b)
		b.hnet = HOST_B;
	b.active = !c->down;
	if (c->host_b || c->down) {
		added(test, "10.1.0.1", &facts_a);
		added(test, "10.1.0.2", &b);
	} else if (c->removal_first) {
		noted(test, c->other);
		added(test, "10.1.0.1", &facts_a);
	} else {
		added(test, "10.1.0.1", &facts_a);
		noted(test, c->other);
	}
	d = take_one(test, &out);
	if (d) {
		KUNIT_EXPECT_FALSE(test, d->added);
		KUNIT_EXPECT_EQ(test, d->whole,
				!c->other && !c->host_b && !c->down);
	}
	vzr_note_free(&out);
}

/* A host side's namespace going: facts naming it are dropped, the note kept. */
static void host_net_exit(struct kunit *test)
{
	struct vzr_facts b = facts_a;
	struct vzr_note *d;
	LIST_HEAD(out);

	/* Without namespaces every net_eq() is true: the note goes too. */
	if (!IS_ENABLED(CONFIG_NET_NS))
		kunit_skip(test, "needs CONFIG_NET_NS");
	b.hnet = HOST_B;
	added(test, "10.1.0.1", &b);
	vzr_note_forget_net(HOST_B);
	d = take_one(test, &out);
	if (d) {
		KUNIT_EXPECT_FALSE(test, d->added);
		KUNIT_EXPECT_EQ(test, d->n, 1);
	}
	vzr_note_free(&out);
}

static void note_exit(struct kunit *test)
{
	/* Nothing left behind for the next case, whatever failed. */
	vzr_note_forget_net(NULL);
	spin_lock_irq(&note_lock);
	note_all = false;
	spin_unlock_irq(&note_lock);
}

static struct kunit_case note_cases[] = {
	KUNIT_CASE(one_add),
	KUNIT_CASE(same_twice),
	KUNIT_CASE(fifth_add),
	KUNIT_CASE_PARAM(merge_loses_facts, merge_gen_params),
	KUNIT_CASE(host_net_exit),
	{}
};

VZR_KUNIT_SUITE(note, NULL, note_exit);

kunit_test_suite(note_suite);
