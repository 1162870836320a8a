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

struct ns {
	uint32_t ino;
	uint8_t source;
	char *name;
};

static struct ns *nss;
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

static int ns_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct ns *)a)->ino, y = ((const struct ns *)b)->ino;

	return x < y ? -1 : x > y;
}

static struct ns *ns_find(uint32_t ino)
{
	struct ns key = { .ino = ino };

	return n_nss ? bsearch(&key, nss, n_nss, sizeof(*nss), ns_cmp) : NULL;
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

void vz_ct_names(struct vz_addr *v, size_t n)
{
	char num[16];
	bool unnamed = false;
	size_t i, k;

	vz_ct_names_free();
	nss = calloc(n ? n : 1, sizeof(*nss));
	if (!nss)
		return;
	for (i = 0; i < n; i++)
		if (!v[i].ctid[0])
			nss[n_nss++].ino = v[i].ct_netns;
	if (n_nss) {
		qsort(nss, n_nss, sizeof(*nss), ns_cmp);
		for (i = 1, k = 1; i < n_nss; i++)
			if (nss[i].ino != nss[k - 1].ino)
				nss[k++] = nss[i];
		n_nss = k;
		from_netns_dir();
		for (i = 0; i < n_nss; i++)
			unnamed |= !nss[i].source;
		if (unnamed)
			from_processes();
		for (i = 0; i < n_nss; i++) {
			snprintf(num, sizeof(num), "%u", nss[i].ino);
			ns_name(&nss[i], VZ_CT_INODE, num, strlen(num));
		}
	}
	for (i = 0; i < n; i++) {
		struct ns *ns = v[i].ctid[0] ? NULL : ns_find(v[i].ct_netns);

		if (v[i].ctid[0]) {
			v[i].ct_name = v[i].ctid;
			v[i].ct_source = VZ_CT_CTID;
		} else if (ns && ns->source) {
			v[i].ct_name = ns->name;
			v[i].ct_source = ns->source;
		}
	}
}

void vz_ct_names_free(void)
{
	for (size_t i = 0; i < n_nss; i++)
		free(nss[i].name);
	free(nss);
	nss = NULL;
	n_nss = 0;
}
