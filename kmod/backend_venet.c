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
 * addresses on every event and every 100 ms for their first VZR_MAP_YOUNG
 * seconds (a restore's length), which is how a live migration's
 * destination gets its route once vzctl fills the map after CRIU restored
 * the addresses; and it asks the map again about every address tracked
 * on a venet container device every VZR_MAP_RECHECK, so that an address
 * the admin took out of the map loses its route. On the source, the
 * container's venet goes away with its namespace, and so do the routes.
 *
 * Without the map nothing is admitted: an address stays unmapped, and the
 * map is looked for again while one waits, so that the order in which
 * vznetdev and vzroute load does not matter.
 *
 * The map's types live in venet_map.h, the only code that knows them.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/rtnetlink.h>

#include "backend.h"
#include "decide.h"
#include "netns.h"
#include "params.h"
#include "venet_map.h"

#define VENET_KIND "venet"

/*
 * The map's symbols, taken when first found and held until unload.
 * Under vzr_lock: admit() runs in the reconciler's scan, which holds it,
 * venet_init() before the reconciler starts and venet_uninit() after it
 * stopped. @next_try spaces the lookups while the map is missing.
 */
static struct vzr_venet_map map;
static bool have_map;
static unsigned long next_try;

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

static bool find_map(void)
{
	if (have_map)
		return true;
	if (next_try && time_before(jiffies, next_try))
		return false;
	next_try = jiffies + VZR_MAP_POLL;
	have_map = vzr_venet_map_get(&map);
	if (have_map)
		pr_info("venet: routing only what the node's IP map assigns to each container\n");
	return have_map;
}

static bool venet_admit(struct net_device *dev, const struct vzr_ip *ip)
{
	ASSERT_RTNL();
	lockdep_assert_held(&vzr_lock);
	if (!find_map()) {
		pr_warn_ratelimited("venet device %s but no IP map (vznetdev not loaded): its addresses stay unmapped until the map is there\n",
				    dev->name);
		return false;
	}
	return vzr_venet_map_routes_to(&map, ip->family, &ip->a, dev);
}

static void venet_init(void)
{
	mutex_lock(&vzr_lock);
	if (!find_map())
		pr_info("venet: no IP map (vznetdev not loaded): no venet address is routed until it is\n");
	mutex_unlock(&vzr_lock);
}

static void venet_uninit(void)
{
	mutex_lock(&vzr_lock);
	if (have_map)
		vzr_venet_map_put(&map);
	have_map = false;
	next_try = 0;
	mutex_unlock(&vzr_lock);
}

const struct vzr_backend vzr_backend_venet = {
	.kind = VENET_KIND,
	.host_side = venet_host_side,
	.admit = venet_admit,
	.recheck = VZR_MAP_RECHECK,
	.init = venet_init,
	.uninit = venet_uninit,
};
