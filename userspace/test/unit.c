// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the tool's parts that stand in for the C library's or
 * hold a dump: addresses formatted without inet_ntop(), the sort of the
 * entries, the arena they are kept in, the containers' names by
 * namespace, and the JSON writer's numbers and keys. Run by "make check"
 * before test/run.sh; one "ok" or "FAIL" line per case.
 */

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../addr.h"
#include "../arena.h"
#include "../ctname.h"
#include "../json.h"

static int passed, failed;

static void check(const char *name, bool ok)
{
	if (ok)
		passed++;
	else
		failed++;
	printf("%s %s\n", ok ? "ok  " : "FAIL", name);
}

/* xorshift64: the same numbers on every run */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* Does vz_addr_ntop() say what inet_ntop() says? Prints the first miss. */
static bool same_ntop(int family, const uint8_t *b, size_t len)
{
	struct vz_addr a = { .family = (uint8_t)family };
	char want[VZ_ADDR_STRLEN], got[VZ_ADDR_STRLEN];

	memcpy(a.addr, b, family == AF_INET ? 4 : 16);
	if (!inet_ntop(family, b, want, (socklen_t)len))
		snprintf(want, sizeof(want), "?");
	memset(got, 'x', sizeof(got));
	vz_addr_ntop(&a, got, len);
	if (strcmp(want, got)) {
		printf("     inet_ntop: %s, vz_addr_ntop: %s\n", want, got);
		return false;
	}
	return true;
}

static void test_ntop(void)
{
	/* the values a group takes: each length, with and without zeros */
	static const uint16_t vals[] = {
		1, 0xf, 0x10, 0xff, 0x100, 0xabc, 0x1000, 0xffff, 0x8001,
	};
	uint8_t b[16];
	bool ok = true;

	for (unsigned int i = 0; i < 256 * 256 && ok; i++) {
		b[0] = 10;
		b[1] = (uint8_t)i;
		b[2] = (uint8_t)(i >> 8);
		b[3] = (uint8_t)(i * 7);
		ok = same_ntop(AF_INET, b, INET_ADDRSTRLEN);
	}
	for (unsigned int i = 0; i < 1000000 && ok; i++) {
		uint32_t v = (uint32_t)rnd();

		memcpy(b, &v, 4);
		ok = same_ntop(AF_INET, b, INET_ADDRSTRLEN);
	}
	check("IPv4 as inet_ntop() writes it", ok);

	/*
	 * Every pattern of zero groups (where "::" goes, ties between runs,
	 * ::a.b.c.d and ::ffff:a.b.c.d), with each kind of group value.
	 */
	for (unsigned int mask = 0; mask < 256 && ok; mask++) {
		for (size_t v = 0; v < sizeof(vals) / sizeof(vals[0]) && ok; v++) {
			for (int g = 0; g < 8; g++) {
				uint16_t w = mask & 1u << g ? 0 :
					     (uint16_t)(vals[(v + (size_t)g) %
						(sizeof(vals) / sizeof(vals[0]))]);

				b[2 * g] = (uint8_t)(w >> 8);
				b[2 * g + 1] = (uint8_t)w;
			}
			ok = same_ntop(AF_INET6, b, INET6_ADDRSTRLEN);
			/* the same with ffff in the sixth group */
			b[10] = b[11] = 0xff;
			if (ok)
				ok = same_ntop(AF_INET6, b, INET6_ADDRSTRLEN);
		}
	}
	for (unsigned int i = 0; i < 1000000 && ok; i++) {
		uint64_t r = rnd(), z = rnd();

		for (int g = 0; g < 8; g++) {
			/* most groups zero, some short, some long */
			uint16_t w = z >> (4 * g) & 1 ? 0 : (uint16_t)(r >> (8 * g)) >>
				     (z >> (4 * g + 1) & 7) * 2;

			b[2 * g] = (uint8_t)(w >> 8);
			b[2 * g + 1] = (uint8_t)w;
		}
		ok = same_ntop(AF_INET6, b, INET6_ADDRSTRLEN);
	}
	check("IPv6 as inet_ntop() writes it", ok);

	/* too little room: "?" (inet_ntop() fails, the tool says so) */
	memset(b, 0x11, sizeof(b));
	ok = same_ntop(AF_INET6, b, 10) && same_ntop(AF_INET, b, 8);
	check("an address without the room for it is ?", ok);
}

/* What vz_addr_sort() must agree with: by key, then by place. */
struct ranked {
	struct vz_addr *a;
	size_t place;
};

static int ranked_cmp(const void *x, const void *y)
{
	const struct ranked *p = x, *q = y;
	int r = vz_addr_cmp(p->a, q->a);

	if (r)
		return r;
	return p->place < q->place ? -1 : p->place > q->place;
}

/* n entries of few distinct keys (many ties), sorted both ways. */
static bool sort_agrees(size_t n, unsigned int keys, bool presorted)
{
	struct vz_addr *e = calloc(n + 1, sizeof(*e));
	struct vz_addr **v = calloc(n + 1, sizeof(*v));
	struct vz_addr **tmp = calloc(n / 2 + 1, sizeof(*tmp));
	struct ranked *r = calloc(n + 1, sizeof(*r));
	bool ok = e && v && tmp && r;

	for (size_t i = 0; ok && i < n; i++) {
		unsigned int k = presorted ? (unsigned int)(i * keys / n) :
			(unsigned int)(rnd() % keys);

		e[i].family = k % 5 ? AF_INET : AF_INET6;
		e[i].addr[0] = (uint8_t)(k >> 4);
		e[i].addr[e[i].family == AF_INET ? 3 : 15] = (uint8_t)(k >> 2);
		e[i].ct_netns = k >> 1 & 1;
		e[i].ct_ifindex = k & 1;
		v[i] = &e[i];
		r[i].a = &e[i];
		r[i].place = i;
	}
	if (ok) {
		vz_addr_sort(v, tmp, n);
		qsort(r, n, sizeof(*r), ranked_cmp);
		for (size_t i = 0; i < n; i++)
			ok &= v[i] == r[i].a;
	}
	free(e);
	free(v);
	free(tmp);
	free(r);
	return ok;
}

static void test_sort(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 7, 8, 9, 16, 17, 100, 1000, 100000 };
	bool ok = true;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ok &= sort_agrees(sizes[i], 4096, false);
		ok &= sort_agrees(sizes[i], 7, false);
		ok &= sort_agrees(sizes[i], 1, false);
		ok &= sort_agrees(sizes[i], 300, true);
	}
	check("sort: by family, address, namespace, device; ties in their order", ok);

	/* the order itself: IPv4 first, then by address bytes, then netns */
	{
		struct vz_addr x = { .family = AF_INET, .addr = { 10, 0, 0, 9 } };
		struct vz_addr y = { .family = AF_INET, .addr = { 10, 0, 1, 0 } };
		struct vz_addr z = { .family = AF_INET6, .addr = { 0 } };
		struct vz_addr w = y;

		w.ct_netns = 1;
		ok = vz_addr_cmp(&x, &y) < 0 && vz_addr_cmp(&y, &x) > 0 &&
		     vz_addr_cmp(&y, &z) < 0 && vz_addr_cmp(&z, &x) > 0 &&
		     vz_addr_cmp(&y, &w) < 0 && vz_addr_cmp(&w, &w) == 0;
		check("vz_addr_cmp: family, then address bytes, then netns", ok);
	}
}

static void test_arena(void)
{
	struct arena ar = ARENA_INIT;
	static unsigned char *p[20000];
	static size_t len[20000];
	bool ok = true;

	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < 20000; i++) {
			/* mostly small, now and then beyond a block */
			len[i] = i % 997 == 5 ? ARENA_BLOCK + i : rnd() % 200;
			p[i] = arena_alloc(&ar, len[i]);
			ok &= p[i] && (uintptr_t)p[i] % ARENA_ALIGN == 0;
			if (p[i])
				memset(p[i], (int)(i & 0xff), len[i]);
		}
		for (size_t i = 0; ok && i < 20000; i++)
			for (size_t k = 0; k < len[i]; k++)
				ok &= p[i][k] == (unsigned char)(i & 0xff);
		arena_free(&ar);
		ok &= !ar.blocks && !ar.p;
	}
	check("arena: aligned pieces that keep their bytes, given back, used again", ok);
}

static void test_ct_names(void)
{
	enum { N = 30000 };
	struct vz_addr *e = calloc(N, sizeof(*e));
	struct vz_addr **v = calloc(N, sizeof(*v));
	char num[16];
	bool ok = e && v;

	/*
	 * Namespaces no process is in (real ones are above 4026531000), so
	 * each is named by its inode number; every ninth entry has a CTID.
	 */
	for (size_t i = 0; ok && i < N; i++) {
		e[i].ct_netns = (uint32_t)(i % 5000 == 0 ? i : rnd() % 7000 + 1);
		e[i].ctid = i % 9 ? "" : "101";
		v[i] = &e[i];
	}
	if (ok) {
		vz_ct_names(v, N);
		for (size_t i = 0; i < N; i++) {
			snprintf(num, sizeof(num), "%" PRIu32, e[i].ct_netns);
			if (i % 9 == 0)
				ok &= e[i].ct_name == e[i].ctid &&
				      e[i].ct_source == VZ_CT_CTID;
			else
				ok &= e[i].ct_name && !strcmp(e[i].ct_name, num) &&
				      e[i].ct_source == VZ_CT_INODE;
			/* one name per namespace */
			if (i && i % 9 && (i - 1) % 9 &&
			    e[i].ct_netns == e[i - 1].ct_netns)
				ok &= e[i].ct_name == e[i - 1].ct_name;
		}
		vz_ct_names_free();
		vz_ct_names(v, 0);
		vz_ct_names_free();
	}
	free(e);
	free(v);
	check("container names: one per namespace, the CTID first", ok);
}

/* What the JSON writer writes for f(j), as a string. */
static bool json_is(void (*f)(struct json *j), bool pretty, const char *want)
{
	static struct json j;
	char *buf = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&buf, &size);
	bool ok;

	if (!mem)
		return false;
	json_init(&j, mem, pretty);
	f(&j);
	fclose(mem);
	ok = buf && !strcmp(buf, want);
	if (!ok)
		printf("     want %s\n     got  %s\n", want, buf ? buf : "(none)");
	free(buf);
	return ok;
}

static void numbers(struct json *j)
{
	json_begin_array(j);
	json_uint(j, 0);
	json_uint(j, 9);
	json_uint(j, 10);
	json_uint(j, 99);
	json_uint(j, 100);
	json_uint(j, 4026532300u);
	json_uint(j, UINT64_MAX);
	json_int(j, -1);
	json_int(j, INT64_MIN);
	json_int(j, INT64_MAX);
	json_end_array(j);
}

static void pairs(struct json *j)
{
	json_begin_object(j);
	json_kv_uint(j, "a", 1);
	json_kv_string(j, "container_ifname", "eth0");
	json_key(j, "list");
	json_begin_array(j);
	json_begin_object(j);
	json_kv_int(j, "errno", -5);
	json_kv_string(j, "s", "q\"\x01\xff");
	json_end_object(j);
	json_end_array(j);
	json_kv_bool(j, "b", true);
	json_end_object(j);
}

/* 100,000 objects: the buffer fills and is written out many times. */
static void many(struct json *j)
{
	json_begin_array(j);
	for (unsigned int i = 0; i < 100000; i++) {
		json_begin_object(j);
		json_kv_uint(j, "i", i);
		json_kv_string(j, "s", "0123456789");
		json_end_object(j);
	}
	json_end_array(j);
}

static void test_json(void)
{
	char *want, *p;

	check("json: numbers", json_is(numbers, false,
		"[0,9,10,99,100,4026532300,18446744073709551615,-1,"
		"-9223372036854775808,9223372036854775807]"));
	check("json: keys and values, compact", json_is(pairs, false,
		"{\"a\":1,\"container_ifname\":\"eth0\",\"list\":[{\"errno\":-5,"
		"\"s\":\"q\\\"\\u0001\\ufffd\"}],\"b\":true}"));
	check("json: keys and values, pretty", json_is(pairs, true,
		"{\n  \"a\": 1,\n  \"container_ifname\": \"eth0\",\n"
		"  \"list\": [\n    {\n      \"errno\": -5,\n"
		"      \"s\": \"q\\\"\\u0001\\ufffd\"\n    }\n  ],\n"
		"  \"b\": true\n}"));
	want = malloc(100000 * 32 + 3);
	if (!want) {
		check("json: 100,000 objects", false);
		return;
	}
	p = want;
	*p++ = '[';
	for (unsigned int i = 0; i < 100000; i++)
		p += sprintf(p, "%s{\"i\":%u,\"s\":\"0123456789\"}", i ? "," : "", i);
	strcpy(p, "]");
	check("json: 100,000 objects", json_is(many, false, want));
	free(want);
}

int main(void)
{
	test_ntop();
	test_sort();
	test_arena();
	test_ct_names();
	test_json();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
