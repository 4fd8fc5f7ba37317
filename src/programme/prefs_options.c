/* techmatch — the options and statistics of tm_programme_build_market()
 * (preferences.h). */
#include "programme/candidates_private.h"

TmPrefsOptions *tm_prefs_options_new(void)
{
    TmPrefsOptions *o = g_new0(TmPrefsOptions, 1);
    o->k = -1;
    return o;
}

TmPrefsOptions *tm_prefs_options_copy(const TmPrefsOptions *options)
{
    if (options == NULL)
        return NULL;
    TmPrefsOptions *o = g_new(TmPrefsOptions, 1);
    *o = *options;
    tm_i_control_copy(&o->ctl, &options->ctl);
    return o;
}

void tm_prefs_options_free(TmPrefsOptions *options)
{
    if (options == NULL)
        return;
    tm_i_control_clear(&options->ctl);
    g_free(options);
}

static gboolean options_ok(const TmPrefsOptions *options, GError **error)
{
    if (options == NULL)
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "options must not be NULL");
    return options != NULL;
}

gboolean tm_prefs_options_set_k(TmPrefsOptions *options, int32_t k, GError **error)
{
    if (!options_ok(options, error))
        return FALSE;
    if (k < -1) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "k must be -1 (the rules' k), 0 (exact) or > 0 (top-k), not %"
                    G_GINT32_FORMAT, k);
        return FALSE;
    }
    options->k = k;
    return TRUE;
}

int32_t tm_prefs_options_get_k(const TmPrefsOptions *options)
{
    return options ? options->k : -1;
}

gboolean tm_prefs_options_set_n_threads(TmPrefsOptions *options, int32_t n_threads,
                                        GError **error)
{
    if (!options_ok(options, error))
        return FALSE;
    if (n_threads < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "n_threads must be 0 (one per processor) or > 0, not %" G_GINT32_FORMAT,
                    n_threads);
        return FALSE;
    }
    options->n_threads = n_threads;
    return TRUE;
}

int32_t tm_prefs_options_get_n_threads(const TmPrefsOptions *options)
{
    return options ? options->n_threads : 0;
}

void tm_prefs_options_set_progress(TmPrefsOptions *options, TmProgressFunc func,
                                   gpointer user_data, GDestroyNotify destroy)
{
    if (options)
        tm_i_control_set_progress(&options->ctl, func, user_data, destroy);
}

void tm_prefs_options_set_cancel(TmPrefsOptions *options, TmCancel *cancel)
{
    if (options)
        tm_i_control_set_cancel(&options->ctl, cancel);
}

TmCancel *tm_prefs_options_get_cancel(const TmPrefsOptions *options)
{
    return options ? options->ctl.cancel : NULL;
}

/* ---- statistics ---------------------------------------------------------- */

TmPrefsStats *tm_prefs_stats_new(void)
{
    return g_new0(TmPrefsStats, 1);
}

void tm_prefs_stats_free(TmPrefsStats *stats)
{
    g_free(stats);
}

int64_t tm_prefs_stats_get(const TmPrefsStats *stats, TmPrefsStat key)
{
    if (stats == NULL)
        return 0;
    switch (key) {
    case TM_PREFS_STAT_K: return stats->k;
    case TM_PREFS_STAT_SITE_K: return stats->site_k;
    case TM_PREFS_STAT_CANDIDATES_SCORED: return stats->candidates_scored;
    case TM_PREFS_STAT_CANDIDATES_EXAMINED: return stats->candidates_examined;
    case TM_PREFS_STAT_SUPPLY_ENTRIES: return stats->supply_entries;
    case TM_PREFS_STAT_DEMAND_ENTRIES: return stats->demand_entries;
    case TM_PREFS_STAT_WISHES_KEPT: return stats->wishes_kept;
    case TM_PREFS_STAT_WISHES_DROPPED: return stats->wishes_dropped;
    case TM_PREFS_STAT_FORCED_ENTRIES: return stats->forced_entries;
    case TM_PREFS_STAT_EXACT_AGENTS: return stats->exact_agents;
    case TM_PREFS_STAT_BUDGET_AGENTS: return stats->budget_agents;
    case TM_PREFS_STAT_THREADS: return stats->threads;
    default: return -1;
    }
}

const char *tm_prefs_stat_name(TmPrefsStat key)
{
    static const char *const names[] = {
        "k", "site_k", "candidates_scored", "candidates_examined", "supply_entries",
        "demand_entries", "wishes_kept", "wishes_dropped", "forced_entries", "exact_agents",
        "budget_agents", "threads",
    };
    G_STATIC_ASSERT(G_N_ELEMENTS(names) == TM_PREFS_STAT_THREADS + 1);
    return (unsigned)key < G_N_ELEMENTS(names) ? names[key] : NULL;
}
