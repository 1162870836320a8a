// SPDX-License-Identifier: GPL-2.0
/*
 * Which backend, if any, claims a device.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/user_namespace.h>
#include <net/net_namespace.h>
#include <net/rtnetlink.h>

#include "backend.h"
#include "venet_map.h"

/* NULL entries: backends this kernel does not have. */
static const struct vzr_backend *const backends[] = {
	&vzr_backend_veth,
	VZR_BACKEND_VENET,
};

static bool is_kind(const struct net_device *dev, const char *kind)
{
	return dev->rtnl_link_ops && !strcmp(dev->rtnl_link_ops->kind, kind);
}

/* The backend of @dev's kind, or NULL. Any context. */
static const struct vzr_backend *backend_of(const struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(backends); i++)
		if (backends[i] && is_kind(dev, backends[i]->kind))
			return backends[i];
	return NULL;
}

/**
 * vzr_host_side() - the host side of a container device
 * @dev: any device; called under RTNL
 * @bp: receives the backend that claims @dev
 *
 * Return: the host-side device, or NULL when @dev is not a container
 * device.
 */
struct net_device *vzr_host_side(struct net_device *dev,
				 const struct vzr_backend **bp)
{
	const struct vzr_backend *be;
	struct net_device *hdev;

	ASSERT_RTNL();
	/*
	 * The initial namespace is the node's own: a device there is never a
	 * container's, even when its veth peer sits in a container (that peer
	 * is the container device, this one its host side).
	 */
	if (net_eq(dev_net(dev), &init_net))
		return NULL;
	be = backend_of(dev);
	if (!be)
		return NULL;
	*bp = be;
	hdev = be->host_side(dev);
	return hdev && vzr_node_net(dev_net(hdev)) ? hdev : NULL;
}

/**
 * vzr_event_may_matter() - may an event on @dev change what vzroute tracks?
 * @dev: the device
 *
 * Yes for a device of a backend's kind (a container device, or the host
 * side of one), and for every device of a namespace where host sides may
 * live (its addresses decide what is local to the host). Not for the
 * other devices a container makes for itself, however many addresses it
 * puts on them: those would cost a run each for nothing. Any context.
 */
bool vzr_event_may_matter(const struct net_device *dev)
{
	return vzr_node_net(dev_net(dev)) || backend_of(dev);
}

/*
 * Both ends of @dev's pair are in namespaces that are not the node's:
 * neither is a container device (its host side is the node's) nor a host
 * side. A device without a peer (veth cuts the pair before either end's
 * NETDEV_UNREGISTER, and ties it only after both are registered) is not
 * known to be one, and its events still count.
 */
static bool pair_outside_node(const struct net_device *dev)
{
	const struct rtnl_link_ops *ops = dev->rtnl_link_ops;

	return ops->get_link_net && dev_get_iflink(dev) &&
	       !vzr_node_net(ops->get_link_net(dev));
}

/**
 * vzr_event_matters() - vzr_event_may_matter(), told under RTNL
 * @dev: the device
 *
 * Under RTNL the peer's namespace can be read as well: a veth pair a
 * container makes between namespaces of its own is its own device too,
 * and its link and IPv4 address changes cost nothing. (IPv6 address
 * events may come without RTNL, from softirq: those still count.)
 */
bool vzr_event_matters(const struct net_device *dev)
{
	ASSERT_RTNL();
	if (vzr_node_net(dev_net(dev)))
		return true;
	return backend_of(dev) && !pair_outside_node(dev);
}

/**
 * vzr_node_net() - may @net be the host side's namespace?
 * @net: the namespace of a would-be host side
 *
 * The node owns the host side: a namespace owned by the initial user
 * namespace (the initial one, or one the node's root made to act as a
 * node). A container's root has CAP_NET_ADMIN over namespaces of its own
 * user namespace, and can make a veth pair between two of them; were one
 * end taken for a host side, vzroute would route any allowed address in
 * the container's namespace, through a socket it opened there.
 *
 * Return: true when @net is the node's.
 */
bool vzr_node_net(const struct net *net)
{
	return net->user_ns == &init_user_ns;
}

/* At load, before the notifiers: backends that look things up once. */
void vzr_backends_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(backends); i++)
		if (backends[i] && backends[i]->init)
			backends[i]->init();
}

/* At unload, once nothing calls a backend any more. */
void vzr_backends_uninit(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(backends); i++)
		if (backends[i] && backends[i]->uninit)
			backends[i]->uninit();
}

/* The backend that claims @dev and pairs it with another device, if any. */
static const struct vzr_backend *pairing_backend(struct net_device *dev)
{
	const struct vzr_backend *be = backend_of(dev);

	return be && be->peer ? be : NULL;
}

/**
 * vzr_backend_peer() - the device besides @dev that an event on @dev affects
 * @dev: the device of a netdev event; called under RTNL
 *
 * Return: the other end of a pair, or NULL when only @dev is affected.
 */
struct net_device *vzr_backend_peer(struct net_device *dev)
{
	const struct vzr_backend *b = pairing_backend(dev);

	ASSERT_RTNL();
	return b ? b->peer(dev) : NULL;
}

/**
 * vzr_backend_admits_all() - is @dev of a backend without its own list?
 * @dev: any device
 *
 * A backend with @admit keeps its node's list of each container's
 * addresses, which is read under vzr_lock, and its @host_side may read
 * the module's settings, which change under vzr_lock too. Any context.
 */
bool vzr_backend_admits_all(const struct net_device *dev)
{
	const struct vzr_backend *be = backend_of(dev);

	return be && !be->admit;
}

/**
 * vzr_backend_affects_all() - may an event on @dev change any device?
 * @dev: the device of a netdev event; called under RTNL
 *
 * A device of the initial namespace that no backend pairs (the node's
 * venet, a device named by host_ifnames) can be the host side of many
 * containers.
 */
bool vzr_backend_affects_all(struct net_device *dev)
{
	return net_eq(dev_net(dev), &init_net) && !pairing_backend(dev);
}
