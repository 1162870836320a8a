// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel events in, notes and kicks out. The notifiers run under RTNL or,
 * for IPv6 addresses, in atomic context; they note which devices changed
 * and which lost their routes, and leave all the work to the reconciler,
 * which then looks at those devices only.
 */

#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/notifier.h>
#include <net/addrconf.h>

#include "backend.h"
#include "compat.h"
#include "neigh.h"
#include "note.h"
#include "reconcile.h"
#include "uplink.h"
#include "watch.h"

/* Kernel events seen, for the counters. */
atomic64_t vzr_events = ATOMIC64_INIT(0);

/* An event on @dev: look at it, and at the device it pairs with. */
static void note_dev(struct net_device *dev)
{
	struct net_device *peer;

	if (vzr_backend_affects_all(dev)) {
		vzr_note_all();
		return;
	}
	vzr_note_dev(dev_net(dev), dev->ifindex, NULL);
	peer = vzr_backend_peer(dev);
	if (peer)
		vzr_note_dev(dev_net(peer), peer->ifindex, NULL);
}

static int netdev_event(struct notifier_block *nb, unsigned long event,
			void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	const struct netdev_notifier_change_info *change = ptr;

	/*
	 * A change of carrier or operating state alone: flags_changed is 0,
	 * as netdev_state_change() sends it (arp, ndisc and addrconf read
	 * the field alike). Nothing vzroute reads of a device. A container
	 * flaps it as often as it likes by setting its own end down and up:
	 * on its host side, a device of the node, and on a bridge of the
	 * node whose last running port is its host side, which would cost a
	 * look at every device (note_dev()) and at the uplinks.
	 */
	if (event == NETDEV_CHANGE && !change->flags_changed) {
		atomic64_inc(&vzr_events);
		return NOTIFY_DONE;
	}
	/* Whether it may be an uplink, and be one, can change with these. */
	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
	case NETDEV_CHANGENAME:
	case NETDEV_CHANGEUPPER:
	case NETDEV_CHANGEADDR:
	case NETDEV_UNREGISTER:
		vzr_neigh_dev_event(dev);
		break;
	}
	switch (event) {
	case NETDEV_CHANGEMTU:
		/*
		 * Below IPv6's minimum MTU addrconf stops IPv6 on the device
		 * and deletes its IPv6 routes; they can come back only once
		 * the MTU does, which is no event of the container device.
		 */
		if (dev->mtu >= IPV6_MIN_MTU || !vzr_node_net(dev_net(dev)))
			break;
		atomic64_inc(&vzr_events);
		vzr_note_flush(dev, AF_INET6);
		vzr_kick();
		break;
	case NETDEV_DOWN:
	case NETDEV_UNREGISTER:
		/* Routes through a device go with it, silently. */
		vzr_note_flush(dev, AF_UNSPEC);
		fallthrough;
	case NETDEV_REGISTER:
	case NETDEV_UP:
	case NETDEV_CHANGE:
	case NETDEV_CHANGENAME:
	case NETDEV_CHANGEUPPER:
		atomic64_inc(&vzr_events);
		if (!vzr_event_matters(dev))
			break;
		note_dev(dev);
		vzr_kick();
		break;
	}
	return NOTIFY_DONE;
}

/*
 * An address of @dev came or went. A removal's run only deletes a route,
 * and is queued as unbound work, normally beside the remover
 * (vzr_kick_removal()). Any context.
 *
 * An address that never gets a route is no container's, and the node
 * having it makes no container's address local, unless it is on a
 * loopback device, where the kernel takes its whole prefix as local: only
 * a flush it caused (@flushed) wants a run. Noted, a host side's would
 * cost a look at every container address the node routes, under RTNL,
 * each time a container starts or stops (the fe80:: of its host side,
 * often 169.254.0.1 too).
 */
static void note_addr(struct net_device *dev, const struct vzr_ip *ip,
		      unsigned long event, bool flushed)
{
	if (vzr_ip_qualifies(ip) || (dev->flags & IFF_LOOPBACK))
		vzr_note_dev(dev_net(dev), dev->ifindex, ip);
	else if (!flushed)
		return;
	if (event == NETDEV_DOWN)
		vzr_kick_removal();
	else
		vzr_kick();
}

/*
 * An IPv4 address added to a container device: what a run would read of
 * the device under RTNL, read here while the notifier holds it, so that
 * the run needs no RTNL for it (scan.c). Not for a backend with its own
 * list of addresses: that list, and the settings its host side may read,
 * are under vzr_lock, which a notifier may not take (a run holds it while
 * it takes RTNL).
 */
static bool added_facts(struct net_device *dev, struct vzr_facts *f)
{
	const struct vzr_backend *be;
	struct net_device *hdev;

	if (!vzr_backend_admits_all(dev))
		return false;
	hdev = vzr_host_side(dev, &be);
	if (!hdev)
		return false;
	f->hnet = dev_net(hdev);
	f->hifindex = hdev->ifindex;
	f->active = (dev->flags & IFF_UP) && (hdev->flags & IFF_UP);
	return true;
}

static int inetaddr_event(struct notifier_block *nb, unsigned long event,
			  void *ptr)
{
	struct vzr_facts facts;
	struct in_ifaddr *ifa = ptr;
	struct in_device *in_dev = ifa->ifa_dev;
	bool flushed = false;
	struct vzr_ip ip;

	/*
	 * Removing a device's last IPv4 address makes the kernel flush the
	 * IPv4 routes through it, and those only.
	 */
	if (event == NETDEV_DOWN && in_dev &&
	    !rtnl_dereference(in_dev->ifa_list)) {
		vzr_note_flush(in_dev->dev, AF_INET);
		flushed = vzr_node_net(dev_net(in_dev->dev));
	}
	atomic64_inc(&vzr_events);
	/* An uplink's prefixes: other addresses are none of an uplink's. */
	if (in_dev && vzr_uplink_prefix4(ifa))
		vzr_neigh_dev_event(in_dev->dev);
	if (!in_dev || !vzr_event_matters(in_dev->dev))
		return NOTIFY_DONE;
	vzr_ip_set4(&ip, ifa->ifa_local);
	/*
	 * Not a removal: another address of the device may have the same
	 * local address (another prefix length), which only a look at the
	 * whole list tells.
	 */
	if (event == NETDEV_UP && vzr_ip_qualifies(&ip) &&
	    added_facts(in_dev->dev, &facts)) {
		vzr_note_added(dev_net(in_dev->dev), in_dev->dev->ifindex, &ip,
			       &facts);
		vzr_kick();
		return NOTIFY_DONE;
	}
	note_addr(in_dev->dev, &ip, event, flushed);
	return NOTIFY_DONE;
}

/* Atomic context: must not sleep. */
static int inet6addr_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct inet6_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->idev->dev;
	bool flushed = false;
	struct vzr_ip ip;

	/*
	 * disable_ipv6=1 (set by hand, or by DAD failing with accept_dad=2)
	 * calls addrconf directly, without a netdevice event: it deletes
	 * the device's IPv6 routes and addresses, and the addresses going
	 * is all there is to see. A device without any IPv6 address says
	 * nothing at all; the route listener (rtsock.c) covers that one.
	 */
	if (event == NETDEV_DOWN && READ_ONCE(ifa->idev->cnf.disable_ipv6)) {
		vzr_note_flush(dev, AF_INET6);
		flushed = vzr_node_net(dev_net(dev));
	}
	atomic64_inc(&vzr_events);
	/* As for IPv4 (a link-local address is none of an uplink's). */
	if (vzr_uplink_prefix6(ifa))
		vzr_neigh_dev_event(dev);	/* a flag and a kick */
	if (!vzr_event_may_matter(dev))
		return NOTIFY_DONE;
	vzr_ip_set6(&ip, &ifa->addr);
	note_addr(dev, &ip, event, flushed);
	return NOTIFY_DONE;
}

static struct notifier_block netdev_nb = { .notifier_call = netdev_event };
static struct notifier_block inetaddr_nb = { .notifier_call = inetaddr_event };
static struct notifier_block inet6addr_nb = { .notifier_call = inet6addr_event };

int vzr_watch_init(void)
{
	int err;

	err = register_inetaddr_notifier(&inetaddr_nb);
	if (err)
		return err;
	err = register_inet6addr_notifier(&inet6addr_nb);
	if (err)
		goto err_inet6;
	/* Replays REGISTER and UP for every existing device. */
	err = vzr_register_netdevice_notifier(&netdev_nb);
	if (err)
		goto err_netdev;
	return 0;

err_netdev:
	unregister_inet6addr_notifier(&inet6addr_nb);
err_inet6:
	unregister_inetaddr_notifier(&inetaddr_nb);
	return err;
}

/*
 * The reconciler must be stopped first: unregistering replays DOWN and
 * UNREGISTER for every device, which a run would take for real flushes.
 */
void vzr_watch_uninit(void)
{
	vzr_unregister_netdevice_notifier(&netdev_nb);
	unregister_inet6addr_notifier(&inet6addr_nb);
	unregister_inetaddr_notifier(&inetaddr_nb);
}
