/* techmatch — the programme's selection: quota, sector caps and floors, the
 * two-way matching of commissioners and sites, the reasons for every
 * unmatched agent, and the outputs (assignments CSV/JSON, Markdown report).
 *
 * Pipeline (tm_programme_select()):
 *   1. screening: the eligibility rules (rules.h) on every agent, then the
 *      review's admissions (review.h: an admitted agent counts as eligible);
 *   2. preferences: two-way scores -> ranked lists (preferences.h), without
 *      the review's excluded agents and vetoed pairs;
 *   3. selection on merit (择优) — THE RULE: merit decides who is sent,
 *      two-way choice decides where.  Eligible applicants are taken one at a
 *      time in merit order (higher merit first; equal merit by form order).
 *      Each is placed by commissioner-proposing deferred acceptance among the
 *      applicants admitted so far (the newcomer proposes; whoever he displaces
 *      proposes on down his own list — McVitie & Wilson 1971), and the step is
 *      kept if afterwards
 *        (a) what the quota counts (TmQuotaUnit: commissioners or teams sent,
 *            by default; or assignments) plus the places still reserved by
 *            sector floors is at most the quota, and
 *        (b) no sector is over its cap.
 *      A step that breaks (b) is undone, the sector is closed to this and
 *      every later applicant, and the step is retried (an applicant whose
 *      step still breaks a cap is "cut by the cap"; the admission goes on).
 *      A step that breaks (a) is undone; if sector floors still reserve
 *      places, the open places are used up: from then on every applicant
 *      (this one first) may only propose to sites of sectors below their
 *      floor.  Otherwise — or when even that breaks (a) — this applicant is
 *      the MERIT CUTOFF: he and everyone after him are cut by the quota.
 *      The review's pinned pairs hold their places from the start and count.
 *   4. reasons for every agent not (fully) matched.
 *
 * What an officer can check (tested against a brute-force replay in
 * tests/selection/test_admission.c):
 *   - without floors, every applicant cut by the quota comes after every
 *     applicant sent, in merit order (pinned pairs aside); with floors, an
 *     applicant cut by the quota never loses a seat to an applicant of lower
 *     merit whom that site ranks below him (such a one holds a reserved place);
 *   - every eligible applicant before the cutoff who is not (fully) placed has
 *     a reason naming the site he wanted and the person who outranked him
 *     there (tm_selection_outranked_at()), or the sector cap that closed;
 *   - the matching is stable among the admitted: no admitted applicant and
 *     site of a sector open to him would both rather be together (certificate:
 *     tm_selection_verdict(), audited on that market);
 *   - the quota and every cap hold; a floor is met unless too few applicants
 *     could fill it.
 *   A floor never reserves more than its sector's places.  Counting
 *   assignments, a team that needs more places than remain is the cutoff:
 *   passing over it for an applicant of lower merit would break the first
 *   property (count people, the default, to send it as one).  A mutual first
 *   choice (each the other's first) is always kept unless the quota or a cap
 *   cut the commissioner before his turn.
 *
 * Another objective (TmObjective: the demand-optimal, egalitarian,
 * minimum-regret, maximum-score or balanced stable matching) or, with tied
 * wishes, another stability (solve.h) can be asked for in the options; those
 * need a programme without quota, sector limits and pinned pairs.  With
 * tied wishes the default breaks ties (by position, or by the tie seed) and
 * is weakly stable.
 *
 * Complexity: each step costs its displacement chain (O(list lengths) in
 * the worst case); undone steps are bounded by the number of sector cap
 * closings plus one per applicant after the open places are used up, so a
 * programme without quota or limits costs one deferred acceptance, O(L + n).
 *
 * The selection computes; the documents (assignments CSV/JSON, the Markdown
 * report) are written by the io layer from the accessors below (report.h).
 * The quota and sector limits usually come from a configuration file through
 * a TmConfig (config.h).
 *
 * Ownership: a selection holds a reference on its programme and private
 * copies of the rules and quota, so the caller may free its own objects as
 * soon as tm_programme_select() returns.  A selection is immutable once
 * made: any number of threads may read it.
 */
#ifndef TECHMATCH_SELECTION_H
#define TECHMATCH_SELECTION_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/lang.h>
#include <techmatch/market.h>
#include <techmatch/matching.h>
#include <techmatch/solve.h>
#include <techmatch/profile.h>
#include <techmatch/rules.h>
#include <techmatch/review.h>

G_BEGIN_DECLS

/* ---- quota --------------------------------------------------------------- */

typedef struct TmQuota TmQuota;

/** tm_quota_new:
 * No quota (total -1), no sector caps.  Free with tm_quota_free().  Never
 * fails (fixed-size allocation).  Not thread-safe to modify. */
TM_API TmQuota *tm_quota_new(void);
/** tm_quota_copy:
 * A deep copy of @quota (NULL for NULL); free with tm_quota_free().  Time
 * O(number of sectors set). */
TM_API TmQuota *tm_quota_copy(const TmQuota *quota);
/** tm_quota_free: frees @quota.  NULL-safe. */
TM_API void tm_quota_free(TmQuota *quota);
/**
 * TmQuotaUnit:
 * What the quota and the sector caps and floors count.
 * @TM_QUOTA_PEOPLE: commissioners or teams sent (a team is one, however many
 *   sites it serves) — the plan's 拟选派30名科技特派员（或科技团队）; the default.
 *   In a sector, a commissioner counts once if it serves any site there.
 * @TM_QUOTA_ASSIGNMENTS: commissioner-site pairs (a team serving three sites
 *   uses three places).
 */
typedef enum {
    TM_QUOTA_PEOPLE = 0,
    TM_QUOTA_ASSIGNMENTS = 1,
} TmQuotaUnit;

/** tm_quota_unit_code: "people" or "assignments" (static), NULL when out of
 * range. */
TM_API const char *tm_quota_unit_code(TmQuotaUnit unit);
/** tm_quota_unit_from_string: the unit named @text ("people", "assignments";
 * also "commissioners", "teams", 人, 人数 for people and "pairs", 派驻点次 for
 * assignments; ASCII case-insensitive), or -1. */
TM_API int tm_quota_unit_from_string(const char *text);
/** tm_quota_set_unit:
 * What the quota and the sector limits count (config: [quota] counts=).
 * Errors: TM_ERROR_INVALID_ARGUMENT (NULL, a value out of range).  O(1). */
TM_API gboolean tm_quota_set_unit(TmQuota *quota, TmQuotaUnit unit, GError **error);
/** tm_quota_unit: the unit (TM_QUOTA_PEOPLE by default and for NULL). */
TM_API TmQuotaUnit tm_quota_unit(const TmQuota *quota);

/** tm_quota_set_total:
 * Global cap on what the unit counts (tm_quota_set_unit()); -1 = none.  Errors: TM_ERROR_INVALID_ARGUMENT
 * (NULL, below -1); then @quota is unchanged.  O(1). */
TM_API gboolean tm_quota_set_total(TmQuota *quota, int32_t total, GError **error);
/** tm_quota_total: the global cap, -1 when none or for NULL.  O(1). */
TM_API int32_t tm_quota_total(const TmQuota *quota);
/**
 * tm_quota_set_sector:
 * Cap (-1 = none) and floor (>= 0) for the sector with @code (a taxonomy
 * code; copied).  Setting a sector again replaces its limits but keeps its
 * place in the order of tm_quota_sector_code().  Errors:
 * TM_ERROR_INVALID_ARGUMENT (NULL, cap < -1, floor < 0, floor > cap when
 * both are set); then @quota is unchanged.  O(number of sectors set).
 */
TM_API gboolean tm_quota_set_sector(TmQuota *quota, const char *code, int32_t cap,
                                    int32_t floor, GError **error);
/** tm_quota_sector:
 * Cap and floor set for @code (-1 / 0 when none; @cap and @floor may be
 * NULL); FALSE if none was set.  O(number of sectors set). */
TM_API gboolean tm_quota_sector(const TmQuota *quota, const char *code, int32_t *cap,
                                int32_t *floor);
/** tm_quota_n_sectors: number of sectors with limits set (0 for NULL). */
TM_API int32_t tm_quota_n_sectors(const TmQuota *quota);
/** tm_quota_sector_code:
 * Code of the @i-th sector with limits, in the order they were first set
 * (borrowed, valid until @quota is freed), or NULL when out of range. */
TM_API const char *tm_quota_sector_code(const TmQuota *quota, int32_t i);
/**
 * tm_quota_load_file:
 * Reads the groups [quota] (key `total`: an integer >= 0 or `none`) and
 * [sector.CODE] (keys `cap`, `floor`) of a configuration file (format:
 * config.h) into @quota; other groups are ignored (they belong to the
 * rules), and so are the [sector.CODE] keys `zh` and `en` (taxonomy names).
 * The sector codes are not checked against a taxonomy: use a TmConfig
 * (config.h) for that.  Same parser as tm_config_load_data().  Errors:
 * TM_ERROR_INVALID_ARGUMENT (NULL), TM_ERROR_IO, TM_ERROR_PARSE (message
 * `file:line: [group] key: ...`).  All or nothing: on error @quota is
 * unchanged.  Time O(size of the text).
 */
TM_API gboolean tm_quota_load_file(TmQuota *quota, const char *path, GError **error);
/** tm_quota_load_data: as tm_quota_load_file() from @len bytes of @data (-1:
 * NUL-terminated); @source_name names it in messages (NULL: "<data>"). */
TM_API gboolean tm_quota_load_data(TmQuota *quota, const char *data, gssize len,
                                   const char *source_name, GError **error);

/* ---- selection ------------------------------------------------------------- */

/** Why an agent ended as it did. */
typedef enum {
    TM_OUTCOME_MATCHED = 0,       /**< all of its capacity is used */
    TM_OUTCOME_PARTLY = 1,        /**< matched, with capacity left (sites: seats free) */
    TM_OUTCOME_INELIGIBLE = 2,    /**< excluded by an agent rule (detail: rule code) */
    TM_OUTCOME_NO_CAPACITY = 3,   /**< capacity 0 */
    TM_OUTCOME_NO_PARTNER = 4,    /**< no acceptable partner at all (detail: the pair
                                       rules that excluded most candidates) */
    TM_OUTCOME_OUTRANKED = 5,     /**< every acceptable partner is taken by agents it
                                       prefers (detail: who took the first choice's seat;
                                       sites: the commissioners went where they prefer) */
    TM_OUTCOME_QUOTA = 6,         /**< cut by the global quota (detail: the quota) */
    TM_OUTCOME_SECTOR_CAP = 7,    /**< cut by a sector cap (detail: the sector code) */
    TM_OUTCOME_REVIEW = 8,        /**< excluded by the leading group's review
                                       (review.h; detail: the decision's note) */
} TmOutcome;

/** tm_outcome_code:
 * Stable ASCII code of an outcome ("matched", "ineligible", ...; static
 * string), NULL when out of range. */
TM_API const char *tm_outcome_code(TmOutcome outcome);

/** tm_outcome_label:
 * A person's words for an outcome in @lang (lang.h; AUTO reads as English):
 * "cut by the quota" / "因名额已满未选派", ...; a static string, NULL when
 * out of range.  O(1). */
TM_API const char *tm_outcome_label(TmOutcome outcome, TmLang lang);

typedef struct TmSelection TmSelection;
typedef struct TmSelectOptions TmSelectOptions;

/**
 * TmObjective:
 * Which stable matching the selection returns (step 4 of the pipeline), and
 * the value it states (the same names and values as `techmatch solve
 * --objective`; ranks count from 0 = first choice):
 * @TM_OBJECTIVE_SUPPLY_OPTIMAL: commissioner-proposing deferred acceptance
 *   (the default; the only one under the quota and sector limits besides
 *   the weak/strong/super variants of solve.h); value: the commissioners'
 *   total rank of their sites.
 * @TM_OBJECTIVE_DEMAND_OPTIMAL: site-proposing deferred acceptance; value:
 *   the sites' total rank of their commissioners.
 * @TM_OBJECTIVE_EGALITARIAN: least total rank over both sides
 *   (tm_lattice_egalitarian()); value: that total.
 * @TM_OBJECTIVE_MIN_REGRET: least worst rank (tm_lattice_min_regret());
 *   value: the worst rank (-1 when nobody is matched).
 * @TM_OBJECTIVE_MAX_WEIGHT: greatest total two-way score
 *   (tm_lattice_max_weight() with the weight of pair (c, s) = the
 *   commissioner's score of s + the site's score of c, preferences.h, each
 *   in [0, 1]); value: that total.
 * @TM_OBJECTIVE_BALANCED: the heuristic of tm_lattice_balanced(); value: the
 *   gap between the two sides' total ranks.
 * The last four go through the lattice of stable matchings (lattice.h), so
 * they need a market the lattice takes — strict lists (no tied wishes) and
 * capacities above 1 on one side only — and no quota or sector limits.
 */
typedef enum {
    TM_OBJECTIVE_SUPPLY_OPTIMAL = 0,
    TM_OBJECTIVE_DEMAND_OPTIMAL = 1,
    TM_OBJECTIVE_EGALITARIAN = 2,
    TM_OBJECTIVE_MIN_REGRET = 3,
    TM_OBJECTIVE_MAX_WEIGHT = 4,
    TM_OBJECTIVE_BALANCED = 5,
} TmObjective;

/** tm_objective_code:
 * The objective's name as the CLI spells it ("supply-optimal",
 * "demand-optimal", "egalitarian", "min-regret", "max-weight", "balanced";
 * static string), NULL when out of range.  O(1). */
TM_API const char *tm_objective_code(TmObjective objective);

/** tm_objective_from_string:
 * The TmObjective named @text (a code of tm_objective_code(), ASCII
 * case-insensitive, `_` accepted for `-`), or -1 when unknown or NULL.
 * O(1). */
TM_API int tm_objective_from_string(const char *text);

/**
 * tm_select_options_new:
 * New options with the defaults: k = -1 (the rules' [candidates] k), no
 * progress callback, no cancel handle.  Free with tm_select_options_free().
 * Never fails (fixed-size allocation).  Not thread-safe to modify; any number
 * of concurrent selections may read one options object.
 */
TM_API TmSelectOptions *tm_select_options_new(void);
/** tm_select_options_copy:
 * A copy of @options with its own cancel reference; the copy shares the
 * progress data without owning it (its destroy notify is not copied).  NULL
 * for NULL.  Free with tm_select_options_free(). */
TM_API TmSelectOptions *tm_select_options_copy(const TmSelectOptions *options);
/** tm_select_options_free:
 * Frees @options, dropping its cancel reference and calling the progress
 * data's destroy notify, if any.  NULL-safe. */
TM_API void tm_select_options_free(TmSelectOptions *options);
/** tm_select_options_set_k:
 * Candidate list length, as tm_prefs_options k: -1 = the rules' [candidates]
 * k, 0 = all acceptable pairs (exact), > 0 = top k.  Errors:
 * TM_ERROR_INVALID_ARGUMENT (NULL @options, k < -1); then nothing changes. */
TM_API gboolean tm_select_options_set_k(TmSelectOptions *options, int32_t k, GError **error);
/** tm_select_options_get_k: the k set (-1 for NULL). */
TM_API int32_t tm_select_options_get_k(const TmSelectOptions *options);
/** tm_select_options_set_progress:
 * Sets (or, with a NULL @func, clears) the progress callback, called with the
 * overall fraction done (cancel.h).  @destroy, if not NULL, is called on
 * @user_data when the callback is replaced or the options are freed.
 * NULL-safe on @options. */
TM_API void tm_select_options_set_progress(TmSelectOptions *options, TmProgressFunc func,
                                           gpointer user_data, GDestroyNotify destroy);
/** tm_select_options_set_cancel:
 * Sets (or, with NULL, clears) the cancel handle; the options take their own
 * reference.  NULL-safe on @options. */
TM_API void tm_select_options_set_cancel(TmSelectOptions *options, TmCancel *cancel);
/** tm_select_options_get_cancel: the cancel handle (borrowed; NULL when none). */
TM_API TmCancel *tm_select_options_get_cancel(const TmSelectOptions *options);
/** tm_select_options_set_objective:
 * Which stable matching to return (TmObjective).  Setting it, even to the
 * default TM_OBJECTIVE_SUPPLY_OPTIMAL, also makes the selection's documents
 * state the objective and its value (tm_selection_objective_requested());
 * without it they are as they always were.  Errors:
 * TM_ERROR_INVALID_ARGUMENT (NULL @options, a value out of range); then
 * nothing changes.  O(1). */
TM_API gboolean tm_select_options_set_objective(TmSelectOptions *options, TmObjective objective,
                                                GError **error);
/** tm_select_options_get_objective: the objective set
 * (TM_OBJECTIVE_SUPPLY_OPTIMAL when none was, or for NULL).  O(1). */
TM_API TmObjective tm_select_options_get_objective(const TmSelectOptions *options);
/** tm_select_options_set_stability:
 * The stability asked for when the lists have ties (tied wishes,
 * preferences.h), forwarded to tm_solve_options_set_stability():
 * TM_STABILITY_WEAK (the default), _STRONG or _SUPER.  Strong and super
 * need no quota and no sector limits (TM_ERROR_UNSUPPORTED from the
 * selection otherwise, when there are ties); without ties the three
 * coincide.  Errors: TM_ERROR_INVALID_ARGUMENT (NULL, another value). */
TM_API gboolean tm_select_options_set_stability(TmSelectOptions *options, TmStability stability,
                                                GError **error);
/** tm_select_options_get_stability: the stability set (TM_STABILITY_WEAK for
 * NULL).  O(1). */
TM_API TmStability tm_select_options_get_stability(const TmSelectOptions *options);
/** tm_select_options_set_max_cardinality:
 * With ties, a large weakly stable matching (tm_solve_options_set_max_cardinality();
 * needs no quota and no sector limits).  Default FALSE.  NULL-safe. */
TM_API void tm_select_options_set_max_cardinality(TmSelectOptions *options,
                                                  gboolean max_cardinality);
/** tm_select_options_get_max_cardinality: whether it is set (FALSE for NULL). */
TM_API gboolean tm_select_options_get_max_cardinality(const TmSelectOptions *options);
/** tm_select_options_set_tie_seed:
 * Break ties at random, reproducibly from @seed (tm_solve_options_set_tie_seed());
 * by default ties are broken by list position.  NULL-safe. */
TM_API void tm_select_options_set_tie_seed(TmSelectOptions *options, uint64_t seed);
/** tm_select_options_clear_tie_seed: back to tie breaking by list position.
 * NULL-safe. */
TM_API void tm_select_options_clear_tie_seed(TmSelectOptions *options);
/** tm_select_options_get_tie_seed:
 * TRUE and the seed in *@seed (may be NULL) when ties are broken at random;
 * FALSE for position order or NULL @options. */
TM_API gboolean tm_select_options_get_tie_seed(const TmSelectOptions *options, uint64_t *seed);

/** tm_select_options_set_review:
 * The leading group's decisions to apply (review.h): the options keep a copy
 * (NULL clears it).  Errors: TM_ERROR_INVALID_ARGUMENT (NULL @options). */
TM_API gboolean tm_select_options_set_review(TmSelectOptions *options, const TmReview *review,
                                             GError **error);
/** tm_select_options_get_review: the review set (borrowed; NULL when none). */
TM_API const TmReview *tm_select_options_get_review(const TmSelectOptions *options);

/**
 * tm_programme_select:
 * Runs the pipeline above on the agents @programme has now.
 *
 * @programme: the selection takes a reference (tm_programme_ref()).  It
 *   records the numbers of commissioners and sites and only ever reads those
 *   agents: agents added to the programme later are not part of the
 *   selection and do not change anything it returns (earlier agents never
 *   move, profile.h).  The caller must not change the programme in other
 *   ways while the selection lives (the public API offers none).
 * @rules, @quota: copied; the caller may change or free them right after the
 *   call.  @quota may be NULL (no quota, no sector limits).
 * @options: may be NULL for the defaults; only read during the call.
 *
 * Every sector code of @quota must be one of the programme's taxonomy.
 *
 * Returns a new selection (tm_selection_free()) or NULL with @error:
 * TM_ERROR_INVALID_ARGUMENT (NULL programme or rules; contradictory review
 * decisions — a pair pinned and vetoed or pinned twice, a pinned agent
 * excluded, an agent excluded and admitted, more pins on an agent than its
 * capacity, pins beyond the quota or a cap; the message starts with the
 * decision's source), TM_ERROR_UNKNOWN_NAME (a sector code of @quota not in
 * the taxonomy; explicit wishes or review decisions naming unknown agents), TM_ERROR_INFEASIBLE (floors above the quota),
 * TM_ERROR_UNSUPPORTED (an objective other than supply-optimal with a quota
 * or sector limits — found before anything is built; an objective of the
 * lattice on lists with ties or with capacities above 1 on both sides; with
 * ties, strong or super stability or max-cardinality under a quota or
 * sector limits; the message names the objective or stability),
 * TM_ERROR_NO_SUCH_MATCHING (no strongly / super-stable matching exists),
 * TM_ERROR_NO_MEMORY, TM_ERROR_CANCELLED.  Nothing is returned half-made.
 * Time: building the preferences (preferences.h) plus the solve (solve.h;
 * for the lattice objectives lattice.h's bounds) plus O(n_c x n_s) for the
 * reasons of agents without any partner on programmes up to 2e7 pairs.
 */
TM_API TmSelection *tm_programme_select(TmProgramme *programme, const TmRules *rules,
                                        const TmQuota *quota, const TmSelectOptions *options,
                                        GError **error);
/** tm_selection_free: frees @selection and drops its programme reference.
 * NULL-safe. */
TM_API void tm_selection_free(TmSelection *selection);

/* Accessors.  Borrowed results are valid while the selection lives; every
 * accessor is O(1) unless stated, NULL-safe (NULL / 0 / -1 for NULL). */

/** tm_selection_programme: the programme (borrowed; the selection holds a
 * reference). */
TM_API const TmProgramme *tm_selection_programme(const TmSelection *selection);
/** tm_selection_rules: the selection's copy of the rules (borrowed). */
TM_API const TmRules *tm_selection_rules(const TmSelection *selection);
/** tm_selection_quota: the selection's copy of the quota (borrowed; an empty
 * quota when none was given). */
TM_API const TmQuota *tm_selection_quota(const TmSelection *selection);
/** tm_selection_screening: the screening of the agents (borrowed). */
TM_API const TmScreening *tm_selection_screening(const TmSelection *selection);
/** tm_selection_market: the two-way preference market (borrowed). */
TM_API TmMarket *tm_selection_market(const TmSelection *selection);
/** tm_selection_matching: the assignments (borrowed). */
TM_API const TmMatching *tm_selection_matching(const TmSelection *selection);
/** tm_selection_verdict:
 * The certificate (borrowed): the audit of the matching, pinned pairs left
 * out, on the market of the admitted applicants — each with the sites of the
 * sectors open to it at its turn, capacities less the pins (stable = no
 * blocking pair, no violation).  For the other objectives and stabilities,
 * the audit on the whole market under the stability asked for. */
TM_API const TmVerdict *tm_selection_verdict(const TmSelection *selection);

/** tm_selection_objective:
 * The objective the selection's matching optimises (a TmObjective;
 * TM_OBJECTIVE_SUPPLY_OPTIMAL unless the options set another), -1 for NULL. */
TM_API int tm_selection_objective(const TmSelection *selection);
/** tm_selection_objective_value:
 * The objective's value for the matching, as TmObjective defines it (a
 * whole number except for max-weight); NaN for NULL.  Computed whether or
 * not the objective was requested. */
TM_API double tm_selection_objective_value(const TmSelection *selection);
/** tm_selection_objective_requested:
 * TRUE when the options set an objective (tm_select_options_set_objective()):
 * the documents (report.h) then state it and its value.  FALSE for NULL. */
TM_API gboolean tm_selection_objective_requested(const TmSelection *selection);
/** tm_selection_stability:
 * The stability the matching was asked for and audited under (TmStability;
 * TM_STABILITY_WEAK by default, or for NULL).  Under a quota or sector
 * limits the audit is tm_matching_check_groups() (weak). */
TM_API TmStability tm_selection_stability(const TmSelection *selection);

/** tm_selection_n_agents:
 * Number of commissioners (TM_SIDE_SUPPLY) or sites (TM_SIDE_DEMAND) the
 * selection covers: the programme's counts when it was made.  0 for NULL or
 * a bad side. */
TM_API int32_t tm_selection_n_agents(const TmSelection *selection, TmSide side);

/** tm_selection_n_selected: number of distinct commissioners with at least
 * one site. */
TM_API int32_t tm_selection_n_selected(const TmSelection *selection);

/** tm_selection_quota_total: the global quota in force (-1: none). */
TM_API int32_t tm_selection_quota_total(const TmSelection *selection);
/** tm_selection_quota_unit: what the quota counts (TM_QUOTA_PEOPLE for NULL). */
TM_API TmQuotaUnit tm_selection_quota_unit(const TmSelection *selection);
/** tm_selection_quota_used: commissioners sent (TM_QUOTA_PEOPLE) or
 * assignments made (TM_QUOTA_ASSIGNMENTS), pinned pairs included; 0 for NULL. */
TM_API int64_t tm_selection_quota_used(const TmSelection *selection);

/**
 * tm_selection_merit_cutoff:
 * Where the quota stopped the admission in merit order: TRUE with *@commissioner
 * the first applicant cut by the quota and *@merit its merit (everyone after it
 * in merit order is cut too; everyone before it was considered and is either
 * selected or has another reason); FALSE (and -1 / NaN) when the quota never
 * bound.  Pointers may be NULL.  O(1).
 */
TM_API gboolean tm_selection_merit_cutoff(const TmSelection *selection, int32_t *commissioner,
                                          double *merit);
/**
 * tm_selection_merit_position:
 * Commissioner @c's place in the admission order (0 = highest merit; ties of
 * merit by form order), or -1 when @c took no part (ineligible, excluded,
 * out of range).  O(1).
 */
TM_API int32_t tm_selection_merit_position(const TmSelection *selection, int32_t c);
/**
 * tm_selection_outranked_at:
 * For a commissioner considered but not (fully) placed: the site @c wanted
 * most among those it did not get (*@site) and, there, the holder that site
 * ranks lowest among those it preferred to @c (*@by: the person who outranked
 * @c there).  Returns FALSE (and -1s) when there is none (e.g. every site
 * @c accepts was closed by a cap, or @c is fully placed).  O(list of @c).
 */
TM_API gboolean tm_selection_outranked_at(const TmSelection *selection, int32_t c,
                                          int32_t *site, int32_t *by);
/** tm_selection_pair_review:
 * The review's decision on the pair (commissioner @c, site @s):
 * TM_DECISION_PIN or TM_DECISION_VETO, or -1 when the review says nothing of
 * the pair (or no review, or out of range).  O(1). */
TM_API int tm_selection_pair_review(const TmSelection *selection, int32_t c, int32_t s);
/** tm_selection_sector_used:
 * What the quota unit counts in sector index @sector (people serving a site of
 * the sector, or assignments to its sites); -1 when out of range.
 * Time O(n_sites + assignments). */
TM_API int64_t tm_selection_sector_used(const TmSelection *selection, int32_t sector);

/**
 * tm_selection_sector_limits:
 * The limits in force for sector index @sector of the programme's taxonomy:
 * *@cap the configured cap (-1 when none), *@floor the configured floor (0
 * when none).  Either pointer may be NULL.  Returns FALSE (and -1 / 0) when
 * the sector has no limits or is out of range.
 */
TM_API gboolean tm_selection_sector_limits(const TmSelection *selection, int32_t sector,
                                           int32_t *cap, int32_t *floor);

/**
 * tm_selection_sector_counts:
 * Coverage of sector index @sector: sites registered in it, of those
 * eligible, of those served (at least one commissioner), and the number of
 * assignments to its sites.  Any pointer may be NULL.  Returns FALSE (and
 * zeros) when @sector is out of range.  Time O(n_sites).
 */
TM_API gboolean tm_selection_sector_counts(const TmSelection *selection, int32_t sector,
                                           int32_t *registered, int32_t *eligible,
                                           int32_t *served, int64_t *assignments);

/**
 * tm_selection_rank:
 * The rank, 0 = first choice, that agent @id on @side gives partner
 * @partner of the other side (tm_market_rank() on the selection's market;
 * e.g. side SUPPLY: commissioner @id's rank of site @partner); -1 when the
 * pair is not acceptable or an argument is out of range.  Time O(length of
 * @id's list).
 */
TM_API int32_t tm_selection_rank(const TmSelection *selection, TmSide side, int32_t id,
                                 int32_t partner);

/**
 * tm_selection_score:
 * The two-way score (preferences.h) of commissioner @c and site @s as seen
 * from @side (TM_SIDE_SUPPLY: how much @c wants @s), under the selection's
 * rules; NaN when an argument is out of range.  Time O(tags + expertise).
 */
TM_API double tm_selection_score(const TmSelection *selection, TmSide side, int32_t c,
                                 int32_t s);

/**
 * tm_selection_outcome:
 * The outcome of agent @id on @side (TM_SIDE_SUPPLY = commissioner,
 * TM_SIDE_DEMAND = site); @detail (may be NULL) receives a borrowed string
 * (rule code, name of the agent who took the seat, sector code, ...) or NULL.
 * Returns -1 when out of range (ids below tm_selection_n_agents()).
 */
TM_API int tm_selection_outcome(const TmSelection *selection, TmSide side, int32_t id,
                                const char **detail);

/**
 * tm_selection_reason:
 * The outcome of agent @id on @side as the report states it, in @lang
 * (lang.h; AUTO: the programme's language): the outcome's label and what
 * explains it, e.g. "ineligible by rule C_TITLE: 职称 title: 初级 (junior) —
 * needs 中级 (intermediate) or above" or "outranked: 张振国 took the place at
 * 庙李镇庙李村".  Returns a new string (g_free()), or NULL when @selection
 * is NULL or @id out of range.  Time O(1) but for an ineligible agent's
 * fault (O(its profile)).
 */
TM_API char *tm_selection_reason(const TmSelection *selection, TmSide side, int32_t id,
                                 TmLang lang);

/* ---- explicit wishes and mutual first choices (selection_wishes.c) -------- */

/**
 * TmWishFate:
 * What became of one explicit wish (a commissioner naming a site in its
 * ranked_sites, or a site naming a commissioner in its ranked_commissioners,
 * profile.h) in the selection's market, the reasons in the order they are
 * checked:
 * @TM_WISH_KEPT: the pair is in the market's lists (the wish leads the list).
 * @TM_WISH_INELIGIBLE: the agent who wished is ineligible (rule: its first
 *   failing agent rule), so none of its wishes is listed.
 * @TM_WISH_PARTNER_INELIGIBLE: the partner named is ineligible (rule: the
 *   partner's first failing agent rule).
 * @TM_WISH_PAIR_RULE: a pair rule removed the pair (rule: the first failing
 *   pair rule, rules.h).
 * @TM_WISH_NOT_NAMED: the partner accepts only the agents it named
 *   (TM_CONSENT_NAMED_ONLY, preferences.h) and did not name this one.
 * @TM_WISH_REVIEW: the leading group's review (review.h) excluded the agent
 *   or the partner, or vetoed the pair.
 * A pair the review pinned counts as kept (it is assigned whatever the lists
 * say).
 * A wish naming nobody never reaches a selection (the forms reader refuses
 * or drops it with a diagnostic; tm_programme_select() fails with
 * TM_ERROR_UNKNOWN_NAME).
 */
typedef enum {
    TM_WISH_KEPT = 0,
    TM_WISH_INELIGIBLE = 1,
    TM_WISH_PARTNER_INELIGIBLE = 2,
    TM_WISH_PAIR_RULE = 3,
    TM_WISH_NOT_NAMED = 4,
    TM_WISH_REVIEW = 5,
} TmWishFate;

/** tm_wish_fate_code:
 * "kept", "ineligible", "partner_ineligible", "pair_rule", "not_named" or
 * "review" (static string); NULL when out of range.  O(1). */
TM_API const char *tm_wish_fate_code(TmWishFate fate);

/**
 * tm_selection_wish_fate:
 * The fate of wish @i (0-based, in the agent's own order) of agent @id on
 * @side (TM_SIDE_SUPPLY: commissioner @id's i-th wished site; TM_SIDE_DEMAND:
 * site @id's i-th ranked commissioner).  -1 for a NULL selection, a bad side,
 * an id or index out of range (ids below tm_selection_n_agents()).
 * Time O(length of @id's list + wishes of the partner).
 */
TM_API int tm_selection_wish_fate(const TmSelection *selection, TmSide side, int32_t id,
                                  int32_t i);
/** tm_selection_wish_partner:
 * The id of the partner that wish @i of agent @id on @side names (an agent of
 * the other side), -1 when out of range.  O(1) expected. */
TM_API int32_t tm_selection_wish_partner(const TmSelection *selection, TmSide side, int32_t id,
                                         int32_t i);
/** tm_selection_wish_rule:
 * The code of the rule behind a TM_WISH_INELIGIBLE, _PARTNER_INELIGIBLE or
 * _PAIR_RULE fate (static string), NULL for the other fates or out of range.
 * Time as tm_selection_wish_fate(). */
TM_API const char *tm_selection_wish_rule(const TmSelection *selection, TmSide side,
                                          int32_t id, int32_t i);
/**
 * tm_selection_wish_reason:
 * Why wish @i of agent @id on @side is not in the lists, as one English line
 * naming the agents, the rule and the value at fault
 * (tm_rules_pair_fault() / tm_rules_agent_fault(); the rule's summary when
 * those give nothing), e.g. "P_YEARS: offers 1 year; 郑州百味坊 wants 2" or
 * "金水文化创意产业园 accepts only the commissioners it named, not 张艺".
 * Newly allocated (g_free()); NULL for a kept wish or out of range.
 */
TM_API char *tm_selection_wish_reason(const TmSelection *selection, TmSide side, int32_t id,
                                      int32_t i);
/** tm_selection_n_dropped_wishes:
 * The number of explicit wishes of both sides that are not in the market's
 * lists (fate other than TM_WISH_KEPT); 0 for NULL.  Time O(sum over the
 * wishes of the lists' lengths). */
TM_API int64_t tm_selection_n_dropped_wishes(const TmSelection *selection);

/**
 * tm_selection_mutual_first:
 * Mutual first choices: the @j-th site (j = 0, 1, ...) that commissioner @c
 * ranks first (rank 0 in the selection's market; several with tied wishes)
 * and that ranks @c first too; -1 when there is no @j-th one or an argument
 * is out of range.  Such a pair is assigned by every stable matching unless
 * the quota, a sector cap or the review keeps the commissioner (or the site)
 * out: tm_selection_outcome() of the commissioner then says which.
 * Time O(first choices of @c x their lists).
 */
TM_API int32_t tm_selection_mutual_first(const TmSelection *selection, int32_t c, int32_t j);
/** tm_selection_n_mutual_firsts:
 * The number of mutual first-choice pairs; 0 for NULL.  Time O(n_c x the
 * first choices' list lengths). */
TM_API int32_t tm_selection_n_mutual_firsts(const TmSelection *selection);
/** tm_selection_is_assigned:
 * TRUE when commissioner @c serves site @s in the selection's matching
 * (FALSE for NULL or ids out of range).  O(sites of @c). */
TM_API gboolean tm_selection_is_assigned(const TmSelection *selection, int32_t c, int32_t s);

/* ---- per task type (issue 10; src/programme/selection_tasks.c) ----------- */

#include <techmatch/tasks.h>

/**
 * tm_selection_task_counts:
 * The selection seen per task type @task of the plan (tasks.h), from the
 * task bits of the profiles (TmSite.tasks asked for, TmCommissioner.tasks
 * offered) and the selection's matching:
 *   *@sites_asking   sites that ask for @task;
 *   *@sites_served   of those, sites with at least one commissioner;
 *   *@sites_covered  of those, sites with at least one commissioner who
 *                    offers @task;
 *   *@offering       commissioners who offer @task;
 *   *@selected       of those, commissioners with at least one site.
 * Agents of the selection only (tm_selection_n_agents()), eligible or not.
 * Any pointer may be NULL.  Returns FALSE (and zeros) for a NULL selection
 * or @task out of range.  Time O(n_commissioners + n_sites + assignments).
 */
TM_API gboolean tm_selection_task_counts(const TmSelection *selection, TmTask task,
                                         int32_t *sites_asking, int32_t *sites_served,
                                         int32_t *sites_covered, int32_t *offering,
                                         int32_t *selected);

G_END_DECLS

#endif /* TECHMATCH_SELECTION_H */
