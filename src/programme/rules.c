/* techmatch — the programme's eligibility rules: catalogue, parameters,
 * screening and pair rules.  Reading and writing configuration text is in
 * rules_config.c. */
#include "programme/rules_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- catalogue --------------------------------------------------------- */

typedef struct {
    const char *code;
    TmRuleScope scope;
    const char *summary;
    const char *summary_zh;
} RuleInfo;

static const RuleInfo RULES[TM_R_COUNT] = {
    { "C_TITLE", TM_RULE_SCOPE_COMMISSIONER,
      "The commissioner holds at least the minimum professional title (default: intermediate).",
      "特派员具有规定的专业技术职称（默认中级及以上）。" },
    { "C_UNIT", TM_RULE_SCOPE_COMMISSIONER,
      "The commissioner's dispatching unit is of an allowed kind (default: university, "
      "research institute or public institution).",
      "派出单位属于允许的类型（默认高等院校、科研院所、事业单位）。" },
    { "C_SUPPORT", TM_RULE_SCOPE_COMMISSIONER,
      "The commissioner's dispatching unit supports the secondment.",
      "派出单位同意并支持其担任科技特派员。" },
    { "C_DIRECTION", TM_RULE_SCOPE_COMMISSIONER,
      "The commissioner has a service direction in the district: expertise (level 1 or "
      "more) in at least one of the district's sectors; with C_DIRECTION.target also a "
      "service target (a wished site or a task type offered).",
      "特派员在本区有明确的服务方向（至少一个本区产业领域的专长）；设 C_DIRECTION.target "
      "时还须有明确的服务对象（意向派驻点或所选任务类型）。" },
    { "C_YEARS", TM_RULE_SCOPE_COMMISSIONER,
      "As a hard limit, the years of service offered lie within the range (default 1 to 2 "
      "years; off by default: the plan says normally, so the term is scored instead).",
      "作为硬性条件，服务年限在规定范围内（默认1至2年；默认不启用：方案称“一般为1-2年”，"
      "故作为评分偏好）。" },
    { "S_KIND", TM_RULE_SCOPE_SITE,
      "The service site is of an eligible kind (default: every kind except 'other').",
      "派驻点属于规定的类型（默认除“其他”外的各类）。" },
    { "S_CLINIC", TM_RULE_SCOPE_SITE,
      "A community site runs a community health clinic.",
      "社区派驻点须设有社区卫生服务站。" },
    { "P_SECTOR", TM_RULE_SCOPE_PAIR,
      "The commissioner's expertise level in the site's sector is at least the minimum "
      "(default: 1).",
      "特派员在派驻点所属产业的专业水平达到要求（默认至少1级）。" },
    { "P_YEARS", TM_RULE_SCOPE_PAIR,
      "The years the commissioner offers cover the years the site wants.",
      "特派员的服务期限满足派驻点的要求。" },
    { "P_TITLE", TM_RULE_SCOPE_PAIR,
      "The commissioner's title meets the site's minimum title.",
      "特派员的职称达到派驻点要求的最低职称。" },
    { "P_DISTANCE", TM_RULE_SCOPE_PAIR,
      "Commissioner and site are at most max_km apart when both locations are known "
      "(off by default).",
      "已知双方位置时，服务距离不超过上限（默认不启用）。" },
    { "S_SECTOR", TM_RULE_SCOPE_SITE,
      "An enterprise host (high-tech, innovative or R&D enterprise) is in one of the "
      "district's leading industries (default: electronic information, cultural & "
      "creative, food processing, new materials).",
      "企业派驻点（高新技术企业、创新型企业、研发型企业）须属于本区主导产业（默认电子信息、"
      "文化创意、食品加工、新材料）。" },
};

int32_t tm_rules_n_rules(void)
{
    return TM_R_COUNT;
}

const char *tm_rule_code(int32_t index)
{
    return index >= 0 && index < TM_R_COUNT ? RULES[index].code : NULL;
}

const char *tm_rule_summary(int32_t index)
{
    return index >= 0 && index < TM_R_COUNT ? RULES[index].summary : NULL;
}

const char *tm_rule_summary_zh(int32_t index)
{
    return index >= 0 && index < TM_R_COUNT ? RULES[index].summary_zh : NULL;
}

const char *tm_rule_summary_lang(int32_t index, TmLang lang)
{
    return lang == TM_LANG_ZH ? tm_rule_summary_zh(index) : tm_rule_summary(index);
}

int tm_rule_scope(int32_t index)
{
    return index >= 0 && index < TM_R_COUNT ? (int)RULES[index].scope : -1;
}

int32_t tm_rule_find(const char *code)
{
    if (code == NULL)
        return -1;
    for (int32_t i = 0; i < TM_R_COUNT; i++)
        if (g_ascii_strcasecmp(code, RULES[i].code) == 0)
            return i;
    return -1;
}

char *tm_rules_mask_codes(uint32_t mask)
{
    GString *s = g_string_new(NULL);
    for (int32_t i = 0; i < TM_R_COUNT; i++) {
        if (mask & (1u << i)) {
            if (s->len > 0)
                g_string_append_c(s, ';');
            g_string_append(s, RULES[i].code);
        }
    }
    return g_string_free(s, FALSE);
}

/* ---- a rule set -------------------------------------------------------- */

static const double DEFAULT_WEIGHTS[2][TM_N_SCORE_COMPONENTS] = {
    /* sector tags title years distance merit term tasks */
    { 3.0, 2.0, 0.0, 1.0, 2.0, 0.0, 0.0, 1.0 }, /* commissioner side */
    { 3.0, 2.0, 1.0, 1.0, 1.0, 2.0, 1.0, 1.0 }, /* site side */
};

/* The plan's four leading industries (工作原则一), as taxonomy codes. */
#define TM_I_LEADING_DEFAULT "eit;culture;food;materials"

void tm_i_rules_defaults(TmRules *r)
{
    memset(r, 0, sizeof *r);
    for (int i = 0; i < TM_R_COUNT; i++)
        r->enabled[i] = TRUE;
    r->enabled[TM_R_P_DISTANCE] = FALSE;
    r->enabled[TM_R_C_YEARS] = FALSE; /* 一般为1-2年: scored (term), not required */
    r->direction_target = FALSE;
    g_strlcpy(r->leading, TM_I_LEADING_DEFAULT, sizeof r->leading);
    r->min_title = TM_TITLE_INTERMEDIATE;
    r->unit_allowed = (1u << TM_UNIT_UNIVERSITY) | (1u << TM_UNIT_INSTITUTE)
                      | (1u << TM_UNIT_PUBLIC);
    r->years_min = 1;
    r->years_max = 2;
    r->site_kinds = ((1u << TM_N_SITE_KINDS) - 1u) & ~(1u << TM_SITE_OTHER);
    r->min_level = 1;
    r->max_km = 20.0;
    memcpy(r->weight, DEFAULT_WEIGHTS, sizeof r->weight);
    r->distance_scale = 20.0;
    r->cand.k = -1;
    r->cand.site_k = -1;
    r->cand.exact_limit = 10000000;
    r->cand.auto_k = 50;
    r->cand.budget = 0;
    r->cand.site_budget = 0;
    r->cand.seed = 1;
}

TmRules *tm_rules_new_default(void)
{
    TmRules *r = g_new(TmRules, 1);
    tm_i_rules_defaults(r);
    r->refcount = 1;
    return r;
}

TmRules *tm_rules_copy(const TmRules *rules)
{
    if (rules == NULL)
        return NULL;
    TmRules *r = g_memdup2(rules, sizeof *rules);
    r->refcount = 1;
    return r;
}

TmRules *tm_rules_ref(TmRules *rules)
{
    if (rules)
        g_atomic_int_inc(&rules->refcount);
    return rules;
}

void tm_rules_free(TmRules *rules)
{
    if (rules && g_atomic_int_dec_and_test(&rules->refcount))
        g_free(rules);
}

static gboolean null_arg(const void *p, const char *what, GError **error)
{
    if (p == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "%s must not be NULL", what);
        return TRUE;
    }
    return FALSE;
}

gboolean tm_rules_is_enabled(const TmRules *rules, const char *code)
{
    int32_t i = tm_rule_find(code);
    return rules != NULL && i >= 0 && rules->enabled[i];
}

gboolean tm_rules_set_enabled(TmRules *rules, const char *code, gboolean on, GError **error)
{
    if (null_arg(rules, "rules", error) || null_arg(code, "rule code", error))
        return FALSE;
    int32_t i = tm_rule_find(code);
    if (i < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "unknown rule code '%s'",
                    code);
        return FALSE;
    }
    rules->enabled[i] = on ? TRUE : FALSE;
    return TRUE;
}

gboolean tm_rules_set_min_title(TmRules *rules, TmTitle title, GError **error)
{
    if (null_arg(rules, "rules", error))
        return FALSE;
    if ((int)title < 0 || (int)title >= TM_N_TITLES) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "title %d out of range",
                    (int)title);
        return FALSE;
    }
    rules->min_title = (int32_t)title;
    return TRUE;
}

TmTitle tm_rules_min_title(const TmRules *rules)
{
    return rules ? (TmTitle)rules->min_title : TM_TITLE_INTERMEDIATE;
}

gboolean tm_rules_set_unit_allowed(TmRules *rules, TmUnitKind kind, gboolean allowed,
                                   GError **error)
{
    if (null_arg(rules, "rules", error))
        return FALSE;
    if ((int)kind < 0 || (int)kind >= TM_N_UNIT_KINDS) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "unit kind %d out of range",
                    (int)kind);
        return FALSE;
    }
    if (allowed)
        rules->unit_allowed |= 1u << kind;
    else
        rules->unit_allowed &= ~(1u << kind);
    return TRUE;
}

gboolean tm_rules_unit_allowed(const TmRules *rules, TmUnitKind kind)
{
    return rules != NULL && (int)kind >= 0 && (int)kind < TM_N_UNIT_KINDS
           && (rules->unit_allowed & (1u << kind));
}

gboolean tm_rules_set_years_range(TmRules *rules, int32_t min_years, int32_t max_years,
                                  GError **error)
{
    if (null_arg(rules, "rules", error))
        return FALSE;
    if (min_years < 0 || max_years > 10 || min_years > max_years) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "years range %" G_GINT32_FORMAT "..%" G_GINT32_FORMAT
                    " invalid (need 0 <= min <= max <= 10)", min_years, max_years);
        return FALSE;
    }
    rules->years_min = min_years;
    rules->years_max = max_years;
    return TRUE;
}

void tm_rules_years_range(const TmRules *rules, int32_t *min_years, int32_t *max_years)
{
    if (min_years)
        *min_years = rules ? rules->years_min : -1;
    if (max_years)
        *max_years = rules ? rules->years_max : -1;
}

gboolean tm_rules_set_site_kind_eligible(TmRules *rules, TmSiteKind kind, gboolean eligible,
                                         GError **error)
{
    if (null_arg(rules, "rules", error))
        return FALSE;
    if ((int)kind < 0 || (int)kind >= TM_N_SITE_KINDS) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "site kind %d out of range",
                    (int)kind);
        return FALSE;
    }
    if (eligible)
        rules->site_kinds |= 1u << kind;
    else
        rules->site_kinds &= ~(1u << kind);
    return TRUE;
}

gboolean tm_rules_site_kind_eligible(const TmRules *rules, TmSiteKind kind)
{
    return rules != NULL && (int)kind >= 0 && (int)kind < TM_N_SITE_KINDS
           && (rules->site_kinds & (1u << kind));
}

gboolean tm_rules_set_min_level(TmRules *rules, int32_t level, GError **error)
{
    if (null_arg(rules, "rules", error))
        return FALSE;
    if (level < 0 || level > 3) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "min_level %" G_GINT32_FORMAT " out of range 0..3", level);
        return FALSE;
    }
    rules->min_level = level;
    return TRUE;
}

int32_t tm_rules_min_level(const TmRules *rules)
{
    return rules ? rules->min_level : -1;
}

gboolean tm_rules_set_max_km(TmRules *rules, double km, GError **error)
{
    if (null_arg(rules, "rules", error))
        return FALSE;
    if (!isfinite(km) || km < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "max_km %g invalid (need finite, >= 0)", km);
        return FALSE;
    }
    rules->max_km = km;
    return TRUE;
}

double tm_rules_max_km(const TmRules *rules)
{
    return rules ? rules->max_km : -1;
}

gboolean tm_rules_set_direction_target(TmRules *rules, gboolean target, GError **error)
{
    if (null_arg(rules, "rules", error))
        return FALSE;
    rules->direction_target = target ? TRUE : FALSE;
    return TRUE;
}

gboolean tm_rules_direction_target(const TmRules *rules)
{
    return rules != NULL && rules->direction_target;
}

/* ---- screening ---------------------------------------------------------- */

/* the screening keeps each agent's failures in 16 bits */
G_STATIC_ASSERT(TM_R_COUNT <= 16);

static int8_t first_bit(uint32_t m)
{
    for (int i = 0; i < TM_R_COUNT; i++)
        if (m & (1u << i))
            return (int8_t)i;
    return -1;
}

void tm_screening_free(TmScreening *s)
{
    if (s == NULL)
        return;
    for (int side = 0; side < 2; side++) {
        g_free(s->first[side]);
        g_free(s->mask[side]);
    }
    g_free(s);
}

TmScreening *tm_programme_screen(const TmProgramme *programme, const TmRules *rules,
                                 GError **error)
{
    if (null_arg(programme, "programme", error) || null_arg(rules, "rules", error))
        return NULL;
    guint8 *leading = tm_i_leading_resolve(rules, tm_programme_taxonomy(programme), error);
    if (leading == NULL)
        return NULL;
    TmScreening *s = g_new0(TmScreening, 1);
    s->n[0] = tm_programme_n_commissioners(programme);
    s->n[1] = tm_programme_n_sites(programme);
    for (int side = 0; side < 2; side++) {
        s->first[side] = tm_i_try_alloc(s->n[side], sizeof(int8_t), FALSE, "screening",
                                        error);
        s->mask[side] = tm_i_try_alloc(s->n[side], sizeof(uint16_t), FALSE, "screening",
                                       error);
        if (s->first[side] == NULL || s->mask[side] == NULL) {
            tm_screening_free(s);
            g_free(leading);
            return NULL;
        }
    }
    for (int side = 0; side < 2; side++) {
        for (int32_t i = 0; i < s->n[side]; i++) {
            uint32_t m;
            if (side == 0)
                m = tm_i_commissioner_mask(rules, tm_programme_commissioner(programme, i));
            else
                m = tm_i_site_mask(rules, tm_programme_site(programme, i), leading);
            s->mask[side][i] = (uint16_t)m;
            s->first[side][i] = first_bit(m);
            if (m == 0)
                s->n_eligible[side]++;
            else
                s->n_first[s->first[side][i]]++;
            for (int r = 0; r < TM_R_COUNT; r++)
                if (m & (1u << r))
                    s->n_failing[r]++;
        }
    }
    g_free(leading);
    return s;
}

static gboolean agent_ok(const TmScreening *s, TmSide side, int32_t id)
{
    return s != NULL && (side == TM_SIDE_SUPPLY || side == TM_SIDE_DEMAND) && id >= 0
           && id < s->n[side];
}

int32_t tm_screening_n_agents(const TmScreening *s, TmSide side)
{
    return s && (side == TM_SIDE_SUPPLY || side == TM_SIDE_DEMAND) ? s->n[side] : 0;
}

int32_t tm_screening_n_eligible(const TmScreening *s, TmSide side)
{
    return s && (side == TM_SIDE_SUPPLY || side == TM_SIDE_DEMAND) ? s->n_eligible[side] : 0;
}

gboolean tm_screening_is_eligible(const TmScreening *s, TmSide side, int32_t id)
{
    return agent_ok(s, side, id) && s->first[side][id] < 0;
}

const char *tm_screening_reason(const TmScreening *s, TmSide side, int32_t id)
{
    if (!agent_ok(s, side, id) || s->first[side][id] < 0)
        return NULL;
    return RULES[s->first[side][id]].code;
}

uint32_t tm_screening_failures(const TmScreening *s, TmSide side, int32_t id)
{
    return agent_ok(s, side, id) ? s->mask[side][id] : 0;
}

const char *tm_screening_commissioner_reason(const TmScreening *s, int32_t c)
{
    return tm_screening_reason(s, TM_SIDE_SUPPLY, c);
}

const char *tm_screening_site_reason(const TmScreening *screening, int32_t s)
{
    return tm_screening_reason(screening, TM_SIDE_DEMAND, s);
}

int32_t tm_screening_n_failing(const TmScreening *s, const char *code)
{
    int32_t i = tm_rule_find(code);
    return s && i >= 0 ? s->n_failing[i] : -1;
}

int32_t tm_screening_n_first_failing(const TmScreening *s, const char *code)
{
    int32_t i = tm_rule_find(code);
    return s && i >= 0 ? s->n_first[i] : -1;
}

/* ---- pair rules ----------------------------------------------------------- */

static gboolean pair_args_ok(const TmProgramme *p, const TmRules *r, int32_t c, int32_t s)
{
    return p != NULL && r != NULL && c >= 0 && c < tm_programme_n_commissioners(p) && s >= 0
           && s < tm_programme_n_sites(p);
}

const char *tm_rules_pair_reason(const TmProgramme *programme, const TmRules *rules,
                                 int32_t c, int32_t s)
{
    if (!pair_args_ok(programme, rules, c, s))
        return TM_I_INVALID_CODE;
    const TmSite *si = tm_programme_site(programme, s);
    int32_t level = tm_programme_expertise(programme, c, si->sector);
    uint32_t m = tm_i_pair_mask(rules, tm_programme_commissioner(programme, c), level, si, TRUE);
    return m ? RULES[first_bit(m)].code : NULL;
}

uint32_t tm_rules_pair_failures(const TmProgramme *programme, const TmRules *rules, int32_t c,
                                int32_t s)
{
    if (!pair_args_ok(programme, rules, c, s))
        return 0;
    const TmSite *si = tm_programme_site(programme, s);
    int32_t level = tm_programme_expertise(programme, c, si->sector);
    return tm_i_pair_mask(rules, tm_programme_commissioner(programme, c), level, si, FALSE);
}
