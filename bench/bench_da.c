/* tm_bench — deferred acceptance on large generated markets.
 *
 * Generates a market of --supply N agents and --demand M sites by one of two
 * preference models, builds it with tm_market_new_from_arrays(), solves it
 * with tm_solve() and reports times, proposals, peak
 * memory and a "touch" baseline: one sequential pass over the proposing
 * side's L list entries with one random read into a receiver-sized int32
 * array per entry -- the memory traffic any proposal-based algorithm must
 * pay at least once.  solve/touch says how far the solver is from that floor.
 *
 * Models (all randomness from --seed; same seed, same market):
 *   uniform  each supply agent lists K distinct sites drawn uniformly, in
 *            random order; each site ranks the agents who listed it by an
 *            independent random score.
 *   master   sites have a global quality q ~ U(0,1); a supply agent draws K
 *            distinct sites with probability proportional to exp(skew * q)
 *            and orders them by q + noise * U(-1/2, 1/2); supply agents have
 *            a master score a ~ U(0,1) and each site orders the agents who
 *            listed it by a + noise * U(-1/2, 1/2).
 * Every site's list is exactly the agents who listed it, so all L = N*K
 * entries are acceptable pairs.
 *
 * Memory: the generator holds the two CSR preference arrays (2 x 4L bytes),
 * small per-agent arrays and one bucket of sort keys; it frees them once the
 * market is built, before solving.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <techmatch/techmatch.h>

#include "bench_common.h"

/* ---- options ----------------------------------------------------------- */

typedef enum { MODEL_UNIFORM, MODEL_MASTER } Model;

typedef struct {
    int64_t supply, demand, k;
    int64_t capacity, supply_capacity;
    Model model;
    uint64_t seed;
    TmSide side;
    int repeat;
    double skew, noise;
    int check;
    int64_t chase;
    const char *dump;
} Options;

static void usage(FILE *f)
{
    fputs("usage: tm_bench [options]\n"
          "  --supply N            supply agents (default 10000)\n"
          "  --demand M            demand agents / sites (default 1000)\n"
          "  --k K                 list length of every supply agent (default 50, <= M)\n"
          "  --capacity C          capacity of every site (default 1)\n"
          "  --supply-capacity C   capacity of every supply agent (default 1)\n"
          "  --model uniform|master  preference model (default uniform)\n"
          "  --skew S              master: popularity exp(S*quality) (default 5)\n"
          "  --noise X             master: width of the uniform noise (default 0.3)\n"
          "  --seed SEED           random seed (default 20110101)\n"
          "  --side supply|demand  proposing side (default supply)\n"
          "  --repeat R            solve and touch R times; report best and mean (default 1)\n"
          "  --check               also verify stability (tm_matching_is_stable)\n"
          "  --chase STEPS         after the solve, time STEPS dependent random loads over\n"
          "                        an L-entry int32 array (DRAM latency calibration)\n"
          "  --dump DIR            write the generated arrays to DIR as raw native int32\n"
          "                        files (supply_off, supply_prefs, demand_off, demand_prefs,\n"
          "                        demand_cap, supply_cap; .i32) for bench/bench_python.py\n",
          f);
}

static int64_t parse_int(const char *opt, const char *s, int64_t lo, int64_t hi)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "tm_bench: %s wants an integer in [%" PRId64 ", %" PRId64 "], got '%s'\n",
                opt, lo, hi, s);
        exit(2);
    }
    return v;
}

static double parse_double(const char *opt, const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < 0) {
        fprintf(stderr, "tm_bench: %s wants a number >= 0, got '%s'\n", opt, s);
        exit(2);
    }
    return v;
}

static void parse_options(int argc, char **argv, Options *o)
{
    *o = (Options){.supply = 10000, .demand = 1000, .k = 50, .capacity = 1,
                   .supply_capacity = 1, .model = MODEL_UNIFORM, .seed = 20110101,
                   .side = TM_SIDE_SUPPLY, .repeat = 1, .skew = 5.0, .noise = 0.3};
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
        if (i + 1 >= argc) {
            fprintf(stderr, "tm_bench: unknown option or missing value: %s\n", a);
            usage(stderr);
            exit(2);
        }
        const char *v = argv[++i];
        if (!strcmp(a, "--supply"))
            o->supply = parse_int(a, v, 0, INT32_MAX);
        else if (!strcmp(a, "--demand"))
            o->demand = parse_int(a, v, 0, INT32_MAX);
        else if (!strcmp(a, "--k"))
            o->k = parse_int(a, v, 0, INT32_MAX);
        else if (!strcmp(a, "--capacity"))
            o->capacity = parse_int(a, v, 0, INT32_MAX);
        else if (!strcmp(a, "--supply-capacity"))
            o->supply_capacity = parse_int(a, v, 0, INT32_MAX);
        else if (!strcmp(a, "--seed"))
            o->seed = (uint64_t)parse_int(a, v, 0, INT64_MAX);
        else if (!strcmp(a, "--dump"))
            o->dump = v;
        else if (!strcmp(a, "--chase"))
            o->chase = parse_int(a, v, 0, INT64_MAX);
        else if (!strcmp(a, "--repeat"))
            o->repeat = (int)parse_int(a, v, 1, 1000);
        else if (!strcmp(a, "--skew"))
            o->skew = parse_double(a, v);
        else if (!strcmp(a, "--noise"))
            o->noise = parse_double(a, v);
        else if (!strcmp(a, "--model")) {
            if (!strcmp(v, "uniform"))
                o->model = MODEL_UNIFORM;
            else if (!strcmp(v, "master"))
                o->model = MODEL_MASTER;
            else {
                fprintf(stderr, "tm_bench: --model is uniform or master, not '%s'\n", v);
                exit(2);
            }
        } else if (!strcmp(a, "--side")) {
            if (!strcmp(v, "supply"))
                o->side = TM_SIDE_SUPPLY;
            else if (!strcmp(v, "demand"))
                o->side = TM_SIDE_DEMAND;
            else {
                fprintf(stderr, "tm_bench: --side is supply or demand, not '%s'\n", v);
                exit(2);
            }
        } else {
            fprintf(stderr, "tm_bench: unknown option %s\n", a);
            usage(stderr);
            exit(2);
        }
    }
    if (o->k > o->demand) {
        fprintf(stderr, "tm_bench: --k %" PRId64 " exceeds --demand %" PRId64 "\n", o->k,
                o->demand);
        exit(2);
    }
    if (o->supply * o->k > INT32_MAX) {
        fprintf(stderr, "tm_bench: supply * k = %" PRId64 " list entries exceed INT32_MAX\n",
                o->supply * o->k);
        exit(2);
    }
}

/* ---- time, memory, randomness ------------------------------------------ */

/* ---- sorting of 64-bit keys (ascending) --------------------------------- */

/* ---- generator ---------------------------------------------------------- */

typedef struct {
    int32_t n_supply, n_demand;
    int32_t *supply_cap, *demand_cap; /* NULL = all 1 */
    int32_t *supply_off, *supply_prefs;
    int32_t *demand_off, *demand_prefs;
    int64_t max_bucket;
} Generated;

static void generated_free(Generated *g)
{
    free(g->supply_cap);
    free(g->demand_cap);
    free(g->supply_off);
    free(g->supply_prefs);
    free(g->demand_off);
    free(g->demand_prefs);
    memset(g, 0, sizeof *g);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "tm_bench: out of memory (%zu bytes)\n", n);
        exit(1);
    }
    return p;
}

static int32_t *fill_caps(int64_t n, int64_t cap)
{
    if (cap == 1)
        return NULL;
    int32_t *c = xmalloc((size_t)n * sizeof *c);
    for (int64_t i = 0; i < n; i++)
        c[i] = (int32_t)cap;
    return c;
}

static void generate(const Options *o, Generated *g)
{
    const int32_t n = (int32_t)o->supply, m = (int32_t)o->demand, k = (int32_t)o->k;
    const int64_t L = (int64_t)n * k;
    const int master = o->model == MODEL_MASTER;
    Rng rng;
    rng_seed(&rng, o->seed);
    const uint64_t site_seed = rng_next(&rng); /* for the sites' scores of agents */

    memset(g, 0, sizeof *g);
    g->n_supply = n;
    g->n_demand = m;
    g->supply_cap = fill_caps(n, o->supply_capacity);
    g->demand_cap = fill_caps(m, o->capacity);

    /* master model: site qualities and agents' master scores */
    double *quality = NULL;
    float *merit = NULL;
    Alias alias = {0};
    if (master) {
        quality = xmalloc((size_t)m * sizeof *quality);
        double *w = xmalloc((size_t)m * sizeof *w);
        for (int32_t d = 0; d < m; d++) {
            quality[d] = rng_unit(&rng);
            w[d] = exp(o->skew * quality[d]);
        }
        if (m > 0)
            alias_build(&alias, w, m);
        free(w);
        merit = xmalloc((size_t)n * sizeof *merit);
        for (int32_t s = 0; s < n; s++)
            merit[s] = (float)rng_unit(&rng);
    }

    /* supply lists: k distinct sites each; `seen` marks this agent's draws */
    g->supply_off = xmalloc(((size_t)n + 1) * sizeof *g->supply_off);
    g->supply_prefs = xmalloc((size_t)L * sizeof *g->supply_prefs);
    int32_t *seen = xmalloc((size_t)m * sizeof *seen);
    for (int32_t d = 0; d < m; d++)
        seen[d] = -1;
    uint64_t *keys = xmalloc((size_t)k * sizeof *keys);
    const double lo = -o->noise / 2, hi = 1 + o->noise / 2;
    for (int32_t s = 0; s < n; s++) {
        int32_t *list = g->supply_prefs + (int64_t)s * k;
        g->supply_off[s] = (int32_t)((int64_t)s * k);
        for (int32_t j = 0; j < k;) {
            int32_t d = master ? alias_draw(&alias, &rng) : (int32_t)rng_below(&rng, (uint32_t)m);
            if (seen[d] == s)
                continue;
            seen[d] = s;
            list[j++] = d;
        }
        if (master) { /* order by quality + noise, best first */
            for (int32_t j = 0; j < k; j++)
                keys[j] = key_of(quality[list[j]] + o->noise * (rng_unit(&rng) - 0.5), lo, hi,
                                 list[j]);
            sort_u64(keys, k);
            for (int32_t j = 0; j < k; j++)
                list[j] = (int32_t)(uint32_t)keys[j];
        } /* uniform: the draw order is already a random order */
    }
    g->supply_off[n] = (int32_t)L;
    free(keys);
    free(seen);
    free(quality);
    free(alias.prob);
    free(alias.alias);

    /* demand lists: invert the supply lists by counting sort (agents land in
     * increasing id order), then sort each site's bucket by its scores */
    g->demand_off = xmalloc(((size_t)m + 1) * sizeof *g->demand_off);
    g->demand_prefs = xmalloc((size_t)L * sizeof *g->demand_prefs);
    memset(g->demand_off, 0, ((size_t)m + 1) * sizeof *g->demand_off);
    for (int64_t e = 0; e < L; e++)
        g->demand_off[g->supply_prefs[e] + 1]++;
    int64_t max_bucket = 0;
    for (int32_t d = 0; d < m; d++) {
        if (g->demand_off[d + 1] > max_bucket)
            max_bucket = g->demand_off[d + 1];
        g->demand_off[d + 1] += g->demand_off[d];
    }
    g->max_bucket = max_bucket;
    int32_t *cursor = xmalloc(((size_t)m + 1) * sizeof *cursor);
    memcpy(cursor, g->demand_off, ((size_t)m + 1) * sizeof *cursor);
    for (int32_t s = 0; s < n; s++)
        for (int32_t e = g->supply_off[s]; e < g->supply_off[s + 1]; e++)
            g->demand_prefs[cursor[g->supply_prefs[e]]++] = s;
    free(cursor);

    keys = xmalloc((size_t)max_bucket * sizeof *keys);
    for (int32_t d = 0; d < m; d++) {
        int32_t *list = g->demand_prefs + g->demand_off[d];
        int32_t len = g->demand_off[d + 1] - g->demand_off[d];
        for (int32_t j = 0; j < len; j++) {
            int32_t s = list[j];
            double u = hash_unit(site_seed, (uint32_t)d, (uint32_t)s);
            keys[j] = master ? key_of(merit[s] + o->noise * (u - 0.5), lo, hi, s)
                             : key_of(u, 0, 1, s);
        }
        sort_u64(keys, len);
        for (int32_t j = 0; j < len; j++)
            list[j] = (int32_t)(uint32_t)keys[j];
    }
    free(keys);
    free(merit);
}

/* ---- --dump ------------------------------------------------------------ */

static void dump_array(const char *dir, const char *name, const int32_t *a, int64_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.i32", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || (n > 0 && fwrite(a, sizeof *a, (size_t)n, f) != (size_t)n) ||
        fclose(f) != 0) {
        fprintf(stderr, "tm_bench: cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
}

static void dump_generated(const char *dir, const Generated *g)
{
    int64_t ls = g->supply_off[g->n_supply], ld = g->demand_off[g->n_demand];
    dump_array(dir, "supply_off", g->supply_off, (int64_t)g->n_supply + 1);
    dump_array(dir, "supply_prefs", g->supply_prefs, ls);
    dump_array(dir, "demand_off", g->demand_off, (int64_t)g->n_demand + 1);
    dump_array(dir, "demand_prefs", g->demand_prefs, ld);
    if (g->supply_cap)
        dump_array(dir, "supply_cap", g->supply_cap, g->n_supply);
    if (g->demand_cap)
        dump_array(dir, "demand_cap", g->demand_cap, g->n_demand);
}

/* ---- touch baseline ----------------------------------------------------- */

/* Latency calibration: a single random cycle over @n int32 (Sattolo), then
 * @steps dependent loads along it.  Each load is a cache miss (and, on 4 KiB
 * pages, usually a TLB miss) once the array is well beyond the caches. */
static void chase(int64_t n, int64_t steps, uint64_t seed)
{
    int32_t *next = xmalloc((size_t)n * sizeof *next);
    Rng rng;
    rng_seed(&rng, seed ^ 0x5a5a5a5a);
    for (int64_t i = 0; i < n; i++)
        next[i] = (int32_t)i;
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = rng_below(&rng, (uint32_t)i);
        int32_t t = next[i];
        next[i] = next[j];
        next[j] = t;
    }
    int32_t p = 0;
    double t0 = now();
    for (int64_t s = 0; s < steps; s++)
        p = next[p];
    double t = now() - t0;
    printf("chase: %.1f ns per dependent random load over %.0f MiB (%" PRId64 " loads, end %d)\n",
           1e9 * t / (double)steps, (double)n * 4 / (1024.0 * 1024.0), steps, p);
    free(next);
}

/* ---- main --------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double mean_of(const double *v, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += v[i];
    return s / n;
}

int main(int argc, char **argv)
{
    Options o;
    parse_options(argc, argv, &o);
    GError *error = NULL;
    const char *side_name = o.side == TM_SIDE_SUPPLY ? "supply" : "demand";

    printf("techmatch %s  tm_bench\n", tm_version());
    printf("market: supply %" PRId64 " (capacity %" PRId64 "), demand %" PRId64
           " (capacity %" PRId64 "), k %" PRId64 ", model %s, seed %" PRIu64 ", proposing %s\n",
           o.supply, o.supply_capacity, o.demand, o.capacity, o.k,
           o.model == MODEL_MASTER ? "master" : "uniform", o.seed, side_name);
    if (o.model == MODEL_MASTER)
        printf("master model: skew %g, noise %g\n", o.skew, o.noise);

    double t0 = now();
    Generated g;
    generate(&o, &g);
    double t_gen = now() - t0;
    printf("generate: %.1f ms  (L = %" PRId64 " entries, largest site list %" PRId64
           ", rss %.0f MiB, peak %.0f MiB)\n",
           1e3 * t_gen, o.supply * o.k, g.max_bucket, rss_mib(), peak_rss_mib());
    if (o.dump != NULL)
        dump_generated(o.dump, &g);

    t0 = now();
    TmMarket *market = tm_market_new_from_arrays(g.n_supply, g.n_demand, g.supply_cap,
                                                 g.demand_cap, g.supply_off, g.supply_prefs,
                                                 g.demand_off, g.demand_prefs, &error);
    double t_build = now() - t0;
    if (market == NULL) {
        fprintf(stderr, "tm_bench: building the market: %s\n", error->message);
        g_error_free(error);
        return 1;
    }
    generated_free(&g);
    printf("build: %.1f ms  (pairs %" PRId64
           ", rss after freeing the generator %.0f MiB, peak %.0f MiB)\n",
           1e3 * t_build, tm_market_n_pairs(market), rss_mib(), peak_rss_mib());

    double *t_solve = xmalloc((size_t)o.repeat * sizeof *t_solve);
    double *t_touch = xmalloc((size_t)o.repeat * sizeof *t_touch);
    int64_t pairs = 0, proposals = 0, touched = 0, sum = 0;
    int stable = -1;

    /* receiver-sized array for the touch baseline */
    TmSide other = TM_SIDE_OTHER(o.side);
    int32_t n_recv = tm_market_size(market, other);
    int32_t *recv = xmalloc((size_t)(n_recv > 0 ? n_recv : 1) * sizeof *recv);
    for (int32_t i = 0; i < n_recv; i++)
        recv[i] = (int32_t)(splitmix64((uint64_t)i) & 0xff);

    double cpu_solve = 1e300, cpu_touch = 1e300;
    for (int r = 0; r < o.repeat; r++) {
        double c0 = cpu_now();
        t0 = now();
        TmSolveOptions *so = tm_solve_options_new();
        tm_solve_options_set_proposing(so, o.side, NULL);
        TmMatching *matching = tm_solve(market, NULL, so, &error);
        tm_solve_options_free(so);
        t_solve[r] = now() - t0;
        cpu_solve = MIN(cpu_solve, cpu_now() - c0);
        if (matching == NULL) {
            fprintf(stderr, "tm_bench: solving: %s\n", error->message);
            g_error_free(error);
            return 1;
        }
        pairs = tm_matching_n_pairs(matching);
        proposals = tm_matching_n_proposals(matching);
        if (o.check && r == 0) {
            stable = tm_matching_is_stable(matching, &error) ? 1 : 0;
            if (error != NULL) {
                fprintf(stderr, "tm_bench: checking: %s\n", error->message);
                g_error_free(error);
                return 1;
            }
        }
        tm_matching_free(matching);

        double c1 = cpu_now();
        t0 = now();
        sum += touch(market, o.side, recv, &touched);
        t_touch[r] = now() - t0;
        cpu_touch = MIN(cpu_touch, cpu_now() - c1);
    }

    qsort(t_solve, (size_t)o.repeat, sizeof *t_solve, cmp_double);
    qsort(t_touch, (size_t)o.repeat, sizeof *t_touch, cmp_double);
    double solve = t_solve[0], tch = t_touch[0];
    printf("solve: %.2f ms best, %.2f ms mean of %d  (pairs %" PRId64 ", proposals %" PRId64
           ", %.1f ns/proposal)\n",
           1e3 * solve, 1e3 * mean_of(t_solve, o.repeat), o.repeat, pairs, proposals,
           proposals ? 1e9 * solve / (double)proposals : 0.0);
    printf("touch: %.2f ms best, %.2f ms mean  (%" PRId64 " entries, %.2f ns/entry, checksum %" PRId64
           ")\n",
           1e3 * tch, 1e3 * mean_of(t_touch, o.repeat), touched, touched ? 1e9 * tch / (double)touched : 0.0,
           sum);
    printf("solve/touch: %.2f\n", tch > 0 ? solve / tch : 0.0);
    printf("cpu time: solve %.2f ms, touch %.2f ms, solve/touch %.2f (best of %d)\n",
           1e3 * cpu_solve, 1e3 * cpu_touch, cpu_touch > 0 ? cpu_solve / cpu_touch : 0.0,
           o.repeat);
    if (stable >= 0)
        printf("stable: %s\n", stable ? "yes" : "no");
    printf("peak rss: %.0f MiB\n", peak_rss_mib());
    /* one line for scripts */
    printf("RESULT model=%s supply=%" PRId64 " demand=%" PRId64 " k=%" PRId64 " cap=%" PRId64
           " side=%s gen_s=%.4f build_s=%.4f solve_s=%.5f pairs=%" PRId64 " proposals=%" PRId64
           " ns_per_proposal=%.2f touch_s=%.5f ns_per_entry=%.2f ratio=%.2f peak_rss_mib=%.0f\n",
           o.model == MODEL_MASTER ? "master" : "uniform", o.supply, o.demand, o.k, o.capacity,
           side_name, t_gen, t_build, solve, pairs, proposals,
           proposals ? 1e9 * solve / (double)proposals : 0.0, tch,
           touched ? 1e9 * tch / (double)touched : 0.0, tch > 0 ? solve / tch : 0.0,
           peak_rss_mib());

    free(recv);
    free(t_solve);
    free(t_touch);
    tm_market_free(market);
    if (o.chase > 0 && touched > 1)
        chase(touched, o.chase, o.seed);
    return stable == 0 ? 1 : 0;
}
