/* Random small programmes and a brute-force oracle of the preference lists
 * (preferences.h contract), written only against the public API. */
#ifndef TM_RANDOM_PROGRAMME_H
#define TM_RANDOM_PROGRAMME_H

#include "rules_testutil.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
    int32_t nc, ns;
    int32_t n_tags;        /* tag pool */
    double p_located;      /* probability of a location */
    double p_wish;         /* probability that an agent has wishes */
    double extent;         /* locations in [0, extent]^2 */
    gboolean mostly_eligible;
} RandSpec;

static const char *const RP_TAGS[] = { "training", "rd", "strategy", "demo", "transfer",
                                       "health", "software", "packaging", "quality",
                                       "marketing", "seeds", "irrigation" };

/* Builds a random programme over the default taxonomy. */
static inline TmProgramme *rp_make(const RandSpec *sp, guint32 seed)
{
    GRand *g = g_rand_new_with_seed(seed);
    /* the task bits (issue 10) come from a stream of their own, so every other
     * field is what it was before they existed; a third of the agents name
     * none (the tasks component is then 0.5) */
    GRand *gt = g_rand_new_with_seed(seed ^ 0x7a5c5u);
    TmProgramme *p = tm_programme_new(NULL);
    int32_t nsec = tm_taxonomy_n_sectors(tm_programme_taxonomy(p));
    /* the named tags first, then "tag12", "tag13", ... (up to 200) */
    int32_t ntag = sp->n_tags < 200 ? sp->n_tags : 200;
    char tagbuf[200][16];
    const char *tagname[200];
    for (int32_t t = 0; t < ntag; t++) {
        if (t < (int32_t)G_N_ELEMENTS(RP_TAGS))
            tagname[t] = RP_TAGS[t];
        else {
            g_snprintf(tagbuf[t], sizeof tagbuf[t], "tag%d", t);
            tagname[t] = tagbuf[t];
        }
    }
    char name[32];
    for (int32_t i = 0; i < sp->nc; i++) {
        g_snprintf(name, sizeof name, "c%d", i);
        TmCommissioner c = tr_comm(name);
        c.tasks = g_rand_int_range(gt, 0, 3) == 0 ? 0u
                                                  : (uint32_t)g_rand_int_range(gt, 0, 64);
        int elig = sp->mostly_eligible ? 90 : 65;
        c.title = g_rand_int_range(g, 0, 100) < elig ? (TmTitle)g_rand_int_range(g, 2, 4)
                                                     : (TmTitle)g_rand_int_range(g, 0, 4);
        c.unit_kind = g_rand_int_range(g, 0, 100) < elig ? (TmUnitKind)g_rand_int_range(g, 0, 3)
                                                         : (TmUnitKind)g_rand_int_range(g, 0, 5);
        c.unit_support = g_rand_int_range(g, 0, 100) < 95;
        TmExpertise ex[3];
        int32_t nex = g_rand_int_range(g, 0, 4);
        int32_t used = 0;
        for (int32_t e = 0; e < nex; e++) {
            int32_t sec = g_rand_int_range(g, 0, nsec);
            gboolean dup = FALSE;
            for (int32_t q = 0; q < used; q++)
                dup |= ex[q].sector == sec;
            if (dup)
                continue;
            ex[used].sector = sec;
            ex[used].level = g_rand_int_range(g, 0, 4);
            used++;
        }
        c.expertise = ex;
        c.n_expertise = used;
        const char *sk[4];
        int32_t nsk = g_rand_int_range(g, 0, 5);
        for (int32_t q = 0; q < nsk; q++)
            sk[q] = tagname[g_rand_int_range(g, 0, ntag)];
        c.skills = sk;
        c.n_skills = nsk;
        c.years = g_rand_int_range(g, 0, 100) < elig ? g_rand_int_range(g, 1, 3)
                                                     : g_rand_int_range(g, 0, 4);
        c.capacity = g_rand_int_range(g, 0, 3);
        if (g_rand_double(g) < sp->p_located) {
            c.x = g_rand_double_range(g, 0, sp->extent);
            c.y = g_rand_double_range(g, 0, sp->extent);
        }
        c.merit = (double)g_rand_int_range(g, 0, 8); /* ties on purpose */
        char wn[4][32];
        const char *w[4];
        int32_t nw = 0;
        if (sp->ns > 0 && g_rand_double(g) < sp->p_wish) {
            int32_t want = g_rand_int_range(g, 1, 5);
            for (int32_t q = 0; q < want; q++) {
                int32_t o = g_rand_int_range(g, 0, sp->ns);
                g_snprintf(wn[nw], sizeof wn[nw], "s%d", o);
                gboolean dup = FALSE; /* the profile refuses a name twice */
                for (int32_t z = 0; z < nw; z++)
                    dup |= strcmp(wn[z], wn[nw]) == 0;
                if (!dup) {
                    w[nw] = wn[nw];
                    nw++;
                }
            }
        }
        c.ranked_sites = w;
        c.n_ranked_sites = nw;
        tr_add_c(p, &c);
    }
    for (int32_t i = 0; i < sp->ns; i++) {
        g_snprintf(name, sizeof name, "s%d", i);
        TmSite s = tr_site(name);
        s.tasks = g_rand_int_range(gt, 0, 3) == 0 ? 0u : (uint32_t)g_rand_int_range(gt, 0, 64);
        s.kind = g_rand_int_range(g, 0, 100) < (sp->mostly_eligible ? 92 : 75)
                     ? (TmSiteKind)g_rand_int_range(g, 0, 6)
                     : (TmSiteKind)g_rand_int_range(g, 0, 8);
        s.has_clinic = g_rand_boolean(g);
        s.sector = g_rand_int_range(g, 0, nsec);
        const char *nd[4];
        int32_t nn = g_rand_int_range(g, 0, 4);
        for (int32_t q = 0; q < nn; q++)
            nd[q] = tagname[g_rand_int_range(g, 0, ntag)];
        s.needs = nd;
        s.n_needs = nn;
        s.min_title = (TmTitle)g_rand_int_range(g, 0, 4);
        s.years = g_rand_int_range(g, 0, 3);
        s.capacity = g_rand_int_range(g, 0, 4);
        if (g_rand_double(g) < sp->p_located) {
            s.x = g_rand_double_range(g, 0, sp->extent);
            s.y = g_rand_double_range(g, 0, sp->extent);
        }
        char wn[4][32];
        const char *w[4];
        int32_t nw = 0;
        if (sp->nc > 0 && g_rand_double(g) < sp->p_wish) {
            int32_t want = g_rand_int_range(g, 1, 5);
            for (int32_t q = 0; q < want; q++) {
                int32_t o = g_rand_int_range(g, 0, sp->nc);
                g_snprintf(wn[nw], sizeof wn[nw], "c%d", o);
                gboolean dup = FALSE; /* the profile refuses a name twice */
                for (int32_t z = 0; z < nw; z++)
                    dup |= strcmp(wn[z], wn[nw]) == 0;
                if (!dup) {
                    w[nw] = wn[nw];
                    nw++;
                }
            }
        }
        s.ranked_commissioners = w;
        s.n_ranked_commissioners = nw;
        tr_add_s(p, &s);
    }
    g_rand_free(gt);
    g_rand_free(g);
    return p;
}

/* ---- oracle --------------------------------------------------------------- */

typedef struct {
    double score;
    int32_t id;
} RpItem;

static int rp_cmp(const void *a, const void *b)
{
    const RpItem *x = a, *y = b;
    if (x->score > y->score)
        return -1;
    if (x->score < y->score)
        return 1;
    return (x->id > y->id) - (x->id < y->id);
}

typedef struct {
    int32_t nc, ns;
    GArray **clist;   /* per commissioner: int32 ids */
    GArray **slist;   /* per site */
    int32_t *ccap, *scap;
} Oracle;

static inline void rp_oracle_free(Oracle *o)
{
    for (int32_t i = 0; i < o->nc; i++)
        g_array_free(o->clist[i], TRUE);
    for (int32_t i = 0; i < o->ns; i++)
        g_array_free(o->slist[i], TRUE);
    g_free(o->clist);
    g_free(o->slist);
    g_free(o->ccap);
    g_free(o->scap);
}

/* Resolved, deduplicated, acceptable wishes of agent @a on @side. */
static inline GArray *rp_wishes(const TmProgramme *p, const TmScreening *scr,
                                const TmRules *r, int side, int32_t a)
{
    GArray *w = g_array_new(FALSE, FALSE, sizeof(int32_t));
    const char *const *names;
    int32_t n;
    if (side == 0) {
        names = tm_programme_commissioner(p, a)->ranked_sites;
        n = tm_programme_commissioner(p, a)->n_ranked_sites;
    } else {
        names = tm_programme_site(p, a)->ranked_commissioners;
        n = tm_programme_site(p, a)->n_ranked_commissioners;
    }
    for (int32_t q = 0; q < n; q++) {
        int32_t o = side == 0 ? tm_programme_find_site(p, names[q])
                              : tm_programme_find_commissioner(p, names[q]);
        gboolean dup = FALSE;
        for (guint z = 0; z < w->len; z++)
            dup |= g_array_index(w, int32_t, z) == o;
        /* a repeated name is skipped whether or not the first was kept */
        for (int32_t z = 0; z < q && !dup; z++) {
            int32_t o2 = side == 0 ? tm_programme_find_site(p, names[z])
                                   : tm_programme_find_commissioner(p, names[z]);
            dup |= o2 == o;
        }
        if (dup)
            continue;
        int32_t c = side == 0 ? a : o, s = side == 0 ? o : a;
        if (tm_screening_is_eligible(scr, TM_SIDE_SUPPLY, c)
            && tm_screening_is_eligible(scr, TM_SIDE_DEMAND, s)
            && tm_rules_pair_reason(p, r, c, s) == NULL)
            g_array_append_val(w, o);
    }
    return w;
}

static inline gboolean rp_in(const GArray *a, int32_t x)
{
    for (guint i = 0; i < a->len; i++)
        if (g_array_index(a, int32_t, i) == x)
            return TRUE;
    return FALSE;
}

/* The lists the contract of preferences.h prescribes, by brute force over all
 * pairs: k = 0 exact; k > 0 exact top-k for commissioners and top-site_k for
 * sites (as if the candidate sets covered everything). */
static inline void rp_oracle(const TmProgramme *p, const TmRules *r, int32_t k, int32_t site_k,
                             Oracle *o)
{
    GError *err = NULL;
    TmScreening *scr = tm_programme_screen(p, r, &err);
    assert_no_error(err);
    TmScorer *sc = tm_scorer_new(p, r, &err);
    assert_no_error(err);
    int32_t nc = tm_programme_n_commissioners(p), ns = tm_programme_n_sites(p);
    o->nc = nc;
    o->ns = ns;
    o->clist = g_new0(GArray *, nc > 0 ? nc : 1);
    o->slist = g_new0(GArray *, ns > 0 ? ns : 1);
    o->ccap = g_new0(int32_t, nc > 0 ? nc : 1);
    o->scap = g_new0(int32_t, ns > 0 ? ns : 1);
    GArray **cw = g_new0(GArray *, nc > 0 ? nc : 1);
    GArray **sw = g_new0(GArray *, ns > 0 ? ns : 1);
    for (int32_t c = 0; c < nc; c++) {
        cw[c] = rp_wishes(p, scr, r, 0, c);
        o->ccap[c] = tm_screening_is_eligible(scr, TM_SIDE_SUPPLY, c)
                         ? tm_programme_commissioner(p, c)->capacity : 0;
    }
    for (int32_t s = 0; s < ns; s++) {
        sw[s] = rp_wishes(p, scr, r, 1, s);
        o->scap[s] = tm_screening_is_eligible(scr, TM_SIDE_DEMAND, s)
                         ? tm_programme_site(p, s)->capacity : 0;
    }
#define ACC(c, s)                                                                       \
    (tm_screening_is_eligible(scr, TM_SIDE_SUPPLY, (c))                                 \
     && tm_screening_is_eligible(scr, TM_SIDE_DEMAND, (s))                              \
     && tm_rules_pair_reason(p, r, (c), (s)) == NULL)
    /* site top-site_k choices */
    GArray **chosen_by = g_new0(GArray *, nc > 0 ? nc : 1); /* per c: sites forcing c */
    for (int32_t c = 0; c < nc; c++)
        chosen_by[c] = g_array_new(FALSE, FALSE, sizeof(int32_t));
    RpItem *buf = g_new(RpItem, (nc > ns ? nc : ns) + 1);
    for (int32_t s = 0; s < ns; s++) {
        for (guint q = 0; q < sw[s]->len; q++)
            g_array_append_val(chosen_by[g_array_index(sw[s], int32_t, q)], s);
        if (k == 0 || site_k == 0)
            continue;
        int32_t n = 0;
        for (int32_t c = 0; c < nc; c++)
            if (ACC(c, s) && !rp_in(sw[s], c)) {
                buf[n].score = tm_scorer_score(sc, TM_SIDE_DEMAND, c, s);
                buf[n++].id = c;
            }
        qsort(buf, (size_t)n, sizeof *buf, rp_cmp);
        for (int32_t q = 0; q < n && q < site_k; q++)
            g_array_append_val(chosen_by[buf[q].id], s);
    }
    for (int32_t c = 0; c < nc; c++) {
        GArray *l = g_array_new(FALSE, FALSE, sizeof(int32_t));
        g_array_append_vals(l, cw[c]->data, cw[c]->len);
        int32_t n = 0;
        if (tm_screening_is_eligible(scr, TM_SIDE_SUPPLY, c)) {
            for (int32_t s = 0; s < ns; s++)
                if (ACC(c, s) && !rp_in(cw[c], s)) {
                    buf[n].score = tm_scorer_score(sc, TM_SIDE_SUPPLY, c, s);
                    buf[n++].id = s;
                }
            qsort(buf, (size_t)n, sizeof *buf, rp_cmp);
            if (k > 0) {
                int32_t keep = n < k ? n : k;
                /* add the forced sites that were cut */
                for (guint q = 0; q < chosen_by[c]->len; q++) {
                    int32_t s = g_array_index(chosen_by[c], int32_t, q);
                    if (rp_in(cw[c], s))
                        continue;
                    for (int32_t z = keep; z < n; z++)
                        if (buf[z].id == s) {
                            RpItem t = buf[keep];
                            buf[keep] = buf[z];
                            buf[z] = t;
                            keep++;
                            break;
                        }
                }
                n = keep;
                qsort(buf, (size_t)n, sizeof *buf, rp_cmp);
            }
        }
        for (int32_t q = 0; q < n; q++)
            g_array_append_val(l, buf[q].id);
        o->clist[c] = l;
    }
    /* site lists: the transpose, wishes first, then by site score */
    for (int32_t s = 0; s < ns; s++) {
        GArray *l = g_array_new(FALSE, FALSE, sizeof(int32_t));
        GArray *listed = g_array_new(FALSE, FALSE, sizeof(int32_t));
        for (int32_t c = 0; c < nc; c++)
            if (rp_in(o->clist[c], s))
                g_array_append_val(listed, c);
        for (guint q = 0; q < sw[s]->len; q++) {
            int32_t c = g_array_index(sw[s], int32_t, q);
            assert_true(rp_in(listed, c));
            g_array_append_val(l, c);
        }
        int32_t n = 0;
        for (guint q = 0; q < listed->len; q++) {
            int32_t c = g_array_index(listed, int32_t, q);
            if (rp_in(sw[s], c))
                continue;
            buf[n].score = tm_scorer_score(sc, TM_SIDE_DEMAND, c, s);
            buf[n++].id = c;
        }
        qsort(buf, (size_t)n, sizeof *buf, rp_cmp);
        for (int32_t q = 0; q < n; q++)
            g_array_append_val(l, buf[q].id);
        g_array_free(listed, TRUE);
        o->slist[s] = l;
    }
#undef ACC
    g_free(buf);
    for (int32_t c = 0; c < nc; c++) {
        g_array_free(cw[c], TRUE);
        g_array_free(chosen_by[c], TRUE);
    }
    for (int32_t s = 0; s < ns; s++)
        g_array_free(sw[s], TRUE);
    g_free(cw);
    g_free(sw);
    g_free(chosen_by);
    tm_scorer_free(sc);
    tm_screening_free(scr);
}

/* Asserts that @m has exactly the oracle's lists and capacities. */
static inline void rp_expect_market(const TmMarket *m, const Oracle *o, const char *what)
{
    assert_int_equal(tm_market_size(m, TM_SIDE_SUPPLY), o->nc);
    assert_int_equal(tm_market_size(m, TM_SIDE_DEMAND), o->ns);
    assert_true(tm_market_n_dropped(m, TM_SIDE_SUPPLY) == 0);
    assert_true(tm_market_n_dropped(m, TM_SIDE_DEMAND) == 0);
    for (int side = 0; side < 2; side++) {
        int32_t n = side == 0 ? o->nc : o->ns;
        for (int32_t a = 0; a < n; a++) {
            const GArray *want = side == 0 ? o->clist[a] : o->slist[a];
            int32_t cap = side == 0 ? o->ccap[a] : o->scap[a];
            if (tm_market_capacity(m, (TmSide)side, a) != cap) {
                print_error("%s: side %d agent %d capacity %d, want %d\n", what, side, a,
                            tm_market_capacity(m, (TmSide)side, a), cap);
                fail();
            }
            int32_t len = 0;
            const int32_t *l = tm_market_prefs(m, (TmSide)side, a, &len);
            gboolean same = len == (int32_t)want->len;
            for (int32_t i = 0; same && i < len; i++)
                same = l[i] == g_array_index(want, int32_t, i);
            if (!same) {
                print_error("%s: side %d agent %d list differs (len %d, want %u)\n  got :",
                            what, side, a, len, want->len);
                for (int32_t i = 0; i < len; i++)
                    print_error(" %d", l[i]);
                print_error("\n  want:");
                for (guint i = 0; i < want->len; i++)
                    print_error(" %d", g_array_index(want, int32_t, i));
                print_error("\n");
                fail();
            }
        }
    }
}

#endif /* TM_RANDOM_PROGRAMME_H */
