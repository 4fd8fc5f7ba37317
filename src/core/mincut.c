/* techmatch — Dinic's maximum flow (mincut_private.h). */
#include "core/mincut_private.h"

#include <string.h>

typedef struct {
    int32_t to;
    double cap; /* residual */
} Arc;

struct TmFlow {
    int32_t n;
    TmIBuf arcs;   /* Arc; arc 2i is u -> v, 2i + 1 its reverse */
    TmIBuf tails;  /* int32_t: tail of each arc */
};

TmFlow *tm_i_flow_new(int32_t n, GError **error)
{
    TmFlow *f = g_try_new0(TmFlow, 1);
    if (f == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_NO_MEMORY, "cannot allocate a network");
        return NULL;
    }
    f->n = n;
    f->arcs = (TmIBuf)TM_I_BUF_INIT(Arc);
    f->tails = (TmIBuf)TM_I_BUF_INIT(int32_t);
    return f;
}

void tm_i_flow_free(TmFlow *f)
{
    if (f == NULL)
        return;
    g_free(f->arcs.v);
    g_free(f->tails.v);
    g_free(f);
}

gboolean tm_i_flow_reserve(TmFlow *f, int64_t arcs, GError **error)
{
    return arcs <= 0 ||
           (tm_i_reserve(&f->arcs.v, &f->arcs.cap, f->arcs.n + 2 * arcs, sizeof(Arc),
                         "network arcs", error) &&
            tm_i_reserve(&f->tails.v, &f->tails.cap, f->tails.n + 2 * arcs, sizeof(int32_t),
                         "network arcs", error));
}

gboolean tm_i_flow_add(TmFlow *f, int32_t u, int32_t v, double cap, GError **error)
{
    Arc a = { v, cap }, b = { u, 0.0 };
    if (f->arcs.n + 2 <= f->arcs.cap && f->tails.n + 2 <= f->tails.cap) { /* room reserved */
        Arc *arc = (Arc *)f->arcs.v + f->arcs.n;
        int32_t *tail = (int32_t *)f->tails.v + f->tails.n;
        arc[0] = a;
        arc[1] = b;
        tail[0] = u;
        tail[1] = v;
        f->arcs.n += 2;
        f->tails.n += 2;
        return TRUE;
    }
    return tm_i_buf_push(&f->arcs, &a, "network arcs", error) &&
           tm_i_buf_push(&f->tails, &u, "network arcs", error) &&
           tm_i_buf_push(&f->arcs, &b, "network arcs", error) &&
           tm_i_buf_push(&f->tails, &v, "network arcs", error);
}

/* BFS levels from @s over arcs with residual > eps; TRUE when @t is reached. */
static gboolean levels(const TmFlow *f, const int32_t *off, const int32_t *adj, int32_t s,
                       int32_t t, double eps, int32_t *level, int32_t *queue)
{
    const Arc *arc = f->arcs.v;
    for (int32_t u = 0; u < f->n; u++)
        level[u] = -1;
    int32_t head = 0, tail = 0;
    level[s] = 0;
    queue[tail++] = s;
    while (head < tail) {
        int32_t u = queue[head++];
        for (int32_t i = off[u]; i < off[u + 1]; i++) {
            const Arc *a = &arc[adj[i]];
            if (a->cap > eps && level[a->to] < 0) {
                level[a->to] = level[u] + 1;
                queue[tail++] = a->to;
            }
        }
    }
    return level[t] >= 0;
}

/* One blocking flow by iterative DFS along level-increasing arcs; returns
 * the flow pushed. */
static double blocking(TmFlow *f, const int32_t *off, const int32_t *adj, int32_t s, int32_t t,
                       double eps, int32_t *level, int32_t *it, int32_t *path)
{
    Arc *arc = f->arcs.v;
    double total = 0.0;
    int32_t depth = 0, u = s;
    for (int32_t v = 0; v < f->n; v++)
        it[v] = off[v];
    for (;;) {
        if (u == t) {
            double push = arc[path[0]].cap;
            for (int32_t d = 1; d < depth; d++)
                push = MIN(push, arc[path[d]].cap);
            int32_t back = depth;
            for (int32_t d = depth - 1; d >= 0; d--) {
                arc[path[d]].cap -= push;
                arc[path[d] ^ 1].cap += push;
                if (arc[path[d]].cap <= eps)
                    back = d; /* retreat to the tail of the first saturated arc */
            }
            total += push;
            depth = back;
            u = depth > 0 ? arc[path[depth - 1]].to : s;
            continue;
        }
        while (it[u] < off[u + 1]) {
            const Arc *a = &arc[adj[it[u]]];
            if (a->cap > eps && level[a->to] == level[u] + 1)
                break;
            it[u]++;
        }
        if (it[u] == off[u + 1]) { /* dead end */
            if (u == s)
                break;
            level[u] = -1;
            depth--;
            u = depth > 0 ? arc[path[depth - 1]].to : s;
            it[u]++;
            continue;
        }
        path[depth++] = adj[it[u]];
        u = arc[adj[it[u]]].to;
    }
    return total;
}

gboolean tm_i_flow_max(TmFlow *f, int32_t s, int32_t t, double eps, double *value,
                       guint8 *source_side, GError **error)
{
    const int32_t n = f->n;
    const int64_t m = f->arcs.n;
    const int32_t *tails = f->tails.v;
    int32_t *off = tm_i_try_alloc((int64_t)n + 1, sizeof(int32_t), TRUE, "max flow", error);
    int32_t *adj = tm_i_try_alloc(m, sizeof(int32_t), FALSE, "max flow", error);
    int32_t *level = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "max flow", error);
    int32_t *queue = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "max flow", error);
    int32_t *it = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "max flow", error);
    int32_t *path = tm_i_try_alloc(n, sizeof(int32_t), FALSE, "max flow", error);
    gboolean ok = off && adj && level && queue && it && path;
    double total = 0.0;
    if (ok) {
        for (int64_t i = 0; i < m; i++)
            off[tails[i] + 1]++;
        for (int32_t u = 0; u < n; u++)
            off[u + 1] += off[u];
        memcpy(it, off, (size_t)n * sizeof(int32_t));
        for (int64_t i = 0; i < m; i++)
            adj[it[tails[i]]++] = (int32_t)i;
        while (levels(f, off, adj, s, t, eps, level, queue))
            total += blocking(f, off, adj, s, t, eps, level, it, path);
        if (source_side != NULL) {
            levels(f, off, adj, s, t, eps, level, queue);
            for (int32_t u = 0; u < n; u++)
                source_side[u] = level[u] >= 0;
        }
        *value = total;
    }
    g_free(off);
    g_free(adj);
    g_free(level);
    g_free(queue);
    g_free(it);
    g_free(path);
    return ok;
}
