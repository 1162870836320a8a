/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_NETNS_H
#define _VZR_NETNS_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <net/net_namespace.h>

/*
 * vzr_lock serialises the reconciler with everything that reads or changes
 * what it owns: the tracked devices, entries and route slots (track.c), the
 * host namespaces' sockets (rtsock.c), the run's state (reconcile.c), the
 * counters, and vzr_cfg after load. Holding it also keeps every namespace
 * those point at allocated, since a namespace's pernet exit takes it
 * before it forgets the namespace (netns.c).
 *
 * Lock order: vzr_lock, then RTNL, then net_rwsem. Notifiers run under RTNL
 * (or in atomic context) and therefore never take vzr_lock. Taken after
 * pernet_ops_rwsem (a namespace's exit) and genetlink's cb_lock (the
 * family's handlers): nothing under vzr_lock waits for either. No work on
 * system_wq takes it: some kernels flush system_wq with RTNL held.
 */
extern struct mutex vzr_lock;

/**
 * struct vzr_pernet - vzroute's state in one network namespace
 * @granted: its container addresses granted a route under max_per_netns
 * @tracked: its container addresses tracked, under max_tracked_per_netns
 * @over_cap: its container addresses refused under max_per_netns
 * @overflowed: an address was left untracked since the namespace last had
 *              room: when it has room again, its devices are looked at
 *              again in whole
 * @recount: it lost a grant at its cap, with @over_cap: its addresses are
 *           decided again, in first-come order, by the first run's
 *           decisions past vzr_run.recount_at (vzr_recount); until then
 *           it grants nothing
 * @recount_run: the recount deciding them again (vzr_run.recounts)
 * @neigh_digest: as a host namespace, what its uplinks looked like when
 *                last read (vzr_uplinks_digest())
 * @neigh_seen: the uplink check that last read them (neigh.c)
 * @neigh_moved: that check found them changed
 * @slots: route slots whose host namespace this is (vzr_slot.hnet): its
 *         exit looks for slots only when it has some, so that the exit of
 *         a container's namespace costs nothing per address on the node
 * @devs: tracked devices in it (vzr_ctdev.cnet), by vzr_ctdev.nsnode;
 *        zeroed memory is an empty list
 * @hosted: tracked devices whose host side is in it (vzr_ctdev.hnet): its
 *          exit walks the table of devices only when it has some, so that
 *          a container making and dropping namespaces costs no walk of the
 *          node's devices
 *
 * Under vzr_lock. Allocated and zeroed by the pernet core for every
 * namespace, freed by it after vzr_net_exit().
 */
struct vzr_pernet {
	u32 granted;
	u32 tracked;
	u32 over_cap;
	bool overflowed;
	bool recount;
	u64 recount_run;
	u32 neigh_digest;
	u32 neigh_seen;
	bool neigh_moved;
	unsigned int slots;
	struct hlist_head devs;
	unsigned int hosted;
};

struct vzr_pernet *vzr_pernet(struct net *net);
struct user_namespace *vzr_owner_userns(struct net *cnet);
const void *vzr_owner_key(struct net *cnet);
int vzr_netns_init(void);
void vzr_netns_uninit(void);

#endif /* _VZR_NETNS_H */
