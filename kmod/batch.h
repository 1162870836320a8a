/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_BATCH_H
#define _VZR_BATCH_H

#include <net/net_namespace.h>

#include "routemsg.h"

typedef void (*vzr_batch_done_cb)(void *ctx, void *cookie, int err);

int vzr_batch_init(void);
void vzr_batch_uninit(void);
void vzr_batch_begin(vzr_batch_done_cb done, void *ctx);
void vzr_batch_add(struct net *net, const struct vzr_route *r, void *cookie);
void vzr_batch_del(struct net *net, const struct vzr_route *r, void *cookie);
bool vzr_batch_end(void);

#endif /* _VZR_BATCH_H */
