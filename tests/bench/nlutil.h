/* SPDX-License-Identifier: GPL-2.0 */
/* Small rtnetlink helpers shared by the benchmark programs. */
#ifndef _VZR_BENCH_NLUTIL_H
#define _VZR_BENCH_NLUTIL_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void die(const char *what)
{
	perror(what);
	exit(1);
}

/* A NETLINK_ROUTE socket in the named netns (or the current one). */
static inline struct mnl_socket *rtnl_open_in(const char *netns,
					      unsigned int groups)
{
	struct mnl_socket *nl;
	int self = -1, fd;
	char path[256];

	if (netns) {
		self = open("/proc/self/ns/net", O_RDONLY);
		snprintf(path, sizeof(path), "/run/netns/%s", netns);
		fd = open(path, O_RDONLY);
		if (self < 0 || fd < 0 || setns(fd, CLONE_NEWNET))
			die(path);
		close(fd);
	}
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, groups, MNL_SOCKET_AUTOPID) < 0)
		die("netlink");
	if (netns) {
		if (setns(self, CLONE_NEWNET))
			die("setns back");
		close(self);
	}
	return nl;
}

/* Send one request and wait for its ACK; return 0 or -errno. */
static inline int rtnl_talk(struct mnl_socket *nl, struct nlmsghdr *nlh)
{
	char buf[8192];
	int n;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	return mnl_cb_run(buf, n, nlh->nlmsg_seq, 0, NULL, NULL) < 0 ? -errno : 0;
}

/* A message of type and flags with a zeroed family header of size bytes. */
static inline struct nlmsghdr *msg_start(char *buf, int type, int flags,
					 size_t size)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	static unsigned int seq;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = ++seq;
	mnl_nlmsg_put_extra_header(nlh, size);
	return nlh;
}

static inline struct nlmsghdr *addr_msg(char *buf, int type, int flags,
					int ifindex, uint32_t addr)
{
	struct nlmsghdr *nlh = msg_start(buf, type, flags,
					 sizeof(struct ifaddrmsg));
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 32;
	ifa->ifa_index = ifindex;
	mnl_attr_put_u32(nlh, IFA_LOCAL, htonl(addr));
	mnl_attr_put_u32(nlh, IFA_ADDRESS, htonl(addr));
	return nlh;
}

static inline struct nlmsghdr *route_msg(char *buf, int type, int flags,
					 int ifindex, uint32_t addr,
					 int proto, uint32_t metric)
{
	struct nlmsghdr *nlh = msg_start(buf, type, flags, sizeof(struct rtmsg));
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = proto;
	rtm->rtm_type = RTN_UNICAST;
	rtm->rtm_scope = type == RTM_NEWROUTE ? RT_SCOPE_LINK : RT_SCOPE_NOWHERE;
	mnl_attr_put_u32(nlh, RTA_DST, htonl(addr));
	mnl_attr_put_u32(nlh, RTA_OIF, ifindex);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, metric);
	return nlh;
}

#endif
