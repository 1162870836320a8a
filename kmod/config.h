/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_CONFIG_H
#define _VZR_CONFIG_H

#include <net/genetlink.h>

#include "params.h"

int vzr_config_put(struct sk_buff *skb);
int vzr_config_parse(struct vzr_config *cfg, struct genl_info *info);

#endif /* _VZR_CONFIG_H */
