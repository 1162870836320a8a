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

#include "json.h"

void json_init(struct json *j, FILE *f, bool pretty)
{
	j->f = f;
	j->pretty = pretty;
	j->depth = 0;
	j->need_comma = false;
	j->after_key = false;
}

static void newline_indent(struct json *j, int depth)
{
	fputc('\n', j->f);
	for (int i = 0; i < depth; i++)
		fputs("  ", j->f);
}

/* Everything that starts a value or a key goes through here. */
static void before_item(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma)
		fputc(',', j->f);
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
	uint32_t cp;

	while (s[n])
		n++;
	fputc('"', j->f);
	for (; n; s += len, n -= len) {
		/*
		 * Printable ASCII without an escape goes out in one piece:
		 * one stdio call a byte made a large dump's output slow.
		 */
		for (len = 0; len < n && s[len] >= 0x20 && s[len] < 0x7f &&
			      !short_escape[s[len]]; len++)
			;
		if (len) {
			fwrite(s, 1, len, j->f);
			continue;
		}
		len = utf8_len(s, n, &cp);
		if (*s < 0x80 && short_escape[*s])
			fprintf(j->f, "\\%c", short_escape[*s]);
		else if (*s < 0x20 || (len && hidden_control(cp)))
			fprintf(j->f, "\\u%04x", (unsigned int)cp);
		else if (len)
			fwrite(s, 1, len, j->f);
		else
			fputs("\\ufffd", j->f);
		if (!len)	/* not UTF-8: one byte at a time */
			len = 1;
	}
	fputc('"', j->f);
}

static void begin(struct json *j, char c)
{
	before_item(j);
	fputc(c, j->f);
	j->depth++;
	j->need_comma = false;
}

static void end(struct json *j, char c)
{
	j->depth--;
	if (j->pretty && j->need_comma)
		newline_indent(j, j->depth);
	fputc(c, j->f);
	j->need_comma = true;
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
	fputs(j->pretty ? ": " : ":", j->f);
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	before_item(j);
	write_string(j, s);
	j->need_comma = true;
}

/*
 * @v in decimal, a minus sign first when @neg: fprintf's parsing of its
 * format was much of a large dump's time.
 */
static void write_decimal(FILE *f, bool neg, uint64_t v)
{
	char buf[21];
	char *p = buf + sizeof(buf);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		*--p = '-';
	fwrite(p, 1, (size_t)(buf + sizeof(buf) - p), f);
}

void json_uint(struct json *j, uint64_t v)
{
	before_item(j);
	write_decimal(j->f, false, v);
	j->need_comma = true;
}

void json_int(struct json *j, int64_t v)
{
	before_item(j);
	/* the magnitude, INT64_MIN's too, as unsigned */
	write_decimal(j->f, v < 0, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
	j->need_comma = true;
}

void json_bool(struct json *j, bool v)
{
	before_item(j);
	fputs(v ? "true" : "false", j->f);
	j->need_comma = true;
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
