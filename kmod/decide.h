/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reconciler's decisions about one address, pure: no locks, no live
 * kernel objects, so that KUnit can walk every transition.
 */
#ifndef _VZR_DECIDE_H
#define _VZR_DECIDE_H

#include <linux/jiffies.h>
#include <linux/types.h>

#include "policy.h"
#include "routemsg.h"

/**
 * struct vzr_sight - what a walk saw of one address on a container device
 * @up: the container device and its host side are both up
 * @tentative: IPv6 duplicate address detection still runs
 * @dad_failed: IPv6 duplicate address detection failed
 * @admitted: the backend does not refuse it (the venet IP map names it)
 * @host_local: the host namespace has the address itself
 */
struct vzr_sight {
	bool up;
	bool tentative;
	bool dad_failed;
	bool admitted;
	bool host_local;
};

/**
 * enum vzr_action - what a route slot needs from the kernel
 * @VZR_ACT_NONE: nothing; the route is as it should be, or there is none
 * @VZR_ACT_ADD: add the route (exclusively: never over someone else's)
 * @VZR_ACT_REPLACE: swap ours for one under the same key
 * @VZR_ACT_ADD_DEL: add the new route, then delete ours under the old key
 * @VZR_ACT_DEL: delete ours
 */
enum vzr_action {
	VZR_ACT_NONE,
	VZR_ACT_ADD,
	VZR_ACT_REPLACE,
	VZR_ACT_ADD_DEL,
	VZR_ACT_DEL,
};

#define VZR_RETRY_DELAY	(2 * HZ)	/* conflicts and failures */
#define VZR_DAD_POLL	(HZ / 10)	/* DAD completion has no notifier */
#define VZR_MAP_POLL	(HZ / 10)	/* nor has a change of the venet IP map */
#define VZR_MAP_RECHECK	HZ		/* admitted venet addresses, likewise */
#define VZR_DAD_YOUNG	3		/* s: DAD normally ends by then */
#define VZR_MAP_YOUNG	60		/* s: a live migration's restore */
#define VZR_POLL_SLOW	(2 * HZ)	/* either, past that age */
/*
 * Walks of every entry, a recount or an election past VZR_ELECT_FREE
 * entries, come VZR_WALK_GAP apart at most (reconcile.c).
 */
#define VZR_WALK_GAP	HZ
#define VZR_ELECT_FREE	512

u8 vzr_observed_state(const struct vzr_sight *s);
bool vzr_cap_room(u32 granted, u32 max);
u8 vzr_gate(u8 obs, bool allowed, bool granted);
u8 vzr_admit(u8 obs, enum vzr_allow verdict, bool granted);
bool vzr_claim(const void **holder, const void *e);
enum vzr_action vzr_slot_action(bool held, bool installed,
				const struct vzr_route *inst,
				const struct vzr_route *want);
enum vzr_action vzr_flushed_action(bool held, const struct vzr_route *inst,
				   const struct vzr_route *want);
u8 vzr_state_after(int err);
unsigned int vzr_state_events(u8 old, u8 state, bool took_over, u8 ev[2]);
unsigned long vzr_look_again(u8 state);
unsigned int vzr_poll_young(u8 state);

/*
 * States that end without an event of their own: DAD ending has no
 * notifier, nor has a change of venet's IP map. Their addresses are
 * polled: often while young (vzr_poll_young()), then every VZR_POLL_SLOW,
 * so that a container keeping thousands of them there costs the node a
 * look at them only that often.
 */
static inline bool vzr_state_polled(u8 state)
{
	return vzr_poll_young(state);
}

unsigned long vzr_sooner(unsigned long a, unsigned long b);

#endif /* _VZR_DECIDE_H */
