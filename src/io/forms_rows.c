/* techmatch — one row of each form (see forms_csv_private.h): a site of the
 * demand registration form, a commissioner of the application form. */
#include <string.h>

#include "io/forms_csv_private.h"
#include "util/alloc.h"
#include "util/text.h"

/* A value of a fixed vocabulary (@from_string: its code or label to the value,
 * < 0 unknown); @what names it in messages, @known lists the accepted
 * texts. */
static gboolean parse_vocab(FormCtx *ctx, TmCsvRecord *rec, int field, const char *what,
                            int (*from_string)(const char *), const char *known, int *out,
                            RowError *e)
{
    *out = 0;
    const char *s = tm_i_form_cell(ctx, rec, field);
    if (*s == '\0')
        return tm_i_form_bad_cell(ctx, field, e, "the %s is empty", what);
    int v = from_string(s);
    if (v < 0)
        return tm_i_form_bad_cell(ctx, field, e, "unknown %s '%s' (known: %s)", what, s, known);
    *out = v;
    return TRUE;
}

gboolean tm_i_form_site_row(FormCtx *ctx, TmCsvRecord *rec, PSite *out, RowError *e)
{
    TmSite *s = &out->s;
    memset(s, 0, sizeof *s);
    out->wish_rank = NULL;
    if (!tm_i_form_name(ctx, rec, SF_NAME, "site", &s->name, e))
        return FALSE;

    int k;
    if (!parse_vocab(ctx, rec, SF_KIND, "site kind", tm_site_kind_from_string,
                     "high_tech, innovative, rd_enterprise, park, agri_base, village, "
                     "community, other, or their Chinese labels",
                     &k, e))
        return FALSE;
    s->kind = (TmSiteKind)k;

    const char *sector = tm_i_form_cell(ctx, rec, SF_SECTOR);
    if (*sector == '\0')
        return tm_i_form_bad_cell(ctx, SF_SECTOR, e, "the sector is empty");
    if (!tm_i_form_sector(ctx, sector, SF_SECTOR, "", &s->sector, e))
        return FALSE;

    if (!tm_i_form_bool(ctx, rec, SF_CLINIC, "clinic", FALSE, &s->has_clinic, e))
        return FALSE;
    s->needs = tm_i_form_list(ctx, tm_i_form_cell(ctx, rec, SF_NEEDS), &s->n_needs);

    int t = TM_TITLE_NONE;
    if (*tm_i_form_cell(ctx, rec, SF_MIN_TITLE) != '\0' &&
        !parse_vocab(ctx, rec, SF_MIN_TITLE, "title", tm_title_from_string,
                     "none, junior, intermediate, senior, 初级, 中级, 高级, ...", &t, e))
        return FALSE;
    s->min_title = (TmTitle)t;
    if (!tm_i_form_int(ctx, rec, SF_YEARS, "service years", 0, YEARS_MAX, 1, &s->years, e) ||
        !tm_i_form_int(ctx, rec, SF_CAPACITY, "capacity", 0, CAPACITY_MAX, 1, &s->capacity, e) ||
        !tm_i_form_location(ctx, rec, SF_X, SF_Y, &s->x, &s->y, e))
        return FALSE;
    s->location = tm_i_form_opt_string(ctx, rec, SF_LOCATION);
    const char **ranked = NULL;
    if (!tm_i_form_ranked_list(ctx, rec, SF_RANKED, "the ranked list", &ranked,
                               &s->n_ranked_commissioners, &out->wish_rank, e))
        return FALSE;
    s->ranked_commissioners = ranked;
    if (!tm_i_form_no_repeats(ctx, SF_RANKED, "the ranked list", s->ranked_commissioners,
                              s->n_ranked_commissioners, e))
        return FALSE;
    return tm_i_form_tasks(ctx, rec, SF_TASKS, &s->tasks, e)
           && tm_i_form_consent(ctx, rec, SF_CONSENT, &s->consent, e);
}

/* The last ':', '：' or '=' of @item, which separates the level; NULL when
 * there is none.  Its length in bytes in *@sep_len. */
static const char *level_separator(const char *item, gsize *sep_len)
{
    const char *sep = NULL;
    *sep_len = 0;
    for (const char *p = item; *p; p++) {
        if (*p == ':' || *p == '=') {
            sep = p;
            *sep_len = 1;
        } else if ((guchar)p[0] == 0xEF && (guchar)p[1] == 0xBC && (guchar)p[2] == 0x9A) {
            sep = p;
            *sep_len = 3;
        }
    }
    return sep;
}

/* The expertise level @text (after the separator of @item): 0..3. */
static gboolean parse_level(FormCtx *ctx, const char *item, const char *text, int32_t *level,
                            RowError *e)
{
    gsize ln;
    const char *lv = tm_i_trim(text, &ln);
    char *lvs = g_strndup(lv, ln);
    char *end = NULL;
    gint64 v = g_ascii_strtoll(lvs, &end, 10);
    gboolean ok = FALSE;
    if (ln == 0 || end == NULL || *end != '\0') {
        tm_i_form_bad_cell(ctx, CF_EXPERTISE, e,
                           "expertise level '%s' in '%s' is not a whole number", lvs, item);
    } else if (v < 0 || v > 3) {
        tm_i_form_bad_cell(ctx, CF_EXPERTISE, e,
                           "expertise level %s in '%s' is out of range 0..3", lvs, item);
    } else {
        *level = (int32_t)v;
        ok = TRUE;
    }
    g_free(lvs);
    return ok;
}

/* One item `SECTOR[:LEVEL]` of the expertise cell (DEFAULT_LEVEL when the
 * level is not given). */
static gboolean parse_expertise_item(FormCtx *ctx, const char *item, TmExpertise *out,
                                     RowError *e)
{
    gsize sep_len;
    const char *sep = level_separator(item, &sep_len);
    int32_t level = DEFAULT_LEVEL;
    if (sep != NULL && !parse_level(ctx, item, sep + sep_len, &level, e))
        return FALSE;
    char *name = sep ? g_strndup(item, (gsize)(sep - item)) : g_strdup(item);
    gboolean ok = tm_i_form_sector(ctx, name, CF_EXPERTISE, " in expertise", &out->sector, e);
    g_free(name);
    if (ok)
        out->level = level;
    return ok;
}

static gboolean parse_expertise(FormCtx *ctx, TmCsvRecord *rec, TmCommissioner *c, RowError *e)
{
    int32_t n = 0;
    const char **items = tm_i_form_list(ctx, tm_i_form_cell(ctx, rec, CF_EXPERTISE), &n);
    GError *mem = NULL;
    TmExpertise *ex = tm_i_try_alloc(n > 0 ? n : 1, sizeof(TmExpertise), FALSE,
                                     "expertise list", &mem);
    if (ex == NULL) { /* not the row's fault: the read fails with TM_ERROR_NO_MEMORY */
        tm_i_form_bad_cell(ctx, CF_EXPERTISE, e, "%s", mem->message);
        if (ctx->fatal == NULL)
            ctx->fatal = mem;
        else
            g_error_free(mem);
        return FALSE;
    }
    g_ptr_array_add(ctx->owned, ex);
    for (int32_t i = 0; i < n; i++) {
        if (!parse_expertise_item(ctx, items[i], &ex[i], e))
            return FALSE;
        for (int32_t j = 0; j < i; j++)
            if (ex[j].sector == ex[i].sector)
                return tm_i_form_bad_cell(ctx, CF_EXPERTISE, e,
                                          "sector '%s' appears twice in expertise",
                                          tm_taxonomy_code(ctx->tax, ex[i].sector));
    }
    c->expertise = ex;
    c->n_expertise = n;
    return TRUE;
}

gboolean tm_i_form_comm_row(FormCtx *ctx, TmCsvRecord *rec, PComm *out, RowError *e)
{
    TmCommissioner *c = &out->c;
    memset(c, 0, sizeof *c);
    out->wish_rank = NULL;
    if (!tm_i_form_name(ctx, rec, CF_NAME, "commissioner", &c->name, e))
        return FALSE;

    int t, u;
    if (!parse_vocab(ctx, rec, CF_TITLE, "title", tm_title_from_string,
                     "none, junior, intermediate, senior, 初级, 中级, 高级, 副高, 正高, 讲师, "
                     "教授, ...",
                     &t, e))
        return FALSE;
    c->title = (TmTitle)t;
    c->unit = tm_i_form_opt_string(ctx, rec, CF_UNIT);
    if (!parse_vocab(ctx, rec, CF_UNIT_KIND, "unit kind", tm_unit_kind_from_string,
                     "university, institute, public, enterprise, other, 高校, 科研院所, "
                     "事业单位, 企业, 其他",
                     &u, e))
        return FALSE;
    c->unit_kind = (TmUnitKind)u;
    if (!tm_i_form_bool(ctx, rec, CF_SUPPORT, "unit support", TRUE, &c->unit_support, e) ||
        !tm_i_form_int(ctx, rec, CF_TEAM, "team size", 1, TEAM_MAX, 1, &c->team_size, e) ||
        !parse_expertise(ctx, rec, c, e))
        return FALSE;
    c->skills = tm_i_form_list(ctx, tm_i_form_cell(ctx, rec, CF_SKILLS), &c->n_skills);
    if (!tm_i_form_int(ctx, rec, CF_YEARS, "service years", 0, YEARS_MAX, 1, &c->years, e) ||
        !tm_i_form_int(ctx, rec, CF_CAPACITY, "capacity", 0, CAPACITY_MAX, 1, &c->capacity, e) ||
        !tm_i_form_location(ctx, rec, CF_X, CF_Y, &c->x, &c->y, e))
        return FALSE;
    c->location = tm_i_form_opt_string(ctx, rec, CF_LOCATION);
    gboolean given;
    c->merit = 0.0;
    if (!tm_i_form_double(ctx, rec, CF_MERIT, "merit", 0.0, MERIT_MAX, &c->merit, &given, e))
        return FALSE;
    /* a blank merit in a merit column is never a silent 0 (docs/forms.md) */
    gboolean blank_merit = !given && form_col(ctx, CF_MERIT) > 0;
    if (blank_merit && ctx->mode == TM_FORMS_STRICT)
        return tm_i_form_bad_cell(ctx, CF_MERIT, e, "the merit is empty (give a number 0..100)");
    const char **wishes = NULL;
    if (!tm_i_form_ranked_list(ctx, rec, CF_WISHES, "the wish list", &wishes,
                               &c->n_ranked_sites, &out->wish_rank, e))
        return FALSE;
    c->ranked_sites = wishes;
    if (!tm_i_form_no_repeats(ctx, CF_WISHES, "the wish list", c->ranked_sites, c->n_ranked_sites,
                              e))
        return FALSE;
    if (!tm_i_form_tasks(ctx, rec, CF_TASKS, &c->tasks, e)
        || !tm_i_form_consent(ctx, rec, CF_CONSENT, &c->consent, e))
        return FALSE;
    if (blank_merit) /* lenient: the row is kept, and the 0 is said */
        tm_i_form_diag(ctx, TM_FORM_WARNING, rec->line, form_col(ctx, CF_MERIT),
                       "the merit is empty; the row is kept with merit 0");
    return TRUE;
}
