/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A hash table of singly linked chains that doubles as it fills, for the
 * tables that hold a link per container address (track.c).
 */
#ifndef _VZR_CHAINS_H
#define _VZR_CHAINS_H

#include <linux/types.h>

/* A link in one chain; its key, and so its hash, never changes. */
struct vzr_link {
	struct vzr_link *next;
};

/**
 * struct vzr_chains - the chains, and what is needed to grow them
 * @heads: the first link of each of 1 << @shift chains
 * @hash: the hash of a link's key; a chain is the links whose hash has
 *        the chain's number in its low @shift bits
 * @shift: log2 of the number of chains
 * @count: links in the chains
 * @grow_at: the count past which the chains double; after a doubling
 *           that found no memory, a chain's worth of links later
 *
 * The user's lock covers all of it, and a walk of the chains holds it for
 * as long as it uses a link or a chain's number: vzr_chains_added() may
 * move every link to new chains, so it is called where no walk is under
 * way. A chain's links keep their order when it grows (a chain splits in
 * two, each link going to one of them in turn), so a chain kept in its
 * keys' order stays so.
 */
struct vzr_chains {
	struct vzr_link **heads;
	u32 (*hash)(const struct vzr_link *l);
	unsigned int shift;
	unsigned int count;
	unsigned int grow_at;
};

int vzr_chains_init(struct vzr_chains *t, unsigned int shift,
		    u32 (*hash)(const struct vzr_link *l));
void vzr_chains_destroy(struct vzr_chains *t);
void vzr_chains_added(struct vzr_chains *t);
size_t vzr_chains_bytes(const struct vzr_chains *t);

static inline unsigned int vzr_chains_size(const struct vzr_chains *t)
{
	return 1U << t->shift;
}

/* Where the chain of @hash starts. */
static inline struct vzr_link **vzr_chains_head(const struct vzr_chains *t,
						u32 hash)
{
	return &t->heads[hash & (vzr_chains_size(t) - 1)];
}

/*
 * A walk of every link: from vzr_chains_first(), then vzr_chains_next()
 * of each, *@bkt the chain the link is in. The links seen may be taken
 * out of their chains (read the next first), but none may be added: a
 * doubling moves them all.
 */
static inline struct vzr_link *vzr_chains_from(const struct vzr_chains *t,
					       int *bkt)
{
	for (; *bkt < vzr_chains_size(t); ++*bkt)
		if (t->heads[*bkt])
			return t->heads[*bkt];
	return NULL;
}

static inline struct vzr_link *vzr_chains_first(const struct vzr_chains *t,
						int *bkt)
{
	*bkt = 0;
	return vzr_chains_from(t, bkt);
}

static inline struct vzr_link *vzr_chains_next(const struct vzr_chains *t,
					       const struct vzr_link *l,
					       int *bkt)
{
	if (l->next)
		return l->next;
	++*bkt;
	return vzr_chains_from(t, bkt);
}

/* A link was taken out of its chain. */
static inline void vzr_chains_removed(struct vzr_chains *t)
{
	t->count--;
}

#endif /* _VZR_CHAINS_H */
