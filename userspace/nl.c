// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink plumbing on top of libmnl. libmnl builds and walks the
 * messages; answers are dispatched here rather than by mnl_cb_run() so that
 * the extended ACK can be read from NLMSG_ERROR and NLMSG_DONE, and so that
 * a dump flagged NLM_F_DUMP_INTR can be drained to its end before it is
 * done again.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vzroute.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static uint32_t next_seq(struct nl *nl)
{
	if (++nl->seq == 0)
		nl->seq = 1;
	return nl->seq;
}

/* --- extended ACK ------------------------------------------------------ */

static int extack_attr_cb(const struct nlattr *attr, void *data)
{
	struct nl *nl = data;
	size_t len;

	if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;
	snprintf(nl->extack, sizeof(nl->extack), "%s",
		 mnl_attr_get_str(attr));
	len = strlen(nl->extack);
	while (len && nl->extack[len - 1] == '\n')
		nl->extack[--len] = '\0';
	return MNL_CB_OK;
}

/* The errno of an NLMSG_ERROR (0 for an ACK), with its extack saved. */
static int parse_error(struct nl *nl, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	size_t off;

	if (plen < sizeof(*e))
		return plen >= sizeof(int) ? e->error : -EBADMSG;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e->msg.nlmsg_len >= sizeof(struct nlmsghdr))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		if (MNL_ALIGN(off) <= plen)
			mnl_attr_parse(nlh, off, extack_attr_cb, nl);
	}
	return e->error > 0 ? -e->error : e->error;
}

/* NLMSG_DONE carries the dump's errno, and maybe an extack after it. */
static int parse_done(struct nl *nl, const struct nlmsghdr *nlh)
{
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	int err;

	if (plen < sizeof(int))
		return 0;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && MNL_ALIGN(sizeof(int)) <= plen)
		mnl_attr_parse(nlh, sizeof(int), extack_attr_cb, nl);
	return err > 0 ? -err : err;
}

/* --- sending and receiving --------------------------------------------- */

int nl_recv(struct nl *nl)
{
	ssize_t n;

	do {
		n = mnl_socket_recvfrom(nl->sock, nl->rbuf, NL_RECV_SIZE);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (int)n;
}

static int send_req(struct nl *nl, const struct nlmsghdr *req)
{
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -errno;
	return 0;
}

/*
 * Reads the answers to request seq up to its NLMSG_ERROR or NLMSG_DONE.
 * When intr is given (a dump), it is set as soon as one message carries
 * NLM_F_DUMP_INTR, and cb is not called any more for that try unless
 * keep is set.
 */
static int run(struct nl *nl, uint32_t seq, nl_msg_cb cb, void *data,
	       bool *intr, bool keep)
{
	nl->extack[0] = '\0';
	for (;;) {
		const struct nlmsghdr *nlh;
		int len = nl_recv(nl);

		if (len < 0)
			return len;
		nlh = (const struct nlmsghdr *)nl->rbuf;
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			int err;

			/* left over from an earlier request: not ours */
			if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != nl->portid)
				continue;
			if (intr && (nlh->nlmsg_flags & NLM_F_DUMP_INTR))
				*intr = true;
			switch (nlh->nlmsg_type) {
			case NLMSG_NOOP:
				continue;
			case NLMSG_ERROR:
				err = parse_error(nl, nlh);
				if (!err && nl->extack[0])
					fprintf(stderr, "vzroute: warning: %s\n",
						nl->extack);
				return err;
			case NLMSG_DONE:
				return parse_done(nl, nlh);
			case NLMSG_OVERRUN:
				return -EOVERFLOW;
			}
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE || !cb ||
			    (intr && *intr && !keep))
				continue;
			err = cb(nlh, data);
			if (err < 0)
				return err;
		}
	}
}

int nl_do(struct nl *nl, struct nlmsghdr *req, nl_msg_cb cb, void *data)
{
	int err = send_req(nl, req);

	if (err)
		return err;
	return run(nl, req->nlmsg_seq, cb, data, NULL, false);
}

int nl_once(const struct nl_req *r)
{
	struct nlmsghdr *req;
	struct nl nl;
	int err;

	if (nl_open(&nl))
		return 1;
	if (r->family_id)
		*r->family_id = nl.family.id;
	req = nl_request(&nl, r->cmd, NLM_F_ACK);
	if (r->fill && !r->fill(req, r->arg)) {
		nl_close(&nl);
		return 1;
	}
	err = nl_do(&nl, req, r->cb, r->data);
	if (err)
		nl_fail(&nl, r->what, err, r->change);
	nl_close(&nl);
	return err ? 1 : 0;
}

/*
 * Before try number try (1...): 1 ms, doubling up to 128 ms, so that a
 * burst of changes has time to end; about 3 s over all the tries.
 */
static void pause_before(int try)
{
	long ms = 1L << (try < 8 ? try - 1 : 7);
	struct timespec ts = { .tv_sec = 0, .tv_nsec = ms * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int nl_dump(struct nl *nl, uint8_t cmd, nl_msg_cb cb, void (*reset)(void *),
	    void *data)
{
	for (int try = 0; try <= NL_DUMP_REDO; try++) {
		struct nlmsghdr *req;
		bool intr = false;
		int err;

		if (try)
			pause_before(try);
		if (reset)
			reset(data);
		req = nl_request(nl, cmd, NLM_F_DUMP | NLM_F_ACK);
		err = send_req(nl, req);
		if (!err)
			err = run(nl, req->nlmsg_seq, cb, data, &intr,
				  try == NL_DUMP_REDO);
		if (err)
			return err;
		if (!intr)
			return 0;
	}
	return -EINTR;
}

/* --- requests ---------------------------------------------------------- */

static struct nlmsghdr *put_genl_header(struct nl *nl, uint16_t type,
					uint16_t flags, uint8_t cmd,
					uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->sbuf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = next_seq(nl);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *nl_request(struct nl *nl, uint8_t cmd, uint16_t flags)
{
	return put_genl_header(nl, nl->family.id, flags, cmd,
			       VZROUTE_GENL_VERSION);
}

bool nl_put_u8(struct nlmsghdr *nlh, uint16_t type, uint8_t v)
{
	return mnl_attr_put_u8_check(nlh, NL_REQ_SIZE, type, v);
}

bool nl_put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	return mnl_attr_put_u32_check(nlh, NL_REQ_SIZE, type, v);
}

bool nl_put_str(struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	return mnl_attr_put_strz_check(nlh, NL_REQ_SIZE, type, s);
}

/* --- the family -------------------------------------------------------- */

/*
 * The controller's attributes, by type, in a message or in a group's nest;
 * one of a type other than the controller's is left out.
 */
struct ctrl_attrs {
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
};

static const enum mnl_attr_data_type family_types[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID] = MNL_TYPE_U16,
	[CTRL_ATTR_FAMILY_NAME] = MNL_TYPE_NUL_STRING,
	[CTRL_ATTR_VERSION] = MNL_TYPE_U32,
	[CTRL_ATTR_MCAST_GROUPS] = MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type grp_types[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME] = MNL_TYPE_NUL_STRING,
	[CTRL_ATTR_MCAST_GRP_ID] = MNL_TYPE_U32,
};

static int store_attr(const struct nlattr *attr, struct ctrl_attrs *c,
		      const enum mnl_attr_data_type *types)
{
	uint16_t type = mnl_attr_get_type(attr);

	if (type <= CTRL_ATTR_MAX && types[type] != MNL_TYPE_UNSPEC &&
	    mnl_attr_validate(attr, types[type]) >= 0)
		c->tb[type] = attr;
	return MNL_CB_OK;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	return store_attr(attr, data, family_types);
}

static int grp_attr_cb(const struct nlattr *attr, void *data)
{
	return store_attr(attr, data, grp_types);
}

int nl_parse_family(const struct nlmsghdr *nlh, const char *group,
		    struct nl_family *fam)
{
	struct ctrl_attrs c = { { NULL } }, g;
	const struct nlattr *nest, **tb = c.tb;

	memset(fam, 0, sizeof(*fam));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -EBADMSG;
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb,
			   &c) < 0)
		return -EBADMSG;
	if (tb[CTRL_ATTR_FAMILY_NAME])
		snprintf(fam->name, sizeof(fam->name), "%s",
			 mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]));
	if (tb[CTRL_ATTR_FAMILY_ID])
		fam->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION])
		fam->version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS] || !group)
		return 0;
	mnl_attr_for_each_nested(nest, tb[CTRL_ATTR_MCAST_GROUPS]) {
		if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
			continue;
		memset(&g, 0, sizeof(g));
		mnl_attr_parse_nested(nest, grp_attr_cb, &g);
		if (g.tb[CTRL_ATTR_MCAST_GRP_NAME] && g.tb[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(mnl_attr_get_str(g.tb[CTRL_ATTR_MCAST_GRP_NAME]), group))
			fam->group = mnl_attr_get_u32(g.tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

struct getfamily {
	const char *group;
	struct nl_family *fam;
};

static int getfamily_cb(const struct nlmsghdr *nlh, void *data)
{
	struct getfamily *gf = data;

	if (nlh->nlmsg_type != GENL_ID_CTRL)
		return 0;
	return nl_parse_family(nlh, gf->group, gf->fam);
}

static int resolve(struct nl *nl, const char *name, const char *group,
		   struct nl_family *fam)
{
	struct getfamily gf = { group, fam };
	struct nlmsghdr *req;
	int err;

	req = put_genl_header(nl, GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(req, CTRL_ATTR_FAMILY_NAME, name);
	memset(fam, 0, sizeof(*fam));
	err = nl_do(nl, req, getfamily_cb, &gf);
	if (err)
		return err;
	if (!fam->id)
		return -ENOENT;
	return 0;
}

int nl_resolve(struct nl *nl)
{
	return resolve(nl, VZROUTE_GENL_NAME, VZROUTE_MCGRP_EVENTS, &nl->family);
}

/* --- the socket -------------------------------------------------------- */

int nl_open(struct nl *nl)
{
	int one = 1;
	int err;

	memset(nl, 0, sizeof(*nl));
	nl->sbuf = calloc(1, NL_REQ_SIZE);
	nl->rbuf = malloc(NL_RECV_SIZE);
	if (!nl->sbuf || !nl->rbuf) {
		fprintf(stderr, "vzroute: %s\n", strerror(ENOMEM));
		goto fail;
	}
	nl->sock = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!nl->sock) {
		fprintf(stderr, "vzroute: generic netlink socket: %s\n",
			strerror(errno));
		goto fail;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "vzroute: generic netlink socket: %s\n",
			strerror(errno));
		goto fail;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	/* Both are only helpful; a kernel without them still answers. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));

	err = nl_resolve(nl);
	if (err == -ENOENT) {
		fprintf(stderr, "vzroute: the vzroute kernel module is not loaded "
			"(try: modprobe vzroute)\n");
		goto fail;
	}
	if (err) {
		nl_fail(nl, "looking up the vzroute netlink family", err, false);
		goto fail;
	}
	return 0;
fail:
	nl_close(nl);
	return 1;
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->sbuf);
	free(nl->rbuf);
	nl->sock = NULL;
	nl->sbuf = NULL;
	nl->rbuf = NULL;
}

int nl_fd(const struct nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

int nl_join_group(struct nl *nl, uint32_t group)
{
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return -errno;
	return 0;
}

int nl_join_ctrl_notify(struct nl *nl)
{
	struct nl_family ctrl;
	int err;

	/* The controller lists its own "notify" group like any family's. */
	err = resolve(nl, "nlctrl", "notify", &ctrl);
	if (err)
		return err;
	if (!ctrl.group)
		return -ENOENT;
	return nl_join_group(nl, ctrl.group);
}

int nl_fail(const struct nl *nl, const char *what, int err, bool change)
{
	if (err > 0)
		err = -err;
	if (change && (err == -EPERM || err == -EACCES)) {
		fprintf(stderr, "vzroute: permission denied: changing vzroute "
			"needs CAP_NET_ADMIN in the initial user namespace "
			"(root on the node)\n");
	} else if (nl->extack[0]) {
		fprintf(stderr, "vzroute: %s: %s: %s\n", what, strerror(-err),
			nl->extack);
	} else {
		fprintf(stderr, "vzroute: %s: %s\n", what, strerror(-err));
	}
	return 1;
}
