/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer: values are written as they come, commas
 * and indentation are taken care of. Output is compact by default, or
 * indented by two spaces per level when pretty.
 */
#ifndef VZROUTE_JSON_H
#define VZROUTE_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * Output is gathered in @buf and goes to @f whenever it fills and each
 * time a top-level value is complete, so that what else the caller
 * writes to @f comes after it: one stdio call per token was most of a
 * large dump's time. 64 KiB: a dump of 100,000 entries is 30 MB.
 */
struct json {
	FILE *f;
	bool pretty;
	int depth;
	bool need_comma;	/* a value was written at this depth */
	bool after_key;		/* the next value belongs to a key */
	size_t len;		/* bytes in buf */
	char buf[65536];
};

void json_init(struct json *j, FILE *f, bool pretty);

void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);

void json_string(struct json *j, const char *s);
void json_uint(struct json *j, uint64_t v);
void json_int(struct json *j, int64_t v);
void json_bool(struct json *j, bool v);

/*
 * A key is one of the program's names, printable ASCII without '"' or
 * '\\', shorter than JSON_KEY_MAX, and is written as it is. The key-value
 * shorthands are inline, their key copied where the call is: its length
 * is then known (a literal's strlen() is worked out by the compiler), and
 * a dump's output is mostly keys.
 */
#define JSON_KEY_MAX	256

void json_key(struct json *j, const char *key);

/*
 * For the shorthands: puts the comma and indentation a new item takes
 * and makes room for n bytes after them; where those go. Inline for
 * compact output with room left, the most common case by far.
 */
char *json_item_slow(struct json *j, size_t n);

static inline char *json_item(struct json *j, size_t n)
{
	char *p = j->buf + j->len;

	if (j->pretty || n >= sizeof(j->buf) - j->len)
		return json_item_slow(j, n);
	j->after_key = false;
	if (j->need_comma)
		*p++ = ',';
	return p;
}
/* For the shorthands: the value at p (from json_item) and what follows it. */
void json_put_string(struct json *j, char *p, const char *s);
void json_put_uint(struct json *j, char *p, uint64_t v);

/* For the shorthands: "key": at p, and where the value goes. */
static inline char *json_put_key(struct json *j, char *p, const char *key,
				 size_t len)
{
	*p++ = '"';
	memcpy(p, key, len);
	p += len;
	*p++ = '"';
	*p++ = ':';
	if (j->pretty)
		*p++ = ' ';
	return p;
}

/* A key's length, as the compiler works it out for a literal. */
static inline size_t json_key_len(const char *key)
{
	size_t len = strlen(key);

	return len < JSON_KEY_MAX ? len : JSON_KEY_MAX - 1;
}

/* Shorthands for a key followed by its value. */
static inline void json_kv_string(struct json *j, const char *key,
				  const char *s)
{
	size_t len = json_key_len(key);

	json_put_string(j, json_put_key(j, json_item(j, len + 4), key, len), s);
}

static inline void json_kv_uint(struct json *j, const char *key, uint64_t v)
{
	size_t len = json_key_len(key);

	/* a number is at most 20 digits */
	json_put_uint(j, json_put_key(j, json_item(j, len + 24), key, len), v);
}

static inline void json_kv_int(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_int(j, v);
}

static inline void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

#endif
