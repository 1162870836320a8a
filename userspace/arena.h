/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory handed out in small pieces that are never moved and are given
 * back all at once: the CTIDs and proxy neighbours of the entries of a
 * dump that show keeps (100,000 entries and more), without a malloc() and
 * its overhead for each.
 */
#ifndef VZROUTE_ARENA_H
#define VZROUTE_ARENA_H

#include <stddef.h>

/* The size of a block (a larger piece gets one of its own). */
#define ARENA_BLOCK	(256 * 1024)
/* Pieces are aligned to this. */
#define ARENA_ALIGN	8

struct arena {
	char *p, *end;		/* the room left in the newest block */
	void *blocks;		/* the newest block, which links to the one before */
};

#define ARENA_INIT { NULL, NULL, NULL }

/* A new block for a piece of size bytes, and the piece; NULL if no memory. */
void *arena_grow(struct arena *ar, size_t size);

/* size bytes, aligned to ARENA_ALIGN; NULL if out of memory. */
static inline void *arena_alloc(struct arena *ar, size_t size)
{
	void *p;

	size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	/* !ar->p: an empty arena, whose two NULLs are not to be subtracted */
	if (!ar->p || (size_t)(ar->end - ar->p) < size)
		return arena_grow(ar, size);
	p = ar->p;
	ar->p += size;
	return p;
}

/* Gives every piece back; ar is then empty and may be used again. */
void arena_free(struct arena *ar);

#endif
