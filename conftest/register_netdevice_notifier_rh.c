/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_REGISTER_NETDEVICE_NOTIFIER_RH: register_netdevice_notifier_rh() (RHEL 7, needed there for notifier info) */
#include <linux/netdevice.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	int (*reg)(struct notifier_block *nb) = register_netdevice_notifier_rh;

	return reg != NULL;
}
