/* techmatch — controlling long operations: a cancel handle and progress.
 *
 * Every long operation (solving, building preferences, selection) accepts,
 * through its options object, an optional TmCancel and an optional progress
 * callback.  A TmCancel is an opaque, reference-counted, thread-safe flag:
 * one thread (a UI, a signal handler's helper thread, a Python thread) calls
 * tm_cancel_trigger() while another runs the operation, which then stops at
 * its next check with TM_ERROR_CANCELLED, leaving its inputs unchanged and
 * returning nothing half-built.  Options objects hold a reference of their
 * own, so a binding may drop its handle at any time.
 */
#ifndef TECHMATCH_CANCEL_H
#define TECHMATCH_CANCEL_H

#include <glib.h>
#include <techmatch/export.h>

G_BEGIN_DECLS

/**
 * TmProgressFunc:
 * Called now and then during a long operation with the fraction done in
 * [0, 1] (an estimate, non-decreasing within one operation) and the caller's
 * @user_data.  It runs on the thread that runs the operation; it must not
 * free the objects the operation uses.  To stop the operation from inside the
 * callback, trigger the operation's TmCancel.
 */
typedef void (*TmProgressFunc)(double fraction, gpointer user_data);

typedef struct TmCancel TmCancel;

/**
 * tm_cancel_new:
 * A new, untriggered cancel handle with one reference.  Never fails (a small
 * fixed-size allocation).  Drop it with tm_cancel_unref().  Time O(1).
 */
TM_API TmCancel *tm_cancel_new(void);

/**
 * tm_cancel_new_child:
 * A new, untriggered handle that also counts as triggered while @parent is
 * (tm_cancel_is_triggered() is TRUE when either flag is raised).  Triggering
 * or resetting the child never changes @parent, so a front end can stop an
 * operation on its own (e.g. on Ctrl-C) through the child while leaving the
 * caller's @parent as it was.  Takes a reference on @parent (NULL: a plain
 * handle, as tm_cancel_new()).  Never fails.  Drop it with
 * tm_cancel_unref().  Time O(1); checking the child reads both flags.
 */
TM_API TmCancel *tm_cancel_new_child(TmCancel *parent);

/** Takes a reference; returns @cancel.  NULL-safe.  Thread-safe, O(1). */
TM_API TmCancel *tm_cancel_ref(TmCancel *cancel);

/** Drops a reference; frees the handle with the last one.  NULL-safe.
 * Thread-safe, O(1). */
TM_API void tm_cancel_unref(TmCancel *cancel);

/** Raises the flag: every operation watching @cancel stops at its next check
 * (within about 65,000 proposals or list entries).  NULL-safe, thread-safe
 * (may be called from any thread), O(1). */
TM_API void tm_cancel_trigger(TmCancel *cancel);

/** Lowers the flag so the handle can be used again (a child's own flag
 * only: its parent is untouched).  NULL-safe, thread-safe. */
TM_API void tm_cancel_reset(TmCancel *cancel);

/** TRUE when the flag is raised, or the parent's (and so on up) for a
 * handle from tm_cancel_new_child() (FALSE for NULL).  Thread-safe, O(depth). */
TM_API gboolean tm_cancel_is_triggered(const TmCancel *cancel);

G_END_DECLS

#endif /* TECHMATCH_CANCEL_H */
