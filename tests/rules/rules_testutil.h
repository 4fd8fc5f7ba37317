/* Helpers specific to the rules/preferences tests (cmocka); the common
 * assertions come from tests/common/testutil.h. */
#ifndef TM_RULES_TESTUTIL_H
#define TM_RULES_TESTUTIL_H

#include "testutil.h" /* tests/common: assert_tm_error, assert_no_error */

#include <string.h>

#include <techmatch/profile.h>
#include <techmatch/rules.h>
#include <techmatch/preferences.h>

/* An eligible commissioner under the default rules: senior, university,
 * supported, 2 years, capacity 1, no location, no expertise (add some or a
 * wish to pass C_DIRECTION). */
static inline TmCommissioner tr_comm(const char *name)
{
    TmCommissioner c;
    memset(&c, 0, sizeof c);
    c.name = name;
    c.team_size = 1;
    c.title = TM_TITLE_SENIOR;
    c.unit_kind = TM_UNIT_UNIVERSITY;
    c.unit_support = TRUE;
    c.years = 2;
    c.capacity = 1;
    c.x = TM_NO_LOCATION;
    c.y = TM_NO_LOCATION;
    return c;
}

/* An eligible site: high_tech, sector 0, min_title none, 1 year, capacity 1. */
static inline TmSite tr_site(const char *name)
{
    TmSite s;
    memset(&s, 0, sizeof s);
    s.name = name;
    s.kind = TM_SITE_HIGH_TECH;
    s.sector = 0;
    s.min_title = TM_TITLE_NONE;
    s.years = 1;
    s.capacity = 1;
    s.x = TM_NO_LOCATION;
    s.y = TM_NO_LOCATION;
    return s;
}

static inline int32_t tr_add_c(TmProgramme *p, const TmCommissioner *c)
{
    GError *err = NULL;
    int32_t id = tm_programme_add_commissioner(p, c, &err);
    assert_no_error(err);
    assert_true(id >= 0);
    return id;
}

static inline int32_t tr_add_s(TmProgramme *p, const TmSite *s)
{
    GError *err = NULL;
    int32_t id = tm_programme_add_site(p, s, &err);
    assert_no_error(err);
    assert_true(id >= 0);
    return id;
}

/* Asserts that agent @a on @side lists exactly @want (n entries). */
static inline void tr_expect_list(const TmMarket *m, TmSide side, int32_t a,
                                  const int32_t *want, int32_t n)
{
    int32_t len = -1;
    const int32_t *l = tm_market_prefs(m, side, a, &len);
    if (len != n) {
        print_error("side %d agent %d: list length %d, want %d\n", (int)side, a, len, n);
        fail();
    }
    for (int32_t i = 0; i < n; i++) {
        if (l[i] != want[i]) {
            print_error("side %d agent %d: entry %d is %d, want %d\n", (int)side, a, i, l[i],
                        want[i]);
            fail();
        }
    }
}

#endif /* TM_RULES_TESTUTIL_H */
