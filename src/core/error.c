/* techmatch — error domain and code names, version, growable buffer, side check. */
#include "core/internal.h"

#include <techmatch/version.h>

#include <string.h>

GQuark tm_error_quark(void)
{
    return g_quark_from_static_string("techmatch-error-quark");
}

const char *tm_error_code_name(int code)
{
    static const char *const names[] = {
        [TM_ERROR_INVALID_ARGUMENT] = "INVALID_ARGUMENT",
        [TM_ERROR_OUT_OF_RANGE] = "OUT_OF_RANGE",
        [TM_ERROR_DUPLICATE] = "DUPLICATE",
        [TM_ERROR_NEGATIVE_CAPACITY] = "NEGATIVE_CAPACITY",
        [TM_ERROR_OVERFLOW] = "OVERFLOW",
        [TM_ERROR_NO_MEMORY] = "NO_MEMORY",
        [TM_ERROR_CANCELLED] = "CANCELLED",
        [TM_ERROR_PARSE] = "PARSE",
        [TM_ERROR_IO] = "IO",
        [TM_ERROR_UNSUPPORTED] = "UNSUPPORTED",
        [TM_ERROR_UNKNOWN_NAME] = "UNKNOWN_NAME",
        [TM_ERROR_INFEASIBLE] = "INFEASIBLE",
        [TM_ERROR_NO_SUCH_MATCHING] = "NO_SUCH_MATCHING",
    };
    G_STATIC_ASSERT(G_N_ELEMENTS(names) == TM_ERROR_LAST + 1);
    if (code < 1 || code > TM_ERROR_LAST)
        return NULL;
    return names[code];
}

const char *tm_version(void)
{
    return TM_VERSION_STRING;
}

gboolean tm_i_buf_push(TmIBuf *b, const void *x, const char *what, GError **error)
{
    if (!tm_i_reserve(&b->v, &b->cap, b->n + 1, b->elem, what, error))
        return FALSE;
    memcpy((char *)b->v + (size_t)b->n * b->elem, x, b->elem);
    b->n++;
    return TRUE;
}

gboolean tm_i_side_ok(TmSide side)
{
    return side == TM_SIDE_SUPPLY || side == TM_SIDE_DEMAND;
}
