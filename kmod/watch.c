// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel events in, kicks out. The notifiers run under RTNL or, for IPv6
 * addresses, in atomic context; they record which devices changed and
 * which lost their routes, and leave all the work to the reconciler, which
 * then looks at those devices only.
 */

#include <linux/hashtable.h>
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/addrconf.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "backend.h"
#include "compat.h"
#include "reconcile.h"
#include "rtnl.h"
#include "track.h"
#include "watch.h"

/*
 * Devices whose routes the kernel flushed without telling rtnetlink
 * listeners about each route. flush_lock guards the list and flush_lost;
 * taken from process context only.
 */
static DEFINE_SPINLOCK(flush_lock);
static LIST_HEAD(flushes);
static bool flush_lost;

atomic64_t vzr_events = ATOMIC64_INIT(0);

/*
 * Devices whose addresses or state changed since the reconciler last
 * looked. Notifiers add to it from any context, IPv6 ones from softirq,
 * hence the _bh lock and atomic allocations. A device is recorded once
 * however many events it has. When a record cannot be allocated, or too
 * many pile up, dirty_all asks for a walk of every device instead, which
 * covers whatever was not recorded. dirty_lock guards the hash, its
 * count and dirty_all.
 */
#define DIRTY_MAX	8192
static DEFINE_SPINLOCK(dirty_lock);
static DEFINE_HASHTABLE(dirty, 8);
static unsigned int n_dirty;
static bool dirty_all;

static void drop_dirty(struct net *net)
{
	struct vzr_dirty *d;
	struct hlist_node *tmp;
	int bkt;

	hash_for_each_safe(dirty, bkt, tmp, d, hnode) {
		if (!net || net_eq(d->net, net)) {
			hash_del(&d->hnode);
			n_dirty--;
			kfree(d);
		}
	}
}

/**
 * vzr_watch_mark() - have the reconciler look at a device
 * @net: the device's namespace
 * @ifindex: the device
 * @ip: the address that changed, or NULL for the device itself
 *
 * Any context. The caller kicks the reconciler.
 */
void vzr_watch_mark(struct net *net, int ifindex, const struct vzr_ip *ip)
{
	u32 h = hash_ptr(net, 32) ^ ifindex;
	struct vzr_dirty *d;
	unsigned long flags;

	spin_lock_irqsave(&dirty_lock, flags);
	if (dirty_all)
		goto out;
	hash_for_each_possible(dirty, d, hnode, h)
		if (net_eq(d->net, net) && d->ifindex == ifindex)
			goto found;
	d = n_dirty < DIRTY_MAX ? kzalloc(sizeof(*d), GFP_ATOMIC) : NULL;
	if (!d) {
		drop_dirty(NULL);
		dirty_all = true;
		goto out;
	}
	d->net = net;
	d->ifindex = ifindex;
	hash_add(dirty, &d->hnode, h);
	n_dirty++;
found:
	d->addr |= !!ip;
	if (!ip || d->n == VZR_DIRTY_IPS)
		d->whole = true;
	else if (!d->whole)
		d->ips[d->n++] = *ip;
out:
	spin_unlock_irqrestore(&dirty_lock, flags);
}

/* Have the reconciler look at every device. Any context. */
void vzr_watch_mark_all(void)
{
	unsigned long flags;

	spin_lock_irqsave(&dirty_lock, flags);
	drop_dirty(NULL);
	dirty_all = true;
	spin_unlock_irqrestore(&dirty_lock, flags);
}

/**
 * vzr_watch_take_dirty() - hand the marked devices to the reconciler
 * @out: receives the records (vzr_dirty.list); the caller frees them
 *
 * Called with vzr_lock held, which keeps the records' namespaces from
 * being freed until the caller drops it (see vzr_net_exit()).
 *
 * Return: true when every device must be looked at; @out is empty then.
 */
bool vzr_watch_take_dirty(struct list_head *out)
{
	struct hlist_node *tmp;
	struct vzr_dirty *d;
	unsigned long flags;
	bool all;
	int bkt;

	lockdep_assert_held(&vzr_lock);
	spin_lock_irqsave(&dirty_lock, flags);
	hash_for_each_safe(dirty, bkt, tmp, d, hnode) {
		hash_del(&d->hnode);
		list_add_tail(&d->list, out);
	}
	n_dirty = 0;
	all = dirty_all;
	dirty_all = false;
	spin_unlock_irqrestore(&dirty_lock, flags);
	return all;
}

/* An event on @dev: look at it, and at the device it pairs with. */
static void mark_dev(struct net_device *dev)
{
	struct net_device *peer = vzr_backend_peer(dev);

	if (IS_ERR(peer)) {
		vzr_watch_mark_all();
		return;
	}
	vzr_watch_mark(dev_net(dev), dev->ifindex, NULL);
	if (peer)
		vzr_watch_mark(dev_net(peer), peer->ifindex, NULL);
}

static void note_flush(struct net_device *dev)
{
	struct vzr_flush *f = kmalloc(sizeof(*f), GFP_KERNEL);

	spin_lock(&flush_lock);
	if (f) {
		f->net = dev_net(dev);
		f->ifindex = dev->ifindex;
		list_add_tail(&f->list, &flushes);
	} else {
		flush_lost = true;
	}
	spin_unlock(&flush_lock);
}

/**
 * vzr_watch_take_flushes() - hand the noted flushes to the reconciler
 * @out: receives the records; the caller frees them
 *
 * Called under RTNL, like the notifiers that note flushes, so that the
 * records and the walk that follows see the same order of events.
 *
 * Return: true when a record could not be allocated and some flush may
 * have gone unnoted.
 */
bool vzr_watch_take_flushes(struct list_head *out)
{
	bool lost;

	ASSERT_RTNL();
	spin_lock(&flush_lock);
	list_splice_tail_init(&flushes, out);
	lost = flush_lost;
	flush_lost = false;
	spin_unlock(&flush_lock);
	return lost;
}

static int netdev_event(struct notifier_block *nb, unsigned long event,
			void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	switch (event) {
	case NETDEV_DOWN:
	case NETDEV_UNREGISTER:
		/* Routes through a device go with it, silently. */
		note_flush(dev);
		fallthrough;
	case NETDEV_REGISTER:
	case NETDEV_UP:
	case NETDEV_CHANGE:
	case NETDEV_CHANGENAME:
	case NETDEV_CHANGEUPPER:
		atomic64_inc(&vzr_events);
		mark_dev(dev);
		vzr_kick();
		break;
	}
	return NOTIFY_DONE;
}

static int inetaddr_event(struct notifier_block *nb, unsigned long event,
			  void *ptr)
{
	struct in_ifaddr *ifa = ptr;
	struct in_device *in_dev = ifa->ifa_dev;
	struct vzr_ip ip;

	/*
	 * Removing a device's last IPv4 address makes the kernel flush the
	 * IPv4 routes through it.
	 */
	if (event == NETDEV_DOWN && in_dev && !rtnl_dereference(in_dev->ifa_list))
		note_flush(in_dev->dev);
	vzr_ip_set4(&ip, ifa->ifa_local);
	if (in_dev)
		vzr_watch_mark(dev_net(in_dev->dev), in_dev->dev->ifindex, &ip);
	atomic64_inc(&vzr_events);
	vzr_kick();
	return NOTIFY_DONE;
}

/* Atomic context: must not sleep. */
static int inet6addr_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct inet6_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->idev->dev;
	struct vzr_ip ip;

	vzr_ip_set6(&ip, &ifa->addr);
	vzr_watch_mark(dev_net(dev), dev->ifindex, &ip);
	atomic64_inc(&vzr_events);
	vzr_kick();
	return NOTIFY_DONE;
}

static struct notifier_block netdev_nb = { .notifier_call = netdev_event };
static struct notifier_block inetaddr_nb = { .notifier_call = inetaddr_event };
static struct notifier_block inet6addr_nb = { .notifier_call = inet6addr_event };

static void forget_flushes(struct net *net)
{
	struct vzr_flush *f, *tmp;

	spin_lock(&flush_lock);
	list_for_each_entry_safe(f, tmp, &flushes, list) {
		if (!net || net_eq(f->net, net)) {
			list_del(&f->list);
			kfree(f);
		}
	}
	spin_unlock(&flush_lock);
}

/*
 * Runs after the namespace's devices are gone (subsystems exit after
 * devices), before its memory is freed: the last moment its pointer is
 * safe to compare, so every reference to it is dropped here.
 */
static void __net_exit vzr_net_exit(struct net *net)
{
	unsigned long flags;

	mutex_lock(&vzr_lock);
	spin_lock_irqsave(&dirty_lock, flags);
	drop_dirty(net);
	spin_unlock_irqrestore(&dirty_lock, flags);
	forget_flushes(net);
	vzr_track_forget_net(net);
	vzr_rt_forget_net(net);
	vzr_kick();
	mutex_unlock(&vzr_lock);
}

static struct pernet_operations vzr_net_ops = {
	.exit = vzr_net_exit,
	.id = &vzr_net_id,
	.size = sizeof(struct vzr_pernet),
};

int vzr_watch_init(void)
{
	int err;

	err = register_pernet_subsys(&vzr_net_ops);
	if (err)
		return err;
	err = register_inetaddr_notifier(&inetaddr_nb);
	if (err)
		goto err_pernet;
	err = register_inet6addr_notifier(&inet6addr_nb);
	if (err)
		goto err_inet;
	/* Replays REGISTER and UP for every existing device: the first walk. */
	err = vzr_register_netdevice_notifier(&netdev_nb);
	if (err)
		goto err_inet6;
	return 0;

err_inet6:
	unregister_inet6addr_notifier(&inet6addr_nb);
err_inet:
	unregister_inetaddr_notifier(&inetaddr_nb);
err_pernet:
	unregister_pernet_subsys(&vzr_net_ops);
	return err;
}

/* Stop the events; the reconciler must be stopped first. */
void vzr_watch_stop(void)
{
	vzr_unregister_netdevice_notifier(&netdev_nb);
	unregister_inet6addr_notifier(&inet6addr_nb);
	unregister_inetaddr_notifier(&inetaddr_nb);
}

/* Drop every namespace's state; the reconciler must be gone. */
void vzr_watch_uninit(void)
{
	unsigned long flags;

	unregister_pernet_subsys(&vzr_net_ops);
	forget_flushes(NULL);
	spin_lock_irqsave(&dirty_lock, flags);
	drop_dirty(NULL);
	spin_unlock_irqrestore(&dirty_lock, flags);
}
