/* techmatch — `run --review FILE` (cli.h): the leading group's decisions
 * (review.h; docs/review.md) applied on a re-run, and what they changed
 * against the previous run — the same forms and configuration without the
 * review, or with the earlier review of --previous-review FILE — which
 * run.c writes as the last section of report.md, "Leading group's review
 * (领导小组审核)". */
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

TmReviewEffects *cli_review_effects(TmProgramme *programme, const TmConfig *cfg,
                                    const TmSelectOptions *options, const TmSelection *current,
                                    const TmReview *review, const TmReview *previous_review,
                                    const char *previous_path, CliProgress *progress,
                                    int *status)
{
    GError *error = NULL;
    *status = EXIT_BAD;
    TmSelectOptions *prev_options = tm_select_options_copy(options);
    char *display = previous_path ? g_filename_display_name(previous_path) : NULL;
    char *baseline = display ? g_strdup_printf("the same forms and configuration with the "
                                               "earlier review %s", display)
                             : NULL;
    TmSelection *previous = NULL;
    TmReviewEffects *effects = NULL;

    /* the previous run: the same forms, configuration and options, with
     * the earlier review or none */
    cli_progress_step(progress, cli_step_label(CLI_STEP_SELECT));
    if (!tm_select_options_set_review(prev_options, previous_review, &error)
        || (previous = tm_programme_select(programme, tm_config_rules(cfg), tm_config_quota(cfg),
                                           prev_options, &error)) == NULL) {
        cli_progress_done(progress);
        if (error != NULL)
            g_prefix_error(&error, "the previous run%s: ",
                           previous_review ? " (with --previous-review)" : "");
        *status = fail_with(error);
        goto out;
    }
    cli_progress_done(progress);
    if ((effects = tm_review_effects_new(previous, current, review, &error)) == NULL
        || (previous_path != NULL
            && !tm_review_effects_set_baseline(effects, baseline, &error))) {
        tm_review_effects_free(effects);
        effects = NULL;
        tm_selection_free(previous);
        *status = fail_with(error);
        goto out;
    }
    *status = EXIT_OK;
out:
    tm_select_options_free(prev_options);
    g_free(baseline);
    g_free(display);
    return effects;
}
