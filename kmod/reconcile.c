// SPDX-License-Identifier: GPL-2.0
/*
 * The reconciler: one work item that makes the host routing tables match
 * the container addresses that exist.
 *
 * Notifiers mark the devices they saw change and kick it. Each run looks
 * at the marked devices under RTNL (at every device after a load, a
 * config change or a lost mark), updates the tracked entries, drops RTNL,
 * decides (allow list, cap, first-come holder of each address) and then
 * adds and deletes routes through rtnetlink. Because a run reads a
 * device's whole current state rather than the event that marked it,
 * events may be coalesced or arrive out of order without harm; a kick
 * during a run causes another.
 */

#include <linux/inetdevice.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/vzroute.h>
#include <linux/workqueue.h>
#include <net/addrconf.h>
#include <net/netns/generic.h>
#include <net/route.h>

#include "backend.h"
#include "compat.h"
#include "netlink.h"
#include "params.h"
#include "reconcile.h"
#include "rtnl.h"
#include "track.h"
#include "watch.h"

struct vzr_counters vzr_counters;	/* under vzr_lock */
unsigned int vzr_net_id;

static struct workqueue_struct *vzr_wq;
static struct delayed_work vzr_dwork;
static bool stopping;		/* under vzr_lock; read locklessly by kick */
static bool need_verify;	/* under vzr_lock */
static u32 run_gen;		/* under vzr_lock */
static u32 verify_gen;		/* under vzr_lock */
static unsigned long look_at;	/* jiffies of the next look_again(); vzr_lock */
static atomic_t kicks = ATOMIC_INIT(0);	/* kicks since the last run began */

/**
 * vzr_kick() - ask for a reconciliation soon
 *
 * Callable from any context, atomic included.
 */
void vzr_kick(void)
{
	if (READ_ONCE(stopping))
		return;
	atomic_inc(&kicks);
	mod_delayed_work(vzr_wq, &vzr_dwork, 0);
}

/* Ask for a run that looks at every device. Any context. */
void vzr_kick_all(void)
{
	vzr_watch_mark_all();
	vzr_kick();
}

/* Wait until the reconciler has run once after this call. */
void vzr_reconcile_wait(void)
{
	flush_delayed_work(&vzr_dwork);
}

/* The next run also compares with the kernel's tables. */
void vzr_resync(void)
{
	lockdep_assert_held(&vzr_lock);
	need_verify = true;
	vzr_watch_mark_all();
	if (!stopping)
		mod_delayed_work(vzr_wq, &vzr_dwork, 0);
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
};

static void set_state(struct vzr_entry *e, u8 state, int err)
{
	char buf[VZR_IP_STRLEN];
	unsigned int i, n;
	u8 ev[2];

	if (e->state == state && e->err == err)
		return;
	n = vzr_state_events(e->state, state, e->took_over, ev);
	vzr_state_count[e->state]--;
	vzr_state_count[state]++;
	e->state = state;
	e->err = err;
	e->since = ktime_get_real_seconds();
	e->took_over = false;
	vzr_track_gen++;
	for (i = 0; i < n; i++)
		vzr_genl_event(e, ev[i]);

	switch (state) {
	case VZROUTE_STATE_DENIED:
		vzr_counters.denied++;
		break;
	case VZROUTE_STATE_OVER_CAP:
		vzr_counters.over_cap++;
		break;
	case VZROUTE_STATE_CONFLICT:
		vzr_counters.conflicts++;
		break;
	case VZROUTE_STATE_FAILED:
		vzr_counters.failed++;
		break;
	case VZROUTE_STATE_UNMAPPED:
		vzr_counters.denied++;
		break;
	default:
		pr_debug("%s on %s: %s\n", vzr_ip_str(&e->ip, buf, sizeof(buf)),
			 e->dev->cname, state_names[state]);
		return;
	}
	/* Refusals are the admin's business; a container can cause many. */
	pr_info_ratelimited("%s on %s (host side %s): %s (%d)\n",
			    vzr_ip_str(&e->ip, buf, sizeof(buf)),
			    e->dev->cname, e->dev->hname, state_names[state], err);
}

static bool host_local(struct net *hnet, const struct vzr_ip *ip)
{
	if (ip->family == AF_INET)
		return inet_addr_type(hnet, ip->a.s6_addr32[0]) == RTN_LOCAL;
	return ipv6_chk_addr(hnet, &ip->a, NULL, 0);
}

/**
 * struct walk - state of one walk over the container devices
 * @dev: the container device
 * @hdev: its host side
 * @be: the backend that claims @dev
 * @cd: the tracked device
 * @active: both ends are up
 * @recheck: the host namespace's addresses may have changed
 * @nomem: an entry could not be allocated; retry later
 */
struct walk {
	struct net_device *dev;
	struct net_device *hdev;
	const struct vzr_backend *be;
	struct vzr_cdev *cd;
	bool active;
	bool recheck;
	bool nomem;
};

static void observe(struct walk *w, const struct vzr_ip *ip, u32 ifa_flags)
{
	struct vzr_sight sight = {
		.up = w->active,
		.dad_failed = ifa_flags & IFA_F_DADFAILED,
		.tentative = ifa_flags & IFA_F_TENTATIVE,
	};
	struct vzr_entry *e;
	u8 obs;

	if (!vzr_ip_qualifies(ip))
		return;
	e = vzr_entry_get(w->cd, ip, true);
	if (!e) {
		w->nomem = true;
		return;
	}
	e->seen = run_gen;
	/* The costlier facts only when the cheaper ones leave it open. */
	if (sight.up && !sight.dad_failed && !sight.tentative) {
		sight.admitted = !w->be->admit || w->be->admit(w->dev, ip);
		/*
		 * Whether the host has the address changes only with the
		 * host's own addresses, which walk_hosted() follows.
		 */
		if (!sight.admitted)
			;
		else if (!w->recheck && (e->obs == VZROUTE_STATE_PENDING ||
					 e->obs == VZROUTE_STATE_HOST_LOCAL))
			sight.host_local = e->obs == VZROUTE_STATE_HOST_LOCAL;
		else
			sight.host_local = host_local(w->cd->hnet, ip);
	}
	obs = vzr_observed_state(&sight);
	if (e->obs != obs) {
		e->obs = obs;
		vzr_entry_mark(e);
	}
}

static void walk_inet(struct walk *w)
{
	struct in_device *in_dev = __in_dev_get_rtnl(w->dev);
	struct in_ifaddr *ifa;
	struct vzr_ip ip;

	if (!in_dev)
		return;
	vzr_for_each_ifa_rtnl(ifa, in_dev) {
		vzr_ip_set4(&ip, ifa->ifa_local);
		observe(w, &ip, 0);
	}
}

static void walk_inet6(struct walk *w)
{
	struct inet6_dev *idev = __in6_dev_get(w->dev);
	struct {
		struct in6_addr addr;
		u32 flags;
	} batch[16];
	struct inet6_ifaddr *ifa;
	unsigned int i, n, skip = 0, pos;
	struct vzr_ip ip;

	if (!idev)
		return;
	/*
	 * The address list is changed from softirq too (SLAAC, DAD), under
	 * idev->lock; copy out a batch at a time so that entries can be
	 * allocated with the lock dropped. A change between batches sends
	 * a notification, hence another run.
	 */
	do {
		n = 0;
		pos = 0;
		read_lock_bh(&idev->lock);
		list_for_each_entry(ifa, &idev->addr_list, if_list) {
			if (pos++ < skip)
				continue;
			if (n == ARRAY_SIZE(batch))
				break;
			batch[n].addr = ifa->addr;
			batch[n].flags = ifa->flags;
			n++;
		}
		read_unlock_bh(&idev->lock);
		for (i = 0; i < n; i++) {
			vzr_ip_set6(&ip, &batch[i].addr);
			observe(w, &ip, batch[i].flags);
		}
		skip += n;
	} while (n == ARRAY_SIZE(batch));
}

/* Routes the kernel dropped with a device that went down or away. */
static void forget_flushed(void)
{
	struct vzr_flush *f, *tmp;
	struct vzr_slot *s;
	LIST_HEAD(flushed);
	bool lost;
	int bkt;

	lost = vzr_watch_take_flushes(&flushed);
	if (lost)
		need_verify = true;
	if (list_empty(&flushed))
		return;
	vzr_for_each_slot(s, bkt) {
		if (!s->installed)
			continue;
		list_for_each_entry(f, &flushed, list)
			if (f->net == s->hnet && f->ifindex == s->inst.ifindex) {
				s->installed = false;
				vzr_slot_mark(s);
			}
	}
	list_for_each_entry_safe(f, tmp, &flushed, list)
		kfree(f);
}

/*
 * Is @dev a container's device? If so, track it and set up @w for a look
 * at its addresses.
 * Return: whether it is a container device.
 */
static bool walk_begin(struct walk *w, struct net_device *dev)
{
	struct vzr_cdev *cd;

	w->cd = NULL;
	w->dev = dev;
	w->hdev = vzr_host_side(dev, &w->be);
	if (!w->hdev || !vzr_ifnames_match(vzr_cfg.host_ifnames, w->hdev->name))
		return false;
	cd = vzr_cdev_get(dev_net(dev), dev->ifindex, true);
	if (!cd) {
		w->nomem = true;
		return true;
	}
	cd->seen = run_gen;
	if (!net_eq(cd->hnet, dev_net(w->hdev)) ||
	    cd->hifindex != w->hdev->ifindex) {
		struct vzr_entry *e;

		/* A new host side: every route of the device moves. */
		cd->hnet = dev_net(w->hdev);
		cd->hifindex = w->hdev->ifindex;
		list_for_each_entry(e, &cd->entries, dlist)
			vzr_entry_mark(e);
	}
	strscpy(cd->cname, dev->name, sizeof(cd->cname));
	strscpy(cd->hname, w->hdev->name, sizeof(cd->hname));
	w->cd = cd;
	w->active = (dev->flags & IFF_UP) && (w->hdev->flags & IFF_UP);
	return true;
}

/*
 * Look at one device: is it a container's, and what does it carry?
 * Return: whether it is a container device.
 */
static bool walk_dev(struct walk *w, struct net_device *dev)
{
	if (!walk_begin(w, dev))
		return false;
	if (w->cd) {
		walk_inet(w);
		walk_inet6(w);
	}
	return true;
}

/*
 * Look at some addresses of a device already tracked: those that changed,
 * one by one, when nothing else about the device did. One that is gone
 * from the device is left unseen, for sweep_ips().
 */
static void walk_ips(struct walk *w, const struct vzr_dirty *d)
{
	struct inet6_ifaddr *ifa6;
	struct in_ifaddr *ifa;
	struct in_device *in_dev;
	struct inet6_dev *idev;
	unsigned int i;
	u32 flags;
	bool found;

	for (i = 0; i < d->n; i++) {
		const struct vzr_ip *ip = &d->ips[i];

		found = false;
		flags = 0;
		if (ip->family == AF_INET) {
			in_dev = __in_dev_get_rtnl(w->dev);
			if (in_dev)
				vzr_for_each_ifa_rtnl(ifa, in_dev)
					found |= ifa->ifa_local ==
						 ip->a.s6_addr32[0];
		} else {
			idev = __in6_dev_get(w->dev);
			if (idev) {
				read_lock_bh(&idev->lock);
				list_for_each_entry(ifa6, &idev->addr_list,
						    if_list) {
					if (ipv6_addr_equal(&ifa6->addr,
							    &ip->a)) {
						found = true;
						flags = ifa6->flags;
						break;
					}
				}
				read_unlock_bh(&idev->lock);
			}
		}
		if (found)
			observe(w, ip, flags);
	}
}

/* The addresses walk_ips() did not find any more. */
static void sweep_ips(struct vzr_cdev *cd, const struct vzr_dirty *d)
{
	struct vzr_entry *e;
	unsigned int i;

	for (i = 0; i < d->n; i++) {
		e = vzr_entry_get(cd, &d->ips[i], false);
		if (!e || e->seen == run_gen)
			continue;
		vzr_entry_forget(e);
	}
}

/*
 * An address changed on a device of @net that is no container's: it may
 * be local to @net now, or no longer, for the containers @net routes for.
 */
static void walk_hosted(struct walk *w, struct net *net)
{
	struct hlist_node *tmp;
	struct net_device *dev;
	struct vzr_cdev *cd;
	int bkt;

	w->recheck = true;
	vzr_for_each_cdev_safe(cd, tmp, bkt) {
		/* Even if seen in this run: maybe with the old answer. */
		if (cd->rechecked == run_gen || !net_eq(cd->hnet, net) ||
		    !maybe_get_net(cd->cnet))
			continue;
		cd->rechecked = run_gen;
		dev = __dev_get_by_index(cd->cnet, cd->cifindex);
		if (dev)
			walk_dev(w, dev);
		put_net(cd->cnet);
	}
	w->recheck = false;
}

/*
 * Forget what a device looked at in this run no longer carries: all of
 * it when it is no longer a container device. Entries that exist are
 * always found again, so an allocation failure in the walk loses nothing
 * here.
 */
static void sweep_cdev(struct vzr_cdev *cd)
{
	struct vzr_entry *e, *tmp;

	if (cd->seen != run_gen) {
		vzr_cdev_free(cd);
		return;
	}
	list_for_each_entry_safe(e, tmp, &cd->entries, dlist) {
		if (e->seen == run_gen)
			continue;
		vzr_entry_forget(e);
	}
}

/* Look at every device of every namespace. */
static bool walk_all(void)
{
	struct walk w = { .recheck = true };
	struct hlist_node *tmp;
	struct net_device *dev;
	struct vzr_cdev *cd;
	struct net *net;
	int bkt;

	rtnl_lock();
	vzr_netns_list_lock();
	forget_flushed();
	for_each_net(net)
		for_each_netdev(net, dev)
			walk_dev(&w, dev);
	vzr_netns_list_unlock();
	rtnl_unlock();
	vzr_for_each_cdev_safe(cd, tmp, bkt)
		sweep_cdev(cd);
	return !w.nomem;
}

/*
 * Look at the devices the notifiers marked. Their namespaces stay
 * allocated while vzr_lock is held (vzr_net_exit() takes it), but one may
 * be on its way out: its devices are then not walked, and so forgotten.
 */
static bool walk_marked(struct list_head *marked)
{
	struct walk w = {};
	struct net_device *dev;
	struct vzr_dirty *d;
	struct vzr_cdev *cd;

	rtnl_lock();
	forget_flushed();
	list_for_each_entry(d, marked, list) {
		if (!maybe_get_net(d->net))
			continue;
		dev = __dev_get_by_index(d->net, d->ifindex);
		if (dev && !d->whole &&
		    vzr_cdev_get(d->net, d->ifindex, false)) {
			if (walk_begin(&w, dev) && w.cd)
				walk_ips(&w, d);
		} else if (!(dev && walk_dev(&w, dev)) && d->addr) {
			walk_hosted(&w, d->net);
		}
		put_net(d->net);
	}
	rtnl_unlock();
	list_for_each_entry(d, marked, list) {
		cd = vzr_cdev_get(d->net, d->ifindex, false);
		if (!cd)
			continue;
		if (d->whole || cd->seen != run_gen)
			sweep_cdev(cd);
		else
			sweep_ips(cd, d);
	}
	return !w.nomem;
}

/*
 * Bring the entries up to date with the devices that changed.
 * @all: set when every device was looked at (load, new config, lost event)
 *
 * Return: false when an entry could not be allocated.
 */
static bool walk(bool *all)
{
	struct vzr_dirty *d, *tmp;
	LIST_HEAD(marked);
	bool ok;

	*all = vzr_watch_take_dirty(&marked);
	if (*all)
		return walk_all();
	ok = walk_marked(&marked);
	list_for_each_entry_safe(d, tmp, &marked, list)
		kfree(d);
	return ok;
}

/*
 * Which entries may have a route, and which one holds each address.
 *
 * An entry keeps its grant under max_per_netns and its hold on a
 * duplicate address for as long as it stays eligible; newer entries get
 * what is left. So an address keeps its holder and a container keeps its
 * routes when another one adds more, and only entries that changed need
 * deciding.
 */
/* @e holds @s's address now; if it had a route, that is a takeover. */
static void hold(struct vzr_slot *s, struct vzr_entry *e)
{
	char buf[VZR_IP_STRLEN];

	s->holder = e;
	if (!s->installed)
		return;
	e->took_over = true;
	vzr_counters.takeovers++;
	pr_info("%s: %s takes over\n", vzr_ip_str(&e->ip, buf, sizeof(buf)),
		e->dev->cname);
}

/* A held address lost its holder: the oldest standby takes it. */
static void elect(struct vzr_slot *s)
{
	struct vzr_entry *e;

	list_for_each_entry(e, &vzr_entries, order) {
		if (e->slot == s) {
			hold(s, e);
			return;
		}
	}
}

static void decide_entry(struct vzr_entry *e)
{
	struct vzr_pernet *pn = net_generic(e->dev->cnet, vzr_net_id);
	struct vzr_slot *s = NULL;
	bool allowed;
	const void *h;
	u8 st;

	allowed = vzr_allowed(vzr_cfg.allow, vzr_cfg.n_allow, &e->ip);
	if (e->obs != VZROUTE_STATE_PENDING || !allowed) {
		vzr_entry_ungrant(e);
	} else if (!e->granted &&
		   vzr_cap_room(pn->granted, vzr_cfg.max_per_netns)) {
		e->granted = true;
		pn->granted++;
	}
	st = vzr_gate(e->obs, allowed, e->granted);
	if (st == VZROUTE_STATE_PENDING) {
		s = vzr_slot_get(e->dev->hnet, &e->ip, true);
		if (!s) {
			vzr_entry_ungrant(e);
			st = VZROUTE_STATE_FAILED;
		}
	}
	vzr_entry_set_slot(e, s);
	if (st != VZROUTE_STATE_PENDING) {
		set_state(e, st, st == VZROUTE_STATE_FAILED ? -ENOMEM : 0);
		return;
	}
	vzr_slot_mark(s);
	/* A free address with standbys goes to the oldest, not the first. */
	if (!s->holder && s->users > 1)
		elect(s);
	h = s->holder;
	if (!vzr_claim(&h, e))
		set_state(e, VZROUTE_STATE_STANDBY, 0);
	else if (s->holder != e)
		hold(s, e);
}

static void decide(bool all)
{
	struct vzr_entry *e, *tmp;
	struct vzr_slot *s;
	int bkt;

	list_for_each_entry_safe(e, tmp, &vzr_dirty_entries, dirty) {
		list_del_init(&e->dirty);
		if (!all && !vzr_recount)
			decide_entry(e);
	}
	if (!all && !vzr_recount)
		return;
	/*
	 * Everything again, oldest first, grants starting over: after a new
	 * config, or when a namespace at its cap lost a route (its oldest
	 * refused address gets in).
	 */
	list_for_each_entry(e, &vzr_entries, order)
		vzr_entry_ungrant(e);
	vzr_recount = false;
	vzr_for_each_slot(s, bkt)
		vzr_slot_mark(s);
	list_for_each_entry(e, &vzr_entries, order)
		decide_entry(e);
}

static void want_route(const struct vzr_slot *s, struct vzr_route *r)
{
	r->dst = s->ip;
	r->ifindex = s->holder->dev->hifindex;
	r->proto = vzr_cfg.proto;
	r->metric = vzr_effective_metric(s->ip.family, vzr_cfg.metric);
	r->table = vzr_cfg.table;
}

/* The result of deleting @s's route. */
static int withdraw_done(struct vzr_slot *s, int err)
{
	if (err && err != -ESRCH) {
		pr_warn_ratelimited("deleting route failed: %d\n", err);
		/* Nothing else brings the slot back: the verify pass will. */
		need_verify = true;
		return err;
	}
	if (!err)
		vzr_counters.removed++;
	s->installed = false;
	vzr_track_gen++;
	return 0;
}

static int withdraw(struct vzr_slot *s)
{
	return withdraw_done(s, vzr_rt_del(s->hnet, &s->inst));
}

static bool new_conflict;	/* in this apply(); under vzr_lock */

/* The result of adding @want for @s, which had no route of ours. */
static void add_done(struct vzr_slot *s, const struct vzr_route *want,
		     int err)
{
	if (err == -EEXIST)
		new_conflict |= !s->conflict;
	s->conflict = err == -EEXIST;
	if (!err) {
		vzr_counters.added++;
		vzr_track_gen++;
		s->installed = true;
		s->inst = *want;
	}
	set_state(s->holder, vzr_state_after(err), err == -EEXIST ? 0 : err);
}

/* A batched change of apply() is done: an add if @s has a holder. */
static void batch_done(void *cookie, int err)
{
	struct vzr_slot *s = cookie;
	struct vzr_route want;

	if (!s->holder) {
		withdraw_done(s, err);
		return;
	}
	want_route(s, &want);
	add_done(s, &want, err);
}

/*
 * Make the kernel hold the route @s should have.
 *
 * Plain adds and deletes, nearly all changes, are batched. A route of
 * ours that must change is changed at once: the kernel keys a route by
 * prefix, table and metric, so under the same key ours is replaced in
 * place (a new holder, a new protocol), and under a new key (metric or
 * table changed) the new route is added before the old one goes. Either
 * way the address is never without a route.
 */
static void sync_slot(struct vzr_slot *s)
{
	struct vzr_entry *h = s->holder;
	struct vzr_route want = {}, old = s->inst;
	int err = 0;

	if (h)
		want_route(s, &want);
	switch (vzr_slot_action(h, s->installed, &s->inst, &want)) {
	case VZR_ACT_NONE:
		break;
	case VZR_ACT_DEL:
		vzr_rt_batch_del(s->hnet, &s->inst, s);
		break;
	case VZR_ACT_ADD:
		vzr_rt_batch_add(s->hnet, &want, s);
		return;
	case VZR_ACT_REPLACE:
		err = vzr_rt_replace(s->hnet, &want);
		if (err)
			break;
		s->inst = want;
		vzr_counters.added++;
		vzr_track_gen++;
		break;
	case VZR_ACT_ADD_DEL:
		err = vzr_rt_add(s->hnet, &want);
		if (err)
			break;
		vzr_counters.added++;
		vzr_track_gen++;
		if (!vzr_rt_del(s->hnet, &old))
			vzr_counters.removed++;
		else
			need_verify = true;	/* verify removes it */
		s->inst = want;
		break;
	}
	if (!h) {
		s->conflict = false;
		return;
	}
	if (err == -EEXIST) {
		new_conflict |= !s->conflict;
		s->conflict = true;
	} else {
		s->conflict = false;
	}
	/* A route that moved (metric, table, protocol) is news as well. */
	if (!err && h->state == VZROUTE_STATE_INSTALLED &&
	    !vzr_route_equal(&old, &s->inst))
		vzr_genl_event(h, VZROUTE_EVENT_INSTALLED);
	set_state(h, vzr_state_after(err), err == -EEXIST ? 0 : err);
}

/* Return: true on a new conflict. */
static bool apply(void)
{
	struct vzr_slot *s, *tmp;

	new_conflict = false;
	vzr_rt_batch_begin(batch_done);
	list_for_each_entry(s, &vzr_dirty_slots, dirty) {
		if (!s->holder && s->users)
			elect(s);
		sync_slot(s);
	}
	if (vzr_rt_batch_end())
		need_verify = true;	/* a failure went unreported */
	/* Not before: a queued change still refers to its slot. */
	list_for_each_entry_safe(s, tmp, &vzr_dirty_slots, dirty) {
		list_del_init(&s->dirty);
		vzr_slot_put(s);
	}
	return new_conflict;
}

/**
 * struct stale - a route of our protocol that nothing justifies
 * @list: in the verify pass's list
 * @net: its namespace
 * @r: the route
 */
struct stale {
	struct list_head list;
	struct net *net;
	struct vzr_route r;
};

static void verify_route(struct net *net, const struct vzr_route *r,
			 void *arg)
{
	struct list_head *stale_list = arg;
	struct vzr_route want;
	struct vzr_slot *s;
	struct stale *st;

	s = vzr_slot_get(net, &r->dst, false);
	/* Ours as we made it, even if the protocol has changed since. */
	if (s && s->installed && vzr_route_equal(&s->inst, r)) {
		s->verified = verify_gen;
		return;
	}
	if (r->proto != vzr_cfg.proto)
		return;
	if (s && s->holder && !s->installed) {
		want_route(s, &want);
		if (vzr_route_equal(&want, r)) {
			/* Left by keep_routes=1 or a crash: adopt it. */
			s->installed = true;
			s->inst = *r;
			s->verified = verify_gen;
			vzr_counters.adopted++;
			return;
		}
	}
	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st) {
		need_verify = true;
		return;
	}
	st->net = net;
	st->r = *r;
	list_add_tail(&st->list, stale_list);
}

static void verify_net(struct net *net)
{
	static const u8 families[] = { AF_INET, AF_INET6 };
	struct stale *st, *tmp;
	struct vzr_slot *s;
	LIST_HEAD(stale_list);
	unsigned int i;
	int bkt, err;

	for (i = 0; i < ARRAY_SIZE(families); i++) {
		err = vzr_rt_dump(net, families[i], verify_route, &stale_list);
		if (err) {
			pr_warn_ratelimited("reading routes failed: %d\n", err);
			need_verify = true;
			continue;
		}
		/* Believed installed but not in the table: it went away. */
		vzr_for_each_slot(s, bkt)
			if (net_eq(s->hnet, net) && s->installed &&
			    s->ip.family == families[i] &&
			    s->verified != verify_gen)
				s->installed = false;
	}
	list_for_each_entry_safe(st, tmp, &stale_list, list) {
		if (!vzr_rt_del(st->net, &st->r))
			vzr_counters.removed++;
		kfree(st);
	}
}

/*
 * Compare beliefs with the kernel's tables in every host namespace we use
 * and the initial one: adopt our routes, drop stale ones, and notice those
 * that vanished behind our back.
 */
static void verify(void)
{
	struct net *nets[16];
	unsigned int n = 0, i;
	struct vzr_slot *s;
	bool more = false;
	int bkt;

	need_verify = false;
	verify_gen++;
	vzr_counters.verifies++;
	nets[n++] = &init_net;
	vzr_for_each_slot(s, bkt) {
		for (i = 0; i < n && !net_eq(nets[i], s->hnet); i++)
			;
		if (i < n)
			continue;
		if (n == ARRAY_SIZE(nets)) {
			more = true;
			continue;
		}
		nets[n++] = s->hnet;
	}
	for (i = 0; i < n; i++)
		verify_net(nets[i]);
	if (more)
		need_verify = true;	/* the rest on the next run */
	/* Routes found, adopted or missing: every slot is worth a look. */
	vzr_for_each_slot(s, bkt)
		vzr_slot_mark(s);
}

/*
 * Addresses in states that change without an event, or that want another
 * try, are looked at again when their delay is up: their devices are
 * walked, their slots synced.
 */
static void look_again(void)
{
	struct vzr_entry *e;

	list_for_each_entry(e, &vzr_entries, order) {
		switch (e->state) {
		case VZROUTE_STATE_TENTATIVE:
		case VZROUTE_STATE_UNMAPPED:
			vzr_watch_mark(e->dev->cnet, e->dev->cifindex, NULL);
			break;
		case VZROUTE_STATE_CONFLICT:
		case VZROUTE_STATE_FAILED:
			if (e->slot)
				vzr_slot_mark(e->slot);
			else
				vzr_entry_mark(e);
			break;
		}
	}
}

/* When the next run is due by itself; 0 when only events should wake it. */
static unsigned long next_delay(bool nomem)
{
	static const u8 states[] = {
		VZROUTE_STATE_TENTATIVE, VZROUTE_STATE_UNMAPPED,
		VZROUTE_STATE_CONFLICT, VZROUTE_STATE_FAILED,
	};
	unsigned long delay = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(states); i++)
		if (vzr_state_count[states[i]])
			delay = vzr_sooner(delay, vzr_look_again(states[i]));
	if (nomem || need_verify)
		delay = vzr_sooner(delay, VZR_RETRY_DELAY);
	return delay;
}

static void vzr_run(struct work_struct *work)
{
	unsigned long delay;
	bool ok, all, verified = false;

	mutex_lock(&vzr_lock);
	if (stopping)
		goto out;
	run_gen++;
	vzr_counters.runs++;
	vzr_counters.backlog_max = max_t(u64, vzr_counters.backlog_max,
					 atomic_xchg(&kicks, 0));
	/* Before the walk, which it may ask to look at some devices. */
	if (look_at && time_after_eq(jiffies, look_at)) {
		look_at = 0;
		look_again();
	}
	ok = walk(&all);
	if (!ok)
		vzr_watch_mark_all();
	decide(all);
	if (need_verify) {
		verify();
		verified = true;
	}
	/* A new conflict may be a route of ours we lost track of. */
	if (apply() && !verified) {
		verify();
		apply();
	}
	/*
	 * Kicks come and go between now and then; the time set for the
	 * next look does not move later because of them.
	 */
	delay = next_delay(!ok);
	if (!delay) {
		look_at = 0;
	} else {
		if (!look_at || time_before(jiffies + delay, look_at))
			look_at = jiffies + delay;
		queue_delayed_work(vzr_wq, &vzr_dwork,
				   time_after(look_at, jiffies) ?
				   look_at - jiffies : 0);
	}
out:
	mutex_unlock(&vzr_lock);
}

int vzr_reconcile_init(void)
{
	vzr_wq = alloc_ordered_workqueue("vzroute", WQ_MEM_RECLAIM);
	if (!vzr_wq)
		return -ENOMEM;
	INIT_DELAYED_WORK(&vzr_dwork, vzr_run);
	need_verify = true;
	return 0;
}

/* No run starts after this returns; called before the notifiers go. */
void vzr_reconcile_stop(void)
{
	mutex_lock(&vzr_lock);
	WRITE_ONCE(stopping, true);
	mutex_unlock(&vzr_lock);
}

/* Called once nothing can kick any more. */
void vzr_reconcile_uninit(void)
{
	struct vzr_slot *s;
	int bkt;

	cancel_delayed_work_sync(&vzr_dwork);
	destroy_workqueue(vzr_wq);

	mutex_lock(&vzr_lock);
	if (vzr_cfg.keep_routes)
		pr_info("keep_routes=1: leaving the routes in place\n");
	else
		vzr_for_each_slot(s, bkt)
			if (s->installed)
				withdraw(s);
	mutex_unlock(&vzr_lock);
}
