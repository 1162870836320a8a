/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_RECONCILE_H
#define _VZR_RECONCILE_H

#include <linux/types.h>

struct vzr_pernet;

/**
 * struct vzr_run - what the steps of a run share (scan, decide, sync)
 * @gen: bumped as each run starts; a scan stamps what it sees with it, and
 *       what is not stamped by the end of the scan is gone
 * @full: this run scanned every device (load, new config, lost note)
 * @redecide: the config changed (vzr_reconfigured()): every entry is
 *            decided again, grants under max_per_netns starting over,
 *            and every route synced
 * @recounts: bumped by each run whose decisions start some namespaces'
 *            grants over; stamps them (vzr_pernet.recount_run)
 * @recount_at: get_jiffies_64() before which no grants start over but for
 *              a new config: VZR_WALK_GAP after the last time they did
 *              (64 bits: a value from weeks ago still reads as past)
 * @elect_at: get_jiffies_64() before which an election walks at most
 *            VZR_ELECT_FREE entries: VZR_WALK_GAP after the last that
 *            walked more
 * @elect_wait: an election of this run would have walked more; its slots
 *              wait for a run at @elect_at, their routes deleted meanwhile
 *              (sync.c)
 * @need_verify: compare with the kernel's tables in this run or the next
 * @verify_gen: bumped by each comparison; it stamps the slots it found
 * @new_conflict: in this sync, a route add met a route we did not make
 *                where none stood before
 * @unsure: in this sync, a route of ours was to be replaced in place while
 *          we could not be sure it is still there (see sync_slot()), or
 *          an add met a route that may be ours (vzr_slot.flushed)
 * @budget_wait: jiffies until the soonest of the budgets that made an add
 *               of this sync wait has a token again; 0 when none waits
 * @look_at: jiffies of the next look at the states that change without an
 *           event; 0 for none
 * @poll_waiting: this run's scan looks again at the addresses in the
 *                states polled for that are due (vzr_ctdev.poll_due)
 * @readmit: this run's scan asks again the backend of every polled device
 *           about the addresses tracked there (recheck_polled())
 * @retry_at: jiffies of the next try of the conflicts and failures
 * @recheck_at: jiffies of the next look at the polled devices
 *
 * Under vzr_lock.
 */
struct vzr_run {
	u32 gen;
	bool full;
	bool redecide;
	u64 recounts;
	u64 recount_at;
	u64 elect_at;
	bool elect_wait;
	bool need_verify;
	u32 verify_gen;
	bool new_conflict;
	bool unsure;
	unsigned long budget_wait;
	unsigned long look_at;
	bool poll_waiting;
	bool readmit;
	unsigned long retry_at;
	unsigned long recheck_at;
};

int vzr_reconcile_init(void);
void vzr_reconcile_start(void);
void vzr_reconcile_stop(void);
void vzr_reconcile_uninit(void);
void vzr_kick(void);
void vzr_kick_removal(void);
void vzr_kick_all(void);
void vzr_reconfigured(void);
u32 vzr_resync(void);
bool vzr_grant_room(const struct vzr_pernet *pn);
int vzr_reconcile_wait(u32 gen);

#endif /* _VZR_RECONCILE_H */
