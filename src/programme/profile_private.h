/* techmatch — private helpers of the domain layer (not installed). */
#ifndef TECHMATCH_PROFILE_PRIVATE_H
#define TECHMATCH_PROFILE_PRIVATE_H

#include <techmatch/profile.h>

/* Trims ASCII blanks and U+3000 (ideographic space) at both ends: returns a
 * pointer into @text and the trimmed length in *@len. */
G_GNUC_INTERNAL const char *tm_i_trim(const char *text, gsize *len);

#endif /* TECHMATCH_PROFILE_PRIVATE_H */
