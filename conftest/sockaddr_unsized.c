/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_SOCKADDR_UNSIZED: kernel_bind() and kernel_connect() take a struct sockaddr_unsized * (6.19, 6.18.y) */
#include <linux/net.h>
#include <linux/socket.h>

int vzr_conftest(struct socket *sock, struct sockaddr_unsized *sa);
int vzr_conftest(struct socket *sock, struct sockaddr_unsized *sa)
{
	static const char ok[__builtin_types_compatible_p(typeof(&kernel_bind),
		int (*)(struct socket *, struct sockaddr_unsized *, int)) ? 1 : -1] = { 1 };

	return ok[0] + kernel_bind(sock, sa, 0);
}
