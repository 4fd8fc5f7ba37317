/* tm_bench_suite — one configuration of the benchmark suite per process (issue 12, item 7).
 *
 * Generates one market, hands its arrays to tm_market_new_take_arrays() (so the generator's
 * input is never held beside a copy), solves it with tm_solve() --repeat times, runs the touch
 * baseline in the same process and appends one TSV row (with a header when the file is new or
 * empty) to --tsv FILE.  bench/suite.sh runs the set; bench/plot.py draws it.
 *
 *   tm_bench_suite --gen uniform --supply 100000 --demand 10000 --k 50 --capacity 10 --tsv t.tsv
 *   tm_bench_suite --gen solo --n 3000 --side demand --check
 *   tm_bench_suite --gen noise --n 1000 --write-instance noise.tsv
 *
 * Columns (one row per run; times in seconds, best of --repeat for solve and touch):
 *   shape            one-to-one | many-to-one | one-to-many | many-to-many (from the capacities)
 *   generator        below;  n_supply, n_demand, k (list length of a proposer-side list; n for
 *                    complete lists);  cap_supply, cap_demand (every agent's capacity)
 *   side             proposing side;  seed
 *   entries          L, the acceptable pairs (= list entries per side)
 *   gen_s            generating the arrays;  build_s  tm_market_new_take_arrays()
 *   solve_s          tm_solve(), best of --repeat;  proposals (tm_matching_n_proposals)
 *   expected_proposals  the closed form where the generator has one (congested, solo,
 *                    adversarial), else -1;  matched (pairs in the matching)
 *   ns_per_proposal  solve_s / proposals;  ns_per_entry  solve_s / L
 *   touch_s          the touch baseline, best of --repeat: one sequential pass over the
 *                    proposing side's L entries (tm_market_prefs) with one random read into a
 *                    receiver-sized int32 array per entry — the memory traffic any
 *                    proposal-based algorithm pays at least once (as tm_bench, bench_da.c)
 *   solve_over_touch, build_plus_solve_over_touch   the ratios of issue 12, goal 1
 *   peak_rss_mib     VmHWM of the process at the end (generation, build, solves, touch)
 *   market_bytes_per_entry   tm_market_bytes() / L
 *   input_bytes      bytes of the arrays handed to the builder (offsets, ids, capacities)
 *   repeat, version  --repeat and tm_version()
 *
 * Generators (all randomness from xoshiro256** seeded by splitmix64(--seed), default 20110101;
 * same options, same instance, on every machine):
 *   uniform      each supply agent lists K distinct sites drawn uniformly, in the draw order;
 *                each site ranks the agents who listed it by an independent uniform score
 *                (a hash of seed, site, agent).  As tm_bench --model uniform.
 *   master       sites have a quality q ~ U(0,1); a supply agent draws K distinct sites with
 *                probability proportional to exp(skew q) (--skew, default 5) and orders them
 *                by q + noise U(-1/2,1/2) (--noise, default 0.3); agents have a merit
 *                a ~ U(0,1) and each site orders the agents who listed it by
 *                a + noise U(-1/2,1/2).  As tm_bench --model master.
 *   sector       the programme's profiles: --sectors S (default 16) sectors; site d is in sector
 *                d mod S, agent s in a uniform sector; everyone has a place (x, y) ~ U(0,1)^2,
 *                sites a quality q ~ U(0,1), agents a merit a ~ U(0,1).  An agent draws K
 *                distinct sites, each draw from its own sector with probability --own (default
 *                0.8, uniform within the sector; a global draw once its sector is used up) and
 *                uniformly from all sites otherwise, and orders them by
 *                q - distance + noise U(-1/2,1/2).  A site orders the agents who listed it by
 *                a + 0.5 [same sector] + noise U(-1/2,1/2).
 *   In these three every site's list is exactly the agents who listed it: L = n_supply * K.
 *   The complete-list workloads (issue 12, goal 5) are n x n with complete lists (--n; K = n,
 *   L = n^2, capacities 1):
 *   congested    every supply agent lists the sites 0, 1, ..., n-1 and every site lists the
 *                agents 0, 1, ..., n-1.  Agent i ends with site i after proposing to sites
 *                0..i: n(n+1)/2 proposals (either side proposing, by symmetry).
 *   noise        one shared uniform random order of the sites (and one of the agents); every
 *                agent (site) shuffles it within consecutive groups of 5 positions (the last
 *                group may be shorter), by Fisher–Yates from the one generator stream.
 *   solo         an adversarial family in which, after the first round, exactly one proposer
 *                is free at any time, and n^2 - n + 1 proposals are made (the maximum for
 *                n x n complete lists).  With P = the proposing side, R = the other, n >= 2:
 *                  proposer i < n-1 lists R[(i + p) mod (n-1)] at positions p = 0..n-2 and
 *                  R[n-1] last; proposer n-1 lists R[0], R[1], ..., R[n-1] (as proposer 0);
 *                  receiver j lists P[(j + 1 + q) mod n] at positions q = 0..n-1.
 *                Round one: proposers 0..n-2 take receivers 0..n-2 and proposer n-1 displaces
 *                proposer 0 at receiver 0.  From then on the free proposer at step t is
 *                (t - 1) mod n and it proposes to receiver t mod (n-1), who always prefers it
 *                (a receiver ranks the proposers in the reverse of the order they reach her),
 *                so every proposer moves one place down its list per n steps.  Proposer 0 is
 *                the first to reach R[n-1] (its n-th choice), after (n-1)^2 further steps, and
 *                that proposal ends the run:  (n - 1) + (n - 1)^2 + 1 = n^2 - n + 1 proposals.
 *                Every DA makes the same set of proposals (each proposer proposes down to its
 *                partner in the proposer-optimal matching), so the count holds for any order.
 *                The lists are given to the proposing side chosen with --side, so both runs
 *                are adversarial.
 *   adversarial  incomplete lists (--n agents per side, lists of --k, n a multiple of K): the
 *                agents of each side are put in a uniform random order and cut into n/K
 *                blocks of K; block b's proposers and receivers form a K x K solo instance
 *                (above), so each proposer proposes to K-1 or K entries of its K, the
 *                displacements form one serial chain of K^2 - K + 1 proposals per block, and the
 *                random labels spread each chain over memory:  (n/K)(K^2 - K + 1) proposals.
 *                Lists given to the proposing side as in solo.
 *   congested, noise, solo and adversarial are one-to-one (capacities must be 1).
 *
 * --check verifies the matching with tm_matching_is_stable() and the proposal count against
 * the closed form (and against --expect-proposals N when given); exit status 1 on a failure
 * (the row is still written).
 *
 * --write-instance FILE writes the generated instance in the edge-list format of the lead
 * (`#! techmatch-edges 1`, `#! supply N`, `#! demand M`, `#! capacity supply|demand C`, header
 * `supply demand supply_rank demand_rank`, one line per pair, supply-major, each supply
 * agent's entries by its rank; TAB for .tsv/.txt, comma for .csv) and exits without building
 * or solving (no TSV row): the point is timing other programs on the very same instance.  It
 * holds 12 bytes per entry (both lists plus the demand side's positions re-sorted by agent).
 *
 * Memory (peak RSS).  The generator's input is 8 bytes per entry (the two id arrays) + 4 per
 * agent per side (offsets, capacities); generation adds small per-agent arrays (uniform, master,
 * sector: one site-sized cursor and one bucket of sort keys).  The market is 16 bytes per entry
 * + 8 per agent (tm_market_bytes()).  The build is the peak: with the builder on main when this
 * was written (tm_market_new_take_arrays() builds as from arrays, then frees the taken arrays)
 * it holds input + market + 4 bytes per entry of scratch, measured 28 bytes per entry (complete
 * lists, n = 3,000: 248 MiB; uniform 1e7 entries: 279 MiB).  Expected at the sizes of --full
 * and --huge:
 *   complete lists n = 30,000 (L = 9e8):  7.2 GB of input, a 14.4 GB market; ~23.5 GiB with that
 *       builder (does not fit a 23.5 GiB machine: bench/suite.sh skips it), ~14-16 GiB with a
 *       builder that keeps the taken id arrays as the market's and frees the rest as it goes
 *       (16 bytes per entry + scratch);
 *   1e9 entries: ~26 GiB with that builder, ~15-17 GiB with a reusing one.
 * The solve adds O(agents) and the touch baseline one receiver-sized array.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <techmatch/techmatch.h>

#include "bench_common.h"

/* ---- options ----------------------------------------------------------- */

typedef enum {
    GEN_UNIFORM,
    GEN_MASTER,
    GEN_SECTOR,
    GEN_CONGESTED,
    GEN_NOISE,
    GEN_SOLO,
    GEN_ADVERSARIAL,
} Gen;

static const char *const gen_names[] = {"uniform", "master", "sector", "congested",
                                        "noise", "solo", "adversarial"};
#define N_GENS ((int)(sizeof gen_names / sizeof gen_names[0]))

typedef struct {
    Gen gen;
    int64_t supply, demand, n, k;
    int64_t capacity, supply_capacity;
    uint64_t seed;
    TmSide side;
    int repeat;
    double skew, noise, own;
    int64_t sectors;
    int check;
    int64_t expect;
    const char *tsv, *instance;
} Options;

static void usage(FILE *f)
{
    fputs("usage: tm_bench_suite [options]   (the header of bench/bench_suite.c documents all)\n"
          "  --gen G               uniform|master|sector|congested|noise|solo|adversarial\n"
          "                        (default uniform)\n"
          "  --supply N --demand M agents per side (uniform, master, sector; default 10000, 1000)\n"
          "  --n N                 agents per side for congested, noise, solo, adversarial\n"
          "                        (default 1000); for the others sets --supply and --demand\n"
          "  --k K                 list length (default 20; adversarial: block size, divides n)\n"
          "  --capacity C          capacity of every site (demand agent) (default 1)\n"
          "  --supply-capacity C   capacity of every supply agent (default 1)\n"
          "  --side supply|demand  proposing side (default supply)\n"
          "  --seed SEED           (default 20110101)\n"
          "  --repeat R            solve and touch R times, report the best (default 1)\n"
          "  --skew S --noise X    master/sector: popularity and noise width (5, 0.3)\n"
          "  --sectors S --own F   sector: sectors (16) and own-sector draw probability (0.8)\n"
          "  --check               verify stability and the closed-form proposal count\n"
          "  --expect-proposals P  with --check: the proposals must equal P\n"
          "  --tsv FILE            append the row to FILE (header if FILE is new or empty)\n"
          "  --write-instance FILE write the instance as an edge list (.tsv/.txt/.csv) and exit\n",
          f);
}

static G_GNUC_NORETURN void die(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("tm_bench_suite: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static int64_t parse_int(const char *opt, const char *s, int64_t lo, int64_t hi)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        die("%s wants an integer in [%" PRId64 ", %" PRId64 "], got '%s'", opt, lo, hi, s);
    return v;
}

static double parse_double(const char *opt, const char *s, double hi)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < 0 || v > hi)
        die("%s wants a number in [0, %g], got '%s'", opt, hi, s);
    return v;
}

static int complete_gen(Gen g)
{
    return g == GEN_CONGESTED || g == GEN_NOISE || g == GEN_SOLO;
}

static void parse_options(int argc, char **argv, Options *o)
{
    *o = (Options){.gen = GEN_UNIFORM, .supply = 10000, .demand = 1000, .n = -1, .k = 20,
                   .capacity = 1, .supply_capacity = 1, .seed = 20110101,
                   .side = TM_SIDE_SUPPLY, .repeat = 1, .skew = 5.0, .noise = 0.3, .own = 0.8,
                   .sectors = 16, .expect = -1};
    int k_given = 0;
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
            usage(stderr);
            die("unknown option or missing value: %s", a);
        }
        const char *v = argv[++i];
        if (!strcmp(a, "--gen")) {
            int g = 0;
            while (g < N_GENS && strcmp(v, gen_names[g]))
                g++;
            if (g == N_GENS)
                die("--gen: unknown generator '%s'", v);
            o->gen = (Gen)g;
        } else if (!strcmp(a, "--supply"))
            o->supply = parse_int(a, v, 0, INT32_MAX);
        else if (!strcmp(a, "--demand"))
            o->demand = parse_int(a, v, 0, INT32_MAX);
        else if (!strcmp(a, "--n"))
            o->n = parse_int(a, v, 0, INT32_MAX);
        else if (!strcmp(a, "--k")) {
            o->k = parse_int(a, v, 0, INT32_MAX);
            k_given = 1;
        } else if (!strcmp(a, "--capacity"))
            o->capacity = parse_int(a, v, 1, INT32_MAX);
        else if (!strcmp(a, "--supply-capacity"))
            o->supply_capacity = parse_int(a, v, 1, INT32_MAX);
        else if (!strcmp(a, "--seed"))
            o->seed = (uint64_t)parse_int(a, v, 0, INT64_MAX);
        else if (!strcmp(a, "--repeat"))
            o->repeat = (int)parse_int(a, v, 1, 1000);
        else if (!strcmp(a, "--skew"))
            o->skew = parse_double(a, v, 50);
        else if (!strcmp(a, "--noise"))
            o->noise = parse_double(a, v, 1e6);
        else if (!strcmp(a, "--own"))
            o->own = parse_double(a, v, 1);
        else if (!strcmp(a, "--sectors"))
            o->sectors = parse_int(a, v, 1, INT32_MAX);
        else if (!strcmp(a, "--expect-proposals"))
            o->expect = parse_int(a, v, 0, INT64_MAX);
        else if (!strcmp(a, "--tsv"))
            o->tsv = v;
        else if (!strcmp(a, "--write-instance"))
            o->instance = v;
        else if (!strcmp(a, "--side")) {
            if (!strcmp(v, "supply"))
                o->side = TM_SIDE_SUPPLY;
            else if (!strcmp(v, "demand"))
                o->side = TM_SIDE_DEMAND;
            else
                die("--side is supply or demand, not '%s'", v);
        } else {
            usage(stderr);
            die("unknown option %s", a);
        }
    }
    if (complete_gen(o->gen) || o->gen == GEN_ADVERSARIAL) {
        if (o->n < 0)
            o->n = 1000;
        o->supply = o->demand = o->n;
        if (complete_gen(o->gen))
            o->k = o->n;
        if (o->capacity != 1 || o->supply_capacity != 1)
            die("--gen %s is one-to-one: capacities must be 1", gen_names[o->gen]);
        if (o->gen == GEN_ADVERSARIAL && (o->k == 0 ? o->n != 0 : o->n % o->k != 0))
            die("--gen adversarial: --k %" PRId64 " must divide --n %" PRId64, o->k, o->n);
    } else {
        if (o->n >= 0)
            o->supply = o->demand = o->n;
        if (!k_given && o->k > o->demand)
            o->k = o->demand;
    }
    if (o->k > o->demand)
        die("--k %" PRId64 " exceeds the %" PRId64 " demand agents", o->k, o->demand);
    if (o->supply * o->k > INT32_MAX)
        die("%" PRId64 " x %" PRId64 " list entries exceed INT32_MAX", o->supply, o->k);
}

/* ---- time, memory, randomness ------------------------------------------ */

static void *xalloc(size_t n)
{
    void *p = g_try_malloc(n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "tm_bench_suite: out of memory (%zu bytes)\n", n);
        exit(1);
    }
    return p;
}

static int32_t *alloc_i32(int64_t n)
{
    return xalloc((size_t)n * sizeof(int32_t));
}

/* Uniform random permutation of 0..n-1 (Fisher–Yates). */
static int32_t *random_permutation(Rng *r, int32_t n)
{
    int32_t *p = alloc_i32(n);
    for (int32_t i = 0; i < n; i++)
        p[i] = i;
    for (int32_t i = n - 1; i > 0; i--) {
        int32_t j = (int32_t)rng_below(r, (uint32_t)i + 1);
        int32_t t = p[i];
        p[i] = p[j];
        p[j] = t;
    }
    return p;
}

/* ---- sorting of 64-bit keys (ascending) --------------------------------- */

/* ---- the generated instance ---------------------------------------------- */

typedef struct {
    int32_t n_supply, n_demand;
    int64_t L;
    int32_t *s_off, *s_ids, *d_off, *d_ids; /* g_malloc'd CSR, handed to the builder */
    int64_t expected;                       /* closed-form proposals, -1 = none */
} Instance;

static void instance_free(Instance *g)
{
    g_free(g->s_off);
    g_free(g->s_ids);
    g_free(g->d_off);
    g_free(g->d_ids);
    g->s_off = g->s_ids = g->d_off = g->d_ids = NULL;
}

/* Offsets of @n lists of length @k each. */
static int32_t *regular_offsets(int32_t n, int32_t k)
{
    int32_t *off = alloc_i32((int64_t)n + 1);
    for (int32_t i = 0; i <= n; i++)
        off[i] = (int32_t)((int64_t)i * k);
    return off;
}

/* The profile data of the master and sector models. */
typedef struct {
    const Options *o;
    uint64_t site_seed;
    double *quality;      /* per site */
    float *merit;         /* per agent */
    float *sx, *sy, *dx, *dy; /* places (sector) */
    int32_t *s_sector;    /* per agent (sector) */
    Alias alias;          /* master: popularity */
    int32_t *by_sector, *sector_off; /* sector: sites grouped by sector */
} Profiles;

/* The key by which site @d orders agent @s (smaller first). */
static inline uint64_t site_key(const Profiles *p, int32_t d, int32_t s)
{
    double u = hash_unit(p->site_seed, (uint32_t)d, (uint32_t)s);
    double nz = p->o->noise;
    switch (p->o->gen) {
    case GEN_MASTER:
        return key_of(p->merit[s] + nz * (u - 0.5), -nz / 2, 1 + nz / 2, s);
    case GEN_SECTOR: {
        double same = p->s_sector[s] == (int32_t)(d % p->o->sectors) ? 0.5 : 0.0;
        return key_of(p->merit[s] + same + nz * (u - 0.5), -nz / 2, 1.5 + nz / 2, s);
    }
    default:
        return key_of(u, 0, 1, s);
    }
}

/* uniform, master, sector: K distinct sites per agent, then the sites' lists by inversion. */
static void generate_profiles(const Options *o, Instance *g)
{
    const int32_t n = (int32_t)o->supply, m = (int32_t)o->demand, k = (int32_t)o->k;
    const int64_t L = (int64_t)n * k;
    const double nz = o->noise;
    Rng rng;
    rng_seed(&rng, o->seed);
    Profiles p = {.o = o, .site_seed = rng_next(&rng)};

    if (o->gen == GEN_MASTER || o->gen == GEN_SECTOR) {
        p.quality = xalloc((size_t)m * sizeof *p.quality);
        for (int32_t d = 0; d < m; d++)
            p.quality[d] = rng_unit(&rng);
        p.merit = xalloc((size_t)n * sizeof *p.merit);
        for (int32_t s = 0; s < n; s++)
            p.merit[s] = (float)rng_unit(&rng);
    }
    if (o->gen == GEN_MASTER && m > 0) {
        double *w = xalloc((size_t)m * sizeof *w);
        for (int32_t d = 0; d < m; d++)
            w[d] = exp(o->skew * p.quality[d]);
        alias_build(&p.alias, w, m);
        g_free(w);
    }
    int32_t S = (int32_t)(o->sectors < m ? o->sectors : (m > 0 ? m : 1));
    if (o->gen == GEN_SECTOR) {
        p.sx = xalloc((size_t)n * sizeof(float));
        p.sy = xalloc((size_t)n * sizeof(float));
        p.dx = xalloc((size_t)m * sizeof(float));
        p.dy = xalloc((size_t)m * sizeof(float));
        p.s_sector = alloc_i32(n);
        for (int32_t d = 0; d < m; d++) {
            p.dx[d] = (float)rng_unit(&rng);
            p.dy[d] = (float)rng_unit(&rng);
        }
        for (int32_t s = 0; s < n; s++) {
            p.sx[s] = (float)rng_unit(&rng);
            p.sy[s] = (float)rng_unit(&rng);
            p.s_sector[s] = (int32_t)rng_below(&rng, (uint32_t)S);
        }
        /* site d is in sector d mod sectors; with S < sectors (m small) that is d mod S */
        p.sector_off = alloc_i32((int64_t)S + 1);
        p.by_sector = alloc_i32(m);
        for (int32_t c = 0, e = 0; c < S; c++) {
            p.sector_off[c] = e;
            for (int32_t d = c; d < m; d += S)
                p.by_sector[e++] = d;
        }
        p.sector_off[S] = m;
    }
    Options so = *o;
    so.sectors = S;
    p.o = &so;

    g->s_off = regular_offsets(n, k);
    g->s_ids = alloc_i32(L);
    int32_t *seen = alloc_i32(m);
    for (int32_t d = 0; d < m; d++)
        seen[d] = -1;
    uint64_t *keys = xalloc((size_t)k * sizeof *keys);
    const double lo = -sqrt(2.0) - nz / 2, hi = 1 + nz / 2;
    for (int32_t s = 0; s < n; s++) {
        int32_t *list = g->s_ids + (int64_t)s * k;
        int32_t own_left = 0, c = 0;
        if (o->gen == GEN_SECTOR) {
            c = p.s_sector[s];
            own_left = p.sector_off[c + 1] - p.sector_off[c];
        }
        for (int32_t j = 0; j < k;) {
            int32_t d;
            if (o->gen == GEN_MASTER)
                d = alias_draw(&p.alias, &rng);
            else if (o->gen == GEN_SECTOR && own_left > 0 && rng_unit(&rng) < o->own) {
                int32_t len = p.sector_off[c + 1] - p.sector_off[c];
                d = p.by_sector[p.sector_off[c] + (int32_t)rng_below(&rng, (uint32_t)len)];
            } else
                d = (int32_t)rng_below(&rng, (uint32_t)m);
            if (seen[d] == s)
                continue;
            seen[d] = s;
            if (o->gen == GEN_SECTOR && d % S == c)
                own_left--;
            list[j++] = d;
        }
        if (o->gen == GEN_MASTER || o->gen == GEN_SECTOR) {
            for (int32_t j = 0; j < k; j++) {
                int32_t d = list[j];
                double score = p.quality[d] + nz * (rng_unit(&rng) - 0.5);
                if (o->gen == GEN_SECTOR)
                    score -= hypot((double)(p.sx[s] - p.dx[d]), (double)(p.sy[s] - p.dy[d]));
                keys[j] = key_of(score, lo, hi, d);
            }
            sort_u64(keys, k);
            for (int32_t j = 0; j < k; j++)
                list[j] = (int32_t)(uint32_t)keys[j];
        }
    }
    g_free(keys);
    g_free(seen);

    /* the sites' lists: counting sort of the entries by site, then each bucket by its key */
    g->d_off = alloc_i32((int64_t)m + 1);
    g->d_ids = alloc_i32(L);
    memset(g->d_off, 0, ((size_t)m + 1) * sizeof *g->d_off);
    for (int64_t e = 0; e < L; e++)
        g->d_off[g->s_ids[e] + 1]++;
    int64_t max_bucket = 0;
    for (int32_t d = 0; d < m; d++) {
        if (g->d_off[d + 1] > max_bucket)
            max_bucket = g->d_off[d + 1];
        g->d_off[d + 1] += g->d_off[d];
    }
    int32_t *cursor = alloc_i32((int64_t)m + 1);
    memcpy(cursor, g->d_off, ((size_t)m + 1) * sizeof *cursor);
    for (int32_t s = 0; s < n; s++)
        for (int64_t e = (int64_t)s * k; e < (int64_t)(s + 1) * k; e++)
            g->d_ids[cursor[g->s_ids[e]]++] = s;
    g_free(cursor);
    keys = xalloc((size_t)max_bucket * sizeof *keys);
    for (int32_t d = 0; d < m; d++) {
        int32_t *list = g->d_ids + g->d_off[d];
        int32_t len = g->d_off[d + 1] - g->d_off[d];
        for (int32_t j = 0; j < len; j++)
            keys[j] = site_key(&p, d, list[j]);
        sort_u64(keys, len);
        for (int32_t j = 0; j < len; j++)
            list[j] = (int32_t)(uint32_t)keys[j];
    }
    g_free(keys);
    g_free(p.quality);
    g_free(p.merit);
    g_free(p.sx);
    g_free(p.sy);
    g_free(p.dx);
    g_free(p.dy);
    g_free(p.s_sector);
    free(p.alias.prob);
    free(p.alias.alias);
    g_free(p.by_sector);
    g_free(p.sector_off);
}

/* The solo lists of an n x n block (header): the receiver at proposer @i's position @p, and
 * the proposer at receiver @j's position @q. */
static inline int32_t solo_proposer_entry(int32_t n, int32_t i, int32_t p)
{
    if (n == 1)
        return 0;
    if (p == n - 1)
        return n - 1;
    int32_t base = i == n - 1 ? 0 : i;
    return (int32_t)(((int64_t)base + p) % (n - 1));
}

static inline int32_t solo_receiver_entry(int32_t n, int32_t j, int32_t q)
{
    return (int32_t)(((int64_t)j + 1 + q) % n);
}

/* Shuffles a[0..len) within consecutive groups of @group. */
static void shuffle_groups(Rng *r, int32_t *a, int32_t len, int32_t group)
{
    for (int32_t b = 0; b < len; b += group) {
        int32_t gl = len - b < group ? len - b : group;
        for (int32_t i = gl - 1; i > 0; i--) {
            int32_t j = (int32_t)rng_below(r, (uint32_t)i + 1);
            int32_t t = a[b + i];
            a[b + i] = a[b + j];
            a[b + j] = t;
        }
    }
}

/* congested, noise, solo: n x n complete lists, written straight into the CSR arrays. */
static void generate_complete(const Options *o, Instance *g)
{
    const int32_t n = (int32_t)o->n;
    const int64_t L = (int64_t)n * n;
    Rng rng;
    rng_seed(&rng, o->seed);
    g->s_off = regular_offsets(n, n);
    g->d_off = regular_offsets(n, n);
    g->s_ids = alloc_i32(L);
    g->d_ids = alloc_i32(L);
    /* the proposing side P gets the proposer role of solo (and the supply role otherwise) */
    int32_t *P = o->side == TM_SIDE_SUPPLY ? g->s_ids : g->d_ids;
    int32_t *R = o->side == TM_SIDE_SUPPLY ? g->d_ids : g->s_ids;
    if (o->gen == GEN_CONGESTED) {
        for (int32_t a = 0; a < n; a++)
            for (int32_t p = 0; p < n; p++)
                g->s_ids[(int64_t)a * n + p] = g->d_ids[(int64_t)a * n + p] = p;
        g->expected = (int64_t)n * (n + 1) / 2;
    } else if (o->gen == GEN_NOISE) {
        for (int side = 0; side < 2; side++) {
            int32_t *ids = side == 0 ? g->s_ids : g->d_ids;
            int32_t *order = random_permutation(&rng, n);
            for (int32_t a = 0; a < n; a++) {
                int32_t *list = ids + (int64_t)a * n;
                memcpy(list, order, (size_t)n * sizeof *list);
                shuffle_groups(&rng, list, n, 5);
            }
            g_free(order);
        }
        g->expected = -1;
    } else { /* solo */
        for (int32_t a = 0; a < n; a++)
            for (int32_t p = 0; p < n; p++) {
                P[(int64_t)a * n + p] = solo_proposer_entry(n, a, p);
                R[(int64_t)a * n + p] = solo_receiver_entry(n, a, p);
            }
        g->expected = n > 0 ? (int64_t)n * n - n + 1 : 0;
    }
}

/* adversarial: n/K disjoint K x K solo blocks over randomly relabelled agents. */
static void generate_adversarial(const Options *o, Instance *g)
{
    const int32_t n = (int32_t)o->n, k = (int32_t)o->k;
    const int64_t L = (int64_t)n * k;
    Rng rng;
    rng_seed(&rng, o->seed);
    int32_t *perm_p = random_permutation(&rng, n), *perm_r = random_permutation(&rng, n);
    int32_t *inv_p = alloc_i32(n), *inv_r = alloc_i32(n);
    for (int32_t i = 0; i < n; i++) {
        inv_p[perm_p[i]] = i;
        inv_r[perm_r[i]] = i;
    }
    g->s_off = regular_offsets(n, k);
    g->d_off = regular_offsets(n, k);
    g->s_ids = alloc_i32(L);
    g->d_ids = alloc_i32(L);
    int32_t *P = o->side == TM_SIDE_SUPPLY ? g->s_ids : g->d_ids;
    int32_t *R = o->side == TM_SIDE_SUPPLY ? g->d_ids : g->s_ids;
    for (int32_t a = 0; a < n; a++) {
        int32_t pos = inv_p[a], base = pos - pos % k;
        for (int32_t p = 0; p < k; p++)
            P[(int64_t)a * k + p] = perm_r[base + solo_proposer_entry(k, pos % k, p)];
        pos = inv_r[a];
        base = pos - pos % k;
        for (int32_t q = 0; q < k; q++)
            R[(int64_t)a * k + q] = perm_p[base + solo_receiver_entry(k, pos % k, q)];
    }
    g_free(perm_p);
    g_free(perm_r);
    g_free(inv_p);
    g_free(inv_r);
    g->expected = k > 0 ? (int64_t)(n / k) * ((int64_t)k * k - k + 1) : 0;
}

static void generate(const Options *o, Instance *g)
{
    memset(g, 0, sizeof *g);
    g->n_supply = (int32_t)o->supply;
    g->n_demand = (int32_t)o->demand;
    g->L = o->supply * o->k;
    g->expected = -1;
    if (complete_gen(o->gen))
        generate_complete(o, g);
    else if (o->gen == GEN_ADVERSARIAL)
        generate_adversarial(o, g);
    else
        generate_profiles(o, g);
}

/* ---- --write-instance ---------------------------------------------------- */

typedef struct {
    FILE *f;
    const char *path;
    char buf[1 << 16];
    size_t len;
} Out;

static void out_flush(Out *w)
{
    if (w->len && fwrite(w->buf, 1, w->len, w->f) != w->len)
        die("cannot write %s: %s", w->path, strerror(errno));
    w->len = 0;
}

static void out_str(Out *w, const char *s)
{
    size_t n = strlen(s);
    if (w->len + n > sizeof w->buf)
        out_flush(w);
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static inline void out_int(Out *w, int64_t v, char sep)
{
    char tmp[24];
    int t = 0;
    if (w->len + 24 > sizeof w->buf)
        out_flush(w);
    if (v < 0) {
        w->buf[w->len++] = '-';
        v = -v;
    }
    do {
        tmp[t++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (t)
        w->buf[w->len++] = tmp[--t];
    w->buf[w->len++] = sep;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !g_ascii_strcasecmp(s + a - b, suffix);
}

static void write_instance(const Options *o, Instance *g, int argc, char **argv)
{
    const char sep = ends_with(o->instance, ".csv") ? ',' : '\t';
    /* the demand side's positions, each list re-sorted by agent for the look-up */
    int32_t *d_pos = alloc_i32(g->L);
    int64_t max_len = 0;
    for (int32_t d = 0; d < g->n_demand; d++)
        if (g->d_off[d + 1] - g->d_off[d] > max_len)
            max_len = g->d_off[d + 1] - g->d_off[d];
    uint64_t *keys = xalloc((size_t)max_len * sizeof *keys);
    for (int32_t d = 0; d < g->n_demand; d++) {
        int32_t *list = g->d_ids + g->d_off[d];
        int32_t len = g->d_off[d + 1] - g->d_off[d];
        for (int32_t q = 0; q < len; q++)
            keys[q] = ((uint64_t)(uint32_t)list[q] << 32) | (uint32_t)q;
        sort_u64(keys, len);
        for (int32_t q = 0; q < len; q++) {
            list[q] = (int32_t)(keys[q] >> 32);
            d_pos[g->d_off[d] + q] = (int32_t)(uint32_t)keys[q];
        }
    }
    g_free(keys);

    Out *w = g_new0(Out, 1);
    w->path = o->instance;
    w->f = fopen(o->instance, "wb");
    if (w->f == NULL)
        die("cannot open %s: %s", o->instance, strerror(errno));
    char line[512];
    out_str(w, "#! techmatch-edges 1\n");
    out_str(w, "# written by tm_bench_suite");
    for (int i = 1; i < argc; i++) {
        out_str(w, " ");
        out_str(w, argv[i]);
    }
    out_str(w, "\n");
    snprintf(line, sizeof line, "#! supply %d\n#! demand %d\n", g->n_supply, g->n_demand);
    out_str(w, line);
    if (o->supply_capacity != 1) {
        snprintf(line, sizeof line, "#! capacity supply %" PRId64 "\n", o->supply_capacity);
        out_str(w, line);
    }
    if (o->capacity != 1) {
        snprintf(line, sizeof line, "#! capacity demand %" PRId64 "\n", o->capacity);
        out_str(w, line);
    }
    snprintf(line, sizeof line, "supply%cdemand%csupply_rank%cdemand_rank\n", sep, sep, sep);
    out_str(w, line);
    for (int32_t s = 0; s < g->n_supply; s++) {
        for (int32_t e = g->s_off[s]; e < g->s_off[s + 1]; e++) {
            int32_t d = g->s_ids[e];
            const int32_t *list = g->d_ids + g->d_off[d];
            int32_t len = g->d_off[d + 1] - g->d_off[d], at;
            if (len == g->n_supply) {
                at = s; /* complete list: sorted by agent, agent s is at s */
            } else {
                int32_t lo = 0, hi = len;
                while (lo < hi) {
                    int32_t mid = lo + (hi - lo) / 2;
                    if (list[mid] < s)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                at = lo;
            }
            out_int(w, s, sep);
            out_int(w, d, sep);
            out_int(w, e - g->s_off[s], sep);
            if (at < len && list[at] == s) {
                out_int(w, d_pos[g->d_off[d] + at], '\n');
            } else { /* listed by the supply side only (cannot happen with these generators) */
                out_str(w, "-\n");
            }
        }
    }
    out_flush(w);
    if (fclose(w->f) != 0)
        die("cannot write %s: %s", o->instance, strerror(errno));
    g_free(w);
    g_free(d_pos);
}

/* ---- touch baseline ----------------------------------------------------- */

/* ---- the row ------------------------------------------------------------- */

static const char *shape_of(int64_t cap_supply, int64_t cap_demand)
{
    if (cap_supply == 1)
        return cap_demand == 1 ? "one-to-one" : "many-to-one";
    return cap_demand == 1 ? "one-to-many" : "many-to-many";
}

static const char header[] =
    "shape\tgenerator\tn_supply\tn_demand\tk\tcap_supply\tcap_demand\tside\tseed\tentries\t"
    "gen_s\tbuild_s\tsolve_s\tproposals\texpected_proposals\tmatched\tns_per_proposal\t"
    "ns_per_entry\ttouch_s\tsolve_over_touch\tbuild_plus_solve_over_touch\tpeak_rss_mib\t"
    "market_bytes_per_entry\tinput_bytes\trepeat\tversion\n";

static void append_row(const char *path, const char *row)
{
    struct stat st;
    int fresh = stat(path, &st) != 0 || st.st_size == 0;
    FILE *f = fopen(path, "a");
    if (f == NULL || (fresh && fputs(header, f) == EOF) || fputs(row, f) == EOF ||
        fclose(f) != 0)
        die("cannot append to %s: %s", path, strerror(errno));
}

/* ---- main --------------------------------------------------------------- */

int main(int argc, char **argv)
{
    Options o;
    parse_options(argc, argv, &o);
    GError *error = NULL;
    const char *side_name = o.side == TM_SIDE_SUPPLY ? "supply" : "demand";

    double t0 = now();
    Instance g;
    generate(&o, &g);
    double t_gen = now() - t0;
    fprintf(stderr, "tm_bench_suite: %s %" PRId64 " x %" PRId64 " k %" PRId64
            ", L %" PRId64 " generated in %.3f s (peak %.0f MiB)\n",
            gen_names[o.gen], o.supply, o.demand, o.k, g.L, t_gen, peak_rss_mib());

    if (o.instance != NULL) {
        t0 = now();
        write_instance(&o, &g, argc, argv);
        fprintf(stderr, "tm_bench_suite: wrote %s (%" PRId64 " pairs) in %.3f s\n", o.instance,
                g.L, now() - t0);
        instance_free(&g);
        return 0;
    }

    int32_t *cap_s = NULL, *cap_d = NULL;
    int64_t input_bytes = 4 * ((int64_t)g.n_supply + 1 + g.n_demand + 1 + 2 * g.L);
    if (o.supply_capacity != 1) {
        cap_s = alloc_i32(g.n_supply);
        for (int32_t i = 0; i < g.n_supply; i++)
            cap_s[i] = (int32_t)o.supply_capacity;
        input_bytes += 4 * (int64_t)g.n_supply;
    }
    if (o.capacity != 1) {
        cap_d = alloc_i32(g.n_demand);
        for (int32_t i = 0; i < g.n_demand; i++)
            cap_d[i] = (int32_t)o.capacity;
        input_bytes += 4 * (int64_t)g.n_demand;
    }

    double u0, s0, u1, s1;
    cpu_seconds(&u0, &s0);
    t0 = now();
    TmMarket *market = tm_market_new_take_arrays(g.n_supply, g.n_demand, cap_s, cap_d, g.s_off,
                                                 g.s_ids, NULL, g.d_off, g.d_ids, NULL, &error);
    double t_build = now() - t0;
    cpu_seconds(&u1, &s1);
    fprintf(stderr, "tm_bench_suite: build %.3f s wall, %.3f s CPU (user %.3f, system %.3f)\n",
            t_build, (u1 - u0) + (s1 - s0), u1 - u0, s1 - s0);
    g.s_off = g.s_ids = g.d_off = g.d_ids = NULL; /* owned by the market now */
    if (market == NULL) {
        fprintf(stderr, "tm_bench_suite: building the market: %s\n", error->message);
        g_error_free(error);
        return 1;
    }
    int64_t L = tm_market_n_pairs(market);
    int64_t market_bytes = tm_market_bytes(market);

    TmSide other = TM_SIDE_OTHER(o.side);
    int32_t n_recv = tm_market_size(market, other);
    int32_t *recv = alloc_i32(n_recv > 0 ? n_recv : 1);
    for (int32_t i = 0; i < n_recv; i++)
        recv[i] = (int32_t)(splitmix64((uint64_t)i) & 0xff);

    double best_solve = INFINITY, best_touch = INFINITY;
    int64_t proposals = 0, matched = 0, touched = 0, sum = 0;
    int failed = 0;
    for (int r = 0; r < o.repeat; r++) {
        TmSolveOptions *so = tm_solve_options_new();
        tm_solve_options_set_proposing(so, o.side, NULL);
        t0 = now();
        TmMatching *matching = tm_solve(market, NULL, so, &error);
        double t = now() - t0;
        tm_solve_options_free(so);
        if (matching == NULL) {
            fprintf(stderr, "tm_bench_suite: solving: %s\n", error->message);
            g_error_free(error);
            return 1;
        }
        if (t < best_solve)
            best_solve = t;
        matched = tm_matching_n_pairs(matching);
        proposals = tm_matching_n_proposals(matching);
        if (o.check && r == 0) {
            gboolean stable = tm_matching_is_stable(matching, &error);
            if (error != NULL) {
                fprintf(stderr, "tm_bench_suite: checking: %s\n", error->message);
                g_error_free(error);
                return 1;
            }
            if (!stable) {
                fprintf(stderr, "tm_bench_suite: CHECK FAILED: the matching is not stable\n");
                failed = 1;
            }
            if (g.expected >= 0 && proposals != g.expected) {
                fprintf(stderr, "tm_bench_suite: CHECK FAILED: %" PRId64
                        " proposals, the closed form says %" PRId64 "\n", proposals, g.expected);
                failed = 1;
            }
            if (o.expect >= 0 && proposals != o.expect) {
                fprintf(stderr, "tm_bench_suite: CHECK FAILED: %" PRId64
                        " proposals, --expect-proposals %" PRId64 "\n", proposals, o.expect);
                failed = 1;
            }
        }
        tm_matching_free(matching);

        t0 = now();
        sum += touch(market, o.side, recv, &touched);
        t = now() - t0;
        if (t < best_touch)
            best_touch = t;
    }
    g_free(recv);

    char row[2048];
    double tt = best_touch > 0 ? best_touch : 1e-9;
    snprintf(row, sizeof row,
             "%s\t%s\t%d\t%d\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%s\t%" PRIu64 "\t%" PRId64
             "\t%.6g\t%.6g\t%.6g\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%.2f\t%.3f\t%.6g\t%.2f"
             "\t%.2f\t%.1f\t%.2f\t%" PRId64 "\t%d\t%s\n",
             shape_of(o.supply_capacity, o.capacity), gen_names[o.gen], g.n_supply, g.n_demand,
             o.k, o.supply_capacity, o.capacity, side_name, o.seed, L, t_gen, t_build,
             best_solve, proposals, g.expected, matched,
             proposals ? 1e9 * best_solve / (double)proposals : 0.0,
             L ? 1e9 * best_solve / (double)L : 0.0, best_touch, best_solve / tt,
             (t_build + best_solve) / tt, peak_rss_mib(),
             L ? (double)market_bytes / (double)L : 0.0, input_bytes, o.repeat, tm_version());
    fputs(header, stdout);
    fputs(row, stdout);
    if (o.tsv != NULL)
        append_row(o.tsv, row);
    fprintf(stderr, "tm_bench_suite: touch checksum %" PRId64 " over %" PRId64 " entries%s\n",
            sum, touched, o.check ? (failed ? "; check FAILED" : "; check passed") : "");
    tm_market_free(market);
    return failed;
}
