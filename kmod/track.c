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

#include "netlink.h"
#include "track.h"

/* See track.h for what vzr_lock guards and the lock order. */
DEFINE_MUTEX(vzr_lock);
LIST_HEAD(vzr_entries);
/* Bumped on every change a dump would show; under vzr_lock. */
u32 vzr_track_gen;
static DEFINE_HASHTABLE(entries, 10);
DEFINE_HASHTABLE(vzr_slots, 10);

static u32 ip_hash(const struct vzr_ip *ip, u32 seed)
{
	return jhash2((__force const u32 *)ip->a.s6_addr32, 4,
		      seed ^ ip->family);
}

static u32 entry_hash(struct net *cnet, int cifindex, const struct vzr_ip *ip)
{
	return ip_hash(ip, hash_ptr(cnet, 32) ^ cifindex);
}

struct vzr_entry *vzr_entry_get(struct net *cnet, int cifindex,
				const struct vzr_ip *ip, bool create)
{
	u32 h = entry_hash(cnet, cifindex, ip);
	struct vzr_entry *e;

	lockdep_assert_held(&vzr_lock);
	hash_for_each_possible(entries, e, hnode, h)
		if (e->cnet == cnet && e->cifindex == cifindex &&
		    vzr_ip_equal(&e->ip, ip))
			return e;
	if (!create)
		return NULL;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return NULL;
	e->cnet = cnet;
	e->cifindex = cifindex;
	e->ip = *ip;
	e->state = VZROUTE_STATE_PENDING;
	e->since = ktime_get_real_seconds();
	hash_add(entries, &e->hnode, h);
	list_add_tail(&e->order, &vzr_entries);
	vzr_track_gen++;
	return e;
}

void vzr_entry_set_slot(struct vzr_entry *e, struct vzr_slot *s)
{
	if (e->slot == s)
		return;
	if (e->slot) {
		if (e->slot->holder == e)
			e->slot->holder = NULL;
		e->slot->users--;
	}
	e->slot = s;
	if (s)
		s->users++;
}

void vzr_entry_free(struct vzr_entry *e)
{
	lockdep_assert_held(&vzr_lock);
	vzr_entry_set_slot(e, NULL);
	vzr_track_gen++;
	hash_del(&e->hnode);
	list_del(&e->order);
	kfree(e);
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

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;
	s->hnet = hnet;
	s->ip = *ip;
	hash_add(vzr_slots, &s->hnode, h);
	return s;
}

/* Free @s when nothing needs it any more. */
void vzr_slot_put(struct vzr_slot *s)
{
	if (s->installed || s->holder || s->users)
		return;
	hash_del(&s->hnode);
	kfree(s);
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
	struct vzr_entry *e, *etmp;
	struct hlist_node *tmp;
	struct vzr_slot *s;
	int bkt;

	lockdep_assert_held(&vzr_lock);
	list_for_each_entry_safe(e, etmp, &vzr_entries, order) {
		if (e->cnet != net && e->hnet != net)
			continue;
		if (e->state == VZROUTE_STATE_INSTALLED)
			vzr_genl_event(e, VZROUTE_EVENT_WITHDRAWN);
		vzr_entry_free(e);
	}
	hash_for_each_safe(vzr_slots, bkt, tmp, s, hnode) {
		if (s->hnet != net)
			continue;
		list_for_each_entry(e, &vzr_entries, order)
			if (e->slot == s)
				vzr_entry_set_slot(e, NULL);
		hash_del(&s->hnode);
		kfree(s);
	}
}

void vzr_track_free_all(void)
{
	struct vzr_entry *e, *etmp;
	struct hlist_node *tmp;
	struct vzr_slot *s;
	int bkt;

	lockdep_assert_held(&vzr_lock);
	list_for_each_entry_safe(e, etmp, &vzr_entries, order)
		vzr_entry_free(e);
	hash_for_each_safe(vzr_slots, bkt, tmp, s, hnode) {
		hash_del(&s->hnode);
		kfree(s);
	}
}
