/* techmatch — what a long operation watches: a progress callback and a
 * cancel handle, as every options object (solve, preferences, selection)
 * stores them.
 *
 * The library-internal interface of the core (not installed): the options
 * objects of every layer embed a TmControl and forward their setters here,
 * so the rules for references and destroy notifies live in one place.
 */
#ifndef TECHMATCH_CORE_CONTROL_H
#define TECHMATCH_CORE_CONTROL_H

#include <glib.h>
#include <techmatch/cancel.h>

typedef struct {
    TmProgressFunc progress;
    gpointer progress_data;
    GDestroyNotify progress_destroy; /* called on progress_data when replaced or cleared */
    TmCancel *cancel;                /* own reference, or NULL */
} TmControl;

/* Replaces the progress callback (NULL func clears it), calling the old
 * data's destroy notify. */
G_GNUC_INTERNAL void tm_i_control_set_progress(TmControl *ctl, TmProgressFunc func,
                                               gpointer user_data, GDestroyNotify destroy);
/* Replaces the cancel handle, taking a reference on the new one. */
G_GNUC_INTERNAL void tm_i_control_set_cancel(TmControl *ctl, TmCancel *cancel);
/* A copy for another options object: shares the progress data without its
 * destroy notify (the original owns it), takes its own cancel reference. */
G_GNUC_INTERNAL void tm_i_control_copy(TmControl *dst, const TmControl *src);
/* Drops what @ctl owns (destroy notify, cancel reference) and zeroes it. */
G_GNUC_INTERNAL void tm_i_control_clear(TmControl *ctl);

/* Calls the progress callback, if any. */
static inline void tm_i_control_progress(const TmControl *ctl, double fraction)
{
    if (ctl && ctl->progress)
        ctl->progress(fraction, ctl->progress_data);
}

#endif /* TECHMATCH_CORE_CONTROL_H */
