/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HAVE_GENL_STRICT: generic netlink validates requests strictly unless an
 * operation opts out with GENL_DONT_VALIDATE_STRICT (5.2, 4.18-el8):
 * attributes the policy does not describe are refused
 */
#include <net/genetlink.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	static const struct genl_ops op = {
		.validate = GENL_DONT_VALIDATE_STRICT,
	};

	return op.validate != 0;
}
