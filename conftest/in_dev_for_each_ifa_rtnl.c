/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_IN_DEV_FOR_EACH_IFA_RTNL: in_dev_for_each_ifa_rtnl() (5.3, 4.18-el8) */
#include <linux/inetdevice.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	struct in_device *in_dev = NULL;
	struct in_ifaddr *ifa;
	int n = 0;

	in_dev_for_each_ifa_rtnl(ifa, in_dev)
		n++;
	return n;
}
