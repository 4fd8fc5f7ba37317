/* techmatch — the diagnostics collection of the form readers (forms.h). */
#include <techmatch/forms.h>

#include "io/forms_private.h"

struct TmFormDiagnostic {
    char *file;
    int line;
    int column;
    char *field;
    char *message;
    TmFormSeverity severity;
};

struct TmFormDiagnostics {
    GPtrArray *items; /* TmFormDiagnostic*, owned */
};

static void diagnostic_free(gpointer p)
{
    TmFormDiagnostic *d = p;
    g_free(d->file);
    g_free(d->field);
    g_free(d->message);
    g_free(d);
}

TmFormDiagnostics *tm_form_diagnostics_new(void)
{
    TmFormDiagnostics *ds = g_new(TmFormDiagnostics, 1);
    ds->items = g_ptr_array_new_with_free_func(diagnostic_free);
    return ds;
}

void tm_form_diagnostics_free(TmFormDiagnostics *diagnostics)
{
    if (diagnostics == NULL)
        return;
    g_ptr_array_unref(diagnostics->items);
    g_free(diagnostics);
}

guint tm_form_diagnostics_count(const TmFormDiagnostics *diagnostics)
{
    return diagnostics == NULL ? 0 : diagnostics->items->len;
}

const TmFormDiagnostic *tm_form_diagnostics_get(const TmFormDiagnostics *diagnostics, guint i)
{
    if (diagnostics == NULL || i >= diagnostics->items->len)
        return NULL;
    return g_ptr_array_index(diagnostics->items, i);
}

void tm_i_form_diagnostics_add(TmFormDiagnostics *diagnostics, const char *file, int line,
                               int column, const char *field, const char *message,
                               TmFormSeverity severity)
{
    if (diagnostics == NULL)
        return;
    TmFormDiagnostic *d = g_new(TmFormDiagnostic, 1);
    d->file = g_strdup(file);
    d->line = line;
    d->column = column;
    d->field = g_strdup(field);
    d->message = g_strdup(message);
    d->severity = severity;
    g_ptr_array_add(diagnostics->items, d);
}

const char *tm_form_diagnostic_file(const TmFormDiagnostic *d)
{
    return d ? d->file : NULL;
}

int tm_form_diagnostic_line(const TmFormDiagnostic *d)
{
    return d ? d->line : 0;
}

int tm_form_diagnostic_column(const TmFormDiagnostic *d)
{
    return d ? d->column : 0;
}

const char *tm_form_diagnostic_field(const TmFormDiagnostic *d)
{
    return d ? d->field : NULL;
}

const char *tm_form_diagnostic_message(const TmFormDiagnostic *d)
{
    return d ? d->message : NULL;
}

TmFormSeverity tm_form_diagnostic_severity(const TmFormDiagnostic *d)
{
    return d ? d->severity : TM_FORM_ERROR;
}

char *tm_i_form_position(const char *file, int line, int column, const char *field,
                         const char *message, gboolean warning)
{
    return g_strdup_printf("%s:%d:%d: %s%s%s%s", file ? file : "<data>", line, column,
                           warning ? "warning: " : "", field ? field : "", field ? ": " : "",
                           message ? message : "");
}

char *tm_form_diagnostic_to_string(const TmFormDiagnostic *d)
{
    if (d == NULL)
        return g_strdup("");
    return tm_i_form_position(d->file, d->line, d->column, d->field, d->message,
                              d->severity == TM_FORM_WARNING);
}
