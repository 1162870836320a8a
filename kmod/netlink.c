// SPDX-License-Identifier: GPL-2.0
/*
 * The "vzroute" generic netlink family: read the tracked addresses, the
 * settings and the counters; change the settings; follow the events.
 *
 * Changing anything needs CAP_NET_ADMIN in the initial user namespace:
 * these are the node's routes, and root in a container, even in a user
 * namespace of its own, must not steer them. Reading is open, but a caller
 * outside the initial network namespace only sees addresses whose host
 * side is in its own namespace, and neither the settings (the allow list
 * says which addresses the node gave which container) nor the counters.
 *
 * The operations run in parallel (.parallel_ops): genl_mutex, which every
 * generic netlink family without it shares, is not held, so that a slow
 * vzroute (a request waiting for a long reconciliation) does not hold up
 * the other families' requests. (Genetlink's cb_lock is still held for
 * reading meanwhile: a family registering or unregistering then waits
 * for the reconciliation, as for any long request.) Each handler takes
 * vzr_lock itself around what it reads or writes: vzr_cfg, the table, the
 * counters and @registered; a dump takes it for each part, and keeps its
 * position in the callback, which netlink serialises per socket. Nothing
 * else here needs a lock: the family and its operations are constant, and
 * unregistering waits for running handlers.
 */

#include <linux/slab.h>
#include <linux/vzroute.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "backend.h"
#include "compat.h"
#include "config.h"
#include "fault.h"
#include "neigh.h"
#include "netlink.h"
#include "netns.h"
#include "params.h"
#include "reconcile.h"
#include "track.h"
#include "watch.h"

static const struct nla_policy vzr_policy[VZROUTE_A_MAX + 1] = {
	[VZROUTE_A_PROTO] = { .type = NLA_U32 },
	[VZROUTE_A_METRIC] = { .type = NLA_U32 },
	[VZROUTE_A_TABLE] = { .type = NLA_U32 },
	[VZROUTE_A_MAX_PER_NETNS] = { .type = NLA_U32 },
	[VZROUTE_A_KEEP_ROUTES] = VZR_POLICY_U8_MAX(1),
	[VZROUTE_A_HOST_IFNAMES] = { .type = NLA_NUL_STRING,
				     .len = VZROUTE_IFNAMES_STRLEN - 1 },
	[VZROUTE_A_ALLOW] = { .type = NLA_NUL_STRING, .len = VZR_ALLOW_STRLEN },
	[VZROUTE_A_ALLOW_ADD] = { .type = NLA_NUL_STRING,
				  .len = VZROUTE_ENTRY_STRLEN - 1 },
	[VZROUTE_A_ALLOW_DEL] = { .type = NLA_NUL_STRING,
				  .len = VZROUTE_ENTRY_STRLEN - 1 },
	[VZROUTE_A_NEIGH_DEVS] = { .type = NLA_NUL_STRING,
				   .len = VZROUTE_IFNAMES_STRLEN - 1 },
	[VZROUTE_A_NEIGH_ANNOUNCE] = VZR_POLICY_U8_MAX(VZROUTE_ANNOUNCE_MAX),
	/* The rest are only ever sent by the kernel: strict parsing refuses
	 * them in requests ("Unsupported attribute").
	 */
};

/* The most each VZR_POLICY_U8_MAX() attribute of vzr_policy may be. */
static const u8 vzr_u8_max[VZROUTE_A_MAX + 1] = {
	[VZROUTE_A_KEEP_ROUTES] = 1,
	[VZROUTE_A_NEIGH_ANNOUNCE] = VZROUTE_ANNOUNCE_MAX,
};

static struct genl_family vzr_family;
static bool registered;	/* under vzr_lock: events only while it holds */

enum { VZR_MCGRP_EVENTS };

static const struct genl_multicast_group vzr_mcgrps[] = {
	[VZR_MCGRP_EVENTS] = { .name = VZROUTE_MCGRP_EVENTS },
};

/* Answer a request with what @fill puts into a message of @size. */
static int reply(struct genl_info *info, u8 cmd, size_t size,
		 int (*fill)(struct sk_buff *msg))
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = vzr_alloc(genlmsg_new(size, GFP_KERNEL));
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &vzr_family, 0, cmd);
	err = hdr ? fill(msg) : -EMSGSIZE;
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* What the kernel checked already where it validates strictly. */
static int validate(struct genl_info *info)
{
	return vzr_genl_validate(info, vzr_policy, VZROUTE_A_MAX, vzr_u8_max);
}

static int put_config(struct sk_buff *msg)
{
	int err;

	mutex_lock(&vzr_lock);
	err = vzr_config_put(msg);
	mutex_unlock(&vzr_lock);
	return err;
}

static int get_config(struct sk_buff *skb, struct genl_info *info)
{
	int err = validate(info);

	if (err)
		return err;
	/*
	 * The allow list and its bindings map the node's addresses to its
	 * containers: a container learns nothing of the others from it.
	 */
	if (!net_eq(genl_info_net(info), &init_net)) {
		NL_SET_ERR_MSG(vzr_genl_extack(info),
			       "settings are only visible from the initial network namespace");
		return -EPERM;
	}
	return reply(info, VZROUTE_CMD_GET_CONFIG,
		     NLMSG_GOODSIZE + VZR_ALLOW_STRLEN, put_config);
}

static int set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct vzr_config *cfg;
	int err = validate(info);

	if (err)
		return err;
	cfg = vzr_alloc(kmalloc(sizeof(*cfg), GFP_KERNEL));
	if (!cfg)
		return -ENOMEM;
	mutex_lock(&vzr_lock);
	*cfg = vzr_cfg;
	err = vzr_config_parse(cfg, info);
	if (!err) {
		mutex_lock(&vzr_cfg_lock);
		vzr_cfg = *cfg;
		mutex_unlock(&vzr_cfg_lock);
		/* Which devices count, and what each entry may get. */
		vzr_reconfigured();
	}
	mutex_unlock(&vzr_lock);
	kfree(cfg);
	return err;
}

static int resync(struct sk_buff *skb, struct genl_info *info)
{
	int err = validate(info);
	u32 gen;

	if (err)
		return err;
	mutex_lock(&vzr_lock);
	gen = vzr_resync();
	mutex_unlock(&vzr_lock);
	return vzr_reconcile_wait(gen);
}

static int put_counters(struct sk_buff *msg)
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
		{ VZROUTE_A_CNT_UNBOUND, &vzr_counters.unbound },
		{ VZROUTE_A_CNT_UNTRACKED, &vzr_counters.untracked },
		{ VZROUTE_A_CNT_NEIGH_ADDED, &vzr_counters.neigh_added },
		{ VZROUTE_A_CNT_NEIGH_REMOVED, &vzr_counters.neigh_removed },
		{ VZROUTE_A_CNT_NEIGH_CONFLICTS, &vzr_counters.neigh_conflicts },
		{ VZROUTE_A_CNT_ANNOUNCED, &vzr_counters.announced },
		{ VZROUTE_A_CNT_ANNOUNCE_DEFERRED,
		  &vzr_counters.announce_deferred },
		{ VZROUTE_A_CNT_ANNOUNCE_DROPPED, &vzr_counters.announce_dropped },
		{ VZROUTE_A_CNT_RTNL_SCANS, &vzr_counters.rtnl_scans },
		{ VZROUTE_A_CNT_DEFERRED, &vzr_counters.deferred },
		{ VZROUTE_A_CNT_AHEAD, &vzr_counters.ahead },
	};
	unsigned int i;
	u64 tracked = 0, bytes;
	int err = 0;

	if (nla_put_u64_64bit(msg, VZROUTE_A_CNT_EVENTS,
			      atomic64_read(&vzr_events), VZROUTE_A_PAD))
		return -EMSGSIZE;
	mutex_lock(&vzr_lock);
	for (i = 0; i < ARRAY_SIZE(vzr_state_count); i++)
		tracked += vzr_state_count[i];
	bytes = vzr_track_bytes();
	for (i = 0; i < ARRAY_SIZE(cnt) && !err; i++)
		err = nla_put_u64_64bit(msg, cnt[i].attr, *cnt[i].val,
					VZROUTE_A_PAD);
	mutex_unlock(&vzr_lock);
	if (err || nla_put_u64_64bit(msg, VZROUTE_A_CNT_TRACKED, tracked,
				     VZROUTE_A_PAD) ||
	    nla_put_u64_64bit(msg, VZROUTE_A_CNT_TABLE_BYTES, bytes,
			      VZROUTE_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int get_counters(struct sk_buff *skb, struct genl_info *info)
{
	int err = validate(info);

	if (err)
		return err;
	/* Counters describe every container on the node. */
	if (!net_eq(genl_info_net(info), &init_net)) {
		NL_SET_ERR_MSG(vzr_genl_extack(info),
			       "counters are only visible from the initial network namespace");
		return -EPERM;
	}
	return reply(info, VZROUTE_CMD_GET_COUNTERS, NLMSG_GOODSIZE,
		     put_counters);
}

/* The proxy entries of @s, one nest per uplink. */
static int put_neigh(struct sk_buff *skb, const struct vzr_nslot *ns)
{
	struct nlattr *nest;
	unsigned int i;

	for (i = 0; ns && i < ns->n; i++) {
		nest = nla_nest_start(skb, VZROUTE_A_ADDR_NEIGH);
		if (!nest ||
		    nla_put_u32(skb, VZROUTE_NEIGH_A_IFINDEX, ns->p[i].ifindex) ||
		    nla_put_string(skb, VZROUTE_NEIGH_A_IFNAME, ns->p[i].name) ||
		    nla_put_u8(skb, VZROUTE_NEIGH_A_STATE, ns->p[i].state) ||
		    nla_put_s32(skb, VZROUTE_NEIGH_A_ERRNO, -ns->p[i].err))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

static int fill_entry(struct sk_buff *skb, const struct vzr_entry *e,
		      u32 portid, u32 seq, int flags, u8 cmd, u8 event,
		      void **hdrp)
{
	const struct vzr_slot *s = e->slot;
	const char *ctid = vzr_net_ctid(e->dev->cnet);
	time64_t now = vzr_real_seconds();
	time64_t since = vzr_entry_since(e, now);
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
	    nla_put_u64_64bit(skb, VZROUTE_A_ADDR_SINCE, since,
			      VZROUTE_A_PAD) ||
	    nla_put_u64_64bit(skb, VZROUTE_A_ADDR_AGE,
			      now > since ? now - since : 0,
			      VZROUTE_A_PAD))
		goto cancel;
	if (s && s->holder == e && s->installed &&
	    (nla_put_u32(skb, VZROUTE_A_ROUTE_PROTO, s->inst.proto) ||
	     nla_put_u32(skb, VZROUTE_A_ROUTE_METRIC, s->inst.metric) ||
	     nla_put_u32(skb, VZROUTE_A_ROUTE_TABLE, s->inst.table)))
		goto cancel;
	if (ctid && nla_put_string(skb, VZROUTE_A_ADDR_CTID, ctid))
		goto cancel;
	if (s && s->holder == e && put_neigh(skb, vzr_neigh_of(s)))
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
 * A dump goes through the entries by key: cb->args holds a vzr_cursor at
 * the last entry sent. Each part costs what it sends and the chains it
 * passes, however long the table, and holds vzr_lock for that part only.
 * cb->seq, the table's generation, makes the dump flagged as interrupted
 * when the table changed between two parts.
 */
static int get_addrs(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct vzr_cursor *c = (struct vzr_cursor *)cb->args;
	struct net *net = sock_net(skb->sk);
	struct vzr_entry *e = NULL;
	struct vzr_cursor last;
	void *hdr;

	BUILD_BUG_ON(sizeof(*c) > sizeof(cb->args));
	/*
	 * Host sides are only ever in the node's namespaces: a container's
	 * own sees no entry, and its dumps, as many as it likes, must not
	 * each cost a walk of the node's table under vzr_lock.
	 */
	if (c->done || !vzr_node_net(net))
		return 0;
	mutex_lock(&vzr_lock);
	cb->seq = vzr_track_gen;
	for (last = *c; (e = vzr_entry_next(c, e)); last = *c) {
		if (!visible(net, e))
			continue;
		/* full: this entry opens the next part */
		if (fill_entry(skb, e, NETLINK_CB(cb->skb).portid,
			       cb->nlh->nlmsg_seq, NLM_F_MULTI,
			       VZROUTE_CMD_GET_ADDRS, 0, &hdr)) {
			*c = last;
			break;
		}
		vzr_genl_dump_check_consistent(cb, hdr, &vzr_family);
	}
	mutex_unlock(&vzr_lock);
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
		skb = vzr_alloc(genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL));
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

/* Changes are the node's: CAP_NET_ADMIN in the initial user namespace. */
#define VZR_OP(c, handler, fn, fl) \
	{ .cmd = (c), VZR_GENL_OP_POLICY(vzr_policy) .handler = (fn), .flags = (fl) }

static const struct genl_ops vzr_ops[] = {
	VZR_OP(VZROUTE_CMD_GET_CONFIG, doit, get_config, 0),
	VZR_OP(VZROUTE_CMD_SET_CONFIG, doit, set_config, GENL_ADMIN_PERM),
	VZR_OP(VZROUTE_CMD_GET_ADDRS, dumpit, get_addrs, 0),
	VZR_OP(VZROUTE_CMD_GET_COUNTERS, doit, get_counters, 0),
	VZR_OP(VZROUTE_CMD_RESYNC, doit, resync, GENL_ADMIN_PERM),
};

static struct genl_family vzr_family = {
	.name = VZROUTE_GENL_NAME,
	.version = VZROUTE_GENL_VERSION,
	.maxattr = VZROUTE_A_MAX,
	VZR_GENL_FAMILY_POLICY(vzr_policy)
	.netnsok = true,
	.parallel_ops = true,	/* see the top of this file */
	.module = THIS_MODULE,
	.ops = vzr_ops,
	.n_ops = ARRAY_SIZE(vzr_ops),
	.mcgrps = vzr_mcgrps,
	.n_mcgrps = ARRAY_SIZE(vzr_mcgrps),
};

int vzr_genl_init(void)
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
