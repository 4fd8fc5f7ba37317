/* techmatch — private definitions of the rules and preference builder (not
 * installed).  Shared by rules.c, preferences.c and candidates.c. */
#ifndef TECHMATCH_PROGRAMME_RULES_INTERNAL_H
#define TECHMATCH_PROGRAMME_RULES_INTERNAL_H

#include <math.h>
#include <stdint.h>
#include <glib.h>
#include <techmatch/profile.h>
#include <techmatch/rules.h>
#include <techmatch/preferences.h>
#include <techmatch/tasks.h>

/* Rule indices: the catalogue order, which is also the checking order. */
enum {
    TM_R_C_TITLE = 0,
    TM_R_C_UNIT,
    TM_R_C_SUPPORT,
    TM_R_C_DIRECTION,
    TM_R_C_YEARS,
    TM_R_S_KIND,
    TM_R_S_CLINIC,
    TM_R_P_SECTOR,
    TM_R_P_YEARS,
    TM_R_P_TITLE,
    TM_R_P_DISTANCE,
    TM_R_S_SECTOR,      /* appended (issue 10): a site rule after the pair rules */
    TM_R_COUNT
};

/* Room for S_SECTOR.leading: the items, trimmed, joined by ';', NUL ended. */
#define TM_I_LEADING_MAX 512

struct TmRules {
    gint refcount;            /* kept as is by whole-struct assignments of a tmp copy */
    gboolean enabled[TM_R_COUNT];
    int32_t min_title;        /* C_TITLE */
    uint32_t unit_allowed;    /* C_UNIT: bit per TmUnitKind */
    int32_t years_min, years_max; /* C_YEARS */
    uint32_t site_kinds;      /* S_KIND: bit per TmSiteKind */
    int32_t min_level;        /* P_SECTOR */
    double max_km;            /* P_DISTANCE */
    gboolean direction_target; /* C_DIRECTION.target: also a wished site or a task */
    char leading[TM_I_LEADING_MAX]; /* S_SECTOR.leading: sector codes or names, ';' */
    double weight[2][TM_N_SCORE_COMPONENTS];
    double distance_scale;
    TmCandidateParams cand;
    int32_t consent[2];       /* [consent] default per side (TmConsent; 0 = open), rules_consent.c */
};

struct TmScreening {
    int32_t n[2];
    /* first[] holds rule indices < TM_R_COUNT <= 127, mask[] rule bits < 16 */
    int8_t *first[2];      /* first failing rule index, -1 = eligible */
    uint16_t *mask[2];     /* all failing rules */
    int32_t n_eligible[2];
    int32_t n_failing[TM_R_COUNT];
    int32_t n_first[TM_R_COUNT];
};

/* Pseudo-code returned by tm_rules_pair_reason() on bad arguments. */
#define TM_I_INVALID_CODE "INVALID"

static inline gboolean tm_i_located(double x, double y)
{
    return !(x <= TM_NO_LOCATION || y <= TM_NO_LOCATION) && isfinite(x) && isfinite(y);
}

/* Distance between two located points (same arithmetic everywhere). */
static inline double tm_i_distance(double x1, double y1, double x2, double y2)
{
    double dx = x1 - x2, dy = y1 - y2;
    return sqrt(dx * dx + dy * dy);
}

/* Pair rules on plain values.  @level is c's expertise level in s's sector;
 * @both_located says whether both points are known.  Returns the mask of
 * failing enabled pair rules; if @first_only, stops at the first. */
static inline uint32_t tm_i_pair_mask_raw(const struct TmRules *r, int32_t level,
                                          int32_t c_years, int32_t s_years, int32_t c_title,
                                          int32_t s_min_title, gboolean both_located,
                                          double cx, double cy, double sx, double sy,
                                          gboolean first_only)
{
    uint32_t m = 0;
    if (r->enabled[TM_R_P_SECTOR] && level < r->min_level) {
        m |= 1u << TM_R_P_SECTOR;
        if (first_only)
            return m;
    }
    if (r->enabled[TM_R_P_YEARS] && c_years < s_years) {
        m |= 1u << TM_R_P_YEARS;
        if (first_only)
            return m;
    }
    if (r->enabled[TM_R_P_TITLE] && c_title < s_min_title) {
        m |= 1u << TM_R_P_TITLE;
        if (first_only)
            return m;
    }
    if (r->enabled[TM_R_P_DISTANCE] && both_located
        && tm_i_distance(cx, cy, sx, sy) > r->max_km)
        m |= 1u << TM_R_P_DISTANCE;
    return m;
}

static inline uint32_t tm_i_pair_mask(const struct TmRules *r, const TmCommissioner *c,
                                      int32_t level, const TmSite *s, gboolean first_only)
{
    return tm_i_pair_mask_raw(r, level, c->years, s->years, (int32_t)c->title,
                              (int32_t)s->min_title,
                              tm_i_located(c->x, c->y) && tm_i_located(s->x, s->y), c->x, c->y,
                              s->x, s->y, first_only);
}

/* Scoring context: everything but the pair.  The small tables hold the
 * component values of small integer inputs, computed by the very divisions
 * tm_i_components_raw() would do (so the values are identical), to keep
 * divisions out of the hot loops. */
#define TM_I_TAG_TAB 16
typedef struct {
    double w[2][TM_N_SCORE_COMPONENTS];
    double wsum[2];
    double dscale;
    double merit_lo, merit_span; /* span 0: merit component 1 */
    double sector_tab[4];                          /* [level] */
    double title_tab[4][4];                        /* [title][min_title] */
    double years_tab[11][11];                      /* [offered][wanted] */
    double tag_tab[TM_I_TAG_TAB][TM_I_TAG_TAB];    /* [n_needs][common] */
    int32_t term_lo, term_hi;                      /* the C_YEARS range */
    double term_tab[11];                           /* [offered] */
    double task_tab[TM_N_TASKS + 1][TM_N_TASKS + 1]; /* [n_asked][common] */
} TmScoreCtx;

/* Fills ctx from rules and the programme's merit range. */
G_GNUC_INTERNAL void tm_i_score_ctx_init(TmScoreCtx *ctx, const TmProgramme *p,
                                         const TmRules *r);

static inline int32_t tm_i_count_common(const int32_t *a, int32_t na, const int32_t *b,
                                        int32_t nb)
{
    int32_t i = 0, j = 0, n = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j])
            i++;
        else if (a[i] > b[j])
            j++;
        else {
            n++;
            i++;
            j++;
        }
    }
    return n;
}

/* The merit component of a commissioner with merit @merit. */
static inline double tm_i_merit_comp(const TmScoreCtx *x, double merit)
{
    if (x->merit_span > 0) {
        double m = (merit - x->merit_lo) / x->merit_span;
        return m < 0 ? 0 : (m > 1 ? 1 : m);
    }
    return 1.0;
}

/* The component formulas on small integers (also used to fill the tables). */
static inline double tm_i_sector_comp(int32_t level)
{
    return (double)level / 3.0;
}

static inline double tm_i_tags_comp(int32_t common, int32_t n_needs)
{
    return (double)common / (double)(n_needs > 1 ? n_needs : 1);
}

static inline double tm_i_title_comp(int32_t c_title, int32_t s_min_title)
{
    int32_t span = 3 - s_min_title > 1 ? 3 - s_min_title : 1;
    double t = (double)(c_title - s_min_title) / (double)span;
    return t < 0 ? 0 : (t > 1 ? 1 : t);
}

static inline double tm_i_years_comp(int32_t c_years, int32_t s_years)
{
    if (c_years >= s_years || s_years <= 0)
        return 1.0;
    return (double)c_years / (double)s_years;
}

static inline int tm_i_popcount32(uint32_t v)
{
#if defined(__GNUC__)
    return __builtin_popcount(v);
#else
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
#endif
}

/* term: 1 when the years offered lie in the C_YEARS range (the plan's
 * "normally 1-2 years"), else 0; the range applies whether or not the hard
 * rule C_YEARS is on. */
static inline double tm_i_term_comp(int32_t c_years, int32_t lo, int32_t hi)
{
    return c_years >= lo && c_years <= hi ? 1.0 : 0.0;
}

/* tasks: the share of the site's asked task types that the commissioner
 * offers, |T_c & T_s| / |T_s|; 0.5 when either side names none (unknown). */
static inline double tm_i_tasks_comp(int32_t common, int32_t n_asked)
{
    return (double)common / (double)(n_asked > 1 ? n_asked : 1);
}

/* The components from plain values: @level is c's level in s's sector,
 * @common the number of shared tags, @merit_comp from tm_i_merit_comp(),
 * @c_tasks / @s_tasks the task bits offered / asked for.
 * Every score in the library goes through this function. */
static inline void tm_i_components_raw(const TmScoreCtx *x, int32_t level, int32_t common,
                                       int32_t n_needs, int32_t c_title, int32_t s_min_title,
                                       int32_t c_years, int32_t s_years, gboolean both_located,
                                       double cx, double cy, double sx, double sy,
                                       double merit_comp, uint32_t c_tasks, uint32_t s_tasks,
                                       double comp[TM_N_SCORE_COMPONENTS])
{
    comp[TM_SCORE_SECTOR] = level >= 0 && level < 4 ? x->sector_tab[level]
                                                    : tm_i_sector_comp(level);
    comp[TM_SCORE_TAGS] = n_needs >= 0 && n_needs < TM_I_TAG_TAB && common >= 0
                                  && common <= n_needs
                              ? x->tag_tab[n_needs][common]
                              : tm_i_tags_comp(common, n_needs);
    comp[TM_SCORE_TITLE] = c_title >= 0 && c_title < 4 && s_min_title >= 0 && s_min_title < 4
                               ? x->title_tab[c_title][s_min_title]
                               : tm_i_title_comp(c_title, s_min_title);
    comp[TM_SCORE_YEARS] = c_years >= 0 && c_years < 11 && s_years >= 0 && s_years < 11
                               ? x->years_tab[c_years][s_years]
                               : tm_i_years_comp(c_years, s_years);
    if (both_located) {
        double d = 1.0 - tm_i_distance(cx, cy, sx, sy) / x->dscale;
        comp[TM_SCORE_DISTANCE] = d < 0 ? 0 : (d > 1 ? 1 : d);
    } else {
        comp[TM_SCORE_DISTANCE] = 0.5;
    }
    comp[TM_SCORE_MERIT] = merit_comp;
    comp[TM_SCORE_TERM] = c_years >= 0 && c_years < 11 ? x->term_tab[c_years]
                                                       : tm_i_term_comp(c_years, x->term_lo,
                                                                        x->term_hi);
    uint32_t ct = c_tasks & TM_TASKS_ALL, st = s_tasks & TM_TASKS_ALL;
    comp[TM_SCORE_TASKS] = ct == 0 || st == 0
                               ? 0.5
                               : x->task_tab[tm_i_popcount32(st)][tm_i_popcount32(ct & st)];
}

/* The components.  @level is c's level in s's sector; skills and needs
 * are the interned, sorted tag ids. */
static inline void tm_i_components(const TmScoreCtx *x, const TmCommissioner *c,
                                   const int32_t *skills, int32_t n_skills, int32_t level,
                                   const TmSite *s, const int32_t *needs, int32_t n_needs,
                                   double comp[TM_N_SCORE_COMPONENTS])
{
    tm_i_components_raw(x, level, tm_i_count_common(skills, n_skills, needs, n_needs), n_needs,
                        (int32_t)c->title, (int32_t)s->min_title, c->years, s->years,
                        tm_i_located(c->x, c->y) && tm_i_located(s->x, s->y), c->x, c->y, s->x,
                        s->y, tm_i_merit_comp(x, c->merit), c->tasks, s->tasks, comp);
}

static inline double tm_i_combine(const TmScoreCtx *x, int side,
                                  const double comp[TM_N_SCORE_COMPONENTS])
{
    if (!(x->wsum[side] > 0))
        return 0.0;
    double num = 0.0;
    for (int k = 0; k < TM_N_SCORE_COMPONENTS; k++)
        num += x->w[side][k] * comp[k];
    return num / x->wsum[side];
}

/* Whether the weights of one side add up to a finite number (summed in the
 * order tm_i_score_ctx_init() sums them).  Every score is a weighted mean
 * of components in [0, 1], so it is finite exactly when this holds; a set
 * of weights that fails it is refused when it is set. */
static inline gboolean tm_i_weights_sum_finite(const double w[TM_N_SCORE_COMPONENTS])
{
    double sum = 0.0;
    for (int k = 0; k < TM_N_SCORE_COMPONENTS; k++)
        sum += w[k];
    return isfinite(sum);
}

/* Scored item and the common order: score descending, id ascending. */
typedef struct {
    double score;
    int32_t id;
    int32_t aux; /* rides along (the padding's room): e.g. a source entry */
} TmScored;

static inline gboolean tm_i_scored_before(const TmScored *a, const TmScored *b)
{
    return a->score > b->score || (a->score == b->score && a->id < b->id);
}

G_GNUC_INTERNAL void tm_i_scored_sort(TmScored *v, int64_t n);

/* Allocation sized from input: the util layer's tm_i_try_alloc(). */
#include "util/alloc.h"

/* Screening of one agent (mask of failing rules of its scope). */
G_GNUC_INTERNAL uint32_t tm_i_commissioner_mask(const TmRules *r, const TmCommissioner *c);
/* @leading: per sector of the programme's taxonomy, nonzero when it is one
 * of S_SECTOR.leading (tm_i_leading_resolve()); read only when S_SECTOR is
 * on. */
G_GNUC_INTERNAL uint32_t tm_i_site_mask(const TmRules *r, const TmSite *s,
                                        const guint8 *leading);

/* C_DIRECTION: a service direction (服务方向) is expertise of level >= 1 in
 * a sector of the taxonomy; a service target (服务对象, checked with
 * C_DIRECTION.target) is a wished site or a task type offered. */
static inline gboolean tm_i_has_direction(const TmCommissioner *c)
{
    for (int32_t i = 0; i < c->n_expertise; i++)
        if (c->expertise[i].level >= 1)
            return TRUE;
    return FALSE;
}

static inline gboolean tm_i_has_target(const TmCommissioner *c)
{
    return c->n_ranked_sites > 0 || (c->tasks & TM_TASKS_ALL) != 0;
}

/* The defaults of rules.h (tm_rules_new_default()). */
G_GNUC_INTERNAL void tm_i_rules_defaults(TmRules *r);
/* Sets S_SECTOR.leading from list text (items split on ';' or ',', trimmed,
 * empties and repeats dropped); TM_ERROR_INVALID_ARGUMENT when too long or
 * not UTF-8, @r unchanged then. */
G_GNUC_INTERNAL gboolean tm_i_leading_set(TmRules *r, const char *list, GError **error);

/* Whether a site kind is an enterprise host (S_SECTOR applies to it). */
static inline gboolean tm_i_enterprise_kind(int kind)
{
    return kind == TM_SITE_HIGH_TECH || kind == TM_SITE_INNOVATIVE
           || kind == TM_SITE_RD_ENTERPRISE;
}

/* Resolves S_SECTOR.leading against @taxonomy: a new array of one flag per
 * sector (g_free(); at least one byte), or NULL with TM_ERROR_UNKNOWN_NAME
 * naming the first item that is no sector of @taxonomy (code, Chinese or
 * English name) — only when S_SECTOR is on; when it is off every flag is
 * 0 and nothing is checked — or TM_ERROR_NO_MEMORY. */
G_GNUC_INTERNAL guint8 *tm_i_leading_resolve(const TmRules *r, const TmTaxonomy *taxonomy,
                                             GError **error);

/* The items of S_SECTOR.leading (g_strfreev()). */
G_GNUC_INTERNAL char **tm_i_leading_items(const TmRules *r);

#endif /* TECHMATCH_PROGRAMME_RULES_INTERNAL_H */
