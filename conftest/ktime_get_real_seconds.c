/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_KTIME_GET_REAL_SECONDS: ktime_get_real_seconds() (3.17; not in 3.10-el7) */
#include <linux/ktime.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	time64_t t = ktime_get_real_seconds();

	return t > 0;
}
