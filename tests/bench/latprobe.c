// SPDX-License-Identifier: GPL-2.0
/*
 * Latency probe of the benchmark: takes, inside the kernel, the time each
 * address 10.200.0.1 + i (i < n) is added in any namespace (the IPv4
 * address notifier) and the time a route of protocol @proto to it enters
 * the initial namespace's FIB (the FIB notifier). Whoever installs the
 * routes, vzroute or a userspace daemon, is measured between the same two
 * points, without the cost of the process that adds the addresses.
 *
 * insmod vzr_latprobe.ko n=N proto=P   then add the addresses; on unload
 * it prints "vzr-latprobe: K pairs, median M ns, p99 Q ns".
 */
#include <linux/inetdevice.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include <net/fib_notifier.h>
#include <net/ip_fib.h>

#define FIRST	0x0ac80001	/* 10.200.0.1, as addwait's lat mode */

static unsigned int n = 1000, proto = 157;
module_param(n, uint, 0444);
module_param(proto, uint, 0444);

/* Written from the notifiers, read on unload once both are gone. */
static u64 *t_addr, *t_route;

static int addr_event(struct notifier_block *nb, unsigned long event,
		      void *ptr)
{
	struct in_ifaddr *ifa = ptr;
	u32 i = ntohl(ifa->ifa_local) - FIRST;

	if (event == NETDEV_UP && i < n)
		WRITE_ONCE(t_addr[i], ktime_get_ns());
	return NOTIFY_DONE;
}

/* Atomic context. */
static int fib_event(struct notifier_block *nb, unsigned long event,
		     void *ptr)
{
	struct fib_notifier_info *info = ptr;
	struct fib_entry_notifier_info *fen;
	u32 i;

	if (info->family != AF_INET || (event != FIB_EVENT_ENTRY_REPLACE &&
					event != FIB_EVENT_ENTRY_APPEND))
		return NOTIFY_DONE;
	fen = container_of(info, struct fib_entry_notifier_info, info);
	i = fen->dst - FIRST;
	if (fen->dst_len == 32 && fen->fi->fib_protocol == proto && i < n)
		WRITE_ONCE(t_route[i], ktime_get_ns());
	return NOTIFY_DONE;
}

static struct notifier_block addr_nb = { .notifier_call = addr_event };
static struct notifier_block fib_nb = { .notifier_call = fib_event };

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int __init latprobe_init(void)
{
	int err;

	t_addr = vzalloc(array_size(n, sizeof(u64)));
	t_route = vzalloc(array_size(n, sizeof(u64)));
	if (!t_addr || !t_route) {
		err = -ENOMEM;
		goto err_free;
	}
	err = register_inetaddr_notifier(&addr_nb);
	if (err)
		goto err_free;
	err = register_fib_notifier(&init_net, &fib_nb, NULL, NULL);
	if (err)
		goto err_addr;
	return 0;

err_addr:
	unregister_inetaddr_notifier(&addr_nb);
err_free:
	vfree(t_addr);
	vfree(t_route);
	return err;
}

static void __exit latprobe_exit(void)
{
	unsigned int i, k = 0;

	unregister_fib_notifier(&init_net, &fib_nb);
	unregister_inetaddr_notifier(&addr_nb);
	/* The pairs, in place: t_addr[k] becomes the k-th latency. */
	for (i = 0; i < n; i++)
		if (t_addr[i] && t_route[i] >= t_addr[i])
			t_addr[k++] = t_route[i] - t_addr[i];
	sort(t_addr, k, sizeof(u64), cmp_u64, NULL);
	if (k)
		pr_info("vzr-latprobe: %u pairs, median %llu ns, p99 %llu ns\n",
			k, t_addr[k / 2], t_addr[k * 99 / 100]);
	else
		pr_info("vzr-latprobe: 0 pairs\n");
	vfree(t_addr);
	vfree(t_route);
}

module_init(latprobe_init);
module_exit(latprobe_exit);
MODULE_LICENSE("GPL");
