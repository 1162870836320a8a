/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Notes: what the notifiers saw change, kept for the next run. A note says
 * where to look, never what was found there: the run reads the device's
 * current state, so notes may be merged, lost (then everything is looked
 * at) or taken out of order without harm.
 */
#ifndef _VZR_NOTE_H
#define _VZR_NOTE_H

#include <linux/list.h>
#include <linux/netdevice.h>
#include <net/net_namespace.h>

#include "policy.h"

/* Addresses a note names before it stands for its whole device. */
#define VZR_NOTE_IPS	4

/**
 * struct vzr_note - a device the next run should look at
 * @hnode: in the pending set, keyed by (@net, @ifindex)
 * @list: in the run's private list, once taken
 * @net: the device's namespace (a key only; dropped at its pernet exit)
 * @ifindex: the device
 * @addr: an address of the device changed; if it is no container device,
 *        the address may be one its namespace now routes locally
 * @whole: the device itself changed, or more addresses than @ips holds:
 *         every address of it is to be looked at
 * @n: addresses in @ips
 * @ips: the addresses that changed, when not @whole; an address event
 *       costs a look at that address alone, not at all of the device's
 */
struct vzr_note {
	struct hlist_node hnode;
	struct list_head list;
	struct net *net;
	int ifindex;
	bool addr;
	bool whole;
	u8 n;
	struct vzr_ip ips[VZR_NOTE_IPS];
};

/**
 * struct vzr_flush - a device whose routes the kernel dropped silently
 * @list: in the pending list, then in the run's private list
 * @hnode: in the pending records' hash, by @net and @ifindex, until a run
 *         takes them (the hash is then emptied at once)
 * @net: the device's namespace (a key only; dropped at its pernet exit)
 * @ifindex: the device
 * @family: the routes dropped: AF_INET or AF_INET6, or AF_UNSPEC for both
 *
 * Allocated by vzr_note_flush(), from any context; owned by the pending
 * list under its lock, then by the run that took it.
 */
struct vzr_flush {
	struct list_head list;
	struct hlist_node hnode;
	struct net *net;
	int ifindex;
	u8 family;
};

void vzr_note_dev(struct net *net, int ifindex, const struct vzr_ip *ip);
void vzr_note_all(void);
bool vzr_note_take(struct list_head *out);
void vzr_note_flush(struct net_device *dev, u8 family);
bool vzr_note_take_flushes(struct list_head *out);
void vzr_note_free(struct list_head *notes);
void vzr_note_free_flushes(struct list_head *flushes);
void vzr_note_forget_net(struct net *net);

#endif /* _VZR_NOTE_H */
