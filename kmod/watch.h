/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_WATCH_H
#define _VZR_WATCH_H

#include <linux/list.h>
#include <net/net_namespace.h>

#include "policy.h"

/* Addresses a record names before it stands for its whole device. */
#define VZR_DIRTY_IPS	4

/**
 * struct vzr_flush - a device whose routes the kernel dropped
 * @list: in the pending list, then in the reconciler's private list
 * @net: the device's namespace (a key only; purged at its pernet exit)
 * @ifindex: the device
 */
struct vzr_flush {
	struct list_head list;
	struct net *net;
	int ifindex;
};

/**
 * struct vzr_dirty - a device the reconciler should look at
 * @hnode: in the pending set, keyed by (@net, @ifindex)
 * @list: in the reconciler's private list, once taken
 * @net: the device's namespace (a key only; purged at its pernet exit)
 * @ifindex: the device
 * @addr: an address of the device changed; if it is no container device,
 *        the address may be one its namespace now routes locally
 * @whole: the device itself changed, or more addresses than @ips holds:
 *         every address of it is to be looked at
 * @n: addresses in @ips
 * @ips: the addresses that changed, when not @whole; an address event
 *       costs a look at that address alone, not at all of the device's
 */
struct vzr_dirty {
	struct hlist_node hnode;
	struct list_head list;
	struct net *net;
	int ifindex;
	bool addr;
	bool whole;
	u8 n;
	struct vzr_ip ips[VZR_DIRTY_IPS];
};

int vzr_watch_init(void);
void vzr_watch_mark(struct net *net, int ifindex, const struct vzr_ip *ip);
void vzr_watch_mark_all(void);
bool vzr_watch_take_dirty(struct list_head *out);
void vzr_watch_stop(void);
void vzr_watch_uninit(void);
bool vzr_watch_take_flushes(struct list_head *out);

extern atomic64_t vzr_events;

#endif /* _VZR_WATCH_H */
