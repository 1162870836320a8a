// SPDX-License-Identifier: GPL-2.0
/*
 * How often an address may be announced (announce.c): a container that
 * takes its address away and puts it back as fast as it can, or claims
 * many, must not make the node flood the LAN with gratuitous ARPs and
 * neighbour advertisements. Two limits:
 *  - per address and uplink, a hold-down after each round (struct
 *    vzr_round): what is asked for meanwhile waits for its end, and comes
 *    to one round, so that the LAN still learns the last word;
 *  - node-wide, a token bucket (struct vzr_bucket) over every send.
 * The token bucket also paces each container's route adds (budget.c).
 * Times are jiffies, passed in.
 */

#include <linux/jiffies.h>
#include <linux/kernel.h>

#include "pace.h"

void vzr_bucket_init(struct vzr_bucket *b, u32 burst, unsigned long now)
{
	b->tokens = burst;
	b->credit = 0;
	b->stamp = now;
	b->primed = true;
}

/* Add the tokens earned since the last refill, up to @burst. */
static void refill(struct vzr_bucket *b, u32 rate, u32 burst,
		   unsigned long now)
{
	u64 credit;
	u32 rem;

	if (!b->primed)
		vzr_bucket_init(b, burst, now);
	/* A clock that went backwards (only a test does that) adds none. */
	if (!time_after(now, b->stamp))
		return;
	/*
	 * In 1/HZ of a token, the remainder kept: with HZ=250 and 100 a
	 * second a token takes 2.5 jiffies, and rounding each refill would
	 * give more than the rate.
	 */
	credit = (u64)(now - b->stamp) * rate + b->credit;
	credit = div_u64_rem(credit, HZ, &rem);
	if (b->tokens + credit >= burst) {
		b->tokens = burst;
		b->credit = 0;
	} else {
		b->tokens += credit;
		b->credit = rem;
	}
	b->stamp = now;
}

/**
 * vzr_bucket_take() - take a token for one send
 * @b: the bucket
 * @rate: tokens added a second
 * @burst: most tokens kept
 * @now: jiffies
 *
 * Return: true when the send may go now.
 */
bool vzr_bucket_take(struct vzr_bucket *b, u32 rate, u32 burst,
		     unsigned long now)
{
	refill(b, rate, burst, now);
	if (!b->tokens)
		return false;
	b->tokens--;
	return true;
}

/**
 * vzr_bucket_full() - has @b earned back every token it gave?
 * @b: the bucket, refilled (and primed, when it never was) to @now
 * @rate: tokens added a second
 * @burst: most tokens kept
 * @now: jiffies
 *
 * A full bucket is the same as none: its user may forget it.
 *
 * Return: true when it holds @burst tokens.
 */
bool vzr_bucket_full(struct vzr_bucket *b, u32 rate, u32 burst,
		     unsigned long now)
{
	refill(b, rate, burst, now);
	return b->tokens >= burst;
}

/**
 * vzr_bucket_wait() - how long until @b has a token, after a refused take
 * @b: the bucket, just refilled by vzr_bucket_take() and with no token
 * @rate: tokens added a second, at least 1
 *
 * Return: jiffies from that take, at least 1.
 */
unsigned long vzr_bucket_wait(const struct vzr_bucket *b, u32 rate)
{
	return DIV_ROUND_UP(HZ - b->credit, rate);
}

/**
 * vzr_bucket_until_full() - how long until @b is full again
 * @b: the bucket, just refilled by vzr_bucket_full()
 * @rate: tokens added a second, at least 1
 * @burst: most tokens kept
 *
 * Return: jiffies from that refill; 0 when it is full.
 */
unsigned long vzr_bucket_until_full(const struct vzr_bucket *b, u32 rate,
				    u32 burst)
{
	u64 owed;

	if (b->tokens >= burst)
		return 0;
	/* In 1/HZ of a token, as the credit is. */
	owed = (u64)(burst - b->tokens) * HZ - b->credit;
	return div_u64(owed + rate - 1, rate);
}

/* A token taken for a send that did not go. */
void vzr_bucket_refund(struct vzr_bucket *b, u32 burst)
{
	if (b->tokens < burst)
		b->tokens++;
}

void vzr_round_init(struct vzr_round *r, unsigned long now)
{
	r->left = 0;
	r->next = now;
	r->hold_until = now;
}

/**
 * vzr_round_ask() - ask for @count announcements
 * @r: the address's round
 * @count: how many, a second apart
 * @now: jiffies
 *
 * Return: false when the ask waits for the hold-down (or comes to a round
 * already under way), true when a round starts now.
 */
bool vzr_round_ask(struct vzr_round *r, u32 count, unsigned long now)
{
	if (!count)
		return false;
	if (r->left) {
		r->left = max(r->left, count);
		return false;
	}
	r->left = count;
	if (time_before(now, r->hold_until)) {
		r->next = r->hold_until;
		return false;
	}
	r->next = now;
	return true;
}

bool vzr_round_due(const struct vzr_round *r, unsigned long now)
{
	return r->left && time_after_eq(now, r->next);
}

/**
 * vzr_round_sent() - one send of the round went out
 * @r: the round
 * @hold: the hold-down after a send, in jiffies
 * @now: jiffies
 */
void vzr_round_sent(struct vzr_round *r, unsigned long hold,
		    unsigned long now)
{
	if (!r->left)
		return;
	r->left--;
	r->next = now + HZ;
	/*
	 * From every send, not only a round's last: a round stopped half-way
	 * (the entry went) must not let the next start at once.
	 */
	r->hold_until = now + hold;
}

/* The proxy entry went: no more sends, but the hold-down stays. */
void vzr_round_stop(struct vzr_round *r)
{
	r->left = 0;
}

/* Nothing to send and no hold-down left: the record can go. */
bool vzr_round_idle(const struct vzr_round *r, unsigned long now)
{
	return !r->left && time_after_eq(now, r->hold_until);
}

/* When the round next needs a look. */
unsigned long vzr_round_wake(const struct vzr_round *r)
{
	return r->left ? r->next : r->hold_until;
}
