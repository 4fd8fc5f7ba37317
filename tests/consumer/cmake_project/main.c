/* Consumer of an installed techmatch: loads a JSON instance, solves it with
 * the supply side proposing and prints the named pairs.
 *   app INSTANCE.json */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <techmatch/techmatch.h>

int main(int argc, char **argv)
{
    GError *error = NULL;
    TmInstance *instance = NULL;
    TmMatching *matching = NULL;
    int32_t *supply = NULL, *demand = NULL;
    int status = EXIT_FAILURE;

    if (argc != 2) {
        fprintf(stderr, "usage: %s INSTANCE.json\n", argv[0]);
        return 2;
    }
    if (strcmp(tm_version(), TM_VERSION_STRING) != 0) {
        fprintf(stderr, "header version %s but library %s\n", TM_VERSION_STRING,
                tm_version());
        return EXIT_FAILURE;
    }
    instance = tm_instance_load_json_file(argv[1], &error);
    if (instance == NULL)
        goto out;
    TmMarket *market = tm_instance_market(instance);
    matching = tm_solve(market, NULL, NULL, &error);
    if (matching == NULL)
        goto out;

    int64_t n = tm_matching_n_pairs(matching);
    supply = g_new(int32_t, n > 0 ? n : 1);
    demand = g_new(int32_t, n > 0 ? n : 1);
    if (!tm_matching_get_pairs(matching, supply, demand, tm_matching_n_pairs(matching), &error))
        goto out;
    printf("pairs: %lld\n", (long long)n);
    for (int64_t i = 0; i < n; i++)
        printf("%s -> %s\n", tm_instance_name(instance, TM_SIDE_SUPPLY, supply[i]),
               tm_instance_name(instance, TM_SIDE_DEMAND, demand[i]));
    printf("unmatched supply:");
    for (int32_t s = 0; s < tm_market_size(market, TM_SIDE_SUPPLY); s++)
        if (tm_matching_n_partners(matching, TM_SIDE_SUPPLY, s) == 0)
            printf(" %s", tm_instance_name(instance, TM_SIDE_SUPPLY, s));
    printf("\n");

    gboolean stable = tm_matching_is_stable(matching, &error);
    if (error != NULL)
        goto out;
    printf("stable: %s\n", stable ? "yes" : "no");
    status = stable ? EXIT_SUCCESS : EXIT_FAILURE;

out:
    if (error != NULL) {
        fprintf(stderr, "app: %s\n", error->message);
        g_error_free(error);
    }
    g_free(supply);
    g_free(demand);
    tm_matching_free(matching);
    tm_instance_free(instance);
    return status;
}
