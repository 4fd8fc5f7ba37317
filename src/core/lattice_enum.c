/* techmatch — the lattice's accessors and the enumeration of its stable
 * matchings (lattice.h).
 *
 * Closed sets by depth-first search: rotations are visited in their
 * topological numbering; at each one the search first leaves it, then takes
 * it when all its predecessors are taken.  Leaving is always possible, so
 * every branch ends in a leaf and every leaf is a different closed set; the
 * next leaf after one is found from the deepest rotation still to be taken
 * in O(R + E), and its matching from the last one by undoing the rotations
 * that leave and applying the one that comes.
 */
#include "core/lattice_private.h"

#include <string.h>

TmMarket *tm_lattice_market(const TmLattice *lattice)
{
    return lattice ? lattice->market : NULL;
}

int32_t tm_lattice_n_rotations(const TmLattice *lattice)
{
    return lattice ? lattice->R : -1;
}

int64_t tm_lattice_n_pairs(const TmLattice *lattice)
{
    return lattice ? lattice->n_pairs : -1;
}

static gboolean rotation_args(const TmLattice *lat, int32_t r, const void *len, const char *fn,
                              GError **error)
{
    if (lat == NULL || len == NULL || r < 0 || r >= lat->R) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    lat && len ? "%s: rotation %d is out of range [0, %d)"
                               : "%s: NULL argument",
                    fn, r, lat ? lat->R : 0);
        return FALSE;
    }
    return TRUE;
}

gboolean tm_lattice_rotation(const TmLattice *lattice, int32_t r, int32_t *supply,
                             int32_t *demand, int32_t capacity, int32_t *len, GError **error)
{
    if (!rotation_args(lattice, r, len, "tm_lattice_rotation", error))
        return FALSE;
    const TmLattice *lat = lattice;
    const int32_t n = lat->roff[r + 1] - lat->roff[r];
    *len = n;
    if (supply == NULL && demand == NULL)
        return TRUE;
    if (capacity < n) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "tm_lattice_rotation: buffers of %d entries are too small (%d needed)",
                    capacity, n);
        return FALSE;
    }
    for (int32_t i = 0; i < n; i++) {
        int32_t x = lat->roff[r] + i;
        if (supply)
            supply[i] = lat->corig[0][lat->rm[x]];
        if (demand)
            demand[i] = lat->market->side[0].ids[lat->re_old[x]];
    }
    return TRUE;
}

gboolean tm_lattice_rotation_predecessors(const TmLattice *lattice, int32_t r, int32_t *out,
                                          int32_t capacity, int32_t *n, GError **error)
{
    if (!rotation_args(lattice, r, n, "tm_lattice_rotation_predecessors", error))
        return FALSE;
    const int32_t k = lattice->poff[r + 1] - lattice->poff[r];
    *n = k;
    if (out == NULL)
        return TRUE;
    if (capacity < k) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "tm_lattice_rotation_predecessors: a buffer of %d entries is too small "
                    "(%d needed)",
                    capacity, k);
        return FALSE;
    }
    memcpy(out, lattice->pred + lattice->poff[r], (size_t)k * sizeof(int32_t));
    return TRUE;
}

/* ---- the search ------------------------------------------------------- */

/* TRUE when every predecessor of @r is taken. */
static inline gboolean takeable(const TmLattice *lat, const guint8 *in, int32_t r)
{
    for (int32_t i = lat->poff[r]; i < lat->poff[r + 1]; i++)
        if (!in[lat->pred[i]])
            return FALSE;
    return TRUE;
}

/* The rotation at which @in moves to the next leaf (-1 after the last one).
 * Rotations are left first and taken second, so the first leaf is the empty
 * set (the supply-optimal matching); the next leaf takes the deepest left
 * rotation that can be taken and leaves everything after it. */
static int32_t next_taken(const TmLattice *lat, const guint8 *in)
{
    int32_t r = lat->R - 1;
    while (r >= 0 && (in[r] || !takeable(lat, in, r)))
        r--;
    return r;
}

/* Moves @in to the next leaf; FALSE when it was the last one. */
static gboolean advance(const TmLattice *lat, guint8 *in)
{
    int32_t r = next_taken(lat, in);
    if (r < 0)
        return FALSE;
    in[r] = 1;
    memset(in + r + 1, 0, (size_t)(lat->R - r - 1));
    return TRUE;
}

/* Applies (@undo FALSE) or undoes rotation @r on the iterator's matching
 * (pe, pk, pd). */
static inline void move(const TmLattice *lat, int32_t r, gboolean undo, int32_t *pe,
                        int32_t *pk, int32_t *pd)
{
    const int32_t *re = undo ? lat->re_old : lat->re_new, *rk = undo ? lat->rk_old : lat->rk_new;
    const int32_t *ids = lat->market->side[0].ids;
    for (int32_t i = lat->roff[r]; i < lat->roff[r + 1]; i++) {
        pe[lat->rm[i]] = re[i];
        pk[lat->rm[i]] = rk[i];
        pd[lat->rm[i]] = ids[re[i]];
    }
}

struct TmStableIter {
    TmLattice *lat;
    guint8 *in;       /* R: the current closed set */
    int32_t *pe, *pk; /* its matching */
    int32_t *pd;      /* the demand agent of each supply copy's partner (-1) */
    int64_t limit, count;
    gboolean started, done;
};

TmStableIter *tm_lattice_enumerate(TmLattice *lattice, int64_t limit, GError **error)
{
    if (lattice == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "tm_lattice_enumerate: lattice must not be NULL");
        return NULL;
    }
    TmStableIter *it = g_try_new0(TmStableIter, 1);
    if (it == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_NO_MEMORY, "cannot allocate an iterator");
        return NULL;
    }
    it->in = tm_i_try_alloc(lattice->R, 1, FALSE, "stable matching iterator", error);
    it->pd = it->in ? tm_i_try_alloc(lattice->nc[0], sizeof(int32_t), FALSE,
                                     "stable matching iterator", error)
                    : NULL;
    if (it->pd == NULL || !tm_i_lat_top(lattice, &it->pe, &it->pk, error)) {
        g_free(it->in);
        g_free(it->pd);
        g_free(it);
        return NULL;
    }
    for (int32_t m = 0; m < lattice->nc[0]; m++)
        it->pd[m] = it->pe[m] >= 0 ? lattice->market->side[0].ids[it->pe[m]] : -1;
    it->lat = tm_lattice_ref(lattice);
    it->limit = limit;
    return it;
}

gboolean tm_stable_iter_next(TmStableIter *iter, int32_t *supply, int32_t *demand,
                             int64_t capacity, GError **error)
{
    if (iter == NULL || (iter->lat->n_pairs > 0 && (supply == NULL || demand == NULL)) ||
        capacity < iter->lat->n_pairs) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    iter ? "tm_stable_iter_next: buffers of %" G_GINT64_FORMAT
                           " entries (or NULL) where %" G_GINT64_FORMAT " are needed"
                         : "tm_stable_iter_next: iterator must not be NULL",
                    capacity, iter ? iter->lat->n_pairs : 0);
        return FALSE;
    }
    const TmLattice *lat = iter->lat;
    if (iter->done || (iter->limit > 0 && iter->count >= iter->limit))
        return FALSE;
    if (!iter->started) { /* the supply-optimal matching, as the iterator starts */
        iter->started = TRUE;
        memset(iter->in, 0, (size_t)lat->R);
    } else {
        /* from the matching of the last set: undo the rotations after r,
         * last first (the last of a closed set precedes none of it), then
         * take r (its predecessors are all before it) */
        int32_t r = next_taken(lat, iter->in);
        if (r < 0) {
            iter->done = TRUE;
            return FALSE;
        }
        for (int32_t q = lat->R - 1; q > r; q--)
            if (iter->in[q]) {
                move(lat, q, TRUE, iter->pe, iter->pk, iter->pd);
                iter->in[q] = 0;
            }
        iter->in[r] = 1;
        move(lat, r, FALSE, iter->pe, iter->pk, iter->pd);
    }
    tm_i_lat_write_pairs(lat, iter->pe, iter->pd, supply, demand);
    iter->count++;
    return TRUE;
}

int64_t tm_stable_iter_count(const TmStableIter *iter)
{
    return iter ? iter->count : 0;
}

void tm_stable_iter_free(TmStableIter *iter)
{
    if (iter == NULL)
        return;
    g_free(iter->in);
    g_free(iter->pe);
    g_free(iter->pk);
    g_free(iter->pd);
    tm_lattice_free(iter->lat);
    g_free(iter);
}

int64_t tm_lattice_count(const TmLattice *lattice, int64_t limit, gboolean *complete)
{
    if (lattice == NULL)
        return -1;
    guint8 *in = g_try_malloc0((gsize)lattice->R + 1);
    if (in == NULL)
        return -1;
    int64_t n = 1;
    while ((limit <= 0 || n < limit) && advance(lattice, in))
        n++;
    if (complete != NULL)
        *complete = limit <= 0 || n < limit || !advance(lattice, in);
    g_free(in);
    return n;
}
