/* techmatch — the rules' part of a configuration file: the groups [rules],
 * [weights.commissioner], [weights.site], [scoring] and [candidates]
 * (format: rules.h), read from the one parsed source (config_internal.h),
 * and written back by tm_rules_to_data(). */
#include "programme/rules_internal.h"
#include "programme/config_internal.h"
#include "programme/consent_private.h"

#include <errno.h>
#include <string.h>

static gboolean null_arg(const void *p, const char *what, GError **error)
{
    if (p == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "%s must not be NULL", what);
        return TRUE;
    }
    return FALSE;
}

/* ---- text values --------------------------------------------------------- */

/* Where a value comes from: the parsed source (NULL for tm_rules_set()),
 * its group and key. */
typedef struct {
    const TmConfigSource *src;
    const char *group;
    const char *key;
} Where;

#define parse_error(error, w, ...) \
    tm_i_config_error((error), (w)->src, (w)->group, (w)->key, __VA_ARGS__)

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
        if (strcmp(code, tm_rule_code(i)) == 0)
            idx = i;
    if (idx < 0) {
        parse_error(error, w, "unknown rule code '%s'", code);
        goto out;
    }
    if (param == NULL) {
        gboolean b;
        if (!tm_i_parse_bool(v, &b)) {
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
        char **items = tm_i_split_list(v);
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
        if (!tm_i_parse_int64(v, 0, 10, &y)) {
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
        if (!tm_i_parse_int64(v, 0, 3, &l)) {
            parse_error(error, w, "expected an integer 0..3, got '%s'", v);
            goto out;
        }
        r->min_level = (int32_t)l;
        ok = TRUE;
    } else if (idx == TM_R_C_DIRECTION && strcmp(param, "target") == 0) {
        gboolean b;
        if (!tm_i_parse_bool(v, &b)) {
            parse_error(error, w, "expected true or false, got '%s'", v);
            goto out;
        }
        r->direction_target = b;
        ok = TRUE;
    } else if (idx == TM_R_S_SECTOR && strcmp(param, "leading") == 0) {
        GError *e = NULL;
        ok = tm_i_leading_set(r, v, &e);
        if (!ok) {
            /* the message without its own "S_SECTOR.leading: " prefix */
            const char *m = strstr(e->message, ": ");
            parse_error(error, w, "%s", m ? m + 2 : e->message);
            g_error_free(e);
        }
    } else if (idx == TM_R_P_DISTANCE && strcmp(param, "max_km") == 0) {
        double d;
        if (!tm_i_parse_double(v, &d) || d < 0) {
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
    Where w = { NULL, "rules", key };
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
        if (strcmp(key, tm_score_component_name(i)) == 0)
            comp = i;
    if (comp < 0) {
        parse_error(error, w, "unknown score component (expected sector, tags, title, years, "
                    "distance, merit, term or tasks)");
        return FALSE;
    }
    char *v = g_strstrip(g_strdup(raw));
    double d;
    gboolean ok = tm_i_parse_double(v, &d) && d >= 0;
    if (!ok) {
        parse_error(error, w, "expected a finite number >= 0, got '%s'", v);
    } else {
        double sum_check[TM_N_SCORE_COMPONENTS];
        memcpy(sum_check, r->weight[side], sizeof sum_check);
        sum_check[comp] = d;
        ok = tm_i_weights_sum_finite(sum_check);
        if (ok)
            r->weight[side][comp] = d;
        else
            parse_error(error, w, "%s: the weights of [%s] would add up to more than the "
                        "largest finite number, so no score could be computed", v, w->group);
    }
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
    gboolean ok = tm_i_parse_double(v, &d) && d > 0;
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
            ok = tm_i_parse_int64(v, -1, G_MAXINT32, &x);
        if (ok)
            c->k = (int32_t)x;
        else
            parse_error(error, w, "expected auto or an integer >= 0, got '%s'", v);
    } else if (strcmp(key, "site_k") == 0) {
        if (g_ascii_strcasecmp(v, "same") == 0)
            x = -1, ok = TRUE;
        else
            ok = tm_i_parse_int64(v, -1, G_MAXINT32, &x);
        if (ok)
            c->site_k = (int32_t)x;
        else
            parse_error(error, w, "expected same or an integer >= 0, got '%s'", v);
    } else if (strcmp(key, "exact_limit") == 0) {
        ok = tm_i_parse_int64(v, 0, G_MAXINT64, &x);
        if (ok)
            c->exact_limit = x;
        else
            parse_error(error, w, "expected an integer >= 0, got '%s'", v);
    } else if (strcmp(key, "auto_k") == 0) {
        ok = tm_i_parse_int64(v, 1, G_MAXINT32, &x);
        if (ok)
            c->auto_k = (int32_t)x;
        else
            parse_error(error, w, "expected an integer > 0, got '%s'", v);
    } else if (strcmp(key, "budget") == 0 || strcmp(key, "site_budget") == 0) {
        ok = tm_i_parse_int64(v, 0, G_MAXINT32, &x);
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

typedef enum { G_RULES, G_WC, G_WS, G_SCORING, G_CANDIDATES, G_CONSENT, G_OTHER } GroupKind;

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
    if (tm_i_consent_owns_group(g))
        return G_CONSENT;
    return G_OTHER;
}

gboolean tm_i_rules_owns_group(const char *group)
{
    return group_kind(group) != G_OTHER;
}

gboolean tm_i_rules_apply(TmRules *rules, const TmConfigSource *src, GError **error)
{
    TmRules tmp = *rules;
    gboolean ok = TRUE;
    char **groups = g_key_file_get_groups(src->kf, NULL);
    for (gsize g = 0; ok && groups[g]; g++) {
        GroupKind kind = group_kind(groups[g]);
        if (kind == G_OTHER)
            continue;
        char **keys = g_key_file_get_keys(src->kf, groups[g], NULL, NULL);
        for (gsize k = 0; ok && keys && keys[k]; k++) {
            Where w = { src, groups[g], keys[k] };
            GError *e = NULL;
            char *val = g_key_file_get_string(src->kf, groups[g], keys[k], &e);
            /* GKeyFile returns a value *and* an error for a bad escape (`x\q`) */
            if (val == NULL || e != NULL) {
                parse_error(error, &w, "%s", e ? e->message : "unreadable value");
                g_clear_error(&e);
                g_free(val);
                ok = FALSE;
                break;
            }
            switch (kind) {
            case G_RULES: ok = rules_key(&tmp, keys[k], val, &w, error); break;
            case G_WC: ok = weights_key(&tmp, TM_SIDE_SUPPLY, keys[k], val, &w, error); break;
            case G_WS: ok = weights_key(&tmp, TM_SIDE_DEMAND, keys[k], val, &w, error); break;
            case G_SCORING: ok = scoring_key(&tmp, keys[k], val, &w, error); break;
            case G_CANDIDATES: ok = candidates_key(&tmp, keys[k], val, &w, error); break;
            case G_CONSENT: ok = tm_i_consent_key(&tmp, src, keys[k], val, error); break;
            default: break;
            }
            g_free(val);
        }
        g_strfreev(keys);
    }
    g_strfreev(groups);
    if (ok) {
        /* a conflict is reported at the later of the two bounds in the file */
        int lg = tm_i_config_line(src, "rules", NULL);
        int lmin = tm_i_config_line(src, "rules", "C_YEARS.min");
        int lmax = tm_i_config_line(src, "rules", "C_YEARS.max");
        gboolean at_max = lmax != lg && (lmin == lg || lmax >= lmin);
        Where w = { src, "rules", at_max ? "C_YEARS.max" : "C_YEARS.min" };
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
    TmConfigSource *src = tm_i_config_source_new(data, len, source_name, error);
    if (src == NULL)
        return FALSE;
    gboolean ok = tm_i_rules_apply(rules, src, error);
    tm_i_config_source_free(src);
    return ok;
}

gboolean tm_rules_load_file(TmRules *rules, const char *path, GError **error)
{
    if (null_arg(rules, "rules", error) || null_arg(path, "path", error))
        return FALSE;
    TmConfigSource *src = tm_i_config_source_new_file(path, error);
    if (src == NULL)
        return FALSE;
    gboolean ok = tm_i_rules_apply(rules, src, error);
    tm_i_config_source_free(src);
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
        g_key_file_set_value(kf, "rules", tm_rule_code(i), rules->enabled[i] ? "true" : "false");
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
    g_key_file_set_value(kf, "rules", "C_DIRECTION.target",
                         rules->direction_target ? "true" : "false");
    g_key_file_set_string(kf, "rules", "S_SECTOR.leading", rules->leading);
    static const char *const wg[2] = { "weights.commissioner", "weights.site" };
    for (int side = 0; side < 2; side++)
        for (int c = 0; c < TM_N_SCORE_COMPONENTS; c++)
            set_double(kf, wg[side], tm_score_component_name(c), rules->weight[side][c]);
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
    tm_i_consent_to_keyfile(rules, kf);
    char *out = g_key_file_to_data(kf, len, NULL);
    g_key_file_free(kf);
    return out;
}


gboolean tm_i_rules_check_taxonomy_at(const TmRules *rules, const TmTaxonomy *taxonomy,
                                      const TmConfigSource *src, GError **error)
{
    GError *e = NULL;
    guint8 *flags = tm_i_leading_resolve(rules, taxonomy, &e);
    if (flags != NULL) {
        g_free(flags);
        return TRUE;
    }
    if (e->code != TM_ERROR_UNKNOWN_NAME) {
        g_propagate_error(error, e);
        return FALSE;
    }
    /* at the list's line when the file sets it, else at the taxonomy that the
     * default list does not fit */
    gboolean own = src != NULL && g_key_file_has_key(src->kf, "rules", "S_SECTOR.leading", NULL);
    Where w = { src, own ? "rules" : "taxonomy", own ? "S_SECTOR.leading" : "sectors" };
    const char *m = strstr(e->message, ": ");
    if (own)
        parse_error(error, &w, "%s", m ? m + 2 : e->message);
    else
        parse_error(error, &w, "%s (S_SECTOR.leading is the default %s)", e->message,
                    rules->leading);
    g_error_free(e);
    return FALSE;
}
