/* techmatch — the programme's world: taxonomy of sectors, fixed vocabularies
 * (titles, unit kinds, site kinds), and the TmProgramme store of commissioner
 * and site profiles with interned tags. */
#include <math.h>
#include <string.h>

#include <techmatch/profile.h>

#include "util/alloc.h"
#include "util/text.h"

/* ====================================================================== */
/* helpers                                                                */
/* ====================================================================== */

/* Trimmed, ASCII-lower-cased copy (caller frees). */
static char *normalize_key(const char *text)
{
    gsize n;
    const char *p = tm_i_trim(text, &n);
    char *out = g_strndup(p, n);
    for (gsize i = 0; i < n; i++)
        out[i] = g_ascii_tolower(out[i]);
    return out;
}

/* As normalize_key, and '-' / ' ' become '_' (vocabulary codes). */
static char *normalize_code(const char *text)
{
    char *out = normalize_key(text);
    for (char *q = out; *q; q++)
        if (*q == '-' || *q == ' ')
            *q = '_';
    return out;
}

static gboolean utf8_ok(const char *s)
{
    return s == NULL || g_utf8_validate(s, -1, NULL);
}

/* ====================================================================== */
/* taxonomy                                                               */
/* ====================================================================== */

typedef struct {
    char *code;
    char *name_zh;
    char *name_en;
} Sector;

struct TmTaxonomy {
    GPtrArray *sectors;     /* Sector*, owned */
    GHashTable *by_code;    /* normalized code -> index + 1 (keys owned) */
    GHashTable *by_name;    /* normalized zh/en name -> index + 1 (first wins) */
};

static void sector_free(gpointer p)
{
    Sector *s = p;
    g_free(s->code);
    g_free(s->name_zh);
    g_free(s->name_en);
    g_free(s);
}

TmTaxonomy *tm_taxonomy_new(void)
{
    TmTaxonomy *t = g_new0(TmTaxonomy, 1);
    t->sectors = g_ptr_array_new_with_free_func(sector_free);
    t->by_code = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    t->by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return t;
}

static const struct {
    const char *code, *zh, *en;
} default_sectors[] = {
    {"eit", "电子信息", "electronic information"},
    {"culture", "文化创意", "cultural & creative"},
    {"food", "食品加工", "food processing"},
    {"materials", "新材料", "new materials"},
    {"agri", "农业农村", "rural & agriculture"},
    {"health", "社区卫生", "community health"},
};

TmTaxonomy *tm_taxonomy_new_default(void)
{
    TmTaxonomy *t = tm_taxonomy_new();
    for (gsize i = 0; i < G_N_ELEMENTS(default_sectors); i++)
        (void)tm_taxonomy_add_sector(t, default_sectors[i].code, default_sectors[i].zh,
                                     default_sectors[i].en, NULL);
    return t;
}

TmTaxonomy *tm_taxonomy_copy(const TmTaxonomy *taxonomy)
{
    if (taxonomy == NULL)
        return NULL;
    TmTaxonomy *t = tm_taxonomy_new();
    for (guint i = 0; i < taxonomy->sectors->len; i++) {
        const Sector *s = g_ptr_array_index(taxonomy->sectors, i);
        (void)tm_taxonomy_add_sector(t, s->code, s->name_zh, s->name_en, NULL);
    }
    return t;
}

void tm_taxonomy_free(TmTaxonomy *taxonomy)
{
    if (taxonomy == NULL)
        return;
    g_ptr_array_unref(taxonomy->sectors);
    g_hash_table_destroy(taxonomy->by_code);
    g_hash_table_destroy(taxonomy->by_name);
    g_free(taxonomy);
}

static gboolean sector_code_ok(const char *code)
{
    if (code == NULL || *code == '\0')
        return FALSE;
    for (const char *p = code; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return FALSE;
    }
    return TRUE;
}

int32_t tm_taxonomy_add_sector(TmTaxonomy *taxonomy, const char *code, const char *name_zh,
                               const char *name_en, GError **error)
{
    if (taxonomy == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "taxonomy is NULL");
        return -1;
    }
    if (!sector_code_ok(code)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "sector code '%s' is not of the form [a-z0-9_-]+",
                    code != NULL && g_utf8_validate(code, -1, NULL) ? code : "(invalid)");
        return -1;
    }
    if (!utf8_ok(name_zh) || !utf8_ok(name_en)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "sector '%s': name is not valid UTF-8", code);
        return -1;
    }
    if (g_hash_table_contains(taxonomy->by_code, code)) {
        g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE, "sector code '%s' is already used",
                    code);
        return -1;
    }
    if (taxonomy->sectors->len >= (guint)G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "too many sectors");
        return -1;
    }
    Sector *s = g_new0(Sector, 1);
    s->code = g_strdup(code);
    s->name_zh = g_strdup(name_zh != NULL && *name_zh ? name_zh : code);
    s->name_en = g_strdup(name_en != NULL && *name_en ? name_en : code);
    int32_t idx = (int32_t)taxonomy->sectors->len;
    g_ptr_array_add(taxonomy->sectors, s);
    g_hash_table_insert(taxonomy->by_code, g_strdup(code), GINT_TO_POINTER(idx + 1));
    const char *names[2] = {s->name_zh, s->name_en};
    for (int k = 0; k < 2; k++) {
        char *key = normalize_key(names[k]);
        if (*key == '\0' || g_hash_table_contains(taxonomy->by_name, key))
            g_free(key);
        else
            g_hash_table_insert(taxonomy->by_name, key, GINT_TO_POINTER(idx + 1));
    }
    return idx;
}

int32_t tm_taxonomy_n_sectors(const TmTaxonomy *taxonomy)
{
    return taxonomy == NULL ? 0 : (int32_t)taxonomy->sectors->len;
}

static const Sector *sector_at(const TmTaxonomy *t, int32_t i)
{
    if (t == NULL || i < 0 || (guint)i >= t->sectors->len)
        return NULL;
    return g_ptr_array_index(t->sectors, i);
}

const char *tm_taxonomy_code(const TmTaxonomy *taxonomy, int32_t sector)
{
    const Sector *s = sector_at(taxonomy, sector);
    return s ? s->code : NULL;
}

const char *tm_taxonomy_name_zh(const TmTaxonomy *taxonomy, int32_t sector)
{
    const Sector *s = sector_at(taxonomy, sector);
    return s ? s->name_zh : NULL;
}

const char *tm_taxonomy_name_en(const TmTaxonomy *taxonomy, int32_t sector)
{
    const Sector *s = sector_at(taxonomy, sector);
    return s ? s->name_en : NULL;
}

int32_t tm_taxonomy_find(const TmTaxonomy *taxonomy, const char *text)
{
    if (taxonomy == NULL || text == NULL)
        return -1;
    char *key = normalize_key(text);
    gpointer v = NULL;
    if (*key != '\0' && !g_hash_table_lookup_extended(taxonomy->by_code, key, NULL, &v))
        (void)g_hash_table_lookup_extended(taxonomy->by_name, key, NULL, &v);
    g_free(key);
    return v == NULL ? -1 : GPOINTER_TO_INT(v) - 1;
}

/* ====================================================================== */
/* fixed vocabularies                                                     */
/* ====================================================================== */

typedef struct {
    const char *text; /* normalized: lower case ASCII, '_' for '-' and ' ' */
    int value;
} Synonym;

static const char *const title_codes[TM_N_TITLES] = {"none", "junior", "intermediate",
                                                     "senior"};
static const char *const title_labels[TM_N_TITLES] = {"无", "初级", "中级", "高级"};

static const Synonym title_synonyms[] = {
    {"无职称", TM_TITLE_NONE},
    {"初级职称", TM_TITLE_JUNIOR}, {"员级", TM_TITLE_JUNIOR}, {"助理级", TM_TITLE_JUNIOR},
    {"助教", TM_TITLE_JUNIOR}, {"助理工程师", TM_TITLE_JUNIOR}, {"技术员", TM_TITLE_JUNIOR},
    {"医师", TM_TITLE_JUNIOR}, {"住院医师", TM_TITLE_JUNIOR}, {"护师", TM_TITLE_JUNIOR},
    {"助理农艺师", TM_TITLE_JUNIOR}, {"研究实习员", TM_TITLE_JUNIOR},
    {"assistant", TM_TITLE_JUNIOR},
    {"中级职称", TM_TITLE_INTERMEDIATE}, {"讲师", TM_TITLE_INTERMEDIATE},
    {"工程师", TM_TITLE_INTERMEDIATE}, {"助理研究员", TM_TITLE_INTERMEDIATE},
    {"主治医师", TM_TITLE_INTERMEDIATE}, {"主管护师", TM_TITLE_INTERMEDIATE},
    {"主管药师", TM_TITLE_INTERMEDIATE}, {"农艺师", TM_TITLE_INTERMEDIATE},
    {"畜牧师", TM_TITLE_INTERMEDIATE}, {"经济师", TM_TITLE_INTERMEDIATE},
    {"实验师", TM_TITLE_INTERMEDIATE}, {"lecturer", TM_TITLE_INTERMEDIATE},
    {"engineer", TM_TITLE_INTERMEDIATE},
    {"高级职称", TM_TITLE_SENIOR}, {"副高", TM_TITLE_SENIOR}, {"正高", TM_TITLE_SENIOR},
    {"副高级", TM_TITLE_SENIOR}, {"正高级", TM_TITLE_SENIOR}, {"副教授", TM_TITLE_SENIOR},
    {"教授", TM_TITLE_SENIOR}, {"研究员", TM_TITLE_SENIOR}, {"副研究员", TM_TITLE_SENIOR},
    {"高级工程师", TM_TITLE_SENIOR}, {"教授级高工", TM_TITLE_SENIOR},
    {"教授级高级工程师", TM_TITLE_SENIOR}, {"正高级工程师", TM_TITLE_SENIOR},
    {"主任医师", TM_TITLE_SENIOR}, {"副主任医师", TM_TITLE_SENIOR},
    {"主任护师", TM_TITLE_SENIOR}, {"副主任护师", TM_TITLE_SENIOR},
    {"高级农艺师", TM_TITLE_SENIOR}, {"推广研究员", TM_TITLE_SENIOR},
    {"高级实验师", TM_TITLE_SENIOR}, {"高级经济师", TM_TITLE_SENIOR},
    {"professor", TM_TITLE_SENIOR}, {"associate_professor", TM_TITLE_SENIOR},
    {"senior_engineer", TM_TITLE_SENIOR},
};

static const char *const unit_codes[TM_N_UNIT_KINDS] = {"university", "institute", "public",
                                                        "enterprise", "other"};
static const char *const unit_labels[TM_N_UNIT_KINDS] = {"高校", "科研院所", "事业单位", "企业",
                                                         "其他"};

static const Synonym unit_synonyms[] = {
    {"高等院校", TM_UNIT_UNIVERSITY}, {"高等学校", TM_UNIT_UNIVERSITY},
    {"大学", TM_UNIT_UNIVERSITY}, {"学院", TM_UNIT_UNIVERSITY},
    {"高职院校", TM_UNIT_UNIVERSITY}, {"college", TM_UNIT_UNIVERSITY},
    {"研究所", TM_UNIT_INSTITUTE}, {"研究院", TM_UNIT_INSTITUTE},
    {"科研机构", TM_UNIT_INSTITUTE}, {"研究机构", TM_UNIT_INSTITUTE},
    {"科学院", TM_UNIT_INSTITUTE}, {"research_institute", TM_UNIT_INSTITUTE},
    {"公共事业单位", TM_UNIT_PUBLIC}, {"医院", TM_UNIT_PUBLIC},
    {"公立医院", TM_UNIT_PUBLIC}, {"public_institution", TM_UNIT_PUBLIC},
    {"公司", TM_UNIT_ENTERPRISE}, {"企业单位", TM_UNIT_ENTERPRISE},
    {"company", TM_UNIT_ENTERPRISE},
    {"其它", TM_UNIT_OTHER},
};

static const char *const site_codes[TM_N_SITE_KINDS] = {
    "high_tech", "innovative", "rd_enterprise", "park", "agri_base", "village", "community",
    "other"};
static const char *const site_labels[TM_N_SITE_KINDS] = {
    "高新技术企业", "创新型企业", "有研发中心或承担过科技项目的企业", "科技园区",
    "农业示范基地", "示范村", "社区", "其他"};

static const Synonym site_synonyms[] = {
    {"高新企业", TM_SITE_HIGH_TECH}, {"高新技术", TM_SITE_HIGH_TECH},
    {"hightech", TM_SITE_HIGH_TECH},
    {"创新企业", TM_SITE_INNOVATIVE},
    {"研发企业", TM_SITE_RD_ENTERPRISE}, {"有研发中心的企业", TM_SITE_RD_ENTERPRISE},
    {"承担过科技项目的企业", TM_SITE_RD_ENTERPRISE}, {"科技项目企业", TM_SITE_RD_ENTERPRISE},
    {"研发中心企业", TM_SITE_RD_ENTERPRISE},
    {"园区", TM_SITE_PARK}, {"科技园", TM_SITE_PARK},
    {"农业基地", TM_SITE_AGRI_BASE}, {"示范基地", TM_SITE_AGRI_BASE},
    {"村", TM_SITE_VILLAGE}, {"行政村", TM_SITE_VILLAGE},
    {"基层社区", TM_SITE_COMMUNITY}, {"社区卫生服务站", TM_SITE_COMMUNITY},
    {"其它", TM_SITE_OTHER},
};

static int vocab_lookup(const char *text, const char *const *codes, const char *const *labels,
                        int n, const Synonym *syn, gsize n_syn)
{
    if (text == NULL)
        return -1;
    char *key = normalize_code(text);
    int found = -1;
    for (int i = 0; i < n && found < 0; i++)
        if (strcmp(key, codes[i]) == 0 || strcmp(key, labels[i]) == 0)
            found = i;
    for (gsize i = 0; i < n_syn && found < 0; i++)
        if (strcmp(key, syn[i].text) == 0)
            found = syn[i].value;
    g_free(key);
    return found;
}

const char *tm_title_code(TmTitle title)
{
    return (int)title >= 0 && (int)title < TM_N_TITLES ? title_codes[title] : NULL;
}

const char *tm_title_label_zh(TmTitle title)
{
    return (int)title >= 0 && (int)title < TM_N_TITLES ? title_labels[title] : NULL;
}

const char *tm_unit_kind_code(TmUnitKind kind)
{
    return (int)kind >= 0 && (int)kind < TM_N_UNIT_KINDS ? unit_codes[kind] : NULL;
}

const char *tm_unit_kind_label_zh(TmUnitKind kind)
{
    return (int)kind >= 0 && (int)kind < TM_N_UNIT_KINDS ? unit_labels[kind] : NULL;
}

const char *tm_site_kind_code(TmSiteKind kind)
{
    return (int)kind >= 0 && (int)kind < TM_N_SITE_KINDS ? site_codes[kind] : NULL;
}

const char *tm_site_kind_label_zh(TmSiteKind kind)
{
    return (int)kind >= 0 && (int)kind < TM_N_SITE_KINDS ? site_labels[kind] : NULL;
}

int tm_title_from_string(const char *text)
{
    return vocab_lookup(text, title_codes, title_labels, TM_N_TITLES, title_synonyms,
                        G_N_ELEMENTS(title_synonyms));
}

int tm_unit_kind_from_string(const char *text)
{
    return vocab_lookup(text, unit_codes, unit_labels, TM_N_UNIT_KINDS, unit_synonyms,
                        G_N_ELEMENTS(unit_synonyms));
}

int tm_site_kind_from_string(const char *text)
{
    return vocab_lookup(text, site_codes, site_labels, TM_N_SITE_KINDS, site_synonyms,
                        G_N_ELEMENTS(site_synonyms));
}

/* ====================================================================== */
/* programme                                                              */
/* ====================================================================== */

typedef struct {
    TmCommissioner pub;     /* strings in the programme's chunk; arrays below */
    TmExpertise *expertise;
    const char **skills;
    const char **ranked;
    int32_t *skill_ids;
    int32_t n_skill_ids;
} CommRec;

typedef struct {
    TmSite pub;
    const char **needs;
    const char **ranked;
    int32_t *need_ids;
    int32_t n_need_ids;
} SiteRec;

struct TmProgramme {
    gint refcount;
    TmTaxonomy *taxonomy;
    GStringChunk *strings;  /* every stored string; never moves */
    GPtrArray *comms;       /* CommRec* */
    GPtrArray *sites;       /* SiteRec* */
    GHashTable *comm_by_name;  /* stored name -> id + 1 */
    GHashTable *site_by_name;
    GPtrArray *tags;        /* const char* (in chunk), by id */
    GHashTable *tag_by_key; /* normalized tag (in chunk) -> id + 1 */
};

static void comm_free(gpointer p)
{
    CommRec *r = p;
    g_free(r->expertise);
    g_free(r->skills);
    g_free(r->ranked);
    g_free(r->skill_ids);
    g_free(r);
}

static void site_free(gpointer p)
{
    SiteRec *r = p;
    g_free(r->needs);
    g_free(r->ranked);
    g_free(r->need_ids);
    g_free(r);
}

TmProgramme *tm_programme_new(const TmTaxonomy *taxonomy)
{
    TmProgramme *p = g_new0(TmProgramme, 1);
    p->refcount = 1;
    p->taxonomy = taxonomy != NULL ? tm_taxonomy_copy(taxonomy) : tm_taxonomy_new_default();
    p->strings = g_string_chunk_new(4096);
    p->comms = g_ptr_array_new_with_free_func(comm_free);
    p->sites = g_ptr_array_new_with_free_func(site_free);
    p->comm_by_name = g_hash_table_new(g_str_hash, g_str_equal);
    p->site_by_name = g_hash_table_new(g_str_hash, g_str_equal);
    p->tags = g_ptr_array_new();
    p->tag_by_key = g_hash_table_new(g_str_hash, g_str_equal);
    return p;
}

TmProgramme *tm_programme_ref(TmProgramme *programme)
{
    if (programme)
        g_atomic_int_inc(&programme->refcount);
    return programme;
}

void tm_programme_free(TmProgramme *programme)
{
    if (programme == NULL || !g_atomic_int_dec_and_test(&programme->refcount))
        return;
    tm_taxonomy_free(programme->taxonomy);
    g_ptr_array_unref(programme->comms);
    g_ptr_array_unref(programme->sites);
    g_hash_table_destroy(programme->comm_by_name);
    g_hash_table_destroy(programme->site_by_name);
    g_ptr_array_unref(programme->tags);
    g_hash_table_destroy(programme->tag_by_key);
    g_string_chunk_free(programme->strings);
    g_free(programme);
}

const TmTaxonomy *tm_programme_taxonomy(const TmProgramme *programme)
{
    return programme == NULL ? NULL : programme->taxonomy;
}

/* ---- validation -------------------------------------------------------- */

static gboolean check_name(const char *what, const char *name, GError **error)
{
    if (name == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "%s: name is NULL", what);
        return FALSE;
    }
    if (!g_utf8_validate(name, -1, NULL)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "%s: name is not valid UTF-8", what);
        return FALSE;
    }
    gsize n;
    (void)tm_i_trim(name, &n);
    if (n == 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "%s: name is empty", what);
        return FALSE;
    }
    return TRUE;
}

static gboolean check_text(const char *who, const char *field, const char *s, GError **error)
{
    if (!utf8_ok(s)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "'%s': %s is not valid UTF-8", who, field);
        return FALSE;
    }
    return TRUE;
}

static gboolean check_list(const char *who, const char *field, const char *const *items,
                           int32_t n, gboolean no_repeats, GError **error)
{
    if (n < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "'%s': %s count %d is negative", who, field, (int)n);
        return FALSE;
    }
    if (n > 0 && items == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "'%s': %s is NULL but its count is %d", who, field, (int)n);
        return FALSE;
    }
    for (int32_t i = 0; i < n; i++) {
        if (items[i] == NULL || !g_utf8_validate(items[i], -1, NULL)) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "'%s': %s entry %d is %s", who, field, (int)i + 1,
                        items[i] == NULL ? "NULL" : "not valid UTF-8");
            return FALSE;
        }
        gsize len;
        (void)tm_i_trim(items[i], &len);
        if (len == 0) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "'%s': %s entry %d is empty", who, field, (int)i + 1);
            return FALSE;
        }
    }
    if (no_repeats && n > 1) {
        GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
        gboolean ok = TRUE;
        for (int32_t i = 0; i < n && ok; i++) {
            if (!g_hash_table_add(seen, (gpointer)items[i])) {
                g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                            "'%s': %s names '%s' twice", who, field, items[i]);
                ok = FALSE;
            }
        }
        g_hash_table_destroy(seen);
        return ok;
    }
    return TRUE;
}

static gboolean check_location(const char *who, double x, double y, GError **error)
{
    if (!isfinite(x) || !isfinite(y)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "'%s': coordinates must be finite", who);
        return FALSE;
    }
    if ((x == TM_NO_LOCATION) != (y == TM_NO_LOCATION)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "'%s': give both coordinates x and y or neither", who);
        return FALSE;
    }
    return TRUE;
}

static gboolean check_int_range(const char *who, const char *field, int32_t v, int32_t lo,
                                int32_t hi, GError **error)
{
    if (v < lo || v > hi) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "'%s': %s %d is outside %d..%d", who, field, (int)v, (int)lo, (int)hi);
        return FALSE;
    }
    return TRUE;
}

/* ---- storing ------------------------------------------------------------ */

static const char *store(TmProgramme *p, const char *s)
{
    return s == NULL ? NULL : g_string_chunk_insert_const(p->strings, s);
}

/* Stores the @n strings @items into @out (n entries). */
static const char **store_list(TmProgramme *p, const char **out, const char *const *items,
                               int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        out[i] = store(p, items[i]);
    return out;
}

static int32_t intern_tag(TmProgramme *p, const char *text)
{
    char *key = normalize_key(text);
    gpointer v = g_hash_table_lookup(p->tag_by_key, key);
    int32_t id;
    if (v != NULL) {
        id = GPOINTER_TO_INT(v) - 1;
    } else {
        const char *stored = g_string_chunk_insert_const(p->strings, key);
        id = (int32_t)p->tags->len;
        g_ptr_array_add(p->tags, (gpointer)stored);
        g_hash_table_insert(p->tag_by_key, (gpointer)stored, GINT_TO_POINTER(id + 1));
    }
    g_free(key);
    return id;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The sorted, distinct tag ids of the @n strings @items into @ids (n
 * entries); their number in *@n_out. */
static int32_t *intern_tags(TmProgramme *p, int32_t *ids, const char *const *items, int32_t n,
                            int32_t *n_out)
{
    for (int32_t i = 0; i < n; i++)
        ids[i] = intern_tag(p, items[i]);
    qsort(ids, (size_t)n, sizeof *ids, cmp_i32);
    int32_t k = 0;
    for (int32_t i = 0; i < n; i++)
        if (k == 0 || ids[k - 1] != ids[i])
            ids[k++] = ids[i];
    *n_out = k;
    return ids;
}

int32_t tm_programme_add_commissioner(TmProgramme *programme, const TmCommissioner *info,
                                      GError **error)
{
    if (programme == NULL || info == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "add_commissioner: %s is NULL", programme == NULL ? "programme" : "info");
        return -1;
    }
    if (!check_name("commissioner", info->name, error))
        return -1;
    const char *who = info->name;
    int32_t n_sectors = tm_taxonomy_n_sectors(programme->taxonomy);
    if (!check_int_range(who, "team size", info->team_size, 1, G_MAXINT32, error) ||
        !check_int_range(who, "title", (int32_t)info->title, 0, TM_N_TITLES - 1, error) ||
        !check_int_range(who, "unit kind", (int32_t)info->unit_kind, 0, TM_N_UNIT_KINDS - 1,
                         error) ||
        !check_int_range(who, "service years", info->years, 0, 10, error) ||
        !check_text(who, "unit", info->unit, error) ||
        !check_text(who, "location", info->location, error) ||
        !check_location(who, info->x, info->y, error) ||
        !check_list(who, "skills", info->skills, info->n_skills, FALSE, error) ||
        !check_list(who, "ranked sites", info->ranked_sites, info->n_ranked_sites, TRUE,
                    error))
        return -1;
    if (!isfinite(info->merit)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "'%s': merit must be finite",
                    who);
        return -1;
    }
    if (info->capacity < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_NEGATIVE_CAPACITY,
                    "commissioner '%s': capacity %d is negative", who, (int)info->capacity);
        return -1;
    }
    if (info->n_expertise < 0 || (info->n_expertise > 0 && info->expertise == NULL)) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "'%s': bad expertise array (count %d)", who, (int)info->n_expertise);
        return -1;
    }
    for (int32_t i = 0; i < info->n_expertise; i++) {
        const TmExpertise *e = &info->expertise[i];
        if (e->sector < 0 || e->sector >= n_sectors) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "'%s': expertise sector %d is outside 0..%d", who, (int)e->sector,
                        (int)n_sectors - 1);
            return -1;
        }
        if (!check_int_range(who, "expertise level", e->level, 0, 3, error))
            return -1;
        for (int32_t j = 0; j < i; j++) {
            if (info->expertise[j].sector == e->sector) {
                g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                            "'%s': sector '%s' appears twice in expertise", who,
                            tm_taxonomy_code(programme->taxonomy, e->sector));
                return -1;
            }
        }
    }
    if (g_hash_table_contains(programme->comm_by_name, info->name)) {
        g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                    "a commissioner named '%s' already exists", who);
        return -1;
    }
    if (programme->comms->len >= (guint)G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "too many commissioners");
        return -1;
    }

    CommRec *r = g_new0(CommRec, 1);
    if (!(r->expertise = tm_i_try_alloc(info->n_expertise, sizeof(TmExpertise), FALSE,
                                        "commissioner expertise", error))
        || !(r->skills = tm_i_try_alloc(info->n_skills, sizeof(char *), FALSE,
                                        "commissioner skills", error))
        || !(r->skill_ids = tm_i_try_alloc(info->n_skills, sizeof(int32_t), FALSE,
                                           "commissioner skills", error))
        || !(r->ranked = tm_i_try_alloc(info->n_ranked_sites, sizeof(char *), FALSE,
                                        "commissioner wishes", error))) {
        comm_free(r); /* nothing stored yet */
        return -1;
    }
    r->pub = *info;
    r->pub.name = store(programme, info->name);
    r->pub.unit = store(programme, info->unit);
    r->pub.location = store(programme, info->location);
    r->pub.unit_support = info->unit_support ? TRUE : FALSE;
    if (info->n_expertise > 0)
        memcpy(r->expertise, info->expertise, sizeof(TmExpertise) * (size_t)info->n_expertise);
    r->pub.expertise = r->expertise;
    store_list(programme, r->skills, info->skills, info->n_skills);
    r->pub.skills = r->skills;
    store_list(programme, r->ranked, info->ranked_sites, info->n_ranked_sites);
    r->pub.ranked_sites = r->ranked;
    intern_tags(programme, r->skill_ids, info->skills, info->n_skills, &r->n_skill_ids);
    int32_t id = (int32_t)programme->comms->len;
    g_ptr_array_add(programme->comms, r);
    g_hash_table_insert(programme->comm_by_name, (gpointer)r->pub.name, GINT_TO_POINTER(id + 1));
    return id;
}

int32_t tm_programme_add_site(TmProgramme *programme, const TmSite *info, GError **error)
{
    if (programme == NULL || info == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "add_site: %s is NULL", programme == NULL ? "programme" : "info");
        return -1;
    }
    if (!check_name("site", info->name, error))
        return -1;
    const char *who = info->name;
    int32_t n_sectors = tm_taxonomy_n_sectors(programme->taxonomy);
    if (info->sector < 0 || info->sector >= n_sectors) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "'%s': sector %d is outside 0..%d", who, (int)info->sector,
                    (int)n_sectors - 1);
        return -1;
    }
    if (!check_int_range(who, "site kind", (int32_t)info->kind, 0, TM_N_SITE_KINDS - 1, error) ||
        !check_int_range(who, "minimum title", (int32_t)info->min_title, 0, TM_N_TITLES - 1,
                         error) ||
        !check_int_range(who, "service years", info->years, 0, 10, error) ||
        !check_text(who, "location", info->location, error) ||
        !check_location(who, info->x, info->y, error) ||
        !check_list(who, "needs", info->needs, info->n_needs, FALSE, error) ||
        !check_list(who, "ranked commissioners", info->ranked_commissioners,
                    info->n_ranked_commissioners, TRUE, error))
        return -1;
    if (info->capacity < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_NEGATIVE_CAPACITY,
                    "site '%s': capacity %d is negative", who, (int)info->capacity);
        return -1;
    }
    if (g_hash_table_contains(programme->site_by_name, info->name)) {
        g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE, "a site named '%s' already exists",
                    who);
        return -1;
    }
    if (programme->sites->len >= (guint)G_MAXINT32) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW, "too many sites");
        return -1;
    }

    SiteRec *r = g_new0(SiteRec, 1);
    if (!(r->needs = tm_i_try_alloc(info->n_needs, sizeof(char *), FALSE, "site needs", error))
        || !(r->need_ids = tm_i_try_alloc(info->n_needs, sizeof(int32_t), FALSE, "site needs",
                                          error))
        || !(r->ranked = tm_i_try_alloc(info->n_ranked_commissioners, sizeof(char *), FALSE,
                                        "site wishes", error))) {
        site_free(r); /* nothing stored yet */
        return -1;
    }
    r->pub = *info;
    r->pub.name = store(programme, info->name);
    r->pub.location = store(programme, info->location);
    r->pub.has_clinic = info->has_clinic ? TRUE : FALSE;
    store_list(programme, r->needs, info->needs, info->n_needs);
    r->pub.needs = r->needs;
    store_list(programme, r->ranked, info->ranked_commissioners, info->n_ranked_commissioners);
    r->pub.ranked_commissioners = r->ranked;
    intern_tags(programme, r->need_ids, info->needs, info->n_needs, &r->n_need_ids);
    int32_t id = (int32_t)programme->sites->len;
    g_ptr_array_add(programme->sites, r);
    g_hash_table_insert(programme->site_by_name, (gpointer)r->pub.name, GINT_TO_POINTER(id + 1));
    return id;
}

/* ---- reading ------------------------------------------------------------ */

int32_t tm_programme_n_commissioners(const TmProgramme *programme)
{
    return programme == NULL ? 0 : (int32_t)programme->comms->len;
}

int32_t tm_programme_n_sites(const TmProgramme *programme)
{
    return programme == NULL ? 0 : (int32_t)programme->sites->len;
}

static const CommRec *comm_at(const TmProgramme *p, int32_t id)
{
    if (p == NULL || id < 0 || (guint)id >= p->comms->len)
        return NULL;
    return g_ptr_array_index(p->comms, id);
}

static const SiteRec *site_at(const TmProgramme *p, int32_t id)
{
    if (p == NULL || id < 0 || (guint)id >= p->sites->len)
        return NULL;
    return g_ptr_array_index(p->sites, id);
}

const TmCommissioner *tm_programme_commissioner(const TmProgramme *programme, int32_t id)
{
    const CommRec *r = comm_at(programme, id);
    return r ? &r->pub : NULL;
}

const TmSite *tm_programme_site(const TmProgramme *programme, int32_t id)
{
    const SiteRec *r = site_at(programme, id);
    return r ? &r->pub : NULL;
}

int32_t tm_programme_find_commissioner(const TmProgramme *programme, const char *name)
{
    if (programme == NULL || name == NULL)
        return -1;
    return GPOINTER_TO_INT(g_hash_table_lookup(programme->comm_by_name, name)) - 1;
}

int32_t tm_programme_find_site(const TmProgramme *programme, const char *name)
{
    if (programme == NULL || name == NULL)
        return -1;
    return GPOINTER_TO_INT(g_hash_table_lookup(programme->site_by_name, name)) - 1;
}

int32_t tm_programme_expertise(const TmProgramme *programme, int32_t c, int32_t sector)
{
    const CommRec *r = comm_at(programme, c);
    if (r == NULL)
        return 0;
    for (int32_t i = 0; i < r->pub.n_expertise; i++)
        if (r->expertise[i].sector == sector)
            return r->expertise[i].level;
    return 0;
}

int32_t tm_programme_n_tags(const TmProgramme *programme)
{
    return programme == NULL ? 0 : (int32_t)programme->tags->len;
}

const char *tm_programme_tag(const TmProgramme *programme, int32_t tag)
{
    if (programme == NULL || tag < 0 || (guint)tag >= programme->tags->len)
        return NULL;
    return g_ptr_array_index(programme->tags, tag);
}

const int32_t *tm_programme_skill_ids(const TmProgramme *programme, int32_t c, int32_t *n)
{
    const CommRec *r = comm_at(programme, c);
    if (n != NULL)
        *n = r ? r->n_skill_ids : 0;
    return r ? r->skill_ids : NULL;
}

const int32_t *tm_programme_need_ids(const TmProgramme *programme, int32_t s, int32_t *n)
{
    const SiteRec *r = site_at(programme, s);
    if (n != NULL)
        *n = r ? r->n_need_ids : 0;
    return r ? r->need_ids : NULL;
}

/* ---- rollback ----------------------------------------------------------- */

/* One more than the largest tag id a remaining agent uses (0 when none). */
static int32_t tags_in_use(const TmProgramme *p)
{
    int32_t n = 0;
    for (guint i = 0; i < p->comms->len; i++) {
        const CommRec *r = g_ptr_array_index(p->comms, i);
        if (r->n_skill_ids > 0 && r->skill_ids[r->n_skill_ids - 1] >= n)
            n = r->skill_ids[r->n_skill_ids - 1] + 1; /* ids are sorted */
    }
    for (guint i = 0; i < p->sites->len; i++) {
        const SiteRec *r = g_ptr_array_index(p->sites, i);
        if (r->n_need_ids > 0 && r->need_ids[r->n_need_ids - 1] >= n)
            n = r->need_ids[r->n_need_ids - 1] + 1;
    }
    return n;
}

gboolean tm_programme_truncate(TmProgramme *p, int32_t n_commissioners, int32_t n_sites,
                               GError **error)
{
    if (p == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "truncate: programme is NULL");
        return FALSE;
    }
    if (n_commissioners < 0 || n_commissioners > (int32_t)p->comms->len || n_sites < 0
        || n_sites > (int32_t)p->sites->len) {
        g_set_error(error, TM_ERROR, TM_ERROR_OUT_OF_RANGE,
                    "truncate: %" G_GINT32_FORMAT " commissioners and %" G_GINT32_FORMAT
                    " sites requested, the programme has %u and %u",
                    n_commissioners, n_sites, p->comms->len, p->sites->len);
        return FALSE;
    }
    while ((int32_t)p->comms->len > n_commissioners) {
        const CommRec *r = g_ptr_array_index(p->comms, p->comms->len - 1);
        g_hash_table_remove(p->comm_by_name, r->pub.name);
        g_ptr_array_set_size(p->comms, p->comms->len - 1);
    }
    while ((int32_t)p->sites->len > n_sites) {
        const SiteRec *r = g_ptr_array_index(p->sites, p->sites->len - 1);
        g_hash_table_remove(p->site_by_name, r->pub.name);
        g_ptr_array_set_size(p->sites, p->sites->len - 1);
    }
    int32_t n_tags = tags_in_use(p);
    while ((int32_t)p->tags->len > n_tags) {
        const char *t = g_ptr_array_index(p->tags, p->tags->len - 1);
        g_hash_table_remove(p->tag_by_key, t);
        g_ptr_array_set_size(p->tags, p->tags->len - 1);
    }
    /* strings stay in the chunk (unreachable, freed with the programme) */
    return TRUE;
}
