/* techmatch — what became of the explicit wishes, and the mutual first
 * choices, read off a selection (selection.h, "explicit wishes and mutual
 * first choices").  Only the selection's public accessors are used: the
 * reasons are recomputed from the programme, the rules, the screening and
 * the market, in the order the market builder applies them
 * (candidates_records.c), then the review's exclusions and vetoes (taken out
 * of the market afterwards, selection_review.c), so they are the true
 * reasons by construction; the random test (tests/rules/test_consent_random.c)
 * checks it. */
#include <techmatch/preferences.h>
#include <techmatch/selection.h>

#include "programme/selection_internal.h"
#include "util/messages.h"


static const char *const fate_codes[] = {"kept",      "ineligible", "partner_ineligible",
                                         "pair_rule", "not_named",  "review"};

const char *tm_wish_fate_code(TmWishFate fate)
{
    return (int)fate >= 0 && (int)fate < (int)G_N_ELEMENTS(fate_codes) ? fate_codes[fate] : NULL;
}

/* One wish, resolved. */
typedef struct {
    const TmProgramme *p;
    int side;           /* of the agent who wished */
    int32_t id, partner;
    int32_t c, s;       /* the pair */
    int fate;
    const char *rule;   /* static code, or NULL */
} Wish;

static const char *agent_name(const TmProgramme *p, int side, int32_t id)
{
    return side == TM_SIDE_SUPPLY ? tm_programme_commissioner(p, id)->name
                                  : tm_programme_site(p, id)->name;
}

/* Whether agent @a of @side named @o among its wishes. */
static gboolean named(const TmProgramme *p, int side, int32_t a, int32_t o)
{
    const char *const *names;
    int32_t n;
    if (side == TM_SIDE_SUPPLY) {
        const TmCommissioner *c = tm_programme_commissioner(p, a);
        names = c->ranked_sites;
        n = c->n_ranked_sites;
    } else {
        const TmSite *s = tm_programme_site(p, a);
        names = s->ranked_commissioners;
        n = s->n_ranked_commissioners;
    }
    for (int32_t q = 0; q < n; q++) {
        int32_t id = side == TM_SIDE_SUPPLY ? tm_programme_find_site(p, names[q])
                                            : tm_programme_find_commissioner(p, names[q]);
        if (id == o)
            return TRUE;
    }
    return FALSE;
}

/* Resolves wish @i of agent @id on @side; FALSE when out of range. */
static gboolean resolve(const TmSelection *sel, int side, int32_t id, int32_t i, Wish *w)
{
    if (sel == NULL || (side != TM_SIDE_SUPPLY && side != TM_SIDE_DEMAND) || id < 0
        || id >= tm_selection_n_agents(sel, (TmSide)side) || i < 0)
        return FALSE;
    const TmProgramme *p = tm_selection_programme(sel);
    const char *name;
    if (side == TM_SIDE_SUPPLY) {
        const TmCommissioner *c = tm_programme_commissioner(p, id);
        if (i >= c->n_ranked_sites)
            return FALSE;
        name = c->ranked_sites[i];
        w->partner = tm_programme_find_site(p, name);
    } else {
        const TmSite *s = tm_programme_site(p, id);
        if (i >= s->n_ranked_commissioners)
            return FALSE;
        name = s->ranked_commissioners[i];
        w->partner = tm_programme_find_commissioner(p, name);
    }
    if (w->partner < 0 || w->partner >= tm_selection_n_agents(sel, (TmSide)(1 - side)))
        return FALSE; /* names nobody the selection covers (never for a selection made) */
    w->p = p;
    w->side = side;
    w->id = id;
    w->c = side == TM_SIDE_SUPPLY ? id : w->partner;
    w->s = side == TM_SIDE_SUPPLY ? w->partner : id;
    w->rule = NULL;
    const TmScreening *scr = tm_selection_screening(sel);
    const TmRules *rules = tm_selection_rules(sel);
    const TmReviewPlan *plan = &sel->plan;
    if (tm_market_position(tm_selection_market(sel), TM_SIDE_SUPPLY, w->c, w->s) >= 0
        || tm_i_review_plan_is_pinned(plan, w->c, w->s)) {
        w->fate = TM_WISH_KEPT;
    } else if (!tm_screening_is_eligible(scr, (TmSide)side, id)) {
        w->fate = TM_WISH_INELIGIBLE;
        w->rule = tm_screening_reason(scr, (TmSide)side, id);
    } else if (!tm_screening_is_eligible(scr, (TmSide)(1 - side), w->partner)) {
        w->fate = TM_WISH_PARTNER_INELIGIBLE;
        w->rule = tm_screening_reason(scr, (TmSide)(1 - side), w->partner);
    } else if ((w->rule = tm_rules_pair_reason(p, rules, w->c, w->s)) != NULL) {
        w->fate = TM_WISH_PAIR_RULE;
    } else if (tm_programme_consent(p, rules, (TmSide)(1 - side), w->partner)
                   == TM_CONSENT_NAMED_ONLY
               && !named(p, 1 - side, w->partner, id)) {
        w->fate = TM_WISH_NOT_NAMED;
    } else if (tm_i_review_plan_is_excluded(plan, TM_SIDE_SUPPLY, w->c)
               || tm_i_review_plan_is_excluded(plan, TM_SIDE_DEMAND, w->s)
               || tm_i_review_plan_is_vetoed(plan, w->c, w->s)) {
        w->fate = TM_WISH_REVIEW;
    } else {
        return FALSE; /* not listed for none of the builder's reasons: cannot say why */
    }
    return TRUE;
}

int tm_selection_wish_fate(const TmSelection *selection, TmSide side, int32_t id, int32_t i)
{
    Wish w;
    return resolve(selection, side, id, i, &w) ? w.fate : -1;
}

int32_t tm_selection_wish_partner(const TmSelection *selection, TmSide side, int32_t id,
                                  int32_t i)
{
    Wish w;
    return resolve(selection, side, id, i, &w) ? w.partner : -1;
}

const char *tm_selection_wish_rule(const TmSelection *selection, TmSide side, int32_t id,
                                   int32_t i)
{
    Wish w;
    return resolve(selection, side, id, i, &w) ? w.rule : NULL;
}

/* "CODE: fault" from @fault (taken), else "CODE: summary". */
static char *rule_text(const char *code, char *fault, TmLang l)
{
    int32_t r = tm_rule_find(code);
    const char *summary = l == TM_LANG_ZH ? tm_rule_summary_zh(r) : tm_rule_summary(r);
    char *out = g_strdup_printf(tm_i_msg(l, TM_M_WISH_RULE), code,
                                fault != NULL ? fault : summary ? summary : "");
    g_free(fault);
    return out;
}

static char *agent_fault(const TmSelection *sel, int side, int32_t id, const char *code,
                         TmLang l)
{
    return tm_rules_agent_fault_lang(tm_selection_programme(sel), tm_selection_rules(sel),
                                     (TmSide)side, id, code, l);
}

char *tm_selection_wish_reason_lang(const TmSelection *selection, TmSide side, int32_t id,
                                    int32_t i, TmLang lang)
{
    Wish w;
    if (!resolve(selection, side, id, i, &w) || w.fate == TM_WISH_KEPT)
        return NULL;
    TmLang l = tm_i_lang_pick(lang, tm_programme_language(w.p));
    const char *me = agent_name(w.p, side, id);
    const char *other = agent_name(w.p, 1 - side, w.partner);
    char *out = NULL, *rt = NULL;
    switch (w.fate) {
    case TM_WISH_INELIGIBLE:
        rt = rule_text(w.rule, agent_fault(selection, side, id, w.rule, l), l);
        out = g_strdup_printf(tm_i_msg(l, TM_M_WISH_INELIGIBLE), me, rt);
        break;
    case TM_WISH_PARTNER_INELIGIBLE:
        rt = rule_text(w.rule, agent_fault(selection, 1 - side, w.partner, w.rule, l), l);
        out = g_strdup_printf(tm_i_msg(l, TM_M_WISH_INELIGIBLE), other, rt);
        break;
    case TM_WISH_PAIR_RULE:
        out = rule_text(w.rule,
                        tm_rules_pair_fault_lang(w.p, tm_selection_rules(selection), w.c, w.s,
                                                 w.rule, l),
                        l);
        break;
    case TM_WISH_NOT_NAMED:
        out = g_strdup_printf(tm_i_msg(l, side == TM_SIDE_SUPPLY ? TM_M_WISH_NOT_NAMED_C
                                                                  : TM_M_WISH_NOT_NAMED_S),
                              other, me);
        break;
    default: { /* TM_WISH_REVIEW */
        const TmReviewPlan *plan = &selection->plan;
        const char *cn = agent_name(w.p, TM_SIDE_SUPPLY, w.c);
        const char *sn = agent_name(w.p, TM_SIDE_DEMAND, w.s);
        if (tm_i_review_plan_is_excluded(plan, TM_SIDE_SUPPLY, w.c))
            out = g_strdup_printf(tm_i_msg(l, TM_M_WISH_REVIEW_EXCLUDED), cn);
        else if (tm_i_review_plan_is_excluded(plan, TM_SIDE_DEMAND, w.s))
            out = g_strdup_printf(tm_i_msg(l, TM_M_WISH_REVIEW_EXCLUDED), sn);
        else
            out = g_strdup_printf(tm_i_msg(l, TM_M_WISH_REVIEW_VETOED), cn, sn);
        break;
    }
    }
    g_free(rt);
    return out;
}

char *tm_selection_wish_reason(const TmSelection *selection, TmSide side, int32_t id, int32_t i)
{
    return tm_selection_wish_reason_lang(selection, side, id, i, TM_LANG_EN);
}

int64_t tm_selection_n_dropped_wishes(const TmSelection *selection)
{
    if (selection == NULL)
        return 0;
    const TmProgramme *p = tm_selection_programme(selection);
    int64_t n = 0;
    for (int side = 0; side < 2; side++)
        for (int32_t a = 0; a < tm_selection_n_agents(selection, (TmSide)side); a++) {
            int32_t nw = side == TM_SIDE_SUPPLY
                             ? tm_programme_commissioner(p, a)->n_ranked_sites
                             : tm_programme_site(p, a)->n_ranked_commissioners;
            for (int32_t q = 0; q < nw; q++) {
                Wish w;
                if (resolve(selection, side, a, q, &w) && w.fate != TM_WISH_KEPT)
                    n++;
            }
        }
    return n;
}

/* ---- mutual first choices ---------------------------------------------------- */

int32_t tm_selection_mutual_first(const TmSelection *selection, int32_t c, int32_t j)
{
    if (selection == NULL || c < 0 || c >= tm_selection_n_agents(selection, TM_SIDE_SUPPLY)
        || j < 0)
        return -1;
    TmMarket *m = tm_selection_market(selection);
    int32_t len = 0;
    const int32_t *list = tm_market_prefs(m, TM_SIDE_SUPPLY, c, &len);
    int32_t seen = 0;
    for (int32_t q = 0; q < len && tm_market_rank(m, TM_SIDE_SUPPLY, c, list[q]) == 0; q++)
        if (tm_market_rank(m, TM_SIDE_DEMAND, list[q], c) == 0 && seen++ == j)
            return list[q];
    return -1;
}

int32_t tm_selection_n_mutual_firsts(const TmSelection *selection)
{
    int32_t n = 0;
    for (int32_t c = 0; c < tm_selection_n_agents(selection, TM_SIDE_SUPPLY); c++)
        for (int32_t j = 0; tm_selection_mutual_first(selection, c, j) >= 0; j++)
            n++;
    return n;
}

gboolean tm_selection_is_assigned(const TmSelection *selection, int32_t c, int32_t s)
{
    if (selection == NULL || c < 0 || c >= tm_selection_n_agents(selection, TM_SIDE_SUPPLY)
        || s < 0 || s >= tm_selection_n_agents(selection, TM_SIDE_DEMAND))
        return FALSE;
    int32_t n = 0;
    const int32_t *sites = tm_matching_partners(tm_selection_matching(selection),
                                                TM_SIDE_SUPPLY, c, &n);
    for (int32_t q = 0; q < n; q++)
        if (sites[q] == s)
            return TRUE;
    return FALSE;
}
