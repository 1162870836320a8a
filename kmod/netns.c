// SPDX-License-Identifier: GPL-2.0
/*
 * Namespaces come and go under vzroute's feet: this file owns the lock
 * that keeps the ones it refers to alive, and the one place that forgets
 * a namespace when it dies.
 */

#include <linux/mutex.h>
#include <linux/user_namespace.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "announce.h"
#include "budget.h"
#include "netns.h"
#include "note.h"
#include "reconcile.h"
#include "rtsock.h"
#include "track.h"

/* See netns.h for what it guards and the lock order. */
DEFINE_MUTEX(vzr_lock);

static unsigned int net_id;

struct vzr_pernet *vzr_pernet(struct net *net)
{
	return net_generic(net, net_id);
}

/**
 * vzr_owner_userns() - the user namespace the node gave @cnet's container
 * @cnet: a container namespace
 *
 * Every namespace a container makes is owned by that one or by one below.
 *
 * Return: it, or NULL when @cnet is owned by the initial one; no
 * reference is taken, it is safe to follow while @cnet is.
 */
struct user_namespace *vzr_owner_userns(struct net *cnet)
{
	struct user_namespace *ns = cnet->user_ns;

	if (ns == &init_user_ns)
		return NULL;
	while (ns->parent != &init_user_ns)
		ns = ns->parent;
	return ns;
}

/**
 * vzr_owner_key() - the container that @cnet belongs to, for its limits
 * @cnet: a container namespace
 *
 * What a container cannot make anew to get fresh limits: the user
 * namespace the node gave it (vzr_owner_userns()), when it has one; else
 * its network namespace (one of its own, then, and a venet device cannot
 * leave it).
 *
 * Return: a key to compare, never to follow: the namespace may be freed
 * and its memory reused by another while a key is kept.
 */
const void *vzr_owner_key(struct net *cnet)
{
	return vzr_owner_userns(cnet) ?: (const void *)cnet;
}

/*
 * Runs after the namespace's devices are gone (subsystems exit after
 * devices), before its memory is freed: the last moment its pointer is
 * safe to compare, so every reference to it is dropped here. Routes of a
 * dying host namespace die with it; those it held elsewhere are left to
 * the run this kicks.
 */
static void __net_exit vzr_net_exit(struct net *net)
{
	mutex_lock(&vzr_lock);
	vzr_note_forget_net(net);
	vzr_announce_forget_net(net);
	vzr_budget_forget_net(net);
	vzr_track_forget_net(net);
	vzr_rtsock_forget_net(net);
	mutex_unlock(&vzr_lock);
	vzr_kick();
}

static struct pernet_operations vzr_net_ops = {
	.exit = vzr_net_exit,
	.id = &net_id,
	.size = sizeof(struct vzr_pernet),
};

int vzr_netns_init(void)
{
	return register_pernet_subsys(&vzr_net_ops);
}

/* Runs vzr_net_exit() for every namespace: nothing refers to one after. */
void vzr_netns_uninit(void)
{
	unregister_pernet_subsys(&vzr_net_ops);
}
