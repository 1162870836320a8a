// SPDX-License-Identifier: GPL-2.0
/*
 * Building and reading rtnetlink route messages. Pure: a buffer in, a
 * buffer out, so that the exact fields can be unit-tested.
 */

#include <linux/errno.h>
#include <linux/rtnetlink.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "routemsg.h"

bool vzr_route_equal(const struct vzr_route *x, const struct vzr_route *y)
{
	return vzr_ip_equal(&x->dst, &y->dst) && x->ifindex == y->ifindex &&
	       x->proto == y->proto && x->metric == y->metric &&
	       x->table == y->table;
}

/**
 * vzr_route_msg() - build an RTM_NEWROUTE or RTM_DELROUTE request
 * @buf: where to build it
 * @size: room in @buf, at least VZR_ROUTE_MSG_MAX
 * @r: the route
 * @type: RTM_NEWROUTE or RTM_DELROUTE
 * @flags: netlink flags (NLM_F_REQUEST is always set)
 * @seq: sequence number that the answer will carry
 *
 * Deletes name the protocol, device, metric and table, so that the kernel
 * removes our route and never a foreign one for the same prefix (but a
 * metric of 0 matches any: vzr_route_msgs_inexact()). IPv4 adds use link
 * scope, as "ip route add ADDR dev DEV" does.
 *
 * Return: the message length, or -EMSGSIZE.
 */
int vzr_route_msg(void *buf, size_t size, const struct vzr_route *r,
		  u16 type, u16 flags, u32 seq)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	u32 oif = r->ifindex;
	bool v4 = r->dst.family == AF_INET;

	if (size < VZR_ROUTE_MSG_MAX)
		return -EMSGSIZE;
	nlh = vzr_msg_start(buf, VZR_ROUTE_MSG_MAX, sizeof(*rtm), type, flags,
			    seq);
	rtm = nlmsg_data(nlh);
	rtm->rtm_family = r->dst.family;
	rtm->rtm_dst_len = vzr_ip_maxlen(&r->dst);
	rtm->rtm_table = r->table < 256 ? r->table : RT_TABLE_COMPAT;
	rtm->rtm_protocol = r->proto;
	rtm->rtm_type = RTN_UNICAST;
	if (type == RTM_DELROUTE)
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
	else
		rtm->rtm_scope = v4 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;

	vzr_msg_put_attr(nlh, RTA_DST, &r->dst.a, v4 ? 4 : 16);
	vzr_msg_put_attr(nlh, RTA_OIF, &oif, sizeof(oif));
	vzr_msg_put_attr(nlh, RTA_PRIORITY, &r->metric, sizeof(r->metric));
	vzr_msg_put_attr(nlh, RTA_TABLE, &r->table, sizeof(r->table));
	return nlh->nlmsg_len;
}

/**
 * vzr_route_parse() - read a host route out of an RTM_NEWROUTE message
 * @msg: the message, header included
 * @len: bytes available at @msg
 * @r: the route found
 *
 * Only single-path unicast host routes (/32, /128) with an output device
 * can be ours; everything else is reported as -ENOENT.
 *
 * Return: 0, -ENOENT when the route cannot be one of ours, -EINVAL when
 * the message is malformed.
 */
int vzr_route_parse(const void *msg, size_t len, struct vzr_route *r)
{
	const struct nlmsghdr *nlh = msg;
	const struct rtmsg *rtm;
	const struct nlattr *nla;
	bool have_dst = false;
	u32 oif = 0;
	int rem;

	if (len < NLMSG_LENGTH(sizeof(*rtm)) || nlh->nlmsg_len > len ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
		return -EINVAL;
	rtm = nlmsg_data(nlh);
	if (rtm->rtm_type != RTN_UNICAST ||
	    (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6))
		return -ENOENT;

	memset(r, 0, sizeof(*r));
	r->dst.family = rtm->rtm_family;
	if (rtm->rtm_dst_len != vzr_ip_maxlen(&r->dst))
		return -ENOENT;
	r->proto = rtm->rtm_protocol;
	r->table = rtm->rtm_table;

	nla_for_each_attr(nla, nlmsg_attrdata(nlh, sizeof(*rtm)),
			  nlmsg_attrlen(nlh, sizeof(*rtm)), rem) {
		u32 *field = NULL;

		switch (nla_type(nla)) {
		case RTA_DST:
			if (nla_len(nla) != (r->dst.family == AF_INET ? 4 : 16))
				return -EINVAL;
			memcpy(&r->dst.a, nla_data(nla), nla_len(nla));
			have_dst = true;
			break;
		case RTA_OIF:
			field = &oif;
			break;
		case RTA_PRIORITY:
			field = &r->metric;
			break;
		case RTA_TABLE:
			field = &r->table;
			break;
		case RTA_MULTIPATH:
		case RTA_GATEWAY:
		case RTA_VIA:
			return -ENOENT;
		}
		if (field && nla_len(nla) != sizeof(u32))
			return -EINVAL;
		if (field)
			*field = nla_get_u32(nla);
	}
	r->ifindex = oif;
	if (!have_dst || !r->ifindex)
		return -ENOENT;
	return 0;
}

/**
 * vzr_route_msgs_inexact() - may these requests delete a route not named?
 * @msg: the requests, back to back
 * @len: their length
 *
 * The kernel compares a route's metric only when the delete gives one
 * other than 0: a delete of our metric-0 route, should that be gone
 * already, removes another of ours to the prefix (same device, table and
 * protocol, another metric), and only its notification says which. (IPv6
 * keeps no metric of 0, vzr_effective_metric(): only IPv4 sends such
 * deletes.)
 *
 * Return: true when one of them is such a delete, or cannot be read.
 */
bool vzr_route_msgs_inexact(const void *msg, size_t len)
{
	const struct nlmsghdr *nlh = msg;
	struct vzr_route r;
	int rem = len;

	for (; nlmsg_ok(nlh, rem); nlh = nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_type != RTM_DELROUTE)
			continue;
		if (vzr_route_parse(nlh, rem, &r))
			return true;
		if (!r.metric)
			return true;
	}
	return false;
}
