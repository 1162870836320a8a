/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_PARAMS_H
#define _VZR_PARAMS_H

#include <linux/if.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "policy.h"

#define VZR_ALLOW_MAX		64
#define VZR_IFNAMES_MAX		256
/* The whole allow list as text, entries bound to patterns included. */
#define VZR_ALLOW_STRLEN	(VZR_ALLOW_MAX * VZROUTE_ENTRY_STRLEN)

/**
 * struct vzr_config - what the admin asked for
 * @proto: route protocol number of our routes
 * @metric: metric (priority) of our routes
 * @table: routing table of our routes
 * @max_per_netns: routes one container namespace may get, 0 for no limit
 * @max_tracked: addresses tracked per container namespace, in any state;
 *               fixed at load
 * @keep_routes: leave the routes in place when the module is unloaded
 * @n_allow: entries used in @allow
 * @allow: prefixes whose addresses may be routed, each maybe bound to the
 *         host devices it is for; empty routes nothing
 * @host_ifnames: comma-separated host-side name patterns, empty for any
 * @venet_dev: name of the node's venet device in the initial namespace,
 *              the host side of every venet container device
 * @neigh_devs: uplinks that get proxy neighbour entries: empty for none,
 *              "detect", or comma-separated name patterns (neigh.c)
 * @neigh_announce: announcements sent for each proxy entry added
 *
 * Written by the module parameter parser while the module loads, before
 * anything reads it; afterwards only under vzr_lock and vzr_cfg_lock
 * (taken in that order). The reconciler reads it under vzr_lock, the
 * sysfs getters of the lists under vzr_cfg_lock.
 */
struct vzr_config {
	u32 proto;
	u32 metric;
	u32 table;
	u32 max_per_netns;
	u32 max_tracked;
	bool keep_routes;
	unsigned int n_allow;
	struct vzr_prefix allow[VZR_ALLOW_MAX];
	char host_ifnames[VZR_IFNAMES_MAX];
	char venet_dev[IFNAMSIZ];
	char neigh_devs[VZR_IFNAMES_MAX];
	u32 neigh_announce;
};

extern struct vzr_config vzr_cfg;
extern struct mutex vzr_cfg_lock;

int vzr_parse_allow(const char *s, struct vzr_prefix *out, unsigned int *n,
		    const char **why);
int vzr_parse_ifnames(const char *s, char *out, const char **why);
const char *vzr_check_announce(u32 n);
int vzr_parse_ifname(const char *s, char *out, const char **why);

#endif /* _VZR_PARAMS_H */
