/* techmatch benchmark: loading a JSON instance (not a timed test).
 *
 * Generates an instance of N agents per side with preference lists of k
 * (uniformly random distinct partners; every third supply list holds a tie
 * of two), writes it to a file with stdio, loads it with
 * tm_instance_load_json_file() and prints the file size, the load time and
 * the peak resident set of the process beyond what it held before loading,
 * in MiB and per MiB of file — memory O(the market) shows as a ratio that
 * does not grow with the text.
 *
 *   tm_bench_json [--n N] [--k K] [--seed S] [--file PATH] [--keep] [--check]
 *
 * --check verifies that the loaded market has N agents per side (exit 1
 * otherwise); the file is removed unless --keep.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <techmatch/techmatch.h>

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Peak resident set so far, MiB (ru_maxrss is in KiB on Linux). */
static double
peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* Current resident set, MiB (from /proc/self/statm). */
static double
rss_mib(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f != NULL) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return (double)resident * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

/* k distinct ids in [0, n) into @out (k <= n), by rejection on a mark array. */
static void
pick(GRand *rng, int32_t n, int32_t k, int32_t *out, guint8 *mark)
{
    for (int32_t t = 0; t < k; t++) {
        int32_t x;
        do
            x = g_rand_int_range(rng, 0, n);
        while (mark[x]);
        mark[x] = 1;
        out[t] = x;
    }
    for (int32_t t = 0; t < k; t++)
        mark[out[t]] = 0;
}

static gboolean
write_instance(const char *path, int32_t n, int32_t k, guint32 seed)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        return FALSE;
    }
    GRand *rng = g_rand_new_with_seed(seed);
    int32_t *list = g_new(int32_t, k);
    guint8 *mark = g_new0(guint8, n);
    for (int side = 0; side < 2; side++) {
        fprintf(f, side == 0 ? "{\"supply\": [\n" : "],\n\"demand\": [\n");
        for (int32_t i = 0; i < n; i++) {
            pick(rng, n, k, list, mark);
            fprintf(f, "%s{\"name\": \"%c%d\", \"capacity\": %d, \"prefs\": [", i ? ",\n" : "",
                    side == 0 ? 'c' : 's', i, 1 + (int)(i % 3));
            gboolean tie = side == 0 && i % 3 == 0 && k >= 2;
            for (int32_t t = 0; t < k; t++)
                fprintf(f, "%s%s\"%c%d\"%s", t ? ", " : "", tie && t == 0 ? "[" : "",
                        side == 0 ? 's' : 'c', list[t], tie && t == 1 ? "]" : "");
            fprintf(f, "]}");
        }
    }
    fprintf(f, "]}\n");
    g_free(list);
    g_free(mark);
    g_rand_free(rng);
    return fclose(f) == 0;
}

int
main(int argc, char **argv)
{
    int32_t n = 100000, k = 20;
    guint32 seed = 1;
    const char *file = NULL;
    gboolean keep = FALSE, check = FALSE;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--n") == 0 && i + 1 < argc)
            n = (int32_t)atol(argv[++i]);
        else if (strcmp(argv[i], "--k") == 0 && i + 1 < argc)
            k = (int32_t)atol(argv[++i]);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = (guint32)atol(argv[++i]);
        else if (strcmp(argv[i], "--file") == 0 && i + 1 < argc)
            file = argv[++i];
        else if (strcmp(argv[i], "--keep") == 0)
            keep = TRUE;
        else if (strcmp(argv[i], "--check") == 0)
            check = TRUE;
        else {
            fprintf(stderr, "usage: %s [--n N] [--k K] [--seed S] [--file PATH] [--keep] "
                            "[--check]\n",
                    argv[0]);
            return 2;
        }
    }
    if (n < 1 || k < 0 || k > n) {
        fprintf(stderr, "need n >= 1 and 0 <= k <= n\n");
        return 2;
    }
    char *path = file != NULL ? g_strdup(file)
                              : g_strdup_printf("%s/tm-bench-json-%d.json", g_get_tmp_dir(),
                                                (int)getpid());
    if (!write_instance(path, n, k, seed))
        return 1;
    GStatBuf st;
    double mib = g_stat(path, &st) == 0 ? (double)st.st_size / (1024.0 * 1024.0) : 0;
    double before = rss_mib(), t0 = now();
    GError *err = NULL;
    TmInstance *inst = tm_instance_load_json_file(path, &err);
    double t1 = now(), peak = peak_rss_mib();
    int status = 0;
    if (inst == NULL) {
        fprintf(stderr, "%s\n", err->message);
        g_error_free(err);
        status = 1;
    } else if (check && (tm_market_size(tm_instance_market(inst), TM_SIDE_SUPPLY) != n
                         || tm_market_size(tm_instance_market(inst), TM_SIDE_DEMAND) != n)) {
        fprintf(stderr, "check failed: wrong number of agents\n");
        status = 1;
    }
    printf("n=%d k=%d file=%.1f MiB load=%.3f s peak RSS=%.1f MiB (+%.1f MiB over %.1f "
           "before) = %.2f MiB per MiB of file\n",
           (int)n, (int)k, mib, t1 - t0, peak, peak - before, before,
           mib > 0 ? (peak - before) / mib : 0.0);
    tm_instance_free(inst);
    if (!keep)
        g_unlink(path);
    g_free(path);
    return status;
}
