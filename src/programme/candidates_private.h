/* techmatch — private definitions of the market builder (not installed).
 *
 * tm_programme_build_market() (contract in preferences.h) is spread over:
 *   candidates.c          the orchestrator: settings, the five steps, the market
 *   candidates_records.c  step 1: flat agent records, explicit wishes, spatial order
 *   candidates_index.c    the bucket index (sector/block x tag, a grid per bucket)
 *   candidates_search.c   sources, bounds and the best-first top-k search
 *   candidates_phases.c   the worker phases (site choices, commissioner lists,
 *                         site-list sorting) and running them on the workers
 *   prefs_options.c       TmPrefsOptions and TmPrefsStats
 * Generic pieces live in the util layer: util/vec.h (growable arrays),
 * util/threadpool.h (fork-join), util/rng.h (seeded mixing), util/alloc.h.
 *
 * Data flow (memory O(total list length + n + total tags)):
 *   1. flatten the agents into compact records (no pointer chasing in the
 *      hot loops) and resolve the explicit wishes of both sides (CSR),
 *      keeping those the partner accepts (consent: a named-only agent
 *      accepts only whom it named; it is left out of the indexes and gets
 *      no scored part);
 *   2. k > 0: index eligible sites by (sector, need tag) and (sector, *) and,
 *      if site_k > 0, eligible commissioners by (block, skill tag) and
 *      (block, *), each bucket on a grid; every site searches its best
 *      site_k commissioners -> "forced" pairs (CSR by commissioner);
 *   3. per eligible commissioner: wishes, then the scored part (exact: every
 *      acceptable site; top-k: best-first search + forced), sorted;
 *   4. transpose into site lists, wishes first, the rest sorted by the
 *      site's score (computed there, so that no list entry carries a score:
 *      the build holds 16 bytes per entry at most, the market's own);
 *   5. tm_i_market_new_mutual(): the lists are mutual by construction, so the
 *      market takes them over without the validate-and-join pass; with tied
 *      wishes, tm_market_new_from_ranked_arrays() with each entry's rank
 *      (tm_i_build_list_ranks()) instead.
 * Steps 2-4 run on worker threads over disjoint agent ranges; every agent's
 * result depends only on the input, so the output does not depend on the
 * number of threads.
 */
#ifndef TECHMATCH_PROGRAMME_CANDIDATES_PRIVATE_H
#define TECHMATCH_PROGRAMME_CANDIDATES_PRIVATE_H

#include "programme/rules_internal.h"
#include "core/control.h"
#include "util/alloc.h"
#include "util/threadpool.h"
#include "util/vec.h"

#if defined(__GNUC__)
#define TM_PREFETCH(p) __builtin_prefetch(p)
#else
#define TM_PREFETCH(p) ((void)(p))
#endif

/* ---- options and statistics (prefs_options.c) ---------------------------- */

struct TmPrefsOptions {
    int32_t k;                   /* < 0: the rules' k */
    int32_t n_threads;           /* 0: one per processor */
    TmControl ctl;               /* progress and cancel (core/control.h) */
};

struct TmPrefsStats {
    int32_t k, site_k;
    int64_t candidates_scored, candidates_examined;
    int64_t supply_entries, demand_entries;
    int64_t wishes_kept, wishes_dropped, forced_entries;
    int64_t exact_agents, budget_agents;
    int32_t threads;
};

/* ---- flattened agents ------------------------------------------------------ */

/* Tag sets are also kept as a 64-bit mask when every tag id is < 64, so
 * that counting shared tags is one popcount (the same count as the merge). */
typedef struct {
    double x, y;
    uint64_t mask;
    uint8_t tasks; /* task bits asked for (tasks.h) */
    int32_t sector, need_off, n_needs, id;
    int8_t min_title, years, located, eligible, mask_ok;
    int8_t named; /* consent in force: only the commissioners it named (preferences.h) */
} SRec;

typedef struct {
    double x, y, merit; /* merit: the merit component */
    uint64_t mask;
    uint8_t tasks; /* task bits offered (tasks.h) */
    int32_t skill_off, n_skills, exp_off, n_exp;
    int8_t title, years, located, eligible, mask_ok;
    int8_t named; /* consent in force: only the sites it named (preferences.h) */
} CRec;

static inline int tm_i_popcount64(uint64_t v)
{
#if defined(__GNUC__)
    return __builtin_popcountll(v);
#else
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
#endif
}

/* ---- the bucket index (candidates_index.c) --------------------------------- */

/* Buckets are keyed by block * (n_tags + 1) + tag, tag == n_tags meaning "*"
 * (every member of the block).  Items of a bucket: located ones sorted by
 * grid cell (row-major) then id, then unlocated ones by id. */
/* A slot also summarises what its items bring to the components that
 * depend on the partner (for the bounds of the search): which title and
 * years values occur (bit v for value v < 15, bit 15 for any larger or
 * negative value), the OR of the nonzero task sets, and whether items with
 * no task / with some task occur. */
#define TM_I_VAL_OTHER 15
typedef struct {
    double x0, y0, x1, y1, inv, maxq;
    int64_t cbase;
    int32_t g, n_loc;
    uint16_t tmask, ymask;
    uint8_t task_or, task_zero, task_some;
} Slot;

typedef struct {
    int32_t n_blocks, n_tags;
    int64_t n_keys;
    int64_t *off;     /* n_keys + 1 */
    int32_t *items;
    int32_t *byid;    /* the same items, each bucket by ascending id */
    int32_t *slot;    /* n_keys: slot, -1 for an empty bucket */
    Slot *sl;
    int32_t *coff;    /* per slot: g*g + 1 offsets relative to the bucket start */
    void *rec;        /* a copy of each item's record (SRec or CRec), beside it */
    size_t rec_size;
} Index;

/* Commissioners are also split into merit bands, so that a bucket's largest
 * merit (its bound) is tight. */
#define TM_MERIT_BANDS 4

/* The grid cell of coordinate @v in a grid of @g cells from @v0, @inv cells
 * per km (clamped to the grid). */
static inline int32_t tm_i_cell_of(double v, double v0, double inv, int32_t g)
{
    double f = (v - v0) * inv;
    int32_t c = f < 0 ? 0 : (f >= g ? g - 1 : (int32_t)f);
    return c;
}

G_GNUC_INTERNAL void tm_i_index_free(Index *ix);

/* ---- the build context ------------------------------------------------------ */

typedef struct Build Build;

/* A source of the best-first search: one part (grid or unlocated agents) of
 * one bucket, with an upper bound on the score of what it has not produced.
 * The bound is tm_i_combine() of per-component upper bounds (comp), so it is
 * computed by the very operations of a score: by the monotonicity of
 * rounding it is >= the score of every item of the source, with no margin
 * (the distance lower bound carries its own).  Linear sources read their
 * items by ascending id, so that a tie with the k-th best score can be
 * settled without reading on (tm_i_search()). */
typedef struct {
    int64_t key;
    int32_t level;     /* partners' level in the searcher's sector, -1 = look up */
    double comp[TM_N_SCORE_COMPONENTS]; /* component bounds (distance: current) */
    double ub;         /* current bound in score units */
    gboolean ring;     /* grid source (else linear) */
    gboolean done;
    gboolean whole;    /* linear over the whole bucket (ix->byid, global records) */
    int32_t r, rmax, cx, cy;      /* ring state */
    int32_t lo, n, pos;           /* linear: n items from lo, read from pos */
} Source;

/* Phase SORT: each site's segment of the transpose (dp: the commissioners
 * in id order, dp_rpos: the site's position in each one's list), sorted in
 * place: wishes first, the rest by the site's score, computed here (the
 * supply phase keeps no score).  Also writes sp_rpos (the commissioner's
 * position in the site's list), so the market needs no join. */
typedef struct {
    const int32_t *dp_off;
    int32_t *dp;
    const int32_t *sp_off;
    int32_t *dp_rpos, *sp_rpos;
} SortJob;

enum { PHASE_FORCED, PHASE_SUPPLY, PHASE_SORT };

/* One worker: its agent range, outputs and scratch. */
typedef struct {
    Build *b;
    int id;
    int32_t lo, hi;               /* agent range */
    int phase;
    /* outputs */
    TmIVecI32 ids;                /* supply phase: list entries */
    TmIVecI32 pc, ps;             /* forced phase: pairs */
    TmPrefsStats st;
    GError *error;
    /* scratch */
    int32_t *stamp;               /* other side's size */
    int32_t mark;                 /* current stamp value */
    int32_t *cand;
    const void **crec;            /* the candidates' records (from the index) */
    int64_t n_cand, cap_cand, cap_crec;
    Source *src;
    int64_t n_src, cap_src;
    TmScored *heap, *part;
    int64_t cap_part;
    int32_t *lv;                  /* n_sectors levels of the current commissioner */
} Worker;

struct Build {
    const TmProgramme *p;
    const TmRules *r;
    const TmScreening *scr;
    TmScoreCtx ctx;
    int32_t nc, ns, n_sectors, n_tags;
    CRec *c;
    SRec *s;
    int32_t *skills, *needs;
    TmExpertise *exps;
    int32_t *w_off[2], *w_ids[2];
    int32_t *w_rank[2];           /* per kept wish its dense rank; NULL: no tie on that side */
    int32_t *nm_off[2], *nm_ids[2]; /* per named-only agent its wishes' ids, sorted (CSR;
                                       empty for open agents): whom it accepts */
    int32_t k, site_k, budget_c, budget_s;
    gboolean by_sector;
    Index *six, *cix;
    int32_t *f_off, *f_ids;
    /* supply lists: per commissioner length, then concatenated */
    int32_t *sp_len;
    /* processing order of the current phase (eligible agents, spatially
     * sorted for cache locality), NULL = ids in order */
    int32_t *order;
    /* what the caller watches (from the options) */
    TmProgressFunc progress;
    gpointer progress_data;
    TmCancel *cancel;
    int n_threads;
    gint stop;
    TmPrefsStats stats;
    Worker ws[TM_I_MAX_WORKERS];
    const SortJob *sort_job;      /* phase SORT */
};

/* @c's expertise level in @sector (0 when none). */
static inline int32_t tm_i_level_of(const Build *b, int32_t c, int32_t sector)
{
    const CRec *cr = &b->c[c];
    for (int32_t e = cr->exp_off; e < cr->exp_off + cr->n_exp; e++)
        if (b->exps[e].sector == sector)
            return b->exps[e].level;
    return 0;
}

/* TRUE when the pair passes every enabled pair rule (@level: c's level in
 * s's sector). */
static inline gboolean tm_i_pair_ok(const Build *b, const CRec *cr, const SRec *sr,
                                    int32_t level)
{
    return tm_i_pair_mask_raw(b->r, level, cr->years, sr->years, cr->title, sr->min_title,
                              cr->located && sr->located, cr->x, cr->y, sr->x, sr->y, TRUE)
           == 0;
}

/* The score components of a pair (@level: c's level in s's sector). */
static inline void tm_i_rec_components(const Build *b, const CRec *cr, const SRec *sr,
                                       int32_t level, double comp[TM_N_SCORE_COMPONENTS])
{
    int32_t common = cr->mask_ok && sr->mask_ok
                         ? tm_i_popcount64(cr->mask & sr->mask)
                         : tm_i_count_common(b->skills + cr->skill_off, cr->n_skills,
                                             b->needs + sr->need_off, sr->n_needs);
    tm_i_components_raw(&b->ctx, level, common, sr->n_needs, cr->title, sr->min_title,
                        cr->years, sr->years, cr->located && sr->located, cr->x, cr->y, sr->x,
                        sr->y, cr->merit, cr->tasks, sr->tasks, comp);
}

/* @side's score of the pair (commissioner @c, site @s). */
static inline double tm_i_rec_score(const Build *b, int side, int32_t c, int32_t s,
                                    int32_t level)
{
    double comp[TM_N_SCORE_COMPONENTS];
    tm_i_rec_components(b, &b->c[c], &b->s[s], level, comp);
    return tm_i_combine(&b->ctx, side, comp);
}

/* ---- step 1 (candidates_records.c) ----------------------------------------- */

/* Fills b->c, b->s, b->skills, b->needs, b->exps from the programme. */
G_GNUC_INTERNAL gboolean tm_i_build_flatten(Build *b, GError **error);
/* Resolves the wishes of the named-only agents of both sides into sorted
 * CSR (b->nm_off/nm_ids): whom each accepts.  TM_ERROR_UNKNOWN_NAME as
 * tm_i_build_wishes(). */
G_GNUC_INTERNAL gboolean tm_i_build_named(Build *b, GError **error);
/* Whether agent @a of @side accepts partner @o (consent: open, or @o among
 * its wishes).  O(log wishes of @a). */
G_GNUC_INTERNAL gboolean tm_i_accepts(const Build *b, int side, int32_t a, int32_t o);
/* Resolves the explicit wishes of @side into CSR (b->w_off/w_ids[side]),
 * keeping acceptable ones (first occurrence) that the partner accepts back
 * (consent); counts kept/dropped wishes.
 * When an agent of @side has tied wishes, b->w_rank[side] holds the rank of
 * every kept wish (its agent's dense wish rank). */
G_GNUC_INTERNAL gboolean tm_i_build_wishes(Build *b, int side, GError **error);
/* The eligible agents of @side in Morton order of location, unlocated last
 * (*@n_out of them); g_free() it. */
G_GNUC_INTERNAL int32_t *tm_i_build_spatial_order(const Build *b, int side, int32_t *n_out,
                                                  GError **error);
/* Ranks for lists with tied wishes (step 5): for each agent of @side with
 * @n agents, lists @off/@ids (its kept wishes first, in b->w_ids order), the
 * rank of every entry: a kept wish its wish rank, every later entry a rank
 * of its own.  A new array of off[n] entries (g_free()), or NULL with
 * TM_ERROR_NO_MEMORY. */
G_GNUC_INTERNAL int32_t *tm_i_build_list_ranks(const Build *b, int side, int32_t n,
                                               const int32_t *off, const int32_t *ids,
                                               GError **error);
/* Frees everything the build context owns (not the workers). */
G_GNUC_INTERNAL void tm_i_build_clear(Build *b);

/* ---- the indexes (candidates_index.c) --------------------------------------- */

/* Eligible sites: block = sector. */
G_GNUC_INTERNAL Index *tm_i_site_index(const Build *b, GError **error);
/* Eligible commissioners: blocks (sector, level, merit band), or merit band
 * only without P_SECTOR. */
G_GNUC_INTERNAL Index *tm_i_commissioner_index(const Build *b, GError **error);

/* ---- the search (candidates_search.c) --------------------------------------- */

/* Adds the sources of bucket @key of @ix (grid and unlocated parts) for
 * searcher @a on @side at (@px, @py) (@loc: located), with partners' level
 * @level (-1 = look up) and the bounds of the components fixed by the
 * searcher and the bucket in @comp (sector, tags; side 0 also merit and
 * term): the others are bounded from the bucket's slot summary. */
G_GNUC_INTERNAL gboolean tm_i_add_source(Worker *w, int side, int32_t a, const Index *ix,
                                         int64_t key, int32_t level,
                                         const double comp[TM_N_SCORE_COMPONENTS],
                                         gboolean loc, double px, double py);
/* The best-first search of agent @a on @side over w->src; the k best end in
 * w->heap (*@nh_out entries); *@exact when certified exact. */
G_GNUC_INTERNAL gboolean tm_i_search(Worker *w, int side, int32_t a, const Index *ix,
                                     int32_t k, int32_t budget, double px, double py,
                                     int32_t *nh_out, gboolean *exact);

/* ---- the worker phases (candidates_phases.c) -------------------------------- */

/* Allocates each worker's scratch (@n_stamp stamps, the heap, levels). */
G_GNUC_INTERNAL gboolean tm_i_workers_init(Build *b, int32_t n_stamp, GError **error);
/* Runs @phase over [0, @n) split among the workers; FALSE with the first
 * worker error (or TM_ERROR_CANCELLED). */
G_GNUC_INTERNAL gboolean tm_i_run_phase(Build *b, int phase, int32_t n, GError **error);
/* The forced pairs of phase FORCED as CSR by commissioner (b->f_off/f_ids). */
G_GNUC_INTERNAL gboolean tm_i_forced_csr(Build *b, GError **error);
/* Frees a worker's buffers and zeroes it. */
G_GNUC_INTERNAL void tm_i_worker_clear(Worker *w);
/* Adds a worker's counters to @to. */
G_GNUC_INTERNAL void tm_i_stats_add(TmPrefsStats *to, const TmPrefsStats *from);

#endif /* TECHMATCH_PROGRAMME_CANDIDATES_PRIVATE_H */
