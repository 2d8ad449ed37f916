/*
 * internal.h -- what the core's files share and callers never see.
 *
 * The pipeline, one file a stage:
 *   lex_text.c   UTF-8 text  -> tokens (text, number, na, empty) with spans
 *   number.c     one token's bytes -> an exact number, its unit and note
 *   tables.c     tokens -> the cells of tables 二, 三, 四 (using template.c)
 *   meta.c       tokens and text -> agency, year, published date
 *   check.c      cells -> identity findings (using template.c)
 *   report.c     gd_parse(): runs the stages, owns memory and findings
 */
#ifndef GD_INTERNAL_H
#define GD_INTERNAL_H

#include "govdisclose.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

/* Row indices of table 三 that code (not only data) needs to name. */
enum {
    RQ_NEW = 0,
    RQ_CARRIED_OVER = 1,
    RQ_GRANTED = 2,
    RQ_OTHER_NO_CORRECTION = 20,
    RQ_OTHER_UNPAID_FEE = 21,
    RQ_OTHER_OTHER = 22,
    RQ_OTHER_ALL = 23,
    RQ_TOTAL = 24,
    RQ_CARRIED_FORWARD = 25,
    RQ_NROWS = 26
};

typedef struct {
    int group;           /* 3..6 */
    const char *marker;  /* "(三)" */
    const char *keyword; /* "不予公开" */
} gd_group_caption;

extern const gd_group_caption gd_request_groups[];
/* Its entries before the one whose marker is NULL: （三）…（六）
 * (tables.c keeps each keyword's bloom; a C test checks the count). */
#define GD_MAX_GROUPS 4

/* ---- Tokens ---- */

typedef enum { TOK_TEXT = 0, TOK_NUMBER = 1, TOK_NA = 2, TOK_EMPTY = 3 } gd_tok_type;

#define TOKF_LINE_START 1u /* first token of its line */
#define TOKF_OVERFLOW 2u   /* number with more than GD_MAX_DIGITS digits */
#define TOKF_SIGNED 4u     /* written with an explicit + or - */
#define TOKF_CELL 8u       /* delimited as a cell (tab, pipe): not free text */
#define TOKF_GLUED 16u     /* digits cut out of text they were run into */
#define TOKF_PLAIN 32u     /* a number of bare ASCII digits: may be glued cells */
#define TOKF_SEG_START 64u /* first token of a tab- or pipe-delimited segment */

typedef struct {
    uint32_t start, end;           /* the token as written */
    uint32_t note_start, note_end; /* numbers: note or unit, brackets stripped */
    int64_t units;                 /* numbers: value * 10^scale */
    uint8_t type;                  /* gd_tok_type */
    uint8_t scale;
    uint8_t flags;                 /* TOKF_* */
    uint8_t used;                  /* consumed by a table cell */
    uint8_t normed;                /* norm_off/norm_len hold its normal form */
    uint8_t worded;                /* words holds the table words its normal form has */
    uint16_t norm_len;
    uint32_t norm_off;             /* in gd_ctx.norm: its first bytes normalised */
    uint32_t words;                /* tables.c: bit w set when it contains word w */
    uint64_t bloom;                /* with normed: gd_bloom of its normal form */
} gd_tok;

/* ---- The parse context threaded through every stage ---- */

typedef struct {
    const char *text;  /* what the stages read: the input, or text extracted from markup */
    size_t len;
    const char *src;   /* the input */
    size_t src_len;
    uint32_t *map;     /* markup only: map[i] = input offset of text byte i (len + 1 entries) */
    gd_format format;
    unsigned flags; /* GD_STRICT ... */
    const gd_allocator *alloc;
    gd_report *rep;
    gd_tok *toks;
    size_t ntoks, cap;
    int oom; /* set once an allocation failed; every stage then stops */
    char *norm;  /* normal forms of text tokens, made once each (gd_tok_norm) */
    size_t norm_used, norm_cap;
    unsigned char uncertain[GD_NTABLES][GD_MAX_ROWS]; /* rows whose digits split two ways */
    long split_budget; /* steps left for splitting run-together digits (glued.c) */
    gd_span empty_region[GD_NTABLES]; /* token range under a heading that gave no cell */
    const uint64_t *lexbits; /* lex_text.c, while it runs: gd_lex_masks of text */
} gd_ctx;

struct gd_private {
    gd_allocator alloc;
    size_t cap_findings, cap_unplaced;
    char *agency; /* owned copy behind gd_report.agency */
    char *text;   /* owned text extracted from markup, or NULL */
    char *region; /* owned copy behind gd_report.region */
    size_t cap_extras;
};

/* report.c */
void *gd_malloc(gd_ctx *c, size_t n);
void gd_free(gd_ctx *c, void *p);
int gd_add_finding(gd_ctx *c, const char *code, gd_severity sev, int table, int row, int col,
                   const int64_t *expected, const int64_t *actual, gd_span span, const char *fmt,
                   ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 10, 11)))
#endif
    ;
int gd_add_unplaced(gd_ctx *c, int table, gd_span span);
/* vsnprintf for the conversions findings use: %s, %.*s, %d, %zu, %ld, %lld
 * (so PRId64) and %%, no flags or widths.  The same bytes and result as
 * vsnprintf; -1, having read some of ap, for any other format or a NULL
 * string (the caller then starts over with vsnprintf). */
int gd_vformat(char *buf, size_t size, const char *fmt, va_list ap);
/* A new extra row of table t labelled `label`, or NULL on out of memory. */
gd_extra *gd_add_extra(gd_ctx *c, int table, gd_span label);

/* markup.c: turn HTML or DOCX XML (c->src) into text with tables as
 * "|cell|cell|" lines, setting c->text, c->len and c->map (allocated with
 * the context's allocator).  Returns 0, or -1 with c->oom set. */
int gd_markup_to_text(gd_ctx *c);

/* lex_text.c */
int gd_lex_text(gd_ctx *c);

/* The lexer's one scan of the text: for each block of 64 bytes, GD_LEXM_KINDS
 * words, bit j of word k set when byte j of the block is of kind k:
 *   GD_LEXM_SEP    may start a cell separator: '\t', '|', or EF (first byte of '｜')
 *   GD_LEXM_END    may end a piece: a byte <= ' ', E3 (U+3000, 。) or C2 (NBSP)
 *   GD_LEXM_DIGIT  an ASCII digit
 * m holds GD_LEXM_KINDS * gd_lex_blocks(len) words; bits past len are clear.
 * gd_lex_masks uses SSE2 where the compiler has it; gd_lex_masks_plain is the
 * byte-by-byte form (the one used without SSE2), kept for tests to compare. */
enum { GD_LEXM_SEP = 0, GD_LEXM_END = 1, GD_LEXM_DIGIT = 2, GD_LEXM_KINDS = 3 };
static inline size_t gd_lex_blocks(size_t len) { return len / 64 + (len % 64 != 0); }
void gd_lex_masks(const char *s, size_t len, uint64_t *m);
void gd_lex_masks_plain(const char *s, size_t len, uint64_t *m);

static inline unsigned gd_ctz64(uint64_t x) /* x != 0 */
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctzll(x);
#else
    unsigned n = 0;
    while (!(x & 1)) {
        x >>= 1;
        n++;
    }
    return n;
#endif
}

/* The first byte of kind `kind` in [k, lim), or lim when there is none
 * (also when k >= lim).  lim is at most the len the masks were made for. */
static inline size_t gd_lex_next(const uint64_t *m, int kind, size_t k, size_t lim)
{
    if (k >= lim)
        return lim;
    size_t w = k >> 6, last = (lim - 1) >> 6;
    uint64_t x = m[w * GD_LEXM_KINDS + (size_t)kind] & (~(uint64_t)0 << (k & 63));
    while (!x) {
        if (++w > last)
            return lim;
        x = m[w * GD_LEXM_KINDS + (size_t)kind];
    }
    size_t r = (w << 6) + gd_ctz64(x);
    return r < lim ? r : lim;
}

/* number.c: parse text[start, end) as a whole cell.  Returns the token type
 * (TOK_NUMBER, TOK_NA or TOK_TEXT) and fills the number fields of *t. */
gd_tok_type gd_classify_cell(const char *s, size_t start, size_t end, gd_tok *t);
/* Parse a number at s[i..end): digits (ASCII or full width), separators,
 * decimal point.  Returns the index after it, or i when there is none. */
size_t gd_scan_number(const char *s, size_t i, size_t end, int64_t *units, int *scale,
                      int *overflow);

/* Length of a unit written after a number (元, 万元, 件, 条 …) at s[i], or 0. */
size_t gd_unit_len(const char *s, size_t i, size_t end);

/* The index after the bracket group opening at s[i] ((), [], （）, 【】),
 * or 0 when s[i] opens none or it does not close before end. */
size_t gd_bracket_end(const char *s, size_t i, size_t end);

/* glued.c: split digit groups run together into nparts cells.  Returns the
 * number of splits found, at most max + 1 (more than max); the first max are
 * in out and values, nparts entries each. */
#define GD_SPLIT_MAX_PARTS 15
typedef enum {
    GD_SPLIT_FREE,        /* no identity: only a split forced by the digits counts */
    GD_SPLIT_LAST_IS_SUM, /* the last part is the sum of the others (总计) */
    GD_SPLIT_FIVES        /* every five: the fifth is the sum of the four (table 四) */
} gd_split_rule;
int gd_split_digits(const char *s, const gd_span *groups, size_t ngroups, int nparts,
                    gd_split_rule rule, int max, gd_span *out, int64_t *values, long *budget);
/* Search steps all splits of one parse may take together. */
#define GD_SPLIT_PARSE_BUDGET 2000000L

/* tables.c */
int gd_parse_tables(gd_ctx *c);

/* meta.c */
int gd_parse_meta(gd_ctx *c);

/* check.c */
int gd_check(gd_ctx *c);

/* prose.c: section 一's restated counts against the cells (text.mismatch) */
int gd_check_prose(gd_ctx *c);

/* Helpers shared by the stages (report.c). */
int gd_contains(const char *hay, size_t hlen, const char *needle);
/* Normalise token t into buf (cap bytes), returning the length.  The normal
 * form of its first GD_NORM_CACHE bytes is kept, so each token is normalised once. */
#define GD_NORM_CACHE 480
size_t gd_tok_norm(gd_ctx *c, const gd_tok *t, char *buf, size_t cap);
/* The same normal form, read in place (*len bytes): valid until the next
 * token is normalised, which may move the cache. */
const char *gd_tok_normed(gd_ctx *c, const gd_tok *t, size_t *len);
/* A 64-bit bloom filter of the characters of s[0, n): a text that contains
 * another has every bit of the other's bloom, so most searches can be ruled
 * out with one AND.  gd_char_bit: the bit of the character at s, *len its bytes. */
uint64_t gd_bloom(const char *s, size_t n);
/* gd_normalize, also setting *bloom to gd_bloom of what it wrote (one pass). */
size_t gd_normalize_bloom(const char *s, size_t len, char *out, size_t cap, uint64_t *bloom);
uint64_t gd_char_bit(const char *s, size_t n, size_t *len);
/* gd_contains with the needle's length known. */
int gd_contains_n(const char *hay, size_t hlen, const char *needle, size_t nlen);
/* gd_utf8_invalid_at: in govdisclose.h (the binding checks bytes with it too). */
/* Decode one UTF-8 code point at s[i]; *n gets its length (>= 1). */
uint32_t gd_utf8_decode(const char *s, size_t len, size_t i, size_t *n);

/* Eight bytes at a time: scans skip words that hold no byte they stop at.
 * Each test is exact as a yes/no for the word; the caller then finds the
 * byte one by one.  The text is valid UTF-8, so an ASCII byte or a lead
 * byte found this way is never inside another character. */
#define GD_ONES 0x0101010101010101ULL
#define GD_HIGHS (GD_ONES * 0x80)

static inline uint64_t gd_load8(const char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    return w;
}

/* Nonzero when w holds the byte ch. */
static inline uint64_t gd_has_byte(uint64_t w, unsigned char ch)
{
    uint64_t x = w ^ (GD_ONES * ch);
    return (x - GD_ONES) & ~x & GD_HIGHS;
}

/* Nonzero when w holds a byte below n (n <= 128). */
static inline uint64_t gd_has_below(uint64_t w, unsigned char n)
{
    return (w - GD_ONES * n) & ~w & GD_HIGHS;
}

/* Nonzero when w holds an ASCII digit. */
static inline uint64_t gd_has_digit(uint64_t w)
{
    return gd_has_below(w ^ (GD_ONES * '0'), 10);
}

#endif /* GD_INTERNAL_H */
