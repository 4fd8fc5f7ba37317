/* techmatch — the CSV form of the leading group's review (review.h,
 * docs/review.md): one decision per row, read with the forms' CSV tokenizer
 * (io/csv.h) and their rules (UTF-8 with or without a byte order mark, LF or
 * CRLF, quoted cells, blank rows skipped, `FILE:LINE:COLUMN: field: message`
 * errors).  Every row is checked before any decision is added, so a read is
 * all or nothing.
 *
 * The reader checks the file only: that each row is a well-formed decision,
 * and that no two decisions (of this file or already in the review) decide
 * the same thing or contradict each other.  Whether the names are agents of
 * the programme is checked when the selection applies the review
 * (TM_ERROR_UNKNOWN_NAME, naming the decision's source `FILE:LINE`). */
#include <string.h>

#include <techmatch/review.h>

#include "io/csv.h"
#include "io/forms_csv_private.h"
#include "io/forms_private.h"
#include "util/alloc.h"
#include "util/text.h"

enum { RC_DECISION, RC_COMMISSIONER, RC_SITE, RC_NOTE, RC_N };

/* Accepted headers of each column, after normalisation (see norm_header()):
 * English code first, then Chinese, then aliases. */
static const char *const column_names[RC_N][10] = {
    [RC_DECISION] = {"decision", "决定", "审核意见", "审核决定", "决定类型", "意见", "kind",
                     "action", "type", NULL},
    [RC_COMMISSIONER] = {"commissioner", "特派员", "特派员姓名", "姓名", "申请人", "团队名称",
                         "科技特派员", "name", NULL},
    [RC_SITE] = {"site", "派驻点", "派驻点名称", "派驻单位", "服务单位", "需求单位",
                 "单位名称", NULL},
    [RC_NOTE] = {"note", "备注", "说明", "理由", "notes", "remark", "reason", "comment", NULL},
};
static const char *const column_label[RC_N] = {"decision (决定)", "commissioner (特派员)",
                                               "site (派驻点)", "note (备注)"};

/* Columns people keep beside the decisions: read and ignored. */
static const char *const info_columns[] = {"id", "no", "序号", "编号", "date", "日期",
                                           "meeting", "会议", "会议日期", NULL};

typedef struct {
    const char *file;
    int col_of[RC_N];   /* 0-based column of each field, -1 when absent */
    char **headers;     /* trimmed, as written */
    int n_headers;
} Ctx;

/* One checked row, waiting to be added. */
typedef struct {
    TmDecisionKind kind;
    char *commissioner, *site, *note, *source;
    int line;
} Row;

static void row_free(gpointer p)
{
    Row *r = p;
    g_free(r->commissioner);
    g_free(r->site);
    g_free(r->note);
    g_free(r->source);
    g_free(r);
}

/* ---- messages ------------------------------------------------------------ */

static const char *header_at(const Ctx *ctx, int column)
{
    return column >= 1 && column <= ctx->n_headers && ctx->headers[column - 1][0] != '\0'
               ? ctx->headers[column - 1]
               : NULL;
}

static gboolean fail_at(const Ctx *ctx, GError **error, int line, int column, const char *field,
                        const char *message)
{
    char *full = tm_i_form_position(ctx->file, line, column, field, message, FALSE);
    g_set_error_literal(error, TM_ERROR, TM_ERROR_PARSE, full);
    g_free(full);
    return FALSE;
}

/* Fails at the column of @f: its header when the column exists, else
 * column 0 and the field's canonical name. */
static gboolean fail_field(const Ctx *ctx, GError **error, int line, int f, const char *fmt, ...)
    G_GNUC_PRINTF(5, 6);
static gboolean fail_field(const Ctx *ctx, GError **error, int line, int f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    int col = ctx->col_of[f] + 1;
    const char *field = col > 0 ? header_at(ctx, col) : column_label[f];
    fail_at(ctx, error, line, col, field ? field : column_label[f], msg);
    g_free(msg);
    return FALSE;
}

/* ---- the header ---------------------------------------------------------- */

/* Trimmed, a parenthesised note (`特派员（姓名）`, `site (name)`) and a
 * trailing `*` or `＊` dropped, ASCII lower-cased, ' ' and '-' as '_'. */
static char *norm_header(const char *text)
{
    gsize n;
    const char *p = tm_i_trim(text, &n);
    char *s = g_strndup(p, n);
    char *cut = strstr(s, "(");
    char *cut2 = strstr(s, "（");
    if (cut2 != NULL && (cut == NULL || cut2 < cut))
        cut = cut2;
    if (cut != NULL)
        *cut = '\0';
    for (gsize len = strlen(s); len > 0;) {
        if (s[len - 1] == '*')
            len -= 1;
        else if (len >= 3 && strcmp(s + len - 3, "＊") == 0)
            len -= 3;
        else
            break;
        s[len] = '\0';
    }
    p = tm_i_trim(s, &n);
    char *t = g_strndup(p, n);
    g_free(s);
    for (char *q = t; *q; q++) {
        *q = g_ascii_tolower(*q);
        if (*q == ' ' || *q == '-')
            *q = '_';
    }
    return t;
}

/* Field of a normalised header: RC_*, -2 informational, -1 unknown. */
static int lookup(const char *key)
{
    for (int f = 0; f < RC_N; f++)
        for (int i = 0; column_names[f][i] != NULL; i++)
            if (strcmp(key, column_names[f][i]) == 0)
                return f;
    for (int i = 0; info_columns[i] != NULL; i++)
        if (strcmp(key, info_columns[i]) == 0)
            return -2;
    return -1;
}

static gboolean record_is_blank(const TmCsvRecord *rec)
{
    for (int i = 0; i < rec->n; i++) {
        gsize len, n;
        const char *f = tm_csv_field(rec, i, &len);
        if (memchr(f, '\0', len) != NULL)
            return FALSE;
        (void)tm_i_trim(f, &n);
        if (n > 0)
            return FALSE;
    }
    return TRUE;
}

static gboolean read_header(Ctx *ctx, TmCsv *csv, TmCsvRecord *rec, GError **error)
{
    gboolean found = FALSE;
    while (!found && tm_csv_next(csv, rec))
        found = rec->error != NULL || !record_is_blank(rec);
    if (!found)
        return fail_at(ctx, error, 1, 0, NULL,
                       "empty file: no header row (the first row names the columns: decision, "
                       "commissioner, site, note — or 决定, 特派员, 派驻点, 备注)");
    for (int i = 0; i < rec->n; i++) {
        gsize len;
        const char *f = tm_csv_field(rec, i, &len);
        if (!g_utf8_validate_len(f, len, NULL)) {
            char *why = tm_i_form_bad_utf8(f, len);
            char *msg = g_strdup_printf("header: %s", why);
            fail_at(ctx, error, rec->line, i + 1, NULL, msg);
            g_free(why);
            g_free(msg);
            return FALSE;
        }
    }
    if (rec->error != NULL) {
        char *msg = g_strdup_printf("header: %s", rec->error);
        fail_at(ctx, error, rec->line, rec->error_field + 1, NULL, msg);
        g_free(msg);
        return FALSE;
    }
    ctx->headers = tm_i_try_alloc((int64_t)rec->n + 1, sizeof(char *), TRUE, "review headers",
                                  error);
    if (ctx->headers == NULL)
        return FALSE;
    ctx->n_headers = rec->n;
    for (int i = 0; i < rec->n; i++) {
        gsize n;
        const char *t = tm_i_trim(tm_csv_field(rec, i, NULL), &n);
        ctx->headers[i] = g_strndup(t, n);
    }
    for (int f = 0; f < RC_N; f++)
        ctx->col_of[f] = -1;
    for (int i = 0; i < ctx->n_headers; i++) {
        if (ctx->headers[i][0] == '\0')
            continue; /* a column without a header: its cells are ignored */
        char *key = norm_header(ctx->headers[i]);
        int f = lookup(key);
        g_free(key);
        if (f == -1) {
            char *msg = g_strdup_printf(
                "unknown column '%s' (a review has the columns decision/决定, "
                "commissioner/特派员, site/派驻点 and note/备注; see docs/review.md)",
                ctx->headers[i]);
            fail_at(ctx, error, rec->line, i + 1, NULL, msg);
            g_free(msg);
            return FALSE;
        }
        if (f >= 0 && ctx->col_of[f] >= 0) {
            char *msg = g_strdup_printf("column %s is given twice: as '%s' in column %d and "
                                        "again here",
                                        column_label[f], ctx->headers[ctx->col_of[f]],
                                        ctx->col_of[f] + 1);
            fail_at(ctx, error, rec->line, i + 1, ctx->headers[i], msg);
            g_free(msg);
            return FALSE;
        }
        if (f >= 0)
            ctx->col_of[f] = i;
    }
    if (ctx->col_of[RC_DECISION] < 0)
        return fail_at(ctx, error, rec->line, 0, NULL,
                       "missing required column: decision (决定)");
    if (ctx->col_of[RC_COMMISSIONER] < 0 && ctx->col_of[RC_SITE] < 0)
        return fail_at(ctx, error, rec->line, 0, NULL,
                       "missing required columns: commissioner (特派员) or site (派驻点), at "
                       "least one of them");
    return TRUE;
}

/* ---- the rows ------------------------------------------------------------ */

/* Trimmed copy of the cell of @f, NULL when the column is absent or the
 * cell is blank. */
static char *cell(const Ctx *ctx, const TmCsvRecord *rec, int f)
{
    int col = ctx->col_of[f];
    if (col < 0)
        return NULL;
    gsize n;
    const char *t = tm_i_trim(tm_csv_field(rec, col, NULL), &n);
    return n > 0 ? g_strndup(t, n) : NULL;
}

static gboolean parse_row(const Ctx *ctx, const TmCsvRecord *rec, Row *row, GError **error)
{
    int line = rec->line;
    if (rec->error != NULL) {
        int col = rec->error_field + 1;
        return fail_at(ctx, error, line, col, header_at(ctx, col), rec->error);
    }
    if (rec->n != ctx->n_headers) {
        char *msg = g_strdup_printf("wrong number of fields: the row has %d, the header has %d",
                                    rec->n, ctx->n_headers);
        fail_at(ctx, error, line, rec->n > ctx->n_headers ? ctx->n_headers + 1 : rec->n + 1,
                NULL, msg);
        g_free(msg);
        return FALSE;
    }
    for (int f = 0; f < RC_N; f++) {
        int col = ctx->col_of[f];
        if (col < 0)
            continue;
        gsize len;
        const char *v = tm_csv_field(rec, col, &len);
        if (!g_utf8_validate_len(v, len, NULL)) {
            char *why = tm_i_form_bad_utf8(v, len);
            fail_field(ctx, error, line, f, "%s", why);
            g_free(why);
            return FALSE;
        }
    }
    char *decision = cell(ctx, rec, RC_DECISION);
    int kind = tm_decision_kind_from_string(decision);
    if (kind < 0) {
        fail_field(ctx, error, line, RC_DECISION,
                   "%s%s%s: expected pin (确认), veto (否决), exclude (排除) or admit (增补)",
                   decision ? "unknown decision '" : "empty", decision ? decision : "",
                   decision ? "'" : "");
        g_free(decision);
        return FALSE;
    }
    g_free(decision);
    row->kind = (TmDecisionKind)kind;
    row->line = line;
    row->commissioner = cell(ctx, rec, RC_COMMISSIONER);
    row->site = cell(ctx, rec, RC_SITE);
    row->note = cell(ctx, rec, RC_NOTE);
    const char *code = tm_decision_kind_code(row->kind);
    if (kind == TM_DECISION_PIN || kind == TM_DECISION_VETO) {
        int missing = row->commissioner == NULL ? RC_COMMISSIONER : row->site == NULL ? RC_SITE : -1;
        if (missing >= 0)
            return fail_field(ctx, error, line, missing,
                              "a %s (%s) names a commissioner and a site; the %s is missing",
                              code, tm_decision_kind_label_zh(row->kind),
                              missing == RC_SITE ? "site" : "commissioner");
    } else if (row->commissioner != NULL && row->site != NULL) {
        return fail_field(ctx, error, line, RC_SITE,
                          "an %s (%s) names one agent, a commissioner or a site, not both "
                          "(write one row for each)",
                          code, tm_decision_kind_label_zh(row->kind));
    } else if (row->commissioner == NULL && row->site == NULL) {
        return fail_field(ctx, error, line,
                          ctx->col_of[RC_COMMISSIONER] >= 0 ? RC_COMMISSIONER : RC_SITE,
                          "an %s (%s) names the commissioner or the site it concerns; both "
                          "cells are empty",
                          code, tm_decision_kind_label_zh(row->kind));
    }
    row->source = g_strdup_printf("%s:%d", ctx->file, line);
    return TRUE;
}

/* ---- duplicates and contradictions --------------------------------------- */

/* What a decision is about: "P\x1fC\x1fS" for a pair (pin, veto), "C\x1fNAME"
 * or "S\x1fNAME" for an agent (exclude, admit). */
static char *subject_key(TmDecisionKind kind, const char *c, const char *s)
{
    if (kind == TM_DECISION_PIN || kind == TM_DECISION_VETO)
        return g_strdup_printf("P\x1f%s\x1f%s", c, s);
    return c ? g_strdup_printf("C\x1f%s", c) : g_strdup_printf("S\x1f%s", s);
}

typedef struct {
    TmDecisionKind kind;
    const char *source; /* borrowed: "FILE:LINE" or the decision's source, may be NULL */
    int32_t index;      /* in the review, or -1 for this file's rows */
} Seen;

static const char *where(const Seen *s, char *buf, gsize size)
{
    if (s->source != NULL)
        return s->source;
    g_snprintf(buf, size, "decision %d of the review", s->index + 1);
    return buf;
}

/* Refuses @row when an earlier decision decides the same pair or agent, or
 * pins a pair with an agent @row excludes (or the other way round). */
static gboolean check_against(const Ctx *ctx, GHashTable *subjects, GHashTable *pinned,
                              GHashTable *excluded, const Row *row, GError **error)
{
    char buf[64];
    char *key = subject_key(row->kind, row->commissioner, row->site);
    const Seen *other = g_hash_table_lookup(subjects, key);
    g_free(key);
    int f = row->kind == TM_DECISION_PIN || row->kind == TM_DECISION_VETO || row->commissioner
                ? RC_COMMISSIONER
                : RC_SITE;
    if (other != NULL) {
        const char *what = other->kind == row->kind ? "the same decision is already at"
                                                    : "a contradicting decision is already at";
        return fail_field(ctx, error, row->line, RC_DECISION,
                          "%s %s (%s %s): a pair or an agent is decided once (remove one of the "
                          "two rows)",
                          what, where(other, buf, sizeof buf), tm_decision_kind_code(other->kind),
                          tm_decision_kind_label_zh(other->kind));
    }
    if (row->kind == TM_DECISION_PIN) {
        const char *names[2] = {row->commissioner, row->site};
        for (int k = 0; k < 2; k++) {
            char *ak = k == 0 ? g_strdup_printf("C\x1f%s", names[0])
                              : g_strdup_printf("S\x1f%s", names[1]);
            other = g_hash_table_lookup(excluded, ak);
            g_free(ak);
            if (other != NULL)
                return fail_field(ctx, error, row->line, k == 0 ? RC_COMMISSIONER : RC_SITE,
                                  "pins '%s', whom %s excludes: an excluded agent cannot be "
                                  "pinned",
                                  names[k], where(other, buf, sizeof buf));
        }
    } else if (row->kind == TM_DECISION_EXCLUDE) {
        char *ak = row->commissioner ? g_strdup_printf("C\x1f%s", row->commissioner)
                                     : g_strdup_printf("S\x1f%s", row->site);
        other = g_hash_table_lookup(pinned, ak);
        g_free(ak);
        if (other != NULL)
            return fail_field(ctx, error, row->line, f,
                              "excludes '%s', whom %s pins: an excluded agent cannot be pinned",
                              row->commissioner ? row->commissioner : row->site,
                              where(other, buf, sizeof buf));
    }
    return TRUE;
}

/* Records what @kind on (@c, @s) decides. */
static void remember(GHashTable *subjects, GHashTable *pinned, GHashTable *excluded,
                     GPtrArray *seen_store, TmDecisionKind kind, const char *c, const char *s,
                     const char *source, int32_t index)
{
    Seen *seen = g_new(Seen, 1);
    *seen = (Seen){kind, source, index};
    g_ptr_array_add(seen_store, seen);
    g_hash_table_insert(subjects, subject_key(kind, c, s), seen);
    if (kind == TM_DECISION_PIN) {
        g_hash_table_insert(pinned, g_strdup_printf("C\x1f%s", c), seen);
        g_hash_table_insert(pinned, g_strdup_printf("S\x1f%s", s), seen);
    } else if (kind == TM_DECISION_EXCLUDE) {
        g_hash_table_insert(excluded,
                            c ? g_strdup_printf("C\x1f%s", c) : g_strdup_printf("S\x1f%s", s),
                            seen);
    }
}

/* ---- the file ------------------------------------------------------------ */

static gboolean read_review(TmReview *review, const char *data, gsize len, const char *file,
                            GError **error)
{
    Ctx ctx = {file, {-1, -1, -1, -1}, NULL, 0};
    const guchar *d = (const guchar *)data;
    if (len >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF)))
        return fail_at(&ctx, error, 1, 0, NULL, "the file is UTF-16 encoded; save it as UTF-8");
    if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) {
        data += 3;
        len -= 3;
    }
    TmCsv csv;
    tm_csv_init(&csv, data, len);
    TmCsvRecord rec;
    tm_csv_record_init(&rec);
    GPtrArray *rows = g_ptr_array_new_with_free_func(row_free);
    GHashTable *subjects = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *pinned = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *excluded = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GPtrArray *seen = g_ptr_array_new_with_free_func(g_free);
    /* the decisions already in the review count as earlier rows */
    for (int32_t i = 0; i < tm_review_n_decisions(review); i++) {
        const char *c, *s, *src;
        int kind = tm_review_decision(review, i, &c, &s, NULL, &src);
        char *key = subject_key((TmDecisionKind)kind, c, s);
        gboolean dup = g_hash_table_contains(subjects, key);
        g_free(key);
        if (!dup) /* the review itself may hold duplicates; the selection refuses those */
            remember(subjects, pinned, excluded, seen, (TmDecisionKind)kind, c, s, src, i);
    }
    gboolean ok = read_header(&ctx, &csv, &rec, error);
    while (ok && tm_csv_next(&csv, &rec)) {
        if (rec.error == NULL && record_is_blank(&rec))
            continue;
        Row *row = g_new0(Row, 1);
        g_ptr_array_add(rows, row);
        ok = parse_row(&ctx, &rec, row, error) &&
             check_against(&ctx, subjects, pinned, excluded, row, error);
        if (ok)
            remember(subjects, pinned, excluded, seen, row->kind, row->commissioner, row->site,
                     row->source, -1);
    }
    if (ok && (int64_t)tm_review_n_decisions(review) + rows->len > G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s: too many decisions", file);
        ok = FALSE;
    }
    for (guint i = 0; ok && i < rows->len; i++) {
        const Row *r = g_ptr_array_index(rows, i);
        /* every row was checked as tm_review_add() checks: this cannot fail */
        ok = tm_review_add(review, r->kind, r->commissioner, r->site, r->note, r->source, error) >= 0;
    }
    tm_csv_record_clear(&rec);
    g_ptr_array_unref(seen);
    g_hash_table_destroy(subjects);
    g_hash_table_destroy(pinned);
    g_hash_table_destroy(excluded);
    g_ptr_array_unref(rows);
    if (ctx.headers != NULL)
        g_strfreev(ctx.headers);
    return ok;
}

gboolean tm_review_load_data(TmReview *review, const char *data, gssize len,
                             const char *source_name, GError **error)
{
    if (review == NULL || data == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "review: %s is NULL",
                    review == NULL ? "the review" : "the data");
        return FALSE;
    }
    gsize n = len < 0 ? strlen(data) : (gsize)len;
    return read_review(review, data, n, source_name ? source_name : "<data>", error);
}

gboolean tm_review_load_file(TmReview *review, const char *path, GError **error)
{
    if (review == NULL || path == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "review: %s is NULL",
                    review == NULL ? "the review" : "the path");
        return FALSE;
    }
    char *buf = NULL;
    gsize len = 0;
    GError *io = NULL;
    if (!g_file_get_contents(path, &buf, &len, &io)) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: cannot read the review: %s", path,
                    io->message);
        g_error_free(io);
        return FALSE;
    }
    gboolean ok = read_review(review, buf, len, path, error);
    g_free(buf);
    return ok;
}
