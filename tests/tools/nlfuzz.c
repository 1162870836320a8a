// SPDX-License-Identifier: GPL-2.0
/*
 * A fuzzer for the vzroute generic netlink family.
 *
 * usage: nlfuzz [-n COUNT] [-s SEED] [-v]
 *   -n COUNT  messages to send (default 100000)
 *   -s SEED   seed of the generator (default: from the clock); printed at
 *             the start, so that a failing run can be replayed
 *   -v        print every message that changed the settings
 *
 * It sends, to the family's id only (never to another family: as root a
 * random message to another family could change the machine), these
 * kinds of messages, chosen at random:
 *  - random ones: a random genl command (the family's, unknown ones, 0 and
 *    255), random nlmsg flags (NLM_F_DUMP, ACK, REQUEST or not, REPLACE,
 *    EXCL, CREATE, ECHO...), a random genl version, then a chain of
 *    attributes of random types (0..VZROUTE_A_MAX+5, with NLA_F_NESTED and
 *    NLA_F_NET_BYTEORDER at random) and random lengths, some nested, with
 *    nlmsg_len, nla_len and the genl header truncated or lying;
 *  - valid requests of every command (GET_CONFIG, SET_CONFIG with each of
 *    its attributes, ALLOW_ADD and ALLOW_DEL included, GET_ADDRS as a dump,
 *    GET_COUNTERS, RESYNC, EVENT), mutated: bit flips, truncation, an
 *    attribute duplicated, its length or type changed, a nest added,
 *    garbage appended, the flags or the command changed, nlmsg_len lying;
 *  - dumps stopped halfway: GET_ADDRS on a socket of its own, one part
 *    read, then the socket closed, or another request (a second dump, or
 *    a GET_CONFIG) sent before closing it;
 *  - now and then a valid change it knows the result of (below).
 * Replies are drained after each message (without waiting: generic
 * netlink answers a request before sendmsg returns), so that the socket
 * never overruns; a dump started on the main socket is read to its end.
 *
 * The settings. One message may carry several netlink messages (when
 * nlmsg_len is shorter than what was sent, the kernel parses the rest as
 * the next one); the fuzzer walks each buffer as netlink_rcv_skb() does,
 * and makes at most one of them a SET_CONFIG (the command byte of the
 * others becomes GET_COUNTERS), so that it knows which request any change
 * comes from. Then:
 *  - after messages with a SET_CONFIG that the kernel would process, it
 *    reads the settings (GET_CONFIG). Refused (an error came back with
 *    that request's sequence number): they must be byte for byte what they
 *    were (read after every 8th refused one, and before the end; a change
 *    by a refused request is seen there, or at the next accepted one,
 *    which cannot explain it). Accepted (no error, read at once): they
 *    must be what the request says: each
 *    number it carries (proto, metric, table, max_per_netns, keep_routes)
 *    equal to it, host_ifnames equal to its string, the allow list (whose
 *    entries the kernel prints in its own form) with as many entries as
 *    the request's list, or one more for ALLOW_ADD (appended: the old list
 *    unchanged before it), or one less for ALLOW_DEL (the others kept),
 *    and everything the request does not carry unchanged;
 *  - the valid changes it makes on purpose (random valid numbers,
 *    ALLOW_ADD of a new /24, ALLOW_DEL of one it added) must be acked with
 *    0 and leave the settings byte for byte equal to what it computes
 *    (encoded as the kernel encodes GET_CONFIG's answer; the encoder is
 *    checked against the kernel's answer at the start);
 *  - at the end it restores the settings it found (one valid SET_CONFIG
 *    of all of them) and checks that GET_CONFIG answers them byte for
 *    byte, that GET_COUNTERS answers, and that a GET_ADDRS dump runs to
 *    its end.
 *
 * As a container's root (GET_CONFIG refused with EPERM at the start:
 * outside the initial network namespace), no settings can be read: every
 * SET_CONFIG and RESYNC the kernel would process must be refused with
 * EPERM (or EINVAL when the genl header's reserved field is not 0 or the
 * nlmsg flags have bits other than REQUEST, ACK, ECHO and DUMP, or
 * EOPNOTSUPP for a dump of a command without one, which genetlink checks
 * first on some kernels), nothing is restored, and at the end GET_CONFIG and GET_COUNTERS
 * must still answer EPERM and a GET_ADDRS dump run to its end. (That the
 * settings did not change is for the caller to check from the host.)
 *
 * Prints its figures last: messages sent, answered with an error, acked
 * OK, dumps abandoned, settings checks, changes, elapsed time and rate.
 * Exit status: 0, 1 on a violation (described on stderr, with the seed,
 * the message number and the message's bytes), 2 on a setup error.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vzroute.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MSG_MAX		2048	/* a fuzz message's buffer */
#define MSG_BIG		512	/* no growing a message past this */
#define ALLOW_MAX	64
#define ALLOW_STRLEN	(ALLOW_MAX * VZROUTE_ENTRY_STRLEN)
#define RX_MAX		65536

#ifndef NLM_F_BULK
#define NLM_F_BULK	0x200
#endif

static uint64_t rng;
static struct mnl_socket *nl;
static int fd;
static uint16_t family;
static uint32_t seqno = 1000;
static bool ctmode, verbose;
static unsigned long msgno;

static struct {
	unsigned long sent, sendfail, sendfail_other, errors, acks, dumps_abandoned, checks,
		valid_sets, fuzz_sets, sets_accepted, overruns, eperm, random, mutated;
} st;

static uint64_t next(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

static uint32_t rnd(uint32_t n)
{
	return n ? (uint32_t)(next() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return rnd(100) < percent;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void hexdump(const void *buf, size_t len)
{
	const unsigned char *p = buf;

	for (size_t i = 0; i < len; i++)
		fprintf(stderr, "%02x%s", p[i], i % 32 == 31 || i + 1 == len ? "\n" : " ");
}

static unsigned long long seed_used;
static const void *cur_msg;
static size_t cur_len;

static void violation(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "nlfuzz: VIOLATION at message %lu (seed %llu): ", msgno,
		seed_used);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cur_msg) {
		fprintf(stderr, "nlfuzz: the message (%zu bytes):\n", cur_len);
		hexdump(cur_msg, cur_len);
	}
	exit(1);
}

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "nlfuzz: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/***********************************************************************
 * Talking to the kernel
 */

static struct nlmsghdr *start(void *buf, uint16_t type, uint8_t cmd,
			      uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = ++seqno;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = VZROUTE_GENL_VERSION;
	return nlh;
}

static void send_raw(int sock, const void *buf, size_t len)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };

	if (sendto(sock, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		/*
		 * e.g. a message shorter than a netlink header: -EINVAL;
		 * others come back from the kernel's side too (ENODATA).
		 */
		if (errno == EBADF || errno == ENOTSOCK || errno == EFAULT)
			die("sendto: %s", strerror(errno));
		st.sendfail++;
		if (errno != EINVAL)
			st.sendfail_other++;
	}
	st.sent++;
}

/* The extended ACK message of the last error request() had. */
static char why_refused[256];

static void ext_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*err);
	const struct nlattr *attr;

	why_refused[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(err->msg);
	if (off > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_for_each_payload((void *)((const char *)err + off),
				  mnl_nlmsg_get_payload_len(nlh) - off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
			snprintf(why_refused, sizeof(why_refused), ": %s",
				 mnl_attr_get_str(attr));
	}
}

/* The replies the last drain() read: sequence number and error. */
#define REPLIES_MAX 64
static struct {
	uint32_t seq;
	int err;
	char why[256];	/* its extended ACK message, ": ..." */
} replies[REPLIES_MAX];
static unsigned int n_replies;

/*
 * The error answered to @seq in the last drain(), its message in
 * why_refused; false: none seen.
 */
static bool reply_to(uint32_t seq, int *err)
{
	bool got = false;

	for (unsigned int i = 0; i < n_replies; i++) {
		if (replies[i].seq != seq)
			continue;
		if (!got || replies[i].err) {
			*err = replies[i].err;
			memcpy(why_refused, replies[i].why, sizeof(why_refused));
		}
		got = true;
	}
	return got;
}

/*
 * Read what is queued without waiting; when @want_seq is set, the reply
 * whose sequence number it is: its error (0 for an ACK or a data answer)
 * into *@err, and its data (the attributes of the last data message) into
 * @data. Return: whether a reply with @want_seq came (1), none (0), or the
 * socket overran (-1: replies were lost).
 */
static int drain(int sock, uint32_t want_seq, int *err, void *data,
		 size_t *data_len)
{
	static char rx[RX_MAX];
	int got = 0, overrun = 0;

	n_replies = 0;
	for (;;) {
		int n = (int)recv(sock, rx, sizeof(rx), MSG_DONTWAIT);
		struct nlmsghdr *nlh;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				st.overruns++;
				overrun = 1;
				continue;
			}
			if (errno == EAGAIN)
				break;
			die("recv: %s", strerror(errno));
		}
		for (nlh = (void *)rx; mnl_nlmsg_ok(nlh, n);
		     nlh = mnl_nlmsg_next(nlh, &n)) {
			int e = 0;

			if (nlh->nlmsg_type == NLMSG_ERROR &&
			    nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
				e = ((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->error;
				if (e)
					st.errors++;
				else
					st.acks++;
				if (e == -EPERM)
					st.eperm++;
				if (n_replies < REPLIES_MAX) {
					replies[n_replies].seq = nlh->nlmsg_seq;
					replies[n_replies].err = e;
					replies[n_replies].why[0] = '\0';
					if (e && ctmode) {
						ext_msg(nlh);
						memcpy(replies[n_replies].why, why_refused,
						       sizeof(why_refused));
					}
					n_replies++;
				}
			}
			if (!want_seq || nlh->nlmsg_seq != want_seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR && e)
				ext_msg(nlh);
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				/* an error overrides the answer */
				if (!got || e)
					*err = e;
				got = 1;
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				if (!got)
					*err = 0;
				got = 1;
			} else if (nlh->nlmsg_type == family) {
				size_t l = mnl_nlmsg_get_payload_len(nlh);

				if (!got)
					*err = 0;
				got = 1;
				if (data && l >= GENL_HDRLEN) {
					l -= GENL_HDRLEN;
					if (l > *data_len)
						l = *data_len;
					memcpy(data, (char *)mnl_nlmsg_get_payload(nlh) + GENL_HDRLEN, l);
					*data_len = l;
				}
			}
		}
	}
	return overrun ? -1 : got;
}

/* One request and its answer; return its error (0: answered). */
static int request(struct nlmsghdr *nlh, void *data, size_t *data_len)
{
	int err = 1, r;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	send_raw(fd, nlh, nlh->nlmsg_len);
	r = drain(fd, nlh->nlmsg_seq, &err, data, data_len);
	if (r <= 0)
		die("no answer to command %u (%s)",
		    ((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd,
		    r < 0 ? "socket overrun" : "nothing queued");
	return err;
}

static void resolve_family(void)
{
	char buf[512], data[4096];
	struct nlmsghdr *nlh = start(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	size_t len = sizeof(data);
	struct nlattr *attr;
	int err;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VZROUTE_GENL_NAME);
	family = GENL_ID_CTRL;	/* so that drain() takes the answer */
	err = request(nlh, data, &len);
	if (err)
		die("family %s not found: %s", VZROUTE_GENL_NAME, strerror(-err));
	family = 0;
	mnl_attr_for_each_payload((void *)data, len) {
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
			family = mnl_attr_get_u16(attr);
	}
	if (!family)
		die("no id for family %s", VZROUTE_GENL_NAME);
}

/***********************************************************************
 * The settings
 */

struct cfg {
	uint32_t proto, metric, table, max_per_netns;
	uint8_t keep_routes, neigh_announce;
	char ifnames[VZROUTE_IFNAMES_STRLEN];
	char neigh_devs[VZROUTE_IFNAMES_STRLEN];
	char allow[ALLOW_STRLEN + 1];
};

static char expected[ALLOW_STRLEN + 1024];	/* GET_CONFIG's attributes */
static size_t expected_len;
static struct cfg model;			/* what they say */
static char initial[sizeof(expected)];
static size_t initial_len;
static struct cfg initial_cfg;

static int get_config(void *data, size_t *len)
{
	char buf[64];
	struct nlmsghdr *nlh = start(buf, family, VZROUTE_CMD_GET_CONFIG, 0);

	return request(nlh, data, len);
}

static void parse_cfg(const void *data, size_t len, struct cfg *c)
{
	const struct nlattr *attr;
	uint64_t seen = 0;

	memset(c, 0, sizeof(*c));
	mnl_attr_for_each_payload(data, len) {
		unsigned int t = mnl_attr_get_type(attr);
		size_t l = mnl_attr_get_payload_len(attr);
		const char *s = mnl_attr_get_payload(attr);

		switch (t) {
		case VZROUTE_A_PROTO: c->proto = mnl_attr_get_u32(attr); break;
		case VZROUTE_A_METRIC: c->metric = mnl_attr_get_u32(attr); break;
		case VZROUTE_A_TABLE: c->table = mnl_attr_get_u32(attr); break;
		case VZROUTE_A_MAX_PER_NETNS:
			c->max_per_netns = mnl_attr_get_u32(attr); break;
		case VZROUTE_A_KEEP_ROUTES:
			c->keep_routes = mnl_attr_get_u8(attr); break;
		case VZROUTE_A_HOST_IFNAMES:
			snprintf(c->ifnames, sizeof(c->ifnames), "%.*s", (int)l, s);
			break;
		case VZROUTE_A_NEIGH_DEVS:
			snprintf(c->neigh_devs, sizeof(c->neigh_devs), "%.*s", (int)l, s);
			break;
		case VZROUTE_A_NEIGH_ANNOUNCE:
			c->neigh_announce = mnl_attr_get_u8(attr); break;
		case VZROUTE_A_ALLOW:
			snprintf(c->allow, sizeof(c->allow), "%.*s", (int)l, s);
			break;
		default:
			die("GET_CONFIG answered an unknown attribute %u", t);
		}
		seen |= 1ull << t;
	}
	if (seen != (1ull << VZROUTE_A_PROTO | 1ull << VZROUTE_A_METRIC |
		     1ull << VZROUTE_A_TABLE | 1ull << VZROUTE_A_MAX_PER_NETNS |
		     1ull << VZROUTE_A_KEEP_ROUTES | 1ull << VZROUTE_A_HOST_IFNAMES |
		     1ull << VZROUTE_A_NEIGH_DEVS | 1ull << VZROUTE_A_NEIGH_ANNOUNCE |
		     1ull << VZROUTE_A_ALLOW))
		die("GET_CONFIG answered without some of its attributes");
}

/* The settings as the kernel answers them (kmod/config.c, same order). */
static size_t encode_cfg(const struct cfg *c, void *out)
{
	char buf[sizeof(expected) + 64];
	struct nlmsghdr *nlh;

	memset(buf, 0, sizeof(buf));	/* the padding: libmnl leaves it */
	nlh = mnl_nlmsg_put_header(buf);

	mnl_attr_put_u32(nlh, VZROUTE_A_PROTO, c->proto);
	mnl_attr_put_u32(nlh, VZROUTE_A_METRIC, c->metric);
	mnl_attr_put_u32(nlh, VZROUTE_A_TABLE, c->table);
	mnl_attr_put_u32(nlh, VZROUTE_A_MAX_PER_NETNS, c->max_per_netns);
	mnl_attr_put_u8(nlh, VZROUTE_A_KEEP_ROUTES, c->keep_routes);
	mnl_attr_put_strz(nlh, VZROUTE_A_HOST_IFNAMES, c->ifnames);
	mnl_attr_put_strz(nlh, VZROUTE_A_NEIGH_DEVS, c->neigh_devs);
	mnl_attr_put_u8(nlh, VZROUTE_A_NEIGH_ANNOUNCE, c->neigh_announce);
	mnl_attr_put_strz(nlh, VZROUTE_A_ALLOW, c->allow);
	memcpy(out, mnl_nlmsg_get_payload(nlh), mnl_nlmsg_get_payload_len(nlh));
	return mnl_nlmsg_get_payload_len(nlh);
}

static void print_cfg(const char *what, const struct cfg *c)
{
	fprintf(stderr, "nlfuzz: %s: proto %u metric %u table %u max_per_netns %u keep_routes %u host_ifnames \"%s\" neigh_devs \"%s\" neigh_announce %u allow \"%s\"\n",
		what, c->proto, c->metric, c->table, c->max_per_netns,
		c->keep_routes, c->ifnames, c->neigh_devs, c->neigh_announce,
		c->allow);
}

static unsigned int n_entries(const char *list)
{
	unsigned int n = 0;

	if (!*list)
		return 0;
	for (n = 1; *list; list++)
		n += *list == ',';
	return n;
}

/* Is entry @e (up to its comma) one of the entries of @list? */
static bool has_entry(const char *list, const char *e, size_t elen)
{
	while (*list) {
		size_t l = strcspn(list, ",");

		if (l == elen && !memcmp(list, e, l))
			return true;
		list += l;
		if (*list == ',')
			list++;
	}
	return false;
}

/* Are the entries of @small all in @big? */
static bool entries_within(const char *small, const char *big)
{
	while (*small) {
		size_t l = strcspn(small, ",");

		if (!has_entry(big, small, l))
			return false;
		small += l;
		if (*small == ',')
			small++;
	}
	return true;
}

/*
 * The attributes of a request as the kernel's parser keeps them: the last
 * of each type. Return: false when they do not parse (then the kernel
 * would have refused the request).
 */
static bool request_attrs(const struct nlmsghdr *nlh,
			  const struct nlattr *tb[VZROUTE_A_MAX + 1])
{
	const char *p = (const char *)nlh + NLMSG_HDRLEN + GENL_HDRLEN;
	const char *end = (const char *)nlh + nlh->nlmsg_len;

	memset(tb, 0, sizeof(*tb) * (VZROUTE_A_MAX + 1));
	while (end - p >= (long)sizeof(struct nlattr)) {
		const struct nlattr *a = (const void *)p;
		unsigned int t = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < sizeof(*a) || a->nla_len > end - p)
			return false;
		if (t <= VZROUTE_A_MAX)
			tb[t] = a;
		p += MNL_ALIGN(a->nla_len);
	}
	return true;
}

/*
 * An accepted SET_CONFIG @nlh changed the settings from @o to @n: is that
 * what it says? Return: NULL, or what is wrong.
 */
static const char *explain(const struct nlmsghdr *nlh, const struct cfg *o,
			   const struct cfg *n)
{
	static const struct {
		int attr;
		size_t off;
	} u32s[] = {
		{ VZROUTE_A_PROTO, offsetof(struct cfg, proto) },
		{ VZROUTE_A_METRIC, offsetof(struct cfg, metric) },
		{ VZROUTE_A_TABLE, offsetof(struct cfg, table) },
		{ VZROUTE_A_MAX_PER_NETNS, offsetof(struct cfg, max_per_netns) },
	};
	const struct nlattr *tb[VZROUTE_A_MAX + 1];
	const struct nlattr *add, *del, *all;
	static char why[256];
	unsigned int want;

	if (!request_attrs(nlh, tb))
		return "the request's attributes do not parse";
	for (unsigned int i = 0; i < sizeof(u32s) / sizeof(u32s[0]); i++) {
		const struct nlattr *a = tb[u32s[i].attr];
		uint32_t ov = *(const uint32_t *)((const char *)o + u32s[i].off);
		uint32_t nv = *(const uint32_t *)((const char *)n + u32s[i].off);

		if (a && mnl_attr_get_payload_len(a) != 4)
			return "a number of the wrong size was taken";
		if (nv != (a ? mnl_attr_get_u32(a) : ov)) {
			snprintf(why, sizeof(why), "attribute %d: now %u, was %u, the request %s",
				 u32s[i].attr, nv, ov, a ? "said otherwise" : "did not carry it");
			return why;
		}
	}
	if (tb[VZROUTE_A_KEEP_ROUTES] ?
	    n->keep_routes != *(uint8_t *)mnl_attr_get_payload(tb[VZROUTE_A_KEEP_ROUTES]) :
	    n->keep_routes != o->keep_routes)
		return "keep_routes is not what the request said";
	if (tb[VZROUTE_A_NEIGH_ANNOUNCE] ?
	    n->neigh_announce != *(uint8_t *)mnl_attr_get_payload(tb[VZROUTE_A_NEIGH_ANNOUNCE]) :
	    n->neigh_announce != o->neigh_announce)
		return "neigh_announce is not what the request said";
	if (tb[VZROUTE_A_NEIGH_DEVS]) {
		/* parsed as host_ifnames is */
		const char *s = mnl_attr_get_payload(tb[VZROUTE_A_NEIGH_DEVS]);
		size_t l = strnlen(s, mnl_attr_get_payload_len(tb[VZROUTE_A_NEIGH_DEVS]));

		l = strcspn(s, "\n") < l ? strcspn(s, "\n") : l;
		if (strlen(n->neigh_devs) != l || memcmp(n->neigh_devs, s, l))
			return "neigh_devs is not the request's";
	} else if (strcmp(n->neigh_devs, o->neigh_devs)) {
		return "neigh_devs changed, the request did not carry it";
	}
	if (tb[VZROUTE_A_HOST_IFNAMES]) {
		const char *s = mnl_attr_get_payload(tb[VZROUTE_A_HOST_IFNAMES]);
		size_t l = strnlen(s, mnl_attr_get_payload_len(tb[VZROUTE_A_HOST_IFNAMES]));

		l = strcspn(s, "\n") < l ? strcspn(s, "\n") : l;
		if (strlen(n->ifnames) != l || memcmp(n->ifnames, s, l))
			return "host_ifnames is not the request's";
	} else if (strcmp(n->ifnames, o->ifnames)) {
		return "host_ifnames changed, the request did not carry it";
	}
	all = tb[VZROUTE_A_ALLOW];
	add = tb[VZROUTE_A_ALLOW_ADD];
	del = tb[VZROUTE_A_ALLOW_DEL];
	if (!all && !add && !del)
		return strcmp(n->allow, o->allow) ?
			"the allow list changed, the request did not carry it" : NULL;
	if (all) {
		char s[ALLOW_STRLEN + 1];

		snprintf(s, sizeof(s), "%.*s", (int)mnl_attr_get_payload_len(all),
			 (const char *)mnl_attr_get_payload(all));
		s[strcspn(s, "\n")] = '\0';
		want = n_entries(s);
	} else {
		want = n_entries(o->allow);
		if (add && strncmp(n->allow, o->allow, strlen(o->allow)))
			return "ALLOW_ADD changed the entries already there";
		if (del && !add && !entries_within(n->allow, o->allow))
			return "ALLOW_DEL changed the entries that stay";
	}
	want += !!add - !!del;
	if (n_entries(n->allow) != want) {
		snprintf(why, sizeof(why), "the allow list has %u entries, the request makes %u",
			 n_entries(n->allow), want);
		return why;
	}
	return NULL;
}

static unsigned int refused_unchecked;	/* refused sets since the last read */

/* Read the settings; they must be @expected. */
static void check_unchanged(const char *after)
{
	refused_unchecked = 0;
	char data[sizeof(expected)];
	size_t len = sizeof(data);
	int err = get_config(data, &len);

	st.checks++;
	if (err)
		violation("GET_CONFIG failed after %s: %s", after, strerror(-err));
	if (len != expected_len || memcmp(data, expected, len)) {
		struct cfg c;

		parse_cfg(data, len, &c);
		print_cfg("expected", &model);
		print_cfg("now", &c);
		fprintf(stderr, "nlfuzz: expected, as GET_CONFIG answers:\n");
		hexdump(expected, expected_len);
		fprintf(stderr, "nlfuzz: GET_CONFIG's answer:\n");
		hexdump(data, len);
		violation("the settings changed after %s", after);
	}
}

/* After an accepted SET_CONFIG @nlh: unchanged, or changed as it says. */
static void check_after_set(const struct nlmsghdr *nlh)
{
	char data[sizeof(expected)];
	size_t len = sizeof(data);
	const char *why;
	struct cfg c;
	int err = get_config(data, &len);

	st.checks++;
	refused_unchecked = 0;
	if (err)
		violation("GET_CONFIG failed after a SET_CONFIG: %s", strerror(-err));
	if (len == expected_len && !memcmp(data, expected, len))
		return;
	parse_cfg(data, len, &c);
	why = explain(nlh, &model, &c);
	if (why) {
		print_cfg("before", &model);
		print_cfg("now", &c);
		violation("an accepted SET_CONFIG changed the settings otherwise than it says: %s", why);
	}
	if (verbose) {
		print_cfg("changed by a fuzz message to", &c);
		hexdump(nlh, nlh->nlmsg_len);
	}
	st.fuzz_sets++;
	model = c;
	memcpy(expected, data, len);
	expected_len = len;
}

/***********************************************************************
 * Valid changes, whose result is known
 */

static uint32_t valid_proto(void)
{
	static const uint32_t p[] = { VZROUTE_RTPROT, 158, 250 };

	return p[rnd(3)];
}

static uint32_t valid_table(void)
{
	static const uint32_t t[] = { 254, 100, 5000 };

	return t[rnd(3)];
}

/* A valid SET_CONFIG applied to @c; return the request. */
static struct nlmsghdr *valid_set(void *buf, struct cfg *c)
{
	struct nlmsghdr *nlh = start(buf, family, VZROUTE_CMD_SET_CONFIG, 0);
	char e[VZROUTE_ENTRY_STRLEN];
	int any = 0;

	while (!any) {
		if (chance(30)) {
			c->metric = 1 + rnd((1 << 24) - 1);
			mnl_attr_put_u32(nlh, VZROUTE_A_METRIC, c->metric);
			any = 1;
		}
		if (chance(15)) {
			c->proto = valid_proto();
			mnl_attr_put_u32(nlh, VZROUTE_A_PROTO, c->proto);
			any = 1;
		}
		if (chance(15)) {
			c->table = valid_table();
			mnl_attr_put_u32(nlh, VZROUTE_A_TABLE, c->table);
			any = 1;
		}
		if (chance(15)) {
			c->max_per_netns = rnd(4) ? 0 : rnd(50);
			mnl_attr_put_u32(nlh, VZROUTE_A_MAX_PER_NETNS, c->max_per_netns);
			any = 1;
		}
		if (chance(10)) {
			c->keep_routes = rnd(2);
			mnl_attr_put_u8(nlh, VZROUTE_A_KEEP_ROUTES, c->keep_routes);
			any = 1;
		}
		if (chance(10)) {
			static const char *const names[] = { "", "vh*", "vh*,veth*", "vh1" };

			snprintf(c->ifnames, sizeof(c->ifnames), "%s", names[rnd(4)]);
			mnl_attr_put_strz(nlh, VZROUTE_A_HOST_IFNAMES, c->ifnames);
			any = 1;
		}
		if (chance(25)) {
			/* A /24 of 10.250/16: added unless there; else removed. */
			size_t l, len;
			char *p;

			snprintf(e, sizeof(e), "10.250.%u.0/24", rnd(8));
			l = strlen(e);
			len = strlen(c->allow);
			if (!has_entry(c->allow, e, l)) {
				if (n_entries(c->allow) >= ALLOW_MAX)
					continue;
				snprintf(c->allow + len, sizeof(c->allow) - len,
					 "%s%s", len ? "," : "", e);
				mnl_attr_put_strz(nlh, VZROUTE_A_ALLOW_ADD, e);
			} else {
				p = c->allow;
				while (strncmp(p, e, l) || (p[l] && p[l] != ','))
					p += strcspn(p, ",") + 1;
				if (p[l])
					memmove(p, p + l + 1, strlen(p + l + 1) + 1);
				else if (p > c->allow)
					p[-1] = '\0';
				else
					p[0] = '\0';
				mnl_attr_put_strz(nlh, VZROUTE_A_ALLOW_DEL, e);
			}
			any = 1;
		}
	}
	return nlh;
}

static void do_valid_set(void)
{
	char buf[MSG_MAX];
	struct cfg c = model;
	struct nlmsghdr *nlh = valid_set(buf, &c);
	int err;

	cur_msg = nlh;
	cur_len = nlh->nlmsg_len;
	err = request(nlh, NULL, NULL);
	if (err)
		violation("a valid SET_CONFIG was refused: %s%s", strerror(-err), why_refused);
	st.valid_sets++;
	model = c;
	expected_len = encode_cfg(&model, expected);
	check_unchanged("a valid SET_CONFIG (expected: as it says)");
	cur_msg = NULL;
}

/* Put the settings of the start back, in one request. */
static void restore(void)
{
	char buf[ALLOW_STRLEN + 1024];
	struct nlmsghdr *nlh = start(buf, family, VZROUTE_CMD_SET_CONFIG, 0);
	int err;

	mnl_attr_put_u32(nlh, VZROUTE_A_PROTO, initial_cfg.proto);
	mnl_attr_put_u32(nlh, VZROUTE_A_METRIC, initial_cfg.metric);
	mnl_attr_put_u32(nlh, VZROUTE_A_TABLE, initial_cfg.table);
	mnl_attr_put_u32(nlh, VZROUTE_A_MAX_PER_NETNS, initial_cfg.max_per_netns);
	mnl_attr_put_u8(nlh, VZROUTE_A_KEEP_ROUTES, initial_cfg.keep_routes);
	mnl_attr_put_strz(nlh, VZROUTE_A_HOST_IFNAMES, initial_cfg.ifnames);
	mnl_attr_put_strz(nlh, VZROUTE_A_NEIGH_DEVS, initial_cfg.neigh_devs);
	mnl_attr_put_u8(nlh, VZROUTE_A_NEIGH_ANNOUNCE, initial_cfg.neigh_announce);
	mnl_attr_put_strz(nlh, VZROUTE_A_ALLOW, initial_cfg.allow);
	err = request(nlh, NULL, NULL);
	if (err)
		violation("restoring the settings of the start was refused: %s%s",
			  strerror(-err), why_refused);
	model = initial_cfg;
	memcpy(expected, initial, initial_len);
	expected_len = initial_len;
	check_unchanged("restoring the settings of the start (expected: those)");
}

/***********************************************************************
 * Fuzz messages
 */

static const uint16_t flag_bits[] = {
	NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_ECHO, NLM_F_DUMP_INTR,
	NLM_F_DUMP_FILTERED, NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC,
	NLM_F_REPLACE, NLM_F_EXCL, NLM_F_CREATE, NLM_F_APPEND, NLM_F_BULK,
	NLM_F_CAPPED, NLM_F_ACK_TLVS,
};

static uint16_t random_flags(void)
{
	uint16_t f = 0;

	if (chance(10))
		return (uint16_t)next();
	for (unsigned int i = 0; i < sizeof(flag_bits) / sizeof(flag_bits[0]); i++)
		if (chance(15))
			f |= flag_bits[i];
	if (chance(85))
		f |= NLM_F_REQUEST;
	return f;
}

static uint8_t random_cmd(void)
{
	if (chance(80))
		return (uint8_t)rnd(VZROUTE_CMD_MAX + 3);	/* 0..MAX+2 */
	return (uint8_t)next();
}

static void put_random_bytes(char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (char)next();
}

/* A random payload for an attribute of a known type, often well formed. */
static size_t attr_payload(char *p, size_t room, unsigned int type)
{
	static const char *const strs[] = {
		"10.0.0.0/8", "10.1.0.1", "2001:db8::/32", "10.0.0.0/8@vh*",
		"0.0.0.0/0", "::/0", "10.0.0.0/33", "1.2.3.4/24", "::ffff:1.2.3.4/128",
		"10.250.0.0/24@", "@", "10.0.0.0/8,,", ",", "vh*", "vh*,veth*",
		"a b", "x/y", "[", "*", "10.0.0.0/8@[a-", "fe80::1%eth0",
		"10.1.0.0/16@vh1,2001:db8::/48@vh?", "",
	};
	size_t n;

	switch (rnd(6)) {
	case 0:	/* a u32 */
		n = 4;
		break;
	case 1:
		n = 1;
		break;
	case 2: {	/* a string, with its NUL or not */
		const char *s = strs[rnd(sizeof(strs) / sizeof(strs[0]))];

		n = strlen(s) + (chance(80) ? 1 : 0);
		if (n > room)
			n = room;
		memcpy(p, s, n);
		if (type == VZROUTE_A_PROTO && n >= 4)
			n = 4;
		return n;
	}
	case 3:
		n = 8;
		break;
	default:
		n = rnd(48);
		break;
	}
	if (n > room)
		n = room;
	put_random_bytes(p, n);
	if (n == 4 && chance(70)) {	/* a small number: more likely valid */
		uint32_t v = chance(50) ? rnd(300) : rnd(1 << 25);

		memcpy(p, &v, 4);
	}
	return n;
}

/* Random attributes into [p, p + room); nested to @depth. Return: bytes. */
static size_t random_attrs(char *p, size_t room, int depth)
{
	size_t used = 0;
	unsigned int n = rnd(5);

	for (unsigned int i = 0; i < n && room - used >= 4; i++) {
		struct nlattr *a = (void *)(p + used);
		unsigned int type = rnd(VZROUTE_A_MAX + 6);
		size_t len;

		if (chance(3))
			type = (uint16_t)next() & NLA_TYPE_MASK;
		if (depth < 3 && chance(15)) {
			len = random_attrs(p + used + 4, room - used - 4, depth + 1);
			type |= chance(80) ? NLA_F_NESTED : 0;
		} else {
			len = attr_payload(p + used + 4, room - used - 4, type);
		}
		if (chance(5))
			type |= NLA_F_NET_BYTEORDER;
		a->nla_type = (uint16_t)type;
		a->nla_len = (uint16_t)(4 + len);
		if (chance(5))	/* a length that lies */
			a->nla_len = (uint16_t)(chance(50) ? rnd(8) : a->nla_len + rnd(64));
		len = MNL_ALIGN(4 + len);
		if (len > room - used)
			len = room - used;
		used += len;
	}
	return used;
}

/* A random message into @buf. Return: bytes to send. */
static size_t random_msg(char *buf)
{
	struct nlmsghdr *nlh = (void *)buf;
	struct genlmsghdr *g = (void *)(buf + NLMSG_HDRLEN);
	size_t len;

	memset(buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = random_flags();
	nlh->nlmsg_seq = ++seqno;
	nlh->nlmsg_pid = chance(95) ? 0 : (uint32_t)next();
	g->cmd = random_cmd();
	g->version = chance(90) ? VZROUTE_GENL_VERSION : (uint8_t)next();
	g->reserved = chance(95) ? 0 : (uint16_t)next();
	len = NLMSG_HDRLEN + GENL_HDRLEN +
	      random_attrs(buf + NLMSG_HDRLEN + GENL_HDRLEN,
			   MSG_BIG - NLMSG_HDRLEN - GENL_HDRLEN, 0);
	nlh->nlmsg_len = (uint32_t)len;
	switch (rnd(20)) {
	case 0:	/* truncated: a header cut short */
		len = rnd(NLMSG_HDRLEN + GENL_HDRLEN + 1);
		if (chance(50))
			nlh->nlmsg_len = (uint32_t)len;
		break;
	case 1:	/* nlmsg_len lies */
		nlh->nlmsg_len = chance(50) ? rnd((uint32_t)len + 1) :
					      (uint32_t)len + rnd(64);
		break;
	case 2:
		nlh->nlmsg_len = (uint32_t)next();
		break;
	}
	return len;
}

/* The valid requests that mutations start from, one per command. */
static size_t template_msg(char *buf)
{
	struct nlmsghdr *nlh;
	struct cfg c = model;
	char e[VZROUTE_ENTRY_STRLEN];

	/*
	 * About a third are SET_CONFIG: every accepted one, even one that
	 * changes nothing, has the module re-examine every address.
	 */
	switch (rnd(16)) {
	case 0:
	case 7:
	case 12:
		nlh = start(buf, family, VZROUTE_CMD_GET_CONFIG, NLM_F_REQUEST | NLM_F_ACK);
		break;
	case 1:
	case 8:
	case 13:
		nlh = start(buf, family, VZROUTE_CMD_GET_COUNTERS, NLM_F_REQUEST);
		break;
	case 2:
	case 9:
	case 14:
		nlh = start(buf, family, VZROUTE_CMD_GET_ADDRS, NLM_F_REQUEST | NLM_F_DUMP);
		break;
	case 3:
	case 15:
		/* RESYNC waits for a reconciliation: rarer */
		nlh = start(buf, family, chance(5) ? VZROUTE_CMD_RESYNC : VZROUTE_CMD_EVENT,
			    NLM_F_REQUEST | NLM_F_ACK);
		break;
	case 4:
		/*
		 * An entry of the list added again, or an absent one
		 * removed: refused unless mutated into a valid change
		 * (each change has the module re-examine every address).
		 */
		nlh = start(buf, family, VZROUTE_CMD_SET_CONFIG, NLM_F_REQUEST | NLM_F_ACK);
		if (chance(50) && model.allow[0]) {
			size_t l = strcspn(model.allow, ",");

			snprintf(e, sizeof(e), "%.*s", (int)l, model.allow);
			mnl_attr_put_strz(nlh, VZROUTE_A_ALLOW_ADD, e);
		} else {
			snprintf(e, sizeof(e), "10.%u.%u.0/24%s", 253 + rnd(2), rnd(256),
				 chance(30) ? "@vh*" : "");
			mnl_attr_put_strz(nlh, VZROUTE_A_ALLOW_DEL, e);
		}
		break;
	case 5:
		nlh = start(buf, family, VZROUTE_CMD_SET_CONFIG, NLM_F_REQUEST | NLM_F_ACK);
		/* the list as it is (when short: messages stay small) */
		mnl_attr_put_strz(nlh, VZROUTE_A_ALLOW, model.allow[0] && strlen(model.allow) < 300 ?
				  model.allow : "10.0.0.0/8,10.1.0.0/16@vh*,2001:db8::/32");
		break;
	case 6:
		nlh = start(buf, family, VZROUTE_CMD_SET_CONFIG, NLM_F_REQUEST | NLM_F_ACK);
		mnl_attr_put_strz(nlh, VZROUTE_A_HOST_IFNAMES, chance(90) ? model.ifnames : "vh*,veth*");
		break;
	default:
		/*
		 * The numbers, one or several; most often their current
		 * values (every change moves the routes: the module's work,
		 * not the family's, and slow under KASAN).
		 */
		nlh = valid_set(buf, &c);
		if (chance(95)) {
			nlh = start(buf, family, VZROUTE_CMD_SET_CONFIG, 0);
			if (chance(50))
				mnl_attr_put_u32(nlh, VZROUTE_A_METRIC, model.metric);
			if (chance(30))
				mnl_attr_put_u32(nlh, VZROUTE_A_PROTO, model.proto);
			if (chance(30))
				mnl_attr_put_u32(nlh, VZROUTE_A_TABLE, model.table);
			if (chance(30))
				mnl_attr_put_u32(nlh, VZROUTE_A_MAX_PER_NETNS, model.max_per_netns);
			if (chance(30))
				mnl_attr_put_u8(nlh, VZROUTE_A_KEEP_ROUTES, model.keep_routes);
		}
		nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
		break;
	}
	return nlh->nlmsg_len;
}

/* Mutate the message of @len bytes in @buf (room MSG_MAX). Return: bytes. */
static size_t mutate(char *buf, size_t len)
{
	struct nlmsghdr *nlh = (void *)buf;
	unsigned int rounds = 1 + (chance(30) ? rnd(3) : 0);

	for (unsigned int r = 0; r < rounds; r++) {
		size_t attrs = NLMSG_HDRLEN + GENL_HDRLEN;

		switch (rnd(10)) {
		case 0:
		case 1: {	/* bit flips, not in nlmsg_type */
			unsigned int n = 1 + rnd(4);

			for (unsigned int i = 0; i < n && len; i++) {
				size_t at = rnd((uint32_t)len);

				if (at == 4 || at == 5)
					continue;
				buf[at] ^= (char)(1u << rnd(8));
			}
			break;
		}
		case 2:	/* truncation, nlmsg_len following or not */
			len = rnd((uint32_t)len + 1);
			if (len >= NLMSG_HDRLEN && chance(70))
				nlh->nlmsg_len = (uint32_t)len;
			break;
		case 3:	/* an attribute duplicated */
			if (len > attrs && len + (len - attrs) <= MSG_BIG) {
				memcpy(buf + len, buf + attrs, len - attrs);
				len += len - attrs;
				nlh->nlmsg_len = (uint32_t)len;
			}
			break;
		case 4:	/* an attribute's length changed */
			if (len >= attrs + 4) {
				struct nlattr *a = (void *)(buf + attrs);

				a->nla_len = (uint16_t)(chance(50) ? rnd(a->nla_len + 8) :
						       a->nla_len + rnd(16) - 4);
			}
			break;
		case 5:	/* an attribute's type changed */
			if (len >= attrs + 4) {
				struct nlattr *a = (void *)(buf + attrs);

				a->nla_type = (uint16_t)(chance(80) ? rnd(VZROUTE_A_MAX + 6) : next());
				if (chance(20))
					a->nla_type |= NLA_F_NESTED;
				if (chance(10))
					a->nla_type |= NLA_F_NET_BYTEORDER;
			}
			break;
		case 6:	/* random attributes, nested ones too, appended */
			if (len <= MSG_BIG) {
				len += random_attrs(buf + len, MSG_BIG - len, 0);
				nlh->nlmsg_len = (uint32_t)len;
			}
			break;
		case 7:
			if (len >= NLMSG_HDRLEN)
				nlh->nlmsg_flags = random_flags();
			break;
		case 8:
			if (len >= NLMSG_HDRLEN + 1)
				((struct genlmsghdr *)(buf + NLMSG_HDRLEN))->cmd = random_cmd();
			break;
		case 9:	/* nlmsg_len lies, or garbage after the message */
			if (chance(50)) {
				nlh->nlmsg_len = (uint32_t)(chance(50) ? rnd((uint32_t)len + 1) :
							   len + rnd(32));
			} else {
				size_t n = 1 + rnd(16);

				put_random_bytes(buf + len, n);
				len += n;
				if (chance(50))
					nlh->nlmsg_len = (uint32_t)len;
			}
			break;
		}
	}
	return len;
}

/*
 * Walk @buf as netlink_rcv_skb() does; give each message the kernel will
 * process a sequence number of its own; keep at most one SET_CONFIG.
 * Return: that SET_CONFIG's header (NULL: none); in @changes (@nchange of
 * them) the headers of the SET_CONFIG and RESYNC requests (the commands
 * that change something).
 */
static struct nlmsghdr *walk(char *buf, size_t len, unsigned int *nchange,
			     struct nlmsghdr **changes)
{
	struct nlmsghdr *set = NULL;
	size_t off = 0;

	*nchange = 0;
	while (len - off >= NLMSG_HDRLEN) {
		struct nlmsghdr *nlh = (void *)(buf + off);
		size_t msglen;

		if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > len - off)
			break;
		nlh->nlmsg_seq = ++seqno;
		if ((nlh->nlmsg_flags & NLM_F_REQUEST) && nlh->nlmsg_type == family &&
		    nlh->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN) {
			struct genlmsghdr *g = (void *)(buf + off + NLMSG_HDRLEN);

			if (g->cmd == VZROUTE_CMD_SET_CONFIG) {
				if (set)
					g->cmd = VZROUTE_CMD_GET_COUNTERS;
				else
					set = nlh;
			}
			if ((g->cmd == VZROUTE_CMD_SET_CONFIG ||
			     g->cmd == VZROUTE_CMD_RESYNC) && *nchange < 16)
				changes[(*nchange)++] = nlh;
		}
		msglen = NLMSG_ALIGN(nlh->nlmsg_len);
		if (msglen > len - off)
			msglen = len - off;
		off += msglen;
	}
	return set;
}

/* Does genetlink refuse this header before looking at the command? */
static bool bad_genl_header(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	uint16_t flags = nlh->nlmsg_flags;

	if (g->reserved)
		return true;
	if ((flags & NLM_F_DUMP) == NLM_F_DUMP)
		flags &= ~NLM_F_DUMP;
	return flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO);
}

static void fuzz_one(void)
{
	static char buf[MSG_MAX];
	struct nlmsghdr *set, *changes[16];
	unsigned int nchange;
	size_t len;
	int err = 1, r;

	memset(buf, 0, sizeof(buf));
	if (chance(40)) {
		len = random_msg(buf);
		st.random++;
	} else {
		len = template_msg(buf);
		if (chance(90))
			len = mutate(buf, len);
		st.mutated++;
	}
	set = walk(buf, len, &nchange, changes);
	cur_msg = buf;
	cur_len = len;
	send_raw(fd, buf, len);
	r = drain(fd, 0, NULL, NULL, NULL);
	if (ctmode) {
		/* Every change must be refused with EPERM. */
		for (unsigned int i = 0; i < nchange; i++) {
			err = 1;
			if (!reply_to(changes[i]->nlmsg_seq, &err)) {
				if (r < 0)
					continue;	/* overrun: the answer is lost */
				violation("a change command as a container's root got no answer: accepted?");
			}
			/*
			 * Before the permission, genetlink refuses a
			 * header whose reserved field is not 0, or nlmsg
			 * flags other than REQUEST, ACK, ECHO and DUMP
			 * (-EINVAL: genl_header_check()).
			 */
			if (err == -EINVAL && bad_genl_header(changes[i]))
				continue;
			/*
			 * 6.12's genetlink also refuses a dump of a command
			 * that has none (-EOPNOTSUPP) before the permission:
			 * refused all the same, by an earlier check.
			 */
			if (err == -EOPNOTSUPP &&
			    (changes[i]->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
				continue;
			if (err != -EPERM)
				violation("a change command as a container's root was answered %s%s, not EPERM",
					  err ? strerror(-err) : "OK", why_refused);
		}
		cur_msg = NULL;
		return;
	}
	if (!set) {
		cur_msg = NULL;
		return;
	}
	if (reply_to(set->nlmsg_seq, &err) && err) {
		/*
		 * Refused: nothing may have changed. Read every 8th time
		 * (and before every accepted one): the settings must then
		 * still be those of the last check.
		 */
		if (++refused_unchecked >= 8)
			check_unchanged("refused SET_CONFIG requests (the last 8, up to this one)");
	} else {
		st.sets_accepted++;
		/*
		 * (A change is then explained by this request alone: one
		 * that a refused request since the last read made would
		 * have to be exactly what this one asks for to pass.)
		 */
		check_after_set(set);
	}
	cur_msg = NULL;
}

/* A GET_ADDRS dump on a socket of its own, stopped after one part. */
static void abandoned_dump(void)
{
	struct mnl_socket *s = mnl_socket_open(NETLINK_GENERIC);
	char buf[256], rx[512];
	struct nlmsghdr *nlh;
	int sfd;

	if (!s || mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0)
		die("dump socket: %s", strerror(errno));
	sfd = mnl_socket_get_fd(s);
	nlh = start(buf, family, VZROUTE_CMD_GET_ADDRS, NLM_F_REQUEST | NLM_F_DUMP);
	if (chance(20))
		nlh->nlmsg_flags |= random_flags() & ~NLM_F_ACK;
	send_raw(sfd, nlh, nlh->nlmsg_len);
	/* one part, into a small buffer (the rest of it is cut) */
	if (chance(80) && recv(sfd, rx, chance(50) ? sizeof(rx) : 16, MSG_DONTWAIT) < 0 &&
	    errno != EAGAIN && errno != ENOBUFS)
		die("recv: %s", strerror(errno));
	switch (rnd(3)) {
	case 0:	/* a second dump while this one runs */
		nlh = start(buf, family, VZROUTE_CMD_GET_ADDRS, NLM_F_REQUEST | NLM_F_DUMP);
		send_raw(sfd, nlh, nlh->nlmsg_len);
		break;
	case 1:	/* a request of another kind */
		nlh = start(buf, family, chance(50) ? VZROUTE_CMD_GET_CONFIG :
				     VZROUTE_CMD_GET_COUNTERS, NLM_F_REQUEST | NLM_F_ACK);
		send_raw(sfd, nlh, nlh->nlmsg_len);
		break;
	}
	mnl_socket_close(s);
	st.dumps_abandoned++;
}

/* A whole GET_ADDRS dump; return the entries (or die). */
static unsigned int full_dump(void)
{
	static char rx[RX_MAX];
	char buf[64];
	struct nlmsghdr *nlh = start(buf, family, VZROUTE_CMD_GET_ADDRS,
				     NLM_F_REQUEST | NLM_F_DUMP);
	unsigned int entries = 0;
	struct timeval tv = { .tv_sec = 10 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	send_raw(fd, nlh, nlh->nlmsg_len);
	for (;;) {
		int n = (int)recv(fd, rx, sizeof(rx), 0);
		struct nlmsghdr *m;

		if (n < 0)
			violation("the final GET_ADDRS dump: %s", strerror(errno));
		for (m = (void *)rx; mnl_nlmsg_ok(m, n); m = mnl_nlmsg_next(m, &n)) {
			if (m->nlmsg_seq != nlh->nlmsg_seq)
				continue;
			if (m->nlmsg_type == NLMSG_ERROR)
				violation("the final GET_ADDRS dump failed: %s",
					  strerror(-((struct nlmsgerr *)mnl_nlmsg_get_payload(m))->error));
			if (m->nlmsg_type == NLMSG_DONE)
				return entries;
			entries++;
		}
	}
}

int main(int argc, char **argv)
{
	unsigned long count = 100000;
	char data[sizeof(expected)];
	size_t len = sizeof(data);
	int one = 1, rcvbuf = 1 << 20, opt, err;
	double t0, t;
	unsigned int entries;
	char counters[2048];

	seed_used = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 16);
	while ((opt = getopt(argc, argv, "n:s:v")) != -1) {
		switch (opt) {
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 's': seed_used = strtoull(optarg, NULL, 0); break;
		case 'v': verbose = true; break;
		default:
			fprintf(stderr, "usage: nlfuzz [-n COUNT] [-s SEED] [-v]\n");
			return 2;
		}
	}
	rng = seed_used * 0x9E3779B97F4A7C15ull + 1;
	printf("nlfuzz: seed %llu, %lu messages\n", seed_used, count);
	fflush(stdout);

	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("netlink: %s", strerror(errno));
	fd = mnl_socket_get_fd(nl);
	/* Answers carry the request's header only, not all of it. */
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	resolve_family();

	err = get_config(data, &len);
	if (err == -EPERM) {
		ctmode = true;
		printf("nlfuzz: GET_CONFIG refused (EPERM): as a container's root; every change must be refused with EPERM\n");
	} else if (err) {
		die("GET_CONFIG: %s", strerror(-err));
	} else {
		parse_cfg(data, len, &model);
		expected_len = encode_cfg(&model, expected);
		if (expected_len != len || memcmp(expected, data, len)) {
			fprintf(stderr, "kernel:\n");
			hexdump(data, len);
			fprintf(stderr, "encoded:\n");
			hexdump(expected, expected_len);
			die("the settings encoded here differ from the kernel's answer: fix encode_cfg()");
		}
		memcpy(initial, data, len);
		initial_len = len;
		initial_cfg = model;
	}

	t0 = now();
	for (msgno = 1; msgno <= count; msgno++) {
		unsigned int k = rnd(1000);

		if (k < 5)
			abandoned_dump();
		else if (k < 6 && !ctmode)
			do_valid_set();
		else
			fuzz_one();
	}
	msgno = 0;
	t = now() - t0;

	/* The kernel still answers, and the settings are as expected. */
	len = sizeof(counters);
	if (ctmode) {
		char buf[64];

		len = sizeof(data);
		err = get_config(data, &len);
		if (err != -EPERM)
			violation("GET_CONFIG as a container's root answered %s, not EPERM",
				  err ? strerror(-err) : "OK");
		err = request(start(buf, family, VZROUTE_CMD_GET_COUNTERS, 0), counters, &len);
		if (err != -EPERM)
			violation("GET_COUNTERS as a container's root answered %s, not EPERM",
				  err ? strerror(-err) : "OK");
	} else {
		char buf[64];

		check_unchanged("the last message");
		restore();
		err = request(start(buf, family, VZROUTE_CMD_GET_COUNTERS, 0), counters, &len);
		if (err)
			violation("GET_COUNTERS failed at the end: %s", strerror(-err));
	}
	entries = full_dump();

	printf("nlfuzz: %lu messages sent (%lu random, %lu mutated from valid requests, %lu valid changes, %lu dumps abandoned); %lu refused by sendto (%lu not EINVAL)\n",
	       st.sent, st.random, st.mutated, st.valid_sets, st.dumps_abandoned, st.sendfail,
	       st.sendfail_other);
	printf("nlfuzz: answered with an error %lu (EPERM %lu), acked OK %lu; socket overruns %lu\n",
	       st.errors, st.eperm, st.acks, st.overruns);
	if (ctmode)
		printf("nlfuzz: as a container's root: every change refused with EPERM; GET_CONFIG and GET_COUNTERS refused, GET_ADDRS dump answered (%u entries)\n",
		       entries);
	else
		printf("nlfuzz: settings read %lu times: changed only by valid requests (%lu chosen valid; of the fuzz messages, %lu SET_CONFIG accepted, %lu of them changing something), restored at the end byte for byte; GET_COUNTERS and the GET_ADDRS dump (%u entries) answered\n",
		       st.checks, st.valid_sets, st.sets_accepted, st.fuzz_sets, entries);
	printf("nlfuzz: %lu messages in %.1f s: %.0f messages/s (seed %llu)\n",
	       count, t, t > 0 ? count / t : 0.0, seed_used);
	mnl_socket_close(nl);
	return 0;
}
