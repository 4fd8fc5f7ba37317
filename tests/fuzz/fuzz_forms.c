/* Fuzz harness: the two CSV forms.  Built twice: fuzz_forms_sites
 * (FZ_FORM_SITES: tm_forms_read_sites_data) and fuzz_forms_commissioners
 * (tm_forms_read_commissioners_data).
 *
 * Input: the first byte picks the mode (even: strict, odd: lenient); the
 * rest is the form.  It is read into a programme that already holds two
 * sites and two commissioners.  Properties:
 *   - a failed read is a TM_ERROR_PARSE (UTF-8 message, the source name
 *     first) and changes nothing: the counts, the tags and a digest of every
 *     field of every agent are as before; in strict mode a failure is also
 *     listed as an error diagnostic;
 *   - a successful read keeps the agents that were there unchanged and adds
 *     sane ones: names non-empty UTF-8 without line breaks, found by name,
 *     every field in its documented range, every list string UTF-8;
 *     diagnostics have positions and UTF-8 text; a strict success has no
 *     error diagnostic;
 *   - strict and lenient agree: when the strict read succeeds, the lenient
 *     read (into a fresh programme) adds exactly the same agents, and when
 *     the lenient read reports no bad row, the strict read succeeds;
 *   - a small programme that loaded is selected (tm_programme_select with the
 *     default rules and a quota) without error other than an unknown name in
 *     a wish list, the selection is stable, and its outcomes, CSV, JSON and
 *     report are produced (UTF-8). */
#include "fuzz_common.h"

static const char BASE_SITES[] =
    "name,kind,sector,clinic,needs,min_title,years,capacity,x,y,location,ranked\n"
    "Base Park,park,eit,no,iot;training,intermediate,1,2,1,2,东风路,Base One\n"
    "社区甲,community,health,是,diagnosis,none,2,1,,,,\n";
static const char BASE_COMMS[] =
    "name,title,unit,unit_kind,unit_support,team_size,expertise,skills,years,capacity,x,y,"
    "location,merit,wishes\n"
    "Base One,senior,Uni,university,yes,1,eit:3;health:1,iot;Diagnosis,2,1,3,4,here,90,Base Park\n"
    "Base Two,intermediate,,institute,是,3,health,training,1,2,,,,55.5,\n";

static void digest_str(GString *g, const char *s)
{
    if (s == NULL)
        g_string_append(g, "<null>|");
    else
        g_string_append_printf(g, "%zu:%s|", strlen(s), s);
}

static void digest_list(GString *g, const char *const *l, int32_t n)
{
    g_string_append_printf(g, "[%d:", n);
    for (int32_t i = 0; i < n; i++)
        digest_str(g, l[i]);
    g_string_append(g, "]");
}

static void check_text(const char *s, const char *what, gboolean may_be_null)
{
    if (s == NULL && may_be_null)
        return;
    fz_check_text(s, what);
}

static void check_location(double x, double y)
{
    FZ_CHECK((x == TM_NO_LOCATION) == (y == TM_NO_LOCATION), "one coordinate only");
    if (x != TM_NO_LOCATION)
        FZ_CHECK(x >= -1e6 && x <= 1e6 && y >= -1e6 && y <= 1e6, "coordinates out of range");
}

/* Digest of site @i, checking its fields while at it. */
static void digest_site(GString *g, const TmProgramme *p, int32_t i)
{
    const TmSite *s = tm_programme_site(p, i);
    FZ_CHECK(s != NULL, "site %d missing", i);
    fz_check_text(s->name, "site name");
    FZ_CHECK(s->name[0] != '\0' && strpbrk(s->name, "\r\n") == NULL, "site name '%s'", s->name);
    FZ_CHECK(tm_programme_find_site(p, s->name) == i, "site '%s' is not found by name", s->name);
    FZ_CHECK(s->sector >= 0 && s->sector < tm_taxonomy_n_sectors(tm_programme_taxonomy(p)),
             "site sector %d", s->sector);
    FZ_CHECK(s->years >= 0 && s->years <= 10 && s->capacity >= 0 && s->capacity <= 1000000,
             "site years %d capacity %d", s->years, s->capacity);
    FZ_CHECK(tm_site_kind_code(s->kind) != NULL && tm_title_code(s->min_title) != NULL,
             "site kind/title out of range");
    check_location(s->x, s->y);
    check_text(s->location, "site location", TRUE);
    for (int32_t k = 0; k < s->n_needs; k++)
        check_text(s->needs[k], "need", FALSE);
    for (int32_t k = 0; k < s->n_ranked_commissioners; k++)
        check_text(s->ranked_commissioners[k], "ranked commissioner", FALSE);
    g_string_append_printf(g, "S%d|", i);
    digest_str(g, s->name);
    g_string_append_printf(g, "%d|%d|%d|%d|%d|%d|%a|%a|", (int)s->kind, s->sector,
                           (int)s->has_clinic, (int)s->min_title, s->years, s->capacity, s->x, s->y);
    digest_str(g, s->location);
    digest_list(g, s->needs, s->n_needs);
    digest_list(g, s->ranked_commissioners, s->n_ranked_commissioners);
    int32_t nt = 0;
    const int32_t *t = tm_programme_need_ids(p, i, &nt);
    for (int32_t k = 0; k < nt; k++)
        g_string_append_printf(g, "t%d,", t[k]);
    g_string_append_c(g, '\n');
}

static void digest_comm(GString *g, const TmProgramme *p, int32_t i)
{
    const TmCommissioner *c = tm_programme_commissioner(p, i);
    FZ_CHECK(c != NULL, "commissioner %d missing", i);
    fz_check_text(c->name, "commissioner name");
    FZ_CHECK(c->name[0] != '\0' && strpbrk(c->name, "\r\n") == NULL, "commissioner name '%s'",
             c->name);
    FZ_CHECK(tm_programme_find_commissioner(p, c->name) == i, "commissioner '%s' is not found",
             c->name);
    FZ_CHECK(c->team_size >= 1 && c->team_size <= 1000 && c->years >= 0 && c->years <= 10 &&
                 c->capacity >= 0 && c->capacity <= 1000000 && c->merit >= 0 && c->merit <= 100,
             "commissioner team %d years %d capacity %d merit %g", c->team_size, c->years,
             c->capacity, c->merit);
    FZ_CHECK(tm_title_code(c->title) != NULL && tm_unit_kind_code(c->unit_kind) != NULL,
             "commissioner title/unit kind out of range");
    check_location(c->x, c->y);
    check_text(c->unit, "unit", TRUE);
    check_text(c->location, "commissioner location", TRUE);
    int32_t nsec = tm_taxonomy_n_sectors(tm_programme_taxonomy(p));
    for (int32_t k = 0; k < c->n_expertise; k++) {
        FZ_CHECK(c->expertise[k].sector >= 0 && c->expertise[k].sector < nsec &&
                     c->expertise[k].level >= 0 && c->expertise[k].level <= 3,
                 "expertise %d:%d", c->expertise[k].sector, c->expertise[k].level);
        for (int32_t j = 0; j < k; j++)
            FZ_CHECK(c->expertise[j].sector != c->expertise[k].sector, "a sector twice");
    }
    for (int32_t k = 0; k < c->n_skills; k++)
        check_text(c->skills[k], "skill", FALSE);
    for (int32_t k = 0; k < c->n_ranked_sites; k++)
        check_text(c->ranked_sites[k], "wish", FALSE);
    g_string_append_printf(g, "C%d|", i);
    digest_str(g, c->name);
    g_string_append_printf(g, "%d|%d|%d|%d|%d|%d|%a|%a|%a|", c->team_size, (int)c->title,
                           (int)c->unit_kind, (int)c->unit_support, c->years, c->capacity, c->x,
                           c->y, c->merit);
    digest_str(g, c->unit);
    digest_str(g, c->location);
    for (int32_t k = 0; k < c->n_expertise; k++)
        g_string_append_printf(g, "e%d:%d,", c->expertise[k].sector, c->expertise[k].level);
    digest_list(g, c->skills, c->n_skills);
    digest_list(g, c->ranked_sites, c->n_ranked_sites);
    int32_t nt = 0;
    const int32_t *t = tm_programme_skill_ids(p, i, &nt);
    for (int32_t k = 0; k < nt; k++)
        g_string_append_printf(g, "t%d,", t[k]);
    g_string_append_c(g, '\n');
}

/* Digest of agents [from, to) of the form's side and every agent of the
 * other side, and the tags. */
static char *digest(const TmProgramme *p, int32_t from)
{
    GString *g = g_string_new(NULL);
    g_string_append_printf(g, "%d sites, %d commissioners\n", tm_programme_n_sites(p),
                           tm_programme_n_commissioners(p));
#ifdef FZ_FORM_SITES
    for (int32_t i = from; i < tm_programme_n_sites(p); i++)
        digest_site(g, p, i);
    for (int32_t i = 0; i < tm_programme_n_commissioners(p); i++)
        digest_comm(g, p, i);
#else
    for (int32_t i = from; i < tm_programme_n_commissioners(p); i++)
        digest_comm(g, p, i);
    for (int32_t i = 0; i < tm_programme_n_sites(p); i++)
        digest_site(g, p, i);
#endif
    return g_string_free(g, FALSE);
}

/* Digest of the agents before @n of the form's side (what must not change). */
static char *digest_old(const TmProgramme *p, int32_t n, int32_t n_tags)
{
    GString *g = g_string_new(NULL);
    for (int32_t i = 0; i < n; i++) {
#ifdef FZ_FORM_SITES
        digest_site(g, p, i);
#else
        digest_comm(g, p, i);
#endif
    }
    for (int32_t t = 0; t < tm_programme_n_tags(p); t++) {
        const char *tag = tm_programme_tag(p, t);
        fz_check_text(tag, "tag");
        if (t < n_tags) /* the tags already there keep their ids */
            g_string_append_printf(g, "tag %d %s\n", t, tag);
    }
    return g_string_free(g, FALSE);
}

static int32_t n_side(const TmProgramme *p)
{
#ifdef FZ_FORM_SITES
    return tm_programme_n_sites(p);
#else
    return tm_programme_n_commissioners(p);
#endif
}

static gboolean read_form(TmProgramme *p, const char *text, gsize len, TmFormsMode mode,
                          TmFormDiagnostics *diags, GError **err)
{
#ifdef FZ_FORM_SITES
    return tm_forms_read_sites_data(p, text, (gssize)len, "form.csv", mode, diags, err);
#else
    return tm_forms_read_commissioners_data(p, text, (gssize)len, "form.csv", mode, diags, err);
#endif
}

static TmProgramme *base_programme(void)
{
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    FZ_CHECK(tm_forms_read_sites_data(p, BASE_SITES, -1, "base-sites", TM_FORMS_STRICT, NULL, &err) &&
                 tm_forms_read_commissioners_data(p, BASE_COMMS, -1, "base-comms",
                                                  TM_FORMS_STRICT, NULL, &err),
             "base programme: %s", err ? err->message : "?");
    return p;
}

/* Checks every diagnostic; returns the number of error diagnostics. */
static guint check_diagnostics(const TmFormDiagnostics *d, const GError *failure)
{
    guint errors = 0;
    gboolean failure_listed = failure == NULL;
    for (guint i = 0; i < tm_form_diagnostics_count(d); i++) {
        const TmFormDiagnostic *x = tm_form_diagnostics_get(d, i);
        FZ_CHECK(x != NULL, "diagnostic %u missing", i);
        FZ_CHECK(strcmp(tm_form_diagnostic_file(x), "form.csv") == 0, "diagnostic file");
        FZ_CHECK(tm_form_diagnostic_line(x) >= 0 && tm_form_diagnostic_column(x) >= 0,
                 "diagnostic position %d:%d", tm_form_diagnostic_line(x),
                 tm_form_diagnostic_column(x));
        fz_check_text(tm_form_diagnostic_message(x), "diagnostic message");
        if (tm_form_diagnostic_field(x))
            fz_check_text(tm_form_diagnostic_field(x), "diagnostic field");
        char *s = tm_form_diagnostic_to_string(x);
        fz_check_text(s, "diagnostic string");
        if (tm_form_diagnostic_severity(x) == TM_FORM_ERROR) {
            errors++;
            if (failure && strcmp(s, failure->message) == 0)
                failure_listed = TRUE;
        }
        g_free(s);
    }
    FZ_CHECK(failure_listed, "the failure '%s' is not among the error diagnostics",
             failure->message);
    return errors;
}

static void check_selection(TmProgramme *p)
{
    GError *err = NULL;
    TmRules *rules = tm_rules_new_default();
    TmQuota *quota = tm_quota_new();
    tm_quota_set_total(quota, 3, NULL);
    TmSelection *sel = tm_programme_select(p, rules, quota, NULL, &err);
    if (sel == NULL) {
        fz_check_error(err, "tm_programme_select");
        FZ_CHECK(err->code == TM_ERROR_UNKNOWN_NAME, "selection failed: %s", err->message);
        g_error_free(err);
    } else {
        FZ_CHECK(tm_verdict_is_stable(tm_selection_verdict(sel)), "the selection is not stable");
        for (int side = 0; side < 2; side++)
            for (int32_t i = 0; i < tm_selection_n_agents(sel, (TmSide)side); i++) {
                const char *detail = NULL;
                int o = tm_selection_outcome(sel, (TmSide)side, i, &detail);
                FZ_CHECK(tm_outcome_code((TmOutcome)o) != NULL, "outcome %d", o);
                if (detail)
                    fz_check_text(detail, "outcome detail");
            }
        char *docs[3] = {tm_selection_assignments_csv(sel, &err),
                         tm_selection_assignments_json(sel, &err),
                         tm_selection_report_markdown(sel, &err)};
        for (int k = 0; k < 3; k++) {
            FZ_CHECK(docs[k] != NULL, "selection document %d: %s", k, err ? err->message : "?");
            fz_check_text(docs[k], "selection document");
            g_free(docs[k]);
        }
        tm_selection_free(sel);
    }
    tm_quota_free(quota);
    tm_rules_free(rules);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    TmFormsMode mode = (data[0] & 1) ? TM_FORMS_LENIENT : TM_FORMS_STRICT;
    const char *text = (const char *)data + 1;
    gsize len = size - 1;
    /* a zip (or OLE2) is read as a workbook: fuzz_forms_xlsx's business */
    if (len >= 4 && ((text[0] == 'P' && text[1] == 'K' && text[2] < 7)
                     || memcmp(text, "\xD0\xCF\x11\xE0", 4) == 0))
        return 0;

    TmProgramme *p = base_programme();
    int32_t n0 = n_side(p);
    int32_t tags0 = tm_programme_n_tags(p);
    char *before = digest(p, 0), *before_old = digest_old(p, n0, tags0);
    TmFormDiagnostics *diags = tm_form_diagnostics_new();
    GError *err = NULL;
    gboolean ok = read_form(p, text, len, mode, diags, &err);
    if (!ok) {
        fz_check_error(err, "form read");
        FZ_CHECK(err->code == TM_ERROR_PARSE, "form read: code %d: %s", err->code, err->message);
        FZ_CHECK(g_str_has_prefix(err->message, "form.csv:"), "message without the source: %s",
                 err->message);
        check_diagnostics(diags, mode == TM_FORMS_STRICT ? err : NULL);
        char *after = digest(p, 0);
        FZ_CHECK(strcmp(before, after) == 0 && tm_programme_n_tags(p) == tags0,
                 "a failed read changed the programme:\nbefore:\n%s\nafter:\n%s", before, after);
        g_free(after);
        g_error_free(err);
    } else {
        FZ_CHECK(err == NULL, "success with an error set");
        guint errors = check_diagnostics(diags, NULL);
        if (mode == TM_FORMS_STRICT)
            FZ_CHECK(errors == 0, "a strict read succeeded with %u error diagnostics", errors);
        char *old = digest_old(p, n0, tags0);
        FZ_CHECK(strcmp(old, before_old) == 0, "the agents already there changed");
        g_free(old);
        char *added = digest(p, n0); /* checks every new agent */

        /* the other mode, into a fresh programme */
        TmProgramme *q = base_programme();
        TmFormDiagnostics *d2 = tm_form_diagnostics_new();
        TmFormsMode other = mode == TM_FORMS_STRICT ? TM_FORMS_LENIENT : TM_FORMS_STRICT;
        gboolean ok2 = read_form(q, text, len, other, d2, &err);
        if (mode == TM_FORMS_STRICT || errors == 0) {
            FZ_CHECK(ok2, "%s read failed where the %s read passed with no bad row: %s",
                     other == TM_FORMS_STRICT ? "a strict" : "a lenient",
                     mode == TM_FORMS_STRICT ? "strict" : "lenient", err ? err->message : "?");
            char *added2 = digest(q, n0);
            FZ_CHECK(strcmp(added, added2) == 0, "strict and lenient reads added different agents");
            g_free(added2);
        } else {
            FZ_CHECK(!ok2, "a strict read passed where the lenient one skipped %u rows", errors);
            g_clear_error(&err);
        }
        tm_form_diagnostics_free(d2);
        tm_programme_free(q);
        g_free(added);
        if (tm_programme_n_sites(p) <= 40 && tm_programme_n_commissioners(p) <= 40)
            check_selection(p);
    }
    g_free(before);
    g_free(before_old);
    tm_form_diagnostics_free(diags);
    tm_programme_free(p);
    return 0;
}
