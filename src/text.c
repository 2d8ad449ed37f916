/*
 * text.c -- UTF-8 and the normal form of labels: validation and decoding,
 * normalisation with its character bloom, and substring tests.
 */
#include "internal.h"

#include <string.h>

/* ---- UTF-8 ---- */

/* Index of the first byte of s[i, len) that is not ASCII, or len.  Sixteen
 * bytes are tested at once; in the word that holds one, its position is
 * read off the word (little-endian) or found byte by byte. */
static size_t skip_ascii(const unsigned char *s, size_t i, size_t len)
{
    while (i + 16 <= len && !((gd_load8((const char *)s + i) | gd_load8((const char *)s + i + 8)) &
                              GD_HIGHS))
        i += 16;
    while (i + 8 <= len) {
        uint64_t high = gd_load8((const char *)s + i) & GD_HIGHS;
        if (high) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return i + (size_t)(__builtin_ctzll(high) >> 3);
#else
            break;
#endif
        }
        i += 8;
    }
    while (i < len && s[i] < 0x80)
        i++;
    return i;
}

/* Is b a continuation byte (10xxxxxx)? */
static inline int is_cont(unsigned char b)
{
    return (unsigned char)(b ^ 0x80) < 0x40;
}

/* Length of the valid multi-byte character at s[i] (s[i] >= 0x80), or 0.
 * The second byte's range rules out overlongs (E0, F0), surrogates (ED)
 * and code points past U+10FFFF (F4); C0, C1 and F5-FF lead nothing. */
static inline size_t utf8_char_len(const unsigned char *s, size_t i, size_t len)
{
    unsigned char b = s[i];
    size_t left = len - i;
    if (b >= 0xE0 && b <= 0xEF) { /* CJK: nearly every character of a report */
        if (left < 3 || !is_cont(s[i + 1]) || !is_cont(s[i + 2]))
            return 0;
        unsigned char lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
        return s[i + 1] >= lo && s[i + 1] <= hi ? 3 : 0;
    }
    if (b >= 0xC2 && b <= 0xDF)
        return left >= 2 && is_cont(s[i + 1]) ? 2 : 0;
    if (b >= 0xF0 && b <= 0xF4) {
        if (left < 4 || !is_cont(s[i + 1]) || !is_cont(s[i + 2]) || !is_cont(s[i + 3]))
            return 0;
        unsigned char lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
        return s[i + 1] >= lo && s[i + 1] <= hi ? 4 : 0;
    }
    return 0;
}

/* Past the run of three-byte characters at s[i] that need no range check:
 * lead E1-EC or EE-EF (bit n of 0xDFFE says lead En is one) and two
 * continuation bytes.  The three bytes are tested as one number. */
static size_t skip_common_three_byte(const unsigned char *s, size_t i, size_t len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* two characters per eight-byte load */
    while (len - i >= 8) {
        uint64_t w = gd_load8((const char *)s + i);
        if ((w & 0xC0C0F0C0C0F0ULL) != 0x8080E08080E0ULL ||
            !((0xDFFEu >> (w & 0x0F)) & (0xDFFEu >> ((w >> 24) & 0x0F)) & 1))
            break;
        i += 6;
    }
#endif
    while (len - i >= 3) {
        uint32_t w = (uint32_t)s[i] | (uint32_t)s[i + 1] << 8 | (uint32_t)s[i + 2] << 16;
        if ((w & 0xC0C0F0) != 0x8080E0 || !((0xDFFEu >> (w & 0x0F)) & 1))
            break;
        i += 3;
    }
    return i;
}

/* Offset of the first byte that is not valid UTF-8, or len when all is.
 * Runs: ASCII is skipped by words; a run of multi-byte characters (CJK
 * text, or a CJK font name in a style attribute) is checked character by
 * character without going back to the word probe between them. */
size_t gd_utf8_invalid_at(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    for (;;) {
        i = skip_ascii(s, i, len);
        if (i == len)
            return len;
        do {
            i = skip_common_three_byte(s, i, len);
            if (i == len || s[i] < 0x80)
                break;
            size_t n = utf8_char_len(s, i, len);
            if (n == 0)
                return i;
            i += n;
        } while (i < len && s[i] >= 0x80);
    }
}

static inline uint32_t utf8_decode(const char *s, size_t len, size_t i, size_t *n)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char b = u[i];
    if (b < 0x80 || i + 1 >= len) {
        *n = 1;
        return b;
    }
    if ((b & 0xE0) == 0xC0) {
        *n = 2;
        return ((uint32_t)(b & 0x1F) << 6) | (u[i + 1] & 0x3F);
    }
    if ((b & 0xF0) == 0xE0 && i + 2 < len) {
        *n = 3;
        return ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(u[i + 1] & 0x3F) << 6) |
               (u[i + 2] & 0x3F);
    }
    if ((b & 0xF8) == 0xF0 && i + 3 < len) {
        *n = 4;
        return ((uint32_t)(b & 0x07) << 18) | ((uint32_t)(u[i + 1] & 0x3F) << 12) |
               ((uint32_t)(u[i + 2] & 0x3F) << 6) | (u[i + 3] & 0x3F);
    }
    *n = 1;
    return b;
}

uint32_t gd_utf8_decode(const char *s, size_t len, size_t i, size_t *n)
{
    return utf8_decode(s, len, i, n);
}

/* ---- Label normalisation ---- */

/* A character's bloom bit: a hash of its bytes, packed into one number.
 * Any function of the character serves, as long as every bloom uses this
 * one; the bytes need no decoding. */
static inline uint64_t bloom_bit(uint32_t packed)
{
    return (uint64_t)1 << ((packed * 2654435761u) >> 26);
}


static int is_space_cp(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
           cp == 0x3000 || cp == 0xA0 || cp == 0x2002 || cp == 0x2003 || cp == 0x200B ||
           cp == 0xFEFF;
}

/* The bloom bit of the n bytes at p, packed as gd_char_bit packs them. */
static uint64_t packed_bit(const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    uint32_t packed = 0;
    for (size_t q = 0; q < n; q++)
        packed = packed << 8 | u[q];
    return bloom_bit(packed);
}

/* Normalise the one character at s[*i] into out[*o], adding its bloom bit
 * to *bloom; 0 when it does not fit. */
static inline int normalize_char(const char *s, size_t len, size_t *i, char *out, size_t *o,
                                 size_t cap, uint64_t *bloom)
{
    size_t n;
    uint32_t cp = utf8_decode(s, len, *i, &n);
    const char *src = s + *i;
    size_t srclen = n;
    char ascii;
    if (cp >= 0xFF01 && cp <= 0xFF5E) { /* full-width ASCII (no character dropped below is one) */
        ascii = (char)(cp - 0xFF01 + 0x21);
        src = &ascii;
        srclen = 1;
    } else if (is_space_cp(cp) || cp == '"' || cp == '\'' || cp == 0x201C || cp == 0x201D ||
               cp == 0x2018 || cp == 0x2019 || cp == 0x300C || cp == 0x300D) {
        *i += n;
        return 1;
    } else if (cp == 0x3001) { /* 、 numbers items, as ． (full width, above) does */
        ascii = '.';
        src = &ascii;
        srclen = 1;
    }
    if (*o + srclen > cap)
        return 0;
    for (size_t q = 0; q < srclen; q++) /* at most four bytes */
        out[*o + q] = src[q];
    *o += srclen;
    *i += n;
    *bloom |= packed_bit(src, srclen);
    return 1;
}

/* The bloom is made as the characters are written.  It equals gd_bloom of
 * the output because each character is written whole (or, a lead byte cut
 * off by the end of s, alone), so gd_bloom's reading of the output splits it
 * into the same characters: nothing that follows a cut-off lead byte in the
 * output can be longer than what followed it in s.
 *
 * One body for both entry points: with want_bloom 0 (gd_normalize, which has
 * no use for it) the compiler drops the bloom's arithmetic. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline size_t normalize(const char *s, size_t len, char *out, size_t cap,
                               uint64_t *bloom_out, int want_bloom)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, o = 0;
    uint64_t bloom = 0;
    while (i < len) {
        unsigned char b = u[i];
        /* the common characters, copied as they are: CJK (U+4000-U+9FFF, lead
         * bytes E4-E9) and ASCII other than white space and quotes */
        if ((unsigned char)(b - 0xE4) <= 0xE9 - 0xE4 && i + 2 < len) {
            /* a run of them: while the character is whole in s and fits */
            do {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                /* two characters a step while both are CJK and fit: one load */
                while (len - i >= 8 && cap - o >= 6) {
                    uint64_t w = gd_load8(s + i);
                    if ((unsigned char)((w & 0xFF) - 0xE4) > 0xE9 - 0xE4 ||
                        (unsigned char)(((w >> 24) & 0xFF) - 0xE4) > 0xE9 - 0xE4)
                        break;
                    memcpy(out + o, s + i, 6);
                    if (want_bloom)
                        bloom |= bloom_bit(__builtin_bswap32((uint32_t)w << 8)) |
                                 bloom_bit(__builtin_bswap32((uint32_t)(w >> 16) & 0xFFFFFF00u));
                    o += 6;
                    i += 6;
                }
                if (i + 2 >= len || (unsigned char)((b = u[i]) - 0xE4) > 0xE9 - 0xE4)
                    break;
#endif
                if (o + 3 > cap)
                    goto done;
                out[o] = (char)b;
                out[o + 1] = s[i + 1];
                out[o + 2] = s[i + 2];
                if (want_bloom)
                    bloom |= bloom_bit((uint32_t)b << 16 | (uint32_t)u[i + 1] << 8 | u[i + 2]);
                o += 3;
                i += 3;
            } while (i + 2 < len && (unsigned char)((b = u[i]) - 0xE4) <= 0xE9 - 0xE4);
            continue;
        }
        if (b > ' ' && b < 0x7F && b != '"' && b != '\'') {
            if (o + 1 > cap)
                break;
            out[o++] = (char)b;
            if (want_bloom)
                bloom |= bloom_bit(b);
            i++;
            continue;
        }
        if (!normalize_char(s, len, &i, out, &o, cap, &bloom))
            break;
    }
done:
    *bloom_out = bloom;
    return o;
}

size_t gd_normalize_bloom(const char *s, size_t len, char *out, size_t cap, uint64_t *bloom_out)
{
    return normalize(s, len, out, cap, bloom_out, 1);
}

size_t gd_normalize(const char *s, size_t len, char *out, size_t cap)
{
    uint64_t bloom;
    return normalize(s, len, out, cap, &bloom, 0);
}

size_t gd_tok_norm(gd_ctx *c, const gd_tok *t, char *buf, size_t cap)
{
    size_t len;
    const char *norm = gd_tok_normed(c, t, &len);
    size_t n = len < cap ? len : cap;
    if (n)
        memcpy(buf, norm, n);
    return n;
}

const char *gd_tok_normed(gd_ctx *c, const gd_tok *t, size_t *len)
{
    gd_tok *tk = (gd_tok *)t; /* the cache is the context's, not the caller's */
    if (!tk->normed) {
        if (c->norm_cap - c->norm_used < GD_NORM_CACHE) {
            size_t ncap = c->norm_cap ? c->norm_cap * 2 : 16384;
            char *p = c->alloc->realloc(c->alloc->ctx, c->norm, ncap);
            if (!p) {
                c->oom = 1; /* every stage stops; gd_parse reports GD_ERR_NOMEM */
                *len = 0;
                return "";
            }
            c->norm = p;
            c->norm_cap = ncap;
        }
        size_t n = gd_normalize_bloom(c->text + t->start, t->end - t->start,
                                      c->norm + c->norm_used, GD_NORM_CACHE, &tk->bloom);
        tk->norm_off = (uint32_t)c->norm_used;
        tk->norm_len = (uint16_t)n;
        tk->normed = 1;
        c->norm_used += n;
    }
    *len = tk->norm_len;
    return c->norm + tk->norm_off;
}

uint64_t gd_char_bit(const char *s, size_t n, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = 1;
    if ((u[0] & 0xE0) == 0xC0 && n >= 2)
        k = 2;
    else if ((u[0] & 0xF0) == 0xE0 && n >= 3)
        k = 3;
    else if ((u[0] & 0xF8) == 0xF0 && n >= 4)
        k = 4;
    uint32_t packed = 0;
    for (size_t q = 0; q < k; q++)
        packed = packed << 8 | u[q];
    *len = k;
    return bloom_bit(packed);
}

uint64_t gd_bloom(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    uint64_t bloom = 0;
    size_t i = 0, k;
    while (i < n) {
        if ((u[i] & 0xF0) == 0xE0 && n - i >= 3) { /* CJK, the common case */
            bloom |= bloom_bit((uint32_t)u[i] << 16 | (uint32_t)u[i + 1] << 8 | u[i + 2]);
            i += 3;
        } else if (u[i] < 0x80) {
            bloom |= bloom_bit(u[i]);
            i++;
        } else {
            bloom |= gd_char_bit(s + i, n - i, &k);
            i += k;
        }
    }
    return bloom;
}

int gd_contains(const char *hay, size_t hlen, const char *needle)
{
    return gd_contains_n(hay, hlen, needle, strlen(needle));
}

int gd_contains_n(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    if (nlen == 0 || nlen > hlen)
        return nlen == 0;
    /* Probe with the byte that rules out most places: for a Chinese key the
     * last byte of its first character (the first byte alone matches nearly
     * every character).  UTF-8 being self-synchronising, a whole match of a
     * key that starts with a lead byte starts at a character boundary. */
    size_t k = (nlen >= 3 && ((unsigned char)needle[0] & 0xF0) == 0xE0) ? 2 : 0;
    const char *last = hay + hlen - nlen + k; /* the last place the probe may stand */
    for (const char *p = hay + k; p <= last; p++) {
        p = memchr(p, needle[k], (size_t)(last - p) + 1);
        if (!p)
            return 0;
        if (memcmp(p - k, needle, nlen) == 0)
            return 1;
    }
    return 0;
}

