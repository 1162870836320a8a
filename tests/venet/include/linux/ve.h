/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The venet emulator's stand-in for OpenVZ 7's linux/ve.h: only the members
 * of struct ve_struct that venet and vzroute use, with OpenVZ 7's names
 * (vzkernel 3.10.0-1160.*.vz7, CONFIG_VE_NETDEV). Not OpenVZ's layout:
 * nothing outside the emulator may depend on the order of the members.
 * See tests/venet/venet_emu.c.
 */
#ifndef _VZR_EMU_LINUX_VE_H
#define _VZR_EMU_LINUX_VE_H

#include <linux/netdevice.h>
#include <net/net_namespace.h>

struct veip_struct;

/**
 * struct ve_struct - one container (OpenVZ: a VE); in the emulator, one per
 *                    network namespace, the initial namespace being the node
 * @veid: the container's id (the emulator: its namespace's inode number)
 * @ve_netns: its network namespace
 * @veip: its list of map entries; NULL until its venet is created or an
 *        address is mapped, and again once it stops. Under veip_lock.
 * @_venet_dev: its venet device, or NULL; set and cleared under RTNL,
 *              read under RCU by the packet path and under veip_lock by
 *              readers of the map
 */
struct ve_struct {
	unsigned int veid;
	struct net *ve_netns;
	struct veip_struct *veip;
	struct net_device *_venet_dev;
};

#endif /* _VZR_EMU_LINUX_VE_H */
