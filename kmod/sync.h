/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_SYNC_H
#define _VZR_SYNC_H

struct vzr_run;

void vzr_sync(struct vzr_run *run);
void vzr_audit(struct vzr_run *run);
void vzr_sync_withdraw_all(void);

#endif /* _VZR_SYNC_H */
