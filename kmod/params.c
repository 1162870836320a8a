// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters. Each value is parsed and checked as a whole before it
 * replaces the old one, so a bad modprobe option fails the load instead of
 * leaving a half-configured module.
 */

#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vzroute.h>

#include "fault.h"
#include "params.h"

/*
 * Taken by whoever replaces vzr_cfg after load (under vzr_lock) and by the
 * sysfs getters of the lists, which must not take vzr_lock: they run under
 * the module's param_lock, which lockdep sees as one class with every
 * other module's, some of which are taken under RTNL.
 */
DEFINE_MUTEX(vzr_cfg_lock);

struct vzr_config vzr_cfg = {
	.proto = VZROUTE_RTPROT,
	.metric = VZROUTE_METRIC,
	.table = RT_TABLE_MAIN,
	.max_per_netns = 64,
	.max_tracked = 4096,
	.venet_dev = "venet0",
	.neigh_announce = 1,
};

/**
 * vzr_parse_allow() - parse a comma-separated list of allow entries
 * @s: the list of "PREFIX" or "PREFIX@PATTERN" (vzr_entry_parse()); empty
 *     (or only a newline) means "route nothing"
 * @out: VZR_ALLOW_MAX entries
 * @n: number of entries parsed
 * @why: set to a message when the list is refused
 *
 * Return: 0, or -EINVAL with nothing in @out to rely on.
 */
int vzr_parse_allow(const char *s, struct vzr_prefix *out, unsigned int *n,
		    const char **why)
{
	*n = 0;
	*why = NULL;
	while (*s && *s != '\n') {
		size_t len = strcspn(s, ",\n");

		if (*n == VZR_ALLOW_MAX) {
			*why = "too many prefixes (at most 64)";
			return -EINVAL;
		}
		if (vzr_entry_parse(s, len, &out[*n], why))
			return -EINVAL;
		(*n)++;
		s += len;
		if (*s == ',')
			s++;
	}
	return 0;
}

int vzr_parse_ifnames(const char *s, char *out, const char **why)
{
	size_t len = strcspn(s, "\n");
	size_t i;

	*why = NULL;
	if (len >= VZR_IFNAMES_MAX) {
		*why = "list too long";
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (!isgraph(s[i]) || s[i] == '/') {
			*why = "patterns are interface names: no spaces or '/'";
			return -EINVAL;
		}
		if (s[i] == ',' && (i == 0 || i == len - 1 || s[i + 1] == ',')) {
			*why = "empty pattern in list";
			return -EINVAL;
		}
	}
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

/**
 * vzr_parse_ifname() - one interface name, as the kernel would accept it
 * @s: the name, possibly followed by a newline
 * @out: IFNAMSIZ bytes
 * @why: set to a message when the name is refused
 *
 * Return: 0, or -EINVAL with @out untouched.
 */
int vzr_parse_ifname(const char *s, char *out, const char **why)
{
	size_t len = strcspn(s, "\n");
	char tmp[IFNAMSIZ];

	*why = NULL;
	if (!len || len >= IFNAMSIZ) {
		*why = "an interface name has 1 to 15 characters";
		return -EINVAL;
	}
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (!dev_valid_name(tmp)) {
		*why = "not a valid interface name";
		return -EINVAL;
	}
	memcpy(out, tmp, len + 1);
	return 0;
}

static int allow_set(const char *val, const struct kernel_param *kp)
{
	struct vzr_prefix *tmp;
	const char *why;
	unsigned int n;
	int err;

	tmp = vzr_alloc(kcalloc(VZR_ALLOW_MAX, sizeof(*tmp), GFP_KERNEL));
	if (!tmp)
		return -ENOMEM;
	err = vzr_parse_allow(val, tmp, &n, &why);
	if (err) {
		pr_err("allow=%s refused: %s\n", val, why);
	} else {
		memcpy(vzr_cfg.allow, tmp, n * sizeof(*tmp));
		vzr_cfg.n_allow = n;
	}
	kfree(tmp);
	return err;
}

/*
 * 64 entries bound to long patterns can exceed the page sysfs gives;
 * vzroute config shows the whole list. The lists change at run time
 * (SET_CONFIG, ALLOW_ADD, ALLOW_DEL) under vzr_cfg_lock, which their
 * getters take too, so that a read never shows half of a change.
 */
static int allow_get(char *buf, const struct kernel_param *kp)
{
	char entry[VZROUTE_ENTRY_STRLEN];
	int len = 0;
	unsigned int i;

	mutex_lock(&vzr_cfg_lock);
	for (i = 0; i < vzr_cfg.n_allow; i++)
		len += scnprintf(buf + len, PAGE_SIZE - len, "%s%s", i ? "," : "",
				 vzr_entry_str(&vzr_cfg.allow[i], entry,
					       sizeof(entry)));
	mutex_unlock(&vzr_cfg_lock);
	len += scnprintf(buf + len, PAGE_SIZE - len, "\n");
	return len;
}

static const struct kernel_param_ops allow_ops = {
	.set = allow_set,
	.get = allow_get,
};

static int ifnames_set(const char *val, const struct kernel_param *kp)
{
	char tmp[VZR_IFNAMES_MAX];
	const char *why;

	if (vzr_parse_ifnames(val, tmp, &why)) {
		pr_err("host_ifnames=%s refused: %s\n", val, why);
		return -EINVAL;
	}
	strscpy(vzr_cfg.host_ifnames, tmp, sizeof(vzr_cfg.host_ifnames));
	return 0;
}

static int ifnames_get(char *buf, const struct kernel_param *kp)
{
	int len;

	mutex_lock(&vzr_cfg_lock);
	len = scnprintf(buf, PAGE_SIZE, "%s\n", vzr_cfg.host_ifnames);
	mutex_unlock(&vzr_cfg_lock);
	return len;
}

static const struct kernel_param_ops ifnames_ops = {
	.set = ifnames_set,
	.get = ifnames_get,
};

static int venet_dev_set(const char *val, const struct kernel_param *kp)
{
	const char *why;

	if (vzr_parse_ifname(val, vzr_cfg.venet_dev, &why)) {
		pr_err("venet_dev=%s refused: %s\n", val, why);
		return -EINVAL;
	}
	return 0;
}

static int venet_dev_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%s\n", vzr_cfg.venet_dev);
}

static const struct kernel_param_ops venet_dev_ops = {
	.set = venet_dev_set,
	.get = venet_dev_get,
};

/* Checked u32 parameters: the checker names what is wrong with a value. */
static int checked_u32_set(const char *val, const struct kernel_param *kp,
			   const char *(*check)(u32))
{
	const char *why = NULL;
	u32 v;

	if (kstrtou32(val, 0, &v))
		why = "not a number";
	else if (check)
		why = check(v);
	if (why) {
		pr_err("%s=%s refused: %s\n", kp->name, val, why);
		return -EINVAL;
	}
	*(u32 *)kp->arg = v;
	return 0;
}

static int proto_set(const char *val, const struct kernel_param *kp)
{
	return checked_u32_set(val, kp, vzr_check_proto);
}

static int metric_set(const char *val, const struct kernel_param *kp)
{
	return checked_u32_set(val, kp, vzr_check_metric);
}

static int table_set(const char *val, const struct kernel_param *kp)
{
	return checked_u32_set(val, kp, vzr_check_table);
}

static int cap_set(const char *val, const struct kernel_param *kp)
{
	return checked_u32_set(val, kp, NULL);
}

static const char *check_tracked(u32 v)
{
	return v ? NULL : "must be at least 1";
}

static int tracked_set(const char *val, const struct kernel_param *kp)
{
	return checked_u32_set(val, kp, check_tracked);
}

static const struct kernel_param_ops proto_ops = {
	.set = proto_set, .get = param_get_uint,
};

static const struct kernel_param_ops metric_ops = {
	.set = metric_set, .get = param_get_uint,
};

static const struct kernel_param_ops table_ops = {
	.set = table_set, .get = param_get_uint,
};

static const struct kernel_param_ops cap_ops = {
	.set = cap_set, .get = param_get_uint,
};

static const struct kernel_param_ops tracked_ops = {
	.set = tracked_set, .get = param_get_uint,
};

static int neigh_devs_set(const char *val, const struct kernel_param *kp)
{
	char tmp[VZR_IFNAMES_MAX];
	const char *why;

	if (vzr_parse_ifnames(val, tmp, &why)) {
		pr_err("neigh_devs=%s refused: %s\n", val, why);
		return -EINVAL;
	}
	strscpy(vzr_cfg.neigh_devs, tmp, sizeof(vzr_cfg.neigh_devs));
	return 0;
}

static int neigh_devs_get(char *buf, const struct kernel_param *kp)
{
	int len;

	mutex_lock(&vzr_cfg_lock);
	len = scnprintf(buf, PAGE_SIZE, "%s\n", vzr_cfg.neigh_devs);
	mutex_unlock(&vzr_cfg_lock);
	return len;
}

static const struct kernel_param_ops neigh_devs_ops = {
	.set = neigh_devs_set,
	.get = neigh_devs_get,
};

const char *vzr_check_announce(u32 n)
{
	return n > VZROUTE_ANNOUNCE_MAX ? "at most 10 announcements" : NULL;
}

static int announce_set(const char *val, const struct kernel_param *kp)
{
	return checked_u32_set(val, kp, vzr_check_announce);
}

static int announce_get(char *buf, const struct kernel_param *kp)
{
	u32 n;

	mutex_lock(&vzr_cfg_lock);
	n = vzr_cfg.neigh_announce;
	mutex_unlock(&vzr_cfg_lock);
	return scnprintf(buf, PAGE_SIZE, "%u\n", n);
}

static const struct kernel_param_ops announce_ops = {
	.set = announce_set, .get = announce_get,
};

/*
 * Read-only in sysfs: a write there would bypass the reconciler's lock;
 * run-time changes go through the netlink family.
 */
module_param_cb(allow, &allow_ops, NULL, 0444);
MODULE_PARM_DESC(allow, "Comma-separated IPv4/IPv6 prefixes whose container addresses are routed (default: none, nothing is routed)");
module_param_cb(host_ifnames, &ifnames_ops, NULL, 0444);
MODULE_PARM_DESC(host_ifnames, "Comma-separated shell patterns the host-side device name must match (default: any), e.g. veth*");
module_param_cb(proto, &proto_ops, &vzr_cfg.proto, 0444);
MODULE_PARM_DESC(proto, "Route protocol number of vzroute's routes (default 157)");
module_param_cb(metric, &metric_ops, &vzr_cfg.metric, 0444);
MODULE_PARM_DESC(metric, "Metric of vzroute's routes, below 2^24 (default 128)");
module_param_cb(table, &table_ops, &vzr_cfg.table, 0444);
MODULE_PARM_DESC(table, "Routing table of vzroute's routes (default 254, main)");
module_param_cb(max_per_netns, &cap_ops, &vzr_cfg.max_per_netns, 0444);
MODULE_PARM_DESC(max_per_netns, "Most routes one container namespace can get, 0 for no limit (default 64)");
/*
 * Fixed for the module's lifetime: what a container can make vzroute
 * store, whatever it does. Lowering it at run time would have to drop
 * entries that are routed.
 */
module_param_cb(max_tracked_per_netns, &tracked_ops, &vzr_cfg.max_tracked, 0444);
MODULE_PARM_DESC(max_tracked_per_netns, "Most addresses tracked per container namespace, in any state; more are counted and left out (default 4096)");
/*
 * Fixed for the module's lifetime: the reconciler reads it under RTNL only,
 * and nothing else may change it.
 */
module_param_cb(venet_dev, &venet_dev_ops, NULL, 0444);
MODULE_PARM_DESC(venet_dev, "The node's venet device (initial namespace), host side of every venet container (default venet0)");
/* Changed at run time through the family (vzroute set neigh_devs ...). */
module_param_cb(neigh_devs, &neigh_devs_ops, NULL, 0444);
MODULE_PARM_DESC(neigh_devs, "Uplinks that get proxy ARP/NDP entries for routed addresses inside their connected prefixes: empty for none (default), detect, or comma-separated name patterns");
module_param_cb(neigh_announce, &announce_ops, &vzr_cfg.neigh_announce, 0444);
MODULE_PARM_DESC(neigh_announce, "Gratuitous ARPs / unsolicited neighbour advertisements sent per proxy entry added, one a second, 0 to 10 (default 1)");
module_param_named(keep_routes, vzr_cfg.keep_routes, bool, 0444);
MODULE_PARM_DESC(keep_routes, "Leave routes in place on unload, for a hitless upgrade (default 0)");
