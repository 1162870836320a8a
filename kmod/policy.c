// SPDX-License-Identifier: GPL-2.0
/*
 * Pure decisions about addresses, prefixes and names.
 */

#include <linux/errno.h>
#include <linux/in.h>
#include <linux/inet.h>
#include <linux/kernel.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "policy.h"

void vzr_ip_set4(struct vzr_ip *ip, __be32 v4)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = AF_INET;
	ip->a.s6_addr32[0] = v4;
}

void vzr_ip_set6(struct vzr_ip *ip, const struct in6_addr *v6)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = AF_INET6;
	ip->a = *v6;
}

bool vzr_ip_equal(const struct vzr_ip *x, const struct vzr_ip *y)
{
	return x->family == y->family && ipv6_addr_equal(&x->a, &y->a);
}

unsigned int vzr_ip_maxlen(const struct vzr_ip *ip)
{
	return ip->family == AF_INET ? 32 : 128;
}

const char *vzr_ip_str(const struct vzr_ip *ip, char *buf, size_t len)
{
	if (ip->family == AF_INET)
		snprintf(buf, len, "%pI4", &ip->a.s6_addr32[0]);
	else
		snprintf(buf, len, "%pI6c", &ip->a);
	return buf;
}

/* Does @ip have bits set beyond the first @len? */
static bool host_bits_set(const struct vzr_ip *ip, unsigned int len)
{
	struct in6_addr masked;

	ipv6_addr_prefix(&masked, &ip->a, len);
	return !ipv6_addr_equal(&masked, &ip->a);
}

/**
 * vzr_prefix_parse() - parse "ADDR" or "ADDR/LEN", IPv4 or IPv6
 * @s: the text, not necessarily NUL-terminated
 * @n: its length
 * @p: the result
 * @why: set to a message for the admin when the text is refused
 *
 * A bare address is a host prefix. Host bits beyond the length are refused
 * rather than masked: "10.1.2.3/8" is more likely a typo than a wish.
 *
 * Return: 0 or -EINVAL.
 */
int vzr_prefix_parse(const char *s, size_t n, struct vzr_prefix *p,
		     const char **why)
{
	char buf[INET6_ADDRSTRLEN + 5];
	const char *end, *slash;
	unsigned int len;
	u8 raw[16];

	*why = "malformed prefix";
	if (!n || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	slash = strchr(buf, '/');

	memset(p, 0, sizeof(*p));
	if (in4_pton(buf, -1, raw, '/', &end) &&
	    (*end == '\0' || end == slash)) {
		vzr_ip_set4(&p->ip, *(__be32 *)raw);
	} else if (in6_pton(buf, -1, raw, '/', &end) &&
		   (*end == '\0' || end == slash)) {
		vzr_ip_set6(&p->ip, (struct in6_addr *)raw);
	} else {
		*why = "not an IPv4 or IPv6 address";
		return -EINVAL;
	}

	len = vzr_ip_maxlen(&p->ip);
	if (slash) {
		if (kstrtouint(slash + 1, 10, &len) ||
		    len > vzr_ip_maxlen(&p->ip)) {
			*why = "bad prefix length";
			return -EINVAL;
		}
	}
	if (host_bits_set(&p->ip, len)) {
		*why = "host bits set beyond the prefix length";
		return -EINVAL;
	}
	p->len = len;
	*why = NULL;
	return 0;
}

bool vzr_prefix_match(const struct vzr_prefix *p, const struct vzr_ip *ip)
{
	return p->ip.family == ip->family &&
	       ipv6_prefix_equal(&p->ip.a, &ip->a, p->len);
}

bool vzr_allowed(const struct vzr_prefix *allow, unsigned int n,
		 const struct vzr_ip *ip)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (vzr_prefix_match(&allow[i], ip))
			return true;
	return false;
}

/**
 * vzr_allow_match() - may @ip be routed through host device @hname?
 * @allow: the allow list
 * @n: its entries
 * @ip: the container address
 * @hname: the name of the host side it would be routed through
 *
 * The most specific entries containing @ip decide, so that a node can
 * allow a whole range to any container and bind single addresses of it to
 * the containers it gave them to. Several entries of that length (the
 * same prefix bound to several devices) admit @ip when any of them does.
 *
 * Return: VZR_ALLOW_HERE when @ip may be routed through @hname,
 * VZR_ALLOW_ELSEWHERE when the deciding entries are bound to other
 * devices, VZR_ALLOW_NONE when no entry contains @ip.
 */
enum vzr_allow vzr_allow_match(const struct vzr_prefix *allow, unsigned int n,
			       const struct vzr_ip *ip, const char *hname)
{
	enum vzr_allow verdict = VZR_ALLOW_NONE;
	int best = -1;
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct vzr_prefix *p = &allow[i];
		bool here;

		if (p->len < best || !vzr_prefix_match(p, ip))
			continue;
		here = !p->dev[0] || vzr_glob(p->dev, strlen(p->dev), hname);
		if (p->len > best)
			verdict = VZR_ALLOW_ELSEWHERE;
		best = p->len;
		if (here)
			verdict = VZR_ALLOW_HERE;
	}
	return verdict;
}

/**
 * vzr_entry_parse() - parse one allow entry, "PREFIX" or "PREFIX@PATTERN"
 * @s: the text, not necessarily NUL-terminated
 * @n: its length
 * @p: the result; @p->dev is empty without a pattern
 * @why: set to a message for the admin when the text is refused
 *
 * The pattern is a host-side device name pattern, as in host_ifnames.
 * It may not hold ',' (the list's separator), '@', '/' or blanks, nor be
 * empty: "PREFIX@" is more likely a hook that lost its device name than a
 * wish for every device.
 *
 * Return: 0 or -EINVAL.
 */
int vzr_entry_parse(const char *s, size_t n, struct vzr_prefix *p,
		    const char **why)
{
	const char *at = memchr(s, '@', n);
	size_t plen, i;
	int err;

	err = vzr_prefix_parse(s, at ? at - s : n, p, why);
	if (err || !at)
		return err;
	plen = n - (at + 1 - s);
	if (!plen) {
		*why = "empty device pattern after '@'";
		return -EINVAL;
	}
	if (plen >= sizeof(p->dev)) {
		*why = "device pattern too long (at most 31 characters)";
		return -EINVAL;
	}
	for (i = 0; i < plen; i++) {
		char c = at[1 + i];

		if (c <= ' ' || c > '~' || c == ',' || c == '@' || c == '/') {
			*why = "device pattern: no blanks, ',', '@' or '/'";
			return -EINVAL;
		}
	}
	memcpy(p->dev, at + 1, plen);
	p->dev[plen] = '\0';
	return 0;
}

/**
 * vzr_entry_str() - an allow entry as vzr_entry_parse() reads it
 * @p: the entry
 * @buf: receives "ADDR/LEN" or "ADDR/LEN@PATTERN"
 * @len: its size, VZROUTE_ENTRY_STRLEN is always enough
 *
 * Return: @buf.
 */
const char *vzr_entry_str(const struct vzr_prefix *p, char *buf, size_t len)
{
	char ip[VZR_IP_STRLEN];

	snprintf(buf, len, "%s/%u%s%s", vzr_ip_str(&p->ip, ip, sizeof(ip)),
		 p->len, p->dev[0] ? "@" : "", p->dev);
	return buf;
}

/* Same prefix and same binding: the key of an allow entry. */
bool vzr_entry_equal(const struct vzr_prefix *x, const struct vzr_prefix *y)
{
	return x->len == y->len && vzr_ip_equal(&x->ip, &y->ip) &&
	       !strcmp(x->dev, y->dev);
}

/**
 * vzr_ip_qualifies() - may this address ever get a host route?
 * @ip: the address
 *
 * Link-local, loopback, multicast, broadcast and unspecified addresses
 * only mean something on their own link or host: announcing them would
 * be wrong on every node.
 *
 * Return: true when the address is a candidate for a route.
 */
bool vzr_ip_qualifies(const struct vzr_ip *ip)
{
	if (ip->family == AF_INET) {
		__be32 a = ip->a.s6_addr32[0];

		return !(ipv4_is_zeronet(a) || ipv4_is_loopback(a) ||
			 ipv4_is_multicast(a) || ipv4_is_lbcast(a) ||
			 ipv4_is_linklocal_169(a));
	}
	/* IPV6_ADDR_ANY is 0: no mask of the type can exclude :: itself. */
	return !ipv6_addr_any(&ip->a) &&
	       !(ipv6_addr_type(&ip->a) &
		 (IPV6_ADDR_LOOPBACK | IPV6_ADDR_LINKLOCAL |
		  IPV6_ADDR_MULTICAST | IPV6_ADDR_MAPPED));
}

/**
 * vzr_glob() - shell-style match of @name against one pattern
 * @pat: the pattern, not NUL-terminated
 * @plen: its length
 * @name: the interface name
 *
 * Supports '*', '?' and bracket sets with ranges and '!' negation, which is
 * what admins write in such lists ("veth*", "ve[0-9]*").
 *
 * Return: true on a match.
 */
bool vzr_glob(const char *pat, size_t plen, const char *name)
{
	const char *pend = pat + plen;
	const char *star_p = NULL, *star_n = NULL;

	while (*name) {
		if (pat < pend && *pat == '*') {
			star_p = ++pat;
			star_n = name;
			continue;
		}
		if (pat < pend && *pat == '[') {
			const char *q = pat + 1;
			bool neg = false, hit = false;

			if (q < pend && *q == '!') {
				neg = true;
				q++;
			}
			while (q < pend && (*q != ']' || q == pat + 1 + neg)) {
				if (q + 2 < pend && q[1] == '-' && q[2] != ']') {
					hit |= *name >= q[0] && *name <= q[2];
					q += 3;
				} else {
					hit |= *name == *q++;
				}
			}
			if (q < pend && hit != neg) {
				pat = q + 1;
				name++;
				continue;
			}
		} else if (pat < pend && (*pat == '?' || *pat == *name)) {
			pat++;
			name++;
			continue;
		}
		if (!star_p)
			return false;
		pat = star_p;
		name = ++star_n;
	}
	while (pat < pend && *pat == '*')
		pat++;
	return pat == pend;
}

/**
 * vzr_ifnames_match() - does @name match the comma-separated @list?
 * @list: patterns; empty means any name
 * @name: the host-side interface name
 *
 * Return: true on a match.
 */
bool vzr_ifnames_match(const char *list, const char *name)
{
	const char *p = list;

	if (!*list)
		return true;
	while (*p) {
		size_t n = strcspn(p, ",");

		if (n && vzr_glob(p, n, name))
			return true;
		p += n;
		if (*p == ',')
			p++;
	}
	return false;
}

/* IPv6 turns metric 0 into 1024; compare routes by what the kernel keeps. */
u32 vzr_effective_metric(u8 family, u32 metric)
{
	return family == AF_INET6 && !metric ? 1024 : metric;
}

/**
 * vzr_check_proto() - is @proto usable as vzroute's route protocol?
 * @proto: the number
 *
 * The numbers refused are those some daemon would delete or ignore: 0 is
 * "unspec", 1 "redirect" (BIRD deletes), 2 "kernel" (Quagga and older FRR
 * ignore it), 11 zebra, 12 bird, 42 babel and 186..198 FRR's own, which
 * these daemons treat as theirs and sweep.
 *
 * Return: NULL when usable, else the reason.
 */
const char *vzr_check_proto(u32 proto)
{
	if (proto > 255)
		return "proto must be 3..255";
	if (proto <= 2)
		return "proto 0-2 are kernel-reserved; routing daemons ignore or delete them";
	if (proto == 11 || proto == 12 || proto == 42 ||
	    (proto >= 186 && proto <= 198))
		return "proto belongs to a routing daemon that deletes routes carrying it";
	return NULL;
}

/* FRR reads the top byte of a kernel route's metric as its distance. */
const char *vzr_check_metric(u32 metric)
{
	if (metric >= (1U << 24))
		return "metric must be below 16777216 (FRR reads the top byte as distance)";
	return NULL;
}

const char *vzr_check_table(u32 table)
{
	if (table == 0)
		return "table 0 is not a table";
	if (table == 252 || table == 255)
		return "tables 252 (compat) and 255 (local) are reserved";
	return NULL;
}
