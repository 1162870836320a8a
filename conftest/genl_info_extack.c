/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_GENL_INFO_EXTACK: struct genl_info has .extack (4.12) */
#include <net/genetlink.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	struct genl_info info = { .extack = NULL };

	return info.extack != NULL;
}
