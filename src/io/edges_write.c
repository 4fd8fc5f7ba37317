/* techmatch — writing edge-list files (include/techmatch/edges.h).
 *
 * Supply-major, each supply agent's pairs in its list order, so that the
 * reader takes its fast path.  The text goes through a 1 MiB buffer into a
 * temporary file beside the target, which is flushed and renamed over it.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include <techmatch/edges.h>

#include "io/edges_private.h"
#include "io/output_set.h"
#include "util/alloc.h"

#define BUF_SIZE (1 << 20)

typedef struct {
    int fd;
    char *buf;
    size_t len;
    int err; /* errno of the first failed write */
} Out;

static void
out_flush(Out *o)
{
    size_t done = 0;
    while (o->err == 0 && done < o->len) {
        ssize_t w = write(o->fd, o->buf + done, o->len - done);
        if (w < 0) {
            if (errno != EINTR)
                o->err = errno;
            continue;
        }
        done += (size_t)w;
    }
    o->len = 0;
}

static inline void
out_room(Out *o, size_t need)
{
    if (o->len + need > BUF_SIZE)
        out_flush(o);
}

static inline void
out_int(Out *o, int32_t v)
{
    char tmp[12];
    int n = 0;
    uint32_t u = (uint32_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    char *p = o->buf + o->len;
    while (n > 0)
        *p++ = tmp[--n];
    o->len = (size_t)(p - o->buf);
}

static void
out_text(Out *o, const char *s)
{
    size_t n = strlen(s);
    out_room(o, n);
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

/* The value most agents of @side share (ties: the smallest), for the
 * side's default capacity directive. */
static int32_t
common_capacity(const int32_t *cap, int32_t n)
{
    int32_t ones = 0;
    for (int32_t a = 0; a < n; a++)
        ones += cap[a] == 1;
    if (n == 0 || 2 * (int64_t)ones >= n)
        return 1;
    /* otherwise the capacity of agent 0 if it is shared by more than half */
    int32_t same = 0;
    for (int32_t a = 0; a < n; a++)
        same += cap[a] == cap[0];
    return 2 * (int64_t)same > n ? cap[0] : 1;
}

static gboolean
write_capacities(Out *o, const TmMarket *m, TmSide side, GError **error)
{
    int32_t n = tm_market_size(m, side);
    int32_t *cap = tm_i_try_alloc(MAX(n, 1), sizeof(int32_t), FALSE, "the capacities", error);
    if (cap == NULL)
        return FALSE;
    if (!tm_market_get_capacities(m, side, cap, MAX(n, 1), error)) {
        g_free(cap);
        return FALSE;
    }
    const char *word = side == TM_SIDE_SUPPLY ? "supply" : "demand";
    int32_t def = common_capacity(cap, n);
    if (def != 1) {
        out_text(o, "#! capacity ");
        out_text(o, word);
        out_room(o, 16);
        o->buf[o->len++] = ' ';
        out_int(o, def);
        o->buf[o->len++] = '\n';
    }
    for (int32_t a = 0; a < n; a++) {
        if (cap[a] == def)
            continue;
        out_text(o, "#! capacity ");
        out_text(o, word);
        out_room(o, 32);
        o->buf[o->len++] = ' ';
        out_int(o, a);
        o->buf[o->len++] = ' ';
        out_int(o, cap[a]);
        o->buf[o->len++] = '\n';
    }
    g_free(cap);
    return TRUE;
}

gboolean
tm_market_write_edges(const TmMarket *market, const char *path, GError **error)
{
    if (market == NULL || path == NULL || path[0] == '\0') {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "tm_market_write_edges: %s", market == NULL ? "market is NULL"
                                                 : path == NULL ? "path is NULL"
                                                                : "empty path");
        return FALSE;
    }
    char sep = tm_i_edges_separator(path) == ',' ? ',' : '\t';
    if (!tm_i_check_replaceable_file(path, error))
        return FALSE;
    int32_t ns = tm_market_size(market, TM_SIDE_SUPPLY);
    int32_t nd = tm_market_size(market, TM_SIDE_DEMAND);
    int64_t L = tm_market_n_pairs(market);
    gboolean ties = tm_market_has_ties(market);
    int32_t *rev = tm_i_try_alloc(MAX(L, 1), sizeof(int32_t), FALSE, "the reverse ranks", error);
    int32_t *ranks = NULL;
    if (rev == NULL)
        return FALSE;
    if (ties) {
        ranks = tm_i_try_alloc(MAX(L, 1), sizeof(int32_t), FALSE, "the ranks", error);
        if (ranks == NULL) {
            g_free(rev);
            return FALSE;
        }
    }
    if (!tm_market_get_lists(market, TM_SIDE_SUPPLY, NULL, 0, NULL, ranks, rev, MAX(L, 1),
                             error)) {
        g_free(rev);
        g_free(ranks);
        return FALSE;
    }

    char *tmp;
    int fd = tm_i_atomic_open(path, &tmp, error);
    if (fd < 0) {
        g_free(rev);
        g_free(ranks);
        return FALSE;
    }
    Out o = {fd, g_malloc(BUF_SIZE), 0, 0};
    out_text(&o, "#! techmatch-edges 1\n#! supply ");
    out_int(&o, ns);
    out_text(&o, "\n#! demand ");
    out_int(&o, nd);
    out_text(&o, "\n");
    gboolean ok = write_capacities(&o, market, TM_SIDE_SUPPLY, error)
                  && write_capacities(&o, market, TM_SIDE_DEMAND, error);
    if (ok) {
        char head[64];
        g_snprintf(head, sizeof head, "supply%cdemand%csupply_rank%cdemand_rank\n", sep, sep, sep);
        out_text(&o, head);
        int64_t k = 0;
        for (int32_t s = 0; s < ns; s++) {
            int32_t len = 0;
            const int32_t *p = tm_market_prefs(market, TM_SIDE_SUPPLY, s, &len);
            for (int32_t i = 0; i < len; i++, k++) {
                out_room(&o, 48);
                out_int(&o, s);
                o.buf[o.len++] = sep;
                out_int(&o, p[i]);
                o.buf[o.len++] = sep;
                out_int(&o, ranks != NULL ? ranks[k] : i);
                o.buf[o.len++] = sep;
                out_int(&o, rev[k]);
                o.buf[o.len++] = '\n';
            }
        }
        out_flush(&o);
    }
    g_free(o.buf);
    g_free(rev);
    g_free(ranks);
    return tm_i_atomic_finish(path, tmp, fd, ok, o.err, error);
}
