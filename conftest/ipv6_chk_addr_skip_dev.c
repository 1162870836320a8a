/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_IPV6_CHK_ADDR_SKIP_DEV: ipv6_chk_addr_and_flags() takes skip_dev_check (el8 4.18 on; el7 3.10: without it) */
#include <net/addrconf.h>

int vzr_conftest(struct net *net, const struct in6_addr *a,
		 const struct net_device *dev);
int vzr_conftest(struct net *net, const struct in6_addr *a,
		 const struct net_device *dev)
{
	return ipv6_chk_addr_and_flags(net, a, dev, false, 1, 0);
}
