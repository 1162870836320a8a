// SPDX-License-Identifier: GPL-2.0
/*
 * The table of tracked container addresses, the devices that carry them
 * and the route slots they compete for; the one place that changes an
 * address's state, and so the one place that counts and reports it.
 */

#include <linux/err.h>
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vzroute.h>

#include "compat.h"
#include "decide.h"
#include "fault.h"
#include "neigh.h"
#include "netlink.h"
#include "netns.h"
#include "note.h"
#include "params.h"
#include "reconcile.h"
#include "track.h"

struct vzr_counters vzr_counters;
LIST_HEAD(vzr_entries);
/* Devices looked at again from time to time; under vzr_lock. */
LIST_HEAD(vzr_polled_ctdevs);
/* Devices with addresses in a state polled for (vzr_ctdev.waiting). */
LIST_HEAD(vzr_waiting_ctdevs);
/*
 * Bumped on every change a dump would show, through vzr_track_changed();
 * under vzr_lock. Never 0: a dump's generation of 0 means "not set" to
 * genl_dump_check_consistent(), which then never flags the dump.
 */
u32 vzr_track_gen = 1;
/*
 * What the next run must look at: entries to decide again (a FIFO through
 * vzr_entry.dnext, @tail at the last one's, or at @head when empty),
 * slots whose route to check. Under vzr_lock.
 */
static struct {
	struct vzr_entry *head;
	struct vzr_entry **tail;
} dirty_entries = { .tail = &dirty_entries.head };
LIST_HEAD(vzr_dirty_slots);
/* Entries in each state, so that nothing needs a walk to know. */
u32 vzr_state_count[VZROUTE_STATE_MAX + 1];
/* A namespace at its cap lost a route (vzr_pernet.recount): which, a walk. */
bool vzr_recount;
/*
 * The entries and the slots by key, singly linked (see their structs):
 * under vzr_lock. A chain holds what its hash gives it, and its keys come
 * from a container, which could choose addresses of one chain if it knew
 * the hash: a doubling splits chains by the hash's bits, so colliding
 * keys stay together, and every lookup of them would walk them all. So
 * the seed is random, drawn at load, and not only the device's or
 * namespace's address: the slots' namespace is the node's own on most
 * nodes, whose address in the kernel's image is no secret. Each starts
 * with 1 << VZR_TRACK_SHIFT chains, made at load, and doubles as the
 * node's addresses fill it (chains.c).
 */
#define VZR_TRACK_SHIFT		13
static struct vzr_chains entries;
struct vzr_chains vzr_slots;
static u32 track_seed;
/*
 * The container devices, a link each: one for each container on most
 * nodes, as many as the addresses where each address has a container of
 * its own. From 256 chains, they double as the others do. Only the node
 * makes such devices (their host side is its), but their hash takes the
 * seed all the same.
 */
#define VZR_CTDEV_SHIFT		8
static struct vzr_chains ctdevs;
static struct kmem_cache *entry_cache, *slot_cache;

/* @ip's hash in the table of @owner: its device, or its namespace. */
static u32 ip_hash(const struct vzr_ip *ip, const void *owner)
{
	return jhash2((__force const u32 *)ip->a.s6_addr32, 4,
		      hash_ptr(owner, 32) ^ track_seed ^ ip->family);
}

static struct vzr_entry *entry_of(struct vzr_link *l)
{
	return l ? container_of(l, struct vzr_entry, hlink) : NULL;
}

static u32 entry_hash(const struct vzr_link *l)
{
	const struct vzr_entry *e = container_of(l, struct vzr_entry, hlink);

	return ip_hash(&e->ip, e->dev);
}

static u32 slot_hash(const struct vzr_link *l)
{
	const struct vzr_slot *s = container_of(l, struct vzr_slot, hlink);

	return ip_hash(&s->inst.dst, s->hnet);
}

static u32 ctdev_key(const struct net *cnet, int cifindex)
{
	return jhash_2words(hash_ptr(cnet, 32), cifindex, track_seed);
}

static struct vzr_ctdev *ctdev_of(struct vzr_link *l)
{
	return l ? container_of(l, struct vzr_ctdev, hlink) : NULL;
}

static u32 ctdev_hash(const struct vzr_link *l)
{
	const struct vzr_ctdev *d = container_of(l, struct vzr_ctdev, hlink);

	return ctdev_key(d->cnet, d->cifindex);
}

/* The memory of the chains, now (vzroute stats). */
size_t vzr_track_bytes(void)
{
	return vzr_chains_bytes(&entries) + vzr_chains_bytes(&vzr_slots) +
	       vzr_chains_bytes(&ctdevs);
}

static void track_free(void)
{
	vzr_chains_destroy(&entries);
	vzr_chains_destroy(&vzr_slots);
	vzr_chains_destroy(&ctdevs);
	kmem_cache_destroy(entry_cache);
	kmem_cache_destroy(slot_cache);
}

int vzr_track_init(void)
{
	/* What #18 asks of memory: see struct vzr_entry. */
	BUILD_BUG_ON(IS_ENABLED(CONFIG_64BIT) && sizeof(struct vzr_entry) > 96);
	BUILD_BUG_ON(IS_ENABLED(CONFIG_64BIT) && sizeof(struct vzr_slot) > 88);
	BUILD_BUG_ON(VZROUTE_STATE_MAX >= 1 << 4);
	BUILD_BUG_ON(AF_INET6 >= 1 << 6);
	get_random_bytes(&track_seed, sizeof(track_seed));
	entry_cache = KMEM_CACHE(vzr_entry, 0);
	slot_cache = KMEM_CACHE(vzr_slot, 0);
	if (entry_cache && slot_cache &&
	    !vzr_chains_init(&entries, VZR_TRACK_SHIFT, entry_hash) &&
	    !vzr_chains_init(&vzr_slots, VZR_TRACK_SHIFT, slot_hash) &&
	    !vzr_chains_init(&ctdevs, VZR_CTDEV_SHIFT, ctdev_hash))
		return 0;
	track_free();
	return -ENOMEM;
}

/* Where the device of (@cnet, @cifindex) is linked, or its chain's end. */
static struct vzr_link **ctdev_place(const struct net *cnet, int cifindex)
{
	struct vzr_link **pp = vzr_chains_head(&ctdevs,
					       ctdev_key(cnet, cifindex));
	struct vzr_ctdev *d;

	for (; (d = ctdev_of(*pp)); pp = &d->hlink.next)
		if (d->cnet == cnet && d->cifindex == cifindex)
			break;
	return pp;
}

struct vzr_ctdev *vzr_ctdev_lookup(struct net *cnet, int cifindex)
{
	lockdep_assert_held(&vzr_lock);
	return ctdev_of(*ctdev_place(cnet, cifindex));
}

/*
 * Track a device not tracked yet. The chains may double: no walk of the
 * devices may be under way (vzr_ctdev_first()), and it may sleep.
 * Return: it, or NULL without memory.
 */
struct vzr_ctdev *vzr_ctdev_create(struct net *cnet, int cifindex)
{
	struct vzr_link **pp;
	struct vzr_ctdev *d;

	lockdep_assert_held(&vzr_lock);
	d = vzr_alloc(kzalloc(sizeof(*d), GFP_KERNEL));
	if (!d)
		return NULL;
	d->cnet = cnet;
	d->cifindex = cifindex;
	hlist_add_head(&d->nsnode, &vzr_pernet(cnet)->devs);
	INIT_LIST_HEAD(&d->polled);
	INIT_LIST_HEAD(&d->waiting);
	INIT_LIST_HEAD(&d->entries);
	pp = vzr_chains_head(&ctdevs, ctdev_key(cnet, cifindex));
	d->hlink.next = *pp;
	*pp = &d->hlink;
	vzr_chains_added(&ctdevs);
	return d;
}

/* The first device of a walk of them all (see track.h). */
struct vzr_ctdev *vzr_ctdev_first(int *bkt)
{
	lockdep_assert_held(&vzr_lock);
	return ctdev_of(vzr_chains_first(&ctdevs, bkt));
}

/* The device after @d, which is in chain *@bkt. */
struct vzr_ctdev *vzr_ctdev_next(const struct vzr_ctdev *d, int *bkt)
{
	return ctdev_of(vzr_chains_next(&ctdevs, &d->hlink, bkt));
}

/* Forget @d and its entries, telling listeners of the routes they lose. */
void vzr_ctdev_release(struct vzr_ctdev *d)
{
	struct vzr_entry *e, *tmp;
	struct vzr_link **pp;

	lockdep_assert_held(&vzr_lock);
	list_for_each_entry_safe(e, tmp, &d->entries, dlist)
		vzr_entry_release(e);
	list_del(&d->polled);
	/* Its entries took it off the list as they went (count_state()). */
	if (WARN_ON(!list_empty(&d->waiting)))
		list_del(&d->waiting);
	hlist_del(&d->nsnode);
	if (d->hnet)
		vzr_pernet(d->hnet)->hosted--;
	pp = ctdev_place(d->cnet, d->cifindex);
	if (!WARN_ON(*pp != &d->hlink)) {
		*pp = d->hlink.next;
		vzr_chains_removed(&ctdevs);
	}
	kfree(d);
}

/* The key's order within a chain: by device, family, address. */
static int key_cmp(unsigned long d, u8 family, const struct in6_addr *a,
		   const struct vzr_entry *e)
{
	if (d != (unsigned long)e->dev)
		return d < (unsigned long)e->dev ? -1 : 1;
	if (family != e->ip.family)
		return family < e->ip.family ? -1 : 1;
	return memcmp(a, &e->ip.a, sizeof(*a));
}

/* Where (@d, @ip) is or would go in its chain. */
static struct vzr_link **entry_place(const struct vzr_ctdev *d,
				     const struct vzr_ip *ip)
{
	struct vzr_link **pp;

	pp = vzr_chains_head(&entries, ip_hash(ip, d));
	while (*pp && key_cmp((unsigned long)d, ip->family, &ip->a,
			      entry_of(*pp)) > 0)
		pp = &(*pp)->next;
	return pp;
}

struct vzr_entry *vzr_entry_lookup(struct vzr_ctdev *d, const struct vzr_ip *ip)
{
	struct vzr_entry *e;

	lockdep_assert_held(&vzr_lock);
	e = entry_of(*entry_place(d, ip));
	return e && e->dev == d && vzr_ip_equal(&e->ip, ip) ? e : NULL;
}

/**
 * vzr_track_room() - may @d's namespace have one more tracked address?
 * @d: the device that has an address not tracked yet
 *
 * A container adds addresses at will, in any state vzroute keeps (denied
 * and tentative ones too): past max_tracked_per_netns they are counted
 * and left out, and its devices are looked at again once it has room.
 */
bool vzr_track_room(struct vzr_ctdev *d)
{
	struct vzr_pernet *pn = vzr_pernet(d->cnet);

	lockdep_assert_held(&vzr_lock);
	if (pn->tracked < vzr_cfg.max_tracked)
		return true;
	vzr_counters.untracked++;
	pn->overflowed = true;
	return false;
}

/*
 * @d's namespace has room again after it left addresses out: look at its
 * devices again in whole, which tracks them in the order the scan meets
 * them. Only its own devices, so that a container flapping addresses at
 * its cap costs the walk of its own addresses and nobody else's.
 */
static void track_reopen(struct vzr_ctdev *d)
{
	struct vzr_pernet *pn = vzr_pernet(d->cnet);
	struct vzr_ctdev *other;

	if (!pn->overflowed)
		return;
	pn->overflowed = false;
	hlist_for_each_entry(other, &pn->devs, nsnode)
		vzr_note_dev(other->cnet, other->cifindex, NULL);
	vzr_kick();
}

/*
 * @e counts in @state, or (@n -1) no longer, for the node, its namespace
 * and, for a state polled for, its device; @e must be in its device's
 * list (see vzr_ctdev.entries), and leaves or joins the polled ones there.
 */
static void count_state(struct vzr_entry *e, u8 state, int n)
{
	struct vzr_ctdev *d = e->dev;
	unsigned long until;

	vzr_state_count[state] += n;
	if (state == VZROUTE_STATE_OVER_CAP)
		vzr_pernet(d->cnet)->over_cap += n;
	if (!vzr_state_polled(state))
		return;
	if (n > 0) {
		list_move(&e->dlist, &d->entries);
		/* Its age is in the wall clock's seconds: one more (poll_due()). */
		until = jiffies + (vzr_poll_young(state) + 1) * HZ;
		if (!d->nwaiting || time_after(until, d->young_until))
			d->young_until = until;
		if (!d->nwaiting++) {
			d->poll_at = jiffies + VZR_POLL_SLOW;
			list_add_tail(&d->waiting, &vzr_waiting_ctdevs);
		}
	} else {
		list_move_tail(&e->dlist, &d->entries);
		if (!--d->nwaiting)
			list_del_init(&d->waiting);
	}
}

/*
 * Track an address not tracked yet (the caller asked vzr_track_room()),
 * as the newest in first-come order and due for a decision. The entries'
 * chains may double: no walk of them may be under way, and it may sleep.
 * The scan calls it under RTNL, and a doubling there is one pass over the
 * entries; put off until RTNL is let go, every lookup of the rest of the
 * scan (a node's load) would walk the longer chains under RTNL instead.
 * Return: it, or NULL without memory.
 */
struct vzr_entry *vzr_entry_create(struct vzr_ctdev *d, const struct vzr_ip *ip)
{
	struct vzr_pernet *pn;
	struct vzr_link **pp;
	struct vzr_entry *e;

	lockdep_assert_held(&vzr_lock);
	e = vzr_alloc(kmem_cache_zalloc(entry_cache, GFP_KERNEL));
	if (!e)
		return NULL;
	e->dev = d;
	e->ip = *ip;
	pn = vzr_pernet(d->cnet);
	/* A recount asked for by entries all gone since is not due. */
	if (!pn->tracked++)
		pn->recount = false;
	e->state = VZROUTE_STATE_PENDING;
	list_add_tail(&e->dlist, &d->entries);
	count_state(e, e->state, 1);
	e->since = lower_32_bits(vzr_real_seconds());
	vzr_entry_mark(e);
	pp = entry_place(d, ip);
	e->hlink.next = *pp;
	*pp = &e->hlink;
	vzr_chains_added(&entries);
	list_add_tail(&e->order, &vzr_entries);
	vzr_track_changed();
	return e;
}

/**
 * vzr_entry_next() - the entry after @c, and @c moved onto it
 * @c: where a dump is: zeroed at its start
 * @prev: the entry @c is on, returned by the last call under this hold of
 *        vzr_lock, with no entry created since; NULL after the lock was
 *        let go
 *
 * By chain, then by key within the chain. The cursor holds no
 * reference, so an entry released between two parts of a dump costs
 * nothing, and the dump goes on after it; a part costs the entries and
 * chains it passes, and the way back to its place in one chain. An
 * entry added behind the cursor is not seen, and entries already sent
 * are sent again when the chains doubled (a chain's links move to it or
 * to one of a higher number; only an added entry doubles them): the
 * dump's generation tells.
 * Return: the entry, or NULL when none is left (and @c done).
 */
struct vzr_entry *vzr_entry_next(struct vzr_cursor *c,
				 const struct vzr_entry *prev)
{
	struct vzr_entry *e = prev ? entry_of(prev->hlink.next) : NULL;

	lockdep_assert_held(&vzr_lock);
	if (prev && !e) {
		c->chain++;
		c->started = 0;
	}
	while (!e && !c->done) {
		if (c->chain >= vzr_chains_size(&entries)) {
			c->done = 1;
			break;
		}
		e = entry_of(entries.heads[c->chain]);
		while (e && c->started && key_cmp(c->dev, c->family, &c->ip, e) >= 0)
			e = entry_of(e->hlink.next);
		if (!e) {
			c->chain++;
			c->started = 0;
		}
	}
	if (!e)
		return NULL;
	c->started = 1;
	c->dev = (unsigned long)e->dev;
	c->family = e->ip.family;
	c->ip = e->ip.a;
	return e;
}

/*
 * Something a dump shows changed: an entry, its state, its devices' names
 * or namespaces (which decide who may see it), its route.
 */
void vzr_track_changed(void)
{
	lockdep_assert_held(&vzr_lock);
	if (!++vzr_track_gen)
		vzr_track_gen = 1;
}

/* Have the next run decide @e again. */
void vzr_entry_mark(struct vzr_entry *e)
{
	if (e->queued)
		return;
	e->queued = true;
	e->dnext = NULL;
	*dirty_entries.tail = e;
	dirty_entries.tail = &e->dnext;
}

/**
 * vzr_entry_take_dirty() - the oldest entry due for a decision
 *
 * Takes it off the queue; one marked again goes to the back. Entries
 * released while they waited are freed here.
 * Return: it, or NULL when none is due.
 */
struct vzr_entry *vzr_entry_take_dirty(void)
{
	struct vzr_entry *e;

	lockdep_assert_held(&vzr_lock);
	while ((e = dirty_entries.head)) {
		dirty_entries.head = e->dnext;
		if (!dirty_entries.head)
			dirty_entries.tail = &dirty_entries.head;
		e->queued = false;
		if (!e->dead)
			return e;
		kmem_cache_free(entry_cache, e);
	}
	return NULL;
}

/* Entries wait for a decision (released ones among them, till taken). */
bool vzr_entry_any_dirty(void)
{
	lockdep_assert_held(&vzr_lock);
	return dirty_entries.head;
}

/* Have the next run look at @s's route. */
void vzr_slot_mark(struct vzr_slot *s)
{
	if (list_empty(&s->dirty))
		list_add_tail(&s->dirty, &vzr_dirty_slots);
}

/*
 * @e no longer counts against its namespace's cap. If the namespace was at
 * its cap with an address refused for it, that one may now get in: the
 * oldest, which takes deciding the namespace's entries again in order. One
 * refused in this run after now finds the room itself.
 */
void vzr_entry_ungrant(struct vzr_entry *e)
{
	struct vzr_pernet *pn = vzr_pernet(e->dev->cnet);

	if (!e->granted)
		return;
	e->granted = false;
	if (vzr_cfg.max_per_netns && pn->granted == vzr_cfg.max_per_netns &&
	    pn->over_cap) {
		pn->recount = true;
		vzr_recount = true;
	}
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

/*
 * @e holds @s's address now; if it had a route, or lost one in this run
 * (the holder's host side down or gone), that is a takeover.
 */
void vzr_slot_hold(struct vzr_slot *s, struct vzr_entry *e)
{
	bool routed = !s->ahead && (s->installed || s->lost);
	char buf[VZR_IP_STRLEN];

	s->holder = e;
	s->lost = false;
	s->ahead = false;
	if (!routed)
		return;
	e->took_over = true;
	vzr_counters.takeovers++;
	pr_info_ratelimited("%s: %s takes over\n",
			    vzr_ip_str(&e->ip, buf, sizeof(buf)), e->dev->cname);
}

/*
 * @e, a user of @s, met by the walk that places: counted back if it was
 * counted down (@count_back), and unless @s waits, the first met holds
 * it, the others stand by.
 */
static void elect_place(struct vzr_slot *s, struct vzr_entry *e,
			bool count_back)
{
	if (count_back)
		s->users++;
	if (s->far)
		return;
	if (!s->holder)
		vzr_slot_hold(s, e);
	else if (e->state != VZROUTE_STATE_STANDBY)
		vzr_entry_set_state(e, VZROUTE_STATE_STANDBY, 0);
}

/*
 * Walk the entries, oldest first, until @left users of the slots flagged
 * electing were met, or past @limit entries. When @count_down, each user
 * met is counted down in its slot's @users; otherwise it is placed
 * (elect_place(), with @count_back).
 *
 * Return: the entries walked; @limit + 1 when the walk stopped there.
 */
static unsigned long elect_walk(unsigned long left, unsigned long limit,
				bool count_down, bool count_back)
{
	unsigned long walked = 0;
	struct vzr_entry *e;
	struct vzr_slot *s;

	list_for_each_entry(e, &vzr_entries, order) {
		if (++walked > limit)
			break;
		s = e->slot;
		if (s && s->electing) {
			if (count_down)
				s->users--;
			else
				elect_place(s, e, count_back);
			if (!--left)
				break;
		}
		cond_resched();
	}
	return walked;
}

/**
 * vzr_slots_elect() - give each free address with users to the oldest
 * @slots: slots linked by @dirty; those with users and no holder elect
 *         (the slots marked in a run: every holder lost marks its slot)
 * @limit: the most entries to walk; ULONG_MAX for no limit
 *
 * The others stand by. One walk over the entries, oldest first, for all
 * of them: a walk for each made a container that let go of many addresses
 * with standbys cost their number times every entry on the node. Under a
 * @limit, a first walk counts the users met within it: a slot with users
 * past it elects nothing, and keeps no holder (vzr_slot_unelected())
 * until a later run elects it; the others elect as without a limit.
 *
 * Return: the entries walked, @limit + 1 when some users were past it;
 * 0 when no slot elects.
 */
unsigned long vzr_slots_elect(struct list_head *slots, unsigned long limit)
{
	unsigned long walked = ULONG_MAX, placed, left = 0;
	bool count = limit < ULONG_MAX;
	struct vzr_slot *s;

	lockdep_assert_held(&vzr_lock);
	list_for_each_entry(s, slots, dirty) {
		if (vzr_slot_unelected(s)) {
			s->electing = true;
			left += s->users;
		}
	}
	if (!left)
		return 0;
	if (count) {
		walked = elect_walk(left, limit, true, false);
		list_for_each_entry(s, slots, dirty)
			s->far = s->electing && s->users && walked > limit;
	}
	/* Over the entries counted, if any, to count them back. */
	placed = elect_walk(left, min(walked, limit), false, count);
	list_for_each_entry(s, slots, dirty) {
		s->electing = false;
		s->far = false;
	}
	return count ? walked : placed;
}

static const char *const state_names[] = {
	[VZROUTE_STATE_PENDING] = "pending",
	[VZROUTE_STATE_INSTALLED] = "installed",
	[VZROUTE_STATE_DENIED] = "denied by the allow list",
	[VZROUTE_STATE_OVER_CAP] = "over max_per_netns",
	[VZROUTE_STATE_CONFLICT] = "in conflict with a route vzroute did not make",
	[VZROUTE_STATE_STANDBY] = "standby",
	[VZROUTE_STATE_TENTATIVE] = "waiting for DAD",
	[VZROUTE_STATE_DAD_FAILED] = "DAD failed",
	[VZROUTE_STATE_DOWN] = "down",
	[VZROUTE_STATE_HOST_LOCAL] = "local to the host namespace",
	[VZROUTE_STATE_FAILED] = "failed",
	[VZROUTE_STATE_UNMAPPED] = "not in the node's IP map",
	[VZROUTE_STATE_UNBOUND] = "not bound here",
};

/* The counter a state change into @state moves, if any. */
static u64 *state_counter(u8 state)
{
	switch (state) {
	case VZROUTE_STATE_DENIED:
	case VZROUTE_STATE_UNMAPPED:
		return &vzr_counters.denied;
	case VZROUTE_STATE_UNBOUND:
		return &vzr_counters.unbound;
	case VZROUTE_STATE_OVER_CAP:
		return &vzr_counters.over_cap;
	case VZROUTE_STATE_CONFLICT:
		return &vzr_counters.conflicts;
	case VZROUTE_STATE_FAILED:
		return &vzr_counters.failed;
	}
	return NULL;
}

/**
 * vzr_entry_set_state() - @e is now in @state
 * @e: the entry
 * @state: enum vzroute_state
 * @err: the errno that put it there, for VZROUTE_STATE_FAILED, else 0
 *
 * Counts the change, bumps the table's generation and tells listeners.
 */
void vzr_entry_set_state(struct vzr_entry *e, u8 state, int err)
{
	char buf[VZR_IP_STRLEN];
	unsigned int i, n;
	u64 *counter;
	u8 ev[2];

	/* @err is kept in 16 bits: an errno, never beyond MAX_ERRNO. */
	BUILD_BUG_ON(MAX_ERRNO > SHRT_MAX);
	if (e->state == state && e->err == err)
		return;
	n = vzr_state_events(e->state, state, e->took_over, ev);
	count_state(e, e->state, -1);
	count_state(e, state, 1);
	e->state = state;
	e->err = err;
	e->since = lower_32_bits(vzr_real_seconds());
	e->took_over = false;
	vzr_track_changed();
	for (i = 0; i < n; i++)
		vzr_genl_event(e, ev[i]);

	counter = state_counter(state);
	if (!counter) {
		/* Ordinary changes, but a container can cause many. */
		pr_debug_ratelimited("%s on %s: %s\n",
				     vzr_ip_str(&e->ip, buf, sizeof(buf)),
				     e->dev->cname, state_names[state]);
		return;
	}
	(*counter)++;
	/* Refusals are the admin's business; a container can cause many. */
	pr_info_ratelimited("%s on %s (host side %s): %s (%d)\n",
			    vzr_ip_str(&e->ip, buf, sizeof(buf)),
			    e->dev->cname, e->dev->hname, state_names[state], err);
}

/* The address is gone: listeners hear of the route it loses, if any. */
void vzr_entry_release(struct vzr_entry *e)
{
	struct vzr_link **pp;

	lockdep_assert_held(&vzr_lock);
	if (e->state == VZROUTE_STATE_INSTALLED)
		vzr_genl_event(e, VZROUTE_EVENT_WITHDRAWN);
	vzr_entry_set_slot(e, NULL);
	vzr_entry_ungrant(e);
	count_state(e, e->state, -1);
	vzr_track_changed();
	pp = entry_place(e->dev, &e->ip);
	/* Not in its chain: leave the chain as it is rather than cut it. */
	if (!WARN_ON(*pp != &e->hlink)) {
		*pp = e->hlink.next;
		vzr_chains_removed(&entries);
	}
	list_del(&e->order);
	list_del(&e->dlist);
	vzr_pernet(e->dev->cnet)->tracked--;
	track_reopen(e->dev);
	if (e->queued)
		e->dead = true;
	else
		kmem_cache_free(entry_cache, e);
}

static struct vzr_link **
slot_chain(const struct net *hnet, const struct vzr_ip *ip)
{
	return vzr_chains_head(&vzr_slots, ip_hash(ip, hnet));
}

/* Where the slot of (@hnet, @ip) is linked, or its chain's end. */
static struct vzr_link **slot_place(const struct net *hnet,
				    const struct vzr_ip *ip)
{
	struct vzr_link **pp = slot_chain(hnet, ip);
	struct vzr_slot *s;

	for (; (s = vzr_slot_of(*pp)); pp = &s->hlink.next)
		if (s->hnet == hnet && vzr_ip_equal(&s->inst.dst, ip))
			break;
	return pp;
}

struct vzr_slot *vzr_slot_lookup(struct net *hnet, const struct vzr_ip *ip)
{
	lockdep_assert_held(&vzr_lock);
	return vzr_slot_of(*slot_place(hnet, ip));
}

/*
 * A slot for a prefix that has none yet. The slots' chains may double: no
 * walk of them (vzr_slot_first()) may be under way, and it may sleep.
 * Return: it, or NULL.
 */
struct vzr_slot *vzr_slot_create(struct net *hnet, const struct vzr_ip *ip)
{
	struct vzr_link **pp;
	struct vzr_slot *s;

	lockdep_assert_held(&vzr_lock);
	s = vzr_alloc(kmem_cache_zalloc(slot_cache, GFP_KERNEL));
	if (!s)
		return NULL;
	s->hnet = hnet;
	s->inst.dst = *ip;
	INIT_LIST_HEAD(&s->dirty);
	pp = slot_chain(hnet, ip);
	s->hlink.next = *pp;
	*pp = &s->hlink;
	vzr_chains_added(&vzr_slots);
	vzr_pernet(hnet)->slots++;
	return s;
}

static void slot_free(struct vzr_slot *s)
{
	struct vzr_link **pp = slot_place(s->hnet, &s->inst.dst);

	if (!WARN_ON(*pp != &s->hlink)) {
		*pp = s->hlink.next;
		vzr_chains_removed(&vzr_slots);
	}
	vzr_neigh_slot_free(s);
	list_del(&s->dirty);
	vzr_pernet(s->hnet)->slots--;
	kmem_cache_free(slot_cache, s);
}

/* Free @s unless a route, a proxy entry or an entry still needs it. */
void vzr_slot_release_unused(struct vzr_slot *s)
{
	if (!vzr_slot_may_be_routed(s) && !s->holder && !s->users && !s->neigh)
		slot_free(s);
}

/**
 * vzr_track_forget_net() - drop everything that refers to a dying netns
 * @net: the namespace, from its pernet exit
 *
 * The routes of a dying host namespace die with it. Entries whose host
 * side was there are dropped too; the next scan re-creates whatever still
 * exists. Slots whose holder lived in @net keep their installed route, so
 * that the reconciler deletes it or hands it to a standby.
 */
void vzr_track_forget_net(struct net *net)
{
	struct vzr_pernet *pn = vzr_pernet(net);
	struct vzr_ctdev *d, *next;
	struct hlist_node *tmp;
	struct vzr_link **pp;
	struct vzr_slot *s;
	struct vzr_entry *e;
	int bkt;

	lockdep_assert_held(&vzr_lock);
	/* Nothing may note the dying namespace's devices again. */
	pn->overflowed = false;
	hlist_for_each_entry_safe(d, tmp, &pn->devs, nsnode) {
		vzr_ctdev_release(d);
		cond_resched();
	}
	/* Those it was the host namespace of: a host namespace's exit. */
	for (d = vzr_ctdev_first(&bkt); d && pn->hosted; d = next) {
		next = vzr_ctdev_next(d, &bkt);
		if (d->hnet == net)
			vzr_ctdev_release(d);
		cond_resched();
	}
	if (!pn->slots)
		return;
	/*
	 * Entries of a host side that moved away from @net may still be in
	 * its slots, until a run decides them again. One walk for all of
	 * them: a walk per slot made a dying host namespace cost the number
	 * of its slots times every entry of the node.
	 */
	list_for_each_entry(e, &vzr_entries, order) {
		if (e->slot && e->slot->hnet == net) {
			vzr_entry_set_slot(e, NULL);
			vzr_entry_mark(e);
		}
		cond_resched();
	}
	for (bkt = 0; bkt < vzr_chains_size(&vzr_slots); bkt++) {
		for (pp = &vzr_slots.heads[bkt]; (s = vzr_slot_of(*pp));) {
			if (s->hnet != net)
				pp = &s->hlink.next;
			else
				slot_free(s);	/* *pp is its successor now */
		}
		cond_resched();
	}
}

/*
 * At unload, after every namespace was forgotten (vzr_netns_uninit()),
 * nothing is left to free but the chains and the caches.
 */
void vzr_track_uninit(void)
{
	int bkt;

	WARN_ON(!list_empty(&vzr_entries) || vzr_slot_first(&bkt) ||
		ctdevs.count);
	/* Released entries that waited for a run that will not come. */
	mutex_lock(&vzr_lock);
	WARN_ON(vzr_entry_take_dirty());
	mutex_unlock(&vzr_lock);
	track_free();
}
