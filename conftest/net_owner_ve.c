/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HAVE_NET_OWNER_VE: OpenVZ's vzkernel, where a network namespace belongs
 * to a container: struct net's owner_ve, whose ve_name is the CTID, and
 * ve_is_super() for the node's own
 */
#include <linux/ve.h>
#include <net/net_namespace.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	const struct net *net = &init_net;
	struct ve_struct *ve = net->owner_ve;
	const char *name = ve->ve_name;

	return ve_is_super(ve) && name;
}
