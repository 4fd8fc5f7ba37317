/* techmatch — umbrella header: include this one.
 *
 * Layers (each depends only on the ones above it):
 *   core     error.h cancel.h market.h matching.h solve.h groups.h   generic, integer ids
 *   io       instance.h                                     neutral JSON format
 *   domain   profile.h rules.h preferences.h forms.h selection.h
 */
#ifndef TECHMATCH_H
#define TECHMATCH_H

#include <techmatch/export.h>
#include <techmatch/version.h>
#include <techmatch/error.h>
#include <techmatch/market.h>
#include <techmatch/matching.h>
#include <techmatch/cancel.h>
#include <techmatch/solve.h>
#include <techmatch/groups.h>
#include <techmatch/instance.h>
#include <techmatch/profile.h>
#include <techmatch/rules.h>
#include <techmatch/preferences.h>
#include <techmatch/forms.h>
#include <techmatch/selection.h>

#endif /* TECHMATCH_H */
