/* techmatch — parsing one cell of the forms (see forms_csv_private.h):
 * numbers, yes/no, lists, names, sectors and coordinates, each with the
 * message naming what is wrong with the value. */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <techmatch/preferences.h>
#include <techmatch/tasks.h>

#include "io/forms_csv_private.h"
#include "util/text.h"

/* Trimmed cell value of @field (NUL-terminated, inside the record's buffer,
 * which it modifies); "" when the column is absent. */
const char *tm_i_form_cell(const FormCtx *ctx, TmCsvRecord *rec, int field)
{
    int col = ctx->col_of[field];
    if (col < 0 || col >= rec->n)
        return "";
    gsize len;
    char *s = (char *)tm_csv_field(rec, col, &len);
    gsize n;
    const char *p = tm_i_trim(s, &n);
    ((char *)p)[n] = '\0';
    return p;
}

gboolean tm_i_form_row_fail(RowError *e, int column, char *message)
{
    e->column = column;
    e->message = message;
    return FALSE;
}

gboolean tm_i_form_bad_cell(const FormCtx *ctx, int field, RowError *e, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    char *message = g_strdup_vprintf(format, ap);
    va_end(ap);
    return tm_i_form_row_fail(e, form_col(ctx, field), message);
}

gboolean tm_i_form_int(const FormCtx *ctx, TmCsvRecord *rec, int field, const char *what,
                       int64_t lo, int64_t hi, int64_t def, int32_t *out, RowError *e)
{
    const char *s = tm_i_form_cell(ctx, rec, field);
    if (*s == '\0') {
        *out = (int32_t)def;
        return TRUE;
    }
    const char *p = s;
    gboolean neg = FALSE;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if (*p == '\0')
        return tm_i_form_bad_cell(ctx, field, e, "%s '%s' is not a whole number", what, s);
    int64_t v = 0;
    gboolean big = FALSE;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return tm_i_form_bad_cell(ctx, field, e, "%s '%s' is not a whole number", what, s);
        if (v > (int64_t)1 << 40)
            big = TRUE;
        else
            v = v * 10 + (*p - '0');
    }
    if (neg)
        v = -v;
    if (big || v < lo || v > hi)
        return tm_i_form_bad_cell(ctx, field, e,
                                  "%s %s is out of range %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT,
                                  what, s, lo, hi);
    *out = (int32_t)v;
    return TRUE;
}

gboolean tm_i_form_double(const FormCtx *ctx, TmCsvRecord *rec, int field, const char *what,
                          double lo, double hi, double *out, gboolean *given, RowError *e)
{
    const char *s = tm_i_form_cell(ctx, rec, field);
    *given = *s != '\0';
    if (!*given)
        return TRUE;
    char *end = NULL;
    double v = g_ascii_strtod(s, &end);
    if (end == s || *end != '\0' || isnan(v))
        return tm_i_form_bad_cell(ctx, field, e, "%s '%s' is not a number", what, s);
    if (!isfinite(v) || v < lo || v > hi)
        return tm_i_form_bad_cell(ctx, field, e, "%s %s is out of range %g..%g", what, s, lo, hi);
    *out = v;
    return TRUE;
}

static int parse_bool_text(const char *s)
{
    static const char *const yes[] = {"1", "y", "yes", "true", "t", "是", "有", "支持", "同意",
                                      "√", "✓", "✔", "对"};
    static const char *const no[] = {"0", "n", "no", "false", "f", "否", "无", "没有",
                                     "不支持", "不同意", "×", "✗", "✘"};
    char *k = g_ascii_strdown(s, -1);
    int r = -1;
    for (gsize i = 0; i < G_N_ELEMENTS(yes) && r < 0; i++)
        if (strcmp(k, yes[i]) == 0)
            r = 1;
    for (gsize i = 0; i < G_N_ELEMENTS(no) && r < 0; i++)
        if (strcmp(k, no[i]) == 0)
            r = 0;
    g_free(k);
    return r;
}

gboolean tm_i_form_bool(const FormCtx *ctx, TmCsvRecord *rec, int field, const char *what,
                        gboolean required, gboolean *out, RowError *e)
{
    const char *s = tm_i_form_cell(ctx, rec, field);
    if (*s == '\0') {
        if (required)
            return tm_i_form_bad_cell(ctx, field, e, "%s is empty (give yes/no, 是/否)", what);
        *out = FALSE;
        return TRUE;
    }
    int b = parse_bool_text(s);
    if (b < 0)
        return tm_i_form_bad_cell(ctx, field, e, "%s '%s' is not yes/no (是/否)", what, s);
    *out = b;
    return TRUE;
}

/* List separators: ; ；(U+FF1B) 、(U+3001) ，(U+FF0C) and line breaks. */
static gsize separator_len(const char *p)
{
    if (*p == ';' || *p == '\n' || *p == '\r')
        return 1;
    if ((guchar)p[0] == 0xEF && (guchar)p[1] == 0xBC &&
        ((guchar)p[2] == 0x9B || (guchar)p[2] == 0x8C))
        return 3;
    if ((guchar)p[0] == 0xE3 && (guchar)p[1] == 0x80 && (guchar)p[2] == 0x81)
        return 3;
    return 0;
}

/* Splits a list cell into trimmed, non-empty items stored in ctx->strings;
 * the array is owned by ctx->owned. */
const char **tm_i_form_list(FormCtx *ctx, const char *s, int32_t *n_out)
{
    GPtrArray *items = g_ptr_array_new();
    const char *p = s;
    while (*p) {
        const char *q = p;
        gsize sl = 0;
        while (*q && (sl = separator_len(q)) == 0)
            q++;
        char *item = g_strndup(p, (gsize)(q - p));
        gsize n;
        const char *t = tm_i_trim(item, &n);
        if (n > 0)
            g_ptr_array_add(items, g_string_chunk_insert_len(ctx->strings, t, (gssize)n));
        g_free(item);
        p = *q ? q + sl : q;
    }
    *n_out = (int32_t)items->len;
    const char **arr = (const char **)g_ptr_array_free(items, FALSE);
    g_ptr_array_add(ctx->owned, arr);
    return arr;
}

/* The tie separators of a ranked list item: `=` and `＝` (U+FF1D, what a
 * Chinese input method types in full-width mode); their length or 0. */
static gsize tie_separator_len(const char *p)
{
    if (*p == '=')
        return 1;
    if ((guchar)p[0] == 0xEF && (guchar)p[1] == 0xBC && (guchar)p[2] == 0x9D)
        return 3;
    return 0;
}

gboolean tm_i_form_ranked_list(FormCtx *ctx, TmCsvRecord *rec, int field, const char *what,
                               const char ***names_out, int32_t *n_out, int32_t **ranks_out,
                               RowError *e)
{
    int32_t n_items = 0;
    const char **items = tm_i_form_list(ctx, tm_i_form_cell(ctx, rec, field), &n_items);
    *names_out = items;
    *n_out = n_items;
    *ranks_out = NULL;
    gboolean any_tie = FALSE;
    for (int32_t i = 0; i < n_items && !any_tie; i++)
        for (const char *p = items[i]; *p && !any_tie; p++)
            any_tie = tie_separator_len(p) > 0;
    if (!any_tie)
        return TRUE; /* the common case: one name per item, nothing more to do */
    GPtrArray *names = g_ptr_array_new();
    GArray *ranks = g_array_new(FALSE, FALSE, sizeof(int32_t));
    gboolean ok = TRUE;
    for (int32_t i = 0; i < n_items && ok; i++) {
        const char *p = items[i];
        for (;;) {
            const char *q = p;
            gsize sl = 0;
            while (*q && (sl = tie_separator_len(q)) == 0)
                q++;
            char *member = g_strndup(p, (gsize)(q - p));
            gsize n;
            const char *t = tm_i_trim(member, &n);
            if (n > 0)
                g_ptr_array_add(names, g_string_chunk_insert_len(ctx->strings, t, (gssize)n));
            g_free(member);
            if (n == 0) {
                ok = tm_i_form_bad_cell(ctx, field, e,
                                        "%s has a tie '%s' with an empty name (tied names are "
                                        "written A=B; a name cannot contain '=')",
                                        what, items[i]);
                break;
            }
            g_array_append_val(ranks, i);
            if (*q == '\0')
                break;
            p = q + sl;
        }
    }
    if (!ok) {
        g_ptr_array_free(names, TRUE);
        g_array_free(ranks, TRUE);
        return FALSE;
    }
    *n_out = (int32_t)names->len;
    *names_out = (const char **)g_ptr_array_free(names, FALSE);
    g_ptr_array_add(ctx->owned, (gpointer)*names_out);
    *ranks_out = (int32_t *)(void *)g_array_free(ranks, FALSE);
    g_ptr_array_add(ctx->owned, *ranks_out);
    return TRUE;
}

gboolean tm_i_form_no_repeats(const FormCtx *ctx, int field, const char *what,
                              const char *const *items, int32_t n, RowError *e)
{
    if (n < 2)
        return TRUE;
    /* a hash set: linear in the cell (a pairwise check took 11 s for 60,000
     * names); the first item that repeats an earlier one is named */
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    gboolean ok = TRUE;
    for (int32_t i = 0; i < n && ok; i++)
        if (!g_hash_table_add(seen, (gpointer)items[i]))
            ok = tm_i_form_bad_cell(ctx, field, e, "%s names '%s' twice", what, items[i]);
    g_hash_table_destroy(seen);
    return ok;
}

gboolean tm_i_form_name(FormCtx *ctx, TmCsvRecord *rec, int field, const char *side,
                        const char **out, RowError *e)
{
    const char *s = tm_i_form_cell(ctx, rec, field);
    if (*s == '\0')
        return tm_i_form_bad_cell(ctx, field, e, "the %s name is empty", side);
    if (strchr(s, '\n') != NULL)
        return tm_i_form_bad_cell(ctx, field, e, "the %s name contains a line break", side);
    gpointer line;
    if (g_hash_table_lookup_extended(ctx->names, s, NULL, &line))
        return tm_i_form_bad_cell(ctx, field, e, "duplicate %s name '%s' (first given on line %d)",
                                  side, s, GPOINTER_TO_INT(line));
    gboolean exists = ctx->kind == FORM_SITES ? tm_programme_find_site(ctx->prog, s) >= 0
                                              : tm_programme_find_commissioner(ctx->prog, s) >= 0;
    if (exists)
        return tm_i_form_bad_cell(ctx, field, e,
                                  "duplicate %s name '%s' (already in the programme, "
                                  "from an earlier form)",
                                  side, s);
    *out = g_string_chunk_insert(ctx->strings, s);
    return TRUE;
}

gboolean tm_i_form_sector(FormCtx *ctx, const char *text, int field, const char *context,
                          int32_t *out, RowError *e)
{
    int32_t s = tm_taxonomy_find(ctx->tax, text);
    if (s < 0)
        return tm_i_form_bad_cell(ctx, field, e, "unknown sector '%s'%s (known: %s)", text, context,
                                  ctx->known_sectors);
    *out = s;
    return TRUE;
}

gboolean tm_i_form_location(FormCtx *ctx, TmCsvRecord *rec, int fx, int fy, double *x, double *y,
                            RowError *e)
{
    gboolean gx, gy;
    double vx = 0, vy = 0;
    if (!tm_i_form_double(ctx, rec, fx, "x", -COORD_MAX, COORD_MAX, &vx, &gx, e) ||
        !tm_i_form_double(ctx, rec, fy, "y", -COORD_MAX, COORD_MAX, &vy, &gy, e))
        return FALSE;
    if (gx != gy)
        return tm_i_form_bad_cell(ctx, gx ? fy : fx, e,
                                  "%s is given without %s (give both coordinates or "
                                  "neither)",
                                  gx ? "x" : "y", gx ? "y" : "x");
    *x = gx ? vx : TM_NO_LOCATION;
    *y = gy ? vy : TM_NO_LOCATION;
    return TRUE;
}

const char *tm_i_form_opt_string(FormCtx *ctx, TmCsvRecord *rec, int field)
{
    const char *s = tm_i_form_cell(ctx, rec, field);
    return *s ? g_string_chunk_insert(ctx->strings, s) : NULL;
}

char *tm_i_form_bad_utf8(const char *s, gsize len)
{
    const char *end = NULL;
    (void)g_utf8_validate_len(s, len, &end);
    guchar b = (guchar)*end;
    if (b == 0)
        return g_strdup("the cell contains a NUL byte");
    return g_strdup_printf("invalid UTF-8 (byte 0x%02X at byte %" G_GSIZE_FORMAT
                           " of the cell); save the file as UTF-8 (it may be GBK/GB18030)",
                           b, (gsize)(end - s) + 1);
}

gboolean tm_i_form_tasks(FormCtx *ctx, TmCsvRecord *rec, int field, uint32_t *out, RowError *e)
{
    int32_t n = 0;
    const char **items = tm_i_form_list(ctx, tm_i_form_cell(ctx, rec, field), &n);
    uint32_t bits = 0;
    for (int32_t i = 0; i < n; i++) {
        int t = tm_task_from_string(items[i]);
        if (t < 0) {
            GString *known = g_string_new(NULL);
            for (int k = 0; k < TM_N_TASKS; k++)
                g_string_append_printf(known, "%s%s %s", k ? ", " : "", tm_task_code((TmTask)k),
                                       tm_task_name_zh((TmTask)k));
            tm_i_form_bad_cell(ctx, field, e,
                               "unknown task type '%s' (the plan's six: %s; or a synonym "
                               "listed in docs/forms.md)",
                               items[i], known->str);
            g_string_free(known, TRUE);
            return FALSE;
        }
        bits |= 1u << t;
    }
    *out = bits;
    return TRUE;
}

gboolean tm_i_form_consent(const FormCtx *ctx, TmCsvRecord *rec, int field, TmConsent *out,
                           RowError *e)
{
    const char *s = tm_i_form_cell(ctx, rec, field);
    *out = TM_CONSENT_DEFAULT;
    if (*s == '\0')
        return TRUE;
    int b = parse_bool_text(s); /* the question of the column: only those I named? */
    int v = b > 0 ? TM_CONSENT_NAMED_ONLY : b == 0 ? TM_CONSENT_OPEN : tm_consent_from_string(s);
    if (v < 0)
        return tm_i_form_bad_cell(ctx, field, e,
                                  "consent '%s' is neither named nor open (give 是/yes/named/"
                                  "仅意向 for only the partners named in the wishes, 否/no/"
                                  "open/不限 for any partner the rules allow, or leave it "
                                  "empty for the configuration's default)",
                                  s);
    *out = (TmConsent)v;
    return TRUE;
}
