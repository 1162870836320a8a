// SPDX-License-Identifier: GPL-2.0
/*
 * Routes are changed the way "ip route" changes them: rtnetlink messages,
 * here sent from an in-kernel socket in the host namespace. No kernel
 * exports a FIB insert function, and the rtnetlink path gives the same
 * validation, notifications (routing daemons see RTM_NEWROUTE) and
 * ownership checks as userspace gets.
 *
 * rtnetlink takes RTNL itself, so everything here runs from the
 * reconciler's work item with vzr_lock held and RTNL not held.
 *
 * The same socket listens for route changes (RTNLGRP_IPV4_ROUTE and
 * RTNLGRP_IPV6_ROUTE): a route of ours that somebody else deletes (an
 * admin's "ip route flush proto vzroute", another daemon, the kernel
 * flushing IPv6 routes) is heard, so that the belief that it is installed
 * is corrected and the route added again. Netlink never delivers a
 * socket's own changes back to it, so our own adds and deletes, which are
 * nearly all the route changes of a node, never reach the queue.
 */

#include <linux/bitmap.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "netns.h"
#include "reconcile.h"
#include "rtsock.h"
#include "sync.h"

/* Big enough for the largest skb a netlink dump sends to a reader. */
#define RXBUF_SIZE	(32 * 1024)

/**
 * struct rtsock - the rtnetlink socket of one host namespace
 * @list: in rtsocks
 * @net: the namespace; a kernel socket does not pin it, so the socket is
 *       released from the namespace's pernet exit (vzr_rtsock_forget_net())
 * @sock: the socket; a member of the route groups, and connected to the
 *        kernel, so that no other socket can send to it
 * @seq: last sequence number used
 * @lost: a notification may have been lost (the queue overflowed) since
 *        the last audit of @net; until the next one, what we believe
 *        installed there is not known to be
 *
 * All fields and the list are under vzr_lock. The socket's callbacks
 * (rtsock_data_ready(), rtsock_error_report()) run in any context,
 * without it: they touch the socket's own queue and kick, nothing else.
 * They are never called once sock_release() has returned (netlink takes
 * the socket out of its tables first and waits for broadcasts in flight),
 * and nothing else sends to a connected socket; a kick after the
 * reconciler stopped is a no-op (vzr_kick()).
 */
struct rtsock {
	struct list_head list;
	struct net *net;
	struct socket *sock;
	u32 seq;
	bool lost;
};

static LIST_HEAD(rtsocks);
static void *rxbuf;	/* under vzr_lock */

/*
 * Protocols of the routes we made since load (the present one and any
 * before a change): deletions of those are worth hearing. Set under
 * vzr_lock, read by the socket callbacks in any context; never cleared.
 */
static DECLARE_BITMAP(watched_protos, 256);

/**
 * struct kept_change - a change to a route, heard while reading answers
 * @net: its namespace (dropped at its pernet exit)
 * @r: the route deleted, or the one that replaced another
 * @replaced: @r replaced whatever route had its key
 *
 * Heard after a request of ours was sent, it may be newer than the
 * request's result, which the caller applies once the answers are read:
 * it is kept until then, and handed to vzr_sync_heard() before the next
 * request or listen (kept_flush()).
 */
struct kept_change {
	struct net *net;
	struct vzr_route r;
	bool replaced;
};

/*
 * Changes kept while answers are read; more than this in one exchange and
 * the rest count as lost (an audit follows). Under vzr_lock.
 */
#define KEPT_MAX	256
static struct kept_change kept[KEPT_MAX];
static unsigned int n_kept;

/* Datagrams one listen reads from one socket before it leaves the rest to another run. */
#define LISTEN_MAX	256

void vzr_rtsock_watch_proto(u8 proto)
{
	set_bit(proto, watched_protos);
}

bool vzr_rtsock_proto_watched(u8 proto)
{
	return test_bit(proto, watched_protos);
}

/*
 * A notification worth keeping: a deletion of a host route of a protocol
 * of ours, or a host route that replaced another under its key (ours may
 * have been the one replaced; the kernel tells of no deletion then).
 */
static bool wanted(const struct sk_buff *skb)
{
	const struct nlmsghdr *nlh;
	const struct rtmsg *rtm;

	if (skb_headlen(skb) < NLMSG_LENGTH(sizeof(*rtm)))
		return false;
	nlh = nlmsg_hdr(skb);
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)) ||
	    nlh->nlmsg_len > skb_headlen(skb))
		return false;
	rtm = nlmsg_data(nlh);
	if (!(rtm->rtm_family == AF_INET && rtm->rtm_dst_len == 32) &&
	    !(rtm->rtm_family == AF_INET6 && rtm->rtm_dst_len == 128))
		return false;
	if (nlh->nlmsg_type == RTM_DELROUTE)
		return test_bit(rtm->rtm_protocol, watched_protos);
	return nlh->nlmsg_type == RTM_NEWROUTE &&
	       (nlh->nlmsg_flags & NLM_F_REPLACE);
}

/*
 * Something was queued. Any context, softirq included (routes expire from
 * a timer), never hard irq. Answers to our requests come while we wait
 * for them: nothing to do. A notification that is of no interest (every
 * route another daemon adds) is dropped at once, so that a full routing
 * table arriving does not fill the queue and cost an audit; one that is
 * kicks the reconciler, which reads it. netlink calls this right after it
 * queued the notification, so that is the one at the tail, but for a rare
 * race with another CPU queueing too: a notification left behind then is
 * read and ignored.
 */
static void rtsock_data_ready(struct sock *sk)
{
	struct sk_buff_head *q = &sk->sk_receive_queue;
	struct sk_buff *skb, *drop = NULL;
	unsigned long flags;
	bool kick = false;

	spin_lock_irqsave(&q->lock, flags);
	skb = skb_peek_tail(q);
	if (skb && NETLINK_CB(skb).dst_group) {
		if (wanted(skb)) {
			kick = true;
		} else {
			__skb_unlink(skb, q);
			drop = skb;
		}
	}
	spin_unlock_irqrestore(&q->lock, flags);
	consume_skb(drop);
	if (kick)
		vzr_kick();
}

/*
 * A notification did not fit the queue: the next read returns ENOBUFS,
 * which makes the run audit. Any context.
 */
static void rtsock_error_report(struct sock *sk)
{
	vzr_kick();
}

int vzr_rtsock_init(void)
{
	rxbuf = kvmalloc(RXBUF_SIZE, GFP_KERNEL);
	return rxbuf ? 0 : -ENOMEM;
}

/* Hand the changes heard while reading answers to the sync. */
static void kept_flush(void)
{
	unsigned int i;

	for (i = 0; i < n_kept; i++)
		vzr_sync_heard(kept[i].net, &kept[i].r, kept[i].replaced);
	n_kept = 0;
}

static void rtsock_free(struct rtsock *rs)
{
	list_del(&rs->list);
	sock_release(rs->sock);
	kfree(rs);
}

/* At unload, after every namespace's exit released its socket. */
void vzr_rtsock_uninit(void)
{
	struct rtsock *rs, *tmp;

	list_for_each_entry_safe(rs, tmp, &rtsocks, list)
		rtsock_free(rs);
	n_kept = 0;
	kvfree(rxbuf);
	rxbuf = NULL;
}

void vzr_rtsock_forget_net(struct net *net)
{
	struct rtsock *rs;
	unsigned int i, n = 0;

	lockdep_assert_held(&vzr_lock);
	for (i = 0; i < n_kept; i++)
		if (!net_eq(kept[i].net, net))
			kept[n++] = kept[i];
	n_kept = n;
	list_for_each_entry(rs, &rtsocks, list) {
		if (net_eq(rs->net, net)) {
			rtsock_free(rs);
			return;
		}
	}
}

static struct rtsock *rtsock_find(struct net *net)
{
	struct rtsock *rs;

	list_for_each_entry(rs, &rtsocks, list)
		if (net_eq(rs->net, net))
			return rs;
	return NULL;
}

/*
 * Set up a new socket: our callbacks first, then join the route groups,
 * then connect to the kernel (port id 0), after which netlink refuses
 * whatever another socket would send to ours. A socket that cannot do
 * both is not used (only a lack of memory stops either): its changes
 * fail, and are tried again with a new one.
 */
static int rtsock_setup(struct rtsock *rs)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		/* the RTMGRP_ masks userspace has: group n is bit n - 1 */
		.nl_groups = BIT(RTNLGRP_IPV4_ROUTE - 1) |
			     BIT(RTNLGRP_IPV6_ROUTE - 1),
	};
	struct sock *sk = rs->sock->sk;
	int err;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_data_ready = rtsock_data_ready;
	sk->sk_error_report = rtsock_error_report;
	write_unlock_bh(&sk->sk_callback_lock);

	err = kernel_bind(rs->sock, (struct sockaddr *)&sa, sizeof(sa));
	if (err)
		return err;
	sa.nl_groups = 0;
	return kernel_connect(rs->sock, (struct sockaddr *)&sa, sizeof(sa), 0);
}

/* The socket of @net, made on first use. */
static struct rtsock *rtsock_get(struct net *net)
{
	struct rtsock *rs;
	int err;

	lockdep_assert_held(&vzr_lock);
	rs = rtsock_find(net);
	if (rs)
		return rs;

	rs = kzalloc(sizeof(*rs), GFP_KERNEL);
	if (!rs)
		return ERR_PTR(-ENOMEM);
	err = __sock_create(net, PF_NETLINK, SOCK_RAW, NETLINK_ROUTE,
			    &rs->sock, 1);
	if (err) {
		kfree(rs);
		return ERR_PTR(err);
	}
	err = rtsock_setup(rs);
	if (err) {
		sock_release(rs->sock);
		kfree(rs);
		return ERR_PTR(err);
	}
	/*
	 * Routes we install through it from now on are heard of if they
	 * go; none were believed installed in @net before it existed.
	 */
	rs->net = net;
	list_add(&rs->list, &rtsocks);
	return rs;
}

static int rtsock_send(struct rtsock *rs, const void *msg, size_t len)
{
	/*
	 * A destination address makes netlink mark the skb NETLINK_SKB_DST,
	 * which is what lets rtnetlink's capability check pass for a socket
	 * that has no file behind it.
	 */
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa) };
	struct kvec iov = { .iov_base = (void *)msg, .iov_len = len };
	int ret;

	ret = kernel_sendmsg(rs->sock, &mh, &iov, 1, len);
	return ret < 0 ? ret : 0;
}

/*
 * Reads one exchange may take: a dump of a whole table of a million routes
 * takes a few thousand. Past that something keeps the queue full, and the
 * exchange gives up rather than hold vzr_lock for ever.
 */
#define READS_MAX	65536

/**
 * struct replies - the answers to one request
 * @seq: sequence number of the request's first message
 * @n: messages in the request, numbered from @seq
 * @answer: called for each answer to one of them, with the message's index
 *          and, for an NLMSG_ERROR, its error (0 for an ACK); returns true
 *          when that was the last answer to come
 * @arg: for @answer
 * @done: @answer saw the last answer
 * @lost: an answer was dropped: the queue overflowed, or a read was cut
 */
struct replies {
	u32 seq;
	u32 n;
	bool (*answer)(struct replies *x, const struct nlmsghdr *nlh, u32 i,
		       int err);
	void *arg;
	bool done;
	bool lost;
};

/* An answer's error, read only once its length says it is all there. */
static int answer_error(const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_len < nlmsg_msg_size(sizeof(struct nlmsgerr)))
		return -EIO;
	return ((struct nlmsgerr *)nlmsg_data(nlh))->error;
}

static void read_answers(struct replies *x, int len)
{
	struct nlmsghdr *nlh;
	u32 i;

	for (nlh = rxbuf; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
		i = nlh->nlmsg_seq - x->seq;
		if (i >= x->n)
			continue;	/* left over from an earlier exchange */
		if (x->answer(x, nlh, i, nlh->nlmsg_type == NLMSG_ERROR ?
			      answer_error(nlh) : 0)) {
			x->done = true;
			return;
		}
	}
}

/*
 * A notification: the route changes in it are handed to the sync at once
 * when @now (nothing of ours is under way), else kept for kept_flush().
 * nlmsg_ok() checks each message's length against what was read, and
 * vzr_route_parse() each attribute's, before a field is read.
 */
static void read_heard(struct rtsock *rs, int len, bool now)
{
	struct nlmsghdr *nlh;
	struct vzr_route r;
	bool replaced;

	for (nlh = rxbuf; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
		replaced = nlh->nlmsg_type == RTM_NEWROUTE &&
			   (nlh->nlmsg_flags & NLM_F_REPLACE);
		if (nlh->nlmsg_type != RTM_DELROUTE && !replaced)
			continue;
		if (vzr_route_parse(nlh, len, &r))
			continue;
		if (now) {
			vzr_sync_heard(rs->net, &r, replaced);
		} else if (n_kept < KEPT_MAX) {
			kept[n_kept].net = rs->net;
			kept[n_kept].r = r;
			kept[n_kept].replaced = replaced;
			n_kept++;
		} else {
			rs->lost = true;
		}
	}
}

/*
 * Read one datagram: a notification (sent to a group) is heard, an answer
 * goes to @x, or is dropped without one (left over from an interrupted
 * exchange). With @x, notifications are kept: they may be newer than the
 * request @x answers.
 *
 * Return: 1 when something was read, 0 when the queue is empty, or -errno.
 */
static int rtsock_read(struct rtsock *rs, struct replies *x)
{
	struct kvec iov = { .iov_base = rxbuf, .iov_len = RXBUF_SIZE };
	struct sockaddr_nl sa = {};
	struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa) };
	int ret;

	ret = kernel_recvmsg(rs->sock, &mh, &iov, 1, RXBUF_SIZE, MSG_DONTWAIT);
	if (ret == -EAGAIN)
		return 0;
	if (ret == -ENOBUFS) {
		/* Something did not fit: an answer, or a notification. */
		rs->lost = true;
		if (x)
			x->lost = true;
		return 1;
	}
	if (ret < 0)
		return ret;
	if (sa.nl_groups) {
		if (mh.msg_flags & MSG_TRUNC)
			rs->lost = true;
		else
			read_heard(rs, ret, !x);
		return 1;
	}
	if (!x)
		return 1;
	if (mh.msg_flags & MSG_TRUNC)
		x->lost = true;
	else
		read_answers(x, ret);
	return 1;
}

/*
 * Send a request, after handing the sync what was heard: whatever is
 * queued now happened before the request, and the sync applied the
 * results of our earlier ones. Answers an interrupted exchange left
 * queued are dropped.
 */
static int request(struct rtsock *rs, const void *msg, size_t len)
{
	unsigned int reads;

	kept_flush();
	for (reads = 0; reads < READS_MAX; reads++)
		if (rtsock_read(rs, NULL) <= 0)
			break;
	return rtsock_send(rs, msg, len);
}

/*
 * Read the answers to a request until the last has come or the queue is
 * empty. rtnetlink answers synchronously inside sendmsg, and each read
 * makes netlink produce the next part of a dump before it returns, so an
 * empty queue means that nothing more will come: for a request without
 * NLM_F_ACK, that every change without an answer succeeded.
 *
 * Return: 0, or -errno when the socket failed or kept the queue full.
 */
static int read_replies(struct rtsock *rs, struct replies *x)
{
	unsigned int reads;
	int ret;

	for (reads = 0; reads < READS_MAX; reads++) {
		ret = rtsock_read(rs, x);
		if (ret <= 0)
			return ret;
		if (x->done)
			return 0;
	}
	return -EIO;
}

/* Send a request that gets one final answer, and read up to that. */
static int exchange(struct rtsock *rs, const void *msg, size_t len,
		    struct replies *x)
{
	int err = request(rs, msg, len);

	if (!err)
		err = read_replies(rs, x);
	if (!err && !x->done)
		err = x->lost ? -ENOBUFS : -EIO;	/* the answer is lost */
	return err;
}

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

	rs = rtsock_get(net);
	if (IS_ERR(rs))
		return PTR_ERR(rs);
	x.seq = ++rs->seq;
	x.arg = &result;
	len = vzr_route_msg(msg, sizeof(msg), r, type, NLM_F_ACK | flags, x.seq);
	if (len < 0)
		return len;
	err = exchange(rs, msg, len, &x);
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
	struct rtsock *rs = rtsock_get(net);

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
	struct rtsock *rs = rtsock_get(net);
	int err;

	memset(errs, 0, sizeof(*errs) * n);
	err = IS_ERR(rs) ? PTR_ERR(rs) : request(rs, msg, len);
	if (err)
		return err;
	/* What could not be read is not known to have failed. */
	if (read_replies(rs, &x))
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
	struct {
		struct nlmsghdr nlh;
		struct rtmsg rtm;
	} req = {
		.nlh = {
			.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg)),
			.nlmsg_type = RTM_GETROUTE,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		},
		.rtm = { .rtm_family = family },
	};
	struct replies x = { .n = 1, .answer = dump_answer, .arg = d };
	int err;

	d->intr = false;
	d->err = 0;
	x.seq = ++rs->seq;
	req.nlh.nlmsg_seq = x.seq;
	err = exchange(rs, &req, sizeof(req), &x);
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
	struct rtsock *rs = rtsock_get(net);
	int err = -EAGAIN, tries;

	if (IS_ERR(rs))
		return PTR_ERR(rs);
	for (tries = 0; tries < 3 && err == -EAGAIN; tries++)
		err = dump_once(rs, &d, family);
	return err;
}

/* Read what @rs heard, at most LISTEN_MAX datagrams. */
static void listen_one(struct rtsock *rs)
{
	unsigned int reads;
	int ret = 0;

	for (reads = 0; reads < LISTEN_MAX; reads++) {
		ret = rtsock_read(rs, NULL);
		if (ret <= 0)
			break;
	}
	if (ret < 0)
		rs->lost = true;
	else if (ret > 0)
		vzr_kick();	/* the rest in another run */
}

/**
 * vzr_rtsock_listen() - hand the sync what every socket heard
 *
 * Reads a bounded number of notifications from each socket; more left
 * queued get another run.
 *
 * Return: false when a notification may have been lost somewhere since
 * that namespace's last audit: the caller should audit.
 */
bool vzr_rtsock_listen(void)
{
	struct rtsock *rs;
	bool in_sync = true;

	lockdep_assert_held(&vzr_lock);
	kept_flush();
	list_for_each_entry(rs, &rtsocks, list) {
		listen_one(rs);
		in_sync &= !rs->lost;
	}
	return in_sync;
}

/**
 * vzr_rtsock_listen_net() - hand the sync what @net's socket heard
 * @net: host namespace
 *
 * Return: true when nothing it heard since its last audit was lost, so
 * that what we believe installed in @net is there (but for a change
 * racing with this very call).
 */
bool vzr_rtsock_listen_net(struct net *net)
{
	struct rtsock *rs = rtsock_find(net);

	lockdep_assert_held(&vzr_lock);
	kept_flush();
	if (!rs)
		return true;	/* nothing of ours was installed there */
	listen_one(rs);
	return !rs->lost;
}

/**
 * vzr_rtsock_audited() - an audit of @net starts, or failed
 * @net: host namespace
 * @ok: the audit starts: it reads what a lost notification would have
 *      said. False: it failed, and nothing it read counts.
 */
void vzr_rtsock_audited(struct net *net, bool ok)
{
	struct rtsock *rs = rtsock_find(net);

	lockdep_assert_held(&vzr_lock);
	if (rs)
		rs->lost = !ok;
}

/**
 * vzr_rtsock_open() - make sure @net has its socket
 * @net: host namespace
 *
 * Return: 0 or -errno.
 */
int vzr_rtsock_open(struct net *net)
{
	return PTR_ERR_OR_ZERO(rtsock_get(net));
}

/**
 * vzr_rtsock_visit_nets() - call @fn for every namespace we have a
 * socket in, the initial one first (whose socket it makes)
 * @fn: called with each namespace; it may use that namespace's socket,
 *      and must make no other
 * @arg: for @fn
 */
void vzr_rtsock_visit_nets(vzr_rtsock_net_fn fn, void *arg)
{
	struct rtsock *rs;

	lockdep_assert_held(&vzr_lock);
	rtsock_get(&init_net);
	fn(&init_net, arg);
	list_for_each_entry(rs, &rtsocks, list)
		if (!net_eq(rs->net, &init_net))
			fn(rs->net, arg);
}
