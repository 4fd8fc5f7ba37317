/* techmatch — the lattice of stable matchings (private to the core).
 *
 * Copies.  Agent a of side X with capacity c'(a) = min(capacity, list
 * length) stands for copies coff[X][a] .. coff[X][a+1]-1 (copy index
 * j = copy - coff[X][a]).  The copies' lists are never stored: the expanded
 * list of any copy of a is a's reduced list with entry e replaced by the
 * c'(ids[e]) copies of ids[e], best copy first; the slot (e, k) is the k-th
 * copy of ids[e].  Supply copies play the men of Gusfield & Irving, demand
 * copies the women.  A demand copy's preference between supply copies is
 * tm_i_lat_pos(): only its order matters.
 *
 * A stable matching is stored as pe[m]: for each supply copy m, the supply
 * entry e (index into the market's supply CSR) of the pair it holds, and
 * pk[m] the copy index of its partner (or -1, -1 when unmatched: the same
 * copies are unmatched in every stable matching).
 */
#ifndef TECHMATCH_CORE_LATTICE_PRIVATE_H
#define TECHMATCH_CORE_LATTICE_PRIVATE_H

#include "core/internal.h"
#include <techmatch/lattice.h>

struct TmLattice {
    gint refcount;
    TmMarket *market;
    int32_t nc[2];       /* copies per side */
    int32_t *coff[2];    /* n + 1 */
    int32_t *corig[2];   /* nc: copy -> agent */
    gboolean multi[2];   /* some agent of the side has several copies */
    int32_t *bpos;       /* L, only when multi[0]: supply copies before the
                          * owner of supply entry e in the list of ids[e] */
    int32_t *top_e;      /* nc[0]: supply-optimal matching (entry, -1) */
    int32_t *top_k;      /* nc[0]: partner copy index (-1) */
    int64_t n_pairs;
    /* rotations: pairs i in roff[r] .. roff[r+1]: copy rm[i] leaves the
     * slot (re_old[i], rk_old[i]) for (re_new[i], rk_new[i]) */
    int32_t R;
    int32_t *roff;       /* R + 1 */
    int32_t *rm, *re_old, *rk_old, *re_new, *rk_new; /* roff[R] */
    /* precedence, both ways, deduplicated: preds of r in poff[r] .. poff[r+1] */
    int32_t *poff, *pred; /* R + 1, E */
    int32_t *soff, *succ; /* R + 1, E */
};

/* The demand copy at supply slot (e, k). */
static inline int32_t tm_i_lat_woman(const TmLattice *lat, int64_t e, int32_t k)
{
    return lat->coff[1][lat->market->side[0].ids[e]] + k;
}

/* The position that the demand copies of supply entry e's agent d give
 * copy @j of e's owner s: the supply copies before it in d's expanded list
 * (bpos[e] + j); with one copy per supply agent, d's position of s does as
 * well (the same order; agents without copies never compete). */
static inline int32_t tm_i_lat_pos(const TmLattice *lat, int64_t e, int32_t j)
{
    return lat->bpos ? lat->bpos[e] + j : lat->market->side[0].rpos[e];
}

/* Applies rotation @r to the matching (pe, pk). */
static inline void tm_i_lat_apply(const TmLattice *lat, int32_t r, int32_t *pe, int32_t *pk)
{
    for (int32_t i = lat->roff[r]; i < lat->roff[r + 1]; i++) {
        pe[lat->rm[i]] = lat->re_new[i];
        pk[lat->rm[i]] = lat->rk_new[i];
    }
}

/* Writes the pairs of the matching (pe; pd[m] the demand agent of supply
 * copy m's partner) in tm_matching_get_pairs() order: tm_lattice_n_pairs()
 * entries into each of @supply and @demand.  Reads pe and pd in order only. */
G_GNUC_INTERNAL void tm_i_lat_write_pairs(const TmLattice *lat, const int32_t *pe,
                                          const int32_t *pd, int32_t *supply, int32_t *demand);

/* The matching (pe) as a TmMatching on the lattice's market. */
G_GNUC_INTERNAL TmMatching *tm_i_lat_matching(const TmLattice *lat, const int32_t *pe,
                                              GError **error);

/* Fresh copies of the supply-optimal matching; FALSE with TM_ERROR_NO_MEMORY. */
G_GNUC_INTERNAL gboolean tm_i_lat_top(const TmLattice *lat, int32_t **pe, int32_t **pk,
                                      GError **error);

#endif /* TECHMATCH_CORE_LATTICE_PRIVATE_H */
