/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_TIMER_CONTAINER_OF: timer_container_of() replaces from_timer() (6.16) */
#include <linux/timer.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	struct { struct timer_list t; } s, *p = &s;

	return timer_container_of(p, &s.t, t) != NULL;
}
