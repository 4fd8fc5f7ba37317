/* techmatch — the explanation of one agent's outcome in a selection
 * (`techmatch explain NAME`): the agent's list with every candidate's score
 * broken into its components both ways, which rule removed whom, and why the
 * agent ended where it did.
 *
 * A TmExplanation is made from a selection (selection.h) and one agent, a
 * commissioner (TM_SIDE_SUPPLY) or a site (TM_SIDE_DEMAND).  It has one ROW
 * per agent of the other side (a *candidate*), in this order: first the
 * agent's preference list, best first (ties by list position), then every
 * other candidate by the agent's own score, best first, ties by id.  Each row
 * says
 *
 *   - the candidate's STATUS (TmExplainStatus): in the list, or why not:
 *     excluded by the leading group's review, ineligible (an agent rule of
 *     the candidate or of the agent; the rule code and the value at fault),
 *     removed by a pair rule (the first failing rule, all failing rules, the
 *     value at fault), not named by a side that accepts only those it named
 *     (profile.h, TmConsent; tm_programme_consent() under the selection's
 *     rules, so the [consent] default counts), or acceptable but not among
 *     the candidates ranked (the top-k lists of preferences.h, or a pair the
 *     review vetoed);
 *   - both ranks (the agent's of the candidate, the candidate's of the agent;
 *     0 = first choice, -1 when the pair is not listed);
 *   - the six score components x_k (preferences.h, shared by both sides) and
 *     each side's score with its weighted parts w_k x_k / sum w (they add up
 *     to the score);
 *   - for a listed candidate the agent did not get although it ranks it above
 *     a partner it got (or while it has room left; nothing for an agent of
 *     capacity 0): WHY NOT (TmExplainWhy) — the candidate holds partners it
 *     prefers (named, with its ranks of them), or the places were closed by a
 *     sector cap or by the quota, or the commissioner of the pair was cut by
 *     the quota at the merit cutoff (tm_selection_merit_cutoff()), with an
 *     English sentence naming them.  The checks, in order: the merit cutoff
 *     (the pair's commissioner unplaced, at or after it); the candidate full
 *     with partners it ranks at least as high; the pair's effect on what the
 *     quota and the site's sector count (the site's worst holder leaving a
 *     full site, the commissioner's worst site when it is full) against the
 *     sector cap; the commissioner's own outcome (cut by a sector cap, or by
 *     the quota before the cutoff); the quota itself; the floors' reserved
 *     places (once what the quota counts plus the places the floors still
 *     reserve reach the quota, only sectors below their floor take more);
 *     and, when the site's sector has a cap, its closing to the commissioner
 *     (selection.h, step 3 (b): the moves a step sets off can break a cap
 *     that the pair alone would not).  A pair that still has no reason is
 *     TM_WHY_UNEXPLAINED: the selection does not tell which pairs the review
 *     pinned, so a pin that holds a place shows so.
 *
 * and the explanation as a whole gives the agent's outcome and detail
 * (tm_selection_outcome()) and a sentence about it, its partners, and for a
 * commissioner its merit and place in the merit order.
 *
 * Ownership: an explanation copies what it reports and holds a reference on
 * the selection's programme (for names); it does not refer to the selection,
 * which may be freed first.  Immutable: any number of threads may read it.
 * Borrowed strings and arrays are valid while the explanation lives.
 *
 * The writers at the end (io layer) only format what the accessors return.
 */
#ifndef TECHMATCH_EXPLAIN_H
#define TECHMATCH_EXPLAIN_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/market.h>
#include <techmatch/profile.h>
#include <techmatch/preferences.h>
#include <techmatch/selection.h>

G_BEGIN_DECLS

/** Why a candidate is, or is not, in the agent's list. */
typedef enum {
    TM_EXPLAIN_LISTED = 0,      /**< in the list (ranks both ways) */
    TM_EXPLAIN_EXCLUDED = 1,    /**< the candidate or the agent was excluded by the review */
    TM_EXPLAIN_INELIGIBLE = 2,  /**< the candidate or the agent fails an agent rule */
    TM_EXPLAIN_RULE = 3,        /**< the pair fails a pair rule (P_*) */
    TM_EXPLAIN_NOT_NAMED = 4,   /**< a side accepting only those it named did not name
                                     the other */
    TM_EXPLAIN_NOT_RANKED = 5,  /**< acceptable, but not among the candidates ranked */
    TM_EXPLAIN_VETOED = 6,      /**< the review vetoed the pair */
} TmExplainStatus;

/** Why a listed candidate the agent preferred did not become its partner. */
typedef enum {
    TM_WHY_NONE = 0,            /**< nothing to explain: a partner, ranked below every
                                     partner of a full agent, or not listed */
    TM_WHY_HOLDS_PREFERRED = 1, /**< the candidate is full with partners it ranks at
                                     least as high (the holders) */
    TM_WHY_SECTOR_CAP = 2,      /**< the site's sector is at its cap */
    TM_WHY_QUOTA = 3,           /**< the quota is full, or its free places are held for
                                     other sectors' floors */
    TM_WHY_MERIT_CUTOFF = 4,    /**< the pair's commissioner was cut by the quota at the
                                     merit cutoff */
    TM_WHY_UNEXPLAINED = 5,     /**< none of the above holds */
    TM_WHY_PINNED = 6,          /**< the candidate's places are held by pairs the review
                                     pinned */
} TmExplainWhy;

/** tm_explain_status_code: "listed", "excluded", "ineligible", "rule",
 * "not_named", "not_ranked" or "vetoed" (static); NULL when out of range.  O(1). */
TM_API const char *tm_explain_status_code(TmExplainStatus status);
/** tm_explain_why_code: "none", "holds_preferred", "sector_cap", "quota",
 * "merit_cutoff", "unexplained" or "pinned" (static); NULL when out of range.  O(1). */
TM_API const char *tm_explain_why_code(TmExplainWhy why);

typedef struct TmExplanation TmExplanation;

/**
 * tm_selection_find_agent:
 * Looks @name up among the selection's commissioners and sites (exact name,
 * blanks around it ignored).  @side is TM_SIDE_SUPPLY or TM_SIDE_DEMAND to
 * look on that side only, or -1 for both.  On success *@side_out and *@id_out
 * (either may be NULL) receive the agent.
 * Errors: TM_ERROR_INVALID_ARGUMENT (NULL selection or name, a bad @side; a
 * name that is both a commissioner's and a site's with @side -1 — the message
 * names it and asks for the side), TM_ERROR_UNKNOWN_NAME (no such agent; the
 * message names the name).  Time O(length of @name) expected (hash).
 */
TM_API gboolean tm_selection_find_agent(const TmSelection *selection, const char *name,
                                        int side, TmSide *side_out, int32_t *id_out,
                                        GError **error);

/**
 * tm_selection_explain_agent:
 * The explanation of agent @id on @side of @selection (see above), its
 * texts in English (tm_selection_explain_agent_lang() for another language).
 * Returns a new explanation (tm_explanation_free()) or NULL with @error:
 * TM_ERROR_INVALID_ARGUMENT (NULL selection, a bad side), TM_ERROR_OUT_OF_RANGE
 * (@id not below tm_selection_n_agents()), TM_ERROR_NO_MEMORY.
 * Time O(n_other x (tags + expertise) + sum of the listed candidates' list
 * lengths + n_other log n_other); memory O(n_other + their partners).
 */
TM_API TmExplanation *tm_selection_explain_agent(const TmSelection *selection, TmSide side,
                                                 int32_t id, GError **error);
/**
 * tm_selection_explain_agent_lang:
 * As tm_selection_explain_agent(), with every text of the explanation — the
 * outcome sentence and detail, the values at fault, the why-nots — in @lang
 * (lang.h; TM_LANG_AUTO: the programme's language, tm_programme_language()),
 * from the message catalogue; tm_explanation_to_text() then writes its
 * headings in that language too.  Codes (outcome, status, why, rule codes)
 * and the JSON keys stay English.  Errors and time as
 * tm_selection_explain_agent().
 */
TM_API TmExplanation *tm_selection_explain_agent_lang(const TmSelection *selection, TmSide side,
                                                      int32_t id, TmLang lang, GError **error);
/** tm_explanation_language: the language of the explanation's texts
 * (TM_LANG_EN or TM_LANG_ZH; TM_LANG_EN for NULL).  O(1). */
TM_API TmLang tm_explanation_language(const TmExplanation *explanation);
/** tm_explanation_free: frees @explanation and drops its programme
 * reference.  NULL-safe. */
TM_API void tm_explanation_free(TmExplanation *explanation);

/* Accessors: O(1) and NULL-safe (NULL / -1 / NaN for NULL or out of range)
 * unless stated. */

/** tm_explanation_programme: the programme (borrowed; for names). */
TM_API const TmProgramme *tm_explanation_programme(const TmExplanation *explanation);
/** tm_explanation_side: the agent's side (-1 for NULL). */
TM_API int tm_explanation_side(const TmExplanation *explanation);
/** tm_explanation_agent: the agent's id (-1 for NULL). */
TM_API int32_t tm_explanation_agent(const TmExplanation *explanation);
/** tm_explanation_name: the agent's name (borrowed). */
TM_API const char *tm_explanation_name(const TmExplanation *explanation);
/** tm_explanation_outcome:
 * The agent's TmOutcome (-1 for NULL); *@detail (may be NULL) receives the
 * selection's detail in the explanation's language (in English, the text
 * of tm_selection_outcome(); borrowed from the explanation) or NULL. */
TM_API int tm_explanation_outcome(const TmExplanation *explanation, const char **detail);
/** tm_explanation_outcome_text:
 * One sentence (in the explanation's language) on where the agent ended and why, naming its partners
 * (with both ranks) or what kept it out (the value at fault for an
 * ineligible agent, the merit cutoff for a commissioner cut by the quota). */
TM_API const char *tm_explanation_outcome_text(const TmExplanation *explanation);
/** tm_explanation_n_partners: the agent's partners in the matching. */
TM_API int32_t tm_explanation_n_partners(const TmExplanation *explanation);
/** tm_explanation_partner: partner @i (in the agent's order of preference). */
TM_API int32_t tm_explanation_partner(const TmExplanation *explanation, int32_t i);

/** tm_explanation_merit_position:
 * For a commissioner, its place in the merit order (tm_selection_merit_position();
 * 0 = highest), -1 for a site or when it took no part. */
TM_API int32_t tm_explanation_merit_position(const TmExplanation *explanation);
/** tm_explanation_merit_cutoff:
 * The selection's merit cutoff (tm_selection_merit_cutoff()): TRUE with the
 * first commissioner cut by the quota, its merit and its place in the merit
 * order; FALSE (and -1 / NaN / -1) when the quota never bound.  Pointers may
 * be NULL. */
TM_API gboolean tm_explanation_merit_cutoff(const TmExplanation *explanation,
                                            int32_t *commissioner, double *merit,
                                            int32_t *position);
/** tm_explanation_quota:
 * The quota in force (-1: none) and what it counts; *@used receives what the
 * quota counts in the matching (tm_selection_quota_used(): commissioners
 * with a site, or assignments).  Pointers may be NULL.  Returns the total. */
TM_API int32_t tm_explanation_quota(const TmExplanation *explanation, TmQuotaUnit *unit,
                                    int64_t *used);

/** tm_explanation_n_rows: number of rows (the agents of the other side). */
TM_API int32_t tm_explanation_n_rows(const TmExplanation *explanation);
/** tm_explanation_row_candidate: the candidate of row @i (an id of the other side). */
TM_API int32_t tm_explanation_row_candidate(const TmExplanation *explanation, int32_t i);
/** tm_explanation_row_status: the TmExplainStatus of row @i. */
TM_API int tm_explanation_row_status(const TmExplanation *explanation, int32_t i);
/** tm_explanation_row_rank:
 * The agent's rank of the candidate (0 = first choice), -1 when not listed. */
TM_API int32_t tm_explanation_row_rank(const TmExplanation *explanation, int32_t i);
/** tm_explanation_row_their_rank:
 * The candidate's rank of the agent, -1 when not listed. */
TM_API int32_t tm_explanation_row_their_rank(const TmExplanation *explanation, int32_t i);
/** tm_explanation_row_is_partner: whether the candidate is a partner. */
TM_API gboolean tm_explanation_row_is_partner(const TmExplanation *explanation, int32_t i);
/** tm_explanation_row_component:
 * Score component @component (x_k in [0, 1], preferences.h) of the pair. */
TM_API double tm_explanation_row_component(const TmExplanation *explanation, int32_t i,
                                           TmScoreComponent component);
/** tm_explanation_row_score:
 * The pair's score seen from @side (TM_SIDE_SUPPLY: the commissioner's score
 * of the site; TM_SIDE_DEMAND: the site's of the commissioner), whatever the
 * agent's side. */
TM_API double tm_explanation_row_score(const TmExplanation *explanation, int32_t i,
                                       TmSide side);
/** tm_explanation_row_contribution:
 * The weighted part w_k x_k / sum_j w_j of @component in @side's score (0
 * when every weight of @side is 0); the six parts add up to the score. */
TM_API double tm_explanation_row_contribution(const TmExplanation *explanation, int32_t i,
                                              TmSide side, TmScoreComponent component);
/** tm_explanation_row_distance_km: the distance, -1 when a location is missing. */
TM_API double tm_explanation_row_distance_km(const TmExplanation *explanation, int32_t i);
/** tm_explanation_row_rule:
 * For TM_EXPLAIN_INELIGIBLE and TM_EXPLAIN_RULE: the code of the rule at
 * fault (static), else NULL. */
TM_API const char *tm_explanation_row_rule(const TmExplanation *explanation, int32_t i);
/** tm_explanation_row_pair_failures:
 * Every pair rule the pair fails (mask, rules.h), whatever its status. */
TM_API uint32_t tm_explanation_row_pair_failures(const TmExplanation *explanation, int32_t i);
/** tm_explanation_row_fault:
 * For TM_EXPLAIN_INELIGIBLE and TM_EXPLAIN_RULE: the value at fault
 * (tm_rules_agent_fault(), tm_rules_pair_fault()), or the rule's one-line
 * summary when the rules give no such text; for TM_EXPLAIN_EXCLUDED the
 * excluded agent's outcome detail (tm_selection_outcome(): the decision's
 * source and note); NULL otherwise. */
TM_API const char *tm_explanation_row_fault(const TmExplanation *explanation, int32_t i);
/** tm_explanation_row_refuser:
 * The side whose agent is at fault: for TM_EXPLAIN_EXCLUDED and
 * TM_EXPLAIN_INELIGIBLE the side of the excluded or ineligible agent, for
 * TM_EXPLAIN_NOT_NAMED the side that accepts only those it named (the
 * agent's when both do); -1 otherwise. */
TM_API int tm_explanation_row_refuser(const TmExplanation *explanation, int32_t i);
/** tm_explanation_row_why: the TmExplainWhy of row @i (TM_WHY_NONE when
 * nothing is to explain). */
TM_API int tm_explanation_row_why(const TmExplanation *explanation, int32_t i);
/** tm_explanation_row_why_text: the sentence of the why-not (in the
 * explanation's language) (names
 * and ranks, the cap or quota, the cutoff), NULL for TM_WHY_NONE. */
TM_API const char *tm_explanation_row_why_text(const TmExplanation *explanation, int32_t i);
/** tm_explanation_row_n_holders:
 * For TM_WHY_HOLDS_PREFERRED, the number of partners the candidate holds
 * instead of the agent (0 otherwise). */
TM_API int32_t tm_explanation_row_n_holders(const TmExplanation *explanation, int32_t i);
/** tm_explanation_row_holder:
 * Holder @j of row @i (an id of the agent's side), best first for the
 * candidate; *@rank (may be NULL) receives the candidate's rank of it. */
TM_API int32_t tm_explanation_row_holder(const TmExplanation *explanation, int32_t i,
                                         int32_t j, int32_t *rank);

/* ---- writers (io layer: formatting only) -------------------------------- */

/** The rows after the list that `techmatch explain` shows without --all. */
#define TM_EXPLAIN_MAX_UNLISTED 30

/**
 * tm_explanation_to_text:
 * The explanation as plain UTF-8 text for a terminal: the agent and its
 * outcome, the merit line (commissioners), the list with each candidate's
 * ranks, both scores broken into their weighted parts and the why-not, then
 * the candidates not in the list with their status, rule and value at fault.
 * @max_unlisted bounds the rows shown after the list (-1: all; the number
 * left out is stated).  Numbers in the C format.  Returns a new string
 * (g_free()) or NULL with TM_ERROR_INVALID_ARGUMENT (NULL).  Time O(rows).
 */
TM_API char *tm_explanation_to_text(const TmExplanation *explanation, int32_t max_unlisted,
                                    GError **error);
/**
 * tm_explanation_to_json:
 * The explanation as a JSON document (2-space indent, final newline):
 * {"agent": {"side": "commissioner"|"site", "id", "name", "outcome", "detail",
 *   "text", "partners": [{"id", "name"}], "merit", "merit_position"},
 *  "quota": {"total" (null: none), "counts", "used"},
 *  "merit_cutoff": {"id", "name", "merit", "position"} | null,
 *  "candidates": [{"id", "name", "status", "rank", "their_rank" (1-based,
 *   null when not listed), "partner", "scores": {"commissioner", "site"},
 *   "components": {...}, "contributions": {"commissioner": {...}, "site":
 *   {...}}, "distance_km" (null when unknown), "rule", "pair_rules": [...],
 *   "fault", "refused_by", "why", "why_text", "holders": [{"id", "name",
 *   "rank"}]}]}.
 * Returns a new string (g_free()) or NULL with TM_ERROR_INVALID_ARGUMENT
 * (NULL).  Time O(rows).
 */
TM_API char *tm_explanation_to_json(const TmExplanation *explanation, GError **error);

G_END_DECLS

#endif /* TECHMATCH_EXPLAIN_H */
