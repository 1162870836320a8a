// SPDX-License-Identifier: GPL-2.0
/*
 * The life of one tracked address, as pure functions. The reconciler
 * feeds them what it saw and what the kernel answered; they say what the
 * address's state becomes, what to tell listeners and when to look again.
 *
 *   seen --> down | tentative | dad-failed | unmapped | host-local
 *        \-> pending --> denied | unbound | over-cap  (vzr_admit)
 *                    \-> standby    another entry holds the address
 *                    \-> installed | conflict | failed (vzr_state_after)
 *   standby --> installed (a takeover) when the holder goes
 *   conflict, failed --> tried again after VZR_RETRY_DELAY
 */

#include <linux/errno.h>
#include <linux/vzroute.h>

#include "decide.h"

/* What stands in the way of a route, by what was seen; else pending. */
u8 vzr_observed_state(const struct vzr_sight *s)
{
	if (!s->up)
		return VZROUTE_STATE_DOWN;
	if (s->dad_failed)
		return VZROUTE_STATE_DAD_FAILED;
	if (s->tentative)
		return VZROUTE_STATE_TENTATIVE;
	if (!s->admitted)
		return VZROUTE_STATE_UNMAPPED;
	if (s->host_local)
		return VZROUTE_STATE_HOST_LOCAL;
	return VZROUTE_STATE_PENDING;
}

/**
 * vzr_cap_room() - may a namespace's addresses have one more route?
 * @granted: how many of them have one (or are about to)
 * @max: max_per_netns, 0 for no limit
 *
 * Addresses are granted oldest first, and keep their grant while they are
 * eligible, so the ones that got a route keep it when a newer one comes.
 */
bool vzr_cap_room(u32 granted, u32 max)
{
	return !max || granted < max;
}

/**
 * vzr_gate() - may an address that nothing else stops have a route?
 * @obs: vzr_observed_state()
 * @allowed: the allow list covers it
 * @granted: its namespace's cap has room for it (see vzr_cap_room())
 *
 * Return: VZROUTE_STATE_PENDING when it may, else the state saying why not.
 */
u8 vzr_gate(u8 obs, bool allowed, bool granted)
{
	if (obs != VZROUTE_STATE_PENDING)
		return obs;
	if (!allowed)
		return VZROUTE_STATE_DENIED;
	if (!granted)
		return VZROUTE_STATE_OVER_CAP;
	return VZROUTE_STATE_PENDING;
}

/**
 * vzr_admit() - vzr_gate(), with the allow list's bindings
 * @obs: vzr_observed_state()
 * @verdict: vzr_allow_match() for the address and its host side
 * @granted: as for vzr_gate()
 *
 * An address whose allow entry is bound to other devices is another
 * container's: it gets its own state, never a grant, a slot or standby.
 *
 * Return: VZROUTE_STATE_PENDING when it may have a route, else the state
 * saying why not.
 */
u8 vzr_admit(u8 obs, enum vzr_allow verdict, bool granted)
{
	if (obs == VZROUTE_STATE_PENDING && verdict == VZR_ALLOW_ELSEWHERE)
		return VZROUTE_STATE_UNBOUND;
	return vzr_gate(obs, verdict == VZR_ALLOW_HERE, granted);
}

/**
 * vzr_claim() - first come, first served, for one address
 * @holder: the slot's holder, NULL when the last one went
 * @e: an eligible entry, offered oldest first
 *
 * Return: true when @e holds the address (now or already); false makes it
 * a standby.
 */
bool vzr_claim(const void **holder, const void *e)
{
	if (!*holder)
		*holder = e;
	return *holder == e;
}

static bool same_key(const struct vzr_route *x, const struct vzr_route *y)
{
	return x->table == y->table && x->metric == y->metric;
}

/**
 * vzr_slot_action() - what the kernel must do for one route slot
 * @held: an entry holds the address
 * @installed: a route of ours is in the table, as @inst
 * @inst: that route
 * @want: the route the holder should have (unused when !@held)
 *
 * The kernel keys a route by prefix, table and metric. Under the same key
 * ours is replaced in place; under a new key the new one is added first.
 * Either way the address is never without a route.
 */
enum vzr_action vzr_slot_action(bool held, bool installed,
				const struct vzr_route *inst,
				const struct vzr_route *want)
{
	if (!held)
		return installed ? VZR_ACT_DEL : VZR_ACT_NONE;
	if (!installed)
		return VZR_ACT_ADD;
	if (vzr_route_equal(inst, want))
		return VZR_ACT_NONE;
	return same_key(inst, want) ? VZR_ACT_REPLACE : VZR_ACT_ADD_DEL;
}

/**
 * vzr_flushed_action() - what the kernel must do for a slot whose route a
 * flush record took, though the route may still be there (vzr_slot.flushed)
 * @held: an entry holds the address
 * @inst: the route the record took
 * @want: the route the holder should have (unused when !@held)
 *
 * Without a holder the route is deleted, gone already or not. With one,
 * a plain add, which meets the old route if it is there (the sync then
 * asks for an audit); under a new key (a metric or table set since) the
 * old one must go as well, or nothing would remove it.
 */
enum vzr_action vzr_flushed_action(bool held, const struct vzr_route *inst,
				   const struct vzr_route *want)
{
	if (!held)
		return VZR_ACT_DEL;
	return same_key(inst, want) ? VZR_ACT_ADD : VZR_ACT_ADD_DEL;
}

/*
 * The state of a holder after the kernel answered @err to its route. An
 * exclusive add refused with EEXIST met a route somebody else made.
 */
u8 vzr_state_after(int err)
{
	if (!err)
		return VZROUTE_STATE_INSTALLED;
	return err == -EEXIST ? VZROUTE_STATE_CONFLICT : VZROUTE_STATE_FAILED;
}

/* The event naming a new state; 0 for those with none of their own. */
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

/**
 * vzr_state_events() - what listeners hear when an address changes state
 * @old: the state it leaves
 * @state: the state it enters (not @old, or @old with another errno)
 * @took_over: it became the holder of a route another entry held
 * @ev: receives the events, in order
 *
 * Losing a route is always news of its own, before the reason.
 *
 * Return: how many events were written to @ev (at most 2).
 */
unsigned int vzr_state_events(u8 old, u8 state, bool took_over, u8 ev[2])
{
	unsigned int n = 0;
	u8 e = event_of(state, took_over);

	if (old == VZROUTE_STATE_INSTALLED)
		ev[n++] = VZROUTE_EVENT_WITHDRAWN;
	if (e)
		ev[n++] = e;
	else if (old != VZROUTE_STATE_INSTALLED)
		ev[n++] = VZROUTE_EVENT_STATE;
	return n;
}

/*
 * The states an address leaves with no event of its own: how often to
 * look at it again by itself, and, for those polled, for how many seconds
 * since it entered the state that is how often, before every
 * VZR_POLL_SLOW.
 */
static const struct {
	unsigned long every;
	unsigned int young;
} looks[VZROUTE_STATE_MAX + 1] = {
	[VZROUTE_STATE_TENTATIVE] = { VZR_DAD_POLL, VZR_DAD_YOUNG },
	[VZROUTE_STATE_UNMAPPED] = { VZR_MAP_POLL, VZR_MAP_YOUNG },
	[VZROUTE_STATE_CONFLICT] = { VZR_RETRY_DELAY, 0 },
	[VZROUTE_STATE_FAILED] = { VZR_RETRY_DELAY, 0 },
};

/* When to look at an address in @state again; 0: its events suffice. */
unsigned long vzr_look_again(u8 state)
{
	return state < ARRAY_SIZE(looks) ? looks[state].every : 0;
}

/* How long an address in @state is polled often; 0: it is not polled. */
unsigned int vzr_poll_young(u8 state)
{
	return state < ARRAY_SIZE(looks) ? looks[state].young : 0;
}

/* The nearer of two delays, 0 meaning none. */
unsigned long vzr_sooner(unsigned long a, unsigned long b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}
