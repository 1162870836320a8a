// SPDX-License-Identifier: GPL-2.0
/*
 * Routed veth: a veth pair with one end in a container namespace and the
 * other in the namespace that routes for it. Either end can play the
 * container part; the allow list and host_ifnames decide what is routed.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>

#include "backend.h"

/* The device at the other end of a veth, if it lives in another netns. */
static struct net_device *veth_peer(struct net_device *dev)
{
	const struct rtnl_link_ops *ops = dev->rtnl_link_ops;
	struct net_device *peer;
	struct net *pnet;

	ASSERT_RTNL();
	if (!ops->get_link_net)
		return NULL;
	pnet = ops->get_link_net(dev);
	if (net_eq(pnet, dev_net(dev)))
		return NULL;
	peer = __dev_get_by_index(pnet, dev_get_iflink(dev));
	/* An ifindex can be reused; make sure it points back at us. */
	if (!peer || peer->rtnl_link_ops != ops ||
	    dev_get_iflink(peer) != dev->ifindex ||
	    !net_eq(ops->get_link_net(peer), dev_net(dev)))
		return NULL;
	return peer;
}

static struct net_device *veth_host_side(struct net_device *dev)
{
	struct net_device *peer = veth_peer(dev);

	/*
	 * A host side enslaved to a bridge, bond or OVS port puts the
	 * container on the host's L2 (Docker, bridged LXC, OpenVZ bridged
	 * veth); a host route there would steal its traffic.
	 */
	if (!peer || netdev_master_upper_dev_get(peer))
		return NULL;
	return peer;
}

const struct vzr_backend vzr_backend_veth = {
	.kind = "veth",
	.host_side = veth_host_side,
	.peer = veth_peer,
};
