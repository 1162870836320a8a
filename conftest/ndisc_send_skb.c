/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_NDISC_SEND_SKB: ndisc_send_skb() is declared and exported (4.19; static in el7 and el8) */
#include <net/ndisc.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	void (*fn)(struct sk_buff *, const struct in6_addr *,
		   const struct in6_addr *) = ndisc_send_skb;

	return !!fn;
}
