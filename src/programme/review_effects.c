/* techmatch — what the leading group's review changed (review_effects.h):
 * two selections over the same agents compared pair by pair, and each
 * decision of the review traced to the agents it moved.  Public API only:
 * the selections' matchings, screenings and rules. */
#include <stdlib.h>
#include <string.h>

#include <techmatch/review_effects.h>

#include "util/alloc.h"

typedef struct {
    int effect;           /* TmEffect */
    int32_t c, s;         /* -1 when not named */
    uint32_t overrides;   /* rule mask */
    guint moved_start, n_moved; /* in ->moved */
} DecisionEffect;

struct TmReviewEffects {
    const TmSelection *prev, *cur;
    TmReview *review;
    char *baseline;       /* what the previous run was, NULL: the default */
    GArray *decisions;    /* DecisionEffect */
    GArray *moved;        /* int32_t pairs: side, id */
    GArray *pairs[2];     /* int32_t pairs: c, s (by TmChange) */
    GArray *comms[2];     /* int32_t ids (by TmChange) */
};

static const char *const effect_codes[TM_N_EFFECTS] = {
    "kept", "added", "removed", "none", "placed", "not_placed", "not_applied"};

const char *tm_effect_code(TmEffect effect)
{
    return (unsigned)effect < TM_N_EFFECTS ? effect_codes[effect] : NULL;
}

/* ---- partners ------------------------------------------------------------ */

static const char *agent_name(const TmSelection *sel, TmSide side, int32_t id)
{
    const TmProgramme *p = tm_selection_programme(sel);
    return side == TM_SIDE_SUPPLY ? tm_programme_commissioner(p, id)->name
                                  : tm_programme_site(p, id)->name;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The partners of @id in @sel, sorted, into @buf (room for any agent's
 * partners); their number. */
static int32_t sorted_partners(const TmSelection *sel, TmSide side, int32_t id, int32_t *buf)
{
    int32_t n = 0;
    const int32_t *p = tm_matching_partners(tm_selection_matching(sel), side, id, &n);
    if (p == NULL || n <= 0)
        return 0;
    memcpy(buf, p, (size_t)n * sizeof *buf);
    qsort(buf, (size_t)n, sizeof *buf, cmp_i32);
    return n;
}

static gboolean has_pair(const TmSelection *sel, int32_t c, int32_t s)
{
    int32_t n = 0;
    const int32_t *p = tm_matching_partners(tm_selection_matching(sel), TM_SIDE_SUPPLY, c, &n);
    for (int32_t i = 0; p != NULL && i < n; i++)
        if (p[i] == s)
            return TRUE;
    return FALSE;
}

static int32_t n_partners(const TmSelection *sel, TmSide side, int32_t id)
{
    return tm_matching_n_partners(tm_selection_matching(sel), side, id);
}

/* Scratch space of a comparison: two partner buffers and, per side, a mark
 * of the agents already listed for the decision at hand. */
typedef struct {
    int32_t *a, *b;
    int32_t *mark[2];
    int32_t stamp;
} Scratch;

/* Whether @id's partners differ between the two runs. */
static gboolean moved(const TmReviewEffects *e, Scratch *w, TmSide side, int32_t id)
{
    int32_t na = sorted_partners(e->prev, side, id, w->a);
    int32_t nb = sorted_partners(e->cur, side, id, w->b);
    return na != nb || (na > 0 && memcmp(w->a, w->b, (size_t)na * sizeof *w->a) != 0);
}

/* ---- the overall changes ------------------------------------------------- */

/* The pairs of @c in one run only, and whether @c is selected in only one. */
static void compare_commissioner(TmReviewEffects *e, Scratch *w, int32_t c)
{
    int32_t na = sorted_partners(e->prev, TM_SIDE_SUPPLY, c, w->a);
    int32_t nb = sorted_partners(e->cur, TM_SIDE_SUPPLY, c, w->b);
    int32_t i = 0, j = 0;
    while (i < na || j < nb) {
        if (j >= nb || (i < na && w->a[i] < w->b[j])) {
            int32_t pair[2] = {c, w->a[i++]};
            g_array_append_vals(e->pairs[TM_CHANGE_REMOVED], pair, 2);
        } else if (i >= na || w->b[j] < w->a[i]) {
            int32_t pair[2] = {c, w->b[j++]};
            g_array_append_vals(e->pairs[TM_CHANGE_ADDED], pair, 2);
        } else {
            i++;
            j++;
        }
    }
    if (na == 0 && nb > 0)
        g_array_append_val(e->comms[TM_CHANGE_ADDED], c);
    else if (na > 0 && nb == 0)
        g_array_append_val(e->comms[TM_CHANGE_REMOVED], c);
}

/* ---- the decisions -------------------------------------------------------- */

/* Appends (@side, @id) to the agents the current decision moved, once. */
static void add_moved(TmReviewEffects *e, Scratch *w, TmSide side, int32_t id)
{
    if (w->mark[side][id] == w->stamp)
        return;
    w->mark[side][id] = w->stamp;
    int32_t v[2] = {(int32_t)side, id};
    g_array_append_vals(e->moved, v, 2);
}

static int cmp_moved(const void *a, const void *b)
{
    const int32_t *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

/* The agents decision @d moved: its own, then the partners of its own in
 * either run whose partners changed. */
static void trace(TmReviewEffects *e, Scratch *w, DecisionEffect *d)
{
    w->stamp++;
    d->moved_start = e->moved->len / 2;
    int32_t own[2] = {d->c, d->s};
    for (int side = 0; side < 2; side++)
        if (own[side] >= 0)
            add_moved(e, w, (TmSide)side, own[side]);
    guint first_other = e->moved->len / 2;
    for (int side = 0; side < 2; side++) {
        if (own[side] < 0)
            continue;
        const TmSelection *runs[2] = {e->prev, e->cur};
        for (int r = 0; r < 2; r++) {
            int32_t n = 0;
            const int32_t *p = tm_matching_partners(tm_selection_matching(runs[r]),
                                                    (TmSide)side, own[side], &n);
            for (int32_t k = 0; p != NULL && k < n; k++) {
                TmSide other = (TmSide)(1 - side);
                if (w->mark[other][p[k]] != w->stamp && moved(e, w, other, p[k]))
                    add_moved(e, w, other, p[k]);
            }
        }
    }
    guint n_other = e->moved->len / 2 - first_other;
    if (n_other > 1)
        qsort(&g_array_index(e->moved, int32_t, (gsize)first_other * 2), n_other,
              2 * sizeof(int32_t), cmp_moved);
    d->n_moved = e->moved->len / 2 - d->moved_start;
}

/* The decision's agents as ids; FALSE with TM_ERROR_UNKNOWN_NAME. */
static gboolean resolve(const TmSelection *sel, int32_t i, TmDecisionKind kind, const char *cn,
                        const char *sn, const char *source, DecisionEffect *d, GError **error)
{
    const TmProgramme *p = tm_selection_programme(sel);
    d->c = cn ? tm_programme_find_commissioner(p, cn) : -1;
    d->s = sn ? tm_programme_find_site(p, sn) : -1;
    /* agents added to the programme after the selection are not part of it */
    if (d->c >= tm_selection_n_agents(sel, TM_SIDE_SUPPLY))
        d->c = -1;
    if (d->s >= tm_selection_n_agents(sel, TM_SIDE_DEMAND))
        d->s = -1;
    const char *bad_side = cn && d->c < 0 ? "commissioner" : sn && d->s < 0 ? "site" : NULL;
    if (bad_side == NULL)
        return TRUE;
    char fallback[48];
    g_snprintf(fallback, sizeof fallback, "decision %d of the review", (int)i + 1);
    g_set_error(error, TM_ERROR, TM_ERROR_UNKNOWN_NAME,
                "%s: %s (%s): no %s named '%s' in the programme", source ? source : fallback,
                tm_decision_kind_code(kind), tm_decision_kind_label_zh(kind), bad_side,
                cn && d->c < 0 ? cn : sn);
    return FALSE;
}

/* What decision @d of @kind did. */
static int effect_of(const TmReviewEffects *e, TmDecisionKind kind, const DecisionEffect *d)
{
    const TmSelection *prev = e->prev, *cur = e->cur;
    TmSide side = d->c >= 0 ? TM_SIDE_SUPPLY : TM_SIDE_DEMAND;
    int32_t id = d->c >= 0 ? d->c : d->s;
    switch (kind) {
    case TM_DECISION_PIN:
        if (!has_pair(cur, d->c, d->s))
            return TM_EFFECT_NOT_APPLIED;
        return has_pair(prev, d->c, d->s) ? TM_EFFECT_KEPT : TM_EFFECT_ADDED;
    case TM_DECISION_VETO:
        if (has_pair(cur, d->c, d->s))
            return TM_EFFECT_NOT_APPLIED;
        return has_pair(prev, d->c, d->s) ? TM_EFFECT_REMOVED : TM_EFFECT_NONE;
    case TM_DECISION_EXCLUDE:
        if (n_partners(cur, side, id) > 0)
            return TM_EFFECT_NOT_APPLIED;
        return n_partners(prev, side, id) > 0 ? TM_EFFECT_REMOVED : TM_EFFECT_NONE;
    case TM_DECISION_ADMIT:
        if (n_partners(cur, side, id) > 0)
            return TM_EFFECT_PLACED;
        return tm_selection_outcome(cur, side, id, NULL) == TM_OUTCOME_INELIGIBLE
                   ? TM_EFFECT_NOT_APPLIED
                   : TM_EFFECT_NOT_PLACED;
    }
    return TM_EFFECT_NOT_APPLIED;
}

/* The rules decision @d overrides, under the current selection's rules:
 * the agent rules failing for its agents (the screening without the
 * review) and, for a pin, the pair rules failing for the pair. */
static uint32_t overrides_of(const TmSelection *cur, const TmScreening *raw, TmDecisionKind kind,
                             const DecisionEffect *d)
{
    if (kind != TM_DECISION_PIN && kind != TM_DECISION_ADMIT)
        return 0;
    uint32_t mask = 0;
    if (d->c >= 0)
        mask |= tm_screening_failures(raw, TM_SIDE_SUPPLY, d->c);
    if (d->s >= 0)
        mask |= tm_screening_failures(raw, TM_SIDE_DEMAND, d->s);
    if (kind == TM_DECISION_PIN)
        mask |= tm_rules_pair_failures(tm_selection_programme(cur), tm_selection_rules(cur),
                                       d->c, d->s);
    return mask;
}

/* ---- the comparison ------------------------------------------------------ */

static gboolean same_agents(const TmSelection *a, const TmSelection *b, GError **error)
{
    for (int side = 0; side < 2; side++) {
        int32_t na = tm_selection_n_agents(a, (TmSide)side);
        int32_t nb = tm_selection_n_agents(b, (TmSide)side);
        const char *what = side == TM_SIDE_SUPPLY ? "commissioners" : "sites";
        if (na != nb) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "review effects: the selections cover different agents (%d %s in the "
                        "previous run, %d in the current one)",
                        na, what, nb);
            return FALSE;
        }
        if (tm_selection_programme(a) == tm_selection_programme(b))
            continue;
        for (int32_t i = 0; i < na; i++)
            if (strcmp(agent_name(a, (TmSide)side, i), agent_name(b, (TmSide)side, i)) != 0) {
                g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "review effects: the selections cover different agents (%s %d is "
                            "'%s' in the previous run, '%s' in the current one)",
                            what, i, agent_name(a, (TmSide)side, i),
                            agent_name(b, (TmSide)side, i));
                return FALSE;
            }
    }
    return TRUE;
}

static gboolean scratch_init(Scratch *w, const TmSelection *sel, GError **error)
{
    memset(w, 0, sizeof *w);
    int32_t n0 = tm_selection_n_agents(sel, TM_SIDE_SUPPLY);
    int32_t n1 = tm_selection_n_agents(sel, TM_SIDE_DEMAND);
    /* an agent's partners are distinct agents of the other side */
    int64_t most = (int64_t)MAX(n0, n1) + 1;
    w->a = tm_i_try_alloc(most, sizeof(int32_t), FALSE, "review effects", error);
    w->b = w->a ? tm_i_try_alloc(most, sizeof(int32_t), FALSE, "review effects", error) : NULL;
    w->mark[0] = w->b ? tm_i_try_alloc(n0, sizeof(int32_t), TRUE, "review effects", error) : NULL;
    w->mark[1] =
        w->mark[0] ? tm_i_try_alloc(n1, sizeof(int32_t), TRUE, "review effects", error) : NULL;
    return w->mark[1] != NULL;
}

static void scratch_clear(Scratch *w)
{
    g_free(w->a);
    g_free(w->b);
    g_free(w->mark[0]);
    g_free(w->mark[1]);
}

void tm_review_effects_free(TmReviewEffects *e)
{
    if (e == NULL)
        return;
    tm_review_free(e->review);
    g_free(e->baseline);
    if (e->decisions)
        g_array_unref(e->decisions);
    if (e->moved)
        g_array_unref(e->moved);
    for (int k = 0; k < 2; k++) {
        if (e->pairs[k])
            g_array_unref(e->pairs[k]);
        if (e->comms[k])
            g_array_unref(e->comms[k]);
    }
    g_free(e);
}

TmReviewEffects *tm_review_effects_new(const TmSelection *previous, const TmSelection *current,
                                       const TmReview *review, GError **error)
{
    if (previous == NULL || current == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "review effects: a selection is NULL");
        return NULL;
    }
    if (!same_agents(previous, current, error))
        return NULL;
    TmReviewEffects *e = g_new0(TmReviewEffects, 1);
    e->prev = previous;
    e->cur = current;
    e->review = review ? tm_review_copy(review) : tm_review_new();
    e->decisions = g_array_new(FALSE, TRUE, sizeof(DecisionEffect));
    e->moved = g_array_new(FALSE, FALSE, sizeof(int32_t));
    for (int k = 0; k < 2; k++) {
        e->pairs[k] = g_array_new(FALSE, FALSE, sizeof(int32_t));
        e->comms[k] = g_array_new(FALSE, FALSE, sizeof(int32_t));
    }
    Scratch w;
    if (!scratch_init(&w, current, error)) {
        scratch_clear(&w);
        tm_review_effects_free(e);
        return NULL;
    }
    for (int32_t c = 0; c < tm_selection_n_agents(current, TM_SIDE_SUPPLY); c++)
        compare_commissioner(e, &w, c);

    gboolean ok = TRUE;
    TmScreening *raw = NULL;
    if (tm_review_n_decisions(e->review) > 0) {
        raw = tm_programme_screen(tm_selection_programme(current), tm_selection_rules(current),
                                  error);
        ok = raw != NULL;
    }
    for (int32_t i = 0; ok && i < tm_review_n_decisions(e->review); i++) {
        const char *cn, *sn, *src;
        TmDecisionKind kind = (TmDecisionKind)tm_review_decision(e->review, i, &cn, &sn, NULL, &src);
        DecisionEffect d = {0};
        ok = resolve(current, i, kind, cn, sn, src, &d, error);
        if (!ok)
            break;
        d.effect = effect_of(e, kind, &d);
        d.overrides = overrides_of(current, raw, kind, &d);
        trace(e, &w, &d);
        g_array_append_val(e->decisions, d);
    }
    tm_screening_free(raw);
    scratch_clear(&w);
    if (!ok) {
        tm_review_effects_free(e);
        return NULL;
    }
    return e;
}

/* ---- accessors ----------------------------------------------------------- */

const TmSelection *tm_review_effects_previous(const TmReviewEffects *e)
{
    return e ? e->prev : NULL;
}

const TmSelection *tm_review_effects_current(const TmReviewEffects *e)
{
    return e ? e->cur : NULL;
}

const TmReview *tm_review_effects_review(const TmReviewEffects *e)
{
    return e ? e->review : NULL;
}

gboolean tm_review_effects_set_baseline(TmReviewEffects *e, const char *text, GError **error)
{
    if (e == NULL || (text != NULL && !g_utf8_validate(text, -1, NULL))) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            e == NULL ? "review effects: NULL"
                                      : "review effects: the baseline is not valid UTF-8");
        return FALSE;
    }
    g_free(e->baseline);
    e->baseline = g_strdup(text);
    return TRUE;
}

const char *tm_review_effects_baseline(const TmReviewEffects *e)
{
    if (e == NULL)
        return NULL;
    return e->baseline ? e->baseline : "the same forms and configuration without the review";
}

static const DecisionEffect *decision_at(const TmReviewEffects *e, int32_t i)
{
    return e && i >= 0 && (guint)i < e->decisions->len
               ? &g_array_index(e->decisions, DecisionEffect, i)
               : NULL;
}

int tm_review_effects_decision(const TmReviewEffects *e, int32_t i, int32_t *commissioner_out,
                               int32_t *site_out, uint32_t *overrides_out)
{
    const DecisionEffect *d = decision_at(e, i);
    if (commissioner_out)
        *commissioner_out = d ? d->c : -1;
    if (site_out)
        *site_out = d ? d->s : -1;
    if (overrides_out)
        *overrides_out = d ? d->overrides : 0;
    return d ? d->effect : -1;
}

int32_t tm_review_effects_n_moved(const TmReviewEffects *e, int32_t i)
{
    const DecisionEffect *d = decision_at(e, i);
    return d ? (int32_t)d->n_moved : -1;
}

gboolean tm_review_effects_moved(const TmReviewEffects *e, int32_t i, int32_t j, int *side_out,
                                 int32_t *agent_out)
{
    const DecisionEffect *d = decision_at(e, i);
    gboolean ok = d && j >= 0 && (guint)j < d->n_moved;
    const int32_t *v = ok ? &g_array_index(e->moved, int32_t, ((gsize)d->moved_start + (guint)j) * 2)
                          : NULL;
    if (side_out)
        *side_out = v ? v[0] : -1;
    if (agent_out)
        *agent_out = v ? v[1] : -1;
    return ok;
}

int64_t tm_review_effects_n_pairs(const TmReviewEffects *e, TmChange change)
{
    return e && (unsigned)change < 2 ? (int64_t)e->pairs[change]->len / 2 : -1;
}

gboolean tm_review_effects_pair(const TmReviewEffects *e, TmChange change, int64_t k,
                                int32_t *commissioner_out, int32_t *site_out)
{
    gboolean ok = e && (unsigned)change < 2 && k >= 0 && k < (int64_t)e->pairs[change]->len / 2;
    if (commissioner_out)
        *commissioner_out = ok ? g_array_index(e->pairs[change], int32_t, (gsize)k * 2) : -1;
    if (site_out)
        *site_out = ok ? g_array_index(e->pairs[change], int32_t, (gsize)k * 2 + 1) : -1;
    return ok;
}

int32_t tm_review_effects_n_commissioners(const TmReviewEffects *e, TmChange change)
{
    return e && (unsigned)change < 2 ? (int32_t)e->comms[change]->len : -1;
}

int32_t tm_review_effects_commissioner(const TmReviewEffects *e, TmChange change, int32_t k)
{
    return e && (unsigned)change < 2 && k >= 0 && (guint)k < e->comms[change]->len
               ? g_array_index(e->comms[change], int32_t, k)
               : -1;
}
