/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_PNEIGH_PROTOCOL: proxy neighbour entries keep NDA_PROTOCOL (5.1) */
#include <linux/neighbour.h>
#include <net/neighbour.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	struct pneigh_entry pn = { .protocol = 1 };

	return pn.protocol + NDA_PROTOCOL;
}
