/* techmatch — the programme's selection: quota, sector caps and floors, the
 * two-way matching of commissioners and sites, the reasons for every
 * unmatched agent, and the outputs (assignments CSV/JSON, Markdown report).
 *
 * Pipeline (tm_programme_select()):
 *   1. screening: the eligibility rules (rules.h) on every agent;
 *   2. preferences: two-way scores -> ranked lists (preferences.h);
 *   3. constraints: the global quota and per-sector caps/floors become groups
 *      of sites (groups.h) with commissioners prioritised by merit (择优:
 *      higher merit first, ties by name order of the form);
 *   4. supply-proposing deferred acceptance under those groups; the result is
 *      stable with respect to the caps (groups.h states the exact guarantee);
 *   5. reasons for every unmatched commissioner and every site with free seats.
 *
 * The quota counts assignments (commissioner-site pairs); with the seed's
 * capacities of 1 it is the number of commissioners selected.  A commissioner
 * serving several sites takes one quota place per site.
 *
 * Floors are reservations inside the quota: a sector floor of f reserves up to
 * f of the quota's places for that sector (never more than the sector could
 * fill).  A floor without a global quota has no effect (nothing is scarce).
 */
#ifndef TECHMATCH_SELECTION_H
#define TECHMATCH_SELECTION_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/market.h>
#include <techmatch/matching.h>
#include <techmatch/solve.h>
#include <techmatch/profile.h>
#include <techmatch/rules.h>

G_BEGIN_DECLS

/* ---- quota --------------------------------------------------------------- */

typedef struct TmQuota TmQuota;

/** No quota, no sector caps.  Free with tm_quota_free(). */
TM_API TmQuota *tm_quota_new(void);
/** NULL-safe. */
TM_API void tm_quota_free(TmQuota *quota);
/** Global cap on assignments; -1 = none.  Errors: TM_ERROR_INVALID_ARGUMENT
 * (below -1). */
TM_API gboolean tm_quota_set_total(TmQuota *quota, int32_t total, GError **error);
TM_API int32_t tm_quota_total(const TmQuota *quota);
/**
 * tm_quota_set_sector:
 * Cap (-1 = none) and floor (>= 0) for the sector with @code (a taxonomy
 * code).  Errors: TM_ERROR_INVALID_ARGUMENT (NULL, cap < -1, floor < 0,
 * floor > cap when both are set).
 */
TM_API gboolean tm_quota_set_sector(TmQuota *quota, const char *code, int32_t cap,
                                    int32_t floor, GError **error);
/** Cap and floor set for @code (-1 / 0 when none); FALSE if none was set. */
TM_API gboolean tm_quota_sector(const TmQuota *quota, const char *code, int32_t *cap,
                                int32_t *floor);
/**
 * tm_quota_load_file / tm_quota_load_data:
 * Reads the groups [quota] (key `total`) and [sector.CODE] (keys `cap`,
 * `floor`) of a GKeyFile configuration; other groups are ignored (they belong
 * to the rules).  Errors: TM_ERROR_IO, TM_ERROR_PARSE (message names the
 * file, group and key).
 */
TM_API gboolean tm_quota_load_file(TmQuota *quota, const char *path, GError **error);
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
} TmOutcome;

/** Stable ASCII code of an outcome ("matched", "ineligible", ...). */
TM_API const char *tm_outcome_code(TmOutcome outcome);

typedef struct TmSelection TmSelection;

/** Options for tm_programme_select(); initialise with tm_select_options_init(). */
typedef struct {
    int32_t k;                   /**< candidate list length, as TmPrefsOptions.k (-1: rules) */
    TmProgressFunc progress;     /**< optional: called with the overall fraction done */
    gpointer progress_data;
    TmCancel *cancel;            /**< optional cancel handle (cancel.h), borrowed */
} TmSelectOptions;

TM_API void tm_select_options_init(TmSelectOptions *options);

/**
 * tm_programme_select:
 * Runs the pipeline above.  @programme, @rules and @quota are borrowed and
 * must outlive the selection (it keeps pointers to them); @quota and
 * @options may be NULL.  Returns a new selection (tm_selection_free()) or
 * NULL with @error (errors of the steps: TM_ERROR_INVALID_ARGUMENT,
 * TM_ERROR_UNKNOWN_NAME, TM_ERROR_INFEASIBLE for floors above caps,
 * TM_ERROR_NO_MEMORY, TM_ERROR_CANCELLED).
 */
TM_API TmSelection *tm_programme_select(const TmProgramme *programme, const TmRules *rules,
                                        const TmQuota *quota, const TmSelectOptions *options,
                                        GError **error);
/** NULL-safe. */
TM_API void tm_selection_free(TmSelection *selection);

/** Borrowed parts (valid while the selection lives). */
TM_API const TmProgramme *tm_selection_programme(const TmSelection *selection);
TM_API const TmScreening *tm_selection_screening(const TmSelection *selection);
TM_API TmMarket *tm_selection_market(const TmSelection *selection);
TM_API const TmMatching *tm_selection_matching(const TmSelection *selection);
/** The audit under the quota and caps (stable = no blocking pair, no violation). */
TM_API const TmVerdict *tm_selection_verdict(const TmSelection *selection);

/** Number of distinct commissioners with at least one site. */
TM_API int32_t tm_selection_n_selected(const TmSelection *selection);

/**
 * tm_selection_outcome:
 * The outcome of agent @id on @side (TM_SIDE_SUPPLY = commissioner,
 * TM_SIDE_DEMAND = site); @detail (may be NULL) receives a borrowed string
 * (rule code, name of the agent who took the seat, sector code, ...) or NULL.
 * Returns -1 when out of range.
 */
TM_API int tm_selection_outcome(const TmSelection *selection, TmSide side, int32_t id,
                                const char **detail);

/**
 * Output documents as new UTF-8 strings (caller frees with g_free()):
 * - assignments CSV: header `commissioner,site,sector,site_kind,commissioner_rank,
 *   site_rank,commissioner_score,site_score`, one row per assignment;
 * - assignments JSON: {"pairs": [[c, s], ...], "unmatched_supply": [...],
 *   "unmatched_demand": [...], "stable": ..., "blocking_pairs": [...],
 *   "outcomes": {"supply": {name: {"outcome": code, "detail": ...}}, "demand": {...}},
 *   "stats": {...}};
 * - the Markdown report (see README).
 * Errors: TM_ERROR_INVALID_ARGUMENT, TM_ERROR_NO_MEMORY.
 */
TM_API char *tm_selection_assignments_csv(const TmSelection *selection, GError **error);
TM_API char *tm_selection_assignments_json(const TmSelection *selection, GError **error);
TM_API char *tm_selection_report_markdown(const TmSelection *selection, GError **error);

/**
 * tm_selection_write:
 * Writes assignments.csv, assignments.json and report.md into @dir (created
 * if missing).  Every document is produced in memory first; each file is then
 * written atomically (tm_file_write_atomic()), so a failure never leaves a
 * half-written file and never touches files of an earlier run that were not
 * yet replaced.  Errors: TM_ERROR_IO, TM_ERROR_NO_MEMORY.
 */
TM_API gboolean tm_selection_write(const TmSelection *selection, const char *dir,
                                   GError **error);

G_END_DECLS

#endif /* TECHMATCH_SELECTION_H */
