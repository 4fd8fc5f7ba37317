/* techmatch — private definitions of the explanation of one agent
 * (explain.h; not installed).  Shared by explain.c (rows, statuses,
 * accessors) and explain_why.c (the why-nots and the outcome sentence). */
#ifndef TECHMATCH_PROGRAMME_EXPLAIN_INTERNAL_H
#define TECHMATCH_PROGRAMME_EXPLAIN_INTERNAL_H

#include <stdint.h>
#include <glib.h>
#include <techmatch/explain.h>
#include <techmatch/rules.h>

#include "programme/selection_internal.h"
#include "util/messages.h"

/* tm_rule_summary() or tm_rule_summary_zh() by @lang ("" out of range). */
static inline const char *tm_i_rule_summary(int32_t rule, TmLang lang)
{
    const char *s = lang == TM_LANG_ZH ? tm_rule_summary_zh(rule) : tm_rule_summary(rule);
    return s ? s : "";
}

typedef struct {
    int32_t cand;                       /* id on the other side */
    int status;                         /* TmExplainStatus */
    int32_t rank, their_rank;           /* -1 when not listed */
    gboolean partner;
    double x[TM_N_SCORE_COMPONENTS];    /* components */
    double score[2];                    /* by TmSide */
    double km;
    double own_score;                   /* score[agent's side], for the order */
    const char *rule;                   /* static code or NULL */
    uint32_t pair_mask;
    char *fault;                        /* or NULL */
    int refuser;                        /* TmSide or -1 */
    int why;                            /* TmExplainWhy */
    char *why_text;                     /* or NULL */
    int32_t n_holders;
    int32_t *holders, *holder_ranks;    /* n_holders each */
} TmExplainRow;

struct TmExplanation {
    TmProgramme *prog;                  /* a reference */
    TmSide side;
    int32_t id;
    TmLang lang;                        /* EN or ZH: the language of the texts */
    int outcome;
    char *detail;                       /* a copy, or NULL */
    char *text;                         /* the outcome sentence */
    int32_t n_partners;
    int32_t *partners;                  /* best first for the agent */
    double weight[2][TM_N_SCORE_COMPONENTS], wsum[2];
    int32_t merit_pos;                  /* commissioners; -1 otherwise */
    gboolean has_cutoff;
    int32_t cutoff, cutoff_pos;
    double cutoff_merit;
    int32_t quota_total;
    TmQuotaUnit unit;
    int64_t quota_used;
    int32_t n_rows;
    TmExplainRow *rows;
};

/* Sets why, why_text and the holders of every listed row the agent
 * preferred and did not get (explain_why.c).  FALSE with TM_ERROR_NO_MEMORY. */
G_GNUC_INTERNAL gboolean tm_i_explain_why(const TmSelection *selection, TmExplanation *e,
                                          GError **error);
/* Sets e->text, the outcome sentence (explain_why.c). */
G_GNUC_INTERNAL gboolean tm_i_explain_outcome_text(const TmSelection *selection,
                                                   TmExplanation *e, GError **error);

#endif /* TECHMATCH_PROGRAMME_EXPLAIN_INTERNAL_H */
