/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_RECONCILE_H
#define _VZR_RECONCILE_H

#include <linux/types.h>

#include "decide.h"

/**
 * struct vzr_counters - what the reconciler did, since load
 * @added: routes added
 * @removed: routes deleted (withdrawn, moved or stale)
 * @failed: route changes the kernel refused, conflicts aside
 * @denied: addresses refused by the allow list
 * @over_cap: addresses refused by max_per_netns
 * @conflicts: addresses that found a route we did not make
 * @takeovers: standby addresses that took a route over
 * @adopted: routes of ours found in the table and kept
 * @runs: reconciliations
 * @verifies: comparisons against the kernel's own table
 * @backlog_max: most kicks that waited for one run
 *
 * Under vzr_lock.
 */
struct vzr_counters {
	u64 added;
	u64 removed;
	u64 failed;
	u64 denied;
	u64 over_cap;
	u64 conflicts;
	u64 takeovers;
	u64 adopted;
	u64 runs;
	u64 verifies;
	u64 backlog_max;
};

extern struct vzr_counters vzr_counters;
extern unsigned int vzr_net_id;

/**
 * struct vzr_pernet - per-namespace scratch of the reconciler
 * @granted: its addresses granted a route under max_per_netns
 *
 * Under vzr_lock. Allocated by the pernet core for every namespace.
 */
struct vzr_pernet {
	u32 granted;
};

int vzr_reconcile_init(void);
void vzr_reconcile_stop(void);
void vzr_reconcile_uninit(void);
void vzr_kick(void);
void vzr_kick_all(void);
void vzr_resync(void);
void vzr_reconcile_wait(void);

#endif /* _VZR_RECONCILE_H */
