/* tm_bench_lattice's helpers (bench_lattice.h): the allocation accounting,
 * time and randomness, the market generators and the digests. */
#define _GNU_SOURCE
#include "bench_lattice.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* ---- allocation accounting ---------------------------------------------- */

static int64_t g_heap_now, g_heap_peak;

#if ACCOUNTING
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static inline void note_alloc(void *p)
{
    if (p != NULL) {
        int64_t now = __atomic_add_fetch(&g_heap_now, (int64_t)malloc_usable_size(p),
                                         __ATOMIC_RELAXED);
        int64_t peak = __atomic_load_n(&g_heap_peak, __ATOMIC_RELAXED);
        while (now > peak && !__atomic_compare_exchange_n(&g_heap_peak, &peak, now, 1,
                                                          __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            ;
    }
}

static inline void note_free(void *p)
{
    if (p != NULL)
        __atomic_sub_fetch(&g_heap_now, (int64_t)malloc_usable_size(p), __ATOMIC_RELAXED);
}

void *malloc(size_t n)
{
    void *p = __libc_malloc(n);
    note_alloc(p);
    return p;
}

void *calloc(size_t n, size_t m)
{
    void *p = __libc_calloc(n, m);
    note_alloc(p);
    return p;
}

void *realloc(void *old, size_t n)
{
    if (old == NULL)
        return malloc(n);
    size_t before = malloc_usable_size(old);
    void *p = __libc_realloc(old, n);
    if (p != NULL || n == 0) {
        __atomic_sub_fetch(&g_heap_now, (int64_t)before, __ATOMIC_RELAXED);
        note_alloc(p);
    }
    return p;
}

void free(void *p)
{
    note_free(p);
    __libc_free(p);
}

void *memalign(size_t align, size_t n)
{
    void *p = __libc_memalign(align, n);
    note_alloc(p);
    return p;
}

void *aligned_alloc(size_t align, size_t n)
{
    return memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    void *p = __libc_memalign(align, n);
    if (p == NULL)
        return ENOMEM;
    note_alloc(p);
    *out = p;
    return 0;
}
#endif

/* Starts a phase: the peak is reset to what is held now. */
int64_t heap_mark(void)
{
    int64_t now = __atomic_load_n(&g_heap_now, __ATOMIC_RELAXED);
    __atomic_store_n(&g_heap_peak, now, __ATOMIC_RELAXED);
    return now;
}

/* Peak growth since heap_mark() returned @base, bytes. */
int64_t heap_growth(int64_t base)
{
    return __atomic_load_n(&g_heap_peak, __ATOMIC_RELAXED) - base;
}

/* ---- time, randomness ---------------------------------------------------- */

double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* KiB on Linux */
}

uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}


void rng_seed(Rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = seed = splitmix64(seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(Rng *r)
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

uint32_t rng_below(Rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "tm_bench_lattice: out of memory (%zu bytes)\n", n);
        exit(1);
    }
    return p;
}

int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* ---- generators ----------------------------------------------------------- */


void gen_free(Gen *g)
{
    for (int s = 0; s < 2; s++) {
        free(g->cap[s]);
        free(g->off[s]);
        free(g->ids[s]);
    }
}

static void shuffle(Rng *r, int32_t *a, int32_t n)
{
    for (int32_t i = n - 1; i > 0; i--) {
        int32_t j = (int32_t)rng_below(r, (uint32_t)i + 1), t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

void gen_one(int32_t n, uint64_t seed, Gen *g)
{
    Rng rng;
    rng_seed(&rng, seed);
    memset(g, 0, sizeof *g);
    for (int side = 0; side < 2; side++) {
        g->n[side] = n;
        g->off[side] = xmalloc(((size_t)n + 1) * sizeof(int32_t));
        g->ids[side] = xmalloc((size_t)n * (size_t)n * sizeof(int32_t));
        for (int32_t a = 0; a <= n; a++)
            g->off[side][a] = (int32_t)((int64_t)a * n);
        for (int32_t a = 0; a < n; a++) {
            int32_t *list = g->ids[side] + (int64_t)a * n;
            for (int32_t b = 0; b < n; b++)
                list[b] = b;
            shuffle(&rng, list, n);
        }
    }
}

void gen_many(int32_t n, int32_t m, int32_t k, int32_t capacity, uint64_t seed, int flip,
              Gen *g)
{
    const int64_t L = (int64_t)n * k;
    Rng rng;
    rng_seed(&rng, seed);
    const uint64_t site_seed = rng_next(&rng);
    memset(g, 0, sizeof *g);
    g->n[0] = n;
    g->n[1] = m;
    g->cap[1] = xmalloc((size_t)(m ? m : 1) * sizeof(int32_t));
    for (int32_t d = 0; d < m; d++)
        g->cap[1][d] = capacity;
    g->off[0] = xmalloc(((size_t)n + 1) * sizeof(int32_t));
    g->ids[0] = xmalloc((size_t)L * sizeof(int32_t));
    int32_t *seen = xmalloc((size_t)(m ? m : 1) * sizeof(int32_t));
    for (int32_t d = 0; d < m; d++)
        seen[d] = -1;
    for (int32_t s = 0; s < n; s++) {
        int32_t *list = g->ids[0] + (int64_t)s * k;
        g->off[0][s] = (int32_t)((int64_t)s * k);
        for (int32_t j = 0; j < k;) { /* draw order = a random order */
            int32_t d = (int32_t)rng_below(&rng, (uint32_t)m);
            if (seen[d] != s) {
                seen[d] = s;
                list[j++] = d;
            }
        }
    }
    g->off[0][n] = (int32_t)L;
    free(seen);
    /* sites: the agents that listed them, by a random score per (site, agent) */
    g->off[1] = calloc((size_t)m + 1, sizeof(int32_t));
    g->ids[1] = xmalloc((size_t)L * sizeof(int32_t));
    for (int64_t e = 0; e < L; e++)
        g->off[1][g->ids[0][e] + 1]++;
    int32_t longest = 0;
    for (int32_t d = 0; d < m; d++) {
        longest = g->off[1][d + 1] > longest ? g->off[1][d + 1] : longest;
        g->off[1][d + 1] += g->off[1][d];
    }
    int32_t *cur = xmalloc(((size_t)m + 1) * sizeof(int32_t));
    memcpy(cur, g->off[1], ((size_t)m + 1) * sizeof(int32_t));
    for (int32_t s = 0; s < n; s++)
        for (int32_t e = g->off[0][s]; e < g->off[0][s + 1]; e++)
            g->ids[1][cur[g->ids[0][e]]++] = s;
    free(cur);
    uint64_t *key = xmalloc((size_t)(longest ? longest : 1) * sizeof(uint64_t));
    for (int32_t d = 0; d < m; d++) {
        int32_t *list = g->ids[1] + g->off[1][d], len = g->off[1][d + 1] - g->off[1][d];
        for (int32_t j = 0; j < len; j++) {
            uint64_t h = splitmix64(site_seed ^ splitmix64(((uint64_t)d << 32) | (uint32_t)list[j]));
            key[j] = (h & 0xffffffff00000000ULL) | (uint32_t)list[j];
        }
        qsort(key, (size_t)len, sizeof *key, cmp_u64);
        for (int32_t j = 0; j < len; j++)
            list[j] = (int32_t)(uint32_t)key[j];
    }
    free(key);
    if (flip) { /* the sites become the supply side */
        int32_t n0 = g->n[0], *c0 = g->cap[0], *f0 = g->off[0], *i0 = g->ids[0];
        g->n[0] = g->n[1];
        g->cap[0] = g->cap[1];
        g->off[0] = g->off[1];
        g->ids[0] = g->ids[1];
        g->n[1] = n0;
        g->cap[1] = c0;
        g->off[1] = f0;
        g->ids[1] = i0;
    }
}

/* ---- digest (FNV-1a over 32-bit words) ------------------------------------ */

uint64_t fnv(uint64_t h, int64_t x)
{
    for (int i = 0; i < 8; i++) {
        h ^= (uint64_t)(x >> (8 * i)) & 0xff;
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t lattice_digest(const TmLattice *lat)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    int32_t R = tm_lattice_n_rotations(lat), cap = 0, len, np;
    int32_t *s = NULL, *d = NULL;
    GError *err = NULL;
    h = fnv(h, R);
    for (int32_t r = 0; r < R; r++) {
        tm_lattice_rotation(lat, r, NULL, NULL, 0, &len, NULL);
        tm_lattice_rotation_predecessors(lat, r, NULL, 0, &np, NULL);
        if (len > cap || np > cap) {
            cap = (len > np ? len : np) * 2;
            s = realloc(s, (size_t)cap * sizeof *s);
            d = realloc(d, (size_t)cap * sizeof *d);
        }
        if (!tm_lattice_rotation(lat, r, s, d, cap, &len, &err)) {
            fprintf(stderr, "tm_bench_lattice: rotation %d: %s\n", r, err->message);
            exit(1);
        }
        h = fnv(h, len);
        for (int32_t i = 0; i < len; i++)
            h = fnv(fnv(h, s[i]), d[i]);
        tm_lattice_rotation_predecessors(lat, r, s, cap, &np, NULL);
        h = fnv(h, np);
        for (int32_t i = 0; i < np; i++)
            h = fnv(h, s[i]);
    }
    free(s);
    free(d);
    return h;
}

uint64_t matching_digest(uint64_t h, const TmMatching *mt)
{
    int64_t n = tm_matching_n_pairs(mt);
    int32_t *s = xmalloc((size_t)(n ? n : 1) * sizeof *s), *d = xmalloc((size_t)(n ? n : 1) * sizeof *d);
    tm_matching_get_pairs(mt, s, d, n, NULL);
    h = fnv(h, n);
    for (int64_t i = 0; i < n; i++)
        h = fnv(fnv(h, s[i]), d[i]);
    free(s);
    free(d);
    return h;
}

