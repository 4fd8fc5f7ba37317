/* techmatch — the fixed vocabularies of the programme (see profile.h): titles,
 * kinds of sending unit and kinds of site, with their codes, Chinese labels
 * and the synonyms people write in the forms. */
#include <string.h>

#include <techmatch/tasks.h>

#include "programme/profile_private.h"
#include "util/messages.h"

/* As tm_i_profile_key, and '-' / ' ' become '_' (vocabulary codes). */
static char *normalize_code(const char *text)
{
    char *out = tm_i_profile_key(text);
    for (char *q = out; *q; q++)
        if (*q == '-' || *q == ' ')
            *q = '_';
    return out;
}

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

const char *tm_title_label(TmTitle title, TmLang lang)
{
    return (int)title >= 0 && (int)title < TM_N_TITLES
               ? tm_i_msg(lang, (TmMsgId)(TM_M_TITLE_NONE + (int)title))
               : NULL;
}

const char *tm_unit_kind_label(TmUnitKind kind, TmLang lang)
{
    return (int)kind >= 0 && (int)kind < TM_N_UNIT_KINDS
               ? tm_i_msg(lang, (TmMsgId)(TM_M_UNIT_UNIVERSITY + (int)kind))
               : NULL;
}

const char *tm_site_kind_label(TmSiteKind kind, TmLang lang)
{
    return (int)kind >= 0 && (int)kind < TM_N_SITE_KINDS
               ? tm_i_msg(lang, (TmMsgId)(TM_M_SITE_HIGH_TECH + (int)kind))
               : NULL;
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

/* ---- the plan's six task types (tasks.h) ---------------------------------- */

static const char *const task_codes[TM_N_TASKS] = {"demonstration", "tech_transfer", "strategy",
                                                   "key_rd", "training", "health"};
static const char *const task_labels[TM_N_TASKS] = {
    "示范园区和企业建设", "技术引进与推广", "创新战略与管理", "关键技术研发", "人才培养",
    "社区卫生服务"};
static const char *const task_names_en[TM_N_TASKS] = {
    "demonstration parks and enterprises", "technology introduction and spread",
    "innovation strategy and management", "joint R&D on key technologies", "talent training",
    "community health services"};

/* normalized (lower case, '_' for blanks and '-') */
static const Synonym task_synonyms[] = {
    {"demonstration_parks_and_enterprises", TM_TASK_DEMONSTRATION},
    {"demonstration_park", TM_TASK_DEMONSTRATION}, {"demo", TM_TASK_DEMONSTRATION},
    {"示范", TM_TASK_DEMONSTRATION}, {"示范园区", TM_TASK_DEMONSTRATION},
    {"示范企业", TM_TASK_DEMONSTRATION}, {"示范基地", TM_TASK_DEMONSTRATION},
    {"示范园区建设", TM_TASK_DEMONSTRATION}, {"培育示范园区和企业", TM_TASK_DEMONSTRATION},
    {"示范园区和企业", TM_TASK_DEMONSTRATION},
    {"technology_introduction_and_spread", TM_TASK_TECH_TRANSFER},
    {"technology_transfer", TM_TASK_TECH_TRANSFER}, {"transfer", TM_TASK_TECH_TRANSFER},
    {"技术引进", TM_TASK_TECH_TRANSFER}, {"技术推广", TM_TASK_TECH_TRANSFER},
    {"成果转化", TM_TASK_TECH_TRANSFER}, {"引进推广", TM_TASK_TECH_TRANSFER},
    {"技术引进推广", TM_TASK_TECH_TRANSFER},
    {"innovation_strategy_and_management", TM_TASK_STRATEGY},
    {"innovation_strategy", TM_TASK_STRATEGY}, {"management", TM_TASK_STRATEGY},
    {"创新战略", TM_TASK_STRATEGY}, {"战略规划", TM_TASK_STRATEGY},
    {"创新管理", TM_TASK_STRATEGY}, {"企业管理", TM_TASK_STRATEGY},
    {"创新战略管理", TM_TASK_STRATEGY}, {"战略管理", TM_TASK_STRATEGY},
    {"joint_r&d_on_key_technologies", TM_TASK_KEY_RD}, {"key_technology", TM_TASK_KEY_RD},
    {"r&d", TM_TASK_KEY_RD}, {"rd", TM_TASK_KEY_RD}, {"研发", TM_TASK_KEY_RD},
    {"技术研发", TM_TASK_KEY_RD}, {"关键技术", TM_TASK_KEY_RD},
    {"关键技术攻关", TM_TASK_KEY_RD}, {"联合研发", TM_TASK_KEY_RD},
    {"科技项目申报", TM_TASK_KEY_RD},
    {"talent_training", TM_TASK_TRAINING}, {"talent", TM_TASK_TRAINING},
    {"培训", TM_TASK_TRAINING}, {"人才培训", TM_TASK_TRAINING},
    {"技术培训", TM_TASK_TRAINING}, {"农民培训", TM_TASK_TRAINING},
    {"培养人才", TM_TASK_TRAINING}, {"科技培训", TM_TASK_TRAINING},
    {"community_health_services", TM_TASK_HEALTH}, {"community_health", TM_TASK_HEALTH},
    {"healthcare", TM_TASK_HEALTH}, {"卫生", TM_TASK_HEALTH}, {"社区卫生", TM_TASK_HEALTH},
    {"医疗服务", TM_TASK_HEALTH}, {"社区医疗", TM_TASK_HEALTH},
    {"卫生服务", TM_TASK_HEALTH},
};

const char *tm_task_code(TmTask task)
{
    return (int)task >= 0 && (int)task < TM_N_TASKS ? task_codes[task] : NULL;
}

const char *tm_task_name_zh(TmTask task)
{
    return (int)task >= 0 && (int)task < TM_N_TASKS ? task_labels[task] : NULL;
}

const char *tm_task_name_en(TmTask task)
{
    return (int)task >= 0 && (int)task < TM_N_TASKS ? task_names_en[task] : NULL;
}

int tm_task_from_string(const char *text)
{
    int t = vocab_lookup(text, task_codes, task_labels, TM_N_TASKS, task_synonyms,
                         G_N_ELEMENTS(task_synonyms));
    if (t < 0 && text != NULL) { /* the English names, normalized */
        char *key = normalize_code(text);
        for (int i = 0; i < TM_N_TASKS && t < 0; i++) {
            char *name = normalize_code(task_names_en[i]);
            if (strcmp(key, name) == 0)
                t = i;
            g_free(name);
        }
        g_free(key);
    }
    return t;
}
