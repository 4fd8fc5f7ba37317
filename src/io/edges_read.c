/* techmatch — reading edge-list files (include/techmatch/edges.h,
 * docs/edges.md).
 *
 * The file is mapped read-only.  The preamble (directives, comments, the
 * header) is read by the calling thread; the body is split at line
 * boundaries into one chunk per thread and read twice:
 *
 *   pass 1  each chunk parses and checks every line, counts the entries of
 *           every agent (its own count arrays) and notes whether its supply
 *           entries come in (supply, rank) order;
 *   merge   offsets from the counts; each chunk's counts become its start
 *           cursors, so the entries land in file order whatever the number
 *           of threads;
 *   pass 2  each chunk parses again and places every entry straight into
 *           the CSR arrays.
 *
 * Every line goes into its supply agent's list, a `-` supply rank marked as
 * ~demand, so that a repeated pair is found by one scan of the supply lists
 * (a stamp per demand agent); the marked entries are then squeezed out.
 * Lists not in rank order are put in order (a permutation of 0..k-1 is
 * placed directly, anything else by a stable sort); a side whose lists are
 * all strictly increasing loses its ranks (strict lists).  The arrays go to
 * tm_market_new_take_arrays(), which keeps or frees them.
 *
 * Each line in the body ends with '\n' inside its chunk (a last line without
 * one is copied, at most TAIL_MAX bytes, into a small buffer with '\n'), so
 * the line parser needs no bounds checks: it never steps over a '\n'.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include <techmatch/edges.h>

#include "io/edges_private.h"
#include "util/alloc.h"

#define MAX_THREADS 64
#define TAIL_MAX 128     /* a valid line has at most 4 x 10 digits + 5 bytes */
#define CHUNK_MIN (1 << 20)

static const char *const field_names[4] = {"supply", "demand", "supply_rank", "demand_rank"};
static const char *const side_words[2] = {"supply", "demand"};

typedef enum {
    E_NONE = 0,
    E_MISSING,   /* field missing */
    E_NOT_INT,   /* not an integer >= 0 (or -) */
    E_BIG,       /* beyond INT32_MAX / more than 10 digits */
    E_EXTRA,     /* a fifth field */
    E_DIRECTIVE, /* #! after the header */
    E_NO_RANK,   /* both ranks - */
    E_RANGE,     /* id >= declared n */
    E_LIMIT,     /* id >= max_agents */
    E_OVERFLOW,  /* more than INT32_MAX entries on a side */
    E_NOMEM,
} ErrKind;

typedef struct {
    int side;
    int32_t agent; /* -1: the side's default */
    int32_t cap;
    int64_t line;
} CapDirective;

typedef struct Reader Reader;

typedef struct {
    Reader *r;
    const char *beg, *end; /* lines [beg, end), each ending with '\n' */
    char *tail;            /* the last line with '\n' added (last chunk only) */
    size_t tail_len;
    int64_t n_lines;
    int32_t *cnt[2]; /* pass 1: counts; then pass 2's cursors */
    int32_t *dmax;   /* per demand agent: 1 + the largest demand rank (len[1]) */
    int32_t len[2];  /* entries of cnt[] (and dmax) */
    int32_t max_id[2];
    int64_t n_ent[2];
    int64_t n_onesided; /* lines with supply_rank - */
    gboolean sorted, any;
    int32_t first_s, first_r, last_s, last_r;
    /* the first error */
    ErrKind err;
    int err_field;
    int64_t err_line; /* within the chunk, 1-based */
    char err_text[48];
    int32_t err_value;
    GError *error; /* E_NOMEM */
    gboolean changed;   /* pass 2: the file is not what pass 1 read */
    gboolean collision; /* pass 2: a demand rank not in 0..k-1, or twice */
} Chunk;

struct Reader {
    const char *path;
    const char *base;
    size_t size;
    char sep;
    int32_t max_agents;
    int32_t n[2];
    gboolean n_given[2];
    int32_t default_cap[2];
    gboolean caps_given;
    GArray *caps; /* CapDirective */
    const char *body;
    int64_t body_line; /* the number of the body's first line */
    int threads;
    gboolean threads_given; /* then that many chunks, even for a small file */
    Chunk chunk[MAX_THREADS];
    int n_chunks;
    /* pass 2 */
    int32_t *off[2];
    int32_t *ids[2];
    int32_t *ranks[2]; /* supply ranks NULL on the fast path */
    gboolean pass2;
    /* demand lists whose ranks are 0..k-1: placed at off + rank directly */
    gboolean place_by_rank;
    gboolean demand_only; /* that second pass 2 */
};

/* ---- the line parser --------------------------------------------------- */

static inline gboolean
is_digit(char c)
{
    return (unsigned char)(c - '0') <= 9;
}

static void
copy_field_text(Chunk *c, const char *at)
{
    size_t i = 0;
    while (i + 1 < sizeof c->err_text && at[i] != '\n' && at[i] != c->r->sep && at[i] != '\r') {
        unsigned char ch = (unsigned char)at[i];
        c->err_text[i] = ch < 0x20 || ch >= 0x7f ? '?' : (char)ch; /* messages are ASCII */
        i++;
    }
    c->err_text[i] = '\0';
}

static int
line_error(Chunk *c, ErrKind kind, int field, const char *at)
{
    c->err = kind;
    c->err_field = field;
    c->err_text[0] = '\0';
    if (at != NULL)
        copy_field_text(c, at);
    return -1;
}

/* One line at *@pp (which ends with '\n' before the chunk's end).  Returns 1
 * with the four fields in @f (a rank `-` is -1), 0 for a blank or comment
 * line, -1 with the error in @c.  *@pp moves past the '\n' (on success). */
static inline int
parse_line(Chunk *c, const char **pp, char sep, int32_t f[4])
{
    const char *p = *pp;
    char ch = *p;
    if (G_UNLIKELY(ch == '#' || ch == '\n' || (ch == '\r' && p[1] == '\n'))) {
        if (ch == '#' && p[1] == '!')
            return line_error(c, E_DIRECTIVE, -1, p);
        while (*p != '\n')
            p++;
        *pp = p + 1;
        return 0;
    }
    for (int i = 0; i < 4; i++) {
        const char *fs = p;
        ch = *p;
        if (ch == '-' && i >= 2) {
            p++;
            f[i] = -1;
        } else if (G_LIKELY(is_digit(ch))) {
            uint32_t v = (uint32_t)(ch - '0');
            int nd = 1;
            p++;
            while (is_digit(*p)) {
                if (nd < 10)
                    v = v * 10u + (uint32_t)(*p - '0');
                nd++;
                p++;
            }
            if (G_UNLIKELY(nd > 10 || v > (uint32_t)INT32_MAX)) {
                if (*p == sep || *p == '\n' || *p == '\r')
                    return line_error(c, E_BIG, i, fs);
                return line_error(c, E_NOT_INT, i, fs);
            }
            f[i] = (int32_t)v;
        } else if (ch == sep || ch == '\n' || ch == '\r') {
            return line_error(c, E_MISSING, i, NULL);
        } else {
            return line_error(c, E_NOT_INT, i, fs);
        }
        ch = *p;
        if (i < 3) {
            if (G_UNLIKELY(ch != sep)) {
                if (ch == '\n' || (ch == '\r' && p[1] == '\n'))
                    return line_error(c, E_MISSING, i + 1, NULL);
                return line_error(c, E_NOT_INT, i, fs);
            }
            p++;
        } else {
            if (ch == '\r' && p[1] == '\n')
                ch = *++p;
            if (G_UNLIKELY(ch != '\n')) {
                if (ch == sep)
                    return line_error(c, E_EXTRA, -1, p + 1);
                return line_error(c, E_NOT_INT, i, fs);
            }
            p++;
        }
    }
    if (G_UNLIKELY(f[2] < 0 && f[3] < 0))
        return line_error(c, E_NO_RANK, 2, NULL);
    *pp = p;
    return 1;
}

/* ---- pass 1 ------------------------------------------------------------ */

static gboolean
grow_counts(Chunk *c, int side, int32_t id)
{
    Reader *r = c->r;
    if (r->n_given[side]) {
        c->err_value = r->n[side];
        return line_error(c, E_RANGE, side, NULL), FALSE;
    }
    if (id >= r->max_agents) {
        c->err_value = r->max_agents;
        return line_error(c, E_LIMIT, side, NULL), FALSE;
    }
    int64_t want = MAX((int64_t)id + 1, MAX(2 * (int64_t)c->len[side], 1024));
    want = MIN(want, (int64_t)r->max_agents);
    int32_t *p = g_try_realloc(c->cnt[side], (gsize)want * sizeof(int32_t));
    if (p == NULL) {
        g_set_error(&c->error, TM_ERROR, TM_ERROR_NO_MEMORY,
                    "cannot allocate %" G_GINT64_FORMAT " bytes for the %s counts",
                    want * (int64_t)sizeof(int32_t), side_words[side]);
        c->err = E_NOMEM;
        return FALSE;
    }
    memset(p + c->len[side], 0, (size_t)(want - c->len[side]) * sizeof(int32_t));
    c->cnt[side] = p;
    if (side == 1) {
        int32_t *q = g_try_realloc(c->dmax, (gsize)want * sizeof(int32_t));
        if (q == NULL) {
            g_set_error(&c->error, TM_ERROR, TM_ERROR_NO_MEMORY,
                        "cannot allocate %" G_GINT64_FORMAT " bytes for the demand counts",
                        want * (int64_t)sizeof(int32_t));
            c->err = E_NOMEM;
            return FALSE;
        }
        memset(q + c->len[side], 0, (size_t)(want - c->len[side]) * sizeof(int32_t));
        c->dmax = q;
    }
    c->len[side] = (int32_t)want;
    return TRUE;
}

/* One parsed line into the counts.  FALSE on error (in @c). */
static inline gboolean
count_line(Chunk *c, const int32_t f[4])
{
    int32_t s = f[0], d = f[1];
    if (G_UNLIKELY(s >= c->len[0]) && !grow_counts(c, 0, s))
        return FALSE;
    if (G_UNLIKELY(d >= c->len[1]) && !grow_counts(c, 1, d))
        return FALSE;
    if (G_UNLIKELY(++c->n_ent[0] > INT32_MAX))
        return line_error(c, E_OVERFLOW, 0, NULL), FALSE;
    c->cnt[0][s]++;
    if (s > c->max_id[0])
        c->max_id[0] = s;
    if (d > c->max_id[1])
        c->max_id[1] = d;
    if (f[3] >= 0) {
        if (G_UNLIKELY(++c->n_ent[1] > INT32_MAX))
            return line_error(c, E_OVERFLOW, 1, NULL), FALSE;
        c->cnt[1][d]++;
        if (f[3] >= c->dmax[d])
            c->dmax[d] = f[3] == INT32_MAX ? INT32_MAX : f[3] + 1;
    }
    if (f[2] >= 0) {
        if (!c->any) {
            c->any = TRUE;
            c->first_s = s;
            c->first_r = f[2];
        } else if (!(s > c->last_s || (s == c->last_s && f[2] > c->last_r))) {
            c->sorted = FALSE;
        }
        c->last_s = s;
        c->last_r = f[2];
    } else {
        c->n_onesided++;
    }
    return TRUE;
}

/* One parsed line into the arrays (pass 2).  FALSE when the file no longer
 * matches pass 1. */
static inline gboolean
place_line(Chunk *c, const int32_t f[4])
{
    Reader *r = c->r;
    int32_t s = f[0], d = f[1];
    if (G_UNLIKELY(s >= r->n[0] || d >= r->n[1]))
        return FALSE;
    int32_t k;
    if (!r->demand_only) {
        k = c->cnt[0][s]++;
        if (G_UNLIKELY(k >= r->off[0][s + 1]))
            return FALSE;
        r->ids[0][k] = f[2] >= 0 ? d : ~d;
        if (r->ranks[0] != NULL)
            r->ranks[0][k] = f[2];
    }
    if (f[3] < 0)
        return TRUE;
    if (r->place_by_rank) {
        /* a rank twice leaves a place free (-1), which the check for holes
         * after pass 2 finds; the store is atomic only because two threads
         * may then write the same place (a plain store on x86-64) */
        int64_t at = (int64_t)r->off[1][d] + f[3];
        if (G_UNLIKELY(at >= r->off[1][d + 1]))
            c->collision = TRUE; /* not 0..k-1 after all: pass 2 again */
        else
            __atomic_store_n(&r->ids[1][at], s, __ATOMIC_RELAXED);
        return TRUE;
    }
    {
        k = c->cnt[1][d]++;
        if (G_UNLIKELY(k >= r->off[1][d + 1]))
            return FALSE;
        r->ids[1][k] = s;
        r->ranks[1][k] = f[3];
    }
    return TRUE;
}

/* Pass 2 places a batch of lines at a time, having prefetched where each
 * demand entry goes: those stores are scattered over the whole array and
 * miss the caches, and this way many misses are in flight at once. */
#define BATCH 32

static inline void
prefetch_demand(const Chunk *c, const int32_t f[4])
{
    const Reader *r = c->r;
    if (f[3] < 0 || f[1] >= r->n[1])
        return;
    int64_t at = r->place_by_rank ? (int64_t)r->off[1][f[1]] + f[3] : c->cnt[1][f[1]];
    if (at < r->off[1][r->n[1]])
        __builtin_prefetch(&r->ids[1][at], 1);
}

static gpointer
chunk_run(gpointer data)
{
    Chunk *c = data;
    Reader *r = c->r;
    if (G_UNLIKELY(r == NULL)) /* not a chunk of this read (cannot happen) */
        return NULL;
    const char sep = r->sep;
    const gboolean pass2 = r->pass2;
    int32_t f[4];
    int32_t batch[BATCH][4];
    int nb = 0;
    int64_t line = 0;
    for (int part = 0; part < 2; part++) {
        const char *p = part == 0 ? c->beg : c->tail;
        if (p == NULL)
            continue;
        const char *end = part == 0 ? c->end : c->tail + c->tail_len;
        while (p < end) {
            line++;
            int got = parse_line(c, &p, sep, f);
            if (G_UNLIKELY(got < 0)) {
                c->err_line = line;
                if (pass2)
                    c->changed = TRUE;
                return NULL;
            }
            if (got == 0)
                continue;
            if (pass2) {
                memcpy(batch[nb], f, sizeof f);
                prefetch_demand(c, f);
                if (++nb < BATCH)
                    continue;
                for (int i = 0; i < nb; i++) {
                    if (G_UNLIKELY(!place_line(c, batch[i]))) {
                        c->changed = TRUE;
                        return NULL;
                    }
                }
                nb = 0;
            } else if (G_UNLIKELY(!count_line(c, f))) {
                c->err_line = line;
                return NULL;
            }
        }
    }
    for (int i = 0; i < nb; i++) {
        if (G_UNLIKELY(!place_line(c, batch[i]))) {
            c->changed = TRUE;
            return NULL;
        }
    }
    if (!pass2)
        c->n_lines = line;
    else if (line != c->n_lines)
        c->changed = TRUE;
    return NULL;
}

/* Runs fn on every chunk (or item), the first in this thread. */
static void
run_parallel(GThreadFunc fn, gpointer items, size_t item_size, int n)
{
    GThread *th[MAX_THREADS] = {NULL};
    for (int i = 1; i < n; i++)
        th[i] = g_thread_try_new("tm-edges", fn, (char *)items + (size_t)i * item_size, NULL);
    fn(items);
    for (int i = 1; i < n; i++) {
        if (th[i] != NULL)
            g_thread_join(th[i]);
        else
            fn((char *)items + (size_t)i * item_size);
    }
}

/* ---- errors ------------------------------------------------------------ */

static void
report_chunk_error(Reader *r, int t, GError **error)
{
    Chunk *c = &r->chunk[t];
    if (c->err == E_NOMEM) {
        g_propagate_prefixed_error(error, c->error, "%s: ", r->path);
        c->error = NULL;
        return;
    }
    int64_t line = r->body_line - 1 + c->err_line;
    for (int u = 0; u < t; u++)
        line += r->chunk[u].n_lines;
    const char *fname = c->err_field >= 0 ? field_names[c->err_field] : "";
    switch (c->err) {
    case E_MISSING:
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s:%" G_GINT64_FORMAT ": field %s: missing",
                    r->path, line, fname);
        break;
    case E_NOT_INT:
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s:%" G_GINT64_FORMAT ": field %s: '%s' is not %s", r->path, line, fname,
                    c->err_text,
                    c->err_field >= 2 ? "an integer >= 0 or '-'" : "an agent id (an integer >= 0)");
        break;
    case E_BIG:
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s:%" G_GINT64_FORMAT ": field %s: '%s' is beyond 2147483647 (at most 10 "
                    "digits)", r->path, line, fname, c->err_text);
        break;
    case E_EXTRA:
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s:%" G_GINT64_FORMAT ": a field after demand_rank ('%s'): a line has "
                    "exactly four fields", r->path, line, c->err_text);
        break;
    case E_DIRECTIVE:
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s:%" G_GINT64_FORMAT ": directive '%s' after the header: directives come "
                    "before it", r->path, line, c->err_text);
        break;
    case E_NO_RANK:
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s:%" G_GINT64_FORMAT ": fields supply_rank and demand_rank: both are '-' "
                    "(a pair needs at least one side's rank)", r->path, line);
        break;
    case E_RANGE:
        g_set_error(error, TM_ERROR, TM_ERROR_OUT_OF_RANGE,
                    "%s:%" G_GINT64_FORMAT ": field %s: id out of range: the file declares %d "
                    "%s agents (ids 0..%d)", r->path, line, fname, c->err_value,
                    side_words[c->err_field], c->err_value - 1);
        break;
    case E_LIMIT:
        g_set_error(error, TM_ERROR, TM_ERROR_OUT_OF_RANGE,
                    "%s:%" G_GINT64_FORMAT ": field %s: id beyond the limit of %d agents "
                    "(TmEdgesOptions.max_agents)", r->path, line, fname, c->err_value);
        break;
    case E_OVERFLOW:
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW,
                    "%s:%" G_GINT64_FORMAT ": more than 2147483647 %s list entries", r->path,
                    line, side_words[c->err_field]);
        break;
    default:
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE, "%s:%" G_GINT64_FORMAT ": bad line",
                    r->path, line);
        break;
    }
}

/* ---- the preamble ------------------------------------------------------ */

/* A directive's number: digits only, at most 10, <= INT32_MAX.  -1: not a
 * number, -2: too big. */
static int64_t
directive_number(const char *tok)
{
    if (tok == NULL || !is_digit(*tok))
        return -1;
    int64_t v = 0;
    int nd = 0;
    for (const char *p = tok; *p; p++) {
        if (!is_digit(*p))
            return -1;
        if (++nd > 10)
            return -2;
        v = v * 10 + (*p - '0');
    }
    return v > INT32_MAX ? -2 : v;
}

static gboolean
directive_value(Reader *r, int64_t line, const char *what, const char *tok, int32_t *out,
                GError **error)
{
    int64_t v = directive_number(tok);
    if (v == -1) {
        g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                    "%s:%" G_GINT64_FORMAT ": directive: %s: '%s' is not an integer >= 0",
                    r->path, line, what, tok != NULL ? tok : "");
        return FALSE;
    }
    if (v == -2) {
        g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW,
                    "%s:%" G_GINT64_FORMAT ": directive: %s: '%s' is beyond 2147483647",
                    r->path, line, what, tok);
        return FALSE;
    }
    *out = (int32_t)v;
    return TRUE;
}

static int
side_of(const char *w)
{
    if (w == NULL)
        return -1;
    return strcmp(w, "supply") == 0 ? 0 : strcmp(w, "demand") == 0 ? 1 : -1;
}

/* One `#!` line (NUL terminated, without "#!"). */
static gboolean
read_directive(Reader *r, int64_t line, char *text, GError **error)
{
    char *tok[6] = {NULL};
    int nt = 0;
    for (char *save = NULL, *t = strtok_r(text, " \t", &save); t != NULL;
         t = strtok_r(NULL, " \t", &save)) {
        if (nt == 5) {
            nt++;
            break;
        }
        tok[nt++] = t;
    }
    if (nt == 0)
        goto bad;
    if (strcmp(tok[0], "techmatch-edges") == 0 && nt == 2) {
        if (strcmp(tok[1], "1") != 0) {
            g_set_error(error, TM_ERROR, TM_ERROR_UNSUPPORTED,
                        "%s:%" G_GINT64_FORMAT ": directive: techmatch-edges version '%s': this "
                        "version reads version 1", r->path, line, tok[1]);
            return FALSE;
        }
        return TRUE;
    }
    int side = side_of(tok[0]);
    if (side >= 0 && nt == 2) {
        int32_t n;
        if (r->n_given[side]) {
            g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                        "%s:%" G_GINT64_FORMAT ": directive: '%s' given twice", r->path, line,
                        tok[0]);
            return FALSE;
        }
        if (!directive_value(r, line, tok[0], tok[1], &n, error))
            return FALSE;
        if (n > r->max_agents) {
            g_set_error(error, TM_ERROR, TM_ERROR_OUT_OF_RANGE,
                        "%s:%" G_GINT64_FORMAT ": directive: %s %d is beyond the limit of %d "
                        "agents (TmEdgesOptions.max_agents)", r->path, line, tok[0], n,
                        r->max_agents);
            return FALSE;
        }
        r->n[side] = n;
        r->n_given[side] = TRUE;
        return TRUE;
    }
    if (strcmp(tok[0], "capacity") == 0 && (nt == 3 || nt == 4) && side_of(tok[1]) >= 0) {
        CapDirective cd = {side_of(tok[1]), -1, 0, line};
        if (nt == 4 && !directive_value(r, line, "capacity agent", tok[2], &cd.agent, error))
            return FALSE;
        if (!directive_value(r, line, "capacity", tok[nt - 1], &cd.cap, error))
            return FALSE;
        g_array_append_val(r->caps, cd);
        return TRUE;
    }
bad:
    g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                "%s:%" G_GINT64_FORMAT ": directive: not one of 'techmatch-edges 1', "
                "'supply N', 'demand M', 'capacity SIDE C', 'capacity SIDE AGENT C'",
                r->path, line);
    return FALSE;
}

/* Directives, comments and the header; sets r->body and r->body_line. */
static gboolean
read_preamble(Reader *r, GError **error)
{
    const char *p = r->base, *end = r->base + r->size;
    if (r->size >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* a UTF-8 byte order mark */
    int64_t line = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl != NULL ? nl : end;
        const char *next = nl != NULL ? nl + 1 : end;
        line++;
        size_t len = (size_t)(le - p);
        if (len > 0 && p[len - 1] == '\r')
            len--;
        if (len == 0) {
            p = next;
            continue;
        }
        if (p[0] == '#') {
            if (len >= 2 && p[1] == '!') {
                if (len > 256) {
                    g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                                "%s:%" G_GINT64_FORMAT ": directive: too long", r->path, line);
                    return FALSE;
                }
                char *text = g_strndup(p + 2, len - 2);
                for (char *q = text; *q; q++) /* messages quote it: ASCII only */
                    if ((unsigned char)*q >= 0x7f || ((unsigned char)*q < 0x20 && *q != '\t'))
                        *q = '?';
                gboolean ok = read_directive(r, line, text, error);
                g_free(text);
                if (!ok)
                    return FALSE;
            }
            p = next;
            continue;
        }
        char want[64];
        g_snprintf(want, sizeof want, "supply%cdemand%csupply_rank%cdemand_rank", r->sep, r->sep,
                   r->sep);
        if (len != strlen(want) || memcmp(p, want, len) != 0) {
            char *got = g_strndup(p, MIN(len, (size_t)60));
            for (char *q = got; *q; q++)
                if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f)
                    *q = *q == '\t' ? ' ' : '?';
            char other = r->sep == '\t' ? ',' : '\t';
            g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                        "%s:%" G_GINT64_FORMAT ": header: expected the four columns supply, "
                        "demand, supply_rank, demand_rank separated by %s, got '%s'%s",
                        r->path, line, r->sep == '\t' ? "TABs" : "commas", got,
                        memchr(p, other, len) != NULL
                            ? (r->sep == '\t' ? " (commas: name the file .csv)"
                                              : " (TABs: name the file .tsv)")
                            : "");
            g_free(got);
            return FALSE;
        }
        r->body = next;
        r->body_line = line + 1;
        return TRUE;
    }
    g_set_error(error, TM_ERROR, TM_ERROR_PARSE,
                "%s:%" G_GINT64_FORMAT ": no header line (supply, demand, supply_rank, "
                "demand_rank)%s", r->path, line + 1, r->size == 0 ? ": the file is empty" : "");
    return FALSE;
}

/* ---- after pass 2 ------------------------------------------------------ */

typedef struct {
    Reader *r;
    int32_t lo[2], hi[2]; /* agent ranges per side */
    int32_t *stamp;       /* duplicate check */
    int32_t dup_s, dup_d; /* the first repeated pair in the range, -1 */
    gboolean hole;        /* a free place left in the demand lists */
    gboolean strict[2];
    /* scratch for ordering */
    int32_t *tmp_ids;
    uint64_t *keys;
    int64_t scratch_len;
    GError *error;
} Job;

static gpointer
job_duplicates(gpointer data)
{
    Job *j = data;
    Reader *r = j->r;
    if (G_UNLIKELY(r == NULL)) /* not a job of this read (cannot happen) */
        return NULL;
    const int32_t *off = r->off[0], *ids = r->ids[0];
    int32_t *stamp = j->stamp;
    if (r->place_by_rank) {
        const int32_t *dids = r->ids[1];
        for (int64_t k = r->off[1][j->lo[1]], e = r->off[1][j->hi[1]]; k < e; k++)
            if (G_UNLIKELY(dids[k] < 0)) {
                j->hole = TRUE;
                break;
            }
    }
    for (int32_t s = j->lo[0]; s < j->hi[0]; s++) {
        for (int32_t k = off[s]; k < off[s + 1]; k++) {
            int32_t d = ids[k] >= 0 ? ids[k] : ~ids[k];
            if (G_UNLIKELY(stamp[d] == s)) {
                j->dup_s = s;
                j->dup_d = d;
                return NULL;
            }
            stamp[d] = s;
        }
    }
    return NULL;
}

static int
cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Puts one list in rank order (stable).  Returns 1 strictly increasing
 * after, 0 with ties, -1 out of memory (in j->error). */
static int
order_list(Job *j, int32_t *ids, int32_t *ranks, int32_t k)
{
    gboolean strict = TRUE;
    int32_t i;
    for (i = 1; i < k; i++) {
        if (ranks[i] < ranks[i - 1])
            break;
        if (ranks[i] == ranks[i - 1])
            strict = FALSE;
    }
    if (i >= k)
        return strict;
    if (k > j->scratch_len) {
        g_free(j->tmp_ids);
        g_free(j->keys);
        j->keys = NULL;
        j->scratch_len = 0;
        j->tmp_ids = tm_i_try_alloc(k, sizeof(int32_t), FALSE, "an edge list's order", &j->error);
        if (j->tmp_ids == NULL)
            return -1;
        j->keys = tm_i_try_alloc(k, sizeof(uint64_t), FALSE, "an edge list's order", &j->error);
        if (j->keys == NULL)
            return -1;
        j->scratch_len = k;
    }
    /* ranks 0..k-1, each once: place directly */
    int32_t *t = j->tmp_ids;
    memset(t, 0xff, (size_t)k * sizeof(int32_t));
    for (i = 0; i < k; i++) {
        int32_t rk = ranks[i];
        if (rk >= k || t[rk] >= 0)
            break;
        t[rk] = ids[i];
    }
    if (i == k) {
        memcpy(ids, t, (size_t)k * sizeof(int32_t));
        for (i = 0; i < k; i++)
            ranks[i] = i;
        return 1;
    }
    uint64_t *key = j->keys;
    for (i = 0; i < k; i++)
        key[i] = (uint64_t)(uint32_t)ranks[i] << 32 | (uint32_t)i;
    qsort(key, (size_t)k, sizeof(uint64_t), cmp_u64);
    for (i = 0; i < k; i++)
        t[i] = ids[key[i] & 0xffffffffu];
    memcpy(ids, t, (size_t)k * sizeof(int32_t));
    strict = TRUE;
    for (i = 0; i < k; i++) {
        ranks[i] = (int32_t)(key[i] >> 32);
        if (i > 0 && ranks[i] == ranks[i - 1])
            strict = FALSE;
    }
    return strict;
}

static gpointer
job_order(gpointer data)
{
    Job *j = data;
    Reader *r = j->r;
    if (G_UNLIKELY(r == NULL)) /* not a job of this read (cannot happen) */
        return NULL;
    for (int side = 0; side < 2; side++) {
        j->strict[side] = TRUE;
        if (r->ranks[side] == NULL)
            continue;
        const int32_t *off = r->off[side];
        for (int32_t a = j->lo[side]; a < j->hi[side]; a++) {
            int got = order_list(j, r->ids[side] + off[a], r->ranks[side] + off[a],
                                 off[a + 1] - off[a]);
            if (got < 0)
                return NULL;
            if (got == 0)
                j->strict[side] = FALSE;
        }
    }
    return NULL;
}

/* Splits each side's agents into @n ranges of about equal entries. */
static void
split_agents(Reader *r, Job *jobs, int n)
{
    for (int side = 0; side < 2; side++) {
        const int32_t *off = r->off[side];
        int32_t na = r->n[side], a = 0;
        int64_t total = off[na];
        for (int t = 0; t < n; t++) {
            jobs[t].lo[side] = a;
            if (t == n - 1) {
                a = na;
            } else {
                int64_t goal = total * (t + 1) / n;
                /* binary search: the first agent whose offset reaches goal */
                int32_t lo = a, hi = na;
                while (lo < hi) {
                    int32_t mid = lo + (hi - lo) / 2;
                    if (off[mid] < goal)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                a = lo;
            }
            jobs[t].hi[side] = a;
        }
    }
}

/* The two lines of the repeated pair (s, d), for the message. */
static void
report_duplicate(Reader *r, int32_t s, int32_t d, GError **error)
{
    int64_t lines[2] = {0, 0};
    int found = 0;
    Chunk c = {.r = r};
    int32_t f[4];
    int64_t line = r->body_line - 1;
    for (int t = 0; t < r->n_chunks && found < 2; t++) {
        for (int part = 0; part < 2 && found < 2; part++) {
            const char *p = part == 0 ? r->chunk[t].beg : r->chunk[t].tail;
            if (p == NULL)
                continue;
            const char *end = part == 0 ? r->chunk[t].end : p + r->chunk[t].tail_len;
            while (p < end && found < 2) {
                line++;
                int got = parse_line(&c, &p, r->sep, f);
                if (got < 0)
                    break;
                if (got == 1 && f[0] == s && f[1] == d)
                    lines[found++] = line;
            }
        }
    }
    g_set_error(error, TM_ERROR, TM_ERROR_DUPLICATE,
                "%s:%" G_GINT64_FORMAT ": fields supply, demand: the pair (supply %d, demand %d) "
                "is also on line %" G_GINT64_FORMAT ": each pair may appear once",
                r->path, lines[1], s, d, lines[0]);
}

/* Squeezes the entries marked ~d (supply rank `-`) out of the supply lists. */
static void
squeeze_onesided(Reader *r)
{
    int32_t *off = r->off[0], *ids = r->ids[0], *ranks = r->ranks[0];
    int32_t w = 0, start = 0;
    for (int32_t s = 0; s < r->n[0]; s++) {
        int32_t e = off[s + 1];
        for (int32_t k = start; k < e; k++) {
            if (ids[k] >= 0) {
                ids[w] = ids[k];
                if (ranks != NULL)
                    ranks[w] = ranks[k];
                w++;
            }
        }
        start = e;
        off[s + 1] = w;
    }
}

/* ---- the whole read ---------------------------------------------------- */

static void
reader_clear(Reader *r)
{
    for (int t = 0; t < MAX_THREADS; t++) {
        Chunk *c = &r->chunk[t];
        g_free(c->cnt[0]);
        g_free(c->cnt[1]);
        g_free(c->dmax);
        g_free(c->tail);
        if (c->error != NULL)
            g_error_free(c->error);
    }
    for (int side = 0; side < 2; side++) {
        g_free(r->off[side]);
        g_free(r->ids[side]);
        g_free(r->ranks[side]);
    }
    if (r->caps != NULL)
        g_array_free(r->caps, TRUE);
    if (r->base != NULL && r->size > 0)
        munmap((void *)r->base, r->size);
}

static gboolean
check_options(const TmEdgesOptions *opt, const char *path, Reader *r, GError **error)
{
    TmEdgesOptions def = {0};
    if (opt == NULL)
        opt = &def;
    if (opt->threads < 0 || opt->threads > MAX_THREADS) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "tm_market_read_edges: threads %d: must be 0..%d", opt->threads, MAX_THREADS);
        return FALSE;
    }
    if (opt->supply_capacity < 0 || opt->demand_capacity < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_NEGATIVE_CAPACITY,
                    "tm_market_read_edges: default %s capacity %d is negative",
                    opt->supply_capacity < 0 ? "supply" : "demand",
                    opt->supply_capacity < 0 ? opt->supply_capacity : opt->demand_capacity);
        return FALSE;
    }
    if (opt->max_agents < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "tm_market_read_edges: max_agents %d is negative", opt->max_agents);
        return FALSE;
    }
    r->threads = opt->threads;
    r->threads_given = opt->threads > 0;
    if (r->threads == 0)
        r->threads = (int)MIN(2u, MAX(1u, g_get_num_processors()));
    r->default_cap[0] = opt->supply_capacity > 0 ? opt->supply_capacity : 1;
    r->default_cap[1] = opt->demand_capacity > 0 ? opt->demand_capacity : 1;
    r->max_agents = opt->max_agents > 0 ? opt->max_agents : INT32_MAX;
    r->sep = opt->separator;
    if (r->sep == 0) {
        r->sep = tm_i_edges_separator(path);
        if (r->sep == 0) {
            g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                        "%s: an edge list is named .tsv or .txt (TAB separated) or .csv (comma "
                        "separated)", path);
            return FALSE;
        }
    } else if (r->sep != '\t' && r->sep != ',') {
        g_set_error(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                    "tm_market_read_edges: separator must be TAB or comma");
        return FALSE;
    }
    return TRUE;
}

char
tm_i_edges_separator(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot == NULL || strchr(dot, '/') != NULL)
        return 0;
    if (g_ascii_strcasecmp(dot, ".tsv") == 0 || g_ascii_strcasecmp(dot, ".txt") == 0)
        return '\t';
    if (g_ascii_strcasecmp(dot, ".csv") == 0)
        return ',';
    return 0;
}

static gboolean
map_file(Reader *r, GError **error)
{
    int fd = open(r->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: cannot open: %s", r->path,
                    g_strerror(errno));
        return FALSE;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO,
                    "%s: not a regular file (edge lists are mapped and read twice; a pipe or "
                    "standard input cannot be)", r->path);
        close(fd);
        return FALSE;
    }
    r->size = (size_t)st.st_size;
    if (r->size == 0) {
        close(fd);
        r->base = "";
        return TRUE;
    }
    void *m = mmap(NULL, r->size, PROT_READ, MAP_PRIVATE, fd, 0);
    int e = errno;
    close(fd);
    if (m == MAP_FAILED) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: cannot map: %s", r->path, g_strerror(e));
        r->size = 0;
        return FALSE;
    }
    (void)madvise(m, r->size, MADV_WILLNEED);
    r->base = m;
    return TRUE;
}

/* Chunks at line boundaries; the last line without '\n' goes to a tail. */
static gboolean
make_chunks(Reader *r, GError **error)
{
    const char *b = r->body, *end = r->base + r->size;
    const char *tail = NULL;
    size_t tail_len = 0;
    if (end > b && end[-1] != '\n') {
        const char *q = end;
        while (q > b && q[-1] != '\n')
            q--;
        tail = q;
        tail_len = (size_t)(end - q);
        end = q;
    }
    size_t len = (size_t)(end - b);
    int n = r->threads;
    if (!r->threads_given && (size_t)n > len / CHUNK_MIN + 1)
        n = (int)(len / CHUNK_MIN + 1);
    const char *at = b;
    for (int t = 0; t < n; t++) {
        Chunk *c = &r->chunk[t];
        c->r = r;
        c->beg = at;
        if (t == n - 1) {
            at = end;
        } else {
            const char *goal = b + len / (size_t)n * (size_t)(t + 1);
            if (goal < at)
                goal = at;
            const char *nl = goal < end ? memchr(goal, '\n', (size_t)(end - goal)) : NULL;
            at = nl != NULL ? nl + 1 : end;
        }
        c->end = at;
        c->sorted = TRUE;
        c->max_id[0] = c->max_id[1] = -1;
    }
    r->n_chunks = n;
    if (tail != NULL) {
        Chunk *c = &r->chunk[n - 1];
        size_t keep = MIN(tail_len, (size_t)TAIL_MAX);
        c->tail = g_try_malloc(keep + 1);
        if (c->tail == NULL) {
            g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY, "%s: out of memory", r->path);
            return FALSE;
        }
        memcpy(c->tail, tail, keep);
        c->tail[keep] = '\n';
        c->tail_len = keep + 1;
    }
    for (int side = 0; side < 2; side++) {
        if (!r->n_given[side])
            continue;
        for (int t = 0; t < n; t++) {
            Chunk *c = &r->chunk[t];
            c->cnt[side] = tm_i_try_alloc(r->n[side], sizeof(int32_t), TRUE,
                                          side == 0 ? "the supply counts" : "the demand counts",
                                          error);
            if (c->cnt[side] == NULL)
                return FALSE;
            c->len[side] = r->n[side];
            if (side == 1) {
                c->dmax = tm_i_try_alloc(r->n[1], sizeof(int32_t), TRUE, "the demand counts",
                                         error);
                if (c->dmax == NULL)
                    return FALSE;
            }
        }
    }
    return TRUE;
}

/* Asks for transparent huge pages on a large array that is written at
 * random (fewer TLB misses; the market keeps the arrays).  Best effort. */
static void
advise_huge(void *p, int64_t count)
{
#ifdef MADV_HUGEPAGE
    const size_t huge = (size_t)2 << 20;
    char *base = p;
    size_t bytes = (size_t)count * sizeof(int32_t);
    size_t skip = (huge - (size_t)((uintptr_t)base % huge)) % huge;
    if (bytes > skip + huge)
        (void)madvise(base + skip, (bytes - skip) / huge * huge, MADV_HUGEPAGE);
#else
    (void)p;
    (void)count;
#endif
}

/* Sizes, offsets, cursors and the arrays for pass 2. */
static gboolean
merge_counts(Reader *r, GError **error)
{
    int n = r->n_chunks;
    int64_t total[2] = {0, 0};
    for (int side = 0; side < 2; side++) {
        if (!r->n_given[side]) {
            int32_t m = -1;
            for (int t = 0; t < n; t++)
                m = MAX(m, r->chunk[t].max_id[side]);
            r->n[side] = m + 1;
        }
        for (int t = 0; t < n; t++)
            total[side] += r->chunk[t].n_ent[side];
        if (total[side] > INT32_MAX) {
            g_set_error(error, TM_ERROR, TM_ERROR_OVERFLOW,
                        "%s: more than 2147483647 %s list entries", r->path, side_words[side]);
            return FALSE;
        }
        int32_t na = r->n[side];
        for (int t = 0; t < n; t++) {
            Chunk *c = &r->chunk[t];
            if (c->len[side] < na) {
                int32_t *p = g_try_realloc(c->cnt[side], (gsize)na * sizeof(int32_t));
                if (p == NULL) {
                    g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                                "%s: cannot allocate the %s counts", r->path, side_words[side]);
                    return FALSE;
                }
                memset(p + c->len[side], 0, (size_t)(na - c->len[side]) * sizeof(int32_t));
                c->cnt[side] = p;
                if (side == 1) {
                    int32_t *q = g_try_realloc(c->dmax, (gsize)na * sizeof(int32_t));
                    if (q == NULL) {
                        g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                                    "%s: cannot allocate the demand counts", r->path);
                        return FALSE;
                    }
                    memset(q + c->len[side], 0, (size_t)(na - c->len[side]) * sizeof(int32_t));
                    c->dmax = q;
                }
                c->len[side] = na;
            }
        }
        int32_t *off = tm_i_try_alloc((int64_t)na + 1, sizeof(int32_t), FALSE,
                                      side == 0 ? "the supply offsets" : "the demand offsets",
                                      error);
        if (off == NULL)
            return FALSE;
        r->off[side] = off;
        int32_t run = 0;
        off[0] = 0;
        gboolean dense = TRUE;
        for (int32_t a = 0; a < na; a++) {
            int32_t top = 0;
            for (int t = 0; t < n; t++) {
                int32_t k = r->chunk[t].cnt[side][a];
                r->chunk[t].cnt[side][a] = run;
                run += k;
                if (side == 1)
                    top = MAX(top, r->chunk[t].dmax[a]);
            }
            off[a + 1] = run;
            /* the largest rank + 1 == the count: likely a permutation */
            if (side == 1 && top != run - off[a])
                dense = FALSE;
        }
        if (side == 1)
            r->place_by_rank = dense;
    }
    /* the fast path: supply entries in (supply, rank) order, strictly */
    gboolean sorted = TRUE;
    const Chunk *prev = NULL;
    for (int t = 0; t < n; t++) {
        const Chunk *c = &r->chunk[t];
        if (!c->sorted)
            sorted = FALSE;
        if (!c->any)
            continue;
        if (prev != NULL && !(c->first_s > prev->last_s
                              || (c->first_s == prev->last_s && c->first_r > prev->last_r)))
            sorted = FALSE;
        prev = c;
    }
    r->ids[0] = tm_i_try_alloc(total[0], sizeof(int32_t), FALSE, "the supply lists", error);
    if (r->ids[0] == NULL)
        return FALSE;
    if (!sorted) {
        r->ranks[0] = tm_i_try_alloc(total[0], sizeof(int32_t), FALSE, "the supply ranks", error);
        if (r->ranks[0] == NULL)
            return FALSE;
    }
    r->ids[1] = tm_i_try_alloc(total[1], sizeof(int32_t), FALSE, "the demand lists", error);
    if (r->ids[1] == NULL)
        return FALSE;
    advise_huge(r->ids[0], total[0]);
    advise_huge(r->ids[1], total[1]);
    if (r->place_by_rank) { /* -1 = a free place */
        memset(r->ids[1], 0xff, (size_t)total[1] * sizeof(int32_t));
        return TRUE;
    }
    r->ranks[1] = tm_i_try_alloc(total[1], sizeof(int32_t), FALSE, "the demand ranks", error);
    return r->ranks[1] != NULL;
}

static gboolean
make_capacities(Reader *r, int32_t *caps[2], GError **error)
{
    caps[0] = caps[1] = NULL;
    CapDirective *cd = (CapDirective *)(void *)r->caps->data;
    guint nd = r->caps->len;
    for (guint i = 0; i < nd; i++) {
        if (cd[i].agent < 0)
            r->default_cap[cd[i].side] = cd[i].cap;
        else if (cd[i].agent >= r->n[cd[i].side]) {
            g_set_error(error, TM_ERROR, TM_ERROR_OUT_OF_RANGE,
                        "%s:%" G_GINT64_FORMAT ": directive: capacity %s %d: no such agent "
                        "(%d %s agents)", r->path, cd[i].line, side_words[cd[i].side],
                        cd[i].agent, r->n[cd[i].side], side_words[cd[i].side]);
            return FALSE;
        }
    }
    for (int side = 0; side < 2; side++) {
        gboolean needed = r->default_cap[side] != 1;
        for (guint i = 0; i < nd && !needed; i++)
            needed = cd[i].side == side && cd[i].agent >= 0;
        if (!needed)
            continue;
        caps[side] = tm_i_try_alloc(MAX(r->n[side], 1), sizeof(int32_t), FALSE,
                                    "the capacities", error);
        if (caps[side] == NULL) {
            g_free(caps[0]);
            caps[0] = NULL;
            return FALSE;
        }
        for (int32_t a = 0; a < r->n[side]; a++)
            caps[side][a] = r->default_cap[side];
        for (guint i = 0; i < nd; i++)
            if (cd[i].side == side && cd[i].agent >= 0)
                caps[side][cd[i].agent] = cd[i].cap;
    }
    return TRUE;
}

TmMarket *
tm_market_read_edges(const char *path, const TmEdgesOptions *opt, GError **error)
{
    if (path == NULL) {
        g_set_error_literal(error, TM_ERROR, TM_ERROR_INVALID_ARGUMENT,
                            "tm_market_read_edges: path is NULL");
        return NULL;
    }
    Reader *r = g_new0(Reader, 1);
    TmMarket *market = NULL;
    Job jobs[MAX_THREADS];
    int n_jobs = 0;
    r->path = path;
    r->caps = g_array_new(FALSE, FALSE, sizeof(CapDirective));
    if (!check_options(opt, path, r, error) || !map_file(r, error) || !read_preamble(r, error)
        || !make_chunks(r, error))
        goto out;

    /* pass 1 */
    run_parallel(chunk_run, r->chunk, sizeof(Chunk), r->n_chunks);
    for (int t = 0; t < r->n_chunks; t++) {
        if (r->chunk[t].err != E_NONE) {
            report_chunk_error(r, t, error);
            goto out;
        }
    }
    if (!merge_counts(r, error))
        goto out;

    /* pass 2 */
    r->pass2 = TRUE;
    run_parallel(chunk_run, r->chunk, sizeof(Chunk), r->n_chunks);
    gboolean changed = FALSE, collision = FALSE;
    for (int t = 0; t < r->n_chunks; t++) {
        changed = changed || r->chunk[t].changed;
        collision = collision || r->chunk[t].collision;
    }
    if (changed) {
        g_set_error(error, TM_ERROR, TM_ERROR_IO, "%s: the file changed while it was read",
                    r->path);
        goto out;
    }
    int64_t onesided = 0;
    for (int t = 0; t < r->n_chunks; t++) {
        Chunk *c = &r->chunk[t];
        onesided += c->n_onesided;
        g_free(c->cnt[0]);
        g_free(c->dmax);
        c->cnt[0] = c->dmax = NULL;
    }

    /* repeated pairs */
    n_jobs = r->n_chunks;
    memset(jobs, 0, sizeof jobs);
    split_agents(r, jobs, n_jobs);
    for (int t = 0; t < n_jobs; t++) {
        jobs[t].r = r;
        jobs[t].dup_s = -1;
        jobs[t].stamp = tm_i_try_alloc(MAX(r->n[1], 1), sizeof(int32_t), FALSE,
                                       "the duplicate check", error);
        if (jobs[t].stamp == NULL)
            goto out;
        memset(jobs[t].stamp, 0xff, (size_t)MAX(r->n[1], 1) * sizeof(int32_t));
    }
    run_parallel(job_duplicates, jobs, sizeof(Job), n_jobs);
    for (int t = 0; t < n_jobs; t++) {
        if (jobs[t].dup_s >= 0) {
            report_duplicate(r, jobs[t].dup_s, jobs[t].dup_d, error);
            goto out;
        }
        collision = collision || jobs[t].hole;
    }
    if (collision) {
        /* some demand list's ranks were not 0..k-1 after all: place the
         * demand entries again by the cursors (untouched so far), with
         * their ranks */
        r->place_by_rank = FALSE;
        r->demand_only = TRUE;
        int64_t total = r->off[1][r->n[1]];
        r->ranks[1] = tm_i_try_alloc(total, sizeof(int32_t), FALSE, "the demand ranks", error);
        if (r->ranks[1] == NULL)
            goto out;
        run_parallel(chunk_run, r->chunk, sizeof(Chunk), r->n_chunks);
        for (int t = 0; t < r->n_chunks; t++) {
            if (r->chunk[t].changed) {
                g_set_error(error, TM_ERROR, TM_ERROR_IO,
                            "%s: the file changed while it was read", r->path);
                goto out;
            }
        }
    }
    for (int t = 0; t < r->n_chunks; t++) {
        g_free(r->chunk[t].cnt[1]);
        r->chunk[t].cnt[1] = NULL;
    }
    if (onesided > 0) {
        squeeze_onesided(r);
        split_agents(r, jobs, n_jobs);
    }

    /* rank order */
    run_parallel(job_order, jobs, sizeof(Job), n_jobs);
    gboolean strict[2] = {TRUE, TRUE};
    for (int t = 0; t < n_jobs; t++) {
        if (jobs[t].error != NULL) {
            g_propagate_prefixed_error(error, jobs[t].error, "%s: ", r->path);
            jobs[t].error = NULL;
            goto out;
        }
        strict[0] = strict[0] && jobs[t].strict[0];
        strict[1] = strict[1] && jobs[t].strict[1];
    }
    for (int side = 0; side < 2; side++) {
        if (strict[side]) {
            g_free(r->ranks[side]);
            r->ranks[side] = NULL;
        }
    }
    int32_t *caps[2];
    if (!make_capacities(r, caps, error))
        goto out;
    munmap((void *)r->base, r->size);
    r->base = NULL;
    GError *err = NULL;
    market = tm_market_new_take_arrays(r->n[0], r->n[1], caps[0], caps[1], r->off[0], r->ids[0],
                                       r->ranks[0], r->off[1], r->ids[1], r->ranks[1], &err);
    memset(r->off, 0, sizeof r->off);
    memset(r->ids, 0, sizeof r->ids);
    memset(r->ranks, 0, sizeof r->ranks);
    if (market == NULL)
        g_propagate_prefixed_error(error, err, "%s: ", r->path);

out:
    for (int t = 0; t < n_jobs; t++) {
        g_free(jobs[t].stamp);
        g_free(jobs[t].tmp_ids);
        g_free(jobs[t].keys);
        if (jobs[t].error != NULL)
            g_error_free(jobs[t].error);
    }
    reader_clear(r);
    g_free(r);
    return market;
}
