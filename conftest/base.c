/* SPDX-License-Identifier: GPL-2.0 */
/* Must always compile: if it does not, the flags are wrong, not the kernel. */
#include <linux/module.h>
#include <net/genetlink.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	return 0;
}
