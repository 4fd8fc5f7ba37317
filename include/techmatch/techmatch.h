/* techmatch — umbrella header: include this one.
 *
 * Layers (each depends only on the ones above it):
 *   core     error.h cancel.h market.h matching.h solve.h groups.h lattice.h
 *                                                      generic, integer ids
 *   domain   profile.h rules.h preferences.h selection.h config.h
 *   io       instance.h (neutral JSON format) forms.h (the two forms)
 *            report.h (a selection's CSV, JSON and Markdown documents)
 */
#ifndef TECHMATCH_H
#define TECHMATCH_H

#include <techmatch/export.h>
#include <techmatch/version.h>
#include <techmatch/lang.h>
#include <techmatch/error.h>
#include <techmatch/market.h>
#include <techmatch/matching.h>
#include <techmatch/cancel.h>
#include <techmatch/solve.h>
#include <techmatch/groups.h>
#include <techmatch/lattice.h>
#include <techmatch/instance.h>
#include <techmatch/edges.h>
#include <techmatch/profile.h>
#include <techmatch/rules.h>
#include <techmatch/preferences.h>
#include <techmatch/forms.h>
#include <techmatch/selection.h>
#include <techmatch/config.h>
#include <techmatch/report.h>
#include <techmatch/tasks.h>
#include <techmatch/review.h>
#include <techmatch/agreement.h>
#include <techmatch/explain.h>
#include <techmatch/output.h>
#include <techmatch/review_effects.h>
#include <techmatch/sweep.h>
#include <techmatch/job.h>

#endif /* TECHMATCH_H */
