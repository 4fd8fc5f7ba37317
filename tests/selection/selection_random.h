/* Random small programmes for the selection tests (public API only). */
#ifndef TM_TEST_SELECTION_RANDOM_H
#define TM_TEST_SELECTION_RANDOM_H

#include <stdint.h>
#include <glib.h>
#include <string.h>
#include <techmatch/profile.h>

static uint64_t rng = 0x243f6a8885a308d3ull;
static inline uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static const char *const TAGS[] = {"示范园区建设", "技术引进推广", "创新战略管理",
                                   "关键技术研发", "人才培训", "社区卫生服务"};

/* When set, agents also get random wishes (names of the other side) and a
 * random consent (TmConsent: mostly the default, some "named only"). */
static gboolean random_wishes_and_consent = FALSE;

static inline TmConsent random_consent(void)
{
    uint32_t r = rnd(6);
    return r < 3 ? TM_CONSENT_DEFAULT : r < 4 ? TM_CONSENT_OPEN : TM_CONSENT_NAMED_ONLY;
}

static inline TmProgramme *random_programme(int nc, int ns)
{
    char wish_buf[4][32];
    const char *wishes[4];
    TmProgramme *p = tm_programme_new(NULL);
    GError *err = NULL;
    for (int s = 0; s < ns; s++) {
        char name[32];
        g_snprintf(name, sizeof name, "site%d", s);
        const char *needs[2] = {TAGS[rnd(6)], TAGS[rnd(6)]};
        TmSite site = {0};
        site.name = name;
        site.kind = (TmSiteKind)rnd(7);
        site.sector = (int32_t)rnd(3);
        site.has_clinic = TRUE;
        site.needs = needs;
        site.n_needs = needs[0] == needs[1] ? 1 : 2;
        site.min_title = (TmTitle)rnd(3);
        site.years = 1 + (int32_t)rnd(2);
        site.capacity = (int32_t)rnd(3);
        site.x = rnd(20);
        site.y = rnd(20);
        if (random_wishes_and_consent) {
            int n = (int)rnd(3);
            for (int i = 0; i < n; i++) {
                g_snprintf(wish_buf[i], sizeof wish_buf[i], "comm%d", (int)rnd((uint32_t)nc));
                wishes[i] = wish_buf[i];
            }
            if (n == 2 && strcmp(wishes[0], wishes[1]) == 0)
                n = 1;
            site.ranked_commissioners = wishes;
            site.n_ranked_commissioners = n;
            site.consent = random_consent();
        }
        assert_int_equal(tm_programme_add_site(p, &site, &err), s);
    }
    for (int c = 0; c < nc; c++) {
        char name[32];
        g_snprintf(name, sizeof name, "comm%d", c);
        TmExpertise ex[2] = {{(int32_t)rnd(3), 1 + (int32_t)rnd(3)}, {0, 0}};
        int n_ex = 1;
        int32_t other = (ex[0].sector + 1 + (int32_t)rnd(2)) % 3;
        if (rnd(2)) {
            ex[1].sector = other;
            ex[1].level = 1 + (int32_t)rnd(3);
            n_ex = 2;
        }
        const char *skills[2] = {TAGS[rnd(6)], TAGS[rnd(6)]};
        TmCommissioner cm = {0};
        cm.name = name;
        cm.team_size = 1;
        cm.title = (TmTitle)(1 + rnd(3));
        cm.unit = "unit";
        cm.unit_kind = TM_UNIT_UNIVERSITY;
        cm.unit_support = TRUE;
        cm.expertise = ex;
        cm.n_expertise = n_ex;
        cm.skills = skills;
        cm.n_skills = skills[0] == skills[1] ? 1 : 2;
        cm.years = 1 + (int32_t)rnd(2);
        cm.capacity = rnd(4) == 0 ? 2 : 1;
        cm.x = rnd(20);
        cm.y = rnd(20);
        cm.merit = rnd(100);
        if (random_wishes_and_consent) {
            int n = (int)rnd(3);
            for (int i = 0; i < n; i++) {
                g_snprintf(wish_buf[i], sizeof wish_buf[i], "site%d", (int)rnd((uint32_t)ns));
                wishes[i] = wish_buf[i];
            }
            if (n == 2 && strcmp(wishes[0], wishes[1]) == 0)
                n = 1;
            cm.ranked_sites = wishes;
            cm.n_ranked_sites = n;
            cm.consent = random_consent();
        }
        assert_int_equal(tm_programme_add_commissioner(p, &cm, &err), c);
    }
    assert_null(err);
    return p;
}

#endif
