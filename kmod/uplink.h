/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The node's uplinks as the proxy neighbour entries see them: which
 * devices of a host namespace qualify (neigh_devs=), and the connected
 * prefixes each holds.
 */
#ifndef _VZR_UPLINK_H
#define _VZR_UPLINK_H

#include <linux/if.h>
#include <linux/types.h>
#include <net/net_namespace.h>

#include "policy.h"

struct in_ifaddr;
struct inet6_ifaddr;

/* Uplinks one view keeps, and connected prefixes it keeps of each. */
#define VZR_UPLINKS_MAX		16
#define VZR_UPLINK_PREFIXES_MAX	8

/**
 * struct vzr_uplink - one uplink, as read
 * @ifindex: the device
 * @name: its name
 * @proxy_ndp: it answers neighbour solicitations for proxy entries
 *             (net.ipv6.conf.{all,DEV}.proxy_ndp)
 * @n_pfx: prefixes used in @pfx
 * @pfx: its connected prefixes: its global addresses' networks
 */
struct vzr_uplink {
	int ifindex;
	char name[IFNAMSIZ];
	bool proxy_ndp;
	u8 n_pfx;
	struct vzr_prefix pfx[VZR_UPLINK_PREFIXES_MAX];
};

/**
 * struct vzr_uplinks - the uplinks of one host namespace, at one moment
 * @net: the namespace
 * @n: uplinks used in @u
 * @u: the uplinks, in the namespace's device order
 *
 * A copy, owned by whoever read it: nothing in it refers to a live
 * device. Zeroed before it is filled, so that two reads of the same
 * uplinks compare equal byte for byte (vzr_uplinks_digest()).
 */
struct vzr_uplinks {
	struct net *net;
	unsigned int n;
	struct vzr_uplink u[VZR_UPLINKS_MAX];
};

void vzr_uplinks_read(struct vzr_uplinks *v, struct net *net,
		      const char *devs);
u32 vzr_uplinks_digest(const struct vzr_uplinks *v);
unsigned int vzr_uplinks_pick(const struct vzr_uplinks *v,
			      const struct vzr_ip *ip, int skip_ifindex,
			      const struct vzr_uplink **out, unsigned int max);
bool vzr_uplink_named(const char *devs, bool up, bool eligible,
		      const char *name);
bool vzr_uplink_add_prefix(struct vzr_uplink *u, const struct vzr_ip *ip,
			   u8 len);
bool vzr_uplink_prefix4(const struct in_ifaddr *ifa);
bool vzr_uplink_prefix6(const struct inet6_ifaddr *ifp);

#endif /* _VZR_UPLINK_H */
