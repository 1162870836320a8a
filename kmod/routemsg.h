/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_ROUTEMSG_H
#define _VZR_ROUTEMSG_H

#include <linux/string.h>
#include <linux/types.h>
#include <net/netlink.h>

#include "policy.h"

/**
 * struct vzr_route - one host route, as vzroute installs it
 * @dst: the container address (a /32 or /128)
 * @ifindex: host-side device
 * @proto: route protocol number
 * @metric: metric as the kernel keeps it (see vzr_effective_metric())
 * @table: routing table
 */
struct vzr_route {
	struct vzr_ip dst;
	int ifindex;
	u32 proto;
	u32 metric;
	u32 table;
};

/* Room for one route message with every attribute vzroute sends. */
#define VZR_ROUTE_MSG_MAX	128

/*
 * Whether a request of @len bytes of route messages may take one more: a
 * request of up to NLMSG_GOODSIZE fits one page with its skb's tail,
 * where netlink_sendmsg() would vmalloc(), map and free a larger one for
 * each send (rtsock.c hands ours to netlink_unicast() itself). 61 IPv4
 * changes, 3,660 bytes, where 64 took 3,840.
 */
static inline bool vzr_route_msg_room(size_t len)
{
	return len + VZR_ROUTE_MSG_MAX <= NLMSG_GOODSIZE;
}

/*
 * Start a request in @buf (@room bytes, zeroed): the netlink header, and
 * room for a family header of @hdrlen bytes after it. The route and
 * proxy-entry builders and the dumps share it. Return: the header.
 */
static inline struct nlmsghdr *vzr_msg_start(void *buf, size_t room,
					     size_t hdrlen, u16 type,
					     u16 flags, u32 seq)
{
	struct nlmsghdr *nlh = buf;

	memset(buf, 0, room);
	nlh->nlmsg_len = NLMSG_LENGTH(hdrlen);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	return nlh;
}

/*
 * Append attribute @type to the request @nlh being built, room checked by
 * the caller: the route and proxy-entry builders share it.
 */
static inline void vzr_msg_put_attr(struct nlmsghdr *nlh, u16 type,
				    const void *data, u16 len)
{
	struct nlattr *nla = (void *)nlh + NLMSG_ALIGN(nlh->nlmsg_len);

	nla->nla_type = type;
	nla->nla_len = nla_attr_size(len);
	memcpy(nla_data(nla), data, len);
	memset(nla_data(nla) + len, 0, nla_padlen(len));
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + nla_total_size(len);
}

bool vzr_route_equal(const struct vzr_route *x, const struct vzr_route *y);
int vzr_route_msg(void *buf, size_t size, const struct vzr_route *r,
		  u16 type, u16 flags, u32 seq);
int vzr_route_parse(const void *msg, size_t len, struct vzr_route *r);
bool vzr_route_msgs_inexact(const void *msg, size_t len);

#endif /* _VZR_ROUTEMSG_H */
