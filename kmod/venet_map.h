/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OpenVZ 7/8/9's venet IP map, read by the venet backend (backend_venet.c)
 * and by nothing else: the only code that knows OpenVZ's types. This is
 * an optional dependency, not a difference between kernel versions: the
 * HAVE_* macros say whether the target kernel has OpenVZ's headers.
 */
#ifndef _VZR_VENET_MAP_H
#define _VZR_VENET_MAP_H

#include <linux/in6.h>
#include <linux/netdevice.h>

#include "vzr_autoconf.h"

/*
 * vznetdev exports the map; it is taken with symbol_get() so that the
 * module loads where vznetdev is not loaded, or not even built.
 *
 * The container of a map entry is its ve_struct; the device the node's
 * venet delivers the address to is that container's venet device, named
 * venet_dev on vz8 and vz9, _venet_dev on vz7.
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

#endif /* _VZR_VENET_MAP_H */
