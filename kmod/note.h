/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Notes: what the notifiers saw change, kept for the next run. A note says
 * where to look, not what was found there: the run reads the device's
 * current state, so notes may be merged, lost (then everything is looked
 * at) or taken out of order without harm. The one exception, addresses
 * added (vzr_note.added), stays true until the device's next event that
 * can matter, which lands in the same note while it is pending, and
 * clears it (an address that never gets a route is no such event: it
 * changes neither the facts nor the addresses noted).
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
 * struct vzr_facts - what an address event saw of its container device
 * @hnet: the host side's namespace: a key only, compared with the tracked
 *        device's and never followed; a pending note forgets its facts at
 *        that namespace's exit
 * @hifindex: the host side
 * @active: both ends were up
 *
 * Read under RTNL, in the IPv4 address notifier: true of the device
 * until its next event that can matter, which notes the device again.
 */
struct vzr_facts {
	struct net *hnet;
	int hifindex;
	bool active;
};

/**
 * struct vzr_note - a device the next run should look at
 * @hnode: in the pending set, keyed by (@net, @ifindex)
 * @list: in the pending list, then in the run's private list once taken
 * @net: the device's namespace, not counted: followed only under vzr_lock,
 *       which its pernet exit takes before it drops the namespace's notes
 * @ifindex: the device
 * @addr: an address of the device changed; if it is no container device,
 *        the address may be one its namespace now routes locally
 * @whole: the device itself changed, or more addresses than @ips holds:
 *         every address of it is to be looked at
 * @n: addresses in @ips
 * @ips: the addresses that changed, when not @whole; an address event
 *       costs a look at that address alone, not at all of the device's
 * @added: every event of the note was an IPv4 address added to a
 *         container device whose backend admits any address, and each
 *         came with the same @facts: the run may take @ips as present
 *         on the device, with @facts, without RTNL (scan.c). Any other
 *         event clears it, and the note is only where to look again.
 * @facts: what the last of those events saw of the device, when @added;
 *         stale otherwise
 *
 * Under note_lock while pending; once taken (vzr_note_take()), the run's
 * alone, under vzr_lock.
 */
struct vzr_note {
	struct hlist_node hnode;
	struct list_head list;
	struct net *net;
	int ifindex;
	bool addr;
	bool whole;
	bool added;
	u8 n;
	struct vzr_ip ips[VZR_NOTE_IPS];
	struct vzr_facts facts;
};

/**
 * struct vzr_flush - a device whose routes the kernel dropped silently
 * @list: in the pending list, then in the run's private list
 * @hnode: in the pending records' hash, by @net and @ifindex, until a run
 *         takes them (the hash is then emptied at once)
 * @net: the device's namespace, not counted: followed only under vzr_lock,
 *       which its pernet exit takes before it drops the namespace's records
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
void vzr_note_added(struct net *net, int ifindex, const struct vzr_ip *ip,
		    const struct vzr_facts *facts);
bool vzr_note_flushes_pending(void);
void vzr_note_all(void);
bool vzr_note_take(struct list_head *out);
void vzr_note_flush(struct net_device *dev, u8 family);
bool vzr_note_take_flushes(struct list_head *out);
void vzr_note_free(struct list_head *notes);
void vzr_note_free_flushes(struct list_head *flushes);
void vzr_note_forget_net(struct net *net);

#endif /* _VZR_NOTE_H */
