/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HAVE_VENET_MAP: OpenVZ's venet IP map (vz7 3.10, vz8 4.18: vznetdev's
 * linux/venet.h): venet_entry_lookup(), veip_lock, and ip_entry_struct
 * entries naming their container in active_env
 */
#include <linux/spinlock.h>
#include <linux/ve.h>
#include <linux/venet.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	struct ip_entry_struct *(*lookup)(struct ve_addr_struct *addr) =
		venet_entry_lookup;
	struct ve_addr_struct key = { .family = 2 };
	struct ip_entry_struct *e;
	spinlock_t *lock = &veip_lock;

	key.key[3] = 1;
	e = lookup(&key);
	return lock && e && e->active_env && e->addr.family;
}
