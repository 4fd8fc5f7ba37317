/* techmatch — `run --review FILE` (cli.h): the leading group's decisions
 * (review.h; docs/review.md) applied on a re-run, and what they changed
 * against the previous run — the same forms and configuration without the
 * review, or with the earlier review of --previous-review FILE — appended
 * to report.md as the section "Leading group's review (领导小组审核)". */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include <techmatch/techmatch.h>

#include "cli.h"

TmReview *cli_review_load(const char *option, const char *path)
{
    TmReview *review = tm_review_new();
    GError *error = NULL;
    if (!tm_review_load_file(review, path, &error)) {
        message("run: %s: %s", option, error->message);
        g_error_free(error);
        tm_review_free(review);
        return NULL;
    }
    return review;
}

int cli_run_reviewed(TmProgramme *programme, const TmConfig *cfg,
                     const TmSelectOptions *options, const TmSelection *current,
                     const TmReview *review, const TmReview *previous_review,
                     const char *previous_path, const char *out_dir)
{
    GError *error = NULL;
    int status = EXIT_BAD;
    TmSelectOptions *prev_options = tm_select_options_copy(options);
    char *display = previous_path ? g_filename_display_name(previous_path) : NULL;
    char *baseline = display ? g_strdup_printf("the same forms and configuration with the "
                                               "earlier review %s", display)
                             : NULL;
    TmSelection *previous = NULL;
    TmReviewEffects *effects = NULL;
    char *report = NULL, *section = NULL;

    /* the previous run: the same forms, configuration and options, with
     * the earlier review or none */
    if (!tm_select_options_set_review(prev_options, previous_review, &error)
        || (previous = tm_programme_select(programme, tm_config_rules(cfg), tm_config_quota(cfg),
                                           prev_options, &error)) == NULL) {
        if (error != NULL)
            g_prefix_error(&error, "the previous run%s: ",
                           previous_review ? " (with --previous-review)" : "");
        status = fail_with(error);
        goto out;
    }
    /* everything in memory first: a failure here writes nothing */
    if ((effects = tm_review_effects_new(previous, current, review, &error)) == NULL
        || (previous_path != NULL
            && !tm_review_effects_set_baseline(effects, baseline, &error))
        || (report = tm_selection_report_markdown(current, &error)) == NULL
        || (section = tm_review_effects_markdown(effects, &error)) == NULL
        || !tm_review_effects_write(effects, out_dir, &error)) {
        status = fail_with(error);
        goto out;
    }
    if (fputs(report, stdout) == EOF || fputs(section, stdout) == EOF || fflush(stdout) != 0) {
        message("<stdout>: write error: %s", g_strerror(errno));
        goto out;
    }
    status = EXIT_OK;
out:
    g_free(report);
    g_free(section);
    tm_review_effects_free(effects);
    tm_selection_free(previous);
    tm_select_options_free(prev_options);
    g_free(baseline);
    g_free(display);
    return status;
}
