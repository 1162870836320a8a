// SPDX-License-Identifier: GPL-2.0
/*
 * The sync: make the kernel hold the route each marked slot should have,
 * through the host namespace's rtnetlink socket; and the audit, which
 * compares what we believe is installed with the kernel's own tables.
 * Both run from the reconciler's work item, under vzr_lock and without
 * RTNL, which rtnetlink takes itself.
 */

#include <linux/slab.h>
#include <linux/vzroute.h>

#include "batch.h"
#include "budget.h"
#include "decide.h"
#include "fault.h"
#include "neigh.h"
#include "netlink.h"
#include "netns.h"
#include "note.h"
#include "params.h"
#include "reconcile.h"
#include "rtsock.h"
#include "sync.h"
#include "track.h"

/* Our route for @dst through @cd's host side, under the settings' key. */
static void route_to(const struct vzr_ip *dst, const struct vzr_ctdev *cd,
		     struct vzr_route *r)
{
	r->dst = *dst;
	r->ifindex = cd->hifindex;
	r->proto = vzr_cfg.proto;
	r->metric = vzr_effective_metric(dst->family, vzr_cfg.metric);
	r->table = vzr_cfg.table;
}

static void want_route(const struct vzr_slot *s, struct vzr_route *r)
{
	route_to(&s->inst.dst, s->holder->dev, r);
}

/* Our route @r is in the table for @s, put there or found by @run. */
static void set_installed(const struct vzr_run *run, struct vzr_slot *s,
			  const struct vzr_route *r)
{
	s->installed = true;
	s->flushed = false;
	s->inst = *r;
	s->gen = run->gen;
}

/*
 * A delete of ours that the kernel refused (gone already is no refusal):
 * counted at each try, and the audit looks again, since nothing else
 * brings the route back to mind. @run is NULL at unload.
 */
static bool delete_refused(struct vzr_run *run, int err)
{
	if (!err || err == -ESRCH)
		return false;
	vzr_counters.failed++;
	pr_warn_ratelimited("deleting route failed: %d\n", err);
	if (run)
		run->need_verify = true;
	return true;
}

/* The result of deleting @s's route; @run is NULL at unload. */
static void withdraw_done(struct vzr_run *run, struct vzr_slot *s, int err)
{
	if (delete_refused(run, err))
		return;
	if (!err)
		vzr_counters.removed++;
	s->installed = false;
	s->flushed = false;
	vzr_track_changed();
}

/* The holder of @s tried for a route and got @err. */
static void held_result(struct vzr_run *run, struct vzr_slot *s, int err)
{
	if (err == -EEXIST && !s->conflict)
		run->new_conflict = true;
	s->conflict = err == -EEXIST;
	vzr_entry_set_state(s->holder, vzr_state_after(err),
			    err == -EEXIST ? 0 : err);
}

/* A batched change is done: an add if @s has a holder, else a delete. */
static void batch_done(void *ctx, void *cookie, int err)
{
	struct vzr_run *run = ctx;
	struct vzr_slot *s = cookie;
	struct vzr_route want;

	if (!s->holder) {
		withdraw_done(run, s, err);
		return;
	}
	if (err == -EEXIST && s->flushed) {
		/* Maybe ours, put back after the flush: the audit tells. */
		run->unsure = true;
		run->need_verify = true;
		return;
	}
	if (!err) {
		want_route(s, &want);
		vzr_counters.added++;
		vzr_track_changed();
		set_installed(run, s, &want);
	}
	held_result(run, s, err);
}

/*
 * A change of ours failed with @err and left the old route in place: it
 * stays while it still leads where the address is (the same device: a
 * new protocol, say, or venet's one device for every container), to try
 * again. It goes when it leads to the device of a container that no
 * longer holds the address, or when another's route holds the new key:
 * the settings no longer justify it, and left there it would keep the
 * address routed under a key we believe is not ours to hold any more.
 */
static void keep_or_withdraw(struct vzr_run *run, struct vzr_slot *s,
			     const struct vzr_route *want, int err)
{
	if (s->installed &&
	    (err == -EEXIST || s->inst.ifindex != want->ifindex))
		withdraw_done(run, s, vzr_rtsock_del(s->hnet, &s->inst));
}

/*
 * Our route under the same key, swapped in place. NLM_F_REPLACE takes
 * whatever route holds the key: only called once we know it is ours.
 */
static int replace(struct vzr_run *run, struct vzr_slot *s,
		   const struct vzr_route *want)
{
	int err = vzr_rtsock_replace(s->hnet, want);

	if (err) {
		keep_or_withdraw(run, s, want, err);
		return err;
	}
	/* Ours holds the key now, whatever was heard meanwhile. */
	set_installed(run, s, want);
	vzr_counters.added++;
	vzr_track_changed();
	return 0;
}

/*
 * Our route under a new key: the new one first, then the old one goes.
 * When the new one cannot be added, keep_or_withdraw() decides.
 */
static int add_del(struct vzr_run *run, struct vzr_slot *s,
		   const struct vzr_route *want)
{
	int err = vzr_rtsock_add(s->hnet, want);

	if (err) {
		keep_or_withdraw(run, s, want, err);
		return err;
	}
	vzr_counters.added++;
	vzr_track_changed();
	err = vzr_rtsock_del(s->hnet, &s->inst);
	if (!err)
		vzr_counters.removed++;
	else
		delete_refused(run, err);	/* the audit removes it */
	set_installed(run, s, want);
	return 0;
}

/*
 * A route that would lead to @h's device where none of ours did (a new
 * address, a link back up, a takeover) is paid for by @h's container
 * (budget.c). One that leads where ours does, or did until somebody or
 * the kernel dropped it while @h held on (a new metric, table or
 * protocol; a route deleted by hand), is not: the container did neither.
 * Nor is a retry of an add the kernel refused (in conflict, failed): the
 * first try paid, and the tries are VZR_RETRY_DELAY apart. Nor is a
 * takeover between venet containers: the route stays on venet0, and the
 * node's IP map moved the address. When the budget has no token, the slot
 * waits for a later run (@s->deferred), its holder shown pending and the
 * wait counted once in routes_deferred however many runs it lasts, and a
 * route of ours to another device goes now: it leads to a container that
 * no longer holds the address.
 */
static bool afford(struct vzr_run *run, struct vzr_slot *s,
		   struct vzr_entry *h, const struct vzr_route *want,
		   bool waited)
{
	bool took_over = h->took_over;

	if ((vzr_slot_may_be_routed(s) || s->lost) &&
	    s->inst.ifindex == want->ifindex)
		return true;
	if (h->state == VZROUTE_STATE_CONFLICT ||
	    h->state == VZROUTE_STATE_FAILED)
		return true;
	if (vzr_budget_take(h->dev->cnet, &run->budget_wait))
		return true;
	if (!waited)
		vzr_counters.deferred++;
	if (vzr_slot_may_be_routed(s))
		withdraw_done(run, s, vzr_rtsock_del(s->hnet, &s->inst));
	/* Marked again by its own bit; a takeover is told once installed. */
	s->heard = false;
	s->lost = false;
	s->deferred = true;
	vzr_entry_set_state(h, VZROUTE_STATE_PENDING, 0);
	h->took_over = took_over;
	return false;
}

/*
 * Make the kernel hold the route @s should have.
 *
 * Plain adds and deletes, nearly all changes, are batched. A route of
 * ours that must change is changed at once: the kernel keys a route by
 * prefix, table and metric, so under the same key ours is replaced in
 * place (a new holder, a new protocol), and under a new key (metric or
 * table changed) the new route is added before the old one goes. Either
 * way the address is never without a route, unless another's route
 * holds the new key (see add_del()).
 *
 * A replace overwrites whatever holds the key, so it is never sent on
 * belief alone: first what the socket heard is read (a deletion of ours
 * turns the replace into an exclusive add), and if a notification may
 * have been lost since the namespace's last audit, the slot waits for an
 * audit, in this run (vzr_sync()). Only a change racing with the replace
 * itself can slip between the two.
 */
static void sync_slot(struct vzr_run *run, struct vzr_slot *s)
{
	struct vzr_entry *h = s->holder;
	struct vzr_route want = {}, old = s->inst;
	bool waited = s->deferred;
	enum vzr_action act;
	int err = 0;

	s->ahead = false;
	if (h)
		want_route(s, &want);
	/* A flushed slot's old route may still be there (struct vzr_slot). */
	if (s->flushed)
		act = vzr_flushed_action(h, &s->inst, &want);
	else
		act = vzr_slot_action(h, s->installed, &s->inst, &want);
	if (act == VZR_ACT_REPLACE) {
		if (!vzr_rtsock_listen_net(s->hnet)) {
			run->unsure = true;
			run->need_verify = true;
			return;
		}
		act = vzr_slot_action(h, s->installed, &s->inst, &want);
	}
	s->deferred = false;
	if ((act == VZR_ACT_ADD || act == VZR_ACT_REPLACE ||
	     act == VZR_ACT_ADD_DEL) && !afford(run, s, h, &want, waited))
		return;
	s->heard = false;
	/*
	 * A takeover of a route lost, even just heard, was decided before;
	 * one whose election waits (reconcile.c: elect()) is still to come.
	 * Meanwhile its route goes, as one whose add waits for a budget
	 * does: it leads to a container that let the address go.
	 */
	s->lost = vzr_slot_unelected(s) &&
		  (s->lost || vzr_slot_may_be_routed(s));
	switch (act) {
	case VZR_ACT_NONE:
		break;
	case VZR_ACT_DEL:
		vzr_batch_del(s->hnet, &s->inst, s);
		break;
	case VZR_ACT_ADD:
		vzr_batch_add(s->hnet, &want, s);
		return;
	case VZR_ACT_REPLACE:
		err = replace(run, s, &want);
		break;
	case VZR_ACT_ADD_DEL:
		err = add_del(run, s, &want);
		break;
	}
	if (!h) {
		s->conflict = false;
		return;
	}
	/* A route that moved (metric, table, protocol) is news as well. */
	if (!err && h->state == VZROUTE_STATE_INSTALLED &&
	    !vzr_route_equal(&old, &s->inst))
		vzr_genl_event(h, VZROUTE_EVENT_INSTALLED);
	held_result(run, s, err);
}

/*
 * Sync every marked slot. A slot the listener finds gone after its sync
 * (while later slots are synced) is marked again for the next run, which
 * the listener kicked.
 *
 * Return: true when the kernel's tables should be read before going on:
 * a new conflict, or a replace that waits for an audit.
 */
static bool sync_marked(struct vzr_run *run)
{
	struct vzr_slot *s, *tmp;
	LIST_HEAD(todo);

	run->new_conflict = false;
	run->unsure = false;
	list_splice_init(&vzr_dirty_slots, &todo);
	vzr_batch_begin(batch_done, run);
	list_for_each_entry(s, &todo, dirty)
		sync_slot(run, s);
	if (!vzr_batch_end())
		run->need_verify = true;	/* a failure went unreported */
	/* Once the routes are there, or gone: their proxy entries. */
	vzr_neigh_sync(run, &todo);
	/* Not before: a queued change still refers to its slot. */
	list_for_each_entry_safe(s, tmp, &todo, dirty) {
		list_del_init(&s->dirty);
		if (s->heard || s->deferred || vzr_slot_unelected(s))
			vzr_slot_mark(s);
		else
			vzr_slot_release_unused(s);
	}
	return run->new_conflict || run->unsure;
}

/**
 * vzr_sync_heard() - a route changed behind our back
 * @net: its namespace
 * @r: the route deleted, or (@replaced) the one that took its key
 * @replaced: @r replaced the route under its key, whichever it was
 *
 * Called by rtsock.c, under vzr_lock, whenever it reads a notification,
 * at a moment when the results of all our earlier requests are applied.
 * If the route was ours as installed, it is not any more: the slot is
 * synced again, which adds it back (exclusively) while it is justified.
 */
void vzr_sync_heard(struct net *net, const struct vzr_route *r, bool replaced)
{
	struct vzr_slot *s = vzr_slot_lookup(net, &r->dst);

	if (!s || !s->installed)
		return;
	if (replaced) {
		/* Ours is gone if another took its key; not if ours did. */
		if (s->inst.table != r->table || s->inst.metric != r->metric ||
		    vzr_route_equal(&s->inst, r))
			return;
	} else if (!vzr_route_equal(&s->inst, r)) {
		return;
	}
	s->installed = false;
	s->lost = true;
	s->heard = true;
	vzr_slot_mark(s);
	vzr_track_changed();
	vzr_kick();
}

/**
 * vzr_sync_may_ahead() - may this run add a new address's route ahead?
 * @run: the run, before its scan
 *
 * Only in a run that has nothing else to decide (no entry or slot due, no
 * grants to start over, no new config, no audit, no look under RTNL to
 * come for a poll, a recheck or a flush): what vzr_sync_ahead() checks is
 * then all that the run's decision would weigh, and it decides the same.
 */
bool vzr_sync_may_ahead(const struct vzr_run *run)
{
	return !run->redecide && !run->need_verify && !run->poll_waiting &&
	       !run->readmit && !vzr_recount && list_empty(&vzr_dirty_slots) &&
	       !vzr_entry_any_dirty() && !vzr_note_flushes_pending();
}

/**
 * vzr_sync_ahead() - add a new address's route before it is tracked
 * @run: the run, in its scan of the notes it took without RTNL
 * @cd: the container device, which has @ip, up at both ends
 * @ip: an address with no entry yet, that the host does not have
 *
 * On a quiet node an add is a run of its own, and most of that run comes
 * before its route's add: the entry made and settled, its decision, its
 * slot, the sync's frame. When the decision cannot go another way (the
 * allow list binds the address here, the container's cap has room, no
 * other container uses the address, its budget has a token), the route
 * is added first, and then tracked: its slot is made right after the add,
 * under the same hold of vzr_lock, so that no route of ours is ever
 * unaccounted for. The run then makes the entry and decides as usual; it
 * finds the route installed, and its sync has nothing to send. Should it
 * decide otherwise after all (no memory for the entry), the sync deletes
 * the route as it would any route of ours that nothing holds. An add the
 * kernel refuses gives its token back and leaves nothing else: the run
 * tries again in its sync, and reports the result (an audit first, unless
 * a route held the key: the answer may have been lost).
 */
void vzr_sync_ahead(struct vzr_run *run, struct vzr_ctdev *cd,
		    const struct vzr_ip *ip)
{
	struct vzr_route want;
	struct vzr_slot *s;
	int err;

	lockdep_assert_held(&vzr_lock);
	if (vzr_allow_match(vzr_cfg.allow, vzr_cfg.n_allow, ip,
			    cd->hname) != VZR_ALLOW_HERE ||
	    !vzr_grant_room(vzr_pernet(cd->cnet)) ||
	    vzr_slot_lookup(cd->hnet, ip) ||
	    !vzr_budget_take(cd->cnet, &run->budget_wait))
		return;
	route_to(ip, cd, &want);
	vzr_rtsock_watch_proto(want.proto);
	vzr_fault_pause(VZR_PAUSE_AHEAD);
	err = vzr_rtsock_add(cd->hnet, &want);
	if (err) {
		vzr_budget_refund(cd->cnet);
		/* Not the kernel's answer, maybe: the route may be there. */
		if (err != -EEXIST)
			run->need_verify = true;
		return;
	}
	vzr_counters.added++;
	vzr_counters.ahead++;
	vzr_track_changed();
	s = vzr_slot_create(cd->hnet, ip);
	if (!s) {
		vzr_budget_refund(cd->cnet);
		err = vzr_rtsock_del(cd->hnet, &want);
		if (!delete_refused(run, err) && !err)
			vzr_counters.removed++;
		return;
	}
	set_installed(run, s, &want);
	s->ahead = true;
	vzr_slot_mark(s);
}

/**
 * vzr_sync() - make the kernel's tables match the marked slots
 * @run: the run
 *
 * A new conflict may be a route of ours we lost track of: unless this run
 * has compared with the kernel's tables already, it does so, and syncs
 * again with what it found.
 */
void vzr_sync(struct vzr_run *run)
{
	bool audited = false;

	run->budget_wait = 0;
	/* Deletions of routes of this protocol are worth hearing from now. */
	vzr_rtsock_watch_proto(vzr_cfg.proto);
	vzr_neigh_begin(run);
	if (!vzr_rtsock_listen())
		run->need_verify = true;	/* the queue overflowed */
	if (run->need_verify) {
		vzr_audit(run);
		audited = true;
	}
	if (sync_marked(run) && !audited) {
		vzr_audit(run);
		sync_marked(run);
	}
}

/**
 * struct stale - a route of our protocol that nothing justifies
 * @list: in the audit's list
 * @net: its namespace
 * @r: the route
 */
struct stale {
	struct list_head list;
	struct net *net;
	struct vzr_route r;
};

/**
 * struct audit - one namespace's comparison with the kernel's table
 * @run: the run, for its audit generation and retries
 * @stale: the stale routes found, to delete once the dump is done
 */
struct audit {
	struct vzr_run *run;
	struct list_head stale;
};

/*
 * A route of ours by its protocol: the present one, or one we used since
 * load at an address we track (@s: its slot), where a delete of the old
 * key failed.
 */
static bool our_proto(const struct vzr_route *r, const struct vzr_slot *s)
{
	return r->proto == vzr_cfg.proto ||
	       (s && vzr_rtsock_proto_watched(r->proto));
}

/* Keep @r to delete once the dump is done. Return: false without memory. */
static bool keep_stale(struct list_head *stale, struct net *net,
		       const struct vzr_route *r)
{
	struct stale *st = vzr_alloc(kmalloc(sizeof(*st), GFP_KERNEL));

	if (!st)
		return false;
	st->net = net;
	st->r = *r;
	list_add_tail(&st->list, stale);
	return true;
}

/* @run is NULL at unload. */
static void delete_stale(struct vzr_run *run, struct list_head *stale)
{
	struct stale *st, *tmp;
	int err;

	list_for_each_entry_safe(st, tmp, stale, list) {
		err = vzr_rtsock_del(st->net, &st->r);
		if (!err)
			vzr_counters.removed++;
		else
			delete_refused(run, err);
		kfree(st);
	}
}

static void audit_route(struct net *net, const struct vzr_route *r, void *arg)
{
	struct audit *a = arg;
	struct vzr_route want;
	struct vzr_slot *s;

	s = vzr_slot_lookup(net, &r->dst);
	/* Ours as we made it, even if the protocol has changed since. */
	if (s && s->installed && vzr_route_equal(&s->inst, r)) {
		s->verified = a->run->verify_gen;
		return;
	}
	if (!our_proto(r, s))
		return;
	if (s && s->holder && !s->installed) {
		want_route(s, &want);
		if (vzr_route_equal(&want, r)) {
			/* Left by keep_routes=1 or a crash: adopt it. */
			set_installed(a->run, s, r);
			s->verified = a->run->verify_gen;
			vzr_counters.adopted++;
			return;
		}
	}
	if (!keep_stale(&a->stale, net, r))
		a->run->need_verify = true;
}

static void audit_net(struct net *net, void *arg)
{
	static const u8 families[] = { AF_INET, AF_INET6 };
	struct vzr_run *run = arg;
	struct audit a = { .run = run, .stale = LIST_HEAD_INIT(a.stale) };
	struct vzr_slot *s;
	unsigned int i;
	int bkt, err;

	/* What this reads supersedes any notification lost before. */
	vzr_rtsock_audited(net, true);
	for (i = 0; i < ARRAY_SIZE(families); i++) {
		err = vzr_rtsock_dump(net, families[i], audit_route, &a);
		if (err) {
			pr_warn_ratelimited("reading routes failed: %d\n", err);
			vzr_rtsock_audited(net, false);
			run->need_verify = true;
			continue;
		}
		/*
		 * Believed installed but not in the table: it went away. A
		 * flushed route is known now: adopted, stale, or gone.
		 */
		for (s = vzr_slot_first(&bkt); s; s = vzr_slot_next(s, &bkt)) {
			if (!net_eq(s->hnet, net) ||
			    s->inst.dst.family != families[i])
				continue;
			s->flushed = false;
			if (s->installed && s->verified != run->verify_gen)
				s->installed = false;
		}
	}
	delete_stale(run, &a.stale);
}

/*
 * Every namespace a slot is in gets its socket, so that the audit reads
 * its table too (a route left there by keep_routes is adopted, not met as
 * a conflict). Return: 0, or -errno when a socket could not be made.
 */
static int open_slot_nets(void)
{
	struct net *last = NULL;
	struct vzr_slot *s;
	int bkt, err = 0;

	for (s = vzr_slot_first(&bkt); s; s = vzr_slot_next(s, &bkt)) {
		if (s->hnet == last)
			continue;
		last = s->hnet;
		err = vzr_rtsock_open(s->hnet) ?: err;
	}
	return err;
}

/**
 * vzr_audit() - compare beliefs with the kernel's tables
 * @run: the run
 *
 * In the initial namespace and every host namespace we have a socket in
 * (every one where a route of ours can be): adopt our routes, drop stale
 * ones, and notice those that vanished behind our back.
 */
void vzr_audit(struct vzr_run *run)
{
	struct vzr_slot *s;
	int bkt;

	run->need_verify = false;
	run->verify_gen++;
	vzr_counters.verifies++;
	vzr_neigh_audit();
	if (open_slot_nets())
		run->need_verify = true;	/* the rest on the next run */
	vzr_rtsock_visit_nets(audit_net, run);
	/* Routes found, adopted or missing: every slot is worth a look. */
	for (s = vzr_slot_first(&bkt); s; s = vzr_slot_next(s, &bkt))
		vzr_slot_mark(s);
}

/**
 * struct sweep - the routes one namespace's sweep deletes at unload
 * @stale: found in the dump, to delete once it is done
 * @failed: the dump failed or something could not be kept: fall back on
 *          what we believe installed
 */
struct sweep {
	struct list_head stale;
	bool failed;
};

static void sweep_route(struct net *net, const struct vzr_route *r, void *arg)
{
	struct sweep *sw = arg;

	if (our_proto(r, vzr_slot_lookup(net, &r->dst)) &&
	    !keep_stale(&sw->stale, net, r))
		sw->failed = true;
}

/*
 * Delete every route of ours in @net: what the table holds, not only what
 * we believe installed, which a failed delete of an old key, a lost
 * notification or a route left by an earlier load may have made wrong.
 */
static void sweep_net(struct net *net, void *arg)
{
	static const u8 families[] = { AF_INET, AF_INET6 };
	struct sweep sw = { .stale = LIST_HEAD_INIT(sw.stale) };
	struct vzr_slot *s;
	unsigned int i;
	int bkt;

	for (i = 0; i < ARRAY_SIZE(families); i++)
		if (vzr_rtsock_dump(net, families[i], sweep_route, &sw))
			sw.failed = true;
	delete_stale(NULL, &sw.stale);
	for (s = vzr_slot_first(&bkt); s; s = vzr_slot_next(s, &bkt)) {
		if (!net_eq(s->hnet, net) || !vzr_slot_may_be_routed(s))
			continue;
		if (sw.failed)
			withdraw_done(NULL, s, vzr_rtsock_del(net, &s->inst));
		s->installed = false;
		s->flushed = false;
	}
}

/*
 * A batched delete at unload: counted, but the slot stays installed for
 * the sweep to settle, since a result that went unreported reads as 0
 * and the sweep's fallback, when its dump fails, deletes only slots
 * still installed (or flushed).
 */
static void unload_done(void *ctx, void *cookie, int err)
{
	if (!delete_refused(NULL, err) && !err)
		vzr_counters.removed++;
}

/**
 * vzr_sync_withdraw_all() - at unload, unless keep_routes: delete every
 * route of ours, in the initial namespace and every host namespace we
 * have a socket in
 *
 * The routes we believe installed go first, in batches; each namespace's
 * sweep then reads its table, by then without them, for whatever that
 * missed. Reading the tables first made the unload of 100,000 routes
 * half as slow again as deleting them.
 *
 * Runs on the reconciler's workqueue (vzr_reconcile_uninit()): rtnetlink
 * checks the capabilities of the task that sends, and rmmod's may lack
 * CAP_NET_ADMIN where CAP_SYS_MODULE let it unload.
 */
void vzr_sync_withdraw_all(void)
{
	struct vzr_slot *s;
	int bkt;

	lockdep_assert_held(&vzr_lock);
	open_slot_nets();
	vzr_neigh_withdraw_all();
	vzr_batch_begin(unload_done, NULL);
	for (s = vzr_slot_first(&bkt); s; s = vzr_slot_next(s, &bkt))
		if (vzr_slot_may_be_routed(s))
			vzr_batch_del(s->hnet, &s->inst, s);
	/* A result that went unreported is the sweep's to find. */
	vzr_batch_end();
	vzr_rtsock_visit_nets(sweep_net, NULL);
	/* A slot whose namespace had no socket: it got none now either. */
	for (s = vzr_slot_first(&bkt); s; s = vzr_slot_next(s, &bkt))
		if (vzr_slot_may_be_routed(s))
			withdraw_done(NULL, s, vzr_rtsock_del(s->hnet, &s->inst));
}
