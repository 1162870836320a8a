/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subcommands, and what they share with main.c.
 */
#ifndef VZROUTE_SUBCOMMANDS_H
#define VZROUTE_SUBCOMMANDS_H

#include <stdbool.h>
#include <stdint.h>

/* Exit codes. */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

struct options {
	bool json;
	bool pretty;
	int family;	/* -4/-6 before the subcommand (show): AF_INET(6) */
};

extern struct options opts;

/*
 * Each gets argv[0] = its own name and returns the exit code.
 */
int cmd_show(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_allow(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_resync(int argc, char **argv);
int cmd_monitor(int argc, char **argv);

/* stats -o prometheus (prometheus.c); the exit code. */
int prometheus_print(void);

/* -j/--json and -p/--pretty; true when arg was one of them. */
bool output_option(const char *arg);
/* -h/--help */
bool help_option(const char *arg);
/*
 * The arguments of a subcommand that takes only -j/-p and -h (argv[0] is
 * its name): -1 when they are all output options, else the exit code of
 * the help or of the usage error.
 */
int output_args(int argc, char **argv, const char *usage);

struct nl_req;
/*
 * A subcommand that reads: its options (output_args), the request r, then
 * print(r->data) on success. Returns the exit code.
 */
int read_cmd(int argc, char **argv, const char *usage,
	     const struct nl_req *r, void (*print)(const void *data));
/*
 * Prints "vzroute: MESSAGE" (when fmt is not NULL) and "usage: vzroute
 * USAGE" on stderr; returns EXIT_USAGE.
 */
int usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints "usage: vzroute USAGE" on stdout; returns EXIT_OK. */
int usage_help(const char *usage);
/* Flushes stdout; EXIT_FAIL with a message if the output failed. */
int finish_output(int code);

#endif
