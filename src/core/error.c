/* techmatch — error domain, version, side check. */
#include "core/internal.h"

#include <techmatch/version.h>

G_DEFINE_QUARK(techmatch-error-quark, tm_error)

const char *tm_version(void)
{
    return TM_VERSION_STRING;
}

gboolean tm_i_side_ok(TmSide side)
{
    return side == TM_SIDE_SUPPLY || side == TM_SIDE_DEMAND;
}
