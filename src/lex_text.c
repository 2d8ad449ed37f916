/*
 * lex_text.c -- plain text to tokens.
 *
 * The layouts real reports come in, as text:
 *   - one cell per line, tab-indented, blank lines between rows (Word copied
 *     to text): every line is a cell; a line holding only a tab is a blank cell;
 *   - one row per line, cells separated by tabs or runs of spaces (PDF text);
 *   - markdown pipe tables: `| a | b |`, `|---|---|` rules skipped,
 *     `|  |` a blank cell.
 * A line is cut into segments at tabs and pipes; a segment into pieces at
 * white space.  Each piece becomes a token: a number (with its unit and a
 * bracketed note, even when a space separates them), a dash/none marker, or
 * text.  Labels broken over lines or spaces stay in pieces; the table parser
 * matches them by keywords.  One pass, no copies: tokens are spans.
 */
#include "internal.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h> /* SSE2 is part of every x86-64 CPU */
#endif

static int push_tok(gd_ctx *c, const gd_tok *t)
{
    if (c->ntoks == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 256;
        gd_tok *p = c->alloc->realloc(c->alloc->ctx, c->toks, ncap * sizeof *p);
        if (!p) {
            c->oom = 1;
            return -1;
        }
        c->toks = p;
        c->cap = ncap;
    }
    c->toks[c->ntoks++] = *t;
    return 0;
}

/* Length of a horizontal white-space character at s[i], 0 if none. */
static inline size_t hspace_at(const char *s, size_t i, size_t end)
{
    unsigned char b = (unsigned char)s[i];
    if (b == ' ' || b == '\r' || b == '\f' || b == '\v')
        return 1;
    if (b == 0xE3 && i + 2 < end && (unsigned char)s[i + 1] == 0x80 &&
        (unsigned char)s[i + 2] == 0x80)
        return 3; /* U+3000 */
    if (b == 0xC2 && i + 1 < end && (unsigned char)s[i + 1] == 0xA0)
        return 2; /* NBSP */
    return 0;
}

/* Length of a cell separator at s[i]: tab, '|' or full-width '｜'; 0 if none. */
static inline size_t sep_at(const char *s, size_t i, size_t end)
{
    if (s[i] == '\t' || s[i] == '|')
        return 1;
    if ((unsigned char)s[i] == 0xEF && i + 2 < end && (unsigned char)s[i + 1] == 0xBD &&
        (unsigned char)s[i + 2] == 0x9C)
        return 3;
    return 0;
}

/* ---- The one scan: byte kinds as bit masks (see gd_lex_masks in internal.h) ---- */

static void masks_block_plain(const unsigned char *b, uint64_t *out)
{
    uint64_t sep = 0, end = 0, dig = 0;
    for (unsigned j = 0; j < 64; j++) {
        unsigned char x = b[j];
        sep |= (uint64_t)(x == '\t' || x == '|' || x == 0xEF) << j;
        end |= (uint64_t)(x <= ' ' || x == 0xE3 || x == 0xC2) << j;
        dig |= (uint64_t)(x >= '0' && x <= '9') << j;
    }
    out[GD_LEXM_SEP] = sep;
    out[GD_LEXM_END] = end;
    out[GD_LEXM_DIGIT] = dig;
}

#if defined(__SSE2__)
static void masks_block(const unsigned char *b, uint64_t *out)
{
    const __m128i tab = _mm_set1_epi8('\t'), bar = _mm_set1_epi8('|');
    const __m128i ef = _mm_set1_epi8((char)0xEF), space = _mm_set1_epi8(' ');
    const __m128i e3 = _mm_set1_epi8((char)0xE3), c2 = _mm_set1_epi8((char)0xC2);
    const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
    uint64_t sep = 0, end = 0, dig = 0;
    for (unsigned q = 0; q < 4; q++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + 16 * q));
        __m128i hs = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, bar)),
                                  _mm_cmpeq_epi8(v, ef));
        __m128i he = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, space), v), /* bytes <= ' ' */
                                  _mm_or_si128(_mm_cmpeq_epi8(v, e3), _mm_cmpeq_epi8(v, c2)));
        __m128i d = _mm_sub_epi8(v, zero); /* digits become 0..9, all else 10..255 */
        __m128i hd = _mm_cmpeq_epi8(_mm_min_epu8(d, nine), d);
        sep |= (uint64_t)(unsigned)_mm_movemask_epi8(hs) << (16 * q);
        end |= (uint64_t)(unsigned)_mm_movemask_epi8(he) << (16 * q);
        dig |= (uint64_t)(unsigned)_mm_movemask_epi8(hd) << (16 * q);
    }
    out[GD_LEXM_SEP] = sep;
    out[GD_LEXM_END] = end;
    out[GD_LEXM_DIGIT] = dig;
}
#else
#define masks_block masks_block_plain
#endif

/* The blocks of s, the last one (if short) copied out with a byte of no kind
 * ('a') after its end, so that no bit is set past len. */
#define MASKS_OF(block_fn)                                                                   \
    do {                                                                                     \
        const unsigned char *u = (const unsigned char *)s;                                   \
        size_t full = len / 64, k;                                                           \
        for (k = 0; k < full; k++)                                                           \
            block_fn(u + 64 * k, m + GD_LEXM_KINDS * k);                                     \
        if (len % 64) {                                                                      \
            unsigned char last[64];                                                          \
            memset(last, 'a', sizeof last);                                                  \
            memcpy(last, u + 64 * full, len % 64);                                           \
            block_fn(last, m + GD_LEXM_KINDS * full);                                        \
        }                                                                                    \
    } while (0)

void gd_lex_masks_plain(const char *s, size_t len, uint64_t *m) { MASKS_OF(masks_block_plain); }

void gd_lex_masks(const char *s, size_t len, uint64_t *m) { MASKS_OF(masks_block); }

/* The next byte at or after s[k] that may start a separator ('\t', '|', and
 * EF, the first byte of '｜'), or le. */
static inline size_t next_sep_byte(const uint64_t *m, size_t k, size_t le)
{
    return gd_lex_next(m, GD_LEXM_SEP, k, le);
}

static inline size_t skip_hspace(const char *s, size_t i, size_t end)
{
    size_t n;
    while (i < end) {
        unsigned char b = (unsigned char)s[i];
        /* every white space character starts with a byte <= ' ', E3 or C2 */
        if ((b > ' ' && b != 0xE3 && b != 0xC2) || !(n = hspace_at(s, i, end)))
            break;
        i += n;
    }
    return i;
}

/* A markdown table rule (|---|:--|) or a horizontal rule: nothing to keep. */
static int is_rule_line(const char *s, size_t i, size_t end)
{
    int dashes = 0;
    for (; i < end; i++) {
        switch (s[i]) {
        case '-':
        case '=':
            dashes++;
            break;
        case '|':
        case ':':
        case '+':
        case ' ':
        case '\t':
        case '\r':
        case '\0': /* (as strchr once read it: its terminator matched a NUL) */
            break;
        default:
            return 0;
        }
    }
    return dashes >= 3;
}

/* A page number printed as "- 4 -" between PDF pages. */
/* Length of a dash at s[i]: "-", "—" or "－"; 0 if none. */
static size_t dash_len(const char *s, size_t i, size_t end)
{
    if (i < end && s[i] == '-')
        return 1;
    if (end - i >= 3 && (memcmp(s + i, "\xE2\x80\x94", 3) == 0 || memcmp(s + i, "\xEF\xBC\x8D", 3) == 0))
        return 3;
    return 0;
}

static int is_page_marker(const char *s, size_t i, size_t end)
{
    size_t n;
    i = skip_hspace(s, i, end);
    if (!(n = dash_len(s, i, end)))
        return 0;
    i = skip_hspace(s, i + n, end);
    size_t digits = 0;
    while (i < end && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (!digits || digits > 4)
        return 0;
    i = skip_hspace(s, i, end);
    return (n = dash_len(s, i, end)) && skip_hspace(s, i + n, end) == end;
}

/* The end of a bracket group that white space separates from the number
 * ending at s[after], or 0. */
static size_t bracket_after(const char *s, size_t after, size_t end)
{
    size_t k = skip_hspace(s, after, end);
    if (k == after || k >= end)
        return 0;
    return gd_bracket_end(s, k, end);
}

/* The end of a number cell starting at p whose unit or bracketed note is
 * separated from the digits by spaces ("211184 （含…）"), or 0. */
static size_t spaced_number_end(const char *s, size_t p, size_t end)
{
    int64_t units;
    int scale, overflow;
    size_t i = p;
    if (s[i] == '+' || s[i] == '-')
        i++;
    size_t after = gd_scan_number(s, i, end, &units, &scale, &overflow);
    if (after == i)
        return 0;
    return bracket_after(s, after, end);
}

static int all_digits(const char *s, size_t i, size_t e)
{
    for (; i < e; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int is_digit(char ch) { return ch >= '0' && ch <= '9'; }

/* gd_classify_cell, answered at once for the commonest cell: bare ASCII
 * digits, no more than GD_MAX_DIGITS of them (so no overflow, whatever its
 * leading zeros): the number itself, no note, no sign -- what
 * gd_classify_cell makes of it. */
static gd_tok_type classify(const char *s, size_t i, size_t e, gd_tok *t, int *plain)
{
    if (e - i - 1 < GD_MAX_DIGITS) { /* 1 to GD_MAX_DIGITS bytes */
        int64_t v = 0;
        size_t k = i;
        for (; k < e; k++) {
            unsigned d = (unsigned)((unsigned char)s[k] - '0');
            if (d > 9)
                break;
            v = v * 10 + (int64_t)d;
        }
        if (k == e) {
            t->units = v;
            t->scale = 0;
            t->note_start = t->note_end = (uint32_t)i;
            t->flags &= (uint8_t)~(TOKF_OVERFLOW | TOKF_SIGNED | TOKF_SIGN_WORD);
            t->flags |= TOKF_PLAIN; /* (what push_piece would find) */
            *plain = 1;
            return TOK_NUMBER;
        }
    }
    *plain = 0;
    return gd_classify_cell(s, i, e, t);
}

static int push_piece(gd_ctx *c, gd_tok *t, size_t i, size_t e, uint8_t flags, int *first)
{
    t->start = (uint32_t)i;
    t->end = (uint32_t)e;
    t->flags |= flags;
    if (t->type == TOK_NUMBER && !(t->flags & TOKF_PLAIN) && t->note_end == t->note_start &&
        all_digits(c->text, i, e))
        t->flags |= TOKF_PLAIN;
    if (*first) {
        t->flags |= TOKF_LINE_START;
        *first = 0;
    }
    return push_tok(c, t);
}

/* Length of an item-numbering mark after digits: '.', '、' or '．'. */
static size_t numbering_mark(const char *s, size_t i, size_t end)
{
    if (i < end && s[i] == '.')
        return 1;
    if (end - i >= 3 && (memcmp(s + i, "\xE3\x80\x81", 3) == 0 || memcmp(s + i, "\xEF\xBC\x8E", 3) == 0))
        return 3;
    return 0;
}

/* Text with digits run into it ("规章000行政规范性文件693665第二十条…"),
 * as scrapers squeeze table cells together: cut the digit runs out as
 * numbers (TOKF_GLUED), keep item numbering ("2.其他…") with its label.
 * Returns 1 when it cut something, 0 when the piece is plain text. */
/* Does a measure word for counted things (件, 条, 份 …) start at s[i]? */
static int count_word_at(const char *s, size_t i, size_t e)
{
    static const char words[][7] = {"件", "条", "份", "个", "项", "次", "人次", "家"};
    /* every word is Chinese: its first byte is E4-E9 */
    if (e - i < 3 || (unsigned char)s[i] < 0xE4 || (unsigned char)s[i] > 0xE9)
        return 0;
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
        /* one character, or two (人次): compares of a constant size, made inline */
        if (words[k][3] ? e - i >= 6 && memcmp(s + i, words[k], 6) == 0
                        : memcmp(s + i, words[k], 3) == 0)
            return 1;
    }
    return 0;
}

/* The first ASCII digit in s[i, e), or e. */
static inline size_t next_digit(const uint64_t *m, size_t i, size_t e)
{
    return gd_lex_next(m, GD_LEXM_DIGIT, i, e);
}

/* The next digit run in s[*k, e) that holds cell digits, as [*rs, *re);
 * 0 when there is none.  Item numbering ("2.其他") is not one. */
static int next_glued_run(const uint64_t *m, const char *s, size_t i, size_t e, uint8_t flags,
                          size_t *k, size_t *rs, size_t *re)
{
    while (*k < e) {
        if (!is_digit(s[*k])) {
            /* digits are ASCII: no byte of a CJK character is one (the text is valid UTF-8) */
            *k = next_digit(m, *k, e);
            continue;
        }
        size_t start = *k, end;
        /* a sign run in with the digits: "35-15" is 35 and -15 */
        if (start > i && (s[start - 1] == '-' || s[start - 1] == '+') &&
            (start - 1 == i || is_digit(s[start - 2]) || (unsigned char)s[start - 2] >= 0x80))
            start--;
        while (*k < e && is_digit(s[*k]))
            (*k)++;
        if (*k + 1 < e && s[*k] == '.' && is_digit(s[*k + 1])) { /* a decimal */
            (*k)++;
            while (*k < e && is_digit(s[*k]))
                (*k)++;
        }
        end = *k;
        size_t mark = numbering_mark(s, end, e);
        if (mark && !(end + mark < e && is_digit(s[end + mark])))
            end--; /* the last digit numbers the next item: "00000002.其他" */
        if (end <= start)
            continue;
        if ((flags & TOKF_CELL) && end - start == 1 && end == e && start > i)
            continue; /* a header's index: "数据1" */
        if (count_word_at(s, end, e))
            continue; /* "予以公开2件": a count in a sentence, not a cell */
        if (end == *k && end < e && (s[end] == '\xE5' || s[end] == '\xE4')) {
            /* a money unit stays with its number: "75394432.52元" */
            size_t u = gd_unit_len(s, end, e); /* fits before e when not 0 */
            if ((u == 3 && memcmp(s + end, "元", 3) == 0) ||
                (u == 6 && memcmp(s + end, "万元", 6) == 0))
                end += u, *k = end;
        }
        *rs = start;
        *re = end;
        return 1;
    }
    return 0;
}

/* Text with digits run into it ("规章000行政规范性文件693665第二十条…"),
 * as scrapers squeeze table cells together: cut the digit runs out as
 * numbers (TOKF_GLUED), keep item numbering ("2.其他…") with its label.
 * Returns 1 when it cut something, 0 when the piece is plain text. */
static int lex_glued(gd_ctx *c, size_t i, size_t e, uint8_t flags, int *first)
{
    const char *s = c->text;
    size_t k = i, rs, re;
    if (!next_glued_run(c->lexbits, s, i, e, flags, &k, &rs, &re) || (rs == i && re == e))
        return 0;
    size_t at = i;
    gd_tok t;
    do {
        if (rs > at) {
            memset(&t, 0, sizeof t);
            t.type = TOK_TEXT;
            if (push_piece(c, &t, at, rs, flags, first))
                return -1;
        }
        memset(&t, 0, sizeof t);
        int plain;
        t.type = (uint8_t)classify(s, rs, re, &t, &plain);
        t.flags |= TOKF_GLUED;
        if (push_piece(c, &t, rs, re, flags, first))
            return -1;
        at = re;
    } while (next_glued_run(c->lexbits, s, i, e, flags, &k, &rs, &re));
    if (at < e) {
        memset(&t, 0, sizeof t);
        t.type = TOK_TEXT;
        if (push_piece(c, &t, at, e, flags, first))
            return -1;
    }
    return 1;
}

/* Does a numbered heading ("二、主动公开…") start right after the sentence
 * that ends at s[i] ("。")?  Scrapers run paragraphs together; the heading
 * must still start a piece of its own. */
static int heading_follows(const char *s, size_t i, size_t end)
{
    static const char *const numerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", NULL};
    if (i < 3 || s[i - 1] != '\x82' || s[i - 2] != '\x80' || s[i - 3] != '\xE3') /* 。 just before */
        return 0;
    /* the numbering mark after the numeral first: most sentences have none */
    if (end - i < 6 || !(memcmp(s + i + 3, "\xE3\x80\x81", 3) == 0 || s[i + 3] == '.'))
        return 0;
    for (const char *const *n = numerals; *n; n++)
        if (memcmp(s + i, *n, 3) == 0)
            return 1;
    return 0;
}

/* The end of the piece that starts at s[i]: the next white space, or the
 * end of a sentence that a numbered heading follows.  The bytes where it may
 * end (white space: ASCII, or U+3000 and NBSP, which start with E3 and C2; and
 * the sentence end 。, E3 80 82) are the GD_LEXM_END bits of the masks. */
static size_t piece_end(const uint64_t *m, const char *s, size_t i, size_t end)
{
    size_t e = i + 1; /* a piece holds at least one byte */
    for (;;) {
        e = gd_lex_next(m, GD_LEXM_END, e, end);
        if (e >= end)
            return end;
        unsigned char b = (unsigned char)s[e];
        if (b == ' ' || b == '\r' || b == '\f' || b == '\v')
            return e;
        if ((b == 0xE3 || b == 0xC2) && hspace_at(s, e, end))
            return e;
        if (b == 0xE3 && end - e > 3 && heading_follows(s, e + 3, end))
            return e + 3;
        e++;
    }
}

/* First bytes of a piece that gd_classify_cell may read as other than text:
 * 1 at any length (a digit, a sign, EF of a full-width digit or sign, '&' of
 * "&nbsp;"), 2 only when short (the first bytes of na_markers in number.c:
 * "-/\\NnXx." and NUL, which strchr once matched with its terminator). */
static const unsigned char cell_start[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['+'] = 1, ['-'] = 1, ['&'] = 1, [0xEF] = 1,
    ['/'] = 2, ['\\'] = 2, ['N'] = 2, ['n'] = 2, ['X'] = 2, ['x'] = 2, ['.'] = 2, [0] = 2,
    [0xE2] = 2, [0xC3] = 2, [0xE4] = 2, [0xE6] = 2, [0xE7] = 2,
    [0xE5] = 2, /* 减 or 增 before a number (number.c's sign_word) */
};

/* May the piece s of n bytes (not white space) be read by gd_classify_cell
 * as other than text?  0 means it is text for certain.  A marker is at most
 * 9 bytes; those that start with E4, E6 or E7 (不适用, 无, 空) are 9 or 3.  A
 * signed 本年增/减 value may start with 减, 增 (E5) or an arrow (E2). */
static int may_be_cell(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s, b0 = u[0];
    unsigned char k = cell_start[b0];
    if (k != 2)
        return k;
    if (b0 == 0xE5) /* 减 E5 87 8F, 增 E5 A2 9E, then a digit or 少/加 */
        return n > 3 && ((u[1] == 0x87 && u[2] == 0x8F) || (u[1] == 0xA2 && u[2] == 0x9E)) &&
               (is_digit(s[3]) || u[3] == 0xEF || u[3] == 0xE5);
    if (b0 == 0xE2 && n > 3 && u[1] == 0x86 && (u[2] == 0x91 || u[2] == 0x93))
        return 1; /* ↑ ↓ before a number */
    if (n > 9)
        return 0;
    if (b0 == 0xE4 || b0 == 0xE6 || b0 == 0xE7)
        return n == 3 || n == 9;
    return 1;
}

static int lex_segment(gd_ctx *c, size_t i, size_t end, uint8_t flags, int *first)
{
    gd_tok t;
    size_t ntoks_before = c->ntoks;
    while ((i = skip_hspace(c->text, i, end)) < end) {
        size_t e = piece_end(c->lexbits, c->text, i, end);
        if (!may_be_cell(c->text + i, e - i)) {
            /* words: what gd_classify_cell and spaced_number_end would say
             * without asking them; digits run into them are cut out as before */
            if (gd_lex_next(c->lexbits, GD_LEXM_DIGIT, i, e) < e) {
                int rc = lex_glued(c, i, e, flags, first);
                if (rc < 0)
                    return -1;
                if (rc > 0) {
                    i = e;
                    continue;
                }
            }
            memset(&t, 0, sizeof t);
            t.type = TOK_TEXT;
            if (push_piece(c, &t, i, e, flags, first))
                return -1;
            i = e;
            continue;
        }
        memset(&t, 0, sizeof t);
        int plain;
        t.type = (uint8_t)classify(c->text, i, e, &t, &plain);
        if (t.type == TOK_NUMBER && e < end) {
            /* "211184 （含…）": the note after a space belongs to the number
             * (bare digits end where the piece does: no need to read them again) */
            size_t wide = plain ? bracket_after(c->text, e, end) : spaced_number_end(c->text, i, end);
            gd_tok w;
            memset(&w, 0, sizeof w);
            if (wide > e && gd_classify_cell(c->text, i, wide, &w) == TOK_NUMBER) {
                t = w;
                t.type = TOK_NUMBER;
                e = wide;
            }
        }
        if (t.type == TOK_TEXT) {
            size_t wide = spaced_number_end(c->text, i, end);
            if (wide && gd_classify_cell(c->text, i, wide, &t) == TOK_NUMBER) {
                t.type = TOK_NUMBER;
                e = wide;
            } else {
                int rc = lex_glued(c, i, e, flags, first);
                if (rc < 0)
                    return -1;
                if (rc > 0) {
                    i = e;
                    continue;
                }
                memset(&t, 0, sizeof t);
                t.type = TOK_TEXT;
            }
        }
        if (push_piece(c, &t, i, e, flags, first))
            return -1;
        i = e;
    }
    if (c->ntoks > ntoks_before)
        c->toks[ntoks_before].flags |= TOKF_SEG_START;
    return 0;
}

static int push_empty(gd_ctx *c, size_t at, int *first)
{
    gd_tok t;
    memset(&t, 0, sizeof t);
    t.type = TOK_EMPTY;
    t.start = t.end = t.note_start = t.note_end = (uint32_t)at;
    t.flags = TOKF_CELL | TOKF_SEG_START;
    if (*first) {
        t.flags |= TOKF_LINE_START;
        *first = 0;
    }
    return push_tok(c, &t);
}

static int blank(const char *s, size_t i, size_t end)
{
    return skip_hspace(s, i, end) == end;
}

static int lex_line(gd_ctx *c, size_t ls, size_t le)
{
    const char *s = c->text;
    size_t i = skip_hspace(s, ls, le);
    /* markdown headings and quotes: "### 一、…", "> …" */
    size_t h = i;
    while (h < le && (s[h] == '#' || s[h] == '>'))
        h++;
    if (h > i && (h == le || hspace_at(s, h, le)))
        i = h;
    if (i >= le || is_rule_line(s, i, le) || is_page_marker(s, i, le))
        return 0;

    /* Find the separators; segments lie between them. */
    size_t nsep = 0, first_sep = le, last_sep_end = ls;
    const uint64_t *m = c->lexbits;
    for (size_t k = next_sep_byte(m, i, le); k < le; k = next_sep_byte(m, k, le)) {
        size_t n = sep_at(s, k, le);
        if (n) {
            if (!nsep)
                first_sep = k;
            nsep++;
            last_sep_end = k + n;
            k += n;
        } else {
            k++;
        }
    }
    int first = 1;
    if (!nsep)
        return lex_segment(c, i, le, 0, &first);

    /* A separator at either end is a frame ("| a |", "\ta"), not a cell;
     * but a line that is only separators ("|", "\t") is one blank cell. */
    int lead = blank(s, i, first_sep);
    int trail = blank(s, last_sep_end, le);
    size_t nseg = nsep + 1, j = 0, seg_start = i;
    for (size_t k = i; k <= le;) {
        /* the text is valid UTF-8: a separator byte is never inside a character */
        k = next_sep_byte(m, k, le);
        size_t n = k >= le ? 1 : sep_at(s, k, le);
        if (!n) {
            k++;
            continue;
        }
        int drop = (j == 0 && lead) || (j == nseg - 1 && trail && nseg - (size_t)lead > 1);
        if (!drop) {
            int rc = blank(s, seg_start, k) ? push_empty(c, seg_start, &first)
                                            : lex_segment(c, seg_start, k, TOKF_CELL, &first);
            if (rc)
                return -1;
        }
        j++;
        k += n;
        seg_start = k;
    }
    return 0;
}

int gd_lex_text(gd_ctx *c)
{
    size_t i = 0, nblocks = gd_lex_blocks(c->len);
    int rc = 0;
    uint64_t *m = NULL;
    if (nblocks) {
        m = gd_malloc(c, nblocks * GD_LEXM_KINDS * sizeof *m);
        if (!m)
            return -1;
        gd_lex_masks(c->text, c->len, m);
    }
    c->lexbits = m;
    while (i < c->len && !c->oom) {
        const char *nl = memchr(c->text + i, '\n', c->len - i);
        size_t le = nl ? (size_t)(nl - c->text) : c->len;
        if (lex_line(c, i, le)) {
            rc = -1;
            break;
        }
        i = le + 1;
    }
    c->lexbits = NULL;
    gd_free(c, m);
    return rc || c->oom ? -1 : 0;
}
