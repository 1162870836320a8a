/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_KERNEL_GETSOCKNAME_LEN: kernel_getsockname(sock, addr) returns the address's length (4.17; before, and in 3.10-el7: an int * for it) */
#include <linux/net.h>
#include <linux/socket.h>

int vzr_conftest(struct socket *sock, struct sockaddr *sa);
int vzr_conftest(struct socket *sock, struct sockaddr *sa)
{
	static const char ok[__builtin_types_compatible_p(typeof(&kernel_getsockname),
		int (*)(struct socket *, struct sockaddr *)) ? 1 : -1] = { 1 };

	return ok[0] + kernel_getsockname(sock, sa);
}
