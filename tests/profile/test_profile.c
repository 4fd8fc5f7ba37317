/* Tests of include/techmatch/profile.h: taxonomy, vocabularies, the
 * programme store, tag interning and every error path. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>
#include <techmatch/profile.h>

#include "testutil.h" /* tests/common */

#define assert_err assert_tm_error
#define assert_ok assert_no_error

/* ---- taxonomy ----------------------------------------------------------- */

static void test_taxonomy_default(void **state)
{
    (void)state;
    TmTaxonomy *t = tm_taxonomy_new_default();
    assert_int_equal(tm_taxonomy_n_sectors(t), 6);
    const char *codes[] = {"eit", "culture", "food", "materials", "agri", "health"};
    const char *zh[] = {"电子信息", "文化创意", "食品加工", "新材料", "农业农村", "社区卫生"};
    for (int i = 0; i < 6; i++) {
        assert_string_equal(tm_taxonomy_code(t, i), codes[i]);
        assert_string_equal(tm_taxonomy_name_zh(t, i), zh[i]);
        assert_non_null(tm_taxonomy_name_en(t, i));
        assert_int_equal(tm_taxonomy_find(t, codes[i]), i);
        assert_int_equal(tm_taxonomy_find(t, zh[i]), i);
        assert_int_equal(tm_taxonomy_find(t, tm_taxonomy_name_en(t, i)), i);
    }
    assert_string_equal(tm_taxonomy_name_en(t, 0), "electronic information");
    assert_int_equal(tm_taxonomy_find(t, "  FOOD \t"), 2);
    assert_int_equal(tm_taxonomy_find(t, "Food Processing"), 2);
    assert_int_equal(tm_taxonomy_find(t, "\xe3\x80\x80新材料\xe3\x80\x80"), 3);
    assert_int_equal(tm_taxonomy_find(t, "steel"), -1);
    assert_int_equal(tm_taxonomy_find(t, ""), -1);
    assert_int_equal(tm_taxonomy_find(t, "   "), -1);
    assert_int_equal(tm_taxonomy_find(t, NULL), -1);
    assert_int_equal(tm_taxonomy_find(NULL, "eit"), -1);
    assert_null(tm_taxonomy_code(t, 6));
    assert_null(tm_taxonomy_code(t, -1));
    assert_null(tm_taxonomy_name_zh(t, 6));
    assert_null(tm_taxonomy_name_en(t, -1));
    assert_null(tm_taxonomy_code(NULL, 0));
    assert_int_equal(tm_taxonomy_n_sectors(NULL), 0);
    tm_taxonomy_free(t);
    tm_taxonomy_free(NULL);
}

static void test_taxonomy_add_and_copy(void **state)
{
    (void)state;
    GError *err = NULL;
    TmTaxonomy *t = tm_taxonomy_new();
    assert_int_equal(tm_taxonomy_n_sectors(t), 0);
    assert_int_equal(tm_taxonomy_add_sector(t, "bio-med_2", "生物医药", "Biomedicine", &err), 0);
    assert_ok(err);
    assert_int_equal(tm_taxonomy_add_sector(t, "x", NULL, "", &err), 1);
    assert_ok(err);
    assert_string_equal(tm_taxonomy_name_zh(t, 1), "x");
    assert_string_equal(tm_taxonomy_name_en(t, 1), "x");
    assert_int_equal(tm_taxonomy_find(t, "BIOMEDICINE"), 0);
    /* errors */
    assert_int_equal(tm_taxonomy_add_sector(t, "x", NULL, NULL, &err), -1);
    assert_err(err, TM_ERROR_DUPLICATE);
    assert_int_equal(tm_taxonomy_add_sector(t, "Upper", NULL, NULL, &err), -1);
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tm_taxonomy_add_sector(t, "", NULL, NULL, &err), -1);
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tm_taxonomy_add_sector(t, NULL, NULL, NULL, &err), -1);
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tm_taxonomy_add_sector(t, "a b", NULL, NULL, &err), -1);
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tm_taxonomy_add_sector(t, "\xff", NULL, NULL, &err), -1);
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tm_taxonomy_add_sector(t, "y", "\xc3\x28", NULL, &err), -1);
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tm_taxonomy_add_sector(NULL, "y", NULL, NULL, &err), -1);
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tm_taxonomy_add_sector(t, "z", NULL, NULL, NULL), 2); /* NULL error ok */
    assert_int_equal(tm_taxonomy_add_sector(t, "z", NULL, NULL, NULL), -1);
    assert_int_equal(tm_taxonomy_n_sectors(t), 3);
    /* a name shared by two sectors: the first wins; codes beat names */
    assert_int_equal(tm_taxonomy_add_sector(t, "w", "x2", "Biomedicine", &err), 3);
    assert_ok(err);
    assert_int_equal(tm_taxonomy_find(t, "biomedicine"), 0);
    assert_int_equal(tm_taxonomy_add_sector(t, "v", "z", NULL, &err), 4);
    assert_ok(err);
    assert_int_equal(tm_taxonomy_find(t, "z"), 2);

    TmTaxonomy *c = tm_taxonomy_copy(t);
    tm_taxonomy_free(t);
    assert_int_equal(tm_taxonomy_n_sectors(c), 5);
    assert_string_equal(tm_taxonomy_code(c, 0), "bio-med_2");
    assert_string_equal(tm_taxonomy_name_zh(c, 0), "生物医药");
    assert_int_equal(tm_taxonomy_find(c, "生物医药"), 0);
    assert_null(tm_taxonomy_copy(NULL));
    tm_taxonomy_free(c);
}

/* ---- vocabularies ------------------------------------------------------- */

static void test_titles(void **state)
{
    (void)state;
    const char *codes[] = {"none", "junior", "intermediate", "senior"};
    const char *labels[] = {"无", "初级", "中级", "高级"};
    for (int i = 0; i < TM_N_TITLES; i++) {
        assert_string_equal(tm_title_code((TmTitle)i), codes[i]);
        assert_string_equal(tm_title_label_zh((TmTitle)i), labels[i]);
        assert_int_equal(tm_title_from_string(codes[i]), i);
        assert_int_equal(tm_title_from_string(labels[i]), i);
    }
    assert_null(tm_title_code((TmTitle)4));
    assert_null(tm_title_code((TmTitle)-1));
    assert_null(tm_title_label_zh((TmTitle)4));
    assert_int_equal(tm_title_from_string(" SENIOR "), TM_TITLE_SENIOR);
    assert_int_equal(tm_title_from_string("副高"), TM_TITLE_SENIOR);
    assert_int_equal(tm_title_from_string("正高"), TM_TITLE_SENIOR);
    assert_int_equal(tm_title_from_string("副教授"), TM_TITLE_SENIOR);
    assert_int_equal(tm_title_from_string("教授"), TM_TITLE_SENIOR);
    assert_int_equal(tm_title_from_string("研究员"), TM_TITLE_SENIOR);
    assert_int_equal(tm_title_from_string("高级工程师"), TM_TITLE_SENIOR);
    assert_int_equal(tm_title_from_string("主任医师"), TM_TITLE_SENIOR);
    assert_int_equal(tm_title_from_string("Associate Professor"), TM_TITLE_SENIOR);
    assert_int_equal(tm_title_from_string("讲师"), TM_TITLE_INTERMEDIATE);
    assert_int_equal(tm_title_from_string("工程师"), TM_TITLE_INTERMEDIATE);
    assert_int_equal(tm_title_from_string("主治医师"), TM_TITLE_INTERMEDIATE);
    assert_int_equal(tm_title_from_string("助教"), TM_TITLE_JUNIOR);
    assert_int_equal(tm_title_from_string("助理工程师"), TM_TITLE_JUNIOR);
    assert_int_equal(tm_title_from_string("无职称"), TM_TITLE_NONE);
    assert_int_equal(tm_title_from_string("wizard"), -1);
    assert_int_equal(tm_title_from_string(""), -1);
    assert_int_equal(tm_title_from_string(NULL), -1);
}

static void test_unit_kinds(void **state)
{
    (void)state;
    const char *codes[] = {"university", "institute", "public", "enterprise", "other"};
    const char *labels[] = {"高校", "科研院所", "事业单位", "企业", "其他"};
    for (int i = 0; i < TM_N_UNIT_KINDS; i++) {
        assert_string_equal(tm_unit_kind_code((TmUnitKind)i), codes[i]);
        assert_string_equal(tm_unit_kind_label_zh((TmUnitKind)i), labels[i]);
        assert_int_equal(tm_unit_kind_from_string(codes[i]), i);
        assert_int_equal(tm_unit_kind_from_string(labels[i]), i);
    }
    assert_null(tm_unit_kind_code((TmUnitKind)5));
    assert_null(tm_unit_kind_label_zh((TmUnitKind)-1));
    assert_int_equal(tm_unit_kind_from_string("大学"), TM_UNIT_UNIVERSITY);
    assert_int_equal(tm_unit_kind_from_string("高等院校"), TM_UNIT_UNIVERSITY);
    assert_int_equal(tm_unit_kind_from_string("研究所"), TM_UNIT_INSTITUTE);
    assert_int_equal(tm_unit_kind_from_string("医院"), TM_UNIT_PUBLIC);
    assert_int_equal(tm_unit_kind_from_string("Research-Institute"), TM_UNIT_INSTITUTE);
    assert_int_equal(tm_unit_kind_from_string("公司"), TM_UNIT_ENTERPRISE);
    assert_int_equal(tm_unit_kind_from_string("farm"), -1);
    assert_int_equal(tm_unit_kind_from_string(NULL), -1);
}

static void test_site_kinds(void **state)
{
    (void)state;
    const char *codes[] = {"high_tech", "innovative", "rd_enterprise", "park",
                           "agri_base", "village",    "community",     "other"};
    for (int i = 0; i < TM_N_SITE_KINDS; i++) {
        assert_string_equal(tm_site_kind_code((TmSiteKind)i), codes[i]);
        const char *label = tm_site_kind_label_zh((TmSiteKind)i);
        assert_non_null(label);
        assert_int_equal(tm_site_kind_from_string(codes[i]), i);
        assert_int_equal(tm_site_kind_from_string(label), i);
    }
    assert_string_equal(tm_site_kind_label_zh(TM_SITE_VILLAGE), "示范村");
    assert_null(tm_site_kind_code((TmSiteKind)8));
    assert_null(tm_site_kind_label_zh((TmSiteKind)8));
    assert_int_equal(tm_site_kind_from_string("High-Tech"), TM_SITE_HIGH_TECH);
    assert_int_equal(tm_site_kind_from_string("agri base"), TM_SITE_AGRI_BASE);
    assert_int_equal(tm_site_kind_from_string("科技园"), TM_SITE_PARK);
    assert_int_equal(tm_site_kind_from_string("村"), TM_SITE_VILLAGE);
    assert_int_equal(tm_site_kind_from_string("moon"), -1);
    assert_int_equal(tm_site_kind_from_string(NULL), -1);
}

/* ---- programme ---------------------------------------------------------- */

static TmCommissioner comm(const char *name)
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

static TmSite site(const char *name)
{
    TmSite s;
    memset(&s, 0, sizeof s);
    s.name = name;
    s.kind = TM_SITE_HIGH_TECH;
    s.sector = 0;
    s.min_title = TM_TITLE_INTERMEDIATE;
    s.years = 1;
    s.capacity = 1;
    s.x = TM_NO_LOCATION;
    s.y = TM_NO_LOCATION;
    return s;
}

static void test_programme_commissioners(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    assert_int_equal(tm_taxonomy_n_sectors(tm_programme_taxonomy(p)), 6);
    assert_int_equal(tm_programme_n_commissioners(p), 0);

    /* the caller's buffers are copied: mutate them afterwards */
    char name[32], unit[32], loc[32], skill0[32], wish0[32];
    strcpy(name, "张教授团队");
    strcpy(unit, "郑州大学");
    strcpy(loc, "丰产路街道");
    strcpy(skill0, "  Food Safety ");
    strcpy(wish0, "思念食品");
    const char *skills[] = {skill0, "Cold chain", "food safety", "cold CHAIN"};
    const char *wishes[] = {wish0, "三全食品"};
    TmExpertise ex[] = {{2, 3}, {4, 1}, {5, 0}};
    TmCommissioner c = comm(name);
    c.team_size = 8;
    c.unit = unit;
    c.location = loc;
    c.unit_support = 7; /* any true value */
    c.expertise = ex;
    c.n_expertise = 3;
    c.skills = skills;
    c.n_skills = 4;
    c.ranked_sites = wishes;
    c.n_ranked_sites = 2;
    c.x = 3.5;
    c.y = 12.25;
    c.merit = 88.5;
    c.capacity = 3;
    assert_int_equal(tm_programme_add_commissioner(p, &c, &err), 0);
    assert_ok(err);
    memset(name, 'x', sizeof name - 1);
    memset(unit, 'x', sizeof unit - 1);
    memset(loc, 'x', sizeof loc - 1);
    memset(skill0, 'x', sizeof skill0 - 1);
    memset(wish0, 'x', sizeof wish0 - 1);
    ex[0].level = 1;

    TmCommissioner c2 = comm("李工");
    c2.title = TM_TITLE_INTERMEDIATE;
    const char *skills2[] = {"cold chain", "Packaging"};
    c2.skills = skills2;
    c2.n_skills = 2;
    assert_int_equal(tm_programme_add_commissioner(p, &c2, &err), 1);
    assert_ok(err);

    assert_int_equal(tm_programme_n_commissioners(p), 2);
    const TmCommissioner *v = tm_programme_commissioner(p, 0);
    assert_non_null(v);
    assert_string_equal(v->name, "张教授团队");
    assert_string_equal(v->unit, "郑州大学");
    assert_string_equal(v->location, "丰产路街道");
    assert_int_equal(v->team_size, 8);
    assert_int_equal(v->unit_support, TRUE);
    assert_int_equal(v->n_expertise, 3);
    assert_int_equal(v->expertise[0].sector, 2);
    assert_int_equal(v->expertise[0].level, 3);
    assert_int_equal(v->n_skills, 4);
    assert_string_equal(v->skills[0], "  Food Safety ");
    assert_int_equal(v->n_ranked_sites, 2);
    assert_string_equal(v->ranked_sites[0], "思念食品");
    assert_string_equal(v->ranked_sites[1], "三全食品");
    assert_true(v->x == 3.5 && v->y == 12.25);
    assert_true(v->merit == 88.5);
    assert_int_equal(v->capacity, 3);
    assert_null(tm_programme_commissioner(p, 2));
    assert_null(tm_programme_commissioner(p, -1));
    assert_null(tm_programme_commissioner(NULL, 0));
    assert_null(tm_programme_commissioner(p, 1)->unit);

    assert_int_equal(tm_programme_find_commissioner(p, "张教授团队"), 0);
    assert_int_equal(tm_programme_find_commissioner(p, "李工"), 1);
    assert_int_equal(tm_programme_find_commissioner(p, "nobody"), -1);
    assert_int_equal(tm_programme_find_commissioner(p, NULL), -1);
    assert_int_equal(tm_programme_find_commissioner(NULL, "李工"), -1);

    assert_int_equal(tm_programme_expertise(p, 0, 2), 3);
    assert_int_equal(tm_programme_expertise(p, 0, 4), 1);
    assert_int_equal(tm_programme_expertise(p, 0, 5), 0);
    assert_int_equal(tm_programme_expertise(p, 0, 0), 0);
    assert_int_equal(tm_programme_expertise(p, 0, 99), 0);
    assert_int_equal(tm_programme_expertise(p, 1, 2), 0);
    assert_int_equal(tm_programme_expertise(p, 5, 2), 0);
    assert_int_equal(tm_programme_expertise(NULL, 0, 2), 0);

    /* tags: food safety, cold chain, packaging */
    assert_int_equal(tm_programme_n_tags(p), 3);
    assert_string_equal(tm_programme_tag(p, 0), "food safety");
    assert_string_equal(tm_programme_tag(p, 1), "cold chain");
    assert_string_equal(tm_programme_tag(p, 2), "packaging");
    assert_null(tm_programme_tag(p, 3));
    assert_null(tm_programme_tag(p, -1));
    assert_null(tm_programme_tag(NULL, 0));
    int32_t n = -5;
    const int32_t *ids = tm_programme_skill_ids(p, 0, &n);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], 0);
    assert_int_equal(ids[1], 1);
    ids = tm_programme_skill_ids(p, 1, &n);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], 1);
    assert_int_equal(ids[1], 2);
    assert_null(tm_programme_skill_ids(p, 2, &n));
    assert_int_equal(n, 0);
    assert_null(tm_programme_skill_ids(NULL, 0, NULL));
    assert_int_equal(tm_programme_n_commissioners(NULL), 0);
    assert_int_equal(tm_programme_n_tags(NULL), 0);
    assert_null(tm_programme_taxonomy(NULL));

    tm_programme_free(p);
    tm_programme_free(NULL);
}

static void test_programme_views_stable(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    TmCommissioner c = comm("c0");
    assert_int_equal(tm_programme_add_commissioner(p, &c, &err), 0);
    TmSite s = site("s0");
    const char *needs[] = {"人才培训"};
    s.needs = needs;
    s.n_needs = 1;
    assert_int_equal(tm_programme_add_site(p, &s, &err), 0);
    const TmCommissioner *v0 = tm_programme_commissioner(p, 0);
    const TmSite *w0 = tm_programme_site(p, 0);
    int32_t n;
    const int32_t *need0 = tm_programme_need_ids(p, 0, &n);
    const char *tag0 = tm_programme_tag(p, 0);
    for (int i = 1; i < 2000; i++) {
        char buf[32];
        g_snprintf(buf, sizeof buf, "c%d", i);
        c.name = buf;
        assert_int_equal(tm_programme_add_commissioner(p, &c, &err), i);
        g_snprintf(buf, sizeof buf, "s%d", i);
        s.name = buf;
        char tag[32];
        g_snprintf(tag, sizeof tag, "tag %d", i);
        const char *nn[] = {tag};
        s.needs = nn;
        assert_int_equal(tm_programme_add_site(p, &s, &err), i);
    }
    assert_ok(err);
    assert_ptr_equal(tm_programme_commissioner(p, 0), v0);
    assert_ptr_equal(tm_programme_site(p, 0), w0);
    assert_ptr_equal(tm_programme_need_ids(p, 0, &n), need0);
    assert_ptr_equal(tm_programme_tag(p, 0), tag0);
    assert_string_equal(v0->name, "c0");
    assert_string_equal(w0->name, "s0");
    assert_string_equal(tag0, "人才培训");
    assert_int_equal(tm_programme_n_tags(p), 2000);
    assert_int_equal(tm_programme_find_site(p, "s1999"), 1999);
    tm_programme_free(p);
}

static void test_programme_sites(void **state)
{
    (void)state;
    GError *err = NULL;
    TmTaxonomy *t = tm_taxonomy_new();
    assert_int_equal(tm_taxonomy_add_sector(t, "a", NULL, NULL, &err), 0);
    assert_int_equal(tm_taxonomy_add_sector(t, "b", NULL, NULL, &err), 1);
    TmProgramme *p = tm_programme_new(t);
    tm_taxonomy_free(t); /* the programme has its own copy */
    assert_int_equal(tm_taxonomy_n_sectors(tm_programme_taxonomy(p)), 2);

    const char *needs[] = {"社区卫生服务", "人才培训", "社区卫生服务 "};
    const char *ranked[] = {"王医生", "刘研究员"};
    TmSite s = site("文化路社区");
    s.kind = TM_SITE_COMMUNITY;
    s.sector = 1;
    s.has_clinic = 42;
    s.needs = needs;
    s.n_needs = 3;
    s.min_title = TM_TITLE_SENIOR;
    s.years = 2;
    s.capacity = 2;
    s.x = 0.0;
    s.y = -4.0;
    s.location = "文化路街道";
    s.ranked_commissioners = ranked;
    s.n_ranked_commissioners = 2;
    assert_int_equal(tm_programme_add_site(p, &s, &err), 0);
    assert_ok(err);
    assert_int_equal(tm_programme_n_sites(p), 1);
    const TmSite *v = tm_programme_site(p, 0);
    assert_string_equal(v->name, "文化路社区");
    assert_int_equal(v->kind, TM_SITE_COMMUNITY);
    assert_int_equal(v->sector, 1);
    assert_int_equal(v->has_clinic, TRUE);
    assert_int_equal(v->n_needs, 3);
    assert_string_equal(v->needs[1], "人才培训");
    assert_int_equal(v->min_title, TM_TITLE_SENIOR);
    assert_int_equal(v->years, 2);
    assert_int_equal(v->capacity, 2);
    assert_true(v->x == 0.0 && v->y == -4.0);
    assert_string_equal(v->location, "文化路街道");
    assert_int_equal(v->n_ranked_commissioners, 2);
    assert_string_equal(v->ranked_commissioners[1], "刘研究员");
    int32_t n;
    const int32_t *ids = tm_programme_need_ids(p, 0, &n);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], 0);
    assert_int_equal(ids[1], 1);
    assert_null(tm_programme_need_ids(p, 1, &n));
    assert_int_equal(n, 0);
    assert_null(tm_programme_need_ids(p, -1, NULL));
    assert_null(tm_programme_site(p, 1));
    assert_null(tm_programme_site(NULL, 0));
    assert_int_equal(tm_programme_find_site(p, "文化路社区"), 0);
    assert_int_equal(tm_programme_find_site(p, "x"), -1);
    assert_int_equal(tm_programme_find_site(p, NULL), -1);
    assert_int_equal(tm_programme_find_site(NULL, "x"), -1);
    assert_int_equal(tm_programme_n_sites(NULL), 0);
    /* same name on the other side is fine */
    TmCommissioner c = comm("文化路社区");
    assert_int_equal(tm_programme_add_commissioner(p, &c, &err), 0);
    assert_ok(err);
    /* a site with no needs and zero capacity */
    TmSite s2 = site("空");
    s2.capacity = 0;
    assert_int_equal(tm_programme_add_site(p, &s2, &err), 1);
    assert_ok(err);
    tm_programme_free(p);
}

static void test_commissioner_errors(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    TmCommissioner ok = comm("ok");
    assert_int_equal(tm_programme_add_commissioner(p, &ok, &err), 0);
    assert_ok(err);

#define BAD(field_stmt, code)                                                          \
    do {                                                                               \
        TmCommissioner c = comm("bad");                                                \
        field_stmt;                                                                    \
        assert_int_equal(tm_programme_add_commissioner(p, &c, &err), -1);              \
        assert_err(err, code);                                                         \
        assert_int_equal(tm_programme_add_commissioner(p, &c, NULL), -1);              \
    } while (0)

    const char *null_list[] = {"a", NULL};
    const char *empty_list[] = {"a", "  "};
    const char *bad_utf8[] = {"\xe4\xb8"};
    const char *dup[] = {"s1", "s2", "s1"};
    TmExpertise ex_bad_sector[] = {{6, 1}};
    TmExpertise ex_neg_sector[] = {{-1, 1}};
    TmExpertise ex_bad_level[] = {{0, 4}};
    TmExpertise ex_neg_level[] = {{0, -1}};
    TmExpertise ex_dup[] = {{1, 1}, {2, 2}, {1, 3}};

    BAD(c.name = NULL, TM_ERROR_INVALID_ARGUMENT);
    BAD(c.name = "", TM_ERROR_INVALID_ARGUMENT);
    BAD(c.name = " \t", TM_ERROR_INVALID_ARGUMENT);
    BAD(c.name = "\xff\xfe", TM_ERROR_INVALID_ARGUMENT);
    BAD(c.name = "ok", TM_ERROR_DUPLICATE);
    BAD(c.team_size = 0, TM_ERROR_INVALID_ARGUMENT);
    BAD(c.team_size = -3, TM_ERROR_INVALID_ARGUMENT);
    BAD(c.title = (TmTitle)4, TM_ERROR_INVALID_ARGUMENT);
    BAD(c.title = (TmTitle)-1, TM_ERROR_INVALID_ARGUMENT);
    BAD(c.unit_kind = (TmUnitKind)5, TM_ERROR_INVALID_ARGUMENT);
    BAD(c.unit_kind = (TmUnitKind)-1, TM_ERROR_INVALID_ARGUMENT);
    BAD(c.unit = "\xc0\xaf", TM_ERROR_INVALID_ARGUMENT);
    BAD(c.location = "\xed\xa0\x80", TM_ERROR_INVALID_ARGUMENT);
    BAD(c.years = 11, TM_ERROR_INVALID_ARGUMENT);
    BAD(c.years = -1, TM_ERROR_INVALID_ARGUMENT);
    BAD(c.capacity = -1, TM_ERROR_NEGATIVE_CAPACITY);
    BAD(c.merit = NAN, TM_ERROR_INVALID_ARGUMENT);
    BAD(c.merit = INFINITY, TM_ERROR_INVALID_ARGUMENT);
    BAD(c.x = NAN, TM_ERROR_INVALID_ARGUMENT);
    BAD((c.x = 1.0, c.y = INFINITY), TM_ERROR_INVALID_ARGUMENT);
    BAD(c.x = 1.0, TM_ERROR_INVALID_ARGUMENT); /* y missing */
    BAD(c.n_skills = -1, TM_ERROR_INVALID_ARGUMENT);
    BAD(c.n_skills = 2, TM_ERROR_INVALID_ARGUMENT); /* NULL array */
    BAD((c.skills = null_list, c.n_skills = 2), TM_ERROR_INVALID_ARGUMENT);
    BAD((c.skills = empty_list, c.n_skills = 2), TM_ERROR_INVALID_ARGUMENT);
    BAD((c.skills = bad_utf8, c.n_skills = 1), TM_ERROR_INVALID_ARGUMENT);
    BAD(c.n_ranked_sites = -2, TM_ERROR_INVALID_ARGUMENT);
    BAD(c.n_ranked_sites = 1, TM_ERROR_INVALID_ARGUMENT);
    BAD((c.ranked_sites = null_list, c.n_ranked_sites = 2), TM_ERROR_INVALID_ARGUMENT);
    BAD((c.ranked_sites = bad_utf8, c.n_ranked_sites = 1), TM_ERROR_INVALID_ARGUMENT);
    BAD((c.ranked_sites = dup, c.n_ranked_sites = 3), TM_ERROR_DUPLICATE);
    BAD(c.n_expertise = -1, TM_ERROR_INVALID_ARGUMENT);
    BAD(c.n_expertise = 1, TM_ERROR_INVALID_ARGUMENT);
    BAD((c.expertise = ex_bad_sector, c.n_expertise = 1), TM_ERROR_INVALID_ARGUMENT);
    BAD((c.expertise = ex_neg_sector, c.n_expertise = 1), TM_ERROR_INVALID_ARGUMENT);
    BAD((c.expertise = ex_bad_level, c.n_expertise = 1), TM_ERROR_INVALID_ARGUMENT);
    BAD((c.expertise = ex_neg_level, c.n_expertise = 1), TM_ERROR_INVALID_ARGUMENT);
    BAD((c.expertise = ex_dup, c.n_expertise = 3), TM_ERROR_DUPLICATE);
#undef BAD

    assert_int_equal(tm_programme_add_commissioner(p, NULL, &err), -1);
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tm_programme_add_commissioner(NULL, &ok, &err), -1);
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    /* failures left nothing behind */
    assert_int_equal(tm_programme_n_commissioners(p), 1);
    assert_int_equal(tm_programme_n_tags(p), 0);
    assert_int_equal(tm_programme_find_commissioner(p, "bad"), -1);
    tm_programme_free(p);
}

static void test_site_errors(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    TmSite ok = site("ok");
    assert_int_equal(tm_programme_add_site(p, &ok, &err), 0);
    assert_ok(err);

#define BAD(field_stmt, code)                                                          \
    do {                                                                               \
        TmSite s = site("bad");                                                        \
        field_stmt;                                                                    \
        assert_int_equal(tm_programme_add_site(p, &s, &err), -1);                      \
        assert_err(err, code);                                                         \
    } while (0)

    const char *null_list[] = {NULL};
    const char *empty_list[] = {""};
    const char *bad_utf8[] = {"ok", "\x80"};
    const char *dup[] = {"c1", "c1"};
    BAD(s.name = NULL, TM_ERROR_INVALID_ARGUMENT);
    BAD(s.name = "", TM_ERROR_INVALID_ARGUMENT);
    BAD(s.name = "\xe3\x80\x80", TM_ERROR_INVALID_ARGUMENT); /* ideographic space only */
    BAD(s.name = "\xf5", TM_ERROR_INVALID_ARGUMENT);
    BAD(s.name = "ok", TM_ERROR_DUPLICATE);
    BAD(s.kind = (TmSiteKind)8, TM_ERROR_INVALID_ARGUMENT);
    BAD(s.kind = (TmSiteKind)-1, TM_ERROR_INVALID_ARGUMENT);
    BAD(s.sector = 6, TM_ERROR_INVALID_ARGUMENT);
    BAD(s.sector = -1, TM_ERROR_INVALID_ARGUMENT);
    BAD(s.min_title = (TmTitle)4, TM_ERROR_INVALID_ARGUMENT);
    BAD(s.min_title = (TmTitle)-1, TM_ERROR_INVALID_ARGUMENT);
    BAD(s.years = 11, TM_ERROR_INVALID_ARGUMENT);
    BAD(s.years = -1, TM_ERROR_INVALID_ARGUMENT);
    BAD(s.capacity = -5, TM_ERROR_NEGATIVE_CAPACITY);
    BAD(s.location = "\xff", TM_ERROR_INVALID_ARGUMENT);
    BAD(s.x = -INFINITY, TM_ERROR_INVALID_ARGUMENT);
    BAD(s.y = 2.0, TM_ERROR_INVALID_ARGUMENT);
    BAD(s.n_needs = -1, TM_ERROR_INVALID_ARGUMENT);
    BAD(s.n_needs = 1, TM_ERROR_INVALID_ARGUMENT);
    BAD((s.needs = null_list, s.n_needs = 1), TM_ERROR_INVALID_ARGUMENT);
    BAD((s.needs = empty_list, s.n_needs = 1), TM_ERROR_INVALID_ARGUMENT);
    BAD((s.needs = bad_utf8, s.n_needs = 2), TM_ERROR_INVALID_ARGUMENT);
    BAD(s.n_ranked_commissioners = -1, TM_ERROR_INVALID_ARGUMENT);
    BAD(s.n_ranked_commissioners = 3, TM_ERROR_INVALID_ARGUMENT);
    BAD((s.ranked_commissioners = empty_list, s.n_ranked_commissioners = 1),
        TM_ERROR_INVALID_ARGUMENT);
    BAD((s.ranked_commissioners = dup, s.n_ranked_commissioners = 2), TM_ERROR_DUPLICATE);
#undef BAD
    assert_int_equal(tm_programme_add_site(p, NULL, &err), -1);
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tm_programme_add_site(NULL, &ok, &err), -1);
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tm_programme_n_sites(p), 1);
    assert_int_equal(tm_programme_n_tags(p), 0);
    tm_programme_free(p);
}

/* tm_programme_truncate(): a rollback to recorded counts restores the
 * programme (agents, names, tags); bad counts change nothing. */
static void test_programme_truncate(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    const char *sk0[] = {"rd"}, *nd0[] = {"training"};
    TmCommissioner c = comm("c0");
    c.skills = sk0;
    c.n_skills = 1;
    assert_int_equal(tm_programme_add_commissioner(p, &c, &err), 0);
    TmSite s = site("s0");
    s.needs = nd0;
    s.n_needs = 1;
    assert_int_equal(tm_programme_add_site(p, &s, &err), 0);
    assert_int_equal(tm_programme_n_tags(p), 2);
    /* a batch: new agents and new tags, also a known tag */
    int32_t n_c = tm_programme_n_commissioners(p), n_s = tm_programme_n_sites(p);
    const char *sk1[] = {"RD", "packaging", "seeds"}, *nd1[] = {"health"};
    c = comm("c1");
    c.skills = sk1;
    c.n_skills = 3;
    assert_int_equal(tm_programme_add_commissioner(p, &c, &err), 1);
    s = site("s1");
    s.needs = nd1;
    s.n_needs = 1;
    assert_int_equal(tm_programme_add_site(p, &s, &err), 1);
    assert_int_equal(tm_programme_n_tags(p), 5);
    /* bad counts: refused, nothing changes */
    assert_false(tm_programme_truncate(NULL, 0, 0, &err));
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    assert_false(tm_programme_truncate(p, 3, 0, &err));
    assert_err(err, TM_ERROR_OUT_OF_RANGE);
    assert_false(tm_programme_truncate(p, 0, -1, &err));
    assert_err(err, TM_ERROR_OUT_OF_RANGE);
    assert_int_equal(tm_programme_n_commissioners(p), 2);
    assert_int_equal(tm_programme_n_sites(p), 2);
    assert_int_equal(tm_programme_n_tags(p), 5);
    /* the rollback */
    assert_true(tm_programme_truncate(p, n_c, n_s, &err));
    assert_ok(err);
    assert_int_equal(tm_programme_n_commissioners(p), 1);
    assert_int_equal(tm_programme_n_sites(p), 1);
    assert_int_equal(tm_programme_n_tags(p), 2);
    assert_int_equal(tm_programme_find_commissioner(p, "c1"), -1);
    assert_int_equal(tm_programme_find_site(p, "s1"), -1);
    assert_null(tm_programme_commissioner(p, 1));
    assert_string_equal(tm_programme_commissioner(p, 0)->name, "c0"); /* kept as it was */
    assert_string_equal(tm_programme_tag(p, 0), "rd");
    assert_string_equal(tm_programme_tag(p, 1), "training");
    /* the names and tags are free again: the same batch gives the same ids */
    c = comm("c1");
    c.skills = sk1;
    c.n_skills = 3;
    assert_int_equal(tm_programme_add_commissioner(p, &c, &err), 1);
    assert_int_equal(tm_programme_n_tags(p), 4);
    assert_string_equal(tm_programme_tag(p, 2), "packaging");
    /* truncating the commissioners only: the sites' tags stay, trailing tags
     * of dropped commissioners go */
    assert_true(tm_programme_truncate(p, 0, 1, &err));
    assert_int_equal(tm_programme_n_commissioners(p), 0);
    assert_int_equal(tm_programme_n_tags(p), 2); /* "training" (id 1) is a site's */
    assert_string_equal(tm_programme_tag(p, 1), "training");
    /* a no-op truncation */
    assert_true(tm_programme_truncate(p, 0, 1, &err));
    assert_int_equal(tm_programme_n_sites(p), 1);
    assert_true(tm_programme_truncate(p, 0, 0, &err));
    assert_int_equal(tm_programme_n_tags(p), 0);
    tm_programme_free(p);
}

static void test_empty_taxonomy(void **state)
{
    (void)state;
    GError *err = NULL;
    TmTaxonomy *t = tm_taxonomy_new();
    TmProgramme *p = tm_programme_new(t);
    tm_taxonomy_free(t);
    TmSite s = site("s");
    assert_int_equal(tm_programme_add_site(p, &s, &err), -1);
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    TmCommissioner c = comm("c");
    assert_int_equal(tm_programme_add_commissioner(p, &c, &err), 0);
    assert_ok(err);
    tm_programme_free(p);
}

/* issue 10: the task bits must be among the plan's six, consent a TmConsent
 * value; a refused profile changes nothing. */
static void test_tasks_consent_checks(void **state)
{
    (void)state;
    GError *err = NULL;
    TmProgramme *p = tm_programme_new(NULL);
    TmCommissioner c = comm("c");
    c.tasks = 1u << 6;
    assert_int_equal(tm_programme_add_commissioner(p, &c, &err), -1);
    assert_non_null(err);
    assert_non_null(strstr(err->message, "'c': task bits 0x40"));
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    c.tasks = 0x3f | (1u << 31);
    assert_int_equal(tm_programme_add_commissioner(p, &c, &err), -1);
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    c.tasks = 0x3f; /* TM_TASKS_ALL */
    c.consent = (TmConsent)3;
    assert_int_equal(tm_programme_add_commissioner(p, &c, &err), -1);
    assert_non_null(err);
    assert_non_null(strstr(err->message, "consent 3"));
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    c.consent = (TmConsent)-1;
    assert_int_equal(tm_programme_add_commissioner(p, &c, &err), -1);
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tm_programme_n_commissioners(p), 0);
    c.consent = TM_CONSENT_NAMED_ONLY;
    assert_int_equal(tm_programme_add_commissioner(p, &c, &err), 0);
    assert_ok(err);
    assert_int_equal(tm_programme_commissioner(p, 0)->tasks, 0x3f);
    assert_int_equal(tm_programme_commissioner(p, 0)->consent, TM_CONSENT_NAMED_ONLY);

    TmSite s = site("s");
    s.tasks = 1u << 7;
    assert_int_equal(tm_programme_add_site(p, &s, &err), -1);
    assert_non_null(err);
    assert_non_null(strstr(err->message, "'s': task bits 0x80"));
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    s.tasks = 1u << 5;
    s.consent = (TmConsent)7;
    assert_int_equal(tm_programme_add_site(p, &s, &err), -1);
    assert_err(err, TM_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tm_programme_n_sites(p), 0);
    s.consent = TM_CONSENT_OPEN;
    assert_int_equal(tm_programme_add_site(p, &s, &err), 0);
    assert_ok(err);
    assert_int_equal(tm_programme_site(p, 0)->tasks, 1u << 5);
    assert_int_equal(tm_programme_site(p, 0)->consent, TM_CONSENT_OPEN);
    tm_programme_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_taxonomy_default),
        cmocka_unit_test(test_taxonomy_add_and_copy),
        cmocka_unit_test(test_titles),
        cmocka_unit_test(test_unit_kinds),
        cmocka_unit_test(test_site_kinds),
        cmocka_unit_test(test_programme_commissioners),
        cmocka_unit_test(test_programme_views_stable),
        cmocka_unit_test(test_programme_sites),
        cmocka_unit_test(test_commissioner_errors),
        cmocka_unit_test(test_site_errors),
        cmocka_unit_test(test_programme_truncate),
        cmocka_unit_test(test_empty_taxonomy),
        cmocka_unit_test(test_tasks_consent_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
