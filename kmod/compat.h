/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for differences between kernels. Core files call these
 * helpers and never test kernel versions.
 */
#ifndef _VZR_COMPAT_H
#define _VZR_COMPAT_H

#include <linux/inetdevice.h>
#include <linux/netlink.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

/* The namespace list is guarded by net_rwsem (4.17+), taken after RTNL. */
static inline void vzr_netns_list_lock(void)
{
	down_read(&net_rwsem);
}

static inline void vzr_netns_list_unlock(void)
{
	up_read(&net_rwsem);
}

static inline u32 vzr_net_inum(const struct net *net)
{
	return net->ns.inum;
}

/*
 * NL_SET_ERR_MSG_ATTR() wants a literal; our messages come from shared
 * checkers (static strings, also used for modprobe's errors).
 */
static inline void vzr_extack_set(struct netlink_ext_ack *extack,
				  const struct nlattr *nla, const char *msg)
{
	if (extack) {
		extack->_msg = msg;
		extack->bad_attr = nla;
	}
}

#define vzr_for_each_ifa_rtnl(ifa, in_dev) in_dev_for_each_ifa_rtnl(ifa, in_dev)

/* RHEL 7 needs register_netdevice_notifier_rh() for notifier info. */
#define vzr_register_netdevice_notifier register_netdevice_notifier
#define vzr_unregister_netdevice_notifier unregister_netdevice_notifier

#endif /* _VZR_COMPAT_H */
