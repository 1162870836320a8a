// SPDX-License-Identifier: GPL-2.0
/*
 * The notes the notifiers leave for the run: devices to look at, and
 * devices whose routes the kernel flushed.
 */

#include <linux/hashtable.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "backend.h"
#include "fault.h"
#include "netns.h"
#include "note.h"

/*
 * Devices whose addresses or state changed since the run last looked.
 * Notifiers add to it from any context, IPv6 ones from softirq, hence the
 * irqsave lock and atomic allocations. A device is noted once however many
 * events it has. When a note cannot be allocated, or too many pile up,
 * note_all asks for a look at every device instead, which covers whatever
 * was not noted. The notes are in a list too, in the order noted, so that
 * taking them costs the notes and not the hash's buckets. note_lock guards
 * the hash, the list, n_notes and note_all.
 */
#define NOTES_MAX	8192
static DEFINE_SPINLOCK(note_lock);
static DEFINE_HASHTABLE(notes, 8);
static LIST_HEAD(pending);
static unsigned int n_notes;
static bool note_all;

/*
 * Devices whose routes the kernel flushed without telling rtnetlink
 * listeners about each route. flush_lock guards the list and flush_lost;
 * IPv6 flushes are noted from the atomic inet6addr chain, hence the
 * irqsave lock and atomic allocations. A device and family is recorded
 * once until a run takes the list, and only in a namespace that can hold
 * a host side (a container deleting its own devices by the thousand adds
 * nothing). Past FLUSHES_MAX records, flush_lost stands for the rest: the
 * run then compares with the kernel's tables instead. flush_lock guards
 * n_flushes too, and flush_hash, where the records are also kept by
 * device so that finding one costs a bucket, not the list (a node
 * stopping its containers flushes hundreds of host sides between runs).
 */
#define FLUSHES_MAX	1024
static DEFINE_SPINLOCK(flush_lock);
static LIST_HEAD(flushes);
static DEFINE_HASHTABLE(flush_hash, 6);
static unsigned int n_flushes;
static bool flush_lost;

/* A device's key in either hash. */
static u32 dev_key(const struct net *net, int ifindex)
{
	return hash_ptr(net, 32) ^ ifindex;
}

/*
 * Move the pending notes of @net, or all of them (NULL), to @out, and drop
 * the facts that name @net as a host side's; under note_lock. Only
 * pointers move here: the caller frees @out (vzr_note_free()) once it let
 * the lock go, which keeps interrupts off, so that thousands of notes
 * dropped at once do not keep them off for thousands of kfree()s.
 */
static void drop_notes(struct net *net, struct list_head *out)
{
	struct vzr_note *d, *tmp;

	if (!net) {
		list_splice_tail_init(&pending, out);
		hash_init(notes);
		n_notes = 0;
		return;
	}
	list_for_each_entry_safe(d, tmp, &pending, list) {
		if (net_eq(d->net, net)) {
			hash_del(&d->hnode);
			list_move_tail(&d->list, out);
			n_notes--;
		} else if (d->added && net_eq(d->facts.hnet, net)) {
			d->added = false;
		}
	}
}

/* Add @ip to @d's addresses, once. Return: false when they are full. */
static bool note_ip(struct vzr_note *d, const struct vzr_ip *ip)
{
	unsigned int i;

	for (i = 0; i < d->n; i++)
		if (vzr_ip_equal(&d->ips[i], ip))
			return true;
	if (d->n == VZR_NOTE_IPS)
		return false;
	d->ips[d->n++] = *ip;
	return true;
}

/*
 * Note @ip of a device, or the device itself (@ip NULL); @facts when the
 * event was an IPv4 address added (vzr_note.added).
 */
static void note(struct net *net, int ifindex, const struct vzr_ip *ip,
		 const struct vzr_facts *facts)
{
	u32 h = dev_key(net, ifindex);
	struct vzr_note *d;
	unsigned long flags;
	LIST_HEAD(dropped);

	spin_lock_irqsave(&note_lock, flags);
	if (note_all)
		goto out;
	hash_for_each_possible(notes, d, hnode, h)
		if (net_eq(d->net, net) && d->ifindex == ifindex)
			goto found;
	d = n_notes < NOTES_MAX ?
	    vzr_alloc(kzalloc(sizeof(*d), GFP_ATOMIC)) : NULL;
	if (!d) {
		drop_notes(NULL, &dropped);
		note_all = true;
		goto out;
	}
	d->net = net;
	d->ifindex = ifindex;
	d->added = facts;
	if (facts)
		d->facts = *facts;
	hash_add(notes, &d->hnode, h);
	list_add_tail(&d->list, &pending);
	n_notes++;
found:
	/*
	 * Another host side, or another state, in between: an event said so,
	 * which may not have come here (the host side's own). Look again.
	 */
	if (!facts || !net_eq(d->facts.hnet, facts->hnet) ||
	    d->facts.hifindex != facts->hifindex ||
	    d->facts.active != facts->active)
		d->added = false;
	d->addr |= !!ip;
	if (!ip || (!d->whole && !note_ip(d, ip)))
		d->whole = true;
	/* Every address of the device is to be read: none is taken as seen. */
	if (d->whole)
		d->added = false;
out:
	spin_unlock_irqrestore(&note_lock, flags);
	vzr_note_free(&dropped);
}

/**
 * vzr_note_dev() - have the next run look at a device
 * @net: the device's namespace
 * @ifindex: the device
 * @ip: the address that changed, or NULL for the device itself
 *
 * Any context. The caller kicks the reconciler.
 */
void vzr_note_dev(struct net *net, int ifindex, const struct vzr_ip *ip)
{
	note(net, ifindex, ip, NULL);
}

/**
 * vzr_note_added() - an IPv4 address was added to a container device
 * @net: the device's namespace
 * @ifindex: the device
 * @ip: the address, on the device as the notifier runs
 * @facts: the device's host side and state, read under the same RTNL
 *
 * Context: the IPv4 address notifier, under RTNL. The caller kicks the
 * reconciler.
 */
void vzr_note_added(struct net *net, int ifindex, const struct vzr_ip *ip,
		    const struct vzr_facts *facts)
{
	ASSERT_RTNL();
	note(net, ifindex, ip, facts);
}

/* Have the next run look at every device. Any context. */
void vzr_note_all(void)
{
	unsigned long flags;
	LIST_HEAD(dropped);

	spin_lock_irqsave(&note_lock, flags);
	drop_notes(NULL, &dropped);
	note_all = true;
	spin_unlock_irqrestore(&note_lock, flags);
	vzr_note_free(&dropped);
}

/**
 * vzr_note_take() - hand the noted devices to the run
 * @out: receives the notes (vzr_note.list); free them with vzr_note_free()
 *
 * Called with vzr_lock held, which keeps the notes' namespaces from being
 * freed until the caller drops it (see vzr_net_exit()).
 *
 * Return: true when every device must be looked at; @out is empty then.
 */
bool vzr_note_take(struct list_head *out)
{
	unsigned long flags;
	bool all;

	lockdep_assert_held(&vzr_lock);
	spin_lock_irqsave(&note_lock, flags);
	/* Every note leaves: the run never uses their hash nodes. */
	hash_init(notes);
	list_splice_tail_init(&pending, out);
	n_notes = 0;
	all = note_all;
	note_all = false;
	spin_unlock_irqrestore(&note_lock, flags);
	return all;
}

/* Free notes taken by vzr_note_take(). */
void vzr_note_free(struct list_head *list)
{
	struct vzr_note *d, *tmp;

	list_for_each_entry_safe(d, tmp, list, list)
		kfree(d);
}

/* Free flush records taken by vzr_note_take_flushes(). */
void vzr_note_free_flushes(struct list_head *list)
{
	struct vzr_flush *f, *tmp;

	list_for_each_entry_safe(f, tmp, list, list)
		kfree(f);
}

/**
 * vzr_note_flush() - the kernel dropped @dev's routes without a word
 * @dev: the device
 * @family: AF_INET or AF_INET6 for the routes of one family, AF_UNSPEC for
 *          both
 *
 * Any context (IPv6 flushes are seen from the atomic inet6addr chain).
 * The caller kicks the reconciler.
 */
void vzr_note_flush(struct net_device *dev, u8 family)
{
	struct vzr_flush *f;
	unsigned long flags;
	u32 key;

	/*
	 * Our routes only go through host sides, all in such namespaces; a
	 * container of its own user namespace flushing its devices costs
	 * this test and no more.
	 */
	if (!vzr_node_net(dev_net(dev)))
		return;
	key = dev_key(dev_net(dev), dev->ifindex);
	spin_lock_irqsave(&flush_lock, flags);
	if (flush_lost)
		goto out;
	hash_for_each_possible(flush_hash, f, hnode, key)
		if (net_eq(f->net, dev_net(dev)) && f->ifindex == dev->ifindex &&
		    (f->family == family || f->family == AF_UNSPEC))
			goto out;
	f = n_flushes < FLUSHES_MAX ?
	    vzr_alloc(kmalloc(sizeof(*f), GFP_ATOMIC)) : NULL;
	if (f) {
		f->net = dev_net(dev);
		f->ifindex = dev->ifindex;
		f->family = family;
		list_add_tail(&f->list, &flushes);
		hash_add(flush_hash, &f->hnode, key);
		n_flushes++;
	} else {
		flush_lost = true;
	}
out:
	spin_unlock_irqrestore(&flush_lock, flags);
}

/*
 * Whether flush records wait for a run. A run with none may skip RTNL; one
 * noted just after it asked kicks a run of its own.
 */
bool vzr_note_flushes_pending(void)
{
	unsigned long flags;
	bool waiting;

	spin_lock_irqsave(&flush_lock, flags);
	waiting = n_flushes || flush_lost;
	spin_unlock_irqrestore(&flush_lock, flags);
	return waiting;
}

/**
 * vzr_note_take_flushes() - hand the noted flushes to the run
 * @out: receives the records; free them with vzr_note_free_flushes()
 *
 * Called under RTNL, which every path that flushes routes holds (the
 * IPv6 ones included, though their chain does not require it), so that
 * the records and the scan that follows see the same order of events.
 *
 * Return: true when a record could not be allocated and some flush may
 * have gone unnoted.
 */
bool vzr_note_take_flushes(struct list_head *out)
{
	unsigned long flags;
	bool lost;

	ASSERT_RTNL();
	/* It keeps the records' namespaces alive (vzr_note_forget_net()). */
	lockdep_assert_held(&vzr_lock);
	spin_lock_irqsave(&flush_lock, flags);
	list_splice_tail_init(&flushes, out);
	/* Every record leaves: the run never uses their hash nodes. */
	hash_init(flush_hash);
	n_flushes = 0;
	lost = flush_lost;
	flush_lost = false;
	spin_unlock_irqrestore(&flush_lock, flags);
	return lost;
}

/**
 * vzr_note_forget_net() - drop the notes of a dying namespace
 * @net: the namespace
 */
void vzr_note_forget_net(struct net *net)
{
	struct vzr_flush *f, *tmp;
	unsigned long flags;
	LIST_HEAD(dropped);
	LIST_HEAD(gone);

	spin_lock_irqsave(&note_lock, flags);
	drop_notes(net, &dropped);
	spin_unlock_irqrestore(&note_lock, flags);
	vzr_note_free(&dropped);
	spin_lock_irqsave(&flush_lock, flags);
	list_for_each_entry_safe(f, tmp, &flushes, list) {
		if (net_eq(f->net, net)) {
			list_move_tail(&f->list, &gone);
			hash_del(&f->hnode);
			n_flushes--;
		}
	}
	spin_unlock_irqrestore(&flush_lock, flags);
	vzr_note_free_flushes(&gone);
}
