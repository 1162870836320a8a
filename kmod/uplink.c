// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the uplinks of a host namespace: under rcu_read_lock() only, so
 * that the reconciler's run reads them without RTNL, and a copy comes out
 * (struct vzr_uplinks) on which the choice of uplinks for an address is a
 * pure function (uplinkpick.c).
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <net/addrconf.h>
#include <net/if_inet6.h>
#include <net/ipv6.h>

#include "compat.h"
#include "uplink.h"

/**
 * vzr_uplink_prefix4() - does @ifa give its device a connected prefix?
 * @ifa: an IPv4 address
 *
 * A global address with a prefix route: only such addresses of a device
 * count in what vzr_uplinks_read() keeps of it.
 *
 * Return: true when it does.
 */
bool vzr_uplink_prefix4(const struct in_ifaddr *ifa)
{
	return ifa->ifa_scope == RT_SCOPE_UNIVERSE && ifa->ifa_prefixlen < 32 &&
	       !(ifa->ifa_flags & IFA_F_NOPREFIXROUTE);
}

/* Likewise for an IPv6 address. */
bool vzr_uplink_prefix6(const struct inet6_ifaddr *ifp)
{
	return !(ifp->scope & (IFA_HOST | IFA_LINK | IFA_SITE)) &&
	       ifp->prefix_len < 128 && !(ifp->flags & IFA_F_NOPREFIXROUTE);
}

static void read_inet(struct vzr_uplink *u, struct net_device *dev)
{
	struct in_device *in_dev = __in_dev_get_rcu(dev);
	struct in_ifaddr *ifa;
	struct vzr_ip ip;

	if (!in_dev)
		return;
	vzr_for_each_ifa_rcu(ifa, in_dev) {
		if (!vzr_uplink_prefix4(ifa))
			continue;
		vzr_ip_set4(&ip, ifa->ifa_local);
		if (!vzr_uplink_add_prefix(u, &ip, ifa->ifa_prefixlen))
			return;
	}
}

/* Likewise for IPv6 (idev->lock is a BH rwlock: no sleeping here). */
static void read_inet6(struct vzr_uplink *u, struct net_device *dev)
{
	struct inet6_dev *idev = __in6_dev_get(dev);
	struct inet6_ifaddr *ifp;
	struct vzr_ip ip;

	if (!idev)
		return;
	u->proxy_ndp = READ_ONCE(idev->cnf.proxy_ndp) ||
		       READ_ONCE(dev_net(dev)->ipv6.devconf_all->proxy_ndp);
	read_lock_bh(&idev->lock);
	list_for_each_entry(ifp, &idev->addr_list, if_list) {
		if (!vzr_uplink_prefix6(ifp))
			continue;
		vzr_ip_set6(&ip, &ifp->addr);
		if (!vzr_uplink_add_prefix(u, &ip, ifp->prefix_len))
			break;
	}
	read_unlock_bh(&idev->lock);
}

static bool eligible(struct net_device *dev)
{
	return !(dev->flags & (IFF_LOOPBACK | IFF_NOARP | IFF_SLAVE)) &&
	       !netdev_master_upper_dev_get_rcu(dev);
}

/**
 * vzr_uplinks_read() - the uplinks of @net that neigh_devs names
 * @v: filled; zeroed first
 * @net: host namespace, kept alive by the caller (vzr_lock)
 * @devs: neigh_devs; empty gives no uplink
 *
 * Only Ethernet devices (a gratuitous ARP and a neighbour advertisement
 * carry a MAC address) with a connected prefix are kept, at most
 * VZR_UPLINKS_MAX. Takes rcu_read_lock(), nothing else: callable with
 * vzr_lock held, never RTNL.
 */
void vzr_uplinks_read(struct vzr_uplinks *v, struct net *net,
		      const char *devs)
{
	struct net_device *dev;
	struct vzr_uplink *u;
	bool up;

	memset(v, 0, sizeof(*v));
	v->net = net;
	if (!devs[0])
		return;
	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (v->n == VZR_UPLINKS_MAX)
			break;
		up = (dev->flags & IFF_UP) && dev->type == ARPHRD_ETHER &&
		     dev->addr_len == ETH_ALEN;
		if (!vzr_uplink_named(devs, up, eligible(dev), dev->name))
			continue;
		u = &v->u[v->n];
		u->ifindex = dev->ifindex;
		strscpy(u->name, dev->name, sizeof(u->name));
		read_inet(u, dev);
		read_inet6(u, dev);
		if (u->n_pfx)
			v->n++;
		else
			memset(u, 0, sizeof(*u));
	}
	rcu_read_unlock();
}
