/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_GENL_FAMILY_POLICY: struct genl_family has .policy (5.2, 4.18-el8) */
#include <net/genetlink.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	static const struct nla_policy p[1];
	static struct genl_family f = { .policy = p };

	return f.policy != NULL;
}
