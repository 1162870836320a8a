// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for kmod/track.h's packed entry: the state's time is kept
 * as 32 bits and given back whole, across the wrap of those bits and
 * with the clock set back.
 */

#include <kunit/test.h>

#include "track.h"

#include "vzr_kunit.h"

/* Where the low 32 bits of the time wrap. */
#define WRAP	(1LL << 32)

/* @now and @then (seconds) as vzr_entry_set_state() and a dump see them. */
static time64_t since_of(time64_t then, time64_t now)
{
	struct vzr_entry e = { .since = lower_32_bits(then) };

	return vzr_entry_since(&e, now);
}

static void since_whole(struct kunit *test)
{
	static const time64_t at[] = {
		0, 1764460800 /* 2025-11-30 */, WRAP - 1, WRAP, WRAP + 5,
		3 * WRAP - 2,
	};
	/* The oldest, at the edge: 2^31 - 1 seconds (68 years). */
	static const time64_t age[] = {
		0, 1, 3600, 86400LL * 365 * 60, (1LL << 31) - 1,
	};
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(at); i++) {
		for (j = 0; j < ARRAY_SIZE(age); j++) {
			time64_t then = at[i], now = at[i] + age[j];

			KUNIT_EXPECT_EQ_MSG(test, since_of(then, now), then,
					    "state of %lld seen at %lld", then, now);
			/* Set back since: in the future, not 136 years ago. */
			if (then >= age[j])
				KUNIT_EXPECT_EQ_MSG(test,
						    since_of(then, then - age[j]),
						    then, "clock set back to %lld",
						    then - age[j]);
		}
	}
}

static struct kunit_case track_cases[] = {
	KUNIT_CASE(since_whole),
	{}
};

VZR_KUNIT_SUITE(track, NULL, NULL);

kunit_test_suite(track_suite);
