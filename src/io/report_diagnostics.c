/* techmatch — the report's section on what the forms reader skipped or
 * changed (see tm_form_diagnostics_markdown() in forms.h): formatting only,
 * the diagnostics come from the readers. */
#include <techmatch/forms.h>

#include "util/messages.h"

/* @s as the text of a Markdown table cell: '|' escaped, line breaks as
 * spaces, & < > as entities (as the rest of the report). */
static void append_cell(GString *out, const char *s)
{
    for (const char *p = s != NULL ? s : ""; *p; p++) {
        switch (*p) {
        case '|': g_string_append(out, "\\|"); break;
        case '\n':
        case '\r': g_string_append_c(out, ' '); break;
        case '&': g_string_append(out, "&amp;"); break;
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        default: g_string_append_c(out, *p);
        }
    }
}

static void append_row(GString *out, const TmFormDiagnostic *d, TmLang lang)
{
    gboolean error = tm_form_diagnostic_severity(d) == TM_FORM_ERROR;
    g_string_append(out, "| ");
    char *pos = g_strdup_printf("%s:%d", tm_form_diagnostic_file(d), tm_form_diagnostic_line(d));
    append_cell(out, pos);
    g_free(pos);
    g_string_append_printf(out, " | %d | ", tm_form_diagnostic_column(d));
    append_cell(out, tm_form_diagnostic_field(d));
    g_string_append_printf(out, " | %s | ",
                           tm_i_msg(lang, error ? TM_M_DIAG_SKIPPED : TM_M_DIAG_WARNING));
    append_cell(out, tm_form_diagnostic_message(d));
    g_string_append(out, " |\n");
}

char *tm_form_diagnostics_markdown(const TmFormDiagnostics *diagnostics)
{
    return tm_form_diagnostics_markdown_in(diagnostics, TM_LANG_EN);
}

char *tm_form_diagnostics_markdown_in(const TmFormDiagnostics *diagnostics, TmLang lang)
{
    guint n = tm_form_diagnostics_count(diagnostics);
    if (n == 0)
        return g_strdup("");
    lang = lang == TM_LANG_ZH ? TM_LANG_ZH : TM_LANG_EN;
    guint n_errors = 0;
    for (guint i = 0; i < n; i++)
        n_errors += tm_form_diagnostic_severity(tm_form_diagnostics_get(diagnostics, i))
                    == TM_FORM_ERROR;
    guint n_warnings = n - n_errors;
    GString *out = g_string_new(NULL);
    g_string_append_printf(out, "\n## %s\n\n", tm_i_msg(lang, TM_M_DIAG_H));
    char *rows = g_strdup_printf(
        tm_i_msg(lang, n_errors == 1 ? TM_M_DIAG_ROWS_1 : TM_M_DIAG_ROWS_N), n_errors);
    char *warnings = g_strdup_printf(
        tm_i_msg(lang, n_warnings == 1 ? TM_M_DIAG_WARNINGS_1 : TM_M_DIAG_WARNINGS_N),
        n_warnings);
    g_string_append_printf(out, tm_i_msg(lang, TM_M_DIAG_INTRO), rows, warnings);
    g_free(rows);
    g_free(warnings);
    g_string_append_printf(out, "%s\n|---|---:|---|---|---|\n", tm_i_msg(lang, TM_M_DIAG_HEAD));
    for (int pass = 0; pass < 2; pass++)
        for (guint i = 0; i < n; i++) {
            const TmFormDiagnostic *d = tm_form_diagnostics_get(diagnostics, i);
            if ((tm_form_diagnostic_severity(d) == TM_FORM_ERROR) == (pass == 0))
                append_row(out, d, lang);
        }
    return g_string_free(out, FALSE);
}
