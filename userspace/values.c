// SPDX-License-Identifier: GPL-2.0
/*
 * Named values of a GET answer, by a table of keys: see values.h.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/vzroute.h>

#include "json.h"
#include "nl.h"
#include "subcommands.h"
#include "values.h"

/* Payload size of a number of that type (0: a string). */
static size_t num_size(enum value_type type)
{
	switch (type) {
	case V_U32:
		return 4;
	case V_BOOL:
	case V_U8:
		return 1;
	case V_U64:
		return 8;
	default:
		return 0;
	}
}

static int read_value(struct values *v, size_t k, const struct nlattr *attr)
{
	size_t len = mnl_attr_get_payload_len(attr), size;

	size = num_size(v->keys[k].type);
	if (size) {
		if (len < size)
			return 0;
		v->num[k] = size == 8 ? mnl_attr_get_u64(attr) :
			    size == 4 ? mnl_attr_get_u32(attr) :
			    mnl_attr_get_u8(attr);
	} else {
		free(v->str[k]);
		v->str[k] = strndup(mnl_attr_get_payload(attr), len);
		if (!v->str[k])
			return -ENOMEM;
		/* the kernel's parsers stop at a newline too */
		v->str[k][strcspn(v->str[k], "\n")] = '\0';
	}
	v->have[k] = true;
	return 0;
}

static int values_cb(const struct nlmsghdr *nlh, void *data)
{
	struct values *v = data;
	const struct nlattr *attr;
	int err;

	if (nlh->nlmsg_type != v->family_id)
		return 0;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		for (size_t k = 0; k < v->n; k++) {
			if (v->keys[k].attr != mnl_attr_get_type(attr))
				continue;
			err = read_value(v, k, attr);
			if (err)
				return err;
		}
	}
	return 0;
}

static void json_list(struct json *j, const char *s)
{
	json_begin_array(j);
	while (*s) {
		size_t len = strcspn(s, ",");
		char item[VZROUTE_PREFIX_STRLEN * 2];

		/* the items, without the blanks around them */
		while (len && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len) {
			snprintf(item, sizeof(item), "%.*s", (int)len, s);
			json_string(j, item);
		}
		s += strcspn(s, ",");
		if (*s == ',')
			s++;
	}
	json_end_array(j);
}

/* One value in JSON, after its key. */
static void json_value(struct json *j, enum value_type type, uint64_t num,
		       const char *str)
{
	if (type == V_LIST)
		json_list(j, str);
	else if (type == V_STR)
		json_string(j, str);
	else if (type == V_BOOL)
		json_bool(j, num);
	else
		json_uint(j, num);
}

static void print_values(const void *data)
{
	const struct values *v = data;
	struct json j;

	if (opts.json) {
		json_init(&j, stdout, opts.pretty);
		json_begin_object(&j);
	}
	for (size_t k = 0; k < v->n; k++) {
		const char *name = v->keys[k].name;

		if (!v->have[k])
			continue;
		if (opts.json) {
			json_key(&j, name);
			json_value(&j, v->keys[k].type, v->num[k], v->str[k]);
		} else if (num_size(v->keys[k].type)) {
			printf("%s %" PRIu64 "\n", name, v->num[k]);
		} else if (v->str[k][0]) {
			printf("%s %s\n", name, v->str[k]);
		} else {
			printf("%s\n", name);
		}
	}
	if (opts.json) {
		json_end_object(&j);
		putchar('\n');
	}
}

int values_get(struct nl *nl, uint8_t cmd, struct values *v)
{
	v->family_id = nl->family.id;
	return nl_do(nl, nl_request(nl, cmd, NLM_F_ACK), values_cb, v);
}

void values_free(struct values *v)
{
	for (size_t k = 0; k < v->n; k++) {
		free(v->str[k]);
		v->str[k] = NULL;
	}
}

int values_cmd(int argc, char **argv, const char *usage, uint8_t cmd,
	       const char *what, const struct value_key *keys, size_t n)
{
	struct values v = { .keys = keys, .n = n };
	int ret = read_cmd(argc, argv, usage,
			   &(struct nl_req){ .cmd = cmd, .cb = values_cb,
					     .data = &v,
					     .family_id = &v.family_id,
					     .what = what },
			   print_values);

	values_free(&v);
	return ret;
}
