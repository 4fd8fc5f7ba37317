/* techmatch — the cancel handle (cancel.h). */
#include "core/internal.h"

struct TmCancel {
    gint refcount;
    gint flag;
    TmCancel *parent; /* own reference, or NULL */
};

TmCancel *tm_cancel_new(void)
{
    TmCancel *c = g_new(TmCancel, 1);
    c->refcount = 1;
    c->flag = 0;
    c->parent = NULL;
    return c;
}

TmCancel *tm_cancel_new_child(TmCancel *parent)
{
    TmCancel *c = tm_cancel_new();
    c->parent = tm_cancel_ref(parent);
    return c;
}

TmCancel *tm_cancel_ref(TmCancel *cancel)
{
    if (cancel)
        g_atomic_int_inc(&cancel->refcount);
    return cancel;
}

void tm_cancel_unref(TmCancel *cancel)
{
    while (cancel && g_atomic_int_dec_and_test(&cancel->refcount)) {
        TmCancel *parent = cancel->parent;
        g_free(cancel);
        cancel = parent; /* a loop, not recursion: long chains are fine */
    }
}

void tm_cancel_trigger(TmCancel *cancel)
{
    if (cancel)
        g_atomic_int_set(&cancel->flag, 1);
}

void tm_cancel_reset(TmCancel *cancel)
{
    if (cancel)
        g_atomic_int_set(&cancel->flag, 0);
}

gboolean tm_cancel_is_triggered(const TmCancel *cancel)
{
    for (; cancel != NULL; cancel = cancel->parent)
        if (g_atomic_int_get(&((TmCancel *)cancel)->flag) != 0)
            return TRUE;
    return FALSE;
}
