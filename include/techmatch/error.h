/* techmatch — error domain and codes.
 *
 * Every public function that can fail takes a `GError **error` as its last
 * argument (which may be NULL if the caller does not care about details) and
 * returns FALSE / NULL / a negative value on failure.  No function aborts on
 * bad input.  Errors are reported in the TM_ERROR domain with one of the
 * TmError codes below.  Codes are stable: a number is never reused.
 *
 * Allocation policy.  Every allocation whose size derives from the input
 * (list lengths, numbers of agents, file sizes) goes through one
 * non-aborting allocator and fails with TM_ERROR_NO_MEMORY, with a message
 * naming what the memory was for and how many bytes were asked; the
 * operation then returns FALSE/NULL and leaves its inputs unchanged.  Only
 * small allocations of a fixed size (handles, option objects, one record per
 * call) use GLib's aborting allocator, as GLib itself does.
 */
#ifndef TECHMATCH_ERROR_H
#define TECHMATCH_ERROR_H

#include <glib.h>
#include <techmatch/export.h>

G_BEGIN_DECLS

/** The GError domain of every error raised by techmatch. */
#define TM_ERROR (tm_error_quark())

TM_API GQuark tm_error_quark(void);

/** Error codes in the TM_ERROR domain. */
typedef enum {
    TM_ERROR_INVALID_ARGUMENT = 1,  /**< NULL where a value is needed, bad enum, bad size */
    TM_ERROR_OUT_OF_RANGE = 2,      /**< an agent id outside [0, n) */
    TM_ERROR_DUPLICATE = 3,         /**< the same id twice in one list, or a name twice */
    TM_ERROR_NEGATIVE_CAPACITY = 4, /**< a capacity below zero */
    TM_ERROR_OVERFLOW = 5,          /**< a size or total that does not fit in int32_t */
    TM_ERROR_NO_MEMORY = 6,         /**< an allocation sized from input failed */
    TM_ERROR_CANCELLED = 7,         /**< the caller's cancel flag was raised */
    TM_ERROR_PARSE = 8,             /**< malformed input text (JSON, CSV) */
    TM_ERROR_IO = 9,                /**< reading or writing a file failed */
    TM_ERROR_UNSUPPORTED = 10,      /**< valid input that this version cannot handle (e.g. ties) */
    TM_ERROR_UNKNOWN_NAME = 11,     /**< a name that no agent has */
    TM_ERROR_INFEASIBLE = 12,       /**< constraints that no assignment can meet */
    TM_ERROR_NO_SUCH_MATCHING = 13, /**< the asked-for matching does not exist (no strongly
                                         or super-stable matching of a market with ties) */
} TmError;

/**
 * tm_error_code_name:
 * The stable name of a TmError code without its prefix, in upper case
 * ("INVALID_ARGUMENT", "NO_MEMORY", ...), for bindings that map codes to
 * exception classes and for log lines.  Returns a static string, or NULL for
 * a number that is not a TmError code.  Thread-safe, O(1).
 */
TM_API const char *tm_error_code_name(int code);

/** The largest TmError code defined by this version (for tables in
 * bindings). */
#define TM_ERROR_LAST TM_ERROR_NO_SUCH_MATCHING

G_END_DECLS

#endif /* TECHMATCH_ERROR_H */
