/* techmatch — the agent rules' conditions (tm_i_commissioner_mask(),
 * tm_i_site_mask(), used by the screening) and, beside each, the value at
 * fault when it fails (rules.h: tm_rules_agent_fault(),
 * tm_rules_pair_fault()): one short text per rule, naming the field
 * (Chinese and English), the agent's value and what the rule asks.  (The
 * pair rules' conditions are tm_i_pair_mask_raw() in rules_internal.h.)
 * Keeping the conditions here also links the texts into every program that
 * screens, static builds included: an archive member is pulled for its
 * conditions, so a weak stand-in elsewhere never hides the texts. */
#include "programme/rules_internal.h"

#include <string.h>

#include "util/messages.h"

/* ---- the agent rules' conditions ------------------------------------------------ */

uint32_t tm_i_commissioner_mask(const TmRules *r, const TmCommissioner *c)
{
    uint32_t m = 0;
    if (r->enabled[TM_R_C_TITLE] && (int32_t)c->title < r->min_title)
        m |= 1u << TM_R_C_TITLE;
    if (r->enabled[TM_R_C_UNIT]
        && ((int)c->unit_kind < 0 || (int)c->unit_kind >= TM_N_UNIT_KINDS
            || !(r->unit_allowed & (1u << c->unit_kind))))
        m |= 1u << TM_R_C_UNIT;
    if (r->enabled[TM_R_C_SUPPORT] && !c->unit_support)
        m |= 1u << TM_R_C_SUPPORT;
    if (r->enabled[TM_R_C_DIRECTION]
        && (!tm_i_has_direction(c) || (r->direction_target && !tm_i_has_target(c))))
        m |= 1u << TM_R_C_DIRECTION;
    if (r->enabled[TM_R_C_YEARS] && (c->years < r->years_min || c->years > r->years_max))
        m |= 1u << TM_R_C_YEARS;
    return m;
}

uint32_t tm_i_site_mask(const TmRules *r, const TmSite *s, const guint8 *leading)
{
    uint32_t m = 0;
    if (r->enabled[TM_R_S_KIND]
        && ((int)s->kind < 0 || (int)s->kind >= TM_N_SITE_KINDS
            || !(r->site_kinds & (1u << s->kind))))
        m |= 1u << TM_R_S_KIND;
    if (r->enabled[TM_R_S_CLINIC] && s->kind == TM_SITE_COMMUNITY && !s->has_clinic)
        m |= 1u << TM_R_S_CLINIC;
    if (r->enabled[TM_R_S_SECTOR] && tm_i_enterprise_kind((int)s->kind)
        && !leading[s->sector])
        m |= 1u << TM_R_S_SECTOR;
    return m;
}

/* ---- fault texts ------------------------------------------------------------------ */

#define MSG(id) tm_i_msg(l, TM_M_##id)

/* "intermediate title" / "中级" */
static const char *title_word(int32_t title, TmLang l)
{
    return tm_title_label((TmTitle)title, l);
}

/* English: "food processing" (the Chinese name when the taxonomy has no
 * English one); Chinese: "食品加工" */
static const char *sector_word(const TmTaxonomy *tax, int32_t sector, TmLang l)
{
    const char *zh = tm_taxonomy_name_zh(tax, sector);
    const char *en = tm_taxonomy_name_en(tax, sector);
    if (l == TM_LANG_ZH || en == NULL || en[0] == '\0')
        return zh;
    return en;
}

static char *years_text(int32_t years, TmLang l)
{
    return g_strdup_printf(years == 1 ? MSG(YEARS_ONE) : MSG(YEARS_MANY), years);
}

/* ---- commissioner rules ------------------------------------------------------ */

static void fault_c_unit(GString *out, const TmRules *r, const TmCommissioner *c, TmLang l)
{
    g_string_append_printf(out, MSG(FAULT_C_UNIT), tm_unit_kind_label(c->unit_kind, l));
    if (c->unit != NULL && c->unit[0] != '\0')
        g_string_append_printf(out, MSG(FAULT_UNIT_NAME), c->unit);
    GString *allowed = g_string_new(NULL);
    for (int k = 0; k < TM_N_UNIT_KINDS; k++) {
        if (r->unit_allowed & (1u << k))
            g_string_append_printf(allowed, "%s%s", allowed->len ? MSG(LIST_SEP) : "",
                                   tm_unit_kind_label((TmUnitKind)k, l));
    }
    g_string_append_printf(out, MSG(FAULT_C_UNIT_ALLOWED), allowed->len ? allowed->str : MSG(NONE));
    g_string_free(allowed, TRUE);
}

static void fault_c_years(GString *out, const TmRules *r, const TmCommissioner *c, TmLang l)
{
    char *offers = years_text(c->years, l);
    char *term = r->years_min == r->years_max
                     ? years_text(r->years_min, l)
                     : g_strdup_printf(MSG(YEARS_RANGE), r->years_min, r->years_max);
    g_string_append_printf(out, MSG(FAULT_C_YEARS), offers, term);
    g_free(offers);
    g_free(term);
}

static void commissioner_fault(GString *out, const TmRules *r, int32_t rule,
                               const TmCommissioner *c, TmLang l)
{
    switch (rule) {
    case TM_R_C_TITLE:
        g_string_append_printf(out, r->min_title < TM_TITLE_SENIOR ? MSG(FAULT_C_TITLE)
                                                                  : MSG(FAULT_C_TITLE_TOP),
                               title_word((int32_t)c->title, l), title_word(r->min_title, l));
        break;
    case TM_R_C_UNIT:
        fault_c_unit(out, r, c, l);
        break;
    case TM_R_C_SUPPORT:
        g_string_append(out, MSG(FAULT_C_SUPPORT));
        if (c->unit != NULL && c->unit[0] != '\0')
            g_string_append_printf(out, MSG(FAULT_C_SUPPORT_UNIT), c->unit);
        g_string_append(out, MSG(FAULT_C_SUPPORT_TAIL));
        break;
    case TM_R_C_DIRECTION:
        g_string_append(out, tm_i_has_direction(c) ? MSG(FAULT_C_DIRECTION_TARGET)
                                                   : MSG(FAULT_C_DIRECTION));
        break;
    case TM_R_C_YEARS:
        fault_c_years(out, r, c, l);
        break;
    default:
        break;
    }
}

/* ---- site rules ---------------------------------------------------------------- */

static void fault_s_sector(GString *out, const TmRules *r, const TmTaxonomy *tax,
                           const TmSite *s, TmLang l)
{
    GString *list = g_string_new(NULL);
    char **items = tm_i_leading_items(r);
    for (int i = 0; items[i] != NULL; i++) {
        if (i > 0)
            g_string_append(list, MSG(LIST_SEP));
        int32_t k = tm_taxonomy_find(tax, items[i]);
        g_string_append(list, k >= 0 ? sector_word(tax, k, l) : items[i]);
    }
    g_string_append_printf(out, MSG(FAULT_S_SECTOR), sector_word(tax, s->sector, l),
                           tm_site_kind_label(s->kind, l),
                           items[0] == NULL ? MSG(FAULT_S_SECTOR_NONE) : list->str);
    g_strfreev(items);
    g_string_free(list, TRUE);
}

static void site_fault(GString *out, const TmRules *r, const TmTaxonomy *tax, int32_t rule,
                       const TmSite *s, TmLang l)
{
    switch (rule) {
    case TM_R_S_KIND: {
        GString *kinds = g_string_new(NULL);
        for (int k = 0; k < TM_N_SITE_KINDS; k++)
            if (r->site_kinds & (1u << k))
                g_string_append_printf(kinds, "%s%s", kinds->len ? MSG(LIST_SEP) : "",
                                       tm_site_kind_label((TmSiteKind)k, l));
        g_string_append_printf(out, MSG(FAULT_S_KIND), tm_site_kind_label(s->kind, l),
                               kinds->len ? kinds->str : MSG(NONE));
        g_string_free(kinds, TRUE);
        break;
    }
    case TM_R_S_CLINIC:
        g_string_append(out, MSG(FAULT_S_CLINIC));
        break;
    case TM_R_S_SECTOR:
        fault_s_sector(out, r, tax, s, l);
        break;
    default:
        break;
    }
}

char *tm_rules_agent_fault_lang(const TmProgramme *programme, const TmRules *rules, TmSide side,
                                int32_t id, const char *code, TmLang lang)
{
    int32_t rule = tm_rule_find(code);
    if (programme == NULL || rules == NULL || rule < 0)
        return NULL;
    TmLang l = tm_i_lang_pick(lang, tm_programme_language(programme));
    int scope = tm_rule_scope(rule);
    GString *out = NULL;
    if (side == TM_SIDE_SUPPLY && scope == TM_RULE_SCOPE_COMMISSIONER) {
        const TmCommissioner *c = tm_programme_commissioner(programme, id);
        if (c == NULL || !(tm_i_commissioner_mask(rules, c) & (1u << rule)))
            return NULL;
        out = g_string_new(NULL);
        commissioner_fault(out, rules, rule, c, l);
    } else if (side == TM_SIDE_DEMAND && scope == TM_RULE_SCOPE_SITE) {
        const TmSite *s = tm_programme_site(programme, id);
        if (s == NULL)
            return NULL;
        const TmTaxonomy *tax = tm_programme_taxonomy(programme);
        guint8 *leading = tm_i_leading_resolve(rules, tax, NULL);
        gboolean fails = leading != NULL && (tm_i_site_mask(rules, s, leading) & (1u << rule));
        g_free(leading);
        if (!fails)
            return NULL;
        out = g_string_new(NULL);
        site_fault(out, rules, tax, rule, s, l);
    } else {
        return NULL;
    }
    return g_string_free(out, FALSE);
}

char *tm_rules_agent_fault(const TmProgramme *programme, const TmRules *rules, TmSide side,
                           int32_t id, const char *code)
{
    return tm_rules_agent_fault_lang(programme, rules, side, id, code, TM_LANG_EN);
}

/* ---- pair rules ---------------------------------------------------------------- */

char *tm_rules_pair_fault_lang(const TmProgramme *programme, const TmRules *rules, int32_t c,
                               int32_t s, const char *code, TmLang lang)
{
    int32_t rule = tm_rule_find(code);
    if (programme == NULL || rules == NULL || rule < 0
        || tm_rule_scope(rule) != TM_RULE_SCOPE_PAIR)
        return NULL;
    if (!(tm_rules_pair_failures(programme, rules, c, s) & (1u << rule)))
        return NULL; /* passes, or an id out of range */
    TmLang l = tm_i_lang_pick(lang, tm_programme_language(programme));
    const TmCommissioner *ci = tm_programme_commissioner(programme, c);
    const TmSite *si = tm_programme_site(programme, s);
    const TmTaxonomy *tax = tm_programme_taxonomy(programme);
    GString *out = g_string_new(NULL);
    switch (rule) {
    case TM_R_P_SECTOR:
        g_string_append_printf(out, MSG(FAULT_P_SECTOR), sector_word(tax, si->sector, l),
                               tm_programme_expertise(programme, c, si->sector), si->name,
                               rules->min_level);
        break;
    case TM_R_P_YEARS: {
        char *offers = years_text(ci->years, l);
        g_string_append_printf(out, MSG(FAULT_P_YEARS), offers, si->name, si->years);
        g_free(offers);
        break;
    }
    case TM_R_P_TITLE:
        g_string_append_printf(out, si->min_title < TM_TITLE_SENIOR ? MSG(FAULT_P_TITLE)
                                                                   : MSG(FAULT_P_TITLE_TOP),
                               title_word((int32_t)ci->title, l), si->name,
                               title_word((int32_t)si->min_title, l));
        break;
    case TM_R_P_DISTANCE: {
        /* one decimal, or as many as it takes to show the excess (20.04 > 20) */
        char d[G_ASCII_DTOSTR_BUF_SIZE], lim[G_ASCII_DTOSTR_BUF_SIZE], fmt[8];
        double km = tm_i_distance(ci->x, ci->y, si->x, si->y);
        for (int digits = 1; digits <= 9; digits++) {
            g_snprintf(fmt, sizeof fmt, "%%.%df", digits);
            g_ascii_formatd(d, sizeof d, fmt, km);
            if (g_ascii_strtod(d, NULL) > rules->max_km)
                break;
        }
        g_string_append_printf(out, MSG(FAULT_P_DISTANCE), d, si->name,
                               g_ascii_formatd(lim, sizeof lim, "%g", rules->max_km));
        break;
    }
    default:
        break;
    }
    return g_string_free(out, FALSE);
}

char *tm_rules_pair_fault(const TmProgramme *programme, const TmRules *rules, int32_t c,
                          int32_t s, const char *code)
{
    return tm_rules_pair_fault_lang(programme, rules, c, s, code, TM_LANG_EN);
}
