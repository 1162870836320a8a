/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_FAULT_H
#define _VZR_FAULT_H

#include <linux/types.h>

/*
 * Faults of vzroute's own, for tests on kernels with fault injection in
 * debugfs: /sys/kernel/debug/vzroute/fail_alloc fails vzroute's memory
 * allocations (slab and page alike), fail_send its requests to rtnetlink,
 * with the usual knobs of Documentation/fault-injection (probability,
 * times...); sync_pause_times and sync_pause_hold hold that many runs
 * between their decisions and their sync, scan_pause_times and
 * scan_pause_hold between the notes they took without RTNL and their
 * look under RTNL, ahead_pause_times and ahead_pause_hold right before a
 * route added ahead of its tracking (vzr_sync_ahead()), for a test that
 * must change something there (vzr_fault_pause()). failslab and
 * fail_page_alloc cannot single out one module without their stack-trace
 * filter, which x86_64 lacks up to 6.1, the debug kernel of the tests.
 * Kbuild defines VZR_FAULTS where the kernel can do this; elsewhere, and
 * in the KUnit module, nothing fails and the checks cost nothing.
 */
/* Where a run may be held (vzr_fault_pause()). */
enum vzr_pause {
	VZR_PAUSE_SYNC,
	VZR_PAUSE_SCAN,
	VZR_PAUSE_AHEAD,
	VZR_PAUSES
};

#ifdef VZR_FAULTS
int vzr_fault_init(void);
void vzr_fault_stop(void);
void vzr_fault_uninit(void);
bool vzr_fail_alloc(void);
bool vzr_fail_send(void);
void vzr_fault_pause(enum vzr_pause where);
#else
static inline int vzr_fault_init(void)
{
	return 0;
}

static inline void vzr_fault_stop(void)
{
}

static inline void vzr_fault_uninit(void)
{
}

static inline bool vzr_fail_alloc(void)
{
	return false;
}

static inline bool vzr_fail_send(void)
{
	return false;
}

static inline void vzr_fault_pause(enum vzr_pause where)
{
}
#endif

/* An allocation of vzroute's: @alloc, unless fail_alloc fails it. */
#define vzr_alloc(alloc) (vzr_fail_alloc() ? NULL : (alloc))

#endif /* _VZR_FAULT_H */
