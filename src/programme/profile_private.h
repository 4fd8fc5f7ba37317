/* techmatch — private helpers of the domain layer (not installed). */
#ifndef TECHMATCH_PROFILE_PRIVATE_H
#define TECHMATCH_PROFILE_PRIVATE_H

#include <techmatch/profile.h>

/* Drops every commissioner with id >= @n_commissioners, every site with id
 * >= @n_sites and every tag with id >= @n_tags (used to roll back a failed
 * batch of additions, e.g. a strict form read).  The caller guarantees that
 * no remaining agent refers to a dropped tag (true when the counts are the
 * ones recorded before the batch). */
G_GNUC_INTERNAL void tm_i_programme_truncate(TmProgramme *programme, int32_t n_commissioners,
                                             int32_t n_sites, int32_t n_tags);

#endif /* TECHMATCH_PROFILE_PRIVATE_H */
