/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_BUDGET_H
#define _VZR_BUDGET_H

#include <net/net_namespace.h>

int vzr_budget_init(void);
void vzr_budget_uninit(void);
bool vzr_budget_take(struct net *cnet, unsigned long *wait);
void vzr_budget_refund(struct net *cnet);
void vzr_budget_forget_net(struct net *net);

#endif /* _VZR_BUDGET_H */
