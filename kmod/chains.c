// SPDX-License-Identifier: GPL-2.0
/*
 * The chains behind track.c's tables, a link per container address,
 * route or container device on the node: each lookup walks one chain, so
 * the chains double once they hold more than VZR_CHAINS_LOAD links a
 * chain, which keeps a walk as short at any count for at most
 * 2 * sizeof(void *) / VZR_CHAINS_LOAD bytes of chains a link, as long as
 * the keys spread over the hash (a user whose keys a stranger chooses
 * seeds the hash with a secret). They never shrink: what they hold is
 * bounded by the node's own addresses and devices, and their peak is
 * freed at unload.
 *
 * Not rhashtable: a dump of the entries resumes by key within a chain
 * (vzr_entry_next()), so a chain must stay in its keys' order through a
 * resize, which a split in place keeps and rhashtable's does not promise;
 * and every user already holds vzr_lock, a mutex, where rhashtable's RCU
 * readers and deferred resize would buy nothing.
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "chains.h"
#include "fault.h"

#define VZR_CHAINS_LOAD		4
/* Within vzr_cursor's 24 bits of chain number: 8 MiB a table on 64-bit. */
#define VZR_CHAINS_MAX_SHIFT	20

static struct vzr_link **chains_alloc(unsigned int shift, gfp_t gfp)
{
	return vzr_alloc(kvmalloc_array(1UL << shift, sizeof(struct vzr_link *),
					gfp | __GFP_ZERO));
}

int vzr_chains_init(struct vzr_chains *t, unsigned int shift,
		    u32 (*hash)(const struct vzr_link *l))
{
	t->heads = chains_alloc(shift, GFP_KERNEL);
	if (!t->heads)
		return -ENOMEM;
	t->hash = hash;
	t->shift = shift;
	t->count = 0;
	t->grow_at = VZR_CHAINS_LOAD << shift;
	return 0;
}

void vzr_chains_destroy(struct vzr_chains *t)
{
	kvfree(t->heads);
	t->heads = NULL;
}

size_t vzr_chains_bytes(const struct vzr_chains *t)
{
	return t->heads ? sizeof(*t->heads) << t->shift : 0;
}

/*
 * Twice the chains. Chain i's links go to chains i and i + size, in their
 * order, so each new chain has its links in the order they had. Without
 * memory for the new chains the old ones stay, longer, not wrong, and
 * the next try waits for more links: not one for each link added.
 */
static void chains_grow(struct vzr_chains *t)
{
	unsigned int size = vzr_chains_size(t), i;
	struct vzr_link **heads, **tail[2], *l, *next;

	/* Not worth a warning: the chains it would replace still serve. */
	heads = chains_alloc(t->shift + 1, GFP_KERNEL | __GFP_NOWARN);
	if (!heads) {
		t->grow_at += size;
		return;
	}
	for (i = 0; i < size; i++) {
		tail[0] = &heads[i];
		tail[1] = &heads[i + size];
		for (l = t->heads[i]; l; l = next) {
			bool hi = t->hash(l) & size;

			next = l->next;
			l->next = NULL;
			*tail[hi] = l;
			tail[hi] = &l->next;
		}
		cond_resched();
	}
	kvfree(t->heads);
	t->heads = heads;
	t->shift++;
	t->grow_at = t->shift < VZR_CHAINS_MAX_SHIFT ?
		     VZR_CHAINS_LOAD << t->shift : UINT_MAX;
}

/*
 * A link was put in its chain: twice the chains if they hold too many a
 * chain. Every link may have moved after it, into a chain of another
 * number: no walk of the chains may be under way. May sleep.
 */
void vzr_chains_added(struct vzr_chains *t)
{
	if (++t->count > t->grow_at)
		chains_grow(t);
}
