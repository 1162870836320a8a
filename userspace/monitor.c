// SPDX-License-Identifier: GPL-2.0
/*
 * vzroute monitor: one line per event of the "events" multicast group,
 * until SIGINT or SIGTERM. The generic netlink controller's notifications
 * are followed too, so that the monitor keeps going across an unload and
 * reload of the module (the family and its group get new ids then).
 */

#define _GNU_SOURCE

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/vzroute.h>

#include "addr.h"
#include "json.h"
#include "nl.h"
#include "subcommands.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * Catches sig, even where it was ignored: a shell starts a background job
 * with SIGINT ignored, and "kill -INT" must still end the monitor.
 */
static void catch(int sig, sigset_t *blocked)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	sigaddset(blocked, sig);
}

/* 2026-11-27T14:03:05.123Z */
static void timestamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

static int print_event(const struct vz_addr *a)
{
	char ts[64], addr[VZ_ADDR_STRLEN], ct[VZ_ADDR_STRLEN],
	     host[VZ_ADDR_STRLEN];
	const char *event = vz_event_name(a->event);
	const char *state = vz_state_name(a->state);
	struct json j;

	timestamp(ts, sizeof(ts));
	if (opts.json) {
		/* always compact: one object per line */
		json_init(&j, stdout, false);
		json_begin_object(&j);
		json_kv_string(&j, "time", ts);
		json_kv_string(&j, "event", event);
		vz_addr_json(&j, a);
		json_end_object(&j);
		putchar('\n');
	} else {
		vz_addr_ntop(a, addr, sizeof(addr));
		vz_ct_ifname(a, ct, sizeof(ct));
		vz_host_ifname(a, host, sizeof(host));
		vz_printable(ct);
		vz_printable(host);
		printf("%s %s %s %s@%u via %s", ts, event, addr, ct,
		       a->ct_netns, host);
		if (a->has_route)
			printf(" [proto %u metric %u table %u]", a->route_proto,
			       a->route_metric, a->route_table);
		if (a->n_neigh || a->event == VZROUTE_EVENT_NEIGH) {
			char nb[128];

			vz_neigh_str(a, nb, sizeof(nb));
			printf(" [neigh %s]", nb);
		}
		if (a->state == VZROUTE_STATE_FAILED)
			printf(" [%s]", vz_addr_strerror(a));
		else if (strcmp(state, event))
			printf(" [state %s]", state);
		putchar('\n');
	}
	if (fflush(stdout) == EOF)
		return -errno;
	return 0;
}

/* A notification of the generic netlink controller. */
static void ctrl_msg(struct nl *nl, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct nl_family fam;
	bool was_joined = nl->family.id && nl->family.group;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl) ||
	    nl_parse_family(nlh, VZROUTE_MCGRP_EVENTS, &fam) < 0 ||
	    strcmp(fam.name, VZROUTE_GENL_NAME))
		return;
	switch (genl->cmd) {
	case CTRL_CMD_DELFAMILY:
		if (!nl->family.id)
			return;
		memset(&nl->family, 0, sizeof(nl->family));
		fprintf(stderr, "vzroute: monitor: the vzroute module was "
			"unloaded; waiting for it to come back\n");
		return;
	case CTRL_CMD_NEWFAMILY:
	case CTRL_CMD_NEWMCAST_GRP:
		if (was_joined || !fam.id || !fam.group)
			return;
		nl->family = fam;
		err = nl_join_group(nl, fam.group);
		if (err) {
			fprintf(stderr, "vzroute: monitor: joining the events "
				"group again: %s\n", strerror(-err));
			return;
		}
		fprintf(stderr, "vzroute: monitor: the vzroute module is back\n");
		return;
	}
}

static int handle(struct nl *nl, int len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)nl->rbuf;

	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
		struct vz_addr_ext ext;
		struct vz_addr a;
		int err;

		if (nlh->nlmsg_type < NLMSG_MIN_TYPE ||
		    mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
			continue;
		if (nlh->nlmsg_type == GENL_ID_CTRL) {
			ctrl_msg(nl, nlh);
			continue;
		}
		if (!nl->family.id || nlh->nlmsg_type != nl->family.id ||
		    genl->cmd != VZROUTE_CMD_EVENT)
			continue;
		if (vz_addr_parse(nlh, &a, &ext) < 0) {
			fprintf(stderr, "vzroute: monitor: skipped a malformed "
				"event\n");
			continue;
		}
		err = print_event(&a);
		if (err)
			return err;
	}
	return 0;
}

int cmd_monitor(int argc, char **argv)
{
	static const char usage[] = "monitor [-j]";
	sigset_t blocked, waitmask;
	int rcvbuf = 1 << 20;
	struct nl nl;
	int err = output_args(argc, argv, usage);

	if (err >= 0)
		return err;
	err = 0;
	/*
	 * From here on the signals are blocked except inside ppoll(): one
	 * that comes while setting up, or between the check of stop and the
	 * wait, ends the monitor there, with exit code 0.
	 */
	sigemptyset(&blocked);
	catch(SIGINT, &blocked);
	catch(SIGTERM, &blocked);
	sigprocmask(SIG_BLOCK, &blocked, &waitmask);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);

	if (nl_open(&nl))
		return EXIT_FAIL;
	if (!nl.family.group) {
		fprintf(stderr, "vzroute: monitor: the vzroute module has no "
			"\"%s\" group\n", VZROUTE_MCGRP_EVENTS);
		nl_close(&nl);
		return EXIT_FAIL;
	}
	/*
	 * First the controller's group, as that takes a request whose answer
	 * is read past anything else arriving: joined later, events would be
	 * lost there. Without it the monitor only misses a module reload.
	 */
	nl_join_ctrl_notify(&nl);
	err = nl_join_group(&nl, nl.family.group);
	if (err) {
		nl_fail(&nl, "joining the events group", err, false);
		nl_close(&nl);
		return EXIT_FAIL;
	}
	/* Room for bursts; the kernel caps it at net.core.rmem_max. */
	setsockopt(nl_fd(&nl), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	/*
	 * Subscribed: every event from now on reaches the socket. Scripts
	 * (and the tests) wait for this line before causing events.
	 */
	fprintf(stderr, "vzroute: monitor: listening\n");

	while (!stop) {
		struct pollfd pfd = { .fd = nl_fd(&nl), .events = POLLIN };
		int len;

		if (ppoll(&pfd, 1, NULL, &waitmask) < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		len = nl_recv(&nl);
		if (len == -ENOBUFS) {
			fprintf(stderr, "vzroute: monitor: events were lost "
				"(socket receive buffer overrun)\n");
			continue;
		}
		if (len < 0) {
			err = len;
			break;
		}
		err = handle(&nl, len);
		if (err)
			break;
	}
	nl_close(&nl);
	if (err == -EPIPE)
		return EXIT_FAIL;
	if (err) {
		fprintf(stderr, "vzroute: receiving events: %s\n",
			strerror(-err));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
