// SPDX-License-Identifier: GPL-2.0
/*
 * Namespaces come and go under vzroute's feet: this file owns the lock
 * that keeps the ones it refers to alive, and the one place that forgets
 * a namespace when it dies.
 */

#include <linux/mutex.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "announce.h"
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
