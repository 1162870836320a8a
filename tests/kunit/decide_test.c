// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for kmod/decide.c: the life of one tracked address, from
 * what a walk saw to its state, the events listeners hear and when the
 * reconciler looks again.
 */

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/vzroute.h>

#include "../../kmod/decide.c"

#include "vzr_kunit.h"

/* --- what was seen ------------------------------------------------------- */

struct sight_case {
	const char *name;
	struct vzr_sight sight;
	u8 state;
};

/* Each blocking fact, alone and against the ones it outranks; unnamed: false. */
static const struct sight_case sight_cases[] = {
	{ "nothing in the way", { .up = true, .admitted = true },
	  VZROUTE_STATE_PENDING },
	{ "down", { .admitted = true }, VZROUTE_STATE_DOWN },
	{ "down outranks all",
	  { .tentative = true, .dad_failed = true, .host_local = true },
	  VZROUTE_STATE_DOWN },
	{ "dad failed", { .up = true, .dad_failed = true, .admitted = true },
	  VZROUTE_STATE_DAD_FAILED },
	{ "dad failed outranks tentative",
	  { .up = true, .tentative = true, .dad_failed = true, .host_local = true },
	  VZROUTE_STATE_DAD_FAILED },
	{ "tentative", { .up = true, .tentative = true, .admitted = true },
	  VZROUTE_STATE_TENTATIVE },
	{ "tentative outranks unmapped",
	  { .up = true, .tentative = true, .host_local = true },
	  VZROUTE_STATE_TENTATIVE },
	{ "unmapped", { .up = true }, VZROUTE_STATE_UNMAPPED },
	{ "unmapped outranks host-local", { .up = true, .host_local = true },
	  VZROUTE_STATE_UNMAPPED },
	{ "host-local", { .up = true, .admitted = true, .host_local = true },
	  VZROUTE_STATE_HOST_LOCAL },
};

VZR_ARRAY_PARAM(sight, sight_cases, sight_case);

static void observed_state(struct kunit *test)
{
	const struct sight_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, vzr_observed_state(&c->sight), c->state);
}

/* --- allow list and cap -------------------------------------------------- */

static void cap_room(struct kunit *test)
{
	u32 granted;

	/* 0 is no limit. */
	for (granted = 0; granted < 1000; granted++)
		KUNIT_EXPECT_TRUE(test, vzr_cap_room(granted, 0));
	KUNIT_EXPECT_TRUE(test, vzr_cap_room(U32_MAX, 0));
	/* Room for exactly max routes. */
	KUNIT_EXPECT_TRUE(test, vzr_cap_room(0, 2));
	KUNIT_EXPECT_TRUE(test, vzr_cap_room(1, 2));
	KUNIT_EXPECT_FALSE(test, vzr_cap_room(2, 2));
	KUNIT_EXPECT_FALSE(test, vzr_cap_room(3, 2));
	KUNIT_EXPECT_TRUE(test, vzr_cap_room(0, 1));
	KUNIT_EXPECT_FALSE(test, vzr_cap_room(1, 1));
	KUNIT_EXPECT_TRUE(test, vzr_cap_room(U32_MAX - 1, U32_MAX));
}

/*
 * A namespace with max_per_netns 2 and three addresses, oldest first, as
 * the reconciler grants them: the two oldest get routes; when one of them
 * goes, the third gets in.
 */
static void cap_oldest_first(struct kunit *test)
{
	bool granted[3] = {};
	u32 n = 0;
	int i;

	for (i = 0; i < 3; i++)
		if (vzr_cap_room(n, 2))
			granted[i] = ++n;
	KUNIT_EXPECT_TRUE(test, granted[0]);
	KUNIT_EXPECT_TRUE(test, granted[1]);
	KUNIT_EXPECT_FALSE(test, granted[2]);
	KUNIT_EXPECT_EQ(test, vzr_gate(VZROUTE_STATE_PENDING, true, granted[2]),
			VZROUTE_STATE_OVER_CAP);
	/* The first goes: its grant is returned, the third takes it. */
	granted[0] = false;
	n--;
	KUNIT_EXPECT_TRUE(test, vzr_cap_room(n, 2));
	granted[2] = ++n;
	KUNIT_EXPECT_EQ(test, vzr_gate(VZROUTE_STATE_PENDING, true, granted[2]),
			VZROUTE_STATE_PENDING);
	KUNIT_EXPECT_FALSE(test, vzr_cap_room(n, 2));
}

static void gate(struct kunit *test)
{
	static const struct {
		u8 obs;
		bool allowed, granted;
		u8 state;
	} cases[] = {
		/* Something else in the way: passed through, whatever the rest. */
		{ VZROUTE_STATE_DOWN, true, true, VZROUTE_STATE_DOWN },
		{ VZROUTE_STATE_UNMAPPED, false, false, VZROUTE_STATE_UNMAPPED },
		{ VZROUTE_STATE_HOST_LOCAL, true, true, VZROUTE_STATE_HOST_LOCAL },
		/* The allow list is asked before the cap. */
		{ VZROUTE_STATE_PENDING, false, false, VZROUTE_STATE_DENIED },
		{ VZROUTE_STATE_PENDING, false, true, VZROUTE_STATE_DENIED },
		{ VZROUTE_STATE_PENDING, true, false, VZROUTE_STATE_OVER_CAP },
		{ VZROUTE_STATE_PENDING, true, true, VZROUTE_STATE_PENDING },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test, vzr_gate(cases[i].obs, cases[i].allowed,
						   cases[i].granted),
				    cases[i].state, "case %u", i);
}

/* --- duplicates: first come, first served -------------------------------- */

static void claim(struct kunit *test)
{
	int a, b, c;
	const void *holder = NULL;

	KUNIT_EXPECT_TRUE(test, vzr_claim(&holder, &a));
	KUNIT_EXPECT_PTR_EQ(test, holder, (const void *)&a);
	/* The holder keeps it, run after run; later ones stand by. */
	KUNIT_EXPECT_TRUE(test, vzr_claim(&holder, &a));
	KUNIT_EXPECT_FALSE(test, vzr_claim(&holder, &b));
	KUNIT_EXPECT_FALSE(test, vzr_claim(&holder, &c));
	KUNIT_EXPECT_PTR_EQ(test, holder, (const void *)&a);
	/* The holder went: the oldest standby, offered first, takes over. */
	holder = NULL;
	KUNIT_EXPECT_TRUE(test, vzr_claim(&holder, &b));
	KUNIT_EXPECT_FALSE(test, vzr_claim(&holder, &c));
	KUNIT_EXPECT_PTR_EQ(test, holder, (const void *)&b);
}

/* --- what the kernel must do --------------------------------------------- */

static void slot_action(struct kunit *test)
{
	struct vzr_route inst = {
		.ifindex = 5, .proto = 157, .metric = 128, .table = 254,
	};
	struct vzr_route want[5];	/* inst, then with one field changed */
	static const u8 action[] = {
		VZR_ACT_NONE,
		/* A new holder (device) or protocol: same key, replaced in place. */
		VZR_ACT_REPLACE, VZR_ACT_REPLACE,
		/* A new metric or table is a new key: add first, then delete. */
		VZR_ACT_ADD_DEL, VZR_ACT_ADD_DEL,
	};
	unsigned int i;

	vzr_ip_set4(&inst.dst, htonl(0xc0000207));
	for (i = 0; i < ARRAY_SIZE(want); i++)
		want[i] = inst;
	want[1].ifindex = 6;
	want[2].proto = 158;
	want[3].metric = 200;
	want[4].table = 100;
	KUNIT_EXPECT_EQ(test, vzr_slot_action(false, false, &inst, &want[0]),
			VZR_ACT_NONE);
	KUNIT_EXPECT_EQ(test, vzr_slot_action(false, true, &inst, &want[0]),
			VZR_ACT_DEL);
	KUNIT_EXPECT_EQ(test, vzr_slot_action(true, false, &inst, &want[0]),
			VZR_ACT_ADD);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		KUNIT_EXPECT_EQ_MSG(test, vzr_slot_action(true, true, &inst, &want[i]),
				    action[i], "want[%u]", i);
}

/* A route a flush record took may be there still: never left behind. */
static void flushed_action(struct kunit *test)
{
	struct vzr_route inst = {
		.ifindex = 5, .proto = 157, .metric = 128, .table = 254,
	};
	struct vzr_route want;

	vzr_ip_set4(&inst.dst, htonl(0xc0000207));
	want = inst;
	KUNIT_EXPECT_EQ(test, vzr_flushed_action(false, &inst, &want),
			VZR_ACT_DEL);
	KUNIT_EXPECT_EQ(test, vzr_flushed_action(true, &inst, &want),
			VZR_ACT_ADD);
	/* A new holder or protocol: the same key, which the add meets. */
	want.ifindex = 6;
	want.proto = 158;
	KUNIT_EXPECT_EQ(test, vzr_flushed_action(true, &inst, &want),
			VZR_ACT_ADD);
	/* A new key: the old route must go too. */
	want.metric = 200;
	KUNIT_EXPECT_EQ(test, vzr_flushed_action(true, &inst, &want),
			VZR_ACT_ADD_DEL);
	want.metric = inst.metric;
	want.table = 100;
	KUNIT_EXPECT_EQ(test, vzr_flushed_action(true, &inst, &want),
			VZR_ACT_ADD_DEL);
}

static void state_after(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vzr_state_after(0), VZROUTE_STATE_INSTALLED);
	KUNIT_EXPECT_EQ(test, vzr_state_after(-EEXIST), VZROUTE_STATE_CONFLICT);
	KUNIT_EXPECT_EQ(test, vzr_state_after(-ENOMEM), VZROUTE_STATE_FAILED);
	KUNIT_EXPECT_EQ(test, vzr_state_after(-ENODEV), VZROUTE_STATE_FAILED);
	KUNIT_EXPECT_EQ(test, vzr_state_after(-ENOBUFS), VZROUTE_STATE_FAILED);
}

/* --- what listeners hear ------------------------------------------------- */

struct event_case {
	const char *name;
	u8 old, state;
	bool took_over;
	unsigned int n;
	u8 ev[2];
};

static const struct event_case event_cases[] = {
	{ "pending -> installed", VZROUTE_STATE_PENDING,
	  VZROUTE_STATE_INSTALLED, false, 1, { VZROUTE_EVENT_INSTALLED } },
	{ "conflict -> installed", VZROUTE_STATE_CONFLICT,
	  VZROUTE_STATE_INSTALLED, false, 1, { VZROUTE_EVENT_INSTALLED } },
	{ "failed -> installed (retry)", VZROUTE_STATE_FAILED,
	  VZROUTE_STATE_INSTALLED, false, 1, { VZROUTE_EVENT_INSTALLED } },
	{ "standby -> installed (takeover)", VZROUTE_STATE_STANDBY,
	  VZROUTE_STATE_INSTALLED, true, 1, { VZROUTE_EVENT_TAKEOVER } },
	{ "installed -> standby", VZROUTE_STATE_INSTALLED,
	  VZROUTE_STATE_STANDBY, false, 2,
	  { VZROUTE_EVENT_WITHDRAWN, VZROUTE_EVENT_STANDBY } },
	{ "installed -> denied", VZROUTE_STATE_INSTALLED,
	  VZROUTE_STATE_DENIED, false, 2,
	  { VZROUTE_EVENT_WITHDRAWN, VZROUTE_EVENT_DENIED } },
	{ "installed -> down", VZROUTE_STATE_INSTALLED, VZROUTE_STATE_DOWN,
	  false, 1, { VZROUTE_EVENT_WITHDRAWN } },
	{ "installed -> conflict", VZROUTE_STATE_INSTALLED,
	  VZROUTE_STATE_CONFLICT, false, 2,
	  { VZROUTE_EVENT_WITHDRAWN, VZROUTE_EVENT_CONFLICT } },
	{ "pending -> over-cap", VZROUTE_STATE_PENDING,
	  VZROUTE_STATE_OVER_CAP, false, 1, { VZROUTE_EVENT_OVER_CAP } },
	{ "pending -> failed", VZROUTE_STATE_PENDING, VZROUTE_STATE_FAILED,
	  false, 1, { VZROUTE_EVENT_FAILED } },
	{ "failed -> failed, other errno", VZROUTE_STATE_FAILED,
	  VZROUTE_STATE_FAILED, false, 1, { VZROUTE_EVENT_FAILED } },
	{ "pending -> tentative", VZROUTE_STATE_PENDING,
	  VZROUTE_STATE_TENTATIVE, false, 1, { VZROUTE_EVENT_STATE } },
	{ "tentative -> unmapped", VZROUTE_STATE_TENTATIVE,
	  VZROUTE_STATE_UNMAPPED, false, 1, { VZROUTE_EVENT_STATE } },
	{ "down -> host-local", VZROUTE_STATE_DOWN, VZROUTE_STATE_HOST_LOCAL,
	  false, 1, { VZROUTE_EVENT_STATE } },
};

VZR_ARRAY_PARAM(event, event_cases, event_case);

static void state_events(struct kunit *test)
{
	const struct event_case *c = test->param_value;
	u8 ev[2] = {};
	unsigned int i, n;

	n = vzr_state_events(c->old, c->state, c->took_over, ev);
	KUNIT_ASSERT_EQ(test, n, c->n);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, ev[i], c->ev[i], "event %u", i);
}

/* --- when to look again -------------------------------------------------- */

static void look_again(struct kunit *test)
{
	static const u8 quiet[] = {
		VZROUTE_STATE_PENDING, VZROUTE_STATE_INSTALLED,
		VZROUTE_STATE_DENIED, VZROUTE_STATE_OVER_CAP,
		VZROUTE_STATE_STANDBY, VZROUTE_STATE_DAD_FAILED,
		VZROUTE_STATE_DOWN, VZROUTE_STATE_HOST_LOCAL,
	};
	unsigned int i;

	KUNIT_EXPECT_EQ(test, vzr_look_again(VZROUTE_STATE_TENTATIVE),
			VZR_DAD_POLL);
	KUNIT_EXPECT_EQ(test, vzr_look_again(VZROUTE_STATE_UNMAPPED),
			VZR_MAP_POLL);
	KUNIT_EXPECT_EQ(test, vzr_look_again(VZROUTE_STATE_CONFLICT),
			VZR_RETRY_DELAY);
	KUNIT_EXPECT_EQ(test, vzr_look_again(VZROUTE_STATE_FAILED),
			VZR_RETRY_DELAY);
	/* Polled: often for a while (a live migration's restore is long). */
	KUNIT_EXPECT_EQ(test, vzr_poll_young(VZROUTE_STATE_TENTATIVE),
			VZR_DAD_YOUNG);
	KUNIT_EXPECT_EQ(test, vzr_poll_young(VZROUTE_STATE_UNMAPPED),
			VZR_MAP_YOUNG);
	KUNIT_EXPECT_FALSE(test, vzr_state_polled(VZROUTE_STATE_CONFLICT));
	KUNIT_EXPECT_FALSE(test, vzr_state_polled(VZROUTE_STATE_FAILED));
	/* States whose way out comes with an event of its own. */
	for (i = 0; i < ARRAY_SIZE(quiet); i++) {
		KUNIT_EXPECT_EQ_MSG(test, vzr_look_again(quiet[i]), 0UL,
				    "state %u", quiet[i]);
		KUNIT_EXPECT_FALSE_MSG(test, vzr_state_polled(quiet[i]),
				       "state %u", quiet[i]);
	}
	KUNIT_EXPECT_EQ(test, vzr_sooner(0, 0), 0UL);
	KUNIT_EXPECT_EQ(test, vzr_sooner(0, 5), 5UL);
	KUNIT_EXPECT_EQ(test, vzr_sooner(5, 0), 5UL);
	KUNIT_EXPECT_EQ(test, vzr_sooner(7, 5), 5UL);
}

/* --- whole lives, as the reconciler strings the steps together ----------- */

/*
 * One address held by entry A, wanted by a newer entry B too. @installed
 * and @holder stand for the route slot; each helper is one reconciler
 * step for one entry.
 */
struct life {
	struct kunit *test;
	const void *holder;
	bool installed;
	u8 state[2];
	u8 last_ev;
};

static const struct vzr_route life_route = { .ifindex = 3, .metric = 128,
					     .table = 254, .proto = 157 };

static void life_set(struct life *l, int who, u8 state, bool took_over)
{
	u8 ev[2];
	unsigned int n;

	if (l->state[who] == state)
		return;
	n = vzr_state_events(l->state[who], state, took_over, ev);
	l->last_ev = n ? ev[n - 1] : 0;
	l->state[who] = state;
}

/* Entry @who, eligible, meets the slot; the kernel answers @err. */
static void life_step(struct life *l, int who, int err)
{
	const void *me = &l->state[who];
	bool took_over;

	if (!vzr_claim(&l->holder, me)) {
		life_set(l, who, VZROUTE_STATE_STANDBY, false);
		return;
	}
	took_over = l->installed && l->state[who] != VZROUTE_STATE_INSTALLED;
	switch (vzr_slot_action(true, l->installed, &life_route, &life_route)) {
	case VZR_ACT_NONE:
		break;
	case VZR_ACT_ADD:
		l->installed = !err;
		break;
	default:
		KUNIT_FAIL(l->test, "unexpected action");
	}
	life_set(l, who, vzr_state_after(err), took_over);
}

static void life_conflict_then_installed(struct kunit *test)
{
	struct life l = { .test = test, .state = { VZROUTE_STATE_PENDING } };

	life_step(&l, 0, -EEXIST);
	KUNIT_EXPECT_EQ(test, l.state[0], VZROUTE_STATE_CONFLICT);
	KUNIT_EXPECT_EQ(test, l.last_ev, VZROUTE_EVENT_CONFLICT);
	KUNIT_EXPECT_EQ(test, vzr_look_again(l.state[0]), VZR_RETRY_DELAY);
	/* The foreign route went; the retry adds ours. */
	life_step(&l, 0, 0);
	KUNIT_EXPECT_EQ(test, l.state[0], VZROUTE_STATE_INSTALLED);
	KUNIT_EXPECT_EQ(test, l.last_ev, VZROUTE_EVENT_INSTALLED);
	KUNIT_EXPECT_TRUE(test, l.installed);
	KUNIT_EXPECT_EQ(test, vzr_look_again(l.state[0]), 0UL);
}

static void life_failure_then_retry(struct kunit *test)
{
	struct life l = { .test = test, .state = { VZROUTE_STATE_PENDING } };

	life_step(&l, 0, -ENOBUFS);
	KUNIT_EXPECT_EQ(test, l.state[0], VZROUTE_STATE_FAILED);
	KUNIT_EXPECT_EQ(test, l.last_ev, VZROUTE_EVENT_FAILED);
	KUNIT_EXPECT_FALSE(test, l.installed);
	KUNIT_EXPECT_EQ(test, vzr_look_again(l.state[0]), VZR_RETRY_DELAY);
	life_step(&l, 0, 0);
	KUNIT_EXPECT_EQ(test, l.state[0], VZROUTE_STATE_INSTALLED);
	KUNIT_EXPECT_TRUE(test, l.installed);
}

static void life_standby_takeover(struct kunit *test)
{
	struct life l = { .test = test,
			  .state = { VZROUTE_STATE_PENDING,
				     VZROUTE_STATE_PENDING } };

	life_step(&l, 0, 0);
	life_step(&l, 1, 0);
	KUNIT_EXPECT_EQ(test, l.state[0], VZROUTE_STATE_INSTALLED);
	KUNIT_EXPECT_EQ(test, l.state[1], VZROUTE_STATE_STANDBY);
	KUNIT_EXPECT_EQ(test, l.last_ev, VZROUTE_EVENT_STANDBY);
	/* The holder goes; its route stays until the standby has it. */
	l.holder = NULL;
	life_step(&l, 1, 0);
	KUNIT_EXPECT_EQ(test, l.state[1], VZROUTE_STATE_INSTALLED);
	KUNIT_EXPECT_EQ(test, l.last_ev, VZROUTE_EVENT_TAKEOVER);
	KUNIT_EXPECT_PTR_EQ(test, l.holder, (const void *)&l.state[1]);
	/* The old holder comes back: it is the standby now. */
	life_step(&l, 0, 0);
	KUNIT_EXPECT_EQ(test, l.state[0], VZROUTE_STATE_STANDBY);
}

static struct kunit_case decide_cases[] = {
	KUNIT_CASE_PARAM(observed_state, sight_gen_params),
	KUNIT_CASE(cap_room),
	KUNIT_CASE(cap_oldest_first),
	KUNIT_CASE(gate),
	KUNIT_CASE(claim),
	KUNIT_CASE(slot_action),
	KUNIT_CASE(flushed_action),
	KUNIT_CASE(state_after),
	KUNIT_CASE_PARAM(state_events, event_gen_params),
	KUNIT_CASE(look_again),
	KUNIT_CASE(life_conflict_then_installed),
	KUNIT_CASE(life_failure_then_retry),
	KUNIT_CASE(life_standby_takeover),
	{}
};

VZR_KUNIT_SUITE(decide, NULL, NULL);

kunit_test_suite(decide_suite);

/* --- vzr_admit: the allow list's bindings ---------------------------------- */

static void admit_bound(struct kunit *test)
{
	const u8 P = VZROUTE_STATE_PENDING;

	KUNIT_EXPECT_EQ(test, vzr_admit(P, VZR_ALLOW_HERE, true), P);
	KUNIT_EXPECT_EQ(test, vzr_admit(P, VZR_ALLOW_HERE, false),
			VZROUTE_STATE_OVER_CAP);
	KUNIT_EXPECT_EQ(test, vzr_admit(P, VZR_ALLOW_NONE, true),
			VZROUTE_STATE_DENIED);
	/* Another container's address: its own state, whatever the cap. */
	KUNIT_EXPECT_EQ(test, vzr_admit(P, VZR_ALLOW_ELSEWHERE, true),
			VZROUTE_STATE_UNBOUND);
	KUNIT_EXPECT_EQ(test, vzr_admit(P, VZR_ALLOW_ELSEWHERE, false),
			VZROUTE_STATE_UNBOUND);
	/* What the walk saw comes first, as for the allow list. */
	KUNIT_EXPECT_EQ(test, vzr_admit(VZROUTE_STATE_DOWN, VZR_ALLOW_ELSEWHERE, true),
			VZROUTE_STATE_DOWN);
	KUNIT_EXPECT_EQ(test, vzr_admit(VZROUTE_STATE_TENTATIVE, VZR_ALLOW_ELSEWHERE,
					true), VZROUTE_STATE_TENTATIVE);
	/* A refusal of its own: listeners hear a state change, no route. */
	KUNIT_EXPECT_EQ(test, vzr_look_again(VZROUTE_STATE_UNBOUND), 0);
}

static void admit_bound_events(struct kunit *test)
{
	u8 ev[2];

	/* The holder's address is bound elsewhere now: withdrawn, then why. */
	KUNIT_ASSERT_EQ(test, vzr_state_events(VZROUTE_STATE_INSTALLED,
					       VZROUTE_STATE_UNBOUND, false, ev), 1);
	KUNIT_EXPECT_EQ(test, ev[0], VZROUTE_EVENT_WITHDRAWN);
	KUNIT_ASSERT_EQ(test, vzr_state_events(VZROUTE_STATE_PENDING,
					       VZROUTE_STATE_UNBOUND, false, ev), 1);
	KUNIT_EXPECT_EQ(test, ev[0], VZROUTE_EVENT_STATE);
}

static struct kunit_case decide_bind_cases[] = {
	KUNIT_CASE(admit_bound),
	KUNIT_CASE(admit_bound_events),
	{}
};

static struct kunit_suite decide_bind_suite = {
	.name = "vzr_decide_bind",
	.test_cases = decide_bind_cases,
};

kunit_test_suite(decide_bind_suite);
