/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_RTSOCK_H
#define _VZR_RTSOCK_H

#include <net/net_namespace.h>

#include "routemsg.h"

typedef void (*vzr_rtsock_dump_cb)(struct net *net, const struct vzr_route *r,
				   void *arg);
typedef void (*vzr_rtsock_net_fn)(struct net *net, void *arg);

int vzr_rtsock_init(void);
void vzr_rtsock_uninit(void);
void vzr_rtsock_forget_net(struct net *net);
int vzr_rtsock_add(struct net *net, const struct vzr_route *r);
int vzr_rtsock_replace(struct net *net, const struct vzr_route *r);
int vzr_rtsock_del(struct net *net, const struct vzr_route *r);
int vzr_rtsock_reserve(struct net *net, u32 n, u32 *seq);
int vzr_rtsock_send_unacked(struct net *net, const void *msg, size_t len,
			    u32 seq, u32 n, int *errs, bool *lost);
int vzr_rtsock_dump(struct net *net, u8 family, vzr_rtsock_dump_cb cb,
		    void *arg);
void vzr_rtsock_watch_proto(u8 proto);
bool vzr_rtsock_proto_watched(u8 proto);
bool vzr_rtsock_listen(void);
bool vzr_rtsock_listen_net(struct net *net);
void vzr_rtsock_audited(struct net *net, bool ok);
int vzr_rtsock_open(struct net *net);
void vzr_rtsock_visit_nets(vzr_rtsock_net_fn fn, void *arg);

#endif /* _VZR_RTSOCK_H */
