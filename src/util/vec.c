/* techmatch — util layer: growable arrays (vec.h). */
#include "util/vec.h"

#include <techmatch/error.h>

gboolean tm_i_reserve(void **v, int64_t *cap, int64_t need, size_t elem, const char *what,
                      GError **error)
{
    if (need <= *cap)
        return TRUE;
    int64_t c = *cap > 64 ? *cap : 64;
    while (c < need)
        c = c > G_MAXINT64 / 3 ? need : c + c / 2;
    if ((uint64_t)c > (uint64_t)G_MAXSIZE / elem) {
        g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                    "%s: %" G_GINT64_FORMAT " x %zu bytes overflows", what, c, elem);
        return FALSE;
    }
    void *p = g_try_realloc(*v, (gsize)c * elem);
    if (p == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                    "%s: cannot allocate %" G_GSIZE_FORMAT " bytes", what, (gsize)c * elem);
        return FALSE;
    }
    *v = p;
    *cap = c;
    return TRUE;
}
