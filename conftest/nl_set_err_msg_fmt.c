/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_NL_SET_ERR_MSG_FMT: extack messages that need not be literals (6.2) */
#include <linux/netlink.h>

int vzr_conftest(struct netlink_ext_ack *extack, const char *msg);
int vzr_conftest(struct netlink_ext_ack *extack, const char *msg)
{
	NL_SET_ERR_MSG_FMT(extack, "%s", msg);
	return 0;
}
