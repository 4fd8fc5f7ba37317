/* The selection rule (selection.h): admission in merit order under the quota
 * (people or assignments), sector caps and floors, with the leading group's
 * review decisions mixed in — against a brute-force oracle on thousands of
 * random small programmes (half of them with wishes and consent flags).
 *
 * The oracle (below) replays the rule as selection.h states it, with a
 * from-scratch deferred acceptance (round-robin proposals over plain arrays)
 * at every step instead of the library's incremental one with its undo log.
 * On top of agreeing with it, every result must have the properties an
 * officer can check, tested directly:
 *   P1 merit: nobody cut by the quota loses a seat to an applicant of lower
 *      merit whom that site ranks below him; without floors, nobody after the
 *      merit cutoff is sent at all (pinned pairs aside);
 *   P2 every considered applicant left without a place names the site and
 *      the person who outranked him there, and that is true;
 *   P3 the matching is stable among the admitted (each with the sectors open
 *      to it), by brute force over all pairs, and the library's certificate
 *      says so;
 *   P4 the quota and every cap hold; pins are kept, vetoes and exclusions
 *      obeyed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>
#include <glib.h>
#include <techmatch/techmatch.h>

#include "selection_random.h"

#define MC 16
#define MS 12
#define MK 6

typedef struct {
    int nc, ns, K;
    int len[MC], list[MC][MS]; /* c's sites, best first (the selection's market) */
    int srank[MS][MC];         /* rank s gives c, -1 = not listed */
    int ccap[MC], scap[MS];    /* the market's capacities */
    int sector[MS];
    double merit[MC];
    int pin[MC][MS], npin_c[MC], npin_s[MS];
    int unit;                  /* TmQuotaUnit */
    int Q, cap[MK], floor[MK];
} Prog;

typedef struct {
    int held[MC][MS];          /* 1 when c holds s (pins excluded) */
    int cnt_people, cnt_seats, sec_people[MK], sec_seats[MK];
} State;

/* Deferred acceptance from scratch: proposers in @in (with allowed sets). */
static void da(const Prog *p, const int *in, const uint8_t (*allowed)[MK], State *st)
{
    memset(st, 0, sizeof *st);
    int next[MC] = {0}, count[MC] = {0}, sheld[MS] = {0};
    gboolean changed = TRUE;
    while (changed) {
        changed = FALSE;
        for (int c = 0; c < p->nc; c++) {
            if (!in[c])
                continue;
            while (count[c] < p->ccap[c] - p->npin_c[c] && next[c] < p->len[c]) {
                int s = p->list[c][next[c]++];
                if (p->pin[c][s] || !allowed[c][p->sector[s]])
                    continue;
                changed = TRUE;
                if (sheld[s] < p->scap[s] - p->npin_s[s]) {
                    st->held[c][s] = 1;
                    sheld[s]++;
                    count[c]++;
                    continue;
                }
                int worst = -1;
                for (int w = 0; w < p->nc; w++)
                    if (st->held[w][s] && (worst < 0 || p->srank[s][w] > p->srank[s][worst]))
                        worst = w;
                if (worst >= 0 && p->srank[s][c] < p->srank[s][worst]) {
                    st->held[worst][s] = 0;
                    count[worst]--;
                    st->held[c][s] = 1;
                    count[c]++;
                }
            }
        }
    }
    for (int c = 0; c < p->nc; c++) {
        int any = p->npin_c[c] > 0 || count[c] > 0;
        st->cnt_people += any;
        st->cnt_seats += count[c] + p->npin_c[c];
        for (int k = 0; k < p->K; k++) {
            int here = 0;
            for (int s = 0; s < p->ns; s++)
                if (p->sector[s] == k && (st->held[c][s] || p->pin[c][s]))
                    here += st->held[c][s] + p->pin[c][s];
            st->sec_seats[k] += here;
            st->sec_people[k] += here > 0;
        }
    }
}

static int counted(const Prog *p, const State *st, int k)
{
    return p->unit == TM_QUOTA_PEOPLE ? st->sec_people[k] : st->sec_seats[k];
}

static int used(const Prog *p, const State *st)
{
    return p->unit == TM_QUOTA_PEOPLE ? st->cnt_people : st->cnt_seats;
}

typedef struct {
    State st;
    int status[MC];            /* 0 none, 1 admitted, 2 cut by quota, 3 cut by cap */
    uint8_t allowed[MC][MK];
    int order[MC], n_order, cutoff;
} Replay;

static int by_merit(const void *a, const void *b, void *data)
{
    const Prog *p = data;
    int x = *(const int *)a, y = *(const int *)b;
    if (p->merit[x] != p->merit[y])
        return p->merit[x] > p->merit[y] ? -1 : 1;
    return x - y;
}

static void replay(const Prog *p, Replay *r)
{
    memset(r, 0, sizeof *r);
    r->cutoff = -1;
    int floor[MK];
    for (int k = 0; k < p->K; k++) { /* a floor reserves at most what the sector holds */
        int seats = 0, pins = 0;
        for (int s = 0; s < p->ns; s++)
            if (p->sector[s] == k)
                seats += MAX(0, p->scap[s] - p->npin_s[s]);
        for (int c = 0; c < p->nc; c++) {
            int here = 0;
            for (int s = 0; s < p->ns; s++)
                here += p->pin[c][s] && p->sector[s] == k;
            pins += p->unit == TM_QUOTA_PEOPLE ? here > 0 : here;
        }
        floor[k] = MIN(p->floor[k], seats + pins);
    }
    for (int c = 0; c < p->nc; c++) {
        int free_list = 0;
        for (int i = 0; i < p->len[c]; i++)
            free_list += !p->pin[c][p->list[c][i]];
        if (p->ccap[c] - p->npin_c[c] > 0 && free_list > 0)
            r->order[r->n_order++] = c;
    }
    g_qsort_with_data(r->order, r->n_order, sizeof(int), by_merit, (gpointer)p);
    int in[MC] = {0};
    uint8_t closed[MK] = {0};
    State now;
    da(p, in, r->allowed, &now);
    int reserved_only = 0;
    for (int i = 0; i < r->n_order; i++) {
        int c = r->order[i];
        if (r->cutoff >= 0) {
            r->status[c] = 2;
            continue;
        }
        int any = 0;
        for (int k = 0; k < p->K; k++) {
            r->allowed[c][k] = !closed[k] && (!reserved_only || floor[k] > counted(p, &now, k));
            any |= r->allowed[c][k];
        }
        if (reserved_only && !any) {
            r->status[c] = 2;
            r->cutoff = c;
            continue;
        }
        in[c] = 1;
        for (;;) {
            State t;
            da(p, in, r->allowed, &t);
            int over = -1, changed = 0;
            for (int k = 0; k < p->K; k++)
                if (p->cap[k] >= 0 && counted(p, &t, k) > p->cap[k]) {
                    if (over < 0)
                        over = k;
                    if (r->allowed[c][k]) {
                        closed[k] = 1;
                        r->allowed[c][k] = 0;
                        changed = 1;
                    }
                }
            if (over >= 0) {
                if (changed)
                    continue;
                r->status[c] = 3;
                in[c] = 0;
                break;
            }
            int reserved = 0;
            for (int k = 0; k < p->K; k++)
                reserved += MAX(0, floor[k] - counted(p, &t, k));
            if (p->Q >= 0 && used(p, &t) + reserved > p->Q) {
                any = 0;
                if (!reserved_only)
                    for (int k = 0; k < p->K; k++) {
                        r->allowed[c][k] = r->allowed[c][k] && floor[k] > counted(p, &now, k);
                        any |= r->allowed[c][k];
                    }
                if (any) {
                    reserved_only = 1;
                    continue;
                }
                r->status[c] = 2;
                r->cutoff = c;
                in[c] = 0;
                break;
            }
            r->status[c] = 1;
            now = t;
            break;
        }
    }
    r->st = now;
}

/* ---- the test ------------------------------------------------------------ */

typedef struct {
    long programmes, with_limits, with_floors, with_review, people, cut_quota, cut_cap,
        outranked, pinned;
} Counts;

static void load_prog(Prog *o, TmSelection *sel, const TmProgramme *p, const TmQuota *q)
{
    memset(o, 0, sizeof *o);
    TmMarket *m = tm_selection_market(sel);
    o->nc = tm_programme_n_commissioners(p);
    o->ns = tm_programme_n_sites(p);
    o->K = tm_taxonomy_n_sectors(tm_programme_taxonomy(p));
    assert_true(o->K <= MK);
    for (int s = 0; s < o->ns; s++) {
        o->sector[s] = tm_programme_site(p, s)->sector;
        o->scap[s] = tm_market_capacity(m, TM_SIDE_DEMAND, s);
        for (int c = 0; c < o->nc; c++)
            o->srank[s][c] = tm_market_rank(m, TM_SIDE_DEMAND, s, c);
    }
    for (int c = 0; c < o->nc; c++) {
        int32_t len;
        const int32_t *l = tm_market_prefs(m, TM_SIDE_SUPPLY, c, &len);
        o->len[c] = len;
        for (int i = 0; i < len; i++)
            o->list[c][i] = l[i];
        o->ccap[c] = tm_market_capacity(m, TM_SIDE_SUPPLY, c);
        o->merit[c] = tm_programme_commissioner(p, c)->merit;
    }
    o->unit = tm_quota_unit(q);
    o->Q = tm_quota_total(q);
    for (int k = 0; k < o->K; k++) {
        o->cap[k] = -1;
        o->floor[k] = 0;
        tm_quota_sector(q, tm_taxonomy_code(tm_programme_taxonomy(p), k), &o->cap[k],
                        &o->floor[k]);
    }
}

static gboolean holds(const TmMatching *mt, int c, int s)
{
    int32_t n;
    const int32_t *ps = tm_matching_partners(mt, TM_SIDE_SUPPLY, c, &n);
    for (int j = 0; j < n; j++)
        if (ps[j] == s)
            return TRUE;
    return FALSE;
}

static void check_one(TmProgramme *p, const TmRules *rules, Counts *k)
{
    int nc = tm_programme_n_commissioners(p), ns = tm_programme_n_sites(p);
    TmQuota *q = tm_quota_new();
    assert_true(tm_quota_set_unit(q, rnd(3) == 0 ? TM_QUOTA_ASSIGNMENTS : TM_QUOTA_PEOPLE, NULL));
    int total = rnd(5) == 0 ? -1 : (int)rnd(7);
    assert_true(tm_quota_set_total(q, total, NULL));
    int limits = rnd(2), floors_sum = 0, any_floor = 0;
    for (int s = 0; limits && s < 3; s++) {
        if (rnd(2) == 0)
            continue;
        int cap = rnd(3) == 0 ? -1 : (int)rnd(4);
        int fl = (int)rnd(3);
        if (cap >= 0)
            fl = MIN(fl, cap);
        if (total >= 0 && floors_sum + fl > total)
            fl = 0;
        floors_sum += fl;
        any_floor |= fl > 0;
        assert_true(tm_quota_set_sector(q, tm_taxonomy_code(tm_programme_taxonomy(p), s), cap, fl,
                                        NULL));
    }
    /* the leading group's review, sometimes */
    TmReview *rv = NULL;
    int with_review = rnd(3) == 0;
    int pin[MC][MS] = {{0}}, veto[MC][MS] = {{0}}, excl_c[MC] = {0}, excl_s[MS] = {0};
    int npc[MC] = {0}, nps[MS] = {0}, adm_c[MC] = {0};
    if (with_review) {
        rv = tm_review_new();
        int n = 1 + (int)rnd(4);
        for (int i = 0; i < n; i++) {
            int c = (int)rnd((uint32_t)nc), s = (int)rnd((uint32_t)ns), kind = (int)rnd(4);
            const char *cn = tm_programme_commissioner(p, c)->name;
            const char *sn = tm_programme_site(p, s)->name;
            if (kind == TM_DECISION_PIN && !pin[c][s] && !veto[c][s] && !excl_c[c] && !excl_s[s]
                && npc[c] < tm_programme_commissioner(p, c)->capacity
                && nps[s] < tm_programme_site(p, s)->capacity && (total < 0 || npc[c] + 1 <= total)) {
                pin[c][s] = 1;
                npc[c]++;
                nps[s]++;
                assert_true(tm_review_add(rv, TM_DECISION_PIN, cn, sn, NULL, NULL, NULL) >= 0);
            } else if (kind == TM_DECISION_VETO && !pin[c][s]) {
                veto[c][s] = 1;
                assert_true(tm_review_add(rv, TM_DECISION_VETO, cn, sn, "no", NULL, NULL) >= 0);
            } else if (kind == TM_DECISION_EXCLUDE && rnd(2) && npc[c] == 0 && !adm_c[c]) {
                excl_c[c] = 1;
                assert_true(tm_review_add(rv, TM_DECISION_EXCLUDE, cn, NULL, NULL, NULL, NULL) >= 0);
            } else if (kind == TM_DECISION_EXCLUDE && nps[s] == 0) {
                excl_s[s] = 1;
                assert_true(tm_review_add(rv, TM_DECISION_EXCLUDE, NULL, sn, NULL, NULL, NULL) >= 0);
            } else if (kind == TM_DECISION_ADMIT && !excl_c[c]) {
                adm_c[c] = 1;
                assert_true(tm_review_add(rv, TM_DECISION_ADMIT, cn, NULL, NULL, NULL, NULL) >= 0);
            }
        }
    }
    TmSelectOptions *opt = tm_select_options_new();
    assert_true(tm_select_options_set_review(opt, rv, NULL));
    GError *err = NULL;
    TmSelection *sel = tm_programme_select(p, rules, q, opt, &err);
    if (sel == NULL) {
        /* pins beyond the quota or a cap are refused, and only those */
        assert_non_null(err);
        assert_true(err->code == TM_ERROR_INVALID_ARGUMENT);
        if (strstr(err->message, "pins") == NULL)
            fail_msg("refused: %s", err->message);
        g_clear_error(&err);
        goto done;
    }
    Prog o;
    load_prog(&o, sel, p, q);
    for (int c = 0; c < nc; c++)
        for (int s = 0; s < ns; s++)
            if (pin[c][s]) {
                o.pin[c][s] = 1;
                o.npin_c[c]++;
                o.npin_s[s]++;
            }
    Replay r;
    replay(&o, &r);
    const TmMatching *mt = tm_selection_matching(sel);
    /* the same matching, pins added */
    for (int c = 0; c < nc; c++)
        for (int s = 0; s < ns; s++) {
            gboolean want = r.st.held[c][s] || pin[c][s];
            if (want != holds(mt, c, s))
                fail_msg("pair %d-%d: oracle %d, library %d", c, s, want, holds(mt, c, s));
            if (veto[c][s] || excl_c[c] || excl_s[s]) {
                assert_false(holds(mt, c, s));
                assert_int_equal(tm_market_rank(tm_selection_market(sel), TM_SIDE_SUPPLY, c, s),
                                 -1);
            }
        }
    for (int c = 0; c < nc; c++)
        if (excl_c[c])
            assert_int_equal(tm_selection_outcome(sel, TM_SIDE_SUPPLY, c, NULL), TM_OUTCOME_REVIEW);
    /* the cutoff and the order */
    int32_t cut = -2;
    gboolean has_cut = tm_selection_merit_cutoff(sel, &cut, NULL);
    assert_int_equal(has_cut ? cut : -1, r.cutoff);
    for (int i = 0; i < r.n_order; i++)
        assert_int_equal(tm_selection_merit_position(sel, r.order[i]), i);
    /* P4: the quota and the caps */
    assert_int_equal(tm_selection_quota_used(sel), used(&o, &r.st));
    if (total >= 0)
        assert_true(used(&o, &r.st) <= total);
    for (int kk = 0; kk < o.K; kk++) {
        if (o.cap[kk] >= 0)
            assert_true(counted(&o, &r.st, kk) <= o.cap[kk]);
        assert_int_equal(tm_selection_sector_used(sel, kk), counted(&o, &r.st, kk));
    }
    assert_true(tm_verdict_is_stable(tm_selection_verdict(sel)));
    /* P3: stable among the admitted, each with its sectors */
    for (int c = 0; c < nc; c++) {
        if (r.status[c] != 1)
            continue;
        int mine = 0, worst_pos = -1;
        for (int i = 0; i < o.len[c]; i++)
            if (r.st.held[c][o.list[c][i]]) {
                mine++;
                worst_pos = i;
            }
        for (int i = 0; i < o.len[c]; i++) {
            int s = o.list[c][i];
            if (r.st.held[c][s] || pin[c][s] || !r.allowed[c][o.sector[s]])
                continue;
            if (mine >= o.ccap[c] - o.npin_c[c] && i > worst_pos)
                continue; /* c does not want s */
            int hs = 0, worst = -1;
            for (int w = 0; w < nc; w++)
                if (r.st.held[w][s]) {
                    hs++;
                    if (worst < 0 || o.srank[s][w] > o.srank[s][worst])
                        worst = w;
                }
            gboolean s_wants = hs < o.scap[s] - o.npin_s[s]
                               || (worst >= 0 && o.srank[s][c] < o.srank[s][worst]);
            if (s_wants)
                fail_msg("blocking pair among the admitted: comm%d - site%d", c, s);
        }
    }
    /* without a quota nobody is cut by it, and no reason speaks of one */
    for (int side = 0; total < 0 && side < 2; side++)
        for (int32_t i = 0; i < (side == 0 ? nc : ns); i++) {
            const char *detail;
            int oc = tm_selection_outcome(sel, side, i, &detail);
            if (oc == TM_OUTCOME_QUOTA)
                fail_msg("no quota, yet side %d agent %d cut: %s (status %d, pins %d)", side, i,
                         detail ? detail : "-", side == 0 ? r.status[i] : -1, with_review);
            if (detail != NULL && strstr(detail, "quota") != NULL)
                fail_msg("no quota, yet side %d agent %d: %s", side, i, detail);
        }
    /* P1 and P2 */
    for (int c = 0; c < nc; c++) {
        const char *detail;
        int oc = tm_selection_outcome(sel, TM_SIDE_SUPPLY, c, &detail);
        if (oc == TM_OUTCOME_QUOTA) {
            k->cut_quota++;
            for (int d = 0; d < nc; d++) {
                if (by_merit(&d, &c, &o) < 0)
                    continue; /* d comes first in merit order */
                for (int s = 0; s < ns; s++)
                    if (r.st.held[d][s] && o.srank[s][c] >= 0 && o.srank[s][c] < o.srank[s][d])
                        fail_msg("comm%d cut by the quota loses %d to lower-merit comm%d", c, s, d);
                if (!any_floor)
                    for (int s = 0; s < ns; s++)
                        assert_false(r.st.held[d][s]);
            }
        }
        if (oc == TM_OUTCOME_SECTOR_CAP)
            k->cut_cap++;
        if (oc == TM_OUTCOME_OUTRANKED || oc == TM_OUTCOME_PARTLY) {
            int32_t site, by;
            if (tm_selection_outranked_at(sel, c, &site, &by)) {
                k->outranked += oc == TM_OUTCOME_OUTRANKED;
                assert_true(holds(mt, by, site));
                assert_false(holds(mt, c, site));
                assert_true(o.srank[site][c] >= 0);
                assert_true(pin[by][site] || o.srank[site][by] < o.srank[site][c]);
                assert_non_null(detail);
                assert_non_null(strstr(detail, tm_programme_site(p, site)->name));
                assert_non_null(strstr(detail, tm_programme_commissioner(p, by)->name));
            } else {
                assert_true(oc == TM_OUTCOME_PARTLY || detail != NULL);
            }
        }
    }
    k->programmes++;
    k->with_limits += limits;
    k->with_floors += any_floor;
    k->with_review += with_review;
    k->people += tm_quota_unit(q) == TM_QUOTA_PEOPLE;
    for (int c = 0; c < nc; c++)
        k->pinned += npc[c];
    tm_selection_free(sel);
done:
    tm_select_options_free(opt);
    tm_review_free(rv);
    tm_quota_free(q);
}

static void test_against_oracle(void **state)
{
    (void)state;
    TmRules *rules = tm_rules_new_default();
    Counts k = {0};
    for (int round = 0; round < 3000; round++) {
        int nc = 2 + (int)rnd(MC - 2), ns = 2 + (int)rnd(MS - 2);
        random_wishes_and_consent = round % 2 == 1; /* wishes and consent flags in half */
        TmProgramme *p = random_programme(nc, ns);
        check_one(p, rules, &k);
        tm_programme_free(p);
    }
    print_message("admission oracle: %ld programmes (%ld with sector limits, %ld with floors, "
                  "%ld with review decisions, %ld pins, %ld counting people); outcomes: %ld cut "
                  "by the quota, %ld by a cap, %ld outranked with the site and the person\n",
                  k.programmes, k.with_limits, k.with_floors, k.with_review, k.pinned, k.people,
                  k.cut_quota, k.cut_cap, k.outranked);
    assert_true(k.programmes >= 2000);
    assert_true(k.with_floors > 200 && k.with_review > 300 && k.cut_quota > 500);
    assert_true(k.cut_cap > 20 && k.outranked > 200 && k.pinned > 100);
    tm_rules_free(rules);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_oracle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
