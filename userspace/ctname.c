// SPDX-License-Identifier: GPL-2.0
/*
 * Containers by name: see ctname.h.  Each distinct namespace is looked up
 * once, in this order:
 *   1. the CTID the kernel sent with the entry (OpenVZ/Virtuozzo);
 *   2. a bind mount /run/netns/NAME of that namespace (what "ip netns
 *      identify" finds);
 *   3. a process in the namespace whose cgroup says which container it
 *      is: systemd-nspawn and libvirt's machine.slice/machine-NAME.scope,
 *      LXC 4+ and LXD's lxc.payload.NAME, older LXC's lxc/NAME;
 *   4. the inode number, as the kernel gives it.
 */

#define _GNU_SOURCE

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ctname.h"

#ifndef NETNS_RUN_DIR
#define NETNS_RUN_DIR "/run/netns"
#endif

/*
 * The namespaces met, in a hash table by inode number (open addressing):
 * looked up once for each entry, 100,000 of them in a large dump.
 */
struct ns {
	uint32_t ino;
	bool used;
	uint8_t source;
	char *name;
};

static struct ns *nss;
static unsigned int ns_order;	/* nss has 1 << ns_order slots, or none */
static size_t n_nss;

static const char *const sources[] = {
	[VZ_CT_NONE] = "none",
	[VZ_CT_CTID] = "ctid",
	[VZ_CT_NETNS] = "netns",
	[VZ_CT_MACHINE] = "machine",
	[VZ_CT_LXC] = "lxc",
	[VZ_CT_INODE] = "inode",
};

const char *vz_ct_source_name(unsigned int source)
{
	return source < sizeof(sources) / sizeof(sources[0]) ? sources[source] :
	       "none";
}

static size_t ns_slot(uint32_t ino)
{
	/* Fibonacci hashing: the top bits of the product */
	return (uint32_t)(ino * 2654435761u) >> (32 - ns_order);
}

static struct ns *ns_find(uint32_t ino)
{
	size_t mask = ((size_t)1 << ns_order) - 1;

	if (!nss)
		return NULL;
	for (size_t i = ns_slot(ino); nss[i].used; i = (i + 1) & mask)
		if (nss[i].ino == ino)
			return &nss[i];
	return NULL;
}

/* Adds ino if new; false when out of memory. */
static bool ns_add(uint32_t ino)
{
	size_t mask, i;

	/* at most half full, else twice the size */
	if (!nss || 2 * (n_nss + 1) > (size_t)1 << ns_order) {
		struct ns *old = nss;
		size_t old_size = old ? (size_t)1 << ns_order : 0;

		nss = calloc((size_t)1 << (ns_order + 1), sizeof(*nss));
		if (!nss) {
			nss = old;
			return false;
		}
		ns_order++;
		n_nss = 0;
		/* all are added before any is named: only the numbers move */
		for (i = 0; i < old_size; i++)
			if (old[i].used)
				ns_add(old[i].ino);
		free(old);
	}
	mask = ((size_t)1 << ns_order) - 1;
	for (i = ns_slot(ino); nss[i].used; i = (i + 1) & mask)
		if (nss[i].ino == ino)
			return true;
	nss[i].ino = ino;
	nss[i].used = true;
	n_nss++;
	return true;
}

static void ns_name(struct ns *ns, uint8_t source, const char *name, size_t len)
{
	if (ns->source || !len)
		return;
	ns->name = strndup(name, len);
	if (ns->name)
		ns->source = source;
}

/* 2. ip netns names: the first name in /run/netns, in directory order. */
static void from_netns_dir(void)
{
	char path[sizeof(NETNS_RUN_DIR) + 256 + 1];
	struct dirent *de;
	struct stat st;
	struct ns *ns;
	DIR *d = opendir(NETNS_RUN_DIR);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, de->d_name);
		if (stat(path, &st) || st.st_ino > UINT32_MAX)
			continue;
		ns = ns_find((uint32_t)st.st_ino);
		if (ns)
			ns_name(ns, VZ_CT_NETNS, de->d_name, strlen(de->d_name));
	}
	closedir(d);
}

/* systemd's unit name escaping: \xHH is the byte HH. */
static size_t unescape(const char *s, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 3 < len && s[i + 1] == 'x' &&
		    isxdigit((unsigned char)s[i + 2]) &&
		    isxdigit((unsigned char)s[i + 3])) {
			char hex[3] = { s[i + 2], s[i + 3], '\0' };

			out[o++] = (char)strtoul(hex, NULL, 16);
			i += 3;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return o;
}

/*
 * 3. A container's name in one cgroup path; its length (0: none) and the
 * source in *source.
 */
static size_t from_cgroup_path(const char *path, char *name, uint8_t *source)
{
	const char *p, *end;

	p = strstr(path, "machine.slice/machine-");
	if (p) {
		p += strlen("machine.slice/machine-");
		end = strstr(p, ".scope");
		if (end && end > p) {
			*source = VZ_CT_MACHINE;
			return unescape(p, (size_t)(end - p), name);
		}
	}
	p = strstr(path, "lxc.payload.");
	if (p) {
		p += strlen("lxc.payload.");
		*source = VZ_CT_LXC;
		return unescape(p, strcspn(p, "/"), name);
	}
	p = strstr(path, "/lxc/");
	if (p) {
		p += strlen("/lxc/");
		*source = VZ_CT_LXC;
		return unescape(p, strcspn(p, "/"), name);
	}
	return 0;
}

static void from_cgroup(struct ns *ns, const char *pid)
{
	char path[64], line[4096], name[4096];
	uint8_t source = 0;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/cgroup", pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (!ns->source && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');

		line[strcspn(line, "\n")] = '\0';
		/* "ID:CONTROLLERS:PATH" */
		p = p ? strchr(p + 1, ':') : NULL;
		if (!p)
			continue;
		len = from_cgroup_path(p + 1, name, &source);
		ns_name(ns, source, name, len);
	}
	fclose(f);
}

/* 3. Every process: those in a namespace still unnamed. */
static void from_processes(void)
{
	char path[64];
	struct dirent *de;
	struct stat st;
	struct ns *ns;
	DIR *d = opendir("/proc");

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%.16s/ns/net", de->d_name);
		if (stat(path, &st) || st.st_ino > UINT32_MAX)
			continue;
		ns = ns_find((uint32_t)st.st_ino);
		if (ns && !ns->source)
			from_cgroup(ns, de->d_name);
	}
	closedir(d);
}

void vz_ct_names(struct vz_addr *const *v, size_t n)
{
	char num[16];
	bool unnamed = false;
	struct ns *ns = NULL;
	size_t i, size;

	vz_ct_names_free();
	/* entries of one container often come together: looked up once */
	for (i = 0; i < n; i++) {
		if (v[i]->ctid[0] || (i && v[i]->ct_netns == v[i - 1]->ct_netns &&
				      !v[i - 1]->ctid[0]))
			continue;
		if (!ns_add(v[i]->ct_netns)) {
			vz_ct_names_free();
			return;
		}
	}
	size = nss ? (size_t)1 << ns_order : 0;
	if (n_nss) {
		from_netns_dir();
		for (i = 0; i < size; i++)
			unnamed |= nss[i].used && !nss[i].source;
		if (unnamed)
			from_processes();
		for (i = 0; i < size; i++) {
			if (!nss[i].used)
				continue;
			snprintf(num, sizeof(num), "%u", nss[i].ino);
			ns_name(&nss[i], VZ_CT_INODE, num, strlen(num));
		}
	}
	for (i = 0; i < n; i++) {
		struct vz_addr *a = v[i];

		if (a->ctid[0]) {
			a->ct_name = a->ctid;
			a->ct_source = VZ_CT_CTID;
			continue;
		}
		if (!ns || ns->ino != a->ct_netns)
			ns = ns_find(a->ct_netns);
		if (ns && ns->source) {
			a->ct_name = ns->name;
			a->ct_source = ns->source;
		}
	}
}

void vz_ct_names_free(void)
{
	size_t size = nss ? (size_t)1 << ns_order : 0;

	for (size_t i = 0; i < size; i++)
		free(nss[i].name);
	free(nss);
	nss = NULL;
	ns_order = 0;
	n_nss = 0;
}
