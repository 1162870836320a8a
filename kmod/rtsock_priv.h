/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What rtsock.c (the sockets and their reply loop), rtchange.c (route
 * changes and dumps through them) and rtlisten.c (the route changes they
 * hear) share. Everything here is under vzr_lock unless it says otherwise.
 */
#ifndef _VZR_RTSOCK_PRIV_H
#define _VZR_RTSOCK_PRIV_H

#include <linux/list.h>
#include <linux/netlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

/* Big enough for the largest skb a netlink dump sends to a reader. */
#define RXBUF_SIZE	(32 * 1024)

/* The one receive buffer; under vzr_lock. */
extern void *vzr_rxbuf;
/* Every host namespace's socket (struct rtsock.list); under vzr_lock. */
extern struct list_head vzr_rtsocks;

/**
 * struct rtsock - the rtnetlink socket of one host namespace
 * @list: in vzr_rtsocks
 * @net: the namespace; a kernel socket does not pin it, so the socket is
 *       released from the namespace's pernet exit (vzr_rtsock_forget_net())
 * @sock: the socket; a member of the route groups, and connected to the
 *        kernel, so that no other socket can send to it
 * @seq: last sequence number used
 * @lost: a notification may have been lost (the queue overflowed) since
 *        the last audit of @net; until the next one, what we believe
 *        installed there is not known to be
 * @portid: the socket's netlink port id, which the kernel puts in the
 *          notifications of the changes we ask for: those are dropped as
 *          they arrive (their answers say how they went), unless
 *          @inexact. Written once, when the socket is bound, before any
 *          request; 0 until then, when nothing is dropped
 * @inexact: the request last sent may have deleted a route it did not
 *           name (vzr_route_msgs_inexact()): the notifications of our own
 *           changes are heard, as everyone's, and tell which. Written
 *           before each request is sent, under vzr_lock; the kernel
 *           notifies our changes while it handles the request, inside
 *           the send
 * @recv_due: the next read makes a receive call even with the queue
 *            empty (vzr_rtsock_read()). Set by the callbacks after an
 *            overrun and after each message the data_ready one drops;
 *            cleared under vzr_lock, just before a receive call
 *
 * The list, and all fields but @portid, @inexact and @recv_due, are under
 * vzr_lock. The socket's callbacks (vzr_rtsock_data_ready(),
 * vzr_rtsock_error_report()) run in any context, without it: they touch
 * the socket's own queue, read @portid and @inexact and set @recv_due
 * (READ_ONCE(), WRITE_ONCE(), through sk_user_data) and kick, nothing
 * else. They are never called once sock_release() has returned
 * (netlink takes the socket out of its tables first and waits for
 * broadcasts in flight), which is before the struct is freed, and nothing
 * else sends to a connected socket; a kick after the reconciler stopped
 * is a no-op (vzr_kick()).
 */
struct rtsock {
	struct list_head list;
	struct net *net;
	struct socket *sock;
	u32 seq;
	bool lost;
	u32 portid;
	bool inexact;
	bool recv_due;
};

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
 * @sent: vzr_rtsock_exchange() sent the request: an error after that is
 *        an answer lost, not a refusal, and the kernel may have done it
 */
struct replies {
	u32 seq;
	u32 n;
	bool (*answer)(struct replies *x, const struct nlmsghdr *nlh, u32 i,
		       int err);
	void *arg;
	bool done;
	bool lost;
	bool sent;
};

struct rtsock *vzr_rtsock_find(struct net *net);
struct rtsock *vzr_rtsock_get(struct net *net);
int vzr_rtsock_read(struct rtsock *rs, struct replies *x);
int vzr_rtsock_request(struct rtsock *rs, const void *msg, size_t len);
int vzr_rtsock_read_replies(struct rtsock *rs, struct replies *x);
int vzr_rtsock_exchange(struct rtsock *rs, const void *msg, size_t len,
			struct replies *x);
int vzr_rtsock_ask_dump(struct rtsock *rs, u16 type, const void *hdr,
			size_t hdrlen, struct replies *x);

void vzr_rtsock_data_ready(struct sock *sk);
void vzr_rtsock_error_report(struct sock *sk);
void vzr_rtsock_read_heard(struct rtsock *rs, int len, bool now);
void vzr_rtsock_kept_flush(void);
void vzr_rtsock_kept_forget(struct net *net);

#endif /* _VZR_RTSOCK_PRIV_H */
