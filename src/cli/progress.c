/* techmatch — a progress line on standard error for the long steps of `run`
 * and `explain` (cli.h): `STEP: 42% ETA 0:12`, or `STEP: 0:03` (the time so
 * far) for a step that reports no fraction, redrawn in place with \r and
 * erased when the step ends.
 *
 * Only when enabled (standard error a terminal, not --quiet), so pipes,
 * files and tests see nothing.  A step shows nothing during its first
 * second (TECHMATCH_PROGRESS_DELAY_MS milliseconds when set: the tests set
 * 0 to see every step at once).  The line is drawn when a step starts or
 * its percentage changes (on the thread reporting it) and, so that the time
 * and ETA move between reports, four times a second by a ticker thread
 * started by the first step. */
#include <math.h>
#include <stdio.h>

#include <glib.h>

#include "cli.h"

#define SHOW_AFTER_US G_USEC_PER_SEC           /* quiet during a step's first second */
#define DELAY_ENV "TECHMATCH_PROGRESS_DELAY_MS"  /* ... or this many milliseconds */
#define TICK_US (G_USEC_PER_SEC / 4)           /* redraw period */
#define ETA_MIN_FRACTION 0.02                  /* no ETA from less than this */

struct CliProgress {
    GMutex lock;
    GCond wake;
    GThread *ticker;
    gboolean enabled, stopping;
    char *label;     /* the step in progress, NULL between steps */
    gint64 start;    /* monotonic time the step started, microseconds */
    gint64 delay;    /* what a step runs before it shows, microseconds */
    int drawn_pct;   /* percentage last drawn, -1: none */
    double fraction; /* last fraction reported, < 0: none */
    gboolean shown;  /* a line is on the terminal */
    FILE *stream;
};

/* "M:SS" or "H:MM:SS" of @us microseconds. */
static void format_time(char *buf, size_t size, gint64 us)
{
    gint64 s = (us + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC;
    if (s >= 3600)
        g_snprintf(buf, size, "%" G_GINT64_FORMAT ":%02d:%02d", s / 3600, (int)(s / 60 % 60),
                   (int)(s % 60));
    else
        g_snprintf(buf, size, "%d:%02d", (int)(s / 60), (int)(s % 60));
}

char *cli_progress_line(const char *label, double fraction, gint64 elapsed_us)
{
    char t[32];
    if (fraction < 0 || isnan(fraction)) {
        format_time(t, sizeof t, elapsed_us);
        return g_strdup_printf("%s: %s", label, t);
    }
    fraction = CLAMP(fraction, 0.0, 1.0);
    int pct = (int)(fraction * 100.0);
    if (fraction < ETA_MIN_FRACTION)
        return g_strdup_printf("%s: %d%%", label, pct);
    format_time(t, sizeof t, (gint64)((double)elapsed_us * (1.0 - fraction) / fraction));
    return g_strdup_printf("%s: %d%% ETA %s", label, pct, t);
}

/* Draws the line of the step in progress (lock held). */
static void draw(CliProgress *p, gint64 now)
{
    if (p->label == NULL || now - p->start < p->delay)
        return;
    char *line = cli_progress_line(p->label, p->fraction, now - p->start);
    p->drawn_pct = p->fraction < 0 ? -1 : (int)(CLAMP(p->fraction, 0.0, 1.0) * 100.0);
    fprintf(p->stream, "\r%s\033[K", line);
    fflush(p->stream);
    g_free(line);
    p->shown = TRUE;
}

static gpointer tick(gpointer data)
{
    CliProgress *p = data;
    g_mutex_lock(&p->lock);
    while (!p->stopping) {
        draw(p, g_get_monotonic_time());
        gint64 until = g_get_monotonic_time() + TICK_US;
        while (!p->stopping && g_cond_wait_until(&p->wake, &p->lock, until))
            ; /* woken early: only stopping matters */
    }
    g_mutex_unlock(&p->lock);
    return NULL;
}

CliProgress *cli_progress_new(gboolean enabled, FILE *stream)
{
    CliProgress *p = g_new0(CliProgress, 1);
    g_mutex_init(&p->lock);
    g_cond_init(&p->wake);
    p->enabled = enabled;
    p->fraction = -1;
    p->stream = stream;
    p->delay = SHOW_AFTER_US;
    p->drawn_pct = -1;
    const char *env = g_getenv(DELAY_ENV);
    guint64 ms = 0;
    if (env != NULL && g_ascii_string_to_unsigned(env, 10, 0, (guint64)3600 * 1000, &ms, NULL))
        p->delay = (gint64)ms * 1000;
    return p;
}

void cli_progress_step(CliProgress *p, const char *label)
{
    if (p == NULL || !p->enabled)
        return;
    g_mutex_lock(&p->lock);
    g_free(p->label);
    p->label = g_strdup(label);
    p->start = g_get_monotonic_time();
    p->fraction = -1;
    p->drawn_pct = -1;
    draw(p, p->start);
    if (p->ticker == NULL)
        p->ticker = g_thread_try_new("progress", tick, p, NULL); /* none: fewer redraws */
    g_mutex_unlock(&p->lock);
}

void cli_progress_func(double fraction, gpointer data)
{
    CliProgress *p = data;
    if (p == NULL || !p->enabled)
        return;
    g_mutex_lock(&p->lock);
    if (p->label != NULL && !isnan(fraction) && fraction > p->fraction) {
        p->fraction = fraction; /* a step's fraction never goes back */
        if ((int)(CLAMP(fraction, 0.0, 1.0) * 100.0) != p->drawn_pct)
            draw(p, g_get_monotonic_time());
    }
    g_mutex_unlock(&p->lock);
}

void cli_progress_done(CliProgress *p)
{
    if (p == NULL || !p->enabled)
        return;
    g_mutex_lock(&p->lock);
    if (p->shown) {
        fputs("\r\033[K", p->stream); /* erase the line */
        fflush(p->stream);
    }
    p->shown = FALSE;
    g_free(p->label);
    p->label = NULL;
    g_mutex_unlock(&p->lock);
}

void cli_progress_free(CliProgress *p)
{
    if (p == NULL)
        return;
    cli_progress_done(p);
    if (p->ticker != NULL) {
        g_mutex_lock(&p->lock);
        p->stopping = TRUE;
        g_cond_signal(&p->wake);
        g_mutex_unlock(&p->lock);
        g_thread_join(p->ticker);
    }
    g_cond_clear(&p->wake);
    g_mutex_clear(&p->lock);
    g_free(p);
}
