// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace arm of the benchmark: what a daemon outside the kernel has
 * to do to keep host routes for container addresses. It listens to address
 * events in every container namespace over rtnetlink and adds or deletes
 * the host route in the initial namespace, one request at a time.
 *
 * usage: usd PROTO NNS     namespaces s0..s<NNS-1>; host side of si: vsi
 * Prints "ready" once subscribed; runs until killed.
 */
#include <net/if.h>
#include <sys/epoll.h>

#include "nlutil.h"

int main(int argc, char **argv)
{
	struct mnl_socket *host, **ct;
	int proto, nns, i, ep, *hostif;
	char name[32];

	if (argc != 3)
		return 2;
	proto = atoi(argv[1]);
	nns = atoi(argv[2]);
	host = rtnl_open_in(NULL, 0);
	ct = calloc(nns, sizeof(*ct));
	hostif = calloc(nns, sizeof(*hostif));
	ep = epoll_create1(0);
	for (i = 0; i < nns; i++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };
		int bufsz = 64 << 20;

		snprintf(name, sizeof(name), "s%d", i);
		ct[i] = rtnl_open_in(name, RTMGRP_IPV4_IFADDR);
		setsockopt(mnl_socket_get_fd(ct[i]), SOL_SOCKET, SO_RCVBUFFORCE,
			   &bufsz, sizeof(bufsz));
		snprintf(name, sizeof(name), "vs%d", i);
		hostif[i] = if_nametoindex(name);
		if (!hostif[i])
			die(name);
		epoll_ctl(ep, EPOLL_CTL_ADD, mnl_socket_get_fd(ct[i]), &ev);
	}
	printf("ready\n");
	fflush(stdout);

	for (;;) {
		struct epoll_event evs[64];
		int n = epoll_wait(ep, evs, 64, -1), e;

		for (e = 0; e < n; e++) {
			char buf[65536], req[512];
			struct nlmsghdr *nlh;
			int len;

			i = evs[e].data.u32;
			len = mnl_socket_recvfrom(ct[i], buf, sizeof(buf));
			if (len < 0)
				die("recv");
			for (nlh = (void *)buf; mnl_nlmsg_ok(nlh, len);
			     nlh = mnl_nlmsg_next(nlh, &len)) {
				struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
				struct nlattr *a;
				uint32_t local = 0;

				if (ifa->ifa_family != AF_INET)
					continue;
				mnl_attr_for_each(a, nlh, sizeof(*ifa))
					if (mnl_attr_get_type(a) == IFA_LOCAL)
						local = ntohl(mnl_attr_get_u32(a));
				if (!local || (local >> 24) == 127)
					continue;
				if (nlh->nlmsg_type == RTM_NEWADDR)
					rtnl_talk(host, route_msg(req, RTM_NEWROUTE,
						  NLM_F_CREATE | NLM_F_REPLACE,
						  hostif[i], local, proto, 128));
				else if (nlh->nlmsg_type == RTM_DELADDR)
					rtnl_talk(host, route_msg(req, RTM_DELROUTE, 0,
						  hostif[i], local, proto, 128));
			}
		}
	}
}
