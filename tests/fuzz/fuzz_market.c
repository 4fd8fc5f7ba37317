/* Fuzz harness: the array-based market constructors and the builder.
 *
 * The input is decoded into sizes, capacities, CSR offsets, ids and ranks
 * (mostly valid, sometimes not: ids out of range, repeats, negative or
 * decreasing ranks, bad offsets, a length that differs from the offsets),
 * handed to tm_market_new_from_arrays(), tm_market_new_from_ranked_arrays()
 * or the builder.  Properties:
 *   - the call succeeds exactly when the arrays are valid (an independent
 *     validator); a failure is a TM_ERROR with a UTF-8 message; a failed
 *     builder call changes nothing (the build then has that agent's old
 *     state);
 *   - the built market is the harness's own reduction of the lists: sizes,
 *     capacities, acceptable pairs, dropped entries, reduced lists, dense
 *     ranks, positions, ties, and the bulk accessors;
 *   - tm_solve from both sides is stable (library audit and brute force),
 *     or UNSUPPORTED with ties;
 *   - a hand-built matching decoded from the rest of the input is accepted
 *     exactly when its pairs are in range and distinct, and its audit equals
 *     the brute-force audit of fuzz_common.h. */
#include "fuzz_common.h"

enum { CTOR_ARRAYS = 0, CTOR_RANKED = 1, CTOR_BUILDER = 2 };

typedef struct {
    int32_t n[2];
    int32_t *cap[2];     /* NULL: all 1 (arrays only) */
    int32_t *off[2];     /* n + 1 */
    int32_t *ids[2];     /* off[n] entries (at least 1 allocated) */
    int32_t *ranks[2];   /* NULL: strict */
    int64_t len[2];      /* what is passed as the length (ranked arrays) */
    int64_t total[2];    /* entries allocated */
} Raw;

static int32_t decode_cap(uint8_t v)
{
    if (v < 200)
        return v % 3;
    if (v < 245)
        return v % 9;
    switch (v) {
    case 245: return -1;
    case 246: return INT32_MIN;
    case 247: return INT32_MAX;
    case 248: return 1000000;
    default: return 1;
    }
}

static int32_t decode_id(uint8_t v, int32_t n_other)
{
    if (v < 240)
        return n_other > 0 ? (int32_t)(v % (uint32_t)n_other) : 0;
    switch (v) {
    case 240: return -1;
    case 241: return n_other;
    case 242: return INT32_MIN;
    case 243: return INT32_MAX;
    default: return n_other > 0 ? n_other - 1 : 0;
    }
}

static void raw_decode(Raw *r, FzIn *in, gboolean big, gboolean ranked, gboolean corrupt)
{
    for (int side = 0; side < 2; side++)
        r->n[side] = (int32_t)(fz_u8(in) % (big ? 25u : 7u));
    for (int side = 0; side < 2; side++) {
        int32_t n = r->n[side], no = r->n[1 - side];
        r->cap[side] = NULL;
        if (fz_u8(in) % 4 != 0) {
            r->cap[side] = g_new(int32_t, (gsize)n + 1);
            for (int32_t a = 0; a < n; a++)
                r->cap[side][a] = decode_cap(fz_u8(in));
        }
        r->off[side] = g_new0(int32_t, (gsize)n + 1);
        GArray *ids = g_array_new(FALSE, FALSE, sizeof(int32_t));
        GArray *rk = g_array_new(FALSE, FALSE, sizeof(int32_t));
        for (int32_t a = 0; a < n; a++) {
            int32_t l = (int32_t)(fz_u8(in) % (uint32_t)(no + 2));
            int32_t level = (int32_t)(fz_u8(in) % 3);
            for (int32_t k = 0; k < l; k++) {
                int32_t id = decode_id(fz_u8(in), no);
                g_array_append_val(ids, id);
                uint8_t step = fz_u8(in);
                if (step < 100)
                    ; /* tie with the previous */
                else if (step < 250)
                    level = level > INT32_MAX - 3 ? level : level + 1 + step % 3;
                else if (step == 250)
                    level -= 1; /* decreasing: invalid when ranked */
                else if (step == 251)
                    level = -1; /* negative: invalid */
                else
                    level = INT32_MAX;
                g_array_append_val(rk, level);
            }
            r->off[side][a + 1] = (int32_t)ids->len;
        }
        r->total[side] = ids->len;
        r->len[side] = ids->len;
        r->ids[side] = g_new0(int32_t, ids->len + 1);
        if (ids->len > 0)
            memcpy(r->ids[side], ids->data, ids->len * sizeof(int32_t));
        r->ranks[side] = NULL;
        if (ranked && fz_u8(in) % 4 != 0) {
            r->ranks[side] = g_new0(int32_t, rk->len + 1);
            if (rk->len > 0)
                memcpy(r->ranks[side], rk->data, rk->len * sizeof(int32_t));
        }
        g_array_free(ids, TRUE);
        g_array_free(rk, TRUE);
    }
    if (corrupt) {
        /* one deliberate defect in the shape */
        int side = fz_u8(in) & 1;
        int32_t n = r->n[side];
        switch (fz_u8(in) % 5) {
        case 0: r->off[side][0] = 1; break;
        case 1:
            if (n > 0)
                r->off[side][n] = (int32_t)r->total[side] + 1 + fz_u8(in);
            break;
        case 2:
            if (n > 1 && r->off[side][1] > 0) {
                r->off[side][1] = r->off[side][2] + 1;
                if (r->off[side][1] > r->total[side])
                    r->off[side][1] = (int32_t)r->total[side];
            }
            break;
        case 3: r->len[side] = r->total[side] + 1; break;
        default: r->len[side] = -1; break; /* not checked: valid */
        }
    }
}

static void raw_free(Raw *r)
{
    for (int side = 0; side < 2; side++) {
        g_free(r->cap[side]);
        g_free(r->off[side]);
        g_free(r->ids[side]);
        g_free(r->ranks[side]);
    }
}

/* Is agent a's list valid (ids in range, distinct, ranks >= 0 and
 * non-decreasing)? */
static gboolean list_ok(const Raw *r, int side, int32_t a, gboolean use_ranks)
{
    int32_t no = r->n[1 - side];
    for (int32_t k = r->off[side][a]; k < r->off[side][a + 1]; k++) {
        int32_t id = r->ids[side][k];
        if (id < 0 || id >= no)
            return FALSE;
        for (int32_t j = r->off[side][a]; j < k; j++)
            if (r->ids[side][j] == id)
                return FALSE;
        if (use_ranks && r->ranks[side] != NULL) {
            int32_t v = r->ranks[side][k];
            if (v < 0 || (k > r->off[side][a] && v < r->ranks[side][k - 1]))
                return FALSE;
        }
    }
    return TRUE;
}

static gboolean shape_ok(const Raw *r, int ctor)
{
    for (int side = 0; side < 2; side++) {
        int32_t n = r->n[side];
        if (r->off[side][0] != 0)
            return FALSE;
        for (int32_t a = 0; a < n; a++)
            if (r->off[side][a + 1] < r->off[side][a])
                return FALSE;
        if (r->off[side][n] > r->total[side])
            return FALSE; /* never built: it would read past the arrays */
        if (ctor == CTOR_RANKED && r->len[side] >= 0 && r->len[side] != r->off[side][n])
            return FALSE;
    }
    return TRUE;
}

/* The effective lists after construction: for the builder, a list whose
 * set call failed stays empty and a refused capacity stays 1. */
typedef struct {
    int32_t n[2];
    int32_t *cap[2];
    GArray *list[2][64];  /* ids */
    GArray *lrank[2][64]; /* ranks as given (or positions) */
} Lists;

static void lists_from_raw(Lists *L, const Raw *r, int ctor)
{
    for (int side = 0; side < 2; side++) {
        L->n[side] = r->n[side];
        L->cap[side] = g_new(int32_t, (gsize)r->n[side] + 1);
        for (int32_t a = 0; a < r->n[side]; a++) {
            int32_t c = r->cap[side] ? r->cap[side][a] : 1;
            L->cap[side][a] = (ctor == CTOR_BUILDER && c < 0) ? 1 : c;
            L->list[side][a] = g_array_new(FALSE, FALSE, sizeof(int32_t));
            L->lrank[side][a] = g_array_new(FALSE, FALSE, sizeof(int32_t));
            if (ctor == CTOR_BUILDER && !list_ok(r, side, a, TRUE))
                continue;
            for (int32_t k = r->off[side][a]; k < r->off[side][a + 1]; k++) {
                int32_t v = r->ranks[side] ? r->ranks[side][k] : k - r->off[side][a];
                g_array_append_val(L->list[side][a], r->ids[side][k]);
                g_array_append_val(L->lrank[side][a], v);
            }
        }
    }
}

static void lists_clear(Lists *L)
{
    for (int side = 0; side < 2; side++) {
        for (int32_t a = 0; a < L->n[side]; a++) {
            g_array_free(L->list[side][a], TRUE);
            g_array_free(L->lrank[side][a], TRUE);
        }
        g_free(L->cap[side]);
    }
}

static gboolean lists_has(const Lists *L, int side, int32_t a, int32_t b)
{
    const GArray *l = L->list[side][a];
    for (guint k = 0; k < l->len; k++)
        if (g_array_index(l, int32_t, k) == b)
            return TRUE;
    return FALSE;
}

/* Compares the built market with the harness's reduction of @L and fills
 * the audit model. */
static void check_market(const Lists *L, const TmMarket *m, FzModel *model)
{
    GError *err = NULL;
    fz_model_init(model, L->n[0], L->n[1]);
    int64_t pairs = 0;
    gboolean ties = FALSE;
    for (int side = 0; side < 2; side++) {
        int64_t dropped = 0;
        FZ_CHECK(tm_market_size(m, (TmSide)side) == L->n[side], "size of side %d", side);
        for (int32_t a = 0; a < L->n[side]; a++) {
            model->cap[side][a] = L->cap[side][a];
            FZ_CHECK(tm_market_capacity(m, (TmSide)side, a) == L->cap[side][a],
                     "capacity of side %d agent %d: %d, want %d", side, a,
                     tm_market_capacity(m, (TmSide)side, a), L->cap[side][a]);
            /* the reduced list, with dense ranks */
            const GArray *l = L->list[side][a], *lr = L->lrank[side][a];
            int32_t len = -1;
            const int32_t *got = tm_market_prefs(m, (TmSide)side, a, &len);
            int32_t pos = 0, dense = -1, last_given = INT32_MIN;
            for (guint k = 0; k < l->len; k++) {
                int32_t b = g_array_index(l, int32_t, k);
                if (!lists_has(L, 1 - side, b, a)) {
                    dropped++;
                    continue;
                }
                int32_t given = g_array_index(lr, int32_t, k);
                if (pos == 0 || given != last_given)
                    dense++;
                else
                    ties = TRUE;
                last_given = given;
                FZ_CHECK(pos < len && got[pos] == b,
                         "side %d agent %d: reduced list entry %d should be %d", side, a, pos, b);
                FZ_CHECK(tm_market_position(m, (TmSide)side, a, b) == pos,
                         "side %d agent %d: position of %d", side, a, b);
                FZ_CHECK(tm_market_rank(m, (TmSide)side, a, b) == dense,
                         "side %d agent %d: rank of %d is %d, want %d", side, a, b,
                         tm_market_rank(m, (TmSide)side, a, b), dense);
                model->rank[side][(size_t)a * (size_t)L->n[1 - side] + (size_t)b] = dense;
                pos++;
            }
            FZ_CHECK(len == pos, "side %d agent %d: reduced list has %d entries, want %d", side, a,
                     len, pos);
            if (side == 0)
                pairs += pos;
            for (int32_t b = 0; b < L->n[1 - side]; b++)
                if (model->rank[side][(size_t)a * (size_t)L->n[1 - side] + (size_t)b] < 0)
                    FZ_CHECK(tm_market_rank(m, (TmSide)side, a, b) == -1,
                             "side %d agent %d: %d is not acceptable", side, a, b);
        }
        FZ_CHECK(tm_market_n_dropped(m, (TmSide)side) == dropped, "dropped on side %d: %lld, want %lld",
                 side, (long long)tm_market_n_dropped(m, (TmSide)side), (long long)dropped);
    }
    FZ_CHECK(tm_market_n_pairs(m) == pairs, "acceptable pairs %lld, want %lld",
             (long long)tm_market_n_pairs(m), (long long)pairs);
    FZ_CHECK(tm_market_has_ties(m) == ties, "has_ties %d, want %d", tm_market_has_ties(m), ties);

    /* bulk accessors equal the per-agent ones */
    for (int side = 0; side < 2; side++) {
        int32_t n = L->n[side];
        int32_t *off = g_new(int32_t, (gsize)n + 1);
        int32_t *ids = g_new(int32_t, (gsize)pairs + 1), *rk = g_new(int32_t, (gsize)pairs + 1);
        int32_t *rev = g_new(int32_t, (gsize)pairs + 1), *caps = g_new(int32_t, (gsize)n + 1);
        FZ_CHECK(tm_market_get_lists(m, (TmSide)side, off, n + 1, ids, rk, rev, pairs, &err),
                 "get_lists: %s", err ? err->message : "?");
        FZ_CHECK(tm_market_get_capacities(m, (TmSide)side, caps, n, &err), "get_capacities");
        FZ_CHECK(off[0] == 0 && off[n] == pairs, "get_lists offsets");
        for (int32_t a = 0; a < n; a++) {
            FZ_CHECK(caps[a] == L->cap[side][a], "get_capacities[%d]", a);
            for (int32_t k = off[a]; k < off[a + 1]; k++) {
                int32_t b = ids[k];
                FZ_CHECK(b >= 0 && b < L->n[1 - side], "get_lists id out of range");
                FZ_CHECK(k - off[a] == tm_market_position(m, (TmSide)side, a, b) &&
                             rk[k] == fz_rank(model, side, a, b) &&
                             rev[k] == fz_rank(model, 1 - side, b, a),
                         "get_lists entry %d of side %d agent %d", k, side, a);
            }
        }
        if (pairs > 0) /* one entry too few is refused, nothing written */
            FZ_CHECK(!tm_market_get_lists(m, (TmSide)side, off, n + 1, ids, NULL, NULL, pairs - 1,
                                          &err),
                     "get_lists accepted a short buffer");
        g_clear_error(&err);
        g_free(off);
        g_free(ids);
        g_free(rk);
        g_free(rev);
        g_free(caps);
    }
}

static TmMarket *build(const Raw *r, int ctor, gboolean *expect_ok)
{
    GError *err = NULL;
    TmMarket *m = NULL;
    if (ctor == CTOR_BUILDER) {
        TmMarketBuilder *b = tm_market_builder_new(r->n[0], r->n[1], &err);
        FZ_CHECK(b != NULL, "builder_new: %s", err ? err->message : "?");
        for (int side = 0; side < 2; side++)
            for (int32_t a = 0; a < r->n[side]; a++) {
                if (r->cap[side]) {
                    gboolean ok = tm_market_builder_set_capacity(b, (TmSide)side, a,
                                                                 r->cap[side][a], &err);
                    FZ_CHECK(ok == (r->cap[side][a] >= 0), "set_capacity(%d) returned %d",
                             r->cap[side][a], ok);
                    if (!ok) {
                        fz_check_error(err, "set_capacity");
                        FZ_CHECK(err->code == TM_ERROR_NEGATIVE_CAPACITY, "set_capacity code %d",
                                 err->code);
                        g_clear_error(&err);
                    }
                }
                int32_t o = r->off[side][a];
                gboolean ok = tm_market_builder_set_ranked_prefs(
                    b, (TmSide)side, a, r->ids[side] + o, r->ranks[side] ? r->ranks[side] + o : NULL,
                    r->off[side][a + 1] - o, &err);
                FZ_CHECK(ok == list_ok(r, side, a, TRUE), "set_ranked_prefs side %d agent %d: %d",
                         side, a, ok);
                if (!ok) {
                    fz_check_error(err, "set_ranked_prefs");
                    g_clear_error(&err);
                }
            }
        *expect_ok = TRUE;
        m = tm_market_builder_build(b, &err);
        /* building twice gives the same market: the builder is left as it was */
        TmMarket *again = tm_market_builder_build(b, NULL);
        FZ_CHECK((again != NULL) == (m != NULL), "a second build differs");
        if (m && again)
            for (int side = 0; side < 2; side++)
                for (int32_t a = 0; a < r->n[side]; a++) {
                    int32_t l1, l2;
                    const int32_t *p1 = tm_market_prefs(m, (TmSide)side, a, &l1);
                    const int32_t *p2 = tm_market_prefs(again, (TmSide)side, a, &l2);
                    FZ_CHECK(l1 == l2 && (l1 == 0 || memcmp(p1, p2, (size_t)l1 * 4) == 0),
                             "a second build differs");
                }
        tm_market_free(again);
        tm_market_builder_free(b);
    } else {
        gboolean ok = shape_ok(r, ctor);
        for (int side = 0; ok && side < 2; side++) {
            for (int32_t a = 0; ok && a < r->n[side]; a++) {
                if (r->cap[side] && r->cap[side][a] < 0)
                    ok = FALSE;
                if (!list_ok(r, side, a, ctor == CTOR_RANKED))
                    ok = FALSE;
            }
        }
        *expect_ok = ok;
        /* offsets that run past the arrays are not handed over (the call may
         * read them by contract) unless a length given beside them says so */
        for (int side = 0; side < 2; side++)
            if (r->off[side][r->n[side]] > r->total[side] &&
                !(ctor == CTOR_RANKED && r->len[side] >= 0))
                return NULL;
        if (ctor == CTOR_ARRAYS)
            m = tm_market_new_from_arrays(r->n[0], r->n[1], r->cap[0], r->cap[1], r->off[0],
                                          r->ids[0], r->off[1], r->ids[1], &err);
        else
            m = tm_market_new_from_ranked_arrays(r->n[0], r->n[1], r->cap[0], r->cap[1], r->off[0],
                                                 r->ids[0], r->ranks[0], r->len[0], r->off[1],
                                                 r->ids[1], r->ranks[1], r->len[1], &err);
    }
    FZ_CHECK((m != NULL) == *expect_ok, "constructor %d returned %s, the arrays are %s: %s", ctor,
             m ? "a market" : "NULL", *expect_ok ? "valid" : "invalid",
             err ? err->message : "(no error)");
    if (m == NULL) {
        fz_check_error(err, "market constructor");
        g_clear_error(&err);
    }
    return m;
}

/* A hand-built matching from the rest of the input, audited. */
static void check_hand_matching(FzIn *in, TmMarket *m, const FzModel *model)
{
    int32_t ns = model->n[0], nd = model->n[1];
    int32_t np = (int32_t)(fz_u8(in) % 16);
    int32_t ps[16], pd[16];
    gboolean range_bad = FALSE, dup = FALSE;
    for (int32_t i = 0; i < np; i++) {
        uint8_t a = fz_u8(in), b = fz_u8(in);
        ps[i] = a == 255 ? ns : (ns > 0 ? (int32_t)(a % (uint32_t)ns) : 0);
        pd[i] = b == 255 ? -1 : (nd > 0 ? (int32_t)(b % (uint32_t)nd) : 0);
        if (ps[i] < 0 || ps[i] >= ns || pd[i] < 0 || pd[i] >= nd)
            range_bad = TRUE;
        for (int32_t j = 0; j < i; j++)
            if (ps[j] == ps[i] && pd[j] == pd[i])
                dup = TRUE;
    }
    GError *err = NULL;
    TmMatching *mt = tm_matching_new_from_pairs(m, ps, pd, np, &err);
    if (!range_bad && dup && mt != NULL && fz_known("dup-pairs")) {
        tm_matching_free(mt); /* known: a pair listed twice, not adjacent, is accepted */
        return;
    }
    if (range_bad || dup) {
        FZ_CHECK(mt == NULL, "tm_matching_new_from_pairs accepted %s",
                 range_bad ? "an id out of range" : "a pair listed twice");
        fz_check_error(err, "tm_matching_new_from_pairs");
        FZ_CHECK((range_bad && err->code == TM_ERROR_OUT_OF_RANGE) ||
                     (dup && err->code == TM_ERROR_DUPLICATE),
                 "tm_matching_new_from_pairs: code %d", err->code);
        g_clear_error(&err);
        return;
    }
    FZ_CHECK(mt != NULL, "tm_matching_new_from_pairs: %s", err ? err->message : "?");
    FZ_CHECK(tm_matching_n_pairs(mt) == np, "pairs %lld, want %d",
             (long long)tm_matching_n_pairs(mt), np);
    fz_check_audit(model, mt);
    tm_matching_free(mt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FzIn in = {data, size, 0};
    uint8_t mode = fz_u8(&in);
    int ctor = mode % 3;
    gboolean big = (mode & 0x80) != 0;
    gboolean corrupt = (mode & 0x40) != 0;
    Raw r;
    raw_decode(&r, &in, big, ctor != CTOR_ARRAYS, corrupt && ctor != CTOR_BUILDER);
    gboolean expect_ok = FALSE;
    TmMarket *m = build(&r, ctor, &expect_ok);
    if (m != NULL) {
        Lists L;
        FzModel model;
        lists_from_raw(&L, &r, ctor);
        check_market(&L, m, &model);
        fz_check_solve(&model, m);
        check_hand_matching(&in, m, &model);
        fz_model_clear(&model);
        lists_clear(&L);
        tm_market_free(m);
    }
    raw_free(&r);
    return 0;
}
