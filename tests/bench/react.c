// SPDX-License-Identifier: GPL-2.0
/*
 * An installer that does nothing but send the route, for the latency arms
 * of the benchmark. The IPv4 address notifier runs under RTNL and
 * rtnetlink takes RTNL itself, and no kernel exports a FIB insert, so an
 * installer in the kernel sends its route from elsewhere: here, as
 * vzroute does, from a work item on the notifier's CPU, in one
 * unacknowledged message. It tracks nothing, checks nothing and decides
 * nothing: what vzroute takes beyond it is vzroute's own work, and what
 * it takes itself is the cost of that way of sending (other ways, such as
 * a worker on another CPU, or task_work run as the adder's system call
 * returns, are not measured).
 *
 * In the live arms it is the same per change: changes that come while
 * the work item is pending or running are taken by its next run, in
 * messages of up to 64 to a send, as vzroute batches them; nothing holds
 * a run back to gather more (vzroute's VZR_RUN_GAP does). What it costs over
 * the address changes there is what a run as soon as a change comes
 * costs, however little that run does.
 *
 * insmod vzr_react.ko dev=vs0 [proto=163] [prefix=0x0ac80000]
 *   every IPv4 address of PREFIX/16 (10.200.0.0/16, as addwait's lat
 *   mode) added, in any namespace, gets a route ADDR/32 dev DEV proto
 *   PROTO metric 128 in the initial namespace, which goes again with the
 *   address. On unload it prints
 *   "vzr-react: N routes sent, F failed, D dropped, R runs".
 */
#include <linux/inetdevice.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netlink.h>

#include "../../kmod/policy.c"
#include "../../kmod/routemsg.c"
#include "unacked.h"

/*
 * More than the live arms' 10,000 changes, so that none is dropped there
 * even if the work item never ran before the last; the bench leaves react
 * out of the live arms past this (react_max in tests/guest/bench.sh).
 */
#define RING_MAX	16384
#define CHUNK		64

static char *dev = "vs0";
static unsigned int proto = 163;
static unsigned int prefix = 0x0ac80000;
module_param(dev, charp, 0444);
module_param(proto, uint, 0444);
module_param(prefix, uint, 0444);

/**
 * struct change - an address that came or went
 * @addr: the address (network order)
 * @up: it came
 */
struct change {
	__be32 addr;
	bool up;
};

/*
 * Changes from the notifier to the work item, under ring_lock: the
 * notifier appends at @head, the work item takes from @tail. One that
 * does not fit is dropped and counted, which the bench checks for: the
 * ring holds all the changes of an arm (RING_MAX).
 */
static DEFINE_SPINLOCK(ring_lock);
static struct change ring[RING_MAX];
static unsigned int head, tail, dropped;

/* The work item's own: it never runs on two CPUs at once. */
static u8 msg[CHUNK * VZR_ROUTE_MSG_MAX], answers[4096];
static unsigned int sent, failed, runs;
static u32 seq;

static struct socket *sock;
static u32 portid;
static struct workqueue_struct *wq;
static int ifindex;

/*
 * Changes from the ring, as many as one message takes (bench_batch_full()),
 * sent. Return: whether the message was full, so that more may wait.
 */
static bool send_chunk(void)
{
	struct vzr_route r = { .ifindex = ifindex, .proto = proto,
			       .metric = 128, .table = RT_TABLE_MAIN };
	unsigned int cnt = 0, built = 0;
	bool full;
	struct change c;
	size_t len = 0;
	int m;

	while (!(full = bench_batch_full(cnt, CHUNK, len))) {
		spin_lock_bh(&ring_lock);
		if (tail == head) {
			spin_unlock_bh(&ring_lock);
			break;
		}
		c = ring[tail++ % RING_MAX];
		spin_unlock_bh(&ring_lock);
		cnt++;
		vzr_ip_set4(&r.dst, c.addr);
		m = vzr_route_msg(msg + len, VZR_ROUTE_MSG_MAX, &r,
				  c.up ? RTM_NEWROUTE : RTM_DELROUTE,
				  c.up ? NLM_F_CREATE | NLM_F_EXCL : 0, ++seq);
		if (m < 0) {
			failed++;
			continue;
		}
		len += m;
		built++;
	}
	sent += built;
	if (len)
		failed += bench_send_unacked(sock, portid, msg, len, built,
					     answers, sizeof(answers));
	return full;
}

static void send_changes(struct work_struct *work)
{
	runs++;
	while (send_chunk())
		cond_resched();
}

static DECLARE_WORK(work, send_changes);

static int on_addr(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct in_ifaddr *ifa = ptr;

	if ((event != NETDEV_UP && event != NETDEV_DOWN) ||
	    (ntohl(ifa->ifa_local) & 0xffff0000) != prefix)
		return NOTIFY_DONE;
	spin_lock_bh(&ring_lock);
	if (head - tail < RING_MAX)
		ring[head++ % RING_MAX] = (struct change){
			.addr = ifa->ifa_local, .up = event == NETDEV_UP,
		};
	else
		dropped++;
	spin_unlock_bh(&ring_lock);
	queue_work(wq, &work);
	return NOTIFY_DONE;
}

static struct notifier_block nb = { .notifier_call = on_addr };

static int __init react_init(void)
{
	struct net_device *d = dev_get_by_name(&init_net, dev);
	int err;

	if (!d)
		return -ENODEV;
	ifindex = d->ifindex;
	dev_put(d);
	/* As vzroute's: bound, so the work runs on the notifier's CPU. */
	wq = alloc_workqueue("vzr_react", WQ_MEM_RECLAIM | WQ_CPU_INTENSIVE, 1);
	if (!wq)
		return -ENOMEM;
	err = __sock_create(&init_net, PF_NETLINK, SOCK_RAW, NETLINK_ROUTE,
			    &sock, 1);
	if (!err)
		err = bench_bind(sock, &portid);
	if (err) {
		if (sock)
			sock_release(sock);
		destroy_workqueue(wq);
		return err;
	}
	err = register_inetaddr_notifier(&nb);
	if (err) {
		sock_release(sock);
		destroy_workqueue(wq);
	}
	return err;
}

static void __exit react_exit(void)
{
	unregister_inetaddr_notifier(&nb);
	flush_workqueue(wq);
	destroy_workqueue(wq);
	sock_release(sock);
	pr_info("vzr-react: %u routes sent, %u failed, %u dropped, %u runs\n",
		sent, failed, dropped, runs);
}

module_init(react_init);
module_exit(react_exit);
MODULE_LICENSE("GPL");
