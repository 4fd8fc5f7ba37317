/* techmatch — private helpers of the form readers (io layer, not installed). */
#ifndef TECHMATCH_IO_FORMS_PRIVATE_H
#define TECHMATCH_IO_FORMS_PRIVATE_H

#include <glib.h>
#include <techmatch/forms.h>

/* Appends a diagnostic with copies of the strings (@field and @message may
 * be NULL).  No-op for a NULL collection. */
G_GNUC_INTERNAL void tm_i_form_diagnostics_add(TmFormDiagnostics *diagnostics,
                                               const char *file, int line, int column,
                                               const char *field, const char *message,
                                               TmFormSeverity severity);

/* `FILE:LINE:COLUMN: [warning: ]FIELD: message` (FIELD part only when not
 * NULL; "<data>" for a NULL file).  Caller g_free()s. */
G_GNUC_INTERNAL char *tm_i_form_position(const char *file, int line, int column,
                                         const char *field, const char *message,
                                         gboolean warning);

#endif /* TECHMATCH_IO_FORMS_PRIVATE_H */
