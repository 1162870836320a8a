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
	struct nlmsghdr *req;
	struct nl nl;
	int err;

	if (argc == 2 && help_option(argv[1]))
		return usage_help(usage);
	if (argc > 1)
		return usage_error(usage, "resync: unexpected argument '%s'",
				   argv[1]);
	if (nl_open(&nl))
		return EXIT_FAIL;
	req = nl_request(&nl, VZROUTE_CMD_RESYNC, NLM_F_ACK);
	err = nl_do(&nl, req, NULL, NULL);
	if (err)
		nl_fail(&nl, "resync", err, true);
	nl_close(&nl);
	return err ? EXIT_FAIL : EXIT_OK;
}
