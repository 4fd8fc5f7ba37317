/* techmatch — util layer: the one non-aborting allocator. */
#define _DEFAULT_SOURCE
#include "util/alloc.h"

#include <stdint.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include <techmatch/error.h>

void *tm_i_try_alloc(int64_t count, size_t elem, gboolean zero, const char *what,
                     GError **error)
{
    if (count < 0 || (count > 0 && (uint64_t)count > (uint64_t)G_MAXSIZE / elem)) {
        g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                    "%s: size %" G_GINT64_FORMAT " x %zu bytes overflows", what, count, elem);
        return NULL;
    }
    gsize bytes = (gsize)count * elem;
    if (bytes == 0)
        bytes = 1; /* a valid, freeable pointer for empty arrays */
    void *p = zero ? g_try_malloc0(bytes) : g_try_malloc(bytes);
    if (p == NULL) {
        g_set_error(error, TM_ERROR, TM_ERROR_NO_MEMORY,
                    "%s: cannot allocate %" G_GSIZE_FORMAT " bytes", what, bytes);
        return NULL;
    }
    tm_i_advise_huge(p, bytes);
    return p;
}

void tm_i_advise_huge(void *p, size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    /* Large arrays are read at random (a proposal's receiver, a displaced
     * proposer): with 4 KiB pages nearly every such read also misses the TLB,
     * which under a hypervisor's nested paging costs more than the DRAM
     * access itself.  Asking for transparent huge pages where the system
     * leaves them to madvise() (the Debian default) removes most of that.
     * A hint: failure changes nothing. */
    const uintptr_t huge = (uintptr_t)2 << 20;
    if (bytes < 2 * huge)
        return;
    /* the aligned interior, as offsets from p (no integer-to-pointer cast) */
    const uintptr_t at = (uintptr_t)p;
    const size_t skip = (size_t)(((at + huge - 1) & ~(huge - 1)) - at);
    const size_t end = (size_t)(((at + bytes) & ~(huge - 1)) - at);
    if (end > skip)
        (void)madvise((char *)p + skip, end - skip, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}
