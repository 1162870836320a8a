/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The venet emulator's stand-in for OpenVZ 7's linux/venet.h: the IP map as
 * vznetdev exports it (vzkernel 3.10.0-1160.*.vz7, drivers/net/venetdev.c;
 * the same names in vz8's 4.18 branch). Names, types and the meaning of
 * each member follow OpenVZ; the layout does not, and only members used by
 * the emulator or vzroute are here. See tests/venet/venet_emu.c.
 */
#ifndef _VZR_EMU_LINUX_VENET_H
#define _VZR_EMU_LINUX_VENET_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#define VEIP_HASH_SZ 512

struct ve_struct;

/**
 * struct ve_addr_struct - a map key
 * @family: AF_INET or AF_INET6
 * @key: the address; IPv4 in key[3] with the others zero; network order
 */
struct ve_addr_struct {
	int family;
	__u32 key[4];
};

/**
 * struct veip_struct - a container's map entries
 * @ip_lh: its ip_entry_struct entries, by ve_list
 * @list: on veip_lh
 * @veid: the container's id
 * @rcu: freed after a grace period
 */
struct veip_struct {
	struct list_head ip_lh;
	struct list_head list;
	unsigned int veid;
	struct rcu_head rcu;
};

/**
 * struct ip_entry_struct - one address of the map
 * @addr: the address
 * @active_env: the container it is assigned to; set to NULL before the
 *              entry is unhashed
 * @ip_hash: in ip_entry_hash_table; added and removed under veip_lock,
 *           walked under veip_lock or RCU
 * @ve_list: on the container's veip_struct ip_lh, under veip_lock
 * @rcu: entries are freed after a grace period
 */
struct ip_entry_struct {
	struct ve_addr_struct addr;
	struct ve_struct *active_env;
	struct hlist_node ip_hash;
	union {
		struct list_head ve_list;
		struct rcu_head rcu;
	};
};

struct ip_entry_struct *venet_entry_lookup(struct ve_addr_struct *addr);

extern struct hlist_head ip_entry_hash_table[];
extern spinlock_t veip_lock;
extern struct list_head veip_lh;

#endif /* _VZR_EMU_LINUX_VENET_H */
