/* techmatch — util layer: the message catalogue (lang.h).  Library-internal.
 *
 * Every word the library writes for people (the report, the headers of the
 * CSV and spreadsheet outputs, the reasons, the rule texts, the printable
 * page, the run summary) is a message here, in English and Chinese.  The
 * messages live in X-macro files, one per part of the library, all in one
 * catalogue (one enum, one table):
 *
 *   util/messages_io.def         the writers (src/io): shared words
 *   util/messages_report.def     the Markdown report
 *   util/messages_sheets.def     CSV and xlsx headers, sheet names
 *   util/messages_html.def       the printable page and its charts
 *   util/messages_programme.def  reasons, rule faults, wish fates (src/programme)
 *
 * Each line is TM_MSG(ID, "English", "中文").  A message with printf
 * conversions must have the same conversions in both languages, in the same
 * order, or numbered (`%1$s`) in both when the Chinese sentence needs another
 * order; the ctest `util.catalogue` checks every message for this and for
 * non-empty texts.  A literal `%` is `%%`.  Use a message as a format only
 * through tm_i_msg() (never build formats at run time).
 *
 * Why a table of our own and not gettext: the language is a per-call choice
 * (a notebook writes the English and the Chinese report of one selection
 * side by side; a server answers requests in both), while gettext's language
 * is process-global state (setlocale/LANGUAGE) that a reentrant library must
 * not touch; the table also needs no .mo files found at run time, and a
 * missing translation is a build-time test failure, not a silent fallback.
 */
#ifndef TECHMATCH_UTIL_MESSAGES_H
#define TECHMATCH_UTIL_MESSAGES_H

#include <glib.h>
#include <techmatch/lang.h>

typedef enum {
#define TM_MSG(id, en, zh) TM_M_##id,
#include "util/messages_io.def"
#include "util/messages_report.def"
#include "util/messages_sheets.def"
#include "util/messages_html.def"
#include "util/messages_programme.def"
#undef TM_MSG
    TM_M_N_MESSAGES
} TmMsgId;

/* The text of message @id in @lang (TM_LANG_AUTO and anything unknown read
 * as English).  A static string; never NULL.  O(1). */
G_GNUC_INTERNAL const char *tm_i_msg(TmLang lang, TmMsgId id);

/* The message's identifier ("REPORT_TITLE"), for tests; NULL out of range. */
G_GNUC_INTERNAL const char *tm_i_msg_name(TmMsgId id);

/* TM_LANG_EN or TM_LANG_ZH: @lang, or @fallback when @lang is TM_LANG_AUTO
 * (a @fallback of TM_LANG_AUTO reads as English). */
G_GNUC_INTERNAL TmLang tm_i_lang_pick(TmLang lang, TmLang fallback);

#endif /* TECHMATCH_UTIL_MESSAGES_H */
