/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_FAULT_ATTR_DNAME_DENTRY: a fault_attr holds its debugfs directory (6.12.y: a copy of its name instead; absent too without CONFIG_FAULT_INJECTION) */
#include <linux/fault-inject.h>

void vzr_conftest(struct fault_attr *a);
void vzr_conftest(struct fault_attr *a)
{
	/* An array cannot be assigned to: an error, not a warning. */
	a->dname = NULL;
}
