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

/* What explains one agent's outcome, kept at explain time so that its
 * detail can be written in either language (selection_reasons.c). */
typedef enum {
    TM_D_NONE = 0,
    TM_D_TEXT,          /* text: a rule code (the screening's first failing rule) */
    TM_D_REVIEW,        /* text: the decision's source, text2: its note (either NULL) */
    TM_D_QUOTA,         /* a: the cutoff commissioner (-1 none), x: its merit */
    TM_D_QUOTA_OPEN,    /* the open places used up, the floors' reserved ones left */
    TM_D_CAP,           /* a: the sector */
    TM_D_TOOK,          /* a: the commissioner who took the place at site b */
    TM_D_NO_PLACE,      /* b: the site without a place */
    TM_D_PREFER,        /* n: acceptable commissioners, a went to site b */
    TM_D_NOT_AVAILABLE, /* n: acceptable commissioners */
    TM_D_NO_ELIGIBLE,   /* no eligible agent on the other side */
    TM_D_NO_PARTNER,    /* text: the most frequent pair rule (NULL: no mutual
                           listing), n of m eligible agents */
} TmDetailKind;

typedef struct {
    int kind;           /* TmDetailKind */
    int partly;         /* for a partly matched agent: the TmOutcome of its
                           other places; -1 otherwise */
    int32_t a, b, n, m;
    int32_t would;      /* a site's detail: the commissioner who would come, -1 */
    double x;
    const char *text, *text2; /* borrowed from the selection (static codes, the
                                 review's private copy, the screening) */
} TmDetail;

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
    char **detail[2];       /* the English detail (tm_selection_outcome()) */
    TmDetail *why[2];       /* its structure, for tm_selection_reason() */
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

/* The detail of agent @id of @side in @lang (EN or ZH), NULL when there is
 * none (selection_reasons.c); g_free(). */
G_GNUC_INTERNAL char *tm_i_selection_detail(const TmSelection *selection, TmSide side,
                                            int32_t id, TmLang lang);

/* Fills outcome[], why[], detail[] and n_selected from the matching.  Returns FALSE
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
