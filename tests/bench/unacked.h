/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Route messages sent the way vzroute sends them (kmod/rtsock.c,
 * kmod/batch.c), for the floor and react modules of the benchmark: each
 * request in an skb of its own handed to rtnetlink's kernel socket,
 * without the socket layer; batches back to back in one request, within
 * NLMSG_GOODSIZE, without NLM_F_ACK, so that rtnetlink answers only those
 * that fail, synchronously inside the send.
 */
#ifndef _VZR_BENCH_UNACKED_H
#define _VZR_BENCH_UNACKED_H

#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/netlink.h>

/* Bind @sock to a port id of its own, the one its answers come to. */
static inline int bench_bind(struct socket *sock, u32 *portid)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int err;

	/* void *: 6.19 (and 6.18.y) type kernel_bind()'s address otherwise. */
	err = kernel_bind(sock, (void *)&sa, sizeof(sa));
	if (err)
		return err;
	err = kernel_getsockname(sock, (struct sockaddr *)&sa);
	if (err < 0)
		return err;
	*portid = sa.nl_pid;
	return 0;
}

/* Send @len bytes of requests from @msg on @sock, as vzroute does. */
static inline int bench_send(struct socket *sock, u32 portid, const void *msg,
			     size_t len)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);

	if (!skb)
		return -ENOBUFS;
	skb_put_data(skb, msg, len);
	NETLINK_CB(skb).portid = portid;
	NETLINK_CB(skb).flags = NETLINK_SKB_DST;
	return netlink_unicast(sock->sk, skb, 0, MSG_DONTWAIT);
}

/*
 * A batch of @cnt messages in @len bytes takes no more (batch.c's rule):
 * @max of them, or one more might not fit one page.
 */
static inline bool bench_batch_full(unsigned int cnt, unsigned int max,
				    size_t len)
{
	return cnt == max || !vzr_route_msg_room(len);
}

/*
 * Send @len bytes of @cnt messages from @msg on @sock, then read the
 * answers into @buf. Return: how many failed (all @cnt if the send did).
 */
static inline unsigned int bench_send_unacked(struct socket *sock, u32 portid,
					      void *msg, size_t len,
					      unsigned int cnt, void *buf,
					      size_t size)
{
	struct kvec iov = { .iov_base = buf, .iov_len = size };
	unsigned int failed = 0;
	struct nlmsghdr *nlh;
	struct msghdr mh;
	int got;

	if (bench_send(sock, portid, msg, len) < 0)
		return cnt;
	for (;;) {
		memset(&mh, 0, sizeof(mh));
		got = kernel_recvmsg(sock, &mh, &iov, 1, size, MSG_DONTWAIT);
		if (got == -EAGAIN)
			return failed;
		if (got <= 0)	/* -ENOBUFS: an answer, so a failure, did not fit */
			return failed + 1;
		for (nlh = buf; nlmsg_ok(nlh, got); nlh = nlmsg_next(nlh, &got))
			if (nlh->nlmsg_type == NLMSG_ERROR)
				failed++;
	}
}

#endif
