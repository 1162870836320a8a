// SPDX-License-Identifier: GPL-2.0
/*
 * Announcements: when an address gets a proxy entry on an uplink, the
 * LAN's neighbours are told at once that the uplink's MAC address now
 * answers for it, instead of keeping the old one (another node's, after a
 * migration) until their cache entry times out. IPv4 gets a gratuitous
 * ARP reply, as "arping -A" sends it; IPv6 an unsolicited neighbour
 * advertisement with the override flag, as "ndsend" sends it.
 *
 * The first goes out at once, from the run; the others one a second,
 * from a delayed work item. Both in process context, holding vzr_lock
 * (which keeps the namespaces alive) and no spinlock.
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/addrconf.h>
#include <net/arp.h>
#include <net/ipv6.h>
#include <net/ndisc.h>

#include "announce.h"
#include "compat.h"
#include "netns.h"
#include "track.h"

/*
 * Announcements waiting for their next turn: a container cannot make the
 * list grow past this (the rest of a burst gets its first one only).
 */
#define PENDING_MAX	1024

/**
 * struct pending - announcements still to send for one proxy entry
 * @list: in pending_list
 * @net: the uplink's namespace; dropped at its pernet exit
 * @ifindex: the uplink
 * @ip: the address
 * @left: how many more
 */
struct pending {
	struct list_head list;
	struct net *net;
	int ifindex;
	struct vzr_ip ip;
	u32 left;
};

/* The list and its length are under vzr_lock. */
static LIST_HEAD(pending_list);
static unsigned int n_pending;
static void resend(struct work_struct *work);
static DECLARE_DELAYED_WORK(resend_work, resend);

/* An unsolicited neighbour advertisement for @addr, to all nodes. */
static void send_na(struct net_device *dev, const struct in6_addr *addr)
{
	struct in6_addr saddr, daddr = IN6ADDR_LINKLOCAL_ALLNODES_INIT;
	int hlen = LL_RESERVED_SPACE(dev), tlen = dev->needed_tailroom;
	/* The target link-layer address option: type, length, MAC. */
	int optlen = ALIGN(2 + ETH_ALEN, 8);
	int len = sizeof(struct nd_msg) + optlen;
	struct sk_buff *skb;
	struct nd_msg *msg;

	/* From the uplink's link-local address, else the address itself. */
	if (ipv6_dev_get_saddr(dev_net(dev), dev, &daddr, 0, &saddr))
		saddr = *addr;
	skb = alloc_skb(hlen + sizeof(struct ipv6hdr) + len + tlen, GFP_KERNEL);
	if (!skb)
		return;
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
			send_na(dev, &ip->a);
			sent = true;
		}
	}
	dev_put(dev);
	if (sent)
		vzr_counters.announced++;
	return sent;
}

/**
 * vzr_announce() - tell the LAN that the uplink answers for @ip now
 * @net: the uplink's namespace
 * @ifindex: the uplink
 * @ip: the address
 * @count: announcements in all, one now and the others a second apart
 */
void vzr_announce(struct net *net, int ifindex, const struct vzr_ip *ip,
		  u32 count)
{
	struct pending *p;

	lockdep_assert_held(&vzr_lock);
	if (!count || !send_one(net, ifindex, ip) || count == 1 ||
	    n_pending >= PENDING_MAX)
		return;
	p = kmalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return;
	p->net = net;
	p->ifindex = ifindex;
	p->ip = *ip;
	p->left = count - 1;
	list_add_tail(&p->list, &pending_list);
	n_pending++;
	if (n_pending == 1)
		schedule_delayed_work(&resend_work, HZ);
}

static void drop(struct pending *p)
{
	list_del(&p->list);
	n_pending--;
	kfree(p);
}

static void resend(struct work_struct *work)
{
	struct pending *p, *tmp;

	mutex_lock(&vzr_lock);
	list_for_each_entry_safe(p, tmp, &pending_list, list) {
		if (!send_one(p->net, p->ifindex, &p->ip) || !--p->left)
			drop(p);
	}
	if (n_pending)
		schedule_delayed_work(&resend_work, HZ);
	mutex_unlock(&vzr_lock);
}

/* The proxy entry is gone: no more announcements of it. */
void vzr_announce_cancel(struct net *net, int ifindex, const struct vzr_ip *ip)
{
	struct pending *p, *tmp;

	lockdep_assert_held(&vzr_lock);
	list_for_each_entry_safe(p, tmp, &pending_list, list)
		if (net_eq(p->net, net) && p->ifindex == ifindex &&
		    vzr_ip_equal(&p->ip, ip))
			drop(p);
}

/* From @net's pernet exit, under vzr_lock: nothing more is sent there. */
void vzr_announce_forget_net(struct net *net)
{
	struct pending *p, *tmp;

	lockdep_assert_held(&vzr_lock);
	list_for_each_entry_safe(p, tmp, &pending_list, list)
		if (net_eq(p->net, net))
			drop(p);
}

int vzr_announce_init(void)
{
	return 0;
}

/* After the reconciler is gone, so that nothing queues any more. */
void vzr_announce_uninit(void)
{
	struct pending *p, *tmp;

	cancel_delayed_work_sync(&resend_work);
	mutex_lock(&vzr_lock);
	list_for_each_entry_safe(p, tmp, &pending_list, list)
		drop(p);
	mutex_unlock(&vzr_lock);
}
