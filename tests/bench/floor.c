// SPDX-License-Identifier: GPL-2.0
/*
 * The floor arm of the benchmark: the same route messages vzroute sends,
 * from the same kind of in-kernel rtnetlink socket, in a plain loop with
 * no tracking at all. vzroute's bookkeeping is measured against this.
 *
 * insmod floor.ko n=N ifindex=I   adds 10.1.0.1 .. N routes dev I on load,
 *                                 deletes them on unload; times both.
 * insmod floor.ko n=N devs=vs per=K
 *                                 the same over devices vs0, vs1, ..., K
 *                                 routes each, as the bulk arms' addresses
 *                                 are spread over their host sides
 * batch=B                         B route messages to a send (fewer
 *                                 where they would not fit
 *                                 NLMSG_GOODSIZE), without NLM_F_ACK,
 *                                 as vzroute batches them (batch.c), so
 *                                 that only failures are answered; 0
 *                                 (default): one message a send, each
 *                                 acknowledged
 */
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>

#include "../../kmod/policy.c"
#include "../../kmod/routemsg.c"
#include "unacked.h"

static unsigned int n = 10000, ifindex, proto = 159, batch;
module_param(n, uint, 0444);
module_param(batch, uint, 0444);
module_param(ifindex, uint, 0444);
module_param(proto, uint, 0444);
static char *devs;
static unsigned int per;
module_param(devs, charp, 0444);
module_param(per, uint, 0444);

/* The device of each route: looked up before the clock starts. */
static int *ifindexes;

static struct socket *sock;
static u32 portid;

static int talk(struct vzr_route *r, u16 type, u16 flags, u32 seq)
{
	struct kvec iov;
	struct msghdr mh = {};
	u8 msg[VZR_ROUTE_MSG_MAX], ack[512];
	int len;

	len = vzr_route_msg(msg, sizeof(msg), r, type, NLM_F_ACK | flags, seq);
	if (len < 0 || bench_send(sock, portid, msg, len) < 0)
		return -EIO;
	iov.iov_base = ack;
	iov.iov_len = sizeof(ack);
	len = kernel_recvmsg(sock, &mh, &iov, 1, sizeof(ack), MSG_DONTWAIT);
	if (len < (int)NLMSG_LENGTH(sizeof(struct nlmsgerr)))
		return -EIO;
	return ((struct nlmsgerr *)nlmsg_data((struct nlmsghdr *)ack))->error;
}

/* As many as batch.c's BATCH_MAX. */
#define FLOOR_BATCH_MAX	64

/* A batch and its answers (failures only). Load and unload alone use them. */
static u8 bmsg[FLOOR_BATCH_MAX * VZR_ROUTE_MSG_MAX], answers[4096];

static int loop(u16 type, u16 flags)
{
	struct vzr_route r = { .ifindex = ifindex, .proto = proto,
			       .metric = 128, .table = RT_TABLE_MAIN };
	ktime_t t0 = ktime_get();
	unsigned int i, failed = 0, cnt = 0;
	size_t len = 0;
	int m;

	for (i = 0; i < n; i++) {
		vzr_ip_set4(&r.dst, htonl(0x0a010001 + i));
		if (ifindexes)
			r.ifindex = ifindexes[i / per];
		if (!batch) {
			if (talk(&r, type, flags, i + 1))
				failed++;
			continue;
		}
		m = vzr_route_msg(bmsg + len, VZR_ROUTE_MSG_MAX, &r, type,
				  flags, i + 1);
		if (m < 0) {
			failed++;
			continue;
		}
		len += m;
		if (bench_batch_full(++cnt, batch, len)) {
			failed += bench_send_unacked(sock, portid, bmsg, len,
						     cnt, answers,
						     sizeof(answers));
			cnt = 0;
			len = 0;
		}
	}
	if (cnt)
		failed += bench_send_unacked(sock, portid, bmsg, len, cnt,
					     answers, sizeof(answers));
	pr_info("vzr-floor: %s %u routes in %lld ns (%u failed)\n",
		type == RTM_NEWROUTE ? "add" : "del", n,
		ktime_to_ns(ktime_sub(ktime_get(), t0)), failed);
	return failed ? -EIO : 0;
}

static int find_devs(void)
{
	char name[IFNAMSIZ];
	struct net_device *dev;
	unsigned int i;

	if (!devs)
		return 0;
	if (!per)
		return -EINVAL;
	ifindexes = kvcalloc(n / per + 1, sizeof(*ifindexes), GFP_KERNEL);
	if (!ifindexes)
		return -ENOMEM;
	for (i = 0; i * per < n; i++) {
		snprintf(name, sizeof(name), "%s%u", devs, i);
		dev = dev_get_by_name(&init_net, name);
		if (!dev) {
			pr_err("vzr-floor: no device %s\n", name);
			kvfree(ifindexes);
			return -ENODEV;
		}
		ifindexes[i] = dev->ifindex;
		dev_put(dev);
	}
	return 0;
}

static int __init floor_init(void)
{
	int err;

	if (batch > FLOOR_BATCH_MAX)
		return -EINVAL;
	err = find_devs();
	if (err)
		return err;
	err = __sock_create(&init_net, PF_NETLINK, SOCK_RAW, NETLINK_ROUTE,
			    &sock, 1);
	if (!err)
		err = bench_bind(sock, &portid);
	if (err) {
		if (sock)
			sock_release(sock);
		kvfree(ifindexes);
		return err;
	}
	loop(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	return 0;
}

static void __exit floor_exit(void)
{
	loop(RTM_DELROUTE, 0);
	sock_release(sock);
	kvfree(ifindexes);
}

module_init(floor_init);
module_exit(floor_exit);
MODULE_LICENSE("GPL");
