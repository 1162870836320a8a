/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The libmnl wrapper: one generic netlink socket talking to the "vzroute"
 * family, with the kernel's error and extended-ACK message kept for the
 * caller to report.
 */
#ifndef VZROUTE_NL_H
#define VZROUTE_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/netlink.h>

#define NL_REQ_SIZE	16384
#define NL_RECV_SIZE	32768	/* the most the kernel puts in one dump skb */
#define NL_EXTACK_SIZE	256
/* How often a dump that raced with changes is done again before giving up. */
#define NL_DUMP_REDO	29

/* What the generic netlink controller says about a family. */
struct nl_family {
	char name[32];
	uint16_t id;
	uint32_t version;
	uint32_t group;		/* id of the multicast group asked for, or 0 */
};

struct nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	struct nl_family family;
	char *sbuf;		/* the request being built */
	char *rbuf;		/* what the kernel sends */
	char extack[NL_EXTACK_SIZE];	/* message of the last error, or "" */
};

/* Called once per message of an answer (not for NLMSG_ERROR or _DONE). */
typedef int (*nl_msg_cb)(const struct nlmsghdr *nlh, void *data);

/*
 * Opens the socket and looks the vzroute family up. On failure prints the
 * reason (the module not being loaded is one) and returns 1, the exit
 * code; 0 on success.
 */
int nl_open(struct nl *nl);
void nl_close(struct nl *nl);

/* Starts a request of the vzroute family in nl->sbuf. */
struct nlmsghdr *nl_request(struct nl *nl, uint8_t cmd, uint16_t flags);

/* Adds attributes to a request; false when it does not fit. */
bool nl_put_u8(struct nlmsghdr *nlh, uint16_t type, uint8_t v);
bool nl_put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v);
bool nl_put_str(struct nlmsghdr *nlh, uint16_t type, const char *s);

/*
 * Sends the request (which should carry NLM_F_ACK) and runs cb, which may
 * be NULL, on each answer until the acknowledgement. Returns 0 or a
 * negative errno; the kernel's extack message, if any, is in nl->extack.
 */
int nl_do(struct nl *nl, struct nlmsghdr *req, nl_msg_cb cb, void *data);

/*
 * Dumps cmd, calling reset (which may be NULL) before each try and cb on
 * each message. A dump flagged NLM_F_DUMP_INTR is thrown away and done
 * again after a growing pause (a few seconds in all), at most NL_DUMP_REDO
 * times. The last try is read to its end whatever its flags: -EINTR then
 * says that what cb was given may mix states from before and after a
 * change.
 */
int nl_dump(struct nl *nl, uint8_t cmd, nl_msg_cb cb, void (*reset)(void *),
	    void *data);

/* One request and what to do with it (nl_once). */
struct nl_req {
	uint8_t cmd;
	/* Puts the attributes, or says why they do not fit and returns false. */
	bool (*fill)(struct nlmsghdr *req, const void *arg);
	const void *arg;
	nl_msg_cb cb;		/* runs on each answer, as for nl_do() */
	void *data;
	uint16_t *family_id;	/* gets the family's id, for cb to check */
	const char *what;	/* for nl_fail() */
	bool change;
};

/*
 * One request on a socket of its own: opens it (nl_open), builds the
 * request (fill and family_id may be NULL), runs nl_do and closes. On
 * failure prints why (nl_fail). Returns the exit code, 0 or 1.
 */
int nl_once(const struct nl_req *r);

/*
 * Prints "vzroute: WHAT: STRERROR[: EXTACK]" for a negative errno from
 * nl_do() or nl_dump(), or the permission message when the request was a
 * change and the kernel said EPERM or EACCES. Returns 1, the exit code.
 */
int nl_fail(const struct nl *nl, const char *what, int err, bool change);

/* For the monitor. */
int nl_fd(const struct nl *nl);
int nl_join_group(struct nl *nl, uint32_t group);
/* Joins the generic netlink controller's "notify" group. */
int nl_join_ctrl_notify(struct nl *nl);
/*
 * Parses a controller message (GETFAMILY answer, NEWFAMILY, DELFAMILY),
 * noting the id of the multicast group called group.
 */
int nl_parse_family(const struct nlmsghdr *nlh, const char *group,
		    struct nl_family *fam);
/*
 * Looks the vzroute family up (again) into nl->family, group being the
 * "events" group; 0 or -errno, -ENOENT when the family does not exist.
 */
int nl_resolve(struct nl *nl);
/* Receives one datagram into nl->rbuf; its length or -errno. */
int nl_recv(struct nl *nl);

#endif
