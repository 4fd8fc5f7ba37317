/* techmatch — two-way compatibility scores and preference lists (domain
 * layer): turns a screened programme into a TmMarket.
 *
 * SCORES.  For commissioner c and site s, eight components in [0, 1]:
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
 *   term      1 if C_YEARS.min <= Y_c <= C_YEARS.max (rules.h; default 1..2:
 *             the plan's 工作年限一般为1-2年, "normally"), else 0; the range
 *             is used whether or not the hard rule C_YEARS is on (it is off
 *             by default, so the term is a preference, not a condition)
 *   tasks     |T_c ∩ T_s| / |T_s|, T_c = the task types c offers, T_s = those
 *             s asks for (tasks.h; TmCommissioner.tasks, TmSite.tasks): the
 *             share of the site's request that c covers; 0.5 when either side
 *             names no task type (unknown, as a missing location)
 *
 * Each side has its own weights w_k >= 0 and ranks the other side by
 *
 *   score = sum_k w_k * x_k / sum_k w_k      (0 when every weight is 0)
 *
 * summed in the component order above, so score is in [0, 1].
 *
 *   default weights   sector  tags  title  years  distance  merit  term  tasks
 *   commissioner side   3       2     0      1       2        0      0     1
 *   site side           3       2     1      1       1        2      1     1
 *
 * (A commissioner looks for its field, its skills, the kind of work it
 * offers and a short trip; a site looks for expertise, the skills and tasks
 * it needs, seniority, merit and a term within the plan's norm.  The term
 * weighs on the site side only by default: it is the commissioner's own
 * value, the same for every site, so on the commissioner side it could not
 * change any commissioner's order of sites.)
 *
 * PREFERENCE LISTS.  tm_programme_build_market() makes a market whose supply
 * agent i is commissioner i and demand agent j is site j.  Ineligible agents
 * (screening) get capacity 0 and empty lists; eligible agents keep their
 * capacity.  A pair is *acceptable* when both agents are eligible and the pair
 * passes the enabled pair rules (tm_rules_pair_reason() == NULL); only
 * acceptable pairs are ever listed, and every listed pair is listed by both
 * sides (the market drops nothing).
 *
 * CONSENT (双向选择, profile.h TmConsent).  An agent whose consent is
 * TM_CONSENT_NAMED_ONLY (its own, or the [consent] default of its side when
 * its own is TM_CONSENT_DEFAULT; tm_rules_consent()) accepts only the
 * partners it named in its wishes; a TM_CONSENT_OPEN agent accepts any.  A
 * pair is acceptable only when, besides the rules above, both agents accept
 * it.  So a named-only agent's list is its acceptable wishes that accept it
 * back, and no scored part; an open agent's scored part never holds a
 * named-only partner that did not name it.  With every agent open (the
 * default) the lists are as without consent.
 *
 * Explicit wishes (TmCommissioner.ranked_sites, TmSite.ranked_commissioners)
 * come first, in the agent's own order, keeping only acceptable ones (the
 * profile already refuses a name twice; a repeat would be ignored).  Wishes
 * declared tied (tm_programme_set_wish_ranks()) share a rank in the list;
 * every other entry has a rank of its own.  The rest of a list (the *scored
 * part*) is sorted by the agent's side's score, descending, ties by
 * ascending id (a strict order: equal scores are not a tie).
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
 *   searcher without location reads the whole bucket by ascending id
 *   instead) and its unlocated agents, by ascending id, in chunks of 64.
 *   Bounds.  Every source carries an upper bound on the score of any agent it
 *   has not produced yet: the weighted mean (the very operations of a
 *   score, so no margin is needed) of per-component bounds: the exact sector
 *   component (commissioner: its level in σ; site: the block's level, or 1
 *   without P_SECTOR); tags 1 for a commissioner's tag bucket, for a site
 *   with n needs (n - j)/n for the bucket of its j-th need (j from 0: a
 *   partner is bounded in the bucket of its first shared need), 0 for a
 *   (·, *) bucket (a partner sharing a tag with the searcher is in one of
 *   its tag buckets); title, years, term and tasks the largest value the
 *   bucket's agents can give (the bucket keeps which titles and years occur
 *   and the union of its task sets); merit exact (commissioner side) or the
 *   bucket's maximum (site side); distance 1 - LB/D with LB a lower bound
 *   of the distance to the unread rings (0.5 for unlocated agents or a
 *   searcher without location).
 *   Search.  Repeatedly read the source with the highest bound (ties: source
 *   order), score the new acceptable partners, keep the best k; stop when
 *   (a) k are kept and no source can still give a partner that comes
 *   before the k-th best: its bound is below the k-th best score, or (a
 *   source read by id) at most equal to it with a next id above the k-th's,
 *   (b) every source is exhausted, or (c) `budget` partners were examined
 *   (scored or refused by a pair rule; default 20 k; site side
 *   `site_budget`, default 200 site_k).  With P_DISTANCE on, a grid source
 *   ends as soon as its distance lower bound exceeds max_km.
 * GUARANTEES:
 *   1. every listed pair is acceptable and listed by both sides;
 *   2. each scored part is the exact top-k (by score, ties by id) of the
 *      partners examined, plus the forced entries, exactly sorted;
 *   3. when an agent's search stops by (a) or (b), its top-k IS the exact
 *      top-k over all its acceptable partners, as the brute force would find
 *      (TM_PREFS_STAT_EXACT_AGENTS counts them, TM_PREFS_STAT_BUDGET_AGENTS
 *      the others).  So with budgets >= the size of the other side every
 *      list equals the brute force: exact top-k for commissioners, exact
 *      top-site_k for sites, union, transpose;
 *   4. deterministic for a given programme, rules and seed, whatever the
 *      number of threads.
 *   Not guaranteed: exactness for agents that hit the budget; they keep the
 *   best k of what they scored, read in decreasing order of bound (the
 *   benchmark reports the recall on a large programme).
 *
 * Memory O(total list length + n + total tags); time about n_c x (scored per
 * commissioner) + n_s x (scored per site) + sorting the site lists, spread
 * over the worker threads (tm_prefs_options_set_n_threads()).
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
    TM_SCORE_TERM = 6,     /**< the years offered within C_YEARS.min..max (issue 10) */
    TM_SCORE_TASKS = 7,    /**< the site's asked task types the commissioner offers */
} TmScoreComponent;

#define TM_N_SCORE_COMPONENTS 8

/** Key of a component in the [weights.*] groups ("sector", "tags", "title",
 * "years", "distance", "merit", "term", "tasks"); static; NULL when out of
 * range. */
TM_API const char *tm_score_component_name(TmScoreComponent component);

/* ---- weights (stored in a TmRules, read from [weights.*] / [scoring]) ---- */

/* Weights: each finite and >= 0 (subnormals included), and the weights of
 * one side must add up to a finite number (so every score, a weighted mean,
 * is finite); tm_rules_set_weight() and the configuration reader refuse a
 * weight that would break this. */
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
    int32_t site_budget;  /**< likewise per site search; 0 = 200 x site_k (default 0) */
    uint64_t seed;        /**< kept for compatibility; the search reads by id and no
                               longer uses it (default 1) */
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

/**
 * TmScorer:
 * A precomputed scoring context for many calls: the merit range of the
 * programme and the weights are taken when it is made.  The scorer holds a
 * reference to the programme and a private copy of the rules, so the caller
 * may free (or change) its own rules, and drop its programme reference, at
 * any time; scores always use the rules as they were at tm_scorer_new().
 * Adding agents to the programme afterwards is allowed but not seen by the
 * merit range (make a new scorer).  Reading a scorer from several threads at
 * once is safe.
 */
typedef struct TmScorer TmScorer;

/**
 * tm_scorer_new:
 * A scorer for @programme (a reference is taken: tm_programme_ref()) and a
 * copy of @rules.  Both are only borrowed for the call.
 *
 * Returns a new scorer (free with tm_scorer_free()) or NULL with @error:
 * TM_ERROR_INVALID_ARGUMENT (NULL programme or rules).
 * Time O(n_commissioners) (the merit range).
 */
TM_API TmScorer *tm_scorer_new(const TmProgramme *programme, const TmRules *rules,
                               GError **error);

/** Frees @scorer, dropping its programme reference and its rules copy.
 * NULL-safe.  O(1) (plus the programme's own free with the last reference). */
TM_API void tm_scorer_free(TmScorer *scorer);

/**
 * tm_scorer_score:
 * As tm_preferences_score() (the same bits) with the scorer's programme and
 * rules: -1 for a NULL scorer, a bad side or ids out of range.
 * Time O(|skills| + |needs| + |expertise|).
 */
TM_API double tm_scorer_score(const TmScorer *scorer, TmSide side, int32_t c, int32_t s);

/**
 * tm_scorer_explain:
 * As tm_preferences_explain() with the scorer's programme and rules: fills
 * @out (caller owned; out->pair_reason is static).  Errors:
 * TM_ERROR_INVALID_ARGUMENT (NULL), TM_ERROR_OUT_OF_RANGE (bad id).
 * Time O(|skills| + |needs| + |expertise|).
 */
TM_API gboolean tm_scorer_explain(const TmScorer *scorer, int32_t c, int32_t s,
                                  TmScoreDetail *out, GError **error);

/* ---- ties among explicit wishes ------------------------------------------ */

/**
 * tm_programme_set_wish_ranks:
 * Declares ties among the explicit wishes of agent @id on @side
 * (TM_SIDE_SUPPLY: commissioner @id's ranked_sites; TM_SIDE_DEMAND: site
 * @id's ranked_commissioners): @ranks[i] is the rank of wish i, most wanted
 * first; equal ranks are a tie.  Ranks must be >= 0 and non-decreasing, one
 * per wish (@n_ranks = the agent's number of wishes); any values may be
 * used, they are stored densely (0, 1, 2, ...).  A NULL @ranks (with
 * @n_ranks 0) makes the wishes strict again (rank = position), which is
 * every agent's state when it is added.  The forms reader calls this for a
 * list cell with `=` ties (docs/forms.md).
 *
 * tm_programme_build_market() carries the ties into the preference lists:
 * tied wishes get one rank, so the market has ties (tm_market_has_ties())
 * and tm_solve() treats them as solve.h says (weakly stable by tie breaking
 * unless another TmStability is asked for).  Wishes the build drops (not
 * acceptable) leave the others' ties as they are.
 *
 * @programme: changed in place; @ranks: borrowed, only read during the call.
 *
 * Returns FALSE with @error, changing nothing: TM_ERROR_INVALID_ARGUMENT
 * (NULL programme, a bad side, @n_ranks not the number of wishes, a NULL
 * @ranks with @n_ranks > 0, a negative or decreasing rank — the message
 * names the agent and the wish), TM_ERROR_OUT_OF_RANGE (@id),
 * TM_ERROR_NO_MEMORY.  Time O(@n_ranks); memory O(@n_ranks), kept only when
 * there is a tie.
 */
TM_API gboolean tm_programme_set_wish_ranks(TmProgramme *programme, TmSide side, int32_t id,
                                            const int32_t *ranks, int32_t n_ranks,
                                            GError **error);

/**
 * tm_programme_wish_rank:
 * The dense rank of wish @i of agent @id on @side (as stored by
 * tm_programme_set_wish_ranks(); @i for strict wishes), or -1 for a NULL
 * programme, a bad side or an index out of range.  O(1).
 */
TM_API int32_t tm_programme_wish_rank(const TmProgramme *programme, TmSide side, int32_t id,
                                      int32_t i);

/**
 * tm_programme_n_wish_ties:
 * How many agents of @side have a tie among their wishes (0 for NULL or a
 * bad side).  Time O(agents of @side).
 */
TM_API int32_t tm_programme_n_wish_ties(const TmProgramme *programme, TmSide side);

/* ---- building the market ------------------------------------------------ */

/**
 * TmPrefsOptions:
 * Options of tm_programme_build_market(), an opaque object with setters (new
 * settings can be added without breaking the ABI).  Options are plain
 * values: not thread-safe to modify, but any number of concurrent builds may
 * read one options object.
 */
typedef struct TmPrefsOptions TmPrefsOptions;

/**
 * tm_prefs_options_new:
 * New options with the defaults: k from the rules' [candidates] (-1), one
 * worker thread per processor (0), no progress callback, no cancel handle.
 * Free with tm_prefs_options_free().  Never fails (fixed-size allocation).
 */
TM_API TmPrefsOptions *tm_prefs_options_new(void);

/** A copy of @options with its own reference to the cancel handle; the copy
 * shares the progress data without calling its destroy notify.  NULL for
 * NULL.  Free with tm_prefs_options_free(). */
TM_API TmPrefsOptions *tm_prefs_options_copy(const TmPrefsOptions *options);

/** Frees @options, dropping its cancel reference and calling the progress
 * data's destroy notify, if any.  NULL-safe. */
TM_API void tm_prefs_options_free(TmPrefsOptions *options);

/**
 * tm_prefs_options_set_k:
 * The list length: -1 takes the rules' [candidates] k (the default), 0 makes
 * exact lists (every acceptable pair), k > 0 top-k candidate generation (see
 * above).  A build clamps k to the number of sites and site_k to the number
 * of commissioners (at least 1; TM_PREFS_STAT_K / _SITE_K report the values
 * used), so k = INT32_MAX means "everyone" and sizes nothing.  Returns FALSE with TM_ERROR_INVALID_ARGUMENT for a NULL @options
 * or @k < -1 (the options are then unchanged).
 */
TM_API gboolean tm_prefs_options_set_k(TmPrefsOptions *options, int32_t k, GError **error);

/** The list length set (-1 for NULL: the rules' k). */
TM_API int32_t tm_prefs_options_get_k(const TmPrefsOptions *options);

/**
 * tm_prefs_options_set_n_threads:
 * Worker threads of the build: 0 (the default) one per processor, else at
 * most @n_threads (never more than 64, nor more than one per 256 agents of
 * the larger side).  The result does not depend on it.  Returns FALSE with
 * TM_ERROR_INVALID_ARGUMENT for a NULL @options or @n_threads < 0.
 */
TM_API gboolean tm_prefs_options_set_n_threads(TmPrefsOptions *options, int32_t n_threads,
                                               GError **error);

/** The worker threads set (0 for NULL: one per processor). */
TM_API int32_t tm_prefs_options_get_n_threads(const TmPrefsOptions *options);

/**
 * tm_prefs_options_set_progress:
 * Sets (or, with a NULL @func, clears) the progress callback, called on the
 * thread that calls tm_programme_build_market() only.  @destroy, if not
 * NULL, is called on @user_data when the callback is replaced or the options
 * are freed.  NULL-safe on @options.
 */
TM_API void tm_prefs_options_set_progress(TmPrefsOptions *options, TmProgressFunc func,
                                          gpointer user_data, GDestroyNotify destroy);

/** Sets (or, with NULL, clears) the cancel handle; the options take their
 * own reference (cancel.h).  NULL-safe on @options. */
TM_API void tm_prefs_options_set_cancel(TmPrefsOptions *options, TmCancel *cancel);

/** The cancel handle (borrowed; NULL when none or for NULL options). */
TM_API TmCancel *tm_prefs_options_get_cancel(const TmPrefsOptions *options);

/**
 * TmPrefsStats:
 * What a build did: an opaque record filled by tm_programme_build_market(),
 * read with tm_prefs_stats_get() by key (new keys may be added at the end of
 * TmPrefsStat without breaking the ABI).
 */
typedef struct TmPrefsStats TmPrefsStats;

/** Keys of tm_prefs_stats_get(). */
typedef enum {
    TM_PREFS_STAT_K = 0,               /**< k used (after auto); 0 = exact */
    TM_PREFS_STAT_SITE_K,              /**< site_k used */
    TM_PREFS_STAT_CANDIDATES_SCORED,   /**< (agent, candidate) scores computed */
    TM_PREFS_STAT_CANDIDATES_EXAMINED, /**< candidates read by the top-k searches
                                            (scored or refused by a pair rule) */
    TM_PREFS_STAT_SUPPLY_ENTRIES,      /**< total length of the commissioner lists */
    TM_PREFS_STAT_DEMAND_ENTRIES,      /**< total length of the site lists (equal) */
    TM_PREFS_STAT_WISHES_KEPT,         /**< explicit wishes kept (both sides) */
    TM_PREFS_STAT_WISHES_DROPPED,      /**< explicit wishes dropped as not acceptable
                                            (rules, or the partner's consent) */
    TM_PREFS_STAT_FORCED_ENTRIES,      /**< entries forced into commissioner lists by sites */
    TM_PREFS_STAT_EXACT_AGENTS,        /**< top-k searches that ended certified exact */
    TM_PREFS_STAT_BUDGET_AGENTS,       /**< top-k searches that ended on the budget */
    TM_PREFS_STAT_THREADS,             /**< worker threads used */
} TmPrefsStat;

/** A new record, all zero.  Free with tm_prefs_stats_free().  Never fails
 * (fixed-size allocation). */
TM_API TmPrefsStats *tm_prefs_stats_new(void);

/** NULL-safe. */
TM_API void tm_prefs_stats_free(TmPrefsStats *stats);

/** The value of @key; 0 for NULL @stats, -1 for an unknown key.  O(1). */
TM_API int64_t tm_prefs_stats_get(const TmPrefsStats *stats, TmPrefsStat key);

/** The name of @key ("k", "site_k", "candidates_scored", ... — the enum
 * name in lower case without the prefix); static; NULL past the last key,
 * so that `for (k = 0; tm_prefs_stat_name(k); k++)` visits every key. */
TM_API const char *tm_prefs_stat_name(TmPrefsStat key);

/**
 * tm_programme_build_market:
 * Builds the market described above.
 *
 * @programme, @rules: borrowed, only read during the call; the market keeps
 *     no pointer to them (free them whenever you like afterwards).
 * @screening: from tm_programme_screen() on the same programme (normally with
 *     the same rules), borrowed; NULL: screened here with @rules.
 * @options: may be NULL (defaults); only read during the call.
 * @stats: optional output (from tm_prefs_stats_new()); filled on success,
 *     left unchanged on failure.
 *
 * Returns a new market (tm_market_free()) or NULL with @error:
 * TM_ERROR_INVALID_ARGUMENT (NULL programme/rules, screening of another size),
 * TM_ERROR_UNKNOWN_NAME (a wish names no agent; the message names the agent
 * and the wish), TM_ERROR_OVERFLOW (more than INT32_MAX list entries),
 * TM_ERROR_NO_MEMORY (naming what and how many bytes), TM_ERROR_CANCELLED.
 * Nothing is returned half-built.  Time and memory as stated at the top of
 * this header.
 */
TM_API TmMarket *tm_programme_build_market(const TmProgramme *programme, const TmRules *rules,
                                           const TmScreening *screening,
                                           const TmPrefsOptions *options, TmPrefsStats *stats,
                                           GError **error);

/* ---- consent defaults (stored in a TmRules, read from [consent]) ---------- */

/*
 * Configuration group (GKeyFile syntax, as rules.h; a TmConfig accepts it):
 *
 *   [consent]
 *   commissioners=open     # open | named: whom a commissioner whose form
 *   sites=open             #   leaves the consent empty accepts (default open)
 *
 * Values: `open` (also any, 不限, 开放, 服从调剂) or `named` (also
 * named_only, 仅意向, 只接受所列意向, 不服从调剂), ASCII case-insensitive;
 * tm_consent_from_string() without `default`.  An unknown key or value is a
 * TM_ERROR_PARSE error `FILE:LINE: [consent] key: ...`.  tm_rules_to_data()
 * writes the group.
 */

/** tm_consent_code:
 * "default", "open" or "named" (static string), NULL when out of range.  O(1). */
TM_API const char *tm_consent_code(TmConsent consent);

/** tm_consent_from_string:
 * The TmConsent named by @text: a code of tm_consent_code(), `named_only`,
 * `only_named`, `wishes_only`, `any`, or a Chinese word (仅意向, 只接受所列意向,
 * 仅限所列, 不服从调剂 for named; 不限, 开放, 均可, 服从调剂 for open; 默认 for
 * default); blanks around ignored, ASCII case-insensitive, '-' and ' ' read
 * as '_'.  -1 when unknown or NULL.  O(1). */
TM_API int tm_consent_from_string(const char *text);

/** tm_rules_consent:
 * The consent that agents of @side (TM_SIDE_SUPPLY = commissioners,
 * TM_SIDE_DEMAND = sites) with TM_CONSENT_DEFAULT get: TM_CONSENT_OPEN (the
 * default, and for NULL or a bad side) or TM_CONSENT_NAMED_ONLY.  O(1). */
TM_API TmConsent tm_rules_consent(const TmRules *rules, TmSide side);

/** tm_rules_set_consent:
 * Sets the default of @side ([consent] commissioners= / sites=);
 * TM_CONSENT_DEFAULT restores the library default (open).  Errors:
 * TM_ERROR_INVALID_ARGUMENT (NULL @rules, a bad side or value); then @rules
 * is unchanged.  O(1). */
TM_API gboolean tm_rules_set_consent(TmRules *rules, TmSide side, TmConsent consent,
                                     GError **error);

/** tm_programme_consent:
 * The consent in force for agent @id of @side under @rules: the agent's own
 * (profile.h) unless it is TM_CONSENT_DEFAULT, then tm_rules_consent().
 * TM_CONSENT_OPEN for a NULL argument, a bad side or an id out of range.
 * O(1). */
TM_API TmConsent tm_programme_consent(const TmProgramme *programme, const TmRules *rules,
                                      TmSide side, int32_t id);

G_END_DECLS

#endif /* TECHMATCH_PREFERENCES_H */
