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

/* "中级 (intermediate)" */
static void put_title(GString *out, int32_t title)
{
    g_string_append_printf(out, "%s (%s)", tm_title_label_zh((TmTitle)title),
                           tm_title_code((TmTitle)title));
}

/* "食品加工 (food processing)"; a name equal to the code is shown once */
static void put_sector(GString *out, const TmTaxonomy *tax, int32_t sector)
{
    const char *zh = tm_taxonomy_name_zh(tax, sector);
    const char *en = tm_taxonomy_name_en(tax, sector);
    g_string_append(out, zh);
    if (en != NULL && strcmp(en, zh) != 0)
        g_string_append_printf(out, " (%s)", en);
}

static void put_years(GString *out, int32_t years)
{
    g_string_append_printf(out, "%" G_GINT32_FORMAT " year%s", years, years == 1 ? "" : "s");
}

/* ---- commissioner rules ------------------------------------------------------ */

static void fault_c_unit(GString *out, const TmRules *r, const TmCommissioner *c)
{
    g_string_append_printf(out, "单位类型 unit kind: %s (%s)",
                           tm_unit_kind_label_zh(c->unit_kind), tm_unit_kind_code(c->unit_kind));
    if (c->unit != NULL && c->unit[0] != '\0')
        g_string_append_printf(out, ", %s", c->unit);
    g_string_append(out, " — allowed: ");
    int n = 0;
    for (int k = 0; k < TM_N_UNIT_KINDS; k++) {
        if (r->unit_allowed & (1u << k))
            g_string_append_printf(out, "%s%s (%s)", n++ ? ", " : "",
                                   tm_unit_kind_label_zh((TmUnitKind)k),
                                   tm_unit_kind_code((TmUnitKind)k));
    }
    if (n == 0)
        g_string_append(out, "none");
}

static void fault_c_years(GString *out, const TmRules *r, const TmCommissioner *c)
{
    g_string_append(out, "服务年限 years: offers ");
    put_years(out, c->years);
    if (r->years_min == r->years_max) {
        g_string_append(out, " — the term is ");
        put_years(out, r->years_min);
    } else {
        g_string_append_printf(out, " — the term is %" G_GINT32_FORMAT " to %" G_GINT32_FORMAT
                                    " years",
                               r->years_min, r->years_max);
    }
}

static void commissioner_fault(GString *out, const TmRules *r, int32_t rule,
                               const TmCommissioner *c)
{
    switch (rule) {
    case TM_R_C_TITLE:
        g_string_append(out, "职称 title: ");
        put_title(out, (int32_t)c->title);
        g_string_append(out, " — needs ");
        put_title(out, r->min_title);
        if (r->min_title < TM_TITLE_SENIOR)
            g_string_append(out, " or above");
        break;
    case TM_R_C_UNIT:
        fault_c_unit(out, r, c);
        break;
    case TM_R_C_SUPPORT:
        g_string_append(out, "单位支持 unit support: no");
        if (c->unit != NULL && c->unit[0] != '\0')
            g_string_append_printf(out, " (%s)", c->unit);
        g_string_append(out, " — the dispatching unit must support the secondment");
        break;
    case TM_R_C_DIRECTION:
        if (!tm_i_has_direction(c))
            g_string_append(out, "专长 expertise: no sector at level 1 or more — needs a "
                                 "service direction (服务方向) in one of the district's "
                                 "sectors");
        else
            g_string_append(out, "服务对象 service target: no wished site and no task type "
                                 "— C_DIRECTION.target asks for one of them");
        break;
    case TM_R_C_YEARS:
        fault_c_years(out, r, c);
        break;
    default:
        break;
    }
}

/* ---- site rules ---------------------------------------------------------------- */

static void fault_s_sector(GString *out, const TmRules *r, const TmTaxonomy *tax,
                           const TmSite *s)
{
    g_string_append(out, "行业 sector: ");
    put_sector(out, tax, s->sector);
    g_string_append_printf(out, " — an enterprise host (%s %s) must be in a leading industry: ",
                           tm_site_kind_label_zh(s->kind), tm_site_kind_code(s->kind));
    char **items = tm_i_leading_items(r);
    for (int i = 0; items[i] != NULL; i++) {
        if (i > 0)
            g_string_append(out, ", ");
        int32_t k = tm_taxonomy_find(tax, items[i]);
        if (k >= 0)
            put_sector(out, tax, k);
        else
            g_string_append(out, items[i]);
    }
    if (items[0] == NULL)
        g_string_append(out, "none is set");
    g_strfreev(items);
}

static void site_fault(GString *out, const TmRules *r, const TmTaxonomy *tax, int32_t rule,
                       const TmSite *s)
{
    switch (rule) {
    case TM_R_S_KIND: {
        g_string_append_printf(out, "类型 kind: %s (%s) — eligible: ",
                               tm_site_kind_label_zh(s->kind), tm_site_kind_code(s->kind));
        int n = 0;
        for (int k = 0; k < TM_N_SITE_KINDS; k++)
            if (r->site_kinds & (1u << k))
                g_string_append_printf(out, "%s%s", n++ ? ", " : "",
                                       tm_site_kind_code((TmSiteKind)k));
        if (n == 0)
            g_string_append(out, "none");
        break;
    }
    case TM_R_S_CLINIC:
        g_string_append(out, "卫生服务站 clinic: none — a community (社区) site must run a "
                             "community health clinic (社区卫生服务站)");
        break;
    case TM_R_S_SECTOR:
        fault_s_sector(out, r, tax, s);
        break;
    default:
        break;
    }
}

char *tm_rules_agent_fault(const TmProgramme *programme, const TmRules *rules, TmSide side,
                           int32_t id, const char *code)
{
    int32_t rule = tm_rule_find(code);
    if (programme == NULL || rules == NULL || rule < 0)
        return NULL;
    int scope = tm_rule_scope(rule);
    GString *out = NULL;
    if (side == TM_SIDE_SUPPLY && scope == TM_RULE_SCOPE_COMMISSIONER) {
        const TmCommissioner *c = tm_programme_commissioner(programme, id);
        if (c == NULL || !(tm_i_commissioner_mask(rules, c) & (1u << rule)))
            return NULL;
        out = g_string_new(NULL);
        commissioner_fault(out, rules, rule, c);
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
        site_fault(out, rules, tax, rule, s);
    } else {
        return NULL;
    }
    return g_string_free(out, FALSE);
}

/* ---- pair rules ---------------------------------------------------------------- */

char *tm_rules_pair_fault(const TmProgramme *programme, const TmRules *rules, int32_t c,
                          int32_t s, const char *code)
{
    int32_t rule = tm_rule_find(code);
    if (programme == NULL || rules == NULL || rule < 0
        || tm_rule_scope(rule) != TM_RULE_SCOPE_PAIR)
        return NULL;
    if (!(tm_rules_pair_failures(programme, rules, c, s) & (1u << rule)))
        return NULL; /* passes, or an id out of range */
    const TmCommissioner *ci = tm_programme_commissioner(programme, c);
    const TmSite *si = tm_programme_site(programme, s);
    const TmTaxonomy *tax = tm_programme_taxonomy(programme);
    GString *out = g_string_new(NULL);
    switch (rule) {
    case TM_R_P_SECTOR:
        g_string_append(out, "专长 expertise in ");
        put_sector(out, tax, si->sector);
        g_string_append_printf(out, ": level %" G_GINT32_FORMAT " — %s needs level %"
                                    G_GINT32_FORMAT " or more",
                               tm_programme_expertise(programme, c, si->sector), si->name,
                               rules->min_level);
        break;
    case TM_R_P_YEARS:
        g_string_append(out, "服务年限 years: offers ");
        put_years(out, ci->years);
        g_string_append_printf(out, "; %s wants %" G_GINT32_FORMAT, si->name, si->years);
        break;
    case TM_R_P_TITLE:
        g_string_append(out, "职称 title: ");
        put_title(out, (int32_t)ci->title);
        g_string_append_printf(out, " — %s requires ", si->name);
        put_title(out, (int32_t)si->min_title);
        if (si->min_title < TM_TITLE_SENIOR)
            g_string_append(out, " or above");
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
        g_string_append_printf(out, "距离 distance: %s km from %s (limit %s km)", d, si->name,
                               g_ascii_formatd(lim, sizeof lim, "%g", rules->max_km));
        break;
    }
    default:
        break;
    }
    return g_string_free(out, FALSE);
}
