/* Fuzz harness: the edge-list reader (tm_market_read_edges) and writer.
 *
 * The first input byte picks the separator (TAB or comma) and the number of
 * threads; the rest is the file, written to a scratch file (the reader maps
 * a regular file).  max_agents is 4096, so that huge ids and directives are
 * refusals, not allocations.  Properties:
 *   - a failure is a TM_ERROR with a UTF-8 message that names the file;
 *   - the result does not depend on the number of threads (1 and 3 threads
 *     give the same lists, ranks and capacities, or the same error);
 *   - on success, tm_market_write_edges() then tm_market_read_edges() gives
 *     back the same market; when small, the market is the model the
 *     harness reads through the accessors, and tm_solve is stable
 *     (fz_check_solve). */
#include <unistd.h>

#include "fuzz_common.h"

static char *scratch_dir;

static char *
scratch(const char *name)
{
    if (scratch_dir == NULL)
        scratch_dir = g_dir_make_tmp("tm-fuzz-edges-XXXXXX", NULL);
    FZ_CHECK(scratch_dir != NULL, "no scratch folder");
    return g_build_filename(scratch_dir, name, NULL);
}

static TmMarket *
read_with(const char *path, char sep, int threads, GError **err)
{
    TmEdgesOptions opt = {0};
    opt.threads = threads;
    opt.separator = sep;
    opt.max_agents = 4096;
    return tm_market_read_edges(path, &opt, err);
}

static void
check_same(const TmMarket *a, const TmMarket *b, const char *what)
{
    FZ_CHECK(tm_market_n_pairs(a) == tm_market_n_pairs(b), "%s: pairs differ", what);
    for (int side = 0; side < 2; side++) {
        int32_t n = tm_market_size(a, (TmSide)side);
        FZ_CHECK(n == tm_market_size(b, (TmSide)side), "%s: sizes differ", what);
        for (int32_t x = 0; x < n; x++) {
            FZ_CHECK(tm_market_capacity(a, (TmSide)side, x) == tm_market_capacity(b, (TmSide)side, x),
                     "%s: capacity of %d differs", what, x);
            int32_t la, lb;
            const int32_t *pa = tm_market_prefs(a, (TmSide)side, x, &la);
            const int32_t *pb = tm_market_prefs(b, (TmSide)side, x, &lb);
            FZ_CHECK(la == lb, "%s: list length of %d differs", what, x);
            for (int32_t i = 0; i < la; i++)
                FZ_CHECK(tm_market_rank(a, (TmSide)side, x, pa[i])
                             == tm_market_rank(b, (TmSide)side, x, pa[i])
                         && tm_market_rank(a, (TmSide)side, x, pb[i]) >= 0,
                         "%s: side %d agent %d: entry %d differs", what, side, x, i);
        }
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char sep = (data[0] & 1) ? ',' : '\t';
    int threads = 1 + (data[0] >> 1) % 3;
    char *path = scratch("in.tsv"), *out = scratch("out.tsv");
    FZ_CHECK(g_file_set_contents(path, (const char *)data + 1, (gssize)size - 1, NULL),
             "cannot write the scratch file");
    GError *err = NULL, *err1 = NULL;
    TmMarket *m = read_with(path, sep, threads, &err);
    TmMarket *m1 = read_with(path, sep, 1, &err1);
    FZ_CHECK((m == NULL) == (m1 == NULL), "threads %d and 1 disagree on success", threads);
    if (m == NULL) {
        fz_check_error(err, "tm_market_read_edges");
        FZ_CHECK(strstr(err->message, path) != NULL, "message does not name the file: %s",
                 err->message);
        FZ_CHECK(err->code == err1->code && strcmp(err->message, err1->message) == 0,
                 "threads %d and 1 give different errors: %s / %s", threads, err->message,
                 err1->message);
        g_error_free(err);
        g_error_free(err1);
        g_free(path);
        g_free(out);
        return 0;
    }
    check_same(m, m1, "threads");
    FZ_CHECK(tm_market_write_edges(m, out, &err), "write: %s", err ? err->message : "?");
    TmMarket *back = read_with(out, '\t', threads, &err);
    FZ_CHECK(back != NULL, "reading what was written: %s", err ? err->message : "?");
    check_same(m, back, "round trip");
    if (tm_market_size(m, TM_SIDE_SUPPLY) <= 40 && tm_market_size(m, TM_SIDE_DEMAND) <= 40) {
        FzModel model;
        fz_model_from_market(&model, m);
        fz_check_solve(&model, m);
        fz_model_clear(&model);
    }
    tm_market_free(back);
    tm_market_free(m);
    tm_market_free(m1);
    unlink(out);
    g_free(path);
    g_free(out);
    return 0;
}
