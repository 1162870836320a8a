/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_VE_VENET_DEV: struct ve_struct has venet_dev (vz8 4.18, vz9 5.14) */
#include <linux/netdevice.h>
#include <linux/ve.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	struct ve_struct *ve = NULL;
	struct net_device *dev = ve->venet_dev;

	return dev != NULL;
}
