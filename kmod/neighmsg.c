// SPDX-License-Identifier: GPL-2.0
/*
 * Building and reading rtnetlink messages about proxy neighbour entries
 * (NTF_PROXY: "ip neigh add proxy ADDR dev UPLINK"). Pure: a buffer in,
 * a buffer out, so that the exact fields can be unit-tested.
 */

#include <linux/errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "neighmsg.h"
#include "routemsg.h"

/**
 * vzr_neigh_msg() - build an RTM_NEWNEIGH, RTM_DELNEIGH or RTM_GETNEIGH
 * request for one proxy entry
 * @buf: where to build it
 * @size: room in @buf, at least VZR_NEIGH_MSG_MAX
 * @k: the entry
 * @type: RTM_NEWNEIGH, RTM_DELNEIGH or RTM_GETNEIGH
 * @flags: netlink flags (NLM_F_REQUEST is always set)
 * @seq: sequence number that the answer will carry
 * @proto: NDA_PROTOCOL of an RTM_NEWNEIGH, 0 for none (kernels that keep
 *         no protocol on proxy entries refuse none, but keep none either)
 *
 * A get carries nothing but the key: the kernel refuses anything more
 * (a state, a type, another flag) from a strict socket.
 *
 * Return: the message length, or -EMSGSIZE.
 */
int vzr_neigh_msg(void *buf, size_t size, const struct vzr_nkey *k,
		  u16 type, u16 flags, u32 seq, u8 proto)
{
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;

	if (size < VZR_NEIGH_MSG_MAX)
		return -EMSGSIZE;
	nlh = vzr_msg_start(buf, VZR_NEIGH_MSG_MAX, sizeof(*ndm), type, flags,
			    seq);
	ndm = nlmsg_data(nlh);
	ndm->ndm_family = k->ip.family;
	ndm->ndm_ifindex = k->ifindex;
	ndm->ndm_flags = NTF_PROXY;
	if (type == RTM_NEWNEIGH)
		ndm->ndm_state = NUD_PERMANENT;	/* as "ip neigh add" */
	vzr_msg_put_attr(nlh, NDA_DST, &k->ip.a, k->ip.family == AF_INET ? 4 : 16);
	if (type == RTM_NEWNEIGH && proto)
		vzr_msg_put_attr(nlh, VZR_NDA_PROTOCOL, &proto, sizeof(proto));
	return nlh->nlmsg_len;
}

/**
 * vzr_neigh_answers() - would the kernel's own lookup of @want find @got?
 * @got: an entry read by vzr_neigh_parse(), zeroed before
 * @parse_err: what vzr_neigh_parse() returned for it
 * @want: the entry looked for
 *
 * The kernel's proxy lookup takes an entry of the address on the device,
 * or of the address on no device (which answers on every device, and
 * which vzr_neigh_parse() reports as -ENOENT with a zero ifindex).
 */
bool vzr_neigh_answers(const struct vzr_nkey *got, int parse_err,
		       const struct vzr_nkey *want)
{
	if (parse_err && (parse_err != -ENOENT || got->ifindex ||
			  !got->ip.family))
		return false;
	return vzr_ip_equal(&got->ip, &want->ip) &&
	       (!got->ifindex || got->ifindex == want->ifindex);
}

/**
 * vzr_neigh_parse() - read a proxy entry out of an RTM_NEWNEIGH message
 * @msg: the message, header included
 * @len: bytes available at @msg
 * @k: the entry found
 * @proto: its NDA_PROTOCOL, 0 when it has none
 *
 * Return: 0, -ENOENT when it is no IPv4 or IPv6 proxy entry, -EINVAL
 * when the message is malformed.
 */
int vzr_neigh_parse(const void *msg, size_t len, struct vzr_nkey *k,
		    u8 *proto)
{
	const struct nlmsghdr *nlh = msg;
	const struct ndmsg *ndm;
	const struct nlattr *nla;
	bool have_dst = false;
	int rem;

	if (len < NLMSG_LENGTH(sizeof(*ndm)) || nlh->nlmsg_len > len ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ndm)))
		return -EINVAL;
	ndm = nlmsg_data(nlh);
	if (nlh->nlmsg_type != RTM_NEWNEIGH || !(ndm->ndm_flags & NTF_PROXY) ||
	    (ndm->ndm_family != AF_INET && ndm->ndm_family != AF_INET6))
		return -ENOENT;
	memset(k, 0, sizeof(*k));
	k->ip.family = ndm->ndm_family;
	k->ifindex = ndm->ndm_ifindex;
	*proto = 0;
	nla_for_each_attr(nla, nlmsg_attrdata(nlh, sizeof(*ndm)),
			  nlmsg_attrlen(nlh, sizeof(*ndm)), rem) {
		if (nla_type(nla) == NDA_DST) {
			if (nla_len(nla) != (k->ip.family == AF_INET ? 4 : 16))
				return -EINVAL;
			memcpy(&k->ip.a, nla_data(nla), nla_len(nla));
			have_dst = true;
		} else if (nla_type(nla) == VZR_NDA_PROTOCOL) {
			if (nla_len(nla) != sizeof(u8))
				return -EINVAL;
			*proto = nla_get_u8(nla);
		}
	}
	return have_dst && k->ifindex ? 0 : -ENOENT;
}
