/* techmatch — optimal stable matchings from the rotation poset (lattice.h):
 * egalitarian and maximum weight (maximum-weight closed set by minimum cut),
 * minimum regret (Gusfield 1987) and the balanced heuristic.
 *
 * A closed set S of rotations gives the matching M0 with S eliminated; the
 * value of any objective that sums over pairs is its value at M0 plus the
 * gains of the rotations in S, so the best closed set is a maximum-weight
 * closure (Picard 1976): source -> rho with capacity gain(rho) > 0,
 * rho -> sink with capacity -gain(rho) for a loss, and an infinite arc from
 * each rotation to each predecessor; the source side of a minimum cut is
 * the closure.
 */
#include "core/lattice_private.h"
#include "core/mincut_private.h"

#include <math.h>
#include <string.h>

/* ---- matchings from (pe) ----------------------------------------------- */

void tm_i_lat_write_pairs(const TmLattice *lat, const int32_t *pe, const int32_t *pd,
                          int32_t *supply, int32_t *demand)
{
    const int32_t ns = lat->market->side[0].n, *coff = lat->coff[0];
    int64_t n = 0;
    for (int32_t s = 0; s < ns; s++) {
        int64_t start = n;
        for (int32_t c = coff[s]; c < coff[s + 1]; c++) {
            if (pe[c] < 0)
                continue;
            int64_t q = n++; /* insertion by entry = by s's preference (supply holds
                              * the entries until the end) */
            while (q > start && supply[q - 1] > pe[c]) {
                supply[q] = supply[q - 1];
                demand[q] = demand[q - 1];
                q--;
            }
            supply[q] = pe[c];
            demand[q] = pd[c];
        }
        for (int64_t i = start; i < n; i++)
            supply[i] = s;
    }
}

TmMatching *tm_i_lat_matching(const TmLattice *lat, const int32_t *pe, GError **error)
{
    const TmSideData *S = &lat->market->side[0];
    int64_t n = lat->n_pairs;
    int32_t *buf = tm_i_try_alloc(4 * n, sizeof(int32_t), FALSE, "stable matching", error);
    if (buf == NULL)
        return NULL;
    int32_t *sup = buf, *dem = buf + n, *sr = buf + 2 * n, *dr = buf + 3 * n;
    int64_t i = 0;
    for (int32_t s = 0; s < S->n; s++)
        for (int32_t c = lat->coff[0][s]; c < lat->coff[0][s + 1]; c++)
            if (pe[c] >= 0) {
                sup[i] = s;
                dem[i] = S->ids[pe[c]];
                sr[i] = pe[c] - S->off[s];
                dr[i] = S->rpos[pe[c]];
                i++;
            }
    TmMatching *mt = tm_i_matching_build(lat->market, sup, dem, sr, dr, n, 0, error);
    g_free(buf);
    return mt;
}

gboolean tm_i_lat_top(const TmLattice *lat, int32_t **pe, int32_t **pk, GError **error)
{
    const int32_t nm = lat->nc[0];
    *pe = tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "stable matching", error);
    *pk = *pe ? tm_i_try_alloc(nm, sizeof(int32_t), FALSE, "stable matching", error) : NULL;
    if (*pk == NULL) {
        g_free(*pe);
        *pe = NULL;
        return FALSE;
    }
    memcpy(*pe, lat->top_e, (size_t)nm * sizeof(int32_t));
    memcpy(*pk, lat->top_k, (size_t)nm * sizeof(int32_t));
    return TRUE;
}

static gboolean lattice_ok(const TmLattice *lat, const char *fn, GError **error)
{
    if (lat == NULL)
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "%s: lattice must not be NULL",
                    fn);
    return lat != NULL;
}

/* The matching with the rotations flagged in @in (or, with @in NULL, the
 * first @k of @seq) eliminated. */
static TmMatching *matching_of(const TmLattice *lat, const guint8 *in, const int32_t *seq,
                               int32_t k, GError **error)
{
    int32_t *pe, *pk;
    if (!tm_i_lat_top(lat, &pe, &pk, error))
        return NULL;
    if (in != NULL) {
        for (int32_t r = 0; r < lat->R; r++) /* ascending = topological */
            if (in[r])
                tm_i_lat_apply(lat, r, pe, pk);
    } else {
        for (int32_t i = 0; i < k; i++)
            tm_i_lat_apply(lat, seq[i], pe, pk);
    }
    TmMatching *mt = tm_i_lat_matching(lat, pe, error);
    g_free(pe);
    g_free(pk);
    return mt;
}

/* ---- maximum-weight closure ------------------------------------------- */

/* The maximum-weight closed set of rotations for @gain, the smallest one if
 * several (the source side of the minimum cut with the fewest nodes), into
 * @in.  Gains within eps of 0 count as 0.  Two exact reductions first, each
 * of which keeps that smallest closure: a rotation of gain > 0 whose
 * predecessors are all in it is in it (adding it to a closed set that holds
 * them gains), decided in topological order; a rotation of gain <= 0 none
 * of whose successors is in it is not (dropping it from a closed set loses
 * nothing), decided in reverse order.  The rest has no predecessor decided
 * out, so its best closure beside the rotations decided in is a closure
 * problem on the rest alone: the minimum cut runs on that (often much
 * smaller) network.  O(R + E) plus the flow. */
static gboolean max_closure(const TmLattice *lat, const double *gain, guint8 *in,
                            GError **error)
{
    const int32_t R = lat->R;
    double big = 1.0, scale = 1.0;
    for (int32_t r = 0; r < R; r++) {
        big += fabs(gain[r]);
        scale = MAX(scale, fabs(gain[r]));
    }
    const double eps = 1e-12 * scale;
    int8_t *st = tm_i_try_alloc(R, 1, TRUE, "max flow", error); /* 1 in, -1 out, 0 open */
    int32_t *id = st ? tm_i_try_alloc(R, sizeof(int32_t), FALSE, "max flow", error) : NULL;
    if (id == NULL) {
        g_free(st);
        return FALSE;
    }
    for (int32_t r = 0; r < R; r++) {
        gboolean all = gain[r] > eps;
        for (int32_t i = lat->poff[r]; all && i < lat->poff[r + 1]; i++)
            all = st[lat->pred[i]] == 1;
        if (all)
            st[r] = 1;
    }
    for (int32_t r = R - 1; r >= 0; r--) {
        gboolean all = st[r] == 0 && gain[r] <= eps;
        for (int32_t i = lat->soff[r]; all && i < lat->soff[r + 1]; i++)
            all = st[lat->succ[i]] == -1;
        if (all)
            st[r] = -1;
    }
    int32_t n = 0;
    int64_t arcs = 0;
    for (int32_t r = 0; r < R; r++) {
        id[r] = st[r] == 0 ? n++ : -1;
        if (st[r] == 0) {
            arcs += fabs(gain[r]) > eps;
            for (int32_t i = lat->poff[r]; i < lat->poff[r + 1]; i++)
                arcs += st[lat->pred[i]] == 0;
        }
    }
    const int32_t s = n, t = n + 1;
    TmFlow *f = tm_i_flow_new(n + 2, error);
    gboolean ok = f != NULL && tm_i_flow_reserve(f, arcs, error);
    for (int32_t r = 0; ok && r < R; r++) {
        if (st[r] != 0)
            continue;
        if (gain[r] > eps)
            ok = tm_i_flow_add(f, s, id[r], gain[r], error);
        else if (gain[r] < -eps)
            ok = tm_i_flow_add(f, id[r], t, -gain[r], error);
        for (int32_t i = lat->poff[r]; ok && i < lat->poff[r + 1]; i++)
            if (st[lat->pred[i]] == 0)
                ok = tm_i_flow_add(f, id[r], id[lat->pred[i]], big, error);
    }
    guint8 *side = ok ? tm_i_try_alloc((int64_t)n + 2, 1, FALSE, "max flow", error) : NULL;
    double cut;
    ok = side && tm_i_flow_max(f, s, t, eps, &cut, side, error);
    if (ok)
        for (int32_t r = 0; r < R; r++)
            in[r] = st[r] == 0 ? side[id[r]] : st[r] == 1;
    g_free(side);
    g_free(st);
    g_free(id);
    tm_i_flow_free(f);
    return ok;
}

/* The value of the pair at supply entry @e of agent @s: @val[e], or with
 * @val NULL minus its two ranks (the egalitarian cost, negated). */
static inline double pair_value(const TmLattice *lat, const double *val, int32_t s, int32_t e)
{
    const TmSideData *S = &lat->market->side[0];
    return val ? val[e] : -(double)(e - S->off[s]) - (double)S->rpos[e];
}

/* Best closure for per-entry values (pair_value()). */
static TmMatching *best_closure(TmLattice *lat, const double *val, GError **error)
{
    const int32_t R = lat->R;
    double *gain = tm_i_try_alloc(R, sizeof(double), FALSE, "rotation gains", error);
    guint8 *in = gain ? tm_i_try_alloc(R, 1, FALSE, "rotation gains", error) : NULL;
    TmMatching *mt = NULL;
    if (in != NULL) {
        for (int32_t r = 0; r < R; r++) {
            double g = 0.0;
            for (int32_t i = lat->roff[r]; i < lat->roff[r + 1]; i++) {
                int32_t s = lat->corig[0][lat->rm[i]];
                g += pair_value(lat, val, s, lat->re_new[i]) - pair_value(lat, val, s, lat->re_old[i]);
            }
            gain[r] = g;
        }
        if (max_closure(lat, gain, in, error))
            mt = matching_of(lat, in, NULL, 0, error);
    }
    g_free(gain);
    g_free(in);
    return mt;
}

TmMatching *tm_lattice_egalitarian(TmLattice *lattice, int64_t *value, GError **error)
{
    if (!lattice_ok(lattice, "tm_lattice_egalitarian", error))
        return NULL;
    TmMatching *mt = best_closure(lattice, NULL, error);
    if (mt != NULL && value != NULL) {
        int64_t total = 0;
        for (int32_t s = 0; s < mt->market->side[0].n; s++)
            for (int32_t i = mt->side[0].off[s]; i < mt->side[0].off[s + 1]; i++)
                total += mt->side[0].prank[i];
        for (int32_t d = 0; d < mt->market->side[1].n; d++)
            for (int32_t i = mt->side[1].off[d]; i < mt->side[1].off[d + 1]; i++)
                total += mt->side[1].prank[i];
        *value = total;
    }
    return mt;
}

TmMatching *tm_lattice_max_weight(TmLattice *lattice, const double *weights, int64_t n_weights,
                                  double *value, GError **error)
{
    if (!lattice_ok(lattice, "tm_lattice_max_weight", error))
        return NULL;
    const int64_t L = lattice->market->n_pairs;
    if ((weights == NULL && L > 0) || n_weights != L) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "tm_lattice_max_weight: %" G_GINT64_FORMAT " weights given, the market has "
                    "%" G_GINT64_FORMAT " acceptable pairs (one weight per supply list entry)",
                    weights ? n_weights : 0, L);
        return NULL;
    }
    for (int64_t e = 0; e < L; e++)
        if (!isfinite(weights[e])) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "tm_lattice_max_weight: weights[%" G_GINT64_FORMAT "] is not finite",
                        e);
            return NULL;
        }
    TmMatching *mt = best_closure(lattice, weights, error);
    if (mt != NULL && value != NULL) {
        const TmSideData *S = &lattice->market->side[0];
        double total = 0.0;
        for (int32_t s = 0; s < S->n; s++)
            for (int32_t i = mt->side[0].off[s]; i < mt->side[0].off[s + 1]; i++)
                total += weights[S->off[s] + mt->side[0].prank[i]];
        *value = total;
    }
    return mt;
}
