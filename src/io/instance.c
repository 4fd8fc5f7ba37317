/* techmatch — the TmInstance object: a market plus the names of its agents
 * and, optionally, named groups.  Reading is in instance_read.c and
 * groups_read.c, writing in instance_write.c. */
#include <string.h>

#include "io/instance_private.h"

TmInstance *
tm_i_instance_new(void)
{
    TmInstance *inst = g_new0(TmInstance, 1);
    inst->pool = tm_i_names_new();
    return inst;
}

void
tm_instance_free(TmInstance *instance)
{
    if (instance == NULL)
        return;
    tm_market_free(instance->market);
    for (int side = 0; side < 2; side++)
        g_free(instance->names[side]);
    tm_groups_free(instance->groups);
    g_free(instance->group_names);
    g_free(instance->weights);
    g_free(instance->name_text);
    tm_i_names_free(instance->pool);
    g_free(instance);
}

gboolean
tm_i_instance_lookup_id(const TmInstance *inst, TmSide side, const char *name, size_t len,
                        int32_t *id)
{
    if (inst->numeric_names) { /* edge files: the name is the id in decimal */
        *id = -1;
        if (len == 0 || len > 10 || (len > 1 && name[0] == '0'))
            return FALSE;
        int64_t v = 0;
        for (size_t i = 0; i < len; i++) {
            if (name[i] < '0' || name[i] > '9')
                return FALSE;
            v = v * 10 + (name[i] - '0');
        }
        if (v >= inst->n[side])
            return FALSE;
        *id = (int32_t)v;
        return TRUE;
    }
    int32_t nid = tm_i_names_lookup(inst->pool, name, len);
    *id = nid >= 0 ? tm_i_names_role(inst->pool, nid, side) : -1;
    return *id >= 0;
}

TmMarket *
tm_instance_market(const TmInstance *instance)
{
    return instance != NULL ? instance->market : NULL;
}

const TmGroups *
tm_instance_groups(const TmInstance *instance)
{
    return instance != NULL ? instance->groups : NULL;
}

const char *
tm_instance_group_name(const TmInstance *instance, int32_t group)
{
    if (instance == NULL || instance->groups == NULL || group < 0
        || group >= tm_groups_n(instance->groups))
        return NULL;
    return instance->group_names[group];
}

const char *
tm_instance_name(const TmInstance *instance, TmSide side, int32_t agent)
{
    if (instance == NULL || (side != TM_SIDE_SUPPLY && side != TM_SIDE_DEMAND) || agent < 0
        || agent >= instance->n[side])
        return NULL;
    return instance->names[side][agent];
}

int32_t
tm_instance_lookup(const TmInstance *instance, TmSide side, const char *name)
{
    int32_t id;
    if (instance == NULL || name == NULL || (side != TM_SIDE_SUPPLY && side != TM_SIDE_DEMAND))
        return -1;
    return tm_i_instance_lookup_id(instance, side, name, strlen(name), &id) ? id : -1;
}
