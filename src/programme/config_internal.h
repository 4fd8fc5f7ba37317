/* techmatch — the one parser of configuration files (not installed).
 *
 * A configuration text is parsed once into a TmConfigSource: the GKeyFile
 * plus an index of the line of every group header and key, which GKeyFile
 * does not keep.  The parts of the library that own groups of the file read
 * them from the same source: the rules (rules_config.c: [rules],
 * [weights.*], [scoring], [candidates]), the quota (quota.c: [quota],
 * [sector.CODE]) and the taxonomy (config.c: [taxonomy], [sector.CODE]).
 * tm_rules_load_*, tm_quota_load_* and tm_config_load_* all go through here,
 * so every message has the form `SOURCE:LINE: [group] key: message`. */
#ifndef TECHMATCH_PROGRAMME_CONFIG_INTERNAL_H
#define TECHMATCH_PROGRAMME_CONFIG_INTERNAL_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/rules.h>
#include <techmatch/selection.h>

#define TM_I_SECTOR_PREFIX "sector."

typedef struct {
    char *source;       /* name used in messages */
    GKeyFile *kf;
    GHashTable *lines;  /* "group" or "group\x1fkey" -> GINT_TO_POINTER(line) */
} TmConfigSource;

/* Parses @len bytes of @data (-1: NUL-terminated); @source_name (NULL:
 * "<data>") names it in messages.  NULL with TM_ERROR_PARSE
 * (`SOURCE:LINE: message`, LINE the first line GKeyFile cannot read). */
G_GNUC_INTERNAL TmConfigSource *tm_i_config_source_new(const char *data, gssize len,
                                                       const char *source_name,
                                                       GError **error);
/* The bytes of the file at @path (g_free(); its length in *@len), or NULL
 * with TM_ERROR_INVALID_ARGUMENT (NULL @path) or TM_ERROR_IO ("PATH: why").
 * Shared by the configuration and the sweep (sweep.c) readers. */
G_GNUC_INTERNAL char *tm_i_config_read_file(const char *path, gsize *len, GError **error);
/* Reads and parses the file at @path (TM_ERROR_IO when it cannot be read). */
G_GNUC_INTERNAL TmConfigSource *tm_i_config_source_new_file(const char *path, GError **error);
G_GNUC_INTERNAL void tm_i_config_source_free(TmConfigSource *src);

/* Line (1-based) of @key in @group, or of the group header when @key is NULL
 * or absent; 0 when unknown. */
G_GNUC_INTERNAL int tm_i_config_line(const TmConfigSource *src, const char *group,
                                     const char *key);

/* Sets TM_ERROR_PARSE: "SOURCE:LINE: [group] key: message" (no key: "[group]:
 * message"; @src NULL: "[group] key: message" after no location). */
G_GNUC_INTERNAL void tm_i_config_error(GError **error, const TmConfigSource *src,
                                       const char *group, const char *key, const char *fmt,
                                       ...) G_GNUC_PRINTF(5, 6);

/* Value parsers on trimmed text: FALSE when malformed or out of range. */
G_GNUC_INTERNAL gboolean tm_i_parse_bool(const char *v, gboolean *out);
G_GNUC_INTERNAL gboolean tm_i_parse_int64(const char *v, int64_t lo, int64_t hi, int64_t *out);
G_GNUC_INTERNAL gboolean tm_i_parse_double(const char *v, double *out);
/* Splits a list value on ';' or ',', trimming blanks and skipping empties
 * (g_strfreev()). */
G_GNUC_INTERNAL char **tm_i_split_list(const char *v);

/* Whether @group belongs to the rules. */
G_GNUC_INTERNAL gboolean tm_i_rules_owns_group(const char *group);
/* Applies the rules' groups of @src to @rules (other groups are left to
 * their owners); all or nothing. */
G_GNUC_INTERNAL gboolean tm_i_rules_apply(TmRules *rules, const TmConfigSource *src,
                                          GError **error);
/* Checks S_SECTOR.leading against @taxonomy (tm_rules_check_taxonomy()) as
 * a configuration error: TM_ERROR_PARSE at the key's line when @src sets
 * it, else at [taxonomy] sectors (the default list does not fit the file's
 * taxonomy); TM_ERROR_NO_MEMORY passed on.  For tm_config_load_*(), after
 * the taxonomy and the rules are read. */
G_GNUC_INTERNAL gboolean tm_i_rules_check_taxonomy_at(const TmRules *rules,
                                                      const TmTaxonomy *taxonomy,
                                                      const TmConfigSource *src,
                                                      GError **error);
/* Applies [quota] and the cap/floor keys of every [sector.CODE] (codes not
 * checked; keys other than cap, floor, zh, en refused); all or nothing. */
G_GNUC_INTERNAL gboolean tm_i_quota_apply(TmQuota *quota, const TmConfigSource *src,
                                          GError **error);

#endif /* TECHMATCH_PROGRAMME_CONFIG_INTERNAL_H */
