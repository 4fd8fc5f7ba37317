/* techmatch — eligibility rules of the programme and screening (domain layer).
 *
 * The seed's conditions are named rules, each with a stable code, a one-line
 * explanation in English and in Chinese, an on/off switch and parameters.
 * There are three scopes:
 *
 *   index code         scope         passes when                         default
 *   0     C_TITLE      commissioner  title >= min_title                  on, intermediate
 *   1     C_UNIT       commissioner  unit kind in the allowed set        on, university;
 *                                                                          institute; public
 *   2     C_SUPPORT    commissioner  the unit supports the secondment    on
 *   3     C_DIRECTION  commissioner  a service direction (服务方向): >= 1  on, target
 *                                    sector with expertise level >= 1;    off
 *                                    with .target also a service target
 *                                    (服务对象): >= 1 wished site or >= 1
 *                                    task type offered (tasks.h)
 *   4     C_YEARS      commissioner  min <= years offered <= max         OFF, 1..2
 *                                    (the plan's "一般为1-2年" is a norm:
 *                                    by default the range only feeds the
 *                                    `term` score component, preferences.h)
 *   5     S_KIND       site          kind in the eligible set            on, all but `other`
 *   6     S_CLINIC     site          a `community` site has a clinic     on
 *   7     P_SECTOR     pair          commissioner's expertise level in   on, min_level 1
 *                                    the site's sector >= min_level
 *   8     P_YEARS      pair          years offered >= years wanted       on
 *   9     P_TITLE      pair          title >= the site's min_title       on
 *   10    P_DISTANCE   pair          Euclidean distance <= max_km when   off, 20 km
 *                                    both locations are known (a missing
 *                                    location passes)
 *   11    S_SECTOR     site          an enterprise host (kind high_tech,  on, eit;
 *                                    innovative, rd_enterprise) is in a   culture;
 *                                    sector of `leading` (the plan's      food;
 *                                    涉及我区主导产业); other kinds pass   materials
 *
 * Indices and codes are stable (new rules are only appended, so S_SECTOR, a
 * site rule, comes after the pair rules).  Rules are checked in index
 * order; the "reason" of an agent or pair is the code of the FIRST failing
 * enabled rule.  Bit i of a failure mask stands for rule i.
 *
 * C_DIRECTION and the plan's 有明确的服务对象和服务方向: the direction is
 * checked by default; the target is not, because the plan fixes each
 * commissioner's 服务对象 at 对接 (the matching: 确立服务对象和服务主体) and
 * an application form need not name a site (33 of the 42 seed applicants
 * name none) — set C_DIRECTION.target=true to require one at application.
 *
 * S_SECTOR.leading names sectors by taxonomy code (or Chinese or English
 * name, as tm_taxonomy_find()).  The names are checked against the
 * programme's taxonomy when a programme is screened (tm_programme_screen(),
 * and so every selection and market build; tm_rules_check_taxonomy() does
 * the same check alone): an item that is no sector is a
 * TM_ERROR_UNKNOWN_NAME error naming it, while S_SECTOR is on.  A
 * programme with its own taxonomy must therefore list its own leading
 * industries (or turn S_SECTOR off).  An empty list makes every
 * enterprise host fail.
 *
 * Configuration file (GKeyFile syntax, UTF-8; `#` comments):
 *
 *   [rules]
 *   C_TITLE=true                     # any rule code: true/false (1/0, yes/no, on/off)
 *   C_TITLE.min_title=senior         # none|junior|intermediate|senior, or any label
 *                                    #   tm_title_from_string() knows (中级, 高级, 教授...)
 *   C_UNIT.allowed=university;institute   # unit kinds (codes or labels, see profile.h):
 *                                    #   university institute public enterprise other;
 *                                    #   items split on ';' or ','; empty = none allowed
 *   C_DIRECTION.target=false         # true: also a wished site or a task type
 *   C_YEARS=false                    # the hard limit (off by default)
 *   C_YEARS.min=1                    # 0..10; also the range of the `term` score
 *   C_YEARS.max=2                    # 0..10, >= min (checked after the whole file)
 *   S_KIND.eligible=high_tech;innovative;rd_enterprise;park;agri_base;village;community
 *   P_SECTOR.min_level=1             # 0..3
 *   P_DISTANCE=true
 *   P_DISTANCE.max_km=15             # finite, >= 0
 *   S_SECTOR.leading=eit;culture;food;materials   # sector codes (or names);
 *                                    #   ';' or ','; at most 511 bytes in all
 *
 *   [weights.commissioner]           # how a commissioner ranks sites (preferences.h)
 *   sector=3
 *   tags=2
 *   title=0
 *   years=1
 *   distance=2
 *   merit=0
 *   term=0
 *   tasks=1
 *   [weights.site]                   # how a site ranks commissioners
 *   sector=3
 *   ...
 *   [scoring]
 *   distance_scale_km=20             # finite, > 0
 *
 *   [candidates]                     # candidate generation (preferences.h)
 *   k=auto                           # auto | 0 (all pairs, exact) | N > 0 (top N)
 *   site_k=same                      # same (= k) | 0 | N > 0
 *   exact_limit=10000000             # auto: exact when eligible pairs <= this
 *   auto_k=50                        # auto: k used above exact_limit, > 0
 *   budget=0                         # partners examined per commissioner search, 0 = 20 k
 *   site_budget=0                    # per site search, 0 = 200 site_k
 *   seed=1
 *
 * Keys absent from the file keep their current value, so several files can
 * be layered.  Groups other than the ones above (e.g. [quota], [sector.*])
 * belong to other parts of the library and are ignored by tm_rules_load_*;
 * a TmConfig (config.h) reads the whole file in one parse and refuses
 * unknown groups.  Within the groups above, an unknown rule code, an unknown
 * key or a malformed value is a TM_ERROR_PARSE error whose message starts
 * `FILE:LINE: [group] key: ` (the same parser as TmConfig's).  Loading is
 * all or nothing: on error the rules are left unchanged.
 *
 * A TmRules is a plain value: not thread safe for writing, fine to read from
 * several threads.  No global state.
 */
#ifndef TECHMATCH_RULES_H
#define TECHMATCH_RULES_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/market.h>
#include <techmatch/profile.h>

G_BEGIN_DECLS

typedef struct TmRules TmRules;

/** What a rule looks at. */
typedef enum {
    TM_RULE_SCOPE_COMMISSIONER = 0,
    TM_RULE_SCOPE_SITE = 1,
    TM_RULE_SCOPE_PAIR = 2,
} TmRuleScope;

/* ---- the catalogue (static; no TmRules needed) ------------------------- */

/** Number of rules in the catalogue (12 in this version). */
TM_API int32_t tm_rules_n_rules(void);
/** Stable code of rule @index ("C_TITLE", ...), or NULL when out of range.
 * Static string. */
TM_API const char *tm_rule_code(int32_t index);
/** One-line English explanation of rule @index (static), NULL when out of range. */
TM_API const char *tm_rule_summary(int32_t index);
/** One-line Chinese explanation of rule @index (static, UTF-8), NULL when out of range. */
TM_API const char *tm_rule_summary_zh(int32_t index);
/** tm_rule_summary_lang: tm_rule_summary() or tm_rule_summary_zh() by @lang
 * (lang.h; TM_LANG_AUTO reads as English: no programme to ask).  Static;
 * NULL when out of range.  O(1). */
TM_API const char *tm_rule_summary_lang(int32_t index, TmLang lang);
/** Scope of rule @index, or -1 when out of range. */
TM_API int tm_rule_scope(int32_t index);
/** Index of the rule with code @code (ASCII case-insensitive), or -1. */
TM_API int32_t tm_rule_find(const char *code);
/**
 * tm_rules_mask_codes:
 * The codes of the rules whose bits are set in @mask, in index order, joined
 * by ';' ("" for 0).  Caller frees with g_free().
 */
TM_API char *tm_rules_mask_codes(uint32_t mask);

/* ---- a rule set --------------------------------------------------------- */

/** The defaults of the table above (and the default weights and candidate
 * settings of preferences.h).  Free with tm_rules_free(). */
TM_API TmRules *tm_rules_new_default(void);
/** A copy (NULL for NULL).  Free with tm_rules_free(). */
TM_API TmRules *tm_rules_copy(const TmRules *rules);
/** Takes a reference; returns @rules.  NULL-safe, thread-safe, O(1). */
TM_API TmRules *tm_rules_ref(TmRules *rules);
/** Drops a reference; the rules are freed with the last one.  NULL-safe. */
TM_API void tm_rules_free(TmRules *rules);

/**
 * tm_rules_load_file:
 * Reads the configuration file at @path (format above) into @rules.
 * Errors: TM_ERROR_INVALID_ARGUMENT (NULL), TM_ERROR_IO (cannot read),
 * TM_ERROR_PARSE (syntax, unknown rule/key, bad value; the message names the
 * file, group and key).  On error @rules is unchanged.
 */
TM_API gboolean tm_rules_load_file(TmRules *rules, const char *path, GError **error);

/**
 * tm_rules_load_data:
 * As tm_rules_load_file() from @len bytes of @data (-1: NUL terminated).
 * @source_name names the input in messages (NULL: "<data>").
 */
TM_API gboolean tm_rules_load_data(TmRules *rules, const char *data, gssize len,
                                   const char *source_name, GError **error);

/**
 * tm_rules_to_data:
 * The complete configuration (every group and key above, current values) as
 * GKeyFile text that tm_rules_load_data() reads back to equal rules.  Stores
 * the length in @len (may be NULL).  Caller frees with g_free().  NULL for
 * NULL @rules.
 */
TM_API char *tm_rules_to_data(const TmRules *rules, gsize *len);

/**
 * tm_rules_set:
 * Sets one [rules] key from text, exactly as a line `key=value` of the
 * configuration file would ("P_DISTANCE" "true", "C_UNIT.allowed"
 * "university;institute").  Errors: TM_ERROR_INVALID_ARGUMENT (NULL),
 * TM_ERROR_PARSE (unknown key or bad value; C_YEARS.min/max must keep
 * min <= max).
 */
TM_API gboolean tm_rules_set(TmRules *rules, const char *key, const char *value,
                             GError **error);

/** Whether the rule @code is enabled (FALSE for unknown codes or NULL). */
TM_API gboolean tm_rules_is_enabled(const TmRules *rules, const char *code);
/** Switches the rule @code on or off.  Errors: TM_ERROR_INVALID_ARGUMENT
 * (NULL, unknown code; the message names the code). */
TM_API gboolean tm_rules_set_enabled(TmRules *rules, const char *code, gboolean on,
                                     GError **error);

/* Parameters.  Setters return FALSE with TM_ERROR_INVALID_ARGUMENT for NULL
 * or out-of-range values and leave the rules unchanged. */

/** C_TITLE.min_title (default TM_TITLE_INTERMEDIATE). */
TM_API gboolean tm_rules_set_min_title(TmRules *rules, TmTitle title, GError **error);
/** The C_TITLE.min_title in force (TM_TITLE_INTERMEDIATE for NULL).  O(1). */
TM_API TmTitle tm_rules_min_title(const TmRules *rules);
/** C_UNIT.allowed: whether unit kind @kind is allowed (default: university,
 * institute, public). */
TM_API gboolean tm_rules_set_unit_allowed(TmRules *rules, TmUnitKind kind, gboolean allowed,
                                          GError **error);
/** Whether unit kind @kind is allowed by C_UNIT (FALSE for NULL or out of
 * range).  O(1). */
TM_API gboolean tm_rules_unit_allowed(const TmRules *rules, TmUnitKind kind);
/** C_YEARS.min / .max: 0 <= min <= max <= 10 (default 1, 2). */
TM_API gboolean tm_rules_set_years_range(TmRules *rules, int32_t min_years, int32_t max_years,
                                         GError **error);
/** The C_YEARS range into @min_years and @max_years (either may be NULL;
 * -1 for NULL rules).
 * O(1). */
TM_API void tm_rules_years_range(const TmRules *rules, int32_t *min_years, int32_t *max_years);
/** S_KIND.eligible: whether site kind @kind is eligible (default: all but
 * TM_SITE_OTHER). */
TM_API gboolean tm_rules_set_site_kind_eligible(TmRules *rules, TmSiteKind kind,
                                                gboolean eligible, GError **error);
/** Whether site kind @kind is eligible under S_KIND (FALSE for NULL or out
 * of range).  O(1). */
TM_API gboolean tm_rules_site_kind_eligible(const TmRules *rules, TmSiteKind kind);
/** P_SECTOR.min_level: 0..3 (default 1). */
TM_API gboolean tm_rules_set_min_level(TmRules *rules, int32_t level, GError **error);
/** The P_SECTOR.min_level in force (-1 for NULL).  O(1). */
TM_API int32_t tm_rules_min_level(const TmRules *rules);
/** P_DISTANCE.max_km: finite, >= 0 (default 20). */
TM_API gboolean tm_rules_set_max_km(TmRules *rules, double km, GError **error);
/** The P_DISTANCE.max_km in force (-1 for NULL).  O(1). */
TM_API double tm_rules_max_km(const TmRules *rules);
/** C_DIRECTION.target: whether C_DIRECTION also asks for a service target
 * (a wished site or a task type; default FALSE).  Errors:
 * TM_ERROR_INVALID_ARGUMENT (NULL). */
TM_API gboolean tm_rules_set_direction_target(TmRules *rules, gboolean target, GError **error);
/** The C_DIRECTION.target in force (FALSE for NULL).  O(1). */
TM_API gboolean tm_rules_direction_target(const TmRules *rules);
/**
 * tm_rules_set_leading_sectors:
 * S_SECTOR.leading from list text, as the configuration key takes it
 * ("eit;food", "电子信息, 食品加工"): items split on ';' or ',', blanks
 * around trimmed, empty items and repeats (ASCII case-insensitive) dropped;
 * "" = no leading industry.  Names are not checked here (no taxonomy yet;
 * see tm_rules_check_taxonomy()).  Errors: TM_ERROR_INVALID_ARGUMENT (NULL,
 * not UTF-8, more than 511 bytes once joined); then @rules is unchanged.
 * O(length).
 */
TM_API gboolean tm_rules_set_leading_sectors(TmRules *rules, const char *list, GError **error);
/** The S_SECTOR.leading in force, items joined by ';' (borrowed, valid until
 * @rules changes or is freed; NULL for NULL).  O(1). */
TM_API const char *tm_rules_leading_sectors(const TmRules *rules);
/** Whether sector index @sector of @taxonomy is one of S_SECTOR.leading
 * (whether or not S_SECTOR is on; FALSE for NULL or out of range).
 * O(length of the list x sectors). */
TM_API gboolean tm_rules_sector_leading(const TmRules *rules, const TmTaxonomy *taxonomy,
                                        int32_t sector);
/**
 * tm_rules_check_taxonomy:
 * Checks the rules against @taxonomy as screening does: while S_SECTOR is
 * on, every item of S_SECTOR.leading must name a sector of @taxonomy (code,
 * Chinese or English name).  Errors: TM_ERROR_INVALID_ARGUMENT (NULL),
 * TM_ERROR_UNKNOWN_NAME (the message names the item and lists the
 * taxonomy's codes), TM_ERROR_NO_MEMORY.  O(list x sectors).
 */
TM_API gboolean tm_rules_check_taxonomy(const TmRules *rules, const TmTaxonomy *taxonomy,
                                        GError **error);

/* ---- screening ---------------------------------------------------------- */

typedef struct TmScreening TmScreening;

/**
 * tm_programme_screen:
 * Applies the enabled commissioner (C_*) and site (S_*) rules to every agent
 * of @programme.  An agent is eligible when no enabled rule of its scope
 * fails.  The screening is a snapshot: it does not see agents added later.
 *
 * Returns a new screening (free with tm_screening_free()) or NULL with
 * TM_ERROR_INVALID_ARGUMENT (NULL argument), TM_ERROR_UNKNOWN_NAME (S_SECTOR
 * on and an item of S_SECTOR.leading that is no sector of the programme's
 * taxonomy, tm_rules_check_taxonomy()), TM_ERROR_NO_MEMORY.
 * Time and memory O(n_commissioners + n_sites + total expertise).
 */
TM_API TmScreening *tm_programme_screen(const TmProgramme *programme, const TmRules *rules,
                                        GError **error);
/** NULL-safe. */
TM_API void tm_screening_free(TmScreening *screening);

/** Number of agents screened on @side (TM_SIDE_SUPPLY = commissioners,
 * TM_SIDE_DEMAND = sites); 0 for NULL. */
TM_API int32_t tm_screening_n_agents(const TmScreening *screening, TmSide side);
/** Number of eligible agents on @side. */
TM_API int32_t tm_screening_n_eligible(const TmScreening *screening, TmSide side);
/** Whether agent @id on @side is eligible (FALSE when out of range). */
TM_API gboolean tm_screening_is_eligible(const TmScreening *screening, TmSide side,
                                         int32_t id);
/** Code of the first failing rule of agent @id on @side (static string), or
 * NULL when the agent is eligible or out of range. */
TM_API const char *tm_screening_reason(const TmScreening *screening, TmSide side, int32_t id);
/** All failing rules of agent @id on @side as a mask (bit i = rule i); 0
 * when eligible or out of range. */
TM_API uint32_t tm_screening_failures(const TmScreening *screening, TmSide side, int32_t id);
/** tm_screening_reason() for commissioner @c. */
TM_API const char *tm_screening_commissioner_reason(const TmScreening *screening, int32_t c);
/** tm_screening_reason() for site @s. */
TM_API const char *tm_screening_site_reason(const TmScreening *screening, int32_t s);
/** Number of agents failing rule @code (all failures counted, not only the
 * first); -1 for an unknown code or NULL. */
TM_API int32_t tm_screening_n_failing(const TmScreening *screening, const char *code);
/** Number of agents whose FIRST failing rule is @code; -1 for an unknown
 * code or NULL. */
TM_API int32_t tm_screening_n_first_failing(const TmScreening *screening, const char *code);

/* ---- pair rules --------------------------------------------------------- */

/**
 * tm_rules_pair_reason:
 * Applies the enabled pair rules (P_*) to commissioner @c and site @s (agent
 * eligibility is not looked at).  Returns NULL when the pair passes, else the
 * code of the first failing rule (static string; a code, the same in every
 * language: tm_rules_pair_fault_lang() gives the text for people).  For a NULL argument or an
 * id out of range it returns the pseudo-code "INVALID".  Time O(expertise of c).
 */
TM_API const char *tm_rules_pair_reason(const TmProgramme *programme, const TmRules *rules,
                                        int32_t c, int32_t s);

/** As tm_rules_pair_reason() but returns the mask of ALL failing pair rules
 * (0 when the pair passes or an argument is invalid). */
TM_API uint32_t tm_rules_pair_failures(const TmProgramme *programme, const TmRules *rules,
                                       int32_t c, int32_t s);

/**
 * tm_rules_agent_fault_lang:
 * The value at fault when agent rule @code (C_* for a commissioner, S_* for a
 * site; ASCII case-insensitive) fails for agent @id of @side, as a short
 * newly allocated UTF-8 text in @lang (lang.h; TM_LANG_AUTO: the programme's
 * language, tm_programme_language()): the field, the agent's value and what
 * the rule asks, the fixed vocabularies in the language's words
 * (tm_title_label(), ...; the message catalogue).  English keeps the form's
 * Chinese field header in brackets, so that an officer finds the column.
 * One form per rule (English / Chinese):
 *   C_TITLE     "title (职称): junior title — needs intermediate title or above"
 *               "职称：初级，须为中级及以上"
 *   C_UNIT      "unit kind (单位类型): enterprise, 郑州华创电子有限公司 — allowed:
 *                university, research institute, public institution"
 *               "单位类型：企业（郑州华创电子有限公司），限于：高校、科研院所、事业单位"
 *   C_SUPPORT   "unit support (单位支持): no (河南工业大学) — the dispatching unit
 *                must support the secondment"
 *               "单位支持：否（河南工业大学），派出单位须同意选派"
 *   C_DIRECTION "expertise (专长): no sector at level 1 or more — needs a service
 *                direction (服务方向) in one of the district's sectors", or, with
 *                C_DIRECTION.target, "service target (服务对象): no wished site and
 *                no task type — C_DIRECTION.target asks for one of them"
 *               "专长：没有 1 级及以上的行业，须在本区行业中有服务方向"
 *   C_YEARS     "years (服务年限): offers 3 years — the term is 1 to 2 years"
 *               "服务年限：3 年，服务期限为 1 至 2 年"
 *   S_KIND      "kind (类型): other site — eligible: high-tech enterprise, ..."
 *               "类型：其他，符合条件的类型：高新技术企业、..."
 *   S_CLINIC    "clinic (卫生服务站): none — a community site must run a community
 *                health clinic"  "卫生服务站：无，社区派驻点须设有社区卫生服务站"
 *   S_SECTOR    "sector (行业): community health — an enterprise host (enterprise
 *                with an R&D centre ...) must be in a leading industry: electronic
 *                information, ..."  "行业：社区卫生，企业类派驻点（有研发中心或承担过
 *                科技项目的企业）须属于主导产业：电子信息、..."
 * Sector names are the taxonomy's English names in English (its Chinese name
 * when it has none), its Chinese names in Chinese; agents' and units' names
 * are the data's.
 * NULL when the rule passes — a rule that is off never fails — is unknown
 * or is not an agent rule of @side, for an id out of range or a NULL
 * argument (and for S_SECTOR when an item of its list is no sector of the
 * programme's taxonomy: the screening reports that).  Free with g_free().
 * Time O(profile of the agent + the taxonomy).
 */
TM_API char *tm_rules_agent_fault_lang(const TmProgramme *programme, const TmRules *rules,
                                       TmSide side, int32_t id, const char *code, TmLang lang);
/** tm_rules_agent_fault:
 * tm_rules_agent_fault_lang() in English (TM_LANG_EN, whatever the
 * programme's language). */
TM_API char *tm_rules_agent_fault(const TmProgramme *programme, const TmRules *rules,
                                  TmSide side, int32_t id, const char *code);
/**
 * tm_rules_pair_fault_lang:
 * As tm_rules_agent_fault_lang() for pair rule @code (P_*) on commissioner
 * @c and site @s; the texts name the site:
 *   P_SECTOR    "expertise (专长) in food processing: level 0 — 郑州百味坊 needs
 *                level 1 or more"  "食品加工专长：0 级，郑州百味坊要求 1 级及以上"
 *   P_YEARS     "years (服务年限): offers 1 year; 郑州百味坊 wants 2"
 *               "服务年限：1 年，郑州百味坊要求 2 年"
 *   P_TITLE     "title (职称): intermediate title — 郑州百味坊 requires senior title
 *                (associate professor or above)"  "职称：中级，郑州百味坊要求高级"
 *   P_DISTANCE  "distance (距离): 21.2 km from 郑州百味坊 (limit 20 km)"
 *               "距离：距郑州百味坊 21.2 公里（上限 20 公里）" (one decimal, or as
 *                many as it takes to exceed the limit: 20.02)
 * NULL when the pair passes the rule (or the rule is off), for an unknown or
 * non-pair code, ids out of range or a NULL argument.  Free with g_free().
 * Time O(expertise of c).
 */
TM_API char *tm_rules_pair_fault_lang(const TmProgramme *programme, const TmRules *rules,
                                      int32_t c, int32_t s, const char *code, TmLang lang);
/** tm_rules_pair_fault:
 * tm_rules_pair_fault_lang() in English (TM_LANG_EN). */
TM_API char *tm_rules_pair_fault(const TmProgramme *programme, const TmRules *rules, int32_t c,
                                 int32_t s, const char *code);

G_END_DECLS

#endif /* TECHMATCH_RULES_H */
