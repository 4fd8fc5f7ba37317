/* techmatch — a small streaming reader of .xlsx workbooks (Office Open XML
 * spreadsheets), private to the io layer: enough to read the rows of one
 * sheet as text cells, the way the form readers read CSV records.
 *
 * The package is opened with libzip from a buffer; xl/workbook.xml and its
 * relationships name the sheets, xl/sharedStrings.xml is loaded whole (the
 * cells index it), and the sheet's XML is streamed with libxml2's
 * xmlTextReader (never a whole document in memory).  No part may inflate to
 * more than TM_XLSX_PART_MAX bytes (zip bombs): the declared size is checked
 * before reading and the bytes are counted while reading.  DTDs are refused
 * (entity expansion).
 *
 * Cells become text: shared strings and inline strings (rich-text runs
 * joined, phonetic runs left out, `_xHHHH_` escapes decoded), formula
 * results (t="str") as cached, booleans as TRUE/FALSE, errors as written
 * (#N/A), numbers as written in the XML except that a whole number is
 * written without fraction or exponent (`85.0`, `8.5E+1` -> `85`).  Styles
 * (so dates) are not interpreted: a date is its serial number.
 *
 * Errors: GErrors in the TM_ERROR domain, TM_ERROR_PARSE for a damaged
 * workbook (not a zip, a missing part, bad XML, a part too large) and
 * TM_ERROR_IO for a sheet name that the workbook does not have; the messages
 * do not name the file (the caller adds it).
 */
#ifndef TECHMATCH_IO_XLSX_READ_H
#define TECHMATCH_IO_XLSX_READ_H

#include <glib.h>

#include "io/csv.h"

/* The most bytes one part of the package may inflate to. */
#define TM_XLSX_PART_MAX ((gint64)256 * 1024 * 1024)
/* Excel's own limits: rows and columns beyond them are a damaged sheet. */
#define TM_XLSX_MAX_ROWS 1048576
#define TM_XLSX_MAX_COLS 16384

typedef struct TmXlsx TmXlsx;
typedef struct TmXlsxSheet TmXlsxSheet;

/* Whether @len bytes of @data start like a zip archive (an .xlsx package). */
G_GNUC_INTERNAL gboolean tm_xlsx_is_zip(const char *data, gsize len);
/* Whether they start like an OLE2 compound file (an .xls workbook, or an
 * .xlsx protected by a password). */
G_GNUC_INTERNAL gboolean tm_xlsx_is_ole2(const char *data, gsize len);

/* Opens the workbook in @len bytes of @data (borrowed: it must outlive the
 * workbook and every sheet opened from it), reading its list of sheets and
 * its shared strings.  NULL with @error (TM_ERROR_PARSE).  Free with
 * tm_xlsx_free().  Time and memory O(size of the shared strings). */
G_GNUC_INTERNAL TmXlsx *tm_xlsx_open(const char *data, gsize len, GError **error);
/* NULL-safe.  Free the sheets first. */
G_GNUC_INTERNAL void tm_xlsx_free(TmXlsx *book);

/* Opens sheet @name (exact match first, then ignoring case as Excel does),
 * or, for a NULL @name, the first visible worksheet.  NULL with @error:
 * TM_ERROR_IO for an unknown name (the message lists the sheets),
 * TM_ERROR_PARSE for a chart sheet, a missing part or a damaged one.
 * *@n_visible_out (may be NULL) gets the number of visible worksheets.
 * Free with tm_xlsx_sheet_free(). */
G_GNUC_INTERNAL TmXlsxSheet *tm_xlsx_sheet_open(TmXlsx *book, const char *name,
                                                int *n_visible_out, GError **error);
/* The sheet's name as the workbook spells it (borrowed). */
G_GNUC_INTERNAL const char *tm_xlsx_sheet_name(const TmXlsxSheet *sheet);
/* Reads the next row that has a cell with a value into @rec (tm_csv_record
 * fields): rec->line is the row's number (1-based), field i the text of
 * column i (A = 0) up to the last cell with a value; missing cells are "".
 * FALSE at the end of the sheet, or with @error set (TM_ERROR_PARSE) when
 * the sheet is damaged; tm_xlsx_sheet_error_row() then tells the row of the
 * damaged row or cell (0 when the XML itself is bad: the message gives its
 * line, as the parser reads ahead of the rows). */
G_GNUC_INTERNAL gboolean tm_xlsx_sheet_next(TmXlsxSheet *sheet, TmCsvRecord *rec,
                                            GError **error);
/* After a failed tm_xlsx_sheet_next(): the row at fault, or 0. */
G_GNUC_INTERNAL int tm_xlsx_sheet_error_row(const TmXlsxSheet *sheet);
/* NULL-safe. */
G_GNUC_INTERNAL void tm_xlsx_sheet_free(TmXlsxSheet *sheet);

/* The column letters of 1-based @column (1 -> "A", 27 -> "AA") into @buf
 * (at least 8 bytes). */
G_GNUC_INTERNAL void tm_xlsx_column_name(int column, char buf[8]);

#endif /* TECHMATCH_IO_XLSX_READ_H */
