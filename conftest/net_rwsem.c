/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_NET_RWSEM: net_rwsem guards the namespace list (4.17, in linux/rtnetlink.h; before: RTNL alone) */
#include <linux/rtnetlink.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	struct rw_semaphore *sem = &net_rwsem;

	return sem != NULL;
}
