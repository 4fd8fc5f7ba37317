/* techmatch — util layer: a small deterministic hash-based random source
 * (not installed).
 *
 * SplitMix64 (Steele, Lea & Flood 2014): a 64-bit state advanced by a fixed
 * odd constant and a bijective finaliser.  Not for cryptography; used where
 * the library needs reproducible pseudo-random choices that depend only on
 * a seed and the inputs (never on thread count or call order). */
#ifndef TECHMATCH_UTIL_RNG_H
#define TECHMATCH_UTIL_RNG_H

#include <stdint.h>

/* Advances *@state and returns the next 64-bit output.  O(1). */
static inline uint64_t tm_i_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* A well-mixed 64-bit value determined by (@seed, @a, @b) alone: the first
 * SplitMix64 output from a state combining the three.  O(1). */
static inline uint64_t tm_i_mix3(uint64_t seed, uint64_t a, uint64_t b)
{
    uint64_t st = seed ^ (a * UINT64_C(0xD6E8FEB86659FD93)) ^ (b * UINT64_C(0xA0761D6478BD642F));
    return tm_i_splitmix64(&st);
}

#endif /* TECHMATCH_UTIL_RNG_H */
