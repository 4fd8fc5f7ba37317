/* Fuzz harness: the review reader (tm_review_load_data; review.h,
 * docs/review.md).  The input is read as `fuzz.csv` into a review that
 * already holds one decision.  Properties:
 *   - a failed load is TM_ERROR_PARSE (or NO_MEMORY) with a UTF-8 message
 *     `fuzz.csv:LINE:COLUMN: ...`, LINE >= 1, COLUMN >= 0; the review still
 *     holds its one decision (all or nothing); the same input fails with the
 *     same message again;
 *   - a loaded review is well formed: every decision's kind is known, a pin
 *     or a veto names two agents and an exclusion or an admission one, names
 *     and notes are non-empty trimmed UTF-8, sources are `fuzz.csv:LINE`
 *     with lines increasing, and no two decisions (the first one included)
 *     decide the same pair or agent;
 *   - what was read reloads to the same decisions: the review written back
 *     as CSV (every cell quoted) reads to equal kinds, names and notes. */
#include "fuzz_common.h"

static void check_failure(const GError *err, const char *data, size_t size)
{
    fz_check_error(err, "tm_review_load_data");
    FZ_CHECK(err->code == TM_ERROR_PARSE || err->code == TM_ERROR_NO_MEMORY,
             "review: code %d: %s", err->code, err->message);
    if (err->code == TM_ERROR_NO_MEMORY)
        return;
    const char *m = err->message;
    FZ_CHECK(g_str_has_prefix(m, "fuzz.csv:"), "review message without the source: %s", m);
    const char *q = m + strlen("fuzz.csv:");
    FZ_CHECK(g_ascii_isdigit(*q) && *q != '0', "review message without a line: %s", m);
    while (g_ascii_isdigit(*q))
        q++;
    FZ_CHECK(*q == ':' && g_ascii_isdigit(q[1]), "review message without a column: %s", m);
    q++;
    while (g_ascii_isdigit(*q))
        q++;
    FZ_CHECK(q[0] == ':' && q[1] == ' ', "review message: %s", m);
    /* the second review is empty: a decision refused for repeating the
     * harness's own may pass there */
    if (strstr(m, "earlier:1") != NULL)
        return;
    TmReview *again = tm_review_new();
    GError *e2 = NULL;
    FZ_CHECK(!tm_review_load_data(again, data, (gssize)size, "fuzz.csv", &e2) && e2 != NULL,
             "a second load succeeds");
    FZ_CHECK(strcmp(e2->message, m) == 0, "a second load differs: %s / %s", m, e2->message);
    g_error_free(e2);
    tm_review_free(again);
}

static void check_text(const char *s, const char *what)
{
    fz_check_text(s, what);
    gsize n = strlen(s);
    FZ_CHECK(n > 0, "%s is empty", what);
    FZ_CHECK(s[0] != ' ' && s[n - 1] != ' ' && s[0] != '\t' && s[n - 1] != '\t',
             "%s is not trimmed: [%s]", what, s);
}

static char *subject(int kind, const char *c, const char *s)
{
    if (kind == TM_DECISION_PIN || kind == TM_DECISION_VETO)
        return g_strdup_printf("P\x1f%s\x1f%s", c, s);
    return c ? g_strdup_printf("C\x1f%s", c) : g_strdup_printf("S\x1f%s", s);
}

static void check_review(const TmReview *r)
{
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    long last_line = 0;
    for (int32_t i = 0; i < tm_review_n_decisions(r); i++) {
        const char *c, *s, *note, *src;
        int kind = tm_review_decision(r, i, &c, &s, &note, &src);
        FZ_CHECK(kind >= 0 && kind < TM_N_DECISION_KINDS, "decision %d: kind %d", i, kind);
        if (kind == TM_DECISION_PIN || kind == TM_DECISION_VETO)
            FZ_CHECK(c && s, "decision %d: a pin or veto without both names", i);
        else
            FZ_CHECK((c == NULL) != (s == NULL), "decision %d: an exclusion names %s", i,
                     c ? "both" : "none");
        if (c)
            check_text(c, "commissioner");
        if (s)
            check_text(s, "site");
        if (note)
            check_text(note, "note");
        char *key = subject(kind, c, s);
        FZ_CHECK(!g_hash_table_contains(seen, key), "decision %d decides a subject twice", i);
        g_hash_table_add(seen, key);
        if (i == 0)
            continue; /* the harness's own */
        FZ_CHECK(src && g_str_has_prefix(src, "fuzz.csv:"), "decision %d: source %s", i,
                 src ? src : "(none)");
        char *end = NULL;
        long line = strtol(src + strlen("fuzz.csv:"), &end, 10);
        FZ_CHECK(end && *end == '\0' && line > last_line, "decision %d: source %s after line %ld",
                 i, src, last_line);
        last_line = line;
    }
    g_hash_table_destroy(seen);
}

static void append_cell(GString *out, const char *text)
{
    g_string_append_c(out, '"');
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == '"')
            g_string_append_c(out, '"');
        g_string_append_c(out, *p);
    }
    g_string_append_c(out, '"');
}

static void check_reload(const TmReview *r)
{
    GString *csv = g_string_new("decision,commissioner,site,note\n");
    for (int32_t i = 1; i < tm_review_n_decisions(r); i++) {
        const char *c, *s, *note;
        int kind = tm_review_decision(r, i, &c, &s, &note, NULL);
        g_string_append(csv, tm_decision_kind_code((TmDecisionKind)kind));
        g_string_append_c(csv, ',');
        append_cell(csv, c);
        g_string_append_c(csv, ',');
        append_cell(csv, s);
        g_string_append_c(csv, ',');
        append_cell(csv, note);
        g_string_append_c(csv, '\n');
    }
    TmReview *back = tm_review_new();
    GError *err = NULL;
    FZ_CHECK(tm_review_load_data(back, csv->str, (gssize)csv->len, "back.csv", &err),
             "the review written back does not load: %s\n%s", err ? err->message : "?",
             csv->str);
    FZ_CHECK(tm_review_n_decisions(back) == tm_review_n_decisions(r) - 1,
             "reloaded %d decisions of %d", tm_review_n_decisions(back),
             tm_review_n_decisions(r) - 1);
    for (int32_t i = 0; i < tm_review_n_decisions(back); i++) {
        const char *c1, *s1, *n1, *c2, *s2, *n2;
        int k1 = tm_review_decision(r, i + 1, &c1, &s1, &n1, NULL);
        int k2 = tm_review_decision(back, i, &c2, &s2, &n2, NULL);
        FZ_CHECK(k1 == k2 && g_strcmp0(c1, c2) == 0 && g_strcmp0(s1, s2) == 0 &&
                     g_strcmp0(n1, n2) == 0,
                 "decision %d differs after reload", i + 1);
    }
    tm_review_free(back);
    g_string_free(csv, TRUE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    TmReview *r = tm_review_new();
    FZ_CHECK(tm_review_add(r, TM_DECISION_VETO, "甲", "乙", NULL, "earlier:1", NULL) == 0,
             "tm_review_add");
    GError *err = NULL;
    if (!tm_review_load_data(r, (const char *)data, (gssize)size, "fuzz.csv", &err)) {
        FZ_CHECK(tm_review_n_decisions(r) == 1, "a failed load left %d decisions",
                 tm_review_n_decisions(r));
        check_failure(err, (const char *)data, size);
        g_error_free(err);
        tm_review_free(r);
        return 0;
    }
    FZ_CHECK(err == NULL, "a loaded review with an error set");
    check_review(r);
    check_reload(r);
    TmReview *copy = tm_review_copy(r);
    FZ_CHECK(tm_review_n_decisions(copy) == tm_review_n_decisions(r), "copy");
    tm_review_free(copy);
    tm_review_free(r);
    return 0;
}
