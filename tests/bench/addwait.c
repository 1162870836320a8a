// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark driver: adds container addresses as fast as one process can
 * and times how long until the host routes exist (or are gone), as seen
 * by an rtnetlink listener in the initial namespace (in s0 for the
 * kernel's own local route, "local" below). Whoever installs the routes
 * (vzroute, the userspace daemon) is measured the same way.
 *
 * usage: addwait bulk PROTO NNS K [MODULE MPROTO]
 *                                    namespaces s0..s<NNS-1>, K addresses each
 *                                    (PROTO 0: nobody routes them; times
 *                                    the address changes alone). MODULE:
 *                                    unloaded on another CPU as the
 *                                    removals start, "del" timed until
 *                                    they are done and its routes (of
 *                                    protocol MPROTO) all gone: the floor
 *                                    module deleting its routes beside
 *                                    the removals
 *        addwait bulk-add|bulk-del PROTO NNS K
 *                                    the adds alone, or the removals alone
 *                                    of addresses that the adds left, as
 *                                    bulk does them (so that a profile can
 *                                    take each in turn)
 *        addwait lat PROTO COUNT [PAUSE_MS [FIRST]]
 *                                    one address at a time in s0: added,
 *                                    its route awaited, deleted, its route's
 *                                    removal awaited; the next one at once,
 *                                    or PAUSE_MS after (an address on a
 *                                    quiet node, not in a stream); from
 *                                    10.200.0.1 + FIRST (default 0).
 *                                    PROTO "local": the kernel's own local
 *                                    route for the address in s0, which
 *                                    it inserts from the address notifier
 *                                    chain itself: sooner than any
 *                                    installer that reacts to that
 *                                    notifier could have its route in.
 *        addwait run add|del PROTO COUNT CMD [ARG...]
 *                                    runs CMD (say, loading the module with
 *                                    the addresses already there) and times
 *                                    until COUNT routes were added (deleted)
 * Prints "add SECONDS" and "del SECONDS"; each latency ("lat SECONDS", for
 * passes taken in turns to be pooled), then their percentiles; or "run
 * SECONDS".
 */
#include <net/if.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#include "nlutil.h"

static struct mnl_socket *mon;
static int proto;

/* Wait for @want route messages of @type and our protocol (any dst if 0). */
static void wait_routes(int type, long want, uint32_t dst)
{
	char buf[65536];
	long got = 0;

	while (got < want) {
		struct nlmsghdr *nlh;
		int n = mnl_socket_recvfrom(mon, buf, sizeof(buf));

		if (n < 0)
			die("waiting for route events");
		for (nlh = (void *)buf; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
			struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
			struct nlattr *a;
			uint32_t d = 0;

			if (nlh->nlmsg_type != type || rtm->rtm_protocol != proto)
				continue;
			mnl_attr_for_each(a, nlh, sizeof(*rtm))
				if (mnl_attr_get_type(a) == RTA_DST)
					d = ntohl(mnl_attr_get_u32(a));
			if (!dst || d == dst)
				got++;
		}
	}
}

struct ns {
	struct mnl_socket *nl;
	int ifindex;
};

static struct ns open_ns(int i)
{
	char name[32];
	struct ns ns;
	int self = open("/proc/self/ns/net", O_RDONLY), fd;

	snprintf(name, sizeof(name), "/run/netns/s%d", i);
	fd = open(name, O_RDONLY);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		die(name);
	close(fd);
	ns.nl = mnl_socket_open(NETLINK_ROUTE);
	if (!ns.nl || mnl_socket_bind(ns.nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("netlink");
	ns.ifindex = if_nametoindex("eth0");
	if (!ns.ifindex || setns(self, CLONE_NEWNET))
		die("eth0");
	close(self);
	return ns;
}

static void addr(struct ns *ns, int type, uint32_t a)
{
	char buf[512];
	int err;

	err = rtnl_talk(ns->nl, addr_msg(buf, type,
					 type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0,
					 ns->ifindex, a));
	if (err) {
		errno = -err;
		die("address");
	}
}

/*
 * A child that unloads @module on another CPU than ours, both pinned: it
 * pins itself (so that it runs there from then on), says so, and waits
 * for a byte down the pipe whose end to write is returned in @go. Ready
 * before the clock starts, so that the unload begins with the removals.
 */
static pid_t unloader(const char *module, int *go)
{
	int cpu = sched_getcpu(), cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int down[2], up[2];
	cpu_set_t set;
	pid_t pid;
	char c;

	if (cpu < 0 || cpus < 2 || pipe(down) || pipe(up))
		die("unloader: two CPUs and two pipes");
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		CPU_ZERO(&set);
		CPU_SET((cpu + 1) % cpus, &set);
		if (sched_setaffinity(0, sizeof(set), &set) ||
		    write(up[1], "r", 1) != 1 || read(down[0], &c, 1) != 1 ||
		    syscall(SYS_delete_module, module, O_NONBLOCK))
			_exit(1);
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	if (read(up[0], &c, 1) != 1)
		die("unloader: not ready");
	close(up[0]);
	*go = down[1];
	return pid;
}

/*
 * Adds (RTM_NEWADDR) or deletes (RTM_DELADDR) the k addresses of each of
 * the nns namespaces, then, when an arm routes them, waits for as many
 * route messages; prints "add|del SECONDS". With @module (deletions
 * only), that module is unloaded on another CPU meanwhile, and the clock
 * stops once its routes, of protocol @mproto, are all gone as well (not
 * at the end of the unload, whose teardown is no route's cost).
 */
static void bulk(struct ns *ns, int nns, int k, int type, const char *module,
		 int mproto)
{
	pid_t pid = 0;
	double t0;
	int i, j, go = -1, st;

	if (module)
		pid = unloader(module, &go);
	t0 = now_s();
	if (module && write(go, "g", 1) != 1)
		die("unloader");
	for (i = 0; i < nns; i++)
		for (j = 0; j < k; j++)
			addr(&ns[i], type, 0x0a010001 + i * k + j);
	if (module)
		proto = mproto;
	if (proto)
		wait_routes(type == RTM_NEWADDR ? RTM_NEWROUTE : RTM_DELROUTE,
			    (long)nns * k, 0);
	printf("%s %.4f\n", type == RTM_NEWADDR ? "add" : "del", now_s() - t0);
	if (module && (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) ||
		       WEXITSTATUS(st)))
		die(module);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int bufsz = 256 << 20;
	bool adds, dels;
	double t0;

	if (argc < 4)
		return 2;
	if (!strcmp(argv[1], "run")) {
		argv++;
		argc--;
	}
	if (!strcmp(argv[2], "local")) {
		if (strcmp(argv[1], "lat"))
			return 2;
		proto = RTPROT_KERNEL;
		mon = rtnl_open_in("s0", RTMGRP_IPV4_ROUTE);
	} else {
		proto = atoi(argv[2]);
		mon = rtnl_open_in(NULL, RTMGRP_IPV4_ROUTE);
	}
	setsockopt(mnl_socket_get_fd(mon), SOL_SOCKET, SO_RCVBUFFORCE,
		   &bufsz, sizeof(bufsz));
	/* An arm that never delivers its routes fails instead of hanging. */
	setsockopt(mnl_socket_get_fd(mon), SOL_SOCKET, SO_RCVTIMEO,
		   &(struct timeval){ .tv_sec = 120 }, sizeof(struct timeval));

	adds = !strcmp(argv[1], "bulk") || !strcmp(argv[1], "bulk-add");
	dels = !strcmp(argv[1], "bulk") || !strcmp(argv[1], "bulk-del");
	if ((adds || dels) && (argc == 5 || (adds && dels && argc == 7))) {
		int nns = atoi(argv[3]), k = atoi(argv[4]), i;
		struct ns *ns = calloc(nns, sizeof(*ns));

		for (i = 0; i < nns; i++)
			ns[i] = open_ns(i);
		if (adds)
			bulk(ns, nns, k, RTM_NEWADDR, NULL, 0);
		if (dels)
			bulk(ns, nns, k, RTM_DELADDR, argc == 7 ? argv[5] : NULL,
			     argc == 7 ? atoi(argv[6]) : 0);
		return 0;
	}
	if (argc >= 5 && (!strcmp(argv[1], "add") || !strcmp(argv[1], "del"))) {
		long want = atol(argv[3]);
		pid_t pid;
		int st;

		t0 = now_s();
		pid = fork();
		if (pid < 0)
			die("fork");
		if (!pid) {
			execvp(argv[4], argv + 4);
			_exit(127);
		}
		wait_routes(!strcmp(argv[1], "add") ? RTM_NEWROUTE : RTM_DELROUTE,
			    want, 0);
		printf("run %.4f\n", now_s() - t0);
		if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			die(argv[4]);
		return 0;
	}
	if (!strcmp(argv[1], "lat")) {
		int count = atoi(argv[3]), i;
		int pause = argc > 4 ? atoi(argv[4]) : 0;
		uint32_t first = argc > 5 ? atoi(argv[5]) : 0;
		struct timespec ts = { pause / 1000, pause % 1000 * 1000000L };
		double *lat = calloc(count, sizeof(*lat));
		struct ns ns = open_ns(0);

		for (i = 0; i < count; i++) {
			uint32_t a = 0x0ac80001 + first + i;

			/* The arrival process measured, not a wait for anything. */
			if (pause && nanosleep(&ts, NULL))
				die("nanosleep");
			t0 = now_s();
			addr(&ns, RTM_NEWADDR, a);
			wait_routes(RTM_NEWROUTE, 1, a);
			lat[i] = now_s() - t0;
			addr(&ns, RTM_DELADDR, a);
			wait_routes(RTM_DELROUTE, 1, a);
		}
		for (i = 0; i < count; i++)
			printf("lat %.6f\n", lat[i]);
		qsort(lat, count, sizeof(*lat), cmp);
		printf("lat_median %.6f\nlat_p99 %.6f\n", lat[count / 2],
		       lat[(int)(count * 0.99)]);
		return 0;
	}
	return 2;
}
