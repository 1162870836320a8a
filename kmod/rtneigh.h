/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_RTNEIGH_H
#define _VZR_RTNEIGH_H

#include <net/net_namespace.h>

#include "neighmsg.h"

typedef void (*vzr_rtneigh_dump_cb)(struct net *net, const struct vzr_nkey *k,
				    u8 proto, void *arg);

int vzr_rtneigh_get(struct net *net, const struct vzr_nkey *k, u8 *proto);
int vzr_rtneigh_add(struct net *net, const struct vzr_nkey *k, u8 proto,
		    bool *unanswered);
int vzr_rtneigh_del(struct net *net, const struct vzr_nkey *k);
int vzr_rtneigh_dump(struct net *net, vzr_rtneigh_dump_cb cb, void *arg);

#endif /* _VZR_RTNEIGH_H */
