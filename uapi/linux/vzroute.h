/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * vzroute: host routes for container addresses.
 *
 * This header is shared by the kernel module and the vzroute tool.
 */
#ifndef _UAPI_LINUX_VZROUTE_H
#define _UAPI_LINUX_VZROUTE_H

/** VZROUTE_RTPROT - default route protocol number of vzroute's routes */
#define VZROUTE_RTPROT		157
/** VZROUTE_METRIC - default metric of vzroute's routes */
#define VZROUTE_METRIC		128

/**
 * enum vzroute_state - what became of one tracked container address
 * @VZROUTE_STATE_PENDING: seen, not decided yet
 * @VZROUTE_STATE_INSTALLED: the host route exists and is ours
 * @VZROUTE_STATE_DENIED: outside the allow list
 * @VZROUTE_STATE_OVER_CAP: the container namespace reached max_per_netns
 * @VZROUTE_STATE_CONFLICT: a route vzroute did not create holds the prefix
 * @VZROUTE_STATE_STANDBY: another container holds the same address
 * @VZROUTE_STATE_TENTATIVE: IPv6 duplicate address detection still running
 * @VZROUTE_STATE_DAD_FAILED: IPv6 duplicate address detection failed
 * @VZROUTE_STATE_DOWN: the container device or its host side is down
 * @VZROUTE_STATE_HOST_LOCAL: the address is local to the host namespace
 * @VZROUTE_STATE_FAILED: adding the route failed with an errno
 */
enum vzroute_state {
	VZROUTE_STATE_PENDING = 1,
	VZROUTE_STATE_INSTALLED,
	VZROUTE_STATE_DENIED,
	VZROUTE_STATE_OVER_CAP,
	VZROUTE_STATE_CONFLICT,
	VZROUTE_STATE_STANDBY,
	VZROUTE_STATE_TENTATIVE,
	VZROUTE_STATE_DAD_FAILED,
	VZROUTE_STATE_DOWN,
	VZROUTE_STATE_HOST_LOCAL,
	VZROUTE_STATE_FAILED,

	__VZROUTE_STATE_MAX
};

#define VZROUTE_STATE_MAX (__VZROUTE_STATE_MAX - 1)

#endif /* _UAPI_LINUX_VZROUTE_H */
