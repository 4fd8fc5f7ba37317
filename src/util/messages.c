/* techmatch — util layer: the message catalogue (util/messages.h, lang.h). */
#include <string.h>

#include <glib.h>

#include <techmatch/error.h>
#include <techmatch/lang.h>

#include "util/messages.h"

typedef struct {
    const char *name, *en, *zh;
} Message;

static const Message catalogue[TM_M_N_MESSAGES] = {
#define TM_MSG(id, e, z) [TM_M_##id] = {#id, e, z},
#include "util/messages_io.def"
#include "util/messages_report.def"
#include "util/messages_sheets.def"
#include "util/messages_html.def"
#include "util/messages_programme.def"
#undef TM_MSG
};

const char *tm_i_msg(TmLang lang, TmMsgId id)
{
    if ((int)id < 0 || id >= TM_M_N_MESSAGES)
        return "";
    return lang == TM_LANG_ZH ? catalogue[id].zh : catalogue[id].en;
}

const char *tm_i_msg_name(TmMsgId id)
{
    if ((int)id < 0 || id >= TM_M_N_MESSAGES)
        return NULL;
    return catalogue[id].name;
}

TmLang tm_i_lang_pick(TmLang lang, TmLang fallback)
{
    if (lang == TM_LANG_EN || lang == TM_LANG_ZH)
        return lang;
    return fallback == TM_LANG_ZH ? TM_LANG_ZH : TM_LANG_EN;
}

/* The part of @text before any `.` or `@` (a locale's encoding and
 * modifier: zh_CN.UTF-8), lower-cased, `_` read as `-`. */
static char *lang_key(const char *text)
{
    size_t n = strcspn(text, ".@");
    char *key = g_ascii_strdown(text, (gssize)n);
    for (char *p = key; *p; p++)
        if (*p == '_')
            *p = '-';
    return key;
}

gboolean tm_lang_parse(const char *text, TmLang *lang, GError **error)
{
    if (text == NULL || lang == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "tm_lang_parse: NULL argument");
        return FALSE;
    }
    char *key = lang_key(text);
    TmLang out;
    gboolean ok = TRUE;
    if (strcmp(key, "auto") == 0)
        out = TM_LANG_AUTO;
    else if (strcmp(key, "en") == 0 || strcmp(key, "english") == 0 ||
             g_str_has_prefix(key, "en-") || strcmp(key, "c") == 0 || strcmp(key, "posix") == 0)
        out = TM_LANG_EN;
    else if (strcmp(key, "zh") == 0 || strcmp(key, "chinese") == 0 ||
             strcmp(key, "中文") == 0 || strcmp(key, "简体中文") == 0 ||
             g_str_has_prefix(key, "zh-"))
        out = TM_LANG_ZH;
    else
        ok = FALSE;
    g_free(key);
    if (!ok) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "unknown language '%s' (use zh, en or auto)", text);
        return FALSE;
    }
    *lang = out;
    return TRUE;
}

const char *tm_lang_code(TmLang lang)
{
    switch (lang) {
    case TM_LANG_AUTO: return "auto";
    case TM_LANG_EN: return "en";
    case TM_LANG_ZH: return "zh";
    default: return "?";
    }
}
