/* techmatch — programme layer: a policy sweep, a grid of settings over one
 * programme's configuration (sweep.h). */
#include <stdarg.h>
#include <string.h>

#include <techmatch/sweep.h>

#include "programme/config_internal.h"

#define SELECT_GROUP "select"

typedef struct {
    char *group; /* a programme.ini group, or SELECT_GROUP */
    char *key;
    char *value;
} Setting;

typedef struct {
    char *name;
    char *setting;   /* "GROUP/KEY", or NULL for variants */
    GPtrArray *labels; /* char *: the value texts or the variant names */
    GPtrArray *sets;   /* per value: GArray of Setting */
} Axis;

struct TmSweep {
    char *source;
    Axis *axes;
    int32_t n_axes;
    int64_t n_jobs;
};

static void setting_clear(gpointer p)
{
    Setting *s = p;
    g_free(s->group);
    g_free(s->key);
    g_free(s->value);
}

static GArray *settings_new(void)
{
    GArray *a = g_array_new(FALSE, TRUE, sizeof(Setting));
    g_array_set_clear_func(a, setting_clear);
    return a;
}

static void settings_free(gpointer p)
{
    g_array_free(p, TRUE);
}

void tm_sweep_free(TmSweep *sweep)
{
    if (sweep == NULL)
        return;
    for (int32_t a = 0; a < sweep->n_axes; a++) {
        Axis *ax = &sweep->axes[a];
        g_free(ax->name);
        g_free(ax->setting);
        if (ax->labels)
            g_ptr_array_free(ax->labels, TRUE);
        if (ax->sets)
            g_ptr_array_free(ax->sets, TRUE);
    }
    g_free(sweep->axes);
    g_free(sweep->source);
    g_free(sweep);
}

/* [a-z0-9_-]+ */
static gboolean valid_name(const char *s)
{
    if (s == NULL || *s == '\0')
        return FALSE;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return FALSE;
    return TRUE;
}

/* Splits "GROUP/KEY" (trimmed, both parts non-empty, no blanks, one '/');
 * select/ takes objective or stability only.  FALSE with a message. */
static gboolean split_setting(const char *text, char **group, char **key, const char **why)
{
    const char *slash = strchr(text, '/');
    if (slash == NULL || slash == text || slash[1] == '\0' || strchr(slash + 1, '/') != NULL) {
        *why = "expected GROUP/KEY (a group and a key of programme.ini, e.g. quota/total)";
        return FALSE;
    }
    /* as programme.ini's names; GKeyFile refuses others (a control character
     * in the group: g_key_file_set_value() would drop the setting; a KEY
     * starting with '#' would be written back as a comment) */
    for (const char *c = text; *c; c++)
        if (!(g_ascii_isalnum(*c) || *c == '_' || *c == '.' || *c == '-' || *c == '/')) {
            *why = "GROUP/KEY is made of letters, digits, '_', '.' and '-' (as programme.ini's)";
            return FALSE;
        }
    *group = g_strndup(text, (gsize)(slash - text));
    *key = g_strdup(slash + 1);
    if (strcmp(*group, SELECT_GROUP) == 0 && strcmp(*key, "objective") != 0
        && strcmp(*key, "stability") != 0) {
        g_clear_pointer(group, g_free);
        g_clear_pointer(key, g_free);
        *why = "select/ takes objective or stability";
        return FALSE;
    }
    return TRUE;
}

/* Splits the raw text of a list (as written in the file) on each ';' not
 * written `\;`: a `\;` becomes ';' and every other escape stays as written,
 * so that a value reaches programme.ini exactly as the grid spells it (and
 * programme.ini's reader unescapes it once, as it would its own).  Like
 * GKeyFile, one ';' at the very end is a terminator, not an empty value.
 * (g_strfreev()) */
static char **split_raw_list(const char *text)
{
    GPtrArray *parts = g_ptr_array_new();
    GString *cur = g_string_new(NULL);
    gboolean pending = FALSE; /* a piece has begun (text or a separator seen) */
    for (const char *c = text; *c; c++) {
        if (*c == '\\' && c[1] != '\0') {
            if (c[1] != ';')
                g_string_append_c(cur, '\\');
            g_string_append_c(cur, c[1]);
            c++;
            pending = TRUE;
        } else if (*c == ';') {
            g_ptr_array_add(parts, g_string_free(cur, FALSE));
            cur = g_string_new(NULL);
            pending = FALSE;
        } else {
            g_string_append_c(cur, *c);
            pending = TRUE;
        }
    }
    if (pending)
        g_ptr_array_add(parts, g_string_free(cur, FALSE));
    else
        g_string_free(cur, TRUE);
    g_ptr_array_add(parts, NULL);
    return (char **)g_ptr_array_free(parts, FALSE);
}

static gboolean has_label(const GPtrArray *labels, const char *s)
{
    for (guint i = 0; i < labels->len; i++)
        if (strcmp(g_ptr_array_index(labels, i), s) == 0)
            return TRUE;
    return FALSE;
}

/* Reads axis group @g ("axis.NAME") into @ax. */
static gboolean read_axis(const TmConfigSource *src, const char *g, Axis *ax, GError **error)
{
    GKeyFile *kf = src->kf;
    ax->name = g_strdup(g + strlen("axis."));
    ax->labels = g_ptr_array_new_with_free_func(g_free);
    ax->sets = g_ptr_array_new_with_free_func(settings_free);
    char **keys = g_key_file_get_keys(kf, g, NULL, NULL);
    gboolean ok = TRUE;
    for (char **k = keys; ok && k && *k; k++)
        if (strcmp(*k, "setting") != 0 && strcmp(*k, "values") != 0
            && strcmp(*k, "variants") != 0) {
            tm_i_config_error(error, src, g, *k,
                              "unknown key (an axis has setting and values, or variants)");
            ok = FALSE;
        }
    g_strfreev(keys);
    if (!ok)
        return FALSE;
    gboolean has_setting = g_key_file_has_key(kf, g, "setting", NULL);
    gboolean has_values = g_key_file_has_key(kf, g, "values", NULL);
    gboolean has_variants = g_key_file_has_key(kf, g, "variants", NULL);
    if (has_variants && (has_setting || has_values)) {
        tm_i_config_error(error, src, g, "variants",
                          "an axis has either setting and values or variants, not both");
        return FALSE;
    }
    if (!has_variants && !(has_setting && has_values)) {
        tm_i_config_error(error, src, g, has_setting ? "setting" : (has_values ? "values" : NULL),
                          "an axis needs setting and values (or variants)");
        return FALSE;
    }
    const char *list_key = has_variants ? "variants" : "values";
    char *list_text = g_key_file_get_value(kf, g, list_key, NULL);
    char **vals = split_raw_list(list_text ? list_text : "");
    g_free(list_text);
    char *group = NULL, *key = NULL;
    if (has_setting) {
        char *text = g_key_file_get_value(kf, g, "setting", NULL);
        const char *why = NULL;
        g_strstrip(text);
        if (!split_setting(text, &group, &key, &why)) {
            tm_i_config_error(error, src, g, "setting", "'%s': %s", text, why);
            ok = FALSE;
        } else {
            ax->setting = g_strdup(text);
        }
        g_free(text);
    }
    for (char **v = vals; ok && v && *v; v++) {
        g_strstrip(*v);
        if (**v == '\0') {
            tm_i_config_error(error, src, g, list_key, "an empty value");
            ok = FALSE;
        } else if (has_variants && !valid_name(*v)) {
            tm_i_config_error(error, src, g, list_key,
                              "variant '%s': a name is [a-z0-9_-]+", *v);
            ok = FALSE;
        } else if (has_label(ax->labels, *v)) {
            tm_i_config_error(error, src, g, list_key, "'%s' is given twice", *v);
            ok = FALSE;
        } else {
            g_ptr_array_add(ax->labels, g_strdup(*v));
            GArray *sets = settings_new();
            if (has_setting) {
                Setting s = {g_strdup(group), g_strdup(key), g_strdup(*v)};
                g_array_append_val(sets, s);
            }
            g_ptr_array_add(ax->sets, sets);
        }
    }
    if (ok && ax->labels->len == 0) {
        tm_i_config_error(error, src, g, list_key, "no value");
        ok = FALSE;
    }
    g_strfreev(vals);
    g_free(group);
    g_free(key);
    return ok;
}

/* Reads a variant group "axis.NAME.VARIANT" into its axis. */
static gboolean read_variant(const TmConfigSource *src, const char *g, TmSweep *sw,
                             GError **error)
{
    const char *rest = g + strlen("axis.");
    const char *dot = strchr(rest, '.');
    char *axis_name = g_strndup(rest, (gsize)(dot - rest));
    const char *variant = dot + 1;
    Axis *ax = NULL;
    for (int32_t a = 0; a < sw->n_axes; a++)
        if (strcmp(sw->axes[a].name, axis_name) == 0)
            ax = &sw->axes[a];
    g_free(axis_name);
    if (ax == NULL || ax->setting != NULL) {
        tm_i_config_error(error, src, g, NULL,
                          ax == NULL ? "no [axis.NAME] group for this variant"
                                     : "the axis has a setting, not variants");
        return FALSE;
    }
    guint v = 0;
    while (v < ax->labels->len && strcmp(g_ptr_array_index(ax->labels, v), variant) != 0)
        v++;
    if (v == ax->labels->len) {
        tm_i_config_error(error, src, g, NULL, "'%s' is not in the axis's variants", variant);
        return FALSE;
    }
    GArray *sets = g_ptr_array_index(ax->sets, v);
    char **keys = g_key_file_get_keys(src->kf, g, NULL, NULL);
    gboolean ok = TRUE;
    for (char **k = keys; ok && k && *k; k++) {
        Setting s = {NULL, NULL, NULL};
        const char *why = NULL;
        if (!split_setting(*k, &s.group, &s.key, &why)) {
            tm_i_config_error(error, src, g, *k, "%s", why);
            ok = FALSE;
            break;
        }
        s.value = g_key_file_get_value(src->kf, g, *k, NULL);
        g_strstrip(s.value);
        g_array_append_val(sets, s);
    }
    g_strfreev(keys);
    return ok;
}

/* GKeyFile merges a group given twice into one: a second [axis.NAME] would
 * silently change the first.  FALSE with `SOURCE:LINE: [group]: ...` at the
 * second header (headers found as config_source.c's index finds them). */
static gboolean check_unique_groups(const char *data, gsize len, const char *source,
                                    GError **error)
{
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    gboolean ok = TRUE;
    int lineno = 0;
    for (gsize pos = 0; ok && pos < len; lineno++) {
        const char *start = data + pos;
        const char *nl = memchr(start, '\n', len - pos);
        gsize n = nl ? (gsize)(nl - start) : len - pos;
        pos += n + (nl != NULL);
        while (n > 0 && g_ascii_isspace(*start)) {
            start++;
            n--;
        }
        if (n == 0 || *start != '[')
            continue;
        const char *close = memchr(start, ']', n);
        if (close == NULL)
            continue;
        char *group = g_strndup(start + 1, (gsize)(close - start - 1));
        gpointer first = g_hash_table_lookup(seen, group);
        if (first != NULL) {
            char *text = g_strdup_printf("%s:%d: [%s]: the group is given twice (first at line %d)",
                                         source, lineno + 1, group, GPOINTER_TO_INT(first));
            char *valid = g_utf8_make_valid(text, -1);
            g_set_error_literal(error, TM_ERROR, TM_ERROR_PARSE, valid);
            g_free(valid);
            g_free(text);
            g_free(group);
            ok = FALSE;
        } else {
            g_hash_table_insert(seen, group, GINT_TO_POINTER(lineno + 1));
        }
    }
    g_hash_table_destroy(seen);
    return ok;
}

static TmSweep *sweep_from_source(const TmConfigSource *src, GError **error)
{
    TmSweep *sw = g_new0(TmSweep, 1);
    sw->source = g_strdup(src->source);
    char **groups = g_key_file_get_groups(src->kf, NULL);
    guint n_groups = groups ? g_strv_length(groups) : 0;
    sw->axes = g_new0(Axis, n_groups > 0 ? n_groups : 1);
    gboolean ok = TRUE;
    /* axes first (in file order), then the variants' groups */
    for (guint i = 0; ok && i < n_groups; i++) {
        const char *g = groups[i];
        const char *name = g_str_has_prefix(g, "axis.") ? g + strlen("axis.") : NULL;
        if (name == NULL) {
            tm_i_config_error(error, src, g, NULL,
                              "unknown group (expected [axis.NAME] or [axis.NAME.VARIANT])");
            ok = FALSE;
        } else if (strchr(name, '.') == NULL) {
            if (!valid_name(name)) {
                tm_i_config_error(error, src, g, NULL, "an axis name is [a-z0-9_-]+");
                ok = FALSE;
            } else if (sw->n_axes == TM_SWEEP_MAX_AXES) {
                tm_i_config_error(error, src, g, NULL, "more than %d axes",
                                  TM_SWEEP_MAX_AXES);
                ok = FALSE;
            } else {
                ok = read_axis(src, g, &sw->axes[sw->n_axes++], error);
            }
        }
    }
    for (guint i = 0; ok && i < n_groups; i++) {
        const char *name = groups[i] + strlen("axis.");
        if (strchr(name, '.') != NULL)
            ok = read_variant(src, groups[i], sw, error);
    }
    g_strfreev(groups);
    if (ok && sw->n_axes == 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s: no [axis.NAME] group: nothing to sweep",
                    src->source);
        ok = FALSE;
    }
    sw->n_jobs = 1;
    for (int32_t a = 0; ok && a < sw->n_axes; a++) {
        sw->n_jobs *= (int64_t)sw->axes[a].labels->len;
        if (sw->n_jobs > TM_SWEEP_MAX_JOBS) {
            g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW,
                        "%s: more than %d jobs (the product of the axes' sizes)", src->source,
                        TM_SWEEP_MAX_JOBS);
            ok = FALSE;
        }
    }
    if (!ok) {
        tm_sweep_free(sw);
        return NULL;
    }
    return sw;
}

TmSweep *tm_sweep_load_data(const char *data, gssize len, const char *source_name,
                            GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (data == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "data must not be NULL");
        return NULL;
    }
    TmConfigSource *src = tm_i_config_source_new(data, len, source_name, error);
    if (src == NULL)
        return NULL;
    TmSweep *sw = check_unique_groups(data, len < 0 ? strlen(data) : (gsize)len, src->source,
                                      error)
                      ? sweep_from_source(src, error)
                      : NULL;
    tm_i_config_source_free(src);
    return sw;
}

TmSweep *tm_sweep_load_file(const char *path, GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    gsize len = 0;
    char *data = tm_i_config_read_file(path, &len, error);
    if (data == NULL)
        return NULL;
    TmSweep *sw = tm_sweep_load_data(data, (gssize)len, path, error);
    g_free(data);
    return sw;
}

const char *tm_sweep_source(const TmSweep *sweep)
{
    return sweep ? sweep->source : NULL;
}

int32_t tm_sweep_n_axes(const TmSweep *sweep)
{
    return sweep ? sweep->n_axes : 0;
}

static const Axis *axis_at(const TmSweep *sweep, int32_t axis)
{
    return sweep != NULL && axis >= 0 && axis < sweep->n_axes ? &sweep->axes[axis] : NULL;
}

const char *tm_sweep_axis_name(const TmSweep *sweep, int32_t axis)
{
    const Axis *ax = axis_at(sweep, axis);
    return ax ? ax->name : NULL;
}

const char *tm_sweep_axis_setting(const TmSweep *sweep, int32_t axis)
{
    const Axis *ax = axis_at(sweep, axis);
    return ax ? ax->setting : NULL;
}

int32_t tm_sweep_axis_n_values(const TmSweep *sweep, int32_t axis)
{
    const Axis *ax = axis_at(sweep, axis);
    return ax ? (int32_t)ax->labels->len : 0;
}

const char *tm_sweep_axis_value(const TmSweep *sweep, int32_t axis, int32_t value)
{
    const Axis *ax = axis_at(sweep, axis);
    if (ax == NULL || value < 0 || (guint)value >= ax->labels->len)
        return NULL;
    return g_ptr_array_index(ax->labels, value);
}

int64_t tm_sweep_n_jobs(const TmSweep *sweep)
{
    return sweep ? sweep->n_jobs : 0;
}

int32_t tm_sweep_job_value(const TmSweep *sweep, int64_t job, int32_t axis)
{
    if (axis_at(sweep, axis) == NULL || job < 0 || job >= sweep->n_jobs)
        return -1;
    /* the last axis varies fastest */
    for (int32_t a = sweep->n_axes - 1; a > axis; a--)
        job /= (int64_t)sweep->axes[a].labels->len;
    return (int32_t)(job % (int64_t)sweep->axes[axis].labels->len);
}

static gboolean check_job(const TmSweep *sweep, int64_t job, GError **error)
{
    if (sweep == NULL || job < 0 || job >= sweep->n_jobs) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "sweep job %" G_GINT64_FORMAT " is out of range (%" G_GINT64_FORMAT " jobs)",
                    job, sweep ? sweep->n_jobs : 0);
        return FALSE;
    }
    return TRUE;
}

static const GArray *job_settings(const TmSweep *sweep, int64_t job, int32_t axis)
{
    return g_ptr_array_index(sweep->axes[axis].sets, tm_sweep_job_value(sweep, job, axis));
}

/* Sets @error to the printf text, made valid UTF-8: the names and values
 * it quotes are the grid's bytes as written. */
static void set_job_error(GError **error, GQuark domain, int code, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
static void set_job_error(GError **error, GQuark domain, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *valid = g_utf8_make_valid(text, -1);
    g_set_error_literal(error, domain, code, valid);
    g_free(valid);
    g_free(text);
}

/* "SWEEP: job N (AXIS=VALUE, ...)" */
static char *job_label(const TmSweep *sweep, int64_t job)
{
    GString *s = g_string_new(NULL);
    g_string_printf(s, "%s: job %" G_GINT64_FORMAT " (", sweep->source, job);
    for (int32_t a = 0; a < sweep->n_axes; a++)
        g_string_append_printf(s, "%s%s=%s", a ? ", " : "", sweep->axes[a].name,
                               tm_sweep_axis_value(sweep, a, tm_sweep_job_value(sweep, job, a)));
    g_string_append_c(s, ')');
    return g_string_free(s, FALSE);
}

char *tm_sweep_job_config_text(const TmSweep *sweep, int64_t job, const char *base, gssize len,
                               GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (!check_job(sweep, job, error))
        return NULL;
    GKeyFile *kf = g_key_file_new();
    GError *e = NULL;
    if (base != NULL && len != 0 && *base != '\0'
        && !g_key_file_load_from_data(kf, base, len < 0 ? (gsize)-1 : (gsize)len,
                                      G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS,
                                      &e)) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "the base configuration: %s", e->message);
        g_error_free(e);
        g_key_file_free(kf);
        return NULL;
    }
    for (int32_t a = 0; a < sweep->n_axes; a++) {
        const GArray *sets = job_settings(sweep, job, a);
        for (guint i = 0; i < sets->len; i++) {
            const Setting *s = &g_array_index(sets, Setting, i);
            if (strcmp(s->group, SELECT_GROUP) != 0)
                g_key_file_set_value(kf, s->group, s->key, s->value);
        }
    }
    char *text = g_key_file_to_data(kf, NULL, NULL);
    g_key_file_free(kf);
    return text;
}

/* The setting of job @job that @message names ("[GROUP] KEY:"), if any;
 * else one whose group it names ("[GROUP]:", an unknown group or sector
 * code the sweep brought in). */
static const Setting *named_setting(const TmSweep *sweep, int64_t job, const char *message)
{
    for (int pass = 0; pass < 2; pass++)
        for (int32_t a = 0; a < sweep->n_axes; a++) {
            const GArray *sets = job_settings(sweep, job, a);
            for (guint i = 0; i < sets->len; i++) {
                const Setting *s = &g_array_index(sets, Setting, i);
                char *needle = pass == 0 ? g_strdup_printf("[%s] %s:", s->group, s->key)
                                         : g_strdup_printf("[%s]:", s->group);
                gboolean hit = strstr(message, needle) != NULL;
                g_free(needle);
                if (hit)
                    return s;
            }
        }
    return NULL;
}

TmConfig *tm_sweep_job_config(const TmSweep *sweep, int64_t job, const char *dir, GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (!check_job(sweep, job, error))
        return NULL;
    if (dir == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "directory must not be NULL");
        return NULL;
    }
    char *path = g_build_filename(dir, TM_CONFIG_FILE_NAME, NULL);
    char *base = NULL;
    gsize base_len = 0;
    TmConfig *cfg = NULL;
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        /* the base alone first: its own errors keep their own lines */
        TmConfig *plain = tm_config_load_file(path, error);
        if (plain == NULL)
            goto out;
        tm_config_free(plain);
        if ((base = tm_i_config_read_file(path, &base_len, error)) == NULL)
            goto out;
    }
    char *text = tm_sweep_job_config_text(sweep, job, base, (gssize)base_len, error);
    if (text == NULL)
        goto out;
    char *name = g_strdup_printf("%s (sweep job %" G_GINT64_FORMAT ")", path, job);
    GError *e = NULL;
    cfg = tm_config_load_data(text, -1, name, &e);
    g_free(name);
    g_free(text);
    if (cfg == NULL) {
        char *label = job_label(sweep, job);
        const Setting *s = named_setting(sweep, job, e->message);
        if (s != NULL)
            set_job_error(error, e->domain, e->code, "%s: [%s] %s=%s: %s", label, s->group,
                          s->key, s->value, e->message);
        else
            set_job_error(error, e->domain, e->code, "%s: %s", label, e->message);
        g_free(label);
        g_error_free(e);
    }
out:
    g_free(base);
    g_free(path);
    return cfg;
}

gboolean tm_sweep_job_options(const TmSweep *sweep, int64_t job, TmSelectOptions *options,
                              GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
    if (!check_job(sweep, job, error))
        return FALSE;
    if (options == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "options must not be NULL");
        return FALSE;
    }
    for (int32_t a = 0; a < sweep->n_axes; a++) {
        const GArray *sets = job_settings(sweep, job, a);
        for (guint i = 0; i < sets->len; i++) {
            const Setting *s = &g_array_index(sets, Setting, i);
            if (strcmp(s->group, SELECT_GROUP) != 0)
                continue;
            const char *why = NULL;
            if (strcmp(s->key, "objective") == 0) {
                int obj = tm_objective_from_string(s->value);
                if (obj < 0 || !tm_select_options_set_objective(options, (TmObjective)obj, NULL))
                    why = "unknown objective (supply-optimal, demand-optimal, egalitarian, "
                          "min-regret, max-weight or balanced)";
            } else {
                TmStability st = TM_STABILITY_WEAK;
                if (strcmp(s->value, "strong") == 0)
                    st = TM_STABILITY_STRONG;
                else if (strcmp(s->value, "super") == 0)
                    st = TM_STABILITY_SUPER;
                else if (strcmp(s->value, "weak") != 0)
                    why = "unknown stability (weak, strong or super)";
                if (why == NULL)
                    tm_select_options_set_stability(options, st, NULL);
            }
            if (why != NULL) {
                char *label = job_label(sweep, job);
                set_job_error(error, TM_ERROR, TM_ERROR_PARSE, "%s: [%s] %s=%s: %s", label,
                              s->group, s->key, s->value, why);
                g_free(label);
                return FALSE;
            }
        }
    }
    return TRUE;
}

gboolean tm_sweep_check(const TmSweep *sweep, const char *dir, GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
    if (sweep == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "sweep must not be NULL");
        return FALSE;
    }
    for (int64_t j = 0; j < sweep->n_jobs; j++) {
        TmConfig *cfg = tm_sweep_job_config(sweep, j, dir, error);
        if (cfg == NULL)
            return FALSE;
        tm_config_free(cfg);
        TmSelectOptions *o = tm_select_options_new();
        gboolean ok = tm_sweep_job_options(sweep, j, o, error);
        tm_select_options_free(o);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}
