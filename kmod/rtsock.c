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
 */

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "netns.h"
#include "rtsock.h"

/* Big enough for the largest skb a netlink dump sends to a reader. */
#define RXBUF_SIZE	(32 * 1024)

/**
 * struct rtsock - the rtnetlink socket of one host namespace
 * @list: in rtsocks
 * @net: the namespace; a kernel socket does not pin it, so the socket is
 *       released from the namespace's pernet exit (vzr_rtsock_forget_net())
 * @sock: the socket
 * @seq: last sequence number used
 *
 * All fields and the list are under vzr_lock.
 */
struct rtsock {
	struct list_head list;
	struct net *net;
	struct socket *sock;
	u32 seq;
};

static LIST_HEAD(rtsocks);
static void *rxbuf;	/* under vzr_lock */

int vzr_rtsock_init(void)
{
	rxbuf = kvmalloc(RXBUF_SIZE, GFP_KERNEL);
	return rxbuf ? 0 : -ENOMEM;
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
	kvfree(rxbuf);
	rxbuf = NULL;
}

void vzr_rtsock_forget_net(struct net *net)
{
	struct rtsock *rs;

	lockdep_assert_held(&vzr_lock);
	list_for_each_entry(rs, &rtsocks, list) {
		if (net_eq(rs->net, net)) {
			rtsock_free(rs);
			return;
		}
	}
}

/* The socket of @net, made on first use. */
static struct rtsock *rtsock_get(struct net *net)
{
	struct rtsock *rs;
	int err;

	lockdep_assert_held(&vzr_lock);
	list_for_each_entry(rs, &rtsocks, list)
		if (net_eq(rs->net, net))
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

/* Send a request, dropping whatever an interrupted exchange left queued. */
static int request(struct rtsock *rs, const void *msg, size_t len)
{
	struct kvec iov = { .iov_base = rxbuf, .iov_len = RXBUF_SIZE };
	struct msghdr mh = {};

	while (kernel_recvmsg(rs->sock, &mh, &iov, 1, RXBUF_SIZE,
			      MSG_DONTWAIT) > 0)
		;
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
	struct kvec iov = { .iov_base = rxbuf, .iov_len = RXBUF_SIZE };
	struct msghdr mh = {};
	unsigned int reads;
	int ret;

	for (reads = 0; reads < READS_MAX; reads++) {
		mh.msg_flags = 0;
		ret = kernel_recvmsg(rs->sock, &mh, &iov, 1, RXBUF_SIZE,
				     MSG_DONTWAIT);
		if (ret == -EAGAIN)
			return 0;
		if (ret == -ENOBUFS || (ret >= 0 && (mh.msg_flags & MSG_TRUNC))) {
			x->lost = true;
			continue;
		}
		if (ret < 0)
			return ret;
		read_answers(x, ret);
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
