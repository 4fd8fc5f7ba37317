/* The one set of test helpers shared by every cmocka test folder (tests/core,
 * tests/rules, tests/profile, ...): assertions on GError results and a small
 * market builder, written against the public API only.  Helpers specific to
 * one folder live there and include this header (e.g.
 * tests/rules/rules_testutil.h).  A test target gets this folder on its
 * include path by linking tm_testutil (tests/CMakeLists.txt). */
#ifndef TM_TESTUTIL_H
#define TM_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <techmatch/techmatch.h>

/* Removes @path and, if it is a folder (not a link to one), everything below
 * it; errors are ignored (for cleaning up a test's scratch folder). */
static inline void tt_remove_tree(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
        GDir *dir = g_dir_open(path, 0, NULL);
        const char *name;
        while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
            char *p = g_build_filename(path, name, NULL);
            tt_remove_tree(p);
            g_free(p);
        }
        if (dir != NULL)
            g_dir_close(dir);
        g_rmdir(path);
    } else {
        g_remove(path);
    }
}

/* The selection `techmatch run DIR` makes of the programme in @dir: its
 * configuration (tm_config_load_for_dir: DIR/programme.ini or the defaults),
 * both forms read strictly, selected under the configuration's rules and
 * quota.  Fails the test on any error.  *@programme_out and *@config_out
 * (each may be NULL: then freed here; the selection holds its own reference
 * on the programme) are the caller's to free. */
static inline TmSelection *tt_run_selection(const char *dir, TmProgramme **programme_out,
                                            TmConfig **config_out)
{
    GError *err = NULL;
    TmConfig *cfg = tm_config_load_for_dir(dir, &err);
    if (cfg == NULL)
        fail_msg("%s: %s", dir, err->message);
    TmProgramme *p = tm_programme_new(tm_config_taxonomy(cfg));
    if (!tm_forms_read_dir(p, dir, TM_FORMS_STRICT, NULL, &err))
        fail_msg("%s: %s", dir, err->message);
    TmSelection *sel =
        tm_programme_select(p, tm_config_rules(cfg), tm_config_quota(cfg), NULL, &err);
    if (sel == NULL)
        fail_msg("%s: %s", dir, err->message);
    if (programme_out != NULL)
        *programme_out = p;
    else
        tm_programme_free(p);
    if (config_out != NULL)
        *config_out = cfg;
    else
        tm_config_free(cfg);
    return sel;
}

/* Asserts that @err holds a TM_ERROR with @code and a non-empty message,
 * then clears it. */
#define assert_tm_error(err, want_code)                                              \
    do {                                                                        \
        if ((err) == NULL) {                                                    \
            print_error("expected TM_ERROR code %d, got no error\n", (int)(want_code)); \
            fail();                                                             \
        }                                                                       \
        if ((err)->domain != TM_ERROR || (err)->code != (int)(want_code)) {          \
            print_error("expected TM_ERROR code %d, got %s code %d: %s\n",     \
                        (int)(want_code), g_quark_to_string((err)->domain),          \
                        (err)->code, (err)->message);                           \
            fail();                                                             \
        }                                                                       \
        assert_non_null((err)->message);                                        \
        assert_true((err)->message[0] != '\0');                                 \
        g_clear_error(&(err));                                                  \
    } while (0)

/* Asserts that @err holds a TM_ERROR with @code whose message is valid UTF-8
 * and contains @fragment, then clears it. */
static inline void tt_expect_error(GError **err, int code, const char *fragment)
{
    if (*err == NULL) {
        print_error("expected error %d containing \"%s\", got none\n", code, fragment);
        fail();
    }
    if ((*err)->domain != TM_ERROR || (*err)->code != code ||
        strstr((*err)->message, fragment) == NULL || !g_utf8_validate((*err)->message, -1, NULL)) {
        print_error("expected error %d containing \"%s\", got %d: %s\n", code, fragment,
                    (*err)->code, (*err)->message);
        fail();
    }
    g_clear_error(err);
}

/* Asserts that @err is unset (prints the message if not). */
#define assert_no_error(err)                                                    \
    do {                                                                        \
        if ((err) != NULL) {                                                    \
            print_error("unexpected error %s code %d: %s\n",                   \
                        g_quark_to_string((err)->domain), (err)->code,          \
                        (err)->message);                                        \
            g_clear_error(&(err));                                              \
            fail();                                                             \
        }                                                                       \
    } while (0)

/* Builds a market from per-agent lists written inline; -1 terminates each
 * list.  Used by the hand-written tests. */
static inline TmMarket *tt_market(int32_t ns, int32_t nd, const int32_t *scap,
                                  const int32_t *dcap, const int32_t *slists,
                                  const int32_t *dlists, GError **error)
{
    /* slists / dlists: concatenated lists, each ended by -1 */
    int32_t *soff = g_new0(int32_t, (gsize)ns + 1);
    int32_t *doff = g_new0(int32_t, (gsize)nd + 1);
    GArray *sp = g_array_new(FALSE, FALSE, sizeof(int32_t));
    GArray *dp = g_array_new(FALSE, FALSE, sizeof(int32_t));
    const int32_t *p = slists;
    for (int32_t a = 0; a < ns; a++) {
        for (; *p != -1; p++)
            g_array_append_val(sp, *p);
        p++;
        soff[a + 1] = (int32_t)sp->len;
    }
    p = dlists;
    for (int32_t a = 0; a < nd; a++) {
        for (; *p != -1; p++)
            g_array_append_val(dp, *p);
        p++;
        doff[a + 1] = (int32_t)dp->len;
    }
    /* never hand NULL arrays: use a dummy element when a side has no entries */
    int32_t dummy = 0;
    TmMarket *m = tm_market_new_from_arrays(
        ns, nd, scap, dcap, soff, sp->len ? (const int32_t *)(void *)sp->data : &dummy,
        doff, dp->len ? (const int32_t *)(void *)dp->data : &dummy, error);
    g_array_free(sp, TRUE);
    g_array_free(dp, TRUE);
    g_free(soff);
    g_free(doff);
    return m;
}

#endif /* TM_TESTUTIL_H */
