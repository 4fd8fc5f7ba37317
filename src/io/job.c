/* techmatch — io layer: one programme folder run as a job (job.h). */
#include <techmatch/job.h>
#include <techmatch/forms.h>
#include <techmatch/output.h>
#include <techmatch/profile.h>

TmSummary *tm_job_run(const char *dir, const TmConfig *config, const TmSelectOptions *options,
                      const char *out_dir, GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (dir == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "directory must not be NULL");
        return NULL;
    }
    gint64 start = g_get_monotonic_time();
    TmConfig *own = NULL;
    if (config == NULL && (config = own = tm_config_load_for_dir(dir, error)) == NULL)
        return NULL;
    TmSummary *summary = NULL;
    TmSelection *selection = NULL;
    TmSelectOptions *opts = options != NULL ? tm_select_options_copy(options)
                                            : tm_select_options_new();
    tm_select_options_set_progress(opts, NULL, NULL, NULL);
    TmProgramme *programme = tm_programme_new(tm_config_taxonomy(config));
    if (!tm_forms_read_dir(programme, dir, TM_FORMS_STRICT, NULL, error))
        goto out;
    selection = tm_programme_select(programme, tm_config_rules(config), tm_config_quota(config),
                                    opts, error);
    if (selection == NULL)
        goto out;
    if (out_dir != NULL) {
        TmOutputOptions *output = tm_output_options_new();
        gboolean written = tm_selection_write_with(selection, out_dir, output, error);
        tm_output_options_free(output);
        if (!written)
            goto out;
    }
    summary = tm_selection_summary(selection);
    tm_summary_set_double(summary, "seconds", (double)(g_get_monotonic_time() - start) / 1e6);
out:
    tm_selection_free(selection);
    tm_programme_free(programme);
    tm_select_options_free(opts);
    tm_config_free(own);
    return summary;
}
