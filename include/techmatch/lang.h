/* techmatch — the language of what the library writes for people: the
 * report, the CSV and spreadsheet headers, the reasons, the rule texts, the
 * printable page, the agreements (issue 11).
 *
 * Every word of those documents comes from one message catalogue
 * (src/util/messages*.def: each message in English and Chinese, checked by
 * the ctest `util.catalogue`), never from strings scattered through the
 * writers.  Codes a program reads (JSON keys, outcome codes, rule codes,
 * sector codes in the JSON) stay English whatever the language.
 */
#ifndef TECHMATCH_LANG_H
#define TECHMATCH_LANG_H

#include <glib.h>
#include <techmatch/export.h>

G_BEGIN_DECLS

/**
 * TmLang:
 * @TM_LANG_AUTO: the language of the programme's forms: Chinese when its
 *   forms were read with Chinese headers (tm_programme_language()), else
 *   English.
 * @TM_LANG_EN: English.
 * @TM_LANG_ZH: Simplified Chinese (简体中文).
 */
typedef enum { TM_LANG_AUTO = 0, TM_LANG_EN = 1, TM_LANG_ZH = 2 } TmLang;

/**
 * tm_lang_parse:
 * Reads a language name into *@lang: `auto`, `en` (also `english`, `en-US`,
 * `en_GB.UTF-8`, ...), `zh` (also `chinese`, `中文`, `zh-CN`, `zh_CN.UTF-8`,
 * `zh-Hans`, ...), case-insensitive.  Returns FALSE with
 * TM_ERROR_INVALID_ARGUMENT naming the text and the accepted names otherwise
 * (*@lang untouched).  Time O(length).
 */
TM_API gboolean tm_lang_parse(const char *text, TmLang *lang, GError **error);

/**
 * tm_lang_code:
 * "auto", "en" or "zh" (a static string); "?" for a value outside TmLang.
 */
TM_API const char *tm_lang_code(TmLang lang);

G_END_DECLS

#endif /* TECHMATCH_LANG_H */
