/* techmatch — the report section on the leading group's review
 * (review_effects.h): each decision and what it changed against the
 * previous run, then the overall changes; and the three documents of the
 * reviewed selection written as one set.  Formats only: every fact comes
 * from the comparison's and the selections' public accessors. */
#include <string.h>

#include <glib.h>

#include <techmatch/report.h>
#include <techmatch/output.h>
#include <techmatch/review_effects.h>
#include <techmatch/rules.h>

#include "io/output_set.h"
#include "io/report_internal.h"
#include "util/messages.h"

#define M(id) tm_i_msg(lang, TM_M_##id)

static const char *agent(const TmSelection *sel, int side, int32_t id)
{
    return side == TM_SIDE_SUPPLY ? tm_i_sel_cname(sel, id) : tm_i_sel_sname(sel, id);
}

/* The partners of @id in @sel ("A、B"), or "none" with its outcome there. */
static void partners_text(GString *out, const TmSelection *sel, int side, int32_t id,
                          TmLang lang)
{
    int32_t n = 0;
    const int32_t *p = tm_matching_partners(tm_selection_matching(sel), (TmSide)side, id, &n);
    for (int32_t k = 0; p != NULL && k < n; k++) {
        if (k > 0)
            g_string_append(out, "、");
        tm_i_md_text(out, agent(sel, 1 - side, p[k]));
    }
    if (p != NULL && n > 0)
        return;
    const char *detail = NULL;
    int o = tm_selection_outcome(sel, (TmSide)side, id, &detail);
    g_string_append(out, M(REVIEW_NONE_OUTCOME));
    if (lang == TM_LANG_ZH) { /* the reason as the report states it */
        char *why = tm_selection_reason(sel, (TmSide)side, id, lang);
        tm_i_md_text(out, why);
        g_free(why);
    } else { /* English: the outcome's code and detail, as before the catalogue */
        tm_i_md_text(out, tm_outcome_code((TmOutcome)o));
        if (detail != NULL) {
            g_string_append(out, M(REVIEW_DETAIL_SEP));
            tm_i_md_text(out, detail);
        }
    }
    g_string_append(out, M(REVIEW_NONE_CLOSE));
}

static const char *effect_sentence(TmDecisionKind kind, int effect, TmLang lang)
{
    switch (effect) {
    case TM_EFFECT_KEPT: return M(REVIEW_EFFECT_KEPT);
    case TM_EFFECT_ADDED: return M(REVIEW_EFFECT_ADDED);
    case TM_EFFECT_REMOVED:
        return kind == TM_DECISION_VETO ? M(REVIEW_EFFECT_REMOVED_VETO) : M(REVIEW_EFFECT_REMOVED);
    case TM_EFFECT_NONE:
        return kind == TM_DECISION_VETO ? M(REVIEW_EFFECT_NONE_VETO) : M(REVIEW_EFFECT_NONE);
    case TM_EFFECT_PLACED: return M(REVIEW_EFFECT_PLACED);
    case TM_EFFECT_NOT_PLACED: return M(REVIEW_EFFECT_NOT_PLACED);
    default: return M(REVIEW_EFFECT_NOT_APPLIED);
    }
}

/* The value at fault for rule @r on the decision's agents (rules.h), or
 * NULL. */
static char *fault_text(const TmSelection *cur, int32_t r, int32_t c, int32_t s)
{
    const TmProgramme *p = tm_selection_programme(cur);
    const TmRules *rules = tm_selection_rules(cur);
    const char *code = tm_rule_code(r);
    switch (tm_rule_scope(r)) {
    case TM_RULE_SCOPE_COMMISSIONER:
        return c >= 0 ? tm_rules_agent_fault(p, rules, TM_SIDE_SUPPLY, c, code) : NULL;
    case TM_RULE_SCOPE_SITE:
        return s >= 0 ? tm_rules_agent_fault(p, rules, TM_SIDE_DEMAND, s, code) : NULL;
    default:
        return c >= 0 && s >= 0 ? tm_rules_pair_fault(p, rules, c, s, code) : NULL;
    }
}

/* "Overrides: RULE — the value at fault; ...": the rules a pin or an
 * admission overrides, each with the value at fault (else its summary). */
static void md_overrides(GString *out, const TmSelection *cur, TmDecisionKind kind,
                         uint32_t mask, int32_t c, int32_t s, TmLang lang)
{
    if (mask == 0) {
        if (kind == TM_DECISION_ADMIT)
            g_string_append(out, M(REVIEW_OVERRIDES_NOTHING));
        return;
    }
    g_string_append(out, M(REVIEW_OVERRIDES));
    gboolean first = TRUE;
    for (int32_t r = 0; r < tm_rules_n_rules() && r < 32; r++) {
        if (!(mask & (1u << r)))
            continue;
        char *fault = fault_text(cur, r, c, s);
        g_string_append_printf(out, "%s%s%s", first ? "" : M(REVIEW_LIST_SEP), tm_rule_code(r),
                               lang == TM_LANG_ZH ? "（" : " (");
        tm_i_md_text(out, fault != NULL       ? fault
                          : lang == TM_LANG_ZH ? tm_rule_summary_zh(r)
                                               : tm_rule_summary(r));
        g_string_append(out, lang == TM_LANG_ZH ? "）" : ")");
        g_free(fault);
        first = FALSE;
    }
    g_string_append(out, kind == TM_DECISION_PIN ? M(REVIEW_STANDS_PIN) : M(REVIEW_STANDS_ADMIT));
}

static void md_decision(GString *out, const TmReviewEffects *e, int32_t i, TmLang lang)
{
    const TmSelection *prev = tm_review_effects_previous(e), *cur = tm_review_effects_current(e);
    const char *cn, *sn, *note, *src;
    TmDecisionKind kind =
        (TmDecisionKind)tm_review_decision(tm_review_effects_review(e), i, &cn, &sn, &note, &src);
    uint32_t mask = 0;
    int32_t c = -1, s = -1;
    int effect = tm_review_effects_decision(e, i, &c, &s, &mask);
    /* English: the code, then the Chinese label; Chinese: the label, then the code */
    g_string_append_printf(out, lang == TM_LANG_ZH ? "%d. **%s（%s）** " : "%d. **%s (%s)** ",
                           (int)i + 1,
                           lang == TM_LANG_ZH ? tm_decision_kind_label_zh(kind)
                                              : tm_decision_kind_code(kind),
                           lang == TM_LANG_ZH ? tm_decision_kind_code(kind)
                                              : tm_decision_kind_label_zh(kind));
    if (cn != NULL)
        tm_i_md_text(out, cn);
    if (cn != NULL && sn != NULL)
        g_string_append(out, " — ");
    if (sn != NULL)
        tm_i_md_text(out, sn);
    if (src != NULL) {
        g_string_append(out, lang == TM_LANG_ZH ? "（" : " (");
        tm_i_md_text(out, src);
        g_string_append(out, lang == TM_LANG_ZH ? "）" : ")");
    }
    g_string_append_c(out, '\n');
    if (note != NULL) {
        g_string_append(out, M(REVIEW_NOTE));
        tm_i_md_text(out, note);
        g_string_append_c(out, '\n');
    }
    g_string_append_printf(out, M(REVIEW_EFFECT), effect_sentence(kind, effect, lang));
    md_overrides(out, cur, kind, mask, c, s, lang);
    /* before -> now of the agents it moved, when any of them moved (a pin
     * that kept what was there says nothing more) */
    int32_t n = tm_review_effects_n_moved(e, i);
    GString *line = g_string_new(NULL);
    gboolean any = FALSE;
    for (int32_t j = 0; j < n; j++) {
        int side;
        int32_t id;
        tm_review_effects_moved(e, i, j, &side, &id);
        GString *before = g_string_new(NULL), *now = g_string_new(NULL);
        partners_text(before, prev, side, id, lang);
        partners_text(now, cur, side, id, lang);
        gboolean same = strcmp(before->str, now->str) == 0;
        any = any || !same;
        g_string_append(line, j == 0 ? M(REVIEW_BEFORE_NOW) : M(REVIEW_LIST_SEP));
        tm_i_md_text(line, agent(cur, side, id));
        g_string_append_printf(line, "%s%s%s%s", M(REVIEW_DETAIL_SEP), before->str,
                               same ? M(REVIEW_UNCHANGED) : M(REVIEW_ARROW), same ? "" : now->str);
        g_string_free(before, TRUE);
        g_string_free(now, TRUE);
    }
    if (any)
        g_string_append_printf(out, "%s\n", line->str);
    g_string_free(line, TRUE);
}

static void md_changes(GString *out, const TmReviewEffects *e, TmLang lang)
{
    const TmSelection *cur = tm_review_effects_current(e);
    g_string_append_printf(out, "\n### %s\n\n", M(REVIEW_H_CHANGES));
    const char *const pair_titles[2] = {M(REVIEW_PAIRS_ADDED), M(REVIEW_PAIRS_REMOVED)};
    for (int k = 0; k < 2; k++) {
        int64_t n = tm_review_effects_n_pairs(e, (TmChange)k);
        g_string_append_printf(out, M(REVIEW_COUNT), pair_titles[k], (long long)n);
        g_string_append_printf(out, "%s\n", n == 0 ? M(REVIEW_COUNT_NONE) : "");
        for (int64_t j = 0; j < n; j++) {
            int32_t c, s;
            tm_review_effects_pair(e, (TmChange)k, j, &c, &s);
            g_string_append(out, "  - ");
            tm_i_md_text(out, tm_i_sel_cname(cur, c));
            g_string_append(out, " — ");
            tm_i_md_text(out, tm_i_sel_sname(cur, s));
            g_string_append_c(out, '\n');
        }
    }
    const char *const comm_titles[2] = {M(REVIEW_COMM_ADDED), M(REVIEW_COMM_REMOVED)};
    for (int k = 0; k < 2; k++) {
        int32_t n = tm_review_effects_n_commissioners(e, (TmChange)k);
        g_string_append_printf(out, M(REVIEW_COUNT), comm_titles[k], (long long)n);
        g_string_append(out, n == 0 ? M(REVIEW_COUNT_NONE) : lang == TM_LANG_ZH ? "" : " ");
        for (int32_t j = 0; j < n; j++) {
            int32_t c = tm_review_effects_commissioner(e, (TmChange)k, j);
            if (j > 0)
                g_string_append(out, M(REVIEW_NAME_SEP));
            tm_i_md_text(out, tm_i_sel_cname(cur, c));
            if (k == TM_CHANGE_REMOVED) {
                g_string_append(out, M(REVIEW_NOW));
                partners_text(out, cur, TM_SIDE_SUPPLY, c, lang);
            }
        }
        g_string_append_c(out, '\n');
    }
}

static char *review_markdown(const TmReviewEffects *e, TmLang lang, GError **error)
{
    if (e == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "review effects: NULL");
        return NULL;
    }
    const TmReview *review = tm_review_effects_review(e);
    int32_t n = tm_review_n_decisions(review);
    int32_t count[TM_N_DECISION_KINDS] = {0};
    for (int32_t i = 0; i < n; i++)
        count[tm_review_decision(review, i, NULL, NULL, NULL, NULL)]++;
    GString *out = g_string_new(NULL);
    g_string_append_printf(out, "\n## %s\n\n", M(REVIEW_H));
    g_string_append_printf(out, n == 1 ? M(REVIEW_INTRO_1) : M(REVIEW_INTRO_N), (int)n,
                           count[TM_DECISION_PIN], count[TM_DECISION_VETO],
                           count[TM_DECISION_EXCLUDE], count[TM_DECISION_ADMIT]);
    /* the programme layer's default baseline is English: in Chinese, the
     * catalogue's words for it (a baseline the caller named is its own) */
    const char *baseline = tm_review_effects_baseline(e);
    if (baseline != NULL &&
        strcmp(baseline, tm_i_msg(TM_LANG_EN, TM_M_REVIEW_BASELINE_DEFAULT)) == 0)
        baseline = M(REVIEW_BASELINE_DEFAULT);
    tm_i_md_text(out, baseline);
    g_string_append(out, lang == TM_LANG_ZH ? "。\n\n" : ".\n\n");
    for (int32_t i = 0; i < n; i++)
        md_decision(out, e, i, lang);
    md_changes(out, e, lang);
    return g_string_free(out, FALSE);
}

char *tm_review_effects_markdown(const TmReviewEffects *e, GError **error)
{
    return review_markdown(e, TM_LANG_EN, error);
}

char *tm_review_effects_markdown_with(const TmReviewEffects *e, const TmOutputOptions *options,
                                      GError **error)
{
    return review_markdown(
        e, tm_output_options_resolve_language(options, e ? tm_review_effects_current(e) : NULL),
        error);
}

gboolean tm_review_effects_write(const TmReviewEffects *e, const char *dir, GError **error)
{
    TmOutputOptions *opts = tm_output_options_new();
    /* the old entry point: English, plain CSV, as before the options */
    tm_output_options_set_language(opts, TM_LANG_EN);
    tm_output_options_set_plain_csv(opts, TRUE);
    gboolean ok = tm_review_effects_write_with(e, dir, opts, error);
    tm_output_options_free(opts);
    return ok;
}

gboolean tm_review_effects_write_with(const TmReviewEffects *e, const char *dir,
                                      const TmOutputOptions *options, GError **error)
{
    if (e == NULL || dir == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "review effects and directory must not be NULL");
        return FALSE;
    }
    const TmSelection *sel = tm_review_effects_current(e);
    char *report = NULL, *section = NULL, *full = NULL;
    gboolean ok = (report = tm_selection_report_markdown_with(sel, options, error)) &&
                  (section = tm_review_effects_markdown_with(e, options, error));
    if (ok) {
        full = g_strconcat(report, section, NULL);
        ok = tm_i_write_selection_set(sel, dir, full, options, error);
    }
    g_free(full);
    g_free(report);
    g_free(section);
    return ok;
}
