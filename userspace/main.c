// SPDX-License-Identifier: GPL-2.0
/*
 * vzroute: inspect and configure the vzroute kernel module, which keeps
 * host routes for the addresses of containers.
 */

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "nl.h"
#include "subcommands.h"

#ifndef VERSION
#define VERSION "0.1.0"
#endif

struct options opts;

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;
	const char *help;
} subcommands[] = {
	{ "show", cmd_show, "[-4|-6]", "list the tracked container addresses" },
	{ "config", cmd_config, "", "print the settings" },
	{ "set", cmd_set, "KEY VALUE...", "change settings, all or nothing" },
	{ "allow", cmd_allow, "add|del PREFIX", "change the allow list by one entry\n"
	  "                          (dev PATTERN binds it to host devices)" },
	{ "stats", cmd_stats, "[-o prometheus]", "print the counters (-o prometheus: for\n"
	  "                          node_exporter's textfile collector)" },
	{ "resync", cmd_resync, "", "compare with the routing tables, reconcile now" },
	{ "monitor", cmd_monitor, "", "print events as they happen, until killed" },
};

#define N_SUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static const char usage_line[] =
	"usage: vzroute [-j|-p] [-4|-6] [SUBCOMMAND [ARGS]]  (default: show; see 'vzroute --help')\n";

static void help(void)
{
	printf("usage: vzroute [OPTIONS] [SUBCOMMAND [ARGS]]\n"
	       "\n"
	       "Inspect and configure vzroute, the kernel module that keeps host routes\n"
	       "for the addresses of containers.\n"
	       "\n"
	       "Subcommands (without one: show):\n");
	for (size_t i = 0; i < N_SUBCOMMANDS; i++)
		printf("  %-7s %-15s %s\n", subcommands[i].name,
		       subcommands[i].args, subcommands[i].help);
	printf("\n"
	       "Keys of set: proto, metric, table, max_per_netns, keep_routes,\n"
	       "host_ifnames, allow.\n"
	       "\n"
	       "Options:\n"
	       "  -4, -6          show: IPv4 or IPv6 addresses only\n"
	       "  -j, --json      print JSON\n"
	       "  -p, --pretty    print indented JSON (implies --json)\n"
	       "  -h, --help      print this help\n"
	       "  -V, --version   print the version\n"
	       "\n"
	       "Exit status: 0 success, 1 failure, 2 usage error. See vzroute(8).\n");
}

bool output_option(const char *arg)
{
	if (!strcmp(arg, "-j") || !strcmp(arg, "--json")) {
		opts.json = true;
		return true;
	}
	if (!strcmp(arg, "-p") || !strcmp(arg, "--pretty")) {
		opts.json = true;
		opts.pretty = true;
		return true;
	}
	return false;
}

bool help_option(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

int output_args(int argc, char **argv, const char *usage)
{
	for (int i = 1; i < argc; i++) {
		if (output_option(argv[i]))
			continue;
		if (help_option(argv[i]))
			return usage_help(usage);
		return usage_error(usage, "%s: unexpected argument '%s'",
				   argv[0], argv[i]);
	}
	return -1;
}

int read_cmd(int argc, char **argv, const char *usage,
	     const struct nl_req *r, void (*print)(const void *data))
{
	int ret = output_args(argc, argv, usage);

	if (ret >= 0)
		return ret;
	if (nl_once(r))
		return EXIT_FAIL;
	print(r->data);
	return finish_output(EXIT_OK);
}

int usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fputs("vzroute: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr, "usage: vzroute %s\n", usage);
	return EXIT_USAGE;
}

int usage_help(const char *usage)
{
	printf("usage: vzroute %s\n", usage);
	return finish_output(EXIT_OK);
}

int finish_output(int code)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (errno != EPIPE)
			fprintf(stderr, "vzroute: writing output: %s\n",
				strerror(errno));
		return EXIT_FAIL;
	}
	return code;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static char *show_argv[] = { "show", NULL };
	int c;

	opterr = 0;
	/* '+': options stop at the subcommand, which has its own */
	while ((c = getopt_long(argc, argv, "+jphV46", longopts, NULL)) != -1) {
		switch (c) {
		case '4':
		case '6':
			/* "vzroute -4" is "vzroute show -4" */
			if (opts.family && opts.family != (c == '4' ? AF_INET : AF_INET6)) {
				fprintf(stderr, "vzroute: -4 and -6 exclude each other\n");
				fputs(usage_line, stderr);
				return EXIT_USAGE;
			}
			opts.family = c == '4' ? AF_INET : AF_INET6;
			break;
		case 'j':
			opts.json = true;
			break;
		case 'p':
			opts.json = true;
			opts.pretty = true;
			break;
		case 'h':
			help();
			return finish_output(EXIT_OK);
		case 'V':
			printf("vzroute %s\n", VERSION);
			return finish_output(EXIT_OK);
		default:
			if (optopt)
				fprintf(stderr, "vzroute: unknown option '-%c'\n",
					optopt);
			else
				fprintf(stderr, "vzroute: unknown option '%s'\n",
					argv[optind - 1]);
			fputs(usage_line, stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (!argc)
		return cmd_show(1, show_argv);
	if (opts.family && strcmp(argv[0], "show")) {
		fprintf(stderr, "vzroute: -4 and -6 go with show only\n");
		fputs(usage_line, stderr);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < N_SUBCOMMANDS; i++) {
		if (!strcmp(argv[0], subcommands[i].name))
			return subcommands[i].fn(argc, argv);
	}
	if (!strcmp(argv[0], "help")) {
		help();
		return finish_output(EXIT_OK);
	}
	fprintf(stderr, "vzroute: unknown subcommand '%s'\n", argv[0]);
	fputs(usage_line, stderr);
	return EXIT_USAGE;
}
