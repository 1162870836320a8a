/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_SYNC_H
#define _VZR_SYNC_H

#include <net/net_namespace.h>

#include "routemsg.h"

struct vzr_run;

void vzr_sync(struct vzr_run *run);
void vzr_audit(struct vzr_run *run);
void vzr_sync_withdraw_all(void);
void vzr_sync_heard(struct net *net, const struct vzr_route *r, bool replaced);

#endif /* _VZR_SYNC_H */
