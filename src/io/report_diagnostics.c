/* techmatch — the report's section on what the forms reader skipped or
 * changed (see tm_form_diagnostics_markdown() in forms.h): formatting only,
 * the diagnostics come from the readers. */
#include <techmatch/forms.h>

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

static void append_row(GString *out, const TmFormDiagnostic *d)
{
    gboolean error = tm_form_diagnostic_severity(d) == TM_FORM_ERROR;
    g_string_append(out, "| ");
    char *pos = g_strdup_printf("%s:%d", tm_form_diagnostic_file(d), tm_form_diagnostic_line(d));
    append_cell(out, pos);
    g_free(pos);
    g_string_append_printf(out, " | %d | ", tm_form_diagnostic_column(d));
    append_cell(out, tm_form_diagnostic_field(d));
    g_string_append(out, error ? " | row skipped | " : " | warning | ");
    append_cell(out, tm_form_diagnostic_message(d));
    g_string_append(out, " |\n");
}

char *tm_form_diagnostics_markdown(const TmFormDiagnostics *diagnostics)
{
    guint n = tm_form_diagnostics_count(diagnostics);
    if (n == 0)
        return g_strdup("");
    guint n_errors = 0;
    for (guint i = 0; i < n; i++)
        n_errors += tm_form_diagnostic_severity(tm_form_diagnostics_get(diagnostics, i))
                    == TM_FORM_ERROR;
    GString *out = g_string_new("\n## Rows skipped (lenient mode)\n\n");
    g_string_append_printf(out,
                           "The forms reader skipped %u row%s and gave %u warning%s (a wish "
                           "naming a skipped or unknown agent is dropped; the rest of its row "
                           "is kept).\n\n",
                           n_errors, n_errors == 1 ? "" : "s", n - n_errors,
                           n - n_errors == 1 ? "" : "s");
    g_string_append(out, "| file:line | column | field | outcome | reason |\n"
                         "|---|---:|---|---|---|\n");
    for (int pass = 0; pass < 2; pass++)
        for (guint i = 0; i < n; i++) {
            const TmFormDiagnostic *d = tm_form_diagnostics_get(diagnostics, i);
            if ((tm_form_diagnostic_severity(d) == TM_FORM_ERROR) == (pass == 0))
                append_row(out, d);
        }
    return g_string_free(out, FALSE);
}
