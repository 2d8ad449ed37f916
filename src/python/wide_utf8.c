/*
 * wide_utf8.c -- UTF-8 from the code units of a Python str (see wide_utf8.h).
 *
 * Two passes: one that sizes (and finds code points UTF-8 cannot hold), one
 * that writes.  Both are written so that the common runs -- ASCII markup, and
 * CJK text at three bytes a character -- take a few instructions a unit.
 */
#include "wide_utf8.h"

#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Units sized per block before checking the block's bad flag: small enough to
 * rescan cheaply, large enough that the check costs nothing. */
#define BLOCK 256

static size_t first_bad2(const uint16_t *u, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((u[i] & 0xF800u) == 0xD800u)
            return i;
    return (size_t)-1;
}

static size_t first_bad4(const uint32_t *u, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((u[i] & 0xFFFFF800u) == 0xD800u || u[i] > 0x10FFFFu)
            return i;
    return (size_t)-1;
}

size_t gd_wide_utf8_size(const void *units, int kind, size_t n, size_t *bad)
{
    size_t size = n;
    *bad = (size_t)-1;
    if (kind == 1) {
        const uint8_t *u = units;
        for (size_t i = 0; i < n; i++)
            size += u[i] >> 7;
        return size;
    }
    for (size_t start = 0; start < n; start += BLOCK) {
        size_t end = n - start < BLOCK ? n : start + BLOCK;
        unsigned flagged = 0;
        if (kind == 2) {
            /* 16-bit lanes: a block's count fits, and the vectors stay narrow */
            const uint16_t *u = units;
            uint16_t more = 0, surrogates = 0;
            for (size_t i = start; i < end; i++) {
                more += (uint16_t)((u[i] >= 0x80u) + (u[i] >= 0x800u));
                surrogates |= (uint16_t)((u[i] & 0xF800u) == 0xD800u);
            }
            size += more;
            flagged = surrogates;
            if (flagged) {
                *bad = start + first_bad2(u + start, end - start);
                return 0;
            }
        } else {
            const uint32_t *u = units;
            for (size_t i = start; i < end; i++) {
                size += (size_t)(u[i] >= 0x80u) + (size_t)(u[i] >= 0x800u) +
                        (size_t)(u[i] >= 0x10000u);
                flagged |= ((u[i] & 0xFFFFF800u) == 0xD800u) | (u[i] > 0x10FFFFu);
            }
            if (flagged) {
                *bad = start + first_bad4(u + start, end - start);
                return 0;
            }
        }
    }
    return size;
}

/* One code point of at least U+0080 (and no surrogate); returns the end. */
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

/* The loop is the same for every width; the width is a constant in each copy,
 * so the compiler makes three tight loops of it. */
#define ENCODE(type)                                                          \
    do {                                                                      \
        const type *u = units;                                                \
        size_t i = 0;                                                         \
        while (i < n) {                                                       \
            /* ASCII sixteen at a time (most of an HTML page): both loops  \
             * are vectorised by the compiler */                              \
            while (i + 16 <= n) {                                             \
                type any = 0;                                                 \
                for (int k = 0; k < 16; k++)                                  \
                    any |= u[i + k];                                          \
                if (any >= 0x80u)                                             \
                    break;                                                    \
                for (int k = 0; k < 16; k++)                                  \
                    o[k] = (char)u[i + k];                                    \
                o += 16;                                                      \
                i += 16;                                                      \
            }                                                                 \
            if (i == n)                                                       \
                break;                                                        \
            uint32_t c = u[i++];                                              \
            if (c < 0x80u)                                                    \
                *o++ = (char)c;                                               \
            else                                                              \
                o = put_wide(o, c);                                           \
        }                                                                     \
    } while (0)

#if defined(__SSE2__)
/* Two-byte units: copy the ASCII runs sixteen units at a time with SSE2 (every
 * x86-64 has it); stops at the first block holding a wider unit.  Returns how
 * many units were copied. */
static size_t ascii_run2(const uint16_t *u, size_t n, char *o)
{
    const __m128i wide = _mm_set1_epi16((short)0xFF80);
    size_t i = 0;
    while (i + 16 <= n) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(u + i + 8));
        __m128i high = _mm_and_si128(_mm_or_si128(a, b), wide);
        if (_mm_movemask_epi8(_mm_cmpeq_epi16(high, _mm_setzero_si128())) != 0xFFFF)
            break;
        _mm_storeu_si128((__m128i *)(void *)(o + i), _mm_packus_epi16(a, b));
        i += 16;
    }
    return i;
}
#endif

void gd_wide_to_utf8(const void *units, int kind, size_t n, char *out)
{
    char *o = out;
    if (kind == 1) {
        ENCODE(uint8_t);
    } else if (kind == 2) {
#if defined(__SSE2__)
        /* Alternate: an SSE2 ASCII run, then units one by one up to the next
         * ASCII unit (a CJK run), then again. */
        const uint16_t *u = units;
        size_t i = 0;
        while (i < n) {
            size_t run = ascii_run2(u + i, n - i, o);
            i += run;
            o += run;
            if (i == n)
                break;
            do {
                uint32_t c = u[i++];
                if (c < 0x80u)
                    *o++ = (char)c;
                else
                    o = put_wide(o, c);
            } while (i < n && (u[i] >= 0x80u || n - i < 16));
        }
#else
        ENCODE(uint16_t);
#endif
    } else {
        ENCODE(uint32_t);
    }
}
