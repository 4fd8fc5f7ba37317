/* techmatch — io layer: the printable page from a given Markdown report
 * (library-internal; report_html.c, output.h tm_selection_report_html()). */
#ifndef TECHMATCH_IO_REPORT_HTML_H
#define TECHMATCH_IO_REPORT_HTML_H

#include <glib.h>
#include <techmatch/output.h>

/* The page of tm_selection_report_html() around the Markdown @markdown (the
 * report of @selection as written to report.md, e.g. with the review's
 * section appended) instead of tm_selection_report_markdown_with()'s.
 * Returns a new string (g_free()) or NULL with the error. */
G_GNUC_INTERNAL char *tm_i_report_html_from_markdown(const TmSelection *selection,
                                                     const char *markdown,
                                                     const TmOutputOptions *options,
                                                     GError **error);

#endif /* TECHMATCH_IO_REPORT_HTML_H */
