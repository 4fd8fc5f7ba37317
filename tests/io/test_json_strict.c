/* The strict streaming JSON reader (issue 7), through the public API:
 * tm_instance_load_json_data/_file() and the matching loaders.
 *
 *   io.strict_syntax    RFC 8259 only: comments, single quotes, hex, NaN,
 *                       trailing commas, duplicate keys, truncation — each
 *                       TM_ERROR_PARSE at file:line:column
 *   io.strict_strings   \u0000, lone surrogates (a message that is valid
 *                       UTF-8), invalid UTF-8 with its place, escapes decoded
 *   io.strict_numbers   counts are integers; huge values; subnormals in the
 *                       configuration
 *   io.strict_nesting   64 levels pass, 65 fail cleanly, a million too
 *   io.strict_chunks    every chunk size from 1 byte: same instance, same
 *                       errors at the same places (tokens split anywhere)
 *   io.strict_roundtrip instances written with json-glib reload to the same
 *                       market; solution documents reload to the same matching
 *
 * The chunk size is the reader's internal knob tm_i_json_chunk_size
 * (src/io/json_stream_private.h), reached through the static library.  It
 * is declared weak so that this file also links against a library without
 * the knob (the json-glib reader): there the chunk tests fail, as do the
 * regression tests, which is what they are for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <techmatch/techmatch.h>

#include "testutil.h"

extern size_t tm_i_json_chunk_size __attribute__((weak));

static TmInstance *
load(const char *json, GError **error)
{
    return tm_instance_load_json_data(json, -1, "t.json", error);
}

/* Loading @json fails with @code and a message containing @fragment. */
static void
refused(const char *json, int code, const char *fragment)
{
    GError *err = NULL;
    TmInstance *inst = load(json, &err);
    if (inst != NULL) {
        print_error("accepted: %s\n", json);
        tm_instance_free(inst);
        fail();
    }
    tt_expect_error(&err, code, fragment);
}

static const char GOOD[] = "{\"supply\": [{\"name\": \"c1\", \"prefs\": [\"s1\"]}],\n"
                           " \"demand\": [{\"name\": \"s1\", \"prefs\": [\"c1\"]}]}";

/* ---- syntax ------------------------------------------------------------- */

static void
test_not_json(void **state)
{
    (void)state;
    /* each was accepted by json-glib (and changed the data) or refused
     * without a place */
    refused("{/* note */ \"supply\": [], \"demand\": []}", TM_ERROR_PARSE,
            "t.json:1:2: comments are not allowed");
    refused("{\"supply\": [], // note\n \"demand\": []}", TM_ERROR_PARSE,
            "t.json:1:16: comments are not allowed");
    refused("{\"supply\": [{\"name\": 'c1'}], \"demand\": []}", TM_ERROR_PARSE,
            "t.json:1:22: single-quoted strings are not allowed");
    refused("{\"supply\": [{\"name\": \"c1\", \"capacity\": 0x10}], \"demand\": []}",
            TM_ERROR_PARSE, "t.json:1:41: hexadecimal numbers are not JSON");
    refused("{\"supply\": [{\"name\": \"c1\", \"capacity\": NaN}], \"demand\": []}",
            TM_ERROR_PARSE, "t.json:1:40: NaN and Infinity are not JSON numbers");
    refused("{\"supply\": [{\"name\": \"c1\", \"capacity\": -Infinity}], \"demand\": []}",
            TM_ERROR_PARSE, "t.json:1:41: a digit must follow '-'");
    refused("{\"supply\": [{\"name\": \"c1\", \"prefs\": [\"s1\",]}],\n \"demand\": []}",
            TM_ERROR_PARSE, "t.json:1:43: trailing comma before ']'");
    refused("{\"supply\": [], \"demand\": [],}", TM_ERROR_PARSE,
            "t.json:1:29: trailing comma before '}'");
    refused("{\"supply\": [], \"demand\": [], \"x\": 01}", TM_ERROR_PARSE,
            "t.json:1:36: a number must not start with 0");
    refused("{\"supply\": [], \"demand\": []} []", TM_ERROR_PARSE,
            "t.json:1:30: unexpected '[' after the end of the document");
    refused("{\"supply\": [], \"demand\": [], \"x\": .5}", TM_ERROR_PARSE,
            "t.json:1:35: unexpected character `.'");
    refused("{\"supply\" [], \"demand\": []}", TM_ERROR_PARSE,
            "t.json:1:11: expected ':' after the key");
    refused("{\"supply\": [] \"demand\": []}", TM_ERROR_PARSE, "t.json:1:15: expected ',' or '}'");
    refused("{\"supply\": [], \"demand\": [], \"x\": tru}", TM_ERROR_PARSE, "t.json:1:35: not JSON");
    refused("\xef\xbb\xbf[]", TM_ERROR_PARSE, "t.json:1:2: the top level must be a JSON object, got a list");
    refused("  \n ", TM_ERROR_PARSE, "t.json: empty document");
    /* a byte order mark is skipped */
    GError *err = NULL;
    char *bom = g_strconcat("\xef\xbb\xbf", GOOD, NULL);
    TmInstance *inst = load(bom, &err);
    g_free(bom);
    assert_non_null(inst);
    tm_instance_free(inst);
}

/* A second "supply" used to replace the first: every agent dropped. */
static void
test_duplicate_keys(void **state)
{
    (void)state;
    refused("{\"supply\": [{\"name\": \"c1\", \"prefs\": [\"s1\"]}],\n"
            " \"demand\": [{\"name\": \"s1\", \"prefs\": [\"c1\"]}],\n"
            " \"supply\": []}",
            TM_ERROR_PARSE,
            "t.json:3:2: duplicate key \"supply\" in one object (first at line 1, column 2;");
    refused("{\"supply\": [{\"name\": \"c1\", \"capacity\": 2, \"capacity\": 1}], \"demand\": []}",
            TM_ERROR_PARSE, "t.json:1:43: duplicate key \"capacity\" in one object (first at line 1, column 28");
    refused("{\"supply\": [], \"demand\": [], \"x\": {\"a\": {\"b\": 1}, \"b\": 2, \"a\": 3}}",
            TM_ERROR_PARSE, "t.json:1:59: duplicate key \"a\" in one object (first at line 1, column 36");
    /* the same key in sibling and nested objects is fine; keys with the
     * same bytes up to a NUL-free prefix are different */
    GError *err = NULL;
    TmInstance *inst = load("{\"x\": {\"a\": {\"a\": 1}, \"b\": {\"a\": 2}}, \"supply\": [{\"name\": "
                            "\"c1\"}, {\"name\": \"c2\"}], \"demand\": [], \"ab\": 1, \"a\": 2}",
                            &err);
    assert_non_null(inst);
    assert_int_equal(tm_market_size(tm_instance_market(inst), TM_SIDE_SUPPLY), 2);
    tm_instance_free(inst);
    /* many keys in one object: a table, not a scan */
    GString *big = g_string_new("{\"supply\": [], \"demand\": [], \"x\": {");
    for (int k = 0; k < 100000; k++)
        g_string_append_printf(big, "%s\"k%d\": %d", k > 0 ? ", " : "", k, k);
    g_string_append(big, ", \"k77777\": 0}}");
    refused(big->str, TM_ERROR_PARSE, "duplicate key \"k77777\"");
    g_string_free(big, TRUE);
}

/* A truncated file says so, at its end. */
static void
test_truncated(void **state)
{
    (void)state;
    refused("{\"supply\": [{\"name\": \"c1\", \"prefs\": [\"s1\",", TM_ERROR_PARSE,
            "t.json:1:43: unexpected end of input (4 lists or objects still open)");
    refused("{\"supply\": [{\"name\": \"c1\", \"prefs\": [\"s1\"]}],\n \"demand\": [{\"name\": \"s",
            TM_ERROR_PARSE, "t.json:2:24: unexpected end of input in a string (it starts at line 2, column 22)");
    refused("{\"supply\": [], \"demand\": [], \"x\": 12e", TM_ERROR_PARSE,
            "t.json:1:38: unexpected end of input");
    refused("{\"supply\": [], \"demand\": [], \"x\": nul", TM_ERROR_PARSE,
            "t.json:1:38: unexpected end of input");
}

/* ---- strings ------------------------------------------------------------ */

static void
test_strings(void **state)
{
    (void)state;
    /* \u0000 used to cut the name short */
    refused("{\"supply\": [{\"name\": \"c1\\u0000x\"}], \"demand\": []}", TM_ERROR_PARSE,
            "t.json:1:30: supply[0]: field \"name\": \\u0000 (a NUL character) is not allowed");
    /* lone surrogates: refused, with messages that are valid UTF-8 */
    refused("{\"supply\": [{\"name\": \"c\\ud800\"}], \"demand\": []}", TM_ERROR_PARSE,
            "t.json:1:30: supply[0]: field \"name\": \\ud800 is a lone surrogate");
    refused("{\"supply\": [{\"name\": \"c\\ud800\\u0041\"}], \"demand\": []}", TM_ERROR_PARSE,
            "\\ud800 is a lone surrogate");
    refused("{\"supply\": [{\"name\": \"c1\", \"prefs\": [\"\\udc00\"]}], \"demand\": []}",
            TM_ERROR_PARSE, "supply[0] \"c1\": prefs[0]: \\udc00 is a lone surrogate");
    refused("{\"supply\": [], \"demand\": [], \"x\": \"\\x\"}", TM_ERROR_PARSE,
            "t.json:1:37: invalid escape \\x");
    refused("{\"supply\": [], \"demand\": [], \"x\": \"a\tb\"}", TM_ERROR_PARSE,
            "t.json:1:37: control character 0x09 in a string");
    /* invalid UTF-8: overlong, an encoded surrogate, a cut sequence, a bare
     * continuation byte — each at its place, the field named */
    refused("{\"supply\": [{\"name\": \"c\xc0\xaf\"}], \"demand\": []}", TM_ERROR_PARSE,
            "t.json:1:24: supply[0]: field \"name\": not valid UTF-8 (byte 0xC0)");
    refused("{\"supply\": [{\"name\": \"c1\", \"prefs\": [\"\xed\xa0\x80\"]}], \"demand\": []}",
            TM_ERROR_PARSE, "t.json:1:39: supply[0] \"c1\": prefs[0]: not valid UTF-8 (byte 0xED)");
    refused("{\"supply\": [{\"name\": \"张\xe4\xb8\"}], \"demand\": []}", TM_ERROR_PARSE,
            "t.json:1:24: supply[0]: field \"name\": not valid UTF-8 (byte 0xE4)");
    refused("{\"supply\": [], \"demand\": [], \"x\": \"\x80\"}", TM_ERROR_PARSE,
            "t.json:1:36: not valid UTF-8 (byte 0x80)");
    refused("{\"supply\": [], \"demand\": [], \"\xff\": 1}", TM_ERROR_PARSE,
            "t.json:1:31: not valid UTF-8 (byte 0xFF)");
    /* escapes are decoded: a surrogate pair, Chinese, the short ones */
    GError *err = NULL;
    TmInstance *inst = load("{\"supply\": [{\"name\": \"\\ud83d\\ude00\\u5f20\\\"\\\\\\/\\n\", "
                            "\"prefs\": [\"\xe5\xbc\xa0\"]}],"
                            " \"demand\": [{\"name\": \"\\u5F20\", \"prefs\": "
                            "[\"\xf0\x9f\x98\x80\xe5\xbc\xa0\\\"\\\\/\\n\"]}]}",
                            &err);
    assert_non_null(inst);
    assert_string_equal(tm_instance_name(inst, TM_SIDE_SUPPLY, 0),
                        "\xf0\x9f\x98\x80\xe5\xbc\xa0\"\\/\n");
    assert_string_equal(tm_instance_name(inst, TM_SIDE_DEMAND, 0), "张");
    assert_int_equal(tm_market_rank(tm_instance_market(inst), TM_SIDE_SUPPLY, 0, 0), 0);
    tm_instance_free(inst);
}

/* ---- numbers ------------------------------------------------------------ */

static void
test_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        int code;
        const char *message;
    } caps[] = {
        {"2.0", TM_ERROR_PARSE, "must be an integer >= 0, got 2.0 (write integers without"},
        {"1e2", TM_ERROR_PARSE, "must be an integer >= 0, got 1e2 (write integers without"},
        {"2.5", TM_ERROR_PARSE, "must be an integer >= 0, got 2.5"},
        {"1e-320", TM_ERROR_PARSE, "must be an integer >= 0, got 1e-320"},
        {"-3", TM_ERROR_NEGATIVE_CAPACITY, "must be an integer >= 0, got -3"},
        {"2147483648", TM_ERROR_OVERFLOW, "too large (at most 2147483647)"},
        {"99999999999999999999999999999", TM_ERROR_OVERFLOW, "too large"},
        {"-99999999999999999999999", TM_ERROR_NEGATIVE_CAPACITY, "got a negative number"},
        {"true", TM_ERROR_PARSE, "must be an integer >= 0, got a boolean"},
        {"[1]", TM_ERROR_PARSE, "must be an integer >= 0, got a list"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(caps); i++) {
        char *json = g_strdup_printf("{\"supply\": [{\"name\": \"c1\", \"capacity\": %s}], "
                                     "\"demand\": []}",
                                     caps[i].value);
        refused(json, caps[i].code, caps[i].message);
        g_free(json);
        json = g_strdup_printf("{\"supply\": [], \"demand\": [{\"name\": \"s1\"}], \"groups\": "
                               "[{\"name\": \"g\", \"members\": [\"s1\"], \"cap\": 5, \"floor\": "
                               "%s}]}",
                               caps[i].value);
        refused(json, caps[i].code, caps[i].message);
        g_free(json);
    }
    /* -0 is 0; numbers elsewhere are only checked for JSON */
    GError *err = NULL;
    TmInstance *inst = load("{\"supply\": [{\"name\": \"c1\", \"capacity\": -0, \"w\": -1.5e-320}],"
                            " \"demand\": [], \"x\": [1e400, -0.0, 123456789012345678901234567890]}",
                            &err);
    assert_non_null(inst);
    assert_int_equal(tm_market_capacity(tm_instance_market(inst), TM_SIDE_SUPPLY, 0), 0);
    tm_instance_free(inst);

    /* wherever a finite number >= 0 is accepted, a subnormal is one */
    TmConfig *cfg = tm_config_load_data("[weights.commissioner]\nsector=1e-320\n", -1, "p.ini",
                                        &err);
    if (cfg == NULL)
        print_error("%s\n", err->message);
    assert_non_null(cfg);
    tm_config_free(cfg);
    cfg = tm_config_load_data("[weights.commissioner]\nsector=1e400\n", -1, "p.ini", &err);
    assert_null(cfg);
    tt_expect_error(&err, TM_ERROR_PARSE, "expected a finite number >= 0");
}

/* ---- nesting ------------------------------------------------------------ */

/* {"x": [[...]], "supply": [], "demand": []} with @depth lists in "x" (the
 * root object is one more level). */
static char *
nested(size_t depth)
{
    GString *s = g_string_new("{\"x\": ");
    for (size_t i = 0; i < depth; i++)
        g_string_append_c(s, '[');
    for (size_t i = 0; i < depth; i++)
        g_string_append_c(s, ']');
    g_string_append(s, ", \"supply\": [], \"demand\": []}");
    return g_string_free(s, FALSE);
}

static void
test_nesting(void **state)
{
    (void)state;
    GError *err = NULL;
    char *json = nested(63); /* 64 levels with the root */
    TmInstance *inst = load(json, &err);
    assert_non_null(inst);
    tm_instance_free(inst);
    g_free(json);
    json = nested(64);
    refused(json, TM_ERROR_PARSE, "t.json:1:70: lists and objects nested more than 64 deep");
    g_free(json);
    json = nested(1000000);
    refused(json, TM_ERROR_PARSE, "nested more than 64 deep");
    g_free(json);
    /* a '"' in what json-glib took for a comment no longer hides nesting */
    GString *s = g_string_new("{\"x\": /* \" */ ");
    for (int i = 0; i < 100000; i++)
        g_string_append_c(s, '[');
    g_string_append(s, "}");
    refused(s->str, TM_ERROR_PARSE, "t.json:1:7: comments are not allowed");
    g_string_free(s, TRUE);
    /* and in a matching file */
    inst = load(GOOD, &err);
    assert_non_null(inst);
    json = nested(200);
    assert_null(tm_instance_load_matching_json_data(inst, json, -1, "m.json", &err));
    tt_expect_error(&err, TM_ERROR_PARSE, "m.json:1:70: lists and objects nested more than 64");
    g_free(json);
    tm_instance_free(inst);
}

/* ---- chunks ------------------------------------------------------------- */

/* A document with every kind of token, multi-byte text and escapes. */
static const char CHUNKY[] =
    "\xef\xbb\xbf{\"supply\": [{\"name\": \"张三\", \"capacity\": 12, \"prefs\": [\"s\\u0031\", "
    "[\"站点\\ud83d\\ude00\", \"s3\"]], \"note\": [true, false, null, -0.5e+3, 1E9, {\"k\": "
    "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}]},\r\n"
    "  {\"name\": \"c2\", \"prefs\": [\"s3\", \"s1\"]}],\n"
    "\t\"demand\": [{\"name\": \"s1\", \"capacity\": 2, \"prefs\": [\"c2\", \"张三\"]},\n"
    " {\"name\": \"站点😀\", \"prefs\": [\"张三\"]}, {\"name\": \"s3\", \"prefs\": [[\"张三\", "
    "\"c2\"]]}],\n"
    " \"groups\": [{\"name\": \"g\", \"members\": [\"s1\", \"s3\"], \"cap\": 2}], \"priority\": "
    "[\"c2\"]}\n";

/* @a and @b have the same agents, names, capacities and lists with ranks. */
static void
assert_same_instance(const TmInstance *a, const TmInstance *b)
{
    TmMarket *ma = tm_instance_market(a), *mb = tm_instance_market(b);
    for (int side = 0; side < 2; side++) {
        int32_t n = tm_market_size(ma, (TmSide)side);
        assert_int_equal(n, tm_market_size(mb, (TmSide)side));
        for (int32_t i = 0; i < n; i++) {
            assert_string_equal(tm_instance_name(a, (TmSide)side, i),
                                tm_instance_name(b, (TmSide)side, i));
            assert_int_equal(tm_market_capacity(ma, (TmSide)side, i),
                             tm_market_capacity(mb, (TmSide)side, i));
            int32_t la = 0, lb = 0;
            const int32_t *pa = tm_market_prefs(ma, (TmSide)side, i, &la);
            const int32_t *pb = tm_market_prefs(mb, (TmSide)side, i, &lb);
            assert_int_equal(la, lb);
            for (int32_t k = 0; k < la; k++) {
                assert_int_equal(pa[k], pb[k]);
                assert_int_equal(tm_market_rank(ma, (TmSide)side, i, pa[k]),
                                 tm_market_rank(mb, (TmSide)side, i, pb[k]));
            }
        }
    }
}

static void
test_chunks(void **state)
{
    (void)state;
    assert_non_null(&tm_i_json_chunk_size); /* the knob exists */
    size_t saved = tm_i_json_chunk_size;
    GError *err = NULL;
    TmInstance *whole = load(CHUNKY, &err);
    if (whole == NULL)
        print_error("%s\n", err->message);
    assert_non_null(whole);
    assert_true(tm_market_has_ties(tm_instance_market(whole)));
    assert_string_equal(tm_instance_name(whole, TM_SIDE_DEMAND, 1), "站点😀");
    assert_int_equal(tm_groups_n(tm_instance_groups(whole)), 1);

    char *path = g_build_filename(g_get_tmp_dir(), "tm-strict-XXXXXX", NULL);
    int fd = g_mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, CHUNKY, strlen(CHUNKY)), (ssize_t)strlen(CHUNKY));
    close(fd);
    static const char *const bad[] = {
        "{\"supply\": [{\"name\": \"c\xe5\xbc\"}], \"demand\": []}",
        "{\"supply\": [{\"name\": \"c\\ud800x\"}], \"demand\": []}",
        "{\"supply\": [{\"name\": \"c\", \"name\": \"d\"}], \"demand\": []}",
        "{\"supply\": [], \"demand\": [], \"x\": 12.e5}",
        "{\"supply\": [], \"demand\": [], \"x\": [1, 2,]}",
        "{\"supply\": [], \"demand\": [], \"x\": \"abc",
    };
    char *expected[G_N_ELEMENTS(bad)];
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        assert_null(load(bad[i], &err));
        expected[i] = g_strdup(err->message);
        g_clear_error(&err);
    }
    for (size_t chunk = 1; chunk <= 17; chunk++) {
        tm_i_json_chunk_size = chunk;
        TmInstance *inst = load(CHUNKY, &err);
        assert_non_null(inst);
        assert_same_instance(whole, inst);
        tm_instance_free(inst);
        inst = tm_instance_load_json_file(path, &err);
        assert_non_null(inst);
        assert_same_instance(whole, inst);
        tm_instance_free(inst);
        for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
            assert_null(load(bad[i], &err));
            assert_string_equal(err->message, expected[i]);
            g_clear_error(&err);
        }
    }
    tm_i_json_chunk_size = saved;
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
        g_free(expected[i]);
    g_unlink(path);
    g_free(path);
    tm_instance_free(whole);
}

/* ---- round trip --------------------------------------------------------- */

static const char *const odd[] = {"\"", "\\", "\n", "\t", "张", "😀", "/", "\x01", " ", ""};

static char *
agent_name(int side, int32_t i)
{
    return g_strdup_printf("%c%d%s", side == 0 ? 'c' : 's', i, odd[i % G_N_ELEMENTS(odd)]);
}

/* A random market written with json-glib (names with quotes, backslashes,
 * control characters, Chinese and emoji; every third list with ties), and
 * the same market built from arrays in *@expected. */
static char *
write_instance(GRand *rng, int32_t n[2], TmMarket **expected)
{
    JsonBuilder *b = json_builder_new();
    int32_t *cap[2], *off[2], *ids[2], *ranks[2];
    json_builder_begin_object(b);
    for (int side = 0; side < 2; side++) {
        int32_t m = n[1 - side];
        cap[side] = g_new(int32_t, n[side]);
        off[side] = g_new(int32_t, n[side] + 1);
        ids[side] = g_new(int32_t, (gsize)n[side] * m + 1);
        ranks[side] = g_new(int32_t, (gsize)n[side] * m + 1);
        off[side][0] = 0;
        json_builder_set_member_name(b, side == 0 ? "supply" : "demand");
        json_builder_begin_array(b);
        for (int32_t i = 0; i < n[side]; i++) {
            char *name = agent_name(side, i);
            json_builder_begin_object(b);
            json_builder_set_member_name(b, "name");
            json_builder_add_string_value(b, name);
            g_free(name);
            cap[side][i] = g_rand_int_range(rng, 0, 4);
            json_builder_set_member_name(b, "capacity");
            json_builder_add_int_value(b, cap[side][i]);
            json_builder_set_member_name(b, "prefs");
            json_builder_begin_array(b);
            int32_t e = off[side][i], rank = 0;
            for (int32_t o = 0; o < m; o++) {
                if (g_rand_int_range(rng, 0, 3) == 0)
                    continue;
                gboolean tie = i % 3 == 0 && o + 1 < m;
                if (tie)
                    json_builder_begin_array(b);
                for (int32_t t = o; t <= o + tie; t++) {
                    char *other = agent_name(1 - side, t);
                    json_builder_add_string_value(b, other);
                    g_free(other);
                    ids[side][e] = t;
                    ranks[side][e++] = rank;
                }
                if (tie)
                    json_builder_end_array(b);
                o += tie;
                rank++;
            }
            off[side][i + 1] = e;
            json_builder_end_array(b);
            json_builder_end_object(b);
        }
        json_builder_end_array(b);
    }
    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    JsonGenerator *gen = json_generator_new();
    json_generator_set_root(gen, root);
    json_generator_set_pretty(gen, g_rand_boolean(rng));
    char *text = json_generator_to_data(gen, NULL);
    g_object_unref(gen);
    json_node_unref(root);
    g_object_unref(b);
    GError *err = NULL;
    *expected = tm_market_new_from_ranked_arrays(n[0], n[1], cap[0], cap[1], off[0], ids[0],
                                                 ranks[0], off[0][n[0]], off[1], ids[1],
                                                 ranks[1], off[1][n[1]], &err);
    assert_non_null(*expected);
    for (int side = 0; side < 2; side++) {
        g_free(cap[side]);
        g_free(off[side]);
        g_free(ids[side]);
        g_free(ranks[side]);
    }
    return text;
}

static void
assert_same_market(TmMarket *ma, TmMarket *mb)
{
    for (int side = 0; side < 2; side++) {
        int32_t n = tm_market_size(ma, (TmSide)side);
        assert_int_equal(n, tm_market_size(mb, (TmSide)side));
        for (int32_t i = 0; i < n; i++) {
            assert_int_equal(tm_market_capacity(ma, (TmSide)side, i),
                             tm_market_capacity(mb, (TmSide)side, i));
            int32_t la = 0, lb = 0;
            const int32_t *pa = tm_market_prefs(ma, (TmSide)side, i, &la);
            const int32_t *pb = tm_market_prefs(mb, (TmSide)side, i, &lb);
            assert_int_equal(la, lb);
            for (int32_t k = 0; k < la; k++) {
                assert_int_equal(pa[k], pb[k]);
                assert_int_equal(tm_market_rank(ma, (TmSide)side, i, pa[k]),
                                 tm_market_rank(mb, (TmSide)side, i, pb[k]));
            }
        }
    }
}

static void
test_roundtrip(void **state)
{
    (void)state;
    GRand *rng = g_rand_new_with_seed(7);
    GError *err = NULL;
    for (int round = 0; round < 30; round++) {
        int32_t n[2] = {g_rand_int_range(rng, 0, 40), g_rand_int_range(rng, 0, 40)};
        TmMarket *expected = NULL;
        char *text = write_instance(rng, n, &expected);
        TmInstance *inst = load(text, &err);
        if (inst == NULL)
            print_error("%s\n", err->message);
        assert_non_null(inst);
        assert_same_market(expected, tm_instance_market(inst));
        for (int side = 0; side < 2; side++)
            for (int32_t i = 0; i < n[side]; i++) {
                char *name = agent_name(side, i);
                assert_string_equal(tm_instance_name(inst, (TmSide)side, i), name);
                assert_int_equal(tm_instance_lookup(inst, (TmSide)side, name), i);
                g_free(name);
            }
        tm_instance_free(inst);
        tm_market_free(expected);
        g_free(text);
    }
    /* now one where names and references agree, built by hand with the
     * same writer: the names carry the odd characters everywhere */
    JsonBuilder *b = json_builder_new();
    static const char *const names[2][3] = {{"c\"1", "张\\三", "c\n3😀"}, {"s\t1", "站/点", "s 3"}};
    static const int32_t prefs[2][3][3] = {{{1, 0, -1}, {2, 1, 0}, {0, 1, -1}},
                                           {{0, 2, -1}, {1, 0, 2}, {1, -1, -1}}};
    json_builder_begin_object(b);
    for (int side = 0; side < 2; side++) {
        json_builder_set_member_name(b, side == 0 ? "supply" : "demand");
        json_builder_begin_array(b);
        for (int i = 0; i < 3; i++) {
            json_builder_begin_object(b);
            json_builder_set_member_name(b, "prefs");
            json_builder_begin_array(b);
            for (int k = 0; k < 3 && prefs[side][i][k] >= 0; k++) {
                gboolean tie = side == 1 && i == 1 && k == 1;
                if (tie) {
                    json_builder_begin_array(b);
                    json_builder_add_string_value(b, names[1 - side][prefs[side][i][k]]);
                    json_builder_add_string_value(b, names[1 - side][prefs[side][i][k + 1]]);
                    json_builder_end_array(b);
                    break;
                }
                json_builder_add_string_value(b, names[1 - side][prefs[side][i][k]]);
            }
            json_builder_end_array(b);
            json_builder_set_member_name(b, "name");
            json_builder_add_string_value(b, names[side][i]);
            json_builder_set_member_name(b, "capacity");
            json_builder_add_int_value(b, i + 1);
            json_builder_end_object(b);
        }
        json_builder_end_array(b);
    }
    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    JsonGenerator *gen = json_generator_new();
    json_generator_set_root(gen, root);
    json_generator_set_pretty(gen, TRUE);
    char *text = json_generator_to_data(gen, NULL);
    g_object_unref(gen);
    json_node_unref(root);
    g_object_unref(b);
    TmInstance *inst = load(text, &err);
    if (inst == NULL)
        print_error("%s\n%s\n", err->message, text);
    assert_non_null(inst);
    g_free(text);
    TmMarket *m = tm_instance_market(inst);
    for (int side = 0; side < 2; side++)
        for (int32_t i = 0; i < 3; i++) {
            assert_string_equal(tm_instance_name(inst, (TmSide)side, i), names[side][i]);
            assert_int_equal(tm_instance_lookup(inst, (TmSide)side, names[side][i]), i);
            assert_int_equal(tm_market_capacity(m, (TmSide)side, i), i + 1);
        }
    /* s2 ("站/点") ranks c1 and c3 equally, after c2 */
    assert_int_equal(tm_market_rank(m, TM_SIDE_DEMAND, 1, 1), 0);
    assert_int_equal(tm_market_rank(m, TM_SIDE_DEMAND, 1, 0), 1);
    assert_int_equal(tm_market_rank(m, TM_SIDE_DEMAND, 1, 2), 1);

    /* a solution document (tm_instance_matching_to_json) reloads as the
     * same matching */
    TmMatching *mt = tm_instance_load_matching_json_data(
        inst, "{\"pairs\": [[\"c\\\"1\", \"s\\t1\"], [\"张\\\\三\", \"站/点\"]]}", -1, "m.json", &err);
    assert_non_null(mt);
    char *doc = tm_instance_matching_to_json(inst, mt, &err);
    assert_non_null(doc);
    TmMatching *again = tm_instance_load_matching_json_data(inst, doc, -1, "sol.json", &err);
    if (again == NULL)
        print_error("%s\n", err->message);
    assert_non_null(again);
    assert_int_equal(tm_matching_n_pairs(again), tm_matching_n_pairs(mt));
    for (int32_t c = 0; c < 3; c++) {
        int32_t na = 0, nb = 0;
        const int32_t *pa = tm_matching_partners(mt, TM_SIDE_SUPPLY, c, &na);
        const int32_t *pb = tm_matching_partners(again, TM_SIDE_SUPPLY, c, &nb);
        assert_int_equal(na, nb);
        for (int32_t k = 0; k < na; k++)
            assert_int_equal(pa[k], pb[k]);
    }
    g_free(doc);
    tm_matching_free(again);
    tm_matching_free(mt);
    tm_instance_free(inst);
    g_rand_free(rng);
}

int
main(int argc, char **argv)
{
    const struct CMUnitTest syntax[] = {
        cmocka_unit_test(test_not_json),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_truncated),
    };
    const struct CMUnitTest strings[] = {cmocka_unit_test(test_strings)};
    const struct CMUnitTest numbers[] = {cmocka_unit_test(test_numbers)};
    const struct CMUnitTest nesting[] = {cmocka_unit_test(test_nesting)};
    const struct CMUnitTest chunks[] = {cmocka_unit_test(test_chunks)};
    const struct CMUnitTest roundtrip[] = {cmocka_unit_test(test_roundtrip)};
    const char *group = argc > 1 ? argv[1] : NULL;
    int failed = 0;
#define RUN_GROUP(name)                                                      \
    if (group == NULL || strcmp(group, #name) == 0)                          \
        failed += cmocka_run_group_tests_name(#name, name, NULL, NULL);
    RUN_GROUP(syntax)
    RUN_GROUP(strings)
    RUN_GROUP(numbers)
    RUN_GROUP(nesting)
    RUN_GROUP(chunks)
    RUN_GROUP(roundtrip)
    return failed != 0;
}
