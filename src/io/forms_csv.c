/* techmatch — CSV readers for the two forms of the programme (see forms.h and
 * docs/forms.md): the demand registration form (sites) and the application
 * form (commissioners). */
#include <math.h>
#include <string.h>

#include <techmatch/forms.h>

#include "io/csv.h"
#include "io/forms_private.h"
#include "util/alloc.h"
#include "util/text.h"

/* ====================================================================== */
/* column specifications                                                  */
/* ====================================================================== */

typedef struct {
    const char *en;        /* canonical English header (also the code) */
    const char *zh;        /* canonical Chinese header */
    const char *aliases;   /* more accepted headers, '|'-separated, normalized */
    gboolean required;
} ColumnSpec;

enum {
    SF_NAME, SF_KIND, SF_SECTOR, SF_CLINIC, SF_NEEDS, SF_MIN_TITLE, SF_YEARS, SF_CAPACITY,
    SF_X, SF_Y, SF_LOCATION, SF_RANKED, SF_N
};

static const ColumnSpec site_columns[SF_N] = {
    [SF_NAME] = {"name", "名称", "site|单位名称|派驻点|派驻点名称|需求单位|企业名称", TRUE},
    [SF_KIND] = {"kind", "类型", "site_kind|派驻点类型|单位类型|单位性质", TRUE},
    [SF_SECTOR] = {"sector", "行业", "所属行业|产业|所属产业|领域|所属领域", TRUE},
    [SF_CLINIC] = {"clinic", "卫生服务站", "has_clinic|有卫生服务站|社区卫生服务站|诊所|医疗机构", FALSE},
    [SF_NEEDS] = {"needs", "需求", "need|服务需求|需求类型|技术需求|需求标签", FALSE},
    [SF_MIN_TITLE] = {"min_title", "最低职称", "职称要求|要求职称", FALSE},
    [SF_YEARS] = {"years", "服务年限", "年限|服务期限|期限", FALSE},
    [SF_CAPACITY] = {"capacity", "名额", "需求人数|接收人数|容量|人数", FALSE},
    [SF_X] = {"x", "横坐标", "x坐标", FALSE},
    [SF_Y] = {"y", "纵坐标", "y坐标", FALSE},
    [SF_LOCATION] = {"location", "地址", "位置|所在地|所在街道|所在乡镇|address", FALSE},
    [SF_RANKED] = {"ranked", "意向特派员", "ranked_commissioners|意向人选|preferred|wishes|意向", FALSE},
};

enum {
    CF_NAME, CF_TITLE, CF_UNIT, CF_UNIT_KIND, CF_SUPPORT, CF_TEAM, CF_EXPERTISE, CF_SKILLS,
    CF_YEARS, CF_CAPACITY, CF_X, CF_Y, CF_LOCATION, CF_MERIT, CF_WISHES, CF_N
};

static const ColumnSpec comm_columns[CF_N] = {
    [CF_NAME] = {"name", "姓名", "名称|申请人|团队名称|特派员|commissioner", TRUE},
    [CF_TITLE] = {"title", "职称", "专业技术职称|技术职称", TRUE},
    [CF_UNIT] = {"unit", "派出单位", "工作单位|单位|单位名称", FALSE},
    [CF_UNIT_KIND] = {"unit_kind", "单位类型", "派出单位类型|单位性质", TRUE},
    [CF_SUPPORT] = {"unit_support", "单位支持", "support|派出单位意见|单位意见|单位同意|单位是否支持", TRUE},
    [CF_TEAM] = {"team_size", "团队人数", "team|人数|团队规模", FALSE},
    [CF_EXPERTISE] = {"expertise", "专长", "专业领域|服务方向|擅长领域|领域|sectors", FALSE},
    [CF_SKILLS] = {"skills", "技能", "skill|技术专长|专业技能|技能标签|服务内容", FALSE},
    [CF_YEARS] = {"years", "服务年限", "年限|服务期限|期限", FALSE},
    [CF_CAPACITY] = {"capacity", "服务点数", "可服务点数|容量|名额", FALSE},
    [CF_X] = {"x", "横坐标", "x坐标", FALSE},
    [CF_Y] = {"y", "纵坐标", "y坐标", FALSE},
    [CF_LOCATION] = {"location", "地址", "位置|所在地|address", FALSE},
    [CF_MERIT] = {"merit", "评分", "score|得分|综合评分|择优得分|评审得分", FALSE},
    [CF_WISHES] = {"wishes", "意向派驻点", "ranked_sites|ranked|意向单位|志愿|意向", FALSE},
};

/* Columns people commonly keep in the forms that the library does not use:
 * ignored without a warning. */
static const char site_info_columns[] =
    "id|序号|编号|contact|联系人|phone|电话|联系电话|email|邮箱|note|notes|备注|remark|"
    "description|需求描述|说明|情况说明";
static const char comm_info_columns[] =
    "id|序号|编号|contact|联系人|phone|电话|联系电话|手机|email|邮箱|note|notes|备注|remark|"
    "gender|性别|age|年龄|education|学历|major|专业|所学专业|description|说明|个人简介|简介";

#define MERIT_MAX 100.0
#define COORD_MAX 1e6
#define CAPACITY_MAX 1000000
#define TEAM_MAX 1000
#define YEARS_MAX 10
#define DEFAULT_LEVEL 2

/* ====================================================================== */
/* reading context                                                        */
/* ====================================================================== */

typedef enum { FORM_SITES, FORM_COMMISSIONERS } FormKind;

typedef struct {
    int column;       /* 1-based, 0 = whole row */
    char *message;
} RowError;

typedef struct {
    TmSite s;
    int line;
} PSite;

typedef struct {
    TmCommissioner c;
    int line;
} PComm;

typedef struct {
    TmProgramme *prog;
    const TmTaxonomy *tax;
    const char *file;
    TmFormsMode mode;
    TmFormDiagnostics *diags;  /* may be NULL */
    FormKind kind;
    const ColumnSpec *spec;
    int n_spec;
    int col_of[(int)CF_N > (int)SF_N ? (int)CF_N : (int)SF_N]; /* field -> 0-based column, or -1 */
    char **headers;            /* as written, trimmed */
    int n_headers;
    GStringChunk *strings;     /* parsed values */
    GPtrArray *owned;          /* arrays owned by parsed rows */
    GHashTable *names;         /* name (in strings) -> line */
    GArray *rows;              /* PSite or PComm */
    char *known_sectors;       /* "eit, culture, ..." */
    int n_bad_rows;
} Ctx;

static void add_diag(Ctx *ctx, TmFormSeverity sev, int line, int column, const char *message)
{
    const char *field = (column >= 1 && column <= ctx->n_headers
                         && ctx->headers[column - 1][0] != '\0')
                            ? ctx->headers[column - 1]
                            : NULL;
    tm_i_form_diagnostics_add(ctx->diags, ctx->file, line, column, field, message, sev);
}

/* Records an error diagnostic and sets @error (TM_ERROR_PARSE). */
static void fail_at(Ctx *ctx, GError **error, int line, int column, const char *message)
{
    add_diag(ctx, TM_FORM_ERROR, line, column, message);
    const char *field = (column >= 1 && column <= ctx->n_headers &&
                         ctx->headers[column - 1][0] != '\0')
                            ? ctx->headers[column - 1]
                            : NULL;
    char *full = tm_i_form_position(ctx->file, line, column, field, message, FALSE);
    g_set_error_literal(error, TM_ERROR, TM_ERROR_PARSE, full);
    g_free(full);
}

/* ====================================================================== */
/* cell helpers                                                           */
/* ====================================================================== */

/* Normalizes a header: trims, drops a trailing required-marker `*`/`＊` and a
 * parenthesised note (`名额（人）`, `capacity (persons)`), lower-cases ASCII,
 * and maps ' ' and '-' to '_'. */
static char *normalize_header(const char *text)
{
    gsize n;
    const char *p = tm_i_trim(text, &n);
    char *s = g_strndup(p, n);
    char *cut = strstr(s, "(");
    char *cut2 = strstr(s, "（");
    if (cut2 != NULL && (cut == NULL || cut2 < cut))
        cut = cut2;
    if (cut != NULL)
        *cut = '\0';
    for (;;) {
        gsize len = strlen(s);
        if (len > 0 && s[len - 1] == '*')
            s[len - 1] = '\0';
        else if (len >= 3 && strcmp(s + len - 3, "＊") == 0)
            s[len - 3] = '\0';
        else
            break;
    }
    const char *st = tm_i_trim(s, &n);
    char *t = g_strndup(st, n);
    g_free(s);
    for (char *q = t; *q; q++) {
        *q = g_ascii_tolower(*q);
        if (*q == ' ' || *q == '-')
            *q = '_';
    }
    return t;
}

static gboolean in_alias_list(const char *list, const char *key)
{
    gsize klen = strlen(key);
    const char *p = list;
    while (*p) {
        const char *bar = strchr(p, '|');
        gsize len = bar ? (gsize)(bar - p) : strlen(p);
        if (len == klen && memcmp(p, key, len) == 0)
            return TRUE;
        if (bar == NULL)
            break;
        p = bar + 1;
    }
    return FALSE;
}

/* Field index of a normalized header, -1 unknown, -2 informational. */
static int lookup_column(const Ctx *ctx, const char *key)
{
    for (int f = 0; f < ctx->n_spec; f++) {
        const ColumnSpec *c = &ctx->spec[f];
        if (strcmp(key, c->en) == 0 || strcmp(key, c->zh) == 0 || in_alias_list(c->aliases, key))
            return f;
    }
    if (in_alias_list(ctx->kind == FORM_SITES ? site_info_columns : comm_info_columns, key))
        return -2;
    return -1;
}

/* Trimmed cell value of @field (NUL-terminated, inside the record's buffer,
 * which it modifies); "" when the column is absent. */
static const char *cell(const Ctx *ctx, TmCsvRecord *rec, int field)
{
    int col = ctx->col_of[field];
    if (col < 0 || col >= rec->n)
        return "";
    gsize len;
    char *s = (char *)tm_csv_field(rec, col, &len);
    gsize n;
    const char *p = tm_i_trim(s, &n);
    ((char *)p)[n] = '\0';
    return p;
}

static gboolean row_fail(RowError *e, int column, char *message)
{
    e->column = column;
    e->message = message;
    return FALSE;
}

#define COL(f) (ctx->col_of[(f)] + 1)

static gboolean parse_int(const Ctx *ctx, TmCsvRecord *rec, int field, const char *what,
                          int64_t lo, int64_t hi, int64_t def, int32_t *out, RowError *e)
{
    const char *s = cell(ctx, rec, field);
    if (*s == '\0') {
        *out = (int32_t)def;
        return TRUE;
    }
    const char *p = s;
    gboolean neg = FALSE;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if (*p == '\0')
        return row_fail(e, COL(field), g_strdup_printf("%s '%s' is not a whole number", what, s));
    int64_t v = 0;
    gboolean big = FALSE;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return row_fail(e, COL(field),
                            g_strdup_printf("%s '%s' is not a whole number", what, s));
        if (v > (int64_t)1 << 40)
            big = TRUE;
        else
            v = v * 10 + (*p - '0');
    }
    if (neg)
        v = -v;
    if (big || v < lo || v > hi)
        return row_fail(e, COL(field),
                        g_strdup_printf("%s %s is out of range %" G_GINT64_FORMAT
                                        "..%" G_GINT64_FORMAT,
                                        what, s, lo, hi));
    *out = (int32_t)v;
    return TRUE;
}

static gboolean parse_double(const Ctx *ctx, TmCsvRecord *rec, int field, const char *what,
                             double lo, double hi, double *out, gboolean *given, RowError *e)
{
    const char *s = cell(ctx, rec, field);
    *given = *s != '\0';
    if (!*given)
        return TRUE;
    char *end = NULL;
    double v = g_ascii_strtod(s, &end);
    if (end == s || *end != '\0' || isnan(v))
        return row_fail(e, COL(field), g_strdup_printf("%s '%s' is not a number", what, s));
    if (!isfinite(v) || v < lo || v > hi)
        return row_fail(e, COL(field),
                        g_strdup_printf("%s %s is out of range %g..%g", what, s, lo, hi));
    *out = v;
    return TRUE;
}

static int parse_bool_text(const char *s)
{
    static const char *const yes[] = {"1", "y", "yes", "true", "t", "是", "有", "支持", "同意",
                                      "√", "✓", "✔", "对"};
    static const char *const no[] = {"0", "n", "no", "false", "f", "否", "无", "没有",
                                     "不支持", "不同意", "×", "✗", "✘"};
    char *k = g_ascii_strdown(s, -1);
    int r = -1;
    for (gsize i = 0; i < G_N_ELEMENTS(yes) && r < 0; i++)
        if (strcmp(k, yes[i]) == 0)
            r = 1;
    for (gsize i = 0; i < G_N_ELEMENTS(no) && r < 0; i++)
        if (strcmp(k, no[i]) == 0)
            r = 0;
    g_free(k);
    return r;
}

static gboolean parse_bool(const Ctx *ctx, TmCsvRecord *rec, int field, const char *what,
                           gboolean required, gboolean *out, RowError *e)
{
    const char *s = cell(ctx, rec, field);
    if (*s == '\0') {
        if (required)
            return row_fail(e, COL(field),
                            g_strdup_printf("%s is empty (give yes/no, 是/否)", what));
        *out = FALSE;
        return TRUE;
    }
    int b = parse_bool_text(s);
    if (b < 0)
        return row_fail(e, COL(field),
                        g_strdup_printf("%s '%s' is not yes/no (是/否)", what, s));
    *out = b;
    return TRUE;
}

/* List separators: ; ；(U+FF1B) 、(U+3001) ，(U+FF0C) and line breaks. */
static gsize separator_len(const char *p)
{
    if (*p == ';' || *p == '\n' || *p == '\r')
        return 1;
    if ((guchar)p[0] == 0xEF && (guchar)p[1] == 0xBC &&
        ((guchar)p[2] == 0x9B || (guchar)p[2] == 0x8C))
        return 3;
    if ((guchar)p[0] == 0xE3 && (guchar)p[1] == 0x80 && (guchar)p[2] == 0x81)
        return 3;
    return 0;
}

/* Splits a list cell into trimmed, non-empty items stored in ctx->strings;
 * the array is owned by ctx->owned. */
static const char **split_list(Ctx *ctx, const char *s, int32_t *n_out)
{
    GPtrArray *items = g_ptr_array_new();
    const char *p = s;
    while (*p) {
        const char *q = p;
        gsize sl = 0;
        while (*q && (sl = separator_len(q)) == 0)
            q++;
        char *item = g_strndup(p, (gsize)(q - p));
        gsize n;
        const char *t = tm_i_trim(item, &n);
        if (n > 0)
            g_ptr_array_add(items, g_string_chunk_insert_len(ctx->strings, t, (gssize)n));
        g_free(item);
        p = *q ? q + sl : q;
    }
    *n_out = (int32_t)items->len;
    const char **arr = (const char **)g_ptr_array_free(items, FALSE);
    g_ptr_array_add(ctx->owned, arr);
    return arr;
}

static gboolean check_no_repeats(const Ctx *ctx, int field, const char *what,
                                 const char *const *items, int32_t n, RowError *e)
{
    for (int32_t i = 1; i < n; i++)
        for (int32_t j = 0; j < i; j++)
            if (strcmp(items[i], items[j]) == 0)
                return row_fail(e, COL(field),
                                g_strdup_printf("%s names '%s' twice", what, items[i]));
    return TRUE;
}

static gboolean parse_name(Ctx *ctx, TmCsvRecord *rec, int field, const char *side,
                           const char **out, RowError *e)
{
    const char *s = cell(ctx, rec, field);
    if (*s == '\0')
        return row_fail(e, COL(field), g_strdup_printf("the %s name is empty", side));
    if (strchr(s, '\n') != NULL)
        return row_fail(e, COL(field), g_strdup_printf("the %s name contains a line break", side));
    gpointer line;
    if (g_hash_table_lookup_extended(ctx->names, s, NULL, &line))
        return row_fail(e, COL(field),
                        g_strdup_printf("duplicate %s name '%s' (first given on line %d)", side,
                                        s, GPOINTER_TO_INT(line)));
    gboolean exists = ctx->kind == FORM_SITES ? tm_programme_find_site(ctx->prog, s) >= 0
                                              : tm_programme_find_commissioner(ctx->prog, s) >= 0;
    if (exists)
        return row_fail(e, COL(field),
                        g_strdup_printf("duplicate %s name '%s' (already in the programme, "
                                        "from an earlier form)",
                                        side, s));
    *out = g_string_chunk_insert(ctx->strings, s);
    return TRUE;
}

static gboolean parse_sector(Ctx *ctx, const char *text, int field, const char *context,
                             int32_t *out, RowError *e)
{
    int32_t s = tm_taxonomy_find(ctx->tax, text);
    if (s < 0)
        return row_fail(e, COL(field),
                        g_strdup_printf("unknown sector '%s'%s (known: %s)", text, context,
                                        ctx->known_sectors));
    *out = s;
    return TRUE;
}

static gboolean parse_location(Ctx *ctx, TmCsvRecord *rec, int fx, int fy, double *x,
                               double *y, RowError *e)
{
    gboolean gx, gy;
    double vx = 0, vy = 0;
    if (!parse_double(ctx, rec, fx, "x", -COORD_MAX, COORD_MAX, &vx, &gx, e) ||
        !parse_double(ctx, rec, fy, "y", -COORD_MAX, COORD_MAX, &vy, &gy, e))
        return FALSE;
    if (gx != gy)
        return row_fail(e, COL(gx ? fy : fx),
                        g_strdup_printf("%s is given without %s (give both coordinates or "
                                        "neither)",
                                        gx ? "x" : "y", gx ? "y" : "x"));
    *x = gx ? vx : TM_NO_LOCATION;
    *y = gy ? vy : TM_NO_LOCATION;
    return TRUE;
}

static const char *opt_string(Ctx *ctx, TmCsvRecord *rec, int field)
{
    const char *s = cell(ctx, rec, field);
    return *s ? g_string_chunk_insert(ctx->strings, s) : NULL;
}

/* ---- one row of each form ------------------------------------------------ */

static gboolean parse_site_row(Ctx *ctx, TmCsvRecord *rec, PSite *out, RowError *e)
{
    TmSite *s = &out->s;
    memset(s, 0, sizeof *s);
    if (!parse_name(ctx, rec, SF_NAME, "site", &s->name, e))
        return FALSE;

    const char *kind = cell(ctx, rec, SF_KIND);
    if (*kind == '\0')
        return row_fail(e, COL(SF_KIND), g_strdup("the site kind is empty"));
    int k = tm_site_kind_from_string(kind);
    if (k < 0)
        return row_fail(e, COL(SF_KIND),
                        g_strdup_printf("unknown site kind '%s' (known: high_tech, innovative, "
                                        "rd_enterprise, park, agri_base, village, community, "
                                        "other, or their Chinese labels)",
                                        kind));
    s->kind = (TmSiteKind)k;

    const char *sector = cell(ctx, rec, SF_SECTOR);
    if (*sector == '\0')
        return row_fail(e, COL(SF_SECTOR), g_strdup("the sector is empty"));
    if (!parse_sector(ctx, sector, SF_SECTOR, "", &s->sector, e))
        return FALSE;

    if (!parse_bool(ctx, rec, SF_CLINIC, "clinic", FALSE, &s->has_clinic, e))
        return FALSE;
    s->needs = split_list(ctx, cell(ctx, rec, SF_NEEDS), &s->n_needs);

    const char *mt = cell(ctx, rec, SF_MIN_TITLE);
    if (*mt == '\0') {
        s->min_title = TM_TITLE_NONE;
    } else {
        int t = tm_title_from_string(mt);
        if (t < 0)
            return row_fail(e, COL(SF_MIN_TITLE),
                            g_strdup_printf("unknown title '%s' (known: none, junior, "
                                            "intermediate, senior, 初级, 中级, 高级, ...)",
                                            mt));
        s->min_title = (TmTitle)t;
    }
    if (!parse_int(ctx, rec, SF_YEARS, "service years", 0, YEARS_MAX, 1, &s->years, e) ||
        !parse_int(ctx, rec, SF_CAPACITY, "capacity", 0, CAPACITY_MAX, 1, &s->capacity, e) ||
        !parse_location(ctx, rec, SF_X, SF_Y, &s->x, &s->y, e))
        return FALSE;
    s->location = opt_string(ctx, rec, SF_LOCATION);
    s->ranked_commissioners =
        split_list(ctx, cell(ctx, rec, SF_RANKED), &s->n_ranked_commissioners);
    if (!check_no_repeats(ctx, SF_RANKED, "the ranked list", s->ranked_commissioners,
                          s->n_ranked_commissioners, e))
        return FALSE;
    return TRUE;
}

static gboolean parse_expertise(Ctx *ctx, TmCsvRecord *rec, TmCommissioner *c, RowError *e)
{
    int32_t n = 0;
    const char **items = split_list(ctx, cell(ctx, rec, CF_EXPERTISE), &n);
    TmExpertise *ex = g_new(TmExpertise, n > 0 ? n : 1);
    g_ptr_array_add(ctx->owned, ex);
    for (int32_t i = 0; i < n; i++) {
        const char *item = items[i];
        /* the last ':' '：' or '=' separates the level */
        const char *sep = NULL;
        gsize sep_len = 0;
        for (const char *p = item; *p; p++) {
            if (*p == ':' || *p == '=') {
                sep = p;
                sep_len = 1;
            } else if ((guchar)p[0] == 0xEF && (guchar)p[1] == 0xBC && (guchar)p[2] == 0x9A) {
                sep = p;
                sep_len = 3;
            }
        }
        char *name = sep ? g_strndup(item, (gsize)(sep - item)) : g_strdup(item);
        int32_t level = DEFAULT_LEVEL;
        gboolean ok = TRUE;
        if (sep != NULL) {
            gsize ln;
            const char *lv = tm_i_trim(sep + sep_len, &ln);
            char *lvs = g_strndup(lv, ln);
            char *end = NULL;
            gint64 v = g_ascii_strtoll(lvs, &end, 10);
            if (ln == 0 || end == NULL || *end != '\0') {
                ok = row_fail(e, COL(CF_EXPERTISE),
                              g_strdup_printf("expertise level '%s' in '%s' is not a whole "
                                              "number",
                                              lvs, item));
            } else if (v < 0 || v > 3) {
                ok = row_fail(e, COL(CF_EXPERTISE),
                              g_strdup_printf("expertise level %s in '%s' is out of range 0..3",
                                              lvs, item));
            } else {
                level = (int32_t)v;
            }
            g_free(lvs);
        }
        if (ok)
            ok = parse_sector(ctx, name, CF_EXPERTISE, " in expertise", &ex[i].sector, e);
        g_free(name);
        if (!ok)
            return FALSE;
        ex[i].level = level;
        for (int32_t j = 0; j < i; j++)
            if (ex[j].sector == ex[i].sector)
                return row_fail(e, COL(CF_EXPERTISE),
                                g_strdup_printf("sector '%s' appears twice in expertise",
                                                tm_taxonomy_code(ctx->tax, ex[i].sector)));
    }
    c->expertise = ex;
    c->n_expertise = n;
    return TRUE;
}

static gboolean parse_comm_row(Ctx *ctx, TmCsvRecord *rec, PComm *out, RowError *e)
{
    TmCommissioner *c = &out->c;
    memset(c, 0, sizeof *c);
    if (!parse_name(ctx, rec, CF_NAME, "commissioner", &c->name, e))
        return FALSE;

    const char *title = cell(ctx, rec, CF_TITLE);
    if (*title == '\0')
        return row_fail(e, COL(CF_TITLE), g_strdup("the title is empty"));
    int t = tm_title_from_string(title);
    if (t < 0)
        return row_fail(e, COL(CF_TITLE),
                        g_strdup_printf("unknown title '%s' (known: none, junior, intermediate, "
                                        "senior, 初级, 中级, 高级, 副高, 正高, 讲师, 教授, ...)",
                                        title));
    c->title = (TmTitle)t;
    c->unit = opt_string(ctx, rec, CF_UNIT);

    const char *uk = cell(ctx, rec, CF_UNIT_KIND);
    if (*uk == '\0')
        return row_fail(e, COL(CF_UNIT_KIND), g_strdup("the unit kind is empty"));
    int u = tm_unit_kind_from_string(uk);
    if (u < 0)
        return row_fail(e, COL(CF_UNIT_KIND),
                        g_strdup_printf("unknown unit kind '%s' (known: university, institute, "
                                        "public, enterprise, other, 高校, 科研院所, 事业单位, "
                                        "企业, 其他)",
                                        uk));
    c->unit_kind = (TmUnitKind)u;
    if (!parse_bool(ctx, rec, CF_SUPPORT, "unit support", TRUE, &c->unit_support, e) ||
        !parse_int(ctx, rec, CF_TEAM, "team size", 1, TEAM_MAX, 1, &c->team_size, e) ||
        !parse_expertise(ctx, rec, c, e))
        return FALSE;
    c->skills = split_list(ctx, cell(ctx, rec, CF_SKILLS), &c->n_skills);
    if (!parse_int(ctx, rec, CF_YEARS, "service years", 0, YEARS_MAX, 1, &c->years, e) ||
        !parse_int(ctx, rec, CF_CAPACITY, "capacity", 0, CAPACITY_MAX, 1, &c->capacity, e) ||
        !parse_location(ctx, rec, CF_X, CF_Y, &c->x, &c->y, e))
        return FALSE;
    c->location = opt_string(ctx, rec, CF_LOCATION);
    gboolean given;
    c->merit = 0.0;
    if (!parse_double(ctx, rec, CF_MERIT, "merit", 0.0, MERIT_MAX, &c->merit, &given, e))
        return FALSE;
    c->ranked_sites = split_list(ctx, cell(ctx, rec, CF_WISHES), &c->n_ranked_sites);
    if (!check_no_repeats(ctx, CF_WISHES, "the wish list", c->ranked_sites, c->n_ranked_sites,
                          e))
        return FALSE;
    return TRUE;
}

/* ====================================================================== */
/* the reader                                                             */
/* ====================================================================== */

static char *describe_bad_utf8(const char *s, gsize len)
{
    const char *end = NULL;
    (void)g_utf8_validate_len(s, len, &end);
    guchar b = (guchar)*end;
    if (b == 0)
        return g_strdup("the cell contains a NUL byte");
    return g_strdup_printf("invalid UTF-8 (byte 0x%02X at byte %" G_GSIZE_FORMAT
                           " of the cell); save the file as UTF-8 (it may be GBK/GB18030)",
                           b, (gsize)(end - s) + 1);
}

static gboolean record_is_blank(const TmCsvRecord *rec)
{
    for (int i = 0; i < rec->n; i++) {
        gsize len, n;
        const char *f = tm_csv_field(rec, i, &len);
        if (memchr(f, '\0', len) != NULL)
            return FALSE;
        (void)tm_i_trim(f, &n);
        if (n > 0)
            return FALSE;
    }
    return TRUE;
}

static void ctx_clear(Ctx *ctx)
{
    if (ctx->headers != NULL)
        g_strfreev(ctx->headers);
    if (ctx->strings != NULL)
        g_string_chunk_free(ctx->strings);
    if (ctx->owned != NULL)
        g_ptr_array_unref(ctx->owned);
    if (ctx->names != NULL)
        g_hash_table_destroy(ctx->names);
    if (ctx->rows != NULL)
        g_array_unref(ctx->rows);
    g_free(ctx->known_sectors);
}

/* Reads the header record; FALSE (with @error) on a file-level problem. */
static gboolean read_header(Ctx *ctx, TmCsv *csv, TmCsvRecord *rec, GError **error)
{
    gboolean got = FALSE;
    while (tm_csv_next(csv, rec)) {
        if (!record_is_blank(rec) || rec->error != NULL) {
            got = TRUE;
            break;
        }
    }
    if (!got) {
        fail_at(ctx, error, 1, 0, "empty file: no header row (the first row must name the columns)");
        return FALSE;
    }
    int line = rec->line;
    for (int i = 0; i < rec->n; i++) {
        gsize len;
        const char *f = tm_csv_field(rec, i, &len);
        if (!g_utf8_validate_len(f, len, NULL)) {
            char *why = describe_bad_utf8(f, len);
            char *msg = g_strdup_printf("header: %s", why);
            fail_at(ctx, error, line, i + 1, msg);
            g_free(why);
            g_free(msg);
            return FALSE;
        }
    }
    ctx->headers = tm_i_try_alloc((int64_t)rec->n + 1, sizeof(char *), TRUE, "form headers",
                                  error);
    if (ctx->headers == NULL)
        return FALSE;
    ctx->n_headers = rec->n;
    for (int i = 0; i < rec->n; i++) {
        gsize n;
        const char *t = tm_i_trim(tm_csv_field(rec, i, NULL), &n);
        ctx->headers[i] = g_strndup(t, n);
    }
    if (rec->error != NULL) {
        char *msg = g_strdup_printf("header: %s", rec->error);
        fail_at(ctx, error, line, rec->error_field + 1, msg);
        g_free(msg);
        return FALSE;
    }
    for (int f = 0; f < ctx->n_spec; f++)
        ctx->col_of[f] = -1;
    for (int i = 0; i < rec->n; i++) {
        if (ctx->headers[i][0] == '\0') {
            add_diag(ctx, TM_FORM_WARNING, line, i + 1, "column has no header; ignored");
            continue;
        }
        char *key = normalize_header(ctx->headers[i]);
        int f = lookup_column(ctx, key);
        g_free(key);
        if (f == -1) {
            char *msg = g_strdup_printf("unknown column '%s' ignored", ctx->headers[i]);
            add_diag(ctx, TM_FORM_WARNING, line, i + 1, msg);
            g_free(msg);
        } else if (f >= 0) {
            if (ctx->col_of[f] >= 0) {
                char *msg = g_strdup_printf(
                    "column '%s' (%s) is given twice: as '%s' in column %d and again here",
                    ctx->spec[f].en, ctx->spec[f].zh, ctx->headers[ctx->col_of[f]],
                    ctx->col_of[f] + 1);
                fail_at(ctx, error, line, i + 1, msg);
                g_free(msg);
                return FALSE;
            }
            ctx->col_of[f] = i;
        }
    }
    GString *missing = g_string_new(NULL);
    int n_missing = 0;
    for (int f = 0; f < ctx->n_spec; f++) {
        if (ctx->spec[f].required && ctx->col_of[f] < 0) {
            g_string_append_printf(missing, "%s%s (%s)", n_missing ? ", " : "", ctx->spec[f].en,
                                   ctx->spec[f].zh);
            n_missing++;
        }
    }
    if (n_missing > 0) {
        char *msg = g_strdup_printf("missing required column%s: %s", n_missing > 1 ? "s" : "",
                                    missing->str);
        fail_at(ctx, error, line, 0, msg);
        g_free(msg);
        g_string_free(missing, TRUE);
        return FALSE;
    }
    g_string_free(missing, TRUE);
    int fx = ctx->kind == FORM_SITES ? SF_X : CF_X, fy = ctx->kind == FORM_SITES ? SF_Y : CF_Y;
    if ((ctx->col_of[fx] < 0) != (ctx->col_of[fy] < 0)) {
        int have = ctx->col_of[fx] >= 0 ? fx : fy;
        char *msg = g_strdup_printf("column '%s' without column '%s' (give both coordinates "
                                    "or neither)",
                                    ctx->spec[have].en, have == fx ? "y" : "x");
        fail_at(ctx, error, line, ctx->col_of[have] + 1, msg);
        g_free(msg);
        return FALSE;
    }
    return TRUE;
}

/* Drops what a failed read added (the counts were recorded before it).  The
 * counts are the programme's own, so the truncation cannot fail. */
static void rollback(TmProgramme *prog, int32_t n_commissioners, int32_t n_sites)
{
    (void)tm_programme_truncate(prog, n_commissioners, n_sites, NULL);
}

static gboolean read_form(TmProgramme *prog, FormKind kind, const char *data, gsize len,
                          const char *file, TmFormsMode mode, TmFormDiagnostics *diags, GError **error)
{
    Ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.prog = prog;
    ctx.tax = tm_programme_taxonomy(prog);
    ctx.file = file;
    ctx.mode = mode;
    ctx.diags = diags;
    ctx.kind = kind;
    ctx.spec = kind == FORM_SITES ? site_columns : comm_columns;
    ctx.n_spec = kind == FORM_SITES ? SF_N : CF_N;

    /* byte order marks */
    if (len >= 2 && (((guchar)data[0] == 0xFF && (guchar)data[1] == 0xFE) ||
                     ((guchar)data[0] == 0xFE && (guchar)data[1] == 0xFF))) {
        fail_at(&ctx, error, 1, 0, "the file is UTF-16 encoded; save it as UTF-8");
        return FALSE;
    }
    if (len >= 3 && (guchar)data[0] == 0xEF && (guchar)data[1] == 0xBB &&
        (guchar)data[2] == 0xBF) {
        data += 3;
        len -= 3;
    }

    TmCsv csv;
    tm_csv_init(&csv, data, len);
    TmCsvRecord rec;
    tm_csv_record_init(&rec);
    gboolean ok = read_header(&ctx, &csv, &rec, error);
    if (!ok) {
        tm_csv_record_clear(&rec);
        ctx_clear(&ctx);
        return FALSE;
    }
    int header_line = rec.line;

    GString *secs = g_string_new(NULL);
    for (int32_t i = 0; i < tm_taxonomy_n_sectors(ctx.tax); i++)
        g_string_append_printf(secs, "%s%s", i ? ", " : "", tm_taxonomy_code(ctx.tax, i));
    ctx.known_sectors = g_string_free(secs, FALSE);
    ctx.strings = g_string_chunk_new(64 * 1024);
    ctx.owned = g_ptr_array_new_with_free_func(g_free);
    ctx.names = g_hash_table_new(g_str_hash, g_str_equal);
    ctx.rows = g_array_new(FALSE, FALSE, kind == FORM_SITES ? sizeof(PSite) : sizeof(PComm));

    int n_rows = 0;
    while (ok && tm_csv_next(&csv, &rec)) {
        if (rec.error == NULL && record_is_blank(&rec))
            continue;
        n_rows++;
        RowError e = {0, NULL};
        gboolean row_ok = TRUE;
        if (rec.error != NULL) {
            row_ok = row_fail(&e, rec.error_field + 1, g_strdup(rec.error));
        } else if (rec.n != ctx.n_headers) {
            /* column: the first extra field, or the first missing one */
            row_ok = row_fail(&e, rec.n > ctx.n_headers ? ctx.n_headers + 1 : rec.n + 1,
                              g_strdup_printf("wrong number of fields: the row has %d, the "
                                              "header has %d",
                                              rec.n, ctx.n_headers));
        }
        /* UTF-8 of the columns in use */
        for (int f = 0; row_ok && f < ctx.n_spec; f++) {
            int col = ctx.col_of[f];
            if (col < 0 || col >= rec.n)
                continue;
            gsize flen;
            const char *fv = tm_csv_field(&rec, col, &flen);
            if (!g_utf8_validate_len(fv, flen, NULL))
                row_ok = row_fail(&e, col + 1, describe_bad_utf8(fv, flen));
        }
        if (row_ok) {
            if (kind == FORM_SITES) {
                PSite ps;
                ps.line = rec.line;
                row_ok = parse_site_row(&ctx, &rec, &ps, &e);
                if (row_ok) {
                    g_array_append_val(ctx.rows, ps);
                    g_hash_table_insert(ctx.names, (gpointer)ps.s.name,
                                        GINT_TO_POINTER(rec.line));
                }
            } else {
                PComm pc;
                pc.line = rec.line;
                row_ok = parse_comm_row(&ctx, &rec, &pc, &e);
                if (row_ok) {
                    g_array_append_val(ctx.rows, pc);
                    g_hash_table_insert(ctx.names, (gpointer)pc.c.name,
                                        GINT_TO_POINTER(rec.line));
                }
            }
        }
        if (!row_ok) {
            ctx.n_bad_rows++;
            if (mode == TM_FORMS_STRICT) {
                fail_at(&ctx, error, rec.line, e.column, e.message);
                ok = FALSE;
            } else {
                add_diag(&ctx, TM_FORM_ERROR, rec.line, e.column, e.message);
            }
            g_free(e.message);
        }
    }
    tm_csv_record_clear(&rec);

    if (ok && n_rows == 0)
        add_diag(&ctx, TM_FORM_WARNING, header_line, 0,
                 "the form has a header but no data rows");

    /* add the rows; the checks above make failures here unexpected, but a
     * strict read stays all-or-nothing anyway */
    if (ok) {
        int32_t n_c = tm_programme_n_commissioners(prog), n_s = tm_programme_n_sites(prog);
        for (guint i = 0; i < ctx.rows->len && ok; i++) {
            GError *add_err = NULL;
            int line;
            int32_t id;
            if (kind == FORM_SITES) {
                const PSite *ps = &g_array_index(ctx.rows, PSite, i);
                line = ps->line;
                id = tm_programme_add_site(prog, &ps->s, &add_err);
            } else {
                const PComm *pc = &g_array_index(ctx.rows, PComm, i);
                line = pc->line;
                id = tm_programme_add_commissioner(prog, &pc->c, &add_err);
            }
            if (id < 0) {
                if (mode == TM_FORMS_STRICT) {
                    fail_at(&ctx, error, line, 0, add_err->message);
                    rollback(prog, n_c, n_s);
                    ok = FALSE;
                } else {
                    add_diag(&ctx, TM_FORM_ERROR, line, 0, add_err->message);
                }
                g_error_free(add_err);
            }
        }
    }
    ctx_clear(&ctx);
    return ok;
}

/* ====================================================================== */
/* public entry points                                                    */
/* ====================================================================== */

static gboolean check_args(TmProgramme *prog, const void *src, GError **error)
{
    if (prog == NULL || src == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "forms: %s is NULL",
                    prog == NULL ? "programme" : "the source");
        return FALSE;
    }
    return TRUE;
}

static gboolean read_data(TmProgramme *prog, FormKind kind, const char *data, gssize length,
                          const char *source, TmFormsMode mode, TmFormDiagnostics *diags,
                          GError **error)
{
    if (!check_args(prog, data, error))
        return FALSE;
    if (mode != TM_FORMS_STRICT && mode != TM_FORMS_LENIENT) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "forms: unknown mode %d",
                    (int)mode);
        return FALSE;
    }
    gsize len = length < 0 ? strlen(data) : (gsize)length;
    return read_form(prog, kind, data, len, source ? source : "<data>", mode, diags, error);
}

static gboolean read_path(TmProgramme *prog, FormKind kind, const char *path,
                          TmFormsMode mode, TmFormDiagnostics *diags, GError **error)
{
    if (!check_args(prog, path, error))
        return FALSE;
    char *buf = NULL;
    gsize len = 0;
    GError *io = NULL;
    if (!g_file_get_contents(path, &buf, &len, &io)) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: cannot read the form: %s", path,
                    io->message);
        char *msg = g_strdup_printf("cannot read the form: %s", io->message);
        tm_i_form_diagnostics_add(diags, path, 0, 0, NULL, msg, TM_FORM_ERROR);
        g_free(msg);
        g_error_free(io);
        return FALSE;
    }
    gboolean ok = read_data(prog, kind, buf, (gssize)len, path, mode, diags, error);
    g_free(buf);
    return ok;
}

gboolean tm_forms_read_sites(TmProgramme *programme, const char *path, TmFormsMode mode,
                             TmFormDiagnostics *diagnostics_out, GError **error)
{
    return read_path(programme, FORM_SITES, path, mode, diagnostics_out, error);
}

gboolean tm_forms_read_commissioners(TmProgramme *programme, const char *path,
                                     TmFormsMode mode, TmFormDiagnostics *diagnostics_out,
                                     GError **error)
{
    return read_path(programme, FORM_COMMISSIONERS, path, mode, diagnostics_out, error);
}

gboolean tm_forms_read_sites_data(TmProgramme *programme, const char *data, gssize length,
                                  const char *source_name, TmFormsMode mode,
                                  TmFormDiagnostics *diagnostics_out, GError **error)
{
    return read_data(programme, FORM_SITES, data, length, source_name, mode, diagnostics_out,
                     error);
}

gboolean tm_forms_read_commissioners_data(TmProgramme *programme, const char *data,
                                          gssize length, const char *source_name,
                                          TmFormsMode mode, TmFormDiagnostics *diagnostics_out,
                                          GError **error)
{
    return read_data(programme, FORM_COMMISSIONERS, data, length, source_name, mode,
                     diagnostics_out, error);
}

/* Picks the English or the Chinese file name in @dir; NULL when neither. */
static char *pick_form(const char *dir, const char *en, const char *zh, TmFormDiagnostics *diags)
{
    char *pen = g_build_filename(dir, en, NULL);
    char *pzh = g_build_filename(dir, zh, NULL);
    gboolean hen = g_file_test(pen, G_FILE_TEST_EXISTS);
    gboolean hzh = g_file_test(pzh, G_FILE_TEST_EXISTS);
    char *out = NULL;
    if (hen) {
        out = pen;
        pen = NULL;
        if (hzh) {
            char *msg = g_strdup_printf("both %s and %s exist; reading %s, ignoring this one",
                                        en, zh, en);
            tm_i_form_diagnostics_add(diags, pzh, 0, 0, NULL, msg, TM_FORM_WARNING);
            g_free(msg);
        }
    } else if (hzh) {
        out = pzh;
        pzh = NULL;
    }
    g_free(pen);
    g_free(pzh);
    return out;
}

gboolean tm_forms_read_dir(TmProgramme *programme, const char *dir, TmFormsMode mode,
                           TmFormDiagnostics *diagnostics_out, GError **error)
{
    if (!check_args(programme, dir, error))
        return FALSE;
    char *sites = pick_form(dir, "sites.csv", "需求登记表.csv", diagnostics_out);
    char *comms = pick_form(dir, "commissioners.csv", "申请表.csv", diagnostics_out);
    if (sites == NULL || comms == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO,
                    "%s: missing form%s: %s%s%s", dir, sites == NULL && comms == NULL ? "s" : "",
                    sites == NULL ? "sites.csv (需求登记表.csv)" : "",
                    sites == NULL && comms == NULL ? " and " : "",
                    comms == NULL ? "commissioners.csv (申请表.csv)" : "");
        g_free(sites);
        g_free(comms);
        return FALSE;
    }
    int32_t n_c = tm_programme_n_commissioners(programme), n_s = tm_programme_n_sites(programme);
    gboolean ok = tm_forms_read_sites(programme, sites, mode, diagnostics_out, error) &&
                  tm_forms_read_commissioners(programme, comms, mode, diagnostics_out, error);
    if (!ok)
        rollback(programme, n_c, n_s);
    g_free(sites);
    g_free(comms);
    return ok;
}
