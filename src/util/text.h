/* techmatch — util layer: text helpers shared by the layers (not installed). */
#ifndef TECHMATCH_UTIL_TEXT_H
#define TECHMATCH_UTIL_TEXT_H

#include <glib.h>

/* Trims ASCII blanks and U+3000 (ideographic space) at both ends: returns a
 * pointer into @text and the trimmed length in *@len. */
G_GNUC_INTERNAL const char *tm_i_trim(const char *text, gsize *len);

#endif /* TECHMATCH_UTIL_TEXT_H */
