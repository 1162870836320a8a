// SPDX-License-Identifier: GPL-2.0
/*
 * Announcements: when an address gets a proxy entry on an uplink, the
 * LAN's neighbours are told at once that the uplink's MAC address now
 * answers for it, instead of keeping the old one (another node's, after a
 * migration) until their cache entry times out. IPv4 gets a gratuitous
 * ARP reply, as "arping -A" sends it; IPv6 an unsolicited neighbour
 * advertisement with the override flag, as "ndsend" sends it.
 *
 * The first goes out at once, from the run, unless the pace below holds
 * it back; the others one a second, from a delayed work item. Both in
 * process context, holding vzr_lock (which keeps the namespaces alive)
 * and no spinlock.
 */

#include <linux/etherdevice.h>
#include <linux/hashtable.h>
#include <linux/if_arp.h>
#include <linux/jhash.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>
#include <net/addrconf.h>
#include <net/arp.h>
#include <net/ipv6.h>
#include <net/ndisc.h>

#include "announce.h"
#include "backend.h"
#include "compat.h"
#include "fault.h"
#include "netns.h"
#include "pace.h"
#include "track.h"

/*
 * The pace (pace.c):
 *  - an address is announced on an uplink at most once in HOLD, whatever
 *    its container does;
 *  - a container's sends take tokens of its own bucket (struct owner),
 *    CT_RATE a second (CT_BURST at once: one that arrives with its
 *    addresses is announced at once), and every send on the node one of
 *    the node's, RATE a second: a container that cycles through many
 *    addresses is slowed alone, and it takes RATE / CT_RATE of them to
 *    fill the node's;
 *  - the sends due go round-robin, and while the node's bucket is short a
 *    new address waits its turn behind them, so that a container asking
 *    again and again does not keep another's waiting.
 * A record is kept per address and uplink while it has sends to come or
 * is held down: at most CT_RECORDS_MAX of a container's, RECORDS_MAX in
 * all, so that no container fills the table for the others; an ask
 * beyond is dropped, and counted.
 */
#define HOLD		(5 * HZ)
#define RATE		100
#define BURST		100
#define CT_RATE		10
#define CT_BURST	64
#define CT_RECORDS_MAX	1024
#define RECORDS_MAX	16384

/**
 * struct record - the announcements of one proxy entry
 * @list: in records, oldest first
 * @hash: in record_hash
 * @net: the uplink's namespace; dropped at its pernet exit
 * @owner: the container whose quota and bucket it counts against
 * @ifindex: the uplink
 * @ip: the address
 * @round: what is to be sent, and the hold-down
 */
struct record {
	struct list_head list;
	struct hlist_node hash;
	struct net *net;
	struct owner *owner;
	int ifindex;
	struct vzr_ip ip;
	struct vzr_round round;
};

/**
 * struct owner - a container's share of the announcements
 * @hash: in owner_hash
 * @key: what the container is told by (vzr_owner_key()); compared, never
 *       followed; NULL once that network namespace died
 * @userns: a reference to the key, when the key is a user namespace, so
 *          that a container started while the owner lasts cannot get
 *          that memory, and with it the quota and pace spent by another;
 *          NULL when the key is a network namespace, whose exit takes the
 *          owner out of owner_hash instead (vzr_announce_forget_net())
 * @records: its records; the owner goes with the last
 * @bucket: its pace
 *
 * Made by its container's first record, freed with its last, or at
 * unload. A record is the share's of the container that last asked for
 * it (rehome()), so a dead container's owner lasts until its addresses'
 * hold-downs are over, seconds after its last ask, whoever asks for them
 * meanwhile.
 */
struct owner {
	struct hlist_node hash;
	const void *key;
	struct user_namespace *userns;
	u32 records;
	struct vzr_bucket bucket;
};

/*
 * The records, the owners, their counts, the buckets and when the work
 * item is due (@wake_at, while @wake_set) are under vzr_lock.
 */
static LIST_HEAD(records);
static DEFINE_HASHTABLE(record_hash, 10);
static DEFINE_HASHTABLE(owner_hash, 8);
static unsigned int n_records;
/* A send was refused by the node's bucket in the last look: queue first. */
static bool node_short;
static struct vzr_bucket bucket;
static unsigned long wake_at;
static bool wake_set;
static void resend(struct work_struct *work);
static DECLARE_DELAYED_WORK(resend_work, resend);
/*
 * Our own, not system_wq: resend() takes vzr_lock, which a run holds while
 * it waits for RTNL, and kernels of the 3.10 and 4.18 era still have paths
 * that flush system_wq with RTNL held. Lives from init to uninit.
 */
static struct workqueue_struct *announce_wq;

/*
 * An unsolicited neighbour advertisement for @addr, to all nodes.
 * Return: false when it could not be made.
 */
static bool send_na(struct net_device *dev, const struct in6_addr *addr)
{
	struct in6_addr saddr, daddr = IN6ADDR_LINKLOCAL_ALLNODES_INIT;
	int hlen = LL_RESERVED_SPACE(dev), tlen = dev->needed_tailroom;
	/* The target link-layer address option: type, length, MAC. */
	int optlen = ALIGN(2 + ETH_ALEN, 8);
	int len = sizeof(struct nd_msg) + optlen;
	struct sk_buff *skb;
	unsigned int size;
	struct nd_msg *msg;

	/* From the uplink's link-local address, else the address itself. */
	if (ipv6_dev_get_saddr(dev_net(dev), dev, &daddr, 0, &saddr))
		saddr = *addr;
	size = hlen + sizeof(struct ipv6hdr) + len + tlen;
	skb = vzr_alloc(alloc_skb(size, GFP_KERNEL));
	if (!skb)
		return false;
	skb->protocol = htons(ETH_P_IPV6);
	skb->dev = dev;
	skb_reserve(skb, hlen + sizeof(struct ipv6hdr));
	skb_reset_transport_header(skb);
	msg = skb_put_zero(skb, len);
	msg->icmph.icmp6_type = NDISC_NEIGHBOUR_ADVERTISEMENT;
	msg->icmph.icmp6_override = 1;
	msg->target = *addr;
	msg->opt[0] = ND_OPT_TARGET_LL_ADDR;
	msg->opt[1] = optlen >> 3;
	ether_addr_copy(&msg->opt[2], dev->dev_addr);
	/* Checksum, hop limit 255, output (compat.h). */
	vzr_ndisc_send_skb(skb, &daddr, &saddr);
	return true;
}

/* One announcement of @ip on the uplink. Return: true when sent. */
static bool send_one(struct net *net, int ifindex, const struct vzr_ip *ip)
{
	struct net_device *dev = dev_get_by_index(net, ifindex);
	bool sent = false;

	if (!dev)
		return false;
	if ((dev->flags & IFF_UP) && !(dev->flags & IFF_NOARP) &&
	    dev->type == ARPHRD_ETHER) {
		if (ip->family == AF_INET) {
			__be32 a = ip->a.s6_addr32[0];

			/* Sender and target: the address, the uplink's MAC. */
			arp_send(ARPOP_REPLY, ETH_P_ARP, a, dev, a, NULL,
				 dev->dev_addr, dev->dev_addr);
			sent = true;
		} else if (ipv6_mod_enabled()) {
			sent = send_na(dev, &ip->a);
		}
	}
	dev_put(dev);
	if (sent)
		vzr_counters.announced++;
	return sent;
}

static struct owner *owner_find(const void *key)
{
	struct owner *o;

	hash_for_each_possible(owner_hash, o, hash, hash_ptr(key, 32))
		if (o->key == key)
			return o;
	return NULL;
}

/* @cnet's owner, made when it has none. Return: NULL without memory. */
static struct owner *owner_get(struct net *cnet)
{
	const void *key = vzr_owner_key(cnet);
	struct user_namespace *userns;
	struct owner *o;

	o = owner_find(key);
	if (o)
		return o;
	o = vzr_alloc(kzalloc(sizeof(*o), GFP_KERNEL));
	if (!o)
		return NULL;
	o->key = key;
	userns = vzr_owner_userns(cnet);
	if (userns)
		o->userns = get_user_ns(userns);
	hash_add(owner_hash, &o->hash, hash_ptr(key, 32));
	return o;
}

/* An owner goes with its last record. */
static void owner_release(struct owner *o)
{
	if (o->records)
		return;
	/* Out of owner_hash already when its namespace died: a no-op. */
	hash_del(&o->hash);
	put_user_ns(o->userns);
	kfree(o);
}

/*
 * An address that went to another container: its record, and with it
 * the hold-down, is the address's and stays; its quota and pace become
 * the asking container's, so that no container keeps another's share
 * (and a dead one's user namespace) alive by asking for an address the
 * other had.
 *
 * Return: 0, or -ENOSPC when the asking container's share has no room
 * for the record, -ENOMEM when there is no memory for that share: the ask
 * is then dropped, as one for a new record would be (vzr_announce()), and
 * the record goes with its hold-down.
 */
static int rehome(struct record *r, struct net *cnet)
{
	struct owner *old = r->owner, *o = owner_get(cnet);

	if (o == old)
		return 0;
	if (!o)
		return -ENOMEM;
	/* One found full has records: nothing to release. */
	if (o->records >= CT_RECORDS_MAX)
		return -ENOSPC;
	o->records++;
	r->owner = o;
	old->records--;
	owner_release(old);
	return 0;
}

static void not_announced(const struct vzr_ip *ip, bool full)
{
	char buf[VZR_IP_STRLEN];

	vzr_counters.announce_dropped++;
	pr_warn_ratelimited("%s not announced: %s\n",
			    vzr_ip_str(ip, buf, sizeof(buf)),
			    full ? "too many addresses held down or waiting" :
			    "no memory");
}

static void drop(struct record *r)
{
	list_del(&r->list);
	hash_del(&r->hash);
	n_records--;
	r->owner->records--;
	owner_release(r->owner);
	kfree(r);
}

/*
 * Send what is due of @r, if the bucket allows (else set @limited).
 * Return: false when the uplink is gone or cannot announce.
 */
static bool send_due(struct record *r, unsigned long now, bool *limited)
{
	if (!vzr_round_due(&r->round, now))
		return true;
	if (!vzr_bucket_take(&bucket, RATE, BURST, now)) {
		node_short = true;
		*limited = true;
		return true;
	}
	if (!vzr_bucket_take(&r->owner->bucket, CT_RATE, CT_BURST, now)) {
		/* Not sent: the node's token goes back. */
		vzr_bucket_refund(&bucket, BURST);
		*limited = true;
		return true;
	}
	if (!send_one(r->net, r->ifindex, &r->ip))
		return false;
	vzr_round_sent(&r->round, HOLD, now);
	/* Round-robin: the others due go first next time. */
	list_move_tail(&r->list, &records);
	return true;
}

/* Out of tokens, or any look at every record: a tenth of a second on. */
static unsigned long limited_wake(unsigned long now)
{
	return now + max(1, HZ / 10);
}

/* Have the work item run at @wake, unless it runs sooner already. */
static void wake_by(unsigned long wake, unsigned long now)
{
	if (wake_set && !time_before(wake, wake_at))
		return;
	wake_at = wake;
	wake_set = true;
	mod_delayed_work(announce_wq, &resend_work,
			 time_after(wake, now) ? wake - now : 0);
}

/* Seeded at init: a container cannot pick addresses that share a chain. */
static u32 hash_seed;

static u32 key_hash(int ifindex, const struct vzr_ip *ip)
{
	return jhash(&ip->a, sizeof(ip->a),
		     hash_seed ^ ip->family ^ (u32)ifindex);
}

static struct record *find(struct net *net, int ifindex,
			   const struct vzr_ip *ip)
{
	struct record *r;

	hash_for_each_possible(record_hash, r, hash, key_hash(ifindex, ip))
		if (net_eq(r->net, net) && r->ifindex == ifindex &&
		    vzr_ip_equal(&r->ip, ip))
			return r;
	return NULL;
}

/**
 * vzr_announce() - tell the LAN that the uplink answers for @ip now
 * @net: the uplink's namespace
 * @ifindex: the uplink
 * @ip: the address
 * @cnet: the namespace of the container that has the address
 * @count: announcements in all, one now and the others a second apart
 *
 * Now, unless the address was announced on the uplink in the last HOLD,
 * or the container or the node is over its rate: then when that is over.
 * Dropped when the container's share is full or the node's records are
 * (or without memory).
 */
void vzr_announce(struct net *net, int ifindex, const struct vzr_ip *ip,
		  struct net *cnet, u32 count)
{
	unsigned long now = jiffies;
	bool limited = false;
	struct owner *o = NULL;
	struct record *r;

	lockdep_assert_held(&vzr_lock);
	if (!count)
		return;
	r = find(net, ifindex, ip);
	if (r) {
		int err = rehome(r, cnet);

		if (err) {
			not_announced(ip, err == -ENOSPC);
			return;
		}
	} else {
		if (n_records < RECORDS_MAX)
			o = owner_get(cnet);
		if (o && o->records < CT_RECORDS_MAX)
			r = vzr_alloc(kmalloc(sizeof(*r), GFP_KERNEL));
		if (!r) {
			not_announced(ip, n_records >= RECORDS_MAX ||
				      (o && o->records >= CT_RECORDS_MAX));
			if (o)
				owner_release(o);
			return;
		}
		r->net = net;
		r->owner = o;
		o->records++;
		r->ifindex = ifindex;
		r->ip = *ip;
		vzr_round_init(&r->round, now);
		list_add_tail(&r->list, &records);
		hash_add(record_hash, &r->hash, key_hash(ifindex, ip));
		n_records++;
	}
	if (!vzr_round_ask(&r->round, count, now))
		vzr_counters.announce_deferred++;
	else if (node_short)	/* behind those waiting */
		vzr_counters.announce_deferred++;
	else if (!send_due(r, now, &limited))
		vzr_round_stop(&r->round);
	else if (limited)
		vzr_counters.announce_deferred++;
	wake_by(limited || node_short ? limited_wake(now) :
		vzr_round_wake(&r->round), now);
}

static void resend(struct work_struct *work)
{
	unsigned long now = jiffies, wake = now + HOLD;
	struct record *r, *tmp;
	bool limited = false;

	mutex_lock(&vzr_lock);
	wake_set = false;
	node_short = false;
	/*
	 * A record sent is moved to the tail and met once more in this
	 * pass: not due again before a second has gone, it is left alone.
	 */
	list_for_each_entry_safe(r, tmp, &records, list) {
		if (!send_due(r, now, &limited))
			vzr_round_stop(&r->round);
		if (vzr_round_idle(&r->round, now))
			drop(r);
		else if (time_before(vzr_round_wake(&r->round), wake))
			wake = vzr_round_wake(&r->round);
	}
	/* A look at every record costs: not more than ten a second. */
	if (time_before(wake, limited_wake(now)))
		wake = limited_wake(now);
	if (n_records)
		wake_by(wake, now);
	mutex_unlock(&vzr_lock);
}

/* The proxy entry is gone: no more announcements of it, but held down. */
void vzr_announce_cancel(struct net *net, int ifindex, const struct vzr_ip *ip)
{
	struct record *r;

	lockdep_assert_held(&vzr_lock);
	r = find(net, ifindex, ip);
	if (r)
		vzr_round_stop(&r->round);
}

/*
 * From @net's pernet exit, under vzr_lock: nothing more is sent there. A
 * container's namespace that is its owner's key leaves owner_hash, and
 * the owner its key, so that a new one in its memory gets an owner of its
 * own, and the records it asks for (rehome()); the old owner stays with
 * its other records, which are its addresses' hold-downs.
 */
void vzr_announce_forget_net(struct net *net)
{
	struct record *r, *tmp;
	struct owner *o;

	lockdep_assert_held(&vzr_lock);
	o = owner_find(net);
	if (o) {
		hash_del(&o->hash);
		o->key = NULL;
	}
	/* Sent on host sides' uplinks only: in the node's namespaces. */
	if (!vzr_node_net(net))
		return;
	list_for_each_entry_safe(r, tmp, &records, list)
		if (net_eq(r->net, net))
			drop(r);
}

int vzr_announce_init(void)
{
	announce_wq = alloc_workqueue("vzroute_announce", 0, 1);
	if (!announce_wq)
		return -ENOMEM;
	vzr_bucket_init(&bucket, BURST, jiffies);
	get_random_bytes(&hash_seed, sizeof(hash_seed));
	return 0;
}

/* After the reconciler is gone, so that nothing queues any more. */
void vzr_announce_uninit(void)
{
	struct record *r, *tmp;

	cancel_delayed_work_sync(&resend_work);
	mutex_lock(&vzr_lock);
	list_for_each_entry_safe(r, tmp, &records, list)
		drop(r);
	mutex_unlock(&vzr_lock);
	destroy_workqueue(announce_wq);
}
