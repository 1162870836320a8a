/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_ANNOUNCE_H
#define _VZR_ANNOUNCE_H

#include <net/net_namespace.h>

#include "policy.h"

int vzr_announce_init(void);
void vzr_announce_uninit(void);
void vzr_announce(struct net *net, int ifindex, const struct vzr_ip *ip,
		  struct net *cnet, u32 count);
void vzr_announce_cancel(struct net *net, int ifindex, const struct vzr_ip *ip);
void vzr_announce_forget_net(struct net *net);

#endif /* _VZR_ANNOUNCE_H */
