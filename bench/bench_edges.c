/* Edge-list files at scale (issue 12): generate a uniform market as an edge
 * file (and, optionally, the same instance as JSON), then time reading it.
 *
 *   tm_bench_edges gen FILE.tsv [--json FILE.json] [--supply N] [--demand M]
 *                  [--k K] [--seed S]
 *       uniform model: each supply agent lists K distinct demand agents
 *       drawn uniformly, in the drawn order; each demand agent ranks its
 *       applicants in a uniformly random order.  Writes FILE with
 *       tm_market_write_edges() (timed) and the JSON by hand.
 *   tm_bench_edges read FILE [--threads T] [--solve] [--out MATCHING.json]
 *       times tm_market_read_edges() (read + build), then, separately,
 *       tm_market_new_take_arrays() on copies of the same lists (the build
 *       alone), tm_solve() and the solution document written with
 *       tm_instance_matching_to_json() + tm_file_write_atomic() (as
 *       `techmatch solve FILE -o OUT` does).  Prints the market's bytes and
 *       the peak RSS.
 *
 * Speed is measured here only (never in tests).  Run in a Release build.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <glib.h>

#include <techmatch/techmatch.h>

static double
now(void)
{
    return (double)g_get_monotonic_time() / 1e6;
}

static long
peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

static int
die(GError *err)
{
    fprintf(stderr, "tm_bench_edges: %s\n", err->message);
    g_error_free(err);
    return 2;
}

static int
cmd_gen(const char *path, const char *json, int32_t ns, int32_t nd, int32_t k, guint32 seed)
{
    GRand *rng = g_rand_new_with_seed(seed);
    int64_t L = (int64_t)ns * k;
    double t0 = now();
    int32_t *soff = g_new(int32_t, ns + 1);
    int32_t *sid = g_new(int32_t, L);
    int32_t *mark = g_new(int32_t, nd);
    memset(mark, 0xff, (size_t)nd * sizeof(int32_t));
    int32_t *dcnt = g_new0(int32_t, nd + 1);
    for (int32_t s = 0; s < ns; s++) {
        soff[s] = (int32_t)((int64_t)s * k);
        for (int32_t i = 0; i < k; i++) {
            int32_t d;
            do
                d = g_rand_int_range(rng, 0, nd);
            while (mark[d] == s);
            mark[d] = s;
            sid[(int64_t)s * k + i] = d;
            dcnt[d + 1]++;
        }
    }
    soff[ns] = (int32_t)L;
    g_free(mark);
    int32_t *doff = g_new(int32_t, nd + 1);
    doff[0] = 0;
    for (int32_t d = 0; d < nd; d++)
        doff[d + 1] = doff[d] + dcnt[d + 1];
    int32_t *cur = g_new(int32_t, nd);
    memcpy(cur, doff, (size_t)nd * sizeof(int32_t));
    int32_t *did = g_new(int32_t, L);
    for (int32_t s = 0; s < ns; s++)
        for (int32_t i = 0; i < k; i++)
            did[cur[sid[(int64_t)s * k + i]]++] = s;
    g_free(cur);
    g_free(dcnt);
    for (int32_t d = 0; d < nd; d++) { /* Fisher-Yates per demand list */
        for (int32_t i = doff[d + 1] - doff[d]; i > 1; i--) {
            int32_t j = g_rand_int_range(rng, 0, i);
            int32_t x = did[doff[d] + i - 1];
            did[doff[d] + i - 1] = did[doff[d] + j];
            did[doff[d] + j] = x;
        }
    }
    g_rand_free(rng);
    fprintf(stderr, "generated %d x %d x %d in %.2f s\n", ns, nd, k, now() - t0);

    if (json != NULL) { /* names s<i>, d<j> */
        t0 = now();
        FILE *f = fopen(json, "w");
        if (f == NULL) {
            perror(json);
            return 2;
        }
        setvbuf(f, NULL, _IOFBF, 1 << 20);
        fputs("{\"supply\": [\n", f);
        for (int32_t s = 0; s < ns; s++) {
            fprintf(f, "%s{\"name\": \"s%d\", \"prefs\": [", s ? ",\n" : "", s);
            for (int32_t i = soff[s]; i < soff[s + 1]; i++)
                fprintf(f, "%s\"d%d\"", i > soff[s] ? ", " : "", sid[i]);
            fputs("]}", f);
        }
        fputs("\n], \"demand\": [\n", f);
        for (int32_t d = 0; d < nd; d++) {
            fprintf(f, "%s{\"name\": \"d%d\", \"prefs\": [", d ? ",\n" : "", d);
            for (int32_t i = doff[d]; i < doff[d + 1]; i++)
                fprintf(f, "%s\"s%d\"", i > doff[d] ? ", " : "", did[i]);
            fputs("]}", f);
        }
        fputs("\n]}\n", f);
        if (fclose(f) != 0) {
            perror(json);
            return 2;
        }
        fprintf(stderr, "wrote %s in %.2f s\n", json, now() - t0);
    }

    GError *err = NULL;
    t0 = now();
    TmMarket *m = tm_market_new_take_arrays(ns, nd, NULL, NULL, soff, sid, NULL, doff, did, NULL,
                                            &err);
    if (m == NULL)
        return die(err);
    double tb = now() - t0;
    t0 = now();
    if (!tm_market_write_edges(m, path, &err))
        return die(err);
    printf("gen: build %.3f s, tm_market_write_edges %.3f s, %" G_GINT64_FORMAT " pairs, "
           "market %.0f MiB, peak RSS %ld MiB\n",
           tb, now() - t0, tm_market_n_pairs(m), (double)tm_market_bytes(m) / 1048576.0,
           peak_rss_mb());
    tm_market_free(m);
    return 0;
}

static int
cmd_read(const char *path, int threads, gboolean solve, const char *out)
{
    GError *err = NULL;
    TmEdgesOptions opt = {0};
    opt.threads = threads;
    double t0 = now();
    TmMarket *m = tm_market_read_edges(path, &opt, &err);
    if (m == NULL)
        return die(err);
    double t_read = now() - t0;
    long rss_read = peak_rss_mb();
    int64_t L = tm_market_n_pairs(m);
    printf("read+build %.3f s (threads %d): %d x %d, %" G_GINT64_FORMAT " pairs, market %.0f "
           "MiB, peak RSS %ld MiB\n",
           t_read, threads, tm_market_size(m, TM_SIDE_SUPPLY), tm_market_size(m, TM_SIDE_DEMAND),
           L, (double)tm_market_bytes(m) / 1048576.0, rss_read);
    if (solve) {
        t0 = now();
        TmMatching *mt = tm_solve(m, NULL, NULL, &err);
        if (mt == NULL)
            return die(err);
        printf("solve %.3f s: %" G_GINT64_FORMAT " pairs, %" G_GINT64_FORMAT " proposals\n",
               now() - t0, tm_matching_n_pairs(mt), tm_matching_n_proposals(mt));
        tm_matching_free(mt);
    }
    /* the build alone, on copies of the same lists */
    if (g_getenv("TM_BENCH_NO_BUILD") == NULL) {
        int32_t n[2] = {tm_market_size(m, TM_SIDE_SUPPLY), tm_market_size(m, TM_SIDE_DEMAND)};
        int32_t *off[2], *ids[2];
        for (int side = 0; side < 2; side++) {
            off[side] = g_new(int32_t, n[side] + 1);
            ids[side] = g_new(int32_t, L + 1);
            if (!tm_market_get_lists(m, (TmSide)side, off[side], n[side] + 1, ids[side], NULL,
                                     NULL, L + 1, &err))
                return die(err);
        }
        gboolean ties = tm_market_has_ties(m);
        tm_market_free(m);
        m = NULL;
        if (!ties) {
            t0 = now();
            TmMarket *b = tm_market_new_take_arrays(n[0], n[1], NULL, NULL, off[0], ids[0], NULL,
                                                    off[1], ids[1], NULL, &err);
            if (b == NULL)
                return die(err);
            printf("build alone (tm_market_new_take_arrays, strict) %.3f s\n", now() - t0);
            tm_market_free(b);
        }
    }
    tm_market_free(m);
    if (out != NULL) { /* the CLI's path: instance, solve, document */
        t0 = now();
        TmInstance *inst = tm_instance_load_edges_file(path, &opt, &err);
        if (inst == NULL)
            return die(err);
        double t1 = now();
        TmMatching *mt = tm_solve(tm_instance_market(inst), NULL, NULL, &err);
        if (mt == NULL)
            return die(err);
        double t2 = now();
        char *doc = tm_instance_matching_to_json(inst, mt, &err);
        if (doc == NULL)
            return die(err);
        if (!tm_file_write_atomic(out, doc, strlen(doc), &err))
            return die(err);
        double t3 = now();
        printf("instance: load %.3f s, solve %.3f s, solution JSON + write %.3f s, total %.3f "
               "s\n", t1 - t0, t2 - t1, t3 - t2, t3 - t0);
        g_free(doc);
        tm_matching_free(mt);
        tm_instance_free(inst);
    }
    printf("peak RSS %ld MiB\n", peak_rss_mb());
    return 0;
}

int
main(int argc, char **argv)
{
    gint ns = 1000000, nd = 100000, k = 50, seed = 1, threads = 2;
    gboolean solve = FALSE;
    char *json = NULL, *out = NULL;
    GOptionEntry entries[] = {
        {"supply", 0, 0, G_OPTION_ARG_INT, &ns, "gen: supply agents (1000000)", "N"},
        {"demand", 0, 0, G_OPTION_ARG_INT, &nd, "gen: demand agents (100000)", "M"},
        {"k", 0, 0, G_OPTION_ARG_INT, &k, "gen: list length (50)", "K"},
        {"seed", 0, 0, G_OPTION_ARG_INT, &seed, "gen: seed (1)", "S"},
        {"json", 0, 0, G_OPTION_ARG_FILENAME, &json, "gen: also write the JSON", "FILE"},
        {"threads", 0, 0, G_OPTION_ARG_INT, &threads, "read: threads (2)", "T"},
        {"solve", 0, 0, G_OPTION_ARG_NONE, &solve, "read: also solve", NULL},
        {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "read: the CLI's path into FILE", "FILE"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new("gen|read FILE");
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *err = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err) || argc != 3) {
        fprintf(stderr, "usage: tm_bench_edges gen|read FILE [options] (--help)\n");
        return 2;
    }
    g_option_context_free(ctx);
    if (k <= 0 || nd < k || ns < 0) {
        fprintf(stderr, "tm_bench_edges: need 0 < k <= demand\n");
        return 2;
    }
    int rc = strcmp(argv[1], "gen") == 0    ? cmd_gen(argv[2], json, ns, nd, k, (guint32)seed)
             : strcmp(argv[1], "read") == 0 ? cmd_read(argv[2], threads, solve, out)
                                            : 2;
    g_free(json);
    g_free(out);
    return rc;
}
