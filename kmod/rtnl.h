/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_RTNL_H
#define _VZR_RTNL_H

#include <net/net_namespace.h>

#include "routemsg.h"

typedef void (*vzr_rt_dump_cb)(struct net *net, const struct vzr_route *r,
			       void *arg);

int vzr_rt_init(void);
void vzr_rt_uninit(void);
int vzr_rt_add(struct net *net, const struct vzr_route *r);
int vzr_rt_replace(struct net *net, const struct vzr_route *r);
int vzr_rt_del(struct net *net, const struct vzr_route *r);
typedef void (*vzr_rt_done_cb)(void *cookie, int err);

void vzr_rt_batch_begin(vzr_rt_done_cb done);
void vzr_rt_batch_add(struct net *net, const struct vzr_route *r, void *cookie);
void vzr_rt_batch_del(struct net *net, const struct vzr_route *r, void *cookie);
int vzr_rt_batch_end(void);
int vzr_rt_dump(struct net *net, u8 family, vzr_rt_dump_cb cb, void *arg);
void vzr_rt_forget_net(struct net *net);

#endif /* _VZR_RTNL_H */
