/* techmatch — the output options (output.h) and the entry points that take
 * them. */
#include <string.h>

#include <glib.h>

#include <techmatch/agreement.h>
#include <techmatch/output.h>
#include <techmatch/profile.h>
#include <techmatch/report.h>

#include "io/output_set.h"
#include "io/report_internal.h"
#include "io/sheets_private.h"

struct TmOutputOptions {
    TmLang lang;
    gboolean plain_csv;
    char *template_text;  /* NULL: the built-in template */
    char *template_name;
    const TmFormDiagnostics *diagnostics; /* borrowed */
};

TmOutputOptions *tm_output_options_new(void)
{
    TmOutputOptions *o = g_new0(TmOutputOptions, 1);
    o->lang = TM_LANG_AUTO;
    return o;
}

void tm_output_options_free(TmOutputOptions *options)
{
    if (options == NULL)
        return;
    g_free(options->template_text);
    g_free(options->template_name);
    g_free(options);
}

void tm_output_options_set_language(TmOutputOptions *options, TmLang lang)
{
    if (options != NULL && (lang == TM_LANG_AUTO || lang == TM_LANG_EN || lang == TM_LANG_ZH))
        options->lang = lang;
}

TmLang tm_output_options_get_language(const TmOutputOptions *options)
{
    return options == NULL ? TM_LANG_AUTO : options->lang;
}

TmLang tm_output_options_resolve_language(const TmOutputOptions *options,
                                          const TmSelection *selection)
{
    TmLang l = tm_output_options_get_language(options);
    if (l == TM_LANG_EN || l == TM_LANG_ZH)
        return l;
    return selection == NULL ? TM_LANG_EN
                             : tm_programme_language(tm_selection_programme(selection));
}

void tm_output_options_set_plain_csv(TmOutputOptions *options, gboolean plain)
{
    if (options != NULL)
        options->plain_csv = plain ? TRUE : FALSE;
}

gboolean tm_output_options_get_plain_csv(const TmOutputOptions *options)
{
    return options != NULL && options->plain_csv;
}

gboolean tm_output_options_set_agreement_template(TmOutputOptions *options, const char *text,
                                                  const char *source_name, GError **error)
{
    if (options == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "options is NULL");
        return FALSE;
    }
    if (text != NULL && !tm_agreement_check_template(text, source_name, error))
        return FALSE;
    g_free(options->template_text);
    g_free(options->template_name);
    options->template_text = g_strdup(text);
    options->template_name = g_strdup(source_name);
    return TRUE;
}

const char *tm_output_options_get_agreement_template(const TmOutputOptions *options)
{
    return options == NULL ? NULL : options->template_text;
}

const char *tm_i_output_template_name(const TmOutputOptions *options)
{
    return options == NULL ? NULL : options->template_name;
}

void tm_output_options_set_diagnostics(TmOutputOptions *options,
                                       const TmFormDiagnostics *diagnostics)
{
    if (options != NULL)
        options->diagnostics = diagnostics;
}

const TmFormDiagnostics *tm_i_output_diagnostics(const TmOutputOptions *options)
{
    return options == NULL ? NULL : options->diagnostics;
}

char *tm_selection_report_markdown_with(const TmSelection *selection,
                                        const TmOutputOptions *options, GError **error)
{
    if (!tm_i_sel_check(selection, error))
        return NULL;
    char *md = tm_selection_report_markdown(selection, error);
    const TmFormDiagnostics *diags = tm_i_output_diagnostics(options);
    if (md == NULL || diags == NULL || tm_form_diagnostics_count(diags) == 0)
        return md;
    char *section = tm_form_diagnostics_markdown(diags);
    char *full = g_strconcat(md, section, NULL);
    g_free(section);
    g_free(md);
    return full;
}

char *tm_selection_assignments_csv_with(const TmSelection *selection,
                                        const TmOutputOptions *options, GError **error)
{
    if (tm_output_options_get_plain_csv(options))
        return tm_selection_assignments_csv(selection, error);
    /* headers, sectors and kinds in the language, after the byte order
     * mark Excel needs to read UTF-8 */
    return tm_i_assignments_csv(selection, tm_output_options_resolve_language(options, selection),
                                TRUE, error);
}

gboolean tm_selection_write_with(const TmSelection *selection, const char *dir,
                                 const TmOutputOptions *options, GError **error)
{
    return tm_i_write_selection_set(selection, dir, NULL, options, error);
}
