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

static const char *agent(const TmSelection *sel, int side, int32_t id)
{
    return side == TM_SIDE_SUPPLY ? tm_i_sel_cname(sel, id) : tm_i_sel_sname(sel, id);
}

/* The partners of @id in @sel ("A、B"), or "none" with its outcome there. */
static void partners_text(GString *out, const TmSelection *sel, int side, int32_t id)
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
    g_string_append(out, "none (");
    tm_i_md_text(out, tm_outcome_code((TmOutcome)o));
    if (detail != NULL) {
        g_string_append(out, ": ");
        tm_i_md_text(out, detail);
    }
    g_string_append(out, ")");
}

static const char *effect_sentence(TmDecisionKind kind, int effect)
{
    switch (effect) {
    case TM_EFFECT_KEPT: return "kept — the pair was assigned in the previous run too";
    case TM_EFFECT_ADDED: return "added — the pair was not assigned in the previous run";
    case TM_EFFECT_REMOVED:
        return kind == TM_DECISION_VETO
                   ? "removed — the pair was assigned in the previous run and is not now"
                   : "removed — assigned in the previous run, it takes no part now";
    case TM_EFFECT_NONE:
        return kind == TM_DECISION_VETO
                   ? "no change — the pair was not assigned in the previous run either"
                   : "no change to the assignments — it had none in the previous run; it takes "
                     "no part now";
    case TM_EFFECT_PLACED: return "placed — treated as eligible, it is assigned now";
    case TM_EFFECT_NOT_PLACED:
        return "not placed — treated as eligible, it took part but is not assigned";
    default:
        return "NOT APPLIED — the current selection contradicts this decision (it was not made "
               "with this review)";
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
                         uint32_t mask, int32_t c, int32_t s)
{
    if (mask == 0) {
        if (kind == TM_DECISION_ADMIT)
            g_string_append(out, "   - Overrides: nothing — no eligibility rule failed for it\n");
        return;
    }
    g_string_append(out, "   - Overrides: ");
    gboolean first = TRUE;
    for (int32_t r = 0; r < tm_rules_n_rules() && r < 32; r++) {
        if (!(mask & (1u << r)))
            continue;
        char *fault = fault_text(cur, r, c, s);
        g_string_append_printf(out, "%s%s (", first ? "" : "; ", tm_rule_code(r));
        tm_i_md_text(out, fault != NULL ? fault : tm_rule_summary(r));
        g_string_append(out, ")");
        g_free(fault);
        first = FALSE;
    }
    g_string_append(out, kind == TM_DECISION_PIN
                             ? ". The group's decision stands: the pair is assigned all the "
                               "same.\n"
                             : ". The group's decision stands: it is treated as eligible.\n");
}

static void md_decision(GString *out, const TmReviewEffects *e, int32_t i)
{
    const TmSelection *prev = tm_review_effects_previous(e), *cur = tm_review_effects_current(e);
    const char *cn, *sn, *note, *src;
    TmDecisionKind kind =
        (TmDecisionKind)tm_review_decision(tm_review_effects_review(e), i, &cn, &sn, &note, &src);
    uint32_t mask = 0;
    int32_t c = -1, s = -1;
    int effect = tm_review_effects_decision(e, i, &c, &s, &mask);
    g_string_append_printf(out, "%d. **%s (%s)** ", (int)i + 1, tm_decision_kind_code(kind),
                           tm_decision_kind_label_zh(kind));
    if (cn != NULL)
        tm_i_md_text(out, cn);
    if (cn != NULL && sn != NULL)
        g_string_append(out, " — ");
    if (sn != NULL)
        tm_i_md_text(out, sn);
    if (src != NULL) {
        g_string_append(out, " (");
        tm_i_md_text(out, src);
        g_string_append(out, ")");
    }
    g_string_append_c(out, '\n');
    if (note != NULL) {
        g_string_append(out, "   - Note (备注): ");
        tm_i_md_text(out, note);
        g_string_append_c(out, '\n');
    }
    g_string_append_printf(out, "   - Effect: %s\n", effect_sentence(kind, effect));
    md_overrides(out, cur, kind, mask, c, s);
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
        partners_text(before, prev, side, id);
        partners_text(now, cur, side, id);
        gboolean same = strcmp(before->str, now->str) == 0;
        any = any || !same;
        g_string_append(line, j == 0 ? "   - Before → now: " : "; ");
        tm_i_md_text(line, agent(cur, side, id));
        g_string_append_printf(line, ": %s %s%s", before->str, same ? "(unchanged)" : "→ ",
                               same ? "" : now->str);
        g_string_free(before, TRUE);
        g_string_free(now, TRUE);
    }
    if (any)
        g_string_append_printf(out, "%s\n", line->str);
    g_string_free(line, TRUE);
}

static void md_changes(GString *out, const TmReviewEffects *e)
{
    const TmSelection *cur = tm_review_effects_current(e);
    g_string_append(out, "\n### Changes against the previous run\n\n");
    static const char *const pair_titles[2] = {"Pairs added", "Pairs removed"};
    for (int k = 0; k < 2; k++) {
        int64_t n = tm_review_effects_n_pairs(e, (TmChange)k);
        g_string_append_printf(out, "- %s (%" G_GINT64_FORMAT "):%s", pair_titles[k], n,
                               n == 0 ? " none\n" : "\n");
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
    static const char *const comm_titles[2] = {"Commissioners newly selected",
                                               "Commissioners no longer selected"};
    for (int k = 0; k < 2; k++) {
        int32_t n = tm_review_effects_n_commissioners(e, (TmChange)k);
        g_string_append_printf(out, "- %s (%" G_GINT32_FORMAT "):%s", comm_titles[k], n,
                               n == 0 ? " none" : " ");
        for (int32_t j = 0; j < n; j++) {
            int32_t c = tm_review_effects_commissioner(e, (TmChange)k, j);
            if (j > 0)
                g_string_append(out, ", ");
            tm_i_md_text(out, tm_i_sel_cname(cur, c));
            if (k == TM_CHANGE_REMOVED) {
                g_string_append(out, " — now ");
                partners_text(out, cur, TM_SIDE_SUPPLY, c);
            }
        }
        g_string_append_c(out, '\n');
    }
}

char *tm_review_effects_markdown(const TmReviewEffects *e, GError **error)
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
    GString *out = g_string_new("\n## Leading group's review (领导小组审核)\n\n");
    g_string_append_printf(out,
                           "%" G_GINT32_FORMAT " decision%s (%d pin, %d veto, %d exclude, %d "
                           "admit), applied on a re-run of the same forms under the same rules: "
                           "pinned pairs are assigned first and count against the quota, the "
                           "rest is matched again. Each decision is compared with the previous "
                           "run: ",
                           n, n == 1 ? "" : "s", count[TM_DECISION_PIN], count[TM_DECISION_VETO],
                           count[TM_DECISION_EXCLUDE], count[TM_DECISION_ADMIT]);
    tm_i_md_text(out, tm_review_effects_baseline(e));
    g_string_append(out, ".\n\n");
    for (int32_t i = 0; i < n; i++)
        md_decision(out, e, i);
    md_changes(out, e);
    return g_string_free(out, FALSE);
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
                  (section = tm_review_effects_markdown(e, error));
    if (ok) {
        full = g_strconcat(report, section, NULL);
        ok = tm_i_write_selection_set(sel, dir, full, options, error);
    }
    g_free(full);
    g_free(report);
    g_free(section);
    return ok;
}
