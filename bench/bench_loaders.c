/* techmatch — scaling of every reader and builder on adversarial inputs.
 *
 * Each case builds an input of size n, 2n, 4n, ... and times the library on
 * it.  A linear (or n log n) loader keeps the time per unit (ns/unit) flat as
 * n doubles; a quadratic one doubles it.  The last column is the ratio of
 * the time to the previous size's (2.0 = linear).  Not a test: it times
 * nothing against a threshold; figures go to bench/RESULTS.md.  (For
 * groups-nested the unit is a membership and n doubles the groups, so the
 * input grows 4x a step: 4.0 is linear there.)
 *
 *   tm_bench_loaders [--steps S] [--scale X] [CASE...]
 *   cases: groups-nested groups-flat market csv-wish-cell csv-columns
 *          json-instance json-deep
 *
 * Every case uses the public API only, from an in-memory buffer (no disk).
 */
#include <techmatch/techmatch.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Seconds for size n (< 0 on failure); *units receives the input's size in
 * the case's unit when it is not n. */
typedef double (*CaseFunc)(int64_t n, int64_t *units);

static double now(void)
{
    return (double)g_get_monotonic_time() / 1e6;
}

/* n nested groups of sizes n, n-1, ..., 1: n(n+1)/2 memberships (the unit). */
static double case_groups_nested(int64_t n, int64_t *units)
{
    const int32_t m = (int32_t)n;
    *units = n * (n + 1) / 2;
    GError *err = NULL;
    int32_t *mem = g_new(int32_t, m);
    for (int32_t i = 0; i < m; i++)
        mem[i] = i;
    double t0 = now();
    TmGroups *g = tm_groups_new(1, m, &err);
    for (int64_t i = 0; i < n && g; i++)
        if (tm_groups_add(g, mem, (int32_t)(m - i), m, 0, &err) < 0)
            break;
    gboolean ok = err == NULL && tm_groups_validate(g, NULL, &err);
    double t = now() - t0;
    tm_groups_free(g);
    g_free(mem);
    g_clear_error(&err);
    return ok ? t : -1;
}

/* n disjoint groups of one site each. */
static double case_groups_flat(int64_t n, int64_t *units)
{
    (void)units;
    GError *err = NULL;
    double t0 = now();
    TmGroups *g = tm_groups_new(1, (int32_t)n, &err);
    for (int32_t i = 0; i < n && g; i++)
        if (tm_groups_add(g, &i, 1, 1, 0, &err) < 0)
            break;
    gboolean ok = err == NULL && tm_groups_validate(g, NULL, &err);
    double t = now() - t0;
    tm_groups_free(g);
    g_clear_error(&err);
    return ok ? t : -1;
}

/* n supply x n/10 demand agents, lists of 20 (from arrays). */
static double case_market(int64_t n, int64_t *units)
{
    (void)units;
    const int32_t ns = (int32_t)n, nd = (int32_t)MAX(n / 10, 20), k = 20;
    int32_t *soff = g_new(int32_t, ns + 1), *sp = g_new(int32_t, (gsize)ns * k);
    int32_t *cnt = g_new0(int32_t, nd + 1);
    for (int32_t s = 0; s <= ns; s++)
        soff[s] = s * k;
    for (int32_t s = 0; s < ns; s++)
        for (int32_t i = 0; i < k; i++) {
            int32_t d = (int32_t)(((int64_t)s * 7 + (int64_t)i * 131) % nd);
            sp[(int64_t)s * k + i] = d;
            cnt[d + 1]++;
        }
    for (int32_t d = 0; d < nd; d++)
        cnt[d + 1] += cnt[d];
    int32_t *doff = g_memdup2(cnt, (gsize)(nd + 1) * sizeof(int32_t));
    int32_t *dp = g_new(int32_t, (gsize)ns * k);
    for (int32_t s = 0; s < ns; s++)
        for (int32_t i = 0; i < k; i++)
            dp[cnt[sp[(int64_t)s * k + i]]++] = s;
    GError *err = NULL;
    double t0 = now();
    TmMarket *m = tm_market_new_from_arrays(ns, nd, NULL, NULL, soff, sp, doff, dp, &err);
    double t = now() - t0;
    tm_market_free(m);
    g_free(soff);
    g_free(sp);
    g_free(doff);
    g_free(dp);
    g_free(cnt);
    g_clear_error(&err);
    return m ? t : -1;
}

static const char *SITES_HEADER =
    "序号,名称,类型,行业,卫生服务站,需求,最低职称,服务年限,名额,横坐标,纵坐标,地址,意向特派员\n";

/* One site whose wish cell names n distinct commissioners. */
static double case_csv_wish_cell(int64_t n, int64_t *units)
{
    (void)units;
    GString *s = g_string_new(SITES_HEADER);
    g_string_append(s, "1,一号企业,高新技术企业,电子信息,,关键技术研发,中级,1,1,,,,\"");
    for (int64_t i = 0; i < n; i++)
        g_string_append_printf(s, "%s专家%" G_GINT64_FORMAT, i ? "；" : "", i);
    g_string_append(s, "\"\n");
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    double t0 = now();
    gboolean ok = tm_forms_read_sites_data(p, s->str, (gssize)s->len, "wish.csv",
                                           TM_FORMS_STRICT, NULL, &err);
    double t = now() - t0;
    if (!ok)
        fprintf(stderr, "csv-wish-cell: %s\n", err->message);
    g_clear_error(&err);
    tm_programme_free(p);
    g_string_free(s, TRUE);
    return ok ? t : -1;
}

/* The sites form with n unknown columns (each warned about) and one row. */
static double case_csv_columns(int64_t n, int64_t *units)
{
    (void)units;
    GString *s = g_string_new(NULL);
    g_string_append_len(s, SITES_HEADER, (gssize)strlen(SITES_HEADER) - 1);
    for (int64_t i = 0; i < n; i++)
        g_string_append_printf(s, ",x%" G_GINT64_FORMAT, i);
    g_string_append(s, "\n1,一号企业,高新技术企业,电子信息,,关键技术研发,中级,1,1,,,,");
    for (int64_t i = 0; i < n; i++)
        g_string_append(s, ",");
    g_string_append_c(s, '\n');
    TmProgramme *p = tm_programme_new(NULL);
    TmFormDiagnostics *diag = tm_form_diagnostics_new();
    GError *err = NULL;
    double t0 = now();
    gboolean ok = tm_forms_read_sites_data(p, s->str, (gssize)s->len, "columns.csv",
                                           TM_FORMS_STRICT, diag, &err);
    double t = now() - t0;
    if (!ok)
        fprintf(stderr, "csv-columns: %s\n", err->message);
    g_clear_error(&err);
    tm_form_diagnostics_free(diag);
    tm_programme_free(p);
    g_string_free(s, TRUE);
    return ok ? t : -1;
}

/* An instance of n supply and n/10 demand agents, lists of 10 both ways. */
static double case_json_instance(int64_t n, int64_t *units)
{
    (void)units;
    const int64_t nd = MAX(n / 10, 10), k = 10;
    GString *s = g_string_new("{\"supply\": [");
    for (int64_t a = 0; a < n; a++) {
        g_string_append_printf(s, "%s{\"name\": \"c%" G_GINT64_FORMAT "\", \"prefs\": [",
                               a ? "," : "", a);
        for (int64_t i = 0; i < k; i++)
            g_string_append_printf(s, "%s\"s%" G_GINT64_FORMAT "\"", i ? "," : "",
                                   (a + i * 7) % nd);
        g_string_append(s, "]}");
    }
    g_string_append(s, "], \"demand\": [");
    for (int64_t d = 0; d < nd; d++) {
        g_string_append_printf(s, "%s{\"name\": \"s%" G_GINT64_FORMAT "\", \"capacity\": 10, "
                               "\"prefs\": [", d ? "," : "", d);
        gboolean first = TRUE;
        for (int64_t a = 0; a < n; a++)
            for (int64_t i = 0; i < k; i++)
                if ((a + i * 7) % nd == d) {
                    g_string_append_printf(s, "%s\"c%" G_GINT64_FORMAT "\"", first ? "" : ",", a);
                    first = FALSE;
                }
        g_string_append(s, "]}");
    }
    g_string_append(s, "]}");
    GError *err = NULL;
    double t0 = now();
    TmInstance *inst = tm_instance_load_json_data(s->str, (gssize)s->len, "bench.json", &err);
    double t = now() - t0;
    if (!inst)
        fprintf(stderr, "json-instance: %s\n", err->message);
    g_clear_error(&err);
    tm_instance_free(inst);
    g_string_free(s, TRUE);
    return inst ? t : -1;
}

/* n nested arrays inside a preference list: must be refused, quickly. */
static double case_json_deep(int64_t n, int64_t *units)
{
    (void)units;
    GString *s = g_string_new("{\"supply\": [{\"name\": \"c\", \"prefs\": ");
    for (int64_t i = 0; i < n; i++)
        g_string_append_c(s, '[');
    for (int64_t i = 0; i < n; i++)
        g_string_append_c(s, ']');
    g_string_append(s, "}], \"demand\": []}");
    GError *err = NULL;
    double t0 = now();
    TmInstance *inst = tm_instance_load_json_data(s->str, (gssize)s->len, "deep.json", &err);
    double t = now() - t0;
    gboolean refused = inst == NULL && err != NULL;
    tm_instance_free(inst);
    g_clear_error(&err);
    g_string_free(s, TRUE);
    return refused ? t : -1;
}

typedef struct {
    const char *name, *unit;
    CaseFunc run;
    int64_t base;
} Case;

static const Case cases[] = {
    {"groups-nested", "membership", case_groups_nested, 1000},
    {"groups-flat", "group", case_groups_flat, 50000},
    {"market", "supply agent", case_market, 100000},
    {"csv-wish-cell", "name", case_csv_wish_cell, 5000},
    {"csv-columns", "column", case_csv_columns, 20000},
    {"json-instance", "agent", case_json_instance, 20000},
    {"json-deep", "level", case_json_deep, 100000},
};

int main(int argc, char **argv)
{
    int steps = 4;
    double scale = 1.0;
    const char *only[16];
    int n_only = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--steps") == 0 && i + 1 < argc)
            steps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc)
            scale = atof(argv[++i]);
        else if (argv[i][0] != '-' && n_only < 16)
            only[n_only++] = argv[i];
        else {
            fprintf(stderr, "usage: tm_bench_loaders [--steps S] [--scale X] [CASE...]\n");
            return 2;
        }
    }
    int status = 0;
    printf("| case | n | time | ns per unit | time / previous |\n|---|---:|---:|---:|---:|\n");
    for (size_t c = 0; c < G_N_ELEMENTS(cases); c++) {
        gboolean want = n_only == 0;
        for (int i = 0; i < n_only; i++)
            want = want || strcmp(only[i], cases[c].name) == 0;
        if (!want)
            continue;
        double prev = 0;
        int64_t n = (int64_t)((double)cases[c].base * scale);
        for (int s = 0; s < steps; s++, n *= 2) {
            int64_t units = n;
            double t = cases[c].run(n, &units);
            if (t < 0) {
                printf("| %s | %" G_GINT64_FORMAT " | failed | | |\n", cases[c].name, n);
                status = 1;
                break;
            }
            printf("| %s | %" G_GINT64_FORMAT " %ss | %.4f s | %.1f |", cases[c].name, units,
                   cases[c].unit, t, t * 1e9 / (double)units);
            if (prev > 0)
                printf(" %.2f |\n", t / prev);
            else
                printf(" |\n");
            fflush(stdout);
            prev = t;
        }
    }
    return status;
}
