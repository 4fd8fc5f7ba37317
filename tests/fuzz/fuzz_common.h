/* Shared helpers of the libFuzzer harnesses (tests/fuzz): property checks
 * that abort, the checks every failed load must pass, a byte reader that
 * decodes the fuzzer's input into numbers, and a brute-force audit written
 * from the definition in include/techmatch/matching.h (no library code).
 *
 * Every harness is a plain LLVMFuzzerTestOneInput(); in a fuzzing build
 * (TM_BUILD_FUZZ) libFuzzer provides main(), in a normal build
 * fuzz_replay.c does (it runs the harness over files: the corpus tests). */
#ifndef TM_FUZZ_COMMON_H
#define TM_FUZZ_COMMON_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <techmatch/techmatch.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A violated property: print where and why, then abort (a libFuzzer crash). */
#define FZ_CHECK(cond, ...)                                                              \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "\nfuzz property violated at %s:%d: %s\n  ", __FILE__,       \
                    __LINE__, #cond);                                                    \
            fprintf(stderr, __VA_ARGS__);                                                \
            fputc('\n', stderr);                                                         \
            abort();                                                                     \
        }                                                                                \
    } while (0)

/* Known findings not fixed yet (tests/fuzz/findings/README.md): a harness
 * skips the property of finding @id when the environment variable
 * TM_FUZZ_KNOWN (set by scripts/fuzz.sh from tests/fuzz/findings/KNOWN)
 * names it, so that a long run goes on to find new problems.  The replay
 * tests of ctest do not set it. */
static inline gboolean fz_known(const char *id)
{
    const char *known = getenv("TM_FUZZ_KNOWN");
    if (known == NULL)
        return FALSE;
    size_t n = strlen(id);
    for (const char *p = strstr(known, id); p != NULL; p = strstr(p + 1, id))
        if ((p == known || p[-1] == ' ' || p[-1] == ',') && (p[n] == '\0' || p[n] == ' ' || p[n] == ','))
            return TRUE;
    return FALSE;
}

/* A failed call: @err is a TM_ERROR with a known code and a non-empty,
 * valid UTF-8 message. */
static inline void fz_check_error(const GError *err, const char *what)
{
    FZ_CHECK(err != NULL, "%s failed without an error", what);
    FZ_CHECK(err->domain == TM_ERROR, "%s: error domain %s", what,
             g_quark_to_string(err->domain));
    FZ_CHECK(err->code >= 1 && err->code <= TM_ERROR_LAST, "%s: error code %d", what,
             err->code);
    FZ_CHECK(err->message != NULL && err->message[0] != '\0', "%s: empty message", what);
    if (strstr(what, "json") != NULL && fz_known("json-message-utf8"))
        return; /* known: the JSON reader quotes invalid bytes */
    FZ_CHECK(g_utf8_validate(err->message, -1, NULL), "%s: message not UTF-8: %s", what,
             err->message);
}

/* A string the library hands out as text: non-NULL, valid UTF-8. */
static inline void fz_check_text(const char *s, const char *what)
{
    FZ_CHECK(s != NULL, "%s is NULL", what);
    FZ_CHECK(g_utf8_validate(s, -1, NULL), "%s is not UTF-8", what);
}

/* ---- decoding bytes ----------------------------------------------------- */

typedef struct {
    const uint8_t *p;
    size_t n, i;
} FzIn;

static inline uint8_t fz_u8(FzIn *in)
{
    return in->i < in->n ? in->p[in->i++] : 0;
}

static inline uint32_t fz_u32(FzIn *in)
{
    uint32_t v = 0;
    for (int k = 0; k < 4; k++)
        v = (v << 8) | fz_u8(in);
    return v;
}

static inline gboolean fz_more(const FzIn *in)
{
    return in->i < in->n;
}

/* FNV-1a: a seed derived from the whole input (for inputs that are text). */
static inline uint64_t fz_hash(const uint8_t *data, size_t size)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 1099511628211ull;
    return h;
}

static inline uint64_t fz_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* ---- the brute-force audit ---------------------------------------------- */

/* A market as the audit sees it: sizes, capacities and, for every ordered
 * pair, the rank a gives b (0 = best, equal ranks tie) or -1 when (a, b) is
 * not acceptable (a pair is acceptable only when both list each other). */
typedef struct {
    int32_t n[2];
    int32_t *cap[2];
    int32_t *rank[2]; /* rank[side][a * n[other] + b] */
} FzModel;

static inline int32_t fz_rank(const FzModel *m, int side, int32_t a, int32_t b)
{
    return m->rank[side][(size_t)a * (size_t)m->n[1 - side] + (size_t)b];
}

static inline void fz_model_init(FzModel *m, int32_t ns, int32_t nd)
{
    m->n[0] = ns;
    m->n[1] = nd;
    for (int side = 0; side < 2; side++) {
        m->cap[side] = g_new0(int32_t, (gsize)m->n[side] + 1);
        m->rank[side] = g_new(int32_t, (gsize)ns * (gsize)nd + 1);
        for (size_t k = 0; k < (size_t)ns * (size_t)nd; k++)
            m->rank[side][k] = -1;
    }
}

static inline void fz_model_clear(FzModel *m)
{
    for (int side = 0; side < 2; side++) {
        g_free(m->cap[side]);
        g_free(m->rank[side]);
    }
}

/* The model of a built market, read through the public accessors (the
 * market harness checks those accessors against its own reduction). */
static inline void fz_model_from_market(FzModel *m, const TmMarket *market)
{
    int32_t ns = tm_market_size(market, TM_SIDE_SUPPLY);
    int32_t nd = tm_market_size(market, TM_SIDE_DEMAND);
    fz_model_init(m, ns, nd);
    for (int side = 0; side < 2; side++)
        for (int32_t a = 0; a < m->n[side]; a++) {
            m->cap[side][a] = tm_market_capacity(market, (TmSide)side, a);
            for (int32_t b = 0; b < m->n[1 - side]; b++)
                m->rank[side][(size_t)a * (size_t)m->n[1 - side] + (size_t)b] =
                    tm_market_rank(market, (TmSide)side, a, b);
        }
    for (int32_t s = 0; s < ns; s++)
        for (int32_t d = 0; d < nd; d++)
            FZ_CHECK((fz_rank(m, 0, s, d) >= 0) == (fz_rank(m, 1, d, s) >= 0),
                     "acceptability not symmetric for (%d, %d)", s, d);
}

/* Audits the matching given by @n_pairs distinct pairs on @m, from the
 * definition in matching.h, and checks that @verdict says exactly that:
 * the same blocking pairs (ordered by supply id, then the supply agent's
 * rank), the same over-capacity agents (with counts and capacities) before
 * the same unacceptable pairs, and is_stable iff none of them. */
static inline void fz_audit_compare(const FzModel *m, const int32_t *ps, const int32_t *pd,
                                    int64_t n_pairs, const TmVerdict *verdict)
{
    int32_t ns = m->n[0], nd = m->n[1];
    gboolean *held = g_new0(gboolean, (gsize)ns * (gsize)nd + 1);
    int32_t *count[2], *worst[2];
    for (int side = 0; side < 2; side++) {
        count[side] = g_new0(int32_t, (gsize)m->n[side] + 1);
        worst[side] = g_new(int32_t, (gsize)m->n[side] + 1);
        for (int32_t a = 0; a < m->n[side]; a++)
            worst[side][a] = -1; /* no partner yet */
    }
    for (int64_t i = 0; i < n_pairs; i++) {
        int32_t s = ps[i], d = pd[i];
        FZ_CHECK(!held[(size_t)s * (size_t)nd + (size_t)d], "pair (%d, %d) twice", s, d);
        held[(size_t)s * (size_t)nd + (size_t)d] = TRUE;
        int32_t ab[2] = {s, d};
        for (int side = 0; side < 2; side++) {
            int32_t a = ab[side], b = ab[1 - side];
            int32_t r = fz_rank(m, side, a, b);
            int32_t key = r < 0 ? INT32_MAX : r; /* unacceptable: worse than any */
            count[side][a]++;
            if (key > worst[side][a])
                worst[side][a] = key;
        }
    }
    /* would_take(side, a, b) */
#define FZ_TAKES(side, a, b)                                                             \
    (fz_rank(m, side, a, b) >= 0 &&                                                      \
     (count[side][a] < m->cap[side][a] || fz_rank(m, side, a, b) < worst[side][a]))

    int64_t want_blocking = 0;
    gboolean *blocking = g_new0(gboolean, (gsize)ns * (gsize)nd + 1);
    for (int32_t s = 0; s < ns; s++)
        for (int32_t d = 0; d < nd; d++)
            if (!held[(size_t)s * (size_t)nd + (size_t)d] && FZ_TAKES(0, s, d) &&
                FZ_TAKES(1, d, s)) {
                blocking[(size_t)s * (size_t)nd + (size_t)d] = TRUE;
                want_blocking++;
            }
#undef FZ_TAKES

    int64_t got_blocking = tm_verdict_n_blocking_pairs(verdict);
    FZ_CHECK(got_blocking == want_blocking, "blocking pairs: library %lld, definition %lld",
             (long long)got_blocking, (long long)want_blocking);
    int32_t prev_s = -1, prev_r = -1;
    for (int64_t i = 0; i < got_blocking; i++) {
        int32_t s = -1, d = -1;
        FZ_CHECK(tm_verdict_blocking_pair(verdict, i, &s, &d), "blocking pair %lld",
                 (long long)i);
        FZ_CHECK(s >= 0 && s < ns && d >= 0 && d < nd, "blocking pair (%d, %d) out of range",
                 s, d);
        FZ_CHECK(blocking[(size_t)s * (size_t)nd + (size_t)d],
                 "(%d, %d) reported blocking, but it is not (or reported twice)", s, d);
        blocking[(size_t)s * (size_t)nd + (size_t)d] = FALSE;
        int32_t r = fz_rank(m, 0, s, d);
        FZ_CHECK(s > prev_s || (s == prev_s && r >= prev_r),
                 "blocking pairs out of order at %lld", (long long)i);
        prev_s = s;
        prev_r = r;
    }

    int64_t want_over = 0, want_unacc = 0;
    for (int side = 0; side < 2; side++)
        for (int32_t a = 0; a < m->n[side]; a++)
            if (count[side][a] > m->cap[side][a])
                want_over++;
    for (int64_t i = 0; i < n_pairs; i++)
        if (fz_rank(m, 0, ps[i], pd[i]) < 0)
            want_unacc++;
    int64_t nv = tm_verdict_n_violations(verdict);
    FZ_CHECK(nv == want_over + want_unacc,
             "violations: library %lld, definition %lld over capacity + %lld unacceptable",
             (long long)nv, (long long)want_over, (long long)want_unacc);
    gboolean *seen = g_new0(gboolean, (gsize)ns * (gsize)nd + (gsize)ns + (gsize)nd + 1);
    for (int64_t i = 0; i < nv; i++) {
        const TmViolation *v = tm_verdict_violation(verdict, i);
        FZ_CHECK(v != NULL, "violation %lld missing", (long long)i);
        if (i < want_over) {
            FZ_CHECK(v->kind == TM_VIOLATION_OVER_CAPACITY, "violation %lld: kind %d", (long long)i,
                     (int)v->kind);
            FZ_CHECK((v->side == TM_SIDE_SUPPLY || v->side == TM_SIDE_DEMAND) && v->agent >= 0 &&
                         v->agent < m->n[v->side],
                     "over-capacity agent out of range");
            FZ_CHECK(v->count == count[v->side][v->agent] &&
                         v->capacity == m->cap[v->side][v->agent] && v->count > v->capacity,
                     "over capacity: side %d agent %d count %d cap %d (definition: %d of %d)",
                     (int)v->side, v->agent, v->count, v->capacity, count[v->side][v->agent],
                     m->cap[v->side][v->agent]);
            size_t key = (size_t)ns * (size_t)nd + (v->side == TM_SIDE_SUPPLY
                                                         ? (size_t)v->agent
                                                         : (size_t)ns + (size_t)v->agent);
            FZ_CHECK(!seen[key], "over-capacity agent listed twice");
            seen[key] = TRUE;
        } else {
            FZ_CHECK(v->kind == TM_VIOLATION_UNACCEPTABLE, "violation %lld: kind %d",
                     (long long)i, (int)v->kind);
            FZ_CHECK(v->supply >= 0 && v->supply < ns && v->demand >= 0 && v->demand < nd,
                     "unacceptable pair out of range");
            size_t key = (size_t)v->supply * (size_t)nd + (size_t)v->demand;
            FZ_CHECK(held[key] && fz_rank(m, 0, v->supply, v->demand) < 0 && !seen[key],
                     "(%d, %d) reported unacceptable: not a held unacceptable pair (or twice)",
                     v->supply, v->demand);
            seen[key] = TRUE;
        }
    }
    FZ_CHECK(tm_verdict_is_stable(verdict) == (want_blocking == 0 && nv == 0),
             "is_stable disagrees with the blocking pairs and violations");
    g_free(seen);
    g_free(blocking);
    g_free(held);
    for (int side = 0; side < 2; side++) {
        g_free(count[side]);
        g_free(worst[side]);
    }
}

/* The pairs of @mt (tm_matching_get_pairs) into new arrays. */
static inline int64_t fz_pairs(const TmMatching *mt, int32_t **ps, int32_t **pd)
{
    int64_t n = tm_matching_n_pairs(mt);
    FZ_CHECK(n >= 0, "negative pair count");
    *ps = g_new(int32_t, (gsize)n + 1);
    *pd = g_new(int32_t, (gsize)n + 1);
    GError *err = NULL;
    FZ_CHECK(tm_matching_get_pairs(mt, *ps, *pd, n, &err), "get_pairs: %s",
             err ? err->message : "?");
    return n;
}

/* Audits @mt with the library and compares with the brute force. */
static inline void fz_check_audit(const FzModel *m, const TmMatching *mt)
{
    GError *err = NULL;
    TmVerdict *v = tm_matching_check(mt, &err);
    FZ_CHECK(v != NULL, "tm_matching_check: %s", err ? err->message : "?");
    int32_t *ps, *pd;
    int64_t n = fz_pairs(mt, &ps, &pd);
    fz_audit_compare(m, ps, pd, n, v);
    g_free(ps);
    g_free(pd);
    tm_verdict_free(v);
}

/* Solves @market from both sides.  With ties: TM_ERROR_UNSUPPORTED.
 * Without: each result is stable (library audit and brute force), both give
 * every agent the same number of partners (rural hospitals), and with unit
 * capacities each proposer weakly prefers its own side's optimum. */
static inline void fz_check_solve(const FzModel *m, TmMarket *market)
{
    GError *err = NULL;
    if (tm_market_has_ties(market)) {
        /* weak by tie breaking always succeeds; strong and super either
         * succeed with a matching the audit of that notion passes, or say
         * that none exists (or that the market's shape is not supported) */
        for (int st = TM_STABILITY_WEAK; st <= TM_STABILITY_SUPER; st++) {
            TmSolveOptions *o = tm_solve_options_new();
            FZ_CHECK(tm_solve_options_set_stability(o, (TmStability)st, &err), "set_stability");
            TmMatching *mt = tm_solve(market, NULL, o, &err);
            tm_solve_options_free(o);
            if (mt == NULL) {
                FZ_CHECK(st != TM_STABILITY_WEAK, "tie breaking failed: %s",
                         err ? err->message : "?");
                fz_check_error(err, "tm_solve (ties)");
                FZ_CHECK(err->code == TM_ERROR_NO_SUCH_MATCHING ||
                             err->code == TM_ERROR_UNSUPPORTED,
                         "ties: code %d", err->code);
                g_clear_error(&err);
                continue;
            }
            TmVerdict *v = tm_matching_check_stability(mt, (TmStability)st, &err);
            FZ_CHECK(v != NULL && tm_verdict_is_stable(v), "ties: the matching is not %d-stable",
                     st);
            tm_verdict_free(v);
            tm_matching_free(mt);
        }
        return;
    }
    TmMatching *opt[2];
    for (int side = 0; side < 2; side++) {
        TmSolveOptions *o = tm_solve_options_new();
        FZ_CHECK(tm_solve_options_set_proposing(o, (TmSide)side, &err), "set_proposing");
        opt[side] = tm_solve(market, NULL, o, &err);
        tm_solve_options_free(o);
        FZ_CHECK(opt[side] != NULL, "tm_solve (side %d): %s", side, err ? err->message : "?");
        TmVerdict *v = tm_matching_check(opt[side], &err);
        FZ_CHECK(v != NULL && tm_verdict_is_stable(v), "the solved matching is not stable");
        tm_verdict_free(v);
        fz_check_audit(m, opt[side]);
    }
    gboolean unit = TRUE;
    for (int side = 0; side < 2; side++)
        for (int32_t a = 0; a < m->n[side]; a++) {
            FZ_CHECK(tm_matching_n_partners(opt[0], (TmSide)side, a) ==
                         tm_matching_n_partners(opt[1], (TmSide)side, a),
                     "rural hospitals: side %d agent %d has %d vs %d partners", side, a,
                     tm_matching_n_partners(opt[0], (TmSide)side, a),
                     tm_matching_n_partners(opt[1], (TmSide)side, a));
            if (m->cap[side][a] > 1)
                unit = FALSE;
        }
    if (unit)
        for (int side = 0; side < 2; side++)
            for (int32_t a = 0; a < m->n[side]; a++) {
                int32_t n0 = 0, n1 = 0;
                const int32_t *mine = tm_matching_partners(opt[side], (TmSide)side, a, &n0);
                const int32_t *theirs = tm_matching_partners(opt[1 - side], (TmSide)side, a, &n1);
                int32_t r0 = n0 > 0 ? fz_rank(m, side, a, mine[0]) : INT32_MAX;
                int32_t r1 = n1 > 0 ? fz_rank(m, side, a, theirs[0]) : INT32_MAX;
                FZ_CHECK(r0 <= r1, "side %d agent %d: its own optimum (rank %d) is worse than the "
                                   "other side's (rank %d)", side, a, r0, r1);
            }
    tm_matching_free(opt[0]);
    tm_matching_free(opt[1]);
}

#endif /* TM_FUZZ_COMMON_H */
