/* techmatch — util layer: growable arrays with 64-bit lengths (not
 * installed).
 *
 * A vector is a plain struct {v, n, cap}; zero-initialise it, append with
 * `if (!TM_I_VEC_RESERVE(&vec, extra, what, error)) ...; vec.v[vec.n++] = x;`
 * and release with tm_i_vec_clear().  Growth never aborts: it goes through
 * g_try_realloc() and fails with TM_ERROR_NO_MEMORY naming @what and the
 * byte size (the allocation policy of <techmatch/error.h>). */
#ifndef TECHMATCH_UTIL_VEC_H
#define TECHMATCH_UTIL_VEC_H

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

typedef struct {
    int32_t *v;
    int64_t n, cap;
} TmIVecI32;

typedef struct {
    double *v;
    int64_t n, cap;
} TmIVecF64;

/* Makes room for at least @need elements of @elem bytes in *@v, whose
 * capacity (in elements) is *@cap; grows geometrically (x1.5, at least 64).
 * Contents are kept; on failure *@v and *@cap are unchanged.  Returns FALSE
 * with TM_ERROR_NO_MEMORY naming @what and the requested bytes.  Amortised
 * O(1) per appended element. */
G_GNUC_INTERNAL gboolean tm_i_reserve(void **v, int64_t *cap, int64_t need, size_t elem,
                                      const char *what, GError **error);

/* Room for @extra more elements after the current length of vector @a. */
#define TM_I_VEC_RESERVE(a, extra, what, err)                                           \
    tm_i_reserve((void **)&(a)->v, &(a)->cap, (a)->n + (extra), sizeof *(a)->v, (what), \
                 (err))

/* Frees the elements of vector @a and zeroes it (reusable afterwards). */
#define tm_i_vec_clear(a)        \
    do {                         \
        g_free((a)->v);          \
        (a)->v = NULL;           \
        (a)->n = (a)->cap = 0;   \
    } while (0)

#endif /* TECHMATCH_UTIL_VEC_H */
