/* techmatch — the instance's optional "weights" member (instance_private.h):
 * [[supply name, demand name, number], ...], one weight per acceptable pair,
 * kept as name ids while the document streams by and resolved at the end
 * into one weight per entry of the supply side's reduced lists. */
#include <math.h>
#include <string.h>

#include "io/instance_private.h"

static const char *const triple_shape = "must be a list [supply name, demand name, weight]";

gboolean
tm_i_weights_triple_begin(TmIWeightsReader *w, const char *src, int64_t at, TmIJsonKind kind,
                          const char *got, GError **error)
{
    if (kind != TM_I_JSON_ARRAY) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s: weights[%" G_GINT64_FORMAT "] %s, got %s",
                    src, at, triple_shape, got);
        return FALSE;
    }
    w->at = at;
    w->count = 0;
    w->s = w->d = -1;
    w->x = 0.0;
    return TRUE;
}

gboolean
tm_i_weights_scalar(TmIWeightsReader *w, TmINames *pool, const char *src, const TmIJsonValue *v,
                    GError **error)
{
    int32_t k = w->count++;
    if (k < 2 && v->kind == TM_I_JSON_STRING && v->len > 0) {
        int32_t nid = tm_i_names_intern(pool, v->text, v->len, error);
        if (nid < 0) {
            g_prefix_error(error, "%s: ", src);
            return FALSE;
        }
        *(k == 0 ? &w->s : &w->d) = nid;
        return TRUE;
    }
    if (k == 2 && v->kind == TM_I_JSON_NUMBER) {
        w->x = g_ascii_strtod(v->text, NULL);
        if (isfinite(w->x))
            return TRUE;
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s: weights[%" G_GINT64_FORMAT "][2]: %s is not a finite number", src,
                    w->at, v->text);
        return FALSE;
    }
    g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                "%s: weights[%" G_GINT64_FORMAT "][%d] must be %s, got %s", src, w->at, k,
                k == 0 ? "a supply agent's name" : k == 1 ? "a demand agent's name"
                       : k == 2 ? "a number" : "absent (three elements)",
                tm_i_json_describe(v));
    return FALSE;
}

gboolean
tm_i_weights_nested(TmIWeightsReader *w, const char *src, TmIJsonKind kind, GError **error)
{
    g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s: weights[%" G_GINT64_FORMAT "] %s, got %s inside",
                src, w->at, triple_shape, tm_i_json_kind_describe(kind, FALSE));
    return FALSE;
}

gboolean
tm_i_weights_triple_end(TmIWeightsReader *w, const char *src, GError **error)
{
    if (w->count != 3) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s: weights[%" G_GINT64_FORMAT "] %s, got %d element%s", src, w->at,
                    triple_shape, w->count, w->count == 1 ? "" : "s");
        return FALSE;
    }
    if (!TM_I_VEC_RESERVE(&w->snid, 1, "weights", error) ||
        !TM_I_VEC_RESERVE(&w->dnid, 1, "weights", error) ||
        !TM_I_VEC_RESERVE(&w->w, 1, "weights", error)) {
        g_prefix_error(error, "%s: ", src);
        return FALSE;
    }
    w->snid.v[w->snid.n++] = w->s;
    w->dnid.v[w->dnid.n++] = w->d;
    w->w.v[w->w.n++] = w->x;
    return TRUE;
}

char *
tm_i_weights_where(const TmIWeightsReader *w, gboolean in_triple)
{
    return in_triple ? g_strdup_printf("weights[%" G_GINT64_FORMAT "]", w->at)
                     : g_strdup("weights");
}

gboolean
tm_i_weights_finish(TmIWeightsReader *w, TmInstance *inst, const char *src, GError **error)
{
    if (!w->present)
        return TRUE;
    const TmMarket *m = inst->market;
    const int32_t n = tm_market_size(m, TM_SIDE_SUPPLY);
    const int64_t L = tm_market_n_pairs(m);
    int32_t *off = tm_i_try_alloc((int64_t)n + 1, sizeof(int32_t), FALSE, "weights", error);
    guint8 *seen = off ? tm_i_try_alloc(L, 1, TRUE, "weights", error) : NULL;
    gboolean ok = seen && (inst->weights = tm_i_try_alloc(L, sizeof(double), TRUE, "weights",
                                                          error)) != NULL &&
                  tm_market_get_lists(m, TM_SIDE_SUPPLY, off, n + 1, NULL, NULL, NULL, 0, error);
    if (!ok)
        g_prefix_error(error, "%s: ", src);
    for (int64_t i = 0; ok && i < w->w.n; i++) {
        const char *sn = tm_i_names_str(inst->pool, w->snid.v[i]);
        const char *dn = tm_i_names_str(inst->pool, w->dnid.v[i]);
        int32_t s = tm_i_names_role(inst->pool, w->snid.v[i], TM_SIDE_SUPPLY);
        int32_t d = tm_i_names_role(inst->pool, w->dnid.v[i], TM_SIDE_DEMAND);
        int32_t pos = s >= 0 && d >= 0 ? tm_market_position(m, TM_SIDE_SUPPLY, s, d) : -1;
        if (s < 0 || d < 0) {
            g_set_error(error, TM_ERROR, TM_ERROR_UNKNOWN_NAME,
                        "%s: weights[%" G_GINT64_FORMAT "]: unknown %s agent \"%s\"", src, i,
                        s < 0 ? "supply" : "demand", s < 0 ? sn : dn);
            ok = FALSE;
        } else if (pos < 0) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "%s: weights[%" G_GINT64_FORMAT "]: (\"%s\", \"%s\") is not an "
                        "acceptable pair (both must list each other)",
                        src, i, sn, dn);
            ok = FALSE;
        } else if (seen[off[s] + pos]) {
            g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                        "%s: weights[%" G_GINT64_FORMAT "]: the pair (\"%s\", \"%s\") is given "
                        "a weight twice",
                        src, i, sn, dn);
            ok = FALSE;
        } else {
            seen[off[s] + pos] = 1;
            inst->weights[off[s] + pos] = w->w.v[i];
        }
    }
    g_free(off);
    g_free(seen);
    return ok;
}

void
tm_i_weights_clear(TmIWeightsReader *w)
{
    tm_i_vec_clear(&w->snid);
    tm_i_vec_clear(&w->dnid);
    tm_i_vec_clear(&w->w);
}

gboolean
tm_instance_has_weights(const TmInstance *instance)
{
    return instance != NULL && instance->weights != NULL;
}

gboolean
tm_instance_get_weights(const TmInstance *instance, double *out, int64_t capacity,
                        GError **error)
{
    int64_t L = instance ? tm_market_n_pairs(instance->market) : 0;
    if (instance == NULL || instance->weights == NULL || (out == NULL && L > 0) ||
        capacity < L) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "tm_instance_get_weights: %s",
                    instance == NULL            ? "instance must not be NULL"
                    : instance->weights == NULL ? "the instance has no \"weights\" member"
                                                : "the buffer is too small (one weight per "
                                                  "acceptable pair is needed)");
        return FALSE;
    }
    if (L > 0)
        memcpy(out, instance->weights, (size_t)L * sizeof(double));
    return TRUE;
}
