// SPDX-License-Identifier: GPL-2.0
/*
 * venet (OpenVZ 7 and 8): every container has one venet device in its own
 * namespace, the node has one in the initial namespace, and the node's
 * venet hands a packet to the container that the node's IP map assigns
 * its destination to. The host side of every container venet is therefore
 * the node's venet (venet_dev=), and an address is routed only when the
 * map sends it to that container: root inside a container can add any
 * address to its venet, and only the node's map says which are its own.
 *
 * Nothing notifies a change of the map. The reconciler re-checks refused
 * addresses on every event and every 100 ms while one is refused, which is
 * how a live migration's destination gets its route once vzctl fills the
 * map after CRIU restored the addresses. On the source, the container's
 * venet goes away with its namespace, and so do the routes.
 *
 * The map's types live in venet_map.h, the only code that knows them.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/rtnetlink.h>

#include "backend.h"
#include "params.h"
#include "venet_map.h"

#define VENET_KIND "venet"

/*
 * The map's symbols. Written by venet_init() before the notifiers are
 * registered and by venet_uninit() after the reconciler has stopped, so
 * that admit() (the reconciler, under RTNL) reads them without a lock.
 */
static struct vzr_venet_map map;
static bool have_map;

static struct net_device *venet_host_side(struct net_device *dev)
{
	struct net_device *hdev;

	ASSERT_RTNL();
	/*
	 * Looked up by name on every call, not remembered: the node's venet
	 * comes up after the containers at boot, and may be deleted and
	 * created again; whichever device holds the name now is the one.
	 */
	hdev = __dev_get_by_name(&init_net, vzr_cfg.venet_dev);
	if (!hdev || !hdev->rtnl_link_ops ||
	    strcmp(hdev->rtnl_link_ops->kind, VENET_KIND))
		return NULL;
	return hdev;
}

static bool venet_admit(struct net_device *dev, const struct vzr_ip *ip)
{
	ASSERT_RTNL();
	if (!have_map) {
		pr_warn_once("venet device %s but no IP map: vznetdev was not loaded when vzroute was; only the allow list limits what venet containers get routed\n",
			     dev->name);
		return true;
	}
	return vzr_venet_map_routes_to(&map, ip->family, &ip->a, dev);
}

static void venet_init(void)
{
	have_map = vzr_venet_map_get(&map);
	if (have_map)
		pr_info("venet: routing only what the node's IP map assigns to each container\n");
	else
		pr_info("venet: no IP map (vznetdev not loaded): the allow list alone decides for venet containers\n");
}

static void venet_uninit(void)
{
	if (have_map)
		vzr_venet_map_put(&map);
	have_map = false;
}

const struct vzr_backend vzr_backend_venet = {
	.kind = VENET_KIND,
	.host_side = venet_host_side,
	.admit = venet_admit,
	.init = venet_init,
	.uninit = venet_uninit,
};
