/* techmatch — the programme's eligibility rules: catalogue, parameters,
 * configuration files, screening and pair rules. */
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
      "The commissioner names a service direction: expertise in at least one sector or at "
      "least one wished site.",
      "特派员有明确的服务方向（至少一个产业领域的专长或至少一个意向派驻点）。" },
    { "C_YEARS", TM_RULE_SCOPE_COMMISSIONER,
      "The years of service offered lie within the allowed range (default: 1 to 2 years).",
      "服务期限在规定范围内（默认1至2年）。" },
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

/* ---- helpers ----------------------------------------------------------- */

void *tm_i_prog_alloc(int64_t count, size_t elem, gboolean zero, const char *what,
                      GError **error)
{
    if (count < 0 || (count > 0 && (uint64_t)count > (uint64_t)G_MAXSIZE / elem)) {
        g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                    "%s: size %" G_GINT64_FORMAT " x %zu bytes overflows", what, count, elem);
        return NULL;
    }
    gsize bytes = (gsize)count * elem;
    if (bytes == 0)
        bytes = 1;
    void *p = zero ? g_try_malloc0(bytes) : g_try_malloc(bytes);
    if (p == NULL)
        g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                    "%s: cannot allocate %" G_GSIZE_FORMAT " bytes", what, bytes);
    return p;
}

/* ---- a rule set -------------------------------------------------------- */

static const double DEFAULT_WEIGHTS[2][TM_N_SCORE_COMPONENTS] = {
    /* sector tags title years distance merit */
    { 3.0, 2.0, 0.0, 1.0, 2.0, 0.0 }, /* commissioner side */
    { 3.0, 2.0, 1.0, 1.0, 1.0, 2.0 }, /* site side */
};

static void rules_defaults(TmRules *r)
{
    memset(r, 0, sizeof *r);
    for (int i = 0; i < TM_R_COUNT; i++)
        r->enabled[i] = TRUE;
    r->enabled[TM_R_P_DISTANCE] = FALSE;
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
    rules_defaults(r);
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

/* weights and candidate settings (declared in preferences.h) */

static const char *const COMPONENT_NAMES[TM_N_SCORE_COMPONENTS] = {
    "sector", "tags", "title", "years", "distance", "merit",
};

const char *tm_score_component_name(TmScoreComponent component)
{
    return (int)component >= 0 && (int)component < TM_N_SCORE_COMPONENTS
               ? COMPONENT_NAMES[component]
               : NULL;
}

double tm_rules_weight(const TmRules *rules, TmSide side, TmScoreComponent component)
{
    if (rules == NULL || (side != TM_SIDE_SUPPLY && side != TM_SIDE_DEMAND)
        || (int)component < 0 || (int)component >= TM_N_SCORE_COMPONENTS)
        return -1;
    return rules->weight[side][component];
}

gboolean tm_rules_set_weight(TmRules *rules, TmSide side, TmScoreComponent component,
                             double weight, GError **error)
{
    if (null_arg(rules, "rules", error))
        return FALSE;
    if ((side != TM_SIDE_SUPPLY && side != TM_SIDE_DEMAND) || (int)component < 0
        || (int)component >= TM_N_SCORE_COMPONENTS || !isfinite(weight) || weight < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "bad weight (side %d, component %d, value %g): need a finite value >= 0",
                    (int)side, (int)component, weight);
        return FALSE;
    }
    rules->weight[side][component] = weight;
    return TRUE;
}

double tm_rules_distance_scale(const TmRules *rules)
{
    return rules ? rules->distance_scale : -1;
}

gboolean tm_rules_set_distance_scale(TmRules *rules, double km, GError **error)
{
    if (null_arg(rules, "rules", error))
        return FALSE;
    if (!isfinite(km) || km <= 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "distance scale %g invalid (need finite, > 0)", km);
        return FALSE;
    }
    rules->distance_scale = km;
    return TRUE;
}

void tm_rules_get_candidates(const TmRules *rules, TmCandidateParams *out)
{
    if (out == NULL)
        return;
    if (rules == NULL) {
        TmRules d;
        rules_defaults(&d);
        *out = d.cand;
        return;
    }
    *out = rules->cand;
}

static gboolean check_candidates(const TmCandidateParams *p, GError **error)
{
    const char *bad = NULL;
    if (p->k < -1)
        bad = "k (need -1, 0 or > 0)";
    else if (p->site_k < -1)
        bad = "site_k (need -1, 0 or > 0)";
    else if (p->exact_limit < 0)
        bad = "exact_limit (need >= 0)";
    else if (p->auto_k <= 0)
        bad = "auto_k (need > 0)";
    else if (p->budget < 0)
        bad = "budget (need >= 0)";
    else if (p->site_budget < 0)
        bad = "site_budget (need >= 0)";
    if (bad) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "candidate setting %s out of range", bad);
        return FALSE;
    }
    return TRUE;
}

gboolean tm_rules_set_candidates(TmRules *rules, const TmCandidateParams *params,
                                 GError **error)
{
    if (null_arg(rules, "rules", error) || null_arg(params, "params", error))
        return FALSE;
    if (!check_candidates(params, error))
        return FALSE;
    rules->cand = *params;
    return TRUE;
}

/* ---- text values --------------------------------------------------------- */

/* Context for messages: "<source>: [<group>] <key>: ". */
typedef struct {
    const char *source;
    const char *group;
    const char *key;
} Where;

G_GNUC_PRINTF(3, 4)
static void parse_error(GError **error, const Where *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s: [%s] %s: %s", w->source, w->group,
                w->key, msg);
    g_free(msg);
}

static gboolean parse_bool(const char *v, gboolean *out)
{
    static const char *const yes[] = { "true", "1", "yes", "on" };
    static const char *const no[] = { "false", "0", "no", "off" };
    for (gsize i = 0; i < G_N_ELEMENTS(yes); i++) {
        if (g_ascii_strcasecmp(v, yes[i]) == 0) {
            *out = TRUE;
            return TRUE;
        }
        if (g_ascii_strcasecmp(v, no[i]) == 0) {
            *out = FALSE;
            return TRUE;
        }
    }
    return FALSE;
}

static gboolean parse_int64(const char *v, int64_t lo, int64_t hi, int64_t *out)
{
    if (*v == '\0')
        return FALSE;
    char *end = NULL;
    errno = 0;
    gint64 x = g_ascii_strtoll(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || x < lo || x > hi)
        return FALSE;
    *out = x;
    return TRUE;
}

static gboolean parse_double(const char *v, double *out)
{
    if (*v == '\0')
        return FALSE;
    char *end = NULL;
    errno = 0;
    double x = g_ascii_strtod(v, &end);
    if (errno != 0 || end == v || *end != '\0' || !isfinite(x))
        return FALSE;
    *out = x;
    return TRUE;
}

/* Splits a list value on ';' or ',', trimming blanks and skipping empties. */
static char **split_list(const char *v)
{
    char **parts = g_strsplit_set(v, ";,", -1);
    int n = 0;
    for (int i = 0; parts[i] != NULL; i++) {
        g_strstrip(parts[i]);
        if (parts[i][0] == '\0') {
            g_free(parts[i]);
            continue;
        }
        parts[n++] = parts[i];
    }
    parts[n] = NULL;
    return parts;
}

/* Applies one [rules] key. */
static gboolean rules_key(TmRules *r, const char *key, const char *raw, const Where *w,
                          GError **error)
{
    char *v = g_strstrip(g_strdup(raw));
    gboolean ok = FALSE;
    const char *dot = strchr(key, '.');
    char *code = dot ? g_strndup(key, (gsize)(dot - key)) : g_strdup(key);
    const char *param = dot ? dot + 1 : NULL;
    int32_t idx = -1;
    for (int32_t i = 0; i < TM_R_COUNT; i++)
        if (strcmp(code, RULES[i].code) == 0)
            idx = i;
    if (idx < 0) {
        parse_error(error, w, "unknown rule code '%s'", code);
        goto out;
    }
    if (param == NULL) {
        gboolean b;
        if (!parse_bool(v, &b)) {
            parse_error(error, w, "expected true or false, got '%s'", v);
            goto out;
        }
        r->enabled[idx] = b;
        ok = TRUE;
        goto out;
    }
    if (idx == TM_R_C_TITLE && strcmp(param, "min_title") == 0) {
        int t = tm_title_from_string(v);
        if (t < 0 || t >= TM_N_TITLES) {
            parse_error(error, w, "unknown title '%s' (expected none, junior, intermediate or "
                        "senior)", v);
            goto out;
        }
        r->min_title = t;
        ok = TRUE;
    } else if ((idx == TM_R_C_UNIT && strcmp(param, "allowed") == 0)
               || (idx == TM_R_S_KIND && strcmp(param, "eligible") == 0)) {
        gboolean unit = idx == TM_R_C_UNIT;
        char **items = split_list(v);
        uint32_t mask = 0;
        for (int i = 0; items[i] != NULL; i++) {
            int kind = unit ? tm_unit_kind_from_string(items[i])
                            : tm_site_kind_from_string(items[i]);
            if (kind < 0 || kind >= (unit ? TM_N_UNIT_KINDS : TM_N_SITE_KINDS)) {
                parse_error(error, w, "unknown %s '%s'", unit ? "unit kind" : "site kind",
                            items[i]);
                g_strfreev(items);
                goto out;
            }
            mask |= 1u << kind;
        }
        g_strfreev(items);
        if (unit)
            r->unit_allowed = mask;
        else
            r->site_kinds = mask;
        ok = TRUE;
    } else if (idx == TM_R_C_YEARS && (strcmp(param, "min") == 0 || strcmp(param, "max") == 0)) {
        int64_t y;
        if (!parse_int64(v, 0, 10, &y)) {
            parse_error(error, w, "expected an integer 0..10, got '%s'", v);
            goto out;
        }
        if (param[1] == 'i')
            r->years_min = (int32_t)y;
        else
            r->years_max = (int32_t)y;
        ok = TRUE;
    } else if (idx == TM_R_P_SECTOR && strcmp(param, "min_level") == 0) {
        int64_t l;
        if (!parse_int64(v, 0, 3, &l)) {
            parse_error(error, w, "expected an integer 0..3, got '%s'", v);
            goto out;
        }
        r->min_level = (int32_t)l;
        ok = TRUE;
    } else if (idx == TM_R_P_DISTANCE && strcmp(param, "max_km") == 0) {
        double d;
        if (!parse_double(v, &d) || d < 0) {
            parse_error(error, w, "expected a finite number >= 0, got '%s'", v);
            goto out;
        }
        r->max_km = d;
        ok = TRUE;
    } else {
        parse_error(error, w, "rule %s has no parameter '%s'", code, param);
    }
out:
    g_free(code);
    g_free(v);
    return ok;
}

static gboolean years_consistent(const TmRules *r, const Where *w, GError **error)
{
    if (r->years_min > r->years_max) {
        parse_error(error, w, "C_YEARS.min (%" G_GINT32_FORMAT ") exceeds C_YEARS.max (%"
                    G_GINT32_FORMAT ")", r->years_min, r->years_max);
        return FALSE;
    }
    return TRUE;
}

gboolean tm_rules_set(TmRules *rules, const char *key, const char *value, GError **error)
{
    if (null_arg(rules, "rules", error) || null_arg(key, "key", error)
        || null_arg(value, "value", error))
        return FALSE;
    TmRules tmp = *rules;
    Where w = { "tm_rules_set", "rules", key };
    if (!rules_key(&tmp, key, value, &w, error) || !years_consistent(&tmp, &w, error))
        return FALSE;
    *rules = tmp;
    return TRUE;
}

static gboolean weights_key(TmRules *r, int side, const char *key, const char *raw,
                            const Where *w, GError **error)
{
    int comp = -1;
    for (int i = 0; i < TM_N_SCORE_COMPONENTS; i++)
        if (strcmp(key, COMPONENT_NAMES[i]) == 0)
            comp = i;
    if (comp < 0) {
        parse_error(error, w, "unknown score component (expected sector, tags, title, years, "
                    "distance or merit)");
        return FALSE;
    }
    char *v = g_strstrip(g_strdup(raw));
    double d;
    gboolean ok = parse_double(v, &d) && d >= 0;
    if (!ok)
        parse_error(error, w, "expected a finite number >= 0, got '%s'", v);
    else
        r->weight[side][comp] = d;
    g_free(v);
    return ok;
}

static gboolean scoring_key(TmRules *r, const char *key, const char *raw, const Where *w,
                            GError **error)
{
    if (strcmp(key, "distance_scale_km") != 0) {
        parse_error(error, w, "unknown key (expected distance_scale_km)");
        return FALSE;
    }
    char *v = g_strstrip(g_strdup(raw));
    double d;
    gboolean ok = parse_double(v, &d) && d > 0;
    if (!ok)
        parse_error(error, w, "expected a finite number > 0, got '%s'", v);
    else
        r->distance_scale = d;
    g_free(v);
    return ok;
}

static gboolean candidates_key(TmRules *r, const char *key, const char *raw, const Where *w,
                               GError **error)
{
    char *v = g_strstrip(g_strdup(raw));
    gboolean ok = FALSE;
    int64_t x = 0;
    TmCandidateParams *c = &r->cand;
    if (strcmp(key, "k") == 0) {
        if (g_ascii_strcasecmp(v, "auto") == 0)
            x = -1, ok = TRUE;
        else
            ok = parse_int64(v, -1, G_MAXINT32, &x);
        if (ok)
            c->k = (int32_t)x;
        else
            parse_error(error, w, "expected auto or an integer >= 0, got '%s'", v);
    } else if (strcmp(key, "site_k") == 0) {
        if (g_ascii_strcasecmp(v, "same") == 0)
            x = -1, ok = TRUE;
        else
            ok = parse_int64(v, -1, G_MAXINT32, &x);
        if (ok)
            c->site_k = (int32_t)x;
        else
            parse_error(error, w, "expected same or an integer >= 0, got '%s'", v);
    } else if (strcmp(key, "exact_limit") == 0) {
        ok = parse_int64(v, 0, G_MAXINT64, &x);
        if (ok)
            c->exact_limit = x;
        else
            parse_error(error, w, "expected an integer >= 0, got '%s'", v);
    } else if (strcmp(key, "auto_k") == 0) {
        ok = parse_int64(v, 1, G_MAXINT32, &x);
        if (ok)
            c->auto_k = (int32_t)x;
        else
            parse_error(error, w, "expected an integer > 0, got '%s'", v);
    } else if (strcmp(key, "budget") == 0 || strcmp(key, "site_budget") == 0) {
        ok = parse_int64(v, 0, G_MAXINT32, &x);
        if (!ok)
            parse_error(error, w, "expected an integer >= 0, got '%s'", v);
        else if (key[0] == 'b')
            c->budget = (int32_t)x;
        else
            c->site_budget = (int32_t)x;
    } else if (strcmp(key, "seed") == 0) {
        char *end = NULL;
        errno = 0;
        guint64 s = v[0] == '-' ? 0 : g_ascii_strtoull(v, &end, 10);
        ok = v[0] != '\0' && v[0] != '-' && errno == 0 && end != v && *end == '\0';
        if (ok)
            c->seed = s;
        else
            parse_error(error, w, "expected an unsigned integer, got '%s'", v);
    } else {
        parse_error(error, w, "unknown key (expected k, site_k, exact_limit, auto_k, budget, "
                    "site_budget or seed)");
    }
    g_free(v);
    return ok;
}

typedef enum { G_RULES, G_WC, G_WS, G_SCORING, G_CANDIDATES, G_OTHER } GroupKind;

static GroupKind group_kind(const char *g)
{
    if (strcmp(g, "rules") == 0)
        return G_RULES;
    if (strcmp(g, "weights.commissioner") == 0)
        return G_WC;
    if (strcmp(g, "weights.site") == 0)
        return G_WS;
    if (strcmp(g, "scoring") == 0)
        return G_SCORING;
    if (strcmp(g, "candidates") == 0)
        return G_CANDIDATES;
    return G_OTHER;
}

static gboolean apply_keyfile(TmRules *rules, GKeyFile *kf, const char *source, GError **error)
{
    TmRules tmp = *rules;
    gboolean ok = TRUE;
    gsize n_groups = 0;
    char **groups = g_key_file_get_groups(kf, &n_groups);
    for (gsize g = 0; ok && g < n_groups; g++) {
        GroupKind kind = group_kind(groups[g]);
        if (kind == G_OTHER)
            continue;
        char **keys = g_key_file_get_keys(kf, groups[g], NULL, NULL);
        for (gsize k = 0; ok && keys && keys[k]; k++) {
            Where w = { source, groups[g], keys[k] };
            GError *e = NULL;
            char *val = g_key_file_get_string(kf, groups[g], keys[k], &e);
            if (val == NULL) {
                parse_error(error, &w, "%s", e ? e->message : "unreadable value");
                g_clear_error(&e);
                ok = FALSE;
                break;
            }
            switch (kind) {
            case G_RULES: ok = rules_key(&tmp, keys[k], val, &w, error); break;
            case G_WC: ok = weights_key(&tmp, TM_SIDE_SUPPLY, keys[k], val, &w, error); break;
            case G_WS: ok = weights_key(&tmp, TM_SIDE_DEMAND, keys[k], val, &w, error); break;
            case G_SCORING: ok = scoring_key(&tmp, keys[k], val, &w, error); break;
            case G_CANDIDATES: ok = candidates_key(&tmp, keys[k], val, &w, error); break;
            default: break;
            }
            g_free(val);
        }
        g_strfreev(keys);
    }
    g_strfreev(groups);
    if (ok) {
        Where w = { source, "rules", "C_YEARS" };
        ok = years_consistent(&tmp, &w, error);
    }
    if (ok)
        *rules = tmp;
    return ok;
}

gboolean tm_rules_load_data(TmRules *rules, const char *data, gssize len,
                            const char *source_name, GError **error)
{
    if (null_arg(rules, "rules", error) || null_arg(data, "data", error))
        return FALSE;
    const char *source = source_name ? source_name : "<data>";
    gsize n = len < 0 ? strlen(data) : (gsize)len;
    GKeyFile *kf = g_key_file_new();
    GError *e = NULL;
    if (!g_key_file_load_from_data(kf, data, n, G_KEY_FILE_NONE, &e)) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s: %s", source, e->message);
        g_error_free(e);
        g_key_file_free(kf);
        return FALSE;
    }
    gboolean ok = apply_keyfile(rules, kf, source, error);
    g_key_file_free(kf);
    return ok;
}

gboolean tm_rules_load_file(TmRules *rules, const char *path, GError **error)
{
    if (null_arg(rules, "rules", error) || null_arg(path, "path", error))
        return FALSE;
    char *data = NULL;
    gsize len = 0;
    GError *e = NULL;
    if (!g_file_get_contents(path, &data, &len, &e)) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: %s", path, e->message);
        g_error_free(e);
        return FALSE;
    }
    gboolean ok = tm_rules_load_data(rules, data, (gssize)len, path, error);
    g_free(data);
    return ok;
}

static void set_double(GKeyFile *kf, const char *g, const char *k, double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_key_file_set_value(kf, g, k, g_ascii_dtostr(buf, sizeof buf, v));
}

char *tm_rules_to_data(const TmRules *rules, gsize *len)
{
    if (rules == NULL) {
        if (len)
            *len = 0;
        return NULL;
    }
    GKeyFile *kf = g_key_file_new();
    char key[64];
    for (int i = 0; i < TM_R_COUNT; i++)
        g_key_file_set_value(kf, "rules", RULES[i].code, rules->enabled[i] ? "true" : "false");
    g_key_file_set_value(kf, "rules", "C_TITLE.min_title",
                         tm_title_code((TmTitle)rules->min_title));
    GString *s = g_string_new(NULL);
    for (int k = 0; k < TM_N_UNIT_KINDS; k++)
        if (rules->unit_allowed & (1u << k))
            g_string_append_printf(s, "%s%s", s->len ? ";" : "", tm_unit_kind_code(k));
    g_key_file_set_value(kf, "rules", "C_UNIT.allowed", s->str);
    g_string_truncate(s, 0);
    g_key_file_set_integer(kf, "rules", "C_YEARS.min", rules->years_min);
    g_key_file_set_integer(kf, "rules", "C_YEARS.max", rules->years_max);
    for (int k = 0; k < TM_N_SITE_KINDS; k++)
        if (rules->site_kinds & (1u << k))
            g_string_append_printf(s, "%s%s", s->len ? ";" : "", tm_site_kind_code(k));
    g_key_file_set_value(kf, "rules", "S_KIND.eligible", s->str);
    g_string_free(s, TRUE);
    g_key_file_set_integer(kf, "rules", "P_SECTOR.min_level", rules->min_level);
    set_double(kf, "rules", "P_DISTANCE.max_km", rules->max_km);
    static const char *const wg[2] = { "weights.commissioner", "weights.site" };
    for (int side = 0; side < 2; side++)
        for (int c = 0; c < TM_N_SCORE_COMPONENTS; c++)
            set_double(kf, wg[side], COMPONENT_NAMES[c], rules->weight[side][c]);
    set_double(kf, "scoring", "distance_scale_km", rules->distance_scale);
    const TmCandidateParams *c = &rules->cand;
    if (c->k < 0)
        g_key_file_set_value(kf, "candidates", "k", "auto");
    else
        g_key_file_set_integer(kf, "candidates", "k", c->k);
    if (c->site_k < 0)
        g_key_file_set_value(kf, "candidates", "site_k", "same");
    else
        g_key_file_set_integer(kf, "candidates", "site_k", c->site_k);
    g_snprintf(key, sizeof key, "%" G_GINT64_FORMAT, c->exact_limit);
    g_key_file_set_value(kf, "candidates", "exact_limit", key);
    g_key_file_set_integer(kf, "candidates", "auto_k", c->auto_k);
    g_key_file_set_integer(kf, "candidates", "budget", c->budget);
    g_key_file_set_integer(kf, "candidates", "site_budget", c->site_budget);
    g_snprintf(key, sizeof key, "%" G_GUINT64_FORMAT, c->seed);
    g_key_file_set_value(kf, "candidates", "seed", key);
    char *out = g_key_file_to_data(kf, len, NULL);
    g_key_file_free(kf);
    return out;
}

/* ---- screening ---------------------------------------------------------- */

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
    if (r->enabled[TM_R_C_DIRECTION]) {
        gboolean any = c->n_ranked_sites > 0;
        for (int32_t i = 0; !any && i < c->n_expertise; i++)
            any = c->expertise[i].level >= 1;
        if (!any)
            m |= 1u << TM_R_C_DIRECTION;
    }
    if (r->enabled[TM_R_C_YEARS] && (c->years < r->years_min || c->years > r->years_max))
        m |= 1u << TM_R_C_YEARS;
    return m;
}

uint32_t tm_i_site_mask(const TmRules *r, const TmSite *s)
{
    uint32_t m = 0;
    if (r->enabled[TM_R_S_KIND]
        && ((int)s->kind < 0 || (int)s->kind >= TM_N_SITE_KINDS
            || !(r->site_kinds & (1u << s->kind))))
        m |= 1u << TM_R_S_KIND;
    if (r->enabled[TM_R_S_CLINIC] && s->kind == TM_SITE_COMMUNITY && !s->has_clinic)
        m |= 1u << TM_R_S_CLINIC;
    return m;
}

static int8_t first_bit(uint32_t m)
{
    for (int8_t i = 0; i < TM_R_COUNT; i++)
        if (m & (1u << i))
            return i;
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
    TmScreening *s = g_new0(TmScreening, 1);
    s->n[0] = tm_programme_n_commissioners(programme);
    s->n[1] = tm_programme_n_sites(programme);
    for (int side = 0; side < 2; side++) {
        s->first[side] = tm_i_prog_alloc(s->n[side], sizeof(int8_t), FALSE, "screening",
                                         error);
        s->mask[side] = tm_i_prog_alloc(s->n[side], sizeof(uint16_t), FALSE, "screening",
                                        error);
        if (s->first[side] == NULL || s->mask[side] == NULL) {
            tm_screening_free(s);
            return NULL;
        }
    }
    for (int side = 0; side < 2; side++) {
        for (int32_t i = 0; i < s->n[side]; i++) {
            uint32_t m;
            if (side == 0)
                m = tm_i_commissioner_mask(rules, tm_programme_commissioner(programme, i));
            else
                m = tm_i_site_mask(rules, tm_programme_site(programme, i));
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

const char *tm_screening_site_reason(const TmScreening *s, int32_t site)
{
    return tm_screening_reason(s, TM_SIDE_DEMAND, site);
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
