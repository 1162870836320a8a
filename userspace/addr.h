/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One tracked container address, as a GET_ADDRS dump message or an EVENT
 * notification describes it, and the ways it is printed (shared by show
 * and monitor).
 */
#ifndef VZROUTE_ADDR_H
#define VZROUTE_ADDR_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "json.h"

/* Room for a CTID: a number, or a UUID (Virtuozzo). */
#define VZ_CTID_LEN	40

/* Uplinks one address is proxied on, at most (as the module keeps). */
#define VZ_NEIGH_MAX	8

/* A proxy neighbour entry of the address on one uplink. */
struct vz_neigh {
	uint32_t ifindex;
	uint8_t state;			/* enum vzroute_neigh_state */
	int32_t err;			/* positive errno, for FAILED */
	char ifname[IFNAMSIZ];
};

/*
 * What an entry has that most entries lack, apart from it: show holds a
 * whole dump in memory to sort it (100,000 entries and more), and with
 * these inline an entry was 400 bytes rather than 128.
 */
struct vz_addr_ext {
	char ctid[VZ_CTID_LEN];
	struct vz_neigh neigh[VZ_NEIGH_MAX];
};

struct vz_addr {
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint8_t state;			/* enum vzroute_state, 0 if not sent */
	uint8_t event;			/* enum vzroute_event, 0 if not sent */
	bool has_route;			/* any VZROUTE_A_ROUTE_* was sent */
	bool has_since, has_age;
	uint8_t n_neigh;		/* in neigh */
	uint8_t ct_source;		/* see ct_name */
	/* IPv4 in the first 4 bytes, the others 0 (vz_addr_cmp() counts on it) */
	uint8_t addr[16];
	uint32_t ct_netns, ct_ifindex;
	uint32_t host_netns, host_ifindex;
	int32_t err;			/* positive errno, for FAILED */
	uint32_t route_proto, route_metric, route_table;
	uint64_t since, age;
	char ct_ifname[IFNAMSIZ];
	char host_ifname[IFNAMSIZ];
	/*
	 * The CTID, when the kernel names the container (OpenVZ/Virtuozzo);
	 * "" otherwise.  First in the order of ctname.c.
	 */
	const char *ctid;
	/* The uplinks with (or meant to have) a proxy entry for it. */
	const struct vz_neigh *neigh;
	/*
	 * Set by vz_ct_names() (ctname.h): the container's name (valid until
	 * vz_ct_names_free()), and where it came from (ct_source); NULL and
	 * 0 before.
	 */
	const char *ct_name;
};

/* Room for any of the texts below. */
#define VZ_ADDR_STRLEN	64

/*
 * Fills a from the attributes of a vzroute message, its CTID and proxy
 * neighbours into ext, which a->ctid and a->neigh then point into (a
 * caller that keeps a copies them). Returns 0, or -1 when the message
 * lacks a usable family and address.
 */
int vz_addr_parse(const struct nlmsghdr *nlh, struct vz_addr *a,
		  struct vz_addr_ext *ext);

const char *vz_family_name(uint8_t family);	/* "inet", "inet6" */
const char *vz_state_name(uint8_t state);	/* "installed", ... */
const char *vz_event_name(uint8_t event);	/* "installed", ... */
const char *vz_neigh_state_name(uint8_t state);	/* "proxied", ... */
/* "eth0,eth1:foreign" (printable), or "-" without proxy entries. */
void vz_neigh_str(const struct vz_addr *a, char *buf, size_t len);

void vz_addr_ntop(const struct vz_addr *a, char *buf, size_t len);
/* "eth0", or "if5" when the name was not sent, or "-". */
void vz_ct_ifname(const struct vz_addr *a, char *buf, size_t len);
void vz_host_ifname(const struct vz_addr *a, char *buf, size_t len);
/*
 * For the readable outputs: bytes other than printable ASCII become '?'
 * (a container's root names its device, and could put terminal escapes
 * in the name).
 */
void vz_printable(char *s);
/* Seconds in the current state (AGE, else now - SINCE), -1 if unknown. */
int64_t vz_addr_age(const struct vz_addr *a);
/* 5s, 3m12s, 2h4m, 3d2h; "-" for a negative age. */
void vz_age_str(int64_t secs, char *buf, size_t len);

/* strerror() of the entry's errno, for the state FAILED. */
const char *vz_addr_strerror(const struct vz_addr *a);

/* The fields of a show -j entry, into the object being written. */
void vz_addr_json(struct json *j, const struct vz_addr *a);

/*
 * Orders by family, then address, then container netns and device: < 0,
 * 0 or > 0.
 */
int vz_addr_cmp(const struct vz_addr *a, const struct vz_addr *b);
/*
 * Sorts v[0..n) by vz_addr_cmp(), keeping the order of those that compare
 * equal (as glibc's qsort() did, the dump's order); tmp has room for n.
 */
void vz_addr_sort(struct vz_addr **v, struct vz_addr **tmp, size_t n);

#endif
