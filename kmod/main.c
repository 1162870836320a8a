// SPDX-License-Identifier: GPL-2.0
/*
 * vzroute: every container address becomes a host route.
 */

#include <linux/module.h>
#include <linux/vzroute.h>
#include <net/genetlink.h>

#include "backend.h"
#include "netlink.h"
#include "params.h"
#include "reconcile.h"
#include "rtnl.h"
#include "track.h"
#include "watch.h"

static int __init vzr_init(void)
{
	int err;

	if (!vzr_cfg.n_allow)
		pr_warn("allow= is empty: no container address will be routed\n");

	err = vzr_track_init();
	if (err)
		return err;
	err = vzr_rt_init();
	if (err)
		goto err_track;
	err = vzr_reconcile_init();
	if (err)
		goto err_rt;
	vzr_backends_init();
	err = vzr_watch_init();
	if (err)
		goto err_backends;
	err = vzr_genl_init();
	if (err)
		goto err_watch;
	vzr_kick_all();
	pr_info("loaded: proto %u metric %u table %u max_per_netns %u\n",
		vzr_cfg.proto, vzr_cfg.metric, vzr_cfg.table,
		vzr_cfg.max_per_netns);
	return 0;

err_watch:
	vzr_reconcile_stop();
	vzr_watch_stop();
	vzr_reconcile_uninit();
	vzr_watch_uninit();
	vzr_backends_uninit();
	goto err_rt;
err_backends:
	vzr_backends_uninit();
	vzr_reconcile_stop();
	vzr_reconcile_uninit();
err_rt:
	mutex_lock(&vzr_lock);
	vzr_rt_uninit();
	mutex_unlock(&vzr_lock);
err_track:
	vzr_track_uninit();
	return err;
}

static void __exit vzr_exit(void)
{
	vzr_genl_uninit();
	vzr_reconcile_stop();
	vzr_watch_stop();
	vzr_reconcile_uninit();
	vzr_watch_uninit();
	vzr_backends_uninit();
	mutex_lock(&vzr_lock);
	vzr_track_free_all();
	vzr_rt_uninit();
	mutex_unlock(&vzr_lock);
	vzr_track_uninit();
}

module_init(vzr_init);
module_exit(vzr_exit);

MODULE_LICENSE("GPL");
MODULE_ALIAS_GENL_FAMILY(VZROUTE_GENL_NAME);
MODULE_DESCRIPTION("Host routes for container addresses, driven by kernel events");
MODULE_AUTHOR("vzroute developers");
