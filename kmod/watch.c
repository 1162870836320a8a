// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel events in, kicks out. The notifiers run under RTNL or, for IPv6
 * addresses, in atomic context; they record nothing but which devices
 * lost their routes and leave all the work to the reconciler.
 */

#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/addrconf.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

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

	/*
	 * Removing a device's last IPv4 address makes the kernel flush the
	 * IPv4 routes through it.
	 */
	if (event == NETDEV_DOWN && in_dev && !rtnl_dereference(in_dev->ifa_list))
		note_flush(in_dev->dev);
	atomic64_inc(&vzr_events);
	vzr_kick();
	return NOTIFY_DONE;
}

/* Atomic context: must not sleep. */
static int inet6addr_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
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
	mutex_lock(&vzr_lock);
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
	unregister_pernet_subsys(&vzr_net_ops);
	forget_flushes(NULL);
}
