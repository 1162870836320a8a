/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_NET_NS_INUM: struct net has ns.inum (3.19; before: proc_inum) */
#include <net/net_namespace.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	struct net *net = &init_net;

	return net->ns.inum != 0;
}
