/* techmatch — draft cooperation agreements (合作协议), one per assignment
 * (io layer).
 *
 * The plan ends each successful match with a signed cooperation agreement.
 * The office edits a template — plain UTF-8 text (Markdown by default) with
 * placeholders {{NAME}} — and gets one filled-in draft per assignment:
 *
 *   placeholder          value
 *   {{number}}           the agreement's number: 001, 002, ... (assignment order)
 *   {{commissioner}}     the commissioner's or team's name
 *   {{team}}             "" for an individual, "（团队，N人）" for a team of N
 *   {{title}}            the professional title, in Chinese (中级, 高级, ...)
 *   {{unit}}             the dispatching unit (派出单位); "—" when not given
 *   {{unit_kind}}        its kind, in Chinese (高校, 科研院所, ...)
 *   {{site}}             the site's name
 *   {{site_kind}}        its kind, in Chinese
 *   {{sector}}           the site's sector, Chinese name
 *   {{sector_en}}        the site's sector, English name
 *   {{location}}         the site's address (地址); "—" when not given
 *   {{tasks}}            the task types both name (tasks.h), in Chinese, joined by
 *                        "、"; else those the site asks for; else "—"
 *   {{years}}            the years of service the commissioner offers
 *   {{merit}}            the commissioner's merit score
 *   {{{{}}               a literal "{{"
 *
 * Assignments are numbered in the order of the assignments CSV (report.h):
 * commissioners in form order, each one's sites best first.  Files are named
 * `NNN-COMMISSIONER-SITE.md` (characters unsafe in a file name become `_`).
 *
 * Every function is reentrant and only reads the selection.
 */
#ifndef TECHMATCH_AGREEMENT_H
#define TECHMATCH_AGREEMENT_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/export.h>
#include <techmatch/error.h>
#include <techmatch/selection.h>

G_BEGIN_DECLS

/** tm_agreement_default_template:
 * The built-in template (Chinese, Markdown; static string). */
TM_API const char *tm_agreement_default_template(void);
/** tm_agreement_default_template_lang:
 * The built-in template in @lang (lang.h): TM_LANG_EN the English one, any
 * other value the Chinese one of tm_agreement_default_template() (a static
 * string). */
TM_API const char *tm_agreement_default_template_lang(TmLang lang);

/**
 * tm_agreement_check_template:
 * TRUE when @text is a valid template: UTF-8, every {{ closed by }} on the
 * same line, every placeholder one of the table above.  Otherwise FALSE with
 * TM_ERROR_PARSE, message `SOURCE:LINE:COLUMN: ...` (@source_name: NULL gives
 * "<template>"), or TM_ERROR_INVALID_ARGUMENT for NULL.  Time O(length).
 */
TM_API gboolean tm_agreement_check_template(const char *text, const char *source_name,
                                            GError **error);

/**
 * tm_selection_agreements:
 * Fills @template_text (NULL: the built-in one) for every assignment of
 * @selection.  On success returns TRUE with two new NULL-terminated arrays of
 * the same length (free both with g_strfreev()): *@names, the file names, and
 * *@texts, the drafts.  Errors: as tm_agreement_check_template() (nothing is
 * returned then), TM_ERROR_INVALID_ARGUMENT (NULL selection or out
 * pointers).  Time O(assignments x template length).
 */
TM_API gboolean tm_selection_agreements(const TmSelection *selection, const char *template_text,
                                        const char *source_name, char ***names, char ***texts,
                                        GError **error);

/**
 * tm_selection_agreements_lang:
 * As tm_selection_agreements() (which is this in TM_LANG_ZH), with the
 * placeholders' words in @lang (TM_LANG_AUTO: the programme's language,
 * tm_programme_language()): {{title}}, {{unit_kind}}, {{site_kind}},
 * {{sector}}, {{team}} and {{tasks}} in English or Chinese ({{sector_en}}
 * stays English), and a NULL @template_text is the built-in template of that
 * language.  The output set (output.h) writes its drafts this way, in the
 * options' language.  Ownership, errors and time as there.
 */
TM_API gboolean tm_selection_agreements_lang(const TmSelection *selection,
                                             const char *template_text, const char *source_name,
                                             TmLang lang, char ***names, char ***texts,
                                             GError **error);

/**
 * tm_selection_write_with_agreements:
 * As tm_selection_write() (report.h), and the drafts of
 * tm_selection_agreements() in the subfolder `agreements/` of @dir, all
 * replaced as one set (an earlier run's `agreements/` holding only `.md`
 * files is replaced with it).  Errors: those of both.
 */
TM_API gboolean tm_selection_write_with_agreements(const TmSelection *selection, const char *dir,
                                                   const char *template_text,
                                                   const char *source_name, GError **error);

G_END_DECLS

#endif /* TECHMATCH_AGREEMENT_H */
