/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Proxy neighbour entries for routed addresses on the node's uplinks
 * (neigh_devs=), in step with their routes.
 */
#ifndef _VZR_NEIGH_H
#define _VZR_NEIGH_H

#include <linux/if.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/types.h>

/* Uplinks one address is proxied on, at most. */
#define VZR_NEIGH_UPLINKS_MAX	8

/**
 * struct vzr_nproxy - an address's proxy entry on one uplink
 * @ifindex: the uplink
 * @name: its name, as last seen
 * @state: enum vzroute_neigh_state; PROXIED and NO_PROXY_NDP mean that
 *         the entry there is ours
 * @maybe: FAILED by an add that went to the kernel and whose answer was
 *         lost (the socket's queue overflowed, or the read gave up): the
 *         add may have made the entry, which is then ours (neigh.c,
 *         maybe_ours())
 * @err: for VZROUTE_NEIGH_FAILED, the errno
 */
struct vzr_nproxy {
	int ifindex;
	char name[IFNAMSIZ];
	u8 state;
	bool maybe;
	int err;
};

/**
 * struct vzr_nslot - the proxy entries of one route slot
 * @hnode: in neigh.c's table, keyed by @slot
 * @slot: the slot, whose @neigh says that it has this
 * @n: used in @p
 * @p: one per uplink
 *
 * Under vzr_lock, like its slot; freed with it, or when it has no entry
 * left. Apart from the slot, which every routed address has, because
 * only a node with neigh_devs= has these.
 */
struct vzr_nslot {
	struct hlist_node hnode;
	struct vzr_slot *slot;
	unsigned int n;
	struct vzr_nproxy p[VZR_NEIGH_UPLINKS_MAX];
};

struct vzr_run;
struct vzr_slot;

void vzr_neigh_begin(struct vzr_run *run);
void vzr_neigh_sync(struct vzr_run *run, struct list_head *slots);
void vzr_neigh_audit(void);
void vzr_neigh_withdraw_all(void);
void vzr_neigh_slot_free(struct vzr_slot *s);
const struct vzr_nslot *vzr_neigh_of(const struct vzr_slot *s);
bool vzr_neigh_has_ours(const struct vzr_slot *s, int ifindex);
void vzr_neigh_withdraw_slots(void);
bool vzr_neigh_sweep(bool all);
unsigned long vzr_neigh_delay(void);
void vzr_neigh_dev_event(struct net_device *dev);
void vzr_neigh_netconf(void);

#endif /* _VZR_NEIGH_H */
