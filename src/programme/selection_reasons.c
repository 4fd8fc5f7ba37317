/* techmatch — the outcome of every agent of a selection and the reason for
 * every unmatched one: excluded by the review, ineligible, no acceptable
 * partner, outranked (at which site, by whom), or cut by the quota (the merit
 * cutoff) or a sector cap. */
#include <math.h>
#include <string.h>

#include <glib.h>

#include <techmatch/groups.h>
#include <techmatch/matching.h>
#include <techmatch/rules.h>

#include "programme/selection_internal.h"
#include "util/messages.h"

static TmDetail detail_none(void)
{
    return (TmDetail){.kind = TM_D_NONE, .partly = -1, .a = -1, .b = -1, .would = -1};
}

static TmDetail detail_of(int kind)
{
    TmDetail d = detail_none();
    d.kind = kind;
    return d;
}

static void set_outcome(TmSelection *sel, TmSide side, int32_t id, TmOutcome o, TmDetail d)
{
    sel->outcome[side][id] = o;
    sel->why[side][id] = d;
    g_free(sel->detail[side][id]);
    sel->detail[side][id] = tm_i_selection_detail(sel, side, id, TM_LANG_EN);
}

/* The most frequent first-failing pair rule of @agent against the eligible
 * agents of the other side, when the programme is small enough to look. */
static TmDetail no_partner_detail(const TmSelection *sel, TmSide side, int32_t id)
{
    int32_t nc = sel->n[TM_SIDE_SUPPLY], ns = sel->n[TM_SIDE_DEMAND];
    int32_t n_other = side == TM_SIDE_SUPPLY ? ns : nc;
    if ((int64_t)nc * ns > 20000000)
        return detail_none();
    static const char no_mutual[] = ""; /* the key of "no mutual listing" */
    GHashTable *counts = g_hash_table_new(g_str_hash, g_str_equal);
    int32_t eligible = 0;
    for (int32_t j = 0; j < n_other; j++) {
        if (!tm_screening_is_eligible(sel->screening, TM_SIDE_OTHER(side), j))
            continue;
        eligible++;
        int32_t c = side == TM_SIDE_SUPPLY ? id : j, s = side == TM_SIDE_SUPPLY ? j : id;
        const char *why = tm_rules_pair_reason(sel->prog, sel->rules, c, s);
        if (why == NULL)
            why = no_mutual;
        g_hash_table_insert(counts, (gpointer)why,
                            GINT_TO_POINTER(GPOINTER_TO_INT(g_hash_table_lookup(counts, why)) + 1));
    }
    TmDetail d;
    if (eligible == 0) {
        d = detail_of(TM_D_NO_ELIGIBLE);
    } else {
        /* the most frequent, ties by the English text (as before: "no
         * mutual listing" sorts among the codes by its words) */
        const char *best = NULL;
        int best_n = 0;
        GHashTableIter it;
        gpointer k, v;
        g_hash_table_iter_init(&it, counts);
        while (g_hash_table_iter_next(&it, &k, &v)) {
            const char *kt = k == no_mutual ? tm_i_msg(TM_LANG_EN, TM_M_DETAIL_NO_MUTUAL) : k;
            const char *bt = best == no_mutual ? tm_i_msg(TM_LANG_EN, TM_M_DETAIL_NO_MUTUAL)
                                               : best;
            if (GPOINTER_TO_INT(v) > best_n ||
                (GPOINTER_TO_INT(v) == best_n && best && strcmp(kt, bt) < 0)) {
                best = k;
                best_n = GPOINTER_TO_INT(v);
            }
        }
        d = detail_of(TM_D_NO_PARTNER);
        d.text = best == no_mutual ? NULL : best;
        d.n = best_n;
        d.m = eligible;
    }
    g_hash_table_unref(counts);
    return d;
}

static const char *cname(const TmSelection *sel, int32_t c)
{
    return tm_programme_commissioner(sel->prog, c)->name;
}

static const char *sname(const TmSelection *sel, int32_t s)
{
    return tm_programme_site(sel->prog, s)->name;
}

static const char *sector_code(const TmSelection *sel, int32_t k)
{
    return tm_taxonomy_code(tm_programme_taxonomy(sel->prog), k);
}

static TmDetail review_detail(const TmSelection *sel, TmSide side, int32_t id)
{
    const char *name = side == TM_SIDE_SUPPLY ? cname(sel, id) : sname(sel, id);
    TmDetail d = detail_of(TM_D_REVIEW);
    for (int32_t i = 0; i < tm_review_n_decisions(sel->review); i++) {
        const char *c, *s, *note, *src;
        if (tm_review_decision(sel->review, i, &c, &s, &note, &src) != TM_DECISION_EXCLUDE)
            continue;
        const char *who = side == TM_SIDE_SUPPLY ? c : s;
        if (who && strcmp(who, name) == 0) {
            d.text = src;
            d.text2 = note;
            return d;
        }
    }
    return d;
}

static TmDetail quota_detail(const TmSelection *sel)
{
    TmDetail d = detail_of(TM_D_QUOTA);
    d.x = NAN;
    tm_selection_merit_cutoff(sel, &d.a, &d.x);
    return d;
}

static TmDetail cap_detail(int32_t k)
{
    TmDetail d = detail_of(TM_D_CAP);
    d.a = k;
    return d;
}

static TmDetail took_detail(int32_t by, int32_t site)
{
    TmDetail d = detail_of(TM_D_TOOK);
    d.a = by;
    d.b = site;
    return d;
}

static gboolean holds(const TmMatching *mt, TmSide side, int32_t id, int32_t other)
{
    int32_t n;
    const int32_t *ps = tm_matching_partners(mt, side, id, &n);
    for (int32_t j = 0; j < n; j++)
        if (ps[j] == other)
            return TRUE;
    return FALSE;
}

/* Why admitted commissioner c could not propose to sector k: its cap was
 * reached, or the open places were gone (the quota). */
static TmOutcome closed_why(const TmSelection *sel, int32_t k, TmDetail *detail)
{
    if (sel->adm.closed ? sel->adm.closed[k] != 0
                        : sel->sector_cap[k] >= 0
                              && tm_selection_sector_used(sel, k) >= sel->sector_cap[k]) {
        *detail = cap_detail(k);
        return TM_OUTCOME_SECTOR_CAP;
    }
    if (sel->adm.status != NULL && sel->quota_total >= 0) {
        *detail = detail_of(TM_D_QUOTA_OPEN);
        return TM_OUTCOME_QUOTA;
    }
    *detail = quota_detail(sel);
    return TM_OUTCOME_QUOTA;
}

static gboolean allowed(const TmSelection *sel, int32_t c, int32_t k)
{
    return sel->adm.status == NULL || tm_i_admission_allowed(&sel->adm, c, k);
}

static TmOutcome commissioner_why(const TmSelection *sel, int32_t c, TmDetail *detail)
{
    const TmMatching *mt = sel->matching;
    if (sel->adm.status != NULL && sel->adm.status[c] == TM_ADM_CUT_QUOTA) {
        *detail = quota_detail(sel);
        return TM_OUTCOME_QUOTA;
    }
    if (sel->adm.status != NULL && sel->adm.status[c] == TM_ADM_CUT_CAP) {
        *detail = cap_detail(sel->adm.cut_sector[c]);
        return TM_OUTCOME_SECTOR_CAP;
    }
    int32_t site = -1, by = -1;
    if (tm_selection_outranked_at(sel, c, &site, &by)) {
        *detail = took_detail(by, site);
        return TM_OUTCOME_OUTRANKED;
    }
    /* no admission run, or nothing it was allowed: the sites it lists */
    int32_t len, empty = -1;
    const int32_t *list = tm_market_prefs(sel->market, TM_SIDE_SUPPLY, c, &len);
    for (int32_t i = 0; i < len; i++) {
        int32_t s = list[i], k = tm_programme_site(sel->prog, s)->sector;
        if (holds(mt, TM_SIDE_SUPPLY, c, s))
            continue;
        if (!allowed(sel, c, k))
            return closed_why(sel, k, detail);
        int32_t n;
        const int32_t *holders = tm_matching_partners(mt, TM_SIDE_DEMAND, s, &n);
        if (n > 0) {
            *detail = took_detail(holders[n - 1], s);
            return TM_OUTCOME_OUTRANKED;
        }
        if (empty < 0)
            empty = s;
    }
    *detail = detail_none();
    if (empty >= 0) {
        detail->kind = TM_D_NO_PLACE;
        detail->b = empty;
    }
    return TM_OUTCOME_OUTRANKED;
}

/* A site with free seats: the first commissioner of its list who would come,
 * and why he did not. */
static TmOutcome site_why(const TmSelection *sel, int32_t s, TmDetail *detail)
{
    const TmMarket *m = sel->market;
    const TmMatching *mt = sel->matching;
    int32_t len, k = tm_programme_site(sel->prog, s)->sector;
    const int32_t *list = tm_market_prefs(m, TM_SIDE_DEMAND, s, &len);
    for (int32_t i = 0; i < len; i++) {
        int32_t c = list[i], n;
        if (holds(mt, TM_SIDE_SUPPLY, c, s) || tm_market_capacity(m, TM_SIDE_SUPPLY, c) == 0)
            continue;
        const int32_t *theirs = tm_matching_partners(mt, TM_SIDE_SUPPLY, c, &n);
        gboolean would = n < tm_market_capacity(m, TM_SIDE_SUPPLY, c);
        if (!would) {
            int32_t mine = tm_market_rank(m, TM_SIDE_SUPPLY, c, s);
            int32_t worst = tm_market_rank(m, TM_SIDE_SUPPLY, c, theirs[n - 1]);
            would = mine >= 0 && (worst < 0 || mine < worst);
        }
        if (!would)
            continue;
        TmOutcome o;
        int st = sel->adm.status ? sel->adm.status[c] : TM_ADM_ADMITTED;
        if (st == TM_ADM_NONE)
            continue; /* not in the admission (its places are all pinned, or no list) */
        if (st != TM_ADM_ADMITTED)
            o = commissioner_why(sel, c, detail);
        else if (!allowed(sel, c, k))
            o = closed_why(sel, k, detail);
        else
            continue; /* it proposed here and was refused: not a free seat for it */
        detail->would = c;
        return o;
    }
    /* name the site's favourite that went elsewhere */
    for (int32_t i = 0; i < len; i++) {
        int32_t n;
        const int32_t *t = tm_matching_partners(mt, TM_SIDE_SUPPLY, list[i], &n);
        if (n > 0 && !holds(mt, TM_SIDE_SUPPLY, list[i], s)) {
            *detail = detail_of(TM_D_PREFER);
            detail->n = len;
            detail->a = list[i];
            detail->b = t[0];
            return TM_OUTCOME_OUTRANKED;
        }
    }
    *detail = detail_of(TM_D_NOT_AVAILABLE);
    detail->n = len;
    return TM_OUTCOME_OUTRANKED;
}

static void finish(TmSelection *sel, TmSide side, int32_t id, int32_t held, TmOutcome o,
                   TmDetail detail)
{
    if (held > 0) {
        detail.partly = (int)o;
        set_outcome(sel, side, id, TM_OUTCOME_PARTLY, detail);
    } else {
        set_outcome(sel, side, id, o, detail);
    }
}

static const char *quota_unit(const TmSelection *sel, TmLang l)
{
    return tm_i_msg(l, sel->unit == TM_QUOTA_PEOPLE ? TM_M_QUOTA_UNIT_PEOPLE
                                                    : TM_M_QUOTA_UNIT_ASSIGNMENTS);
}

/* The text of @d (without the would-come and partly wrappers) in @l; NULL
 * for none. */
static char *render_core(const TmSelection *sel, TmSide side, const TmDetail *d, TmLang l)
{
    switch (d->kind) {
    case TM_D_TEXT:
        return g_strdup(d->text);
    case TM_D_REVIEW: {
        GString *t = g_string_new(tm_i_msg(l, TM_M_DETAIL_REVIEW));
        if (d->text)
            g_string_append_printf(t, tm_i_msg(l, TM_M_DETAIL_REVIEW_SOURCE), d->text);
        if (d->text2)
            g_string_append_printf(t, tm_i_msg(l, TM_M_DETAIL_REVIEW_NOTE), d->text2);
        return g_string_free(t, FALSE);
    }
    case TM_D_QUOTA:
        if (d->a < 0)
            return g_strdup_printf(tm_i_msg(l, TM_M_DETAIL_QUOTA_FULL), sel->quota_total,
                                   quota_unit(sel, l));
        return g_strdup_printf(tm_i_msg(l, TM_M_DETAIL_QUOTA_CUTOFF), sel->quota_total,
                               quota_unit(sel, l), cname(sel, d->a), d->x);
    case TM_D_QUOTA_OPEN:
        return g_strdup(tm_i_msg(l, TM_M_DETAIL_OPEN_USED_UP));
    case TM_D_CAP:
        return g_strdup_printf(tm_i_msg(l, TM_M_DETAIL_CAP), sector_code(sel, d->a),
                               sel->sector_cap[d->a]);
    case TM_D_TOOK:
        return g_strdup_printf(tm_i_msg(l, TM_M_DETAIL_TOOK_PLACE), cname(sel, d->a),
                               sname(sel, d->b));
    case TM_D_NO_PLACE:
        return g_strdup_printf(tm_i_msg(l, TM_M_DETAIL_NO_PLACE), sname(sel, d->b));
    case TM_D_PREFER:
        return g_strdup_printf(tm_i_msg(l, TM_M_DETAIL_PREFER_OTHERS), d->n, cname(sel, d->a),
                               sname(sel, d->b));
    case TM_D_NOT_AVAILABLE:
        return g_strdup_printf(tm_i_msg(l, TM_M_DETAIL_NOT_AVAILABLE), d->n);
    case TM_D_NO_ELIGIBLE:
        return g_strdup(tm_i_msg(l, side == TM_SIDE_SUPPLY ? TM_M_DETAIL_NO_ELIGIBLE_SITE
                                                           : TM_M_DETAIL_NO_ELIGIBLE_COMMISSIONER));
    case TM_D_NO_PARTNER:
        return g_strdup_printf(tm_i_msg(l, side == TM_SIDE_SUPPLY
                                               ? TM_M_DETAIL_NO_PARTNER_SITES
                                               : TM_M_DETAIL_NO_PARTNER_COMMISSIONERS),
                               d->text ? d->text : tm_i_msg(l, TM_M_DETAIL_NO_MUTUAL), (int)d->n,
                               (int)d->m);
    default:
        return NULL;
    }
}

char *tm_i_selection_detail(const TmSelection *sel, TmSide side, int32_t id, TmLang lang)
{
    const TmDetail *d = &sel->why[side][id];
    TmLang l = lang == TM_LANG_ZH ? TM_LANG_ZH : TM_LANG_EN;
    char *core = render_core(sel, side, d, l);
    if (d->would >= 0) {
        char *w = g_strdup_printf(tm_i_msg(l, TM_M_DETAIL_WOULD_COME), core ? core : "",
                                  cname(sel, d->would));
        g_free(core);
        core = w;
    }
    if (d->partly >= 0) {
        /* English: the outcome's code (tm_selection_outcome() documents
         * "quota: ..."); Chinese: its label */
        const char *what = l == TM_LANG_ZH ? tm_outcome_label((TmOutcome)d->partly, l)
                                           : tm_outcome_code((TmOutcome)d->partly);
        char *p = g_strdup_printf(tm_i_msg(l, TM_M_DETAIL_PARTLY), what, core ? core : "");
        g_free(core);
        core = p;
    }
    return core;
}

gboolean tm_i_selection_explain(TmSelection *sel, GError **error)
{
    const TmMarket *m = sel->market;
    const TmMatching *mt = sel->matching;
    for (int side = 0; side < 2; side++)
        if (!(sel->outcome[side] = tm_i_try_alloc(sel->n[side], sizeof(int), TRUE,
                                                  "selection outcomes", error))
            || !(sel->detail[side] = tm_i_try_alloc(sel->n[side], sizeof(char *), TRUE,
                                                    "selection details", error))
            || !(sel->why[side] = tm_i_try_alloc(sel->n[side], sizeof(TmDetail), TRUE,
                                                 "selection details", error)))
            return FALSE;
    for (int side = 0; side < 2; side++) {
        for (int32_t id = 0; id < sel->n[side]; id++) {
            int32_t held = tm_matching_n_partners(mt, side, id);
            int32_t cap = side == TM_SIDE_SUPPLY ? tm_programme_commissioner(sel->prog, id)->capacity
                                                 : tm_programme_site(sel->prog, id)->capacity;
            int32_t len;
            tm_market_prefs(m, side, id, &len);
            if (side == TM_SIDE_SUPPLY && held > 0)
                sel->n_selected++;
            gboolean eligible = tm_screening_is_eligible(sel->screening, side, id);
            TmDetail code = detail_none();
            if (!eligible && tm_screening_reason(sel->screening, side, id) != NULL) {
                code.kind = TM_D_TEXT;
                code.text = tm_screening_reason(sel->screening, side, id);
            }
            if (tm_i_review_plan_is_excluded(&sel->plan, side, id)) {
                set_outcome(sel, side, id, TM_OUTCOME_REVIEW, review_detail(sel, side, id));
            } else if (!eligible && held == 0) {
                set_outcome(sel, side, id, TM_OUTCOME_INELIGIBLE, code);
            } else if (cap == 0) {
                set_outcome(sel, side, id, TM_OUTCOME_NO_CAPACITY, detail_none());
            } else if (held >= cap) {
                set_outcome(sel, side, id, TM_OUTCOME_MATCHED, detail_none());
            } else if (!eligible) { /* pinned by the review, ineligible otherwise */
                finish(sel, side, id, held, TM_OUTCOME_INELIGIBLE, code);
            } else if (len == 0) {
                finish(sel, side, id, held, TM_OUTCOME_NO_PARTNER,
                       no_partner_detail(sel, side, id));
            } else {
                TmDetail d = detail_none();
                TmOutcome o = side == TM_SIDE_SUPPLY ? commissioner_why(sel, id, &d)
                                                     : site_why(sel, id, &d);
                finish(sel, side, id, held, o, d);
            }
        }
    }
    return TRUE;
}

char *tm_selection_reason(const TmSelection *sel, TmSide side, int32_t id, TmLang lang)
{
    int o = tm_selection_outcome(sel, side, id, NULL);
    if (o < 0)
        return NULL;
    lang = tm_i_lang_pick(lang, tm_programme_language(sel->prog));
    const char *label = tm_outcome_label((TmOutcome)o, lang);
    const TmDetail *why = &sel->why[side][id];
    if (o == TM_OUTCOME_INELIGIBLE && why->kind == TM_D_TEXT) {
        /* the value at fault (职称：初级，须为中级及以上), else the rule's summary */
        const char *code = why->text;
        char *fault = tm_rules_agent_fault_lang(sel->prog, sel->rules, side, id, code, lang);
        int32_t r = tm_rule_find(code);
        const char *summary = r < 0 ? "" : lang == TM_LANG_ZH ? tm_rule_summary_zh(r)
                                                              : tm_rule_summary(r);
        char *out = g_strdup_printf(tm_i_msg(lang, TM_M_REASON_INELIGIBLE_BY_RULE), code,
                                    fault ? fault : summary);
        g_free(fault);
        return out;
    }
    char *detail = tm_i_selection_detail(sel, side, id, lang);
    char *out = detail ? g_strdup_printf(tm_i_msg(lang, TM_M_REASON_LABEL_DETAIL), label, detail)
                       : g_strdup(label);
    g_free(detail);
    return out;
}
