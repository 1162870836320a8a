/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_SYNC_H
#define _VZR_SYNC_H

#include <net/net_namespace.h>

#include "routemsg.h"

struct vzr_ctdev;
struct vzr_run;

bool vzr_sync_may_ahead(const struct vzr_run *run);
void vzr_sync_ahead(struct vzr_run *run, struct vzr_ctdev *cd,
		    const struct vzr_ip *ip);
void vzr_sync(struct vzr_run *run);
void vzr_audit(struct vzr_run *run);
void vzr_sync_withdraw_all(void);
void vzr_sync_heard(struct net *net, const struct vzr_route *r, bool replaced);

#endif /* _VZR_SYNC_H */
