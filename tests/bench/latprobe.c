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
 *
 * Installers in turns (series=S, proto=0 for a route of any protocol):
 * the n addresses are S series of n/S, each added by one installer's
 * passes only, however those alternate while the probe is loaded; on
 * unload it prints "vzr-latprobe: series I: K pairs, ..." for each.
 *
 * Where the time goes (phases=1; its probes cost time on the paths they
 * stamp, so the latency itself is measured with phases=0): kprobes take,
 * for each address, the first time after its notifier, and before its
 * route, that the adding task releases RTNL (netdev_run_todo(), which
 * rtnl_unlock() runs first and which lets the lock go: no route can go in
 * before), that vzroute's run starts, begins its scan, has RTNL for it,
 * and is done scanning and deciding (vzr_run, vzr_scan, rtnl_lock()'s
 * return in the run's task, vzr_sync, while vzroute is loaded), that the
 * run looks at every device rather than the noted ones ("full":
 * vzr_note_take() returning true), that another task sends a netlink
 * message (the installer's route message: netlink_sendmsg(), or
 * netlink_unicast() in vzroute's run or react's work item, which hand
 * their requests there themselves), and that a route add is
 * handed RTNL (inet_rtm_newroute(), called with it held). On
 * unload it prints "vzr-latprobe: phases NAME NS/COUNT ... insert
 * NS/COUNT": the median of each, counted from the address notifier, over
 * the COUNT addresses that saw it in that window (an installer already
 * under way when the notifier ran is not counted), and the median of the
 * insert itself (FIB entry minus route add): what any installer spends
 * once it holds RTNL. Then "vzr-latprobe: tail phases ... routein
 * NS/COUNT": the same over the slowest 1% of the addresses (notifier to
 * FIB at or above its p99), and their own latency.
 */
#include <linux/inetdevice.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include <net/fib_notifier.h>
#include <net/ip_fib.h>

#define FIRST	0x0ac80001	/* 10.200.0.1, as addwait's lat mode */

static unsigned int n = 1000, proto = 157, series = 1;
static bool phases;
module_param(n, uint, 0444);
module_param(proto, uint, 0444);
module_param(series, uint, 0444);
module_param(phases, bool, 0444);

enum {
	PH_UNLOCK, PH_RUN, PH_SCAN, PH_RTNL, PH_SYNC, PH_SEND, PH_NEWROUTE,
	PH_FULL, PH_MAX
};

static const char *const ph_name[PH_MAX] = {
	"unlock", "run", "scan", "rtnl", "sync", "send", "newroute", "full"
};

/*
 * Written from the notifiers and the kprobes, read on unload once all are
 * gone. The addresses are added one at a time, each after the last one's
 * route came and went: @cur is the one being added, and a phase belongs
 * to it when it is the first of its kind after its notifier.
 */
static u64 *t_addr, *t_route;
static u64 *t_phase[PH_MAX];
static u32 cur = U32_MAX;
static struct task_struct *adder, *runner;

/* The first of its kind wins, whichever CPU it ran on. */
static void phase(int ph)
{
	/* Pairs with addr_event()'s release: t_addr[i] is set. */
	u32 i = smp_load_acquire(&cur);

	if (i < n && !READ_ONCE(t_route[i]))
		cmpxchg64(&t_phase[ph][i], 0, ktime_get_ns());
}

static int on_unlock(struct kprobe *p, struct pt_regs *regs)
{
	if (current == READ_ONCE(adder))
		phase(PH_UNLOCK);
	return 0;
}

static int on_run(struct kprobe *p, struct pt_regs *regs)
{
	WRITE_ONCE(runner, current);
	phase(PH_RUN);
	return 0;
}

static int on_scan(struct kprobe *p, struct pt_regs *regs)
{
	phase(PH_SCAN);
	return 0;
}

/*
 * RTNL taken by the task of the run that began after the notifier (its
 * kworker runs other work too, some of which takes RTNL).
 */
static int on_rtnl(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	/* Pairs with addr_event()'s release, as in phase(). */
	u32 i = smp_load_acquire(&cur);

	if (current == READ_ONCE(runner) && i < n &&
	    READ_ONCE(t_phase[PH_RUN][i]))
		phase(PH_RTNL);
	return 0;
}

/* The run looks at every device of every namespace, not just the noted. */
static int on_note_take(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	/* A bool: only its low byte is the callee's to set. */
	if ((u8)regs_return_value(regs))
		phase(PH_FULL);
	return 0;
}

static int on_sync(struct kprobe *p, struct pt_regs *regs)
{
	phase(PH_SYNC);
	return 0;
}

/* Not the adder's: it sends nothing until its route came. */
static int on_send(struct kprobe *p, struct pt_regs *regs)
{
	if (current != READ_ONCE(adder))
		phase(PH_SEND);
	return 0;
}

/* react's work item sends as vzroute's run does: on_unicast() is its. */
static int on_react(struct kprobe *p, struct pt_regs *regs)
{
	WRITE_ONCE(runner, current);
	return 0;
}

/*
 * The installer's run only, vzroute's or react's: the kernel's own
 * messages (audit, nfnetlink from softirq, delayed genetlink replies) go
 * through here too.
 */
static int on_unicast(struct kprobe *p, struct pt_regs *regs)
{
	if (current == READ_ONCE(runner))
		phase(PH_SEND);
	return 0;
}

static int on_newroute(struct kprobe *p, struct pt_regs *regs)
{
	phase(PH_NEWROUTE);
	return 0;
}

/*
 * Indexed by phase, and two more: vzroute and react hand their requests
 * to netlink_unicast() themselves, where a daemon's goes through
 * netlink_sendmsg() first; react's work item, whose task that is.
 */
static struct kprobe probes[PH_MAX + 2] = {
	/* rtnl_unlock()'s first step: rtnetlink.c inlines rtnl_unlock(). */
	[PH_UNLOCK] = { .symbol_name = "netdev_run_todo",
			.pre_handler = on_unlock },
	[PH_RUN] = { .symbol_name = "vzr_run", .pre_handler = on_run },
	[PH_SCAN] = { .symbol_name = "vzr_scan", .pre_handler = on_scan },
	[PH_SYNC] = { .symbol_name = "vzr_sync", .pre_handler = on_sync },
	[PH_SEND] = { .symbol_name = "netlink_sendmsg", .pre_handler = on_send },
	[PH_NEWROUTE] = { .symbol_name = "inet_rtm_newroute",
			  .pre_handler = on_newroute },
	[PH_MAX] = { .symbol_name = "netlink_unicast",
		     .pre_handler = on_unicast },
	[PH_MAX + 1] = { .symbol_name = "vzr_react:send_changes",
			 .pre_handler = on_react },
};

static struct kretprobe rets[] = {
	{ .kp.symbol_name = "rtnl_lock", .handler = on_rtnl },
	{ .kp.symbol_name = "vzr_note_take", .handler = on_note_take },
};

static struct kprobe *probed[ARRAY_SIZE(probes)];
static int n_probed;
static struct kretprobe *rprobed[ARRAY_SIZE(rets)];
static int n_rprobed;

static int addr_event(struct notifier_block *nb, unsigned long event,
		      void *ptr)
{
	struct in_ifaddr *ifa = ptr;
	u32 i = ntohl(ifa->ifa_local) - FIRST;

	if (event == NETDEV_UP && i < n) {
		WRITE_ONCE(t_addr[i], ktime_get_ns());
		WRITE_ONCE(adder, current);
		/* A probe that sees @i sees its notifier's time. */
		smp_store_release(&cur, i);
	}
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
	if (fen->dst_len == 32 && i < n &&
	    (!proto || fen->fi->fib_protocol == proto))
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

static void free_all(void)
{
	int ph;

	vfree(t_addr);
	vfree(t_route);
	for (ph = 0; ph < PH_MAX; ph++)
		vfree(t_phase[ph]);
}

/*
 * The latency, notifier to FIB, of each address from @lo to before @hi
 * into @out (which may be t_addr + @lo: each is written at an index no
 * later than the one just read), sorted.
 * Return: how many of them saw both.
 */
static unsigned int latencies(u64 *out, unsigned int lo, unsigned int hi)
{
	unsigned int i, k = 0;

	for (i = lo; i < hi; i++)
		if (t_addr[i] && t_route[i] >= t_addr[i])
			out[k++] = t_route[i] - t_addr[i];
	sort(out, k, sizeof(u64), cmp_u64, NULL);
	return k;
}

/*
 * The median of @x[i] - @base[i] over the addresses that saw both and
 * whose route came at least @slow after their notifier (0: all of them).
 */
static u64 median_after(const u64 *x, const u64 *base, u64 slow, u64 *tmp,
			u32 *count)
{
	unsigned int i, k = 0;

	for (i = 0; i < n; i++) {
		if (!base[i] || x[i] < base[i])
			continue;
		if (slow && (!t_addr[i] || t_route[i] < t_addr[i] + slow))
			continue;
		tmp[k++] = x[i] - base[i];
	}
	sort(tmp, k, sizeof(u64), cmp_u64, NULL);
	*count = k;
	return k ? tmp[k / 2] : 0;
}

/* "vzr-latprobe: @what NAME NS/COUNT ... insert NS/COUNT[ routein ...]" */
static void print_phase_line(const char *what, u64 slow, u64 *tmp)
{
	char line[256];
	int ph, len;
	u64 med;
	u32 c;

	len = scnprintf(line, sizeof(line), "vzr-latprobe: %s", what);
	for (ph = 0; ph < PH_MAX; ph++) {
		med = median_after(t_phase[ph], t_addr, slow, tmp, &c);
		if (!c)
			continue;
		len += scnprintf(line + len, sizeof(line) - len, " %s %llu/%u",
				 ph_name[ph], med, c);
	}
	/* The insert itself: from RTNL handed to the add to the FIB entry. */
	med = median_after(t_route, t_phase[PH_NEWROUTE], slow, tmp, &c);
	len += scnprintf(line + len, sizeof(line) - len, " insert %llu/%u",
			 med, c);
	/* The tail's own size and latency, which the medians are of. */
	if (slow) {
		med = median_after(t_route, t_addr, slow, tmp, &c);
		scnprintf(line + len, sizeof(line) - len, " routein %llu/%u",
			  med, c);
	}
	pr_info("%s\n", line);
}

static void print_phases(void)
{
	u64 *tmp = vmalloc(array_size(n, sizeof(u64)));
	unsigned int k;

	if (!tmp)
		return;
	print_phase_line("phases", 0, tmp);
	/*
	 * Where a p99 goes: the same medians over the slowest 1% of the
	 * addresses, notifier to FIB.
	 */
	k = latencies(tmp, 0, n);
	if (k)
		print_phase_line("tail phases", max(tmp[k * 99 / 100], 1ULL),
				 tmp);
	vfree(tmp);
}

static int __init latprobe_init(void)
{
	unsigned int r;
	int err, ph;

	t_addr = vzalloc(array_size(n, sizeof(u64)));
	t_route = vzalloc(array_size(n, sizeof(u64)));
	err = -ENOMEM;
	if (!t_addr || !t_route)
		goto err_free;
	for (ph = 0; ph < PH_MAX; ph++) {
		t_phase[ph] = vzalloc(array_size(n, sizeof(u64)));
		if (!t_phase[ph])
			goto err_free;
	}
	/* vzroute's functions are there only while it is loaded. */
	for (r = 0; phases && r < ARRAY_SIZE(probes); r++) {
		if (!probes[r].symbol_name)
			continue;
		err = register_kprobe(&probes[r]);
		if (!err)
			probed[n_probed++] = &probes[r];
		else
			pr_info("vzr-latprobe: no probe on %s (%d)\n",
				probes[r].symbol_name, err);
	}
	for (r = 0; phases && r < ARRAY_SIZE(rets); r++) {
		err = register_kretprobe(&rets[r]);
		if (!err)
			rprobed[n_rprobed++] = &rets[r];
		else
			pr_info("vzr-latprobe: no return probe on %s (%d)\n",
				rets[r].kp.symbol_name, err);
	}
	err = register_inetaddr_notifier(&addr_nb);
	if (err)
		goto err_probes;
	err = register_fib_notifier(&init_net, &fib_nb, NULL, NULL);
	if (err)
		goto err_addr;
	return 0;

err_addr:
	unregister_inetaddr_notifier(&addr_nb);
err_probes:
	if (n_rprobed)
		unregister_kretprobes(rprobed, n_rprobed);
	if (n_probed)
		unregister_kprobes(probed, n_probed);
err_free:
	free_all();
	return err;
}

/* "vzr-latprobe: @what K pairs, median M ns, p99 Q ns" */
static void print_pairs(const char *what, unsigned int lo, unsigned int hi)
{
	/* In place: the phases were the last to need t_addr[lo..hi). */
	u64 *lat = t_addr + lo;
	unsigned int k = latencies(lat, lo, hi);

	if (k)
		pr_info("vzr-latprobe: %s%u pairs, median %llu ns, p99 %llu ns\n",
			what, k, lat[k / 2], lat[k * 99 / 100]);
	else
		pr_info("vzr-latprobe: %s0 pairs\n", what);
}

static void __exit latprobe_exit(void)
{
	char what[24];
	unsigned int s;

	unregister_fib_notifier(&init_net, &fib_nb);
	unregister_inetaddr_notifier(&addr_nb);
	if (n_rprobed)
		unregister_kretprobes(rprobed, n_rprobed);
	if (n_probed)
		unregister_kprobes(probed, n_probed);
	if (phases)
		print_phases();
	if (series <= 1) {
		print_pairs("", 0, n);
	} else {
		for (s = 0; s < series; s++) {
			snprintf(what, sizeof(what), "series %u: ", s);
			print_pairs(what, s * (n / series), (s + 1) * (n / series));
		}
	}
	free_all();
}

module_init(latprobe_init);
module_exit(latprobe_exit);
MODULE_LICENSE("GPL");
