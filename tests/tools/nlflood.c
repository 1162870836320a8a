// SPDX-License-Identifier: GPL-2.0
/*
 * What a hostile container's root can do to netlink sockets it can reach:
 * send junk, as fast as it can, to every NETLINK_ROUTE socket of its
 * network namespace that /proc/net/netlink lists (the kernel's rtnetlink
 * socket, portid 0, included), re-reading the list every 200 ms so that
 * sockets made meanwhile are hit too. Half the messages carry a netlink
 * header with a random route message type and flags, the rest are random
 * bytes. Bounded: it stops by itself after SECONDS.
 *
 * It refuses to run in the user namespace of PID 1: there the junk would
 * reach the kernel's rtnetlink with privileges beyond one namespace. Run it
 * as a container's root (a user namespace of its own), in the container.
 *
 * usage: nlflood SECONDS [PROCESSES]   (default: one process)
 * Prints "nlflood: N messages ... to M portids" at the end; exit 0.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PORTIDS 1024

static uint32_t portids[MAX_PORTIDS];
static unsigned int n_portids;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The portids of the NETLINK_ROUTE sockets of this namespace. */
static void read_portids(void)
{
	FILE *f = fopen("/proc/net/netlink", "r");
	char line[512];

	n_portids = 0;
	if (!f)
		return;
	if (!fgets(line, sizeof(line), f)) {	/* the header */
		fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f) && n_portids < MAX_PORTIDS) {
		unsigned long long sk;
		unsigned int proto;
		uint32_t portid;

		if (sscanf(line, "%llx %u %u", &sk, &proto, &portid) == 3 &&
		    proto == NETLINK_ROUTE)
			portids[n_portids++] = portid;
	}
	fclose(f);
}

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned long flood(double seconds, unsigned int id)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	unsigned long sent = 0;
	double end = now() + seconds, reread = 0, t;
	unsigned char buf[512];
	int fd;

	rng ^= (uint64_t)getpid() << 20 | id;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		perror("nlflood: socket");
		return 0;
	}
	while ((t = now()) < end) {
		if (t >= reread) {
			read_portids();
			reread = t + 0.2;
		}
		for (unsigned int i = 0; i < n_portids; i++) {
			size_t len = 16 + next() % (sizeof(buf) - 16);
			struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

			for (size_t k = 0; k < len; k += 8) {
				uint64_t r = next();

				memcpy(buf + k, &r, len - k < 8 ? len - k : 8);
			}
			if (next() & 1) {
				nlh->nlmsg_len = len;
				nlh->nlmsg_type = 16 + next() % 100;
				nlh->nlmsg_flags = NLM_F_REQUEST | (next() & 0x3fe);
			}
			to.nl_pid = portids[i];
			if (sendto(fd, buf, len, MSG_DONTWAIT,
				   (struct sockaddr *)&to, sizeof(to)) >= 0)
				sent++;
		}
		if (!n_portids)
			usleep(10000);
	}
	close(fd);
	return sent;
}

/*
 * Is the caller in PID 1's user namespace? There its privileges reach past
 * its network namespace. A caller that may not even look at PID 1's
 * namespaces (a container's root) is not.
 */
static int in_init_userns(void)
{
	struct stat self, init;

	if (stat("/proc/1/ns/user", &init))
		return 0;
	if (stat("/proc/self/ns/user", &self))
		return 1;
	return self.st_ino == init.st_ino && self.st_dev == init.st_dev;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 0;
	unsigned int procs = argc > 2 ? (unsigned int)atoi(argv[2]) : 1;
	unsigned long sent;

	if (seconds <= 0 || seconds > 600 || !procs || procs > 64) {
		fprintf(stderr, "usage: nlflood SECONDS(<=600) [PROCESSES(<=64)]\n");
		return 2;
	}
	if (in_init_userns()) {
		fprintf(stderr, "nlflood: refusing to run in PID 1's user namespace: run it as a container's root\n");
		return 2;
	}
	for (unsigned int p = 1; p < procs; p++) {
		if (fork() == 0) {
			flood(seconds, p);
			_exit(0);
		}
	}
	sent = flood(seconds, 0);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	printf("nlflood: %lu messages from one of %u processes to %u portids\n",
	       sent, procs, n_portids);
	return 0;
}
