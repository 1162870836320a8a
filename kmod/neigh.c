// SPDX-License-Identifier: GPL-2.0
/*
 * Proxy neighbour entries: with neigh_devs= set, a routed address inside a
 * connected prefix of an uplink gets a proxy entry there ("ip neigh add
 * proxy ADDR dev UPLINK"), so that the node answers ARP and NDP for it on
 * the LAN, and an announcement tells the LAN at once (announce.c).
 *
 * It follows the route: each run, after the routes are synced, every slot
 * the run looked at gets the entries its route justifies, on the uplinks
 * it justifies them on, and loses the others. The entries are added and
 * deleted through the host namespace's rtnetlink socket, as routes are,
 * from the run: under vzr_lock, without RTNL.
 *
 * An entry that is there and was not made by us is never touched (the
 * kernel keeps the protocol of proxy entries: ours carry vzroute's, as
 * its routes do); it shows as VZROUTE_NEIGH_FOREIGN. Before each add the
 * entry is looked up, since the kernel overwrites a proxy entry that an
 * add with NLM_F_EXCL meets.
 *
 * Uplinks change without a run noticing (an address on the uplink, the
 * uplink going down): the notifiers say so (vzr_neigh_dev_event()), and
 * the next run reads the uplinks of every host namespace again, and looks
 * at the slots of those whose uplinks changed.
 */

#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/vzroute.h>

#include "announce.h"
#include "backend.h"
#include "compat.h"
#include "decide.h"
#include "fault.h"
#include "neigh.h"
#include "netlink.h"
#include "netns.h"
#include "params.h"
#include "reconcile.h"
#include "rtneigh.h"
#include "rtsock.h"
#include "track.h"
#include "uplink.h"

/*
 * neigh_devs is set: the notifiers' filter. Written by the run under
 * vzr_lock, read by the notifiers in any context.
 */
static bool neigh_on;
/* An uplink may have changed: set by the notifiers, taken by the run. */
static atomic_t uplinks_changed = ATOMIC_INIT(0);
/*
 * Slots with an entry that is not simply ours (foreign, failed, IPv6
 * without proxy_ndp): looked at again every VZR_RETRY_DELAY, from
 * @retry_at. Both under vzr_lock.
 */
static unsigned int unsettled;
static unsigned long retry_at;
/* Bumped by each check of the uplinks; under vzr_lock. */
static u32 check_gen;
/* An audit asked for a sweep of stale entries; under vzr_lock. */
static bool sweep_due;
/* The slots' proxy entries, by slot (struct vzr_nslot); under vzr_lock. */
static DEFINE_HASHTABLE(nslots, 13);

/**
 * struct npass - what one run's look at proxy entries shares
 * @run: the run
 * @view: the uplinks of the namespace last read, or NULL
 * @on: neigh_devs is set
 */
struct npass {
	struct vzr_run *run;
	struct vzr_uplinks *view;
	bool on;
};

/**
 * vzr_neigh_dev_event() - a device of the node may have changed as an uplink
 * @dev: the device
 *
 * Any context (the IPv6 address notifier is atomic): a flag and a kick.
 * Only the node's namespaces count: a container's devices are never an
 * uplink, nor can a container make every run read the uplinks again.
 */
void vzr_neigh_dev_event(struct net_device *dev)
{
	if (!READ_ONCE(neigh_on) || !vzr_node_net(dev_net(dev)))
		return;
	atomic_set(&uplinks_changed, 1);
	vzr_kick();
}

/*
 * An IPv6 setting of a device of the node changed (proxy_ndp): the route
 * socket of a host namespace heard it. Any context, as above.
 */
void vzr_neigh_netconf(void)
{
	if (!READ_ONCE(neigh_on))
		return;
	atomic_set(&uplinks_changed, 1);
	vzr_kick();
}

static bool proxied(const struct vzr_nproxy *p)
{
	return p->state == VZROUTE_NEIGH_PROXIED ||
	       p->state == VZROUTE_NEIGH_NO_PROXY_NDP;
}

/*
 * Ours, or maybe (vzr_nproxy.maybe). Where the kernel keeps no protocol,
 * this memory is all that tells an entry a lost answer hid from another's;
 * forgotten, it would be left on the uplink for good.
 */
static bool maybe_ours(const struct vzr_nproxy *p)
{
	return proxied(p) || p->maybe;
}

static unsigned int count_unsettled(const struct vzr_nslot *ns)
{
	unsigned int i;

	for (i = 0; ns && i < ns->n; i++)
		if (ns->p[i].state != VZROUTE_NEIGH_PROXIED)
			return 1;
	return 0;
}

static struct vzr_nslot *nslot_of(const struct vzr_slot *s)
{
	struct vzr_nslot *ns;

	if (!s->neigh)
		return NULL;
	hash_for_each_possible(nslots, ns, hnode, hash_ptr(s, 32))
		if (ns->slot == s)
			return ns;
	WARN_ON_ONCE(1);
	return NULL;
}

/* @s's proxy entries, for a dump; under vzr_lock. */
const struct vzr_nslot *vzr_neigh_of(const struct vzr_slot *s)
{
	lockdep_assert_held(&vzr_lock);
	return nslot_of(s);
}

static struct vzr_nslot *nslot_new(struct vzr_slot *s)
{
	struct vzr_nslot *ns = vzr_alloc(kzalloc(sizeof(*ns), GFP_KERNEL));

	if (!ns)
		return NULL;
	ns->slot = s;
	hash_add(nslots, &ns->hnode, hash_ptr(s, 32));
	s->neigh = true;
	return ns;
}

static void nslot_drop(struct vzr_nslot *ns)
{
	unsettled -= count_unsettled(ns);
	ns->slot->neigh = false;
	hash_del(&ns->hnode);
	kfree(ns);
}

static struct vzr_nproxy *find(const struct vzr_nslot *ns, int ifindex)
{
	unsigned int i;

	for (i = 0; ns && i < ns->n; i++)
		if (ns->p[i].ifindex == ifindex)
			return (struct vzr_nproxy *)&ns->p[i];
	return NULL;
}

/* Read @net's uplinks into @v, and note whether they changed. */
static void read_view(struct vzr_uplinks *v, struct net *net)
{
	struct vzr_pernet *pn = vzr_pernet(net);
	u32 d;

	vzr_uplinks_read(v, net, vzr_cfg.neigh_devs);
	d = vzr_uplinks_digest(v);
	pn->neigh_moved = d != pn->neigh_digest;
	pn->neigh_digest = d;
	pn->neigh_seen = check_gen;
}

/* Mark the slots of every host namespace whose uplinks changed. */
static void check_uplinks(void)
{
	struct vzr_uplinks *v = vzr_alloc(kmalloc(sizeof(*v), GFP_KERNEL));
	struct vzr_pernet *pn;
	struct vzr_slot *s;
	int bkt;

	check_gen++;
	for (s = vzr_slot_first(&bkt); s; s = vzr_slot_next(s, &bkt)) {
		pn = vzr_pernet(s->hnet);
		if (v && pn->neigh_seen != check_gen)
			read_view(v, s->hnet);
		if (!v || pn->neigh_moved)
			vzr_slot_mark(s);
	}
	kfree(v);
}

/**
 * vzr_neigh_begin() - before a run's sync: what changed without it
 * @run: the run
 *
 * Uplinks that changed, and a look again at the slots whose entries are
 * not all simply ours once their delay is up. Marks slots, so that the
 * sync looks at their routes (nothing to do) and entries.
 */
void vzr_neigh_begin(struct vzr_run *run)
{
	struct vzr_nslot *ns;
	int bkt;

	lockdep_assert_held(&vzr_lock);
	WRITE_ONCE(neigh_on, vzr_cfg.neigh_devs[0] != '\0');
	if (atomic_xchg(&uplinks_changed, 0))
		check_uplinks();
	if (!unsettled || time_before(jiffies, retry_at))
		return;
	retry_at = jiffies + VZR_RETRY_DELAY;
	hash_for_each(nslots, bkt, ns, hnode)
		if (count_unsettled(ns))
			vzr_slot_mark(ns->slot);
}

/* When the next run is due for the unsettled entries; 0 for never. */
unsigned long vzr_neigh_delay(void)
{
	lockdep_assert_held(&vzr_lock);
	if (!unsettled)
		return 0;
	return time_after(retry_at, jiffies) ? retry_at - jiffies : 1;
}

/* Is the entry there ours? By its protocol, or by our memory of it. */
static bool ours(u8 proto, const struct vzr_nproxy *old)
{
	bool had = old && maybe_ours(old);

	if (!VZR_PNEIGH_PROTOCOL)
		return had;
	return proto == vzr_cfg.proto ||
	       (had && proto && vzr_rtsock_proto_watched(proto));
}

static void set_proxied(struct vzr_slot *s, const struct vzr_uplink *u,
			struct vzr_nproxy *out)
{
	out->state = s->inst.dst.family == AF_INET6 && !u->proxy_ndp ?
		     VZROUTE_NEIGH_NO_PROXY_NDP : VZROUTE_NEIGH_PROXIED;
}

static void announce(struct vzr_slot *s, const struct vzr_uplink *u)
{
	vzr_announce(s->hnet, u->ifindex, &s->inst.dst, s->holder->dev->cnet,
		     vzr_cfg.neigh_announce);
}

/* Make @s's address proxied on @u, unless another's entry is there. */
static void ensure(struct npass *np, struct vzr_slot *s,
		   const struct vzr_nslot *cur, const struct vzr_uplink *u,
		   struct vzr_nproxy *out)
{
	const struct vzr_nproxy *old = find(cur, u->ifindex);
	struct vzr_nkey k = { .ip = s->inst.dst, .ifindex = u->ifindex };
	char buf[VZR_IP_STRLEN];
	u8 proto = 0;
	int err;

	out->ifindex = u->ifindex;
	strscpy(out->name, u->name, sizeof(out->name));
	out->err = 0;
	err = vzr_rtneigh_get(s->hnet, &k, &proto);
	if (err && err != -ENOENT && old && maybe_ours(old)) {
		/*
		 * Not known now, but still ours: where the kernel keeps no
		 * protocol, our memory of the entry is all that says so.
		 */
		out->state = old->state;
		out->maybe = old->maybe;
		out->err = old->err;
		np->run->need_verify = true;
		return;
	}
	if (!err && !ours(proto, old)) {
		out->state = VZROUTE_NEIGH_FOREIGN;
		if (old && old->state == VZROUTE_NEIGH_FOREIGN)
			return;
		vzr_counters.neigh_conflicts++;
		pr_info_ratelimited("%s: a proxy entry vzroute did not make is on %s: left alone\n",
				    vzr_ip_str(&s->inst.dst, buf, sizeof(buf)),
				    u->name);
		return;
	}
	if (err == -ENOENT) {
		err = vzr_rtneigh_add(s->hnet, &k, VZR_PNEIGH_PROTOCOL ?
				      vzr_cfg.proto : 0, &out->maybe);
		if (!err) {
			vzr_counters.neigh_added++;
			announce(s, u);
		}
	} else if (!err && old && !proxied(old) && maybe_ours(old)) {
		/* Made by an add whose answer was lost: not announced yet. */
		announce(s, u);
	}
	if (err) {
		out->state = VZROUTE_NEIGH_FAILED;
		out->err = err;
		pr_warn_ratelimited("%s: proxy entry on %s failed: %d\n",
				    vzr_ip_str(&s->inst.dst, buf, sizeof(buf)),
				    u->name, err);
		return;
	}
	set_proxied(s, u, out);
}

/*
 * Delete our entry @p of @s, no longer justified. Return: false when it
 * may still be there (the delete failed): it is kept, and tried again.
 */
static bool withdraw(struct vzr_slot *s, const struct vzr_nproxy *p)
{
	struct vzr_nkey k = { .ip = s->inst.dst, .ifindex = p->ifindex };
	u8 proto = 0;
	int err;

	vzr_announce_cancel(s->hnet, p->ifindex, &s->inst.dst);
	if (!maybe_ours(p))
		return true;
	err = vzr_rtneigh_get(s->hnet, &k, &proto);
	if (err == -ENOENT || err == -ENODEV)
		return true;	/* gone with the uplink, or by hand */
	if (!err && !ours(proto, p))
		return true;	/* somebody else's now: theirs to keep */
	if (!err)
		err = vzr_rtneigh_del(s->hnet, &k);
	if (!err)
		vzr_counters.neigh_removed++;
	return !err || err == -ENOENT;
}

static bool same(const struct vzr_nslot *a, const struct vzr_nslot *b)
{
	unsigned int n = a ? a->n : 0;

	if (n != (b ? b->n : 0))
		return false;
	return !n || !memcmp(a->p, b->p, n * sizeof(a->p[0]));
}

/* @cur's entries are @next's now. Return: true when that is a change. */
static bool store(struct vzr_nslot *cur, const struct vzr_nslot *next)
{
	bool changed = !same(cur, next);
	unsigned int was = unsettled;

	unsettled += count_unsettled(next);
	if (!next->n) {
		nslot_drop(cur);
	} else {
		unsettled -= count_unsettled(cur);
		cur->n = next->n;
		memcpy(cur->p, next->p, sizeof(cur->p));
	}
	if (!was && unsettled)
		retry_at = jiffies + VZR_RETRY_DELAY;
	return changed;
}

static bool wanted(const struct vzr_slot *s)
{
	return s->holder && s->installed &&
	       s->holder->state == VZROUTE_STATE_INSTALLED;
}

/* The uplinks @s's address is to be proxied on. */
static unsigned int pick(struct npass *np, struct vzr_slot *s,
			 const struct vzr_uplink **out)
{
	if (!np->on || !wanted(s))
		return 0;
	/*
	 * Not read_view(): only check_uplinks() keeps a namespace's digest,
	 * or a change read here first would never mark the other slots.
	 */
	if (np->view->net != s->hnet)
		vzr_uplinks_read(np->view, s->hnet, vzr_cfg.neigh_devs);
	return vzr_uplinks_pick(np->view, &s->inst.dst, s->holder->dev->hifindex,
				out, VZR_NEIGH_UPLINKS_MAX);
}

static void neigh_slot(struct npass *np, struct vzr_slot *s)
{
	const struct vzr_uplink *up[VZR_NEIGH_UPLINKS_MAX];
	struct vzr_nslot *cur, *next;
	unsigned int n, i;

	if (np->on && wanted(s) && !np->view)
		return;	/* no memory to read the uplinks: as it is, for now */
	n = pick(np, s, up);
	cur = nslot_of(s);
	if (!n && !cur)
		return;
	/* Room first: an entry added must never be forgotten. */
	if (!cur)
		cur = nslot_new(s);
	next = vzr_alloc(kzalloc(sizeof(*next), GFP_KERNEL));
	if (!cur || !next) {
		kfree(next);
		np->run->need_verify = true;	/* again in a while */
		return;
	}
	for (i = 0; i < n; i++)
		ensure(np, s, cur, up[i], &next->p[next->n++]);
	for (i = 0; i < cur->n; i++) {
		const struct vzr_nproxy *p = &cur->p[i];

		if (find(next, p->ifindex) || withdraw(s, p))
			continue;
		np->run->need_verify = true;	/* kept, tried again */
		if (next->n < VZR_NEIGH_UPLINKS_MAX)
			next->p[next->n++] = *p;
	}
	if (store(cur, next)) {
		vzr_track_changed();
		if (s->holder)
			vzr_genl_event(s->holder, VZROUTE_EVENT_NEIGH);
	}
	kfree(next);
}

/**
 * vzr_neigh_sync() - give the slots synced the proxy entries they need
 * @run: the run
 * @slots: the slots its sync looked at (linked by their @dirty)
 *
 * After their routes: an entry is added once its route is there, and goes
 * with it.
 */
void vzr_neigh_sync(struct vzr_run *run, struct list_head *slots)
{
	struct npass np = { .run = run, .on = vzr_cfg.neigh_devs[0] != '\0' };
	struct vzr_slot *s;

	lockdep_assert_held(&vzr_lock);
	if (np.on) {
		np.view = vzr_alloc(kmalloc(sizeof(*np.view), GFP_KERNEL));
		if (!np.view)
			run->need_verify = true;
		else
			np.view->net = NULL;
	}
	list_for_each_entry(s, slots, dirty)
		neigh_slot(&np, s);
	kfree(np.view);
	if (sweep_due) {
		sweep_due = false;
		if (!vzr_neigh_sweep(false))
			run->need_verify = true;	/* sweeps again */
	}
}

/* The next sync also deletes entries of ours that no slot accounts for. */
void vzr_neigh_audit(void)
{
	lockdep_assert_held(&vzr_lock);
	sweep_due = true;
}

/**
 * vzr_neigh_has_ours() - does @s account for our entry on @ifindex?
 * @s: the slot
 * @ifindex: the uplink
 *
 * Return: true when its entry there is ours, or may be (a delete that
 * failed, an add whose answer was lost).
 */
bool vzr_neigh_has_ours(const struct vzr_slot *s, int ifindex)
{
	const struct vzr_nproxy *p = find(nslot_of(s), ifindex);

	return p && maybe_ours(p);
}

/* At unload: delete every slot's entries, forget them. */
void vzr_neigh_withdraw_slots(void)
{
	struct hlist_node *tmp;
	struct vzr_nslot *ns;
	unsigned int i;
	int bkt;

	lockdep_assert_held(&vzr_lock);
	hash_for_each_safe(nslots, bkt, tmp, ns, hnode) {
		for (i = 0; i < ns->n; i++)
			withdraw(ns->slot, &ns->p[i]);
		nslot_drop(ns);
	}
}

/* @s is freed (its namespace died, or at unload): its entries died too. */
void vzr_neigh_slot_free(struct vzr_slot *s)
{
	struct vzr_nslot *ns;

	lockdep_assert_held(&vzr_lock);
	ns = nslot_of(s);
	if (ns)
		nslot_drop(ns);
}
