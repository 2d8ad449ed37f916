/*
 * trad.c -- find and fold the traditional characters of trad_table.c.
 */
#include "trad.h"

#include <string.h>

/* The code point of the three-byte character at u[0..2]. */
static inline uint32_t cp3(const unsigned char *u)
{
    return ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
}

static inline int is_trad(uint32_t cp)
{
    return cp >= GD_TRAD_FIRST && cp <= GD_TRAD_LAST &&
           (gd_trad_bits[(cp - GD_TRAD_FIRST) / 64] >> ((cp - GD_TRAD_FIRST) % 64) & 1);
}

uint32_t gd_trad_fold_cp(uint32_t cp)
{
    if (!is_trad(cp))
        return cp;
    size_t lo = 0, hi = gd_trad_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (gd_trad_from[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return gd_trad_to[lo]; /* present: its bit is set */
}

/* The length of a UTF-8 character by its first byte's high nibble. */
static const unsigned char char_len[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};

/* The next traditional character in s[i, len), or len.  One lookup a
 * character: every traditional form has a lead byte E3..E9 (U+3000..U+9FFF),
 * whose code point less GD_TRAD_FIRST is its bit's index. */
static size_t next_trad(const unsigned char *u, size_t i, size_t len)
{
    while (i < len) {
        unsigned b = u[i];
        if (b - 0xE3 <= 0xE9 - 0xE3 && len - i >= 3) {
            uint32_t k = (b - 0xE3) << 12 | (uint32_t)(u[i + 1] & 0x3F) << 6 | (u[i + 2] & 0x3F);
            if (gd_trad_bits[k / 64] >> (k % 64) & 1)
                return i;
            i += 3;
            continue;
        }
        i += char_len[b >> 4];
    }
    return len;
}

size_t gd_trad_count_in(const char *s, size_t len, size_t enough)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;
    for (size_t i = next_trad(u, 0, len); i < len && n < enough; i = next_trad(u, i + 3, len))
        n++;
    return n;
}

size_t gd_trad_fold(const char *s, size_t len, char *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;
    if (len)
        memcpy(out, s, len);
    for (size_t i = next_trad(u, 0, len); i < len; i = next_trad(u, i + 3, len)) {
        uint32_t cp = gd_trad_fold_cp(cp3(u + i));
        /* both forms are three bytes (the generator keeps no other pair) */
        out[i] = (char)(0xE0 | cp >> 12);
        out[i + 1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[i + 2] = (char)(0x80 | (cp & 0x3F));
        n++;
    }
    return n;
}
