/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for differences between kernels. Core files call these
 * helpers and never test kernel versions. The HAVE_* macros come from
 * generated/vzr_autoconf.h, which conftest/conftest.sh writes by compiling
 * the probes of conftest/ against the target kernel's headers (see Kbuild):
 * distribution kernels backport, so version numbers would lie.
 */
#ifndef _VZR_COMPAT_H
#define _VZR_COMPAT_H

#include <linux/compiler.h>
#include <linux/fault-inject.h>
#include <linux/inetdevice.h>
#include <linux/ktime.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include <net/genetlink.h>
#include <net/if_inet6.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "vzr_autoconf.h"

#ifdef HAVE_NET_OWNER_VE
#include <linux/ve.h>
#endif

/*
 * The pseudo-keyword that marks a case running into the next (5.4).
 * Before it: the attribute itself where the compiler has it (gcc 7+),
 * else nothing, as such compilers do not warn about it either.
 */
#ifndef HAVE_FALLTHROUGH
#if defined(__has_attribute)
#if __has_attribute(__fallthrough__)
#define fallthrough __attribute__((__fallthrough__))
#endif
#endif
#ifndef fallthrough
#define fallthrough do {} while (0)
#endif
#endif

/* Wall-clock seconds: ktime_get_real_seconds() (3.17), get_seconds() before. */
static inline time64_t vzr_real_seconds(void)
{
#ifdef HAVE_KTIME_GET_REAL_SECONDS
	return ktime_get_real_seconds();
#else
	return get_seconds();
#endif
}

/*
 * The CTID of the OpenVZ container @net belongs to (vzkernel: its
 * owner_ve's ve_name), or NULL: the node's own namespaces, and every
 * namespace of other kernels. @net must be alive (the caller's
 * reference, or vzr_lock for a tracked one); its container outlives it.
 */
static inline const char *vzr_net_ctid(const struct net *net)
{
#ifdef HAVE_NET_OWNER_VE
	const struct ve_struct *ve = net->owner_ve;

	if (ve && !ve_is_super(ve))
		return ve->ve_name;
#endif
	return NULL;
}

/* Before 3.15 (and in 3.10-el7) it took the count of bytes too. */
#ifdef HAVE_SK_DATA_READY_SK
#define VZR_SK_DATA_READY(fn)
#define vzr_sk_data_ready(fn) (fn)
#else
#define VZR_SK_DATA_READY(fn) \
	static void fn##_bytes(struct sock *sk, int bytes) { fn(sk); }
#define vzr_sk_data_ready(fn) (fn##_bytes)
#endif

/*
 * The namespace list is guarded by net_rwsem (4.17+), taken after RTNL.
 * Before, RTNL (which the callers hold) was enough.
 */
static inline void vzr_netns_list_lock(void)
{
#ifdef HAVE_NET_RWSEM
	down_read(&net_rwsem);
#endif
}

static inline void vzr_netns_list_unlock(void)
{
#ifdef HAVE_NET_RWSEM
	up_read(&net_rwsem);
#endif
}

static inline u32 vzr_net_inum(const struct net *net)
{
#ifdef HAVE_NET_NS_INUM
	return net->ns.inum;
#else
	return net->proc_inum;
#endif
}

/* The extended ack of a request (4.12+), or NULL where there is none. */
static inline struct netlink_ext_ack *vzr_genl_extack(struct genl_info *info)
{
#ifdef HAVE_GENL_INFO_EXTACK
	return info->extack;
#else
	return NULL;
#endif
}

/*
 * NL_SET_ERR_MSG_ATTR() wants a literal; our messages come from shared
 * checkers (static strings, also used for modprobe's errors). Kernels with
 * formatted messages (6.2+) copy them; before, NL_SET_ERR_MSG() itself
 * did no more than point the ack at a static string, as this does.
 */
static inline void vzr_extack_set(struct netlink_ext_ack *extack,
				  const struct nlattr *nla, const char *msg)
{
#if defined(HAVE_NL_SET_ERR_MSG_FMT)
	NL_SET_ERR_MSG_FMT(extack, "%s", msg);
	NL_SET_BAD_ATTR(extack, nla);
#elif defined(HAVE_GENL_INFO_EXTACK)
	if (extack) {
		extack->_msg = msg;
		extack->bad_attr = nla;
	}
#endif
}

/* Binding and connecting a kernel socket: 6.19 (and 6.18.y) type the address. */
static inline int vzr_kernel_bind(struct socket *sock, void *addr, int len)
{
#ifdef HAVE_SOCKADDR_UNSIZED
	return kernel_bind(sock, (struct sockaddr_unsized *)addr, len);
#else
	return kernel_bind(sock, (struct sockaddr *)addr, len);
#endif
}

static inline int vzr_kernel_connect(struct socket *sock, void *addr, int len)
{
#ifdef HAVE_SOCKADDR_UNSIZED
	return kernel_connect(sock, (struct sockaddr_unsized *)addr, len, 0);
#else
	return kernel_connect(sock, (struct sockaddr *)addr, len, 0);
#endif
}

/*
 * A kernel socket's own address: 4.17 made kernel_getsockname() return its
 * length, where 3.10-el7 still takes a pointer to it. 0 or an error.
 */
static inline int vzr_kernel_getsockname(struct socket *sock, void *addr,
					 int len)
{
#ifdef HAVE_KERNEL_GETSOCKNAME_LEN
	int ret = kernel_getsockname(sock, addr);

	return ret < 0 ? ret : 0;
#else
	return kernel_getsockname(sock, addr, &len);
#endif
}

/* Before 4.14 (and in 3.10-el7) it wanted the family too. */
static inline void vzr_genl_dump_check_consistent(struct netlink_callback *cb,
						  void *hdr,
						  const struct genl_family *family)
{
#ifdef HAVE_GENL_DUMP_CHECK_CONSISTENT_2ARGS
	genl_dump_check_consistent(cb, hdr);
#else
	genl_dump_check_consistent(cb, hdr, (struct genl_family *)family);
#endif
}

/*
 * A u8 attribute of at most @max: checked by the kernel where it knows
 * NLA_POLICY_MAX (4.20, 4.18-el8), else by vzr_genl_validate().
 */
#ifdef HAVE_NLA_POLICY_MAX
#define VZR_POLICY_U8_MAX(max) NLA_POLICY_MAX(NLA_U8, max)
#else
#define VZR_POLICY_U8_MAX(max) { .type = NLA_U8 }
#endif

/**
 * vzr_genl_validate() - what strict validation and NLA_POLICY_MAX do
 * @info: a request, parsed by generic netlink with @pol
 * @pol: the family's policy
 * @maxattr: its highest attribute
 * @u8_max: for each attribute, the most a VZR_POLICY_U8_MAX() one may be
 *          (0: not such an attribute)
 *
 * Kernels without strict validation (before 5.2 and 4.18-el8) ignore an
 * attribute the policy does not describe, and those without
 * NLA_POLICY_MAX accept any value; this refuses them as the newer kernels
 * do, with their errors and, where the request has an extended ack, their
 * messages. Elsewhere the kernel has done it already, and this does
 * nothing.
 *
 * Return: 0, -EINVAL or -ERANGE.
 */
static inline int vzr_genl_validate(struct genl_info *info,
				    const struct nla_policy *pol, int maxattr,
				    const u8 *u8_max)
{
#ifndef HAVE_GENL_STRICT
	const struct nlattr *nla;
	int rem;

	nla_for_each_attr(nla, (void *)info->genlhdr + GENL_HDRLEN,
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(nla) == 0 || nla_type(nla) > maxattr) {
			vzr_extack_set(vzr_genl_extack(info), nla,
				       "Unknown attribute type");
			return -EINVAL;
		}
		if (pol[nla_type(nla)].type == NLA_UNSPEC) {
			vzr_extack_set(vzr_genl_extack(info), nla,
				       "Unsupported attribute");
			return -EINVAL;
		}
	}
#endif
#ifndef HAVE_NLA_POLICY_MAX
	{
		int i;

		for (i = 1; i <= maxattr; i++)
			if (u8_max[i] && info->attrs[i] &&
			    nla_get_u8(info->attrs[i]) > u8_max[i]) {
				vzr_extack_set(vzr_genl_extack(info),
					       info->attrs[i],
					       "integer out of range");
				return -ERANGE;
			}
	}
#endif
	return 0;
}

/*
 * One attribute policy for the whole family (5.2+, 4.18-el8), or else the
 * same policy on every operation (older kernels, 3.10-el7).
 */
#ifdef HAVE_GENL_FAMILY_POLICY
#define VZR_GENL_FAMILY_POLICY(pol) .policy = (pol),
#define VZR_GENL_OP_POLICY(pol)
#else
#define VZR_GENL_FAMILY_POLICY(pol)
#define VZR_GENL_OP_POLICY(pol) .policy = (pol),
#endif

#ifdef HAVE_IN_DEV_FOR_EACH_IFA_RTNL
#define vzr_for_each_ifa_rtnl(ifa, in_dev) in_dev_for_each_ifa_rtnl(ifa, in_dev)
#else
/*
 * Before 5.3 ifa_list is a plain pointer, stable under RTNL. A loop names
 * its cursor three times; as a variadic argument it escapes checkpatch's
 * MACRO_ARG_REUSE, which has no point here.
 */
#define vzr_for_each_ifa_rtnl(ifa, in_dev) vzr_ifa_loop(in_dev, ifa)
#define vzr_ifa_loop(in_dev, cur...) \
	for (cur = (in_dev)->ifa_list; cur; cur = (cur)->ifa_next)
#endif

/*
 * Whether @addr is on @dev itself (on any device of @net when @dev is
 * NULL), none of its @banned IFA_F_* flags set
 * (an optimistic address counts as not tentative unless IFA_F_OPTIMISTIC
 * is banned too): a lookup in the kernel's hash of IPv6 addresses. The
 * lookup that hands out the address itself, ipv6_get_ifaddr(), is not
 * exported.
 */
static inline bool vzr_ipv6_has_addr(struct net *net,
				     const struct in6_addr *addr,
				     const struct net_device *dev, u32 banned)
{
#ifdef HAVE_IPV6_CHK_ADDR_SKIP_DEV
	return ipv6_chk_addr_and_flags(net, addr, dev, false, 1, banned);
#else
	return ipv6_chk_addr_and_flags(net, addr, dev, 1, banned);
#endif
}

/*
 * fault_create_debugfs_attr() holds the attribute's directory, for its
 * messages, and leaves the reference to the caller; 6.12.y copies the
 * name instead.
 */
#ifdef VZR_FAULTS
static inline void vzr_fault_attr_release(struct fault_attr *attr)
{
#ifdef HAVE_FAULT_ATTR_DNAME_DENTRY
	dput(attr->dname);
	attr->dname = NULL;
#endif
}
#endif

/* The same loop under rcu_read_lock(), for readers that hold no RTNL. */
#ifdef HAVE_IN_DEV_FOR_EACH_IFA_RTNL
#define vzr_for_each_ifa_rcu(ifa, in_dev) in_dev_for_each_ifa_rcu(ifa, in_dev)
#else
#define vzr_for_each_ifa_rcu(ifa, in_dev) vzr_ifa_loop(in_dev, ifa)
#endif

/*
 * Proxy neighbour entries that keep a protocol tell ours from an admin's:
 * a reload adopts ours, the unload sweeps them. Without it only those
 * this load made are known to be ours.
 */
#ifdef HAVE_PNEIGH_PROTOCOL
#define VZR_PNEIGH_PROTOCOL	1
static_assert(NDA_PROTOCOL == 12, "VZR_NDA_PROTOCOL (neighmsg.h)");
#else
#define VZR_PNEIGH_PROTOCOL	0
#endif

/*
 * An unsolicited neighbour advertisement built in an skb (announce.c):
 * the checksum, the IPv6 header with hop limit 255, out through the
 * kernel's ndisc path where it is exported (4.19); before, and in RHEL 7
 * and 8 where it is static, straight to the device, to the all-nodes MAC.
 */
#ifdef HAVE_NDISC_SEND_SKB
#define vzr_ndisc_send_skb(skb, daddr, saddr) ndisc_send_skb(skb, daddr, saddr)
#else
static inline void vzr_ndisc_send_skb(struct sk_buff *skb,
				      const struct in6_addr *daddr,
				      const struct in6_addr *saddr)
{
	struct icmp6hdr *icmp6h = icmp6_hdr(skb);
	unsigned char mac[ETH_ALEN];
	int len = skb->len;
	struct ipv6hdr *hdr;

	icmp6h->icmp6_cksum = csum_ipv6_magic(saddr, daddr, len, IPPROTO_ICMPV6,
					      csum_partial(icmp6h, len, 0));
	skb_push(skb, sizeof(*hdr));
	skb_reset_network_header(skb);
	hdr = ipv6_hdr(skb);
	ip6_flow_hdr(hdr, 0, 0);
	hdr->payload_len = htons(len);
	hdr->nexthdr = IPPROTO_ICMPV6;
	hdr->hop_limit = 255;
	hdr->saddr = *saddr;
	hdr->daddr = *daddr;
	ipv6_eth_mc_map(daddr, mac);
	if (dev_hard_header(skb, skb->dev, ETH_P_IPV6, mac, NULL, skb->len) < 0) {
		kfree_skb(skb);
		return;
	}
	dev_queue_xmit(skb);
}
#endif

/*
 * RHEL 7 calls the callbacks of register_netdevice_notifier() with a bare
 * net_device; netdev_notifier_info needs the _rh variant there.
 */
#ifdef HAVE_REGISTER_NETDEVICE_NOTIFIER_RH
#define vzr_register_netdevice_notifier register_netdevice_notifier_rh
#define vzr_unregister_netdevice_notifier unregister_netdevice_notifier_rh
#else
#define vzr_register_netdevice_notifier register_netdevice_notifier
#define vzr_unregister_netdevice_notifier unregister_netdevice_notifier
#endif

#endif /* _VZR_COMPAT_H */
