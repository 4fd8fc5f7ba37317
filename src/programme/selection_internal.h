/* techmatch — private definitions of the selection (not installed).  Shared
 * by selection.c (the pipeline and accessors) and selection_reasons.c (the
 * outcome and reason of every agent). */
#ifndef TECHMATCH_PROGRAMME_SELECTION_INTERNAL_H
#define TECHMATCH_PROGRAMME_SELECTION_INTERNAL_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/groups.h>
#include <techmatch/preferences.h>
#include <techmatch/selection.h>

#include "core/control.h"
#include "programme/admission_private.h"

struct TmSelectOptions {
    int32_t k;
    TmObjective objective;
    gboolean objective_set;    /* set explicitly: the documents state it */
    TmStability stability;
    gboolean max_cardinality;
    gboolean random_ties;
    uint64_t tie_seed;
    TmReview *review;          /* a private copy, or NULL */
    TmControl ctl; /* progress and cancel (core/control.h) */
};

/* The review's decisions resolved to ids (selection_review.c). */
typedef struct {
    int32_t n_pins;
    int32_t *pin_c, *pin_s, *pin_decision; /* pinned pairs and their decision index */
    uint8_t *excluded[2];  /* per agent, NULL when there is no review */
    uint8_t *admitted[2];
    GHashTable *veto;      /* (c << 32 | s) */
    GHashTable *pinned;    /* (c << 32 | s) */
} TmReviewPlan;

struct TmSelection {
    TmProgramme *prog;      /* a reference */
    TmRules *rules;         /* a private copy */
    TmQuota *quota;         /* a private copy (empty when none was given) */
    int32_t n[2];           /* agents covered: the programme's counts at selection time */
    int32_t quota_total;
    TmScreening *screening;
    TmMarket *market;
    int32_t n_sectors;
    int32_t *sector_group;  /* per sector: 0 when it has limits set, -1 when none */
    int32_t *sector_cap;    /* per sector: the configured cap, -1 when none */
    int32_t *sector_floor;  /* per sector: the configured floor, 0 when none */
    TmMatching *matching;
    TmVerdict *verdict;
    TmScorer *scorer;
    TmObjective objective;
    gboolean objective_requested;
    double objective_value;
    TmStability stability;
    int *outcome[2];
    char **detail[2];
    int32_t n_selected;
    /* the admission in merit order (selection_admission.c) */
    TmQuotaUnit unit;
    int64_t quota_used;
    int32_t cutoff;         /* first commissioner cut by the quota, -1 when none */
    int32_t *merit_pos;     /* per commissioner: place in the admission order, -1 */
    int32_t *outranked_site, *outranked_by; /* per commissioner, -1 when none */
    TmAdmission adm;        /* its inputs and outputs; status NULL when not run */
    TmReview *review;       /* a private copy, or NULL */
    TmReviewPlan plan;
    TmMarket *adm_market;   /* the market the admission's matching is stable on */
};

/* Refuses, before anything is built, an objective that cannot be met under
 * the selection's quota and sector limits (selection_objective.c). */
G_GNUC_INTERNAL gboolean tm_i_selection_check_objective(TmSelection *selection,
                                                        const TmSelectOptions *options,
                                                        GError **error);
/* Step 4 with the objective and stability of @options: sets the matching,
 * its objective value and the verdict (selection_objective.c). */
G_GNUC_INTERNAL gboolean tm_i_selection_solve(TmSelection *selection,
                                              const TmSelectOptions *options, GError **error);

/* Fills outcome[], detail[] and n_selected from the matching.  Returns FALSE
 * with TM_ERROR_NO_MEMORY when an input-sized array cannot be allocated. */
G_GNUC_INTERNAL gboolean tm_i_selection_explain(TmSelection *selection, GError **error);

/* The review (selection_review.c). */
G_GNUC_INTERNAL gboolean tm_i_review_plan_build(TmSelection *selection, const TmReview *review,
                                                GError **error);
G_GNUC_INTERNAL void tm_i_review_plan_screen(TmSelection *selection);
G_GNUC_INTERNAL gboolean tm_i_review_plan_market(TmSelection *selection, GError **error);
G_GNUC_INTERNAL void tm_i_review_plan_clear(TmReviewPlan *plan);
G_GNUC_INTERNAL gboolean tm_i_review_plan_is_pinned(const TmReviewPlan *plan, int32_t c,
                                                    int32_t s);
G_GNUC_INTERNAL gboolean tm_i_review_plan_is_vetoed(const TmReviewPlan *plan, int32_t c,
                                                    int32_t s);
G_GNUC_INTERNAL gboolean tm_i_review_plan_is_excluded(const TmReviewPlan *plan, TmSide side,
                                                      int32_t id);

/* Step 4 by admission in merit order (selection_admission_run.c): sets the
 * matching and the verdict. */
G_GNUC_INTERNAL gboolean tm_i_selection_admit(TmSelection *selection,
                                              const TmSelectOptions *options, GError **error);
/* A strict copy of @m: ties broken by list position, or by @seed (selection_objective.c). */
G_GNUC_INTERNAL TmMarket *tm_i_selection_strict_copy(const TmMarket *m, gboolean seeded,
                                                     uint64_t seed, GError **error);

/* tm_i_try_alloc(): the non-aborting allocator (error.h's policy) */
#include "util/alloc.h"

#endif /* TECHMATCH_PROGRAMME_SELECTION_INTERNAL_H */
