/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Route messages sent the way vzroute's batches are (kmod/batch.c): back
 * to back in one send, without NLM_F_ACK, so that rtnetlink answers only
 * those that fail, synchronously inside the send. For the floor and react
 * modules of the benchmark.
 */
#ifndef _VZR_BENCH_UNACKED_H
#define _VZR_BENCH_UNACKED_H

#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/netlink.h>

/*
 * Send @len bytes of @cnt messages from @msg on @sock, then read the
 * answers into @buf. Return: how many failed (all @cnt if the send did).
 */
static inline unsigned int bench_send_unacked(struct socket *sock, void *msg,
					      size_t len, unsigned int cnt,
					      void *buf, size_t size)
{
	/* A destination address: rtnetlink's capability check passes. */
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa) };
	struct kvec iov = { .iov_base = msg, .iov_len = len };
	unsigned int failed = 0;
	struct nlmsghdr *nlh;
	int got;

	if (kernel_sendmsg(sock, &mh, &iov, 1, len) < 0)
		return cnt;
	for (;;) {
		memset(&mh, 0, sizeof(mh));
		iov.iov_base = buf;
		iov.iov_len = size;
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
