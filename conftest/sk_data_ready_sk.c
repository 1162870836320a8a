/* SPDX-License-Identifier: GPL-2.0 */
/* HAVE_SK_DATA_READY_SK: sk_data_ready(sk) (3.15; before, and in 3.10-el7: and a byte count) */
#include <net/sock.h>

int vzr_conftest(void);
int vzr_conftest(void)
{
	static const char ok[__builtin_types_compatible_p(
		typeof(((struct sock *)NULL)->sk_data_ready),
		void (*)(struct sock *)) ? 1 : -1] = { 1 };

	return ok[0];
}
