// SPDX-License-Identifier: GPL-2.0
/*
 * Each container's budget of route adds. A container's root can take all
 * of its addresses away and give them back with one system call each way:
 * its end of the veth pair set down and up, its addresses flushed and
 * added again in one batch. Each time, every one of its routes (up to
 * max_per_netns) is deleted and added again in the node's tables, under
 * RTNL, and its /32s churn in the node's routing daemon: at the
 * reconciler's pace, about a hundred times a second, a cost to the node
 * that the container does not pay. So the routes a container gets added
 * come from a token bucket of its own (pace.c): twice the cap of one
 * namespace at once, so that a container that starts, or starts again,
 * gets the routes of its namespace at once; then a tenth of that a
 * second. An add beyond it waits (sync.c), its address shown pending and
 * counted in routes_deferred, and is tried again when its container's
 * next token is due. Deletes never wait: an address that goes stops being
 * routed at once, and the deletes a container can cause are bounded by
 * its adds.
 *
 * A container is told as the announcements tell it (vzr_owner_key()): a
 * container without a user namespace of its own, by its network
 * namespace, so one that moves its device into namespaces it makes gets a
 * budget in each. A budget that is full again is the same as none, and is
 * forgotten by the next sweep, a work item that comes back while budgets
 * are left. Until then a budget keeps its user namespace, so that a
 * container started meanwhile cannot get that memory, and with it a
 * budget spent by another; a network namespace's is forgotten as it dies.
 */

#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>

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
 * Made by the first add its container is charged for; freed by the sweep
 * once full again, by the exit of the network namespace that is its key,
 * or at unload. Under vzr_lock, as are budgets and n_budgets. While there
 * is a budget, the sweep is queued or under way: queued by the first
 * budget made, and again by itself while any is left.
 */
struct budget {
	struct hlist_node hash;
	const void *key;
	struct user_namespace *userns;
	struct vzr_bucket bucket;
};

static void sweep(struct work_struct *work);

static DEFINE_HASHTABLE(budgets, 8);
static unsigned int n_budgets;
static DECLARE_DELAYED_WORK(sweep_work, sweep);
/*
 * Our own, not system_wq: sweep() takes vzr_lock, which a run holds while
 * it waits for RTNL, and a task that flushes system_wq with RTNL held (as
 * paths of the 3.10 and 4.18 era do) would wait for the sweep. Lives from
 * init to uninit.
 */
static struct workqueue_struct *budget_wq;

/*
 * The most a budget holds: twice the routes a namespace may get (capped,
 * so that the doubling cannot overflow).
 */
static u32 burst(void)
{
	u32 cap = vzr_cfg.max_per_netns ?: vzr_cfg.max_tracked;

	return min_t(u32, cap, UINT_MAX / 2) * 2;
}

/*
 * Tokens a second, a tenth of the burst rounded down, at least one: an
 * empty budget is full again in about 10 s. A container that keeps
 * flapping gets about a fifth of its cap back each second, one that
 * starts again now and then (twice in a row, even) waits for none.
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
 * Context: under vzr_lock; may sleep.
 * Return: true when it may (a token taken, or no memory for a budget);
 * false when it waits.
 */
bool vzr_budget_take(struct net *cnet, unsigned long *wait)
{
	const void *key = vzr_owner_key(cnet);
	struct user_namespace *userns;
	struct budget *b;

	lockdep_assert_held(&vzr_lock);
	b = lookup(key);
	if (!b) {
		/* Without memory, a route matters more than its pace. */
		b = vzr_alloc(kzalloc(sizeof(*b), GFP_KERNEL));
		if (!b)
			return true;
		b->key = key;
		userns = vzr_owner_userns(cnet);
		if (userns)
			b->userns = get_user_ns(userns);
		hash_add(budgets, &b->hash, hash_ptr(key, 32));
		if (!n_budgets++)
			queue_delayed_work(budget_wq, &sweep_work, HZ);
	}
	if (vzr_bucket_take(&b->bucket, rate(), burst(), jiffies))
		return true;
	*wait = vzr_sooner(*wait, vzr_bucket_wait(&b->bucket, rate()));
	return false;
}

/* A token taken for a route add that did not stay, which a retry pays. */
void vzr_budget_refund(struct net *cnet)
{
	struct budget *b;

	lockdep_assert_held(&vzr_lock);
	b = lookup(vzr_owner_key(cnet));
	if (b)
		vzr_bucket_refund(&b->bucket, burst());
}

/*
 * Forget the budgets that are full again, and come back when the first of
 * the others will be (at most once a second). Work of its own, not the
 * reconciler's: a quiet node's runs stay as they were.
 */
static void sweep(struct work_struct *work)
{
	unsigned long next = 0, left;
	struct hlist_node *tmp;
	struct budget *b;
	int bkt;

	mutex_lock(&vzr_lock);
	hash_for_each_safe(budgets, bkt, tmp, b, hash) {
		if (vzr_bucket_full(&b->bucket, rate(), burst(), jiffies)) {
			drop(b);
			continue;
		}
		left = vzr_bucket_until_full(&b->bucket, rate(), burst());
		next = vzr_sooner(next, left);
	}
	if (n_budgets)
		queue_delayed_work(budget_wq, &sweep_work,
				   max_t(unsigned long, next, HZ));
	mutex_unlock(&vzr_lock);
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
	budget_wq = alloc_workqueue("vzroute_budget", 0, 1);
	return budget_wq ? 0 : -ENOMEM;
}

/* After the namespaces' exits and the last run: nothing makes one now. */
void vzr_budget_uninit(void)
{
	struct hlist_node *tmp;
	struct budget *b;
	int bkt;

	/* It comes back while budgets are left: the _sync cancel stops it. */
	cancel_delayed_work_sync(&sweep_work);
	mutex_lock(&vzr_lock);
	hash_for_each_safe(budgets, bkt, tmp, b, hash)
		drop(b);
	mutex_unlock(&vzr_lock);
	destroy_workqueue(budget_wq);
}
