/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_GENL_DUMP_CHECK_CONSISTENT_2ARGS: genl_dump_check_consistent(cb, hdr) (4.14; before: and the family) */
#include <net/genetlink.h>

int vzr_conftest(struct netlink_callback *cb, void *hdr);
int vzr_conftest(struct netlink_callback *cb, void *hdr)
{
	genl_dump_check_consistent(cb, hdr);
	return 0;
}
