/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_GENL_OPS_POLICY: struct genl_ops has .policy (up to 5.1 and from 5.10, 3.10-el7) */
#include <net/genetlink.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	static const struct nla_policy p[1];
	static const struct genl_ops o = { .policy = p };

	return o.policy != NULL;
}
