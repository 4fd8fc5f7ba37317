/* techmatch — admission in merit order (admission_private.h states the rule).
 *
 * State: per commissioner the next entry of its list to propose to and the
 * sites it holds; per site the commissioners it holds with their ranks; the
 * counts of people and seats, overall and per sector.  Every write to that
 * state goes through put32()/put64(), which log the old value, so a step
 * that breaks the quota or a cap is undone exactly by replaying the log
 * backwards; a kept step just empties the log.  A displaced commissioner
 * never proposes again to a site it has left (the site only gets better), so
 * the list pointers only move forward, as in deferred acceptance. */
#include <string.h>

#include <glib.h>

#include "programme/admission_private.h"
#include "util/alloc.h"

typedef struct {
    int32_t *addr;
    int32_t old;
} Log32;

typedef struct {
    int64_t *addr;
    int64_t old;
} Log64;

typedef struct {
    TmAdmission *a;
    int32_t *next;               /* per c: absolute index of the next entry */
    int32_t *cbase, *cheld;      /* per c: slot base, seats held (pins first) */
    int32_t *npin;               /* per c: pinned seats */
    int32_t *setof;              /* per c: its allowed set (index), -1 = not admitted */
    GByteArray *sets;            /* allowed sets, n_sectors bytes each */
    int32_t *cslot;              /* sites held */
    int32_t *sbase, *sheld;      /* per s: slot base, seats held (pins excluded) */
    int32_t *sslot_c, *sslot_r;  /* holder and the rank the site gives it */
    int64_t *secseat, *secpeople; /* per sector */
    int64_t people, seats;
    uint8_t *allowed;            /* the newcomer's allowed sectors (n_sectors) */
    uint8_t *closed;             /* sectors closed by their cap */
    gboolean reserved_only;      /* the open places are used up: floors only */
    int32_t *stack;
    int64_t stack_cap;
    GArray *log32, *log64;
} Adm;

static void put32(Adm *d, int32_t *addr, int32_t v)
{
    Log32 e = {addr, *addr};
    g_array_append_val(d->log32, e);
    *addr = v;
}

static void put64(Adm *d, int64_t *addr, int64_t v)
{
    Log64 e = {addr, *addr};
    g_array_append_val(d->log64, e);
    *addr = v;
}

static void undo(Adm *d)
{
    for (guint i = d->log32->len; i-- > 0;) {
        Log32 *e = &g_array_index(d->log32, Log32, i);
        *e->addr = e->old;
    }
    for (guint i = d->log64->len; i-- > 0;) {
        Log64 *e = &g_array_index(d->log64, Log64, i);
        *e->addr = e->old;
    }
    g_array_set_size(d->log32, 0);
    g_array_set_size(d->log64, 0);
}

static void commit(Adm *d)
{
    g_array_set_size(d->log32, 0);
    g_array_set_size(d->log64, 0);
}

/* Does c hold a seat in sector k (besides slot @skip, or -1)? */
static gboolean holds_in(const Adm *d, int32_t c, int32_t k, int32_t skip)
{
    const int32_t *slot = d->cslot + d->cbase[c];
    for (int32_t i = 0; i < d->cheld[c]; i++)
        if (i != skip && d->a->sector[slot[i]] == k)
            return TRUE;
    return FALSE;
}

static void add_seat(Adm *d, int32_t c, int32_t s, int32_t rank, gboolean pinned)
{
    int32_t k = d->a->sector[s];
    if (d->cheld[c] == 0)
        put64(d, &d->people, d->people + 1);
    if (!holds_in(d, c, k, -1))
        put64(d, &d->secpeople[k], d->secpeople[k] + 1);
    put64(d, &d->seats, d->seats + 1);
    put64(d, &d->secseat[k], d->secseat[k] + 1);
    put32(d, &d->cslot[d->cbase[c] + d->cheld[c]], s);
    put32(d, &d->cheld[c], d->cheld[c] + 1);
    if (!pinned) {
        int32_t i = d->sbase[s] + d->sheld[s];
        put32(d, &d->sslot_c[i], c);
        put32(d, &d->sslot_r[i], rank);
        put32(d, &d->sheld[s], d->sheld[s] + 1);
    }
}

/* Removes holder slot @i of site s (commissioner c). */
static void drop_seat(Adm *d, int32_t s, int32_t i)
{
    int32_t c = d->sslot_c[i], k = d->a->sector[s];
    int32_t last = d->sbase[s] + d->sheld[s] - 1;
    put32(d, &d->sslot_c[i], d->sslot_c[last]);
    put32(d, &d->sslot_r[i], d->sslot_r[last]);
    put32(d, &d->sheld[s], d->sheld[s] - 1);
    int32_t *slot = d->cslot + d->cbase[c];
    int32_t j = 0;
    while (slot[j] != s) /* c holds s: it is in c's slots */
        j++;
    if (!holds_in(d, c, k, j))
        put64(d, &d->secpeople[k], d->secpeople[k] - 1);
    put64(d, &d->secseat[k], d->secseat[k] - 1);
    put32(d, &slot[j], slot[d->cheld[c] - 1]);
    put32(d, &d->cheld[c], d->cheld[c] - 1);
    if (d->cheld[c] == 0)
        put64(d, &d->people, d->people - 1);
    put64(d, &d->seats, d->seats - 1);
}

static gboolean push(Adm *d, int64_t *top, int32_t c, GError **error)
{
    if (*top == d->stack_cap) {
        int64_t cap = d->stack_cap * 2 + 16;
        int32_t *n = tm_i_try_alloc(cap, sizeof(int32_t), FALSE, "admission stack", error);
        if (n == NULL)
            return FALSE;
        if (*top > 0)
            memcpy(n, d->stack, (size_t)*top * sizeof(int32_t));
        g_free(d->stack);
        d->stack = n;
        d->stack_cap = cap;
    }
    d->stack[(*top)++] = c;
    return TRUE;
}

static const uint8_t *set_bytes(const Adm *d, int32_t set)
{
    return d->sets->data + (gsize)set * (gsize)d->a->n_sectors;
}

/* Places newcomer c (allowed set @cset) by deferred acceptance: each
 * proposer proposes only to sites of the sectors its own set allows. */
static gboolean place(Adm *d, int32_t c, int32_t cset, GError **error)
{
    const TmAdmission *a = d->a;
    int64_t top = 0;
    if (!push(d, &top, c, error))
        return FALSE;
    while (top > 0) {
        int32_t p = d->stack[top - 1];
        if (d->cheld[p] - d->npin[p] >= a->ccap[p] || d->next[p] >= a->off[p + 1]) {
            top--;
            continue;
        }
        int32_t e = d->next[p];
        put32(d, &d->next[p], e + 1);
        int32_t s = a->sites[e], r = a->srank[e];
        if (!set_bytes(d, p == c ? cset : d->setof[p])[a->sector[s]])
            continue;
        if (d->sheld[s] < a->scap[s]) {
            add_seat(d, p, s, r, FALSE);
            continue;
        }
        int32_t base = d->sbase[s], worst = -1;
        for (int32_t i = 0; i < d->sheld[s]; i++)
            if (worst < 0 || d->sslot_r[base + i] > d->sslot_r[worst])
                worst = base + i;
        if (worst < 0 || d->sslot_r[worst] < r)
            continue; /* capacity 0, or every holder is preferred */
        int32_t w = d->sslot_c[worst];
        drop_seat(d, s, worst);
        add_seat(d, p, s, r, FALSE);
        if (!push(d, &top, w, error))
            return FALSE;
    }
    return TRUE;
}

static int64_t counted(const Adm *d, int32_t k)
{
    return d->a->unit == TM_QUOTA_PEOPLE ? d->secpeople[k] : d->secseat[k];
}

static int64_t used(const Adm *d)
{
    return d->a->unit == TM_QUOTA_PEOPLE ? d->people : d->seats;
}

/* The first sector over its cap, or -1. */
static int32_t over_cap(const Adm *d)
{
    for (int32_t k = 0; k < d->a->n_sectors; k++)
        if (d->a->cap[k] >= 0 && counted(d, k) > d->a->cap[k])
            return k;
    return -1;
}

/* Places still reserved by floors (not yet filled). */
static int64_t reserved(const Adm *d)
{
    int64_t r = 0;
    for (int32_t k = 0; k < d->a->n_sectors; k++)
        if (d->a->floor[k] > counted(d, k))
            r += d->a->floor[k] - counted(d, k);
    return r;
}

static gboolean over_quota(const Adm *d)
{
    return d->a->total >= 0 && used(d) + reserved(d) > d->a->total;
}

/* Appends @bytes as a new allowed set unless it equals the last one. */
static int32_t intern_set(Adm *d, const uint8_t *bytes)
{
    int32_t K = d->a->n_sectors;
    int32_t n = K > 0 ? (int32_t)(d->sets->len / (guint)K) : (int32_t)(d->sets->len > 0);
    if (n > 0 && (K == 0 || memcmp(set_bytes(d, n - 1), bytes, (size_t)K) == 0))
        return n - 1;
    if (K == 0) {
        static const uint8_t none = 0;
        g_byte_array_append(d->sets, &none, 1);
        return 0;
    }
    g_byte_array_append(d->sets, bytes, (guint)K);
    return n;
}

enum { STEP_KEPT, STEP_CUT_QUOTA, STEP_CUT_CAP };

/* Admits c: tries, undoes and retries as the rule says.  Returns a STEP_*
 * (or -1 on error); *cap_out: the sector of a cap cut. */
static int admit(Adm *d, int32_t c, int32_t *cap_out, GError **error)
{
    const TmAdmission *a = d->a;
    int32_t K = a->n_sectors;
    gboolean any = FALSE;
    for (int32_t k = 0; k < K; k++) {
        d->allowed[k] = !d->closed[k] && (!d->reserved_only || a->floor[k] > counted(d, k));
        any = any || d->allowed[k];
    }
    if (!any && d->reserved_only)
        return STEP_CUT_QUOTA; /* the reserved places are all taken */
    for (;;) {
        int32_t set = intern_set(d, d->allowed);
        d->a->attempts++;
        if (!place(d, c, set, error))
            return -1;
        int32_t k = over_cap(d);
        if (k >= 0) {
            /* close every sector over its cap to newcomers, retry */
            gboolean changed = FALSE;
            for (int32_t j = 0; j < K; j++)
                if (a->cap[j] >= 0 && counted(d, j) > a->cap[j] && d->allowed[j]) {
                    d->closed[j] = 1;
                    d->allowed[j] = 0;
                    changed = TRUE;
                }
            undo(d);
            d->a->undone++;
            if (!changed) {
                *cap_out = k;
                return STEP_CUT_CAP;
            }
            continue;
        }
        if (over_quota(d)) {
            undo(d);
            d->a->undone++;
            if (d->reserved_only)
                return STEP_CUT_QUOTA;
            /* the open places are used up: from now on newcomers may only
             * take reserved places, in the sectors below their floor */
            gboolean keep_any = FALSE;
            for (int32_t j = 0; j < K; j++) {
                d->allowed[j] = d->allowed[j] && a->floor[j] > counted(d, j);
                keep_any = keep_any || d->allowed[j];
            }
            if (!keep_any)
                return STEP_CUT_QUOTA;
            d->reserved_only = TRUE;
            continue;
        }
        d->setof[c] = set;
        commit(d);
        return STEP_KEPT;
    }
}

static void adm_free(Adm *d)
{
    g_free(d->next);
    g_free(d->cbase);
    g_free(d->cheld);
    g_free(d->npin);
    g_free(d->setof);
    g_free(d->cslot);
    g_free(d->sbase);
    g_free(d->sheld);
    g_free(d->sslot_c);
    g_free(d->sslot_r);
    g_free(d->secseat);
    g_free(d->secpeople);
    g_free(d->allowed);
    g_free(d->closed);
    g_free(d->stack);
    if (d->sets)
        g_byte_array_unref(d->sets);
    if (d->log32)
        g_array_unref(d->log32);
    if (d->log64)
        g_array_unref(d->log64);
}

void tm_i_admission_clear(TmAdmission *a)
{
    g_free(a->status);
    g_free(a->cut_sector);
    g_free(a->allowed_set);
    g_free(a->sets);
    g_free(a->pair_c);
    g_free(a->pair_s);
    g_free(a->closed);
    a->closed = NULL;
    a->status = NULL;
    a->cut_sector = a->allowed_set = a->pair_c = a->pair_s = NULL;
    a->sets = NULL;
    a->n_sets = 0;
    a->n_pairs = 0;
}

gboolean tm_i_admission_allowed(const TmAdmission *a, int32_t c, int32_t sector)
{
    if (a->allowed_set == NULL || a->allowed_set[c] < 0 || sector < 0 || sector >= a->n_sectors)
        return FALSE;
    return a->sets[(gsize)a->allowed_set[c] * (gsize)a->n_sectors + (gsize)sector] != 0;
}

static gboolean setup(Adm *d, TmAdmission *a, GError **error)
{
    int32_t nc = a->nc, ns = a->ns, K = a->n_sectors;
    int64_t cseats = 0, sseats = 0;
    d->a = a;
    if (!(d->next = tm_i_try_alloc(nc, sizeof(int32_t), FALSE, "admission", error))
        || !(d->cbase = tm_i_try_alloc((int64_t)nc + 1, sizeof(int32_t), FALSE, "admission", error))
        || !(d->cheld = tm_i_try_alloc(nc, sizeof(int32_t), TRUE, "admission", error))
        || !(d->npin = tm_i_try_alloc(nc, sizeof(int32_t), TRUE, "admission", error))
        || !(d->setof = tm_i_try_alloc(nc, sizeof(int32_t), FALSE, "admission", error))
        || !(d->sbase = tm_i_try_alloc((int64_t)ns + 1, sizeof(int32_t), FALSE, "admission", error))
        || !(d->sheld = tm_i_try_alloc(ns, sizeof(int32_t), TRUE, "admission", error))
        || !(d->secseat = tm_i_try_alloc(K, sizeof(int64_t), TRUE, "admission", error))
        || !(d->secpeople = tm_i_try_alloc(K, sizeof(int64_t), TRUE, "admission", error))
        || !(d->allowed = tm_i_try_alloc((int64_t)K + 1, 1, TRUE, "admission", error))
        || !(d->closed = tm_i_try_alloc((int64_t)K + 1, 1, TRUE, "admission", error)))
        return FALSE;
    for (int32_t c = 0; c < nc; c++) {
        d->next[c] = a->off[c];
        d->setof[c] = -1;
    }
    for (int64_t i = 0; i < a->n_pins; i++)
        d->npin[a->pin_c[i]]++;
    /* slots: a commissioner holds at most its list length (or capacity) plus
     * its pins; a site at most its capacity left */
    for (int32_t c = 0; c < nc; c++) {
        d->cbase[c] = (int32_t)cseats;
        int64_t len = a->off[c + 1] - a->off[c];
        cseats += MIN((int64_t)a->ccap[c], len) + d->npin[c];
        if (cseats > G_MAXINT32)
            break;
    }
    for (int32_t s = 0; s < ns && sseats <= G_MAXINT32; s++) {
        d->sbase[s] = (int32_t)sseats;
        sseats += a->scap[s];
    }
    if (cseats > G_MAXINT32 || sseats > G_MAXINT32) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_OVERFLOW,
                            "the admission's seats exceed 2^31");
        return FALSE;
    }
    d->cbase[nc] = (int32_t)cseats;
    d->sbase[ns] = (int32_t)sseats;
    if (!(d->cslot = tm_i_try_alloc(cseats, sizeof(int32_t), FALSE, "admission", error))
        || !(d->sslot_c = tm_i_try_alloc(sseats, sizeof(int32_t), FALSE, "admission", error))
        || !(d->sslot_r = tm_i_try_alloc(sseats, sizeof(int32_t), FALSE, "admission", error)))
        return FALSE;
    d->sets = g_byte_array_new();
    d->log32 = g_array_new(FALSE, FALSE, sizeof(Log32));
    d->log64 = g_array_new(FALSE, FALSE, sizeof(Log64));
    /* the pins hold their seats from the start; the log is not needed */
    for (int64_t i = 0; i < a->n_pins; i++)
        add_seat(d, a->pin_c[i], a->pin_s[i], 0, TRUE);
    commit(d);
    return TRUE;
}

static gboolean outputs(Adm *d, TmAdmission *a, GError **error)
{
    int32_t nc = a->nc, K = a->n_sectors;
    int64_t n = 0;
    for (int32_t c = 0; c < nc; c++)
        n += d->cheld[c] - d->npin[c];
    int32_t n_sets = K > 0 ? (int32_t)(d->sets->len / (guint)K) : 0;
    if (!(a->pair_c = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "admission pairs", error))
        || !(a->pair_s = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "admission pairs", error))
        || !(a->sets = tm_i_try_alloc((int64_t)d->sets->len, 1, FALSE, "admission sets", error))
        || !(a->closed = tm_i_try_alloc((int64_t)K + 1, 1, TRUE, "admission sets", error)))
        return FALSE;
    if (K > 0)
        memcpy(a->closed, d->closed, (size_t)K);
    if (d->sets->len > 0)
        memcpy(a->sets, d->sets->data, d->sets->len);
    a->n_sets = n_sets;
    int64_t j = 0;
    for (int32_t c = 0; c < nc; c++)
        for (int32_t i = d->npin[c]; i < d->cheld[c]; i++) {
            a->pair_c[j] = c;
            a->pair_s[j++] = d->cslot[d->cbase[c] + i];
        }
    a->n_pairs = n;
    a->used = used(d);
    memcpy(a->allowed_set, d->setof, sizeof(int32_t) * (size_t)nc);
    return TRUE;
}

gboolean tm_i_admission_run(TmAdmission *a, GError **error)
{
    Adm d;
    memset(&d, 0, sizeof d);
    a->cutoff = -1;
    a->attempts = a->undone = 0;
    gboolean ok = (a->status = tm_i_try_alloc(a->nc, 1, TRUE, "admission", error)) != NULL
                  && (a->cut_sector = tm_i_try_alloc(a->nc, sizeof(int32_t), FALSE, "admission",
                                                     error)) != NULL
                  && (a->allowed_set = tm_i_try_alloc(a->nc, sizeof(int32_t), FALSE,
                                                      "admission", error)) != NULL
                  && setup(&d, a, error);
    for (int32_t c = 0; ok && c < a->nc; c++)
        a->cut_sector[c] = -1;
    for (int32_t i = 0; ok && i < a->n_order; i++) {
        int32_t c = a->order[i];
        if (a->cutoff >= 0) {
            a->status[c] = TM_ADM_CUT_QUOTA;
            continue;
        }
        if ((i & 255) == 0 && a->ctl && tm_cancel_is_triggered(a->ctl->cancel)) {
            g_set_error(error, TM_ERROR, TM_ERROR_CANCELLED,
                        "the admission in merit order was cancelled after %" G_GINT32_FORMAT
                        " of %" G_GINT32_FORMAT " applicants",
                        i, a->n_order);
            ok = FALSE;
            break;
        }
        int32_t k = -1;
        int step = admit(&d, c, &k, error);
        if (step < 0) {
            ok = FALSE;
        } else if (step == STEP_KEPT) {
            a->status[c] = TM_ADM_ADMITTED;
        } else if (step == STEP_CUT_CAP) {
            a->status[c] = TM_ADM_CUT_CAP;
            a->cut_sector[c] = k;
        } else {
            a->status[c] = TM_ADM_CUT_QUOTA;
            a->cutoff = c;
        }
    }
    ok = ok && outputs(&d, a, error);
    adm_free(&d);
    if (!ok)
        tm_i_admission_clear(a);
    return ok;
}
