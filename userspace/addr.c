// SPDX-License-Identifier: GPL-2.0
/*
 * The tracked address: parsing its attributes and naming its parts.
 */

#include <arpa/inet.h>
#include <endian.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/vzroute.h>

#include "addr.h"
#include "ctname.h"

static const char *const state_names[] = {
	[VZROUTE_STATE_PENDING] = "pending",
	[VZROUTE_STATE_INSTALLED] = "installed",
	[VZROUTE_STATE_DENIED] = "denied",
	[VZROUTE_STATE_OVER_CAP] = "over-cap",
	[VZROUTE_STATE_CONFLICT] = "conflict",
	[VZROUTE_STATE_STANDBY] = "standby",
	[VZROUTE_STATE_TENTATIVE] = "tentative",
	[VZROUTE_STATE_DAD_FAILED] = "dad-failed",
	[VZROUTE_STATE_DOWN] = "down",
	[VZROUTE_STATE_HOST_LOCAL] = "host-local",
	[VZROUTE_STATE_FAILED] = "failed",
	[VZROUTE_STATE_UNMAPPED] = "unmapped",
	[VZROUTE_STATE_UNBOUND] = "unbound",
};

static const char *const event_names[] = {
	[VZROUTE_EVENT_INSTALLED] = "installed",
	[VZROUTE_EVENT_WITHDRAWN] = "withdrawn",
	[VZROUTE_EVENT_DENIED] = "denied",
	[VZROUTE_EVENT_OVER_CAP] = "over-cap",
	[VZROUTE_EVENT_CONFLICT] = "conflict",
	[VZROUTE_EVENT_STANDBY] = "standby",
	[VZROUTE_EVENT_TAKEOVER] = "takeover",
	[VZROUTE_EVENT_FAILED] = "failed",
	[VZROUTE_EVENT_STATE] = "state",
	[VZROUTE_EVENT_NEIGH] = "neigh",
};

static const char *const neigh_state_names[] = {
	[VZROUTE_NEIGH_PROXIED] = "proxied",
	[VZROUTE_NEIGH_FOREIGN] = "foreign",
	[VZROUTE_NEIGH_NO_PROXY_NDP] = "no-proxy-ndp",
	[VZROUTE_NEIGH_FAILED] = "failed",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *vz_state_name(uint8_t state)
{
	if (state < ARRAY_SIZE(state_names) && state_names[state])
		return state_names[state];
	return "unknown";
}

const char *vz_event_name(uint8_t event)
{
	if (event < ARRAY_SIZE(event_names) && event_names[event])
		return event_names[event];
	return "unknown";
}

const char *vz_neigh_state_name(uint8_t state)
{
	if (state < ARRAY_SIZE(neigh_state_names) && neigh_state_names[state])
		return neigh_state_names[state];
	return "unknown";
}

const char *vz_family_name(uint8_t family)
{
	return family == AF_INET ? "inet" : "inet6";
}

/*
 * The attributes are walked here rather than by mnl_attr_parse(), with the
 * same checks (an attribute that does not fit ends the walk) but without
 * a call for each attribute and each check: a dump of 100,000 entries has
 * 1.5 million of them. Does attr fit, header and payload, before end?
 */
static bool attr_ok(const struct nlattr *attr, const void *end)
{
	ptrdiff_t len = (const char *)end - (const char *)attr;

	return len >= (ptrdiff_t)sizeof(*attr) && attr->nla_len >= sizeof(*attr) &&
	       attr->nla_len <= len;
}

static const struct nlattr *attr_next(const struct nlattr *attr)
{
	return (const void *)((const char *)attr + MNL_ALIGN(attr->nla_len));
}

static size_t attr_len(const struct nlattr *attr)
{
	return attr->nla_len - MNL_ATTR_HDRLEN;
}

static const void *attr_data(const struct nlattr *attr)
{
	return (const char *)attr + MNL_ATTR_HDRLEN;
}

/* A number of the field's size; a shorter one is ignored. */
static bool get_num(const struct nlattr *attr, void *field, size_t size)
{
	if (attr_len(attr) < size)
		return false;
	/* netlink numbers are in host order: as they are */
	memcpy(field, attr_data(attr), size);
	return true;
}

#define GET_NUM(attr, field) get_num(attr, &(field), sizeof(field))

static void get_str(const struct nlattr *attr, char *buf, size_t size)
{
	size_t len = strnlen(attr_data(attr), attr_len(attr));

	if (len >= size)
		len = size - 1;
	memcpy(buf, attr_data(attr), len);
	buf[len] = '\0';
}

/* The attributes inside a VZROUTE_A_ADDR_NEIGH. */
static void parse_neigh(const struct nlattr *nest, struct vz_neigh *n)
{
	const void *end = (const char *)attr_data(nest) + attr_len(nest);
	const struct nlattr *attr;

	memset(n, 0, sizeof(*n));
	for (attr = attr_data(nest); attr_ok(attr, end); attr = attr_next(attr)) {
		switch (attr->nla_type & NLA_TYPE_MASK) {
		case VZROUTE_NEIGH_A_IFINDEX:
			GET_NUM(attr, n->ifindex);
			break;
		case VZROUTE_NEIGH_A_IFNAME:
			get_str(attr, n->ifname, sizeof(n->ifname));
			break;
		case VZROUTE_NEIGH_A_STATE:
			GET_NUM(attr, n->state);
			break;
		case VZROUTE_NEIGH_A_ERRNO:
			GET_NUM(attr, n->err);
			break;
		}
	}
}

int vz_addr_parse(const struct nlmsghdr *nlh, struct vz_addr *a,
		  struct vz_addr_ext *ext)
{
	const struct nlattr *attr, *addr = NULL;
	const void *end;
	size_t len;

	memset(a, 0, sizeof(*a));
	ext->ctid[0] = '\0';
	a->ctid = ext->ctid;
	a->neigh = ext->neigh;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -1;
	end = (const char *)nlh + MNL_ALIGN(nlh->nlmsg_len);
	for (attr = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct genlmsghdr));
	     attr_ok(attr, end); attr = attr_next(attr)) {
		switch (attr->nla_type & NLA_TYPE_MASK) {
		case VZROUTE_A_ADDR_FAMILY:
			GET_NUM(attr, a->family);
			break;
		case VZROUTE_A_ADDR_ADDR:
			addr = attr;	/* its length depends on the family */
			break;
		case VZROUTE_A_ADDR_CT_NETNS:
			GET_NUM(attr, a->ct_netns);
			break;
		case VZROUTE_A_ADDR_CT_IFINDEX:
			GET_NUM(attr, a->ct_ifindex);
			break;
		case VZROUTE_A_ADDR_CT_IFNAME:
			get_str(attr, a->ct_ifname, sizeof(a->ct_ifname));
			break;
		case VZROUTE_A_ADDR_HOST_NETNS:
			GET_NUM(attr, a->host_netns);
			break;
		case VZROUTE_A_ADDR_HOST_IFINDEX:
			GET_NUM(attr, a->host_ifindex);
			break;
		case VZROUTE_A_ADDR_HOST_IFNAME:
			get_str(attr, a->host_ifname, sizeof(a->host_ifname));
			break;
		case VZROUTE_A_ADDR_STATE:
			GET_NUM(attr, a->state);
			break;
		case VZROUTE_A_ADDR_ERRNO:
			GET_NUM(attr, a->err);
			break;
		case VZROUTE_A_ADDR_SINCE:
			a->has_since |= GET_NUM(attr, a->since);
			break;
		case VZROUTE_A_ADDR_AGE:
			a->has_age |= GET_NUM(attr, a->age);
			break;
		case VZROUTE_A_ROUTE_PROTO:
			a->has_route |= GET_NUM(attr, a->route_proto);
			break;
		case VZROUTE_A_ROUTE_METRIC:
			a->has_route |= GET_NUM(attr, a->route_metric);
			break;
		case VZROUTE_A_ROUTE_TABLE:
			a->has_route |= GET_NUM(attr, a->route_table);
			break;
		case VZROUTE_A_EVENT:
			GET_NUM(attr, a->event);
			break;
		case VZROUTE_A_ADDR_CTID:
			get_str(attr, ext->ctid, sizeof(ext->ctid));
			break;
		case VZROUTE_A_ADDR_NEIGH:
			/* past VZ_NEIGH_MAX (the module's own limit): left out */
			if (a->n_neigh < VZ_NEIGH_MAX)
				parse_neigh(attr, &ext->neigh[a->n_neigh++]);
			break;
		}
	}
	if (!addr)
		return -1;
	len = attr_len(addr);
	if (!((a->family == AF_INET && len == 4) ||
	      (a->family == AF_INET6 && len == 16)))
		return -1;
	memcpy(a->addr, attr_data(addr), len);
	return 0;
}

void vz_neigh_str(const struct vz_addr *a, char *buf, size_t len)
{
	size_t n = 0;

	snprintf(buf, len, "-");
	for (unsigned int i = 0; i < a->n_neigh && n < len; i++) {
		const struct vz_neigh *ne = &a->neigh[i];
		int w;

		w = snprintf(buf + n, len - n, "%s%s", i ? "," : "",
			     ne->ifname[0] ? ne->ifname : "?");
		if (w > 0 && ne->state != VZROUTE_NEIGH_PROXIED && (size_t)w < len - n)
			w += snprintf(buf + n + w, len - n - w, ":%s",
				      vz_neigh_state_name(ne->state));
		if (w < 0)
			break;
		n += (size_t)w;
	}
	vz_printable(buf);
}

/*
 * IPv4 in dotted decimal without inet_ntop(): glibc formats each byte with
 * sprintf(): an eighth of the instructions of "show -j" over 100,000 entries.
 */
static void ntop4(const uint8_t *b, char *buf, size_t len)
{
	char tmp[INET_ADDRSTRLEN], *p = tmp;

	for (int i = 0; i < 4; i++) {
		if (b[i] >= 100)
			*p++ = (char)('0' + b[i] / 100);
		if (b[i] >= 10)
			*p++ = (char)('0' + b[i] / 10 % 10);
		*p++ = (char)('0' + b[i] % 10);
		*p++ = i < 3 ? '.' : '\0';
	}
	if ((size_t)(p - tmp) > len) {
		snprintf(buf, len, "?");
		return;
	}
	memcpy(buf, tmp, (size_t)(p - tmp));
}

/*
 * IPv6 as glibc's inet_ntop() writes it, without its sprintf() for each
 * group (most of the instructions of an IPv6 entry of "show -j"): groups
 * in lowercase hex without leading zeros, the first of the longest runs
 * of two zero groups or more as "::", and the last 32 bits in dotted
 * decimal after six zero groups, or after five and ffff (::a.b.c.d and
 * ::ffff:a.b.c.d). Checked against inet_ntop() by test/unit.c.
 */
static void ntop6(const uint8_t *b, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[INET6_ADDRSTRLEN], *p = tmp;
	unsigned int w[8], zero = 8, n_zero = 0, run = 0, i;

	for (i = 0; i < 8; i++) {
		w[i] = (unsigned int)b[2 * i] << 8 | b[2 * i + 1];
		run = w[i] ? 0 : run + 1;
		/* a later run only if longer: the first of equals wins */
		if (run > n_zero) {
			n_zero = run;
			zero = i + 1 - run;
		}
	}
	if (n_zero < 2) {
		zero = 8;
		n_zero = 0;
	}
	for (i = 0; i < 8; i++) {
		if (i >= zero && i < zero + n_zero) {
			if (i == zero)
				*p++ = ':';
			continue;
		}
		if (i)
			*p++ = ':';
		if (i == 6 && zero == 0 &&
		    (n_zero == 6 || (n_zero == 5 && w[5] == 0xffff))) {
			ntop4(b + 12, p, sizeof(tmp) - (size_t)(p - tmp));
			p += strlen(p);
			break;
		}
		if (w[i] >= 0x1000)
			*p++ = hex[w[i] >> 12];
		if (w[i] >= 0x100)
			*p++ = hex[w[i] >> 8 & 15];
		if (w[i] >= 0x10)
			*p++ = hex[w[i] >> 4 & 15];
		*p++ = hex[w[i] & 15];
	}
	if (n_zero && zero + n_zero == 8)
		*p++ = ':';
	*p++ = '\0';
	if ((size_t)(p - tmp) > len) {
		snprintf(buf, len, "?");
		return;
	}
	memcpy(buf, tmp, (size_t)(p - tmp));
}

void vz_addr_ntop(const struct vz_addr *a, char *buf, size_t len)
{
	if (a->family == AF_INET)
		ntop4(a->addr, buf, len);
	else
		ntop6(a->addr, buf, len);
}

void vz_printable(char *s)
{
	for (; *s; s++)
		if (*s < 0x21 || *s > 0x7e)
			*s = '?';
}

static void ifname(const char *name, uint32_t ifindex, char *buf, size_t len)
{
	if (name[0])
		snprintf(buf, len, "%s", name);
	else if (ifindex)
		snprintf(buf, len, "if%u", ifindex);
	else
		snprintf(buf, len, "-");
}

void vz_ct_ifname(const struct vz_addr *a, char *buf, size_t len)
{
	ifname(a->ct_ifname, a->ct_ifindex, buf, len);
}

void vz_host_ifname(const struct vz_addr *a, char *buf, size_t len)
{
	ifname(a->host_ifname, a->host_ifindex, buf, len);
}

int64_t vz_addr_age(const struct vz_addr *a)
{
	time_t now;

	if (a->has_age)
		return a->age > INT64_MAX ? INT64_MAX : (int64_t)a->age;
	if (!a->has_since)
		return -1;
	now = time(NULL);
	if ((uint64_t)now < a->since)
		return 0;
	return (int64_t)((uint64_t)now - a->since);
}

void vz_age_str(int64_t s, char *buf, size_t len)
{
	if (s < 0)
		snprintf(buf, len, "-");
	else if (s < 60)
		snprintf(buf, len, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm%llds", (long long)(s / 60),
			 (long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, len, "%lldh%lldm", (long long)(s / 3600),
			 (long long)(s % 3600 / 60));
	else
		snprintf(buf, len, "%lldd%lldh", (long long)(s / 86400),
			 (long long)(s % 86400 / 3600));
}

const char *vz_addr_strerror(const struct vz_addr *a)
{
	/* strerror(0) would say "Success" */
	return a->err > 0 ? strerror(a->err) : "unknown error";
}

void vz_addr_json(struct json *j, const struct vz_addr *a)
{
	char buf[VZ_ADDR_STRLEN];
	int64_t age = vz_addr_age(a);

	vz_addr_ntop(a, buf, sizeof(buf));
	json_kv_string(j, "family", vz_family_name(a->family));
	json_kv_string(j, "address", buf);
	if (a->ct_name) {
		json_kv_string(j, "container", a->ct_name);
		json_kv_string(j, "container_source",
			       vz_ct_source_name(a->ct_source));
	}
	json_kv_uint(j, "container_netns", a->ct_netns);
	json_kv_uint(j, "container_ifindex", a->ct_ifindex);
	json_kv_string(j, "container_ifname", a->ct_ifname);
	if (a->ctid[0])
		json_kv_string(j, "ctid", a->ctid);
	json_kv_uint(j, "host_netns", a->host_netns);
	json_kv_uint(j, "host_ifindex", a->host_ifindex);
	json_kv_string(j, "host_ifname", a->host_ifname);
	json_kv_string(j, "state", vz_state_name(a->state));
	if (a->state == VZROUTE_STATE_FAILED)
		json_kv_int(j, "errno", a->err);
	json_kv_uint(j, "since", a->since);
	json_kv_uint(j, "age", (uint64_t)(age < 0 ? 0 : age));
	if (a->n_neigh) {
		json_key(j, "neigh");
		json_begin_array(j);
		for (unsigned int i = 0; i < a->n_neigh; i++) {
			json_begin_object(j);
			json_kv_string(j, "ifname", a->neigh[i].ifname);
			json_kv_uint(j, "ifindex", a->neigh[i].ifindex);
			json_kv_string(j, "state",
				       vz_neigh_state_name(a->neigh[i].state));
			if (a->neigh[i].state == VZROUTE_NEIGH_FAILED)
				json_kv_int(j, "errno", a->neigh[i].err);
			json_end_object(j);
		}
		json_end_array(j);
	}
	if (a->has_route) {
		json_key(j, "route");
		json_begin_object(j);
		json_kv_uint(j, "protocol", a->route_proto);
		json_kv_uint(j, "metric", a->route_metric);
		json_kv_uint(j, "table", a->route_table);
		json_end_object(j);
	}
}

/* 8 bytes of an address as a number that orders as memcmp() does */
static uint64_t be64_at(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return be64toh(v);
}

int vz_addr_cmp(const struct vz_addr *a, const struct vz_addr *b)
{
	uint64_t x, y;

	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	/* all 16 bytes for IPv4 too: those after its 4 are 0 in both */
	x = be64_at(a->addr);
	y = be64_at(b->addr);
	if (x == y) {
		x = be64_at(a->addr + 8);
		y = be64_at(b->addr + 8);
	}
	if (x != y)
		return x < y ? -1 : 1;
	if (a->ct_netns != b->ct_netns)
		return a->ct_netns < b->ct_netns ? -1 : 1;
	if (a->ct_ifindex != b->ct_ifindex)
		return a->ct_ifindex < b->ct_ifindex ? -1 : 1;
	return 0;
}

/*
 * Merges the sorted v[0..mid) and v[mid..n), the first through tmp; on a
 * tie the first's entry goes first.
 */
static void merge(struct vz_addr **v, struct vz_addr **tmp, size_t mid,
		  size_t n)
{
	size_t i = 0, j = mid, k = 0;

	/* already in order, as stretches of a dump often are */
	if (vz_addr_cmp(v[mid - 1], v[mid]) <= 0)
		return;
	memcpy(tmp, v, mid * sizeof(*v));
	while (i < mid && j < n)
		v[k++] = vz_addr_cmp(tmp[i], v[j]) <= 0 ? tmp[i++] : v[j++];
	while (i < mid)
		v[k++] = tmp[i++];
}

/*
 * A merge sort of pointers: glibc's qsort() of the entries themselves was
 * a seventh of the instructions of "show -j" at 100,000, with a call to the
 * comparison and one to memcmp() for each of 1.35 million comparisons, and
 * moved 400 bytes an entry.
 */
void vz_addr_sort(struct vz_addr **v, struct vz_addr **tmp, size_t n)
{
	size_t mid = n / 2;

	if (n <= 8) {
		for (size_t i = 1; i < n; i++) {
			struct vz_addr *x = v[i];
			size_t k = i;

			for (; k && vz_addr_cmp(v[k - 1], x) > 0; k--)
				v[k] = v[k - 1];
			v[k] = x;
		}
		return;
	}
	vz_addr_sort(v, tmp, mid);
	vz_addr_sort(v + mid, tmp, n - mid);
	merge(v, tmp, mid, n);
}
