// SPDX-License-Identifier: GPL-2.0
/*
 * vzroute resync: have the module compare its routes with the kernel's
 * routing tables and reconcile now.
 */

#include <stddef.h>

#include <linux/vzroute.h>

#include "nl.h"
#include "subcommands.h"

int cmd_resync(int argc, char **argv)
{
	static const char usage[] = "resync";

	if (argc == 2 && help_option(argv[1]))
		return usage_help(usage);
	if (argc > 1)
		return usage_error(usage, "resync: unexpected argument '%s'",
				   argv[1]);
	return nl_once(&(struct nl_req){ .cmd = VZROUTE_CMD_RESYNC,
					 .what = "resync", .change = true });
}
