// SPDX-License-Identifier: GPL-2.0
/*
 * The "vzroute" generic netlink family: read the tracked addresses, the
 * settings and the counters; change the settings; follow the events.
 *
 * Changing anything needs CAP_NET_ADMIN in the initial user namespace:
 * these are the node's routes, and root in a container, even in a user
 * namespace of its own, must not steer them. Reading is open, but a caller
 * outside the initial network namespace only sees addresses whose host
 * side is in its own namespace.
 */

#include <linux/slab.h>
#include <linux/vzroute.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "compat.h"
#include "netlink.h"
#include "params.h"
#include "reconcile.h"
#include "track.h"
#include "watch.h"

static const struct nla_policy vzr_policy[VZROUTE_A_MAX + 1] = {
	[VZROUTE_A_PROTO] = { .type = NLA_U32 },
	[VZROUTE_A_METRIC] = { .type = NLA_U32 },
	[VZROUTE_A_TABLE] = { .type = NLA_U32 },
	[VZROUTE_A_MAX_PER_NETNS] = { .type = NLA_U32 },
	[VZROUTE_A_KEEP_ROUTES] = NLA_POLICY_MAX(NLA_U8, 1),
	[VZROUTE_A_HOST_IFNAMES] = { .type = NLA_NUL_STRING,
				     .len = VZROUTE_IFNAMES_STRLEN - 1 },
	[VZROUTE_A_ALLOW] = { .type = NLA_NUL_STRING,
			      .len = VZR_ALLOW_MAX * VZROUTE_PREFIX_STRLEN },
	[VZROUTE_A_ALLOW_ADD] = { .type = NLA_NUL_STRING,
				  .len = VZROUTE_PREFIX_STRLEN - 1 },
	[VZROUTE_A_ALLOW_DEL] = { .type = NLA_NUL_STRING,
				  .len = VZROUTE_PREFIX_STRLEN - 1 },
	/* The rest are only ever sent by the kernel: strict parsing refuses
	 * them in requests ("Unsupported attribute").
	 */
};

static struct genl_family vzr_family;
static bool registered;	/* under vzr_lock: events only while it holds */

enum { VZR_MCGRP_EVENTS };

static const struct genl_multicast_group vzr_mcgrps[] = {
	[VZR_MCGRP_EVENTS] = { .name = VZROUTE_MCGRP_EVENTS },
};

static int put_config(struct sk_buff *skb)
{
	char *allow;
	int len = 0, err;
	unsigned int i;

	allow = kmalloc(VZR_ALLOW_MAX * VZROUTE_PREFIX_STRLEN, GFP_KERNEL);
	if (!allow)
		return -ENOMEM;
	allow[0] = '\0';
	for (i = 0; i < vzr_cfg.n_allow; i++) {
		char ip[VZR_IP_STRLEN];

		len += scnprintf(allow + len, VZR_ALLOW_MAX * VZROUTE_PREFIX_STRLEN - len,
				 "%s%s/%u", i ? "," : "",
				 vzr_ip_str(&vzr_cfg.allow[i].ip, ip, sizeof(ip)),
				 vzr_cfg.allow[i].len);
	}
	err = -EMSGSIZE;
	if (nla_put_u32(skb, VZROUTE_A_PROTO, vzr_cfg.proto) ||
	    nla_put_u32(skb, VZROUTE_A_METRIC, vzr_cfg.metric) ||
	    nla_put_u32(skb, VZROUTE_A_TABLE, vzr_cfg.table) ||
	    nla_put_u32(skb, VZROUTE_A_MAX_PER_NETNS, vzr_cfg.max_per_netns) ||
	    nla_put_u8(skb, VZROUTE_A_KEEP_ROUTES, vzr_cfg.keep_routes) ||
	    nla_put_string(skb, VZROUTE_A_HOST_IFNAMES, vzr_cfg.host_ifnames) ||
	    nla_put_string(skb, VZROUTE_A_ALLOW, allow))
		goto out;
	err = 0;
out:
	kfree(allow);
	return err;
}

static int get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE + VZR_ALLOW_MAX * VZROUTE_PREFIX_STRLEN,
			  GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vzr_family, 0,
				VZROUTE_CMD_GET_CONFIG);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}
	mutex_lock(&vzr_lock);
	err = put_config(msg);
	mutex_unlock(&vzr_lock);
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

static int find_prefix(const struct vzr_config *cfg, const struct vzr_prefix *p)
{
	unsigned int i;

	for (i = 0; i < cfg->n_allow; i++)
		if (cfg->allow[i].len == p->len &&
		    vzr_ip_equal(&cfg->allow[i].ip, &p->ip))
			return i;
	return -1;
}

/* Parse a request into @cfg, a copy of the current settings. */
static int parse_config(struct vzr_config *cfg, struct genl_info *info)
{
	struct netlink_ext_ack *extack = vzr_genl_extack(info);
	struct nlattr **a = info->attrs;
	static const struct {
		int attr;
		const char *(*check)(u32 v);
	} u32s[] = {
		{ VZROUTE_A_PROTO, vzr_check_proto },
		{ VZROUTE_A_METRIC, vzr_check_metric },
		{ VZROUTE_A_TABLE, vzr_check_table },
		{ VZROUTE_A_MAX_PER_NETNS, NULL },
	};
	u32 *u32_fields[] = { &cfg->proto, &cfg->metric, &cfg->table,
			      &cfg->max_per_netns };
	struct vzr_prefix p;
	const char *why;
	bool any = false;
	unsigned int i;
	int pos;

	for (i = 0; i < ARRAY_SIZE(u32s); i++) {
		struct nlattr *nla = a[u32s[i].attr];

		if (!nla)
			continue;
		why = u32s[i].check ? u32s[i].check(nla_get_u32(nla)) : NULL;
		if (why) {
			vzr_extack_set(extack, nla, why);
			return -EINVAL;
		}
		*u32_fields[i] = nla_get_u32(nla);
		any = true;
	}
	if (a[VZROUTE_A_KEEP_ROUTES]) {
		cfg->keep_routes = nla_get_u8(a[VZROUTE_A_KEEP_ROUTES]);
		any = true;
	}
	if (a[VZROUTE_A_HOST_IFNAMES]) {
		if (vzr_parse_ifnames(nla_data(a[VZROUTE_A_HOST_IFNAMES]),
				      cfg->host_ifnames, &why)) {
			vzr_extack_set(extack, a[VZROUTE_A_HOST_IFNAMES], why);
			return -EINVAL;
		}
		any = true;
	}
	if (a[VZROUTE_A_ALLOW]) {
		if (vzr_parse_allow(nla_data(a[VZROUTE_A_ALLOW]), cfg->allow,
				    &cfg->n_allow, &why)) {
			vzr_extack_set(extack, a[VZROUTE_A_ALLOW], why);
			return -EINVAL;
		}
		any = true;
	}
	if (a[VZROUTE_A_ALLOW_ADD]) {
		const char *s = nla_data(a[VZROUTE_A_ALLOW_ADD]);

		if (vzr_prefix_parse(s, strlen(s), &p, &why)) {
			vzr_extack_set(extack, a[VZROUTE_A_ALLOW_ADD], why);
			return -EINVAL;
		}
		if (find_prefix(cfg, &p) >= 0) {
			NL_SET_ERR_MSG_ATTR(extack, a[VZROUTE_A_ALLOW_ADD],
					    "prefix is already in the allow list");
			return -EEXIST;
		}
		if (cfg->n_allow == VZR_ALLOW_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a[VZROUTE_A_ALLOW_ADD],
					    "allow list is full (64 prefixes)");
			return -ENOSPC;
		}
		cfg->allow[cfg->n_allow++] = p;
		any = true;
	}
	if (a[VZROUTE_A_ALLOW_DEL]) {
		const char *s = nla_data(a[VZROUTE_A_ALLOW_DEL]);

		if (vzr_prefix_parse(s, strlen(s), &p, &why)) {
			vzr_extack_set(extack, a[VZROUTE_A_ALLOW_DEL], why);
			return -EINVAL;
		}
		pos = find_prefix(cfg, &p);
		if (pos < 0) {
			NL_SET_ERR_MSG_ATTR(extack, a[VZROUTE_A_ALLOW_DEL],
					    "prefix is not in the allow list");
			return -ENOENT;
		}
		memmove(&cfg->allow[pos], &cfg->allow[pos + 1],
			(cfg->n_allow - pos - 1) * sizeof(cfg->allow[0]));
		cfg->n_allow--;
		any = true;
	}
	if (!any) {
		NL_SET_ERR_MSG(extack, "no setting in the request");
		return -EINVAL;
	}
	return 0;
}

static int set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct vzr_config *cfg;
	int err;

	cfg = kmalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	mutex_lock(&vzr_lock);
	*cfg = vzr_cfg;
	err = parse_config(cfg, info);
	if (!err) {
		vzr_cfg = *cfg;
		/* host_ifnames may have changed which devices count. */
		vzr_kick_all();
	}
	mutex_unlock(&vzr_lock);
	kfree(cfg);
	return err;
}

static int resync(struct sk_buff *skb, struct genl_info *info)
{
	mutex_lock(&vzr_lock);
	vzr_resync();
	mutex_unlock(&vzr_lock);
	vzr_reconcile_wait();
	return 0;
}

static int get_counters(struct sk_buff *skb, struct genl_info *info)
{
	const struct {
		int attr;
		u64 *val;
	} cnt[] = {
		{ VZROUTE_A_CNT_ADDED, &vzr_counters.added },
		{ VZROUTE_A_CNT_REMOVED, &vzr_counters.removed },
		{ VZROUTE_A_CNT_FAILED, &vzr_counters.failed },
		{ VZROUTE_A_CNT_DENIED, &vzr_counters.denied },
		{ VZROUTE_A_CNT_OVER_CAP, &vzr_counters.over_cap },
		{ VZROUTE_A_CNT_CONFLICTS, &vzr_counters.conflicts },
		{ VZROUTE_A_CNT_TAKEOVERS, &vzr_counters.takeovers },
		{ VZROUTE_A_CNT_RECONCILIATIONS, &vzr_counters.runs },
		{ VZROUTE_A_CNT_BACKLOG_MAX, &vzr_counters.backlog_max },
		{ VZROUTE_A_CNT_ADOPTED, &vzr_counters.adopted },
		{ VZROUTE_A_CNT_VERIFIES, &vzr_counters.verifies },
	};
	struct sk_buff *msg;
	unsigned int i;
	void *hdr;
	int err = -EMSGSIZE;

	/* Counters describe every container on the node. */
	if (!net_eq(genl_info_net(info), &init_net)) {
		NL_SET_ERR_MSG(vzr_genl_extack(info),
			       "counters are only visible from the initial network namespace");
		return -EPERM;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vzr_family, 0,
				VZROUTE_CMD_GET_COUNTERS);
	if (!hdr)
		goto err_free;
	if (nla_put_u64_64bit(msg, VZROUTE_A_CNT_EVENTS,
			      atomic64_read(&vzr_events), VZROUTE_A_PAD))
		goto err_free;
	mutex_lock(&vzr_lock);
	for (i = 0; i < ARRAY_SIZE(cnt); i++)
		if (nla_put_u64_64bit(msg, cnt[i].attr, *cnt[i].val,
				      VZROUTE_A_PAD))
			break;
	mutex_unlock(&vzr_lock);
	if (i < ARRAY_SIZE(cnt))
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

static int fill_entry(struct sk_buff *skb, const struct vzr_entry *e,
		      u32 portid, u32 seq, int flags, u8 cmd, u8 event,
		      void **hdrp)
{
	const struct vzr_slot *s = e->slot;
	time64_t now = ktime_get_real_seconds();
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vzr_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u8(skb, VZROUTE_A_ADDR_FAMILY, e->ip.family) ||
	    nla_put(skb, VZROUTE_A_ADDR_ADDR,
		    e->ip.family == AF_INET ? 4 : 16, &e->ip.a) ||
	    nla_put_u32(skb, VZROUTE_A_ADDR_CT_NETNS, vzr_net_inum(e->dev->cnet)) ||
	    nla_put_u32(skb, VZROUTE_A_ADDR_CT_IFINDEX, e->dev->cifindex) ||
	    nla_put_string(skb, VZROUTE_A_ADDR_CT_IFNAME, e->dev->cname) ||
	    nla_put_u32(skb, VZROUTE_A_ADDR_HOST_NETNS, vzr_net_inum(e->dev->hnet)) ||
	    nla_put_u32(skb, VZROUTE_A_ADDR_HOST_IFINDEX, e->dev->hifindex) ||
	    nla_put_string(skb, VZROUTE_A_ADDR_HOST_IFNAME, e->dev->hname) ||
	    nla_put_u8(skb, VZROUTE_A_ADDR_STATE, e->state) ||
	    nla_put_s32(skb, VZROUTE_A_ADDR_ERRNO, -e->err) ||
	    nla_put_u64_64bit(skb, VZROUTE_A_ADDR_SINCE, e->since,
			      VZROUTE_A_PAD) ||
	    nla_put_u64_64bit(skb, VZROUTE_A_ADDR_AGE,
			      now > e->since ? now - e->since : 0,
			      VZROUTE_A_PAD))
		goto cancel;
	if (s && s->holder == e && s->installed &&
	    (nla_put_u32(skb, VZROUTE_A_ROUTE_PROTO, s->inst.proto) ||
	     nla_put_u32(skb, VZROUTE_A_ROUTE_METRIC, s->inst.metric) ||
	     nla_put_u32(skb, VZROUTE_A_ROUTE_TABLE, s->inst.table)))
		goto cancel;
	if (event && nla_put_u8(skb, VZROUTE_A_EVENT, event))
		goto cancel;
	genlmsg_end(skb, hdr);
	if (hdrp)
		*hdrp = hdr;
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* May @net see @e? The initial namespace sees all; others their own. */
static bool visible(struct net *net, const struct vzr_entry *e)
{
	return net_eq(net, &init_net) || net_eq(net, e->dev->hnet);
}

/*
 * cb->args[0] counts the entries already sent; cb->seq, the table's
 * generation, makes the dump flagged as interrupted when the table
 * changed between two parts.
 */
static int get_addrs(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	long idx = 0, skip = cb->args[0];
	struct vzr_entry *e;
	void *hdr;

	mutex_lock(&vzr_lock);
	cb->seq = vzr_track_gen;
	list_for_each_entry(e, &vzr_entries, order) {
		if (!visible(net, e))
			continue;
		if (idx++ < skip)
			continue;
		if (fill_entry(skb, e, NETLINK_CB(cb->skb).portid,
			       cb->nlh->nlmsg_seq, NLM_F_MULTI,
			       VZROUTE_CMD_GET_ADDRS, 0, &hdr)) {
			idx--;
			break;
		}
		genl_dump_check_consistent(cb, hdr);
	}
	mutex_unlock(&vzr_lock);
	cb->args[0] = idx;
	return skb->len;
}

/**
 * vzr_genl_event() - tell listeners what happened to @e
 * @e: the entry, under vzr_lock
 * @event: enum vzroute_event
 *
 * The initial namespace hears every event; the namespace of the host side
 * hears those of its own containers.
 */
void vzr_genl_event(const struct vzr_entry *e, u8 event)
{
	struct net *nets[2] = { &init_net, e->dev->hnet };
	struct sk_buff *skb;
	unsigned int i;

	lockdep_assert_held(&vzr_lock);
	if (!registered)
		return;
	for (i = 0; i < ARRAY_SIZE(nets); i++) {
		if (i && net_eq(nets[i], &init_net))
			break;
		if (!genl_has_listeners(&vzr_family, nets[i], VZR_MCGRP_EVENTS))
			continue;
		skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
		if (!skb)
			continue;
		if (fill_entry(skb, e, 0, 0, 0, VZROUTE_CMD_EVENT, event,
			       NULL)) {
			nlmsg_free(skb);
			continue;
		}
		genlmsg_multicast_netns(&vzr_family, nets[i], skb, 0,
					VZR_MCGRP_EVENTS, GFP_KERNEL);
	}
}

static const struct genl_ops vzr_ops[] = {
	{
		.cmd = VZROUTE_CMD_GET_CONFIG,
		VZR_GENL_OP_POLICY(vzr_policy)
		.doit = get_config,
	},
	{
		.cmd = VZROUTE_CMD_SET_CONFIG,
		VZR_GENL_OP_POLICY(vzr_policy)
		.doit = set_config,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = VZROUTE_CMD_GET_ADDRS,
		VZR_GENL_OP_POLICY(vzr_policy)
		.dumpit = get_addrs,
	},
	{
		.cmd = VZROUTE_CMD_GET_COUNTERS,
		VZR_GENL_OP_POLICY(vzr_policy)
		.doit = get_counters,
	},
	{
		.cmd = VZROUTE_CMD_RESYNC,
		VZR_GENL_OP_POLICY(vzr_policy)
		.doit = resync,
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family vzr_family = {
	.name = VZROUTE_GENL_NAME,
	.version = VZROUTE_GENL_VERSION,
	.maxattr = VZROUTE_A_MAX,
	VZR_GENL_FAMILY_POLICY(vzr_policy)
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = vzr_ops,
	.n_ops = ARRAY_SIZE(vzr_ops),
	.mcgrps = vzr_mcgrps,
	.n_mcgrps = ARRAY_SIZE(vzr_mcgrps),
};

int __init vzr_genl_init(void)
{
	int err = genl_register_family(&vzr_family);

	if (err)
		return err;
	mutex_lock(&vzr_lock);
	registered = true;
	mutex_unlock(&vzr_lock);
	return 0;
}

void vzr_genl_uninit(void)
{
	mutex_lock(&vzr_lock);
	registered = false;
	mutex_unlock(&vzr_lock);
	genl_unregister_family(&vzr_family);
}
