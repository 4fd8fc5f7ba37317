/* techmatch — the leading group's review (领导小组审核认定): decisions that a
 * re-run of the selection applies (selection.h, tm_select_options_set_review()).
 *
 * A review is an ordered list of decisions, each about named agents:
 *
 *   kind     code      Chinese  names            effect on the re-run
 *   PIN      pin       确认     commissioner+site the pair is assigned first, whatever the
 *                                                rules, wishes and scores say; it uses one
 *                                                place of each side's capacity and counts
 *                                                against the quota and the sector limits
 *   VETO     veto      否决     commissioner+site the pair is never assigned
 *   EXCLUDE  exclude   排除     commissioner or  the agent takes no part (outcome
 *                               site             TM_OUTCOME_REVIEW)
 *   ADMIT    admit     增补     commissioner or  the agent is treated as eligible although an
 *                               site             eligibility rule (rules.h) fails for it
 *
 * Everything else is re-matched under the same rules.  A withdrawal in mid-term
 * is a review that pins every other pair of the previous run and excludes the
 * one who left: the re-run refills the vacancy.
 *
 * Names are checked against the programme when the selection is made
 * (TM_ERROR_UNKNOWN_NAME naming the decision's source, e.g. `review.csv:4`);
 * contradictions are refused there too (TM_ERROR_INVALID_ARGUMENT: a pair both
 * pinned and vetoed, a pinned agent excluded, more pins on an agent than its
 * capacity, pins beyond the quota).
 *
 * The CSV form of a review is read by tm_review_load_file() (io layer; format:
 * docs/review.md).
 *
 * A TmReview is a plain value: not thread-safe to modify, fine to read from
 * several threads.
 */
#ifndef TECHMATCH_REVIEW_H
#define TECHMATCH_REVIEW_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/market.h>

G_BEGIN_DECLS

typedef enum {
    TM_DECISION_PIN = 0,
    TM_DECISION_VETO = 1,
    TM_DECISION_EXCLUDE = 2,
    TM_DECISION_ADMIT = 3,
} TmDecisionKind;

#define TM_N_DECISION_KINDS 4

/** tm_decision_kind_code:
 * "pin", "veto", "exclude" or "admit" (static string); NULL when out of
 * range.  O(1). */
TM_API const char *tm_decision_kind_code(TmDecisionKind kind);
/** tm_decision_kind_label_zh:
 * 确认, 否决, 排除 or 增补 (static string); NULL when out of range. */
TM_API const char *tm_decision_kind_label_zh(TmDecisionKind kind);
/** tm_decision_kind_from_string:
 * The kind named by a code or a Chinese label above (also 固定, 指定 for pin;
 * 不同意 for veto; 剔除 for exclude; 同意入选 for admit; ASCII
 * case-insensitive, blanks around ignored), or -1 when unknown or NULL. */
TM_API int tm_decision_kind_from_string(const char *text);

typedef struct TmReview TmReview;

/** tm_review_new: an empty review.  Free with tm_review_free().  Never fails. */
TM_API TmReview *tm_review_new(void);
/** tm_review_copy: a deep copy (NULL for NULL).  O(decisions). */
TM_API TmReview *tm_review_copy(const TmReview *review);
/** tm_review_free: frees @review.  NULL-safe. */
TM_API void tm_review_free(TmReview *review);

/**
 * tm_review_add:
 * Appends a decision.  @commissioner and @site are names (copied):
 * PIN and VETO need both; EXCLUDE and ADMIT need exactly one of them (the
 * agent concerned).  @note (may be NULL) is the group's remark, copied and
 * shown in the report; @source (may be NULL) says where the decision came
 * from (e.g. "review.csv:4"), used in error messages.
 * Returns the decision's index, or -1 with TM_ERROR_INVALID_ARGUMENT (NULL
 * review, bad kind, names missing or both given for EXCLUDE/ADMIT, invalid
 * UTF-8); then @review is unchanged.  O(1) amortised.
 */
TM_API int32_t tm_review_add(TmReview *review, TmDecisionKind kind, const char *commissioner,
                             const char *site, const char *note, const char *source,
                             GError **error);

/** tm_review_n_decisions: number of decisions (0 for NULL). */
TM_API int32_t tm_review_n_decisions(const TmReview *review);

/**
 * tm_review_decision:
 * Decision @i: returns its kind, or -1 when out of range; each out-pointer
 * may be NULL and receives a borrowed string (valid until @review is freed
 * or changed) or NULL when not given.  O(1).
 */
TM_API int tm_review_decision(const TmReview *review, int32_t i, const char **commissioner,
                              const char **site, const char **note, const char **source);

/**
 * tm_review_load_file:
 * Appends the decisions of a review CSV file (io layer; format: docs/review.md:
 * columns decision/决定, commissioner/特派员, site/派驻点, note/备注, with the
 * same CSV rules as the forms).  Errors: TM_ERROR_INVALID_ARGUMENT (NULL),
 * TM_ERROR_IO, TM_ERROR_PARSE with `FILE:LINE:COLUMN: field: message`.  All or
 * nothing: on error @review is unchanged.  Time O(size of the file).
 */
TM_API gboolean tm_review_load_file(TmReview *review, const char *path, GError **error);
/** tm_review_load_data: as tm_review_load_file() from @len bytes of @data (-1:
 * NUL-terminated); @source_name names it in messages (NULL: "<data>"). */
TM_API gboolean tm_review_load_data(TmReview *review, const char *data, gssize len,
                                    const char *source_name, GError **error);

G_END_DECLS

#endif /* TECHMATCH_REVIEW_H */
