/* techmatch — one programme run as a job of a batch, and its figures as one
 * row of a summary table.
 *
 * `techmatch run-many`, `techmatch sweep` and the Python
 * techmatch.parallel module run many independent programmes; each job reads
 * a programme folder's forms, selects under a configuration and, on
 * request, writes the outputs `techmatch run -o` writes.  What comes back is
 * a TmSummary: named, typed fields, the same for every front end, so the
 * CLI's summary CSV and Python's DataFrame have the same columns.
 *
 * Fields of tm_selection_summary(), in this order (docs/sweep.md):
 *
 *   commissioners, sites             agents on the forms
 *   eligible_commissioners, eligible_sites   passing the eligibility rules
 *   selected                         commissioners or teams sent
 *   assignments                      commissioner-site pairs
 *   sites_served                     sites with at least one commissioner
 *   quota                            the quota (NONE: no quota)
 *   quota_counts                     "people" or "assignments"
 *   quota_used                       what the quota counted
 *   stable                           1 when the audit found no violation
 *   objective                        which stable matching ("supply-optimal", ...)
 *   objective_value                  its value (NONE when not requested)
 *   merit_cutoff                     the merit of the first applicant the
 *                                    quota cut (NONE: the quota cut nobody)
 *   cutoff_commissioner              that applicant's name (NONE likewise)
 *   mean_rank_commissioner           mean rank (1 = first choice) of their
 *   mean_rank_site                   partner in the assigned pairs' lists
 *                                    (NONE without pairs)
 *   served.CODE                      per sector of the taxonomy, in order:
 *   coverage.CODE                    sites served; served / registered
 *   assignments.CODE                 (NONE when none registered); pairs
 *
 * tm_job_run() adds `seconds` (wall time of the job: read, select, write).
 */
#ifndef TECHMATCH_JOB_H
#define TECHMATCH_JOB_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/config.h>
#include <techmatch/selection.h>

G_BEGIN_DECLS

/** The type of a summary field's value. */
typedef enum {
    TM_SUMMARY_NONE = 0,   /* no value (an empty CSV cell, Python None) */
    TM_SUMMARY_INT = 1,    /* int64_t */
    TM_SUMMARY_DOUBLE = 2, /* double */
    TM_SUMMARY_TEXT = 3,   /* UTF-8 string */
} TmSummaryType;

typedef struct TmSummary TmSummary;

/**
 * tm_summary_new:
 * An empty summary (tm_summary_free()).  Never fails.  O(1).
 */
TM_API TmSummary *tm_summary_new(void);
/** tm_summary_free: Frees @summary (NULL is fine).  O(fields). */
TM_API void tm_summary_free(TmSummary *summary);
/**
 * tm_selection_summary:
 * The fields above for @selection: a new summary (tm_summary_free()), or
 * NULL when @selection is NULL.  O(agents + pairs + sectors).
 */
TM_API TmSummary *tm_selection_summary(const TmSelection *selection);
/** tm_summary_n_fields: The number of fields.  O(1). */
TM_API int32_t tm_summary_n_fields(const TmSummary *summary);
/** tm_summary_name: Field @i's name (owned by @summary; NULL out of range).  O(1). */
TM_API const char *tm_summary_name(const TmSummary *summary, int32_t i);
/** tm_summary_find: The index of the field called @name, or -1.  O(fields). */
TM_API int32_t tm_summary_find(const TmSummary *summary, const char *name);
/** tm_summary_type: Field @i's type (TM_SUMMARY_NONE out of range).  O(1). */
TM_API TmSummaryType tm_summary_type(const TmSummary *summary, int32_t i);
/** tm_summary_int: Field @i as an integer (a double truncated; 0 otherwise).  O(1). */
TM_API int64_t tm_summary_int(const TmSummary *summary, int32_t i);
/** tm_summary_double: Field @i as a double (NaN for NONE and TEXT).  O(1). */
TM_API double tm_summary_double(const TmSummary *summary, int32_t i);
/** tm_summary_text: Field @i's text (owned by @summary), or NULL unless TEXT.  O(1). */
TM_API const char *tm_summary_text(const TmSummary *summary, int32_t i);
/**
 * tm_summary_format:
 * Field @i as a CSV cell: "" for NONE, the integer, the double in the
 * shortest form that reads back equal, or the text.  A new string
 * (g_free()); NULL out of range.  O(length).
 */
TM_API char *tm_summary_format(const TmSummary *summary, int32_t i);
/**
 * tm_summary_set_int:
 * Sets field @name to the integer @value (added at the end when new,
 * replaced in place otherwise).  A no-op on a NULL @summary or @name.
 * O(fields).
 */
TM_API void tm_summary_set_int(TmSummary *summary, const char *name, int64_t value);
/** tm_summary_set_double: As tm_summary_set_int() with a double. */
TM_API void tm_summary_set_double(TmSummary *summary, const char *name, double value);
/** tm_summary_set_text: As tm_summary_set_int() with a copy of @text (NULL: NONE). */
TM_API void tm_summary_set_text(TmSummary *summary, const char *name, const char *text);
/** tm_summary_set_none: As tm_summary_set_int(), with no value. */
TM_API void tm_summary_set_none(TmSummary *summary, const char *name);

/**
 * tm_job_run:
 * Runs the programme in folder @dir as `techmatch run DIR` does: reads its
 * forms strictly (forms.h), selects with @config (NULL: DIR/programme.ini
 * when present, else the defaults) and @options (NULL: the defaults; its
 * progress callback is not used), and when @out_dir is not NULL writes
 * there what `techmatch run -o OUT_DIR` writes (atomically: a failure
 * leaves no half-written file).  Returns the selection's summary plus
 * `seconds`, a new TmSummary (tm_summary_free()), or NULL with @error: the
 * errors of tm_config_load_for_dir(), tm_forms_read_dir() (naming file,
 * line and column), tm_programme_select() and tm_selection_write_with().
 * Reentrant: jobs may run in several threads at once.  Time: reading the
 * forms plus the selection (selection.h).
 */
TM_API TmSummary *tm_job_run(const char *dir, const TmConfig *config,
                             const TmSelectOptions *options, const char *out_dir,
                             GError **error);

G_END_DECLS

#endif /* TECHMATCH_JOB_H */
