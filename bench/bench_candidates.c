/* tm_bench_candidates — preference building on a large synthetic programme.
 *
 * Generates a programme of --commissioners N commissioners and --sites M
 * service sites over the default six sectors (all randomness from --seed),
 * screens it with the default rules, builds the market with top-k candidate
 * generation (tm_programme_build_market(), k = --k), then solves it with
 * supply-proposing deferred acceptance.  Prints the time of each phase, the
 * list sizes, the peak resident memory and, with --recall S, the recall of
 * the exact top-k (brute force over all sites) on S sampled commissioners.
 *
 * The synthetic world (defaults):
 *   tags      --tags 30 tags "t00".."t29"; each sector favours a window of 10
 *             (70 % of draws), the rest uniform
 *   commissioners  1-2 sectors of expertise (level 1-3), 2-4 skills; title
 *             90 % intermediate/senior; unit 92 % university/institute/public;
 *             support 97 %; years 1-2 (3 % offer 3: ineligible); capacity 1;
 *             merit U(0,100); location U([0,G]^2) on a --grid G km square
 *             (5 % unknown); 1 % name 1-2 wished sites
 *   sites     kind uniform over the 7 eligible kinds (2 % `other`), 80 % of
 *             communities run a clinic; one sector; 1-3 needs; min title none
 *             60 % / intermediate 25 % / senior 15 %; years 1 (70 %) or 2;
 *             capacity --site-capacity 10; location as above; 1 % wish 1-3
 *             commissioners
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <techmatch/techmatch.h>
#include <techmatch/profile.h>
#include <techmatch/rules.h>
#include <techmatch/preferences.h>

typedef struct {
    int64_t nc, ns, k, site_k, tags, site_capacity, recall, site_recall;
    int dump_hash;
    int64_t budget, site_budget, threads;
    double grid;
    uint64_t seed;
    int check;
} Options;

static void usage(FILE *f)
{
    fputs("usage: tm_bench_candidates [options]\n"
          "  --commissioners N   commissioners (default 1000000)\n"
          "  --sites M           service sites (default 100000)\n"
          "  --k K               top-k per commissioner (default 50; 0 = all pairs, exact)\n"
          "  --site-k K          top-k chosen by each site (default: same as k)\n"
          "  --budget B          partners examined per commissioner search (default 20 k)\n"
          "  --site-budget B     partners examined per site search (default 200 site_k)\n"
          "  --threads T         worker threads (default: one per processor)\n"
          "  --tags T            tag vocabulary size (default 30)\n"
          "  --grid G            side of the square map in km (default 40)\n"
          "  --site-capacity C   capacity of every site (default 10)\n"
          "  --recall S          measure recall of the exact top-k on S commissioners\n"
          "  --site-recall S     check the exact top-site_k of S sites is in their lists\n"
          "  --dump-hash         print a hash of all lists of both sides\n"
          "  --check             verify the matching is stable\n"
          "  --seed SEED         random seed (default 20110101)\n",
          f);
}

static int64_t parse_int(const char *opt, const char *s, int64_t lo, int64_t hi)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "tm_bench_candidates: bad value '%s' for %s\n", s, opt);
        exit(2);
    }
    return v;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double peak_rss_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* Linux: KiB */
}

/* xoshiro-like small generator (splitmix64) */
static uint64_t rnd_state;
static uint64_t rnd(void)
{
    uint64_t z = (rnd_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}
static double urand(void)
{
    return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}
static int32_t irand(int32_t n)
{
    return (int32_t)(rnd() % (uint64_t)n);
}

static int32_t draw_tag(int32_t sector, int32_t n_tags)
{
    if (urand() < 0.7) {
        int32_t w = n_tags < 10 ? n_tags : 10;
        return (sector * 5 + irand(w)) % n_tags;
    }
    return irand(n_tags);
}

/* Phase boundaries reported through the progress callback (preferences.h
 * build: 0.15 after the site-side searches, 0.75 after the commissioner
 * lists, 0.95 after sorting the site lists, 1 when the market is built). */
typedef struct {
    double t0, at[4];
} Phases;

static void on_progress(double f, gpointer data)
{
    Phases *ph = data;
    static const double marks[4] = { 0.15, 0.75, 0.95, 1.0 };
    for (int i = 0; i < 4; i++)
        if (f >= marks[i] && ph->at[i] == 0)
            ph->at[i] = now() - ph->t0;
}

static void die(GError *err, const char *what)
{
    fprintf(stderr, "tm_bench_candidates: %s: %s\n", what, err ? err->message : "failed");
    exit(1);
}

typedef struct {
    double score;
    int32_t id;
} Item;

static int item_cmp(const void *a, const void *b)
{
    const Item *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* The build statistics as plain fields. */
typedef struct {
    int32_t k, site_k, threads;
    int64_t candidates_scored, candidates_examined, supply_entries, forced_entries;
    int64_t wishes_kept, wishes_dropped, exact_agents, budget_agents;
} Stats;

static Stats read_stats(const TmPrefsStats *s)
{
    Stats st;
    st.k = (int32_t)tm_prefs_stats_get(s, TM_PREFS_STAT_K);
    st.site_k = (int32_t)tm_prefs_stats_get(s, TM_PREFS_STAT_SITE_K);
    st.threads = (int32_t)tm_prefs_stats_get(s, TM_PREFS_STAT_THREADS);
    st.candidates_scored = tm_prefs_stats_get(s, TM_PREFS_STAT_CANDIDATES_SCORED);
    st.candidates_examined = tm_prefs_stats_get(s, TM_PREFS_STAT_CANDIDATES_EXAMINED);
    st.supply_entries = tm_prefs_stats_get(s, TM_PREFS_STAT_SUPPLY_ENTRIES);
    st.forced_entries = tm_prefs_stats_get(s, TM_PREFS_STAT_FORCED_ENTRIES);
    st.wishes_kept = tm_prefs_stats_get(s, TM_PREFS_STAT_WISHES_KEPT);
    st.wishes_dropped = tm_prefs_stats_get(s, TM_PREFS_STAT_WISHES_DROPPED);
    st.exact_agents = tm_prefs_stats_get(s, TM_PREFS_STAT_EXACT_AGENTS);
    st.budget_agents = tm_prefs_stats_get(s, TM_PREFS_STAT_BUDGET_AGENTS);
    return st;
}

static uint64_t fnv(uint64_t h, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        h ^= (v >> (8 * i)) & 0xffu;
        h *= UINT64_C(1099511628211);
    }
    return h;
}

/* Recall against the brute force on sampled agents, on worker threads. */
typedef struct {
    const TmProgramme *p;
    const TmRules *rules;
    const TmScreening *scr;
    const TmMarket *m;
    TmScorer *sc;
    int32_t k, n, side;
    int32_t *agents;
    gint next;
    GMutex lock;
    int64_t hit, score_hit, total, same, same_scores;
} Recall;

/* Commissioner @c: its list's first k against the exact top-k (ids, scores
 * rank by rank, whole list equal, equal up to ties). */
static void recall_commissioner(Recall *rc, int32_t c, Item *buf, int64_t *acc)
{
    int32_t n = 0, ns = tm_programme_n_sites(rc->p);
    for (int32_t s = 0; s < ns; s++) {
        if (!tm_screening_is_eligible(rc->scr, TM_SIDE_DEMAND, s)
            || tm_rules_pair_reason(rc->p, rc->rules, c, s) != NULL)
            continue;
        buf[n].score = tm_scorer_score(rc->sc, TM_SIDE_SUPPLY, c, s);
        buf[n++].id = s;
    }
    qsort(buf, (size_t)n, sizeof *buf, item_cmp);
    int32_t len;
    const int32_t *l = tm_market_prefs(rc->m, TM_SIDE_SUPPLY, c, &len);
    int same = 1, same_scores = 1;
    for (int32_t z = 0; z < n && z < rc->k; z++) {
        acc[2]++;
        for (int32_t y = 0; y < len; y++)
            if (l[y] == buf[z].id) {
                acc[0]++;
                break;
            }
        /* the z-th best score found equals the z-th best score there is */
        if (z < len && tm_scorer_score(rc->sc, TM_SIDE_SUPPLY, c, l[z]) == buf[z].score)
            acc[1]++;
        else
            same_scores = 0;
        if (z >= len || l[z] != buf[z].id)
            same = 0;
    }
    acc[3] += same;
    acc[4] += same_scores;
}

/* Site @s: its exact top-site_k commissioners are all in its list. */
static void recall_site(Recall *rc, int32_t s, Item *buf, int64_t *acc)
{
    int32_t n = 0, nc = tm_programme_n_commissioners(rc->p);
    for (int32_t c = 0; c < nc; c++) {
        if (!tm_screening_is_eligible(rc->scr, TM_SIDE_SUPPLY, c)
            || tm_rules_pair_reason(rc->p, rc->rules, c, s) != NULL)
            continue;
        buf[n].score = tm_scorer_score(rc->sc, TM_SIDE_DEMAND, c, s);
        buf[n++].id = c;
    }
    qsort(buf, (size_t)n, sizeof *buf, item_cmp);
    int all = 1;
    for (int32_t z = 0; z < n && z < rc->k; z++) {
        acc[2]++;
        if (tm_market_rank(rc->m, TM_SIDE_DEMAND, s, buf[z].id) >= 0)
            acc[0]++;
        else
            all = 0;
    }
    acc[3] += all;
}

static gpointer recall_worker(gpointer data)
{
    Recall *rc = data;
    int32_t other = rc->side == 0 ? tm_programme_n_sites(rc->p)
                                  : tm_programme_n_commissioners(rc->p);
    Item *buf = malloc(sizeof(Item) * ((size_t)other + 1));
    int64_t acc[5] = { 0, 0, 0, 0, 0 };
    for (;;) {
        int32_t i = g_atomic_int_add(&rc->next, 1);
        if (i >= rc->n)
            break;
        if (rc->side == 0)
            recall_commissioner(rc, rc->agents[i], buf, acc);
        else
            recall_site(rc, rc->agents[i], buf, acc);
    }
    free(buf);
    g_mutex_lock(&rc->lock);
    rc->hit += acc[0];
    rc->score_hit += acc[1];
    rc->total += acc[2];
    rc->same += acc[3];
    rc->same_scores += acc[4];
    g_mutex_unlock(&rc->lock);
    return NULL;
}

static void run_recall(Recall *rc, int threads, int side)
{
    GThread *th[64];
    int T = threads < 1 ? 1 : (threads > 64 ? 64 : threads);
    rc->side = side;
    g_mutex_init(&rc->lock);
    for (int t = 1; t < T; t++)
        th[t] = g_thread_new("recall", recall_worker, rc);
    recall_worker(rc);
    for (int t = 1; t < T; t++)
        g_thread_join(th[t]);
    g_mutex_clear(&rc->lock);
}

int main(int argc, char **argv)
{
    Options o = { 1000000, 100000, 50, -1, 30, 10, 0, 0, 0, 0, 0, 0, 40.0, 20110101, 0 };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(name) (strcmp(a, name) == 0 && v && ++i)
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--check") == 0) {
            o.check = 1;
        } else if (strcmp(a, "--dump-hash") == 0) {
            o.dump_hash = 1;
        } else if (OPT("--site-recall")) {
            o.site_recall = parse_int(a, v, 0, INT32_MAX);
        } else if (OPT("--commissioners")) {
            o.nc = parse_int(a, v, 0, INT32_MAX);
        } else if (OPT("--sites")) {
            o.ns = parse_int(a, v, 0, INT32_MAX);
        } else if (OPT("--k")) {
            o.k = parse_int(a, v, 0, INT32_MAX);
        } else if (OPT("--site-k")) {
            o.site_k = parse_int(a, v, 0, INT32_MAX);
        } else if (OPT("--budget")) {
            o.budget = parse_int(a, v, 0, INT32_MAX);
        } else if (OPT("--site-budget")) {
            o.site_budget = parse_int(a, v, 0, INT32_MAX);
        } else if (OPT("--threads")) {
            o.threads = parse_int(a, v, 0, 64);
        } else if (OPT("--tags")) {
            o.tags = parse_int(a, v, 1, 100000);
        } else if (OPT("--grid")) {
            o.grid = (double)parse_int(a, v, 1, 100000);
        } else if (OPT("--site-capacity")) {
            o.site_capacity = parse_int(a, v, 0, INT32_MAX);
        } else if (OPT("--recall")) {
            o.recall = parse_int(a, v, 0, INT32_MAX);
        } else if (OPT("--seed")) {
            o.seed = (uint64_t)parse_int(a, v, 0, INT64_MAX);
        } else {
            usage(stderr);
            return 2;
        }
#undef OPT
    }
    rnd_state = o.seed;
    GError *err = NULL;

    /* ---- generation ---- */
    double t0 = now();
    TmProgramme *p = tm_programme_new(NULL);
    int32_t nsec = tm_taxonomy_n_sectors(tm_programme_taxonomy(p));
    char **tag = malloc(sizeof(char *) * (size_t)o.tags);
    for (int64_t t = 0; t < o.tags; t++) {
        tag[t] = malloc(16);
        snprintf(tag[t], 16, "t%02d", (int)t);
    }
    char name[32];
    for (int64_t i = 0; i < o.nc; i++) {
        TmCommissioner c;
        memset(&c, 0, sizeof c);
        snprintf(name, sizeof name, "c%07" PRId64, i);
        c.name = name;
        c.team_size = 1;
        c.title = urand() < 0.9 ? (TmTitle)(2 + irand(2)) : (TmTitle)irand(2);
        c.unit_kind = urand() < 0.92 ? (TmUnitKind)irand(3) : (TmUnitKind)(3 + irand(2));
        c.unit_support = urand() < 0.97;
        TmExpertise ex[2];
        int32_t nex = 1 + (urand() < 0.5);
        ex[0].sector = irand(nsec);
        ex[0].level = 1 + irand(3);
        if (nex == 2) {
            ex[1].sector = (ex[0].sector + 1 + irand(nsec - 1)) % nsec;
            ex[1].level = 1 + irand(3);
        }
        c.expertise = ex;
        c.n_expertise = nex;
        const char *sk[4];
        int32_t nsk = 2 + irand(3);
        for (int32_t q = 0; q < nsk; q++)
            sk[q] = tag[draw_tag(ex[irand(nex)].sector, (int32_t)o.tags)];
        c.skills = sk;
        c.n_skills = nsk;
        c.years = urand() < 0.97 ? 1 + irand(2) : 3;
        c.capacity = 1;
        if (urand() < 0.95) {
            c.x = urand() * o.grid;
            c.y = urand() * o.grid;
        } else {
            c.x = c.y = TM_NO_LOCATION;
        }
        c.merit = 100.0 * urand();
        char wn[2][32];
        const char *w[2];
        int32_t nw = 0;
        if (o.ns > 1 && urand() < 0.01) {
            int32_t a = irand((int32_t)o.ns), b = (a + 1 + irand((int32_t)o.ns - 1)) % (int32_t)o.ns;
            snprintf(wn[0], sizeof wn[0], "s%06d", a);
            snprintf(wn[1], sizeof wn[1], "s%06d", b);
            w[0] = wn[0];
            w[1] = wn[1];
            nw = 1 + irand(2);
        }
        c.ranked_sites = w;
        c.n_ranked_sites = nw;
        if (tm_programme_add_commissioner(p, &c, &err) < 0)
            die(err, "add commissioner");
    }
    for (int64_t i = 0; i < o.ns; i++) {
        TmSite s;
        memset(&s, 0, sizeof s);
        snprintf(name, sizeof name, "s%06" PRId64, i);
        s.name = name;
        s.kind = urand() < 0.98 ? (TmSiteKind)irand(7) : TM_SITE_OTHER;
        s.has_clinic = urand() < 0.8;
        s.sector = irand(nsec);
        const char *nd[3];
        int32_t nn = 1 + irand(3);
        for (int32_t q = 0; q < nn; q++)
            nd[q] = tag[draw_tag(s.sector, (int32_t)o.tags)];
        s.needs = nd;
        s.n_needs = nn;
        double u = urand();
        s.min_title = u < 0.6 ? TM_TITLE_NONE : (u < 0.85 ? TM_TITLE_INTERMEDIATE : TM_TITLE_SENIOR);
        s.years = urand() < 0.7 ? 1 : 2;
        s.capacity = (int32_t)o.site_capacity;
        if (urand() < 0.95) {
            s.x = urand() * o.grid;
            s.y = urand() * o.grid;
        } else {
            s.x = s.y = TM_NO_LOCATION;
        }
        char wn[3][32];
        const char *w[3];
        int32_t nw = 0;
        if (o.nc > 3 && urand() < 0.01) {
            int32_t want = 1 + irand(3);
            int32_t base = irand((int32_t)o.nc - 3);
            for (int32_t q = 0; q < want; q++) {
                snprintf(wn[q], sizeof wn[q], "c%07d", base + q);
                w[q] = wn[q];
            }
            nw = want;
        }
        s.ranked_commissioners = w;
        s.n_ranked_commissioners = nw;
        if (tm_programme_add_site(p, &s, &err) < 0)
            die(err, "add site");
    }
    double t_gen = now() - t0;
    double rss_gen = peak_rss_mib();

    /* ---- screening ---- */
    TmRules *rules = tm_rules_new_default();
    TmCandidateParams cp;
    tm_rules_get_candidates(rules, &cp);
    cp.k = (int32_t)o.k;
    cp.site_k = (int32_t)o.site_k;
    cp.budget = (int32_t)o.budget;
    cp.site_budget = (int32_t)o.site_budget;
    if (!tm_rules_set_candidates(rules, &cp, &err))
        die(err, "candidate settings");
    t0 = now();
    TmScreening *scr = tm_programme_screen(p, rules, &err);
    if (!scr)
        die(err, "screen");
    double t_screen = now() - t0;

    /* ---- market ---- */
    TmPrefsStats *pst = tm_prefs_stats_new();
    TmPrefsOptions *po = tm_prefs_options_new();
    if (!tm_prefs_options_set_n_threads(po, (int32_t)o.threads, &err))
        die(err, "options");
    Phases ph = { 0, { 0, 0, 0, 0 } };
    tm_prefs_options_set_progress(po, on_progress, &ph, NULL);
    t0 = now();
    ph.t0 = t0;
    TmMarket *m = tm_programme_build_market(p, rules, scr, po, pst, &err);
    if (!m)
        die(err, "build market");
    tm_prefs_options_free(po);
    Stats st = read_stats(pst);
    tm_prefs_stats_free(pst);
    double t_build = now() - t0;
    double rss_build = peak_rss_mib();

    printf("programme      %" PRId64 " commissioners x %" PRId64 " sites, %" PRId64
           " tags, %d sectors, grid %.0f km, seed %" PRIu64 "\n",
           o.nc, o.ns, o.tags, nsec, o.grid, o.seed);
    printf("eligible       %d commissioners, %d sites\n",
           tm_screening_n_eligible(scr, TM_SIDE_SUPPLY), tm_screening_n_eligible(scr, TM_SIDE_DEMAND));
    printf("candidates     k %d, site_k %d, budget %d / site budget %d (0 = 20 k), %d threads\n",
           st.k, st.site_k, cp.budget, cp.site_budget, st.threads);
    printf("generation     %.2f s (peak RSS %.0f MiB)\n", t_gen, rss_gen);
    printf("screening      %.3f s\n", t_screen);
    printf("market build   %.2f s (flatten + indexes + site-side search %.2f, commissioner "
           "lists %.2f, site lists %.2f, CSR market %.2f)\n",
           t_build, ph.at[0], ph.at[1] - ph.at[0], ph.at[2] - ph.at[1], ph.at[3] - ph.at[2]);
    printf("scored         %" PRId64 " candidate scores, %" PRId64 " candidates examined by "
           "the searches (%.1f scores per eligible commissioner)\n",
           st.candidates_scored, st.candidates_examined,
           (double)st.candidates_scored / (double)(tm_screening_n_eligible(scr, TM_SIDE_SUPPLY) + 1e-9));
    printf("list length    %" PRId64 " entries per side (%" PRId64 " forced by sites, %" PRId64
           " wishes kept, %" PRId64 " dropped); market pairs %" PRId64 "\n",
           st.supply_entries, st.forced_entries, st.wishes_kept, st.wishes_dropped,
           tm_market_n_pairs(m));
    printf("searches       %" PRId64 " ended certified exact, %" PRId64 " on the budget\n",
           st.exact_agents, st.budget_agents);
    printf("peak RSS       %.0f MiB after build\n", rss_build);
    fflush(stdout);

    if (o.dump_hash) {
        uint64_t h[2] = { UINT64_C(1469598103934665603), UINT64_C(1469598103934665603) };
        for (int side = 0; side < 2; side++)
            for (int32_t i = 0; i < tm_market_size(m, (TmSide)side); i++) {
                int32_t len;
                const int32_t *l = tm_market_prefs(m, (TmSide)side, i, &len);
                h[side] = fnv(h[side], (uint32_t)len);
                for (int32_t y = 0; y < len; y++)
                    h[side] = fnv(h[side], (uint32_t)l[y]);
            }
        printf("lists hash     commissioners %016" PRIx64 ", sites %016" PRIx64 "\n", h[0], h[1]);
    }

    /* ---- recall of the exact top-k on a sample ---- */
    if (o.recall > 0 && st.k > 0) {
        Recall rc;
        memset(&rc, 0, sizeof rc);
        rc.p = p;
        rc.rules = rules;
        rc.scr = scr;
        rc.m = m;
        rc.k = st.k;
        rc.sc = tm_scorer_new(p, rules, &err);
        rc.agents = malloc(sizeof(int32_t) * (size_t)o.recall);
        for (int64_t q = 0; rc.n < o.recall && q < 100 * o.recall; q++) {
            int32_t c = irand((int32_t)o.nc);
            if (!tm_screening_is_eligible(scr, TM_SIDE_SUPPLY, c)
                || tm_programme_commissioner(p, c)->n_ranked_sites > 0)
                continue; /* keep it simple: no wishes */
            rc.agents[rc.n++] = c;
        }
        t0 = now();
        run_recall(&rc, st.threads, 0);
        printf("recall         %.4f of the exact top-%d sites (ids), %.4f of its scores "
               "(rank by rank), on %d commissioners (%.2f s): lists equal to the brute "
               "force %" PRId64 ", equal up to ties %" PRId64 "\n",
               rc.total ? (double)rc.hit / (double)rc.total : 1.0, st.k,
               rc.total ? (double)rc.score_hit / (double)rc.total : 1.0, rc.n, now() - t0,
               rc.same, rc.same_scores);
        free(rc.agents);
        tm_scorer_free(rc.sc);
    }
    if (o.site_recall > 0 && st.site_k > 0) {
        Recall rc;
        memset(&rc, 0, sizeof rc);
        rc.p = p;
        rc.rules = rules;
        rc.scr = scr;
        rc.m = m;
        rc.k = st.site_k;
        rc.sc = tm_scorer_new(p, rules, &err);
        rc.agents = malloc(sizeof(int32_t) * (size_t)o.site_recall);
        for (int64_t q = 0; rc.n < o.site_recall && q < 100 * o.site_recall; q++) {
            int32_t s = irand((int32_t)o.ns);
            if (!tm_screening_is_eligible(scr, TM_SIDE_DEMAND, s)
                || tm_programme_site(p, s)->n_ranked_commissioners > 0)
                continue;
            rc.agents[rc.n++] = s;
        }
        t0 = now();
        run_recall(&rc, st.threads, 1);
        printf("site recall    %.4f of the exact top-%d commissioners of %d sites are in "
               "their lists; %" PRId64 " sites have all (%.2f s)\n",
               rc.total ? (double)rc.hit / (double)rc.total : 1.0, st.site_k, rc.n,
               rc.same, now() - t0);
        free(rc.agents);
        tm_scorer_free(rc.sc);
    }

    /* ---- solve ---- */
    tm_screening_free(scr);
    t0 = now();
    TmMatching *mt = tm_solve(m, NULL, NULL, &err);
    if (!mt)
        die(err, "solve");
    double t_solve = now() - t0;
    TmMatchingStats ms;
    if (!tm_matching_get_stats(mt, &ms, &err))
        die(err, "stats");
    printf("solve (DA)     %.2f s, %" PRId64 " proposals, %" PRId64 " pairs; commissioners "
           "matched %d, mean rank %.2f; sites with a partner %d\n",
           t_solve, ms.proposals, ms.pairs, ms.side[TM_SIDE_SUPPLY].matched_agents,
           ms.side[TM_SIDE_SUPPLY].rank_mean, ms.side[TM_SIDE_DEMAND].matched_agents);
    if (o.check) {
        t0 = now();
        gboolean stable = tm_matching_is_stable(mt, &err);
        if (err)
            die(err, "check");
        printf("stable         %s (%.2f s)\n", stable ? "yes" : "NO", now() - t0);
        if (!stable)
            return 1;
    }
    printf("peak RSS       %.0f MiB total\n", peak_rss_mib());
    tm_matching_free(mt);
    tm_market_free(m);
    tm_rules_free(rules);
    tm_programme_free(p);
    for (int64_t t = 0; t < o.tags; t++)
        free(tag[t]);
    free(tag);
    return 0;
}
