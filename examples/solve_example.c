/* solve_example.c — the smallest complete techmatch program.
 *
 * Four science-and-technology commissioners (supply) and three service sites
 * (demand) state whom they want; deferred acceptance with the commissioners
 * proposing gives the commissioner-optimal stable assignment.
 *
 * Build against an installed techmatch:
 *   cc solve_example.c $(pkg-config --cflags --libs techmatch) -o solve_example
 * or see Makefile in this folder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <techmatch/techmatch.h>

#define N_SUPPLY 4
#define N_DEMAND 3

static const char *const supply_names[N_SUPPLY] = {"c1", "c2", "c3", "c4"};
static const char *const demand_names[N_DEMAND] = {"food-lab", "village", "clinic"};

int main(void)
{
    GError *error = NULL;
    TmMarketBuilder *builder = NULL;
    TmMarket *market = NULL;
    TmMatching *matching = NULL;
    int32_t *supply = NULL, *demand = NULL;
    int status = EXIT_FAILURE;

    /* Preference lists, most preferred first (ids of the other side). */
    static const int32_t c_prefs[N_SUPPLY][3] = {
        {0, 1, 2}, /* c1: food-lab > village > clinic */
        {0, 2, -1},/* c2: food-lab > clinic */
        {1, 0, -1},/* c3: village > food-lab */
        {1, 2, 0}, /* c4: village > clinic > food-lab */
    };
    static const int32_t c_len[N_SUPPLY] = {3, 2, 2, 3};
    static const int32_t s_prefs[N_DEMAND][4] = {
        {1, 0, 2, 3}, /* food-lab: c2 > c1 > c3 > c4 */
        {3, 0, 2, -1},/* village:  c4 > c1 > c3 */
        {0, 3, 1, -1},/* clinic:   c1 > c4 > c2 */
    };
    static const int32_t s_len[N_DEMAND] = {4, 3, 3};
    static const int32_t s_cap[N_DEMAND] = {2, 1, 1};

    printf("techmatch %s\n", tm_version());

    builder = tm_market_builder_new(N_SUPPLY, N_DEMAND, &error);
    if (builder == NULL)
        goto out;
    for (int32_t s = 0; s < N_SUPPLY; s++)
        if (!tm_market_builder_set_prefs(builder, TM_SIDE_SUPPLY, s, c_prefs[s], c_len[s],
                                         &error))
            goto out;
    for (int32_t d = 0; d < N_DEMAND; d++) {
        if (!tm_market_builder_set_capacity(builder, TM_SIDE_DEMAND, d, s_cap[d], &error))
            goto out;
        if (!tm_market_builder_set_prefs(builder, TM_SIDE_DEMAND, d, s_prefs[d], s_len[d],
                                         &error))
            goto out;
    }
    market = tm_market_builder_build(builder, &error);
    if (market == NULL)
        goto out;

    matching = tm_solve(market, NULL, NULL, &error);
    if (matching == NULL)
        goto out;

    int64_t n = tm_matching_n_pairs(matching);
    supply = g_new(int32_t, n > 0 ? n : 1);
    demand = g_new(int32_t, n > 0 ? n : 1);
    if (!tm_matching_get_pairs(matching, supply, demand, tm_matching_n_pairs(matching), &error))
        goto out;
    printf("%lld pairs, %lld proposals\n", (long long)n,
           (long long)tm_matching_n_proposals(matching));
    for (int64_t i = 0; i < n; i++)
        printf("  %s -> %s\n", supply_names[supply[i]], demand_names[demand[i]]);

    gboolean stable = tm_matching_is_stable(matching, &error);
    if (error != NULL)
        goto out;
    for (int32_t s = 0; s < N_SUPPLY; s++)
        if (tm_matching_n_partners(matching, TM_SIDE_SUPPLY, s) == 0)
            printf("  %s unmatched\n", supply_names[s]);
    for (int32_t d = 0; d < N_DEMAND; d++)
        if (tm_matching_n_partners(matching, TM_SIDE_DEMAND, d) == 0)
            printf("  %s unmatched\n", demand_names[d]);
    printf("stable: %s\n", stable ? "yes" : "no");
    status = stable ? EXIT_SUCCESS : EXIT_FAILURE;

out:
    if (error != NULL) {
        fprintf(stderr, "solve_example: %s\n", error->message);
        g_error_free(error);
    }
    g_free(supply);
    g_free(demand);
    tm_matching_free(matching);
    tm_market_free(market);
    tm_market_builder_free(builder);
    return status;
}
