// SPDX-License-Identifier: GPL-2.0
/*
 * vzroute [show] [-4|-6]: the tracked container addresses, as a table or
 * as a JSON array; containers by name (ctname.c).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/vzroute.h>

#include "addr.h"
#include "arena.h"
#include "ctname.h"
#include "json.h"
#include "nl.h"
#include "subcommands.h"

static const char usage[] = "show [-4|-6] [-j|-p]";

struct addrs {
	/*
	 * The entries, n of them in the dump's order, room for cap. One
	 * array grown by realloc(), which for a large block remaps its pages
	 * rather than copying them; a kernel with transparent huge pages
	 * always on (Debian's default) backs it with 2 MiB pages, where
	 * blocks of their own would each take 4 KiB page faults.
	 */
	struct vz_addr *e;
	size_t n, cap;
	/* their CTIDs and neighbours */
	struct arena arena;
	/* the entries in the order printed: sorted, then named */
	struct vz_addr **v;
	size_t malformed;
	const char *last_ctid;	/* the CTID kept last, in arena */
	uint16_t family_id;
	int only_family;	/* AF_INET, AF_INET6 or 0 for both */
	struct vz_addr_ext ext;	/* of the entry being read */
};

static void addrs_reset(void *data)
{
	struct addrs *as = data;

	arena_free(&as->arena);
	as->n = 0;
	as->malformed = 0;
	as->last_ctid = NULL;
}

/* A copy of the entry's CTID and neighbours in the arena, or none. */
static int keep_ext(struct addrs *as, struct vz_addr *a)
{
	size_t len;
	void *p;

	if (!a->ctid[0]) {
		a->ctid = "";
	} else if (as->last_ctid && !strcmp(as->last_ctid, a->ctid)) {
		/* the entries of a container often come one after the other */
		a->ctid = as->last_ctid;
	} else {
		len = strlen(a->ctid) + 1;
		p = arena_alloc(&as->arena, len);
		if (!p)
			return -ENOMEM;
		a->ctid = as->last_ctid = memcpy(p, a->ctid, len);
	}
	if (!a->n_neigh) {
		a->neigh = NULL;
		return 0;
	}
	len = a->n_neigh * sizeof(*a->neigh);
	p = arena_alloc(&as->arena, len);
	if (!p)
		return -ENOMEM;
	a->neigh = memcpy(p, a->neigh, len);
	return 0;
}

static int addrs_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addrs *as = data;
	struct vz_addr *a;

	if (nlh->nlmsg_type != as->family_id)
		return 0;
	if (as->n == as->cap) {
		size_t cap = as->cap ? as->cap * 2 : 256;
		struct vz_addr *e = realloc(as->e, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		as->e = e;
		as->cap = cap;
	}
	/* read in place, kept by counting it */
	a = &as->e[as->n];
	if (vz_addr_parse(nlh, a, &as->ext) < 0) {
		as->malformed++;
		return 0;
	}
	if (as->only_family && a->family != as->only_family)
		return 0;
	if (keep_ext(as, a))
		return -ENOMEM;
	as->n++;
	return 0;
}

/*
 * The entries in order in as->v: sorted through pointers, with what
 * glibc's qsort() kept of those that compare equal, the dump's order.
 */
static int addrs_sort(struct addrs *as)
{
	struct vz_addr **tmp;

	as->v = malloc((as->n + 1) * sizeof(*as->v));
	tmp = malloc((as->n / 2 + 1) * sizeof(*tmp));
	if (!as->v || !tmp) {
		free(tmp);
		return -ENOMEM;
	}
	for (size_t i = 0; i < as->n; i++)
		as->v[i] = &as->e[i];
	vz_addr_sort(as->v, tmp, as->n);
	free(tmp);
	return 0;
}

static void detail(const struct vz_addr *a, char *buf, size_t len)
{
	if (a->state == VZROUTE_STATE_FAILED)
		snprintf(buf, len, "%s", vz_addr_strerror(a));
	else if (a->state == VZROUTE_STATE_INSTALLED && a->has_route)
		snprintf(buf, len, "proto %u metric %u table %u",
			 a->route_proto, a->route_metric, a->route_table);
	else
		snprintf(buf, len, "-");
}

enum { C_ADDR, C_CT, C_HOST, C_STATE, C_DETAIL, C_NEIGH, C_AGE, NCOLS };

static void columns(const struct vz_addr *a, char col[NCOLS][128])
{
	char ifn[VZ_ADDR_STRLEN];

	vz_addr_ntop(a, col[C_ADDR], 128);
	vz_ct_ifname(a, ifn, sizeof(ifn));
	vz_printable(ifn);
	if (a->ct_name) {
		snprintf(col[C_CT], 128, "%s/%s", a->ct_name, ifn);
		vz_printable(col[C_CT]);
	} else {
		snprintf(col[C_CT], 128, "%u/%s", a->ct_netns, ifn);
	}
	vz_host_ifname(a, col[C_HOST], 128);
	vz_printable(col[C_HOST]);
	snprintf(col[C_STATE], 128, "%s", vz_state_name(a->state));
	detail(a, col[C_DETAIL], 128);
	vz_neigh_str(a, col[C_NEIGH], 128);
	vz_age_str(vz_addr_age(a), col[C_AGE], 128);
}

static void print_table(const struct addrs *as)
{
	static const char *const head[NCOLS] = {
		"ADDRESS", "CONTAINER", "HOST", "STATE", "DETAIL", "NEIGH", "AGE",
	};
	char col[NCOLS][128];
	int width[NCOLS];
	bool neigh = false;

	/* NEIGH only where some address has a proxy entry (neigh_devs). */
	for (size_t i = 0; i < as->n; i++)
		neigh |= as->v[i]->n_neigh > 0;
	for (int c = 0; c < NCOLS; c++)
		width[c] = (int)strlen(head[c]);
	for (size_t i = 0; i < as->n; i++) {
		columns(as->v[i], col);
		for (int c = 0; c < NCOLS; c++) {
			int w = (int)strlen(col[c]);

			if (w > width[c])
				width[c] = w;
		}
	}
	for (int c = 0; c < NCOLS - 1; c++)
		if (c != C_NEIGH || neigh)
			printf("%-*s  ", width[c], head[c]);
	printf("%s\n", head[NCOLS - 1]);
	for (size_t i = 0; i < as->n; i++) {
		columns(as->v[i], col);
		for (int c = 0; c < NCOLS - 1; c++)
			if (c != C_NEIGH || neigh)
				printf("%-*s  ", width[c], col[c]);
		printf("%s\n", col[NCOLS - 1]);
	}
}

static void print_json(const struct addrs *as)
{
	struct json j;

	json_init(&j, stdout, opts.pretty);
	json_begin_array(&j);
	for (size_t i = 0; i < as->n; i++) {
		json_begin_object(&j);
		vz_addr_json(&j, as->v[i]);
		json_end_object(&j);
	}
	json_end_array(&j);
	putchar('\n');
}

int cmd_show(int argc, char **argv)
{
	struct addrs as = { .arena = ARENA_INIT, .only_family = opts.family };
	struct nl nl;
	int err;

	for (int i = 1; i < argc; i++) {
		int fam = 0;

		if (output_option(argv[i]))
			continue;
		if (help_option(argv[i]))
			return usage_help(usage);
		if (!strcmp(argv[i], "-4"))
			fam = AF_INET;
		else if (!strcmp(argv[i], "-6"))
			fam = AF_INET6;
		else
			return usage_error(usage, "show: unexpected argument '%s'",
					   argv[i]);
		if (as.only_family && as.only_family != fam)
			return usage_error(usage, "show: -4 and -6 exclude each other");
		as.only_family = fam;
	}

	if (nl_open(&nl))
		return EXIT_FAIL;
	as.family_id = nl.family.id;
	err = nl_dump(&nl, VZROUTE_CMD_GET_ADDRS, addrs_cb, addrs_reset, &as);
	if (err == -EINTR) {
		fprintf(stderr, "vzroute: warning: the addresses kept changing "
			"during the dump, %d times in a row; this is the last "
			"try, which may mix states from before and after a "
			"change\n", NL_DUMP_REDO + 1);
	} else if (err) {
		nl_fail(&nl, "reading addresses", err, false);
		goto fail;
	}
	nl_close(&nl);

	if (as.malformed)
		fprintf(stderr, "vzroute: skipped %zu malformed entr%s\n",
			as.malformed, as.malformed == 1 ? "y" : "ies");
	if (addrs_sort(&as)) {
		fprintf(stderr, "vzroute: %s\n", strerror(ENOMEM));
		goto fail_closed;
	}
	vz_ct_names(as.v, as.n);
	if (opts.json)
		print_json(&as);
	else
		print_table(&as);
	vz_ct_names_free();
	arena_free(&as.arena);
	free(as.v);
	free(as.e);
	return finish_output(EXIT_OK);
fail:
	nl_close(&nl);
fail_closed:
	arena_free(&as.arena);
	free(as.v);
	free(as.e);
	return EXIT_FAIL;
}
