// SPDX-License-Identifier: GPL-2.0
/*
 * Each container's budget of route adds. A container's root can take all
 * of its addresses away and give them back with one system call each way:
 * its end of the veth pair set down and up, its addresses flushed and
 * added again in one batch, its device moved to a namespace of its own
 * and back. Each time, every one of its routes (up to max_per_netns) is
 * deleted and added again in the node's tables, under RTNL, and its /32s
 * churn in the node's routing daemon: at the reconciler's pace, about a
 * hundred times a second, a cost to the node that the container does not
 * pay. So the routes a container gets added come from a token bucket of
 * its own (pace.c): twice its cap at once, so that a container that
 * starts, or starts again, gets all of its routes at once; then a tenth
 * of that a second. An add beyond it waits (sync.c), its address shown
 * pending and counted in routes_deferred, and is tried again when its
 * container's next token is due. Deletes never wait: an address that goes stops being routed at
 * once, and the deletes a container can cause are bounded by its adds.
 *
 * A container is told as the announcements tell it (vzr_owner_key()). A
 * budget is forgotten once it is full again, which is the same as none.
 * Until then it keeps its user namespace, so that a container started
 * meanwhile cannot get that memory, and with it a budget spent by
 * another; a network namespace, the key of a container without a user
 * namespace of its own, has its budget forgotten as it dies.
 */

#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>

#include "budget.h"
#include "decide.h"
#include "fault.h"
#include "netns.h"
#include "pace.h"
#include "params.h"
#include "track.h"

/**
 * struct budget - one container's route adds
 * @hash: in budgets
 * @key: vzr_owner_key(); compared, never followed
 * @userns: a reference to the key, when the key is a user namespace;
 *          NULL when it is a network namespace (vzr_budget_forget_net())
 * @bucket: its tokens
 *
 * Under vzr_lock, as are @budgets, @n_budgets and @sweep_at.
 */
struct budget {
	struct hlist_node hash;
	const void *key;
	struct user_namespace *userns;
	struct vzr_bucket bucket;
};

static DEFINE_HASHTABLE(budgets, 8);
static unsigned int n_budgets;
static unsigned long sweep_at;

/* The most a budget holds: twice the routes a namespace may get. */
static u32 burst(void)
{
	u32 cap = vzr_cfg.max_per_netns ?: vzr_cfg.max_tracked;

	return min_t(u32, cap, UINT_MAX / 2) * 2;
}

/*
 * Tokens a second: an empty budget is full again in about 10 s. A
 * container that keeps flapping gets about a fifth of its cap back each
 * second, one that starts again now and then (twice in a row, even) waits
 * for none.
 */
static u32 rate(void)
{
	return max_t(u32, burst() / 10, 1);
}

static struct budget *lookup(const void *key)
{
	struct budget *b;

	hash_for_each_possible(budgets, b, hash, hash_ptr(key, 32))
		if (b->key == key)
			return b;
	return NULL;
}

static void drop(struct budget *b)
{
	hash_del(&b->hash);
	n_budgets--;
	put_user_ns(b->userns);
	kfree(b);
}

/**
 * vzr_budget_take() - may a route for an address of @cnet be added now?
 * @cnet: the container namespace of the address
 * @wait: when it may not, lowered to the jiffies until its next token
 *        (0 stands for none yet)
 *
 * Return: true when it may (a token taken); false when it waits.
 */
bool vzr_budget_take(struct net *cnet, unsigned long *wait)
{
	struct user_namespace *userns = vzr_owner_userns(cnet);
	const void *key = userns ?: (const void *)cnet;
	struct budget *b;

	lockdep_assert_held(&vzr_lock);
	b = lookup(key);
	if (!b) {
		/* Without memory, a route matters more than its pace. */
		b = vzr_alloc(kzalloc(sizeof(*b), GFP_KERNEL));
		if (!b)
			return true;
		b->key = key;
		if (userns)
			b->userns = get_user_ns(userns);
		hash_add(budgets, &b->hash, hash_ptr(key, 32));
		n_budgets++;
	}
	if (vzr_bucket_take(&b->bucket, rate(), burst(), jiffies))
		return true;
	*wait = vzr_sooner(*wait, vzr_bucket_wait(&b->bucket, rate()));
	return false;
}

/*
 * Forget the budgets that are full again, at most once a second: a walk
 * over the containers that added routes in the last 10 s or so.
 */
void vzr_budget_sweep(void)
{
	struct hlist_node *tmp;
	struct budget *b;
	int bkt;

	lockdep_assert_held(&vzr_lock);
	if (!n_budgets || time_before(jiffies, sweep_at))
		return;
	sweep_at = jiffies + HZ;
	hash_for_each_safe(budgets, bkt, tmp, b, hash)
		if (vzr_bucket_full(&b->bucket, rate(), burst(), jiffies))
			drop(b);
}

/*
 * A namespace that is its container's key dies: a new one in its memory
 * must not inherit its budget.
 */
void vzr_budget_forget_net(struct net *net)
{
	struct budget *b;

	lockdep_assert_held(&vzr_lock);
	b = lookup(net);
	if (b)
		drop(b);
}

int vzr_budget_init(void)
{
	sweep_at = jiffies;
	return 0;
}

/* After the namespaces' exits and the last run. */
void vzr_budget_uninit(void)
{
	struct hlist_node *tmp;
	struct budget *b;
	int bkt;

	mutex_lock(&vzr_lock);
	hash_for_each_safe(budgets, bkt, tmp, b, hash)
		drop(b);
	mutex_unlock(&vzr_lock);
}
