/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_NLA_POLICY_MAX: NLA_POLICY_MAX(), checked by the kernel (4.20, 4.18-el8) */
#include <net/netlink.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	static const struct nla_policy p[2] = {
		[1] = NLA_POLICY_MAX(NLA_U8, 1),
	};

	return p[1].type == NLA_U8;
}
