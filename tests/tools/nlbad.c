// SPDX-License-Identifier: GPL-2.0
/*
 * Sends malformed and invalid requests to the vzroute generic netlink
 * family and checks that each is refused with an error (and, where the
 * kernel can attach one, an extended-ACK message), and that the settings
 * are byte for byte what they were before.
 *
 * usage: nlbad        (as root, module loaded)
 * Prints one line per case; exits 1 if any case was accepted or changed
 * the settings.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vzroute.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static struct mnl_socket *nl;
static unsigned int portid;
static unsigned int seq;
static uint16_t family;
static char cfg_before[8192];
static size_t cfg_before_len;
static int failures;

struct answer {
	int error;		/* 0, -errno, or 1 when no answer came */
	char msg[256];
	char payload[8192];	/* attributes of the last data message */
	size_t payload_len;
};

static void parse_ack(const struct nlmsghdr *nlh, struct answer *a)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*err);
	const struct nlattr *attr;

	a->error = err->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* Without NLM_F_CAPPED the request is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(err->msg);
	mnl_attr_for_each_payload((void *)((const char *)err + off),
				  mnl_nlmsg_get_payload_len(nlh) - off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
			snprintf(a->msg, sizeof(a->msg), "%s",
				 mnl_attr_get_str(attr));
	}
}

/* Send @len bytes at @buf as they are; collect the answer. */
static void exchange(void *buf, size_t len, struct answer *a)
{
	char rx[16384];
	struct nlmsghdr *nlh;
	int n;

	memset(a, 0, sizeof(*a));
	a->error = 1;
	if (mnl_socket_sendto(nl, buf, len) < 0) {
		perror("sendto");
		exit(2);
	}
	for (;;) {
		n = (int)mnl_socket_recvfrom(nl, rx, sizeof(rx));
		if (n < 0)
			return;	/* timeout: no answer */
		for (nlh = (void *)rx; mnl_nlmsg_ok(nlh, n);
		     nlh = mnl_nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				parse_ack(nlh, a);
				return;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				a->error = 0;
				return;
			}
			a->payload_len = mnl_nlmsg_get_payload_len(nlh) - GENL_HDRLEN;
			if (a->payload_len > sizeof(a->payload))
				a->payload_len = sizeof(a->payload);
			memcpy(a->payload, (char *)mnl_nlmsg_get_payload(nlh) + GENL_HDRLEN,
			       a->payload_len);
		}
	}
}

static struct nlmsghdr *start(void *buf, uint16_t type, uint8_t cmd,
			      uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

static void resolve_family(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = start(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	struct answer a;
	struct nlattr *attr;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VZROUTE_GENL_NAME);
	exchange(nlh, nlh->nlmsg_len, &a);
	if (a.error) {
		fprintf(stderr, "nlbad: family %s not found (%d)\n",
			VZROUTE_GENL_NAME, a.error);
		exit(2);
	}
	mnl_attr_for_each_payload((void *)a.payload, a.payload_len) {
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
			family = mnl_attr_get_u16(attr);
	}
}

static void get_config(char *out, size_t *len)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = start(buf, family, VZROUTE_CMD_GET_CONFIG, 0);
	struct answer a;

	exchange(nlh, nlh->nlmsg_len, &a);
	if (a.error) {
		fprintf(stderr, "nlbad: GET_CONFIG failed: %d\n", a.error);
		exit(2);
	}
	memcpy(out, a.payload, a.payload_len);
	*len = a.payload_len;
}

/*
 * Check one refused request. @need_msg: the kernel must say why (every
 * refusal decided by the policy or the module carries a message; a few
 * refusals by the netlink core itself do not).
 */
static void expect_refused(const char *name, struct nlmsghdr *nlh, size_t len,
			   int need_msg)
{
	char cfg[8192];
	size_t cfg_len;
	struct answer a;
	int bad = 0;

	exchange(nlh, len, &a);
	if (a.error == 0)
		bad = 1;
	if (need_msg && !a.msg[0])
		bad = 1;
	get_config(cfg, &cfg_len);
	if (cfg_len != cfg_before_len || memcmp(cfg, cfg_before, cfg_len)) {
		bad = 1;
		printf("  settings changed!\n");
	}
	printf("%s %s: %s%s%s\n", bad ? "not ok" : "ok", name,
	       a.error == 1 ? "no answer" : a.error ? strerror(-a.error) : "accepted",
	       a.msg[0] ? ": " : "", a.msg);
	failures += bad;
}

#define SET(buf) start(buf, family, VZROUTE_CMD_SET_CONFIG, 0)

/*
 * SET_CONFIG requests with at most one attribute, each refused by the
 * policy or the module, with a message: the attribute's type, and its
 * payload as it goes on the wire.
 */
#define U8(v)	&(uint8_t){ v }, 1
#define U32(v)	&(uint32_t){ v }, 4
#define U64(v)	&(uint64_t){ v }, 8
#define STR(s)	s, sizeof(s)
static const struct one_attr {
	const char *name;
	uint16_t attr;
	const void *data;
	size_t len;
} one_attr[] = {
	{ "wrong type: proto as u8", VZROUTE_A_PROTO, U8(150) },
	{ "wrong type: metric as u64", VZROUTE_A_METRIC, U64(100) },
	{ "wrong type: keep_routes as u32", VZROUTE_A_KEEP_ROUTES, U32(1) },
	{ "missing attributes: empty set", 0, NULL, 0 },
	{ "out of range: metric 2^24", VZROUTE_A_METRIC, U32(1 << 24) },
	{ "out of range: proto 188 (FRR's)", VZROUTE_A_PROTO, U32(188) },
	{ "out of range: table 255", VZROUTE_A_TABLE, U32(255) },
	{ "out of range: keep_routes 2", VZROUTE_A_KEEP_ROUTES, U8(2) },
	{ "unknown attribute 200", 200, U32(1) },
	{ "output-only attribute in a request", VZROUTE_A_ADDR_STATE, U8(2) },
	{ "bad prefix in allow list", VZROUTE_A_ALLOW, STR("10.0.0.0/8,banana") },
	{ "empty host_ifnames pattern", VZROUTE_A_HOST_IFNAMES, STR("veth*,,x") },
	{ "allow del of an absent prefix", VZROUTE_A_ALLOW_DEL, STR("172.16.0.0/12") },
};

int main(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], big[4096];
	struct timeval tv = { .tv_sec = 2 };
	struct nlmsghdr *nlh;
	struct nlattr *nla;
	int one = 1, i;

	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("netlink");
		return 2;
	}
	portid = mnl_socket_get_portid(nl);
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	resolve_family();
	get_config(cfg_before, &cfg_before_len);

	for (i = 0; i < (int)(sizeof(one_attr) / sizeof(one_attr[0])); i++) {
		nlh = SET(buf);
		if (one_attr[i].len)
			mnl_attr_put(nlh, one_attr[i].attr, one_attr[i].len,
				     one_attr[i].data);
		expect_refused(one_attr[i].name, nlh, nlh->nlmsg_len, 1);
	}

	/* A valid change and an invalid one: nothing may be applied. */
	nlh = SET(buf);
	mnl_attr_put_u32(nlh, VZROUTE_A_METRIC, 999);
	mnl_attr_put_u32(nlh, VZROUTE_A_TABLE, 0);
	expect_refused("all or nothing: metric ok, table 0", nlh, nlh->nlmsg_len, 1);

	memset(big, 'a', sizeof(big));
	big[300] = '\0';
	nlh = SET(buf);
	mnl_attr_put_strz(nlh, VZROUTE_A_HOST_IFNAMES, big);
	expect_refused("oversized string: host_ifnames 300 bytes", nlh, nlh->nlmsg_len, 1);

	nlh = SET(buf);
	mnl_attr_put(nlh, VZROUTE_A_ALLOW_ADD, 10, "10.0.0.0/8");
	expect_refused("string without its NUL", nlh, nlh->nlmsg_len, 1);

	big[0] = '\0';
	for (i = 0; i < 65; i++)
		snprintf(big + strlen(big), sizeof(big) - strlen(big), "%s10.%d.0.0/16",
			 i ? "," : "", i);
	nlh = SET(buf);
	mnl_attr_put_strz(nlh, VZROUTE_A_ALLOW, big);
	expect_refused("65 prefixes in allow list", nlh, nlh->nlmsg_len, 1);

	/* Truncated attribute: its length runs past the message. */
	nlh = SET(buf);
	nla = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u32(nlh, VZROUTE_A_METRIC, 77);
	nla->nla_len = 12;
	expect_refused("truncated attribute", nlh, nlh->nlmsg_len, 1);

	/* Garbage after the last attribute. */
	nlh = SET(buf);
	mnl_attr_put_u32(nlh, VZROUTE_A_METRIC, 77);
	nlh->nlmsg_len += 2;
	expect_refused("trailing bytes", nlh, nlh->nlmsg_len, 1);

	/* No room for the generic netlink header: refused by the core. */
	nlh = SET(buf);
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	expect_refused("message shorter than its genl header", nlh, nlh->nlmsg_len, 0);

	/* The header claims more than was sent: netlink drops it. */
	nlh = SET(buf);
	mnl_attr_put_u32(nlh, VZROUTE_A_METRIC, 77);
	nlh->nlmsg_len += 64;
	expect_refused("truncated message", nlh, nlh->nlmsg_len - 64, 0);

	nlh = start(buf, family, 99, 0);
	expect_refused("unknown command", nlh, nlh->nlmsg_len, 0);

	nlh = start(buf, family, VZROUTE_CMD_GET_ADDRS, 0);
	expect_refused("dump-only command without NLM_F_DUMP", nlh, nlh->nlmsg_len, 0);

	nlh = start(buf, family, VZROUTE_CMD_EVENT, 0);
	expect_refused("notification command as a request", nlh, nlh->nlmsg_len, 0);

	nlh = start(buf, family, VZROUTE_CMD_GET_CONFIG, 0);
	mnl_attr_put_u32(nlh, VZROUTE_A_METRIC, 5);
	exchange(nlh, nlh->nlmsg_len, &(struct answer){0});
	printf("# GET_CONFIG with a stray attribute answered (reads ignore input)\n");

	printf("%d refused request(s) misbehaved\n", failures);
	mnl_socket_close(nl);
	return failures ? 1 : 0;
}
