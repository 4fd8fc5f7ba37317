/* techmatch — what `run` says on standard output when it does not print the
 * report (cli.h): a few lines on the selection and the files written.
 *
 * Every word the summary and the progress line show is in this file
 * (cli_step_label() and summary_words()), so that a message catalogue can
 * take them over in one place. */
#include <string.h>

#include <glib.h>

#include <techmatch/techmatch.h>

#include "cli.h"

const char *cli_step_label(int step)
{
    switch (step) {
    case CLI_STEP_READ:
        return "reading the forms";
    case CLI_STEP_SELECT:
        return "selecting";
    case CLI_STEP_REPORT:
        return "writing the report";
    case CLI_STEP_WRITE:
        return "writing the files";
    default:
        return "working";
    }
}

gboolean cli_report_is_small(const char *report)
{
    size_t len = strlen(report);
    if (len > CLI_REPORT_SMALL_BYTES)
        return FALSE;
    size_t lines = 0;
    for (const char *p = report; (p = strchr(p, '\n')) != NULL; p++)
        lines++;
    if (len > 0 && report[len - 1] != '\n')
        lines++;
    return lines <= CLI_REPORT_SMALL_LINES;
}

/* The facts the summary states. */
typedef struct {
    int32_t applicants, applicants_eligible, sites, sites_eligible;
    int64_t assignments;
    int32_t sent;
    int32_t quota;       /* -1: none */
    gboolean quota_pairs; /* the quota counts assignments */
    int64_t quota_used;
    const char *cutoff_name; /* NULL: the quota did not bind */
    double cutoff_merit;
    gboolean stable;
    int64_t blocking, violations;
    const char *objective; /* NULL: not requested */
    double objective_value;
    guint skipped, warnings;
    int n_decisions; /* < 0: no review */
    const char *out_dir;
    char **files; /* in the output folder, sorted */
    int n_drafts; /* in its agreements/ */
} Facts;

/* The summary's words (English; the one place to translate them). */
static void summary_words(GString *s, const Facts *f)
{
    char num[G_ASCII_DTOSTR_BUF_SIZE]; /* numbers with a '.' whatever the locale */
    g_string_append_printf(s, "Applicants: %" G_GINT32_FORMAT " (%" G_GINT32_FORMAT
                              " eligible)\n",
                           f->applicants, f->applicants_eligible);
    g_string_append_printf(s, "Sites: %" G_GINT32_FORMAT " (%" G_GINT32_FORMAT " eligible)\n",
                           f->sites, f->sites_eligible);
    g_string_append_printf(s, "Assignments: %" G_GINT64_FORMAT "\n", f->assignments);
    if (f->quota < 0)
        g_string_append_printf(s, "Sent: %" G_GINT32_FORMAT " commissioners or teams (no quota)\n",
                               f->sent);
    else if (f->quota_pairs)
        g_string_append_printf(s, "Sent: %" G_GINT32_FORMAT " commissioners or teams; %"
                                  G_GINT64_FORMAT " of a quota of %" G_GINT32_FORMAT
                                  " assignments\n",
                               f->sent, f->quota_used, f->quota);
    else
        g_string_append_printf(s, "Sent: %" G_GINT32_FORMAT " of a quota of %" G_GINT32_FORMAT
                                  " commissioners or teams\n",
                               f->sent, f->quota);
    if (f->cutoff_name != NULL)
        g_string_append_printf(s, "Merit cutoff: %s, %s (the first applicant the quota cuts)\n",
                               g_ascii_formatd(num, sizeof num, "%.1f", f->cutoff_merit),
                               f->cutoff_name);
    else
        g_string_append(s, "Merit cutoff: none (the quota did not bind)\n");
    if (f->objective != NULL)
        g_string_append_printf(s, "Objective: %s, value %s\n", f->objective,
                               g_ascii_formatd(num, sizeof num, "%g", f->objective_value));
    if (f->stable)
        g_string_append(s, "Stable: yes\n");
    else
        g_string_append_printf(s, "Stable: no (%" G_GINT64_FORMAT " blocking pairs, %"
                                  G_GINT64_FORMAT " violations)\n",
                               f->blocking, f->violations);
    if (f->skipped > 0 || f->warnings > 0)
        g_string_append_printf(s, "Rows skipped (lenient): %u; warnings: %u (listed in "
                                  "report.md)\n",
                               f->skipped, f->warnings);
    if (f->n_decisions >= 0)
        g_string_append_printf(s, "Review decisions applied: %d (their effects in report.md)\n",
                               f->n_decisions);
    g_string_append_printf(s, "Written to %s:\n", f->out_dir);
    for (guint i = 0; f->files[i] != NULL; i++) {
        if (strcmp(f->files[i], "agreements") == 0)
            g_string_append_printf(s, "  agreements/ (%d %s)\n", f->n_drafts,
                                   f->n_drafts == 1 ? "draft agreement" : "draft agreements");
        else
            g_string_append_printf(s, "  %s\n", f->files[i]);
    }
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names in the folder @dir, sorted (g_strfreev()); *@n_drafts the files
 * in its agreements/ subfolder.  What is there, not a list kept here: the
 * set grows (output.h). */
static char **listing(const char *dir, int *n_drafts)
{
    GPtrArray *names = g_ptr_array_new();
    *n_drafts = 0;
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d != NULL && (name = g_dir_read_name(d)) != NULL)
        g_ptr_array_add(names, g_strdup(name));
    if (d != NULL)
        g_dir_close(d);
    g_ptr_array_sort(names, compare_strings);
    g_ptr_array_add(names, NULL);
    char *sub = g_build_filename(dir, "agreements", NULL);
    if ((d = g_dir_open(sub, 0, NULL)) != NULL) {
        while (g_dir_read_name(d) != NULL)
            (*n_drafts)++;
        g_dir_close(d);
    }
    g_free(sub);
    return (char **)g_ptr_array_free(names, FALSE);
}

char *cli_run_summary(const TmSelection *sel, const char *out_dir, guint skipped,
                      guint warnings, int n_decisions)
{
    const TmScreening *scr = tm_selection_screening(sel);
    const TmProgramme *prog = tm_selection_programme(sel);
    const TmVerdict *verdict = tm_selection_verdict(sel);
    int32_t cut = -1;
    double merit = 0;
    char *abs = g_canonicalize_filename(out_dir, NULL);
    Facts f = {
        .applicants = tm_selection_n_agents(sel, TM_SIDE_SUPPLY),
        .applicants_eligible = tm_screening_n_eligible(scr, TM_SIDE_SUPPLY),
        .sites = tm_selection_n_agents(sel, TM_SIDE_DEMAND),
        .sites_eligible = tm_screening_n_eligible(scr, TM_SIDE_DEMAND),
        .assignments = tm_matching_n_pairs(tm_selection_matching(sel)),
        .sent = tm_selection_n_selected(sel),
        .quota = tm_selection_quota_total(sel),
        .quota_pairs = tm_selection_quota_unit(sel) == TM_QUOTA_ASSIGNMENTS,
        .quota_used = tm_selection_quota_used(sel),
        .stable = tm_verdict_is_stable(verdict),
        .blocking = tm_verdict_n_blocking_pairs(verdict),
        .violations = tm_verdict_n_violations(verdict),
        .skipped = skipped,
        .warnings = warnings,
        .n_decisions = n_decisions,
        .out_dir = abs,
    };
    if (tm_selection_merit_cutoff(sel, &cut, &merit) && cut >= 0) {
        f.cutoff_name = tm_programme_commissioner(prog, cut)->name;
        f.cutoff_merit = merit;
    }
    if (tm_selection_objective_requested(sel)) {
        f.objective = tm_objective_code((TmObjective)tm_selection_objective(sel));
        f.objective_value = tm_selection_objective_value(sel);
    }
    f.files = listing(out_dir, &f.n_drafts);
    GString *s = g_string_new(NULL);
    summary_words(s, &f);
    g_strfreev(f.files);
    g_free(abs);
    return g_string_free(s, FALSE);
}
