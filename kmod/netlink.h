/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_NETLINK_H
#define _VZR_NETLINK_H

#include "track.h"

int vzr_genl_init(void);
void vzr_genl_uninit(void);
void vzr_genl_event(const struct vzr_entry *e, u8 event);

#endif /* _VZR_NETLINK_H */
