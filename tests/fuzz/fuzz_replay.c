/* main() for the harnesses in a normal build (no libFuzzer): runs
 * LLVMFuzzerTestOneInput() once on every file named on the command line and
 * on every file in every folder named (not recursive, in name order).  The
 * ctest tests fuzz.corpus_<harness> run each harness over its seed corpus
 * this way, so every corpus file — every past finding among them — is a
 * regression test of the normal suite.  A violated property aborts. */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include "fuzz_common.h"

static int run_file(const char *path)
{
    gchar *data = NULL;
    gsize len = 0;
    GError *err = NULL;
    if (!g_file_get_contents(path, &data, &len, &err)) {
        fprintf(stderr, "fuzz_replay: %s\n", err->message);
        g_error_free(err);
        return 1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)data, len);
    g_free(data);
    return 0;
}

static gint cmp_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
    int failures = 0, files = 0;
    for (int i = 1; i < argc; i++) {
        if (!g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
            failures += run_file(argv[i]);
            files++;
            continue;
        }
        GDir *dir = g_dir_open(argv[i], 0, NULL);
        if (dir == NULL) {
            fprintf(stderr, "fuzz_replay: cannot open %s\n", argv[i]);
            return 1;
        }
        GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
        const char *name;
        while ((name = g_dir_read_name(dir)) != NULL)
            g_ptr_array_add(names, g_build_filename(argv[i], name, NULL));
        g_dir_close(dir);
        g_ptr_array_sort(names, cmp_names);
        for (guint k = 0; k < names->len; k++) {
            const char *path = g_ptr_array_index(names, k);
            if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
                failures += run_file(path);
                files++;
            }
        }
        g_ptr_array_free(names, TRUE);
    }
    printf("fuzz_replay: %d files, %d unreadable\n", files, failures);
    return failures == 0 && files > 0 ? 0 : 1;
}
