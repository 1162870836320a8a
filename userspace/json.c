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

/*
 * Where n more bytes go, n at most sizeof(buf): the caller writes them
 * there and adds them to len. One check for a whole token.
 */
static char *room(struct json *j, size_t n)
{
	if (n > sizeof(j->buf) - j->len)
		flush(j);
	return j->buf + j->len;
}

static void put(struct json *j, const void *s, size_t n)
{
	if (n > sizeof(j->buf)) {
		flush(j);
		fwrite(s, 1, n, j->f);
		return;
	}
	memcpy(room(j, n), s, n);
	j->len += n;
}

static void put_char(struct json *j, char c)
{
	*room(j, 1) = c;
	j->len++;
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

/* The bytes a string keeps as they are: printable ASCII but '"' and '\'. */
static const bool plain[256] = {
	[0x20 ... 0x21] = true,		/* '"' is 0x22 */
	[0x23 ... 0x5b] = true,		/* '\\' is 0x5c */
	[0x5d ... 0x7e] = true,
};

/* The n bytes at s, after a string's plain start, and its closing quote. */
static void write_rest(struct json *j, const unsigned char *s, size_t n)
{
	size_t len;
	char esc[8];
	uint32_t cp;

	for (; n; s += len, n -= len) {
		/*
		 * Printable ASCII without an escape is copied in one piece:
		 * one call a byte made a large dump's output slow.
		 */
		for (len = 0; len < n && plain[s[len]]; len++)
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

/* Strings up to this long are copied as they are checked. */
#define SHORT_STRING	64

static void write_string(struct json *j, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	char *p = room(j, SHORT_STRING + 2);
	size_t n;

	/*
	 * Most strings (names, states, addresses) are short and plain:
	 * copied byte by byte as they are checked, with their quotes, where
	 * a call to memcpy() would cost more than the copy.
	 */
	*p++ = '"';
	for (n = 0; n < SHORT_STRING && plain[s[n]]; n++)
		p[n] = (char)s[n];
	if (!s[n]) {
		p[n] = '"';
		j->len += n + 2;
		return;
	}
	j->len += n + 1;
	write_rest(j, s + n, strlen(str + n));
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

char *json_item_slow(struct json *j, size_t n)
{
	char *p;

	j->after_key = false;
	/* the comma, the newline and the indentation */
	p = room(j, 2 + (j->pretty ? 2 * (size_t)j->depth : 0) + n);
	if (j->need_comma)
		*p++ = ',';
	if (j->pretty && j->depth > 0) {
		*p++ = '\n';
		for (int i = 0; i < j->depth; i++, p += 2)
			memcpy(p, "  ", 2);
	}
	j->len = (size_t)(p - j->buf);
	return p;
}

void json_key(struct json *j, const char *key)
{
	size_t len = json_key_len(key);
	char *p = json_put_key(j, json_item(j, len + 4), key, len);

	j->len = (size_t)(p - j->buf);
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	before_item(j);
	write_string(j, s);
	after_value(j);
}

/*
 * @v in decimal at @p, a minus sign first when @neg, where 21 bytes are
 * free; returns the end. fprintf's parsing of its format was much of a
 * large dump's time. Two digits at a time, from the last.
 */
static char *put_decimal(char *p, bool neg, uint64_t v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324"
		"25262728293031323334353637383940414243444546474849"
		"50515253545556575859606162636465666768697071727374"
		"75767778798081828384858687888990919293949596979899";
	char buf[40] = { 0 };
	char *d = buf + 20;

	while (v >= 100) {
		d -= 2;
		memcpy(d, pairs + v % 100 * 2, 2);
		v /= 100;
	}
	if (v >= 10) {
		d -= 2;
		memcpy(d, pairs + v * 2, 2);
	} else {
		*--d = (char)('0' + v);
	}
	if (neg)
		*--d = '-';
	/*
	 * 20 bytes whatever the length (what follows the digits is
	 * overwritten later, and was zeroed so that no byte copied is
	 * unset): a copy of known size is a few moves, not a call to
	 * memcpy().
	 */
	memcpy(p, d, 20);
	return p + (buf + 20 - d);
}

static void write_decimal(struct json *j, bool neg, uint64_t v)
{
	char *p = room(j, 21);

	j->len = (size_t)(put_decimal(p, neg, v) - j->buf);
}

void json_put_uint(struct json *j, char *p, uint64_t v)
{
	j->len = (size_t)(put_decimal(p, false, v) - j->buf);
	after_value(j);
}

void json_put_string(struct json *j, char *p, const char *s)
{
	j->len = (size_t)(p - j->buf);
	write_string(j, s);
	after_value(j);
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
