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
 * For each place a run may be held: the runs still to pause there
 * (counted down by each as it pauses: a test's sign that the run it
 * kicked is there), and whether a paused run is held there still, for
 * PAUSE_MAX_MS at most. Set from debugfs; read and counted down by the
 * run under vzr_lock, which orders the runs.
 */
#define PAUSE_MAX_MS 10000
static struct {
	u32 times;
	u32 hold;
} pauses[VZR_PAUSES];

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
 * vzr_fault_pause() - hold a run where a test must change something
 * @where: between the decisions and the sync (sync_pause_*), between
 *         the notes taken without RTNL and the look under it
 *         (scan_pause_*), or before a route added ahead (ahead_pause_*)
 *
 * A flush, a route change or an address gone that must land at such a
 * point of a run cannot be timed from outside: the test sets the
 * place's hold and times, kicks a run, waits for its times to drop,
 * makes its changes and clears its hold. Called by the run under
 * vzr_lock, which the pause holds: nothing else of vzroute's runs
 * meanwhile, as in a slow run.
 */
void vzr_fault_pause(enum vzr_pause where)
{
	unsigned long end = jiffies + msecs_to_jiffies(PAUSE_MAX_MS);
	u32 times = READ_ONCE(pauses[where].times);

	if (!times)
		return;
	WRITE_ONCE(pauses[where].times, times - 1);
	while (READ_ONCE(pauses[where].hold) && time_before(jiffies, end))
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
			   &pauses[VZR_PAUSE_SYNC].times);
	debugfs_create_u32("sync_pause_hold", 0600, vzr_debugfs,
			   &pauses[VZR_PAUSE_SYNC].hold);
	debugfs_create_u32("scan_pause_times", 0600, vzr_debugfs,
			   &pauses[VZR_PAUSE_SCAN].times);
	debugfs_create_u32("scan_pause_hold", 0600, vzr_debugfs,
			   &pauses[VZR_PAUSE_SCAN].hold);
	debugfs_create_u32("ahead_pause_times", 0600, vzr_debugfs,
			   &pauses[VZR_PAUSE_AHEAD].times);
	debugfs_create_u32("ahead_pause_hold", 0600, vzr_debugfs,
			   &pauses[VZR_PAUSE_AHEAD].hold);
	return 0;
}

/*
 * No more writers (debugfs waits for those in its files; 3.10's does
 * not, and a file held open across the unload reads freed memory there),
 * then no more faults.
 */
void vzr_fault_stop(void)
{
	unsigned int i;

	debugfs_remove_recursive(vzr_debugfs);
	vzr_debugfs = NULL;
	WRITE_ONCE(fail_alloc.probability, 0);
	WRITE_ONCE(fail_send.probability, 0);
	for (i = 0; i < VZR_PAUSES; i++) {
		WRITE_ONCE(pauses[i].times, 0);
		WRITE_ONCE(pauses[i].hold, 0);
	}
}

void vzr_fault_uninit(void)
{
	vzr_fault_stop();
	vzr_fault_attr_release(&fail_alloc);
	vzr_fault_attr_release(&fail_send);
}
