/* The fixture shared by the CLI tests (test_cli.c, test_cli_ties.c): each
 * test gets a fresh temporary directory (removed afterwards) and runs the
 * built `techmatch` binary with LC_ALL=C, keeping its exit status, stdout
 * and stderr.  Header-only: every helper is static. */
#ifndef TECHMATCH_TESTS_CLI_FIXTURE_H
#define TECHMATCH_TESTS_CLI_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

typedef struct {
    const char *tm;       /* the binary */
    const char *data_dir; /* tests/cli/data */
    const void *bad;      /* a BadCase for the table-driven tests, else NULL */
} Ctx;

typedef struct {
    const Ctx *ctx;
    char *tmp;          /* temporary directory of this test */
    GPtrArray *garbage; /* strings freed at teardown */
    char *out, *err;    /* of the last run */
    int status;         /* exit status of the last run */
    const char *cwd;    /* working directory of the runs (NULL: inherited) */
} Fx;

G_GNUC_UNUSED static int
setup(void **state)
{
    Fx *fx = g_new0(Fx, 1);
    fx->ctx = *state;
    fx->garbage = g_ptr_array_new_with_free_func(g_free);
    GError *error = NULL;
    fx->tmp = g_dir_make_tmp("techmatch-cli-XXXXXX", &error);
    if (fx->tmp == NULL) {
        fprintf(stderr, "cannot make a temporary directory: %s\n", error->message);
        g_error_free(error);
        return -1;
    }
    *state = fx;
    return 0;
}

/* Removes @path and, if it is a directory, everything below it. */
G_GNUC_UNUSED static void
remove_tree(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
        GDir *dir = g_dir_open(path, 0, NULL);
        if (dir != NULL) {
            const char *name;
            while ((name = g_dir_read_name(dir)) != NULL) {
                char *p = g_build_filename(path, name, NULL);
                remove_tree(p);
                g_free(p);
            }
            g_dir_close(dir);
        }
        g_rmdir(path);
    } else {
        g_remove(path);
    }
}

G_GNUC_UNUSED static int
teardown(void **state)
{
    Fx *fx = *state;
    remove_tree(fx->tmp);
    g_free(fx->tmp);
    g_free(fx->out);
    g_free(fx->err);
    g_ptr_array_unref(fx->garbage);
    g_free(fx);
    return 0;
}

G_GNUC_UNUSED static const char *
keep(Fx *fx, char *s)
{
    g_ptr_array_add(fx->garbage, s);
    return s;
}

/* A file in the data directory. */
G_GNUC_UNUSED static const char *
D(Fx *fx, const char *name)
{
    return keep(fx, g_build_filename(fx->ctx->data_dir, name, NULL));
}

/* A file in the test's temporary directory. */
G_GNUC_UNUSED static const char *
T(Fx *fx, const char *name)
{
    return keep(fx, g_build_filename(fx->tmp, name, NULL));
}

/* Runs the binary with the NULL-terminated arguments; returns the exit
 * status and keeps stdout/stderr in fx->out / fx->err. */
G_GNUC_UNUSED static int
run_argv(Fx *fx, const char *const *args)
{
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, (gpointer)fx->ctx->tm);
    for (size_t i = 0; args[i] != NULL; i++)
        g_ptr_array_add(argv, (gpointer)args[i]);
    g_ptr_array_add(argv, NULL);
    char **envp = g_get_environ();
    envp = g_environ_setenv(envp, "LC_ALL", "C", TRUE);
    g_free(fx->out);
    g_free(fx->err);
    fx->out = fx->err = NULL;
    int wait_status = 0;
    GError *error = NULL;
    gboolean ok = g_spawn_sync(fx->cwd, (char **)argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               &fx->out, &fx->err, &wait_status, &error);
    g_strfreev(envp);
    g_ptr_array_free(argv, TRUE);
    if (!ok) {
        fprintf(stderr, "cannot run %s: %s\n", fx->ctx->tm, error->message);
        g_error_free(error);
        fail();
    }
    if (!WIFEXITED(wait_status)) {
        fprintf(stderr, "techmatch died (wait status %d); stderr:\n%s\n", wait_status, fx->err);
        fail();
    }
    fx->status = WEXITSTATUS(wait_status);
    return fx->status;
}

#define RUN(fx, ...) run_argv((fx), (const char *const[]){__VA_ARGS__, NULL})

G_GNUC_UNUSED static void
show(const Fx *fx)
{
    fprintf(stderr, "--- exit %d\n--- stdout:\n%s--- stderr:\n%s---\n", fx->status, fx->out,
            fx->err);
}

#define assert_status(fx, want)                                                              \
    do {                                                                                     \
        if ((fx)->status != (want))                                                          \
            show(fx);                                                                        \
        assert_int_equal((fx)->status, (want));                                              \
    } while (0)

#define assert_contains(haystack, needle)                                                    \
    do {                                                                                     \
        if (strstr((haystack), (needle)) == NULL) {                                          \
            fprintf(stderr, "expected to find [%s] in:\n%s\n", (needle), (haystack));        \
            fail();                                                                          \
        }                                                                                    \
    } while (0)

/* The error contract: exit 2, nothing on stdout, one stderr line starting
 * "techmatch: " that holds each of the NULL-terminated fragments. */
G_GNUC_UNUSED static void
assert_error_v(Fx *fx, const char *const *fragments)
{
    assert_status(fx, 2);
    assert_string_equal(fx->out, "");
    if (!g_str_has_prefix(fx->err, "techmatch: ")) {
        show(fx);
        fail();
    }
    for (size_t i = 0; fragments[i] != NULL; i++)
        assert_contains(fx->err, fragments[i]);
}

#define assert_error(fx, ...) assert_error_v((fx), (const char *const[]){__VA_ARGS__, NULL})

/* Parses @text as a JSON object (caller unrefs it). */
G_GNUC_UNUSED static JsonObject *
parse_object(const char *text)
{
    JsonParser *parser = json_parser_new();
    GError *error = NULL;
    if (!json_parser_load_from_data(parser, text, -1, &error)) {
        fprintf(stderr, "not JSON (%s):\n%s\n", error->message, text);
        g_error_free(error);
        fail();
    }
    JsonNode *root = json_parser_get_root(parser);
    assert_non_null(root);
    assert_true(JSON_NODE_HOLDS_OBJECT(root));
    JsonObject *obj = json_object_ref(json_node_get_object(root));
    g_object_unref(parser);
    return obj;
}

/* Compact JSON text of member @name of @obj ("" if absent). */
G_GNUC_UNUSED static const char *
member(Fx *fx, JsonObject *obj, const char *name)
{
    JsonNode *node = json_object_get_member(obj, name);
    if (node == NULL)
        return "";
    JsonGenerator *gen = json_generator_new();
    json_generator_set_root(gen, node);
    char *text = json_generator_to_data(gen, NULL);
    g_object_unref(gen);
    return keep(fx, text);
}

G_GNUC_UNUSED static char *
read_text(const char *path)
{
    char *text = NULL;
    GError *error = NULL;
    if (!g_file_get_contents(path, &text, NULL, &error)) {
        fprintf(stderr, "%s\n", error->message);
        g_error_free(error);
        fail();
    }
    return text;
}

G_GNUC_UNUSED static void
write_text(const char *path, const char *text)
{
    assert_true(g_file_set_contents(path, text, -1, NULL));
}

G_GNUC_UNUSED static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Names in the temporary directory, sorted, joined by ",". */
G_GNUC_UNUSED static const char *
listing(Fx *fx)
{
    GDir *dir = g_dir_open(fx->tmp, 0, NULL);
    assert_non_null(dir);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    while ((name = g_dir_read_name(dir)) != NULL)
        g_ptr_array_add(names, g_strdup(name));
    g_dir_close(dir);
    g_ptr_array_sort(names, compare_names);
    g_ptr_array_add(names, NULL);
    char *joined = g_strjoinv(",", (char **)names->pdata);
    g_ptr_array_unref(names);
    return keep(fx, joined);
}

/* Runs the tests of @named (@n of them, each with the fixture) whose name is
 * @only (NULL: all); a name that matches none is an error.  The tests get
 * Ctx{@tm, @data_dir, NULL}.  Returns main's exit status. */
typedef struct {
    const char *name;
    CMUnitTestFunction func;
} NamedTest;

G_GNUC_UNUSED static int
run_named_tests(const char *group, const NamedTest *named, size_t n_named, const char *tm,
                const char *data_dir, const char *only)
{
    Ctx *ctx = g_new0(Ctx, n_named);
    struct CMUnitTest *tests = g_new0(struct CMUnitTest, n_named);
    size_t n = 0;
    for (size_t i = 0; i < n_named; i++) {
        if (only != NULL && strcmp(only, named[i].name) != 0)
            continue;
        ctx[n] = (Ctx){tm, data_dir, NULL};
        tests[n] = (struct CMUnitTest){named[i].name, named[i].func, setup, teardown, &ctx[n]};
        n++;
    }
    int failed = 1;
    if (n == 0)
        fprintf(stderr, "no test named \"%s\"\n", only);
    else
        failed = _cmocka_run_group_tests(group, tests, n, NULL, NULL) != 0;
    g_free(tests);
    g_free(ctx);
    return n == 0 ? 2 : failed;
}

#endif /* TECHMATCH_TESTS_CLI_FIXTURE_H */
