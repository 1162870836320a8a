/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The name the node gives a container, found from its network namespace:
 * the CTID, the "ip netns" name, the systemd machine or LXC/LXD container,
 * else the namespace's inode number.
 */
#ifndef VZROUTE_CTNAME_H
#define VZROUTE_CTNAME_H

#include <stddef.h>

#include "addr.h"

/* Where vz_addr.ct_name came from (vz_addr.ct_source). */
enum vz_ct_source {
	VZ_CT_NONE,	/* not looked up */
	VZ_CT_CTID,	/* the kernel's CTID (OpenVZ/Virtuozzo) */
	VZ_CT_NETNS,	/* /run/netns/NAME, as "ip netns identify" */
	VZ_CT_MACHINE,	/* cgroup machine.slice/machine-NAME.scope */
	VZ_CT_LXC,	/* cgroup lxc.payload.NAME or lxc/NAME */
	VZ_CT_INODE,	/* none of those: the inode number */
};

/* "ctid", "netns", "machine", "lxc", "inode". */
const char *vz_ct_source_name(unsigned int source);

/*
 * Names the containers of *v[0..n): sets ct_name and ct_source of each.
 * Reads /run/netns and, for the namespaces still unnamed, /proc once.
 */
void vz_ct_names(struct vz_addr *const *v, size_t n);
/* Frees the names vz_ct_names() gave. */
void vz_ct_names_free(void);

#endif
