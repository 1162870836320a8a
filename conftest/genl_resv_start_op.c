/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_GENL_RESV_START_OP: struct genl_family has .resv_start_op (6.1) */
#include <net/genetlink.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	static struct genl_family f = { .resv_start_op = 1 };

	return f.resv_start_op;
}
