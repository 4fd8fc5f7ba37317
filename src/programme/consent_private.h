/* techmatch — real two-way consent: private hooks (not installed).  The
 * [consent] group of a configuration file is read and written here
 * (rules_consent.c) on behalf of rules_config.c; the market builder asks
 * tm_i_consent_named() whom an agent accepts. */
#ifndef TECHMATCH_PROGRAMME_CONSENT_PRIVATE_H
#define TECHMATCH_PROGRAMME_CONSENT_PRIVATE_H

#include <glib.h>
#include <techmatch/preferences.h>

#include "programme/config_internal.h"

/* Whether @group is "consent". */
G_GNUC_INTERNAL gboolean tm_i_consent_owns_group(const char *group);
/* Applies one [consent] key (@value as read) to @rules; FALSE with
 * TM_ERROR_PARSE `SOURCE:LINE: [consent] key: ...` (@rules then unchanged). */
G_GNUC_INTERNAL gboolean tm_i_consent_key(TmRules *rules, const TmConfigSource *src,
                                          const char *key, const char *value, GError **error);
/* Writes the [consent] group of @rules into @kf. */
G_GNUC_INTERNAL void tm_i_consent_to_keyfile(const TmRules *rules, GKeyFile *kf);
/* TRUE when @own (an agent's TmConsent) under the default of @side in @rules
 * means "named only". */
G_GNUC_INTERNAL gboolean tm_i_consent_named(const TmRules *rules, int side, TmConsent own);

#endif /* TECHMATCH_PROGRAMME_CONSENT_PRIVATE_H */
