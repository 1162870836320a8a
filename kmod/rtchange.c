// SPDX-License-Identifier: GPL-2.0
/*
 * Route changes and route dumps, as requests on a host namespace's socket
 * (rtsock.c) and the answers its reply loop reads: under vzr_lock, from
 * the reconciler's work item, without RTNL.
 */

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/sock.h>

#include "netns.h"
#include "rtsock.h"
#include "rtsock_priv.h"

static bool change_answer(struct replies *x, const struct nlmsghdr *nlh,
			  u32 i, int err)
{
	if (nlh->nlmsg_type != NLMSG_ERROR)
		return false;
	*(int *)x->arg = err;
	return true;
}

/* One change, acknowledged. Return: its result. */
static int change(struct net *net, const struct vzr_route *r, u16 type,
		  u16 flags)
{
	u8 msg[VZR_ROUTE_MSG_MAX];
	struct replies x = { .n = 1, .answer = change_answer };
	struct rtsock *rs;
	int len, err, result = 0;

	rs = vzr_rtsock_get(net);
	if (IS_ERR(rs))
		return PTR_ERR(rs);
	x.seq = ++rs->seq;
	x.arg = &result;
	len = vzr_route_msg(msg, sizeof(msg), r, type, NLM_F_ACK | flags, x.seq);
	if (len < 0)
		return len;
	err = vzr_rtsock_exchange(rs, msg, len, &x);
	return err ?: result;
}

static bool unacked_answer(struct replies *x, const struct nlmsghdr *nlh,
			   u32 i, int err)
{
	int *errs = x->arg;

	if (nlh->nlmsg_type == NLMSG_ERROR)
		errs[i] = err;
	return false;
}

/**
 * vzr_rtsock_reserve() - sequence numbers for messages to send together
 * @net: host namespace
 * @n: how many
 * @seq: receives the first; the messages are numbered from it
 *
 * Return: 0 or -errno.
 */
int vzr_rtsock_reserve(struct net *net, u32 n, u32 *seq)
{
	struct rtsock *rs = vzr_rtsock_get(net);

	if (IS_ERR(rs))
		return PTR_ERR(rs);
	*seq = rs->seq + 1;
	rs->seq += n;
	return 0;
}

/**
 * vzr_rtsock_send_unacked() - send changes that carry no NLM_F_ACK
 * @net: host namespace
 * @msg: the messages, back to back, numbered from @seq
 * @len: their length
 * @seq: the first one's sequence number (vzr_rtsock_reserve())
 * @n: how many
 * @errs: receives each one's result; rtnetlink answers only failures, so
 *        a change left unanswered succeeded
 * @lost: set when an answer the kernel could not queue may have been a
 *        failure reported as 0 here
 *
 * Return: 0 once sent, or the -errno that kept them from being sent.
 */
int vzr_rtsock_send_unacked(struct net *net, const void *msg, size_t len,
			    u32 seq, u32 n, int *errs, bool *lost)
{
	struct replies x = { .seq = seq, .n = n, .answer = unacked_answer,
			     .arg = errs };
	struct rtsock *rs = vzr_rtsock_get(net);
	int err;

	memset(errs, 0, sizeof(*errs) * n);
	err = IS_ERR(rs) ? PTR_ERR(rs) : vzr_rtsock_request(rs, msg, len);
	if (err)
		return err;
	/* What could not be read is not known to have failed. */
	if (vzr_rtsock_read_replies(rs, &x))
		x.lost = true;
	*lost |= x.lost;
	return 0;
}

/**
 * vzr_rtsock_add() - add a route, exclusively
 * @net: host namespace
 * @r: the route
 *
 * NLM_F_EXCL makes the kernel refuse when any route for the same prefix,
 * table and metric exists, ours or not: we never replace a route we did
 * not make.
 *
 * Return: 0, -EEXIST, or another -errno.
 */
int vzr_rtsock_add(struct net *net, const struct vzr_route *r)
{
	return change(net, r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
}

/**
 * vzr_rtsock_replace() - swap our route for one under the same key
 * @net: host namespace
 * @r: the new route (same prefix, table and metric as ours)
 *
 * Only used where ours is known to hold the key, since NLM_F_EXCL let
 * nobody else in: the route changes device or protocol with no gap.
 *
 * Return: 0 or -errno.
 */
int vzr_rtsock_replace(struct net *net, const struct vzr_route *r)
{
	return change(net, r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE);
}

/**
 * vzr_rtsock_del() - delete one of our routes
 * @net: host namespace
 * @r: the route
 *
 * Return: 0, -ESRCH when it was already gone, or another -errno.
 */
int vzr_rtsock_del(struct net *net, const struct vzr_route *r)
{
	return change(net, r, RTM_DELROUTE, 0);
}

/**
 * struct dump - one dump of a routing table
 * @net: its namespace
 * @cb: told of each route
 * @arg: for @cb
 * @intr: the kernel flagged the dump as interrupted
 * @err: the dump's error, from its NLMSG_ERROR
 */
struct dump {
	struct net *net;
	vzr_rtsock_dump_cb cb;
	void *arg;
	bool intr;
	int err;
};

static bool dump_answer(struct replies *x, const struct nlmsghdr *nlh,
			u32 i, int err)
{
	struct dump *d = x->arg;
	struct vzr_route r;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		d->intr = true;
	switch (nlh->nlmsg_type) {
	case NLMSG_DONE:
		return true;
	case NLMSG_ERROR:
		d->err = err ?: -EIO;
		return true;
	case RTM_NEWROUTE:
		if (!vzr_route_parse(nlh, nlh->nlmsg_len, &r))
			d->cb(d->net, &r, d->arg);
		break;
	}
	return false;
}

/* Return: 0, -EAGAIN when the kernel flagged it interrupted, or -errno. */
static int dump_once(struct rtsock *rs, struct dump *d, u8 family)
{
	struct rtmsg rtm = { .rtm_family = family };
	struct replies x = { .n = 1, .answer = dump_answer, .arg = d };
	int err;

	d->intr = false;
	d->err = 0;
	err = vzr_rtsock_ask_dump(rs, RTM_GETROUTE, &rtm, sizeof(rtm), &x);
	if (err)
		return err;
	if (d->err)
		return d->err;
	return d->intr ? -EAGAIN : 0;
}

/**
 * vzr_rtsock_dump() - call @cb for every single-path host route of @family
 * @net: host namespace
 * @family: AF_INET or AF_INET6
 * @cb: called for each route; the caller filters by protocol
 * @arg: passed to @cb
 *
 * A dump that the kernel flags as interrupted (the table changed under it)
 * is retried; @cb must therefore tolerate seeing a route more than once.
 *
 * Return: 0 or -errno.
 */
int vzr_rtsock_dump(struct net *net, u8 family, vzr_rtsock_dump_cb cb,
		    void *arg)
{
	struct dump d = { .net = net, .cb = cb, .arg = arg };
	struct rtsock *rs = vzr_rtsock_get(net);
	int err = -EAGAIN, tries;

	if (IS_ERR(rs))
		return PTR_ERR(rs);
	for (tries = 0; tries < 3 && err == -EAGAIN; tries++)
		err = dump_once(rs, &d, family);
	return err;
}

