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
 * It also hears IPv6 device settings change (RTNLGRP_IPV6_NETCONF):
 * proxy_ndp on an uplink decides what a proxy entry there is worth
 * (neigh.c); the callback takes note and drops the message.
 *
 * The same socket listens for route changes (RTNLGRP_IPV4_ROUTE and
 * RTNLGRP_IPV6_ROUTE): a route of ours that somebody else deletes (an
 * admin's "ip route flush proto vzroute", another daemon, the kernel
 * flushing IPv6 routes) is heard, so that the belief that it is installed
 * is corrected and the route added again. rtnetlink leaves out the sender
 * only for NLM_F_ECHO, so our own changes are notified to this socket too:
 * the callback drops them (route additions, anyone's, and every change of
 * ours whose answer says all; see struct rtsock).
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

#include "compat.h"
#include "fault.h"
#include "netns.h"
#include "reconcile.h"
#include "routemsg.h"
#include "rtsock.h"
#include "rtsock_priv.h"
#include "sync.h"

LIST_HEAD(vzr_rtsocks);
void *vzr_rxbuf;	/* under vzr_lock */

int vzr_rtsock_init(void)
{
	vzr_rxbuf = vzr_alloc(kvmalloc(RXBUF_SIZE, GFP_KERNEL));
	return vzr_rxbuf ? 0 : -ENOMEM;
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

	list_for_each_entry_safe(rs, tmp, &vzr_rtsocks, list)
		rtsock_free(rs);
	vzr_rtsock_kept_forget(NULL);
	kvfree(vzr_rxbuf);
	vzr_rxbuf = NULL;
}

void vzr_rtsock_forget_net(struct net *net)
{
	struct rtsock *rs;

	lockdep_assert_held(&vzr_lock);
	vzr_rtsock_kept_forget(net);
	list_for_each_entry(rs, &vzr_rtsocks, list) {
		if (net_eq(rs->net, net)) {
			rtsock_free(rs);
			return;
		}
	}
}

struct rtsock *vzr_rtsock_find(struct net *net)
{
	struct rtsock *rs;

	list_for_each_entry(rs, &vzr_rtsocks, list)
		if (net_eq(rs->net, net))
			return rs;
	return NULL;
}

/*
 * Set up a new socket: our callbacks first, then join the route groups
 * (which binds it to a port id of its own, read back for the callbacks),
 * then connect to the kernel (port id 0), after which netlink refuses
 * whatever another socket would send to ours. A socket that cannot do
 * all of it is not used (only a lack of memory stops any): its changes
 * fail, and are tried again with a new one.
 */
VZR_SK_DATA_READY(vzr_rtsock_data_ready)

static int rtsock_setup(struct rtsock *rs)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		/* the RTMGRP_ masks userspace has: group n is bit n - 1 */
		.nl_groups = BIT(RTNLGRP_IPV4_ROUTE - 1) |
			     BIT(RTNLGRP_IPV6_ROUTE - 1) |
			     BIT(RTNLGRP_IPV6_NETCONF - 1),
	};
	struct sockaddr_nl self = {};
	struct sock *sk = rs->sock->sk;
	int err;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = rs;
	sk->sk_data_ready = vzr_sk_data_ready(vzr_rtsock_data_ready);
	sk->sk_error_report = vzr_rtsock_error_report;
	write_unlock_bh(&sk->sk_callback_lock);

	err = vzr_kernel_bind(rs->sock, &sa, sizeof(sa));
	if (err)
		return err;
	err = vzr_kernel_getsockname(rs->sock, &self, sizeof(self));
	if (err)
		return err;
	WRITE_ONCE(rs->portid, self.nl_pid);
	sa.nl_groups = 0;
	return vzr_kernel_connect(rs->sock, &sa, sizeof(sa));
}

/* The socket of @net, made on first use. */
struct rtsock *vzr_rtsock_get(struct net *net)
{
	struct rtsock *rs;
	int err;

	lockdep_assert_held(&vzr_lock);
	rs = vzr_rtsock_find(net);
	if (rs)
		return rs;

	rs = vzr_alloc(kzalloc(sizeof(*rs), GFP_KERNEL));
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
	list_add(&rs->list, &vzr_rtsocks);
	return rs;
}

/*
 * A request goes to rtnetlink as netlink_sendmsg() would pass it on,
 * without the socket layer around it: the security hooks, hardened
 * usercopy's checks of the copy, the sender's credentials. For a kernel
 * socket they decide nothing, and for the one change that a quiet node's
 * event sends they cost about half of the send (tests/bench/HISTORY.md,
 * the paragraph before "The socket layer skipped"). Of what
 * netlink_sendmsg() sets, two fields are ours to set: the port id that
 * rtnetlink's answers and notifications name, and NETLINK_SKB_DST, which
 * lets its capability check pass for a socket with no file behind it
 * (the check is then the sending task's, the reconciler's).
 * netlink_unicast() sets the sender and the owner, and the rest of the
 * control block (credentials, group) matters only to a user socket,
 * which this never reaches: alloc_skb() leaves it zeroed. Every
 * request we build fits NLMSG_GOODSIZE (batch.c keeps a batch within it),
 * so it and its skb's tail take one page, where netlink_sendmsg() would
 * vmalloc() a larger one.
 */
static int rtsock_send(struct rtsock *rs, const void *msg, size_t len)
{
	struct sk_buff *skb;
	int ret;

	/* As netlink answers when it cannot allocate the request's skb. */
	if (vzr_fail_send())
		return -ENOBUFS;
	skb = vzr_alloc(alloc_skb(len, GFP_KERNEL));
	if (!skb)
		return -ENOBUFS;
	skb_put_data(skb, msg, len);
	NETLINK_CB(skb).portid = READ_ONCE(rs->portid);
	NETLINK_CB(skb).flags = NETLINK_SKB_DST;
	/* Port id 0, the kernel's rtnetlink socket: it takes the skb. */
	ret = netlink_unicast(rs->sock->sk, skb, 0, MSG_DONTWAIT);
	return ret < 0 ? ret : 0;
}

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

	for (nlh = vzr_rxbuf; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
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
 * Read one datagram: a notification (sent to a group) is heard, an answer
 * goes to @x, or is dropped without one (left over from an interrupted
 * exchange). With @x, notifications are kept: they may be newer than the
 * request @x answers.
 *
 * Return: 1 when something was read, 0 when the queue is empty, or -errno.
 */
int vzr_rtsock_read(struct rtsock *rs, struct replies *x)
{
	struct kvec iov = { .iov_base = vzr_rxbuf, .iov_len = RXBUF_SIZE };
	struct sockaddr_nl sa = {};
	struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa) };
	struct sock *sk = rs->sock->sk;
	int ret;

	/*
	 * A run reads each socket a few times, most often to find nothing:
	 * a receive call costs about as much then (the security hook, two
	 * locks taken with interrupts off). It is skipped only where it
	 * could change nothing. A pending error is returned by a receive
	 * call alone. And netlink lifts a socket's congestion (set by an
	 * overrun; while it lasts, everything sent to the socket is
	 * refused) only in a receive call that sees the queue empty as it
	 * ends. The queue empties without one when the data_ready callback
	 * drops a message, which sets @recv_due; an overrun sets the error,
	 * then @recv_due. Either way the next read makes the call: @recv_due
	 * is cleared before the call, so that whatever the call may have
	 * missed sets it again.
	 */
	if (!READ_ONCE(sk->sk_receive_queue.qlen) && !READ_ONCE(sk->sk_err) &&
	    !READ_ONCE(rs->recv_due))
		return 0;
	WRITE_ONCE(rs->recv_due, false);
	/* Pairs with the one in vzr_rtsock_data_ready(). */
	smp_mb();
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
			vzr_rtsock_read_heard(rs, ret, !x);
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
int vzr_rtsock_request(struct rtsock *rs, const void *msg, size_t len)
{
	unsigned int reads;

	vzr_rtsock_kept_flush();
	for (reads = 0; reads < READS_MAX; reads++)
		if (vzr_rtsock_read(rs, NULL) <= 0)
			break;
	WRITE_ONCE(rs->inexact, vzr_route_msgs_inexact(msg, len));
	return rtsock_send(rs, msg, len);
}

/*
 * Read the answers to a request until the last has come or the queue is
 * empty. rtnetlink answers synchronously inside the send, and each read
 * makes netlink produce the next part of a dump before it returns, so an
 * empty queue means that nothing more will come: for a request without
 * NLM_F_ACK, that every change without an answer succeeded.
 *
 * Return: 0, or -errno when the socket failed or kept the queue full.
 */
int vzr_rtsock_read_replies(struct rtsock *rs, struct replies *x)
{
	unsigned int reads;
	int ret;

	for (reads = 0; reads < READS_MAX; reads++) {
		ret = vzr_rtsock_read(rs, x);
		if (ret <= 0)
			return ret;
		if (x->done)
			return 0;
	}
	return -EIO;
}

/* Send a request that gets one final answer, and read up to that. */
int vzr_rtsock_exchange(struct rtsock *rs, const void *msg, size_t len,
			struct replies *x)
{
	int err = vzr_rtsock_request(rs, msg, len);

	x->sent = !err;
	if (!err)
		err = vzr_rtsock_read_replies(rs, x);
	if (!err && !x->done)
		err = x->lost ? -ENOBUFS : -EIO;	/* the answer is lost */
	return err;
}

/* The largest family header a dump request carries (rtmsg, ndmsg). */
#define DUMP_HDR_MAX	16

/**
 * vzr_rtsock_ask_dump() - ask for a dump and read it to its end
 * @rs: the socket
 * @type: RTM_GETROUTE, RTM_GETNEIGH...
 * @hdr: the request's family header, which says what to dump
 * @hdrlen: its size
 * @x: reads the answers; its @seq is set here
 *
 * Return: 0 or -errno.
 */
int vzr_rtsock_ask_dump(struct rtsock *rs, u16 type, const void *hdr,
			size_t hdrlen, struct replies *x)
{
	u32 buf[NLMSG_LENGTH(DUMP_HDR_MAX) / sizeof(u32)];
	struct nlmsghdr *nlh;

	if (WARN_ON_ONCE(hdrlen > DUMP_HDR_MAX))
		return -EINVAL;
	x->seq = ++rs->seq;
	nlh = vzr_msg_start(buf, sizeof(buf), hdrlen, type, NLM_F_DUMP, x->seq);
	memcpy(nlmsg_data(nlh), hdr, hdrlen);
	return vzr_rtsock_exchange(rs, nlh, nlh->nlmsg_len, x);
}

/**
 * vzr_rtsock_open() - make sure @net has its socket
 * @net: host namespace
 *
 * Return: 0 or -errno.
 */
int vzr_rtsock_open(struct net *net)
{
	return PTR_ERR_OR_ZERO(vzr_rtsock_get(net));
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
	vzr_rtsock_get(&init_net);
	fn(&init_net, arg);
	list_for_each_entry(rs, &vzr_rtsocks, list)
		if (!net_eq(rs->net, &init_net))
			fn(rs->net, arg);
}
