// SPDX-License-Identifier: GPL-2.0
/*
 * Checks that a VZROUTE_CMD_GET_ADDRS dump that races with a change is
 * flagged NLM_F_DUMP_INTR.
 *
 * usage: dumpintr CMD [ARGS...]   (module loaded, enough addresses tracked
 *                                  for three parts of the dump)
 *
 * Starts the dump and reads its first part with a small buffer (4096
 * bytes, so that every later part is at most that big), runs CMD, then
 * reads the rest. The kernel builds the next part of a dump when the
 * previous one is read: reading the first part built the second before
 * CMD ran, and reading the second builds the third after it, so the third
 * must be flagged when CMD changed what the dump shows.
 *
 * With DUMPINTR_FIRST=FILE in the environment, the IPv4 addresses the
 * first part carried are written to FILE, one a line, before CMD runs
 * (CMD may delete them: the dump must go on with every other entry).
 *
 * Prints "parts=N entries=N intr=0|1"; exits 0 when a message was flagged,
 * 1 when none was, 2 on error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vzroute.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define PART_MAX	4096

static struct mnl_socket *nl;
static unsigned int seq;

static struct nlmsghdr *start(void *buf, uint16_t type, uint8_t cmd,
			      uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static uint16_t resolve_family(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = start(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
				     NLM_F_ACK);
	struct nlattr *attr;
	uint16_t id = 0;
	int n;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VZROUTE_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("sendto");
	n = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		die("recvfrom");
	nlh = (struct nlmsghdr *)buf;
	if (!mnl_nlmsg_ok(nlh, n) || nlh->nlmsg_type == NLMSG_ERROR) {
		fprintf(stderr, "dumpintr: family %s not found\n",
			VZROUTE_GENL_NAME);
		exit(2);
	}
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
			id = mnl_attr_get_u16(attr);
	/* the ACK */
	if (mnl_socket_recvfrom(nl, buf, sizeof(buf)) < 0)
		die("recvfrom");
	return id;
}

/* Write @nlh's address to @f when it is an IPv4 one. */
static void put_addr(FILE *f, const struct nlmsghdr *nlh)
{
	const struct nlattr *a;
	char s[INET_ADDRSTRLEN];

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != VZROUTE_A_ADDR_ADDR ||
		    mnl_attr_get_payload_len(a) != 4)
			continue;
		if (inet_ntop(AF_INET, mnl_attr_get_payload(a), s, sizeof(s)))
			fprintf(f, "%s\n", s);
	}
}

/*
 * Read one part; count its entries and flags, and write their addresses
 * to @f unless it is NULL. Return: 1 at the end.
 */
static int read_part(int *entries, int *intr, FILE *f)
{
	char buf[PART_MAX];
	struct nlmsghdr *nlh;
	int n, done = 0;

	n = (int)recv(mnl_socket_get_fd(nl), buf, sizeof(buf), 0);
	if (n < 0)
		die("recv");
	for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, n);
	     nlh = mnl_nlmsg_next(nlh, &n)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			*intr = 1;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			fprintf(stderr, "dumpintr: dump failed\n");
			exit(2);
		}
		if (nlh->nlmsg_type == NLMSG_DONE)
			done = 1;
		else
			(*entries)++;
		if (f && nlh->nlmsg_type != NLMSG_DONE)
			put_addr(f, nlh);
	}
	return done;
}

int main(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int parts = 1, entries = 0, intr = 0, status;
	const char *first = getenv("DUMPINTR_FIRST");
	struct nlmsghdr *nlh;
	uint16_t family;
	FILE *f = NULL;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: dumpintr CMD [ARGS...]\n");
		return 2;
	}
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("socket");
	family = resolve_family();

	nlh = start(buf, family, VZROUTE_CMD_GET_ADDRS, NLM_F_DUMP);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("sendto");
	if (first) {
		f = fopen(first, "w");
		if (!f)
			die(first);
	}
	if (read_part(&entries, &intr, f)) {
		fprintf(stderr, "dumpintr: the dump fits one part; track more addresses\n");
		return 2;
	}
	if (f && fclose(f))
		die(first);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "dumpintr: %s failed\n", argv[1]);
		return 2;
	}
	do
		parts++;
	while (!read_part(&entries, &intr, NULL));
	printf("parts=%d entries=%d intr=%d\n", parts, entries, intr);
	if (parts < 3)
		fprintf(stderr, "dumpintr: only %d parts: no part was built after the change\n",
			parts);
	return intr ? 0 : 1;
}
