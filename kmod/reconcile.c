// SPDX-License-Identifier: GPL-2.0
/*
 * The reconciler: one work item that makes the host routing tables match
 * the container addresses that exist.
 *
 * Notifiers only kick it. Each run walks every namespace's container
 * devices under RTNL, updates the tracked entries, drops RTNL, decides
 * (allow list, cap, first-come holder of each address) and then adds and
 * deletes routes through rtnetlink. Because each run looks at the whole
 * state rather than at the event that woke it, events may be coalesced or
 * arrive out of order without harm; a kick during a run causes another.
 */

#include <linux/inetdevice.h>
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

#define RETRY_DELAY	(2 * HZ)	/* conflicts and failures */
#define DAD_POLL	(HZ / 10)	/* DAD completion has no notifier */
#define MAP_POLL	(HZ / 10)	/* nor has a change of the venet IP map */

struct vzr_counters vzr_counters;	/* under vzr_lock */
unsigned int vzr_net_id;

static struct workqueue_struct *vzr_wq;
static struct delayed_work vzr_dwork;
static bool stopping;		/* under vzr_lock; read locklessly by kick */
static bool need_verify;	/* under vzr_lock */
static u32 run_gen;		/* under vzr_lock */
static u32 verify_gen;		/* under vzr_lock */
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

/* The event naming a new state; 0 for those with no event of their own. */
static u8 event_of(u8 state, bool took_over)
{
	switch (state) {
	case VZROUTE_STATE_INSTALLED:
		return took_over ? VZROUTE_EVENT_TAKEOVER : VZROUTE_EVENT_INSTALLED;
	case VZROUTE_STATE_DENIED:
		return VZROUTE_EVENT_DENIED;
	case VZROUTE_STATE_OVER_CAP:
		return VZROUTE_EVENT_OVER_CAP;
	case VZROUTE_STATE_CONFLICT:
		return VZROUTE_EVENT_CONFLICT;
	case VZROUTE_STATE_STANDBY:
		return VZROUTE_EVENT_STANDBY;
	case VZROUTE_STATE_FAILED:
		return VZROUTE_EVENT_FAILED;
	}
	return 0;
}

static void set_state(struct vzr_entry *e, u8 state, int err)
{
	char buf[VZR_IP_STRLEN];
	u8 old = e->state, ev;

	if (old == state && e->err == err)
		return;
	e->state = state;
	e->err = err;
	e->since = ktime_get_real_seconds();
	vzr_track_gen++;
	ev = event_of(state, e->took_over);
	e->took_over = false;
	if (old == VZROUTE_STATE_INSTALLED)
		vzr_genl_event(e, VZROUTE_EVENT_WITHDRAWN);
	if (ev)
		vzr_genl_event(e, ev);
	else if (old != VZROUTE_STATE_INSTALLED)
		vzr_genl_event(e, VZROUTE_EVENT_STATE);

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
			 e->cname, state_names[state]);
		return;
	}
	/* Refusals are the admin's business; a container can cause many. */
	pr_info_ratelimited("%s on %s (host side %s): %s (%d)\n",
			    vzr_ip_str(&e->ip, buf, sizeof(buf)), e->cname,
			    e->hname, state_names[state], err);
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
 * @active: both ends are up
 * @nomem: an entry could not be allocated; retry later
 */
struct walk {
	struct net_device *dev;
	struct net_device *hdev;
	const struct vzr_backend *be;
	bool active;
	bool nomem;
};

static void observe(struct walk *w, const struct vzr_ip *ip, u32 ifa_flags)
{
	struct vzr_entry *e;
	u8 obs;

	if (!vzr_ip_qualifies(ip))
		return;
	e = vzr_entry_get(dev_net(w->dev), w->dev->ifindex, ip, true);
	if (!e) {
		w->nomem = true;
		return;
	}
	e->seen = run_gen;
	e->hnet = dev_net(w->hdev);
	e->hifindex = w->hdev->ifindex;
	strscpy(e->cname, w->dev->name, sizeof(e->cname));
	strscpy(e->hname, w->hdev->name, sizeof(e->hname));

	if (!w->active)
		obs = VZROUTE_STATE_DOWN;
	else if (ifa_flags & IFA_F_DADFAILED)
		obs = VZROUTE_STATE_DAD_FAILED;
	else if (ifa_flags & IFA_F_TENTATIVE)
		obs = VZROUTE_STATE_TENTATIVE;
	else if (w->be->admit && !w->be->admit(w->dev, ip))
		obs = VZROUTE_STATE_UNMAPPED;
	else if (host_local(e->hnet, ip))
		obs = VZROUTE_STATE_HOST_LOCAL;
	else
		obs = VZROUTE_STATE_PENDING;
	e->obs = obs;
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
			if (f->net == s->hnet && f->ifindex == s->inst.ifindex)
				s->installed = false;
	}
	list_for_each_entry_safe(f, tmp, &flushed, list)
		kfree(f);
}

static bool walk_all(void)
{
	struct walk w = {};
	struct net *net;

	rtnl_lock();
	vzr_netns_list_lock();
	forget_flushed();
	for_each_net(net) {
		for_each_netdev(net, w.dev) {
			w.hdev = vzr_host_side(w.dev, &w.be);
			if (!w.hdev ||
			    !vzr_ifnames_match(vzr_cfg.host_ifnames, w.hdev->name))
				continue;
			w.active = (w.dev->flags & IFF_UP) &&
				   (w.hdev->flags & IFF_UP);
			walk_inet(&w);
			walk_inet6(&w);
		}
	}
	vzr_netns_list_unlock();
	rtnl_unlock();
	return !w.nomem;
}

static void sweep(void)
{
	struct vzr_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &vzr_entries, order) {
		if (e->seen == run_gen)
			continue;
		if (e->state == VZROUTE_STATE_INSTALLED)
			vzr_genl_event(e, VZROUTE_EVENT_WITHDRAWN);
		vzr_entry_free(e);
	}
}

static bool cap_reached(struct vzr_entry *e)
{
	struct vzr_pernet *pn = net_generic(e->cnet, vzr_net_id);

	if (!vzr_cfg.max_per_netns)
		return false;
	if (pn->cap_gen != run_gen) {
		pn->cap_gen = run_gen;
		pn->cap_used = 0;
	}
	return ++pn->cap_used > vzr_cfg.max_per_netns;
}

/*
 * Which entries may have a route, and which one holds each address. Older
 * entries come first, so an address keeps its holder and a container keeps
 * its routes when another one adds more.
 */
static void decide(void)
{
	struct vzr_entry *e;
	struct vzr_slot *s;
	u8 st;

	list_for_each_entry(e, &vzr_entries, order) {
		st = e->obs;
		if (st == VZROUTE_STATE_PENDING) {
			if (!vzr_allowed(vzr_cfg.allow, vzr_cfg.n_allow, &e->ip))
				st = VZROUTE_STATE_DENIED;
			else if (cap_reached(e))
				st = VZROUTE_STATE_OVER_CAP;
		}
		s = NULL;
		if (st == VZROUTE_STATE_PENDING) {
			s = vzr_slot_get(e->hnet, &e->ip, true);
			if (!s)
				st = VZROUTE_STATE_FAILED;
		}
		vzr_entry_set_slot(e, s);
		if (st != VZROUTE_STATE_PENDING)
			set_state(e, st, st == VZROUTE_STATE_FAILED ? -ENOMEM : 0);
	}

	list_for_each_entry(e, &vzr_entries, order) {
		s = e->slot;
		if (!s)
			continue;
		if (!s->holder) {
			s->holder = e;
			if (s->installed) {
				char buf[VZR_IP_STRLEN];

				e->took_over = true;
				vzr_counters.takeovers++;
				pr_info("%s: %s takes over\n",
					vzr_ip_str(&e->ip, buf, sizeof(buf)),
					e->cname);
			}
		}
		if (s->holder != e)
			set_state(e, VZROUTE_STATE_STANDBY, 0);
	}
}

static void want_route(const struct vzr_slot *s, struct vzr_route *r)
{
	r->dst = s->ip;
	r->ifindex = s->holder->hifindex;
	r->proto = vzr_cfg.proto;
	r->metric = vzr_effective_metric(s->ip.family, vzr_cfg.metric);
	r->table = vzr_cfg.table;
}

static int withdraw(struct vzr_slot *s)
{
	int err = vzr_rt_del(s->hnet, &s->inst);

	if (err && err != -ESRCH) {
		pr_warn_ratelimited("deleting route failed: %d\n", err);
		return err;
	}
	if (!err)
		vzr_counters.removed++;
	s->installed = false;
	vzr_track_gen++;
	return 0;
}

static bool same_key(const struct vzr_route *x, const struct vzr_route *y)
{
	return x->table == y->table && x->metric == y->metric;
}

/*
 * Make the kernel hold the route @s should have.
 *
 * The kernel keys a route by prefix, table and metric. Under the same key
 * our route is replaced in place (a new holder, a new protocol); under a
 * new key (metric or table changed) the new route is added before the old
 * one goes. Either way the address is never without a route.
 *
 * Return: true on a new conflict.
 */
static bool sync_slot(struct vzr_slot *s)
{
	struct vzr_entry *h = s->holder;
	struct vzr_route want, old = s->inst;
	bool new_conflict = false;
	int err;

	if (!h) {
		if (s->installed)
			withdraw(s);
		s->conflict = false;
		return false;
	}
	want_route(s, &want);
	if (s->installed && vzr_route_equal(&s->inst, &want)) {
		err = 0;
	} else if (s->installed && same_key(&s->inst, &want)) {
		err = vzr_rt_replace(s->hnet, &want);
		if (!err) {
			s->inst = want;
			vzr_counters.added++;
			vzr_track_gen++;
		}
	} else {
		err = vzr_rt_add(s->hnet, &want);
		if (err == -EEXIST) {
			new_conflict = !s->conflict;
			s->conflict = true;
		} else if (!err) {
			vzr_counters.added++;
			vzr_track_gen++;
			if (s->installed && !vzr_rt_del(s->hnet, &old))
				vzr_counters.removed++;
			else if (s->installed)
				need_verify = true;	/* verify removes it */
			s->installed = true;
			s->inst = want;
		}
	}
	if (err != -EEXIST)
		s->conflict = false;
	/* A route that moved (metric, table, protocol) is news as well. */
	if (!err && h->state == VZROUTE_STATE_INSTALLED &&
	    !vzr_route_equal(&old, &s->inst))
		vzr_genl_event(h, VZROUTE_EVENT_INSTALLED);
	set_state(h, err == -EEXIST ? VZROUTE_STATE_CONFLICT :
		  err ? VZROUTE_STATE_FAILED : VZROUTE_STATE_INSTALLED,
		  err == -EEXIST ? 0 : err);
	return new_conflict;
}

static bool apply(void)
{
	struct hlist_node *tmp;
	struct vzr_slot *s;
	bool new_conflict = false;
	int bkt;

	hash_for_each_safe(vzr_slots, bkt, tmp, s, hnode) {
		new_conflict |= sync_slot(s);
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
}

/* The nearer of two delays, 0 meaning none. */
static unsigned long sooner(unsigned long a, unsigned long b)
{
	return !a ? b : !b ? a : min(a, b);
}

static unsigned long retry_delay(bool nomem)
{
	unsigned long delay = nomem ? RETRY_DELAY : 0;
	struct vzr_entry *e;

	list_for_each_entry(e, &vzr_entries, order) {
		if (e->state == VZROUTE_STATE_TENTATIVE)
			return DAD_POLL;
		if (e->state == VZROUTE_STATE_UNMAPPED)
			delay = sooner(delay, MAP_POLL);
		if (e->state == VZROUTE_STATE_CONFLICT ||
		    e->state == VZROUTE_STATE_FAILED)
			delay = sooner(delay, RETRY_DELAY);
	}
	if (need_verify)
		delay = sooner(delay, RETRY_DELAY);
	return delay;
}

static void vzr_run(struct work_struct *work)
{
	unsigned long delay;
	bool ok, verified = false;

	mutex_lock(&vzr_lock);
	if (stopping)
		goto out;
	run_gen++;
	vzr_counters.runs++;
	vzr_counters.backlog_max = max_t(u64, vzr_counters.backlog_max,
					 atomic_xchg(&kicks, 0));
	ok = walk_all();
	if (ok)
		sweep();
	decide();
	if (need_verify) {
		verify();
		verified = true;
	}
	/* A new conflict may be a route of ours we lost track of. */
	if (apply() && !verified) {
		verify();
		apply();
	}
	delay = retry_delay(!ok);
	if (delay)
		queue_delayed_work(vzr_wq, &vzr_dwork, delay);
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
