/* tm_bench_lattice — the lattice of stable matchings (lattice.h) on large
 * generated markets, against one deferred-acceptance solve of the same
 * market as the yardstick.
 *
 * For each of --repeat rounds it times, in this order and each on its own:
 *   da        tm_solve() of the market, supply proposing (the yardstick)
 *   lattice   tm_lattice_new(): the rotations and their precedence
 *   egal      tm_lattice_egalitarian() on that lattice
 *   regret    tm_lattice_min_regret()
 *   weight    tm_lattice_max_weight() with random weights (drawn once)
 *   enum      tm_lattice_enumerate() + tm_stable_iter_next() over the first
 *             --enum stable matchings (fewer when the market has fewer)
 * and reports per phase the median, best and worst time, the median ratio
 * to the da phase of the same round, and the peak heap growth: the largest
 * number of bytes held by malloc during the phase above what was held when
 * it started (every malloc, calloc, realloc and free of the process is
 * counted by the wrappers of bench_lattice_aux.c; GLib allocates through
 * malloc).  The peak resident set of the whole process (getrusage) is
 * printed at the end.
 * The goal of the lattice work is "lattice + egal" within 5x of "da".
 *
 * Markets (--shape; all randomness from --seed, same seed, same market):
 *   one   one-to-one, --n agents per side, complete lists: every agent ranks
 *         all of the other side in an independent uniformly random order.
 *   many  many-to-one: --supply agents of capacity 1, --demand sites of
 *         capacity --capacity; each supply agent lists --k distinct sites
 *         drawn uniformly, in random order; each site ranks the agents that
 *         listed it by an independent random score (the "uniform" model of
 *         tm_bench).
 *
 * --flip swaps the two sides of a "many" market, so that the supply side
 * carries the capacities.
 *
 * --digest prints one hash over every rotation (its pairs, in order), every
 * predecessor list and the values of the optimal matchings, so two builds
 * of the library can be compared for identical results.  --check verifies
 * on the (small) market that every returned matching is stable and that the
 * egalitarian, minimum-regret and maximum-weight values are the optima over
 * ALL stable matchings (enumerated; fails if there are more than --enum).
 */
#define _GNU_SOURCE
#include "bench_lattice.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- options ------------------------------------------------------------ */

typedef enum { SHAPE_ONE, SHAPE_MANY } Shape;

typedef struct {
    Shape shape;
    int64_t n, supply, demand, capacity, k;
    int repeat;
    int64_t enum_limit;
    uint64_t seed;
    int check, digest, flip;
} Options;

static void usage(FILE *f)
{
    fputs("usage: tm_bench_lattice [options]\n"
          "  --shape one|many   one-to-one complete lists, or many-to-one (default one)\n"
          "  --n N              one: agents per side (default 1000)\n"
          "  --supply N         many: supply agents, capacity 1 (default 100000)\n"
          "  --demand M         many: sites (default 10000)\n"
          "  --capacity C       many: capacity of every site (default 10)\n"
          "  --k K              many: list length of every supply agent (default 50)\n"
          "  --flip             many: swap the sides (the capacities on the supply side)\n"
          "  --repeat R         rounds; medians are reported (default 5)\n"
          "  --enum N           stable matchings to enumerate (default 10000; 0: skip)\n"
          "  --seed SEED        random seed (default 20110101)\n"
          "  --digest           print a hash of the rotations, precedence and optima\n"
          "  --check            verify the optima against all stable matchings (small markets)\n",
          f);
}

static int64_t parse_int(const char *opt, const char *s, int64_t lo, int64_t hi)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "tm_bench_lattice: %s wants an integer in [%" PRId64 ", %" PRId64
                        "], got '%s'\n",
                opt, lo, hi, s);
        exit(2);
    }
    return v;
}

static void parse_options(int argc, char **argv, Options *o)
{
    *o = (Options){.shape = SHAPE_ONE, .n = 1000, .supply = 100000, .demand = 10000,
                   .capacity = 10, .k = 50, .repeat = 5, .enum_limit = 10000,
                   .seed = 20110101};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            exit(0);
        }
        if (!strcmp(a, "--check")) {
            o->check = 1;
            continue;
        }
        if (!strcmp(a, "--digest")) {
            o->digest = 1;
            continue;
        }
        if (!strcmp(a, "--flip")) {
            o->flip = 1;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "tm_bench_lattice: unknown option or missing value: %s\n", a);
            usage(stderr);
            exit(2);
        }
        const char *v = argv[++i];
        if (!strcmp(a, "--shape")) {
            if (!strcmp(v, "one"))
                o->shape = SHAPE_ONE;
            else if (!strcmp(v, "many"))
                o->shape = SHAPE_MANY;
            else {
                fprintf(stderr, "tm_bench_lattice: --shape is one or many, not '%s'\n", v);
                exit(2);
            }
        } else if (!strcmp(a, "--n"))
            o->n = parse_int(a, v, 0, 46340); /* n * n entries fit an int32 */
        else if (!strcmp(a, "--supply"))
            o->supply = parse_int(a, v, 0, INT32_MAX);
        else if (!strcmp(a, "--demand"))
            o->demand = parse_int(a, v, 0, INT32_MAX);
        else if (!strcmp(a, "--capacity"))
            o->capacity = parse_int(a, v, 0, INT32_MAX);
        else if (!strcmp(a, "--k"))
            o->k = parse_int(a, v, 0, INT32_MAX);
        else if (!strcmp(a, "--repeat"))
            o->repeat = (int)parse_int(a, v, 1, 1000);
        else if (!strcmp(a, "--enum"))
            o->enum_limit = parse_int(a, v, 0, INT64_MAX);
        else if (!strcmp(a, "--seed"))
            o->seed = (uint64_t)parse_int(a, v, 0, INT64_MAX);
        else {
            fprintf(stderr, "tm_bench_lattice: unknown option %s\n", a);
            usage(stderr);
            exit(2);
        }
    }
    if (o->shape == SHAPE_MANY && (o->k > o->demand || o->supply * o->k > INT32_MAX)) {
        fprintf(stderr, "tm_bench_lattice: need k <= demand and supply * k <= INT32_MAX\n");
        exit(2);
    }
}

/* ---- the check (small markets) -------------------------------------------- */

static void die(const char *what, GError *err)
{
    fprintf(stderr, "tm_bench_lattice: %s: %s\n", what, err ? err->message : "failed");
    exit(1);
}

static int check_stable(const TmMatching *mt, const char *what)
{
    GError *err = NULL;
    if (!tm_matching_is_stable(mt, &err)) {
        fprintf(stderr, "tm_bench_lattice: the %s matching is not stable%s%s\n", what,
                err ? ": " : "", err ? err->message : "");
        g_clear_error(&err);
        return 0;
    }
    return 1;
}

/* Egalitarian cost, worst rank and weight of the pairs (s[i], d[i]). */
static void pair_values(TmMarket *mk, const int32_t *off, const double *w, const int32_t *s,
                        const int32_t *d, int64_t n, int64_t *cost, int32_t *regret,
                        double *weight)
{
    *cost = 0;
    *regret = -1;
    *weight = 0;
    for (int64_t i = 0; i < n; i++) {
        int32_t a = tm_market_position(mk, TM_SIDE_SUPPLY, s[i], d[i]);
        int32_t b = tm_market_position(mk, TM_SIDE_DEMAND, d[i], s[i]);
        *cost += a + b;
        *regret = a > *regret ? a : *regret;
        *regret = b > *regret ? b : *regret;
        *weight += w[off[s[i]] + a];
    }
}

static int run_check(TmMarket *mk, TmLattice *lat, const double *w, int64_t limit)
{
    GError *err = NULL;
    int ok = 1;
    int64_t egal = -1, best_cost = INT64_MAX;
    int32_t regret = -2, best_regret = INT32_MAX;
    double weight = NAN, best_weight = -INFINITY;
    TmMatching *me = tm_lattice_egalitarian(lat, &egal, &err);
    TmMatching *mr = me ? tm_lattice_min_regret(lat, &regret, &err) : NULL;
    TmMatching *mw = mr ? tm_lattice_max_weight(lat, w, tm_market_n_pairs(mk), &weight, &err)
                        : NULL;
    if (mw == NULL) {
        fprintf(stderr, "tm_bench_lattice: %s\n", err->message);
        return 0;
    }
    ok &= check_stable(me, "egalitarian") & check_stable(mr, "min-regret") &
          check_stable(mw, "max-weight");
    int64_t np = tm_lattice_n_pairs(lat), count = 0;
    int32_t ns = tm_market_size(mk, TM_SIDE_SUPPLY);
    int32_t *off = xmalloc(((size_t)ns + 1) * sizeof *off);
    if (!tm_market_get_lists(mk, TM_SIDE_SUPPLY, off, (int64_t)ns + 1, NULL, NULL, NULL, 0, &err))
        die("tm_market_get_lists", err);
    int32_t *s = xmalloc((size_t)(np ? np : 1) * sizeof *s), *d = xmalloc((size_t)(np ? np : 1) * sizeof *d);
    TmStableIter *it = tm_lattice_enumerate(lat, limit + 1, &err);
    while (it && tm_stable_iter_next(it, s, d, np, &err)) {
        int64_t c;
        int32_t rg;
        double wt;
        pair_values(mk, off, w, s, d, np, &c, &rg, &wt);
        best_cost = c < best_cost ? c : best_cost;
        best_regret = rg < best_regret ? rg : best_regret;
        best_weight = wt > best_weight ? wt : best_weight;
        if (count++ % 97 == 0) { /* a sample of the enumerated ones */
            TmMatching *mt = tm_matching_new_from_pairs(mk, s, d, np, &err);
            ok &= mt != NULL && check_stable(mt, "enumerated");
            tm_matching_free(mt);
        }
    }
    tm_stable_iter_free(it);
    if (count > limit) {
        fprintf(stderr, "tm_bench_lattice: --check needs all stable matchings: more than %" PRId64
                        "\n",
                limit);
        ok = 0;
    }
    if (egal != best_cost || regret != best_regret || fabs(weight - best_weight) > 1e-9) {
        fprintf(stderr, "tm_bench_lattice: optima differ from the enumeration's: egalitarian %"
                        PRId64 " vs %" PRId64 ", regret %d vs %d, weight %.6f vs %.6f\n",
                egal, best_cost, regret, best_regret, weight, best_weight);
        ok = 0;
    }
    printf("check: %" PRId64 " stable matchings, egalitarian %" PRId64 ", regret %d, weight "
           "%.4f: %s\n",
           count, egal, regret, weight, ok ? "ok" : "FAILED");
    tm_matching_free(me);
    tm_matching_free(mr);
    tm_matching_free(mw);
    free(off);
    free(s);
    free(d);
    return ok;
}

/* ---- main ------------------------------------------------------------------ */

enum { P_DA, P_LATTICE, P_EGAL, P_REGRET, P_WEIGHT, P_ENUM, NPHASE };
static const char *const phase_name[NPHASE] = { "da", "lattice", "egal", "regret", "weight",
                                                "enum" };

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}


int main(int argc, char **argv)
{
    Options o;
    parse_options(argc, argv, &o);
    GError *err = NULL;
    printf("techmatch %s  tm_bench_lattice\n", tm_version());
    if (o.shape == SHAPE_ONE)
        printf("market: one-to-one, %" PRId64 " x %" PRId64 ", complete random lists, seed %"
               PRIu64 "\n", o.n, o.n, o.seed);
    else
        printf("market: many-to-one, %" PRId64 " agents (capacity 1) x %" PRId64
               " sites (capacity %" PRId64 "), k %" PRId64 " uniform, seed %" PRIu64
               ", sites on the %s side\n",
               o.supply, o.demand, o.capacity, o.k, o.seed, o.flip ? "supply" : "demand");

    double t0 = now();
    Gen g;
    if (o.shape == SHAPE_ONE)
        gen_one((int32_t)o.n, o.seed, &g);
    else
        gen_many((int32_t)o.supply, (int32_t)o.demand, (int32_t)o.k, (int32_t)o.capacity, o.seed,
                 o.flip, &g);
    double t_gen = now() - t0;
    t0 = now();
    TmMarket *mk = tm_market_new_from_arrays(g.n[0], g.n[1], g.cap[0], g.cap[1], g.off[0],
                                             g.ids[0], g.off[1], g.ids[1], &err);
    double t_build = now() - t0;
    if (mk == NULL)
        die("building the market", err);
    gen_free(&g);
    const int64_t L = tm_market_n_pairs(mk);
    printf("generate %.1f ms, build %.1f ms, L = %" PRId64 " pairs\n", 1e3 * t_gen,
           1e3 * t_build, L);

    double *w = xmalloc((size_t)(L ? L : 1) * sizeof *w);
    Rng wr;
    rng_seed(&wr, o.seed ^ 0x77656967687473ULL);
    for (int64_t e = 0; e < L; e++)
        w[e] = (double)(rng_next(&wr) >> 11) * 0x1.0p-53 * 100.0;

    double *t[NPHASE], *ratio[NPHASE];
    int64_t *mem[NPHASE];
    for (int p = 0; p < NPHASE; p++) {
        t[p] = xmalloc((size_t)o.repeat * sizeof(double));
        ratio[p] = xmalloc((size_t)o.repeat * sizeof(double));
        mem[p] = xmalloc((size_t)o.repeat * sizeof(int64_t));
    }
    double *t_le = xmalloc((size_t)o.repeat * sizeof(double));
    double *r_le = xmalloc((size_t)o.repeat * sizeof(double));
    int64_t proposals = 0, pairs = 0, egal = 0, enumerated = 0, edges = 0, rot_pairs = 0;
    int32_t R = 0, regret = 0;
    double weight = 0;
    uint64_t digest = 0;
    int ok = 1;
    int64_t np_max = 0;
    int32_t *es = NULL, *ed = NULL;

    for (int r = 0; r < o.repeat; r++) {
        int64_t base = heap_mark();
        t0 = now();
        TmMatching *da = tm_solve(mk, NULL, NULL, &err);
        t[P_DA][r] = now() - t0;
        mem[P_DA][r] = heap_growth(base);
        if (da == NULL)
            die("solving", err);
        proposals = tm_matching_n_proposals(da);
        pairs = tm_matching_n_pairs(da);
        tm_matching_free(da);

        base = heap_mark();
        t0 = now();
        TmLattice *lat = tm_lattice_new(mk, &err);
        t[P_LATTICE][r] = now() - t0;
        mem[P_LATTICE][r] = heap_growth(base);
        if (lat == NULL)
            die("tm_lattice_new", err);

        base = heap_mark();
        t0 = now();
        TmMatching *me = tm_lattice_egalitarian(lat, &egal, &err);
        t[P_EGAL][r] = now() - t0;
        mem[P_EGAL][r] = heap_growth(base);
        if (me == NULL)
            die("tm_lattice_egalitarian", err);

        base = heap_mark();
        t0 = now();
        TmMatching *mr = tm_lattice_min_regret(lat, &regret, &err);
        t[P_REGRET][r] = now() - t0;
        mem[P_REGRET][r] = heap_growth(base);
        if (mr == NULL)
            die("tm_lattice_min_regret", err);

        base = heap_mark();
        t0 = now();
        TmMatching *mw = tm_lattice_max_weight(lat, w, L, &weight, &err);
        t[P_WEIGHT][r] = now() - t0;
        mem[P_WEIGHT][r] = heap_growth(base);
        if (mw == NULL)
            die("tm_lattice_max_weight", err);

        int64_t np = tm_lattice_n_pairs(lat);
        if (np > np_max) {
            np_max = np;
            free(es);
            free(ed);
            es = xmalloc((size_t)np * sizeof *es);
            ed = xmalloc((size_t)np * sizeof *ed);
        }
        uint64_t eh = 0xcbf29ce484222325ULL;
        base = heap_mark();
        t0 = now();
        TmStableIter *it = o.enum_limit > 0 ? tm_lattice_enumerate(lat, o.enum_limit, &err) : NULL;
        if (it == NULL && o.enum_limit > 0)
            die("tm_lattice_enumerate", err);
        int64_t count = 0;
        while (it != NULL && tm_stable_iter_next(it, es, ed, np, &err)) {
            count++;
            if (o.digest) /* a sample of each matching; a --digest run is not a timing run */
                for (int64_t i = 0; i < np; i += 1 + np / 64)
                    eh = fnv(eh, ed[i]);
        }
        tm_stable_iter_free(it);
        t[P_ENUM][r] = now() - t0;
        mem[P_ENUM][r] = heap_growth(base);
        if (err != NULL)
            die("tm_stable_iter_next", err);
        enumerated = count;

        R = tm_lattice_n_rotations(lat);
        edges = rot_pairs = 0;
        for (int32_t q = 0; q < R; q++) {
            int32_t len, np2;
            tm_lattice_rotation(lat, q, NULL, NULL, 0, &len, NULL);
            tm_lattice_rotation_predecessors(lat, q, NULL, 0, &np2, NULL);
            rot_pairs += len;
            edges += np2;
        }
        if (r == 0 && o.digest) {
            digest = lattice_digest(lat);
            digest = fnv(fnv(fnv(digest, egal), regret), (int64_t)llround(weight * 1e6));
            digest = matching_digest(matching_digest(matching_digest(digest, me), mr), mw);
            digest = fnv(fnv(digest, (int64_t)eh), enumerated);
        }
        if (r == 0 && o.check)
            ok &= check_stable(me, "egalitarian") && run_check(mk, lat, w, o.enum_limit);
        tm_matching_free(me);
        tm_matching_free(mr);
        tm_matching_free(mw);
        tm_lattice_free(lat);

        for (int p = 0; p < NPHASE; p++)
            ratio[p][r] = t[P_DA][r] > 0 ? t[p][r] / t[P_DA][r] : 0;
        t_le[r] = t[P_LATTICE][r] + t[P_EGAL][r];
        r_le[r] = t[P_DA][r] > 0 ? t_le[r] / t[P_DA][r] : 0;
    }

    printf("da: %" PRId64 " pairs, %" PRId64 " proposals; lattice: %d rotations, %" PRId64
           " rotation pairs, %" PRId64 " precedence edges; egalitarian %" PRId64
           ", min regret %d, max weight %.4f; enumerated %" PRId64 " (limit %" PRId64 ")\n",
           pairs, proposals, R, rot_pairs, edges, egal, regret, weight, enumerated,
           o.enum_limit);
    printf("%-14s %12s %12s %12s %10s %14s\n", "phase", "median ms", "best ms", "worst ms",
           "median/da", "heap peak MiB");
    for (int p = 0; p < NPHASE; p++) {
        int64_t mmax = 0;
        for (int r = 0; r < o.repeat; r++)
            mmax = mem[p][r] > mmax ? mem[p][r] : mmax;
        double med = median(t[p], o.repeat);
        printf("%-14s %12.3f %12.3f %12.3f %10.2f %14.1f\n", phase_name[p], 1e3 * med,
               1e3 * t[p][0], 1e3 * t[p][o.repeat - 1], median(ratio[p], o.repeat),
               ACCOUNTING ? (double)mmax / 1048576.0 : NAN);
    }
    double med_le = median(t_le, o.repeat);
    printf("%-14s %12.3f %12.3f %12.3f %10.2f\n", "lattice+egal", 1e3 * med_le, 1e3 * t_le[0],
           1e3 * t_le[o.repeat - 1], median(r_le, o.repeat));
    if (o.digest)
        printf("digest: %016" PRIx64 "\n", digest);
    printf("peak rss: %.0f MiB\n", peak_rss_mib());
    printf("RESULT shape=%s n=%" PRId64 " L=%" PRId64 " R=%d edges=%" PRId64
           " da_ms=%.3f lattice_ms=%.3f egal_ms=%.3f regret_ms=%.3f weight_ms=%.3f enum_ms=%.3f"
           " lattice_egal_over_da=%.2f\n",
           o.shape == SHAPE_ONE ? "one" : "many", o.shape == SHAPE_ONE ? o.n : o.supply, L, R,
           edges, 1e3 * median(t[P_DA], o.repeat), 1e3 * median(t[P_LATTICE], o.repeat),
           1e3 * median(t[P_EGAL], o.repeat), 1e3 * median(t[P_REGRET], o.repeat),
           1e3 * median(t[P_WEIGHT], o.repeat), 1e3 * median(t[P_ENUM], o.repeat),
           median(r_le, o.repeat));

    for (int p = 0; p < NPHASE; p++) {
        free(t[p]);
        free(ratio[p]);
        free(mem[p]);
    }
    free(t_le);
    free(r_le);
    free(es);
    free(ed);
    free(w);
    tm_market_free(mk);
    return ok ? 0 : 1;
}
