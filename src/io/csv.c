/* techmatch — RFC 4180 CSV tokenizer (see csv.h). */
#include "io/csv.h"

#include <string.h>

void tm_csv_init(TmCsv *csv, const char *buf, gsize len)
{
    csv->buf = buf;
    csv->len = len;
    csv->pos = 0;
    csv->line = 1;
}

void tm_csv_record_init(TmCsvRecord *rec)
{
    memset(rec, 0, sizeof *rec);
    rec->data = g_string_sized_new(256);
    rec->start = g_array_new(FALSE, FALSE, sizeof(gsize));
    rec->length = g_array_new(FALSE, FALSE, sizeof(gsize));
    rec->error_field = -1;
}

void tm_csv_record_clear(TmCsvRecord *rec)
{
    if (rec->data != NULL)
        g_string_free(rec->data, TRUE);
    if (rec->start != NULL)
        g_array_unref(rec->start);
    if (rec->length != NULL)
        g_array_unref(rec->length);
    g_free(rec->error);
    memset(rec, 0, sizeof *rec);
    rec->error_field = -1;
}

void tm_csv_record_reset(TmCsvRecord *rec, int line)
{
    g_string_truncate(rec->data, 0);
    g_array_set_size(rec->start, 0);
    g_array_set_size(rec->length, 0);
    g_free(rec->error);
    rec->error = NULL;
    rec->error_field = -1;
    rec->line = line;
    rec->n = 0;
}

void tm_csv_record_add(TmCsvRecord *rec, const char *s, gsize len)
{
    gsize start = rec->data->len;
    g_string_append_len(rec->data, s, (gssize)len);
    g_string_append_c(rec->data, '\0');
    g_array_append_val(rec->start, start);
    g_array_append_val(rec->length, len);
    rec->n++;
}

static void set_error(TmCsvRecord *rec, int field, char *msg)
{
    if (rec->error == NULL) {
        rec->error_field = field;
        rec->error = msg;
    } else {
        g_free(msg);
    }
}

gboolean tm_csv_next(TmCsv *csv, TmCsvRecord *rec)
{
    const char *b = csv->buf;
    const gsize len = csv->len;
    gsize pos = csv->pos;

    if (pos >= len)
        return FALSE;
    g_string_truncate(rec->data, 0);
    g_array_set_size(rec->start, 0);
    g_array_set_size(rec->length, 0);
    g_free(rec->error);
    rec->error = NULL;
    rec->error_field = -1;
    rec->line = csv->line;
    rec->n = 0;

    for (;;) {
        gsize fstart = rec->data->len;
        if (pos < len && b[pos] == '"') {
            int open_line = csv->line;
            pos++;
            gboolean closed = FALSE;
            while (pos < len) {
                /* copy a run of ordinary bytes at once */
                gsize run = pos;
                while (run < len && b[run] != '"' && b[run] != '\r' && b[run] != '\n')
                    run++;
                if (run > pos)
                    g_string_append_len(rec->data, b + pos, (gssize)(run - pos));
                pos = run;
                if (pos >= len)
                    break;
                char c = b[pos];
                if (c == '"') {
                    if (pos + 1 < len && b[pos + 1] == '"') {
                        g_string_append_c(rec->data, '"');
                        pos += 2;
                        continue;
                    }
                    pos++;
                    closed = TRUE;
                    break;
                }
                /* line break inside the quotes: kept as LF */
                if (c == '\r' && pos + 1 < len && b[pos + 1] == '\n')
                    pos++;
                pos++;
                csv->line++;
                g_string_append_c(rec->data, '\n');
            }
            if (!closed) {
                set_error(rec, rec->n,
                          g_strdup_printf("unterminated quoted field: the quote opened on "
                                          "line %d is never closed",
                                          open_line));
            } else if (pos < len && b[pos] != ',' && b[pos] != '\r' && b[pos] != '\n') {
                set_error(rec, rec->n,
                          g_strdup("unexpected text after the closing quote (a quote inside "
                                   "a quoted field must be doubled: \"\")"));
            }
        }
        /* unquoted part (or the rest after a malformed quoted part) */
        {
            gsize run = pos;
            while (run < len && b[run] != ',' && b[run] != '\r' && b[run] != '\n')
                run++;
            if (run > pos)
                g_string_append_len(rec->data, b + pos, (gssize)(run - pos));
            pos = run;
        }
        gsize flen = rec->data->len - fstart;
        g_string_append_c(rec->data, '\0');
        g_array_append_val(rec->start, fstart);
        g_array_append_val(rec->length, flen);
        rec->n++;

        if (pos >= len)
            break;
        char c = b[pos];
        if (c == ',') {
            pos++;
            if (pos >= len) { /* trailing comma at end of input: one more empty field */
                gsize s = rec->data->len, z = 0;
                g_string_append_c(rec->data, '\0');
                g_array_append_val(rec->start, s);
                g_array_append_val(rec->length, z);
                rec->n++;
                break;
            }
            continue;
        }
        if (c == '\r' && pos + 1 < len && b[pos + 1] == '\n')
            pos++;
        pos++;
        csv->line++;
        break;
    }
    csv->pos = pos;
    return TRUE;
}
