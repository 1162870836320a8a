// SPDX-License-Identifier: GPL-2.0
/*
 * What the host namespaces' sockets hear: route deletions of a protocol of
 * ours, and replacements, sent to the route groups. The socket callbacks
 * keep only those and kick; the run reads them (vzr_rtsock_listen()) and
 * hands them to the sync, which corrects what it believes installed.
 */

#include <linux/bitmap.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/sock.h>

#include "neigh.h"
#include "netns.h"
#include "reconcile.h"
#include "rtsock.h"
#include "rtsock_priv.h"
#include "sync.h"

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
 * request or listen (vzr_rtsock_kept_flush()).
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
 * have been the one replaced; the kernel tells of no deletion then). Not
 * one of a change we asked for through this socket, @rs: its answer said
 * how it went, and hearing it would only cost a run after each of our
 * deletions; unless the request was inexact (struct rtsock). The kernel
 * fills nlmsg_pid of a notification with the port id of the socket whose
 * request made the change, so no one else's change can pass for ours.
 */
static bool wanted(const struct sk_buff *skb, const struct rtsock *rs)
{
	u32 portid = READ_ONCE(rs->portid);
	const struct nlmsghdr *nlh;
	const struct rtmsg *rtm;

	if (skb_headlen(skb) < NLMSG_HDRLEN)
		return false;
	nlh = nlmsg_hdr(skb);
	/* proxy_ndp (or forwarding) changed on a device: maybe an uplink. */
	if (nlh->nlmsg_type == RTM_NEWNETCONF) {
		vzr_neigh_netconf();
		return false;
	}
	if (skb_headlen(skb) < NLMSG_LENGTH(sizeof(*rtm)))
		return false;
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)) ||
	    nlh->nlmsg_len > skb_headlen(skb))
		return false;
	if (portid && nlh->nlmsg_pid == portid && !READ_ONCE(rs->inexact))
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
void vzr_rtsock_data_ready(struct sock *sk)
{
	struct rtsock *rs = sk->sk_user_data;
	struct sk_buff_head *q = &sk->sk_receive_queue;
	struct sk_buff *skb, *drop = NULL;
	unsigned long flags;
	bool kick = false;

	spin_lock_irqsave(&q->lock, flags);
	skb = skb_peek_tail(q);
	if (skb && NETLINK_CB(skb).dst_group) {
		if (wanted(skb, rs)) {
			kick = true;
		} else {
			__skb_unlink(skb, q);
			drop = skb;
			/*
			 * It may have been the last, on a congested socket.
			 * A full barrier here and one in vzr_rtsock_read(),
			 * between its clearing of the flag and its look at
			 * the queue: if that clearing overwrites this store,
			 * the look finds the message gone. The lock orders
			 * nothing for a look that does not take it, as
			 * netlink_rcv_wake()'s does not; nor would a release
			 * (a store that another overwrites needs full
			 * barriers on both sides).
			 */
			smp_mb();
			WRITE_ONCE(rs->recv_due, true);
		}
	}
	spin_unlock_irqrestore(&q->lock, flags);
	consume_skb(drop);
	if (kick)
		vzr_kick();
}

/*
 * A notification or an answer did not fit the queue: the next read
 * returns ENOBUFS, which makes the run audit. Any context.
 */
void vzr_rtsock_error_report(struct sock *sk)
{
	struct rtsock *rs = sk->sk_user_data;

	WRITE_ONCE(rs->recv_due, true);
	vzr_kick();
}

/* Hand the changes heard while reading answers to the sync. */
void vzr_rtsock_kept_flush(void)
{
	unsigned int i;

	for (i = 0; i < n_kept; i++)
		vzr_sync_heard(kept[i].net, &kept[i].r, kept[i].replaced);
	n_kept = 0;
}

/* Drop what was kept of @net, or everything (NULL). */
void vzr_rtsock_kept_forget(struct net *net)
{
	unsigned int i, n = 0;

	for (i = 0; i < n_kept; i++)
		if (net && !net_eq(kept[i].net, net))
			kept[n++] = kept[i];
	n_kept = n;
}

/*
 * A notification: the route changes in it are handed to the sync at once
 * when @now (nothing of ours is under way), else kept for vzr_rtsock_kept_flush().
 * nlmsg_ok() checks each message's length against what was read, and
 * vzr_route_parse() each attribute's, before a field is read.
 */
void vzr_rtsock_read_heard(struct rtsock *rs, int len, bool now)
{
	struct nlmsghdr *nlh;
	struct vzr_route r;
	bool replaced;

	for (nlh = vzr_rxbuf; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
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

/* Read what @rs heard, at most LISTEN_MAX datagrams. */
static void listen_one(struct rtsock *rs)
{
	unsigned int reads;
	int ret = 0;

	for (reads = 0; reads < LISTEN_MAX; reads++) {
		ret = vzr_rtsock_read(rs, NULL);
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
	vzr_rtsock_kept_flush();
	list_for_each_entry(rs, &vzr_rtsocks, list) {
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
	struct rtsock *rs = vzr_rtsock_find(net);

	lockdep_assert_held(&vzr_lock);
	vzr_rtsock_kept_flush();
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
	struct rtsock *rs = vzr_rtsock_find(net);

	lockdep_assert_held(&vzr_lock);
	if (rs)
		rs->lost = !ok;
}

