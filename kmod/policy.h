/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure decisions: no locks, no live kernel objects, so that they can be
 * unit-tested on their own.
 */
#ifndef _VZR_POLICY_H
#define _VZR_POLICY_H

#include <linux/in6.h>
#include <linux/types.h>
#include <linux/vzroute.h>

/**
 * struct vzr_ip - an IPv4 or IPv6 address
 * @a: the address; IPv4 sits in a.s6_addr32[0], the rest stays zero so
 *     that two equal addresses compare equal with memcmp() and hash alike
 * @family: AF_INET or AF_INET6
 */
struct vzr_ip {
	struct in6_addr a;
	u8 family;
};

/**
 * struct vzr_prefix - one allow-list entry
 * @ip: the network address, host bits zero
 * @len: prefix length
 * @dev: the host-side devices it is for, a shell pattern ("PREFIX@PATTERN");
 *       empty for any. Binds the node's addresses to the container it gave
 *       them to, so that another container cannot take them.
 */
struct vzr_prefix {
	struct vzr_ip ip;
	u8 len;
	char dev[VZROUTE_PATTERN_STRLEN];
};

/**
 * enum vzr_allow - what the allow list says of an address on a host device
 * @VZR_ALLOW_NONE: no entry contains it
 * @VZR_ALLOW_HERE: it may be routed through this host device
 * @VZR_ALLOW_ELSEWHERE: the entries that decide name other devices only
 */
enum vzr_allow {
	VZR_ALLOW_NONE,
	VZR_ALLOW_HERE,
	VZR_ALLOW_ELSEWHERE,
};

void vzr_ip_set4(struct vzr_ip *ip, __be32 v4);
void vzr_ip_set6(struct vzr_ip *ip, const struct in6_addr *v6);
bool vzr_ip_equal(const struct vzr_ip *x, const struct vzr_ip *y);
unsigned int vzr_ip_maxlen(const struct vzr_ip *ip);

#define VZR_IP_STRLEN 48
const char *vzr_ip_str(const struct vzr_ip *ip, char *buf, size_t len);

int vzr_prefix_parse(const char *s, size_t n, struct vzr_prefix *p,
		     const char **why);
bool vzr_prefix_match(const struct vzr_prefix *p, const struct vzr_ip *ip);
bool vzr_allowed(const struct vzr_prefix *allow, unsigned int n,
		 const struct vzr_ip *ip);
enum vzr_allow vzr_allow_match(const struct vzr_prefix *allow, unsigned int n,
			       const struct vzr_ip *ip, const char *hname);
int vzr_entry_parse(const char *s, size_t n, struct vzr_prefix *p,
		    const char **why);
const char *vzr_entry_str(const struct vzr_prefix *p, char *buf, size_t len);
bool vzr_entry_equal(const struct vzr_prefix *x, const struct vzr_prefix *y);

bool vzr_ip_qualifies(const struct vzr_ip *ip);

bool vzr_glob(const char *pat, size_t plen, const char *name);
bool vzr_ifnames_match(const char *list, const char *name);

u32 vzr_effective_metric(u8 family, u32 metric);
const char *vzr_check_proto(u32 proto);
const char *vzr_check_metric(u32 metric);
const char *vzr_check_table(u32 table);

#endif /* _VZR_POLICY_H */
