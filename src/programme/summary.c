/* techmatch — programme layer: a selection's figures as one row of named,
 * typed fields (job.h: TmSummary, tm_selection_summary()). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <techmatch/job.h>
#include <techmatch/matching.h>
#include <techmatch/profile.h>
#include <techmatch/rules.h>

typedef struct {
    char *name;
    TmSummaryType type;
    int64_t i;
    double d;
    char *text;
} Field;

struct TmSummary {
    GArray *fields; /* Field */
};

static void field_clear(gpointer p)
{
    Field *f = p;
    g_free(f->name);
    g_free(f->text);
}

TmSummary *tm_summary_new(void)
{
    TmSummary *s = g_new0(TmSummary, 1);
    s->fields = g_array_new(FALSE, TRUE, sizeof(Field));
    g_array_set_clear_func(s->fields, field_clear);
    return s;
}

void tm_summary_free(TmSummary *summary)
{
    if (summary == NULL)
        return;
    g_array_free(summary->fields, TRUE);
    g_free(summary);
}

int32_t tm_summary_n_fields(const TmSummary *summary)
{
    return summary ? (int32_t)summary->fields->len : 0;
}

static const Field *field_at(const TmSummary *summary, int32_t i)
{
    if (summary == NULL || i < 0 || (guint)i >= summary->fields->len)
        return NULL;
    return &g_array_index(summary->fields, Field, i);
}

const char *tm_summary_name(const TmSummary *summary, int32_t i)
{
    const Field *f = field_at(summary, i);
    return f ? f->name : NULL;
}

int32_t tm_summary_find(const TmSummary *summary, const char *name)
{
    if (summary == NULL || name == NULL)
        return -1;
    for (guint i = 0; i < summary->fields->len; i++)
        if (strcmp(g_array_index(summary->fields, Field, i).name, name) == 0)
            return (int32_t)i;
    return -1;
}

TmSummaryType tm_summary_type(const TmSummary *summary, int32_t i)
{
    const Field *f = field_at(summary, i);
    return f ? f->type : TM_SUMMARY_NONE;
}

int64_t tm_summary_int(const TmSummary *summary, int32_t i)
{
    const Field *f = field_at(summary, i);
    if (f == NULL)
        return 0;
    if (f->type == TM_SUMMARY_INT)
        return f->i;
    if (f->type == TM_SUMMARY_DOUBLE && isfinite(f->d) && fabs(f->d) < 9.2e18)
        return (int64_t)f->d;
    return 0;
}

double tm_summary_double(const TmSummary *summary, int32_t i)
{
    const Field *f = field_at(summary, i);
    if (f == NULL)
        return NAN;
    if (f->type == TM_SUMMARY_INT)
        return (double)f->i;
    return f->type == TM_SUMMARY_DOUBLE ? f->d : NAN;
}

const char *tm_summary_text(const TmSummary *summary, int32_t i)
{
    const Field *f = field_at(summary, i);
    return f != NULL && f->type == TM_SUMMARY_TEXT ? f->text : NULL;
}

char *tm_summary_format(const TmSummary *summary, int32_t i)
{
    const Field *f = field_at(summary, i);
    if (f == NULL)
        return NULL;
    switch (f->type) {
    case TM_SUMMARY_INT:
        return g_strdup_printf("%" G_GINT64_FORMAT, f->i);
    case TM_SUMMARY_DOUBLE: {
        if (!isfinite(f->d))
            return g_strdup(isnan(f->d) ? "nan" : (f->d > 0 ? "inf" : "-inf"));
        /* the shortest of %.1g .. %.17g that reads back equal */
        char buf[40];
        for (int p = 1; p <= 17; p++) {
            snprintf(buf, sizeof buf, "%.*g", p, f->d);
            if (g_ascii_strtod(buf, NULL) == f->d)
                break;
        }
        return g_strdup(buf);
    }
    case TM_SUMMARY_TEXT:
        return g_strdup(f->text);
    case TM_SUMMARY_NONE:
    default:
        return g_strdup("");
    }
}

/* The field called @name, added (NONE) at the end when new. */
static Field *field_slot(TmSummary *summary, const char *name)
{
    int32_t i = tm_summary_find(summary, name);
    if (i >= 0) {
        Field *f = &g_array_index(summary->fields, Field, i);
        g_clear_pointer(&f->text, g_free);
        return f;
    }
    Field f = {g_strdup(name), TM_SUMMARY_NONE, 0, 0.0, NULL};
    g_array_append_val(summary->fields, f);
    return &g_array_index(summary->fields, Field, summary->fields->len - 1);
}

void tm_summary_set_int(TmSummary *summary, const char *name, int64_t value)
{
    if (summary == NULL || name == NULL)
        return;
    Field *f = field_slot(summary, name);
    f->type = TM_SUMMARY_INT;
    f->i = value;
}

void tm_summary_set_double(TmSummary *summary, const char *name, double value)
{
    if (summary == NULL || name == NULL)
        return;
    Field *f = field_slot(summary, name);
    f->type = TM_SUMMARY_DOUBLE;
    f->d = value;
}

void tm_summary_set_text(TmSummary *summary, const char *name, const char *text)
{
    if (summary == NULL || name == NULL)
        return;
    Field *f = field_slot(summary, name);
    if (text == NULL) {
        f->type = TM_SUMMARY_NONE;
        return;
    }
    f->type = TM_SUMMARY_TEXT;
    f->text = g_strdup(text);
}

void tm_summary_set_none(TmSummary *summary, const char *name)
{
    if (summary == NULL || name == NULL)
        return;
    field_slot(summary, name)->type = TM_SUMMARY_NONE;
}

/* Mean 1-based rank over the assigned pairs, or NONE without pairs. */
static void set_mean_rank(TmSummary *s, const char *name, const TmMatchingStats *st,
                          TmSide side, gboolean ok)
{
    if (ok && st->pairs > 0)
        tm_summary_set_double(s, name, st->side[side].rank_mean + 1.0);
    else
        tm_summary_set_none(s, name);
}

TmSummary *tm_selection_summary(const TmSelection *selection)
{
    if (selection == NULL)
        return NULL;
    TmSummary *s = tm_summary_new();
    const TmProgramme *p = tm_selection_programme(selection);
    const TmScreening *scr = tm_selection_screening(selection);
    const TmMatching *m = tm_selection_matching(selection);
    int32_t n_sites = tm_selection_n_agents(selection, TM_SIDE_DEMAND);

    tm_summary_set_int(s, "commissioners", tm_selection_n_agents(selection, TM_SIDE_SUPPLY));
    tm_summary_set_int(s, "sites", n_sites);
    tm_summary_set_int(s, "eligible_commissioners", tm_screening_n_eligible(scr, TM_SIDE_SUPPLY));
    tm_summary_set_int(s, "eligible_sites", tm_screening_n_eligible(scr, TM_SIDE_DEMAND));
    tm_summary_set_int(s, "selected", tm_selection_n_selected(selection));
    tm_summary_set_int(s, "assignments", tm_matching_n_pairs(m));
    int64_t served = 0;
    for (int32_t d = 0; d < n_sites; d++)
        served += tm_matching_n_partners(m, TM_SIDE_DEMAND, d) > 0;
    tm_summary_set_int(s, "sites_served", served);
    int32_t quota = tm_selection_quota_total(selection);
    if (quota >= 0)
        tm_summary_set_int(s, "quota", quota);
    else
        tm_summary_set_none(s, "quota");
    tm_summary_set_text(s, "quota_counts", tm_quota_unit_code(tm_selection_quota_unit(selection)));
    tm_summary_set_int(s, "quota_used", tm_selection_quota_used(selection));
    tm_summary_set_int(s, "stable", tm_verdict_is_stable(tm_selection_verdict(selection)) ? 1 : 0);
    tm_summary_set_text(s, "objective", tm_objective_code(tm_selection_objective(selection)));
    if (tm_selection_objective_requested(selection))
        tm_summary_set_double(s, "objective_value", tm_selection_objective_value(selection));
    else
        tm_summary_set_none(s, "objective_value");
    int32_t cut = -1;
    double merit = NAN;
    if (tm_selection_merit_cutoff(selection, &cut, &merit) && cut >= 0) {
        const TmCommissioner *c = tm_programme_commissioner(p, cut);
        tm_summary_set_double(s, "merit_cutoff", merit);
        tm_summary_set_text(s, "cutoff_commissioner", c != NULL ? c->name : NULL);
    } else {
        tm_summary_set_none(s, "merit_cutoff");
        tm_summary_set_none(s, "cutoff_commissioner");
    }
    TmMatchingStats st;
    gboolean ok = tm_matching_get_stats(m, &st, NULL);
    set_mean_rank(s, "mean_rank_commissioner", &st, TM_SIDE_SUPPLY, ok);
    set_mean_rank(s, "mean_rank_site", &st, TM_SIDE_DEMAND, ok);

    const TmTaxonomy *tax = tm_programme_taxonomy(p);
    for (int32_t k = 0; k < tm_taxonomy_n_sectors(tax); k++) {
        int32_t registered = 0, served_k = 0;
        int64_t pairs = 0;
        tm_selection_sector_counts(selection, k, &registered, NULL, &served_k, &pairs);
        const char *code = tm_taxonomy_code(tax, k);
        char *name = g_strconcat("served.", code, NULL);
        tm_summary_set_int(s, name, served_k);
        g_free(name);
        name = g_strconcat("coverage.", code, NULL);
        if (registered > 0)
            tm_summary_set_double(s, name, (double)served_k / registered);
        else
            tm_summary_set_none(s, name);
        g_free(name);
        name = g_strconcat("assignments.", code, NULL);
        tm_summary_set_int(s, name, pairs);
        g_free(name);
    }
    return s;
}
