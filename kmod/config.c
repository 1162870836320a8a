// SPDX-License-Identifier: GPL-2.0
/*
 * The settings as the family carries them: GET_CONFIG's answer, and
 * SET_CONFIG's request checked as a whole, with the same checkers as the
 * module parameters (params.c, policy.c) and the same messages.
 */

#include <linux/slab.h>
#include <linux/vzroute.h>
#include <net/genetlink.h>

#include "compat.h"
#include "config.h"
#include "fault.h"
#include "params.h"

/*
 * The settings, as GET_CONFIG answers them: the allow list with each
 * entry's binding, as allow= takes it. Return: 0 or -errno.
 */
int vzr_config_put(struct sk_buff *skb)
{
	char *allow;
	int len = 0, err;
	unsigned int i;

	allow = vzr_alloc(kmalloc(VZR_ALLOW_STRLEN, GFP_KERNEL));
	if (!allow)
		return -ENOMEM;
	allow[0] = '\0';
	for (i = 0; i < vzr_cfg.n_allow; i++) {
		char entry[VZROUTE_ENTRY_STRLEN];

		len += scnprintf(allow + len, VZR_ALLOW_STRLEN - len, "%s%s",
				 i ? "," : "",
				 vzr_entry_str(&vzr_cfg.allow[i], entry,
					       sizeof(entry)));
	}
	err = -EMSGSIZE;
	if (nla_put_u32(skb, VZROUTE_A_PROTO, vzr_cfg.proto) ||
	    nla_put_u32(skb, VZROUTE_A_METRIC, vzr_cfg.metric) ||
	    nla_put_u32(skb, VZROUTE_A_TABLE, vzr_cfg.table) ||
	    nla_put_u32(skb, VZROUTE_A_MAX_PER_NETNS, vzr_cfg.max_per_netns) ||
	    nla_put_u8(skb, VZROUTE_A_KEEP_ROUTES, vzr_cfg.keep_routes) ||
	    nla_put_string(skb, VZROUTE_A_HOST_IFNAMES, vzr_cfg.host_ifnames) ||
	    nla_put_string(skb, VZROUTE_A_NEIGH_DEVS, vzr_cfg.neigh_devs) ||
	    nla_put_u8(skb, VZROUTE_A_NEIGH_ANNOUNCE, vzr_cfg.neigh_announce) ||
	    nla_put_string(skb, VZROUTE_A_ALLOW, allow))
		goto out;
	err = 0;
out:
	kfree(allow);
	return err;
}

/* Where the entry with @p's prefix and binding is, or -1. */
static int find_entry(const struct vzr_config *cfg, const struct vzr_prefix *p)
{
	unsigned int i;

	for (i = 0; i < cfg->n_allow; i++)
		if (vzr_entry_equal(&cfg->allow[i], p))
			return i;
	return -1;
}

/* The numeric settings of a request. Return: how many, or -EINVAL. */
static int parse_numbers(struct vzr_config *cfg, struct genl_info *info)
{
	static const struct {
		int attr;
		const char *(*check)(u32 v);
	} u32s[] = {
		{ VZROUTE_A_PROTO, vzr_check_proto },
		{ VZROUTE_A_METRIC, vzr_check_metric },
		{ VZROUTE_A_TABLE, vzr_check_table },
		{ VZROUTE_A_MAX_PER_NETNS, NULL },
	};
	u32 *fields[] = { &cfg->proto, &cfg->metric, &cfg->table,
			  &cfg->max_per_netns };
	struct nlattr **a = info->attrs;
	const char *why;
	unsigned int i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(u32s); i++) {
		struct nlattr *nla = a[u32s[i].attr];

		if (!nla)
			continue;
		why = u32s[i].check ? u32s[i].check(nla_get_u32(nla)) : NULL;
		if (why) {
			vzr_extack_set(vzr_genl_extack(info), nla, why);
			return -EINVAL;
		}
		*fields[i] = nla_get_u32(nla);
		n++;
	}
	if (a[VZROUTE_A_KEEP_ROUTES]) {
		cfg->keep_routes = nla_get_u8(a[VZROUTE_A_KEEP_ROUTES]);
		n++;
	}
	if (a[VZROUTE_A_NEIGH_ANNOUNCE]) {
		/* The policy's bound, checked again where it is not strict. */
		why = vzr_check_announce(nla_get_u8(a[VZROUTE_A_NEIGH_ANNOUNCE]));
		if (why) {
			vzr_extack_set(vzr_genl_extack(info),
				       a[VZROUTE_A_NEIGH_ANNOUNCE], why);
			return -EINVAL;
		}
		cfg->neigh_announce = nla_get_u8(a[VZROUTE_A_NEIGH_ANNOUNCE]);
		n++;
	}
	return n;
}

/* The whole lists of a request. Return: how many, or -EINVAL. */
static int parse_lists(struct vzr_config *cfg, struct genl_info *info)
{
	struct nlattr *ifnames = info->attrs[VZROUTE_A_HOST_IFNAMES];
	struct nlattr *allow = info->attrs[VZROUTE_A_ALLOW];
	struct nlattr *neigh = info->attrs[VZROUTE_A_NEIGH_DEVS];
	const char *why;

	if (ifnames && vzr_parse_ifnames(nla_data(ifnames), cfg->host_ifnames,
					 &why)) {
		vzr_extack_set(vzr_genl_extack(info), ifnames, why);
		return -EINVAL;
	}
	if (allow && vzr_parse_allow(nla_data(allow), cfg->allow,
				     &cfg->n_allow, &why)) {
		vzr_extack_set(vzr_genl_extack(info), allow, why);
		return -EINVAL;
	}
	if (neigh && vzr_parse_ifnames(nla_data(neigh), cfg->neigh_devs, &why)) {
		vzr_extack_set(vzr_genl_extack(info), neigh, why);
		return -EINVAL;
	}
	return !!ifnames + !!allow + !!neigh;
}

/*
 * The entry of ALLOW_ADD or ALLOW_DEL, "PREFIX" or "PREFIX@PATTERN", and
 * where it is in the list.
 */
static int parse_edit(struct vzr_config *cfg, struct genl_info *info,
		      struct nlattr *nla, struct vzr_prefix *p, int *pos)
{
	const char *s = nla_data(nla);
	const char *why;

	if (vzr_entry_parse(s, strlen(s), p, &why)) {
		vzr_extack_set(vzr_genl_extack(info), nla, why);
		return -EINVAL;
	}
	*pos = find_entry(cfg, p);
	return 0;
}

/* ALLOW_ADD and ALLOW_DEL. Return: how many, or -errno. */
static int parse_edits(struct vzr_config *cfg, struct genl_info *info)
{
	struct netlink_ext_ack *extack = vzr_genl_extack(info);
	struct nlattr *add = info->attrs[VZROUTE_A_ALLOW_ADD];
	struct nlattr *del = info->attrs[VZROUTE_A_ALLOW_DEL];
	struct vzr_prefix p;
	int pos, err;

	if (add) {
		err = parse_edit(cfg, info, add, &p, &pos);
		if (err)
			return err;
		if (pos >= 0) {
			if (p.dev[0])
				vzr_extack_set(extack, add,
					       "prefix is already in the allow list, bound to these devices");
			else
				vzr_extack_set(extack, add,
					       "prefix is already in the allow list");
			return -EEXIST;
		}
		if (cfg->n_allow == VZR_ALLOW_MAX) {
			vzr_extack_set(extack, add,
				       "allow list is full (64 prefixes)");
			return -ENOSPC;
		}
		cfg->allow[cfg->n_allow++] = p;
	}
	if (del) {
		err = parse_edit(cfg, info, del, &p, &pos);
		if (err)
			return err;
		if (pos < 0) {
			if (p.dev[0])
				vzr_extack_set(extack, del,
					       "prefix is not in the allow list bound to these devices");
			else
				vzr_extack_set(extack, del,
					       "prefix is not in the allow list (a bound entry is removed as PREFIX@PATTERN)");
			return -ENOENT;
		}
		memmove(&cfg->allow[pos], &cfg->allow[pos + 1],
			(cfg->n_allow - pos - 1) * sizeof(cfg->allow[0]));
		cfg->n_allow--;
	}
	return !!add + !!del;
}

/**
 * vzr_config_parse() - read a SET_CONFIG request
 * @cfg: a copy of the current settings, changed as the request says
 * @info: the request
 *
 * Checks the request as a whole: on an error, @cfg is to be thrown away,
 * and the extended ack says what was wrong.
 *
 * Return: 0 or -errno.
 */
int vzr_config_parse(struct vzr_config *cfg, struct genl_info *info)
{
	int (*const steps[])(struct vzr_config *, struct genl_info *) = {
		parse_numbers, parse_lists, parse_edits,
	};
	unsigned int i;
	int n, any = 0;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		n = steps[i](cfg, info);
		if (n < 0)
			return n;
		any += n;
	}
	if (!any) {
		NL_SET_ERR_MSG(vzr_genl_extack(info), "no setting in the request");
		return -EINVAL;
	}
	return 0;
}

