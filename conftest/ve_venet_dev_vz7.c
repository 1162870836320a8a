/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_VE_VENET_DEV_VZ7: struct ve_struct has _venet_dev (vz7 3.10) */
#include <linux/netdevice.h>
#include <linux/ve.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	struct ve_struct *ve = NULL;
	struct net_device *dev = ve->_venet_dev;

	return dev != NULL;
}
