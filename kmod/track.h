/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The table of tracked container addresses, the devices that carry them,
 * and the route slots they compete for; their states and the counters.
 */
#ifndef _VZR_TRACK_H
#define _VZR_TRACK_H

#include <linux/bitops.h>
#include <linux/if.h>
#include <linux/list.h>
#include <linux/vzroute.h>
#include <net/net_namespace.h>

#include "chains.h"
#include "netns.h"
#include "policy.h"
#include "routemsg.h"

struct vzr_slot;

/**
 * struct vzr_cursor - where a dump of the entries resumes
 * @chain: the number of the entry hash's chain it is in; a dump across a
 *         doubling of the chains (an entry was added) is flagged as
 *         interrupted, as any dump across an added entry is
 * @started: @dev and @ip are set: the last entry sent from @chain
 * @family: @ip's
 * @done: none is left
 * @dev: the last entry's device, compared and never followed (it may be
 *       gone, and its memory another device's: the order stays a total
 *       order, which is all a resume needs)
 * @ip: the last entry's address
 *
 * Kept in netlink_callback's args between two parts of a dump.
 */
struct vzr_cursor {
	u32 chain:24;
	u32 started:1;
	u32 done:1;
	u32 family:6;
	unsigned long dev;
	struct in6_addr ip;
};

/**
 * struct vzr_ctdev - a container device that carries tracked addresses
 * @hlink: in its chain of the device table, keyed by (@cnet, @cifindex)
 * @nsnode: in its container namespace's devices (vzr_pernet.devs), so that
 *          what concerns one namespace costs no walk of the node's devices
 * @polled: in vzr_polled_ctdevs while its backend's answers change without
 *          notice (see vzr_backend.recheck); else empty
 * @waiting: in vzr_waiting_ctdevs while @nwaiting; else empty
 * @entries: its entries (vzr_entry.dlist), the @nwaiting in a state polled
 *           for (vzr_state_polled()) first, so that a poll of them walks
 *           no other
 * @cnet: the container namespace; a key only. It stays valid because the
 *        namespace's pernet exit frees the device first.
 * @cifindex: the device
 * @hnet: the namespace of the host side (dropped likewise)
 * @hifindex: the host-side device
 * @cname: container device name, as last seen
 * @hname: host-side device name, as last seen
 * @seen: run in which the device was last seen
 * @rechecked: run in which whether the host has its addresses was last read
 *             again for all of them
 * @nwaiting: its entries in a state polled for
 * @young_until: jiffies until which one of those may be young
 *               (vzr_poll_young()), and polled often
 * @poll_at: jiffies when all of those are polled next (VZR_POLL_SLOW)
 * @poll_due: this run polls some of those (look_again())
 * @poll_slow: all of them
 *
 * Shared by the device's entries so that each address costs no more than
 * its own state. Everything is under vzr_lock.
 */
struct vzr_ctdev {
	struct vzr_link hlink;
	struct hlist_node nsnode;
	struct list_head polled;
	struct list_head waiting;
	struct list_head entries;
	struct net *cnet;
	int cifindex;
	struct net *hnet;
	int hifindex;
	char cname[IFNAMSIZ];
	char hname[IFNAMSIZ];
	u32 seen;
	u32 rechecked;
	u32 nwaiting;
	unsigned long young_until;
	unsigned long poll_at;
	bool poll_due;
	bool poll_slow;
};

/**
 * struct vzr_entry - one address seen on one container device
 * @hlink: in its chain of the entry hash, keyed by (@dev, @ip) and kept
 *         in that key's order within the chain: a dump resumes after the
 *         last key it sent (vzr_entry_next())
 * @order: in vzr_entries, oldest first: the first-come order that decides
 *         who holds a duplicate address and who is over the cap
 * @dlist: in @dev's entries
 * @dnext: next in the dirty queue (track.c) while @queued
 * @dev: the container device; freed only after its entries, but for one
 *       released while @queued (@dead), whose @dev is never followed again
 * @slot: the route slot this entry competes for, when eligible
 * @ip: the address
 * @seen: run in which the address was last seen
 * @since: the low 32 bits of vzr_real_seconds() when @state last changed
 *         (vzr_entry_since() gives it back whole)
 * @err: errno of the last failure, for VZROUTE_STATE_FAILED
 * @obs: what the last scan observed (VZROUTE_STATE_PENDING when nothing
 *       stands in its way, else a blocking state such as DOWN)
 * @state: current state (enum vzroute_state)
 * @took_over: became the holder of a route another entry held
 * @granted: counts against its namespace's max_per_netns
 * @queued: in the dirty queue, due for a decision
 * @dead: released while @queued: reachable from the dirty queue only,
 *        which frees it when it comes to it (a singly linked queue has no
 *        unlink from the middle)
 * @polled: looked up again by this run's poll of its state, for the sweep
 *          after it (scan.c: scan_waiting(), sweep_waiting())
 *
 * Everything is under vzr_lock. Allocated from their own cache: there may
 * be one per container address on the node, so they are packed to 96
 * bytes on 64-bit (issue #18 asks for 192 per address, slot included):
 * singly linked where nothing unlinks from the middle in a walk longer
 * than a hash chain, @since and @err no wider than they need.
 */
struct vzr_entry {
	struct vzr_link hlink;
	struct list_head order;
	struct list_head dlist;
	struct vzr_entry *dnext;
	struct vzr_ctdev *dev;
	struct vzr_slot *slot;
	struct vzr_ip ip;
	u32 seen;
	u32 since;
	s16 err;
	u8 obs:4;
	u8 state:4;
	bool took_over:1;
	bool granted:1;
	bool queued:1;
	bool dead:1;
	bool polled:1;
};

/*
 * @e's @since as a whole time, given @now from vzr_real_seconds(): exact
 * while the two are within 68 years of each other, either way (the clock
 * may have been set back since), whatever the clock's high bits.
 */
static inline time64_t vzr_entry_since(const struct vzr_entry *e,
				       time64_t now)
{
	return now - (s32)(lower_32_bits(now) - e->since);
}

/**
 * struct vzr_slot - one host route (prefix) in one host namespace
 * @hlink: in its chain of the slot hash, keyed by (@hnet, @inst.dst)
 * @hnet: host namespace; dropped from its pernet exit
 * @holder: the entry whose route this is, or NULL
 * @dirty: in vzr_dirty_slots while its route must be looked at
 * @inst: the route. Its @dst is the slot's prefix, set at creation and
 *        never changed (every route given to @inst is one for that
 *        prefix); the rest is the installed route's while @installed.
 *        One copy of the prefix for both, since there may be a slot for
 *        every container address on the node.
 * @verified: audit in which the kernel's table showed @inst
 * @users: entries whose @slot points here
 * @installed: a route of ours for @inst.dst exists in @hnet, as in @inst
 * @conflict: the last add was refused for a route we did not make
 * @heard: @installed was found false (the route listener heard it go)
 *         since the slot was last synced: it must be synced again
 * @neigh: it has proxy neighbour entries on the uplinks, kept by neigh.c
 *         in a table of its own (only a node with neigh_devs= has any)
 * @electing: in vzr_slots_elect() only: its holder is being chosen
 * @far: in vzr_slots_elect() only: some of its users are past the entries
 *       it may walk, and it waits for a later run
 * @flushed: a flush record cleared @installed, and the route may be there
 *           still: the record is older than it. A flush noted after a
 *           run's scan is read by the next run, and the run in between
 *           may have put the route in place (an IPv6 flush is told to the
 *           route listener too, and that run's sync puts the route back).
 *           So an add that meets an existing route asks for an audit, not
 *           a conflict, and with no holder left the route is deleted
 *           anyway (sync.c). Set only when @gen says the last run put the
 *           route there; cleared by the slot's next add or delete that the
 *           kernel accepts, and by an audit that read its table.
 * @lost: @installed was cleared because the kernel dropped our route (a
 *        flush record, read by this run's scan, which also takes the
 *        notes made with it: scan.c) or somebody deleted it (the listener
 *        heard it, in this run or after the slot's last sync): the
 *        address was routed to its holder until then, so a new holder
 *        takes it over (vzr_slot_hold()), as it would have had the old
 *        holder let go first. Also set by the sync that deletes the route
 *        of a holder gone while the election of the next waits
 *        (vzr_slots_elect()). Cleared by the new holder and by the
 *        slot's next sync.
 * @deferred: its holder's add waits for its container's budget (budget.c):
 *            marked again by the sync that put it off, for a later run
 * @ahead: its route was added in this run before any entry held it
 *         (vzr_sync_ahead()): the entry that then holds it takes nothing
 *         over, and a flush record this run reads may be older than the
 *         route (@flushed). Cleared by that holder and by the slot's sync.
 * @gen: low 16 bits of the run that last put the route there or adopted
 *       it; a run 65,536 earlier looks the same, which costs at most a
 *       needless audit or delete
 *
 * Everything is under vzr_lock. Allocated from their own cache (88 bytes
 * on 64-bit). A slot outlives its holder for as long as its route is
 * installed or it has a proxy entry of ours, so that neither is
 * forgotten before it is deleted.
 */
struct vzr_slot {
	struct vzr_link hlink;
	struct net *hnet;
	struct vzr_entry *holder;
	struct list_head dirty;
	struct vzr_route inst;
	u32 verified;
	unsigned int users;
	bool installed:1;
	bool conflict:1;
	bool heard:1;
	bool neigh:1;
	bool electing:1;
	bool flushed:1;
	bool lost:1;
	bool deferred:1;
	bool far:1;
	bool ahead:1;
	u16 gen;
};

/* @s has users and no holder: it waits for vzr_slots_elect(). */
static inline bool vzr_slot_unelected(const struct vzr_slot *s)
{
	return !s->holder && s->users;
}

/* A route of ours for @s may be in the table: believed so, or flushed. */
static inline bool vzr_slot_may_be_routed(const struct vzr_slot *s)
{
	return s->installed || s->flushed;
}

/**
 * struct vzr_counters - what vzroute did, since load
 * @added: routes added
 * @removed: routes deleted (withdrawn, moved or stale)
 * @failed: route changes the kernel refused, conflicts aside
 * @denied: addresses refused by the allow list or the node's IP map
 * @unbound: addresses refused because their allow entry is bound to other
 *           host devices (another container's address)
 * @over_cap: addresses refused by max_per_netns
 * @conflicts: addresses that found a route we did not make
 * @takeovers: standby addresses that took a route over
 * @adopted: routes of ours found in the table and kept
 * @runs: reconciliations
 * @rtnl_scans: runs whose scan took RTNL
 * @verifies: comparisons against the kernel's own table
 * @backlog_max: most kicks that waited for one run
 * @untracked: addresses left untracked under max_tracked_per_netns, once
 *             for each look that met them
 * @neigh_added: proxy neighbour entries added
 * @neigh_removed: proxy neighbour entries removed
 * @neigh_conflicts: proxy entries we did not make, found where we meant
 *                   to add one
 * @announced: gratuitous ARPs and unsolicited neighbour advertisements
 * @announce_deferred: announcements asked for that waited for the
 *                     address's hold-down or the node's rate
 * @announce_dropped: announcements not made: too many addresses waiting
 * @deferred: route adds that waited for their container's budget
 *            (budget.c), once each time one waits
 * @ahead: routes added before their address was tracked
 *         (vzr_sync_ahead()), counted in @added too
 *
 * Under vzr_lock.
 */
struct vzr_counters {
	u64 added;
	u64 removed;
	u64 failed;
	u64 denied;
	u64 unbound;
	u64 over_cap;
	u64 conflicts;
	u64 takeovers;
	u64 adopted;
	u64 runs;
	u64 rtnl_scans;
	u64 verifies;
	u64 backlog_max;
	u64 untracked;
	u64 neigh_added;
	u64 neigh_removed;
	u64 neigh_conflicts;
	u64 announced;
	u64 announce_deferred;
	u64 announce_dropped;
	u64 deferred;
	u64 ahead;
};

extern struct vzr_counters vzr_counters;
extern struct list_head vzr_entries;
extern struct list_head vzr_polled_ctdevs;
extern struct list_head vzr_waiting_ctdevs;
extern struct list_head vzr_dirty_slots;
extern u32 vzr_track_gen;
extern u32 vzr_state_count[VZROUTE_STATE_MAX + 1];
extern bool vzr_recount;

int vzr_track_init(void);
void vzr_track_uninit(void);
struct vzr_ctdev *vzr_ctdev_lookup(struct net *cnet, int cifindex);
struct vzr_ctdev *vzr_ctdev_create(struct net *cnet, int cifindex);
void vzr_ctdev_release(struct vzr_ctdev *d);
struct vzr_entry *vzr_entry_lookup(struct vzr_ctdev *d, const struct vzr_ip *ip);
bool vzr_track_room(struct vzr_ctdev *d);
struct vzr_entry *vzr_entry_create(struct vzr_ctdev *d, const struct vzr_ip *ip);
void vzr_entry_release(struct vzr_entry *e);
struct vzr_entry *vzr_entry_next(struct vzr_cursor *c,
				 const struct vzr_entry *prev);
struct vzr_entry *vzr_entry_take_dirty(void);
bool vzr_entry_any_dirty(void);
void vzr_entry_set_state(struct vzr_entry *e, u8 state, int err);
void vzr_entry_set_slot(struct vzr_entry *e, struct vzr_slot *s);
void vzr_track_changed(void);
void vzr_entry_mark(struct vzr_entry *e);
void vzr_entry_ungrant(struct vzr_entry *e);
struct vzr_slot *vzr_slot_lookup(struct net *hnet, const struct vzr_ip *ip);
struct vzr_slot *vzr_slot_create(struct net *hnet, const struct vzr_ip *ip);
void vzr_slot_release_unused(struct vzr_slot *s);
void vzr_slot_mark(struct vzr_slot *s);
void vzr_slot_hold(struct vzr_slot *s, struct vzr_entry *e);
unsigned long vzr_slots_elect(struct list_head *slots, unsigned long limit);
void vzr_track_forget_net(struct net *net);

extern struct vzr_chains vzr_slots;
size_t vzr_track_bytes(void);

static inline struct vzr_slot *vzr_slot_of(struct vzr_link *l)
{
	return l ? container_of(l, struct vzr_slot, hlink) : NULL;
}

/*
 * Every slot: for (s = vzr_slot_first(&bkt); s; s = vzr_slot_next(s, &bkt)).
 * Nothing may free @s, nor make a slot (the chains may double), in the
 * body.
 */
static inline struct vzr_slot *vzr_slot_first(int *bkt)
{
	return vzr_slot_of(vzr_chains_first(&vzr_slots, bkt));
}

static inline struct vzr_slot *vzr_slot_next(const struct vzr_slot *s,
					     int *bkt)
{
	return vzr_slot_of(vzr_chains_next(&vzr_slots, &s->hlink, bkt));
}

/*
 * Every tracked device, the next one read before the body, which may then
 * release @d but not make a device (the chains may double):
 *	for (d = vzr_ctdev_first(&bkt); d; d = next) {
 *		next = vzr_ctdev_next(d, &bkt);
 */
struct vzr_ctdev *vzr_ctdev_first(int *bkt);
struct vzr_ctdev *vzr_ctdev_next(const struct vzr_ctdev *d, int *bkt);

#endif /* _VZR_TRACK_H */
