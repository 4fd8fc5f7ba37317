/* techmatch — names interned once (instance_private.h).
 *
 * Strings live in blocks of 64 KiB (a longer string gets a block of its
 * own), so they never move; per nid the string, its length and hash and
 * its three roles sit in growable arrays; an open-addressing table (linear
 * probing, at most half full, nid + 1 per slot) finds a string's nid.
 * Everything grows through tm_i_reserve() / tm_i_try_alloc(): a failure is
 * TM_ERROR_NO_MEMORY naming what and how many bytes, never an abort.
 */
#include <string.h>

#include <techmatch/error.h>

#include "io/instance_private.h"

#define BLOCK_SIZE 65536

struct TmINames {
    /* per nid */
    const char **str;
    int64_t n, cap_str;
    size_t *len;
    int64_t cap_len;
    uint32_t *hash;
    int64_t cap_hash;
    int32_t *role[3];
    int64_t cap_role[3];
    /* the table */
    uint32_t *slots;
    uint32_t n_slots;
    /* the string blocks */
    char **blocks;
    int64_t n_blocks, cap_blocks;
    size_t block_used, block_size; /* of the last block */
};

TmINames *
tm_i_names_new(void)
{
    return g_new0(TmINames, 1);
}

void
tm_i_names_free(TmINames *names)
{
    if (names == NULL)
        return;
    for (int64_t b = 0; b < names->n_blocks; b++)
        g_free(names->blocks[b]);
    g_free(names->blocks);
    g_free(names->str);
    g_free(names->len);
    g_free(names->hash);
    for (int r = 0; r < 3; r++)
        g_free(names->role[r]);
    g_free(names->slots);
    g_free(names);
}

static uint32_t
string_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return (uint32_t)(h ^ (h >> 32));
}

int32_t
tm_i_names_lookup(const TmINames *names, const char *s, size_t len)
{
    if (names->n_slots == 0)
        return -1;
    uint32_t hash = string_hash(s, len), mask = names->n_slots - 1;
    for (uint32_t i = hash & mask; names->slots[i] != 0; i = (i + 1) & mask) {
        int32_t nid = (int32_t)names->slots[i] - 1;
        if (names->hash[nid] == hash && names->len[nid] == len
            && memcmp(names->str[nid], s, len) == 0)
            return nid;
    }
    return -1;
}

static gboolean
grow_table(TmINames *names, GError **error)
{
    uint32_t n_slots = names->n_slots == 0 ? 1024 : names->n_slots * 2;
    if (n_slots == 0) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_OVERFLOW, "names: too many names");
        return FALSE;
    }
    uint32_t *slots = tm_i_try_alloc(n_slots, sizeof *slots, TRUE, "name index", error);
    if (slots == NULL)
        return FALSE;
    uint32_t mask = n_slots - 1;
    for (int64_t nid = 0; nid < names->n; nid++) {
        uint32_t i = names->hash[nid] & mask;
        while (slots[i] != 0)
            i = (i + 1) & mask;
        slots[i] = (uint32_t)nid + 1;
    }
    g_free(names->slots);
    names->slots = slots;
    names->n_slots = n_slots;
    return TRUE;
}

/* A copy of @s in a block. */
static const char *
store(TmINames *names, const char *s, size_t len, GError **error)
{
    if (names->n_blocks == 0 || names->block_size - names->block_used < len + 1) {
        size_t size = len + 1 > BLOCK_SIZE / 4 ? len + 1 : BLOCK_SIZE;
        char *block;
        if (!tm_i_reserve((void **)&names->blocks, &names->cap_blocks, names->n_blocks + 1,
                          sizeof(char *), "names", error)
            || !(block = tm_i_try_alloc((int64_t)size, 1, FALSE, "names", error)))
            return NULL;
        /* a long string's own block leaves the current block current */
        if (size != BLOCK_SIZE && names->n_blocks > 0) {
            char *current = names->blocks[names->n_blocks - 1];
            names->blocks[names->n_blocks - 1] = block;
            names->blocks[names->n_blocks++] = current;
            memcpy(block, s, len);
            block[len] = '\0';
            return block;
        }
        names->blocks[names->n_blocks++] = block;
        names->block_used = 0;
        names->block_size = size;
    }
    char *p = names->blocks[names->n_blocks - 1] + names->block_used;
    memcpy(p, s, len);
    p[len] = '\0';
    names->block_used += len + 1;
    return p;
}

int32_t
tm_i_names_intern(TmINames *names, const char *s, size_t len, GError **error)
{
    int32_t nid = tm_i_names_lookup(names, s, len);
    if (nid >= 0)
        return nid;
    if (names->n >= INT32_MAX - 1) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_OVERFLOW, "names: too many names");
        return -1;
    }
    int64_t n = names->n + 1;
    if ((uint64_t)n * 2 > names->n_slots && !grow_table(names, error))
        return -1;
    if (!tm_i_reserve((void **)&names->str, &names->cap_str, n, sizeof(char *), "names", error)
        || !tm_i_reserve((void **)&names->len, &names->cap_len, n, sizeof(size_t), "names",
                         error)
        || !tm_i_reserve((void **)&names->hash, &names->cap_hash, n, sizeof(uint32_t), "names",
                         error))
        return -1;
    for (int r = 0; r < 3; r++)
        if (!tm_i_reserve((void **)&names->role[r], &names->cap_role[r], n, sizeof(int32_t),
                          "names", error))
            return -1;
    const char *copy = store(names, s, len, error);
    if (copy == NULL)
        return -1;
    nid = (int32_t)names->n;
    uint32_t hash = string_hash(s, len), mask = names->n_slots - 1, i = hash & mask;
    while (names->slots[i] != 0)
        i = (i + 1) & mask;
    names->slots[i] = (uint32_t)nid + 1;
    names->str[nid] = copy;
    names->len[nid] = len;
    names->hash[nid] = hash;
    for (int r = 0; r < 3; r++)
        names->role[r][nid] = -1;
    names->n = n;
    return nid;
}

const char *
tm_i_names_str(const TmINames *names, int32_t nid)
{
    return names->str[nid];
}

int32_t
tm_i_names_role(const TmINames *names, int32_t nid, int role)
{
    return names->role[role][nid];
}

void
tm_i_names_set_role(TmINames *names, int32_t nid, int role, int32_t id)
{
    names->role[role][nid] = id;
}
