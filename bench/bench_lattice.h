/* tm_bench_lattice (bench_lattice.c): helpers shared with bench_lattice_aux.c. */
#ifndef TM_BENCH_LATTICE_H
#define TM_BENCH_LATTICE_H

#include <stddef.h>
#include <stdint.h>

#include <techmatch/techmatch.h>

/* Allocation accounting: bench_lattice_aux.c wraps malloc, calloc, realloc,
 * free and the aligned allocators of the whole process (GLib and the library
 * allocate through them), except under a sanitizer, which owns malloc. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ACCOUNTING 0
#else
#define ACCOUNTING 1
#endif

/* Starts a phase: the peak is reset to what is held now, which is returned. */
int64_t heap_mark(void);
/* Peak growth since heap_mark() returned @base, bytes. */
int64_t heap_growth(int64_t base);

double now(void);          /* monotonic seconds */
double peak_rss_mib(void); /* peak resident set of the process so far */
void *xmalloc(size_t n);   /* exits on failure */
int cmp_u64(const void *a, const void *b);

typedef struct {
    uint64_t s[4];
} Rng; /* xoshiro256** */

uint64_t splitmix64(uint64_t x);
void rng_seed(Rng *r, uint64_t seed);
uint64_t rng_next(Rng *r);
uint32_t rng_below(Rng *r, uint32_t n); /* uniform in [0, n), n > 0 */

/* A generated market in CSR form (what tm_market_new_from_arrays() takes). */
typedef struct {
    int32_t n[2];
    int32_t *cap[2]; /* NULL = all 1 */
    int32_t *off[2], *ids[2];
} Gen;

void gen_free(Gen *g);
/* One-to-one, @n per side, complete lists in independent uniform orders. */
void gen_one(int32_t n, uint64_t seed, Gen *g);
/* Many-to-one: @n agents (capacity 1) list @k distinct sites of @m drawn
 * uniformly; each site (capacity @capacity) ranks its applicants by a random
 * score.  @flip: the sites are the supply side. */
void gen_many(int32_t n, int32_t m, int32_t k, int32_t capacity, uint64_t seed, int flip,
              Gen *g);

/* FNV-1a of the 8 bytes of @x into @h. */
uint64_t fnv(uint64_t h, int64_t x);
/* Every rotation (its pairs in order) and every predecessor list. */
uint64_t lattice_digest(const TmLattice *lat);
/* The pairs of a matching, into @h. */
uint64_t matching_digest(uint64_t h, const TmMatching *mt);

#endif /* TM_BENCH_LATTICE_H */
