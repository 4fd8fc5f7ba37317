/* techmatch — util layer: fork-join over a fixed number of workers (not
 * installed).
 *
 * tm_i_run_workers() runs one function for each worker index and returns
 * when every call has returned.  Worker 0 always runs on the calling thread
 * (so a worker-0-only progress callback runs where the caller expects it);
 * each other worker gets a new thread, or runs on the calling thread when a
 * thread cannot be created (the work is still done, only serially).  No
 * global state: any number of fork-joins may run at once. */
#ifndef TECHMATCH_UTIL_THREADPOOL_H
#define TECHMATCH_UTIL_THREADPOOL_H

#include <glib.h>

/* The largest number of workers of one fork-join. */
#define TM_I_MAX_WORKERS 64

/* One worker's share of the work: @worker in [0, n_workers), @data as given
 * to tm_i_run_workers(). */
typedef void (*TmIWorkFunc)(gpointer data, int worker);

/* Runs @func(@data, t) for t in [0, @n_workers) (clamped to
 * [1, TM_I_MAX_WORKERS]) and waits for all of them.  @func must be safe to
 * run concurrently for distinct @worker values. */
G_GNUC_INTERNAL void tm_i_run_workers(int n_workers, TmIWorkFunc func, gpointer data);

/* A worker count for @n_items items: @requested (<= 0: one per processor),
 * at most one worker per @min_per_worker items beyond the first, clamped to
 * [1, TM_I_MAX_WORKERS]. */
G_GNUC_INTERNAL int tm_i_n_workers(int requested, int64_t n_items, int64_t min_per_worker);

#endif /* TECHMATCH_UTIL_THREADPOOL_H */
