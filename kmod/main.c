// SPDX-License-Identifier: GPL-2.0
/*
 * vzroute: every container address becomes a host route.
 */

#include <linux/module.h>
#include <linux/vzroute.h>
#include <net/genetlink.h>

#include "announce.h"
#include "backend.h"
#include "batch.h"
#include "budget.h"
#include "fault.h"
#include "netlink.h"
#include "netns.h"
#include "params.h"
#include "reconcile.h"
#include "rtsock.h"
#include "track.h"
#include "watch.h"

static int vzr_reconcile_start_step(void)
{
	vzr_reconcile_start();
	return 0;
}

static int vzr_backends_init_step(void)
{
	vzr_backends_init();
	return 0;
}

/*
 * The load, step by step; the unload undoes them in reverse (a step with
 * nothing to set up has no init). Runs start only once the notifiers are
 * in place, and stop before they go: removing a notifier replays DOWN for
 * every device, which a run would take for real flushes.
 */
static const struct {
	int (*init)(void);
	void (*uninit)(void);
} steps[] = {
	{ vzr_fault_init, vzr_fault_uninit },
	{ vzr_track_init, vzr_track_uninit },
	{ vzr_rtsock_init, vzr_rtsock_uninit },
	{ vzr_batch_init, vzr_batch_uninit },
	{ vzr_announce_init, vzr_announce_uninit },
	{ vzr_budget_init, vzr_budget_uninit },
	{ vzr_netns_init, vzr_netns_uninit },
	{ vzr_reconcile_init, vzr_reconcile_uninit },
	{ vzr_backends_init_step, vzr_backends_uninit },
	{ vzr_watch_init, vzr_watch_uninit },
	{ vzr_reconcile_start_step, vzr_reconcile_stop },
	{ vzr_genl_init, vzr_genl_uninit },
};

static void unwind(unsigned int n)
{
	while (n--)
		steps[n].uninit();
}

static int __init vzr_init(void)
{
	unsigned int i;
	int err;

	if (!vzr_cfg.n_allow)
		pr_warn("allow= is empty: no container address will be routed\n");
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		err = steps[i].init ? steps[i].init() : 0;
		if (err) {
			unwind(i);
			return err;
		}
	}
	pr_info("loaded: proto %u metric %u table %u max_per_netns %u\n",
		vzr_cfg.proto, vzr_cfg.metric, vzr_cfg.table,
		vzr_cfg.max_per_netns);
	return 0;
}

static void __exit vzr_exit(void)
{
	/* Faults injected for tests end first: the unload must not fail. */
	vzr_fault_stop();
	unwind(ARRAY_SIZE(steps));
}

module_init(vzr_init);
module_exit(vzr_exit);

MODULE_LICENSE("GPL");
MODULE_ALIAS_GENL_FAMILY(VZROUTE_GENL_NAME);
MODULE_DESCRIPTION("Host routes for container addresses, driven by kernel events");
MODULE_AUTHOR("vzroute developers");
