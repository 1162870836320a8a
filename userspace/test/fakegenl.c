// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for the kernel side, for testing vzroute where the module
 * cannot be loaded. Preloaded (LD_PRELOAD), it turns a NETLINK_GENERIC
 * socket into one end of an AF_UNIX SOCK_SEQPACKET pair and answers the
 * requests written to it the way the uapi header describes, so the tool
 * runs unchanged.
 *
 * FAKEGENL selects the behaviour (comma-separated words):
 *   absent      the family does not exist (CTRL_CMD_GETFAMILY: ENOENT)
 *   eperm       SET_CONFIG and RESYNC fail with EPERM
 *   einval      SET_CONFIG fails with EINVAL and an extack message
 *   intr=K      the first K GET_ADDRS dumps are flagged NLM_F_DUMP_INTR
 *   dumperr     GET_ADDRS ends with an error in NLMSG_DONE (+ extack)
 *   reload      after the events, the module "reloads": DELFAMILY and
 *               NEWFAMILY (new ids) on nlctrl's notify group, then one
 *               event under the new ids once that group is joined
 *   vary        entries (of dumps and events) take the odd paths of the
 *               tool's parser and printers: proxy neighbours, CTIDs,
 *               IPv6 forms, keys that tie, unknown, short, repeated and
 *               flagged attributes, malformed entries; for comparing the
 *               outputs of two builds (make check does not use it)
 * FAKEGENL_N      number of addresses in a dump (default 6)
 * FAKEGENL_LOG    file that gets one line per request (command, attrs)
 * FAKEGENL_EVENTS number of events sent when the events group is joined
 */

#define _GNU_SOURCE

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vzroute.h>

static uint16_t FAMILY_ID = 0x2a;
static uint32_t EVENTS_GROUP = 7;
#define NOTIFY_GROUP	0x10
#define PORTID		4242
#define DGRAM_MAX	16384

static int fake_fd = -1, kernel_fd = -1;
static int dumps;
static char dgram[DGRAM_MAX];
static size_t dgram_len;

/* the configuration, as the fake module holds it */
static uint32_t cfg_proto = 157, cfg_metric = 128, cfg_table = 254,
		cfg_max = 64;
static uint8_t cfg_keep;
static char cfg_ifnames[256] = "veth*,vh*";
static char cfg_allow[4096] = "10.0.0.0/8,2001:db8::/32";

static bool mode(const char *word)
{
	const char *m = getenv("FAKEGENL");
	size_t n = strlen(word);

	while (m && *m) {
		if (!strncmp(m, word, n) && (m[n] == ',' || m[n] == '\0' || m[n] == '='))
			return true;
		m = strchr(m, ',');
		if (m)
			m++;
	}
	return false;
}

static long mode_num(const char *word, long def)
{
	const char *m = getenv("FAKEGENL");
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "%s=", word);
	p = m ? strstr(m, key) : NULL;
	return p ? strtol(p + strlen(key), NULL, 10) : def;
}

static void logf_(const char *fmt, ...)
{
	const char *path = getenv("FAKEGENL_LOG");
	va_list ap;
	FILE *f;

	if (!path || !(f = fopen(path, "a")))
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

/* --- building answers ---------------------------------------------------- */

static void flush_dgram(void)
{
	if (dgram_len)
		send(kernel_fd, dgram, dgram_len, 0);
	dgram_len = 0;
}

/* Starts a message in the current datagram, sending the datagram first
 * when there may not be room. */
static struct nlmsghdr *put_msg(uint16_t type, uint16_t flags, uint32_t seq,
				uint32_t pid, uint8_t cmd)
{
	struct nlmsghdr *nlh;

	if (dgram_len > DGRAM_MAX - 1024)
		flush_dgram();
	nlh = mnl_nlmsg_put_header(dgram + dgram_len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = pid;
	if (type >= NLMSG_MIN_TYPE) {
		struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

		g->cmd = cmd;
		g->version = 1;
	}
	return nlh;
}

static void end_msg(struct nlmsghdr *nlh)
{
	dgram_len += MNL_ALIGN(nlh->nlmsg_len);
}

static void put_u64(struct nlmsghdr *nlh, uint16_t type, uint64_t v)
{
	/* as nla_put_u64_64bit() does: a pad attribute when misaligned */
	if ((nlh->nlmsg_len + MNL_ATTR_HDRLEN) % 8)
		mnl_attr_put(nlh, VZROUTE_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, type, v);
}

static void ack(const struct nlmsghdr *req, int error, const char *msg)
{
	struct nlmsghdr *nlh = put_msg(NLMSG_ERROR, 0, req->nlmsg_seq, PORTID, 0);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	/* NETLINK_CAP_ACK: only the header of the request comes back */
	e->error = error;
	e->msg = *req;
	nlh->nlmsg_flags |= NLM_F_CAPPED;
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	end_msg(nlh);
	flush_dgram();
}

static bool vary(void)
{
	static int v = -1;

	if (v < 0)
		v = mode("vary");
	return v;
}

static void put_neigh(struct nlmsghdr *nlh, uint32_t ifindex, const char *name,
		      uint8_t state, int32_t err)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, VZROUTE_A_ADDR_NEIGH);

	if (ifindex)
		mnl_attr_put_u32(nlh, VZROUTE_NEIGH_A_IFINDEX, ifindex);
	if (name)
		mnl_attr_put_strz(nlh, VZROUTE_NEIGH_A_IFNAME, name);
	mnl_attr_put_u8(nlh, VZROUTE_NEIGH_A_STATE, state);
	mnl_attr_put_u32(nlh, VZROUTE_NEIGH_A_ERRNO, (uint32_t)err);
	mnl_attr_nest_end(nlh, nest);
}

/*
 * FAKEGENL=vary: what entry i gets after its usual attributes. A number
 * or an address sent again overrides the first one, as in the tool.
 */
static void put_vary(struct nlmsghdr *nlh, unsigned int i)
{
	static const char *const a6[] = {
		"::", "::1", "::ffff:10.1.2.3", "::10.1.2.3", "::ffff:0:10.1.2.3",
		"2001:db8::1:0:0:1", "2001:db8:0:0:1::1", "fe80::1:2:3:4:5:6",
		"2001:db8:1:2:3:4:5:6", "1:0:0:2:0:0:0:3", "0:0:0:0:0:1:0:0",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::2:3", "2001:db8::",
		"0:1::", "::ffff:1.2.3.4", "100::ffff:1.2.3.4", "::1:0:0:0",
		"::1.0.0.0", "::0.0.0.1", "2001:db8:abcd:12:0:0:0:0",
	};
	static const char *const ctids[] = {
		"101", "8e5a8b0f-2c1e-4b7a-9a44-0123456789ab", "",
		"a-ctid-longer-than-the-forty-bytes-the-tool-keeps-for-it",
		"c\\x\"t\x01\xff",
	};
	uint8_t b[16] = { 0x20, 0x01 };
	uint32_t v4;
	struct nlattr *attr;
	unsigned int k;

	if (i % 11 == 7) {
		inet_pton(AF_INET6, a6[i / 11 % (sizeof(a6) / sizeof(a6[0]))], b);
		mnl_attr_put_u8(nlh, VZROUTE_A_ADDR_FAMILY, AF_INET6);
		mnl_attr_put(nlh, VZROUTE_A_ADDR_ADDR, 16, b);
	}
	/* the same address, namespace and device: the input's order stays */
	if (i % 23 == 5) {
		v4 = htonl(0x0a090909);
		mnl_attr_put(nlh, VZROUTE_A_ADDR_ADDR, 4, &v4);
		mnl_attr_put_u8(nlh, VZROUTE_A_ADDR_FAMILY, AF_INET);
		mnl_attr_put_u32(nlh, VZROUTE_A_ADDR_CT_NETNS, 4026532300u);
	}
	switch (i % 4) {
	case 1:
		put_neigh(nlh, 3, "eth1", VZROUTE_NEIGH_PROXIED, 0);
		break;
	case 2:
		put_neigh(nlh, 3, "eth1", VZROUTE_NEIGH_PROXIED, 0);
		put_neigh(nlh, 4, "eth2", VZROUTE_NEIGH_FOREIGN, 0);
		break;
	case 3:
		put_neigh(nlh, 5, "bond0", VZROUTE_NEIGH_FAILED, 99);
		put_neigh(nlh, 6, "bond1", VZROUTE_NEIGH_NO_PROXY_NDP, 0);
		break;
	}
	/* more than the tool keeps, odd ones among them */
	if (i % 29 == 0) {
		for (k = 0; k < 10; k++)
			put_neigh(nlh, 20 + k, k == 2 ? NULL :
				  k == 3 ? "e\x1b[2Jvil\xc3\xa9" : "up",
				  k == 4 ? 9 : VZROUTE_NEIGH_PROXIED, -1);
		attr = mnl_attr_nest_start(nlh, VZROUTE_A_ADDR_NEIGH);
		mnl_attr_put_u16(nlh, VZROUTE_NEIGH_A_IFINDEX, 7);
		mnl_attr_nest_end(nlh, attr);
	}
	if (i % 7 == 1 || i % 7 == 4)
		mnl_attr_put_strz(nlh, VZROUTE_A_ADDR_CTID,
				  ctids[i / 7 % (sizeof(ctids) / sizeof(ctids[0]))]);
	if (i % 31 == 9)
		mnl_attr_put_strz(nlh, VZROUTE_A_ADDR_CT_IFNAME,
				  "c\x01t\xc3\xa9\xe2\x80\xae");
	if (i % 3 == 0)
		mnl_attr_put_u32(nlh, VZROUTE_A_ADDR_ERRNO, 5);
	/* too short for a u32: left out, the first value stays */
	if (i % 13 == 6)
		mnl_attr_put_u16(nlh, VZROUTE_A_ADDR_CT_IFINDEX, 9);
	/* a state with the byte-order flag, which the type is read without */
	if (i % 41 == 12) {
		attr = mnl_nlmsg_get_payload_tail(nlh);
		mnl_attr_put_u8(nlh, VZROUTE_A_ADDR_STATE, 99);
		attr->nla_type |= NLA_F_NET_BYTEORDER;
	}
	if (i % 43 == 13) {
		mnl_attr_put_u32(nlh, VZROUTE_A_ROUTE_TABLE, 100);
		mnl_attr_put_u32(nlh, VZROUTE_A_ROUTE_METRIC, 4294967295u);
	}
	if (i % 47 == 14)
		mnl_attr_put_u32(nlh, 250, 1);
	if (i % 53 == 15)	/* malformed: an IPv4 address of 5 bytes */
		mnl_attr_put(nlh, VZROUTE_A_ADDR_ADDR, 5, "abcde");
	if (i % 59 == 16) {	/* malformed: 16 bytes of IPv4 */
		mnl_attr_put_u8(nlh, VZROUTE_A_ADDR_FAMILY, AF_INET);
		mnl_attr_put(nlh, VZROUTE_A_ADDR_ADDR, 16, b);
	}
	/* an attribute longer than the message: the rest is not read */
	if (i % 61 == 17) {
		attr = mnl_nlmsg_get_payload_tail(nlh);
		mnl_attr_put_u32(nlh, VZROUTE_A_ADDR_HOST_IFINDEX, 1);
		attr->nla_len = 200;
		mnl_attr_put_u32(nlh, VZROUTE_A_ADDR_CT_NETNS, 1);
	}
}

static void put_addr(struct nlmsghdr *nlh, unsigned int i, uint8_t event)
{
	uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	uint8_t state = (uint8_t)(i % 11 + 1);
	uint32_t a4;
	char name[16];

	/* every third one IPv6, in no particular order */
	if (i % 3 == 2) {
		mnl_attr_put_u8(nlh, VZROUTE_A_ADDR_FAMILY, AF_INET6);
		a6[14] = (uint8_t)(i >> 8);
		a6[15] = (uint8_t)i;
		mnl_attr_put(nlh, VZROUTE_A_ADDR_ADDR, 16, a6);
	} else {
		mnl_attr_put_u8(nlh, VZROUTE_A_ADDR_FAMILY, AF_INET);
		a4 = htonl(0x0a010000u + ((i * 7919u) % 1000000u));
		mnl_attr_put(nlh, VZROUTE_A_ADDR_ADDR, 4, &a4);
	}
	if (event)
		state = event == VZROUTE_EVENT_INSTALLED ? VZROUTE_STATE_INSTALLED :
			event == VZROUTE_EVENT_FAILED ? VZROUTE_STATE_FAILED :
			VZROUTE_STATE_DOWN;
	mnl_attr_put_u32(nlh, VZROUTE_A_ADDR_CT_NETNS, 4026532300u + i % 5);
	/* vary: some without a container side device, some unnamed */
	if (!vary() || i % 37 != 10)
		mnl_attr_put_u32(nlh, VZROUTE_A_ADDR_CT_IFINDEX, 2);
	if (!vary() || i % 37 != 10 || i % 2)
		mnl_attr_put_strz(nlh, VZROUTE_A_ADDR_CT_IFNAME, "eth0");
	mnl_attr_put_u32(nlh, VZROUTE_A_ADDR_HOST_NETNS, 4026531840u);
	mnl_attr_put_u32(nlh, VZROUTE_A_ADDR_HOST_IFINDEX, 10 + i);
	if (i == 4)	/* a name that needs escaping in JSON */
		snprintf(name, sizeof(name), "v\"h\\%c\xff", 'x');
	else if (i == 5)	/* DEL, CSI (C1), RLO, LINE SEPARATOR, LRI */
		snprintf(name, sizeof(name), "v%s",
			 "\x7f\xc2\x9b\xe2\x80\xae\xe2\x80\xa8\xe2\x81\xa6");
	else
		snprintf(name, sizeof(name), "vh%u", i);
	mnl_attr_put_strz(nlh, VZROUTE_A_ADDR_HOST_IFNAME, name);
	mnl_attr_put_u8(nlh, VZROUTE_A_ADDR_STATE, state);
	if (state == VZROUTE_STATE_FAILED)
		mnl_attr_put_u32(nlh, VZROUTE_A_ADDR_ERRNO, ENETUNREACH);
	/* vary: some with neither, "age" 0 (not the clock's: comparable) */
	if (!vary() || i % 17 != 3) {
		put_u64(nlh, VZROUTE_A_ADDR_SINCE, 1795788185ull);
		put_u64(nlh, VZROUTE_A_ADDR_AGE, (uint64_t)i * 997 % 400000);
	}
	if (state == VZROUTE_STATE_INSTALLED) {
		mnl_attr_put_u32(nlh, VZROUTE_A_ROUTE_PROTO, cfg_proto);
		mnl_attr_put_u32(nlh, VZROUTE_A_ROUTE_METRIC, cfg_metric);
		mnl_attr_put_u32(nlh, VZROUTE_A_ROUTE_TABLE, cfg_table);
	}
	/* FAKEGENL_CTID: as on OpenVZ, the third one's namespace is CT 101's */
	if (getenv("FAKEGENL_CTID") && i == 2)
		mnl_attr_put_strz(nlh, VZROUTE_A_ADDR_CTID, "101");
	if (vary())
		put_vary(nlh, i);
	if (event)
		mnl_attr_put_u8(nlh, VZROUTE_A_EVENT, event);
}

/* --- the requests --------------------------------------------------------- */

static void put_family(struct nlmsghdr *nlh, const char *name)
{
	struct nlattr *grps, *grp;
	bool ctrl = !strcmp(name, "nlctrl");

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, ctrl ? GENL_ID_CTRL : FAMILY_ID);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, ctrl ? "notify" : "events");
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, ctrl ? NOTIFY_GROUP : EVENTS_GROUP);
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, grps);
}

static void ctrl_request(const struct nlmsghdr *req)
{
	const struct nlattr *attr;
	const char *name = NULL;
	struct nlmsghdr *nlh;

	mnl_attr_for_each(attr, req, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_NAME)
			name = mnl_attr_get_str(attr);
	logf_("ctrl getfamily %s\n", name ? name : "?");
	if (!name || (strcmp(name, "nlctrl") &&
		      (strcmp(name, VZROUTE_GENL_NAME) || mode("absent")))) {
		ack(req, -ENOENT, NULL);
		return;
	}
	nlh = put_msg(GENL_ID_CTRL, 0, req->nlmsg_seq, PORTID, CTRL_CMD_NEWFAMILY);
	put_family(nlh, name);
	end_msg(nlh);
	if (req->nlmsg_flags & NLM_F_ACK)
		ack(req, 0, NULL);
	else
		flush_dgram();
}

static void set_config(const struct nlmsghdr *req)
{
	const struct nlattr *attr;

	logf_("set");
	mnl_attr_for_each(attr, req, sizeof(struct genlmsghdr)) {
		uint16_t t = mnl_attr_get_type(attr);

		switch (t) {
		case VZROUTE_A_PROTO: case VZROUTE_A_METRIC:
		case VZROUTE_A_TABLE: case VZROUTE_A_MAX_PER_NETNS:
			logf_(" %u=u32:%u", t, mnl_attr_get_u32(attr));
			break;
		case VZROUTE_A_KEEP_ROUTES:
			logf_(" %u=u8:%u", t, mnl_attr_get_u8(attr));
			break;
		default:
			logf_(" %u=str:[%s](%u)", t, mnl_attr_get_str(attr),
			      mnl_attr_get_payload_len(attr));
		}
		if (!mode("eperm") && !mode("einval")) {
			if (t == VZROUTE_A_PROTO) cfg_proto = mnl_attr_get_u32(attr);
			if (t == VZROUTE_A_METRIC) cfg_metric = mnl_attr_get_u32(attr);
		}
	}
	logf_("\n");
	if (mode("eperm"))
		ack(req, -EPERM, NULL);
	else if (mode("einval"))
		ack(req, -EINVAL, "metric must be below 2^24");
	else
		ack(req, 0, NULL);
}

static struct {
	bool active, intr;
	uint32_t seq;
	unsigned int next, n;
} dump;

/* One datagram more of the dump in progress. */
static void dump_more(void)
{
	struct nlmsghdr *nlh;
	uint16_t flags;
	int err;

	while (dump.next < dump.n && dgram_len < DGRAM_MAX - 1024) {
		flags = NLM_F_MULTI;
		if (dump.intr && dump.next >= dump.n / 2)
			flags |= NLM_F_DUMP_INTR;
		nlh = put_msg(FAMILY_ID, flags, dump.seq, PORTID,
			      VZROUTE_CMD_GET_ADDRS);
		put_addr(nlh, dump.next++, 0);
		end_msg(nlh);
	}
	if (dump.next == dump.n && dgram_len < DGRAM_MAX - 1024) {
		nlh = put_msg(NLMSG_DONE, NLM_F_MULTI |
			      (dump.intr ? NLM_F_DUMP_INTR : 0),
			      dump.seq, PORTID, 0);
		err = mode("dumperr") ? -ENOBUFS : 0;
		memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(int)), &err,
		       sizeof(int));
		if (err) {
			nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
			mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "table too busy");
		}
		end_msg(nlh);
		dump.active = false;
	}
	flush_dgram();
}

static void family_request(const struct nlmsghdr *req)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(req);
	struct nlmsghdr *nlh;
	unsigned int n = (unsigned int)atoi(getenv("FAKEGENL_N") ?: "6");

	switch (g->cmd) {
	case VZROUTE_CMD_GET_CONFIG:
		logf_("get_config\n");
		nlh = put_msg(FAMILY_ID, 0, req->nlmsg_seq, PORTID, g->cmd);
		mnl_attr_put_u32(nlh, VZROUTE_A_PROTO, cfg_proto);
		mnl_attr_put_u32(nlh, VZROUTE_A_METRIC, cfg_metric);
		mnl_attr_put_u32(nlh, VZROUTE_A_TABLE, cfg_table);
		mnl_attr_put_u32(nlh, VZROUTE_A_MAX_PER_NETNS, cfg_max);
		mnl_attr_put_u8(nlh, VZROUTE_A_KEEP_ROUTES, cfg_keep);
		mnl_attr_put_strz(nlh, VZROUTE_A_HOST_IFNAMES, cfg_ifnames);
		mnl_attr_put_strz(nlh, VZROUTE_A_ALLOW, cfg_allow);
		end_msg(nlh);
		ack(req, 0, NULL);
		return;
	case VZROUTE_CMD_SET_CONFIG:
		set_config(req);
		return;
	case VZROUTE_CMD_RESYNC:
		logf_("resync\n");
		ack(req, mode("eperm") ? -EPERM : 0, NULL);
		return;
	case VZROUTE_CMD_GET_COUNTERS:
		logf_("get_counters\n");
		nlh = put_msg(FAMILY_ID, 0, req->nlmsg_seq, PORTID, g->cmd);
		for (uint16_t t = VZROUTE_A_CNT_EVENTS; t <= VZROUTE_A_CNT_TRACKED; t++)
			put_u64(nlh, t, (uint64_t)t * 1000 + (t == VZROUTE_A_CNT_EVENTS ? 5000000000ull : 0));
		/* A gauge not among the counters' numbers above. */
		put_u64(nlh, VZROUTE_A_CNT_TABLE_BYTES, 131072);
		end_msg(nlh);
		ack(req, 0, NULL);
		return;
	case VZROUTE_CMD_GET_ADDRS:
		dumps++;
		logf_("dump %d flags %#x\n", dumps, req->nlmsg_flags);
		/* answered piece by piece as the tool reads, like the kernel */
		dump.active = true;
		dump.seq = req->nlmsg_seq;
		dump.next = 0;
		dump.n = n;
		dump.intr = dumps <= mode_num("intr", 0);
		return;
	}
	ack(req, -EOPNOTSUPP, NULL);
}

static void send_reload(void)
{
	struct nlmsghdr *nlh;

	nlh = put_msg(GENL_ID_CTRL, 0, 0, 0, CTRL_CMD_DELFAMILY);
	put_family(nlh, VZROUTE_GENL_NAME);
	end_msg(nlh);
	flush_dgram();
	/* an event of the old family, still in flight: to be ignored */
	nlh = put_msg(FAMILY_ID, 0, 0, 0, VZROUTE_CMD_EVENT);
	put_addr(nlh, 9, VZROUTE_EVENT_WITHDRAWN);
	end_msg(nlh);
	flush_dgram();
	FAMILY_ID = 0x2b;
	EVENTS_GROUP = 8;
	nlh = put_msg(GENL_ID_CTRL, 0, 0, 0, CTRL_CMD_NEWFAMILY);
	put_family(nlh, VZROUTE_GENL_NAME);
	end_msg(nlh);
	flush_dgram();
}

static void send_events(void)
{
	int n = atoi(getenv("FAKEGENL_EVENTS") ?: "3");
	static const uint8_t ev[] = {
		VZROUTE_EVENT_INSTALLED, VZROUTE_EVENT_FAILED,
		VZROUTE_EVENT_WITHDRAWN, VZROUTE_EVENT_STATE,
	};

	for (int i = 0; i < n; i++) {
		struct nlmsghdr *nlh = put_msg(FAMILY_ID, 0, 0, 0, VZROUTE_CMD_EVENT);

		put_addr(nlh, (unsigned int)i, ev[i % 4]);
		end_msg(nlh);
		flush_dgram();	/* one event per datagram, as the kernel does */
	}
}

/* --- the interposed calls ------------------------------------------------ */

#define REAL(name) static __typeof__(name) *real_##name; \
	if (!real_##name) real_##name = dlsym(RTLD_NEXT, #name)

int socket(int domain, int type, int protocol)
{
	int sv[2];

	REAL(socket);
	if (domain != AF_NETLINK || protocol != NETLINK_GENERIC)
		return real_socket(domain, type, protocol);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | (type & SOCK_CLOEXEC), 0, sv) < 0)
		return -1;
	fake_fd = sv[0];
	kernel_fd = sv[1];
	return fake_fd;
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	REAL(bind);
	if (fd == fake_fd)
		return 0;
	return real_bind(fd, addr, len);
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_pid = PORTID };

	REAL(getsockname);
	if (fd != fake_fd)
		return real_getsockname(fd, addr, len);
	memcpy(addr, &nl, *len < sizeof(nl) ? *len : sizeof(nl));
	*len = sizeof(nl);
	return 0;
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	REAL(setsockopt);
	if (fd != fake_fd || level != SOL_NETLINK)
		return real_setsockopt(fd, level, name, val, len);
	if (name == NETLINK_ADD_MEMBERSHIP) {
		logf_("join %u\n", *(const unsigned int *)val);
		if (*(const unsigned int *)val == EVENTS_GROUP) {
			if (EVENTS_GROUP == 8)
				setenv("FAKEGENL_EVENTS", "1", 1);
			send_events();
			if (mode("reload") && EVENTS_GROUP == 7)
				send_reload();
		}
	}
	return 0;
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *addr, socklen_t alen)
{
	const struct nlmsghdr *req = buf;

	REAL(sendto);
	if (fd != fake_fd)
		return real_sendto(fd, buf, len, flags, addr, alen);
	if (!mnl_nlmsg_ok(req, (int)len)) {
		errno = EINVAL;
		return -1;
	}
	if (req->nlmsg_type == GENL_ID_CTRL)
		ctrl_request(req);
	else if (req->nlmsg_type == FAMILY_ID)
		family_request(req);
	else
		ack(req, -ENOENT, NULL);
	return (ssize_t)len;
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	ssize_t n;

	REAL(recvmsg);
	if (fd != fake_fd)
		return real_recvmsg(fd, msg, flags);
	if (dump.active)
		dump_more();
	n = real_recvmsg(fd, msg, flags);
	if (n >= 0 && msg->msg_name) {
		memcpy(msg->msg_name, &nl, sizeof(nl));
		msg->msg_namelen = sizeof(nl);
	}
	return n;
}
