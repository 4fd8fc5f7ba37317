/* techmatch — util layer: text helpers. */
#include "util/text.h"

#include <string.h>

static gboolean is_blank_ascii(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* U+3000 IDEOGRAPHIC SPACE is E3 80 80 in UTF-8. */
static gboolean starts_with_ideo_space(const char *p, gsize len)
{
    return len >= 3 && (guchar)p[0] == 0xE3 && (guchar)p[1] == 0x80 && (guchar)p[2] == 0x80;
}

const char *tm_i_trim(const char *text, gsize *len)
{
    gsize n = strlen(text);
    const char *p = text;
    for (;;) {
        if (n > 0 && is_blank_ascii(*p)) {
            p++;
            n--;
        } else if (starts_with_ideo_space(p, n)) {
            p += 3;
            n -= 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (n > 0 && is_blank_ascii(p[n - 1])) {
            n--;
        } else if (n >= 3 && starts_with_ideo_space(p + n - 3, 3)) {
            n -= 3;
        } else {
            break;
        }
    }
    *len = n;
    return p;
}
