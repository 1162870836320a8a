// SPDX-License-Identifier: GPL-2.0
/*
 * The table of tracked container addresses, and the route slots they
 * compete for. A slot outlives its holder for as long as its route is
 * installed, so that a route is never forgotten before it is deleted.
 */

#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/vzroute.h>

#include <net/netns/generic.h>

#include "netlink.h"
#include "params.h"
#include "reconcile.h"
#include "track.h"

/* See track.h for what vzr_lock guards and the lock order. */
DEFINE_MUTEX(vzr_lock);
LIST_HEAD(vzr_entries);
/* Bumped on every change a dump would show; under vzr_lock. */
u32 vzr_track_gen;
/*
 * What the next run must look at: entries to decide again, slots whose
 * route to check. Under vzr_lock.
 */
LIST_HEAD(vzr_dirty_entries);
LIST_HEAD(vzr_dirty_slots);
/* Entries in each state, so that nothing needs a walk to know. */
u32 vzr_state_count[VZROUTE_STATE_MAX + 1];
/* A namespace at its cap lost a route: decide everything again, in order. */
bool vzr_recount;
static DEFINE_HASHTABLE(entries, 13);
DEFINE_HASHTABLE(vzr_slots, 13);
DEFINE_HASHTABLE(vzr_cdevs, 8);
static struct kmem_cache *entry_cache, *slot_cache;

int vzr_track_init(void)
{
	entry_cache = KMEM_CACHE(vzr_entry, 0);
	slot_cache = KMEM_CACHE(vzr_slot, 0);
	if (entry_cache && slot_cache)
		return 0;
	kmem_cache_destroy(entry_cache);
	kmem_cache_destroy(slot_cache);
	return -ENOMEM;
}

/* After vzr_track_free_all(). */
void vzr_track_uninit(void)
{
	kmem_cache_destroy(entry_cache);
	kmem_cache_destroy(slot_cache);
}

static u32 ip_hash(const struct vzr_ip *ip, u32 seed)
{
	return jhash2((__force const u32 *)ip->a.s6_addr32, 4,
		      seed ^ ip->family);
}

static u32 cdev_hash(struct net *cnet, int cifindex)
{
	return hash_ptr(cnet, 32) ^ cifindex;
}

struct vzr_cdev *vzr_cdev_get(struct net *cnet, int cifindex, bool create)
{
	u32 h = cdev_hash(cnet, cifindex);
	struct vzr_cdev *d;

	lockdep_assert_held(&vzr_lock);
	hash_for_each_possible(vzr_cdevs, d, hnode, h)
		if (d->cnet == cnet && d->cifindex == cifindex)
			return d;
	if (!create)
		return NULL;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return NULL;
	d->cnet = cnet;
	d->cifindex = cifindex;
	INIT_LIST_HEAD(&d->entries);
	hash_add(vzr_cdevs, &d->hnode, h);
	return d;
}

/* Free @d and its entries, telling listeners of the routes they lose. */
void vzr_cdev_free(struct vzr_cdev *d)
{
	struct vzr_entry *e, *tmp;

	lockdep_assert_held(&vzr_lock);
	list_for_each_entry_safe(e, tmp, &d->entries, dlist)
		vzr_entry_forget(e);
	hash_del(&d->hnode);
	kfree(d);
}

struct vzr_entry *vzr_entry_get(struct vzr_cdev *d, const struct vzr_ip *ip,
				bool create)
{
	u32 h = ip_hash(ip, hash_ptr(d, 32));
	struct vzr_entry *e;

	lockdep_assert_held(&vzr_lock);
	hash_for_each_possible(entries, e, hnode, h)
		if (e->dev == d && vzr_ip_equal(&e->ip, ip))
			return e;
	if (!create)
		return NULL;

	e = kmem_cache_zalloc(entry_cache, GFP_KERNEL);
	if (!e)
		return NULL;
	e->dev = d;
	e->ip = *ip;
	e->state = VZROUTE_STATE_PENDING;
	vzr_state_count[e->state]++;
	e->since = ktime_get_real_seconds();
	INIT_LIST_HEAD(&e->dirty);
	list_add_tail(&e->dirty, &vzr_dirty_entries);
	hash_add(entries, &e->hnode, h);
	list_add_tail(&e->order, &vzr_entries);
	list_add_tail(&e->dlist, &d->entries);
	vzr_track_gen++;
	return e;
}

/* Have the next run decide @e again. */
void vzr_entry_mark(struct vzr_entry *e)
{
	if (list_empty(&e->dirty))
		list_add_tail(&e->dirty, &vzr_dirty_entries);
}

/* Have the next run look at @s's route. */
void vzr_slot_mark(struct vzr_slot *s)
{
	if (list_empty(&s->dirty))
		list_add_tail(&s->dirty, &vzr_dirty_slots);
}

/*
 * @e no longer counts against its namespace's cap. If the namespace was at
 * its cap, an address refused for it may now get in: the oldest, which
 * takes deciding every entry again in order.
 */
void vzr_entry_ungrant(struct vzr_entry *e)
{
	struct vzr_pernet *pn = net_generic(e->dev->cnet, vzr_net_id);

	if (!e->granted)
		return;
	e->granted = false;
	if (vzr_cfg.max_per_netns && pn->granted == vzr_cfg.max_per_netns)
		vzr_recount = true;
	pn->granted--;
}

void vzr_entry_set_slot(struct vzr_entry *e, struct vzr_slot *s)
{
	if (e->slot == s)
		return;
	if (e->slot) {
		if (e->slot->holder == e)
			e->slot->holder = NULL;
		e->slot->users--;
		vzr_slot_mark(e->slot);
	}
	e->slot = s;
	if (s) {
		s->users++;
		vzr_slot_mark(s);
	}
}

/* The address is gone: listeners hear of the route it loses, if any. */
void vzr_entry_forget(struct vzr_entry *e)
{
	if (e->state == VZROUTE_STATE_INSTALLED)
		vzr_genl_event(e, VZROUTE_EVENT_WITHDRAWN);
	vzr_entry_free(e);
}

void vzr_entry_free(struct vzr_entry *e)
{
	lockdep_assert_held(&vzr_lock);
	vzr_entry_set_slot(e, NULL);
	vzr_entry_ungrant(e);
	vzr_state_count[e->state]--;
	vzr_track_gen++;
	list_del(&e->dirty);
	hash_del(&e->hnode);
	list_del(&e->order);
	list_del(&e->dlist);
	kmem_cache_free(entry_cache, e);
}

struct vzr_slot *vzr_slot_get(struct net *hnet, const struct vzr_ip *ip,
			      bool create)
{
	u32 h = ip_hash(ip, hash_ptr(hnet, 32));
	struct vzr_slot *s;

	lockdep_assert_held(&vzr_lock);
	hash_for_each_possible(vzr_slots, s, hnode, h)
		if (s->hnet == hnet && vzr_ip_equal(&s->ip, ip))
			return s;
	if (!create)
		return NULL;

	s = kmem_cache_zalloc(slot_cache, GFP_KERNEL);
	if (!s)
		return NULL;
	s->hnet = hnet;
	s->ip = *ip;
	INIT_LIST_HEAD(&s->dirty);
	hash_add(vzr_slots, &s->hnode, h);
	return s;
}

/* Free @s when nothing needs it any more. */
void vzr_slot_put(struct vzr_slot *s)
{
	if (s->installed || s->holder || s->users)
		return;
	list_del(&s->dirty);
	hash_del(&s->hnode);
	kmem_cache_free(slot_cache, s);
}

/**
 * vzr_track_forget_net() - drop everything that refers to a dying netns
 * @net: the namespace, from its pernet exit
 *
 * The routes of a dying host namespace die with it. Entries whose host
 * side was there are dropped too; the next walk re-creates whatever still
 * exists. Slots whose holder lived in @net keep their installed route, so
 * that the reconciler deletes it or hands it to a standby.
 */
void vzr_track_forget_net(struct net *net)
{
	struct hlist_node *tmp;
	struct vzr_entry *e;
	struct vzr_cdev *d;
	struct vzr_slot *s;
	int bkt;

	lockdep_assert_held(&vzr_lock);
	vzr_for_each_cdev_safe(d, tmp, bkt)
		if (d->cnet == net || d->hnet == net)
			vzr_cdev_free(d);
	hash_for_each_safe(vzr_slots, bkt, tmp, s, hnode) {
		if (s->hnet != net)
			continue;
		list_for_each_entry(e, &vzr_entries, order) {
			if (e->slot != s)
				continue;
			vzr_entry_set_slot(e, NULL);
			vzr_entry_mark(e);
		}
		list_del(&s->dirty);
		hash_del(&s->hnode);
		kmem_cache_free(slot_cache, s);
	}
}

void vzr_track_free_all(void)
{
	struct hlist_node *tmp;
	struct vzr_cdev *d;
	struct vzr_slot *s;
	int bkt;

	lockdep_assert_held(&vzr_lock);
	vzr_for_each_cdev_safe(d, tmp, bkt)
		vzr_cdev_free(d);
	hash_for_each_safe(vzr_slots, bkt, tmp, s, hnode) {
		list_del(&s->dirty);
		hash_del(&s->hnode);
		kmem_cache_free(slot_cache, s);
	}
}
