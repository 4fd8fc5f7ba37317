/* techmatch — util layer: the one non-aborting allocator (not installed).
 *
 * Every allocation whose size derives from input goes through
 * tm_i_try_alloc(); small fixed-size allocations may use GLib directly.
 * The util layer sits below the core; it may use GLib and the public error
 * domain <techmatch/error.h> (TM_ERROR), which every layer shares. */
#ifndef TECHMATCH_UTIL_ALLOC_H
#define TECHMATCH_UTIL_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

/* Allocates @count elements of @elem bytes (zeroed when @zero).  Never
 * aborts: returns NULL and sets TM_ERROR_NO_MEMORY, naming @what and the
 * byte size, when the allocation fails or count x elem overflows (a negative
 * @count counts as overflow).  A zero-byte request returns a valid pointer
 * of one byte, so that every success can be g_free()d.  Free with g_free(). */
G_GNUC_INTERNAL void *tm_i_try_alloc(int64_t count, size_t elem, gboolean zero,
                                     const char *what, GError **error);

/* Asks the kernel to back the 2 MiB-aligned interior of [p, p + bytes) with
 * transparent huge pages (arrays of >= 4 MiB only; tm_i_try_alloc() does it
 * for every array it returns).  A hint: no error, no effect elsewhere. */
G_GNUC_INTERNAL void tm_i_advise_huge(void *p, size_t bytes);

#endif /* TECHMATCH_UTIL_ALLOC_H */
