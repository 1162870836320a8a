// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for kmod/pace.c: the hold-down of one address and the
 * token buckets (the announcements, a container's route adds), on a
 * made-up clock (T0 is near the jiffies wrap, so that the comparisons are
 * tested across it).
 */

#include <kunit/test.h>

#include "../../kmod/pace.c"

#include "vzr_kunit.h"

#define T0	((unsigned long)-3 * HZ)
#define HOLD	(5 * HZ)

/* A round of one: sent at once, then nothing until the hold-down ends. */
static void round_hold_down(struct kunit *test)
{
	struct vzr_round r;
	unsigned long t = T0;

	vzr_round_init(&r, t);
	KUNIT_EXPECT_TRUE(test, vzr_round_ask(&r, 1, t));
	KUNIT_EXPECT_TRUE(test, vzr_round_due(&r, t));
	vzr_round_sent(&r, HOLD, t);
	KUNIT_EXPECT_FALSE(test, vzr_round_due(&r, t));
	KUNIT_EXPECT_FALSE(test, vzr_round_idle(&r, t + HOLD - 1));
	KUNIT_EXPECT_TRUE(test, vzr_round_idle(&r, t + HOLD));

	/* Asked for three times within it: one round, at its end. */
	KUNIT_EXPECT_FALSE(test, vzr_round_ask(&r, 1, t + HZ));
	KUNIT_EXPECT_FALSE(test, vzr_round_ask(&r, 1, t + 2 * HZ));
	KUNIT_EXPECT_FALSE(test, vzr_round_ask(&r, 1, t + 3 * HZ));
	KUNIT_EXPECT_EQ(test, r.left, 1U);
	KUNIT_EXPECT_EQ(test, vzr_round_wake(&r), t + HOLD);
	KUNIT_EXPECT_FALSE(test, vzr_round_due(&r, t + HOLD - 1));
	KUNIT_EXPECT_TRUE(test, vzr_round_due(&r, t + HOLD));
	vzr_round_sent(&r, HOLD, t + HOLD);
	KUNIT_EXPECT_FALSE(test, vzr_round_due(&r, t + 2 * HOLD - 1));
	KUNIT_EXPECT_TRUE(test, vzr_round_idle(&r, t + 2 * HOLD));

	/* After the hold-down, at once again. */
	KUNIT_EXPECT_TRUE(test, vzr_round_ask(&r, 1, t + 2 * HOLD));
}

/* Three a second apart; a stop keeps the hold-down of the last send. */
static void round_count_and_stop(struct kunit *test)
{
	struct vzr_round r;
	unsigned long t = T0;

	vzr_round_init(&r, t);
	KUNIT_EXPECT_TRUE(test, vzr_round_ask(&r, 3, t));
	vzr_round_sent(&r, HOLD, t);
	KUNIT_EXPECT_FALSE(test, vzr_round_due(&r, t + HZ - 1));
	KUNIT_EXPECT_TRUE(test, vzr_round_due(&r, t + HZ));
	/* Asked again during the round: no more than the round. */
	KUNIT_EXPECT_FALSE(test, vzr_round_ask(&r, 2, t + HZ / 2));
	KUNIT_EXPECT_EQ(test, r.left, 2U);
	vzr_round_sent(&r, HOLD, t + HZ);
	vzr_round_stop(&r);
	KUNIT_EXPECT_FALSE(test, vzr_round_due(&r, t + 2 * HZ));
	KUNIT_EXPECT_FALSE(test, vzr_round_idle(&r, t + HZ + HOLD - 1));
	/* The entry is back at once: it waits for the hold-down. */
	KUNIT_EXPECT_FALSE(test, vzr_round_ask(&r, 3, t + 2 * HZ));
	KUNIT_EXPECT_EQ(test, vzr_round_wake(&r), t + HZ + HOLD);
	KUNIT_EXPECT_FALSE(test, vzr_round_ask(&r, 0, t + 2 * HZ));
}

static void bucket_rate(struct kunit *test)
{
	struct vzr_bucket b;
	unsigned long t = T0;
	unsigned int i, sent = 0;

	vzr_bucket_init(&b, 4, t);
	for (i = 0; i < 10; i++)
		sent += vzr_bucket_take(&b, 10, 4, t);
	KUNIT_EXPECT_EQ(test, sent, 4U);
	/* 10 a second: one more every tenth of a second, across the wrap. */
	KUNIT_EXPECT_FALSE(test, vzr_bucket_take(&b, 10, 4, t + HZ / 10 - 1));
	KUNIT_EXPECT_TRUE(test, vzr_bucket_take(&b, 10, 4, t + HZ / 10));
	KUNIT_EXPECT_FALSE(test, vzr_bucket_take(&b, 10, 4, t + HZ / 10));
	/* Over ten seconds, never more than the rate and the burst. */
	sent = 0;
	for (i = 1; i <= 10 * HZ; i++)
		while (vzr_bucket_take(&b, 10, 4, t + HZ / 10 + i))
			sent++;
	KUNIT_EXPECT_EQ(test, sent, 100U);
	/* A token given back is there again, never past the burst. */
	KUNIT_EXPECT_FALSE(test, vzr_bucket_take(&b, 10, 4, t + HZ / 10 + 10 * HZ));
	vzr_bucket_refund(&b, 4);
	KUNIT_EXPECT_TRUE(test, vzr_bucket_take(&b, 10, 4, t + HZ / 10 + 10 * HZ));
	/* A long pause fills it up to the burst only. */
	sent = 0;
	while (vzr_bucket_take(&b, 10, 4, t + 100 * HZ))
		sent++;
	KUNIT_EXPECT_EQ(test, sent, 4U);
}

/*
 * A bucket is full again once it earned back what it gave, and not
 * before, and says when that will be: the moment a route budget
 * (budget.c) may be forgotten. Asking takes nothing.
 */
static void bucket_full(struct kunit *test)
{
	struct vzr_bucket b;
	unsigned long t = T0;

	memset(&b, 0, sizeof(b));
	/* Zeroed: full, as none is. */
	KUNIT_EXPECT_TRUE(test, vzr_bucket_full(&b, 10, 20, t));
	KUNIT_EXPECT_TRUE(test, vzr_bucket_full(&b, 10, 20, t));
	KUNIT_EXPECT_TRUE(test, vzr_bucket_take(&b, 10, 20, t));
	KUNIT_EXPECT_TRUE(test, vzr_bucket_take(&b, 10, 20, t));
	KUNIT_EXPECT_FALSE(test, vzr_bucket_full(&b, 10, 20, t));
	KUNIT_EXPECT_EQ(test, vzr_bucket_until_full(&b, 10, 20),
			(unsigned long)DIV_ROUND_UP(2 * HZ, 10));
	/* Two tokens at 10 a second: a fifth of a second, across the wrap. */
	KUNIT_EXPECT_FALSE(test, vzr_bucket_full(&b, 10, 20, t + HZ / 5 - 1));
	KUNIT_EXPECT_EQ(test, vzr_bucket_until_full(&b, 10, 20), 1UL);
	KUNIT_EXPECT_TRUE(test, vzr_bucket_full(&b, 10, 20, t + HZ / 5));
	KUNIT_EXPECT_EQ(test, b.tokens, 20U);
	KUNIT_EXPECT_EQ(test, vzr_bucket_until_full(&b, 10, 20), 0UL);
}

/* A refused take says when the next token comes, to the jiffy. */
static void bucket_wait(struct kunit *test)
{
	struct vzr_bucket b;
	unsigned long t = T0, w;

	vzr_bucket_init(&b, 2, t);
	KUNIT_EXPECT_TRUE(test, vzr_bucket_take(&b, 10, 2, t));
	KUNIT_EXPECT_TRUE(test, vzr_bucket_take(&b, 10, 2, t));
	KUNIT_EXPECT_FALSE(test, vzr_bucket_take(&b, 10, 2, t));
	w = vzr_bucket_wait(&b, 10);
	KUNIT_EXPECT_EQ(test, w, (unsigned long)DIV_ROUND_UP(HZ, 10));
	KUNIT_EXPECT_FALSE(test, vzr_bucket_take(&b, 10, 2, t + w - 1));
	/* Refused again a jiffy short: the rest of the wait. */
	KUNIT_EXPECT_EQ(test, vzr_bucket_wait(&b, 10), 1UL);
	KUNIT_EXPECT_TRUE(test, vzr_bucket_take(&b, 10, 2, t + w));
}

/*
 * A rate that does not divide HZ (100 a second is 2.5 jiffies a token at
 * HZ=250): taken every jiffy, or every third, never more than the rate.
 */
static void bucket_exact(struct kunit *test)
{
	unsigned int step, i, sent;
	struct vzr_bucket b;

	for (step = 1; step <= 3; step += 2) {
		memset(&b, 0, sizeof(b));
		sent = 0;
		/* Zeroed: full at its first use. */
		while (vzr_bucket_take(&b, 100, 100, T0))
			sent++;
		KUNIT_EXPECT_EQ(test, sent, 100U);
		sent = 0;
		for (i = step; i <= 10 * HZ; i += step)
			while (vzr_bucket_take(&b, 100, 100, T0 + i))
				sent++;
		KUNIT_EXPECT_LE(test, sent, 1000U);
		KUNIT_EXPECT_GE(test, sent, 995U);
	}
}

static struct kunit_case pace_cases[] = {
	KUNIT_CASE(round_hold_down),
	KUNIT_CASE(round_count_and_stop),
	KUNIT_CASE(bucket_rate),
	KUNIT_CASE(bucket_exact),
	KUNIT_CASE(bucket_full),
	KUNIT_CASE(bucket_wait),
	{}
};

VZR_KUNIT_SUITE(pace, NULL, NULL);

kunit_test_suite(pace_suite);
