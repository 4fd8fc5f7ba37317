/* techmatch — the programme's world: sectors, site kinds, commissioner and
 * site profiles (domain layer; depends on the core, never the reverse).
 *
 * Sectors are data: a TmTaxonomy lists them with a stable code and a Chinese
 * and an English name.  tm_taxonomy_new_default() gives the seed's six:
 *   code      zh          en
 *   eit       电子信息     electronic information
 *   culture   文化创意     cultural & creative
 *   food      食品加工     food processing
 *   materials 新材料       new materials
 *   agri      农业农村     rural & agriculture
 *   health    社区卫生     community health
 *
 * Site kinds, professional titles and unit kinds are fixed vocabularies of
 * the programme (enums with stable string codes, see the *_from_string
 * functions); tags (skills, needs) are free strings interned per programme.
 *
 * A TmProgramme owns copies of everything added to it.  Ids are dense,
 * 0-based, in order of addition.  Not thread safe for writing; reading from
 * several threads is fine.
 */
#ifndef TECHMATCH_PROFILE_H
#define TECHMATCH_PROFILE_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/lang.h>

G_BEGIN_DECLS

/* ---- taxonomy of sectors ------------------------------------------------ */

typedef struct TmTaxonomy TmTaxonomy;

/** An empty taxonomy (free with tm_taxonomy_free()). */
TM_API TmTaxonomy *tm_taxonomy_new(void);
/** The seed's six sectors, in the order of the table above. */
TM_API TmTaxonomy *tm_taxonomy_new_default(void);
/** A deep copy. */
TM_API TmTaxonomy *tm_taxonomy_copy(const TmTaxonomy *taxonomy);
/** NULL-safe. */
TM_API void tm_taxonomy_free(TmTaxonomy *taxonomy);
/**
 * tm_taxonomy_add_sector:
 * Adds a sector; @code is ASCII [a-z0-9_-]+, unique; names are UTF-8 (may be
 * NULL: then the code is used).  Returns the new sector index or -1 with
 * TM_ERROR_INVALID_ARGUMENT (bad code) / TM_ERROR_DUPLICATE.
 */
TM_API int32_t tm_taxonomy_add_sector(TmTaxonomy *taxonomy, const char *code,
                                      const char *name_zh, const char *name_en,
                                      GError **error);
/** Number of sectors (0 for NULL).  O(1). */
TM_API int32_t tm_taxonomy_n_sectors(const TmTaxonomy *taxonomy);
/** The code of @sector (borrowed, valid while the taxonomy lives; NULL when
 * out of range).  O(1). */
TM_API const char *tm_taxonomy_code(const TmTaxonomy *taxonomy, int32_t sector);
/** The Chinese name of @sector (borrowed; NULL when out of range).  O(1). */
TM_API const char *tm_taxonomy_name_zh(const TmTaxonomy *taxonomy, int32_t sector);
/** The English name of @sector (borrowed; NULL when out of range).  O(1). */
TM_API const char *tm_taxonomy_name_en(const TmTaxonomy *taxonomy, int32_t sector);
/** Index of the sector whose code, Chinese or English name equals @text
 * (case-insensitive for ASCII, surrounding blanks ignored), or -1. */
TM_API int32_t tm_taxonomy_find(const TmTaxonomy *taxonomy, const char *text);

/* ---- fixed vocabularies ------------------------------------------------- */

/** Professional title (职称). */
typedef enum {
    TM_TITLE_NONE = 0,          /* code "none"          无 */
    TM_TITLE_JUNIOR = 1,        /* code "junior"        初级 */
    TM_TITLE_INTERMEDIATE = 2,  /* code "intermediate"  中级 */
    TM_TITLE_SENIOR = 3,        /* code "senior"        高级 (incl. 副高, 正高) */
} TmTitle;

/** Kind of dispatching unit (派出单位). */
typedef enum {
    TM_UNIT_UNIVERSITY = 0,     /* "university"  高校/高等院校 */
    TM_UNIT_INSTITUTE = 1,      /* "institute"   科研院所 */
    TM_UNIT_PUBLIC = 2,         /* "public"      事业单位 */
    TM_UNIT_ENTERPRISE = 3,     /* "enterprise"  企业 */
    TM_UNIT_OTHER = 4,          /* "other"       其他 */
} TmUnitKind;

/** Kind of service site (派驻点). */
typedef enum {
    TM_SITE_HIGH_TECH = 0,      /* "high_tech"    高新技术企业 */
    TM_SITE_INNOVATIVE = 1,     /* "innovative"   创新型企业 */
    TM_SITE_RD_ENTERPRISE = 2,  /* "rd_enterprise" 有研发中心或承担过科技项目的企业 */
    TM_SITE_PARK = 3,           /* "park"         科技园区 */
    TM_SITE_AGRI_BASE = 4,      /* "agri_base"    农业示范基地 */
    TM_SITE_VILLAGE = 5,        /* "village"      示范村 */
    TM_SITE_COMMUNITY = 6,      /* "community"    社区 (with a clinic: 社区卫生服务站) */
    TM_SITE_OTHER = 7,          /* "other"        其他 */
} TmSiteKind;

/** Whose wishes make a pair acceptable (双向选择: real two-way consent).
 * Zero-initialised profiles get TM_CONSENT_DEFAULT: the configuration's
 * default ([consent] commissioners= / sites=, preferences.h). */
typedef enum {
    TM_CONSENT_DEFAULT = 0,     /* the configuration's default for this side */
    TM_CONSENT_OPEN = 1,        /* "open": any partner the rules allow, ranked by
                                   wishes first, then by score */
    TM_CONSENT_NAMED_ONLY = 2,  /* "named": only the partners this agent named in
                                   its wishes are acceptable (只接受所列意向) */
} TmConsent;

#define TM_N_TITLES 4
#define TM_N_UNIT_KINDS 5
#define TM_N_SITE_KINDS 8

/** Stable ASCII code of a title (static string; NULL if out of range). */
TM_API const char *tm_title_code(TmTitle title);
/** Chinese label of a title (static string; NULL if out of range). */
TM_API const char *tm_title_label_zh(TmTitle title);
/** Stable ASCII code of a unit kind (static string; NULL if out of range). */
TM_API const char *tm_unit_kind_code(TmUnitKind kind);
/** Chinese label of a unit kind (static string; NULL if out of range). */
TM_API const char *tm_unit_kind_label_zh(TmUnitKind kind);
/** Stable ASCII code of a site kind (static string; NULL if out of range). */
TM_API const char *tm_site_kind_code(TmSiteKind kind);
/** Chinese label of a site kind (static string; NULL if out of range). */
TM_API const char *tm_site_kind_label_zh(TmSiteKind kind);
/** Parses a title code or Chinese label (blanks ignored, ASCII
 * case-insensitive); the TmTitle, or -1 when unknown or NULL. */
TM_API int tm_title_from_string(const char *text);
/** As tm_title_from_string() for a unit kind (TmUnitKind or -1). */
TM_API int tm_unit_kind_from_string(const char *text);
/** As tm_title_from_string() for a site kind (TmSiteKind or -1). */
TM_API int tm_site_kind_from_string(const char *text);

/* ---- profiles ----------------------------------------------------------- */

/** Expertise in one sector: level 1 (basic) .. 3 (expert); 0 = none. */
typedef struct {
    int32_t sector;
    int32_t level;
} TmExpertise;

/** "No location given" marker for x/y coordinates. */
#define TM_NO_LOCATION (-1e300)

/** A commissioner or team (科技特派员 / 科技团队), as given to
 * tm_programme_add_commissioner() and returned by tm_programme_commissioner().
 * Strings are UTF-8. */
typedef struct {
    const char *name;            /* unique among commissioners; required */
    int32_t team_size;           /* 1 = individual; >= 1 */
    TmTitle title;               /* highest title (team: the leader's) */
    const char *unit;            /* dispatching unit's name (may be NULL) */
    TmUnitKind unit_kind;
    gboolean unit_support;       /* the unit supports the secondment */
    const TmExpertise *expertise;  int32_t n_expertise;   /* distinct sectors */
    const char *const *skills;   int32_t n_skills;        /* skill tags */
    int32_t years;               /* service years offered, 0..10 (rule C_YEARS: 1..2) */
    int32_t capacity;            /* sites served at once, >= 0 */
    double x, y;                 /* location in km on a local grid, or TM_NO_LOCATION */
    const char *location;        /* free text (town/street), may be NULL */
    double merit;                /* merit score for the quota (择优); higher is better */
    const char *const *ranked_sites; int32_t n_ranked_sites; /* explicit wishes, best first */
    TmConsent consent;           /* whom it accepts (TM_CONSENT_DEFAULT: the config's) */
    uint32_t tasks;              /* task types offered: bit t = TmTask t (tasks.h) */
} TmCommissioner;

/** A service site (派驻点). */
typedef struct {
    const char *name;            /* unique among sites; required */
    TmSiteKind kind;
    int32_t sector;              /* index in the taxonomy */
    gboolean has_clinic;         /* communities: runs a clinic (社区卫生服务站) */
    const char *const *needs;    int32_t n_needs;         /* need tags */
    TmTitle min_title;           /* minimum title required of a commissioner */
    int32_t years;               /* service years wanted, 0..10 */
    int32_t capacity;            /* commissioners hosted, >= 0 */
    double x, y;                 /* location in km, or TM_NO_LOCATION */
    const char *location;        /* free text, may be NULL */
    const char *const *ranked_commissioners; int32_t n_ranked_commissioners; /* best first */
    TmConsent consent;           /* whom it accepts (TM_CONSENT_DEFAULT: the config's) */
    uint32_t tasks;              /* task types asked for: bit t = TmTask t (tasks.h) */
} TmSite;

typedef struct TmProgramme TmProgramme;

/** A new, empty programme over a copy of @taxonomy (NULL: the default
 * taxonomy), with one reference.  Drop it with tm_programme_free(). */
TM_API TmProgramme *tm_programme_new(const TmTaxonomy *taxonomy);
/** Takes a reference (objects that use a programme, such as a selection or
 * a scorer, hold one); returns @programme.  NULL-safe, thread-safe, O(1). */
TM_API TmProgramme *tm_programme_ref(TmProgramme *programme);
/** Drops a reference; the programme is freed with the last one.  NULL-safe,
 * thread-safe. */
TM_API void tm_programme_free(TmProgramme *programme);
/** The programme's taxonomy (borrowed). */
TM_API const TmTaxonomy *tm_programme_taxonomy(const TmProgramme *programme);

/**
 * tm_programme_language / tm_programme_set_language:
 * The language the programme's people work in, which TM_LANG_AUTO resolves
 * to in the writers (lang.h): TM_LANG_ZH once a form with mostly Chinese
 * headers (需求登记表, 申请表; forms.h) has been read into the programme,
 * else TM_LANG_EN (a programme built in code: English until set).  The
 * setter takes TM_LANG_EN or TM_LANG_ZH (anything else is ignored).  Not
 * thread-safe against concurrent writers; NULL-safe (EN).  O(1).
 */
TM_API TmLang tm_programme_language(const TmProgramme *programme);
/** Sets the language (see tm_programme_language()). */
TM_API void tm_programme_set_language(TmProgramme *programme, TmLang lang);

/**
 * tm_programme_add_commissioner / tm_programme_add_site:
 * Deep-copies @info and returns its id, or -1 with @error:
 * TM_ERROR_INVALID_ARGUMENT (NULL, empty or blank name, sector index out of
 * range, level outside 0..3, team size < 1, years outside 0..10, enum out of
 * range, non-finite merit or coordinates, only one of x/y set to
 * TM_NO_LOCATION, n_* < 0 or n_* > 0 with a NULL array, a NULL, empty/blank
 * or non-UTF-8 string in a list, non-UTF-8 text),
 * TM_ERROR_NEGATIVE_CAPACITY, TM_ERROR_DUPLICATE (name already used on that
 * side; a sector twice in expertise; a name twice in a ranked list).  A
 * failed call changes nothing.  Explicit ranked lists
 * name agents of the other side; they are resolved (and unknown names
 * reported) when preferences are built, so forms may be read in any order.
 */
TM_API int32_t tm_programme_add_commissioner(TmProgramme *programme,
                                             const TmCommissioner *info, GError **error);
/** As tm_programme_add_commissioner(), for a service site.  O(|lists|). */
TM_API int32_t tm_programme_add_site(TmProgramme *programme, const TmSite *info,
                                     GError **error);

/**
 * tm_programme_truncate:
 * Drops every commissioner with id >= @n_commissioners and every site with
 * id >= @n_sites — the way to roll back a batch of additions (record both
 * counts before the batch, truncate to them when it fails; a form reader does
 * this).  Trailing tags that no remaining agent uses are dropped too, so
 * after such a rollback tm_programme_n_tags() is what it was before the
 * batch; tag ids stay dense and stable (a tag used only by dropped agents
 * but with a smaller id than a tag still in use is kept, unused).  The names
 * of dropped agents become free again.  Views of dropped agents
 * (tm_programme_commissioner(), ...) must not be used afterwards; the others
 * stay valid.  Objects that hold a reference (a scorer) see the new sizes.
 *
 * Returns FALSE with @error, changing nothing: TM_ERROR_INVALID_ARGUMENT
 * (NULL programme), TM_ERROR_OUT_OF_RANGE (a count < 0 or above the current
 * count).  Time O(dropped agents + the tag ids of the remaining agents).
 */
TM_API gboolean tm_programme_truncate(TmProgramme *programme, int32_t n_commissioners,
                                      int32_t n_sites, GError **error);

/** Number of commissioners (0 for NULL).  O(1). */
TM_API int32_t tm_programme_n_commissioners(const TmProgramme *programme);
/** Number of sites (0 for NULL).  O(1). */
TM_API int32_t tm_programme_n_sites(const TmProgramme *programme);
/** Borrowed view of commissioner @id, valid until the programme is freed or
 * truncated below @id (adding more agents does not move earlier ones); NULL
 * when out of range.  O(1). */
TM_API const TmCommissioner *tm_programme_commissioner(const TmProgramme *programme, int32_t id);
/** Borrowed view of site @id, as tm_programme_commissioner(). */
TM_API const TmSite *tm_programme_site(const TmProgramme *programme, int32_t id);
/** Commissioner id by exact name, or -1.  O(1) expected (hash). */
TM_API int32_t tm_programme_find_commissioner(const TmProgramme *programme, const char *name);
/** Site id by exact name, or -1.  O(1) expected (hash). */
TM_API int32_t tm_programme_find_site(const TmProgramme *programme, const char *name);
/** Expertise level (0..3) of commissioner @c in @sector. */
TM_API int32_t tm_programme_expertise(const TmProgramme *programme, int32_t c, int32_t sector);

/**
 * Interned tags: every skill and need string gets a dense id per programme
 * (identical strings, after trimming blanks and ASCII lower-casing, share an
 * id).  Per-agent tag id arrays are sorted ascending without repeats and
 * borrowed.
 */
TM_API int32_t tm_programme_n_tags(const TmProgramme *programme);
/** The normalized text of @tag (borrowed, valid while the programme lives;
 * NULL when out of range).  O(1). */
TM_API const char *tm_programme_tag(const TmProgramme *programme, int32_t tag);
/** Commissioner @c's skill tag ids, sorted, distinct (borrowed; length in
 * *@n, which may be NULL); NULL and 0 when out of range.  O(1). */
TM_API const int32_t *tm_programme_skill_ids(const TmProgramme *programme, int32_t c,
                                             int32_t *n);
/** Site @s's need tag ids, as tm_programme_skill_ids(). */
TM_API const int32_t *tm_programme_need_ids(const TmProgramme *programme, int32_t s,
                                            int32_t *n);

G_END_DECLS

#endif /* TECHMATCH_PROFILE_H */
