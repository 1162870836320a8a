// SPDX-License-Identifier: GPL-2.0
/*
 * The uplinks' pure half: which devices neigh_devs names, and on which of
 * the uplinks read (uplink.c) an address gets a proxy entry. No locks, no
 * live kernel objects, so that KUnit can walk every case.
 */

#include <linux/jhash.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "uplink.h"

/**
 * vzr_uplink_named() - may a device be an uplink under neigh_devs?
 * @devs: neigh_devs: "detect" or comma-separated name patterns (not empty)
 * @up: the device is up and speaks Ethernet
 * @eligible: what "detect" asks besides: not loopback, not a slave (no
 *            master device), not NOARP
 * @name: the device's name
 *
 * Either way the address must also lie in one of the uplink's connected
 * prefixes (vzr_uplinks_pick()), which a global address gives it.
 *
 * Return: true when it may be.
 */
bool vzr_uplink_named(const char *devs, bool up, bool eligible,
		      const char *name)
{
	if (!up || !devs[0])
		return false;
	if (!strcmp(devs, "detect"))
		return eligible;
	return vzr_ifnames_match(devs, name);
}

/* Keep @ip's network, @len bits long, as one of @u's prefixes. */
bool vzr_uplink_add_prefix(struct vzr_uplink *u, const struct vzr_ip *ip,
			   u8 len)
{
	struct vzr_prefix *p;

	if (u->n_pfx == VZR_UPLINK_PREFIXES_MAX)
		return false;
	p = &u->pfx[u->n_pfx++];
	p->ip = *ip;
	p->len = len;
	ipv6_addr_prefix(&p->ip.a, &ip->a, len);
	return true;
}

/* Equal for two reads that found the same uplinks, prefixes and flags. */
u32 vzr_uplinks_digest(const struct vzr_uplinks *v)
{
	return jhash(v->u, v->n * sizeof(v->u[0]), v->n);
}

/*
 * Is @ip the network address of @p (IPv6: its subnet-router anycast
 * address), or the broadcast of an IPv4 prefix that has one? Those are
 * the LAN's, never a host's: a container that claims one must not make
 * the node answer for it.
 */
static bool lan_own(const struct vzr_prefix *p, const struct vzr_ip *ip)
{
	u32 host, a;

	if (ipv6_addr_equal(&ip->a, &p->ip.a))
		return true;
	if (ip->family != AF_INET || p->len >= 31)
		return false;
	host = ~0U >> p->len;
	a = ntohl(ip->a.s6_addr32[0]);
	return (a & host) == host;
}

/**
 * vzr_uplinks_pick() - the uplinks on which @ip gets a proxy entry
 * @v: the uplinks
 * @ip: the container address
 * @skip_ifindex: the address's own host-side device, never an uplink
 * @out: receives the uplinks
 * @max: room in @out
 *
 * Pure. An uplink counts when one of its connected prefixes contains @ip:
 * only there is the address on the uplink's link, so that its neighbours
 * ask for it. Never for the prefix's network or broadcast address.
 *
 * Return: how many were put in @out.
 */
unsigned int vzr_uplinks_pick(const struct vzr_uplinks *v,
			      const struct vzr_ip *ip, int skip_ifindex,
			      const struct vzr_uplink **out, unsigned int max)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < v->n && n < max; i++) {
		if (v->u[i].ifindex == skip_ifindex)
			continue;
		for (j = 0; j < v->u[i].n_pfx; j++) {
			if (vzr_prefix_match(&v->u[i].pfx[j], ip)) {
				if (!lan_own(&v->u[i].pfx[j], ip))
					out[n++] = &v->u[i];
				break;
			}
		}
	}
	return n;
}
