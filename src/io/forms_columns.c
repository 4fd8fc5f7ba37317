/* techmatch — the columns of the two forms and the header row that maps a
 * form's columns to them (see forms_csv_private.h and docs/forms.md). */
#include <string.h>

#include "io/forms_csv_private.h"
#include "util/alloc.h"
#include "util/text.h"

/* The demand registration form (sites). */
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
    [SF_TASKS] = {"tasks", "任务类型", "task|task_types|服务任务|需求任务|主要任务", FALSE},
    [SF_CONSENT] = {"consent", "只接受所列意向", "named_only|双向选择方式|只接受意向|仅接受所列意向|仅限意向人选", FALSE},
};

/* The application form (commissioners). */
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
    [CF_TASKS] = {"tasks", "任务类型", "task|task_types|服务任务|可承担任务|主要任务", FALSE},
    [CF_CONSENT] = {"consent", "只接受所列意向", "named_only|双向选择方式|只接受意向|仅接受所列意向|仅限意向派驻点", FALSE},
};

/* Columns people commonly keep in the forms that the library does not use:
 * ignored without a warning. */
static const char site_info_columns[] =
    "id|序号|编号|contact|联系人|phone|电话|联系电话|email|邮箱|note|notes|备注|remark|"
    "description|需求描述|说明|情况说明";
static const char comm_info_columns[] =
    "id|序号|编号|contact|联系人|phone|电话|联系电话|手机|email|邮箱|note|notes|备注|remark|"
    "gender|性别|age|年龄|education|学历|major|专业|所学专业|description|说明|个人简介|简介";

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
static int lookup_column(const FormCtx *ctx, const char *key)
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

void tm_i_form_use_columns(FormCtx *ctx)
{
    ctx->spec = ctx->kind == FORM_SITES ? site_columns : comm_columns;
    ctx->n_spec = ctx->kind == FORM_SITES ? SF_N : CF_N;
}

/* ---- the header row ------------------------------------------------------ */

/* Reads the first record that is not blank (or has a syntax error). */
static gboolean next_header_record(FormSource *src, TmCsvRecord *rec)
{
    while (tm_i_form_source_next(src, rec))
        if (!tm_i_form_record_is_blank(rec) || rec->error != NULL)
            return TRUE;
    return FALSE;
}

static gboolean check_header_utf8(FormCtx *ctx, const TmCsvRecord *rec, GError **error)
{
    for (int i = 0; i < rec->n; i++) {
        gsize len;
        const char *f = tm_csv_field(rec, i, &len);
        if (!g_utf8_validate_len(f, len, NULL)) {
            char *why = tm_i_form_bad_utf8(f, len);
            char *msg = g_strdup_printf("header: %s", why);
            tm_i_form_fail(ctx, error, rec->line, i + 1, msg);
            g_free(why);
            g_free(msg);
            return FALSE;
        }
    }
    return TRUE;
}

/* Keeps the trimmed headers as written in ctx->headers. */
static gboolean store_headers(FormCtx *ctx, const TmCsvRecord *rec, GError **error)
{
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
    return TRUE;
}

/* Fills ctx->col_of from the headers: unknown columns and columns without a
 * header are warned about and ignored, a column given twice is an error. */
static gboolean map_columns(FormCtx *ctx, int line, GError **error)
{
    for (int f = 0; f < ctx->n_spec; f++)
        ctx->col_of[f] = -1;
    for (int i = 0; i < ctx->n_headers; i++) {
        if (ctx->headers[i][0] == '\0') {
            tm_i_form_warn(ctx, FORM_WARN_NO_HEADER, line, i + 1,
                           "column has no header; ignored");
            continue;
        }
        char *key = normalize_header(ctx->headers[i]);
        int f = lookup_column(ctx, key);
        if (f >= 0) {
            gboolean ascii = TRUE;
            for (const char *p = key; *p; p++)
                ascii = ascii && (unsigned char)*p < 0x80;
            if (ascii)
                ctx->n_en_headers++;
            else
                ctx->n_zh_headers++;
        }
        g_free(key);
        if (f == -1) {
            if (ctx->n_warned[FORM_WARN_UNKNOWN_COLUMN] < FORM_WARN_LIMIT) {
                char *msg = g_strdup_printf("unknown column '%s' ignored", ctx->headers[i]);
                tm_i_form_warn(ctx, FORM_WARN_UNKNOWN_COLUMN, line, i + 1, msg);
                g_free(msg);
            } else {
                ctx->n_warned[FORM_WARN_UNKNOWN_COLUMN]++;
            }
        } else if (f >= 0) {
            if (ctx->col_of[f] >= 0) {
                char *msg = g_strdup_printf(
                    "column '%s' (%s) is given twice: as '%s' in column %d and again here",
                    ctx->spec[f].en, ctx->spec[f].zh, ctx->headers[ctx->col_of[f]],
                    ctx->col_of[f] + 1);
                tm_i_form_fail(ctx, error, line, i + 1, msg);
                g_free(msg);
                return FALSE;
            }
            ctx->col_of[f] = i;
        }
    }
    tm_i_form_warn_summary(ctx, FORM_WARN_UNKNOWN_COLUMN, line, "unknown columns ignored");
    tm_i_form_warn_summary(ctx, FORM_WARN_NO_HEADER, line, "columns without a header ignored");
    return TRUE;
}

/* One error naming every required column the header lacks. */
static gboolean check_required(FormCtx *ctx, int line, GError **error)
{
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
        tm_i_form_fail(ctx, error, line, 0, msg);
        g_free(msg);
    }
    g_string_free(missing, TRUE);
    return n_missing == 0;
}

/* Both coordinate columns or neither. */
static gboolean check_coordinates(FormCtx *ctx, int line, GError **error)
{
    int fx = ctx->kind == FORM_SITES ? SF_X : CF_X, fy = ctx->kind == FORM_SITES ? SF_Y : CF_Y;
    if ((ctx->col_of[fx] < 0) == (ctx->col_of[fy] < 0))
        return TRUE;
    int have = ctx->col_of[fx] >= 0 ? fx : fy;
    char *msg = g_strdup_printf("column '%s' without column '%s' (give both coordinates "
                                "or neither)",
                                ctx->spec[have].en, have == fx ? "y" : "x");
    tm_i_form_fail(ctx, error, line, ctx->col_of[have] + 1, msg);
    g_free(msg);
    return FALSE;
}

gboolean tm_i_form_read_header(FormCtx *ctx, FormSource *src, TmCsvRecord *rec,
                               GError **error)
{
    if (!next_header_record(src, rec)) {
        if (src->error != NULL)
            tm_i_form_source_fail(ctx, src, error);
        else
            tm_i_form_fail(ctx, error, 1, 0,
                           ctx->xlsx ? "empty sheet: no header row (the first row with a "
                                       "value must name the columns)"
                                     : "empty file: no header row (the first row must name "
                                       "the columns)");
        return FALSE;
    }
    if (!check_header_utf8(ctx, rec, error) || !store_headers(ctx, rec, error))
        return FALSE;
    if (rec->error != NULL) {
        char *msg = g_strdup_printf("header: %s", rec->error);
        tm_i_form_fail(ctx, error, rec->line, rec->error_field + 1, msg);
        g_free(msg);
        return FALSE;
    }
    return map_columns(ctx, rec->line, error) && check_required(ctx, rec->line, error) &&
           check_coordinates(ctx, rec->line, error);
}
