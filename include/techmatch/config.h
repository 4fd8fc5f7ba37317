/* techmatch — one configuration object for a programme: the rules, scoring
 * and candidate settings, the quota, the sector caps and floors and the
 * sector taxonomy, read in one parse of one INI (GKeyFile) file, with the
 * defaults every front end (the CLI, Python) shares.
 *
 * File format (UTF-8, GKeyFile syntax, `#` comments; docs/config.md):
 *
 *   [rules] [weights.commissioner] [weights.site] [scoring] [candidates]
 *                       the rules and scoring, exactly as in rules.h
 *   [quota]
 *   total=30            most assignments in total: an integer >= 0, or none
 *   [taxonomy]
 *   sectors=eit;culture;food;materials;agri;health;water
 *                       the sector codes, in order ([a-z0-9_-]+, unique; ';'
 *                       or ',' between them).  Without this key (or group)
 *                       the sectors are the seed's six (profile.h).
 *   [sector.CODE]       one group per sector that needs settings:
 *   zh=水利             Chinese name (default: the seed's name for one of the
 *   en=water works        six codes, else the code)
 *   cap=5               at most 5 assignments in this sector (or none)
 *   floor=2             2 of the quota's places reserved for it (<= cap)
 *
 * Any other group, any other key of these groups, a [sector.CODE] whose CODE
 * is not a sector of the taxonomy (e.g. [sector.helth]) and any malformed
 * value is a TM_ERROR_PARSE error whose message starts `FILE:LINE: ` (LINE:
 * the line of the key, or of the group header for a group error) and names
 * the group and key.  Keys absent from the file keep their defaults.
 *
 * Defaults (tm_config_new_default(), and the starting point of every file):
 * the default rules (tm_rules_new_default()), a quota of
 * TM_CONFIG_DEFAULT_QUOTA assignments (the seed's "select 30 commissioners"),
 * no sector caps or floors, and the seed's six sectors.
 *
 * A TmConfig is reference-counted.  Its parts are read-only views; a front
 * end changes it through tm_config_set_quota_total(), tm_config_set_sector()
 * and the rules setters (rules.h, preferences.h) on
 * tm_config_rules_mutable().  Reading
 * from several threads is fine; modifying is not thread-safe.  A selection
 * copies what it uses (selection.h), so changing or freeing a configuration
 * afterwards does not affect it.
 *
 * Typical use:
 *
 *   TmConfig *cfg = tm_config_load_for_dir("seeds/jinshui-2011", &err);
 *   TmProgramme *p = tm_programme_new(tm_config_taxonomy(cfg));
 *   ...read the forms into p...
 *   TmSelection *sel = tm_programme_select(p, tm_config_rules(cfg),
 *                                          tm_config_quota(cfg), NULL, &err);
 */
#ifndef TECHMATCH_CONFIG_H
#define TECHMATCH_CONFIG_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/profile.h>
#include <techmatch/rules.h>
#include <techmatch/selection.h>

G_BEGIN_DECLS

/** The quota when no configuration sets one: the seed's 30 places. */
#define TM_CONFIG_DEFAULT_QUOTA 30
/** The name of a programme folder's own configuration file. */
#define TM_CONFIG_FILE_NAME "programme.ini"

typedef struct TmConfig TmConfig;

/**
 * tm_config_new_default:
 * The defaults above, with one reference (drop it with tm_config_free()).
 * Never fails (fixed-size allocations).  O(1).
 */
TM_API TmConfig *tm_config_new_default(void);

/**
 * tm_config_load_data:
 * The defaults overridden by the configuration text of @len bytes at @data
 * (-1: NUL-terminated), parsed once.  @source_name names the text in
 * messages (NULL: "<data>").  Returns a new configuration (tm_config_free())
 * or NULL with @error: TM_ERROR_INVALID_ARGUMENT (NULL @data), TM_ERROR_PARSE
 * (`SOURCE:LINE: ...`: syntax, unknown group, key or sector code, bad value,
 * a floor above its cap).  Time O(size of the text).
 */
TM_API TmConfig *tm_config_load_data(const char *data, gssize len, const char *source_name,
                                     GError **error);

/**
 * tm_config_load_file:
 * As tm_config_load_data() from the file at @path (named by @path in
 * messages).  Errors as above plus TM_ERROR_IO (cannot read the file).
 */
TM_API TmConfig *tm_config_load_file(const char *path, GError **error);

/**
 * tm_config_load_for_dir:
 * The configuration of the programme folder @dir: @dir/programme.ini
 * (TM_CONFIG_FILE_NAME) when it is a regular file, else the defaults.
 * Errors: TM_ERROR_INVALID_ARGUMENT (NULL), and those of
 * tm_config_load_file().  tm_config_source() tells which was used.
 */
TM_API TmConfig *tm_config_load_for_dir(const char *dir, GError **error);

/**
 * tm_config_to_data:
 * The whole configuration — every setting of the rules (tm_rules_to_data()),
 * the quota, the taxonomy and each sector's names, cap and floor — as
 * GKeyFile text that tm_config_load_data() reads back to an equal
 * configuration (comments of the file it came from are not kept).  Stores
 * the length in @len (may be NULL).  Returns a new string (g_free()); NULL
 * for a NULL @config.  O(settings + sectors).
 */
TM_API char *tm_config_to_data(const TmConfig *config, gsize *len);
/** tm_config_ref: takes a reference; returns @config.  NULL-safe,
 * thread-safe, O(1). */
TM_API TmConfig *tm_config_ref(TmConfig *config);
/** tm_config_free: drops a reference; frees the configuration with the last
 * one.  NULL-safe, thread-safe. */
TM_API void tm_config_free(TmConfig *config);

/** tm_config_source:
 * The file (or source name) the configuration was read from, NULL for the
 * defaults (borrowed).  O(1). */
TM_API const char *tm_config_source(const TmConfig *config);
/** tm_config_rules: the rules, weights, scoring and candidate settings
 * (borrowed, valid while @config lives; NULL for NULL).  O(1). */
TM_API const TmRules *tm_config_rules(const TmConfig *config);
/** tm_config_quota: the quota and sector caps and floors (borrowed; NULL for
 * NULL).  Its sector codes are all codes of tm_config_taxonomy().  O(1). */
TM_API const TmQuota *tm_config_quota(const TmConfig *config);
/** tm_config_taxonomy: the sectors (borrowed; NULL for NULL); give it to
 * tm_programme_new(), which copies it.  O(1). */
TM_API const TmTaxonomy *tm_config_taxonomy(const TmConfig *config);

/**
 * tm_config_set_quota_total:
 * Overrides the quota (-1: none), e.g. with a command-line option.  Errors:
 * TM_ERROR_INVALID_ARGUMENT (NULL, below -1); then nothing changes.  Visible
 * to every holder of a reference; not thread-safe.  O(1).
 */
TM_API gboolean tm_config_set_quota_total(TmConfig *config, int32_t total, GError **error);
/** tm_config_set_quota_unit:
 * What the quota and the sector limits count (TmQuotaUnit, selection.h; the
 * file's [quota] counts=), e.g. from `--quota-counts`.  Errors:
 * TM_ERROR_INVALID_ARGUMENT (NULL, a value out of range).  O(1). */
TM_API gboolean tm_config_set_quota_unit(TmConfig *config, TmQuotaUnit unit, GError **error);

/**
 * tm_config_rules_mutable:
 * The same rules object as tm_config_rules(), for changing it in place with
 * the setters of rules.h and preferences.h (tm_rules_set_enabled(),
 * tm_rules_set_weight(), tm_rules_set_candidates(), ...), which check every
 * value.  Borrowed, valid while @config lives; NULL for NULL.  Changes are
 * visible to every holder of a reference to @config; selections made
 * earlier are not affected (they copy the rules).  Not thread-safe.  O(1).
 */
TM_API TmRules *tm_config_rules_mutable(TmConfig *config);

/**
 * tm_config_set_sector:
 * Sets the cap (-1: none) and floor (>= 0, <= cap when both are set) of the
 * sector @sector, given by its code or its Chinese or English name
 * (tm_taxonomy_find()), exactly as a [sector.CODE] group with `cap` and
 * `floor` would; cap -1 and floor 0 lift its limits.  Errors:
 * TM_ERROR_INVALID_ARGUMENT (NULL, cap < -1, floor < 0, floor > cap),
 * TM_ERROR_UNKNOWN_NAME (no sector of the taxonomy; the message names it);
 * then nothing changes.  Not thread-safe.  O(number of sectors).
 */
TM_API gboolean tm_config_set_sector(TmConfig *config, const char *sector, int32_t cap,
                                     int32_t floor, GError **error);

G_END_DECLS

#endif /* TECHMATCH_CONFIG_H */
