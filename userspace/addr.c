// SPDX-License-Identifier: GPL-2.0
/*
 * The tracked address: parsing its attributes and naming its parts.
 */

#include <arpa/inet.h>
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

static bool attr_len_ok(const struct nlattr *attr, size_t len)
{
	return mnl_attr_get_payload_len(attr) >= len;
}

static void get_str(const struct nlattr *attr, char *buf, size_t size)
{
	size_t len = strnlen(mnl_attr_get_payload(attr),
			     mnl_attr_get_payload_len(attr));

	if (len >= size)
		len = size - 1;
	memcpy(buf, mnl_attr_get_payload(attr), len);
	buf[len] = '\0';
}

#define FIELD(attr, field, flag)					\
	{ attr, sizeof(((struct vz_addr *)0)->field),			\
	  offsetof(struct vz_addr, field), flag }
#define NO_FLAG ((size_t)-1)
#define FLAG(field) offsetof(struct vz_addr, field)

/*
 * Where each attribute of an entry goes: a number of the field's size
 * (shorter ones are ignored), or a name (char[IFNAMSIZ]), and the flag it
 * sets, if any.
 */
static const struct field {
	uint16_t attr;
	size_t size, off, flag;
} fields[] = {
	FIELD(VZROUTE_A_ADDR_FAMILY, family, NO_FLAG),
	FIELD(VZROUTE_A_ADDR_CT_NETNS, ct_netns, NO_FLAG),
	FIELD(VZROUTE_A_ADDR_CT_IFINDEX, ct_ifindex, NO_FLAG),
	FIELD(VZROUTE_A_ADDR_CT_IFNAME, ct_ifname, NO_FLAG),
	FIELD(VZROUTE_A_ADDR_HOST_NETNS, host_netns, NO_FLAG),
	FIELD(VZROUTE_A_ADDR_HOST_IFINDEX, host_ifindex, NO_FLAG),
	FIELD(VZROUTE_A_ADDR_HOST_IFNAME, host_ifname, NO_FLAG),
	FIELD(VZROUTE_A_ADDR_STATE, state, NO_FLAG),
	FIELD(VZROUTE_A_ADDR_ERRNO, err, NO_FLAG),
	FIELD(VZROUTE_A_ADDR_SINCE, since, FLAG(has_since)),
	FIELD(VZROUTE_A_ADDR_AGE, age, FLAG(has_age)),
	FIELD(VZROUTE_A_ROUTE_PROTO, route_proto, FLAG(has_route)),
	FIELD(VZROUTE_A_ROUTE_METRIC, route_metric, FLAG(has_route)),
	FIELD(VZROUTE_A_ROUTE_TABLE, route_table, FLAG(has_route)),
	FIELD(VZROUTE_A_EVENT, event, NO_FLAG),
	/* VZROUTE_A_ADDR_CTID, a string, is read by attr_cb() into ctid. */
};

struct parse {
	struct vz_addr *a;
	const struct nlattr *addr;
};

/* One attribute inside a VZROUTE_A_ADDR_NEIGH. */
static int neigh_cb(const struct nlattr *attr, void *data)
{
	struct vz_neigh *n = data;

	switch (mnl_attr_get_type(attr)) {
	case VZROUTE_NEIGH_A_IFINDEX:
		if (attr_len_ok(attr, 4))
			n->ifindex = mnl_attr_get_u32(attr);
		break;
	case VZROUTE_NEIGH_A_IFNAME:
		get_str(attr, n->ifname, sizeof(n->ifname));
		break;
	case VZROUTE_NEIGH_A_STATE:
		if (attr_len_ok(attr, 1))
			n->state = mnl_attr_get_u8(attr);
		break;
	case VZROUTE_NEIGH_A_ERRNO:
		if (attr_len_ok(attr, 4))
			n->err = (int32_t)mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

static int attr_cb(const struct nlattr *attr, void *data)
{
	struct parse *p = data;
	char *base = (char *)p->a;
	uint16_t type = mnl_attr_get_type(attr);
	const struct field *f;

	if (type == VZROUTE_A_ADDR_ADDR) {
		p->addr = attr;	/* its length depends on the family */
		return MNL_CB_OK;
	}
	if (type == VZROUTE_A_ADDR_CTID) {
		get_str(attr, p->a->ctid, sizeof(p->a->ctid));
		return MNL_CB_OK;
	}
	if (type == VZROUTE_A_ADDR_NEIGH) {
		if (p->a->n_neigh < VZ_NEIGH_MAX &&
		    mnl_attr_parse_nested(attr, neigh_cb,
					  &p->a->neigh[p->a->n_neigh]) >= 0)
			p->a->n_neigh++;
		return MNL_CB_OK;
	}
	for (f = fields; f < fields + sizeof(fields) / sizeof(fields[0]); f++) {
		if (f->attr != type)
			continue;
		if (f->size == IFNAMSIZ) {
			get_str(attr, base + f->off, IFNAMSIZ);
		} else if (attr_len_ok(attr, f->size)) {
			/* netlink numbers are in host order: as they are */
			memcpy(base + f->off, mnl_attr_get_payload(attr),
			       f->size);
		} else {
			break;
		}
		if (f->flag != NO_FLAG)
			*(bool *)(base + f->flag) = true;
		break;
	}
	return MNL_CB_OK;
}

int vz_addr_parse(const struct nlmsghdr *nlh, struct vz_addr *a)
{
	struct parse p = { a, NULL };
	size_t len;

	memset(a, 0, sizeof(*a));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -1;
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_cb, &p) < 0)
		return -1;
	if (!p.addr)
		return -1;
	len = mnl_attr_get_payload_len(p.addr);
	if (!((a->family == AF_INET && len == 4) ||
	      (a->family == AF_INET6 && len == 16)))
		return -1;
	memcpy(a->addr, mnl_attr_get_payload(p.addr), len);
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

void vz_addr_ntop(const struct vz_addr *a, char *buf, size_t len)
{
	if (a->family == AF_INET)
		ntop4(a->addr, buf, len);
	else if (!inet_ntop(a->family, a->addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
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

int vz_addr_cmp(const void *pa, const void *pb)
{
	const struct vz_addr *a = pa, *b = pb;
	int r;

	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	r = memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16);
	if (r)
		return r;
	if (a->ct_netns != b->ct_netns)
		return a->ct_netns < b->ct_netns ? -1 : 1;
	if (a->ct_ifindex != b->ct_ifindex)
		return a->ct_ifindex < b->ct_ifindex ? -1 : 1;
	return 0;
}
