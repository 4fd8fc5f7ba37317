/* techmatch — util layer: the one non-aborting allocator. */
#include "util/alloc.h"

#include <techmatch/error.h>

void *tm_i_try_alloc(int64_t count, size_t elem, gboolean zero, const char *what,
                     GError **error)
{
    if (count < 0 || (count > 0 && (uint64_t)count > (uint64_t)G_MAXSIZE / elem)) {
        g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                    "%s: size %" G_GINT64_FORMAT " x %zu bytes overflows", what, count, elem);
        return NULL;
    }
    gsize bytes = (gsize)count * elem;
    if (bytes == 0)
        bytes = 1; /* a valid, freeable pointer for empty arrays */
    void *p = zero ? g_try_malloc0(bytes) : g_try_malloc(bytes);
    if (p == NULL)
        g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                    "%s: cannot allocate %" G_GSIZE_FORMAT " bytes", what, bytes);
    return p;
}
