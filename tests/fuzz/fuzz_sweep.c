/* Fuzz harness: the sweep grid reader (tm_sweep_load_data) and the job
 * configurations it writes (tm_sweep_job_config_text, tm_sweep_job_config).
 * Properties:
 *   - a failed load returns NULL with TM_ERROR_PARSE (a UTF-8 message
 *     starting `fuzz.ini:`) or TM_ERROR_OVERFLOW; the same text fails the
 *     same way again;
 *   - a loaded sweep has 1..TM_SWEEP_MAX_AXES axes with [a-z0-9_-]+ names,
 *     unique; each axis a GROUP/KEY setting or variants, with at least one
 *     value, non-empty and unique; n_jobs the product of the sizes, at most
 *     TM_SWEEP_MAX_JOBS;
 *   - the job numbering is mixed-radix with the last axis fastest: job 0 is
 *     all zeros, the last job all the last values, and a job recomposes from
 *     its values; out of range is -1;
 *   - job 0's text over a small base is GKeyFile text that keeps the base's
 *     comment and, when the last axis is a programme.ini setting, holds its
 *     first value at GROUP/KEY (the last axis is written last);
 *   - job 0's configuration (no programme.ini: the defaults) loads, or fails
 *     with TM_ERROR_PARSE starting `fuzz.ini: job 0 (`; its options apply or
 *     fail with TM_ERROR_PARSE likewise. */
#include "fuzz_common.h"

static const char BASE[] = "# base comment\n[quota]\ntotal=30\n[rules]\nC_TITLE=true\n";

static gboolean valid_name(const char *s)
{
    return s != NULL && s[0] != '\0' &&
           strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == strlen(s);
}

static void check_failure(const GError *err, const char *data, size_t size)
{
    fz_check_error(err, "tm_sweep_load_data");
    FZ_CHECK(err->code == TM_ERROR_PARSE || err->code == TM_ERROR_OVERFLOW, "sweep: code %d: %s",
             err->code, err->message);
    FZ_CHECK(g_str_has_prefix(err->message, "fuzz.ini:"), "sweep message without the source: %s",
             err->message);
    GError *e2 = NULL;
    TmSweep *again = tm_sweep_load_data(data, (gssize)size, "fuzz.ini", &e2);
    FZ_CHECK(again == NULL && e2 && e2->code == err->code && strcmp(e2->message, err->message) == 0,
             "a second load differs");
    g_error_free(e2);
}

static void check_sweep(const TmSweep *sw)
{
    int32_t n_axes = tm_sweep_n_axes(sw);
    FZ_CHECK(n_axes >= 1 && n_axes <= TM_SWEEP_MAX_AXES, "%d axes", n_axes);
    FZ_CHECK(g_strcmp0(tm_sweep_source(sw), "fuzz.ini") == 0, "sweep source");
    int64_t product = 1;
    for (int32_t a = 0; a < n_axes; a++) {
        const char *name = tm_sweep_axis_name(sw, a);
        FZ_CHECK(valid_name(name), "axis %d name '%s'", a, name ? name : "(null)");
        for (int32_t b = 0; b < a; b++)
            FZ_CHECK(strcmp(name, tm_sweep_axis_name(sw, b)) != 0, "axis '%s' twice", name);
        const char *setting = tm_sweep_axis_setting(sw, a);
        if (setting != NULL) {
            const char *slash = strchr(setting, '/');
            FZ_CHECK(slash != NULL && slash != setting && slash[1] != '\0' && slash[1] != '#' &&
                         strchr(slash + 1, '/') == NULL,
                     "axis '%s' setting '%s'", name, setting);
        }
        int32_t n = tm_sweep_axis_n_values(sw, a);
        FZ_CHECK(n >= 1, "axis '%s' has %d values", name, n);
        for (int32_t v = 0; v < n; v++) {
            const char *value = tm_sweep_axis_value(sw, a, v);
            FZ_CHECK(value != NULL && value[0] != '\0', "axis '%s' value %d empty", name, v);
            FZ_CHECK(strchr(value, '\n') == NULL, "axis '%s' value %d has a line break", name, v);
            if (setting == NULL)
                FZ_CHECK(valid_name(value), "axis '%s' variant '%s'", name, value);
            for (int32_t w = 0; w < v; w++)
                FZ_CHECK(strcmp(value, tm_sweep_axis_value(sw, a, w)) != 0,
                         "axis '%s' value '%s' twice", name, value);
        }
        FZ_CHECK(tm_sweep_axis_value(sw, a, n) == NULL, "a value past the end");
        product *= n;
        FZ_CHECK(product <= TM_SWEEP_MAX_JOBS, "more than %d jobs", TM_SWEEP_MAX_JOBS);
    }
    FZ_CHECK(tm_sweep_axis_name(sw, n_axes) == NULL && tm_sweep_axis_n_values(sw, n_axes) == 0,
             "an axis past the end");
    int64_t n_jobs = tm_sweep_n_jobs(sw);
    FZ_CHECK(n_jobs == product, "n_jobs %lld, product %lld", (long long)n_jobs,
             (long long)product);
    /* mixed radix, last axis fastest */
    const int64_t probes[] = {0, n_jobs - 1, n_jobs / 2, n_jobs / 3, (n_jobs * 7) / 11};
    for (size_t i = 0; i < G_N_ELEMENTS(probes); i++) {
        int64_t job = probes[i], recomposed = 0;
        for (int32_t a = 0; a < n_axes; a++) {
            int32_t v = tm_sweep_job_value(sw, job, a);
            int32_t n = tm_sweep_axis_n_values(sw, a);
            FZ_CHECK(v >= 0 && v < n, "job %lld axis %d value %d of %d", (long long)job, a, v, n);
            if (job == 0)
                FZ_CHECK(v == 0, "job 0 axis %d value %d", a, v);
            if (job == n_jobs - 1)
                FZ_CHECK(v == n - 1, "last job axis %d value %d of %d", a, v, n);
            recomposed = recomposed * n + v;
        }
        FZ_CHECK(recomposed == job, "job %lld recomposes to %lld", (long long)job,
                 (long long)recomposed);
    }
    FZ_CHECK(tm_sweep_job_value(sw, n_jobs, 0) == -1 && tm_sweep_job_value(sw, -1, 0) == -1 &&
                 tm_sweep_job_value(sw, 0, n_axes) == -1,
             "out of range is not -1");
}

static void check_job0(const TmSweep *sw)
{
    GError *err = NULL;
    char *text = tm_sweep_job_config_text(sw, 0, BASE, -1, &err);
    FZ_CHECK(text != NULL, "job 0 text: %s", err ? err->message : "?");
    GKeyFile *kf = g_key_file_new();
    FZ_CHECK(g_key_file_load_from_data(kf, text, (gsize)-1, G_KEY_FILE_NONE, &err),
             "job 0 text is not a key file: %s\n%s", err ? err->message : "?", text);
    FZ_CHECK(strstr(text, "# base comment") != NULL, "the base's comment is lost:\n%s", text);
    int32_t last = tm_sweep_n_axes(sw) - 1;
    const char *setting = tm_sweep_axis_setting(sw, last);
    if (setting != NULL && !g_str_has_prefix(setting, "select/")) {
        const char *slash = strchr(setting, '/');
        char *group = g_strndup(setting, (gsize)(slash - setting));
        char *v = g_key_file_get_value(kf, group, slash + 1, NULL);
        FZ_CHECK(v != NULL && strcmp(v, tm_sweep_axis_value(sw, last, 0)) == 0,
                 "job 0: [%s] %s is '%s', the last axis says '%s'\n%s", group, slash + 1,
                 v ? v : "(none)", tm_sweep_axis_value(sw, last, 0), text);
        g_free(v);
        g_free(group);
    }
    g_key_file_free(kf);
    g_free(text);

    TmConfig *cfg = tm_sweep_job_config(sw, 0, "/nonexistent/fuzz-sweep-dir", &err);
    if (cfg == NULL) {
        fz_check_error(err, "tm_sweep_job_config");
        FZ_CHECK(err->code == TM_ERROR_PARSE && g_str_has_prefix(err->message, "fuzz.ini: job 0 ("),
                 "job 0 config: code %d: %s", err->code, err->message);
        g_clear_error(&err);
    }
    tm_config_free(cfg);
    TmSelectOptions *o = tm_select_options_new();
    if (!tm_sweep_job_options(sw, 0, o, &err)) {
        fz_check_error(err, "tm_sweep_job_options");
        FZ_CHECK(err->code == TM_ERROR_PARSE && g_str_has_prefix(err->message, "fuzz.ini: job 0 ("),
                 "job 0 options: code %d: %s", err->code, err->message);
        g_clear_error(&err);
    }
    tm_select_options_free(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    GError *err = NULL;
    TmSweep *sw = tm_sweep_load_data((const char *)data, (gssize)size, "fuzz.ini", &err);
    if (sw == NULL) {
        check_failure(err, (const char *)data, size);
        g_error_free(err);
        return 0;
    }
    FZ_CHECK(err == NULL, "a loaded sweep with an error set");
    check_sweep(sw);
    check_job0(sw);
    tm_sweep_free(sw);
    return 0;
}
