/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_SCAN_H
#define _VZR_SCAN_H

struct vzr_run;

int vzr_scan(struct vzr_run *run);

#endif /* _VZR_SCAN_H */
