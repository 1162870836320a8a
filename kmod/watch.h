/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_WATCH_H
#define _VZR_WATCH_H

#include <linux/atomic.h>

int vzr_watch_init(void);
void vzr_watch_uninit(void);

extern atomic64_t vzr_events;

#endif /* _VZR_WATCH_H */
