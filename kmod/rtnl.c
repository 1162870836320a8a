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

#include "rtnl.h"
#include "track.h"

/* Big enough for the largest skb a netlink dump sends to a reader. */
#define RXBUF_SIZE	(32 * 1024)

/**
 * struct rtsock - the rtnetlink socket of one host namespace
 * @list: in rtsocks
 * @net: the namespace; a kernel socket does not pin it, so the socket is
 *       released from the namespace's pernet exit (vzr_rt_forget_net())
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

/*
 * Changes sent in one message: one RTNL round trip each still, but one
 * skb, one send and, since only failures are answered, few reads.
 */
#define BATCH_MAX	64

/**
 * struct batch - route changes for one namespace, sent together
 * @net: the namespace of every change queued
 * @done: told the result of each change
 * @n: changes queued
 * @len: bytes of @msg used
 * @seq: sequence number of the first change; change i has @seq + i
 * @lost: a failure may have gone unreported since vzr_rt_batch_begin()
 * @cookie: the caller's token for each change
 * @err: the result of each change
 * @msg: the messages, back to back
 *
 * Under vzr_lock, like the sockets.
 */
struct batch {
	struct net *net;
	vzr_rt_done_cb done;
	unsigned int n;
	size_t len;
	u32 seq;
	bool lost;
	void *cookie[BATCH_MAX];
	int err[BATCH_MAX];
	u8 msg[BATCH_MAX * VZR_ROUTE_MSG_MAX];
};

static struct batch *batch;

int vzr_rt_init(void)
{
	rxbuf = kvmalloc(RXBUF_SIZE, GFP_KERNEL);
	batch = kvmalloc(sizeof(*batch), GFP_KERNEL);
	if (rxbuf && batch)
		return 0;
	kvfree(rxbuf);
	kvfree(batch);
	return -ENOMEM;
}

static void rtsock_free(struct rtsock *rs)
{
	list_del(&rs->list);
	sock_release(rs->sock);
	kfree(rs);
}

void vzr_rt_uninit(void)
{
	struct rtsock *rs, *tmp;

	list_for_each_entry_safe(rs, tmp, &rtsocks, list)
		rtsock_free(rs);
	kvfree(rxbuf);
	rxbuf = NULL;
	kvfree(batch);
	batch = NULL;
}

void vzr_rt_forget_net(struct net *net)
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

static int rt_send(struct rtsock *rs, void *msg, size_t len)
{
	/*
	 * A destination address makes netlink mark the skb NETLINK_SKB_DST,
	 * which is what lets rtnetlink's capability check pass for a socket
	 * that has no file behind it.
	 */
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa) };
	struct kvec iov = { .iov_base = msg, .iov_len = len };
	int ret;

	ret = kernel_sendmsg(rs->sock, &mh, &iov, 1, len);
	return ret < 0 ? ret : 0;
}

static int rt_recv(struct rtsock *rs)
{
	struct msghdr mh = {};
	struct kvec iov = { .iov_base = rxbuf, .iov_len = RXBUF_SIZE };
	int ret;

	/*
	 * rtnetlink answers synchronously inside sendmsg, and each read
	 * makes netlink produce the next part of a dump before returning;
	 * so an empty queue here means the answer is lost, not late.
	 */
	ret = kernel_recvmsg(rs->sock, &mh, &iov, 1, RXBUF_SIZE,
			     MSG_DONTWAIT);
	if (ret >= 0 && (mh.msg_flags & MSG_TRUNC))
		return -ENOBUFS;
	return ret == -EAGAIN ? -EIO : ret;
}

/* Drop anything left over from an earlier, interrupted exchange. */
static void rt_drain(struct rtsock *rs)
{
	struct msghdr mh = {};
	struct kvec iov = { .iov_base = rxbuf, .iov_len = RXBUF_SIZE };

	while (kernel_recvmsg(rs->sock, &mh, &iov, 1, RXBUF_SIZE,
			      MSG_DONTWAIT) > 0)
		;
}

static int rt_change(struct net *net, const struct vzr_route *r, u16 type,
		     u16 flags)
{
	u8 msg[VZR_ROUTE_MSG_MAX];
	struct nlmsghdr *nlh;
	struct rtsock *rs;
	int len, err;

	rs = rtsock_get(net);
	if (IS_ERR(rs))
		return PTR_ERR(rs);
	rt_drain(rs);
	len = vzr_route_msg(msg, sizeof(msg), r, type, NLM_F_ACK | flags,
			    ++rs->seq);
	if (len < 0)
		return len;
	err = rt_send(rs, msg, len);
	if (err)
		return err;

	for (;;) {
		len = rt_recv(rs);
		if (len < 0)
			return len;
		for (nlh = rxbuf; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != rs->seq ||
			    nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			if (nlh->nlmsg_len < nlmsg_msg_size(sizeof(struct nlmsgerr)))
				return -EIO;
			return ((struct nlmsgerr *)nlmsg_data(nlh))->error;
		}
	}
}

/*
 * Send the queued changes. They carry no NLM_F_ACK: rtnetlink answers
 * only those that fail, and has answered them by the time sendmsg
 * returns, so whatever is not in the queue then succeeded. An answer the
 * kernel could not queue leaves ENOBUFS on the socket, which is reported
 * so that the caller compares with the table.
 */
static void batch_flush(void)
{
	struct batch *b = batch;
	struct nlmsghdr *nlh;
	struct rtsock *rs;
	unsigned int i;
	int len, err;

	if (!b->n)
		return;
	memset(b->err, 0, sizeof(b->err[0]) * b->n);
	rs = rtsock_get(b->net);
	err = IS_ERR(rs) ? PTR_ERR(rs) : rt_send(rs, b->msg, b->len);
	if (err) {
		for (i = 0; i < b->n; i++)
			b->err[i] = err;
		goto done;
	}
	while ((len = rt_recv(rs)) != -EIO) {
		if (len < 0) {
			b->lost = true;
			if (len != -ENOBUFS)
				break;
			continue;
		}
		for (nlh = rxbuf; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
			i = nlh->nlmsg_seq - b->seq;
			if (nlh->nlmsg_type != NLMSG_ERROR || i >= b->n)
				continue;
			if (nlh->nlmsg_len < nlmsg_msg_size(sizeof(struct nlmsgerr)))
				b->err[i] = -EIO;
			else
				b->err[i] = ((struct nlmsgerr *)nlmsg_data(nlh))->error;
		}
	}
done:
	for (i = 0; i < b->n; i++)
		b->done(b->cookie[i], b->err[i]);
	b->n = 0;
	b->len = 0;
}

/**
 * vzr_rt_batch_begin() - start collecting route changes
 * @done: called with each change's cookie and result (0 or -errno), from
 *        vzr_rt_batch_add(), vzr_rt_batch_del() or vzr_rt_batch_end()
 */
void vzr_rt_batch_begin(vzr_rt_done_cb done)
{
	lockdep_assert_held(&vzr_lock);
	batch->done = done;
	batch->n = 0;
	batch->len = 0;
	batch->lost = false;
}

static void batch_queue(struct net *net, const struct vzr_route *r, u16 type,
			u16 flags, void *cookie)
{
	struct batch *b = batch;
	int len;

	if (b->n && (b->n == BATCH_MAX || !net_eq(b->net, net)))
		batch_flush();
	if (!b->n) {
		struct rtsock *rs = rtsock_get(net);

		b->net = net;
		b->seq = IS_ERR(rs) ? 0 : rs->seq + 1;
		if (!IS_ERR(rs)) {
			rt_drain(rs);
			rs->seq += BATCH_MAX;
		}
	}
	len = vzr_route_msg(b->msg + b->len, VZR_ROUTE_MSG_MAX, r, type,
			    flags, b->seq + b->n);
	if (len < 0) {
		b->done(cookie, len);
		return;
	}
	b->cookie[b->n++] = cookie;
	b->len += len;
}

/* Queue an exclusive add (see vzr_rt_add()). */
void vzr_rt_batch_add(struct net *net, const struct vzr_route *r, void *cookie)
{
	batch_queue(net, r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, cookie);
}

/* Queue a delete (see vzr_rt_del()). */
void vzr_rt_batch_del(struct net *net, const struct vzr_route *r, void *cookie)
{
	batch_queue(net, r, RTM_DELROUTE, 0, cookie);
}

/**
 * vzr_rt_batch_end() - send what is queued
 *
 * Return: -ENOBUFS when the result of some change may have been lost
 * (reported as 0), else 0.
 */
int vzr_rt_batch_end(void)
{
	batch_flush();
	return batch->lost ? -ENOBUFS : 0;
}

/**
 * vzr_rt_add() - add a route, exclusively
 * @net: host namespace
 * @r: the route
 *
 * NLM_F_EXCL makes the kernel refuse when any route for the same prefix,
 * table and metric exists, ours or not: we never replace a route we did
 * not make.
 *
 * Return: 0, -EEXIST, or another -errno.
 */
int vzr_rt_add(struct net *net, const struct vzr_route *r)
{
	return rt_change(net, r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
}

/**
 * vzr_rt_replace() - swap our route for one under the same key
 * @net: host namespace
 * @r: the new route (same prefix, table and metric as ours)
 *
 * Only used where ours is known to hold the key, since NLM_F_EXCL let
 * nobody else in: the route changes device or protocol with no gap.
 *
 * Return: 0 or -errno.
 */
int vzr_rt_replace(struct net *net, const struct vzr_route *r)
{
	return rt_change(net, r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE);
}

/**
 * vzr_rt_del() - delete one of our routes
 * @net: host namespace
 * @r: the route
 *
 * Return: 0, -ESRCH when it was already gone, or another -errno.
 */
int vzr_rt_del(struct net *net, const struct vzr_route *r)
{
	return rt_change(net, r, RTM_DELROUTE, 0);
}

static int dump_once(struct rtsock *rs, u8 family, vzr_rt_dump_cb cb,
		     void *arg)
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
	struct vzr_route r;
	struct nlmsghdr *nlh;
	bool intr = false;
	int len, err;

	rt_drain(rs);
	req.nlh.nlmsg_seq = ++rs->seq;
	err = rt_send(rs, &req, sizeof(req));
	if (err)
		return err;

	for (;;) {
		len = rt_recv(rs);
		if (len < 0)
			return len;
		for (nlh = rxbuf; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != rs->seq)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			if (nlh->nlmsg_type == NLMSG_DONE)
				return intr ? -EAGAIN : 0;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				err = ((struct nlmsgerr *)nlmsg_data(nlh))->error;
				return err ?: -EIO;
			}
			if (nlh->nlmsg_type == RTM_NEWROUTE &&
			    !vzr_route_parse(nlh, nlh->nlmsg_len, &r))
				cb(rs->net, &r, arg);
		}
	}
}

/**
 * vzr_rt_dump() - call @cb for every single-path host route of @family
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
int vzr_rt_dump(struct net *net, u8 family, vzr_rt_dump_cb cb, void *arg)
{
	struct rtsock *rs = rtsock_get(net);
	int err = -EAGAIN, tries;

	if (IS_ERR(rs))
		return PTR_ERR(rs);
	for (tries = 0; tries < 3 && err == -EAGAIN; tries++)
		err = dump_once(rs, family, cb, arg);
	return err;
}
