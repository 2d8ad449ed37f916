/*
 * number.c -- what one cell holds: an exact number (with unit and note),
 * a dash or none marker, or text.
 *
 * Numbers are kept as a scaled int64 (units, scale): 221.67 is (22167, 2).
 * Money never passes through a double.
 */
#include "internal.h"

#include <string.h>

/* The digit at s[i] (ASCII or full-width ０-９), its byte length in *n;
 * -1 when s[i] is not a digit. */
static inline int digit_at(const char *s, size_t i, size_t end, size_t *n)
{
    unsigned char b = (unsigned char)s[i];
    if (b >= '0' && b <= '9') {
        *n = 1;
        return b - '0';
    }
    /* U+FF10..U+FF19 is EF BC 90..99 */
    if (b == 0xEF && i + 2 < end && (unsigned char)s[i + 1] == 0xBC &&
        (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99) {
        *n = 3;
        return (unsigned char)s[i + 2] - 0x90;
    }
    return -1;
}

/* Length of a separator character at s[i]: ',' or '，' (thousands) when
 * kind is ',', '.' or '．' (decimal point) when kind is '.'. 0 otherwise. */
static size_t sep_at(const char *s, size_t i, size_t end, char kind)
{
    if (s[i] == kind)
        return 1;
    /* ， is EF BC 8C, ． is EF BC 8E */
    if ((unsigned char)s[i] == 0xEF && i + 2 < end && (unsigned char)s[i + 1] == 0xBC)
        return (unsigned char)s[i + 2] == (kind == ',' ? 0x8C : 0x8E) ? 3 : 0;
    return 0;
}

/* Does a group of exactly three digits, then no further digit, start at i? */
static int three_digits_at(const char *s, size_t i, size_t end)
{
    size_t n;
    for (int k = 0; k < 3; k++) {
        if (i >= end || digit_at(s, i, end, &n) < 0)
            return 0;
        i += n;
    }
    return i >= end || digit_at(s, i, end, &n) < 0;
}

static inline void push_digit(int64_t *units, int d, int *ndigits, int *overflow)
{
    if (*ndigits == 0 && d == 0 && *units == 0)
        return; /* leading zeros do not count towards the limit */
    if (++*ndigits > GD_MAX_DIGITS) {
        *overflow = 1;
        return;
    }
    *units = *units * 10 + d;
}

size_t gd_scan_number(const char *s, size_t i, size_t end, int64_t *units, int *scale,
                      int *overflow)
{
    size_t n, start = i;
    int d, ndigits = 0, seen = 0;
    *units = 0;
    *scale = 0;
    *overflow = 0;
    while (i < end) {
        if ((d = digit_at(s, i, end, &n)) >= 0) {
            push_digit(units, d, &ndigits, overflow);
            seen = 1;
            i += n;
        } else if (seen && (n = sep_at(s, i, end, ',')) && three_digits_at(s, i + n, end)) {
            i += n; /* thousands separator */
        } else {
            break;
        }
    }
    if (!seen)
        return start;
    if (i < end && (n = sep_at(s, i, end, '.')) && i + n < end &&
        digit_at(s, i + n, end, &(size_t){0}) >= 0) {
        i += n;
        while (i < end && (d = digit_at(s, i, end, &n)) >= 0) {
            push_digit(units, d, &ndigits, overflow);
            if (!*overflow)
                ++*scale;
            i += n;
        }
    }
    if (*overflow) {
        *units = 0;
        *scale = 0;
    }
    return i;
}

/* ---- Whole cells ---- */

static int is_ws(const char *s, size_t i, size_t end, size_t *n)
{
    unsigned char b = (unsigned char)s[i];
    if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '\f' || b == '\v') {
        *n = 1;
        return 1;
    }
    if (b == 0xE3 && i + 2 < end && (unsigned char)s[i + 1] == 0x80 &&
        (unsigned char)s[i + 2] == 0x80) { /* U+3000 ideographic space */
        *n = 3;
        return 1;
    }
    if (b == 0xC2 && i + 1 < end && (unsigned char)s[i + 1] == 0xA0) { /* NBSP */
        *n = 2;
        return 1;
    }
    return 0;
}

static size_t skip_ws(const char *s, size_t i, size_t end)
{
    size_t n;
    while (i < end && is_ws(s, i, end, &n))
        i += n;
    return i;
}

static int is_ascii_ws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' || ch == '\v';
}

static size_t trim_end(const char *s, size_t start, size_t end)
{
    /* White space at the end is ASCII, NBSP or U+3000: step back over it. */
    for (;;) {
        if (end > start && is_ascii_ws(s[end - 1]))
            end--;
        else if (end >= start + 3 && memcmp(s + end - 3, "\xE3\x80\x80", 3) == 0)
            end -= 3;
        else if (end >= start + 2 && memcmp(s + end - 2, "\xC2\xA0", 2) == 0)
            end -= 2;
        else
            return end;
    }
}

/* A literal with its length known at compile time (no strlen per use). */
typedef struct {
    const char *s;
    size_t n;
} lit;
#define LIT(x) {x, sizeof x - 1}

/* Dash-like and none markers (SCHEMA "na"). */
static const lit na_markers[] = {
    LIT("-"), LIT("--"), LIT("—"), LIT("——"), LIT("－"), LIT("–"), LIT("―"), LIT("/"),
    LIT("／"), LIT("\\"), LIT("无"), LIT("空"), LIT("不适用"), LIT("N/A"), LIT("n/a"),
    LIT("NA"), LIT("×"), LIT("X"), LIT("x"), LIT("…"), LIT("..."),
};

/* Units a count or amount may carry in its cell; kept as the note. */
static const lit units_list[] = {
    LIT("万元"), LIT("元"), LIT("件"), LIT("条"), LIT("个"), LIT("项"),
    LIT("次"), LIT("人次"), LIT("家"), LIT("宗"), LIT("笔"),
};

size_t gd_unit_len(const char *s, size_t i, size_t end)
{
    /* every unit is Chinese: its first byte is E4-E9 */
    if (end - i < 3 || (unsigned char)s[i] < 0xE4 || (unsigned char)s[i] > 0xE9)
        return 0;
    for (size_t k = 0; k < sizeof units_list / sizeof units_list[0]; k++) {
        /* lengths 3 or 6: compares of a constant size, made inline */
        const char *u = units_list[k].s;
        if (units_list[k].n == 3 ? memcmp(s + i, u, 3) == 0
                                 : end - i >= 6 && memcmp(s + i, u, 6) == 0)
            return units_list[k].n;
    }
    return 0;
}

/* The matching close of the bracket opening at s[i], or 0 when s[i] opens
 * no bracket or it is not closed before end.  Returns the index after it. */
size_t gd_bracket_end(const char *s, size_t i, size_t end)
{
    const char *open, *close;
    if (s[i] == '(') {
        open = "(", close = ")";
    } else if (s[i] == '[') {
        open = "[", close = "]";
    } else if (end - i >= 3 && memcmp(s + i, "\xEF\xBC\x88", 3) == 0) { /* （ */
        open = "\xEF\xBC\x88", close = "\xEF\xBC\x89";
    } else if (end - i >= 3 && memcmp(s + i, "\xE3\x80\x90", 3) == 0) { /* 【 */
        open = "\xE3\x80\x90", close = "\xE3\x80\x91";
    } else {
        return 0;
    }
    size_t olen = strlen(open), clen = strlen(close);
    int depth = 0;
    for (size_t k = i; k < end;) {
        if (end - k >= olen && memcmp(s + k, open, olen) == 0) {
            depth++;
            k += olen;
        } else if (end - k >= clen && memcmp(s + k, close, clen) == 0) {
            k += clen;
            if (--depth == 0)
                return k;
        } else if (end - k >= 3 && memcmp(s + k, "\xEF\xBC\x89", 3) == 0 && s[i] == '(') {
            /* mixed brackets: （ closed by ) or ( closed by ） happen in copies */
            k += 3;
            if (--depth == 0)
                return k;
        } else if (s[k] == ')' && olen == 3 && open[2] == '\x88') {
            k += 1;
            if (--depth == 0)
                return k;
        } else {
            k++;
        }
    }
    return 0;
}

/* A change written before its number in a 本年增/减 cell (2019 template):
 * 减少4, 减4, ↓4 are -4; 增加3, 增3, ↑3 are 3 (TEMPLATES §4.1, real pages).
 * Its length, setting *negative; 0 when there is none. */
static size_t sign_word(const char *s, size_t i, size_t end, int *negative)
{
    static const struct {
        lit word;
        int negative;
    } words[] = {
        {LIT("减少"), 1}, {LIT("增加"), 0}, {LIT("减"), 1}, {LIT("增"), 0},
        {LIT("↓"), 1}, {LIT("↑"), 0},
    };
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (end - i > words[k].word.n && memcmp(s + i, words[k].word.s, words[k].word.n) == 0) {
            *negative = words[k].negative;
            return words[k].word.n;
        }
    return 0;
}

gd_tok_type gd_classify_cell(const char *s, size_t start, size_t end, gd_tok *t)
{
    start = skip_ws(s, start, end);
    end = trim_end(s, start, end);
    t->units = 0;
    t->scale = 0;
    t->note_start = t->note_end = (uint32_t)start;
    t->flags &= (uint8_t)~(TOKF_OVERFLOW | TOKF_SIGNED | TOKF_SIGN_WORD);
    if (start >= end)
        return TOK_EMPTY;
    /* Most pieces are words: a number starts with a digit or a sign, a marker
     * is short, a blank is "&nbsp;".  Say "text" without looking further. */
    unsigned char b0 = (unsigned char)s[start];
    if (end - start > 9 && !(b0 >= '0' && b0 <= '9') && b0 != '+' && b0 != '-' && b0 != 0xEF &&
        b0 != '&' && b0 != 0xE5 && b0 != 0xE2)
        return TOK_TEXT;

    /* markers are short and start with one of a few bytes */
    if (end - start <= 9 && strchr("-/\\NnXx.\xE2\xEF\xE6\xE7\xE4\xC3", b0))
        for (size_t k = 0; k < sizeof na_markers / sizeof na_markers[0]; k++)
            if (na_markers[k].n == end - start && memcmp(s + start, na_markers[k].s, end - start) == 0)
                return TOK_NA;
    /* "&nbsp;" copied out of a web page as text: a blank cell */
    size_t nb = start;
    while (end - nb >= 6 && memcmp(s + nb, "&nbsp;", 6) == 0)
        nb = skip_ws(s, nb + 6, end);
    if (nb == end)
        return TOK_EMPTY;

    size_t i = start, n;
    int negative = 0, signed_ = 0;
    if (s[i] == '+' || s[i] == '-') {
        negative = s[i] == '-';
        signed_ = 1;
        i++;
    } else if (end - i >= 3 && (memcmp(s + i, "\xEF\xBC\x8B", 3) == 0 ||   /* ＋ */
                                memcmp(s + i, "\xEF\xBC\x8D", 3) == 0)) { /* － */
        negative = s[i + 2] == '\x8D';
        signed_ = 1;
        i += 3;
    } else if ((b0 == 0xE5 || b0 == 0xE2) && (n = sign_word(s, i, end, &negative))) {
        signed_ = 2; /* 减4, ↑3: only a 本年增/减 cell reads it (tables.c) */
        i += n;
    }
    int64_t units;
    int scale, overflow;
    size_t after = gd_scan_number(s, i, end, &units, &scale, &overflow);
    if (after == i)
        return TOK_TEXT;

    /* What may follow a number in its cell: a unit, then a bracketed note. */
    size_t note_from = skip_ws(s, after, end), k = note_from;
    k += gd_unit_len(s, k, end);
    k = skip_ws(s, k, end);
    size_t close = k < end ? gd_bracket_end(s, k, end) : 0;
    if (close)
        k = skip_ws(s, close, end);
    if (k != end || (signed_ == 2 && note_from != end))
        return TOK_TEXT; /* words around the number: not a cell value ("增加3件" is prose) */

    if (note_from < end) {
        size_t ns = note_from, ne = end;
        if (gd_bracket_end(s, ns, end) == end) {
            /* the whole note is one bracket group: strip the brackets */
            size_t olen = (s[ns] == '(' || s[ns] == '[') ? 1 : 3;
            size_t clen = (s[end - 1] == ')' || s[end - 1] == ']') ? 1 : 3;
            ns += olen;
            ne -= clen;
        }
        t->note_start = (uint32_t)ns;
        t->note_end = (uint32_t)ne;
    }
    if (overflow) {
        t->flags |= TOKF_OVERFLOW;
        return TOK_NUMBER;
    }
    t->units = negative ? -units : units;
    t->scale = (uint8_t)scale;
    if (signed_)
        t->flags |= TOKF_SIGNED;
    if (signed_ == 2)
        t->flags |= TOKF_SIGN_WORD;
    return TOK_NUMBER;
}
