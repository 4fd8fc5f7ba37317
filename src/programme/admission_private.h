/* techmatch — admission in merit order (selection_admission.c; not installed).
 *
 * The selection rule of the programme (selection.h states it for users):
 * applicants are taken one at a time in merit order; each is placed by
 * commissioner-proposing deferred acceptance among those admitted so far
 * (McVitie–Wilson: the newcomer proposes, whoever is displaced proposes on
 * down his list), and the step is kept only if the quota and the sector caps
 * still hold afterwards — otherwise it is undone exactly (an undo log of
 * every word written).  A newcomer proposes only to sites of the sectors
 * *allowed* to him:
 *   - a sector whose cap a step would exceed is closed to this and every
 *     later newcomer, and the step is retried;
 *   - when a step would exceed the quota while sector floors are still
 *     unfilled, the open places are used up: it is retried, and every later
 *     newcomer proposes, with only the sectors below their floor allowed
 *     (the reserved places);
 *   - when a step exceeds the quota otherwise (or no reserved place is
 *     left), the newcomer is cut by the quota and so is everyone after him
 *     (the merit cutoff); when it still exceeds a cap, he is cut by that cap
 *     and the admission goes on.
 * Pinned pairs (the review) hold their seats from the start and count.
 *
 * What is counted (TmQuotaUnit): people (a commissioner with at least one
 * seat; in a sector, one with a seat there) or seats.
 */
#ifndef TECHMATCH_PROGRAMME_ADMISSION_PRIVATE_H
#define TECHMATCH_PROGRAMME_ADMISSION_PRIVATE_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/selection.h>

#include "core/control.h"

enum {
    TM_ADM_NONE = 0,     /* not in the admission order */
    TM_ADM_ADMITTED = 1, /* admitted (placed or not) */
    TM_ADM_CUT_QUOTA = 2,
    TM_ADM_CUT_CAP = 3,
};

typedef struct {
    /* input (borrowed) */
    int32_t nc, ns, n_sectors;
    const int32_t *off;    /* nc + 1 offsets into sites / srank */
    const int32_t *sites;  /* each commissioner's sites, best first, strict */
    const int32_t *srank;  /* the rank the site gives the commissioner, strict */
    const int32_t *ccap;   /* capacities left after the pins */
    const int32_t *scap;
    const int32_t *sector; /* per site, 0 .. n_sectors-1 */
    const int32_t *order;  /* admission order (commissioner ids) */
    int32_t n_order;
    const int32_t *cap;    /* per sector: cap in the unit, -1 none */
    const int32_t *floor;  /* per sector: floor in the unit, 0 none */
    int32_t total;         /* the quota in the unit, -1 none */
    TmQuotaUnit unit;
    int64_t n_pins;        /* pinned pairs: seats held from the start */
    const int32_t *pin_c, *pin_s;
    const TmControl *ctl;  /* cancel; may be NULL */

    /* output (owned; tm_i_admission_clear()) */
    int8_t *status;        /* per commissioner, TM_ADM_* */
    int32_t *cut_sector;   /* per commissioner: the cap that cut it, else -1 */
    int32_t *allowed_set;  /* per admitted commissioner: index of its allowed set */
    uint8_t *sets;         /* allowed sets, n_sectors bytes each */
    int32_t n_sets;
    uint8_t *closed;       /* per sector: closed to newcomers by its cap */
    int32_t cutoff;        /* first commissioner cut by the quota, -1 */
    int64_t used;          /* what the unit counts, pins included */
    int64_t n_pairs;       /* pairs placed (pins excluded) */
    int32_t *pair_c, *pair_s;
    int64_t attempts, undone; /* steps tried and undone (statistics) */
} TmAdmission;

/* Runs the admission.  FALSE with TM_ERROR_NO_MEMORY / TM_ERROR_CANCELLED;
 * then the outputs are cleared.  Time O(L + n) per step tried (in practice
 * the displacement chains are short: O(L + n) overall when nothing is
 * undone), memory O(L + n + seats). */
G_GNUC_INTERNAL gboolean tm_i_admission_run(TmAdmission *a, GError **error);
G_GNUC_INTERNAL void tm_i_admission_clear(TmAdmission *a);
/* TRUE when commissioner @c (admitted) was allowed to propose to @sector. */
G_GNUC_INTERNAL gboolean tm_i_admission_allowed(const TmAdmission *a, int32_t c, int32_t sector);

#endif /* TECHMATCH_PROGRAMME_ADMISSION_PRIVATE_H */
