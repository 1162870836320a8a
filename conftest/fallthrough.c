/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_FALLTHROUGH: the fallthrough pseudo-keyword (5.4; not in 3.10-el7) */
#include <linux/compiler.h>

int vzr_conftest(int x);
int vzr_conftest(int x)
{
	switch (x) {
	case 0:
		x++;
		fallthrough;
	default:
		break;
	}
	return x;
}
