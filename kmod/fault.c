// SPDX-License-Identifier: GPL-2.0
/*
 * The fault attributes behind fault.h, in debugfs under vzroute/. Made
 * first at load; at unload, vzr_fault_stop() removes their files and
 * sets them to 0 before anything else goes, so that the unload's own
 * deletes are never failed on purpose (nothing after them could remove
 * what they leave), and vzr_fault_uninit() lets go of them last, once
 * nothing of vzroute's can call should_fail() any more.
 */

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fault-inject.h>
#include <linux/jiffies.h>

#include "compat.h"
#include "fault.h"

/*
 * Set from debugfs while its files exist (root only); should_fail()
 * reads them from any context, without a lock, as for every fault_attr.
 */
static DECLARE_FAULT_ATTR(fail_alloc);
static DECLARE_FAULT_ATTR(fail_send);

/*
 * The runs still to pause before their sync (counted down by each as it
 * pauses: a test's sign that the run it kicked is there), and whether a
 * paused run is held there still, for PAUSE_MAX_MS at most. Set from
 * debugfs; read and counted down by the run under vzr_lock, which orders
 * the runs.
 */
#define PAUSE_MAX_MS 10000
static u32 pause_times;
static u32 pause_hold;

/* vzroute/ in debugfs, until vzr_fault_stop(); NULL when never made. */
static struct dentry *vzr_debugfs;

bool vzr_fail_alloc(void)
{
	return should_fail(&fail_alloc, 1);
}

bool vzr_fail_send(void)
{
	return should_fail(&fail_send, 1);
}

/**
 * vzr_fault_pause_sync() - hold a run between its decisions and its sync
 *
 * A flush or a route change that must land after a run's scan and before
 * its sync cannot be timed from outside: the test sets sync_pause_hold
 * and sync_pause_times, kicks a run, waits for sync_pause_times to drop,
 * makes its changes and clears sync_pause_hold. Called by the run under
 * vzr_lock, which the pause holds: nothing else of vzroute's runs
 * meanwhile, as in a slow run.
 */
void vzr_fault_pause_sync(void)
{
	unsigned long end = jiffies + msecs_to_jiffies(PAUSE_MAX_MS);
	u32 times = READ_ONCE(pause_times);

	if (!times)
		return;
	WRITE_ONCE(pause_times, times - 1);
	while (READ_ONCE(pause_hold) && time_before(jiffies, end))
		msleep(20);
}

/* Without debugfs the module works all the same, with no faults. */
int vzr_fault_init(void)
{
	struct dentry *d;

	d = debugfs_create_dir("vzroute", NULL);
	if (IS_ERR_OR_NULL(d)) {
		pr_warn("no fault injection: debugfs refused vzroute/\n");
		return 0;
	}
	vzr_debugfs = d;
	d = fault_create_debugfs_attr("fail_alloc", vzr_debugfs, &fail_alloc);
	if (!IS_ERR_OR_NULL(d))
		d = fault_create_debugfs_attr("fail_send", vzr_debugfs,
					      &fail_send);
	if (IS_ERR_OR_NULL(d))
		pr_warn("no fault injection: debugfs refused its files\n");
	/* Checked by the test that uses them, which fails without them. */
	debugfs_create_u32("sync_pause_times", 0600, vzr_debugfs,
			   &pause_times);
	debugfs_create_u32("sync_pause_hold", 0600, vzr_debugfs, &pause_hold);
	return 0;
}

/*
 * No more writers (debugfs waits for those in its files; 3.10's does
 * not, and a file held open across the unload reads freed memory there),
 * then no more faults.
 */
void vzr_fault_stop(void)
{
	debugfs_remove_recursive(vzr_debugfs);
	vzr_debugfs = NULL;
	WRITE_ONCE(fail_alloc.probability, 0);
	WRITE_ONCE(fail_send.probability, 0);
	WRITE_ONCE(pause_times, 0);
	WRITE_ONCE(pause_hold, 0);
}

void vzr_fault_uninit(void)
{
	vzr_fault_stop();
	vzr_fault_attr_release(&fail_alloc);
	vzr_fault_attr_release(&fail_send);
}
