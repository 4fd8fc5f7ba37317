/* techmatch — progress and cancel settings shared by the options objects
 * (control.h). */
#include "core/control.h"

#include <string.h>

void tm_i_control_set_progress(TmControl *ctl, TmProgressFunc func, gpointer user_data,
                               GDestroyNotify destroy)
{
    if (ctl->progress_destroy)
        ctl->progress_destroy(ctl->progress_data);
    ctl->progress = func;
    ctl->progress_data = func ? user_data : NULL;
    ctl->progress_destroy = func ? destroy : NULL;
}

void tm_i_control_set_cancel(TmControl *ctl, TmCancel *cancel)
{
    tm_cancel_ref(cancel);
    tm_cancel_unref(ctl->cancel);
    ctl->cancel = cancel;
}

void tm_i_control_copy(TmControl *dst, const TmControl *src)
{
    *dst = *src;
    dst->progress_destroy = NULL;
    tm_cancel_ref(dst->cancel);
}

void tm_i_control_clear(TmControl *ctl)
{
    if (ctl->progress_destroy)
        ctl->progress_destroy(ctl->progress_data);
    tm_cancel_unref(ctl->cancel);
    memset(ctl, 0, sizeof *ctl);
}
