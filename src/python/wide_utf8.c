/*
 * wide_utf8.c -- UTF-8 from the code units of a Python str (see wide_utf8.h).
 *
 * One pass in runs.  An HTML page mixes its text into the markup: ASCII runs
 * of a few dozen units (tags, attributes, style declarations) between short
 * runs of Chinese (a font name such as 仿宋_GB2312 in every style attribute,
 * a cell's text).  So each step takes sixteen units (SSE2, which every x86-64
 * has) and packs them to sixteen bytes; when some are not ASCII it keeps the
 * ASCII units before the first of them (the bytes past them are written but
 * not counted: they are overwritten next), and the run of wide units from
 * there is encoded one by one, three-byte characters in a tight loop.  A run
 * of either kind costs a few instructions at its ends, whatever its length.
 *
 * The vector step writes sixteen bytes at o while the units at i..i+15 are
 * unread; o <= out + w*i for w the bound's bytes a unit (2, 3 or 4), and
 * w*i + 16 <= w*(i + 16) <= w*n: always inside the caller's bound.
 */
#include "wide_utf8.h"

#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#define HAVE_VECTOR 1
#else
#define HAVE_VECTOR 0
#endif

#define BLOCK 16

size_t gd_wide_utf8_bound(int kind, size_t n)
{
    return n * (size_t)(kind == 1 ? 2 : kind == 2 ? 3 : 4);
}

/* ---- Runs of ASCII: how many units from u were copied to o ---- */

#if defined(__SSE2__)
/* The index of the lowest set bit of m (m != 0). */
static unsigned lowest_bit(unsigned m)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctz(m);
#else
    unsigned k = 0;
    while (!(m & 1u))
        m >>= 1, k++;
    return k;
#endif
}

static size_t ascii_run1(const uint8_t *u, size_t n, char *o)
{
    size_t i = 0;
    for (; i + BLOCK <= n; i += BLOCK) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
        _mm_storeu_si128((__m128i *)(void *)(o + i), a);
        unsigned wide = (unsigned)_mm_movemask_epi8(a); /* bytes with the top bit */
        if (wide != 0)
            return i + (size_t)lowest_bit(wide);
    }
    return i;
}

static size_t ascii_run2(const uint16_t *u, size_t n, char *o)
{
    const __m128i high = _mm_set1_epi16((short)0xFF80);
    const __m128i zero = _mm_setzero_si128();
    size_t i = 0;
    /* 32 units a step while all are ASCII (markup: most of a page) */
    for (; i + 2 * BLOCK <= n; i += 2 * BLOCK) {
        const __m128i *p = (const __m128i *)(const void *)(u + i);
        __m128i a = _mm_loadu_si128(p), b = _mm_loadu_si128(p + 1);
        __m128i c = _mm_loadu_si128(p + 2), d = _mm_loadu_si128(p + 3);
        __m128i any = _mm_and_si128(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d)), high);
        if (_mm_movemask_epi8(_mm_cmpeq_epi16(any, zero)) != 0xFFFF)
            break;
        _mm_storeu_si128((__m128i *)(void *)(o + i), _mm_packus_epi16(a, b));
        _mm_storeu_si128((__m128i *)(void *)(o + i + BLOCK), _mm_packus_epi16(c, d));
    }
    for (; i + BLOCK <= n; i += BLOCK) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(u + i + 8));
        _mm_storeu_si128((__m128i *)(void *)(o + i), _mm_packus_epi16(a, b));
        /* 0xFFFF for each ASCII unit, packed to one byte a unit */
        __m128i ascii = _mm_packs_epi16(_mm_cmpeq_epi16(_mm_and_si128(a, high), zero),
                                        _mm_cmpeq_epi16(_mm_and_si128(b, high), zero));
        unsigned wide = ~(unsigned)_mm_movemask_epi8(ascii) & 0xFFFFu;
        if (wide != 0)
            return i + (size_t)lowest_bit(wide);
    }
    return i;
}
#else
static size_t ascii_run1(const uint8_t *u, size_t n, char *o)
{
    (void)u, (void)n, (void)o;
    return 0; /* without SSE2 every unit goes one by one: correct, slower */
}

static size_t ascii_run2(const uint16_t *u, size_t n, char *o)
{
    (void)u, (void)n, (void)o;
    return 0;
}
#endif

static size_t ascii_run4(const uint32_t *u, size_t n, char *o)
{
    (void)u, (void)n, (void)o;
    return 0; /* astral text is rare: no vector step */
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

/* The same loop for every width (a constant in each copy, so the compiler
 * makes three tight loops of it): an ASCII run by the vector step, then the
 * wide run after it one by one -- three-byte characters (nearly all Chinese)
 * without put_wide's tests -- up to the next ASCII unit; the last units (fewer
 * than a vector step) one by one too. */
#define ENCODE(type, ascii_run, vector)                                        \
    do {                                                                       \
        const type *u = units;                                                 \
        size_t i = 0;                                                          \
        while (i < n) {                                                        \
            size_t copied = ascii_run(u + i, n - i, o);                        \
            i += copied;                                                       \
            o += copied;                                                       \
            while (i < n) {                                                    \
                uint32_t c = u[i];                                             \
                if (c < 0x80u) {                                               \
                    if ((vector) && n - i >= BLOCK)                            \
                        break; /* back to the vector step */                   \
                    *o++ = (char)c;                                            \
                } else if (sizeof(type) > 1 && c >= 0x800u && c <= 0xFFFFu &&  \
                           c - 0xD800u >= 0x800u) {                            \
                    /* three-byte characters: the run of them at once */       \
                    do {                                                       \
                        o[0] = (char)(0xE0u | (c >> 12));                      \
                        o[1] = (char)(0x80u | ((c >> 6) & 0x3Fu));             \
                        o[2] = (char)(0x80u | (c & 0x3Fu));                    \
                        o += 3;                                                \
                        if (++i == n)                                          \
                            break;                                             \
                        c = u[i];                                              \
                    } while (c >= 0x800u && c <= 0xFFFFu &&                    \
                             c - 0xD800u >= 0x800u);                           \
                    continue;                                                  \
                } else if (no_utf8_form(c)) {                                  \
                    *bad = i;                                                  \
                    return (size_t)(o - out);                                  \
                } else {                                                       \
                    o = put_wide(o, c);                                        \
                }                                                              \
                i++;                                                           \
            }                                                                  \
        }                                                                      \
    } while (0)

size_t gd_wide_to_utf8(const void *units, int kind, size_t n, char *out, size_t *bad)
{
    char *o = out;
    *bad = (size_t)-1;
    if (kind == 1)
        ENCODE(uint8_t, ascii_run1, HAVE_VECTOR);
    else if (kind == 2)
        ENCODE(uint16_t, ascii_run2, HAVE_VECTOR);
    else
        ENCODE(uint32_t, ascii_run4, 0);
    return (size_t)(o - out);
}
