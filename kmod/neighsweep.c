// SPDX-License-Identifier: GPL-2.0
/*
 * Proxy entries of ours that no slot accounts for: left by an earlier load
 * (keep_routes=1) for addresses gone since, or by a delete that failed.
 * An audit deletes them; the unload deletes all of ours, unless
 * keep_routes=1. Ours are told by their protocol, which the kernel keeps
 * where it can (compat.h); where it cannot, only the entries a slot
 * remembers are known to be ours.
 */

#include <linux/list.h>
#include <linux/slab.h>

#include "compat.h"
#include "fault.h"
#include "neigh.h"
#include "netns.h"
#include "params.h"
#include "rtneigh.h"
#include "rtsock.h"
#include "track.h"

/**
 * struct stale - a proxy entry of ours to delete
 * @list: in the sweep's list
 * @k: the entry
 */
struct stale {
	struct list_head list;
	struct vzr_nkey k;
};

/**
 * struct sweep - one namespace's sweep
 * @all: every entry of ours (unload), not only those no slot accounts for
 * @failed: a dump, an allocation or a delete failed: sweep again later
 * @stale: found in the dump, deleted once it is done
 */
struct sweep {
	bool all;
	bool failed;
	struct list_head stale;
};

static void sweep_entry(struct net *net, const struct vzr_nkey *k, u8 proto,
			void *arg)
{
	struct sweep *sw = arg;
	struct vzr_slot *s;
	struct stale *st;

	if (proto != vzr_cfg.proto)
		return;
	s = vzr_slot_lookup(net, &k->ip);
	if (!sw->all && s && vzr_neigh_has_ours(s, k->ifindex))
		return;
	st = vzr_alloc(kmalloc(sizeof(*st), GFP_KERNEL));
	if (!st) {
		sw->failed = true;
		return;
	}
	st->k = *k;
	list_add_tail(&st->list, &sw->stale);
}

static void sweep_net(struct net *net, void *arg)
{
	struct sweep *all = arg;
	struct sweep sw = { .all = all->all,
			    .stale = LIST_HEAD_INIT(sw.stale) };
	struct stale *st, *tmp;
	int err;

	if (vzr_rtneigh_dump(net, sweep_entry, &sw)) {
		pr_warn_ratelimited("reading proxy neighbour entries failed\n");
		sw.failed = true;
	}
	list_for_each_entry_safe(st, tmp, &sw.stale, list) {
		err = vzr_rtneigh_del(net, &st->k);
		if (!err)
			vzr_counters.neigh_removed++;
		else if (err != -ENOENT)
			sw.failed = true;
		kfree(st);
	}
	all->failed |= sw.failed;
}

/**
 * vzr_neigh_sweep() - delete entries of ours no slot accounts for
 * @all: delete every entry of ours instead (unload)
 *
 * In the initial namespace and every host namespace we have a socket in.
 *
 * Return: false when some entry may have been missed (a dump, an
 * allocation or a delete failed): the caller sweeps again later.
 */
bool vzr_neigh_sweep(bool all)
{
	struct sweep sw = { .all = all };

	lockdep_assert_held(&vzr_lock);
	if (VZR_PNEIGH_PROTOCOL)
		vzr_rtsock_visit_nets(sweep_net, &sw);
	return !sw.failed;
}

/**
 * vzr_neigh_withdraw_all() - at unload, unless keep_routes: delete every
 * proxy entry of ours
 *
 * Before the routes go: the LAN stops being told that the node answers
 * for addresses it is about to stop routing.
 */
void vzr_neigh_withdraw_all(void)
{
	lockdep_assert_held(&vzr_lock);
	vzr_neigh_withdraw_slots();
	vzr_neigh_sweep(true);
}
