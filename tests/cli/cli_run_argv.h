/* The one-shot runner of the CLI tests that keep their results in globals
 * (test_cli_run.c, test_cli_lattice.c, test_cli_batch.c): RUN(args...) runs
 * the built `techmatch` (g_tm) with LC_ALL=C and leaves its exit status in
 * g_status and its output in g_out / g_err.  Header-only; the including file
 * defines g_tm, g_out, g_err and g_status. */
#ifndef TECHMATCH_TESTS_CLI_RUN_ARGV_H
#define TECHMATCH_TESTS_CLI_RUN_ARGV_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <glib.h>

static int run_argv(const char *const *args)
{
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, (gpointer)g_tm);
    for (size_t i = 0; args[i] != NULL; i++)
        g_ptr_array_add(argv, (gpointer)args[i]);
    g_ptr_array_add(argv, NULL);
    char **envp = g_environ_setenv(g_get_environ(), "LC_ALL", "C", TRUE);
    g_free(g_out);
    g_free(g_err);
    int ws = 0;
    gboolean ok = g_spawn_sync(NULL, (char **)argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               &g_out, &g_err, &ws, NULL);
    g_strfreev(envp);
    g_ptr_array_free(argv, TRUE);
    assert_true(ok && WIFEXITED(ws));
    g_status = WEXITSTATUS(ws);
    return g_status;
}

#define RUN(...) run_argv((const char *const[]){__VA_ARGS__, NULL})

static G_GNUC_UNUSED void expect_status(int want)
{
    if (g_status != want)
        fprintf(stderr, "--- exit %d\n--- stdout:\n%s--- stderr:\n%s---\n", g_status, g_out,
                g_err);
    assert_int_equal(g_status, want);
}

static G_GNUC_UNUSED void expect_contains(const char *hay, const char *needle)
{
    if (strstr(hay, needle) == NULL) {
        fprintf(stderr, "expected to find\n  %s\nin\n%s\n", needle, hay);
        fail();
    }
}

#endif /* TECHMATCH_TESTS_CLI_RUN_ARGV_H */
