/* techmatch — util layer: fork-join over a fixed number of workers
 * (threadpool.h). */
#include "util/threadpool.h"

typedef struct {
    TmIWorkFunc func;
    gpointer data;
    int worker;
} Task;

static gpointer task_main(gpointer p)
{
    const Task *t = p;
    t->func(t->data, t->worker);
    return NULL;
}

void tm_i_run_workers(int n_workers, TmIWorkFunc func, gpointer data)
{
    int n = n_workers < 1 ? 1 : (n_workers > TM_I_MAX_WORKERS ? TM_I_MAX_WORKERS : n_workers);
    GThread *th[TM_I_MAX_WORKERS] = { 0 };
    Task task[TM_I_MAX_WORKERS];
    for (int t = 0; t < n; t++) {
        task[t].func = func;
        task[t].data = data;
        task[t].worker = t;
    }
    for (int t = 1; t < n; t++) {
        th[t] = g_thread_try_new("tm-worker", task_main, &task[t], NULL);
        if (th[t] == NULL)
            task_main(&task[t]); /* no thread: run it here */
    }
    task_main(&task[0]);
    for (int t = 1; t < n; t++)
        if (th[t])
            g_thread_join(th[t]);
}

int tm_i_n_workers(int requested, int64_t n_items, int64_t min_per_worker)
{
    int64_t t = requested > 0 ? requested : (int64_t)g_get_num_processors();
    if (t > TM_I_MAX_WORKERS)
        t = TM_I_MAX_WORKERS;
    if (min_per_worker > 0 && t > n_items / min_per_worker + 1)
        t = n_items / min_per_worker + 1;
    return t < 1 ? 1 : (int)t;
}
