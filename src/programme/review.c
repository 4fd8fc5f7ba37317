/* techmatch — the leading group's review (review.h): the list of decisions.
 * The selection applies them (selection_admission.c); the io layer reads the
 * CSV form (review_read.c). */
#include <string.h>

#include <glib.h>

#include <techmatch/review.h>

#include "programme/profile_private.h"

typedef struct {
    TmDecisionKind kind;
    char *commissioner, *site, *note, *source;
} Decision;

struct TmReview {
    GArray *decisions; /* of Decision */
};

static const char *const kind_codes[TM_N_DECISION_KINDS] = {"pin", "veto", "exclude", "admit"};
static const char *const kind_labels[TM_N_DECISION_KINDS] = {"确认", "否决", "排除", "增补"};

static const struct {
    const char *text;
    TmDecisionKind kind;
} kind_synonyms[] = {
    {"固定", TM_DECISION_PIN},     {"指定", TM_DECISION_PIN},   {"确认派驻", TM_DECISION_PIN},
    {"不同意", TM_DECISION_VETO},  {"剔除", TM_DECISION_EXCLUDE}, {"同意入选", TM_DECISION_ADMIT},
    {"keep", TM_DECISION_PIN},     {"reject", TM_DECISION_VETO},
};

const char *tm_decision_kind_code(TmDecisionKind kind)
{
    return (unsigned)kind < TM_N_DECISION_KINDS ? kind_codes[kind] : NULL;
}

const char *tm_decision_kind_label_zh(TmDecisionKind kind)
{
    return (unsigned)kind < TM_N_DECISION_KINDS ? kind_labels[kind] : NULL;
}

int tm_decision_kind_from_string(const char *text)
{
    if (text == NULL)
        return -1;
    char *key = tm_i_profile_key(text);
    int found = -1;
    for (int i = 0; i < TM_N_DECISION_KINDS && found < 0; i++)
        if (strcmp(key, kind_codes[i]) == 0 || strcmp(key, kind_labels[i]) == 0)
            found = i;
    for (gsize i = 0; i < G_N_ELEMENTS(kind_synonyms) && found < 0; i++)
        if (strcmp(key, kind_synonyms[i].text) == 0)
            found = (int)kind_synonyms[i].kind;
    g_free(key);
    return found;
}

static void decision_clear(gpointer p)
{
    Decision *d = p;
    g_free(d->commissioner);
    g_free(d->site);
    g_free(d->note);
    g_free(d->source);
}

TmReview *tm_review_new(void)
{
    TmReview *r = g_new0(TmReview, 1);
    r->decisions = g_array_new(FALSE, TRUE, sizeof(Decision));
    g_array_set_clear_func(r->decisions, decision_clear);
    return r;
}

TmReview *tm_review_copy(const TmReview *review)
{
    if (review == NULL)
        return NULL;
    TmReview *r = tm_review_new();
    for (guint i = 0; i < review->decisions->len; i++) {
        const Decision *d = &g_array_index(review->decisions, Decision, i);
        Decision c = {d->kind, g_strdup(d->commissioner), g_strdup(d->site), g_strdup(d->note),
                      g_strdup(d->source)};
        g_array_append_val(r->decisions, c);
    }
    return r;
}

void tm_review_free(TmReview *review)
{
    if (review == NULL)
        return;
    g_array_free(review->decisions, TRUE);
    g_free(review);
}

static gboolean bad_text(const char *s)
{
    return s != NULL && !g_utf8_validate(s, -1, NULL);
}

static gboolean given(const char *s)
{
    return s != NULL && *s != '\0';
}

int32_t tm_review_add(TmReview *review, TmDecisionKind kind, const char *commissioner,
                      const char *site, const char *note, const char *source, GError **error)
{
    const char *why = NULL;
    if (review == NULL)
        why = "the review must not be NULL";
    else if ((unsigned)kind >= TM_N_DECISION_KINDS)
        why = "unknown decision kind";
    else if (bad_text(commissioner) || bad_text(site) || bad_text(note) || bad_text(source))
        why = "a name or the note is not valid UTF-8";
    else if ((kind == TM_DECISION_PIN || kind == TM_DECISION_VETO)
             && (!given(commissioner) || !given(site)))
        why = "a pin or a veto names both a commissioner and a site";
    else if ((kind == TM_DECISION_EXCLUDE || kind == TM_DECISION_ADMIT)
             && given(commissioner) == given(site))
        why = "an exclusion or an admission names either a commissioner or a site, not both";
    else if (review->decisions->len >= (guint)G_MAXINT32)
        why = "too many decisions";
    if (why) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT, "%s%s%s",
                    source && !bad_text(source) ? source : "", source && !bad_text(source) ? ": " : "",
                    why);
        return -1;
    }
    Decision d = {kind, given(commissioner) ? g_strdup(commissioner) : NULL,
                  given(site) ? g_strdup(site) : NULL, given(note) ? g_strdup(note) : NULL,
                  given(source) ? g_strdup(source) : NULL};
    g_array_append_val(review->decisions, d);
    return (int32_t)review->decisions->len - 1;
}

int32_t tm_review_n_decisions(const TmReview *review)
{
    return review ? (int32_t)review->decisions->len : 0;
}

int tm_review_decision(const TmReview *review, int32_t i, const char **commissioner,
                       const char **site, const char **note, const char **source)
{
    gboolean ok = review && i >= 0 && (guint)i < review->decisions->len;
    const Decision *d = ok ? &g_array_index(review->decisions, Decision, i) : NULL;
    if (commissioner)
        *commissioner = d ? d->commissioner : NULL;
    if (site)
        *site = d ? d->site : NULL;
    if (note)
        *note = d ? d->note : NULL;
    if (source)
        *source = d ? d->source : NULL;
    return d ? (int)d->kind : -1;
}
