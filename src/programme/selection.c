/* techmatch — the programme's selection: quota and sector caps as groups of
 * sites, deferred acceptance under them, reasons for every unmatched agent,
 * and the output documents.  Uses only public APIs of the core and of the
 * domain layer. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include <techmatch/techmatch.h>

#include "io/json_util.h"
#include <techmatch/preferences.h>
#include <techmatch/selection.h>

/* ---- quota ------------------------------------------------------------------ */

typedef struct {
    int32_t cap, floor;
} SectorQuota;

struct TmQuota {
    int32_t total;
    GHashTable *sectors; /* code -> SectorQuota */
};

TmQuota *tm_quota_new(void)
{
    TmQuota *q = g_new0(TmQuota, 1);
    q->total = -1;
    q->sectors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    return q;
}

void tm_quota_free(TmQuota *q)
{
    if (q == NULL)
        return;
    g_hash_table_unref(q->sectors);
    g_free(q);
}

gboolean tm_quota_set_total(TmQuota *q, int32_t total, GError **error)
{
    if (q == NULL || total < -1) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "quota total must be >= 0 or -1 for none (got %" G_GINT32_FORMAT ")", total);
        return FALSE;
    }
    q->total = total;
    return TRUE;
}

int32_t tm_quota_total(const TmQuota *q)
{
    return q ? q->total : -1;
}

gboolean tm_quota_set_sector(TmQuota *q, const char *code, int32_t cap, int32_t floor,
                             GError **error)
{
    if (q == NULL || code == NULL || cap < -1 || floor < 0 || (cap >= 0 && floor > cap)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "sector %s: cap %" G_GINT32_FORMAT " / floor %" G_GINT32_FORMAT
                    " invalid (cap >= 0 or -1 for none, 0 <= floor <= cap)",
                    code ? code : "(null)", cap, floor);
        return FALSE;
    }
    SectorQuota *sq = g_new(SectorQuota, 1);
    sq->cap = cap;
    sq->floor = floor;
    g_hash_table_replace(q->sectors, g_strdup(code), sq);
    return TRUE;
}

gboolean tm_quota_sector(const TmQuota *q, const char *code, int32_t *cap, int32_t *floor)
{
    const SectorQuota *sq = (q && code) ? g_hash_table_lookup(q->sectors, code) : NULL;
    if (cap)
        *cap = sq ? sq->cap : -1;
    if (floor)
        *floor = sq ? sq->floor : 0;
    return sq != NULL;
}

static gboolean keyfile_int(GKeyFile *kf, const char *src, const char *group, const char *key,
                            int32_t min, int32_t *out, GError **error)
{
    GError *e = NULL;
    char *text = g_key_file_get_value(kf, group, key, &e);
    if (text == NULL) {
        g_error_free(e);
        return TRUE; /* absent: keep */
    }
    char *end = NULL;
    g_strstrip(text);
    errno = 0;
    gint64 v = g_ascii_strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < min || v > G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s: [%s] %s: \"%s\" is not an integer >= %" G_GINT32_FORMAT,
                    src, group, key, text, min);
        g_free(text);
        return FALSE;
    }
    g_free(text);
    *out = (int32_t)v;
    return TRUE;
}

gboolean tm_quota_load_data(TmQuota *q, const char *data, gssize len, const char *source_name,
                            GError **error)
{
    const char *src = source_name ? source_name : "<config>";
    if (q == NULL || data == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "quota and data must not be NULL");
        return FALSE;
    }
    GKeyFile *kf = g_key_file_new();
    GError *e = NULL;
    if (!g_key_file_load_from_data(kf, data, len < 0 ? strlen(data) : (gsize)len,
                                   G_KEY_FILE_NONE, &e)) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s: %s", src, e->message);
        g_error_free(e);
        g_key_file_free(kf);
        return FALSE;
    }
    gboolean ok = TRUE;
    if (g_key_file_has_group(kf, "quota")) {
        gsize n = 0;
        char **keys = g_key_file_get_keys(kf, "quota", &n, NULL);
        for (gsize i = 0; ok && i < n; i++) {
            if (strcmp(keys[i], "total") != 0) {
                g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                            "%s: [quota] %s: unknown key (expected: total)", src, keys[i]);
                ok = FALSE;
            }
        }
        g_strfreev(keys);
        int32_t total = q->total;
        if (ok && (ok = keyfile_int(kf, src, "quota", "total", 0, &total, error)))
            q->total = total;
    }
    gsize ng = 0;
    char **groups = g_key_file_get_groups(kf, &ng);
    for (gsize i = 0; ok && i < ng; i++) {
        if (!g_str_has_prefix(groups[i], "sector."))
            continue;
        const char *code = groups[i] + strlen("sector.");
        gsize nk = 0;
        char **keys = g_key_file_get_keys(kf, groups[i], &nk, NULL);
        for (gsize k = 0; ok && k < nk; k++) {
            if (strcmp(keys[k], "cap") != 0 && strcmp(keys[k], "floor") != 0) {
                g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                            "%s: [%s] %s: unknown key (expected: cap, floor)", src, groups[i],
                            keys[k]);
                ok = FALSE;
            }
        }
        g_strfreev(keys);
        int32_t cap = -1, floor = 0;
        tm_quota_sector(q, code, &cap, &floor);
        if (ok && (ok = keyfile_int(kf, src, groups[i], "cap", 0, &cap, error)) &&
            (ok = keyfile_int(kf, src, groups[i], "floor", 0, &floor, error))) {
            if (cap >= 0 && floor > cap) {
                g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                            "%s: [%s] floor %" G_GINT32_FORMAT " exceeds cap %" G_GINT32_FORMAT,
                            src, groups[i], floor, cap);
                ok = FALSE;
            } else {
                tm_quota_set_sector(q, code, cap, floor, NULL);
            }
        }
    }
    g_strfreev(groups);
    g_key_file_free(kf);
    return ok;
}

gboolean tm_quota_load_file(TmQuota *q, const char *path, GError **error)
{
    char *data = NULL;
    gsize len = 0;
    GError *e = NULL;
    if (path == NULL || !g_file_get_contents(path, &data, &len, &e)) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: %s", path ? path : "(null)",
                    e ? e->message : "no path");
        g_clear_error(&e);
        return FALSE;
    }
    gboolean ok = tm_quota_load_data(q, data, (gssize)len, path, error);
    g_free(data);
    return ok;
}

/* ---- selection ------------------------------------------------------------- */

const char *tm_outcome_code(TmOutcome o)
{
    static const char *const codes[] = {"matched", "partly", "ineligible", "no_capacity",
                                        "no_partner", "outranked", "quota", "sector_cap"};
    return (unsigned)o < G_N_ELEMENTS(codes) ? codes[o] : NULL;
}

struct TmSelection {
    const TmProgramme *prog;
    const TmRules *rules;
    int32_t quota_total;
    TmScreening *screening;
    TmMarket *market;
    TmGroups *groups;
    int32_t global_group;   /* -1 when no quota */
    int32_t *sector_group;  /* per sector, -1 when none */
    int32_t *group_sector;  /* per group, -1 for the global group */
    int32_t *sector_cap;    /* per sector: the configured cap, -1 when none */
    TmMatching *matching;
    TmVerdict *verdict;
    TmScorer *scorer;
    int *outcome[2];
    char **detail[2];
    int32_t n_selected;
};

void tm_select_options_init(TmSelectOptions *o)
{
    if (o) {
        memset(o, 0, sizeof *o);
        o->k = -1;
    }
}

void tm_selection_free(TmSelection *sel)
{
    if (sel == NULL)
        return;
    for (int side = 0; side < 2; side++) {
        int32_t n = side == 0 ? tm_programme_n_commissioners(sel->prog)
                              : tm_programme_n_sites(sel->prog);
        if (sel->detail[side])
            for (int32_t i = 0; i < n; i++)
                g_free(sel->detail[side][i]);
        g_free(sel->detail[side]);
        g_free(sel->outcome[side]);
    }
    tm_verdict_free(sel->verdict);
    tm_matching_free(sel->matching);
    tm_groups_free(sel->groups);
    tm_market_free(sel->market);
    tm_screening_free(sel->screening);
    tm_scorer_free(sel->scorer);
    g_free(sel->sector_group);
    g_free(sel->group_sector);
    g_free(sel->sector_cap);
    g_free(sel);
}

static int cmp_merit(const void *a, const void *b, void *data)
{
    const TmProgramme *p = data;
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    double mx = tm_programme_commissioner(p, x)->merit, my = tm_programme_commissioner(p, y)->merit;
    if (mx != my)
        return mx > my ? -1 : 1;
    return (x > y) - (x < y);
}

static gboolean build_groups(TmSelection *sel, const TmQuota *quota, GError **error)
{
    const TmProgramme *p = sel->prog;
    const TmTaxonomy *tax = tm_programme_taxonomy(p);
    int32_t nc = tm_programme_n_commissioners(p), ns = tm_programme_n_sites(p);
    int32_t nsec = tm_taxonomy_n_sectors(tax);
    sel->global_group = -1;
    sel->sector_group = g_new(int32_t, MAX(nsec, 1));
    sel->group_sector = g_new(int32_t, nsec + 1);
    sel->sector_cap = g_new(int32_t, MAX(nsec, 1));
    for (int32_t k = 0; k < nsec; k++) {
        sel->sector_group[k] = -1;
        sel->sector_cap[k] = -1;
    }
    sel->groups = tm_groups_new(nc, ns, error);
    if (sel->groups == NULL)
        return FALSE;
    /* priority by merit (择优): best merit first */
    int32_t *order = g_new(int32_t, MAX(nc, 1)), *prio = g_new(int32_t, MAX(nc, 1));
    for (int32_t c = 0; c < nc; c++)
        order[c] = c;
    if (nc > 1)
        g_qsort_with_data(order, nc, sizeof(int32_t), cmp_merit, (gpointer)p);
    for (int32_t i = 0; i < nc; i++)
        prio[order[i]] = i;
    gboolean ok = tm_groups_set_priority(sel->groups, prio, error);
    g_free(order);
    g_free(prio);
    if (!ok)
        return FALSE;

    int32_t total = quota ? tm_quota_total(quota) : -1;
    sel->quota_total = total;
    if (total >= 0) {
        int32_t *all = g_new(int32_t, MAX(ns, 1));
        for (int32_t s = 0; s < ns; s++)
            all[s] = s;
        sel->global_group = tm_groups_add(sel->groups, all, ns, total, 0, error);
        g_free(all);
        if (sel->global_group < 0)
            return FALSE;
        sel->group_sector[sel->global_group] = -1;
    }
    if (quota == NULL)
        return TRUE;
    if (total >= 0) {
        int64_t floors = 0;
        for (int32_t k = 0; k < nsec; k++) {
            int32_t cap, floor;
            if (tm_quota_sector(quota, tm_taxonomy_code(tax, k), &cap, &floor))
                floors += floor;
        }
        if (floors > total) {
            g_set_error(error, TM_ERROR, TM_ERROR_INFEASIBLE,
                        "the sector floors add up to %" G_GINT64_FORMAT
                        ", more than the quota of %" G_GINT32_FORMAT, floors, total);
            return FALSE;
        }
    }
    GArray *members = g_array_new(FALSE, FALSE, sizeof(int32_t));
    for (int32_t k = 0; k < nsec; k++) {
        int32_t cap, floor;
        if (!tm_quota_sector(quota, tm_taxonomy_code(tax, k), &cap, &floor))
            continue;
        g_array_set_size(members, 0);
        int64_t seats = 0;
        for (int32_t s = 0; s < ns; s++) {
            const TmSite *site = tm_programme_site(p, s);
            if (site->sector == k) {
                g_array_append_val(members, s);
                seats += site->capacity;
            }
        }
        sel->sector_cap[k] = cap;
        if (cap < 0)
            cap = (int32_t)MIN(MAX(seats, (int64_t)floor), G_MAXINT32);
        GError *e = NULL;
        int32_t g = tm_groups_add(sel->groups, (const int32_t *)(void *)members->data,
                                  (int32_t)members->len, cap, floor, &e);
        if (g < 0) {
            g_set_error(error, TM_ERROR, e->code, "sector %s: %s%s", tm_taxonomy_code(tax, k),
                        e->message,
                        e->code == TM_ERROR_INFEASIBLE ? " (sector floors exceed the quota)" : "");
            g_error_free(e);
            g_array_unref(members);
            return FALSE;
        }
        sel->sector_group[k] = g;
        sel->group_sector[g] = k;
    }
    g_array_unref(members);
    return TRUE;
}

/* the group on site s's chain (sector, then global) that is at its cap */
static int32_t binding_group(const TmSelection *sel, int32_t s, const int64_t *count)
{
    const TmSite *site = tm_programme_site(sel->prog, s);
    int32_t g = site->sector >= 0 && site->sector < tm_taxonomy_n_sectors(tm_programme_taxonomy(sel->prog))
                    ? sel->sector_group[site->sector] : -1;
    if (g >= 0 && count[g] >= tm_groups_cap(sel->groups, g))
        return g;
    if (sel->global_group >= 0)
        return sel->global_group; /* at cap, or its free places are reserved by floors */
    return -1;
}

static void set_outcome(TmSelection *sel, TmSide side, int32_t id, TmOutcome o, char *detail)
{
    sel->outcome[side][id] = o;
    g_free(sel->detail[side][id]);
    sel->detail[side][id] = detail;
}

/* The most frequent first-failing pair rule of @agent against the eligible
 * agents of the other side, when the programme is small enough to look. */
static char *no_partner_detail(const TmSelection *sel, TmSide side, int32_t id)
{
    int32_t nc = tm_programme_n_commissioners(sel->prog), ns = tm_programme_n_sites(sel->prog);
    int32_t n_other = side == TM_SIDE_SUPPLY ? ns : nc;
    if ((int64_t)nc * ns > 20000000)
        return NULL;
    GHashTable *counts = g_hash_table_new(g_str_hash, g_str_equal);
    int32_t eligible = 0;
    for (int32_t j = 0; j < n_other; j++) {
        if (!tm_screening_is_eligible(sel->screening, TM_SIDE_OTHER(side), j))
            continue;
        eligible++;
        int32_t c = side == TM_SIDE_SUPPLY ? id : j, s = side == TM_SIDE_SUPPLY ? j : id;
        const char *why = tm_rules_pair_reason(sel->prog, sel->rules, c, s);
        if (why == NULL)
            why = "no mutual listing";
        g_hash_table_insert(counts, (gpointer)why,
                            GINT_TO_POINTER(GPOINTER_TO_INT(g_hash_table_lookup(counts, why)) + 1));
    }
    char *out;
    if (eligible == 0) {
        out = g_strdup(side == TM_SIDE_SUPPLY ? "no eligible site" : "no eligible commissioner");
    } else {
        const char *best = NULL;
        int best_n = 0;
        GHashTableIter it;
        gpointer k, v;
        g_hash_table_iter_init(&it, counts);
        while (g_hash_table_iter_next(&it, &k, &v))
            if (GPOINTER_TO_INT(v) > best_n ||
                (GPOINTER_TO_INT(v) == best_n && best && strcmp(k, best) < 0)) {
                best = k;
                best_n = GPOINTER_TO_INT(v);
            }
        out = g_strdup_printf("%s (%d of %" G_GINT32_FORMAT " eligible %s)", best, best_n,
                              eligible, side == TM_SIDE_SUPPLY ? "sites" : "commissioners");
    }
    g_hash_table_unref(counts);
    return out;
}

static const char *cname(const TmSelection *sel, int32_t c)
{
    return tm_programme_commissioner(sel->prog, c)->name;
}

static const char *sname(const TmSelection *sel, int32_t s)
{
    return tm_programme_site(sel->prog, s)->name;
}

static char *group_detail(const TmSelection *sel, int32_t g, TmOutcome *o)
{
    if (g == sel->global_group) {
        *o = TM_OUTCOME_QUOTA;
        return g_strdup_printf("the quota of %" G_GINT32_FORMAT " is full with pairs ranked "
                               "ahead (sites' own rankings first, then merit)",
                               sel->quota_total);
    }
    *o = TM_OUTCOME_SECTOR_CAP;
    int32_t k = sel->group_sector[g];
    return g_strdup_printf("%s cap %" G_GINT32_FORMAT,
                           tm_taxonomy_code(tm_programme_taxonomy(sel->prog), k),
                           tm_groups_cap(sel->groups, g));
}

static void explain(TmSelection *sel)
{
    const TmProgramme *p = sel->prog;
    const TmMarket *m = sel->market;
    const TmMatching *mt = sel->matching;
    int32_t nc = tm_programme_n_commissioners(p), ns = tm_programme_n_sites(p);
    int32_t G = tm_groups_n(sel->groups);
    int64_t *count = g_new0(int64_t, MAX(G, 1));
    for (int32_t g = 0; g < G; g++)
        count[g] = tm_groups_count(sel->groups, g, mt);
    sel->outcome[0] = g_new0(int, MAX(nc, 1));
    sel->outcome[1] = g_new0(int, MAX(ns, 1));
    sel->detail[0] = g_new0(char *, MAX(nc, 1));
    sel->detail[1] = g_new0(char *, MAX(ns, 1));

    for (int32_t c = 0; c < nc; c++) {
        int32_t cap = tm_market_capacity(m, TM_SIDE_SUPPLY, c);
        int32_t held = tm_matching_n_partners(mt, TM_SIDE_SUPPLY, c);
        int32_t len;
        const int32_t *list = tm_market_prefs(m, TM_SIDE_SUPPLY, c, &len);
        if (held > 0)
            sel->n_selected++;
        if (!tm_screening_is_eligible(sel->screening, TM_SIDE_SUPPLY, c)) {
            set_outcome(sel, TM_SIDE_SUPPLY, c, TM_OUTCOME_INELIGIBLE,
                        g_strdup(tm_screening_reason(sel->screening, TM_SIDE_SUPPLY, c)));
            continue;
        }
        if (tm_programme_commissioner(p, c)->capacity == 0) {
            set_outcome(sel, TM_SIDE_SUPPLY, c, TM_OUTCOME_NO_CAPACITY, NULL);
            continue;
        }
        if (held >= cap) {
            set_outcome(sel, TM_SIDE_SUPPLY, c, TM_OUTCOME_MATCHED, NULL);
            continue;
        }
        if (len == 0) {
            set_outcome(sel, TM_SIDE_SUPPLY, c, TM_OUTCOME_NO_PARTNER,
                        no_partner_detail(sel, TM_SIDE_SUPPLY, c));
            continue;
        }
        /* capacity left: look at the sites it listed and did not get */
        int32_t n_mine;
        const int32_t *mine = tm_matching_partners(mt, TM_SIDE_SUPPLY, c, &n_mine);
        TmOutcome o = TM_OUTCOME_OUTRANKED;
        char *detail = NULL;
        for (int32_t i = 0; i < len; i++) {
            int32_t s = list[i];
            gboolean have = FALSE;
            for (int32_t j = 0; j < n_mine; j++)
                have = have || mine[j] == s;
            if (have)
                continue;
            int32_t k;
            const int32_t *holders = tm_matching_partners(mt, TM_SIDE_DEMAND, s, &k);
            if (k >= tm_market_capacity(m, TM_SIDE_DEMAND, s)) {
                if (detail == NULL && k > 0)
                    detail = g_strdup_printf("%s took the place at %s", cname(sel, holders[k - 1]),
                                             sname(sel, s));
                else if (detail == NULL)
                    detail = g_strdup_printf("%s has no place", sname(sel, s));
                continue;
            }
            int32_t g = binding_group(sel, s, count);
            if (g >= 0) {
                g_free(detail);
                detail = group_detail(sel, g, &o);
                break;
            }
        }
        if (held > 0) {
            char *d = g_strdup_printf("%s: %s", tm_outcome_code(o), detail ? detail : "");
            g_free(detail);
            set_outcome(sel, TM_SIDE_SUPPLY, c, TM_OUTCOME_PARTLY, d);
        } else {
            set_outcome(sel, TM_SIDE_SUPPLY, c, o, detail);
        }
    }

    for (int32_t s = 0; s < ns; s++) {
        int32_t cap = tm_market_capacity(m, TM_SIDE_DEMAND, s);
        int32_t held = tm_matching_n_partners(mt, TM_SIDE_DEMAND, s);
        int32_t len;
        const int32_t *list = tm_market_prefs(m, TM_SIDE_DEMAND, s, &len);
        if (!tm_screening_is_eligible(sel->screening, TM_SIDE_DEMAND, s)) {
            set_outcome(sel, TM_SIDE_DEMAND, s, TM_OUTCOME_INELIGIBLE,
                        g_strdup(tm_screening_reason(sel->screening, TM_SIDE_DEMAND, s)));
            continue;
        }
        if (tm_programme_site(p, s)->capacity == 0) {
            set_outcome(sel, TM_SIDE_DEMAND, s, TM_OUTCOME_NO_CAPACITY, NULL);
            continue;
        }
        if (held >= cap) {
            set_outcome(sel, TM_SIDE_DEMAND, s, TM_OUTCOME_MATCHED, NULL);
            continue;
        }
        if (len == 0) {
            set_outcome(sel, TM_SIDE_DEMAND, s, TM_OUTCOME_NO_PARTNER,
                        no_partner_detail(sel, TM_SIDE_DEMAND, s));
            continue;
        }
        /* seats free: would any listed commissioner rather be here? */
        int32_t wanting = -1;
        for (int32_t i = 0; i < len && wanting < 0; i++) {
            int32_t c = list[i];
            int32_t k;
            const int32_t *theirs = tm_matching_partners(mt, TM_SIDE_SUPPLY, c, &k);
            gboolean here = FALSE;
            for (int32_t j = 0; j < k; j++)
                here = here || theirs[j] == s;
            if (here)
                continue;
            if (k < tm_market_capacity(m, TM_SIDE_SUPPLY, c)) {
                wanting = c;
                break;
            }
            int32_t my_rank = tm_market_rank(m, TM_SIDE_SUPPLY, c, s);
            int32_t worst = tm_market_rank(m, TM_SIDE_SUPPLY, c, theirs[k - 1]);
            if (my_rank >= 0 && (worst < 0 || my_rank < worst))
                wanting = c;
        }
        TmOutcome o;
        char *detail;
        int32_t g = wanting >= 0 ? binding_group(sel, s, count) : -1;
        if (g >= 0) {
            detail = group_detail(sel, g, &o);
            char *d2 = g_strdup_printf("%s (e.g. %s would come)", detail, cname(sel, wanting));
            g_free(detail);
            detail = d2;
        } else {
            o = TM_OUTCOME_OUTRANKED;
            /* name the site's favourite that went elsewhere */
            int32_t c = list[0], k = 0;
            const int32_t *theirs = NULL;
            for (int32_t i = 0; i < len; i++) {
                int32_t kk;
                const int32_t *t = tm_matching_partners(mt, TM_SIDE_SUPPLY, list[i], &kk);
                gboolean here = FALSE;
                for (int32_t j = 0; j < kk; j++)
                    here = here || t[j] == s;
                if (!here && kk > 0) {
                    c = list[i];
                    theirs = t;
                    k = kk;
                    break;
                }
            }
            detail = k > 0 ? g_strdup_printf("its %" G_GINT32_FORMAT " acceptable commissioners "
                                             "prefer their assignments (e.g. %s went to %s)",
                                             len, cname(sel, c), sname(sel, theirs[0]))
                           : g_strdup_printf("its %" G_GINT32_FORMAT
                                             " acceptable commissioners are not available",
                                             len);
        }
        if (held > 0) {
            char *d = g_strdup_printf("%s: %s", tm_outcome_code(o), detail);
            g_free(detail);
            set_outcome(sel, TM_SIDE_DEMAND, s, TM_OUTCOME_PARTLY, d);
        } else {
            set_outcome(sel, TM_SIDE_DEMAND, s, o, detail);
        }
    }
    g_free(count);
}

TmSelection *tm_programme_select(const TmProgramme *programme, const TmRules *rules,
                                 const TmQuota *quota, const TmSelectOptions *options,
                                 GError **error)
{
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (programme == NULL || rules == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "programme and rules must not be NULL");
        return NULL;
    }
    TmSelectOptions defaults;
    tm_select_options_init(&defaults);
    const TmSelectOptions *opt = options ? options : &defaults;
    TmSelection *sel = g_new0(TmSelection, 1);
    sel->prog = programme;
    sel->rules = rules;
    sel->global_group = -1;

    if (opt->progress)
        opt->progress(0.0, opt->progress_data);
    if (!(sel->screening = tm_programme_screen(programme, rules, error)))
        goto fail;
    TmPrefsOptions *po = tm_prefs_options_new();
    tm_prefs_options_set_cancel(po, opt->cancel);
    if (tm_prefs_options_set_k(po, opt->k < 0 ? -1 : opt->k, error))
        sel->market = tm_programme_build_market(programme, rules, sel->screening, po, NULL, error);
    tm_prefs_options_free(po);
    if (sel->market == NULL)
        goto fail;
    if (opt->progress)
        opt->progress(0.5, opt->progress_data);
    if (!build_groups(sel, quota, error))
        goto fail;
    TmSolveOptions *so = tm_solve_options_new();
    tm_solve_options_set_cancel(so, opt->cancel);
    sel->matching = tm_solve(sel->market, sel->groups, so, error);
    tm_solve_options_free(so);
    if (sel->matching == NULL)
        goto fail;
    if (!(sel->verdict = tm_matching_check_groups(sel->matching, sel->groups, error)))
        goto fail;
    if (!(sel->scorer = tm_scorer_new(programme, rules, error)))
        goto fail;
    explain(sel);
    if (opt->progress)
        opt->progress(1.0, opt->progress_data);
    return sel;
fail:
    tm_selection_free(sel);
    return NULL;
}

const TmProgramme *tm_selection_programme(const TmSelection *sel)
{
    return sel ? sel->prog : NULL;
}

const TmScreening *tm_selection_screening(const TmSelection *sel)
{
    return sel ? sel->screening : NULL;
}

TmMarket *tm_selection_market(const TmSelection *sel)
{
    return sel ? sel->market : NULL;
}

const TmMatching *tm_selection_matching(const TmSelection *sel)
{
    return sel ? sel->matching : NULL;
}

const TmVerdict *tm_selection_verdict(const TmSelection *sel)
{
    return sel ? sel->verdict : NULL;
}

int32_t tm_selection_n_selected(const TmSelection *sel)
{
    return sel ? sel->n_selected : 0;
}

int tm_selection_outcome(const TmSelection *sel, TmSide side, int32_t id, const char **detail)
{
    if (detail)
        *detail = NULL;
    if (sel == NULL || (side != TM_SIDE_SUPPLY && side != TM_SIDE_DEMAND) || id < 0)
        return -1;
    int32_t n = side == TM_SIDE_SUPPLY ? tm_programme_n_commissioners(sel->prog)
                                       : tm_programme_n_sites(sel->prog);
    if (id >= n)
        return -1;
    if (detail)
        *detail = sel->detail[side][id];
    return sel->outcome[side][id];
}

/* ---- documents -------------------------------------------------------------- */

static void csv_field(GString *out, const char *text)
{
    if (text == NULL)
        text = "";
    if (strpbrk(text, ",\"\r\n") == NULL) {
        g_string_append(out, text);
        return;
    }
    g_string_append_c(out, '"');
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            g_string_append_c(out, '"');
        g_string_append_c(out, *p);
    }
    g_string_append_c(out, '"');
}

static const char *sector_code(const TmSelection *sel, int32_t s)
{
    return tm_taxonomy_code(tm_programme_taxonomy(sel->prog), tm_programme_site(sel->prog, s)->sector);
}

char *tm_selection_assignments_csv(const TmSelection *sel, GError **error)
{
    if (sel == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "selection is NULL");
        return NULL;
    }
    GString *out = g_string_new("commissioner,site,sector,site_kind,commissioner_rank,site_rank,"
                                "commissioner_score,site_score\n");
    int32_t nc = tm_programme_n_commissioners(sel->prog);
    for (int32_t c = 0; c < nc; c++) {
        int32_t k;
        const int32_t *sites = tm_matching_partners(sel->matching, TM_SIDE_SUPPLY, c, &k);
        for (int32_t j = 0; j < k; j++) {
            int32_t s = sites[j];
            char num[G_ASCII_DTOSTR_BUF_SIZE];
            csv_field(out, cname(sel, c));
            g_string_append_c(out, ',');
            csv_field(out, sname(sel, s));
            g_string_append_printf(out, ",%s,%s,%" G_GINT32_FORMAT ",%" G_GINT32_FORMAT ",",
                                   sector_code(sel, s),
                                   tm_site_kind_code(tm_programme_site(sel->prog, s)->kind),
                                   tm_market_rank(sel->market, TM_SIDE_SUPPLY, c, s) + 1,
                                   tm_market_rank(sel->market, TM_SIDE_DEMAND, s, c) + 1);
            g_string_append(out, g_ascii_formatd(num, sizeof num, "%.4f",
                                                 tm_scorer_score(sel->scorer, TM_SIDE_SUPPLY, c, s)));
            g_string_append_c(out, ',');
            g_string_append(out, g_ascii_formatd(num, sizeof num, "%.4f",
                                                 tm_scorer_score(sel->scorer, TM_SIDE_DEMAND, c, s)));
            g_string_append_c(out, '\n');
        }
    }
    return g_string_free(out, FALSE);
}

char *tm_selection_assignments_json(const TmSelection *sel, GError **error)
{
    if (sel == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "selection is NULL");
        return NULL;
    }
    TmMatchingStats stats;
    if (!tm_matching_get_stats(sel->matching, &stats, error))
        return NULL;
    int32_t n[2] = {tm_programme_n_commissioners(sel->prog), tm_programme_n_sites(sel->prog)};
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "pairs");
    json_builder_begin_array(b);
    for (int32_t c = 0; c < n[0]; c++) {
        int32_t k;
        const int32_t *sites = tm_matching_partners(sel->matching, TM_SIDE_SUPPLY, c, &k);
        for (int32_t j = 0; j < k; j++) {
            json_builder_begin_array(b);
            json_builder_add_string_value(b, cname(sel, c));
            json_builder_add_string_value(b, sname(sel, sites[j]));
            json_builder_end_array(b);
        }
    }
    json_builder_end_array(b);
    for (int side = 0; side < 2; side++) {
        json_builder_set_member_name(b, side == 0 ? "unmatched_supply" : "unmatched_demand");
        json_builder_begin_array(b);
        for (int32_t i = 0; i < n[side]; i++)
            if (tm_matching_n_partners(sel->matching, side, i) == 0)
                json_builder_add_string_value(b, side == 0 ? cname(sel, i) : sname(sel, i));
        json_builder_end_array(b);
    }
    json_builder_set_member_name(b, "stable");
    json_builder_add_boolean_value(b, tm_verdict_is_stable(sel->verdict));
    json_builder_set_member_name(b, "blocking_pairs");
    json_builder_begin_array(b);
    for (int64_t i = 0; i < tm_verdict_n_blocking_pairs(sel->verdict); i++) {
        int32_t c, s;
        tm_verdict_blocking_pair(sel->verdict, i, &c, &s);
        json_builder_begin_array(b);
        json_builder_add_string_value(b, cname(sel, c));
        json_builder_add_string_value(b, sname(sel, s));
        json_builder_end_array(b);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "outcomes");
    json_builder_begin_object(b);
    for (int side = 0; side < 2; side++) {
        json_builder_set_member_name(b, side == 0 ? "supply" : "demand");
        json_builder_begin_object(b);
        for (int32_t i = 0; i < n[side]; i++) {
            const char *detail;
            int o = tm_selection_outcome(sel, side, i, &detail);
            json_builder_set_member_name(b, side == 0 ? cname(sel, i) : sname(sel, i));
            json_builder_begin_object(b);
            json_builder_set_member_name(b, "outcome");
            json_builder_add_string_value(b, tm_outcome_code(o));
            json_builder_set_member_name(b, "detail");
            if (detail)
                json_builder_add_string_value(b, detail);
            else
                json_builder_add_null_value(b);
            json_builder_end_object(b);
        }
        json_builder_end_object(b);
    }
    json_builder_end_object(b);
    json_builder_set_member_name(b, "stats");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "pairs");
    json_builder_add_int_value(b, stats.pairs);
    json_builder_set_member_name(b, "commissioners_selected");
    json_builder_add_int_value(b, sel->n_selected);
    json_builder_set_member_name(b, "quota");
    json_builder_add_int_value(b, sel->quota_total);
    json_builder_set_member_name(b, "proposals");
    json_builder_add_int_value(b, stats.proposals);
    json_builder_set_member_name(b, "supply");
    tm_i_json_add_side_stats(b, &stats.side[0]);
    json_builder_set_member_name(b, "demand");
    tm_i_json_add_side_stats(b, &stats.side[1]);
    json_builder_end_object(b);
    json_builder_end_object(b);

    JsonGenerator *gen = json_generator_new();
    JsonNode *root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    json_generator_set_pretty(gen, TRUE);
    json_generator_set_indent(gen, 2);
    char *text = json_generator_to_data(gen, NULL);
    json_node_unref(root);
    g_object_unref(gen);
    g_object_unref(b);
    char *with_nl = g_strconcat(text, "\n", NULL);
    g_free(text);
    return with_nl;
}

/* Markdown table cell: no pipes or newlines inside */
static void md_cell(GString *out, const char *text)
{
    g_string_append(out, " ");
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == '|')
            g_string_append(out, "\\|");
        else if (*p == '\n' || *p == '\r')
            g_string_append_c(out, ' ');
        else
            g_string_append_c(out, *p);
    }
    g_string_append(out, " |");
}

static void md_rank_table(GString *out, const TmSelection *sel, TmSide side, const char *who)
{
    int32_t n = tm_market_size(sel->market, side), mx = 0;
    for (int32_t i = 0; i < n; i++) {
        int32_t len;
        tm_market_prefs(sel->market, side, i, &len);
        mx = MAX(mx, len);
    }
    int64_t *h = g_new0(int64_t, MAX(mx, 1));
    tm_matching_rank_histogram(sel->matching, side, h, mx, NULL);
    TmMatchingStats st;
    tm_matching_get_stats(sel->matching, &st, NULL);
    const TmSideStats *ss = &st.side[side];
    char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append_printf(out, "\n**%s** (rank 1 = first choice among acceptable partners): "
                                "mean %s, median %s, worst %" G_GINT32_FORMAT "\n\n",
                           who, g_ascii_formatd(a, sizeof a, "%.2f", ss->rank_mean + 1),
                           g_ascii_formatd(b, sizeof b, "%.1f", ss->rank_median + 1),
                           ss->rank_max + 1);
    g_string_append(out, "| rank | assignments |\n|---:|---:|\n");
    for (int32_t r = 0; r < mx; r++)
        if (h[r] > 0)
            g_string_append_printf(out, "| %" G_GINT32_FORMAT " | %" G_GINT64_FORMAT " |\n", r + 1,
                                   h[r]);
    g_free(h);
}

static const char *outcome_label(int o)
{
    switch (o) {
    case TM_OUTCOME_MATCHED: return "matched";
    case TM_OUTCOME_PARTLY: return "partly matched";
    case TM_OUTCOME_INELIGIBLE: return "ineligible";
    case TM_OUTCOME_NO_CAPACITY: return "capacity 0";
    case TM_OUTCOME_NO_PARTNER: return "no acceptable partner";
    case TM_OUTCOME_OUTRANKED: return "outranked";
    case TM_OUTCOME_QUOTA: return "cut by the quota";
    case TM_OUTCOME_SECTOR_CAP: return "cut by a sector cap";
    default: return "?";
    }
}

static char *reason_text(const TmSelection *sel, TmSide side, int32_t id)
{
    const char *detail;
    int o = tm_selection_outcome(sel, side, id, &detail);
    if (o == TM_OUTCOME_INELIGIBLE && detail) {
        int32_t r = tm_rule_find(detail);
        return g_strdup_printf("ineligible by rule %s: %s", detail,
                               r >= 0 ? tm_rule_summary(r) : "");
    }
    if (detail)
        return g_strdup_printf("%s: %s", outcome_label(o), detail);
    return g_strdup(outcome_label(o));
}

char *tm_selection_report_markdown(const TmSelection *sel, GError **error)
{
    if (sel == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "selection is NULL");
        return NULL;
    }
    const TmProgramme *p = sel->prog;
    const TmTaxonomy *tax = tm_programme_taxonomy(p);
    int32_t nc = tm_programme_n_commissioners(p), ns = tm_programme_n_sites(p);
    int32_t nsec = tm_taxonomy_n_sectors(tax);
    char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
    GString *out = g_string_new("# Science-and-technology commissioner selection (科技特派员选派)\n\n");

    int64_t pairs = tm_matching_n_pairs(sel->matching);
    g_string_append_printf(out,
                           "- Applicants (commissioners and teams): %" G_GINT32_FORMAT
                           ", eligible %" G_GINT32_FORMAT "\n"
                           "- Sites registered: %" G_GINT32_FORMAT ", eligible %" G_GINT32_FORMAT "\n"
                           "- Assignments: %" G_GINT64_FORMAT ", commissioners selected: %"
                           G_GINT32_FORMAT "\n",
                           nc, tm_screening_n_eligible(sel->screening, TM_SIDE_SUPPLY), ns,
                           tm_screening_n_eligible(sel->screening, TM_SIDE_DEMAND), pairs,
                           sel->n_selected);
    if (sel->quota_total >= 0)
        g_string_append_printf(out, "- Quota (择优选派): at most %" G_GINT32_FORMAT
                                    " assignments; where it binds, places go to pairs in the "
                                    "order the sites rank them, then by merit\n",
                               sel->quota_total);
    else
        g_string_append(out, "- Quota: none\n");
    g_string_append(out, "- Method: commissioner-proposing deferred acceptance under the "
                         "quota and sector caps (stable with respect to the caps)\n");

    /* who serves where */
    g_string_append(out, "\n## Assignments\n\n| commissioner | team | site | sector | kind | "
                         "commissioner's rank | site's rank | commissioner's score | site's score |\n"
                         "|---|---:|---|---|---|---:|---:|---:|---:|\n");
    for (int32_t c = 0; c < nc; c++) {
        int32_t k;
        const int32_t *sites = tm_matching_partners(sel->matching, TM_SIDE_SUPPLY, c, &k);
        for (int32_t j = 0; j < k; j++) {
            int32_t s = sites[j];
            const TmSite *site = tm_programme_site(p, s);
            g_string_append(out, "|");
            md_cell(out, cname(sel, c));
            g_string_append_printf(out, " %" G_GINT32_FORMAT " |",
                                   tm_programme_commissioner(p, c)->team_size);
            md_cell(out, site->name);
            md_cell(out, tm_taxonomy_name_en(tax, site->sector));
            md_cell(out, tm_site_kind_code(site->kind));
            g_string_append_printf(out, " %" G_GINT32_FORMAT " | %" G_GINT32_FORMAT " | %s | %s |\n",
                                   tm_market_rank(sel->market, TM_SIDE_SUPPLY, c, s) + 1,
                                   tm_market_rank(sel->market, TM_SIDE_DEMAND, s, c) + 1,
                                   g_ascii_formatd(a, sizeof a, "%.3f",
                                                   tm_scorer_score(sel->scorer, TM_SIDE_SUPPLY, c, s)),
                                   g_ascii_formatd(b, sizeof b, "%.3f",
                                                   tm_scorer_score(sel->scorer, TM_SIDE_DEMAND, c, s)));
        }
    }

    /* coverage per sector */
    g_string_append(out, "\n## Coverage per sector\n\n| sector | 行业 | sites registered | eligible | "
                         "served | coverage | assignments | cap | floor |\n"
                         "|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int32_t k = 0; k < nsec; k++) {
        int32_t reg = 0, elig = 0, served = 0;
        int64_t assigned = 0;
        for (int32_t s = 0; s < ns; s++) {
            if (tm_programme_site(p, s)->sector != k)
                continue;
            reg++;
            elig += tm_screening_is_eligible(sel->screening, TM_SIDE_DEMAND, s);
            int32_t h = tm_matching_n_partners(sel->matching, TM_SIDE_DEMAND, s);
            served += h > 0;
            assigned += h;
        }
        int32_t g = sel->sector_group[k];
        char cap[32] = "-", floor[32] = "-";
        if (sel->sector_cap[k] >= 0)
            g_snprintf(cap, sizeof cap, "%" G_GINT32_FORMAT, sel->sector_cap[k]);
        if (g >= 0 && tm_groups_floor(sel->groups, g) > 0)
            g_snprintf(floor, sizeof floor, "%" G_GINT32_FORMAT, tm_groups_floor(sel->groups, g));
        g_string_append(out, "|");
        md_cell(out, tm_taxonomy_name_en(tax, k));
        md_cell(out, tm_taxonomy_name_zh(tax, k));
        g_string_append_printf(out, " %" G_GINT32_FORMAT " | %" G_GINT32_FORMAT " | %" G_GINT32_FORMAT
                                    " | %s%% | %" G_GINT64_FORMAT " | %s | %s |\n",
                               reg, elig, served,
                               g_ascii_formatd(a, sizeof a, "%.0f", reg ? 100.0 * served / reg : 0.0),
                               assigned, cap, floor);
    }

    /* unfilled sites and unmatched commissioners, each with its reason */
    g_string_append(out, "\n## Sites with free places\n\n| site | sector | kind | free places | reason |\n"
                         "|---|---|---|---:|---|\n");
    int32_t n_unfilled = 0;
    for (int32_t s = 0; s < ns; s++) {
        const TmSite *site = tm_programme_site(p, s);
        int32_t held = tm_matching_n_partners(sel->matching, TM_SIDE_DEMAND, s);
        if (held >= site->capacity)
            continue;
        n_unfilled++;
        char *why = reason_text(sel, TM_SIDE_DEMAND, s);
        g_string_append(out, "|");
        md_cell(out, site->name);
        md_cell(out, tm_taxonomy_name_en(tax, site->sector));
        md_cell(out, tm_site_kind_code(site->kind));
        g_string_append_printf(out, " %" G_GINT32_FORMAT " |", site->capacity - held);
        md_cell(out, why);
        g_string_append_c(out, '\n');
        g_free(why);
    }
    if (n_unfilled == 0)
        g_string_append(out, "| (none) | | | | |\n");

    g_string_append(out, "\n## Commissioners not (fully) matched\n\n| commissioner | team | merit | "
                         "places left | reason |\n|---|---:|---:|---:|---|\n");
    int32_t n_unmatched = 0;
    for (int32_t c = 0; c < nc; c++) {
        const TmCommissioner *cm = tm_programme_commissioner(p, c);
        int32_t held = tm_matching_n_partners(sel->matching, TM_SIDE_SUPPLY, c);
        if (held >= cm->capacity && held > 0)
            continue;
        n_unmatched++;
        char *why = reason_text(sel, TM_SIDE_SUPPLY, c);
        g_string_append(out, "|");
        md_cell(out, cm->name);
        g_string_append_printf(out, " %" G_GINT32_FORMAT " | %s | %" G_GINT32_FORMAT " |",
                               cm->team_size, g_ascii_formatd(a, sizeof a, "%.1f", cm->merit),
                               MAX(cm->capacity - held, 0));
        md_cell(out, why);
        g_string_append_c(out, '\n');
        g_free(why);
    }
    if (n_unmatched == 0)
        g_string_append(out, "| (none) | | | | |\n");

    /* rank distributions */
    g_string_append(out, "\n## Rank distributions\n");
    md_rank_table(out, sel, TM_SIDE_SUPPLY, "Commissioners' ranks of their sites");
    md_rank_table(out, sel, TM_SIDE_DEMAND, "Sites' ranks of their commissioners");

    /* the rules */
    g_string_append(out, "\n## Rules applied\n\n| rule | on | explanation | agents excluded |\n"
                         "|---|---|---|---:|\n");
    for (int32_t r = 0; r < tm_rules_n_rules(); r++) {
        const char *code = tm_rule_code(r);
        gboolean on = tm_rules_is_enabled(sel->rules, code);
        char n_ex[32] = "-";
        if (tm_rule_scope(r) != TM_RULE_SCOPE_PAIR)
            g_snprintf(n_ex, sizeof n_ex, "%" G_GINT32_FORMAT,
                       tm_screening_n_first_failing(sel->screening, code));
        g_string_append_printf(out, "| %s | %s |", code, on ? "yes" : "no");
        md_cell(out, tm_rule_summary(r));
        g_string_append_printf(out, " %s |\n", n_ex);
    }

    /* stability certificate */
    g_string_append(out, "\n## Stability certificate\n\n");
    int64_t nb = tm_verdict_n_blocking_pairs(sel->verdict);
    int64_t nv = tm_verdict_n_violations(sel->verdict);
    if (nb == 0 && nv == 0) {
        g_string_append(out, "Stable: no commissioner and site would both rather be together "
                             "when adding the pair breaks neither the quota nor a sector cap, "
                             "nor would the quota's order (sites' rankings, then merit) admit "
                             "the pair (0 blocking pairs); every capacity and cap is respected, "
                             "and every assignment is acceptable to both sides.\n");
    } else {
        g_string_append_printf(out, "NOT stable: %" G_GINT64_FORMAT " blocking pairs, %"
                                    G_GINT64_FORMAT " violations.\n\n",
                               nb, nv);
        for (int64_t i = 0; i < nb; i++) {
            int32_t c, s;
            tm_verdict_blocking_pair(sel->verdict, i, &c, &s);
            g_string_append_printf(out, "- blocking pair: %s — %s\n", cname(sel, c), sname(sel, s));
        }
    }
    return g_string_free(out, FALSE);
}

gboolean tm_selection_write(const TmSelection *sel, const char *dir, GError **error)
{
    if (sel == NULL || dir == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "selection and directory must not be NULL");
        return FALSE;
    }
    if (g_mkdir_with_parents(dir, 0755) != 0) {
        int e = errno;
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: cannot create directory: %s", dir,
                    g_strerror(e));
        return FALSE;
    }
    char *docs[3] = {NULL, NULL, NULL};
    static const char *const names[3] = {"assignments.csv", "assignments.json", "report.md"};
    gboolean ok = (docs[0] = tm_selection_assignments_csv(sel, error)) &&
                  (docs[1] = tm_selection_assignments_json(sel, error)) &&
                  (docs[2] = tm_selection_report_markdown(sel, error));
    for (int i = 0; ok && i < 3; i++) {
        char *path = g_build_filename(dir, names[i], NULL);
        ok = tm_file_write_atomic(path, docs[i], strlen(docs[i]), error);
        g_free(path);
    }
    for (int i = 0; i < 3; i++)
        g_free(docs[i]);
    return ok;
}
