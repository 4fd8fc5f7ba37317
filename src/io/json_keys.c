/* techmatch — the keys of every open JSON object, to refuse a key twice in
 * one object (json_stream_private.h).
 *
 * Objects nest, so the keys of the open objects form a stack: an inner
 * object's keys are pushed after its parent's and popped when it closes,
 * before the parent takes its next key.  The key bytes sit in one LIFO
 * arena, the entries in a stack, and one open-addressing table (linear
 * probing, entry index + 1 per slot, 0 = empty) finds a key of a given
 * object depth.  Closing an object deletes its entries from the table by
 * backward shifting, so each key costs O(1) expected time to add and to
 * forget, and memory is O(the keys of the open objects).
 */
#include <string.h>

#include <techmatch/error.h>

#include "io/json_stream_private.h"
#include "util/alloc.h"
#include "util/vec.h"

typedef struct {
    int64_t off;  /* into the arena */
    size_t len;
    uint32_t hash;
    int32_t depth;
    int64_t line, column;
} KeyEntry;

struct TmIJsonKeys {
    char *arena;
    int64_t arena_n, arena_cap;
    KeyEntry *entries;
    int64_t n, cap;
    uint32_t *slots; /* n_slots entries, a power of two, at most half full */
    uint32_t n_slots;
};

TmIJsonKeys *
tm_i_json_keys_new(void)
{
    return g_new0(TmIJsonKeys, 1);
}

void
tm_i_json_keys_free(TmIJsonKeys *keys)
{
    if (keys == NULL)
        return;
    g_free(keys->arena);
    g_free(keys->entries);
    g_free(keys->slots);
    g_free(keys);
}

/* FNV-1a mixed with the depth. */
static uint32_t
key_hash(const char *key, size_t len, int depth)
{
    uint32_t h = 2166136261u ^ (uint32_t)depth * 0x9e3779b9u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)key[i]) * 16777619u;
    return h ^ (h >> 15);
}

/* A table of twice the slots, or the first one (64 slots). */
static gboolean
rehash(TmIJsonKeys *keys, GError **error)
{
    uint32_t n_slots = keys->n_slots == 0 ? 64 : keys->n_slots * 2;
    if (n_slots == 0 || n_slots > (1u << 31)) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                            "JSON object keys: too many keys in open objects");
        return FALSE;
    }
    uint32_t *slots = tm_i_try_alloc(n_slots, sizeof *slots, TRUE, "JSON object keys", error);
    if (slots == NULL)
        return FALSE;
    uint32_t mask = n_slots - 1;
    for (int64_t e = 0; e < keys->n; e++) {
        uint32_t s = keys->entries[e].hash & mask;
        while (slots[s] != 0)
            s = (s + 1) & mask;
        slots[s] = (uint32_t)e + 1;
    }
    g_free(keys->slots);
    keys->slots = slots;
    keys->n_slots = n_slots;
    return TRUE;
}

int
tm_i_json_keys_add(TmIJsonKeys *keys, int depth, const char *key, size_t len, int64_t line,
                   int64_t column, int64_t *first_line, int64_t *first_column, GError **error)
{
    if ((uint64_t)(keys->n + 1) * 2 > keys->n_slots && !rehash(keys, error))
        return -1;
    uint32_t hash = key_hash(key, len, depth), mask = keys->n_slots - 1;
    uint32_t s = hash & mask;
    for (; keys->slots[s] != 0; s = (s + 1) & mask) {
        const KeyEntry *e = &keys->entries[keys->slots[s] - 1];
        if (e->hash == hash && e->depth == depth && e->len == len
            && memcmp(keys->arena + e->off, key, len) == 0) {
            *first_line = e->line;
            *first_column = e->column;
            return 0;
        }
    }
    if (!tm_i_reserve((void **)&keys->entries, &keys->cap, keys->n + 1, sizeof(KeyEntry),
                      "JSON object keys", error)
        || !tm_i_reserve((void **)&keys->arena, &keys->arena_cap,
                         keys->arena_n + (int64_t)len + 1, 1, "JSON object keys", error))
        return -1;
    memcpy(keys->arena + keys->arena_n, key, len);
    keys->entries[keys->n] = (KeyEntry){keys->arena_n, len, hash, depth, line, column};
    keys->arena_n += (int64_t)len;
    keys->slots[s] = (uint32_t)keys->n + 1;
    keys->n++;
    return 1;
}

/* Deletes slot @s by shifting later members of its probe run back. */
static void
delete_slot(TmIJsonKeys *keys, uint32_t s)
{
    uint32_t mask = keys->n_slots - 1;
    for (uint32_t j = (s + 1) & mask; keys->slots[j] != 0; j = (j + 1) & mask) {
        uint32_t home = keys->entries[keys->slots[j] - 1].hash & mask;
        /* the entry at j may move to s when its home is not in (s, j] */
        gboolean movable = s <= j ? (home <= s || home > j) : (home <= s && home > j);
        if (movable) {
            keys->slots[s] = keys->slots[j];
            s = j;
        }
    }
    keys->slots[s] = 0;
}

void
tm_i_json_keys_close(TmIJsonKeys *keys, int depth)
{
    uint32_t mask = keys->n_slots - 1;
    while (keys->n > 0 && keys->entries[keys->n - 1].depth == depth) {
        const KeyEntry *e = &keys->entries[keys->n - 1];
        uint32_t s = e->hash & mask;
        while (keys->slots[s] != (uint32_t)keys->n)
            s = (s + 1) & mask;
        delete_slot(keys, s);
        keys->arena_n = e->off;
        keys->n--;
    }
}
