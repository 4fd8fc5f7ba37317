/* techmatch — two-way compatibility scores and preference lists (domain
 * layer): turns a screened programme into a TmMarket.
 *
 * SCORES.  For commissioner c and site s, six components in [0, 1]:
 *
 *   sector    L / 3, where L = c's expertise level (0..3) in s's sector
 *   tags      |skills(c) ∩ needs(s)| / max(1, |needs(s)|)   (interned tag ids)
 *   title     clamp((T - M) / max(1, 3 - M), 0, 1), where T = c's title and
 *             M = s's min_title as integers (none 0, junior 1, intermediate 2,
 *             senior 3): how far the title exceeds the site's minimum
 *   years     1 if Y_c >= Y_s, else Y_c / Y_s (Y = years offered / wanted;
 *             Y_s = 0 gives 1)
 *   distance  clamp(1 - d / D, 0, 1), d = Euclidean distance in km, D the
 *             distance scale ([scoring] distance_scale_km, default 20);
 *             0.5 when either location is missing (TM_NO_LOCATION)
 *   merit     (merit(c) - lo) / (hi - lo), lo/hi = the smallest/largest merit
 *             over ALL commissioners of the programme; 1 when hi == lo
 *
 * Each side has its own weights w_k >= 0 and ranks the other side by
 *
 *   score = sum_k w_k * x_k / sum_k w_k      (0 when every weight is 0)
 *
 * summed in the component order above, so score is in [0, 1].
 *
 *   default weights       sector  tags  title  years  distance  merit
 *   commissioner side       3       2     0      1       2        0
 *   site side               3       2     1      1       1        2
 *
 * (A commissioner looks for its field, its skills and a short trip; a site
 * looks for expertise, the skills it needs, seniority and merit.)
 *
 * PREFERENCE LISTS.  tm_programme_build_market() makes a market whose supply
 * agent i is commissioner i and demand agent j is site j.  Ineligible agents
 * (screening) get capacity 0 and empty lists; eligible agents keep their
 * capacity.  A pair is *acceptable* when both agents are eligible and the pair
 * passes the enabled pair rules (tm_rules_pair_reason() == NULL); only
 * acceptable pairs are ever listed, and every listed pair is listed by both
 * sides (the market drops nothing).
 *
 * Explicit wishes (TmCommissioner.ranked_sites, TmSite.ranked_commissioners)
 * come first, in the agent's own order, keeping only acceptable ones (the
 * profile already refuses a name twice; a repeat would be ignored).  The
 * rest of a list (the *scored part*) is sorted by the agent's side's score,
 * descending, ties by ascending id.
 *
 *   k = 0 (exact): c's scored part = every acceptable site not in its wishes.
 *
 *   k > 0 (top-k): c's scored part =
 *       (the k best sites found by c's search below, wishes excluded)
 *     ∪ (sites that explicitly wished c, when acceptable)
 *     ∪ (sites s that chose c in their own top-site_k, see below),
 *   sorted.  So a list has at most |wishes| + k + (entries forced by sites).
 *   Site side, when site_k > 0: each eligible site s takes the site_k best
 *   commissioners (by the site score, its wishes excluded) found by its own
 *   search; each such pair is forced into the commissioner's list, which
 *   makes the generation two-way.
 *
 *   Site lists are the transpose of the commissioner lists: s lists exactly
 *   the commissioners that list s — its acceptable wishes first, then the
 *   rest by the site score.  Site lists are not truncated.
 *
 * CANDIDATE GENERATION (k > 0): a best-first search with a certificate,
 * never all n x m pairs.
 *   Index.  Eligible sites are bucketed by (sector, need tag) and by
 *   (sector, *); eligible commissioners by (block, skill tag) and (block, *),
 *   where a block is (sector, level, merit band) when P_SECTOR is on (c is
 *   in (σ, L, b) iff its level L in σ is >= min_level and its merit component
 *   lies in quarter b of [0, 1]) and (merit band) otherwise.  A bucket keeps
 *   its located agents on a uniform grid over its bounding box (about 2 per
 *   cell) and its unlocated agents apart.
 *   Sources.  Commissioner c searches, for each sector σ in Σ(c) (the sectors
 *   where c's level >= min_level if P_SECTOR is on, all sectors otherwise),
 *   the buckets (σ, t) for each skill t of c and (σ, *).  Site s searches,
 *   for each block of its sector (or every merit band), (block, t) for each
 *   need t and (block, *).  Each searched bucket gives two sources: its grid,
 *   read ring by ring (Chebyshev rings of cells around the searcher's cell; a
 *   searcher without location reads the whole bucket from a seeded
 *   pseudo-random offset instead) and its unlocated agents, in chunks of 64.
 *   Bounds.  Every source carries an upper bound on the score of any agent it
 *   has not produced yet: the exact sector component (commissioner: its level
 *   in σ; site: the block's level, or 1 without P_SECTOR), tags 1 for a tag
 *   bucket and 0 for a (·, *) bucket (a partner sharing a tag with the
 *   searcher is in one of its tag buckets), title T/3 for a commissioner of
 *   title T (site side: 1, or 0 when min_title is senior), years 1, merit
 *   exact (commissioner side) or the bucket's maximum (site side), distance
 *   1 - LB/D with LB a lower bound of the distance to the unread rings (0.5
 *   for unlocated agents or a searcher without location).
 *   Search.  Repeatedly read the source with the highest bound (ties: source
 *   order), score the new acceptable partners, keep the best k; stop when
 *   (a) k are kept and the k-th best score exceeds every remaining bound,
 *   (b) every source is exhausted, or (c) `budget` partners were examined
 *   (scored or refused by a pair rule; default 20 k; site side
 *   `site_budget`, default 20 site_k).  With P_DISTANCE on, a grid source
 *   ends as soon as its distance lower bound exceeds max_km.
 * GUARANTEES:
 *   1. every listed pair is acceptable and listed by both sides;
 *   2. each scored part is the exact top-k (by score, ties by id) of the
 *      partners examined, plus the forced entries, exactly sorted;
 *   3. when an agent's search stops by (a) or (b), its top-k IS the exact
 *      top-k over all its acceptable partners, as the brute force would find
 *      (TmPrefsStats.exact_agents counts them, budget_agents the others).  So
 *      with budgets >= the size of the other side every list equals the
 *      brute force: exact top-k for commissioners, exact top-site_k for sites,
 *      union, transpose;
 *   4. deterministic for a given programme, rules and seed, whatever the
 *      number of threads.
 *   Not guaranteed: exactness for agents that hit the budget; they keep the
 *   best k of what they scored, read in decreasing order of bound (the
 *   benchmark reports the recall on a large programme).
 *
 * Memory O(total list length + n + total tags); time about n_c x (scored per
 * commissioner) + n_s x (scored per site) + sorting the site lists, spread
 * over TmPrefsOptions.n_threads threads.
 */
#ifndef TECHMATCH_PREFERENCES_H
#define TECHMATCH_PREFERENCES_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/market.h>
#include <techmatch/solve.h>
#include <techmatch/profile.h>
#include <techmatch/rules.h>

G_BEGIN_DECLS

/** Score components, in summation order. */
typedef enum {
    TM_SCORE_SECTOR = 0,
    TM_SCORE_TAGS = 1,
    TM_SCORE_TITLE = 2,
    TM_SCORE_YEARS = 3,
    TM_SCORE_DISTANCE = 4,
    TM_SCORE_MERIT = 5,
} TmScoreComponent;

#define TM_N_SCORE_COMPONENTS 6

/** Key of a component in the [weights.*] groups ("sector", "tags", "title",
 * "years", "distance", "merit"); static; NULL when out of range. */
TM_API const char *tm_score_component_name(TmScoreComponent component);

/* ---- weights (stored in a TmRules, read from [weights.*] / [scoring]) ---- */

/** Weight of @component for @side (TM_SIDE_SUPPLY = how commissioners rank
 * sites, TM_SIDE_DEMAND = how sites rank commissioners); -1 on bad arguments. */
TM_API double tm_rules_weight(const TmRules *rules, TmSide side, TmScoreComponent component);
/** Sets a weight: finite, >= 0.  Errors: TM_ERROR_INVALID_ARGUMENT. */
TM_API gboolean tm_rules_set_weight(TmRules *rules, TmSide side, TmScoreComponent component,
                                    double weight, GError **error);
/** The distance scale D in km (default 20); -1 for NULL. */
TM_API double tm_rules_distance_scale(const TmRules *rules);
/** Sets D: finite, > 0.  Errors: TM_ERROR_INVALID_ARGUMENT. */
TM_API gboolean tm_rules_set_distance_scale(TmRules *rules, double km, GError **error);

/* ---- candidate settings (stored in a TmRules, read from [candidates]) ---- */

/** Candidate generation settings. */
typedef struct {
    int32_t k;            /**< -1 auto, 0 exact (all pairs), > 0 top-k (default -1) */
    int32_t site_k;       /**< -1 same as k, 0 none, > 0 (default -1) */
    int64_t exact_limit;  /**< auto: exact when eligible c x eligible s <= this (1e7) */
    int32_t auto_k;       /**< auto: k above exact_limit, > 0 (default 50) */
    int32_t budget;       /**< partners scored at most per commissioner search;
                               0 = 20 x k (default 0) */
    int32_t site_budget;  /**< likewise per site search; 0 = 20 x site_k (default 0) */
    uint64_t seed;        /**< seed of the pseudo-random starts (default 1) */
} TmCandidateParams;

/** Copies the current settings into @out. */
TM_API void tm_rules_get_candidates(const TmRules *rules, TmCandidateParams *out);
/** Replaces the settings after checking every field.  Errors:
 * TM_ERROR_INVALID_ARGUMENT (NULL, a value out of range; message names it). */
TM_API gboolean tm_rules_set_candidates(TmRules *rules, const TmCandidateParams *params,
                                        GError **error);

/* ---- scores ------------------------------------------------------------- */

/**
 * tm_preferences_score:
 * The @side score (TM_SIDE_SUPPLY: commissioner @c's score of site @s;
 * TM_SIDE_DEMAND: site @s's score of commissioner @c), by the formula above,
 * whether or not the pair is acceptable.  Returns -1 for NULL or ids out of
 * range.  Bit-identical to the scores used by tm_programme_build_market().
 * Time O(n_commissioners) (the merit range); use a TmScorer for many calls.
 */
TM_API double tm_preferences_score(const TmProgramme *programme, const TmRules *rules,
                                   TmSide side, int32_t c, int32_t s);

/** A pair's score in detail (tm_preferences_explain()). */
typedef struct {
    double component[TM_N_SCORE_COMPONENTS]; /**< x_k, each in [0, 1] */
    double score[2];          /**< indexed by TmSide: commissioner's, site's score */
    double distance_km;       /**< Euclidean distance, or -1 when a location is missing */
    const char *pair_reason;  /**< first failing pair rule (static), NULL if it passes */
    uint32_t pair_failures;   /**< all failing pair rules (mask) */
} TmScoreDetail;

/**
 * tm_preferences_explain:
 * Fills @out with the components, both scores and the pair rules' verdict
 * for commissioner @c and site @s.  Errors: TM_ERROR_INVALID_ARGUMENT (NULL),
 * TM_ERROR_OUT_OF_RANGE (bad id).  Time O(n_commissioners).
 */
TM_API gboolean tm_preferences_explain(const TmProgramme *programme, const TmRules *rules,
                                       int32_t c, int32_t s, TmScoreDetail *out,
                                       GError **error);

/** Precomputed scoring context for many calls (merit range and weights are
 * taken when it is made; the programme and rules must outlive it and not
 * change). */
typedef struct TmScorer TmScorer;

/** Free with tm_scorer_free().  Errors: TM_ERROR_INVALID_ARGUMENT,
 * TM_ERROR_NO_MEMORY. */
TM_API TmScorer *tm_scorer_new(const TmProgramme *programme, const TmRules *rules,
                               GError **error);
/** NULL-safe. */
TM_API void tm_scorer_free(TmScorer *scorer);
/** As tm_preferences_score() in O(|skills| + |needs| + |expertise|). */
TM_API double tm_scorer_score(const TmScorer *scorer, TmSide side, int32_t c, int32_t s);
/** As tm_preferences_explain(). */
TM_API gboolean tm_scorer_explain(const TmScorer *scorer, int32_t c, int32_t s,
                                  TmScoreDetail *out, GError **error);

/* ---- building the market ------------------------------------------------ */

/** What a build did (optional output, see TmPrefsOptions.stats). */
typedef struct {
    int32_t k;                   /**< k used (after auto); 0 = exact */
    int32_t site_k;              /**< site_k used */
    int64_t candidates_scored;   /**< (agent, candidate) scores computed */
    int64_t candidates_examined; /**< candidates read by the top-k searches (scored
                                      or refused by a pair rule) */
    int64_t supply_entries;      /**< total length of the commissioner lists */
    int64_t demand_entries;      /**< total length of the site lists (equal) */
    int64_t wishes_kept;         /**< explicit wishes kept (both sides) */
    int64_t wishes_dropped;      /**< explicit wishes dropped as not acceptable */
    int64_t forced_entries;      /**< entries forced into commissioner lists by sites */
    int64_t exact_agents;        /**< top-k searches that ended certified exact */
    int64_t budget_agents;       /**< top-k searches that ended on the budget */
    int32_t threads;             /**< worker threads used */
} TmPrefsStats;

/** Options of tm_programme_build_market(); initialise with
 * tm_prefs_options_init(). */
typedef struct {
    int32_t k;                   /**< < 0: the rules' [candidates] k (default -1);
                                      0: exact; > 0: top-k */
    TmProgressFunc progress;     /**< optional progress callback (called on the
                                      calling thread only) */
    gpointer progress_data;
    TmCancel *cancel;            /**< optional, borrowed; when triggered the build stops
                                      with TM_ERROR_CANCELLED (cancel.h) */
    TmPrefsStats *stats;         /**< optional, caller owned; filled on success */
    int32_t n_threads;           /**< worker threads; 0 = one per processor (default) */
} TmPrefsOptions;

/** Fills @options with the defaults (k from the rules, no callback). */
TM_API void tm_prefs_options_init(TmPrefsOptions *options);

/**
 * tm_programme_build_market:
 * Builds the market described above.
 *
 * @screening: from tm_programme_screen() on the same programme (normally with
 *     the same rules); NULL: screened here with @rules.
 * @options: may be NULL (defaults).
 *
 * Returns a new market (tm_market_free()) or NULL with @error:
 * TM_ERROR_INVALID_ARGUMENT (NULL programme/rules, screening of another size),
 * TM_ERROR_UNKNOWN_NAME (a wish names no agent; the message names the agent
 * and the wish), TM_ERROR_OVERFLOW (more than INT32_MAX list entries),
 * TM_ERROR_NO_MEMORY, TM_ERROR_CANCELLED.
 */
TM_API TmMarket *tm_programme_build_market(const TmProgramme *programme, const TmRules *rules,
                                           const TmScreening *screening,
                                           const TmPrefsOptions *options, GError **error);

G_END_DECLS

#endif /* TECHMATCH_PREFERENCES_H */
