/* techmatch benchmarks — what tm_bench (bench_da.c) and tm_bench_suite
 * (bench_suite.c) share: clocks, memory readings, the random generator and
 * its hash, the 64-bit key sort of the generators, Vose's alias tables and
 * the touch baseline.  Header-only (static inline): each benchmark is one
 * translation unit.  The generators' output depends on these functions, so
 * a change here changes every benchmark's instances. */
#ifndef TECHMATCH_BENCH_COMMON_H
#define TECHMATCH_BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <techmatch/techmatch.h>

/* ---- clocks and memory -------------------------------------------------- */

/* Wall clock, seconds (monotonic). */
static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU time of the calling thread: less disturbed than the wall clock by
 * other processes on a shared machine (it still pays for the caches and
 * memory bandwidth they take). */
static inline double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU seconds (user, system) this process has used so far, all threads. */
static inline void cpu_seconds(double *user, double *sys)
{
    struct rusage ru;
    *user = *sys = 0;
    if (getrusage(RUSAGE_SELF, &ru) == 0) {
        *user = (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec;
        *sys = (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
    }
}

/* A "Vm...:" line of /proc/self/status in MiB (0 where unavailable). */
static inline double proc_status_mib(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kib = 0;
    size_t n = strlen(key);
    if (f == NULL)
        return 0;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, n)) {
            kib = strtod(line + n, NULL);
            break;
        }
    fclose(f);
    return kib / 1024.0;
}

/* Peak resident set of this process so far (VmHWM), MiB. */
static inline double peak_rss_mib(void)
{
    return proc_status_mib("VmHWM:");
}

/* Current resident set (VmRSS), MiB. */
static inline double rss_mib(void)
{
    return proc_status_mib("VmRSS:");
}

/* ---- randomness ---------------------------------------------------------- */

static inline uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* xoshiro256** */
typedef struct {
    uint64_t s[4];
} Rng;

static inline void rng_seed(Rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = seed = splitmix64(seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(Rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1) with 53 bits. */
static inline double rng_unit(Rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform in [0, n), n > 0 (Lemire's multiply-shift, bias < 2^-32). */
static inline uint32_t rng_below(Rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* A fixed random function of (seed, a, b) in [0, 1): the noise a site adds to
 * its score of a supply agent, recomputable without storing it. */
static inline double hash_unit(uint64_t seed, uint32_t a, uint32_t b)
{
    uint64_t h = splitmix64(seed ^ splitmix64(((uint64_t)a << 32) | b));
    return (double)(h >> 11) * 0x1.0p-53;
}

/* ---- sorting of 64-bit keys (ascending) --------------------------------- */

static inline void sort_u64(uint64_t *a, int64_t n)
{
    while (n > 24) {
        /* median of three, Hoare partition */
        uint64_t x = a[0], y = a[n / 2], z = a[n - 1], p;
        p = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        int64_t i = -1, j = n;
        for (;;) {
            do
                i++;
            while (a[i] < p);
            do
                j--;
            while (a[j] > p);
            if (i >= j)
                break;
            uint64_t t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        /* recurse on the smaller half, loop on the larger */
        if (j + 1 < n - j - 1) {
            sort_u64(a, j + 1);
            a += j + 1;
            n -= j + 1;
        } else {
            sort_u64(a + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    for (int64_t i = 1; i < n; i++) {
        uint64_t x = a[i];
        int64_t j = i;
        for (; j > 0 && a[j - 1] > x; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

/* Sort key putting higher @score first, ties by lower @id; @score is clamped
 * to [lo, hi]. */
static inline uint64_t key_of(double score, double lo, double hi, int32_t id)
{
    double t = (score - lo) / (hi - lo);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    uint32_t q = (uint32_t)(t * 4294967295.0);
    return ((uint64_t)(UINT32_MAX - q) << 32) | (uint32_t)id;
}

/* ---- Vose's alias method over weights w[0..n) ---------------------------- */

typedef struct {
    double *prob;
    int32_t *alias;
    int32_t n;
} Alias;

/* malloc or exit (a benchmark has nothing better to do without memory). */
static inline void *bench_alloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "techmatch benchmark: out of memory (%zu bytes)\n", n);
        exit(1);
    }
    return p;
}

/* The table (free t->prob and t->alias with free()). */
static inline void alias_build(Alias *t, const double *w, int32_t n)
{
    double sum = 0;
    for (int32_t i = 0; i < n; i++)
        sum += w[i];
    t->n = n;
    t->prob = bench_alloc((size_t)n * sizeof *t->prob);
    t->alias = bench_alloc((size_t)n * sizeof *t->alias);
    int32_t *small = bench_alloc((size_t)n * sizeof *small);
    int32_t *large = bench_alloc((size_t)n * sizeof *large);
    int32_t ns = 0, nl = 0;
    for (int32_t i = 0; i < n; i++) {
        t->prob[i] = w[i] * n / sum;
        t->alias[i] = i;
        if (t->prob[i] < 1.0)
            small[ns++] = i;
        else
            large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
        int32_t s = small[--ns], l = large[nl - 1];
        t->alias[s] = l;
        t->prob[l] -= 1.0 - t->prob[s];
        if (t->prob[l] < 1.0) {
            nl--;
            small[ns++] = l;
        }
    }
    while (nl > 0)
        t->prob[large[--nl]] = 1.0;
    while (ns > 0)
        t->prob[small[--ns]] = 1.0;
    free(small);
    free(large);
}

static inline int32_t alias_draw(const Alias *t, Rng *r)
{
    int32_t i = (int32_t)rng_below(r, (uint32_t)t->n);
    return rng_unit(r) < t->prob[i] ? i : t->alias[i];
}

/* ---- the touch baseline -------------------------------------------------- */

/* One sequential pass over the proposing side's list entries, one random read
 * into a receiver-sized int32 array per entry.  Returns the sum (printed, so
 * the loop cannot be optimised away) and the entries read in *n_out. */
static inline int64_t touch(const TmMarket *market, TmSide side, const int32_t *receiver,
                            int64_t *n_out)
{
    int64_t sum = 0, n = 0;
    int32_t np = tm_market_size(market, side);
    for (int32_t a = 0; a < np; a++) {
        int32_t len;
        const int32_t *list = tm_market_prefs(market, side, a, &len);
        for (int32_t j = 0; j < len; j++)
            sum += receiver[list[j]];
        n += len;
    }
    *n_out = n;
    return sum;
}

#endif /* TECHMATCH_BENCH_COMMON_H */
