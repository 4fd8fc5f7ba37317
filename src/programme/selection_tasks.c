/* techmatch — the selection per task type of the plan (selection.h:
 * tm_selection_task_counts()), from the selection's programme and matching
 * only. */
#include <techmatch/matching.h>
#include <techmatch/selection.h>
#include <techmatch/tasks.h>

static void put(int32_t *p, int32_t v)
{
    if (p != NULL)
        *p = v;
}

gboolean tm_selection_task_counts(const TmSelection *selection, TmTask task,
                                  int32_t *sites_asking, int32_t *sites_served,
                                  int32_t *sites_covered, int32_t *offering, int32_t *selected)
{
    put(sites_asking, 0);
    put(sites_served, 0);
    put(sites_covered, 0);
    put(offering, 0);
    put(selected, 0);
    if (selection == NULL || (int)task < 0 || (int)task >= TM_N_TASKS)
        return FALSE;
    const TmProgramme *p = tm_selection_programme(selection);
    const TmMatching *m = tm_selection_matching(selection);
    uint32_t bit = 1u << task;
    int32_t asking = 0, served = 0, covered = 0, off = 0, sel = 0;
    int32_t nc = tm_selection_n_agents(selection, TM_SIDE_SUPPLY);
    int32_t ns = tm_selection_n_agents(selection, TM_SIDE_DEMAND);
    for (int32_t c = 0; c < nc; c++) {
        if (!(tm_programme_commissioner(p, c)->tasks & bit))
            continue;
        off++;
        if (tm_matching_n_partners(m, TM_SIDE_SUPPLY, c) > 0)
            sel++;
    }
    for (int32_t s = 0; s < ns; s++) {
        if (!(tm_programme_site(p, s)->tasks & bit))
            continue;
        asking++;
        int32_t n = 0;
        const int32_t *cs = tm_matching_partners(m, TM_SIDE_DEMAND, s, &n);
        if (n <= 0)
            continue;
        served++;
        for (int32_t i = 0; i < n; i++) {
            if (tm_programme_commissioner(p, cs[i])->tasks & bit) {
                covered++;
                break;
            }
        }
    }
    put(sites_asking, asking);
    put(sites_served, served);
    put(sites_covered, covered);
    put(offering, off);
    put(selected, sel);
    return TRUE;
}
