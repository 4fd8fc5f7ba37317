/* techmatch — what the leading group's review changed (领导小组审核的效果):
 * the comparison of a selection made with a review (review.h,
 * tm_select_options_set_review()) against the previous run — the same
 * programme and configuration without the review, or with an earlier one.
 *
 * For each decision of the review it says what the decision did:
 *
 *   decision  effect                    meaning
 *   pin       TM_EFFECT_KEPT            the pair was assigned before and still is
 *             TM_EFFECT_ADDED           the pair is assigned now and was not before
 *   veto      TM_EFFECT_REMOVED         the pair was assigned before and is not now
 *             TM_EFFECT_NONE            the pair was not assigned before: nothing to undo
 *   exclude   TM_EFFECT_REMOVED         the agent had partners before and has none now
 *             TM_EFFECT_NONE            the agent had no partner before
 *   admit     TM_EFFECT_PLACED          the agent has a partner now
 *             TM_EFFECT_NOT_PLACED      the agent took part but has no partner
 *   any       TM_EFFECT_NOT_APPLIED     the current selection contradicts the
 *                                       decision (a pinned pair missing, a vetoed
 *                                       pair or an excluded agent assigned, an
 *                                       admitted agent still ineligible): it was
 *                                       not made with this review
 *
 * with the rules a pin or an admission overrides (the eligibility rules
 * failing for its agents and, for a pin, the pair rules failing for the
 * pair; a pinned pair no rule allows is the group's decision and stands),
 * and the agents it moved: its own agents and their partners in either
 * run whose partners changed.  Overall it lists the pairs added and
 * removed and the commissioners newly selected or no longer selected.
 *
 * The two selections must cover the same agents — the same numbers of
 * commissioners and sites with the same names in the same order (the same
 * programme, or the same forms read twice) — so that ids are shared.
 *
 * The comparison computes (programme layer); tm_review_effects_markdown()
 * and tm_review_effects_write() format it (io layer).
 */
#ifndef TECHMATCH_REVIEW_EFFECTS_H
#define TECHMATCH_REVIEW_EFFECTS_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/output.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/market.h>
#include <techmatch/review.h>
#include <techmatch/selection.h>

G_BEGIN_DECLS

/** What one decision changed (table above). */
typedef enum {
    TM_EFFECT_KEPT = 0,
    TM_EFFECT_ADDED = 1,
    TM_EFFECT_REMOVED = 2,
    TM_EFFECT_NONE = 3,
    TM_EFFECT_PLACED = 4,
    TM_EFFECT_NOT_PLACED = 5,
    TM_EFFECT_NOT_APPLIED = 6,
} TmEffect;

#define TM_N_EFFECTS 7

/** tm_effect_code:
 * "kept", "added", "removed", "none", "placed", "not_placed" or
 * "not_applied" (static string); NULL when out of range.  O(1). */
TM_API const char *tm_effect_code(TmEffect effect);

/** Which way an overall change goes. */
typedef enum {
    TM_CHANGE_ADDED = 0,   /**< in the current selection only (pairs; commissioners newly selected) */
    TM_CHANGE_REMOVED = 1, /**< in the previous selection only (pairs; commissioners no longer selected) */
} TmChange;

typedef struct TmReviewEffects TmReviewEffects;

/**
 * tm_review_effects_new:
 * Compares @current (made with @review) against @previous.  @review may be
 * NULL (no decisions: only the overall changes).  The comparison keeps a
 * copy of @review and borrows both selections, which must outlive it.
 * Errors: TM_ERROR_INVALID_ARGUMENT (NULL selection; selections over
 * different agents, the message naming the first difference),
 * TM_ERROR_UNKNOWN_NAME (a decision names no agent of the programme; the
 * message starts with the decision's source, e.g. `review.csv:4: `),
 * TM_ERROR_NO_MEMORY.  Time O(agents + pairs + decisions x (list + expertise)).
 */
TM_API TmReviewEffects *tm_review_effects_new(const TmSelection *previous,
                                              const TmSelection *current,
                                              const TmReview *review, GError **error);
/** tm_review_effects_free: NULL-safe. */
TM_API void tm_review_effects_free(TmReviewEffects *effects);

/** tm_review_effects_previous: the previous run compared (borrowed); NULL
 * for NULL.  O(1). */
TM_API const TmSelection *tm_review_effects_previous(const TmReviewEffects *effects);
/** tm_review_effects_current: the selection made with the review (borrowed);
 * NULL for NULL.  O(1). */
TM_API const TmSelection *tm_review_effects_current(const TmReviewEffects *effects);
/** tm_review_effects_review: the comparison's copy of the review (borrowed;
 * an empty review when none was given); NULL for NULL. */
TM_API const TmReview *tm_review_effects_review(const TmReviewEffects *effects);

/** tm_review_effects_set_baseline:
 * Says what the previous run was, for the report (copied; e.g. "the same
 * forms and configuration with the earlier review review-1.csv"); NULL
 * restores the default, "the same forms and configuration without the
 * review".  Errors: TM_ERROR_INVALID_ARGUMENT (NULL @effects, invalid
 * UTF-8).  O(length). */
TM_API gboolean tm_review_effects_set_baseline(TmReviewEffects *effects, const char *text,
                                               GError **error);
/** tm_review_effects_baseline: what the previous run was (borrowed; the
 * default text unless set); NULL for NULL.  O(1). */
TM_API const char *tm_review_effects_baseline(const TmReviewEffects *effects);

/**
 * tm_review_effects_decision:
 * The effect (TmEffect) of decision @i of the review, or -1 when out of
 * range.  *@commissioner_out and *@site_out receive the ids of the agents
 * it names (-1 for the one it does not name), *@overrides_out the rules it
 * overrides as a mask (bit i = rule i of rules.h; 0 for a veto or an
 * exclusion, and when nothing failed), all under the current selection's
 * rules.  Pointers may be NULL.  O(1).
 */
TM_API int tm_review_effects_decision(const TmReviewEffects *effects, int32_t i,
                                      int32_t *commissioner_out, int32_t *site_out,
                                      uint32_t *overrides_out);
/** tm_review_effects_n_moved:
 * Number of agents decision @i moved: its agents (always listed first,
 * commissioner before site), then the commissioners and sites that were
 * their partners in either run, when their partners differ between the
 * runs (commissioners first, each side in id order).  -1 when out of range. */
TM_API int32_t tm_review_effects_n_moved(const TmReviewEffects *effects, int32_t i);
/** tm_review_effects_moved:
 * Agent @j of those decision @i moved: its side in *@side_out and id in
 * *@agent_out (their partners before and after are the selections'
 * matchings).  FALSE (and -1s) when out of range. */
TM_API gboolean tm_review_effects_moved(const TmReviewEffects *effects, int32_t i, int32_t j,
                                        int *side_out, int32_t *agent_out);

/** tm_review_effects_n_pairs:
 * Pairs assigned only in the current selection (TM_CHANGE_ADDED) or only in
 * the previous one (TM_CHANGE_REMOVED); -1 for NULL or a bad @change. */
TM_API int64_t tm_review_effects_n_pairs(const TmReviewEffects *effects, TmChange change);
/** tm_review_effects_pair:
 * Pair @k of those (ordered by commissioner id, then site id) into
 * *@commissioner_out and *@site_out.  FALSE (and -1s) when out of range. */
TM_API gboolean tm_review_effects_pair(const TmReviewEffects *effects, TmChange change,
                                       int64_t k, int32_t *commissioner_out, int32_t *site_out);
/** tm_review_effects_n_commissioners:
 * Commissioners with a site in the current selection and none in the
 * previous (TM_CHANGE_ADDED: newly selected), or the other way round
 * (TM_CHANGE_REMOVED: no longer selected); -1 for NULL or a bad @change. */
TM_API int32_t tm_review_effects_n_commissioners(const TmReviewEffects *effects,
                                                 TmChange change);
/** tm_review_effects_commissioner:
 * Id of commissioner @k of those (in id order), -1 when out of range. */
TM_API int32_t tm_review_effects_commissioner(const TmReviewEffects *effects, TmChange change,
                                              int32_t k);

/**
 * tm_review_effects_markdown:
 * (io layer) The report section "Leading group's review (领导小组审核)":
 * each decision with its source, note, effect, the rules it overrides and
 * the agents it moved (before → now), then the pairs added and removed and
 * the commissioners newly selected or no longer selected.  Text from the
 * data is escaped as in tm_selection_report_markdown().  Returns a new
 * string (g_free()) or NULL with TM_ERROR_INVALID_ARGUMENT (NULL).
 * Time O(decisions x moved x capacity + pairs).
 */
TM_API char *tm_review_effects_markdown(const TmReviewEffects *effects, GError **error);
/**
 * tm_review_effects_write:
 * (io layer) As tm_selection_write() for the current selection, with
 * report.md followed by tm_review_effects_markdown(): the documents of
 * tm_selection_write() written as one set into @dir.  Errors as tm_selection_write().
 */
TM_API gboolean tm_review_effects_write(const TmReviewEffects *effects, const char *dir,
                                        GError **error);
/**
 * tm_review_effects_write_with:
 * (io layer) As tm_selection_write_with() (output.h) for the current
 * selection, with the review's section after the report.  @options may be
 * NULL.  Errors as tm_selection_write_with().
 */
TM_API gboolean tm_review_effects_write_with(const TmReviewEffects *effects, const char *dir,
                                             const TmOutputOptions *options, GError **error);

G_END_DECLS

#endif /* TECHMATCH_REVIEW_EFFECTS_H */
