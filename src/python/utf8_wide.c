/*
 * utf8_wide.c -- the code units of a Python str from valid UTF-8 (see
 * utf8_wide.h).  Eight bytes a step while they are ASCII (a word test, then
 * SSE2 widening where the compiler has it), then one character at a time.
 * The input is valid UTF-8 (the core's decoders write nothing else), so a
 * lead byte says the length of its character.
 */
#include "utf8_wide.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define HIGHS 0x8080808080808080ULL

static int ascii8(const unsigned char *u)
{
    uint64_t w;
    memcpy(&w, u, 8);
    return (w & HIGHS) == 0;
}

size_t gd_utf8_measure(const char *s, size_t len, int *kind)
{
    /* Characters: the bytes that are not continuation bytes (0x80..0xBF).
     * The kind follows from the largest byte: continuation bytes are below
     * every lead byte but ASCII, so it is the largest lead when not ASCII. */
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, n = 0;
    unsigned top = 0; /* the largest byte */
#if defined(__SSE2__)
    __m128i vmax = _mm_setzero_si128();
    const __m128i below_lead = _mm_set1_epi8((char)0xC0); /* signed: continuation < it */
    for (; len - i >= 16; i += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
        vmax = _mm_max_epu8(vmax, a);
        unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(a, below_lead));
        unsigned ncont = 0;
        for (; cont; cont &= cont - 1)
            ncont++;
        n += 16 - ncont;
    }
    unsigned char lanes[16];
    _mm_storeu_si128((__m128i *)(void *)lanes, vmax);
    for (int k = 0; k < 16; k++)
        if (lanes[k] > top)
            top = lanes[k];
#endif
    while (i < len) {
        if (len - i >= 8 && ascii8(u + i)) {
            i += 8;
            n += 8;
            continue;
        }
        unsigned b = u[i++];
        if ((b & 0xC0) != 0x80) /* not a continuation byte: a character */
            n++;
        if (b > top)
            top = b;
    }
    *kind = top < 0x80 ? 0 : top < 0xC4 ? 1 : top < 0xF0 ? 2 : 4;
    return n;
}

int gd_utf8_measure_checked(const char *s, size_t len, size_t *count, int *kind)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, n = 0;
    int k = 0;
    while (i < len) {
        unsigned b = u[i];
        if (b < 0x80) {
            i++;
            n++;
            while (len - i >= 8 && ascii8(u + i)) { /* an ASCII run */
                i += 8;
                n += 8;
            }
            continue;
        }
        if (b >= 0xE0 && b <= 0xEF) { /* most of a report's characters */
            if (len - i < 3 || (u[i + 1] & 0xC0) != 0x80 || (u[i + 2] & 0xC0) != 0x80)
                return -1;
            uint32_t cp = ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(u[i + 1] & 0x3F) << 6);
            if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
                return -1; /* overlong, or a surrogate */
            if (k < 2)
                k = 2;
            i += 3;
        } else if (b >= 0xC2 && b <= 0xDF) {
            if (len - i < 2 || (u[i + 1] & 0xC0) != 0x80)
                return -1;
            int need = b <= 0xC3 ? 1 : 2; /* U+0080..U+00FF, or beyond */
            if (k < need)
                k = need;
            i += 2;
        } else if (b >= 0xF0 && b <= 0xF4) {
            if (len - i < 4 || (u[i + 1] & 0xC0) != 0x80 || (u[i + 2] & 0xC0) != 0x80 ||
                (u[i + 3] & 0xC0) != 0x80)
                return -1;
            uint32_t cp = ((uint32_t)(b & 0x07) << 18) | ((uint32_t)(u[i + 1] & 0x3F) << 12);
            if (cp < 0x10000 || cp > 0x10FFFF)
                return -1;
            k = 4;
            i += 4;
        } else {
            return -1; /* a continuation byte first, C0, C1, or F5 and up */
        }
        n++;
    }
    *count = n;
    *kind = k;
    return 0;
}

/* One character at u[*i] (valid UTF-8, not ASCII). */
static uint32_t next_cp(const unsigned char *u, size_t *i)
{
    unsigned b = u[*i];
    uint32_t cp;
    if (b < 0xE0) {
        cp = ((uint32_t)(b & 0x1F) << 6) | (u[*i + 1] & 0x3Fu);
        *i += 2;
    } else if (b < 0xF0) {
        cp = ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(u[*i + 1] & 0x3F) << 6) |
             (u[*i + 2] & 0x3Fu);
        *i += 3;
    } else {
        cp = ((uint32_t)(b & 0x07) << 18) | ((uint32_t)(u[*i + 1] & 0x3F) << 12) |
             ((uint32_t)(u[*i + 2] & 0x3F) << 6) | (u[*i + 3] & 0x3Fu);
        *i += 4;
    }
    return cp;
}

static void to_ucs1(const unsigned char *u, size_t len, uint8_t *o)
{
    size_t i = 0;
    while (i < len) {
        if (len - i >= 8 && ascii8(u + i)) {
            memcpy(o, u + i, 8);
            o += 8;
            i += 8;
        } else if (u[i] < 0x80) {
            *o++ = u[i++];
        } else {
            *o++ = (uint8_t)next_cp(u, &i);
        }
    }
}

static void to_ucs2(const unsigned char *u, size_t len, uint16_t *o)
{
    size_t i = 0;
    while (i < len) {
#if defined(__SSE2__)
        if (len - i >= 16) {
            __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
            if (_mm_movemask_epi8(a) == 0) {
                __m128i z = _mm_setzero_si128();
                _mm_storeu_si128((__m128i *)(void *)o, _mm_unpacklo_epi8(a, z));
                _mm_storeu_si128((__m128i *)(void *)(o + 8), _mm_unpackhi_epi8(a, z));
                o += 16;
                i += 16;
                continue;
            }
        }
#endif
        if (u[i] < 0x80)
            *o++ = u[i++];
        else
            *o++ = (uint16_t)next_cp(u, &i);
    }
}

static void to_ucs4(const unsigned char *u, size_t len, uint32_t *o)
{
    size_t i = 0;
    while (i < len) {
        if (u[i] < 0x80)
            *o++ = u[i++];
        else
            *o++ = next_cp(u, &i);
    }
}

void gd_utf8_to_wide(const char *s, size_t len, int kind, void *out)
{
    const unsigned char *u = (const unsigned char *)s;
    if (kind <= 1)
        to_ucs1(u, len, out);
    else if (kind == 2)
        to_ucs2(u, len, out);
    else
        to_ucs4(u, len, out);
}
