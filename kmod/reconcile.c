// SPDX-License-Identifier: GPL-2.0
/*
 * The reconciler: runs that make the host routing tables match the
 * container addresses that exist, from two work items (per CPU, and
 * unbound for removals and full walks) serialized by vzr_lock.
 *
 * Notifiers note the devices they saw change and kick a run. Each run scans
 * the noted devices under RTNL (scan.c), drops RTNL, decides here which
 * entries may have a route and which one holds each address, and then
 * syncs the routes through rtnetlink (sync.c). Because a run reads a
 * device's whole current state rather than the event that noted it,
 * events may be coalesced or arrive out of order without harm; a kick
 * during a run causes another.
 */

#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "decide.h"
#include "fault.h"
#include "neigh.h"
#include "netns.h"
#include "note.h"
#include "params.h"
#include "reconcile.h"
#include "scan.h"
#include "sync.h"
#include "track.h"

/**
 * struct vzr_runner - a work item that runs the reconciler
 * @wq: its workqueue, the only one it is queued on (flushing and
 *      cancelling follow one queue)
 * @dwork: the run
 * @due: set by each kick of this item before it queues it, and again by
 *       a run of this item that waits out the gap; cleared for both items
 *       by a run before its scan. An item that finds its own clear, and no
 *       timed look due (schedule_next()), was covered by a run whose
 *       clearing came after its last kick: it returns without a run
 *       (the local item queues a timed look again, see queue_look()). Set
 *       and cleared with atomic_xchg(), fully ordered, so that what a kick
 *       wrote before setting it is seen by the scan of the run that clears
 *       it.
 */
struct vzr_runner {
	struct workqueue_struct *wq;
	struct delayed_work dwork;
	atomic_t due;
};

/**
 * struct reconciler - the work items and what outlives one run
 * @local: on a per-CPU workqueue, so that a run normally starts on the
 *         CPU of the last kick before it; a kick during a run queues the
 *         next behind it, on its CPU. A work item never runs on two CPUs
 *         at once. Queued by kicks, for timed looks (queue_look()) by
 *         the run that schedules one and by a run that finds nothing due
 *         meanwhile, and by its own run waiting out the gap.
 * @rm: on an unbound workqueue, for the runs that removals and full
 *      walks ask for (vzr_kick_removal(), vzr_kick_all()); queued by
 *      those kicks and by its own run waiting out the gap. vzr_lock
 *      keeps the runs of both items one at a time, and &vzr_runner.due
 *      keeps them to one run for the kicks of both. Both workqueues
 *      live from vzr_reconcile_init() to vzr_reconcile_uninit(); a run
 *      cancels the other item without waiting, uninit with
 *      cancel_delayed_work_sync() once no run can queue either
 *      (@stopping, then a grace period for the kicks).
 * @kicks: kicks since the last run began, for the backlog counter
 * @stopping: set while no run may do anything (before start, from stop);
 *            under vzr_lock, read by vzr_kick_on() under rcu_read_lock(),
 *            so that once it is set and a grace period has passed, no
 *            kick can touch either workqueue any more; read by
 *            vzr_reconcile_wait() without a lock, which stop wakes
 * @started: runs were started once: routes of ours may exist. Under
 *           vzr_lock. A load that fails before that leaves routes kept by
 *           an earlier one (keep_routes=1) alone.
 * @last_start: jiffies when the last run began; written by the run under
 *              vzr_lock, read by vzr_kick_on() without a lock (a stale
 *              value only moves the next run by less than VZR_RUN_GAP)
 * @done_gen: @run.gen of the last run that ended; written under vzr_lock
 *            after an smp_wmb(), read by vzr_reconcile_wait() without it,
 *            followed by an smp_rmb()
 * @done_wq: vzr_reconcile_wait()'s waiters, the resync handlers, woken as
 *           each run ends and by stop. At unload the netlink family goes
 *           first, and waits for its handlers, before stop and uninit.
 * @run: the state the steps of a run share, under vzr_lock
 */
struct reconciler {
	struct vzr_runner local;
	struct vzr_runner rm;
	atomic_t kicks;
	bool stopping;
	bool started;
	unsigned long last_start;
	u32 done_gen;
	wait_queue_head_t done_wq;
	struct vzr_run run;
};

/*
 * Runs begin at least this far apart: a container that changes addresses
 * as fast as it can gets about 100 runs a second, each taking all that
 * came meanwhile, instead of one run per change. A change after a quiet
 * moment is looked at without delay.
 */
#define VZR_RUN_GAP	max(1, HZ / 100)

static struct reconciler rc = {
	.local.due = ATOMIC_INIT(0),
	.rm.due = ATOMIC_INIT(0),
	.kicks = ATOMIC_INIT(0),
	.stopping = true,
	.done_wq = __WAIT_QUEUE_HEAD_INITIALIZER(rc.done_wq),
};

static void vzr_kick_on(struct vzr_runner *r)
{
	unsigned long since = jiffies - READ_ONCE(rc.last_start);

	rcu_read_lock();
	if (!READ_ONCE(rc.stopping)) {
		atomic_inc(&rc.kicks);
		atomic_xchg(&r->due, 1);
		mod_delayed_work(r->wq, &r->dwork, since < VZR_RUN_GAP ?
				 VZR_RUN_GAP - since : 0);
	}
	rcu_read_unlock();
}

/**
 * vzr_kick() - ask for a reconciliation soon
 *
 * Context: any, atomic included: the notifiers, the route sockets'
 * callbacks, a dying namespace's exit, a run itself.
 */
void vzr_kick(void)
{
	vzr_kick_on(&rc.local);
}

/**
 * vzr_kick_removal() - ask for a reconciliation soon, for an address removed
 *
 * On the bound workqueue, a run queued on the remover's CPU starts only
 * when the remover sleeps or is preempted, in a burst mostly after its
 * last removal, and then deletes every route in turn. Queued as unbound
 * work, it normally starts on another CPU, where its deletes take RTNL in
 * turns with the removals, so that most of them are done by the time the
 * removals are. Adds have no such gain (see vzr_reconcile_init()). The
 * kernel chooses the CPU among those that may run unbound work (the
 * workqueue cpumask in sysfs, which isolcpus= narrows, and nohz_full= on
 * newer kernels), so the run stays off a CPU the admin kept free of it; a
 * delayed kick's timer is placed as any timer is.
 *
 * Context: any, as vzr_kick().
 */
void vzr_kick_removal(void)
{
	vzr_kick_on(&rc.rm);
}

/*
 * Ask for a run that looks at every device. Any context.
 *
 * On the unbound item, as removals are: such a run is long (at load, a
 * whole node's addresses), and a bound worker cannot leave the CPU of its
 * kick, whatever else runs there: the routing daemon, say, which each of
 * the run's routes wakes. An unbound worker goes where the scheduler
 * finds room, within the workqueue cpumask.
 */
void vzr_kick_all(void)
{
	vzr_note_all();
	vzr_kick_on(&rc.rm);
}

/**
 * vzr_reconfigured() - vzr_cfg changed: decide everything again
 *
 * The allow list, the cap, the route's key and which devices count all
 * decide without an event: the next run looks at every device and decides
 * every entry, which nothing else asks for (a full scan for a lost note
 * decides only what it found changed).
 */
void vzr_reconfigured(void)
{
	lockdep_assert_held(&vzr_lock);
	rc.run.redecide = true;
	vzr_kick_all();
}

static bool vzr_gen_done(u32 gen)
{
	return (s32)(READ_ONCE(rc.done_gen) - gen) >= 0;
}

/*
 * Wait until the run that vzr_resync() gave the number of has ended.
 * Which item runs it, or how often one finds nothing to do, does not
 * matter. Returns 0, -EINTR for a fatal signal, or -ESHUTDOWN once runs
 * stopped (the netlink family goes first at unload, waiting for its
 * handlers, so that one is a safeguard).
 */
int vzr_reconcile_wait(u32 gen)
{
	if (wait_event_killable(rc.done_wq, vzr_gen_done(gen) ||
				READ_ONCE(rc.stopping)))
		return -EINTR;
	if (!vzr_gen_done(gen))
		return -ESHUTDOWN;
	/* Pairs with the smp_wmb() of the run. */
	smp_rmb();
	return 0;
}

/*
 * The next run also compares with the kernel's tables. Returns its
 * number, for vzr_reconcile_wait(): no run is under way, as vzr_lock is
 * held, so the next one starts after this kick.
 */
u32 vzr_resync(void)
{
	lockdep_assert_held(&vzr_lock);
	rc.run.need_verify = true;
	vzr_kick_all();
	return rc.run.gen + 1;
}

/**
 * vzr_grant_room() - may @pn's namespace grant one more address a route?
 * @pn: the container's namespace
 *
 * Room a recount puts off is its oldest refused address's.
 */
bool vzr_grant_room(const struct vzr_pernet *pn)
{
	return !pn->recount && vzr_cap_room(pn->granted, vzr_cfg.max_per_netns);
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
static void decide_entry(struct vzr_entry *e)
{
	struct vzr_pernet *pn = vzr_pernet(e->dev->cnet);
	struct vzr_slot *s = NULL;
	enum vzr_allow verdict;
	const void *h;
	u8 st;

	/* Bindings name the host side, where the node gave the address. */
	verdict = vzr_allow_match(vzr_cfg.allow, vzr_cfg.n_allow, &e->ip,
				  e->dev->hname);
	if (e->obs != VZROUTE_STATE_PENDING || verdict != VZR_ALLOW_HERE) {
		vzr_entry_ungrant(e);
	} else if (!e->granted && vzr_grant_room(pn)) {
		e->granted = true;
		pn->granted++;
	}
	st = vzr_admit(e->obs, verdict, e->granted);
	if (st == VZROUTE_STATE_PENDING) {
		s = vzr_slot_lookup(e->dev->hnet, &e->ip) ?:
		    vzr_slot_create(e->dev->hnet, &e->ip);
		if (!s) {
			vzr_entry_ungrant(e);
			st = VZROUTE_STATE_FAILED;
		}
	}
	vzr_entry_set_slot(e, s);
	if (st != VZROUTE_STATE_PENDING) {
		vzr_entry_set_state(e, st, st == VZROUTE_STATE_FAILED ? -ENOMEM : 0);
		return;
	}
	vzr_slot_mark(s);
	/*
	 * A free address with standbys goes to the oldest, not the first:
	 * chosen after every entry due was decided (decide()).
	 */
	if (!s->holder && s->users > 1)
		return;
	h = s->holder;
	if (!vzr_claim(&h, e))
		vzr_entry_set_state(e, VZROUTE_STATE_STANDBY, 0);
	else if (s->holder != e)
		vzr_slot_hold(s, e);
}

/*
 * Grants start over, oldest first, in every namespace (@all: a new config)
 * or in those that lost one at their cap (vzr_pernet.recount), whose
 * oldest refused addresses get in. Only those: another namespace's grants
 * stay with the entries that have them, so that one container losing and
 * taking back addresses at its cap moves no other container's routes, and
 * costs the node two walks of the entries a run, not a decision on each and
 * the sync of every route.
 */
static void recount(struct vzr_run *run, bool all)
{
	struct vzr_pernet *pn;
	struct vzr_entry *e;
	struct vzr_slot *s;
	u64 stamp = ++run->recounts;
	int bkt;

	vzr_recount = false;
	list_for_each_entry(e, &vzr_entries, order) {
		pn = vzr_pernet(e->dev->cnet);
		if (all || pn->recount || pn->recount_run == stamp) {
			/* Sets @recount again when at the cap: cleared after. */
			vzr_entry_ungrant(e);
			pn->recount = false;
			pn->recount_run = stamp;
		}
		cond_resched();
	}
	/* The first ungrant at the cap set it again. */
	vzr_recount = false;
	if (all)
		for (s = vzr_slot_first(&bkt); s; s = vzr_slot_next(s, &bkt))
			vzr_slot_mark(s);
	list_for_each_entry(e, &vzr_entries, order) {
		if (vzr_pernet(e->dev->cnet)->recount_run == stamp)
			decide_entry(e);
		cond_resched();
	}
}

/*
 * A recount walks every entry of the node, twice, whichever namespace asked
 * for it: a container at its cap that lets an address go in every run
 * would cost the node those walks a hundred times a second. They come
 * VZR_WALK_GAP apart at most; meanwhile a namespace waiting for one
 * grants nothing (decide_entry()), so that its room still goes to its
 * oldest refused addresses, and loses what it must at once.
 */
static bool recount_due(const struct vzr_run *run, u64 now)
{
	return time_after_eq64(now, run->recount_at);
}

/* Jiffies from @now to @at, at least 1: vzr_sooner() reads 0 as none. */
static unsigned long delay_to(u64 at, u64 now)
{
	return time_after_eq64(now, at) ? 1 : at - now;
}

/*
 * Every holder lost is lost in a run's scan or in decide(), or marks its
 * slot for the next run (a dying namespace): by the sync, every address
 * with users has its holder, but for a wait here.
 *
 * An election walks the node's entries, oldest first, until it has met
 * every user of the free addresses: a container whose users are young
 * (its own, added last) makes it walk them all. Losing a holder with a
 * standby, its end set down, costs the container one system call, and it
 * could ask that of every run. So an election may walk VZR_ELECT_FREE
 * entries at any time (a standby of long standing is normally found
 * within them), but more only VZR_WALK_GAP after the last one that did;
 * meanwhile the addresses whose users are not all among those wait,
 * without routes, and are taken over by the standbys elected then
 * (sync.c); their users keep the states they had.
 */
static void elect(struct vzr_run *run, bool all)
{
	bool may_walk = all || time_after_eq64(get_jiffies_64(), run->elect_at);
	unsigned long walked;

	walked = vzr_slots_elect(&vzr_dirty_slots,
				 may_walk ? ULONG_MAX : VZR_ELECT_FREE);
	run->elect_wait = !may_walk && walked > VZR_ELECT_FREE;
	if (may_walk && walked > VZR_ELECT_FREE)
		run->elect_at = get_jiffies_64() + VZR_WALK_GAP;
}

static void decide(struct vzr_run *run)
{
	bool all = run->redecide;
	bool may_recount = all || recount_due(run, get_jiffies_64());
	struct vzr_entry *e;

	run->redecide = false;
	/*
	 * A run over a whole node is long, and the kernel may not preempt:
	 * walks over every entry yield now and then. vzr_lock is a mutex,
	 * and only its holder changes the lists walked.
	 */
	while ((e = vzr_entry_take_dirty())) {
		/* Those of a namespace to recount are, in order, by recount(). */
		if (!all && !(may_recount && vzr_recount &&
			      vzr_pernet(e->dev->cnet)->recount))
			decide_entry(e);
		cond_resched();
	}
	if (all || (may_recount && vzr_recount)) {
		recount(run, all);
		run->recount_at = get_jiffies_64() + VZR_WALK_GAP;
	}
	elect(run, all);
}

/*
 * Addresses in states that change without an event, or that want another
 * try, are looked at again when their delay is up: the scan looks up
 * again each address polled for that is due (vzr_waiting_ctdevs: no walk
 * of the node's entries), and the others' slots are synced every
 * VZR_RETRY_DELAY, however often the polls come.
 */
static void look_again(struct vzr_run *run)
{
	unsigned long now = jiffies;
	struct vzr_ctdev *cd;
	struct vzr_entry *e;

	list_for_each_entry(cd, &vzr_waiting_ctdevs, waiting) {
		cd->poll_slow = time_after_eq(now, cd->poll_at);
		cd->poll_due = cd->poll_slow || time_before(now, cd->young_until);
		run->poll_waiting |= cd->poll_due;
	}
	if ((!vzr_state_count[VZROUTE_STATE_CONFLICT] &&
	     !vzr_state_count[VZROUTE_STATE_FAILED]) ||
	    (run->retry_at && time_before(now, run->retry_at)))
		return;
	run->retry_at = now + VZR_RETRY_DELAY;
	list_for_each_entry(e, &vzr_entries, order) {
		switch (e->state) {
		case VZROUTE_STATE_CONFLICT:
		case VZROUTE_STATE_FAILED:
			if (e->slot)
				vzr_slot_mark(e->slot);
			else
				vzr_entry_mark(e);
			break;
		}
		cond_resched();
	}
}

/*
 * Devices whose backend's answers change without notice (venet's IP map)
 * have them asked again every VZR_MAP_RECHECK, for the addresses tracked
 * there (the scan's readmit()): a cost of those, whatever else the node
 * has, and not of the addresses a container keeps past
 * max_tracked_per_netns.
 */
static void recheck_polled(struct vzr_run *run)
{
	if (list_empty(&vzr_polled_ctdevs) ||
	    time_before(jiffies, run->recheck_at))
		return;
	run->recheck_at = jiffies + VZR_MAP_RECHECK;
	run->readmit = true;
}

/*
 * When the poll of an address is next due (vzr_state_polled()): soon
 * while one may be young, else at its device's slow poll; 0 for none.
 */
static unsigned long poll_delay(void)
{
	unsigned long now = jiffies, delay = 0;
	struct vzr_ctdev *cd;

	list_for_each_entry(cd, &vzr_waiting_ctdevs, waiting) {
		if (time_before(now, cd->young_until))
			return vzr_sooner(vzr_look_again(VZROUTE_STATE_TENTATIVE),
					  vzr_look_again(VZROUTE_STATE_UNMAPPED));
		delay = vzr_sooner(delay, time_after(cd->poll_at, now) ?
				   cd->poll_at - now : 1);
	}
	return delay;
}

/* When the next run is due by itself; 0 when only events should wake it. */
static unsigned long next_delay(bool retry)
{
	static const u8 states[] = {
		VZROUTE_STATE_CONFLICT, VZROUTE_STATE_FAILED,
	};
	/* Read once: a tick between two reads could make a delay of 0. */
	u64 now = get_jiffies_64();
	unsigned long delay = poll_delay(), jif = now;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(states); i++)
		if (vzr_state_count[states[i]])
			delay = vzr_sooner(delay, vzr_look_again(states[i]));
	if (retry || rc.run.need_verify)
		delay = vzr_sooner(delay, VZR_RETRY_DELAY);
	if (vzr_recount)
		delay = vzr_sooner(delay, delay_to(rc.run.recount_at, now));
	if (rc.run.elect_wait)
		delay = vzr_sooner(delay, delay_to(rc.run.elect_at, now));
	delay = vzr_sooner(delay, rc.run.budget_wait);
	delay = vzr_sooner(delay, vzr_neigh_delay());
	if (!list_empty(&vzr_polled_ctdevs))
		delay = vzr_sooner(delay, time_after(rc.run.recheck_at, jif) ?
				   rc.run.recheck_at - jif : 1);
	return delay;
}

/*
 * Queue the local item for the timed look. When the item is pending
 * already, this does nothing: the pending run then either runs in full,
 * and schedules again, or finds nothing due and calls this again
 * (vzr_run()). A run finds nothing due when another took the due flag of
 * the kick that queued it: the item's own run, started but not yet past
 * its flag, or the other item's run, which cancelled before the kick
 * queued. Left alone, that empty run would take the timed look's place
 * and drop it, and a failed route would wait for an unrelated event to be
 * tried again.
 */
static void queue_look(void)
{
	struct vzr_run *run = &rc.run;

	if (!run->look_at)
		return;
	queue_delayed_work(rc.local.wq, &rc.local.dwork,
			   time_after(run->look_at, jiffies) ?
			   run->look_at - jiffies : 0);
}

/*
 * Kicks come and go between now and then; the time set for the next look
 * does not move later because of them.
 */
static void schedule_next(unsigned long delay)
{
	struct vzr_run *run = &rc.run;

	if (!delay) {
		run->look_at = 0;
		return;
	}
	if (!run->look_at || time_before(jiffies + delay, run->look_at))
		run->look_at = jiffies + delay;
	queue_look();
}

static void vzr_run(struct work_struct *work)
{
	struct vzr_runner *self = container_of(to_delayed_work(work),
					       struct vzr_runner, dwork);
	struct vzr_runner *other = self == &rc.local ? &rc.rm : &rc.local;
	struct vzr_run *run = &rc.run;
	unsigned long since;
	bool due;
	int err;

	mutex_lock(&vzr_lock);
	if (rc.stopping)
		goto out;
	due = atomic_xchg(&self->due, 0);
	/* A timed look is due without a kick (schedule_next()). */
	due |= run->look_at && time_after_eq(jiffies, run->look_at);
	if (!due) {
		/* Timed looks wait on the local item only. */
		if (self == &rc.local)
			queue_look();
		goto out;
	}
	/*
	 * Due within the gap of the last run's start, however it got here
	 * (under way, waiting for vzr_lock, while the other item's run went
	 * on; a kick that read a stale @last_start; a timed look): it keeps
	 * to the gap as a kick would have had it (vzr_kick_on()).
	 */
	since = jiffies - rc.last_start;
	if (since < VZR_RUN_GAP) {
		atomic_xchg(&self->due, 1);
		mod_delayed_work(self->wq, &self->dwork, VZR_RUN_GAP - since);
		goto out;
	}
	/*
	 * This run's scan covers the other item's kicks too. Its pending
	 * run is not needed (a timed look it was queued for is queued again
	 * by schedule_next() below, which every run that gets past here
	 * reaches); one already started finds nothing due, or keeps to the
	 * gap. Not the _sync cancel: that one may be waiting for vzr_lock.
	 */
	atomic_xchg(&other->due, 0);
	cancel_delayed_work(&other->dwork);
	WRITE_ONCE(rc.last_start, jiffies);
	run->gen++;
	vzr_counters.runs++;
	vzr_counters.backlog_max = max_t(u64, vzr_counters.backlog_max,
					 atomic_xchg(&rc.kicks, 0));
	/* Before the scan, which it may ask to look at some devices. */
	if (run->look_at && time_after_eq(jiffies, run->look_at)) {
		run->look_at = 0;
		look_again(run);
	}
	recheck_polled(run);
	err = vzr_scan(run);
	decide(run);
	vzr_fault_pause(VZR_PAUSE_SYNC);
	vzr_sync(run);
	schedule_next(next_delay(err));
	/* What the run did is seen by a waiter that sees the number. */
	smp_wmb();
	WRITE_ONCE(rc.done_gen, run->gen);
	wake_up_all(&rc.done_wq);
out:
	mutex_unlock(&vzr_lock);
}

int vzr_reconcile_init(void)
{
	/*
	 * Bound, not unbound: a kick queues the run on its own CPU (a
	 * delayed one where its timer fires, normally the last kicker's; one
	 * during a run behind that run), where it starts once the changing
	 * task sleeps or is preempted, rather than waking an idle CPU and
	 * then taking RTNL in turns with that task, a handover for each
	 * route message while the task keeps changing addresses. The price:
	 * the run no longer overlaps that task, which costs where vzroute's
	 * work is large next to the task's: removals and full walks, whose
	 * runs are unbound work (vzr_kick_removal(), vzr_kick_all()). CPU
	 * intensive: a long burst's run holds up no other work of its CPU.
	 * Kernels since 6.17 name the bound kind WQ_PERCPU, which is still
	 * the default through 6.18.
	 */
	rc.local.wq = alloc_workqueue("vzroute",
				      WQ_MEM_RECLAIM | WQ_CPU_INTENSIVE, 1);
	if (!rc.local.wq)
		return -ENOMEM;
	/*
	 * max_active 0, the default: with 1, an unbound workqueue counts
	 * as ordered, and kernels without a 2023 fix (upstream 4.18 and
	 * 5.14 among them) then keep it off a later change of the workqueue
	 * cpumask. One work item never runs twice at once, and vzr_lock
	 * orders the runs anyway.
	 */
	rc.rm.wq = alloc_workqueue("vzroute_rm", WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	if (!rc.rm.wq) {
		destroy_workqueue(rc.local.wq);
		return -ENOMEM;
	}
	INIT_DELAYED_WORK(&rc.local.dwork, vzr_run);
	INIT_DELAYED_WORK(&rc.rm.dwork, vzr_run);
	rc.run.need_verify = true;
	return 0;
}

/* Runs may start: the first looks at every device and the tables. */
void vzr_reconcile_start(void)
{
	mutex_lock(&vzr_lock);
	WRITE_ONCE(rc.stopping, false);
	rc.started = true;
	mutex_unlock(&vzr_lock);
	vzr_kick_all();
}

/*
 * No run does anything after this returns (one under way has finished);
 * called before the notifiers go.
 */
void vzr_reconcile_stop(void)
{
	mutex_lock(&vzr_lock);
	WRITE_ONCE(rc.stopping, true);
	mutex_unlock(&vzr_lock);
	wake_up_all(&rc.done_wq);
}

/*
 * The last work of the workqueues: withdraw, unless keep_routes. Unbound,
 * as a full walk is (vzr_kick_all()): a whole node's deletes.
 */
static void withdraw_all(struct work_struct *work)
{
	mutex_lock(&vzr_lock);
	if (rc.started && vzr_cfg.keep_routes)
		pr_info("keep_routes=1: leaving the routes in place\n");
	else if (rc.started)
		vzr_sync_withdraw_all();
	mutex_unlock(&vzr_lock);
}

/*
 * Called after vzr_reconcile_stop(), or by a load that failed before
 * vzr_reconcile_start(), when @stopping is still set from the start. Kicks
 * may still come (route sockets live on until their namespaces' exits),
 * but do nothing.
 *
 * The withdraw runs on the workqueue, not in rmmod's task: rtnetlink
 * checks CAP_NET_ADMIN of the task that sends, and rmmod needs only
 * CAP_SYS_MODULE (a unit with a capability bounding set, SELinux's
 * kmod_t). A worker has the kernel's credentials.
 */
void vzr_reconcile_uninit(void)
{
	struct work_struct work;

	/* A kick that saw the reconciler running has queued its run. */
	synchronize_rcu();
	cancel_delayed_work_sync(&rc.local.dwork);
	cancel_delayed_work_sync(&rc.rm.dwork);
	INIT_WORK_ONSTACK(&work, withdraw_all);
	queue_work(rc.rm.wq, &work);
	flush_work(&work);
	destroy_work_on_stack(&work);
	destroy_workqueue(rc.rm.wq);
	destroy_workqueue(rc.local.wq);
}
