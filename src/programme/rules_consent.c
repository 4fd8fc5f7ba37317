/* techmatch — real two-way consent (双向选择; preferences.h, CONSENT): the
 * vocabulary of TmConsent, the configuration's default per side ([consent]
 * commissioners= / sites=) stored in a TmRules, and the consent in force for
 * one agent. */
#include <string.h>

#include "programme/consent_private.h"
#include "programme/profile_private.h"
#include "programme/rules_internal.h"

static const char *const consent_codes[3] = {"default", "open", "named"};

typedef struct {
    const char *text; /* normalized: trimmed, ASCII lower case, '_' for '-' and ' ' */
    TmConsent value;
} ConsentWord;

static const ConsentWord consent_words[] = {
    {"named_only", TM_CONSENT_NAMED_ONLY}, {"only_named", TM_CONSENT_NAMED_ONLY},
    {"wishes_only", TM_CONSENT_NAMED_ONLY}, {"仅意向", TM_CONSENT_NAMED_ONLY},
    {"只接受所列意向", TM_CONSENT_NAMED_ONLY}, {"只接受意向", TM_CONSENT_NAMED_ONLY},
    {"仅限所列", TM_CONSENT_NAMED_ONLY}, {"仅限意向", TM_CONSENT_NAMED_ONLY},
    {"不服从调剂", TM_CONSENT_NAMED_ONLY},
    {"any", TM_CONSENT_OPEN}, {"不限", TM_CONSENT_OPEN}, {"开放", TM_CONSENT_OPEN},
    {"均可", TM_CONSENT_OPEN}, {"服从调剂", TM_CONSENT_OPEN},
    {"默认", TM_CONSENT_DEFAULT},
};

const char *tm_consent_code(TmConsent consent)
{
    return (int)consent >= 0 && (int)consent < 3 ? consent_codes[consent] : NULL;
}

int tm_consent_from_string(const char *text)
{
    if (text == NULL)
        return -1;
    char *key = tm_i_profile_key(text);
    for (char *q = key; *q; q++)
        if (*q == '-' || *q == ' ')
            *q = '_';
    int found = -1;
    for (int i = 0; i < 3 && found < 0; i++)
        if (strcmp(key, consent_codes[i]) == 0)
            found = i;
    for (gsize i = 0; i < G_N_ELEMENTS(consent_words) && found < 0; i++)
        if (strcmp(key, consent_words[i].text) == 0)
            found = (int)consent_words[i].value;
    g_free(key);
    return found;
}

static gboolean side_ok(int side)
{
    return side == TM_SIDE_SUPPLY || side == TM_SIDE_DEMAND;
}

TmConsent tm_rules_consent(const TmRules *rules, TmSide side)
{
    if (rules == NULL || !side_ok(side))
        return TM_CONSENT_OPEN;
    return rules->consent[side] == TM_CONSENT_NAMED_ONLY ? TM_CONSENT_NAMED_ONLY
                                                         : TM_CONSENT_OPEN;
}

gboolean tm_rules_set_consent(TmRules *rules, TmSide side, TmConsent consent, GError **error)
{
    if (rules == NULL || !side_ok(side)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            rules == NULL ? "set_consent: rules is NULL"
                                          : "set_consent: side must be TM_SIDE_SUPPLY or "
                                            "TM_SIDE_DEMAND");
        return FALSE;
    }
    if (tm_consent_code(consent) == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "set_consent: %d is not a TmConsent (0 default, 1 open, 2 named)",
                    (int)consent);
        return FALSE;
    }
    rules->consent[side] = consent == TM_CONSENT_DEFAULT ? TM_CONSENT_OPEN : consent;
    return TRUE;
}

gboolean tm_i_consent_named(const TmRules *rules, int side, TmConsent own)
{
    if (own == TM_CONSENT_NAMED_ONLY)
        return TRUE;
    if (own == TM_CONSENT_OPEN)
        return FALSE;
    return tm_rules_consent(rules, (TmSide)side) == TM_CONSENT_NAMED_ONLY;
}

TmConsent tm_programme_consent(const TmProgramme *programme, const TmRules *rules, TmSide side,
                               int32_t id)
{
    if (programme == NULL || rules == NULL || !side_ok(side))
        return TM_CONSENT_OPEN;
    TmConsent own;
    if (side == TM_SIDE_SUPPLY) {
        const TmCommissioner *c = tm_programme_commissioner(programme, id);
        if (c == NULL)
            return TM_CONSENT_OPEN;
        own = c->consent;
    } else {
        const TmSite *s = tm_programme_site(programme, id);
        if (s == NULL)
            return TM_CONSENT_OPEN;
        own = s->consent;
    }
    return tm_i_consent_named(rules, side, own) ? TM_CONSENT_NAMED_ONLY : TM_CONSENT_OPEN;
}

/* ---- the [consent] group --------------------------------------------------- */

static const char *const consent_keys[2] = {"commissioners", "sites"};

gboolean tm_i_consent_owns_group(const char *group)
{
    return group != NULL && strcmp(group, "consent") == 0;
}

gboolean tm_i_consent_key(TmRules *rules, const TmConfigSource *src, const char *key,
                          const char *value, GError **error)
{
    int side = -1;
    for (int i = 0; i < 2; i++)
        if (strcmp(key, consent_keys[i]) == 0)
            side = i;
    if (side < 0) {
        tm_i_config_error(error, src, "consent", key,
                          "unknown key (expected commissioners or sites)");
        return FALSE;
    }
    int v = tm_consent_from_string(value);
    if (v != TM_CONSENT_OPEN && v != TM_CONSENT_NAMED_ONLY) {
        char *shown = g_strstrip(g_strdup(value));
        tm_i_config_error(error, src, "consent", key,
                          "expected open or named (whom an agent accepts when its form "
                          "leaves the consent empty), got '%s'",
                          shown);
        g_free(shown);
        return FALSE;
    }
    rules->consent[side] = v;
    return TRUE;
}

void tm_i_consent_to_keyfile(const TmRules *rules, GKeyFile *kf)
{
    for (int side = 0; side < 2; side++)
        g_key_file_set_value(kf, "consent", consent_keys[side],
                             tm_consent_code(tm_rules_consent(rules, (TmSide)side)));
}
