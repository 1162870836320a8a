// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming JSON writer. Strings are escaped as RFC 8259 requires; bytes
 * that are not valid UTF-8 (an interface name may hold any byte) are
 * written as U+FFFD so that the output always parses. Characters that a
 * terminal or an editor acts on rather than shows are escaped too, so
 * that a name chosen by a container cannot rewrite or reorder what the
 * admin reads: DEL and the C1 controls (a terminal's escape sequences),
 * the line and paragraph separators, and the bidirectional embeddings,
 * overrides and isolates.
 */

#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "json.h"

void json_init(struct json *j, FILE *f, bool pretty)
{
	j->f = f;
	j->pretty = pretty;
	j->depth = 0;
	j->need_comma = false;
	j->after_key = false;
	j->len = 0;
}

static void flush(struct json *j)
{
	if (j->len)
		fwrite(j->buf, 1, j->len, j->f);
	j->len = 0;
}

static void put(struct json *j, const void *s, size_t n)
{
	if (n > sizeof(j->buf) - j->len) {
		flush(j);
		if (n > sizeof(j->buf)) {
			fwrite(s, 1, n, j->f);
			return;
		}
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

static void put_char(struct json *j, char c)
{
	if (j->len == sizeof(j->buf))
		flush(j);
	j->buf[j->len++] = c;
}

static void put_str(struct json *j, const char *s)
{
	put(j, s, strlen(s));
}

/* A value was written: a top-level one is complete, and goes out. */
static void after_value(struct json *j)
{
	j->need_comma = true;
	if (!j->depth)
		flush(j);
}

static void newline_indent(struct json *j, int depth)
{
	put_char(j, '\n');
	for (int i = 0; i < depth; i++)
		put(j, "  ", 2);
}

/* Everything that starts a value or a key goes through here. */
static void before_item(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma)
		put_char(j, ',');
	if (j->pretty && j->depth > 0)
		newline_indent(j, j->depth);
}

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none;
 * its code point in *out.
 */
static size_t utf8_len(const unsigned char *s, size_t n, uint32_t *out)
{
	size_t len;
	uint32_t cp;

	*out = s[0];
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	*out = cp;
	return len;
}

/* Valid, printable on its own, but acted on by terminals or editors. */
static bool hidden_control(uint32_t cp)
{
	return (cp >= 0x7f && cp <= 0x9f) ||		/* DEL, C1 */
	       cp == 0x2028 || cp == 0x2029 ||		/* separators */
	       (cp >= 0x202a && cp <= 0x202e) ||	/* embeddings, overrides */
	       (cp >= 0x2066 && cp <= 0x2069);		/* isolates */
}

/* The characters with a short escape, and the letter after the backslash. */
static const char short_escape[128] = {
	['"'] = '"', ['\\'] = '\\', ['\n'] = 'n', ['\r'] = 'r',
	['\t'] = 't', ['\b'] = 'b', ['\f'] = 'f',
};

static void write_string(struct json *j, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = 0, len;
	char esc[8];
	uint32_t cp;

	/*
	 * Most strings (every key) are printable ASCII without an escape,
	 * found in the pass that measures them and copied in one piece: a
	 * large dump's output is mostly keys and names.
	 */
	while (s[n] >= 0x20 && s[n] < 0x7f && s[n] != '"' && s[n] != '\\')
		n++;
	if (!s[n]) {
		put_char(j, '"');
		put(j, s, n);
		put_char(j, '"');
		return;
	}
	while (s[n])
		n++;
	put_char(j, '"');
	for (; n; s += len, n -= len) {
		/*
		 * Printable ASCII without an escape is copied in one piece:
		 * one call a byte made a large dump's output slow.
		 */
		for (len = 0; len < n && s[len] >= 0x20 && s[len] < 0x7f &&
			      !short_escape[s[len]]; len++)
			;
		if (len) {
			put(j, s, len);
			continue;
		}
		len = utf8_len(s, n, &cp);
		if (*s < 0x80 && short_escape[*s]) {
			put_char(j, '\\');
			put_char(j, short_escape[*s]);
		} else if (*s < 0x20 || (len && hidden_control(cp))) {
			snprintf(esc, sizeof(esc), "\\u%04x", (unsigned int)cp);
			put_str(j, esc);
		} else if (len) {
			put(j, s, len);
		} else {
			put_str(j, "\\ufffd");
		}
		if (!len)	/* not UTF-8: one byte at a time */
			len = 1;
	}
	put_char(j, '"');
}

static void begin(struct json *j, char c)
{
	before_item(j);
	put_char(j, c);
	j->depth++;
	j->need_comma = false;
}

static void end(struct json *j, char c)
{
	j->depth--;
	if (j->pretty && j->need_comma)
		newline_indent(j, j->depth);
	put_char(j, c);
	after_value(j);
}

void json_begin_object(struct json *j)
{
	begin(j, '{');
}

void json_end_object(struct json *j)
{
	end(j, '}');
}

void json_begin_array(struct json *j)
{
	begin(j, '[');
}

void json_end_array(struct json *j)
{
	end(j, ']');
}

void json_key(struct json *j, const char *key)
{
	before_item(j);
	write_string(j, key);
	put_str(j, j->pretty ? ": " : ":");
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	before_item(j);
	write_string(j, s);
	after_value(j);
}

/*
 * @v in decimal, a minus sign first when @neg: fprintf's parsing of its
 * format was much of a large dump's time.
 */
static void write_decimal(struct json *j, bool neg, uint64_t v)
{
	char buf[21];
	char *p = buf + sizeof(buf);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		*--p = '-';
	put(j, p, (size_t)(buf + sizeof(buf) - p));
}

void json_uint(struct json *j, uint64_t v)
{
	before_item(j);
	write_decimal(j, false, v);
	after_value(j);
}

void json_int(struct json *j, int64_t v)
{
	before_item(j);
	/* the magnitude, INT64_MIN's too, as unsigned */
	write_decimal(j, v < 0, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
	after_value(j);
}

void json_bool(struct json *j, bool v)
{
	before_item(j);
	put_str(j, v ? "true" : "false");
	after_value(j);
}

void json_kv_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_kv_uint(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_uint(j, v);
}

void json_kv_int(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}
