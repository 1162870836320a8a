/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for differences between kernels. Core files call these
 * helpers and never test kernel versions. The HAVE_* macros come from
 * generated/vzr_autoconf.h, which conftest/conftest.sh writes by compiling
 * the probes of conftest/ against the target kernel's headers (see Kbuild):
 * distribution kernels backport, so version numbers would lie.
 */
#ifndef _VZR_COMPAT_H
#define _VZR_COMPAT_H

#include <linux/inetdevice.h>
#include <linux/netlink.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "vzr_autoconf.h"

/*
 * The namespace list is guarded by net_rwsem (4.17+), taken after RTNL.
 * Before, RTNL (which the callers hold) was enough.
 */
static inline void vzr_netns_list_lock(void)
{
#ifdef HAVE_NET_RWSEM
	down_read(&net_rwsem);
#endif
}

static inline void vzr_netns_list_unlock(void)
{
#ifdef HAVE_NET_RWSEM
	up_read(&net_rwsem);
#endif
}

static inline u32 vzr_net_inum(const struct net *net)
{
#ifdef HAVE_NET_NS_INUM
	return net->ns.inum;
#else
	return net->proc_inum;
#endif
}

/* The extended ack of a request (4.12+), or NULL where there is none. */
static inline struct netlink_ext_ack *vzr_genl_extack(struct genl_info *info)
{
#ifdef HAVE_GENL_INFO_EXTACK
	return info->extack;
#else
	return NULL;
#endif
}

/*
 * NL_SET_ERR_MSG_ATTR() wants a literal; our messages come from shared
 * checkers (static strings, also used for modprobe's errors).
 */
static inline void vzr_extack_set(struct netlink_ext_ack *extack,
				  const struct nlattr *nla, const char *msg)
{
#ifdef HAVE_GENL_INFO_EXTACK
	if (extack) {
		extack->_msg = msg;
		extack->bad_attr = nla;
	}
#endif
}

/*
 * One attribute policy for the whole family (5.2+, 4.18-el8), or else the
 * same policy on every operation (older kernels, 3.10-el7).
 */
#ifdef HAVE_GENL_FAMILY_POLICY
#define VZR_GENL_FAMILY_POLICY(pol) .policy = (pol),
#define VZR_GENL_OP_POLICY(pol)
#else
#define VZR_GENL_FAMILY_POLICY(pol)
#define VZR_GENL_OP_POLICY(pol) .policy = (pol),
#endif

#ifdef HAVE_IN_DEV_FOR_EACH_IFA_RTNL
#define vzr_for_each_ifa_rtnl(ifa, in_dev) in_dev_for_each_ifa_rtnl(ifa, in_dev)
#else
/*
 * Before 5.3 ifa_list is a plain pointer, stable under RTNL. A loop names
 * its cursor three times; as a variadic argument it escapes checkpatch's
 * MACRO_ARG_REUSE, which has no point here.
 */
#define vzr_for_each_ifa_rtnl(ifa, in_dev) vzr_ifa_loop(in_dev, ifa)
#define vzr_ifa_loop(in_dev, cur...) \
	for (cur = (in_dev)->ifa_list; cur; cur = (cur)->ifa_next)
#endif

/*
 * RHEL 7 calls the callbacks of register_netdevice_notifier() with a bare
 * net_device; netdev_notifier_info needs the _rh variant there.
 */
#ifdef HAVE_REGISTER_NETDEVICE_NOTIFIER_RH
#define vzr_register_netdevice_notifier register_netdevice_notifier_rh
#define vzr_unregister_netdevice_notifier unregister_netdevice_notifier_rh
#else
#define vzr_register_netdevice_notifier register_netdevice_notifier
#define vzr_unregister_netdevice_notifier unregister_netdevice_notifier
#endif

/*
 * OpenVZ 7/8's venet IP map, read by the venet backend (backend_venet.c).
 * This is the only code that knows OpenVZ's types. vznetdev exports the
 * map; it is taken with symbol_get() so that the module loads where
 * vznetdev is not loaded, or not even built: there the backend's admit()
 * admits everything and the allow list is the only gate.
 *
 * The container of a map entry is its ve_struct; the device the node's
 * venet delivers the address to is that container's venet device, named
 * venet_dev on vz8 and _venet_dev on vz7.
 */
#if defined(HAVE_VENET_MAP) && defined(HAVE_VE_VENET_DEV)
#define VZR_VENET_MAP
#define vzr_ve_venet_dev(ve) ((ve)->venet_dev)
#elif defined(HAVE_VENET_MAP) && defined(HAVE_VE_VENET_DEV_VZ7)
#define VZR_VENET_MAP
#define vzr_ve_venet_dev(ve) ((ve)->_venet_dev)
#endif

#ifdef VZR_VENET_MAP
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/ve.h>
#include <linux/venet.h>

/* The kernel has venet: the backend table lists it. */
#define VZR_BACKEND_VENET (&vzr_backend_venet)

/**
 * struct vzr_venet_map - vznetdev's IP map, when its module is there
 * @lookup: venet_entry_lookup(), valid under @lock (or RCU)
 * @lock: veip_lock; every writer of the map (vzctl's ve.ip_allow and
 *        ioctl, venet changelink, a container's shutdown) holds it, and an
 *        entry's container cannot go while the entry is hashed
 *
 * Both are NULL, or both hold a reference on vznetdev (symbol_get), taken
 * by vzr_venet_map_get() before the first reader and dropped by
 * vzr_venet_map_put() after the last one. In between they do not change.
 */
struct vzr_venet_map {
	struct ip_entry_struct *(*lookup)(struct ve_addr_struct *addr);
	spinlock_t *lock;	/* not ours: vznetdev's veip_lock */
};

static inline void vzr_venet_map_put(struct vzr_venet_map *m)
{
	if (m->lookup)
		symbol_put(venet_entry_lookup);
	if (m->lock)
		symbol_put(veip_lock);
	m->lookup = NULL;
	m->lock = NULL;
}

/* Return: true when the map is there (both symbols, or neither). */
static inline bool vzr_venet_map_get(struct vzr_venet_map *m)
{
	m->lookup = symbol_get(venet_entry_lookup);
	m->lock = symbol_get(veip_lock);
	if (m->lookup && m->lock)
		return true;
	vzr_venet_map_put(m);
	return false;
}

/**
 * vzr_venet_map_routes_to() - whether the map sends @a to @dev
 * @m: a map taken by vzr_venet_map_get()
 * @family: AF_INET or AF_INET6
 * @a: the address (IPv4 in s6_addr32[0])
 * @dev: a container's venet device
 *
 * True when the map assigns @a to the container whose venet device is @dev,
 * which is where the node's venet delivers packets for @a. Takes @m->lock,
 * a spinlock: callable from process context. The container's venet device
 * pointer is only compared with @dev, which the caller (under RTNL) keeps
 * registered, never dereferenced.
 */
static inline bool vzr_venet_map_routes_to(const struct vzr_venet_map *m,
					   int family,
					   const struct in6_addr *a,
					   const struct net_device *dev)
{
	struct ve_addr_struct key = { .family = family };
	struct ip_entry_struct *e;
	bool ok;

	/* The map keys IPv4 in the last word, the others zero. */
	if (family == AF_INET)
		memcpy(&key.key[3], &a->s6_addr32[0], sizeof(key.key[3]));
	else
		memcpy(key.key, a, sizeof(key.key));
	spin_lock(m->lock);
	e = m->lookup(&key);
	ok = e && e->active_env && vzr_ve_venet_dev(e->active_env) == dev;
	spin_unlock(m->lock);
	return ok;
}
#else
#define VZR_BACKEND_VENET NULL

/* No venet in this kernel: no map, every address admitted. */
struct vzr_venet_map {
	bool none;
};

static inline void vzr_venet_map_put(struct vzr_venet_map *m)
{
}

static inline bool vzr_venet_map_get(struct vzr_venet_map *m)
{
	return false;
}

static inline bool vzr_venet_map_routes_to(const struct vzr_venet_map *m,
					   int family,
					   const struct in6_addr *a,
					   const struct net_device *dev)
{
	return true;
}
#endif

#endif /* _VZR_COMPAT_H */
