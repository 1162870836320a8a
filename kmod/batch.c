// SPDX-License-Identifier: GPL-2.0
/*
 * Route changes sent in batches: nearly every change is a plain add or
 * delete, and one message of many costs one skb and one send where one
 * message each would cost as many. Each change still takes its own RTNL
 * round inside rtnetlink.
 */

#include <linux/mm.h>
#include <linux/rtnetlink.h>

#include "batch.h"
#include "fault.h"
#include "netns.h"
#include "rtsock.h"

/*
 * Changes sent in one message: one RTNL round trip each still, but one
 * skb, one send and, since only failures are answered, few reads. Fewer
 * when they would not fit one page (vzr_route_msg_room()).
 */
#define BATCH_MAX	64

/**
 * struct batch - route changes for one namespace, sent together
 * @net: the namespace of every change queued
 * @done: told the result of each change
 * @ctx: passed to @done
 * @n: changes queued
 * @len: bytes of @msg used
 * @seq: sequence number of the first change; change i has @seq + i
 * @seq_err: why no sequence numbers could be had for the batch, or 0
 * @lost: a failure may have gone unreported since vzr_batch_begin()
 * @cookie: the caller's token for each change
 * @err: the result of each change
 * @msg: the messages, back to back
 *
 * Under vzr_lock. One is enough: only the reconciler's work item sends.
 */
struct batch {
	struct net *net;
	vzr_batch_done_cb done;
	void *ctx;
	unsigned int n;
	size_t len;
	u32 seq;
	int seq_err;
	bool lost;
	void *cookie[BATCH_MAX];
	int err[BATCH_MAX];
	u8 msg[BATCH_MAX * VZR_ROUTE_MSG_MAX];
};

static struct batch *batch;

int vzr_batch_init(void)
{
	batch = vzr_alloc(kvmalloc(sizeof(*batch), GFP_KERNEL));
	return batch ? 0 : -ENOMEM;
}

void vzr_batch_uninit(void)
{
	kvfree(batch);
	batch = NULL;
}

/*
 * Send the queued changes. They carry no NLM_F_ACK: rtnetlink answers
 * only those that fail. An answer the kernel could not queue marks the
 * batch lost, so that the caller compares with the table.
 */
static void batch_flush(void)
{
	struct batch *b = batch;
	unsigned int i;
	int err;

	if (!b->n)
		return;
	err = b->seq_err ?: vzr_rtsock_send_unacked(b->net, b->msg, b->len,
						     b->seq, b->n, b->err,
						     &b->lost);
	for (i = 0; err && i < b->n; i++)
		b->err[i] = err;
	for (i = 0; i < b->n; i++)
		b->done(b->ctx, b->cookie[i], b->err[i]);
	b->n = 0;
	b->len = 0;
}

/**
 * vzr_batch_begin() - start collecting route changes
 * @done: called with @ctx, each change's cookie and its result (0 or
 *        -errno), from vzr_batch_add(), _del() or _end()
 * @ctx: passed to @done
 */
void vzr_batch_begin(vzr_batch_done_cb done, void *ctx)
{
	lockdep_assert_held(&vzr_lock);
	batch->done = done;
	batch->ctx = ctx;
	batch->n = 0;
	batch->len = 0;
	batch->lost = false;
}

static void batch_queue(struct net *net, const struct vzr_route *r, u16 type,
			u16 flags, void *cookie)
{
	struct batch *b = batch;
	int len;

	if (b->n && (b->n == BATCH_MAX ||
		     !vzr_route_msg_room(b->len) ||
		     !net_eq(b->net, net)))
		batch_flush();
	if (!b->n) {
		b->net = net;
		b->seq_err = vzr_rtsock_reserve(net, BATCH_MAX, &b->seq);
	}
	len = vzr_route_msg(b->msg + b->len, VZR_ROUTE_MSG_MAX, r, type,
			    flags, b->seq + b->n);
	if (len < 0) {
		b->done(b->ctx, cookie, len);
		return;
	}
	b->cookie[b->n++] = cookie;
	b->len += len;
}

/* Queue an exclusive add (see vzr_rtsock_add()). */
void vzr_batch_add(struct net *net, const struct vzr_route *r, void *cookie)
{
	batch_queue(net, r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, cookie);
}

/* Queue a delete (see vzr_rtsock_del()). */
void vzr_batch_del(struct net *net, const struct vzr_route *r, void *cookie)
{
	batch_queue(net, r, RTM_DELROUTE, 0, cookie);
}

/**
 * vzr_batch_end() - send what is queued
 *
 * Return: false when the result of some change may have been lost (and
 * was reported as 0), else true.
 */
bool vzr_batch_end(void)
{
	batch_flush();
	return !batch->lost;
}

