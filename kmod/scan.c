// SPDX-License-Identifier: GPL-2.0
/*
 * The scan: bring the tracked entries up to date with the devices the
 * notes name (every device after a load, a config change or a lost note).
 * Under RTNL it reads each device's current state, not the event that
 * noted it, and stamps what it sees; afterwards, with RTNL dropped, it
 * sweeps what it did not see. IPv4 addresses added to a tracked device,
 * and nothing else of it, are taken as their notifier read them under
 * RTNL, without RTNL (scan_added()). It decides nothing: a changed
 * observation only marks the entry for deciding.
 */

#include <linux/bsearch.h>
#include <linux/inetdevice.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/addrconf.h>
#include <net/route.h>

#include "backend.h"
#include "compat.h"
#include "decide.h"
#include "fault.h"
#include "netns.h"
#include "note.h"
#include "params.h"
#include "reconcile.h"
#include "scan.h"
#include "sync.h"
#include "track.h"

/**
 * struct scan_ctx - one scan over container devices
 * @run: the run, for its generation
 * @dev: the container device being looked at; NULL for addresses added
 *       with their facts (vzr_note.added), read without RTNL
 * @be: the backend that claims @dev; NULL with @dev (such a backend
 *      admits any address)
 * @cd: the tracked device
 * @active: both ends are up
 * @ahead: a new address seen from facts (no @dev, so no backend to ask)
 *         may have its route added before it is tracked (vzr_sync_ahead())
 * @recheck: the host namespace's addresses may have changed
 * @err: -ENOMEM when something could not be tracked: the next run
 *       scans every device again
 */
struct scan_ctx {
	struct vzr_run *run;
	struct net_device *dev;
	const struct vzr_backend *be;
	struct vzr_ctdev *cd;
	bool active;
	bool ahead;
	bool recheck;
	int err;
};

/*
 * An IPv6 address the node adds is tentative when the notifier tells of
 * it, and no notifier tells of the end of its DAD: the recheck that its
 * event asks for (scan_hosted()) counts it as the node's already, as long
 * as DAD did not fail, or a container's route to it would stay.
 */
static bool host_local(struct net *hnet, const struct vzr_ip *ip)
{
	if (ip->family == AF_INET)
		return inet_addr_type(hnet, ip->a.s6_addr32[0]) == RTN_LOCAL;
	return vzr_ipv6_has_addr(hnet, &ip->a, NULL, IFA_F_DADFAILED);
}

/*
 * Whether the host has the address changes only with the host's own
 * addresses, which scan_hosted() follows: the last answer stands unless
 * it asked for a recheck.
 */
static bool seen_host_local(struct scan_ctx *c, const struct vzr_entry *e)
{
	if (!c->recheck && (e->obs == VZROUTE_STATE_PENDING ||
			    e->obs == VZROUTE_STATE_HOST_LOCAL))
		return e->obs == VZROUTE_STATE_HOST_LOCAL;
	return host_local(c->cd->hnet, &e->ip);
}

/*
 * What @e is now, from @sight's cheaper facts (the ends up, the address's
 * flags) and, only when those leave it open, the costlier ones: the
 * backend's answer and whether the host has the address. A change marks
 * @e for deciding.
 */
static void settle(struct scan_ctx *c, struct vzr_entry *e,
		   struct vzr_sight *sight)
{
	u8 obs;

	if (sight->up && !sight->dad_failed && !sight->tentative) {
		sight->admitted = !c->be || !c->be->admit ||
				  c->be->admit(c->dev, &e->ip);
		sight->host_local = sight->admitted && seen_host_local(c, e);
	}
	obs = vzr_observed_state(sight);
	if (e->obs != obs) {
		e->obs = obs;
		vzr_entry_mark(e);
	}
}

static void observe(struct scan_ctx *c, const struct vzr_ip *ip, u32 ifa_flags)
{
	struct vzr_sight sight = {
		.up = c->active,
		.dad_failed = ifa_flags & IFA_F_DADFAILED,
		.tentative = ifa_flags & IFA_F_TENTATIVE,
	};
	struct vzr_entry *e;

	if (!vzr_ip_qualifies(ip))
		return;
	e = vzr_entry_lookup(c->cd, ip);
	if (!e) {
		if (!vzr_track_room(c->cd))
			return;
		/*
		 * What settle() will find present: its route may go first.
		 * Never under RTNL, which the add takes: a sight from facts.
		 */
		if (c->ahead && !c->dev && c->active &&
		    !host_local(c->cd->hnet, ip))
			vzr_sync_ahead(c->run, c->cd, ip);
		e = vzr_entry_create(c->cd, ip);
		if (!e) {
			c->err = -ENOMEM;
			return;
		}
	}
	/* A sight from facts (no @dev) is no sight of a look under RTNL. */
	if (c->dev)
		e->seen = c->run->gen;
	settle(c, e, &sight);
}

static void scan_inet(struct scan_ctx *c)
{
	struct in_device *in_dev = __in_dev_get_rtnl(c->dev);
	struct in_ifaddr *ifa;
	struct vzr_ip ip;

	if (!in_dev)
		return;
	vzr_for_each_ifa_rtnl(ifa, in_dev) {
		vzr_ip_set4(&ip, ifa->ifa_local);
		observe(c, &ip, 0);
	}
}

/**
 * struct addr6 - an IPv6 address as the scan copies it out
 * @addr: the address
 * @flags: its IFA_F_* flags
 */
struct addr6 {
	struct in6_addr addr;
	u32 flags;
};

/*
 * Copy out up to @room addresses of @idev. Return: how many it has, which
 * is more than were copied when the list grew since it was counted.
 */
static unsigned int copy_inet6(struct inet6_dev *idev, struct addr6 *out,
			       unsigned int room)
{
	struct inet6_ifaddr *ifa;
	unsigned int n = 0;

	read_lock_bh(&idev->lock);
	list_for_each_entry(ifa, &idev->addr_list, if_list) {
		if (n < room) {
			out[n].addr = ifa->addr;
			out[n].flags = ifa->flags;
		}
		n++;
	}
	read_unlock_bh(&idev->lock);
	return n;
}

/* Keep what the device had: its addresses were not all read this time. */
static void keep_all(struct scan_ctx *c)
{
	struct vzr_entry *e;

	list_for_each_entry(e, &c->cd->entries, dlist)
		e->seen = c->run->gen;
}

/*
 * The address list is changed from softirq too (SLAAC, DAD), under
 * idev->lock, so it is copied out in one pass, to allocate entries with
 * the lock dropped: linear in the addresses, however many a container
 * adds. The copy is sized by a count taken just before; a list that keeps
 * growing in between is left for the run its changes kick.
 */
static void scan_inet6(struct scan_ctx *c)
{
	struct inet6_dev *idev = __in6_dev_get(c->dev);
	unsigned int i, n, room = 0, tries;
	struct addr6 *snap = NULL;
	struct vzr_ip ip;

	if (!idev)
		return;
	for (tries = 0; tries < 3; tries++) {
		kvfree(snap);
		room = copy_inet6(idev, NULL, 0);
		snap = room ? vzr_alloc(kvmalloc_array(room, sizeof(*snap),
						       GFP_KERNEL)) : NULL;
		if (room && !snap) {
			c->err = -ENOMEM;
			keep_all(c);
			return;
		}
		n = copy_inet6(idev, snap, room);
		if (n <= room)
			break;
	}
	if (n > room)
		keep_all(c);
	for (i = 0; i < min(n, room); i++) {
		vzr_ip_set6(&ip, &snap[i].addr);
		observe(c, &ip, snap[i].flags);
	}
	kvfree(snap);
}

static int flush_cmp(const void *a, const void *b)
{
	const struct vzr_flush *x = *(const struct vzr_flush * const *)a;
	const struct vzr_flush *y = *(const struct vzr_flush * const *)b;

	if (x->net != y->net)
		return x->net < y->net ? -1 : 1;
	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	return (int)x->family - (int)y->family;
}

static bool was_flushed(struct vzr_flush **sorted, unsigned int n,
			const struct vzr_slot *s, u8 family)
{
	struct vzr_flush key = {
		.net = s->hnet,
		.ifindex = s->inst.ifindex,
		.family = family,
	};
	struct vzr_flush *k = &key;

	return bsearch(&k, sorted, n, sizeof(*sorted), flush_cmp);
}

/*
 * Routes the kernel dropped silently: with a device that went down or
 * away (both families), with its last IPv4 address (IPv4), or when IPv6
 * stopped on it (IPv6). Only the family flushed loses its routes.
 *
 * A node stopping its containers flushes up to FLUSHES_MAX host sides
 * between two runs: the records are sorted, and each installed slot looks
 * its device up in them, rather than every slot being compared with every
 * record under RTNL. Without memory for the sort, the sync compares with
 * the kernel's tables instead, as after a lost record.
 *
 * A record is only ever matched with the slots of its own namespace
 * (was_flushed() looks it up by the slot's hnet), and a namespace may have
 * none: its records are dropped unread, so that a node-owned namespace
 * whose devices come and go (its last address removed, say) costs no walk
 * over the node's routes. The records' namespaces are alive: a dying
 * one's are dropped at its exit, under vzr_lock, which the caller holds.
 *
 * A record may be older than the route it now meets (see struct
 * vzr_slot's @flushed), but only if the last run's sync put that route
 * there. A record is noted in the flusher's RTNL section, before the
 * kernel takes a route through that device again (the flush's cause,
 * the device down or without IPv6, refuses it until then), and every
 * scan reads, under RTNL, all the records noted before it. A record read
 * now was noted after the last run's scan began, so after every earlier
 * sync: the routes those put there, it did flush. Only the slots of the
 * last run's routes are marked flushed, so that their syncs find out; a
 * node stopping its containers costs no delete of the routes gone.
 */
static void forget_flushed(struct vzr_run *run)
{
	struct vzr_flush **sorted, *f, *tmp;
	unsigned int i, n = 0;
	struct vzr_slot *s;
	LIST_HEAD(flushed);
	LIST_HEAD(unread);
	int bkt;

	if (vzr_note_take_flushes(&flushed))
		run->need_verify = true;
	list_for_each_entry_safe(f, tmp, &flushed, list) {
		if (vzr_pernet(f->net)->slots)
			n++;
		else
			list_move(&f->list, &unread);
	}
	vzr_note_free_flushes(&unread);
	if (!n)
		return;
	sorted = vzr_alloc(kmalloc_array(n, sizeof(*sorted), GFP_KERNEL));
	if (!sorted) {
		run->need_verify = true;
		goto out;
	}
	i = 0;
	list_for_each_entry(f, &flushed, list)
		sorted[i++] = f;
	sort(sorted, n, sizeof(*sorted), flush_cmp, NULL);
	for (s = vzr_slot_first(&bkt); s; s = vzr_slot_next(s, &bkt)) {
		if (s->installed &&
		    (was_flushed(sorted, n, s, AF_UNSPEC) ||
		     was_flushed(sorted, n, s, s->inst.dst.family))) {
			s->installed = false;
			s->lost = true;
			/*
			 * Put there after the last scan, or in this run
			 * ahead of it: maybe after the flush.
			 */
			s->flushed = s->ahead || s->gen == (u16)(run->gen - 1);
			vzr_slot_mark(s);
		}
		cond_resched();
	}
	kfree(sorted);
out:
	vzr_note_free_flushes(&flushed);
}

/*
 * A new host side: every route of the device moves, and dumps see the
 * entries under another namespace (which decides who may see them). A new
 * name for it: allow entries bound to device names may decide otherwise.
 */
static void set_host_side(struct vzr_ctdev *cd, struct net_device *hdev)
{
	struct vzr_entry *e;

	if (net_eq(cd->hnet, dev_net(hdev)) && cd->hifindex == hdev->ifindex &&
	    !strcmp(cd->hname, hdev->name))
		return;
	if (cd->hnet)
		vzr_pernet(cd->hnet)->hosted--;
	cd->hnet = dev_net(hdev);
	vzr_pernet(cd->hnet)->hosted++;
	cd->hifindex = hdev->ifindex;
	vzr_track_changed();
	list_for_each_entry(e, &cd->entries, dlist)
		vzr_entry_mark(e);
}

/* The devices' names as dumps show them; a rename is a change too. */
static void set_names(struct vzr_ctdev *cd, const struct net_device *dev,
		      const struct net_device *hdev)
{
	if (!strncmp(cd->cname, dev->name, sizeof(cd->cname)) &&
	    !strncmp(cd->hname, hdev->name, sizeof(cd->hname)))
		return;
	strscpy(cd->cname, dev->name, sizeof(cd->cname));
	strscpy(cd->hname, hdev->name, sizeof(cd->hname));
	vzr_track_changed();
}

/*
 * Is @dev a container's device? If so, track it and set up @c for a look
 * at its addresses (@c->cd stays NULL when it cannot be tracked).
 * Return: whether it is a container device.
 */
static bool scan_begin(struct scan_ctx *c, struct net_device *dev)
{
	struct net_device *hdev;
	struct vzr_ctdev *cd;

	c->cd = NULL;
	c->dev = dev;
	hdev = vzr_host_side(dev, &c->be);
	if (!hdev || !vzr_ifnames_match(vzr_cfg.host_ifnames, hdev->name))
		return false;
	cd = vzr_ctdev_lookup(dev_net(dev), dev->ifindex) ?:
	     vzr_ctdev_create(dev_net(dev), dev->ifindex);
	if (!cd) {
		c->err = -ENOMEM;
		return true;
	}
	cd->seen = c->run->gen;
	if (c->be->recheck && list_empty(&cd->polled))
		list_add_tail(&cd->polled, &vzr_polled_ctdevs);
	set_host_side(cd, hdev);
	set_names(cd, dev, hdev);
	c->cd = cd;
	c->active = (dev->flags & IFF_UP) && (hdev->flags & IFF_UP);
	return true;
}

/*
 * Look at one device: is it a container's, and what does it carry?
 * Return: whether it is a container device.
 */
static bool scan_dev(struct scan_ctx *c, struct net_device *dev)
{
	if (!scan_begin(c, dev))
		return false;
	if (c->cd) {
		scan_inet(c);
		scan_inet6(c);
	}
	return true;
}

/*
 * Is @ip on @dev, and with which of the flags observe() reads? Under
 * RTNL, so the address stays (or stays away) across the three lookups of
 * the kernel's hash of IPv6 addresses; DAD may end between them, from
 * softirq, and the poll of tentative addresses looks again (look_again()).
 * IPv4 has no exported lookup by device and walks the device's list, for
 * the few addresses a note holds (note.c) or a poll takes one by one.
 */
static bool find_ip(struct net_device *dev, const struct vzr_ip *ip,
		    u32 *flags)
{
	struct net *net = dev_net(dev);
	struct in_device *in_dev;
	struct in_ifaddr *ifa;

	*flags = 0;
	if (ip->family == AF_INET) {
		in_dev = __in_dev_get_rtnl(dev);
		if (!in_dev)
			return false;
		vzr_for_each_ifa_rtnl(ifa, in_dev)
			if (ifa->ifa_local == ip->a.s6_addr32[0])
				return true;
		return false;
	}
	if (!vzr_ipv6_has_addr(net, &ip->a, dev, 0))
		return false;
	/* Tentative as scan_inet6() sees it: the flag, optimistic or not. */
	if (!vzr_ipv6_has_addr(net, &ip->a, dev,
			       IFA_F_TENTATIVE | IFA_F_OPTIMISTIC))
		*flags |= IFA_F_TENTATIVE;
	if (!vzr_ipv6_has_addr(net, &ip->a, dev, IFA_F_DADFAILED))
		*flags |= IFA_F_DADFAILED;
	return true;
}

/*
 * Look at some addresses of a device already tracked: those that changed,
 * one by one, when nothing else about the device did. One that is gone
 * from the device is left unseen, for sweep_ips().
 */
static void scan_ips(struct scan_ctx *c, const struct vzr_note *d)
{
	unsigned int i;
	u32 flags;

	for (i = 0; i < d->n; i++)
		if (find_ip(c->dev, &d->ips[i], &flags))
			observe(c, &d->ips[i], flags);
}

/* Is @e due in this run's poll of its device @cd (vzr_state_polled())? */
static bool poll_due(const struct vzr_ctdev *cd, const struct vzr_entry *e,
		     time64_t now)
{
	time64_t age = now - vzr_entry_since(e, now);

	/*
	 * In whole seconds: young for up to one more than it says, within
	 * vzr_ctdev.young_until. A clock set back makes it old.
	 */
	return cd->poll_slow || (age >= 0 && age <= vzr_poll_young(e->state));
}

/*
 * Look again at the addresses in a state polled for that are due, each on
 * its own: an IPv6 one in the kernel's hash, with no walk of the device.
 * Those lookups walk the hash's chains, which a container can fill, and
 * IPv4 has no lookup by device: past a note's few of a family due on one
 * device, one walk of its list of that family does for them all. A
 * device that is no longer a container's, or gone, had an event of its
 * own, which looks at it in whole.
 */
static void scan_waiting(struct scan_ctx *c)
{
	time64_t now = vzr_real_seconds();
	unsigned int n[2];
	struct net_device *dev;
	struct vzr_ctdev *cd;
	struct vzr_entry *e;
	bool v4;
	u32 flags;

	list_for_each_entry(cd, &vzr_waiting_ctdevs, waiting) {
		if (!cd->poll_due || !maybe_get_net(cd->cnet))
			continue;
		if (cd->poll_slow)
			cd->poll_at = jiffies + VZR_POLL_SLOW;
		dev = __dev_get_by_index(cd->cnet, cd->cifindex);
		if (!dev || !scan_begin(c, dev) || c->cd != cd)
			goto next;
		n[0] = 0;
		n[1] = 0;
		/* The entries polled for come first (vzr_ctdev.entries). */
		list_for_each_entry(e, &cd->entries, dlist) {
			if (!vzr_state_polled(e->state))
				break;
			e->polled = poll_due(cd, e, now);
			if (e->polled)
				n[e->ip.family == AF_INET]++;
		}
		list_for_each_entry(e, &cd->entries, dlist) {
			if (!vzr_state_polled(e->state))
				break;
			v4 = e->ip.family == AF_INET;
			if (e->polled && n[v4] <= VZR_NOTE_IPS &&
			    find_ip(dev, &e->ip, &flags))
				observe(c, &e->ip, flags);
		}
		/* Last: they may track more, at the list's end. */
		if (n[0] > VZR_NOTE_IPS)
			scan_inet6(c);
		if (n[1] > VZR_NOTE_IPS)
			scan_inet(c);
next:
		put_net(cd->cnet);
		cond_resched();
	}
}

/*
 * Ask the backend again about an address tracked on a polled device: the
 * one answer that changes without notice (venet's IP map). What the
 * device says of the address came with its events; the entry is not
 * marked seen, so that a sweep in this run still drops it if the address
 * went. Only the states that the answer decides between are asked again:
 * down, tentative and DAD failed come before it (vzr_observed_state()).
 */
static void readmit(struct scan_ctx *c, struct vzr_entry *e)
{
	struct vzr_sight sight = { .up = c->active };

	if (e->obs != VZROUTE_STATE_PENDING &&
	    e->obs != VZROUTE_STATE_UNMAPPED &&
	    e->obs != VZROUTE_STATE_HOST_LOCAL)
		return;
	settle(c, e, &sight);
}

/*
 * The polled devices' addresses tracked, asked about again
 * (recheck_polled()): not the device's list, which a container may fill
 * past what is tracked. A device that is no longer a container's, or
 * gone, had an event of its own, which looks at it in whole.
 */
static void scan_readmit(struct scan_ctx *c)
{
	struct net_device *dev;
	struct vzr_ctdev *cd;
	struct vzr_entry *e;

	list_for_each_entry(cd, &vzr_polled_ctdevs, polled) {
		if (!maybe_get_net(cd->cnet))
			continue;
		dev = __dev_get_by_index(cd->cnet, cd->cifindex);
		if (dev && scan_begin(c, dev) && c->cd == cd)
			list_for_each_entry(e, &cd->entries, dlist)
				readmit(c, e);
		put_net(cd->cnet);
		cond_resched();
	}
}

/*
 * The addresses scan_waiting() did not find any more. Only the entry
 * released leaves its device's polled ones, and only its device can
 * leave vzr_waiting_ctdevs.
 */
static void sweep_waiting(struct vzr_run *run)
{
	struct vzr_ctdev *cd, *cnext;
	struct vzr_entry *e, *tmp;

	list_for_each_entry_safe(cd, cnext, &vzr_waiting_ctdevs, waiting) {
		if (!cd->poll_due)
			continue;
		cd->poll_due = false;
		list_for_each_entry_safe(e, tmp, &cd->entries, dlist) {
			if (!vzr_state_polled(e->state))
				break;
			if (e->polled && e->seen != run->gen &&
			    cd->seen == run->gen) {
				vzr_entry_release(e);
				continue;
			}
			e->polled = false;
		}
	}
}

/* The addresses scan_ips() did not find any more. */
static void sweep_ips(struct vzr_run *run, struct vzr_ctdev *cd,
		      const struct vzr_note *d)
{
	struct vzr_entry *e;
	unsigned int i;

	for (i = 0; i < d->n; i++) {
		e = vzr_entry_lookup(cd, &d->ips[i]);
		if (e && e->seen != run->gen)
			vzr_entry_release(e);
	}
}

/*
 * An address changed on a device of @net that is no container's: it may
 * be local to @net now, or no longer, for the containers @net routes for.
 */
static void scan_hosted(struct scan_ctx *c, struct net *net)
{
	struct vzr_ctdev *cd, *next;
	struct net_device *dev;
	int bkt;

	c->recheck = true;
	/*
	 * A walk of the devices, in which none may be made: scan_dev() finds
	 * each as tracked, by the key it was found by here.
	 */
	for (cd = vzr_ctdev_first(&bkt); cd; cd = next) {
		next = vzr_ctdev_next(cd, &bkt);
		/* Even if seen in this run: maybe with the old answer. */
		if (cd->rechecked == c->run->gen || !net_eq(cd->hnet, net) ||
		    !maybe_get_net(cd->cnet))
			continue;
		cd->rechecked = c->run->gen;
		dev = __dev_get_by_index(cd->cnet, cd->cifindex);
		if (dev)
			scan_dev(c, dev);
		put_net(cd->cnet);
	}
	c->recheck = false;
}

/*
 * Forget what a device looked at in this run no longer carries: all of
 * it when it is no longer a container device. Entries that exist are
 * always found again, so an allocation failure in the scan loses nothing
 * here.
 */
static void sweep_ctdev(struct vzr_run *run, struct vzr_ctdev *cd)
{
	struct vzr_entry *e, *tmp;

	if (cd->seen != run->gen) {
		vzr_ctdev_release(cd);
		return;
	}
	list_for_each_entry_safe(e, tmp, &cd->entries, dlist)
		if (e->seen != run->gen)
			vzr_entry_release(e);
}

/* Look at every device of every namespace. */
static int scan_all(struct vzr_run *run)
{
	struct scan_ctx c = { .run = run, .recheck = true };
	struct vzr_ctdev *cd, *next;
	struct net_device *dev;
	struct net *net;
	int bkt;

	vzr_counters.rtnl_scans++;
	rtnl_lock();
	vzr_netns_list_lock();
	forget_flushed(run);
	/* RTNL and net_rwsem are held across sleeps: yield on a big node. */
	for_each_net(net) {
		/*
		 * One on its way out is listed until its cleanup: its devices
		 * are forgotten, as scan_noted() forgets them, not tracked
		 * and routed until its exit undoes it.
		 */
		if (!maybe_get_net(net))
			continue;
		for_each_netdev(net, dev) {
			scan_dev(&c, dev);
			cond_resched();
		}
		put_net(net);
	}
	vzr_netns_list_unlock();
	rtnl_unlock();
	for (cd = vzr_ctdev_first(&bkt); cd; cd = next) {
		next = vzr_ctdev_next(cd, &bkt);
		sweep_ctdev(run, cd);
		cond_resched();
	}
	return c.err;
}

/* Look at a noted device: only the addresses noted, when that will do. */
static void scan_note(struct scan_ctx *c, const struct vzr_note *d)
{
	struct net_device *dev = __dev_get_by_index(d->net, d->ifindex);

	if (dev && !d->whole && vzr_ctdev_lookup(d->net, d->ifindex)) {
		if (scan_begin(c, dev) && c->cd)
			scan_ips(c, d);
	} else if (!(dev && scan_dev(c, dev)) && d->addr &&
		   vzr_node_net(d->net)) {
		/* Host sides, and so host-local addresses, live only there. */
		scan_hosted(c, d->net);
	}
}

/*
 * Addresses added to a tracked device, taken as the notifier saw them
 * under RTNL, without RTNL here: the device had no other event since,
 * or the note would say so (vzr_note.added). Whether the host has the
 * address is read under RCU. Nothing is swept: nothing went.
 *
 * What is seen here is not stamped as seen in this run (observe()): the
 * same run may still look at the device under RTNL (a late note, a look
 * at every device), and sweep what that look did not find: an address
 * gone since the notifier read it must not be kept by this older sight.
 *
 * Return: whether @d was looked at; if not, the scan under RTNL does.
 */
static bool scan_added(struct scan_ctx *c, const struct vzr_note *d)
{
	struct vzr_ctdev *cd;
	unsigned int i;

	if (!d->added)
		return false;
	cd = vzr_ctdev_lookup(d->net, d->ifindex);
	/* Not tracked yet, or with another host side: a look at all of it. */
	if (!cd || !net_eq(cd->hnet, d->facts.hnet) ||
	    cd->hifindex != d->facts.hifindex)
		return false;
	if (!maybe_get_net(d->net))
		return true;
	c->dev = NULL;
	c->be = NULL;
	c->cd = cd;
	c->active = d->facts.active;
	for (i = 0; i < d->n; i++)
		observe(c, &d->ips[i], 0);
	put_net(d->net);
	return true;
}

/*
 * A flush is noted in the same RTNL section as its device's event, which
 * may come after the notes were taken and before RTNL: those notes join
 * the run that read the flush, so that the device's change (a holder's
 * host side down or gone) is decided with it, as a takeover by its
 * standby (struct vzr_slot, @lost).
 *
 * Return: true when every device needs a look instead; nothing joins.
 */
static bool take_late_notes(struct list_head *noted)
{
	LIST_HEAD(late);
	bool all = vzr_note_take(&late);

	list_splice_tail(&late, noted);
	return all;
}

/*
 * Look at the noted devices. Their namespaces stay allocated while
 * vzr_lock is held (vzr_net_exit() takes it), but one may be on its way
 * out: its devices are then not looked at, and so forgotten.
 */
static int scan_noted(struct vzr_run *run, struct list_head *noted)
{
	struct scan_ctx c = { .run = run };
	struct vzr_note *d, *tmp;
	struct vzr_ctdev *cd;
	LIST_HEAD(added);

	/* One address added on a quiet node: nothing else to weigh with it. */
	d = list_first_entry_or_null(noted, struct vzr_note, list);
	c.ahead = d && list_is_singular(noted) && d->n == 1 &&
		  vzr_sync_may_ahead(run);
	list_for_each_entry_safe(d, tmp, noted, list)
		if (scan_added(&c, d))
			list_move_tail(&d->list, &added);
	c.ahead = false;
	vzr_note_free(&added);
	/* Flushes are matched under RTNL, in the order of the scan's reads. */
	if (list_empty(noted) && !vzr_note_flushes_pending() &&
	    !run->poll_waiting && !run->readmit)
		return c.err;
	vzr_fault_pause(VZR_PAUSE_SCAN);
	vzr_counters.rtnl_scans++;
	rtnl_lock();
	forget_flushed(run);
	if (take_late_notes(noted)) {
		/* The flush's device with every other, in this run too. */
		rtnl_unlock();
		run->full = true;
		return scan_all(run);
	}
	list_for_each_entry(d, noted, list) {
		if (!maybe_get_net(d->net))
			continue;
		scan_note(&c, d);
		put_net(d->net);
	}
	if (run->poll_waiting)
		scan_waiting(&c);
	if (run->readmit)
		scan_readmit(&c);
	rtnl_unlock();
	list_for_each_entry(d, noted, list) {
		cd = vzr_ctdev_lookup(d->net, d->ifindex);
		if (!cd)
			continue;
		if (d->whole || cd->seen != run->gen)
			sweep_ctdev(run, cd);
		else
			sweep_ips(run, cd, d);
	}
	/* After the notes' sweeps, which may release its devices. */
	if (run->poll_waiting)
		sweep_waiting(run);
	return c.err;
}

/**
 * vzr_scan() - bring the entries up to date with the devices that changed
 * @run: the run; sets @run->full when every device was looked at
 *
 * Return: 0, or -ENOMEM when something could not be tracked; every device
 * is then noted for the next run.
 */
int vzr_scan(struct vzr_run *run)
{
	LIST_HEAD(noted);
	int err;

	run->full = vzr_note_take(&noted);
	if (run->full) {
		err = scan_all(run);
	} else {
		err = scan_noted(run, &noted);
		vzr_note_free(&noted);
	}
	run->poll_waiting = false;
	run->readmit = false;
	if (err)
		vzr_note_all();
	return err;
}
