/* techmatch — a policy sweep: one programme run under many configurations.
 *
 * A sweep is a grid of axes.  Each axis varies one setting of the
 * programme's configuration (config.h) over a list of values, or switches
 * between named variants that each change several settings together (three
 * weightings, say).  The jobs are every combination of one value per axis,
 * numbered 0 .. n_jobs - 1 with the last axis varying fastest.  A job's
 * configuration is the programme folder's own DIR/programme.ini (or the
 * built-in defaults when it has none) with the job's settings written over
 * it, parsed as one file: so a sweep can set anything programme.ini can,
 * and every value is checked exactly as programme.ini's are.
 *
 * Grid file format (UTF-8, GKeyFile syntax, `#` comments; docs/sweep.md):
 *
 *   [axis.quota]                  one group per axis, in the order of the file;
 *   setting=quota/total           NAME is [a-z0-9_-]+ (unique).  A setting is
 *   values=20;30;40;50;60         GROUP/KEY of programme.ini, or
 *                                 select/objective or select/stability (the
 *                                 choices of `techmatch run --objective`,
 *                                 `--stability`).  values: the values as
 *                                 programme.ini would have them, ';' between
 *                                 them (a ';' inside a value written `\;`).
 *   [axis.weighting]
 *   variants=balanced;merit;fit   named variants ([a-z0-9_-]+, unique); each
 *   [axis.weighting.merit]        variant's settings in [axis.AXIS.VARIANT]
 *   weights.site/merit=3          as GROUP/KEY=VALUE lines (a variant without
 *   weights.site/sector=1         a group changes nothing: the base).
 *
 * An axis has either setting + values or variants, with at least one
 * value; at most TM_SWEEP_MAX_AXES axes and TM_SWEEP_MAX_JOBS jobs.
 * Anything else (an unknown group or key, a setting that is not GROUP/KEY,
 * a duplicate name, an empty list) is a TM_ERROR_PARSE error whose message
 * starts `SOURCE:LINE: ` and names the group and key.  Whether a value is
 * valid is known only against the base configuration: tm_sweep_job_config()
 * (and tm_sweep_check() for all jobs at once) report a bad value as
 * TM_ERROR_PARSE naming the job, the axis, the setting and the value, then
 * programme.ini's own message.
 *
 * A TmSweep is immutable after loading: reading it from several threads
 * at once is safe.
 *
 * Typical use (what `techmatch sweep DIR --grid FILE` does; the Python
 * techmatch.parallel.sweep() runs the same jobs on a Dask cluster):
 *
 *   TmSweep *sw = tm_sweep_load_file("grid.ini", &err);
 *   for (int64_t j = 0; j < tm_sweep_n_jobs(sw); j++) {
 *       TmConfig *cfg = tm_sweep_job_config(sw, j, dir, &err);
 *       TmSelectOptions *o = tm_select_options_new();
 *       tm_sweep_job_options(sw, j, o, &err);
 *       TmSummary *row = tm_job_run(dir, cfg, o, NULL, &err);   (job.h)
 *       ...
 *   }
 */
#ifndef TECHMATCH_SWEEP_H
#define TECHMATCH_SWEEP_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/config.h>
#include <techmatch/selection.h>

G_BEGIN_DECLS

/** The most axes of one sweep. */
#define TM_SWEEP_MAX_AXES 16
/** The most jobs of one sweep (the product of the axes' sizes). */
#define TM_SWEEP_MAX_JOBS 1000000

typedef struct TmSweep TmSweep;

/**
 * tm_sweep_load_data:
 * Parses a grid (format above) from @len bytes of @data (-1: NUL-terminated);
 * @source_name (NULL: "<data>") names it in messages.  Returns a new sweep
 * (tm_sweep_free()) or NULL with @error: TM_ERROR_INVALID_ARGUMENT (NULL
 * @data), TM_ERROR_PARSE (`SOURCE:LINE: ...`), TM_ERROR_OVERFLOW (more
 * than TM_SWEEP_MAX_JOBS jobs).  Time O(size of the text).
 */
TM_API TmSweep *tm_sweep_load_data(const char *data, gssize len, const char *source_name,
                                   GError **error);
/**
 * tm_sweep_load_file:
 * As tm_sweep_load_data() from the file at @path (named by @path in
 * messages).  Errors as above plus TM_ERROR_IO (cannot read the file).
 */
TM_API TmSweep *tm_sweep_load_file(const char *path, GError **error);
/** tm_sweep_free: Frees @sweep (NULL is fine).  O(size). */
TM_API void tm_sweep_free(TmSweep *sweep);

/** tm_sweep_source: The name given at loading (owned by @sweep).  O(1). */
TM_API const char *tm_sweep_source(const TmSweep *sweep);
/** tm_sweep_n_axes: The number of axes (>= 1).  O(1). */
TM_API int32_t tm_sweep_n_axes(const TmSweep *sweep);
/** tm_sweep_axis_name: Axis @axis's NAME (owned by @sweep; NULL out of range).  O(1). */
TM_API const char *tm_sweep_axis_name(const TmSweep *sweep, int32_t axis);
/**
 * tm_sweep_axis_setting:
 * The setting axis @axis varies, as "GROUP/KEY" (owned by @sweep), or NULL
 * for an axis of variants (or out of range).  O(1).
 */
TM_API const char *tm_sweep_axis_setting(const TmSweep *sweep, int32_t axis);
/** tm_sweep_axis_n_values: The number of values (or variants) of axis @axis (0 out of range).  O(1). */
TM_API int32_t tm_sweep_axis_n_values(const TmSweep *sweep, int32_t axis);
/**
 * tm_sweep_axis_value:
 * Value @value of axis @axis: the setting's value text, or the variant's
 * name (owned by @sweep; NULL out of range).  O(1).
 */
TM_API const char *tm_sweep_axis_value(const TmSweep *sweep, int32_t axis, int32_t value);
/** tm_sweep_n_jobs: The number of jobs, the product of the axes' sizes.  O(1). */
TM_API int64_t tm_sweep_n_jobs(const TmSweep *sweep);
/**
 * tm_sweep_job_value:
 * Which value of axis @axis job @job takes (0-based), or -1 when @job or
 * @axis is out of range.  O(number of axes).
 */
TM_API int32_t tm_sweep_job_value(const TmSweep *sweep, int64_t job, int32_t axis);

/**
 * tm_sweep_job_config_text:
 * The configuration text of job @job: @base (@len bytes, -1:
 * NUL-terminated; NULL or "" for the built-in defaults) with the job's
 * programme.ini settings written over it (comments kept).  Returns a new
 * string (g_free()) or NULL with @error: TM_ERROR_INVALID_ARGUMENT (NULL
 * @sweep, @job out of range), TM_ERROR_PARSE (@base is not GKeyFile text).
 * The text is not checked as a configuration; tm_sweep_job_config() does
 * that.  O(size of @base + settings).
 */
TM_API char *tm_sweep_job_config_text(const TmSweep *sweep, int64_t job, const char *base,
                                      gssize len, GError **error);
/**
 * tm_sweep_job_config:
 * Job @job's configuration for the programme folder @dir: its
 * programme.ini (TM_CONFIG_FILE_NAME) when present, else the defaults, with
 * the job's settings over it, loaded as tm_config_load_data() (source name
 * "DIR/programme.ini (sweep job N)").  Returns a new configuration
 * (tm_config_free()) or NULL with @error: TM_ERROR_INVALID_ARGUMENT,
 * TM_ERROR_IO (programme.ini unreadable), TM_ERROR_PARSE (programme.ini's
 * own errors, or a value of the sweep that programme.ini rejects: the
 * message starts `SWEEP: job N (AXIS=VALUE, ...): [GROUP] KEY=VALUE: `).
 * O(size of programme.ini).
 */
TM_API TmConfig *tm_sweep_job_config(const TmSweep *sweep, int64_t job, const char *dir,
                                     GError **error);
/**
 * tm_sweep_job_options:
 * Applies job @job's select/ settings (objective, stability) to @options;
 * a job without them leaves @options as it is.  FALSE with @error:
 * TM_ERROR_INVALID_ARGUMENT (NULL, @job out of range), TM_ERROR_PARSE (an
 * unknown objective or stability, named as in tm_sweep_job_config()).
 * O(number of axes).
 */
TM_API gboolean tm_sweep_job_options(const TmSweep *sweep, int64_t job,
                                     TmSelectOptions *options, GError **error);
/**
 * tm_sweep_check:
 * Builds every job's configuration and options for folder @dir and drops
 * them: TRUE when all are valid, else FALSE with the first job's error (as
 * tm_sweep_job_config()).  Run it before starting a long sweep.
 * O(n_jobs × size of programme.ini).
 */
TM_API gboolean tm_sweep_check(const TmSweep *sweep, const char *dir, GError **error);

G_END_DECLS

#endif /* TECHMATCH_SWEEP_H */
