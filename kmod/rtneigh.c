// SPDX-License-Identifier: GPL-2.0
/*
 * Proxy neighbour entries changed and read the way "ip neigh" does it:
 * requests on a host namespace's rtnetlink socket (rtsock.c), the one
 * routes go through. Under vzr_lock, from the reconciler's work item,
 * without RTNL, which rtnetlink takes itself.
 */

#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "netns.h"
#include "rtneigh.h"
#include "rtsock.h"
#include "rtsock_priv.h"

/**
 * struct ask - one request about one proxy entry
 * @err: its result
 * @proto: the entry's protocol, from the answer to a get
 */
struct ask {
	int err;
	u8 proto;
};

static bool ask_answer(struct replies *x, const struct nlmsghdr *nlh, u32 i,
		       int err)
{
	struct ask *a = x->arg;
	struct vzr_nkey k;

	switch (nlh->nlmsg_type) {
	case NLMSG_ERROR:
		a->err = err;
		return true;
	case RTM_NEWNEIGH:
		/* A get's answer; NLMSG_ERROR does not follow (no ACK asked). */
		a->err = vzr_neigh_parse(nlh, nlh->nlmsg_len, &k, &a->proto);
		/*
		 * A proxy entry of no device answers for every uplink: an
		 * admin's, never ours (we always name the uplink). Found, and
		 * nobody's protocol, so that it is left alone.
		 */
		if (a->err == -ENOENT && nlmsg_len(nlh) >= (int)sizeof(struct ndmsg) &&
		    (((struct ndmsg *)nlmsg_data(nlh))->ndm_flags & NTF_PROXY) &&
		    !((struct ndmsg *)nlmsg_data(nlh))->ndm_ifindex) {
			a->err = 0;
			a->proto = 0;
		}
		return true;
	}
	return false;
}

/*
 * Send one request and read its answer; @unanswered, if given, tells an
 * error that came after the request went to the kernel (its answer lost)
 * from one that came before or from the kernel.
 */
static int ask(struct net *net, const struct vzr_nkey *k, u16 type,
	       u16 flags, u8 proto, u8 *got, bool *unanswered)
{
	u8 msg[VZR_NEIGH_MSG_MAX];
	struct ask a = {};
	struct replies x = { .n = 1, .answer = ask_answer, .arg = &a };
	struct rtsock *rs;
	int len, err;

	lockdep_assert_held(&vzr_lock);
	if (unanswered)
		*unanswered = false;
	rs = vzr_rtsock_get(net);
	if (IS_ERR(rs))
		return PTR_ERR(rs);
	x.seq = ++rs->seq;
	len = vzr_neigh_msg(msg, sizeof(msg), k, type, flags, x.seq, proto);
	if (len < 0)
		return len;
	err = vzr_rtsock_exchange(rs, msg, len, &x);
	if (!err && got)
		*got = a.proto;
	if (unanswered)
		*unanswered = err && x.sent;
	return err ?: a.err;
}

/* Ask for a dump of the proxy entries, read it through @x. */
static int dump(struct net *net, struct replies *x)
{
	/* Exactly NTF_PROXY: the kernel dumps the proxy tables. */
	struct ndmsg ndm = { .ndm_family = AF_UNSPEC, .ndm_flags = NTF_PROXY };
	struct rtsock *rs;

	lockdep_assert_held(&vzr_lock);
	rs = vzr_rtsock_get(net);
	if (IS_ERR(rs))
		return PTR_ERR(rs);
	return vzr_rtsock_ask_dump(rs, RTM_GETNEIGH, &ndm, sizeof(ndm), x);
}

/*
 * Whether this kernel has no single RTM_GETNEIGH (RHEL 7's 3.10 has only
 * the dump): learnt from the first get's EOPNOTSUPP. Under vzr_lock.
 */
static bool no_single_get;

/**
 * struct find - a get's answer, read out of a dump
 * @k: the entry looked for
 * @a: what a get would have said
 */
struct find {
	const struct vzr_nkey *k;
	struct ask a;
};

static bool find_answer(struct replies *x, const struct nlmsghdr *nlh,
			u32 i, int err)
{
	struct find *f = x->arg;
	struct vzr_nkey k = {};
	u8 proto = 0;
	int e;

	switch (nlh->nlmsg_type) {
	case NLMSG_DONE:
		return true;
	case NLMSG_ERROR:
		f->a.err = err ?: -EIO;
		return true;
	case RTM_NEWNEIGH:
		e = vzr_neigh_parse(nlh, nlh->nlmsg_len, &k, &proto);
		if (vzr_neigh_answers(&k, e, f->k)) {
			f->a.err = 0;
			/* One of no device is an admin's (see ask_answer()). */
			f->a.proto = e ? 0 : proto;
		}
		break;
	}
	return false;
}

static int get_by_dump(struct net *net, const struct vzr_nkey *k, u8 *proto)
{
	struct find f = { .k = k, .a = { .err = -ENOENT } };
	struct replies x = { .n = 1, .answer = find_answer, .arg = &f };
	int err = dump(net, &x);

	if (err)
		return err;
	if (!f.a.err)
		*proto = f.a.proto;
	return f.a.err;
}

/**
 * vzr_rtneigh_get() - is there a proxy entry for @k, and whose?
 * @net: host namespace
 * @k: the entry
 * @proto: receives its protocol (0 when it has none)
 *
 * Return: 0 when there is one, -ENOENT when there is none, -ENODEV when
 * the uplink is gone, or another -errno.
 */
int vzr_rtneigh_get(struct net *net, const struct vzr_nkey *k, u8 *proto)
{
	int err;

	lockdep_assert_held(&vzr_lock);
	if (no_single_get)
		return get_by_dump(net, k, proto);
	err = ask(net, k, RTM_GETNEIGH, 0, 0, proto, NULL);
	if (err != -EOPNOTSUPP)
		return err;
	no_single_get = true;
	pr_info("this kernel answers no single RTM_GETNEIGH: proxy entries are looked up in dumps\n");
	return get_by_dump(net, k, proto);
}

/**
 * vzr_rtneigh_add() - add a proxy entry
 * @net: host namespace
 * @k: the entry
 * @proto: its protocol, where the kernel keeps one
 * @unanswered: set when the request went to the kernel and its answer was
 *              lost (an error then): the entry may have been made
 *
 * The kernel takes NLM_F_EXCL as no refusal for proxy entries: it
 * overwrites one that is there. Callers look first (vzr_rtneigh_get()),
 * so that only an entry added between the two is overwritten, and then
 * only its flags and protocol.
 *
 * Return: 0 or -errno.
 */
int vzr_rtneigh_add(struct net *net, const struct vzr_nkey *k, u8 proto,
		    bool *unanswered)
{
	return ask(net, k, RTM_NEWNEIGH,
		   NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, proto, NULL,
		   unanswered);
}

/**
 * vzr_rtneigh_del() - delete a proxy entry
 * @net: host namespace
 * @k: the entry, whoever made it: callers check that it is ours
 *
 * Return: 0, -ENOENT when it was gone, or another -errno.
 */
int vzr_rtneigh_del(struct net *net, const struct vzr_nkey *k)
{
	return ask(net, k, RTM_DELNEIGH, NLM_F_ACK, 0, NULL, NULL);
}

/**
 * struct ndump - one dump of the proxy entries
 * @net: their namespace
 * @cb: told of each
 * @arg: for @cb
 * @err: the dump's error, from its NLMSG_ERROR
 */
struct ndump {
	struct net *net;
	vzr_rtneigh_dump_cb cb;
	void *arg;
	int err;
};

static bool dump_answer(struct replies *x, const struct nlmsghdr *nlh,
			u32 i, int err)
{
	struct ndump *d = x->arg;
	struct vzr_nkey k;
	u8 proto;

	switch (nlh->nlmsg_type) {
	case NLMSG_DONE:
		return true;
	case NLMSG_ERROR:
		d->err = err ?: -EIO;
		return true;
	case RTM_NEWNEIGH:
		if (!vzr_neigh_parse(nlh, nlh->nlmsg_len, &k, &proto))
			d->cb(d->net, &k, proto, d->arg);
		break;
	}
	return false;
}

/**
 * vzr_rtneigh_dump() - call @cb for every proxy entry of @net
 * @net: host namespace
 * @cb: called for each entry, IPv4 and IPv6
 * @arg: for @cb
 *
 * Return: 0 or -errno.
 */
int vzr_rtneigh_dump(struct net *net, vzr_rtneigh_dump_cb cb, void *arg)
{
	struct ndump d = { .net = net, .cb = cb, .arg = arg };
	struct replies x = { .n = 1, .answer = dump_answer, .arg = &d };
	int err = dump(net, &x);

	return err ?: d.err;
}
