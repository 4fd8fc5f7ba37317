/* techmatch — an edge file as an instance (include/techmatch/edges.h): the
 * market of tm_market_read_edges() with the ids in decimal as names, all in
 * one block of text, so that a million agents cost about 20 bytes each. */
#include <string.h>

#include <techmatch/edges.h>

#include "io/instance_private.h"

TmInstance *
tm_instance_load_edges_file(const char *path, const TmEdgesOptions *opt, GError **error)
{
    TmMarket *market = tm_market_read_edges(path, opt, error);
    if (market == NULL)
        return NULL;
    int32_t n[2] = {tm_market_size(market, TM_SIDE_SUPPLY),
                    tm_market_size(market, TM_SIDE_DEMAND)};
    int64_t bytes = 0;
    for (int side = 0; side < 2; side++)
        for (int64_t from = 1, digits = 1; from <= n[side]; from *= 10, digits++)
            bytes += (MIN((int64_t)n[side], from * 10 - 1) - from + 1) * (digits + 1);
    bytes += 4; /* "0" of each side, with its NUL */
    TmInstance *inst = tm_i_instance_new();
    inst->market = market;
    inst->numeric_names = TRUE;
    inst->name_text = tm_i_try_alloc(bytes, 1, FALSE, "the agents' names", error);
    if (inst->name_text == NULL) {
        tm_instance_free(inst);
        return NULL;
    }
    char *w = inst->name_text;
    for (int side = 0; side < 2; side++) {
        inst->n[side] = n[side];
        inst->names[side] = tm_i_try_alloc((int64_t)n[side] + 1, sizeof(char *), FALSE,
                                           "the agents' names", error);
        if (inst->names[side] == NULL) {
            tm_instance_free(inst);
            return NULL;
        }
        for (int32_t a = 0; a < n[side]; a++) {
            inst->names[side][a] = w;
            w += g_snprintf(w, 12, "%d", a) + 1;
        }
        inst->names[side][n[side]] = NULL;
    }
    return inst;
}
