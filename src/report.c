/*
 * report.c -- gd_parse(): validate the input, run the stages, own the memory.
 */
#include "internal.h"
#include "trad.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Allocation: every byte goes through the caller's allocator ---- */

static void *libc_malloc(void *ctx, size_t n) { (void)ctx; return malloc(n); }
static void *libc_realloc(void *ctx, void *p, size_t n) { (void)ctx; return realloc(p, n); }
static void libc_free(void *ctx, void *p) { (void)ctx; free(p); }
static const gd_allocator libc_allocator = {libc_malloc, libc_realloc, libc_free, NULL};

void *gd_malloc(gd_ctx *c, size_t n)
{
    void *p = c->alloc->malloc(c->alloc->ctx, n ? n : 1);
    if (!p)
        c->oom = 1;
    return p;
}

void gd_free(gd_ctx *c, void *p)
{
    if (p)
        c->alloc->free(c->alloc->ctx, p);
}

/* Grow *arr (elements of size sz) so that it holds at least need elements. */
static int grow(gd_ctx *c, void **arr, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    void *p = c->alloc->realloc(c->alloc->ctx, *arr, ncap * sz);
    if (!p) {
        c->oom = 1;
        return -1;
    }
    *arr = p;
    *cap = ncap;
    return 0;
}

/* ---- Messages: the few printf conversions findings use ---- */

/* Appends n bytes to buf[0, size) at *at, as snprintf would: what does not
 * fit (with the NUL) is dropped but still counted. */
static void fmt_put(char *buf, size_t size, size_t *at, const char *s, size_t n)
{
    if (*at < size) {
        size_t room = size - 1 - *at; /* size > *at: room for the NUL is kept */
        memcpy(buf + *at, s, n < room ? n : room);
    }
    *at += n;
}

/* Decimal of v (any int64 or uint64, negative as sign and magnitude). */
static void fmt_int(char *buf, size_t size, size_t *at, int neg, uint64_t mag)
{
    char d[24];
    size_t i = sizeof d;
    do {
        d[--i] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag);
    if (neg)
        d[--i] = '-';
    fmt_put(buf, size, at, d + i, sizeof d - i);
}

static void fmt_signed(char *buf, size_t size, size_t *at, long long v)
{
    /* The magnitude in unsigned arithmetic: -LLONG_MIN overflows a long long. */
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    fmt_int(buf, size, at, v < 0, mag);
}

int gd_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    size_t at = 0;
    const char *p = fmt;
    for (;;) {
        const char *q = strchr(p, '%');
        if (!q) {
            fmt_put(buf, size, &at, p, strlen(p));
            break;
        }
        fmt_put(buf, size, &at, p, (size_t)(q - p));
        q++;
        if (*q == '%') {
            fmt_put(buf, size, &at, "%", 1);
            p = q + 1;
        } else if (*q == 's') {
            const char *s = va_arg(ap, const char *);
            if (!s)
                return -1; /* "(null)" is glibc's: leave it to vsnprintf */
            fmt_put(buf, size, &at, s, strlen(s));
            p = q + 1;
        } else if (q[0] == '.' && q[1] == '*' && q[2] == 's') {
            int prec = va_arg(ap, int);
            const char *s = va_arg(ap, const char *);
            if (!s)
                return -1;
            size_t n = 0;
            if (prec < 0) {
                n = strlen(s);
            } else {
                const char *e = memchr(s, '\0', (size_t)prec);
                n = e ? (size_t)(e - s) : (size_t)prec;
            }
            fmt_put(buf, size, &at, s, n);
            p = q + 3;
        } else if (*q == 'd') {
            fmt_signed(buf, size, &at, va_arg(ap, int));
            p = q + 1;
        } else if (q[0] == 'z' && q[1] == 'u') {
            fmt_int(buf, size, &at, 0, (uint64_t)va_arg(ap, size_t));
            p = q + 2;
        } else if (q[0] == 'l' && q[1] == 'd') {
            fmt_signed(buf, size, &at, va_arg(ap, long));
            p = q + 2;
        } else if (q[0] == 'l' && q[1] == 'l' && q[2] == 'd') {
            fmt_signed(buf, size, &at, va_arg(ap, long long));
            p = q + 3;
        } else {
            return -1; /* flags, widths, other conversions: not ours */
        }
    }
    if (size)
        buf[at < size ? at : size - 1] = '\0';
    return at > (size_t)INT_MAX ? -1 : (int)at;
}

/* ---- Findings and unplaced numbers ---- */

int gd_add_finding(gd_ctx *c, const char *code, gd_severity sev, int table, int row, int col,
                   const int64_t *expected, const int64_t *actual, gd_span span, const char *fmt,
                   ...)
{
    gd_report *r = c->rep;
    if (c->oom)
        return -1;
    if (grow(c, (void **)&r->findings, &r->priv->cap_findings, r->nfindings + 1,
             sizeof *r->findings))
        return -1;

    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = gd_vformat(small, sizeof small, fmt, ap);
    va_end(ap);
    int own = n >= 0; /* gd_vformat read the format; else vsnprintf does */
    if (!own) {
        va_start(ap, fmt);
        n = vsnprintf(small, sizeof small, fmt, ap);
        va_end(ap);
    }
    if (n < 0)
        n = 0;
    char *msg = gd_malloc(c, (size_t)n + 1);
    if (!msg)
        return -1;
    if ((size_t)n < sizeof small) {
        memcpy(msg, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        if (own)
            gd_vformat(msg, (size_t)n + 1, fmt, ap);
        else
            vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }

    gd_finding *f = &r->findings[r->nfindings++];
    memset(f, 0, sizeof *f);
    f->code = code;
    f->severity = sev;
    f->table = table;
    f->row = row;
    f->col = col;
    if (expected) {
        f->has_expected = 1;
        f->expected = *expected;
    }
    if (actual) {
        f->has_actual = 1;
        f->actual = *actual;
    }
    f->span = span;
    f->message = msg;
    return 0;
}

int gd_add_unplaced(gd_ctx *c, int table, gd_span span)
{
    gd_report *r = c->rep;
    if (c->oom)
        return -1;
    if (grow(c, (void **)&r->unplaced, &r->priv->cap_unplaced, r->nunplaced + 1,
             sizeof *r->unplaced))
        return -1;
    r->unplaced[r->nunplaced].table = table;
    r->unplaced[r->nunplaced].raw = span;
    r->unplaced[r->nunplaced].span = span; /* mapped to the input at the end */
    r->nunplaced++;
    return 0;
}

gd_extra *gd_add_extra(gd_ctx *c, int table, gd_span label)
{
    gd_report *r = c->rep;
    if (c->oom || grow(c, (void **)&r->extras, &r->priv->cap_extras, r->nextras + 1,
                       sizeof *r->extras))
        return NULL;
    gd_extra *x = &r->extras[r->nextras++];
    memset(x, 0, sizeof *x);
    x->table = table;
    x->label = x->label_span = label;
    return x;
}

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

/* ---- Paths ---- */

size_t gd_cell_path(int table, int row, int col, char *buf, size_t size)
{
    const gd_tabledef *t = gd_table_def((gd_table_id)table);
    size_t at = 0; /* snprintf's result: the whole path, cut to fit buf */
    if (t) {
        fmt_put(buf, size, &at, t->id, strlen(t->id));
        if (row >= 0 && (unsigned)row < t->nrows) {
            const char *r = t->rows[row].id;
            fmt_put(buf, size, &at, ".", 1);
            fmt_put(buf, size, &at, r, strlen(r));
            if (col >= 0 && (unsigned)col < t->rows[row].ncols) {
                const char *k = t->rows[row].cols[col].id;
                fmt_put(buf, size, &at, ".", 1);
                fmt_put(buf, size, &at, k, strlen(k));
            }
        }
    }
    if (size)
        buf[at < size ? at : size - 1] = '\0';
    return at;
}

/* ---- The entry point ---- */

const char *gd_status_message(gd_status status)
{
    switch (status) {
    case GD_OK: return "ok";
    case GD_ERR_NOMEM: return "out of memory";
    case GD_ERR_UTF8: return "input is not valid UTF-8";
    case GD_ERR_TOO_LARGE: return "input is larger than the core accepts (GD_MAX_INPUT)";
    case GD_ERR_ARG: return "invalid argument";
    }
    return "unknown status";
}

/* ---- Spans back to the input ---- */

/* A span in the text the stages read, as offsets into the input. */
static gd_span to_source(const gd_ctx *c, gd_span sp)
{
    if (!c->map)
        return sp;
    gd_span out;
    if (sp.start >= c->len)
        sp.start = c->len;
    if (sp.end > c->len)
        sp.end = c->len;
    out.start = c->map[sp.start];
    if (sp.end <= sp.start) {
        out.end = out.start;
        return out;
    }
    /* just past the source of the last byte: a whole UTF-8 character or entity */
    size_t e = c->map[sp.end - 1];
    if (e < c->src_len && c->src[e] == '&') {
        const char *semi = memchr(c->src + e, ';', c->src_len - e < 12 ? c->src_len - e : 12);
        e = semi ? (size_t)(semi - c->src) + 1 : e + 1;
    } else {
        e++;
        while (e < c->src_len && ((unsigned char)c->src[e] & 0xC0) == 0x80)
            e++;
    }
    out.end = e < out.start ? out.start : e;
    return out;
}

static void map_spans(gd_ctx *c)
{
    gd_report *r = c->rep;
    for (int t = 0; t < GD_NTABLES; t++) {
        gd_table *tab = &r->tables[t];
        tab->span = to_source(c, tab->span);
        for (int row = 0; row < GD_MAX_ROWS; row++)
            for (int col = 0; col < GD_MAX_COLS; col++)
                if (tab->cells[row][col].kind != GD_CELL_ABSENT)
                    tab->cells[row][col].span = to_source(c, tab->cells[row][col].raw);
    }
    for (size_t i = 0; i < r->nunplaced; i++)
        r->unplaced[i].span = to_source(c, r->unplaced[i].raw);
    for (size_t i = 0; i < r->nextras; i++) {
        gd_extra *x = &r->extras[i];
        x->label_span = to_source(c, x->label);
        for (size_t k = 0; k < x->ncells; k++)
            x->cells[k].span = to_source(c, x->cells[k].raw);
    }
    for (size_t i = 0; i < r->nfindings; i++)
        r->findings[i].span = to_source(c, r->findings[i].span);
    r->agency_span = to_source(c, r->agency_span);
    r->year_span = to_source(c, r->year_span);
    r->published_span = to_source(c, r->published_span);
}

void gd_report_free(gd_report *r)
{
    if (!r)
        return;
    gd_allocator a = r->priv->alloc;
    for (size_t i = 0; i < r->nfindings; i++)
        a.free(a.ctx, (void *)r->findings[i].message);
    if (r->findings)
        a.free(a.ctx, r->findings);
    if (r->unplaced)
        a.free(a.ctx, r->unplaced);
    if (r->priv->agency)
        a.free(a.ctx, r->priv->agency);
    if (r->priv->text)
        a.free(a.ctx, r->priv->text);
    if (r->priv->region)
        a.free(a.ctx, r->priv->region);
    if (r->extras)
        a.free(a.ctx, r->extras);
    a.free(a.ctx, r->priv);
    a.free(a.ctx, r);
}

/* ---- The stages, and a second reading with traditional characters folded ---- */

static gd_report *new_report(const gd_allocator *a)
{
    gd_report *r = a->malloc(a->ctx, sizeof *r);
    if (!r)
        return NULL;
    memset(r, 0, sizeof *r);
    r->priv = a->malloc(a->ctx, sizeof *r->priv);
    if (!r->priv) {
        a->free(a->ctx, r);
        return NULL;
    }
    memset(r->priv, 0, sizeof *r->priv);
    r->priv->alloc = *a;
    return r;
}

/* 0, or -1 when a stage stopped (out of memory). */
static int run_stages(gd_ctx *c)
{
    return gd_lex_text(c) == 0 && gd_parse_tables(c) == 0 && gd_parse_meta(c) == 0 &&
                   gd_check(c) == 0 && gd_check_prose(c) == 0
               ? 0
               : -1;
}

/* Did the reading miss something that traditional characters could hide:
 * the agency, the year, a table (unless the report predates the templates)
 * or a row?  A report read completely is never searched for them, so
 * simplified text pays nothing; numbers left unplaced alone do not count
 * (they are common, and a row whose label is traditional is missing too). */
static int wants_folding(const gd_report *r)
{
    if (!r->agency || !r->year)
        return 1;
    int missing_table = 0;
    for (int t = 0; t < GD_NTABLES; t++)
        missing_table |= !r->tables[t].present;
    for (size_t i = 0; i < r->nfindings; i++) {
        if (strcmp(r->findings[i].code, "parse.missing_row") == 0)
            return 1;
        if (strcmp(r->findings[i].code, "parse.pre_template") == 0)
            missing_table = 0; /* its tables are not the templates' */
    }
    return missing_table;
}

/* The characters of the NUL-terminated copy `name`, which set_agency made
 * from folded[start, end) leaving out white space and control bytes, as
 * the original text writes them: the same bytes everywhere but in folded
 * characters, which keep their length. */
static void unfold_copy(char *name, const char *orig, const char *folded, size_t start,
                        size_t end)
{
    size_t j = 0, n;
    for (size_t i = start; i < end && name[j]; i += n) {
        gd_utf8_decode(folded, end, i, &n);
        if (memcmp(folded + i, name + j, n) == 0) { /* a character the copy kept */
            memcpy(name + j, orig + i, n);
            j += n;
        }
    }
}

/* When the text holds traditional characters of trad.h's table, read a
 * copy with them folded to simplified ones (the same offsets) into a new
 * report that replaces c->rep.  Every span, raw text and note still points
 * into the original text, and the agency is copied as the original writes
 * it.  0, or -1 on out of memory. */
static int parse_folded(gd_ctx *c)
{
    size_t ntrad = gd_trad_count_in(c->text, c->len, 1);
    if (!ntrad)
        return 0;
    char *folded = gd_malloc(c, c->len ? c->len : 1);
    gd_report *r = folded ? new_report(c->alloc) : NULL;
    if (!r) {
        gd_free(c, folded);
        c->oom = 1;
        return -1;
    }
    ntrad = gd_trad_fold(c->text, c->len, folded);
    gd_report *old = c->rep;
    const char *orig = c->text;
    r->priv->text = old->priv->text; /* the extracted text moves to the new report */
    old->priv->text = NULL;
    gd_report_free(old);
    r->text = orig;
    r->text_len = c->len;
    c->rep = r;
    c->ntoks = 0;
    c->norm_used = 0;
    memset(c->uncertain, 0, sizeof c->uncertain);
    memset(c->empty_region, 0, sizeof c->empty_region);
    c->split_budget = GD_SPLIT_PARSE_BUDGET;
    c->text = folded;
    int rc = run_stages(c);
    c->text = orig;
    if (rc == 0 && r->agency) {
        unfold_copy(r->priv->agency, orig, folded, r->agency_span.start, r->agency_span.end);
        if (r->priv->region) /* a prefix of the agency's name */
            memcpy(r->priv->region, r->agency, strlen(r->priv->region));
    }
    if (rc == 0 && gd_add_finding(c, "parse.traditional", GD_INFO, -1, -1, -1, NULL, NULL,
                                  (gd_span){0, 0},
                                  "the text writes %zu traditional characters of the "
                                  "template's words; they were read as their simplified forms",
                                  ntrad))
        rc = -1;
    gd_free(c, folded);
    return rc;
}

gd_status gd_parse(const char *text, size_t len, const gd_options *opts, gd_report **out,
                   size_t *err_offset)
{
    if (!out)
        return GD_ERR_ARG;
    *out = NULL;
    if (!text && len)
        return GD_ERR_ARG;
    if (len > GD_MAX_INPUT)
        return GD_ERR_TOO_LARGE;
    if (!text)
        text = "";
    size_t bad = opts && (opts->flags & GD_VALID_UTF8) ? len : gd_utf8_invalid_at(text, len);
    if (bad != len) {
        if (err_offset)
            *err_offset = bad;
        return GD_ERR_UTF8;
    }

    gd_ctx c;
    memset(&c, 0, sizeof c);
    c.text = c.src = text;
    c.len = c.src_len = len;
    c.flags = opts ? opts->flags : 0;
    c.format = opts ? opts->format : GD_FORMAT_TEXT;
    c.split_budget = GD_SPLIT_PARSE_BUDGET;
    if (c.format != GD_FORMAT_TEXT && c.format != GD_FORMAT_HTML && c.format != GD_FORMAT_DOCX)
        return GD_ERR_ARG;
    c.alloc = opts && opts->alloc ? opts->alloc : &libc_allocator;

    gd_report *r = new_report(c.alloc);
    if (!r)
        return GD_ERR_NOMEM;
    c.rep = r;

    if (c.format != GD_FORMAT_TEXT && gd_markup_to_text(&c) == 0)
        r->priv->text = (char *)c.text; /* the report keeps the text its spans point into */
    r->text = c.text;
    r->text_len = c.len;
    int done = !c.oom && run_stages(&c) == 0;
    if (done && wants_folding(r))
        done = parse_folded(&c) == 0;
    if (done)
        map_spans(&c);

    gd_free(&c, c.toks);
    gd_free(&c, c.map);
    gd_free(&c, c.norm);
    r = c.rep; /* parse_folded may have replaced it */
    if (c.oom) {
        gd_report_free(r);
        return GD_ERR_NOMEM;
    }
    *out = r;
    return GD_OK;
}
