// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for kmod/chains.c: a table that doubles as it fills keeps
 * every link in the chain its hash names, each chain in the order it had
 * (a dump of the entries resumes by that order), and no link twice.
 */

#include <kunit/test.h>
#include <linux/hash.h>
#include <linux/slab.h>

#include "../../kmod/chains.c"

#include "vzr_kunit.h"

struct item {
	struct vzr_link link;
	u32 key;
};

static u32 item_hash(const struct vzr_link *l)
{
	return hash_32(container_of(l, struct item, link)->key, 32);
}

/* As track.c keeps the entries: in the order of their keys in a chain. */
static void add_sorted(struct vzr_chains *t, struct item *it)
{
	struct vzr_link **pp = vzr_chains_head(t, item_hash(&it->link));

	while (*pp && container_of(*pp, struct item, link)->key < it->key)
		pp = &(*pp)->next;
	it->link.next = *pp;
	*pp = &it->link;
	vzr_chains_added(t);
}

/* Every chain: its links where their hash says, in order; @n in all. */
static void check(struct kunit *test, struct vzr_chains *t, unsigned int n)
{
	unsigned int i, seen = 0, mask = vzr_chains_size(t) - 1;
	struct vzr_link *l;

	for (i = 0; i <= mask; i++) {
		u32 last = 0;

		for (l = t->heads[i]; l; l = l->next) {
			struct item *it = container_of(l, struct item, link);

			KUNIT_EXPECT_EQ(test, item_hash(l) & mask, i);
			if (l != t->heads[i])
				KUNIT_EXPECT_GT(test, it->key, last);
			last = it->key;
			seen++;
		}
	}
	KUNIT_EXPECT_EQ(test, seen, n);
	KUNIT_EXPECT_EQ(test, t->count, n);
}

/*
 * From 4 chains, 5,000 links in an order unlike their keys': doubled
 * each time a chain's four were exceeded, up to 2,048 chains (4 * 1,024
 * < 5,000 <= 4 * 2,048), and checked after every doubling.
 */
static void grows_in_order(struct kunit *test)
{
	const unsigned int n = 5000;
	struct vzr_chains t;
	unsigned int i, shift;
	struct item *items;

	items = kunit_kcalloc(test, n, sizeof(*items), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, items);
	KUNIT_ASSERT_EQ(test, vzr_chains_init(&t, 2, item_hash), 0);
	KUNIT_EXPECT_EQ(test, vzr_chains_bytes(&t), 4 * sizeof(void *));
	for (i = 0; i < n; i++) {
		shift = t.shift;
		/* 7919 is prime: every key once, not in order. */
		items[i].key = (i * 7919) % n + 1;
		add_sorted(&t, &items[i]);
		if (t.shift != shift) {
			KUNIT_EXPECT_EQ(test, t.shift, shift + 1);
			KUNIT_EXPECT_EQ(test, i, 4U << shift);
			check(test, &t, i + 1);
		}
	}
	KUNIT_EXPECT_EQ(test, t.shift, 11U);
	KUNIT_EXPECT_EQ(test, vzr_chains_bytes(&t), 2048 * sizeof(void *));
	check(test, &t, n);
	vzr_chains_destroy(&t);
	KUNIT_EXPECT_EQ(test, vzr_chains_bytes(&t), 0);
}

/* Links taken out are not counted: the chains double later. */
static void removed_not_counted(struct kunit *test)
{
	struct item items[17];
	struct vzr_chains t;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, vzr_chains_init(&t, 2, item_hash), 0);
	for (i = 0; i < 16; i++) {
		items[i].key = i + 1;
		add_sorted(&t, &items[i]);
	}
	/* The first, unlinked by hand as track.c does, then one more. */
	for (i = 0; i < 4; i++) {
		struct vzr_link **pp = &t.heads[i];

		if (*pp == &items[0].link) {
			*pp = items[0].link.next;
			vzr_chains_removed(&t);
		}
	}
	items[16].key = 17;
	add_sorted(&t, &items[16]);
	KUNIT_EXPECT_EQ(test, t.shift, 2U);
	check(test, &t, 16);
	vzr_chains_destroy(&t);
}

static struct kunit_case chains_cases[] = {
	KUNIT_CASE(grows_in_order),
	KUNIT_CASE(removed_not_counted),
	{}
};

VZR_KUNIT_SUITE(chains, NULL, NULL);

kunit_test_suite(chains_suite);
