/* techmatch — the interned tags of a programme (see profile.h and
 * profile_private.h): skills and needs are compared by their normalized text,
 * each distinct text one id, ids in order of first use. */
#include <stdlib.h>

#include "programme/profile_private.h"

static int32_t intern_tag(TmProgramme *p, const char *text)
{
    char *key = tm_i_profile_key(text);
    gpointer v = g_hash_table_lookup(p->tag_by_key, key);
    int32_t id;
    if (v != NULL) {
        id = GPOINTER_TO_INT(v) - 1;
    } else {
        const char *stored = g_string_chunk_insert_const(p->strings, key);
        id = (int32_t)p->tags->len;
        g_ptr_array_add(p->tags, (gpointer)stored);
        g_hash_table_insert(p->tag_by_key, (gpointer)stored, GINT_TO_POINTER(id + 1));
    }
    g_free(key);
    return id;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The sorted, distinct tag ids of the @n strings @items into @ids (n
 * entries); their number in *@n_out. */
int32_t *tm_i_programme_intern_tags(TmProgramme *p, int32_t *ids, const char *const *items,
                                    int32_t n, int32_t *n_out)
{
    for (int32_t i = 0; i < n; i++)
        ids[i] = intern_tag(p, items[i]);
    qsort(ids, (size_t)n, sizeof *ids, cmp_i32);
    int32_t k = 0;
    for (int32_t i = 0; i < n; i++)
        if (k == 0 || ids[k - 1] != ids[i])
            ids[k++] = ids[i];
    *n_out = k;
    return ids;
}

/* One more than the largest tag id a remaining agent uses (0 when none). */
static int32_t tags_in_use(const TmProgramme *p)
{
    int32_t n = 0;
    for (guint i = 0; i < p->comms->len; i++) {
        const CommRec *r = g_ptr_array_index(p->comms, i);
        if (r->n_skill_ids > 0 && r->skill_ids[r->n_skill_ids - 1] >= n)
            n = r->skill_ids[r->n_skill_ids - 1] + 1; /* ids are sorted */
    }
    for (guint i = 0; i < p->sites->len; i++) {
        const SiteRec *r = g_ptr_array_index(p->sites, i);
        if (r->n_need_ids > 0 && r->need_ids[r->n_need_ids - 1] >= n)
            n = r->need_ids[r->n_need_ids - 1] + 1;
    }
    return n;
}

void tm_i_programme_drop_unused_tags(TmProgramme *p)
{
    int32_t n_tags = tags_in_use(p);
    while ((int32_t)p->tags->len > n_tags) {
        const char *t = g_ptr_array_index(p->tags, p->tags->len - 1);
        g_hash_table_remove(p->tag_by_key, t);
        g_ptr_array_set_size(p->tags, p->tags->len - 1);
    }
}

int32_t tm_programme_n_tags(const TmProgramme *programme)
{
    return programme == NULL ? 0 : (int32_t)programme->tags->len;
}

const char *tm_programme_tag(const TmProgramme *programme, int32_t tag)
{
    if (programme == NULL || tag < 0 || (guint)tag >= programme->tags->len)
        return NULL;
    return g_ptr_array_index(programme->tags, tag);
}
