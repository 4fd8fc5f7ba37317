/* techmatch — a small RFC 4180 CSV tokenizer over an in-memory buffer
 * (private to the library; used by the form readers).
 *
 * Fields are separated by ',', records by LF, CRLF or a lone CR.  A field that
 * starts with '"' is quoted: it may contain ',', line breaks and doubled
 * quotes ("").  Line breaks inside quoted fields are returned as LF.  Physical
 * line numbers (1-based) are tracked across embedded line breaks, so each
 * record knows the line it starts on.  Bytes are passed through unchanged
 * (UTF-8 validation is the caller's job).
 */
#ifndef TECHMATCH_IO_CSV_H
#define TECHMATCH_IO_CSV_H

#include <glib.h>

typedef struct {
    const char *buf;
    gsize len;
    gsize pos;
    int line;                /* physical line of buf[pos] */
} TmCsv;

typedef struct {
    GString *data;           /* fields, each followed by a NUL */
    GArray *start;           /* gsize: offset of field i in data */
    GArray *length;          /* gsize: byte length of field i (may hold NULs) */
    int line;                /* physical line where the record starts */
    int n;                   /* number of fields */
    /* a syntax problem found while reading the record (the record is still
     * returned whole; -1 when none) */
    int error_field;         /* 0-based field index */
    char *error;             /* message, owned */
} TmCsvRecord;

G_GNUC_INTERNAL void tm_csv_init(TmCsv *csv, const char *buf, gsize len);
G_GNUC_INTERNAL void tm_csv_record_init(TmCsvRecord *rec);
G_GNUC_INTERNAL void tm_csv_record_clear(TmCsvRecord *rec);
/* Reads the next record into @rec; FALSE at the end of the buffer. */
G_GNUC_INTERNAL gboolean tm_csv_next(TmCsv *csv, TmCsvRecord *rec);
/* Empties @rec for a record built field by field (other sources of rows:
 * the .xlsx reader) starting at @line. */
G_GNUC_INTERNAL void tm_csv_record_reset(TmCsvRecord *rec, int line);
/* Appends a field of @len bytes of @s (may hold NULs) to @rec. */
G_GNUC_INTERNAL void tm_csv_record_add(TmCsvRecord *rec, const char *s, gsize len);

static inline const char *tm_csv_field(const TmCsvRecord *rec, int i, gsize *len)
{
    gsize s = g_array_index(rec->start, gsize, i);
    if (len != NULL)
        *len = g_array_index(rec->length, gsize, i);
    return rec->data->str + s;
}

#endif /* TECHMATCH_IO_CSV_H */
