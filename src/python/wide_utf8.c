/*
 * wide_utf8.c -- UTF-8 from the code units of a Python str (see wide_utf8.h).
 *
 * One pass: blocks of sixteen ASCII units are copied at once (SSE2, which
 * every x86-64 has), and the sixteen units after a block that is not all ASCII
 * are encoded one by one -- so markup costs a few instructions a block, and
 * Chinese text one failed block test per sixteen characters.
 */
#include "wide_utf8.h"

#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define BLOCK 16

size_t gd_wide_utf8_bound(int kind, size_t n)
{
    return n * (size_t)(kind == 1 ? 2 : kind == 2 ? 3 : 4);
}

/* ---- Blocks of ASCII: how many units (a multiple of BLOCK) were copied ---- */

#if defined(__SSE2__)
static size_t ascii_blocks1(const uint8_t *u, size_t n, char *o)
{
    size_t i = 0;
    for (; i + BLOCK <= n; i += BLOCK) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
        if (_mm_movemask_epi8(a) != 0) /* a byte with its top bit set */
            break;
        _mm_storeu_si128((__m128i *)(void *)(o + i), a);
    }
    return i;
}

static size_t ascii_blocks2(const uint16_t *u, size_t n, char *o)
{
    const __m128i wide = _mm_set1_epi16((short)0xFF80);
    size_t i = 0;
    for (; i + BLOCK <= n; i += BLOCK) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(u + i + 8));
        __m128i high = _mm_and_si128(_mm_or_si128(a, b), wide);
        if (_mm_movemask_epi8(_mm_cmpeq_epi16(high, _mm_setzero_si128())) != 0xFFFF)
            break;
        _mm_storeu_si128((__m128i *)(void *)(o + i), _mm_packus_epi16(a, b));
    }
    return i;
}
#else
/* Without SSE2 every unit goes one by one (still correct, just slower). */
static size_t ascii_blocks1(const uint8_t *u, size_t n, char *o)
{
    (void)u, (void)n, (void)o;
    return 0;
}

static size_t ascii_blocks2(const uint16_t *u, size_t n, char *o)
{
    (void)u, (void)n, (void)o;
    return 0;
}
#endif

static size_t ascii_blocks4(const uint32_t *u, size_t n, char *o)
{
    (void)u, (void)n, (void)o;
    return 0; /* astral text is rare: no block copy */
}

/* ---- One code point at a time ---- */

static int no_utf8_form(uint32_t c)
{
    return (c >= 0xD800u && c <= 0xDFFFu) || c > 0x10FFFFu;
}

/* One code point of at least U+0080 (and a UTF-8 form); returns the end. */
static char *put_wide(char *o, uint32_t c)
{
    if (c < 0x800u) {
        o[0] = (char)(0xC0u | (c >> 6));
        o[1] = (char)(0x80u | (c & 0x3Fu));
        return o + 2;
    }
    if (c < 0x10000u) {
        o[0] = (char)(0xE0u | (c >> 12));
        o[1] = (char)(0x80u | ((c >> 6) & 0x3Fu));
        o[2] = (char)(0x80u | (c & 0x3Fu));
        return o + 3;
    }
    o[0] = (char)(0xF0u | (c >> 18));
    o[1] = (char)(0x80u | ((c >> 12) & 0x3Fu));
    o[2] = (char)(0x80u | ((c >> 6) & 0x3Fu));
    o[3] = (char)(0x80u | (c & 0x3Fu));
    return o + 4;
}

/* A run of three-byte characters from u[i] on (most Chinese text): fewer tests
 * a character than put_wide.  Returns the index of the first unit not taken. */
#define THREE_BYTE_RUN(u, i, n, o)                                     \
    while ((i) < (n) && (u)[i] >= 0x800u && (u)[i] <= 0xFFFFu &&       \
           ((u)[i] < 0xD800u || (u)[i] > 0xDFFFu)) {                  \
        uint32_t c3 = (u)[i++];                                        \
        (o)[0] = (char)(0xE0u | (c3 >> 12));                           \
        (o)[1] = (char)(0x80u | ((c3 >> 6) & 0x3Fu));                  \
        (o)[2] = (char)(0x80u | (c3 & 0x3Fu));                         \
        (o) += 3;                                                      \
    }

/* The same loop for every width (a constant in each copy, so the compiler
 * makes three tight loops of it). */
#define ENCODE(type, ascii_blocks)                                     \
    do {                                                               \
        const type *u = units;                                         \
        size_t i = 0;                                                  \
        while (i < n) {                                                \
            size_t copied = ascii_blocks(u + i, n - i, o);             \
            i += copied;                                               \
            o += copied;                                               \
            if (sizeof(type) > 1)                                      \
                THREE_BYTE_RUN(u, i, n, o);                            \
            size_t stop = n - i < BLOCK ? n : i + BLOCK;               \
            for (; i < stop; i++) {                                    \
                uint32_t c = u[i];                                     \
                if (c < 0x80u) {                                       \
                    *o++ = (char)c;                                    \
                } else if (no_utf8_form(c)) {                          \
                    *bad = i;                                          \
                    return (size_t)(o - out);                          \
                } else {                                               \
                    o = put_wide(o, c);                                \
                }                                                      \
            }                                                          \
        }                                                              \
    } while (0)

size_t gd_wide_to_utf8(const void *units, int kind, size_t n, char *out, size_t *bad)
{
    char *o = out;
    *bad = (size_t)-1;
    if (kind == 1)
        ENCODE(uint8_t, ascii_blocks1);
    else if (kind == 2)
        ENCODE(uint16_t, ascii_blocks2);
    else
        ENCODE(uint32_t, ascii_blocks4);
    return (size_t)(o - out);
}
