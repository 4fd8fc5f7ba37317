/* Fuzz harness: the JSON matching reader
 * (tm_instance_load_matching_json_data).
 *
 * Input: either `INSTANCE\n=====\nMATCHING` (an instance and a matching
 * document split at the first such line), or a matching document alone,
 * read against one of three fixed instances (strict, with ties, with
 * groups): a first line `0`, `1` or `2` picks one, else instance 0.
 * Properties:
 *   - a failed load returns NULL with a TM_ERROR (UTF-8 message); a second
 *     load of the same text fails the same way (no state);
 *   - a loaded matching's pairs are in range and distinct, and equal the
 *     names of the document's "pairs" as json-glib reads them, in order;
 *   - its audit equals the brute force of fuzz_common.h (small instances),
 *     and with groups tm_matching_check_groups() runs and is consistent
 *     with the plain audit (every violation of the plain audit is in it);
 *   - tm_instance_matching_to_json() reloads to the same pairs. */
#include <json-glib/json-glib.h>
#include "fuzz_common.h"

static const char *const FIXED[3] = {
    "{\"supply\": [{\"name\": \"c1\", \"prefs\": [\"s1\", \"s2\", \"站3\"]},"
    " {\"name\": \"c2\", \"capacity\": 2, \"prefs\": [\"s2\", \"s1\"]},"
    " {\"name\": \"张三\", \"prefs\": [\"站3\", \"s1\"]}, {\"name\": \"c4\", \"capacity\": 0}],"
    " \"demand\": [{\"name\": \"s1\", \"capacity\": 2, \"prefs\": [\"张三\", \"c1\", \"c2\"]},"
    " {\"name\": \"s2\", \"prefs\": [\"c1\", \"c2\"]},"
    " {\"name\": \"站3\", \"prefs\": [\"c1\", \"张三\", \"c4\"]}]}",
    "{\"supply\": [{\"name\": \"a\", \"prefs\": [[\"x\", \"y\"], \"z\"]},"
    " {\"name\": \"b\", \"prefs\": [\"x\", [\"y\", \"z\"]]}, {\"name\": \"c\", \"prefs\": [\"z\"]}],"
    " \"demand\": [{\"name\": \"x\", \"prefs\": [[\"a\", \"b\"]]},"
    " {\"name\": \"y\", \"prefs\": [\"b\", \"a\"]}, {\"name\": \"z\", \"capacity\": 2, \"prefs\": [\"c\", [\"a\", \"b\"]]}]}",
    "{\"supply\": [{\"name\": \"c1\", \"prefs\": [\"s1\", \"s2\", \"s3\"]},"
    " {\"name\": \"c2\", \"prefs\": [\"s1\", \"s3\"]}, {\"name\": \"c3\", \"prefs\": [\"s2\", \"s1\"]}],"
    " \"demand\": [{\"name\": \"s1\", \"capacity\": 2, \"prefs\": [\"c1\", \"c2\", \"c3\"]},"
    " {\"name\": \"s2\", \"prefs\": [\"c3\", \"c1\"]}, {\"name\": \"s3\", \"prefs\": [\"c2\", \"c1\"]}],"
    " \"groups\": [{\"name\": \"all\", \"members\": [\"s1\", \"s2\", \"s3\"], \"cap\": 2},"
    " {\"name\": \"one\", \"members\": [\"s2\"], \"cap\": 1, \"floor\": 1}],"
    " \"priority\": [\"c3\"]}",
};

static const char SEP[] = "\n=====\n";

/* The "pairs" of @text as json-glib reads them, as ids of @inst; FALSE when
 * json-glib sees no such list of name pairs. */
static gboolean reference_pairs(const TmInstance *inst, const char *text, gsize len, GArray *s,
                                GArray *d)
{
    JsonParser *parser = json_parser_new();
    gboolean ok = json_parser_load_from_data(parser, text, (gssize)len, NULL);
    JsonNode *root = ok ? json_parser_get_root(parser) : NULL;
    ok = root && JSON_NODE_HOLDS_OBJECT(root);
    JsonObject *obj = ok ? json_node_get_object(root) : NULL;
    JsonNode *pairs = ok ? json_object_get_member(obj, "pairs") : NULL;
    ok = pairs && JSON_NODE_HOLDS_ARRAY(pairs);
    JsonArray *arr = ok ? json_node_get_array(pairs) : NULL;
    for (guint i = 0; ok && i < json_array_get_length(arr); i++) {
        JsonNode *p = json_array_get_element(arr, i);
        ok = JSON_NODE_HOLDS_ARRAY(p) && json_array_get_length(json_node_get_array(p)) == 2;
        for (guint k = 0; ok && k < 2; k++) {
            JsonNode *e = json_array_get_element(json_node_get_array(p), k);
            ok = JSON_NODE_HOLDS_VALUE(e) && json_node_get_value_type(e) == G_TYPE_STRING;
            if (ok) {
                int32_t id = tm_instance_lookup(inst, k == 0 ? TM_SIDE_SUPPLY : TM_SIDE_DEMAND,
                                                json_node_get_string(e));
                ok = id >= 0;
                g_array_append_val(k == 0 ? s : d, id);
            }
        }
    }
    g_object_unref(parser);
    return ok;
}

static void check_reload(const TmInstance *inst, const TmMatching *mt)
{
    GError *err = NULL;
    char *doc = tm_instance_matching_to_json(inst, mt, &err);
    FZ_CHECK(doc != NULL, "matching_to_json: %s", err ? err->message : "?");
    fz_check_text(doc, "solution document");
    TmMatching *back = tm_instance_load_matching_json_data(inst, doc, -1, "solution", &err);
    FZ_CHECK(back != NULL, "the solution document does not reload: %s", err ? err->message : "?");
    int32_t *s1, *d1, *s2, *d2;
    int64_t n1 = fz_pairs(mt, &s1, &d1), n2 = fz_pairs(back, &s2, &d2);
    FZ_CHECK(n1 == n2 && (n1 == 0 || (memcmp(s1, s2, (size_t)n1 * 4) == 0 &&
                                      memcmp(d1, d2, (size_t)n1 * 4) == 0)),
             "the solution document reloads to other pairs");
    g_free(s1);
    g_free(d1);
    g_free(s2);
    g_free(d2);
    tm_matching_free(back);
    g_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *mtext = text;
    gsize mlen = size;
    GError *err = NULL;
    TmInstance *inst = NULL;
    const char *sep = size >= sizeof SEP - 1 ? g_strstr_len(text, (gssize)size, SEP) : NULL;
    if (sep != NULL) {
        inst = tm_instance_load_json_data(text, sep - text, "instance.json", &err);
        if (inst == NULL) {
            fz_check_error(err, "tm_instance_load_json_data");
            g_error_free(err);
            return 0;
        }
        mtext = sep + sizeof SEP - 1;
        mlen = size - (gsize)(mtext - text);
    } else {
        int which = 0;
        if (size >= 2 && data[0] >= '0' && data[0] <= '2' && data[1] == '\n') {
            which = data[0] - '0';
            mtext += 2;
            mlen -= 2;
        }
        inst = tm_instance_load_json_data(FIXED[which], -1, "fixed.json", &err);
        FZ_CHECK(inst != NULL, "fixed instance %d: %s", which, err ? err->message : "?");
    }
    TmMarket *m = tm_instance_market(inst);
    int32_t ns = tm_market_size(m, TM_SIDE_SUPPLY), nd = tm_market_size(m, TM_SIDE_DEMAND);

    TmMatching *mt = tm_instance_load_matching_json_data(inst, mtext, (gssize)mlen, "m.json", &err);
    if (mt == NULL) {
        fz_check_error(err, "tm_instance_load_matching_json_data");
        GError *err2 = NULL;
        TmMatching *mt2 = tm_instance_load_matching_json_data(inst, mtext, (gssize)mlen, "m.json", &err2);
        FZ_CHECK(mt2 == NULL && err2 && err2->code == err->code &&
                     strcmp(err2->message, err->message) == 0,
                 "a second load of the same text differs");
        g_error_free(err2);
        g_error_free(err);
        tm_instance_free(inst);
        return 0;
    }
    FZ_CHECK(tm_matching_market(mt) == m, "the matching is on another market");
    int32_t *ps, *pd;
    int64_t np = fz_pairs(mt, &ps, &pd);
    for (int64_t i = 0; i < np; i++)
        FZ_CHECK(ps[i] >= 0 && ps[i] < ns && pd[i] >= 0 && pd[i] < nd, "pair out of range");

    /* the pairs are the document's, as a reference JSON parser reads them */
    GArray *rs = g_array_new(FALSE, FALSE, sizeof(int32_t));
    GArray *rd = g_array_new(FALSE, FALSE, sizeof(int32_t));
    FZ_CHECK(reference_pairs(inst, mtext, mlen, rs, rd),
             "a matching loaded from text json-glib does not read as a list of name pairs");
    FZ_CHECK((int64_t)rs->len == np, "%lld pairs loaded, the document has %u", (long long)np, rs->len);
    for (guint i = 0; i < rs->len; i++) {
        gboolean found = FALSE;
        for (int64_t k = 0; k < np && !found; k++)
            found = ps[k] == g_array_index(rs, int32_t, i) && pd[k] == g_array_index(rd, int32_t, i);
        FZ_CHECK(found, "pair %u of the document is not in the matching", i);
    }
    g_array_free(rs, TRUE);
    g_array_free(rd, TRUE);

    if (ns <= 12 && nd <= 12) {
        FzModel model;
        fz_model_from_market(&model, m);
        fz_check_audit(&model, mt);
        fz_model_clear(&model);
    }
    const TmGroups *groups = tm_instance_groups(inst);
    if (groups != NULL) {
        TmVerdict *plain = tm_matching_check(mt, &err);
        TmVerdict *gv = tm_matching_check_groups(mt, groups, &err);
        FZ_CHECK(plain && gv, "audit: %s", err ? err->message : "?");
        FZ_CHECK(tm_verdict_n_violations(gv) >= tm_verdict_n_violations(plain),
                 "the groups audit lists fewer violations than the plain one");
        if (tm_verdict_is_stable(gv))
            FZ_CHECK(tm_verdict_n_violations(plain) == 0, "groups audit stable with violations");
        tm_verdict_free(plain);
        tm_verdict_free(gv);
    }
    check_reload(inst, mt);
    g_free(ps);
    g_free(pd);
    tm_matching_free(mt);
    tm_instance_free(inst);
    return 0;
}
