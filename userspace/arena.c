// SPDX-License-Identifier: GPL-2.0
/*
 * The arena's blocks: see arena.h.
 */

#include <stdlib.h>

#include "arena.h"

/* At the start of each block. */
struct block {
	void *prev;
	/* keeps what follows aligned to ARENA_ALIGN */
	_Alignas(ARENA_ALIGN) char data[];
};

void *arena_grow(struct arena *ar, size_t size)
{
	size_t room = size > ARENA_BLOCK - sizeof(struct block) ?
		      size : ARENA_BLOCK - sizeof(struct block);
	struct block *b = malloc(sizeof(*b) + room);

	if (!b)
		return NULL;
	b->prev = ar->blocks;
	ar->blocks = b;
	/* a piece bigger than a block leaves the current block in use */
	if (room == size)
		return b->data;
	ar->p = b->data + size;
	ar->end = b->data + room;
	return b->data;
}

void arena_free(struct arena *ar)
{
	while (ar->blocks) {
		struct block *b = ar->blocks;

		ar->blocks = b->prev;
		free(b);
	}
	ar->p = NULL;
	ar->end = NULL;
}
