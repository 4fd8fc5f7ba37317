/* techmatch — draft cooperation agreements from a template (agreement.h). */
#include <string.h>

#include <glib.h>

#include <techmatch/agreement.h>
#include <techmatch/matching.h>
#include <techmatch/profile.h>
#include <techmatch/tasks.h>

#include "util/messages.h"

static const char default_template[] =
    "# 科技特派员合作协议（草案）\n"
    "\n"
    "协议编号：{{number}}\n"
    "\n"
    "- 甲方（派驻单位）：{{site}}（{{site_kind}}，{{sector}}）\n"
    "- 地址：{{location}}\n"
    "- 乙方（科技特派员）：{{commissioner}}{{team}}，职称：{{title}}\n"
    "- 派出单位：{{unit}}（{{unit_kind}}）\n"
    "\n"
    "经双向选择，并经区科技特派员工作领导小组审核认定，甲乙双方就乙方派驻甲方开展科技服务事宜，"
    "订立本协议（草案，待双方商定后签订）。\n"
    "\n"
    "一、服务内容：{{tasks}}。\n"
    "\n"
    "二、服务期限：{{years}}年，自______年____月____日起。\n"
    "\n"
    "三、乙方按要求定期向区科技局上报科技帮扶情况；甲方为乙方开展工作提供必要的工作和生活条件。\n"
    "\n"
    "四、派出单位支持乙方的派驻工作。其他事项由双方另行约定。\n"
    "\n"
    "| | 签字（盖章） | 日期 |\n"
    "|---|---|---|\n"
    "| 甲方：{{site}} | | |\n"
    "| 乙方：{{commissioner}} | | |\n"
    "| 派出单位：{{unit}} | | |\n";

static const char default_template_en[] =
    "# Cooperation agreement of a science-and-technology commissioner (draft)\n"
    "\n"
    "Agreement no. {{number}}\n"
    "\n"
    "- Party A (host): {{site}} ({{site_kind}}, {{sector}})\n"
    "- Address: {{location}}\n"
    "- Party B (commissioner): {{commissioner}}{{team}}, title: {{title}}\n"
    "- Dispatching unit: {{unit}} ({{unit_kind}})\n"
    "\n"
    "By two-way choice, and as reviewed and confirmed by the district's leading group for "
    "science-and-technology commissioners, Party A and Party B agree on Party B's service at "
    "Party A as follows (a draft, to be signed once both parties have agreed on it).\n"
    "\n"
    "1. Services: {{tasks}}.\n"
    "\n"
    "2. Term: {{years}} year(s), from ______ (date).\n"
    "\n"
    "3. Party B reports its work to the district's science and technology bureau as required; "
    "Party A provides the working and living conditions Party B needs.\n"
    "\n"
    "4. The dispatching unit supports Party B's service. Other matters are agreed by the "
    "parties separately.\n"
    "\n"
    "| | Signature (seal) | Date |\n"
    "|---|---|---|\n"
    "| Party A: {{site}} | | |\n"
    "| Party B: {{commissioner}} | | |\n"
    "| Dispatching unit: {{unit}} | | |\n";

const char *tm_agreement_default_template(void)
{
    return default_template;
}

const char *tm_agreement_default_template_lang(TmLang lang)
{
    return lang == TM_LANG_EN ? default_template_en : default_template;
}

static const char *const keys[] = {"number",    "commissioner", "team",      "title",
                                   "unit",      "unit_kind",    "site",      "site_kind",
                                   "sector",    "sector_en",    "location",  "tasks",
                                   "years",     "merit",        "{{"};
#define N_KEYS ((int)G_N_ELEMENTS(keys))

/* Walks @text: calls @emit for literal runs and placeholders (key index, or
 * -1 for literal text).  FALSE with a TM_ERROR_PARSE at the first bad
 * placeholder. */
typedef void (*EmitFunc)(int key, const char *text, gsize len, gpointer data);

static gboolean walk(const char *text, const char *source, EmitFunc emit, gpointer data,
                     GError **error)
{
    const char *src = source ? source : "<template>";
    if (!g_utf8_validate(text, -1, NULL)) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s: the template is not valid UTF-8", src);
        return FALSE;
    }
    int line = 1;
    const char *line_start = text, *p = text, *lit = text;
    while (*p) {
        if (p[0] == '{' && p[1] == '{') {
            const char *end = strstr(p + 2, "}}");
            const char *nl = strchr(p + 2, '\n');
            long col = g_utf8_pointer_to_offset(line_start, p) + 1;
            if (end == NULL || (nl != NULL && nl < end)) {
                g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                            "%s:%d:%ld: '{{' without a closing '}}' on the same line", src, line,
                            col);
                return FALSE;
            }
            char *name = g_strstrip(g_strndup(p + 2, (gsize)(end - p - 2)));
            int key = -1;
            for (int k = 0; k < N_KEYS && key < 0; k++)
                if (strcmp(name, keys[k]) == 0)
                    key = k;
            if (key < 0) {
                GString *known = g_string_new(NULL);
                for (int k = 0; k < N_KEYS - 1; k++)
                    g_string_append_printf(known, "%s%s", k ? ", " : "", keys[k]);
                g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                            "%s:%d:%ld: unknown placeholder {{%s}} (known: %s; {{{{}} for a "
                            "literal '{{')",
                            src, line, col, name, known->str);
                g_string_free(known, TRUE);
                g_free(name);
                return FALSE;
            }
            g_free(name);
            if (emit && p > lit)
                emit(-1, lit, (gsize)(p - lit), data);
            if (emit)
                emit(key, NULL, 0, data);
            p = end + 2;
            lit = p;
            continue;
        }
        if (*p == '\n') {
            line++;
            line_start = p + 1;
        }
        p++;
    }
    if (emit && p > lit)
        emit(-1, lit, (gsize)(p - lit), data);
    return TRUE;
}

gboolean tm_agreement_check_template(const char *text, const char *source_name, GError **error)
{
    if (text == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "the template must not be NULL");
        return FALSE;
    }
    return walk(text, source_name, NULL, NULL, error);
}

typedef struct {
    GString *out;
    const char *values[G_N_ELEMENTS(keys)];
} Fill;

static void emit_fill(int key, const char *text, gsize len, gpointer data)
{
    Fill *f = data;
    if (key < 0)
        g_string_append_len(f->out, text, (gssize)len);
    else
        g_string_append(f->out, f->values[key]);
}

static char *tasks_text(const TmCommissioner *cm, const TmSite *site, TmLang lang)
{
    uint32_t both = cm->tasks & site->tasks, bits = both ? both : site->tasks;
    if (bits == 0)
        return g_strdup("—");
    GString *t = g_string_new(NULL);
    for (int k = 0; k < TM_N_TASKS; k++)
        if (bits & (1u << k))
            g_string_append_printf(t, "%s%s", t->len ? tm_i_msg(lang, TM_M_AGREEMENT_LIST_SEP) : "",
                                   lang == TM_LANG_ZH ? tm_task_name_zh((TmTask)k)
                                                      : tm_task_name_en((TmTask)k));
    return g_string_free(t, FALSE);
}

/* The name made safe for a file name: '/', '\\', control characters and
 * leading dots become '_'. */
static void safe_append(GString *s, const char *name)
{
    for (const char *p = name; *p; p = g_utf8_next_char(p)) {
        gunichar ch = g_utf8_get_char(p);
        if (ch == '/' || ch == '\\' || ch < 0x20 || ch == 0x7f || (p == name && ch == '.'))
            g_string_append_c(s, '_');
        else
            g_string_append_unichar(s, ch);
    }
}

gboolean tm_selection_agreements(const TmSelection *sel, const char *template_text,
                                 const char *source_name, char ***names, char ***texts,
                                 GError **error)
{
    return tm_selection_agreements_lang(sel, template_text, source_name, TM_LANG_ZH, names, texts,
                                        error);
}

gboolean tm_selection_agreements_lang(const TmSelection *sel, const char *template_text,
                                      const char *source_name, TmLang lang, char ***names,
                                      char ***texts, GError **error)
{
    if (sel == NULL || names == NULL || texts == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "selection and out pointers must not be NULL");
        return FALSE;
    }
    lang = tm_i_lang_pick(lang, tm_programme_language(tm_selection_programme(sel)));
    const char *tmpl = template_text ? template_text : tm_agreement_default_template_lang(lang);
    if (!walk(tmpl, source_name, NULL, NULL, error))
        return FALSE;
    const TmProgramme *p = tm_selection_programme(sel);
    const TmTaxonomy *tax = tm_programme_taxonomy(p);
    const TmMatching *mt = tm_selection_matching(sel);
    GPtrArray *nv = g_ptr_array_new(), *tv = g_ptr_array_new();
    int number = 0;
    for (int32_t c = 0; c < tm_selection_n_agents(sel, TM_SIDE_SUPPLY); c++) {
        int32_t k;
        const int32_t *sites = tm_matching_partners(mt, TM_SIDE_SUPPLY, c, &k);
        const TmCommissioner *cm = tm_programme_commissioner(p, c);
        for (int32_t j = 0; j < k; j++) {
            const TmSite *site = tm_programme_site(p, sites[j]);
            char num[16], years[16], merit[G_ASCII_DTOSTR_BUF_SIZE];
            g_snprintf(num, sizeof num, "%03d", ++number);
            g_snprintf(years, sizeof years, "%" G_GINT32_FORMAT, cm->years);
            g_ascii_formatd(merit, sizeof merit, "%.1f", cm->merit);
            char *team = cm->team_size > 1 ? g_strdup_printf(tm_i_msg(lang, TM_M_AGREEMENT_TEAM),
                                                             (int)cm->team_size)
                                           : g_strdup("");
            char *tasks = tasks_text(cm, site, lang);
            const char *sector_zh = tm_taxonomy_name_zh(tax, site->sector);
            const char *sector_en = tm_taxonomy_name_en(tax, site->sector);
            const char *sector = lang == TM_LANG_ZH ? sector_zh : sector_en;
            Fill f = {g_string_new(NULL),
                      {num, cm->name, team, tm_title_label(cm->title, lang),
                       cm->unit && *cm->unit ? cm->unit : "—",
                       tm_unit_kind_label(cm->unit_kind, lang), site->name,
                       tm_site_kind_label(site->kind, lang), sector ? sector : "—",
                       sector_en ? sector_en : "—",
                       site->location && *site->location ? site->location : "—", tasks, years,
                       merit, "{{"}};
            walk(tmpl, source_name, emit_fill, &f, NULL);
            GString *name = g_string_new(NULL);
            g_string_append_printf(name, "%s-", num);
            safe_append(name, cm->name);
            g_string_append_c(name, '-');
            safe_append(name, site->name);
            g_string_append(name, ".md");
            g_ptr_array_add(nv, g_string_free(name, FALSE));
            g_ptr_array_add(tv, g_string_free(f.out, FALSE));
            g_free(team);
            g_free(tasks);
        }
    }
    g_ptr_array_add(nv, NULL);
    g_ptr_array_add(tv, NULL);
    *names = (char **)g_ptr_array_free(nv, FALSE);
    *texts = (char **)g_ptr_array_free(tv, FALSE);
    return TRUE;
}
