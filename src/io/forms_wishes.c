/* techmatch — the ranked lists of one form checked against the other form
 * (see forms_csv_private.h and docs/forms.md, "Ranked names"): a name that
 * names nobody is reported at its row and column, as an error in strict mode
 * and as a warning that drops the wish in lenient mode. */
#include <string.h>

#include "io/forms_csv_private.h"

/* The ranked list of row @i of @ctx (mutable: the context owns it), its
 * length and its field. */
static const char **row_list(FormCtx *ctx, guint i, int32_t **n, int32_t **ranks, int *field,
                             int *line)
{
    if (ctx->kind == FORM_SITES) {
        PSite *ps = &g_array_index(ctx->rows, PSite, i);
        *n = &ps->s.n_ranked_commissioners;
        *ranks = ps->wish_rank;
        *field = SF_RANKED;
        *line = ps->line;
        return (const char **)ps->s.ranked_commissioners;
    }
    PComm *pc = &g_array_index(ctx->rows, PComm, i);
    *n = &pc->c.n_ranked_sites;
    *ranks = pc->wish_rank;
    *field = CF_WISHES;
    *line = pc->line;
    return (const char **)pc->c.ranked_sites;
}

/* Whether @name is an agent of the other side: a row of @other or an agent
 * already in the programme. */
static gboolean known(const FormCtx *ctx, const FormCtx *other, const char *name)
{
    if (other != NULL && g_hash_table_contains(other->names, name))
        return TRUE;
    return ctx->kind == FORM_SITES ? tm_programme_find_commissioner(ctx->prog, name) >= 0
                                   : tm_programme_find_site(ctx->prog, name) >= 0;
}

gboolean tm_i_form_check_wishes(FormCtx *ctx, const FormCtx *other, GError **error)
{
    if (ctx->rows == NULL)
        return TRUE;
    const char *list_name = ctx->kind == FORM_SITES ? "the ranked list" : "the wish list";
    const char *other_side = ctx->kind == FORM_SITES ? "commissioner" : "site";
    const char *other_file = other != NULL && other->file != NULL ? other->file : NULL;
    int last_line = 0;
    for (guint i = 0; i < ctx->rows->len; i++) {
        int32_t *n, *ranks;
        int field, line;
        const char **items = row_list(ctx, i, &n, &ranks, &field, &line);
        int32_t kept = 0;
        for (int32_t q = 0; q < *n; q++) {
            if (known(ctx, other, items[q])) {
                if (ranks != NULL) /* a dropped name leaves its tie's other names tied */
                    ranks[kept] = ranks[q];
                items[kept++] = items[q];
                continue;
            }
            char *msg = g_strdup_printf(
                "%s names '%s', which is not a %s of the programme%s%s%s%s", list_name,
                items[q], other_side, other_file ? " (not in " : "", other_file ? other_file : "",
                other_file ? ")" : "", ctx->mode == TM_FORMS_STRICT ? "" : "; wish dropped");
            if (ctx->mode == TM_FORMS_STRICT) {
                tm_i_form_fail(ctx, error, line, form_col(ctx, field), msg);
                g_free(msg);
                return FALSE;
            }
            tm_i_form_warn(ctx, FORM_WARN_UNKNOWN_WISH, line, form_col(ctx, field), msg);
            g_free(msg);
            last_line = line;
        }
        *n = kept;
    }
    char *what = g_strdup_printf("wishes naming no %s dropped", other_side);
    tm_i_form_warn_summary(ctx, FORM_WARN_UNKNOWN_WISH, last_line, what);
    g_free(what);
    return TRUE;
}
