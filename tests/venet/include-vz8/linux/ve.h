/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Build-only stand-in for OpenVZ 8's linux/ve.h (vzkernel's 4.18 branch),
 * which OpenVZ 9's (5.14) matches in what vzroute reads: the container's
 * venet device is venet_dev there, _venet_dev on vz7.
 * tests/venet/check-vz8.sh compiles vzroute against it, so that the vz8
 * branch of kmod/venet_map.h is compiled too; nothing runs with it.
 */
#ifndef _VZR_EMU_LINUX_VE_H
#define _VZR_EMU_LINUX_VE_H

#include <linux/netdevice.h>

struct veip_struct;

/**
 * struct ve_struct - a container, as far as vzroute reads it
 * @veip: its map entries
 * @venet_dev: its venet device, or NULL
 */
struct ve_struct {
	struct veip_struct *veip;
	struct net_device *venet_dev;
};

#endif /* _VZR_EMU_LINUX_VE_H */
