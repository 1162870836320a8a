/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pace of announcements and of route adds (pace.c): pure logic, no
 * locking of its own, so that KUnit can test it with made-up clocks.
 */
#ifndef _VZR_PACE_H
#define _VZR_PACE_H

#include <linux/types.h>

/**
 * struct vzr_bucket - a token bucket
 * @tokens: takes allowed now (sends, route adds)
 * @credit: toward the next token, in 1/HZ of a token
 * @stamp: jiffies when it was last refilled
 * @primed: set by vzr_bucket_init(); one zeroed is full at its first use
 *
 * Under its user's lock.
 */
struct vzr_bucket {
	u32 tokens;
	u32 credit;
	unsigned long stamp;
	bool primed;
};

/**
 * struct vzr_round - the announcements of one address on one uplink
 * @next: jiffies of the next send, while @left
 * @hold_until: jiffies before which no new round starts
 * @left: sends still to come in this round
 *
 * A round is @left sends a second apart. After each send, the address is
 * held down: a round asked for meanwhile starts when the hold-down ends,
 * and any number of asks in between come to that one round.
 *
 * Under its user's lock.
 */
struct vzr_round {
	unsigned long next;
	unsigned long hold_until;
	u32 left;
};

void vzr_bucket_init(struct vzr_bucket *b, u32 burst, unsigned long now);
bool vzr_bucket_take(struct vzr_bucket *b, u32 rate, u32 burst,
		     unsigned long now);
bool vzr_bucket_full(struct vzr_bucket *b, u32 rate, u32 burst,
		     unsigned long now);
unsigned long vzr_bucket_wait(const struct vzr_bucket *b, u32 rate);
unsigned long vzr_bucket_until_full(const struct vzr_bucket *b, u32 rate,
				    u32 burst);
void vzr_bucket_refund(struct vzr_bucket *b, u32 burst);

void vzr_round_init(struct vzr_round *r, unsigned long now);
bool vzr_round_ask(struct vzr_round *r, u32 count, unsigned long now);
bool vzr_round_due(const struct vzr_round *r, unsigned long now);
void vzr_round_sent(struct vzr_round *r, unsigned long hold,
		    unsigned long now);
void vzr_round_stop(struct vzr_round *r);
bool vzr_round_idle(const struct vzr_round *r, unsigned long now);
unsigned long vzr_round_wake(const struct vzr_round *r);

#endif /* _VZR_PACE_H */
