/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Backends say what a container device is and where its host side lives.
 * veth (routed veth: OpenVZ 9, LXC, nspawn, plain netns) everywhere, and
 * venet (OpenVZ 7/8) where the kernel has it.
 */
#ifndef _VZR_BACKEND_H
#define _VZR_BACKEND_H

#include <linux/netdevice.h>

#include "policy.h"

/**
 * struct vzr_backend - one kind of container device
 * @kind: rtnl link kind of the container device
 * @host_side: find the host side of a container device of this kind;
 *             called under RTNL; returns the host-side device, or NULL
 *             when @dev is not a container device after all
 * @peer: the device of the other end, whose host side or container part an
 *        event on @dev can change; NULL when there is none. Called under
 *        RTNL. A backend without it has its devices' events looked at
 *        alone, or, in the initial namespace, as news for every device.
 * @admit: whether @ip on container device @dev may be routed at all, for
 *         backends whose node keeps its own list of each container's
 *         addresses (venet: the IP map). NULL admits every address; the
 *         allow list applies either way. Called by the run, under RTNL and
 *         vzr_lock, never from a notifier, and again while an address is
 *         refused, since such lists change without notice.
 * @recheck: with @admit: @admit is asked again about the addresses
 *           tracked on devices of this kind every @recheck jiffies, so
 *           that an address the node's list no longer names loses its
 *           route
 * @init: optional; called once at load, before any event can arrive
 * @uninit: optional; called once at unload, after the reconciler stopped
 */
struct vzr_backend {
	const char *kind;
	struct net_device *(*host_side)(struct net_device *dev);
	struct net_device *(*peer)(struct net_device *dev);
	bool (*admit)(struct net_device *dev, const struct vzr_ip *ip);
	unsigned long recheck;
	void (*init)(void);
	void (*uninit)(void);
};

extern const struct vzr_backend vzr_backend_veth;
extern const struct vzr_backend vzr_backend_venet;

void vzr_backends_init(void);
void vzr_backends_uninit(void);

struct net_device *vzr_host_side(struct net_device *dev,
				 const struct vzr_backend **bp);

bool vzr_node_net(const struct net *net);
bool vzr_event_may_matter(const struct net_device *dev);
bool vzr_event_matters(const struct net_device *dev);
struct net_device *vzr_backend_peer(struct net_device *dev);
bool vzr_backend_affects_all(struct net_device *dev);
bool vzr_backend_admits_all(const struct net_device *dev);

#endif /* _VZR_BACKEND_H */
