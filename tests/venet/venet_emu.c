// SPDX-License-Identifier: GPL-2.0
/*
 * venet_emu: an emulator of OpenVZ's venet for vzroute's tests, on kernels
 * without OpenVZ. It imitates what vzroute's venet backend relies on, as
 * OpenVZ 7 provides it (vzkernel 3.10.0-1160.*.vz7, drivers/net/venetdev.c
 * and drivers/net/veip_mgmt.c, module vznetdev; vz8's 4.18 branch has the
 * same interface under the same names):
 *
 * - rtnl link kind "venet": at most one per network namespace, created
 *   from inside that namespace only (a request from another namespace is
 *   refused, as venet_newlink() does, though with -EOPNOTSUPP where OpenVZ
 *   says -ENOSYS); ARPHRD_VOID,
 *   point-to-point, broadcast and no ARP, no queue, netns-local. The one in
 *   the initial namespace is the node's.
 * - Packets: the node's venet delivers a packet to the venet of the
 *   container the map assigns its destination to, and drops it otherwise; a
 *   container's venet drops a packet whose source the map does not assign
 *   to that container ("source wrong"), and delivers the rest to the
 *   destination's container, or to the node's venet. Multicast is dropped.
 * - The IP map, exported under OpenVZ's names: ip_entry_hash_table (512
 *   buckets, hashed by the low bits of key[3] in host order), veip_lock,
 *   veip_lh and venet_entry_lookup(), with struct ip_entry_struct,
 *   ve_addr_struct and veip_struct (include/linux/venet.h here). Entries
 *   are added and removed under veip_lock and freed after an RCU grace
 *   period; an address belongs to one container at a time (-EADDRINUSE);
 *   active_env is cleared before an entry is unhashed.
 * - A container's entries all go when its venet is deleted (venet_dellink()
 *   stops the container's veip before unregistering the device) and when
 *   its namespace goes: what a live migration's source sees.
 * - struct ve_struct with OpenVZ 7's member names (include/linux/ve.h
 *   here); a container is a network namespace, its veid the namespace's
 *   inode number.
 *
 * Differences, none of them visible to vzroute's venet backend:
 * - The map is set through /proc/venet_emu ("add VEID ADDR", "del VEID
 *   ADDR"; reading lists "ADDR VEID"), in place of the ve.ip_allow and
 *   ve.ip_deny cgroup files, the VENETCTL_VE_IP_MAP ioctl and venet
 *   changelink of OpenVZ. Mapping needs no venet device, as on OpenVZ
 *   (veip_entry_add() starts the veip itself).
 * - The symbols are EXPORT_SYMBOL_GPL where OpenVZ has EXPORT_SYMBOL: the
 *   6.1 test kernel's symbol_get() refuses anything else (commit
 *   "modules: only allow symbol_get of EXPORT_SYMBOL_GPL modules"), which
 *   OpenVZ's 3.10 and 4.18 kernels do not do.
 * - No "ext" source addresses, no per-container statistics, no
 *   veip_pool_ops, no /proc/vz/veip, no IPv6 source checks beyond the map.
 */

#include <linux/if_arp.h>
#include <linux/inet.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/proc_fs.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include <linux/ve.h>
#include <linux/venet.h>

#define VENET_KIND "venet"

struct hlist_head ip_entry_hash_table[VEIP_HASH_SZ];
EXPORT_SYMBOL_GPL(ip_entry_hash_table);
DEFINE_SPINLOCK(veip_lock);
EXPORT_SYMBOL_GPL(veip_lock);
LIST_HEAD(veip_lh);		/* every veip_struct, under veip_lock */
EXPORT_SYMBOL_GPL(veip_lh);

/* The ve_struct of each namespace lives in its net_generic storage. */
static unsigned int emu_net_id;

static struct ve_struct *net_ve(const struct net *net)
{
	return net_generic(net, emu_net_id);
}

static unsigned int addr_bucket(const struct ve_addr_struct *a)
{
	return ntohl((__force __be32)a->key[3]) & (VEIP_HASH_SZ - 1);
}

/**
 * venet_entry_lookup() - the map entry of an address
 * @addr: the key, family and address
 *
 * Call under veip_lock or rcu_read_lock(); the entry stays valid as long.
 *
 * Return: the entry, or NULL.
 */
struct ip_entry_struct *venet_entry_lookup(struct ve_addr_struct *addr)
{
	struct ip_entry_struct *e;

	hlist_for_each_entry_rcu(e, &ip_entry_hash_table[addr_bucket(addr)],
				 ip_hash)
		if (!memcmp(&e->addr, addr, sizeof(*addr)))
			return e;
	return NULL;
}
EXPORT_SYMBOL_GPL(venet_entry_lookup);

/* Under veip_lock. */
static int veip_start(struct ve_struct *ve)
{
	struct veip_struct *veip;

	lockdep_assert_held(&veip_lock);
	if (ve->veip)
		return 0;
	veip = kzalloc(sizeof(*veip), GFP_ATOMIC);
	if (!veip)
		return -ENOMEM;
	INIT_LIST_HEAD(&veip->ip_lh);
	veip->veid = ve->veid;
	list_add(&veip->list, &veip_lh);
	ve->veip = veip;
	return 0;
}

/* Under veip_lock: the entry goes, readers under RCU may finish with it. */
static void entry_unhash(struct ip_entry_struct *e)
{
	lockdep_assert_held(&veip_lock);
	WRITE_ONCE(e->active_env, NULL);
	list_del(&e->ve_list);
	hlist_del_rcu(&e->ip_hash);
	kfree_rcu(e, rcu);
}

/* Every entry of @ve goes, and its veip with them. */
static void veip_stop(struct ve_struct *ve)
{
	struct ip_entry_struct *e, *tmp;
	struct veip_struct *veip;

	spin_lock(&veip_lock);
	veip = ve->veip;
	if (veip) {
		list_for_each_entry_safe(e, tmp, &veip->ip_lh, ve_list)
			entry_unhash(e);
		list_del(&veip->list);
		ve->veip = NULL;
		kfree_rcu(veip, rcu);
	}
	spin_unlock(&veip_lock);
}

static int veip_entry_add(struct ve_struct *ve, const struct ve_addr_struct *a)
{
	struct ip_entry_struct *e = kzalloc(sizeof(*e), GFP_KERNEL);
	struct ve_addr_struct key = *a;
	int err;

	if (!e)
		return -ENOMEM;
	spin_lock(&veip_lock);
	err = veip_start(ve);
	if (err)
		goto out;
	err = -EADDRINUSE;
	if (venet_entry_lookup(&key))
		goto out;
	e->addr = *a;
	e->active_env = ve;
	list_add(&e->ve_list, &ve->veip->ip_lh);
	hlist_add_head_rcu(&e->ip_hash, &ip_entry_hash_table[addr_bucket(a)]);
	e = NULL;
	err = 0;
out:
	spin_unlock(&veip_lock);
	kfree(e);
	return err;
}

static int veip_entry_del(struct ve_struct *ve, const struct ve_addr_struct *a)
{
	struct ve_addr_struct key = *a;
	struct ip_entry_struct *e;
	int err = -EADDRNOTAVAIL;

	spin_lock(&veip_lock);
	e = venet_entry_lookup(&key);
	if (e && e->active_env == ve) {
		entry_unhash(e);
		err = 0;
	}
	spin_unlock(&veip_lock);
	return err;
}

/* The map key of a packet's address. */
static void key4(struct ve_addr_struct *k, __be32 a)
{
	memset(k, 0, sizeof(*k));
	k->family = AF_INET;
	k->key[3] = (__force __u32)a;
}

static void key6(struct ve_addr_struct *k, const struct in6_addr *a)
{
	k->family = AF_INET6;
	memcpy(k->key, a, sizeof(k->key));
}

/* Under RCU: the container @k is assigned to, or NULL. */
static struct ve_struct *map_owner(struct ve_addr_struct *k)
{
	struct ip_entry_struct *e = venet_entry_lookup(k);

	return e ? READ_ONCE(e->active_env) : NULL;
}

static netdev_tx_t venet_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct ve_struct *from = net_ve(dev_net(dev)), *to;
	struct ve_struct *node = net_ve(&init_net);
	struct ve_addr_struct src, dst;
	struct net_device *rcv;

	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph;

		if (!pskb_network_may_pull(skb, sizeof(*iph)))
			goto drop;
		iph = ip_hdr(skb);
		if (ipv4_is_multicast(iph->daddr))
			goto drop;
		key4(&src, iph->saddr);
		key4(&dst, iph->daddr);
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6h;

		if (!pskb_network_may_pull(skb, sizeof(*ip6h)))
			goto drop;
		ip6h = ipv6_hdr(skb);
		if (ipv6_addr_is_multicast(&ip6h->daddr))
			goto drop;
		key6(&src, &ip6h->saddr);
		key6(&dst, &ip6h->daddr);
	} else {
		goto drop;
	}

	rcu_read_lock();
	to = map_owner(&dst);
	if (from != node) {
		/* A container sends from its own addresses only. */
		if (map_owner(&src) != from)
			goto drop_unlock;
		if (!to)
			to = node;
	}
	rcv = to ? READ_ONCE(to->_venet_dev) : NULL;
	if (!rcv || !(rcv->flags & IFF_UP))
		goto drop_unlock;
	skb_scrub_packet(skb, !net_eq(dev_net(dev), dev_net(rcv)));
	skb->dev = rcv;
	skb->pkt_type = PACKET_HOST;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	dev_sw_netstats_tx_add(dev, 1, skb->len);
	dev_sw_netstats_rx_add(rcv, skb->len);
	netif_rx(skb);
	rcu_read_unlock();
	return NETDEV_TX_OK;

drop_unlock:
	rcu_read_unlock();
drop:
	dev_core_stats_tx_dropped_inc(dev);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static int venet_init(struct net_device *dev)
{
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	return dev->tstats ? 0 : -ENOMEM;
}

static void venet_uninit(struct net_device *dev)
{
	free_percpu(dev->tstats);
}

static const struct net_device_ops venet_dev_ops = {
	.ndo_init = venet_init,
	.ndo_uninit = venet_uninit,
	.ndo_start_xmit = venet_xmit,
	.ndo_get_stats64 = dev_get_tstats64,
};

static void venet_setup(struct net_device *dev)
{
	dev->netdev_ops = &venet_dev_ops;
	dev->needs_free_netdev = true;
	dev->type = ARPHRD_VOID;
	dev->hard_header_len = ETH_HLEN;
	dev->mtu = ETH_DATA_LEN;
	dev->min_mtu = 68;
	dev->max_mtu = ETH_DATA_LEN;
	dev->tx_queue_len = 0;
	dev->flags = IFF_BROADCAST | IFF_NOARP | IFF_POINTOPOINT;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->features |= NETIF_F_VLAN_CHALLENGED;
	/*
	 * A feature bit until 6.11; a net_device bit since 6.12, whose name
	 * Kbuild finds in the target's header.
	 */
#if defined(NETIF_F_NETNS_LOCAL)
	dev->features |= NETIF_F_NETNS_LOCAL;
#elif defined(VZR_EMU_NETNS_IMMUTABLE)
	dev->netns_immutable = true;
#else
	dev->netns_local = true;
#endif
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
	memset(dev->broadcast, 0xff, ETH_ALEN);
}

static int venet_newlink(struct net *src_net, struct net_device *dev,
			 struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	struct ve_struct *ve = net_ve(dev_net(dev));
	int err;

	/* Created by the container itself, never pushed into it. */
	if (!net_eq(src_net, dev_net(dev)))
		return -EOPNOTSUPP;
	if (ve->_venet_dev)
		return -EEXIST;
	spin_lock(&veip_lock);
	err = veip_start(ve);
	spin_unlock(&veip_lock);
	if (err)
		return err;
	err = register_netdevice(dev);
	if (err)
		return err;
	WRITE_ONCE(ve->_venet_dev, dev);
	return 0;
}

static void venet_dellink(struct net_device *dev, struct list_head *head)
{
	struct ve_struct *ve = net_ve(dev_net(dev));

	/* As OpenVZ: the map entries go first, then the device. */
	veip_stop(ve);
	WRITE_ONCE(ve->_venet_dev, NULL);
	unregister_netdevice_queue(dev, head);
}

static struct rtnl_link_ops venet_link_ops = {
	.kind = VENET_KIND,
	.setup = venet_setup,
	.newlink = venet_newlink,
	.dellink = venet_dellink,
};

static int __net_init venet_net_init(struct net *net)
{
	struct ve_struct *ve = net_ve(net);

	ve->veid = net->ns.inum;
	ve->ve_netns = net;
	return 0;
}

/*
 * Before the namespace's devices go and before the grace period that
 * precedes its exit: once no packet path can find its entries, its
 * ve_struct (freed with the namespace) is no longer reachable.
 */
static void __net_exit venet_net_pre_exit(struct net *net)
{
	veip_stop(net_ve(net));
}

static struct pernet_operations venet_net_ops = {
	.init = venet_net_init,
	.pre_exit = venet_net_pre_exit,
	.id = &emu_net_id,
	.size = sizeof(struct ve_struct),
};

/* /proc/venet_emu: the map, read and written by the tests. */

static int parse_addr(const char *s, struct ve_addr_struct *a)
{
	memset(a, 0, sizeof(*a));
	if (strchr(s, ':')) {
		a->family = AF_INET6;
		return in6_pton(s, -1, (u8 *)a->key, -1, NULL) ? 0 : -EINVAL;
	}
	a->family = AF_INET;
	return in4_pton(s, -1, (u8 *)&a->key[3], -1, NULL) ? 0 : -EINVAL;
}

/* A reference to the namespace whose inode number is @veid, or NULL. */
static struct net *net_by_veid(unsigned int veid)
{
	struct net *net, *found = NULL;

	rcu_read_lock();
	for_each_net_rcu(net)
		if (net->ns.inum == veid) {
			found = maybe_get_net(net);
			break;
		}
	rcu_read_unlock();
	return found;
}

static ssize_t map_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	char buf[96], op[4], addr[64];
	struct ve_addr_struct a;
	unsigned int veid;
	struct net *net;
	int err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "%3s %u %63s", op, &veid, addr) != 3 ||
	    parse_addr(addr, &a))
		return -EINVAL;
	net = net_by_veid(veid);
	if (!net)
		return -ESRCH;
	if (net_eq(net, &init_net))
		err = -EINVAL;	/* the node maps nothing to itself */
	else if (!strcmp(op, "add"))
		err = veip_entry_add(net_ve(net), &a);
	else if (!strcmp(op, "del"))
		err = veip_entry_del(net_ve(net), &a);
	else
		err = -EINVAL;
	put_net(net);
	return err ? err : len;
}

static int map_show(struct seq_file *m, void *v)
{
	struct ip_entry_struct *e;
	struct ve_struct *ve;
	unsigned int i;

	spin_lock(&veip_lock);
	for (i = 0; i < VEIP_HASH_SZ; i++) {
		hlist_for_each_entry(e, &ip_entry_hash_table[i], ip_hash) {
			ve = e->active_env;
			if (e->addr.family == AF_INET)
				seq_printf(m, "%pI4 %u\n", &e->addr.key[3],
					   ve ? ve->veid : 0);
			else
				seq_printf(m, "%pI6c %u\n", e->addr.key,
					   ve ? ve->veid : 0);
		}
	}
	spin_unlock(&veip_lock);
	return 0;
}

static int map_open(struct inode *inode, struct file *file)
{
	return single_open(file, map_show, NULL);
}

static const struct proc_ops map_proc_ops = {
	.proc_open = map_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
	.proc_write = map_write,
};

static int __init venet_emu_init(void)
{
	int err;

	err = register_pernet_subsys(&venet_net_ops);
	if (err)
		return err;
	err = rtnl_link_register(&venet_link_ops);
	if (err)
		goto err_pernet;
	if (!proc_create("venet_emu", 0600, NULL, &map_proc_ops)) {
		err = -ENOMEM;
		goto err_link;
	}
	return 0;

err_link:
	rtnl_link_unregister(&venet_link_ops);
err_pernet:
	unregister_pernet_subsys(&venet_net_ops);
	return err;
}

static void __exit venet_emu_exit(void)
{
	remove_proc_entry("venet_emu", NULL);
	rtnl_link_unregister(&venet_link_ops);
	unregister_pernet_subsys(&venet_net_ops);
	/* kfree_rcu() of the last entries */
	rcu_barrier();
}

module_init(venet_emu_init);
module_exit(venet_emu_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Emulator of OpenVZ's venet and its IP map, for vzroute's tests");
MODULE_ALIAS_RTNL_LINK(VENET_KIND);
