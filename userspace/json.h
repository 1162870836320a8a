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

/*
 * Output is gathered in @buf and goes to @f whenever it fills and each
 * time a top-level value is complete, so that what else the caller
 * writes to @f comes after it: one stdio call per token was most of a
 * large dump's time.
 */
struct json {
	FILE *f;
	bool pretty;
	int depth;
	bool need_comma;	/* a value was written at this depth */
	bool after_key;		/* the next value belongs to a key */
	size_t len;		/* bytes in buf */
	char buf[16384];
};

void json_init(struct json *j, FILE *f, bool pretty);

void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);

void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
void json_uint(struct json *j, uint64_t v);
void json_int(struct json *j, int64_t v);
void json_bool(struct json *j, bool v);

/* Shorthands for a key followed by its value. */
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_uint(struct json *j, const char *key, uint64_t v);
void json_kv_int(struct json *j, const char *key, int64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);

#endif
