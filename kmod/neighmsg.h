/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VZR_NEIGHMSG_H
#define _VZR_NEIGHMSG_H

#include <linux/types.h>

#include "policy.h"

/**
 * struct vzr_nkey - one proxy neighbour entry, as the kernel keys it
 * @ip: the address proxied
 * @ifindex: the uplink it is proxied on
 */
struct vzr_nkey {
	struct vzr_ip ip;
	int ifindex;
};

/*
 * NDA_PROTOCOL, by its number: headers before 5.1 lack the name, and the
 * number is ABI (compat.h checks it against the name where there is one).
 */
#define VZR_NDA_PROTOCOL	12

/* Room for one proxy neighbour message with every attribute sent. */
#define VZR_NEIGH_MSG_MAX	64

int vzr_neigh_msg(void *buf, size_t size, const struct vzr_nkey *k,
		  u16 type, u16 flags, u32 seq, u8 proto);
int vzr_neigh_parse(const void *msg, size_t len, struct vzr_nkey *k,
		    u8 *proto);
bool vzr_neigh_answers(const struct vzr_nkey *got, int parse_err,
		       const struct vzr_nkey *want);

#endif /* _VZR_NEIGHMSG_H */
