// SPDX-License-Identifier: GPL-2.0
/*
 * The chains behind track.c's tables. A table of a fixed size made every
 * lookup walk a chain as long as the node's addresses over its chains: at
 * 100,000 addresses over 8,192 chains, the resync spent two fifths of its
 * run there (issue #18, README "Where issue #18's targets end"). A table
 * that doubles once it holds VZR_CHAINS_LOAD links a chain keeps a walk as
 * short at any count, for at most 2 * 8 / VZR_CHAINS_LOAD bytes a link of
 * chains; it never shrinks (what it holds is bounded by the node's own
 * addresses, and its peak is freed at unload).
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "chains.h"
#include "fault.h"

#define VZR_CHAINS_LOAD		4
/* Within vzr_cursor's 24 bits of chain number: 8 MiB of chains at most. */
#define VZR_CHAINS_MAX_SHIFT	20

static struct vzr_link **chains_alloc(unsigned int shift)
{
	return vzr_alloc(kvmalloc_array(1UL << shift, sizeof(struct vzr_link *),
					GFP_KERNEL | __GFP_ZERO));
}

int vzr_chains_init(struct vzr_chains *t, unsigned int shift,
		    u32 (*hash)(const struct vzr_link *l))
{
	t->heads = chains_alloc(shift);
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

	heads = chains_alloc(t->shift + 1);
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
