/* techmatch — fallbacks for the rule fault texts (rules.h), declared on main
 * and being written on another branch: weak definitions that give no text,
 * so that explain.c can call them now (it then shows the rule's summary).
 * The real definitions, when linked, replace these.  Delete this file once
 * tm_rules_agent_fault() and tm_rules_pair_fault() are implemented. */
#include <glib.h>

#include <techmatch/rules.h>

__attribute__((weak)) char *tm_rules_agent_fault(const TmProgramme *programme,
                                                 const TmRules *rules, TmSide side, int32_t id,
                                                 const char *code)
{
    (void)programme, (void)rules, (void)side, (void)id, (void)code;
    return NULL;
}

__attribute__((weak)) char *tm_rules_pair_fault(const TmProgramme *programme,
                                                const TmRules *rules, int32_t c, int32_t s,
                                                const char *code)
{
    (void)programme, (void)rules, (void)c, (void)s, (void)code;
    return NULL;
}
