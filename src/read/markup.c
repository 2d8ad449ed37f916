/*
 * markup.c -- HTML pages and DOCX word/document.xml to the text lex_text.c reads.
 *
 * One forward pass over the input, no tree, no recursion, no global state:
 * a tokenizer (text, character references, tags with their attributes,
 * comments and declarations) drives a few flags that say where we are
 * (in a table row, in a cell) and writes the text with a map back to the
 * input byte each text byte came from.
 *
 * The text it writes:
 *   - a table row is one line, "|cell|cell|cell|\n": a '|' before every cell
 *     and one after the last.  A blank cell is "| |".  Paragraph and line
 *     breaks inside a cell are one space; the cell stays on its line.
 *   - merged cells count once.  HTML writes a rowspan/colspan cell only in
 *     the row where it starts, and so do we.  In DOCX a w:tc whose
 *     w:vMerge (or w:hMerge) is "continue" writes nothing at all, not even
 *     its separator; a w:gridSpan cell is one cell.
 *   - outside tables, block elements (p, div, li, h1-h6, br, table, tr, ...)
 *     and w:p / w:br end the line, so headings stay alone on their line.
 *   - white space runs become one space; none is added where the markup had
 *     none ("<font>第二十条</font><font>第（六）项</font>" stays one word).
 *     &nbsp; and the other wide spaces are white space; '|', '｜' and tabs in
 *     text become spaces, since the lexer would read them as cell borders.
 *   - a cell that holds a table, or more text than a label ever has
 *     (CELL_PROSE_BYTES), is a layout cell of the page, not a table cell:
 *     its paragraphs become lines and its row line ends there.  Inner tables
 *     are flattened: their rows are lines of their own.
 *
 * HTML: character references (the named ones these pages use, decimal and
 * hex; bad code points give U+FFFD, unknown names stay as written); script,
 * style, noscript, iframe skipped; <title> kept as a line; comments,
 * <!DOCTYPE>, <?xml?>, <![CDATA[ ]]> and Word's <![if ...]> skipped; unknown
 * tags (<o:p>, <font>, <span>) add nothing.  Unclosed and misnested tags
 * follow HTML's own implied ends: a <td> ends the cell before it, a <tr> or
 * </table> ends the open row, a <td> outside any row opens one.
 *
 * DOCX: only the text of w:t counts (so w:instrText and w:delText do not);
 * w:tab is a space (but not the tab stops of w:tabs), w:br and w:cr break
 * the line; mc:Fallback (a second copy of text boxes) is skipped.
 *
 * Map: map[i] is the input offset of the byte that made text byte i: the
 * byte itself for copied text, the '&' of a character reference, the '<' of
 * the tag that made a separator or line break.  It never decreases, and
 * map[len] == src_len.
 */
#include "internal.h"

#include <limits.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h> /* SSE2 is part of every x86-64 CPU */
#endif

/* A cell with more text than this is prose (a page layout cell), not a
 * table cell: the longest label of either template is about 120 bytes and
 * the lexer takes any token longer than GD_MAX_LABEL_BYTES as prose. */
#define CELL_PROSE_BYTES GD_MAX_LABEL_BYTES
/* Longest tag name we tell apart; longer ones are unknown tags. */
#define NAME_MAX_BYTES 15
/* Longest entity name looked up ("thinsp;" is 7). */
#define ENTITY_NAME_MAX 8

/* A paragraph break inside a cell, while we cannot yet tell whether the
 * cell is a table cell (it becomes ' ') or a layout cell (it becomes '\n').
 * Control bytes never reach the text otherwise (they become spaces). */
#define MARK '\x01'

typedef enum {
    K_NONE = 0,
    K_CELL,     /* td th w:tc */
    K_ROW,      /* tr w:tr */
    K_TABLE,    /* table w:tbl */
    K_ROWEND,   /* thead tbody tfoot caption: end the open row */
    K_BLOCK,    /* p div li h1-h6 ... w:p: a line of its own */
    K_BR,       /* br w:br w:cr */
    K_RAWKEEP,  /* title textarea xmp: raw text, kept as a line */
    K_RAWSKIP,  /* script style noscript iframe ...: raw text, skipped */
    K_WT,       /* w:t */
    K_WTAB,     /* w:tab */
    K_WTABS,    /* w:tabs: its w:tab children are tab stops, not tabs */
    K_VMERGE,   /* w:vMerge w:hMerge */
    K_SKIPALL,  /* mc:Fallback w:moveFrom: a copy, or text moved away */
    K_HYPHEN    /* w:noBreakHyphen */
} tag_kind;

/* Tag names we act on, in lower case, filed under the letter that tells
 * them apart first (for DOCX, the letter after "w:"), shortest first: a name
 * is looked up among the few of its letter and its length, and the look
 * stops at the first longer one (END is longer than any).  test_markup.py
 * checks the order. */
typedef struct {
    unsigned char len;
    unsigned char kind;
    char name[NAME_MAX_BYTES + 1];
} tag_def;

#define T(name, kind) {sizeof name - 1, kind, name}
#define END {UCHAR_MAX, K_NONE, ""}

static const tag_def html_a[] = {T("aside", K_BLOCK), T("article", K_BLOCK), T("address", K_BLOCK), END};
static const tag_def html_b[] = {T("br", K_BR), T("body", K_BLOCK), T("blockquote", K_BLOCK), END};
static const tag_def html_c[] = {T("center", K_BLOCK), T("caption", K_ROWEND), END};
static const tag_def html_d[] = {T("dl", K_BLOCK), T("dt", K_BLOCK), T("dd", K_BLOCK), T("div", K_BLOCK),
                                 T("details", K_BLOCK), END};
static const tag_def html_f[] = {T("form", K_BLOCK), T("footer", K_BLOCK), T("figure", K_BLOCK),
                                 T("fieldset", K_BLOCK), T("figcaption", K_BLOCK), END};
static const tag_def html_h[] = {T("h1", K_BLOCK), T("h2", K_BLOCK), T("h3", K_BLOCK), T("h4", K_BLOCK),
                                 T("h5", K_BLOCK), T("h6", K_BLOCK), T("hr", K_BLOCK),
                                 T("header", K_BLOCK), END};
static const tag_def html_i[] = {T("iframe", K_RAWSKIP), END};
static const tag_def html_l[] = {T("li", K_BLOCK), T("legend", K_BLOCK), END};
static const tag_def html_m[] = {T("main", K_BLOCK), END};
static const tag_def html_n[] = {T("nav", K_BLOCK), T("noembed", K_RAWSKIP), T("noscript", K_RAWSKIP),
                                 T("noframes", K_RAWSKIP), END};
static const tag_def html_o[] = {T("ol", K_BLOCK), T("option", K_BLOCK), END};
static const tag_def html_p[] = {T("p", K_BLOCK), T("pre", K_BLOCK), END};
static const tag_def html_s[] = {T("style", K_RAWSKIP), T("script", K_RAWSKIP), T("section", K_BLOCK),
                                 T("summary", K_BLOCK), END};
static const tag_def html_t[] = {T("td", K_CELL), T("th", K_CELL), T("tr", K_ROW), T("table", K_TABLE),
                                 T("thead", K_ROWEND), T("tbody", K_ROWEND), T("tfoot", K_ROWEND),
                                 T("title", K_RAWKEEP), T("textarea", K_RAWKEEP), END};
static const tag_def html_u[] = {T("ul", K_BLOCK), END};
static const tag_def html_x[] = {T("xmp", K_RAWKEEP), END};

static const tag_def *const html_tags[26] = {
    html_a, html_b, html_c, html_d, NULL, html_f, NULL, html_h, html_i, NULL, NULL, html_l, html_m,
    html_n, html_o, html_p, NULL, NULL, html_s, html_t, html_u, NULL, NULL, html_x, NULL, NULL};

static const tag_def docx_b[] = {T("w:br", K_BR), END};
static const tag_def docx_c[] = {T("w:cr", K_BR), END};
static const tag_def docx_h[] = {T("w:hmerge", K_VMERGE), END};
static const tag_def docx_m[] = {T("w:movefrom", K_SKIPALL), T("mc:fallback", K_SKIPALL), END};
static const tag_def docx_n[] = {T("w:nobreakhyphen", K_HYPHEN), END};
static const tag_def docx_p[] = {T("w:p", K_BLOCK), END};
static const tag_def docx_t[] = {T("w:t", K_WT), T("w:tc", K_CELL), T("w:tr", K_ROW), T("w:tbl", K_TABLE),
                                 T("w:tab", K_WTAB), T("w:tabs", K_WTABS), END};
static const tag_def docx_v[] = {T("w:vmerge", K_VMERGE), END};

static const tag_def *const docx_tags[26] = {
    NULL, docx_b, docx_c, NULL, NULL, NULL, NULL, docx_h, NULL, NULL, NULL, NULL, docx_m,
    docx_n, NULL, docx_p, NULL, NULL, NULL, docx_t, NULL, docx_v, NULL, NULL, NULL, NULL};

#undef T
#undef END

/* Named character references that occur in these pages. */
typedef struct {
    const char *name;
    uint32_t cp;
} entity_def;

static const entity_def entities[] = {
    {"nbsp", 0xA0},   {"amp", '&'},      {"lt", '<'},       {"gt", '>'},
    {"quot", '"'},    {"apos", '\''},    {"ldquo", 0x201C}, {"rdquo", 0x201D},
    {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"mdash", 0x2014}, {"ndash", 0x2013},
    {"hellip", 0x2026}, {"middot", 0xB7}, {"times", 0xD7},   {"divide", 0xF7},
    {"emsp", 0x2003}, {"ensp", 0x2002},  {"thinsp", 0x2009}, {"yen", 0xA5},
    {"copy", 0xA9},   {"reg", 0xAE},     {"trade", 0x2122}, {"laquo", 0xAB},
    {"raquo", 0xBB},  {"deg", 0xB0},     {"plusmn", 0xB1},  {"sect", 0xA7},
    {"bull", 0x2022}, {"permil", 0x2030}, {"shy", 0xAD},     {"zwsp", 0x200B},
    {"larr", 0x2190}, {"rarr", 0x2192},  {"uarr", 0x2191},  {"darr", 0x2193},
    {NULL, 0}};

/* Names HTML also accepts without the ';' (legacy pages write "&nbsp"). */
static const char *const legacy_entities[] = {"nbsp", "amp", "lt", "gt", "quot", "copy", NULL};

/* &#128; .. &#159; mean the windows-1252 characters (as browsers read them). */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

typedef struct {
    gd_ctx *c;
    const char *s; /* the input */
    size_t n;
    int docx;
    const tag_def *const *tags; /* html_tags or docx_tags */
    size_t tags_end; /* just past the input's last '>' (0: it has none): no tag
                      * ends after it, and the loops that read a tag look for
                      * the '>' there instead of at n */

    char *out; /* the text */
    uint32_t *map;
    size_t len, cap;
    int failed;

    char space;        /* pending white space: 0, ' ', or MARK (a break in a cell) */
    uint32_t space_at; /* its input offset */

    int row_open;      /* a row's line is being written */
    size_t row_cells;  /* separators written on it */
    int cell_open;     /* inside a cell */
    int cell_pending;  /* the cell's '|' is not written yet (nothing in it so far) */
    int cell_continue; /* DOCX merge continuation: writes nothing unless it has text */
    uint32_t cell_at;  /* input offset of the cell's tag */
    size_t cell_start; /* text offset just after the cell's '|' */

    int in_wt;          /* DOCX: inside w:t */
    size_t tabs_depth;  /* DOCX: inside w:tabs */
    size_t skip_depth;  /* DOCX: inside mc:Fallback / w:moveFrom */
} mk;

/* ---- Output ---- */

static int reserve(mk *m, size_t extra)
{
    if (m->failed)
        return -1;
    if (m->len + extra <= m->cap)
        return 0;
    size_t ncap = m->cap ? m->cap : 256;
    while (ncap < m->len + extra) {
        if (ncap > ((size_t)UINT32_MAX) / 2) { /* text offsets are 32-bit */
            m->failed = 1;
            m->c->oom = 1;
            return -1;
        }
        ncap *= 2;
    }
    const gd_allocator *a = m->c->alloc;
    char *t = a->realloc(a->ctx, m->out, ncap + 1);
    if (!t) {
        m->failed = 1;
        m->c->oom = 1;
        return -1;
    }
    m->out = t;
    uint32_t *mp = a->realloc(a->ctx, m->map, (ncap + 1) * sizeof *mp);
    if (!mp) {
        m->failed = 1;
        m->c->oom = 1;
        return -1;
    }
    m->map = mp;
    m->cap = ncap;
    return 0;
}

static void put(mk *m, char ch, size_t at)
{
    if (reserve(m, 1))
        return;
    m->out[m->len] = ch;
    m->map[m->len] = (uint32_t)at;
    m->len++;
}

static char last_char(const mk *m)
{
    return m->len ? m->out[m->len - 1] : '\n';
}

/* End the current line of free text (not a row: see close_row). */
static void newline(mk *m, size_t at)
{
    m->space = 0;
    if (last_char(m) != '\n')
        put(m, '\n', at);
}

/* ---- Cells and rows ---- */

static void write_separator(mk *m)
{
    if (m->row_cells == 0)
        newline(m, m->cell_at);
    put(m, '|', m->cell_at);
    m->row_cells++;
    m->cell_pending = 0;
    m->cell_start = m->len;
    m->space = 0;
}

static void close_cell(mk *m, size_t at)
{
    if (!m->cell_open)
        return;
    if (m->cell_pending && !m->cell_continue) {
        write_separator(m);
        put(m, ' ', at);
    }
    m->cell_open = m->cell_pending = m->cell_continue = 0;
    m->space = 0;
}

static void close_row(mk *m, size_t at)
{
    close_cell(m, at);
    if (m->row_open && m->row_cells) {
        m->space = 0;
        put(m, '|', at);
        put(m, '\n', at);
    }
    m->row_open = 0;
    m->row_cells = 0;
}

static void open_cell(mk *m, size_t at)
{
    close_cell(m, at);
    if (!m->row_open) {
        m->row_open = 1;
        m->row_cells = 0;
    }
    m->cell_open = 1;
    m->cell_pending = 1;
    m->cell_continue = 0;
    m->cell_at = (uint32_t)at;
    m->space = 0;
}

/* The open cell (its '|' written) turns out to be a layout cell: its
 * paragraph breaks become line breaks, it starts a line of its own, and its
 * row line ends here.  What follows in it is free text. */
static void make_prose(mk *m)
{
    size_t p = m->cell_start - 1; /* its '|' */
    for (size_t k = m->cell_start; k < m->len; k++)
        if (m->out[k] == MARK)
            m->out[k] = '\n';
    if (p == 0 || m->out[p - 1] == '\n') {
        /* the first cell of its row: the row had nothing else, drop its '|' */
        memmove(m->out + p, m->out + p + 1, m->len - p - 1);
        memmove(m->map + p, m->map + p + 1, (m->len - p - 1) * sizeof *m->map);
        m->len--;
    } else if (reserve(m, 1) == 0) {
        /* its '|' closes the cells before it; the prose starts a line */
        memmove(m->out + p + 2, m->out + p + 1, m->len - p - 1);
        memmove(m->map + p + 2, m->map + p + 1, (m->len - p - 1) * sizeof *m->map);
        m->out[p + 1] = '\n';
        m->map[p + 1] = m->map[p];
        m->len++;
    }
    m->cell_open = m->cell_pending = m->cell_continue = 0;
    m->row_open = 0;
    m->row_cells = 0;
}

static void open_table(mk *m, size_t at)
{
    if (m->cell_open && !m->cell_pending) {
        make_prose(m);
    } else if (m->cell_open) {
        /* an outer cell that holds nothing but this table: no cell of its own */
        m->cell_open = m->cell_pending = m->cell_continue = 0;
    }
    close_row(m, at);
    newline(m, at);
}

/* A paragraph or line break. */
static void block(mk *m, size_t at)
{
    if (m->cell_open || (m->row_open && m->row_cells)) {
        char ch = m->cell_open ? MARK : ' ';
        if (m->space != MARK) {
            if (!m->space)
                m->space_at = (uint32_t)at;
            m->space = ch;
        }
        return;
    }
    newline(m, at);
}

static void white(mk *m, size_t at)
{
    if (!m->space) {
        m->space = ' ';
        m->space_at = (uint32_t)at;
    }
}

/* ---- Text ---- */

/* Write visible text: bytes[0..nb) from input offset at (own: byte k came
 * from at + k; else every byte came from at, a character reference). */
static void content(mk *m, const char *bytes, size_t nb, size_t at, int own)
{
    if (m->cell_open && m->cell_pending)
        write_separator(m);
    if (m->space) {
        char last = last_char(m);
        if (last != '\n' && last != '|') {
            char ch = m->space;
            if (ch == MARK && !m->cell_open)
                ch = '\n';
            put(m, ch, m->space_at);
        }
        m->space = 0;
    }
    if (reserve(m, nb))
        return;
    memcpy(m->out + m->len, bytes, nb);
    uint32_t *map = m->map + m->len, from = (uint32_t)at;
    if (own) {
        size_t k = 0;
#if defined(__SSE2__)
        /* four offsets a store: runs of Chinese text are tens of bytes */
        __m128i at4 = _mm_add_epi32(_mm_set1_epi32((int)from), _mm_setr_epi32(0, 1, 2, 3));
        const __m128i four = _mm_set1_epi32(4);
        for (; k + 4 <= nb; k += 4) {
            _mm_storeu_si128((__m128i *)(void *)(map + k), at4);
            at4 = _mm_add_epi32(at4, four);
        }
#endif
        for (; k < nb; k++)
            map[k] = from + (uint32_t)k;
    } else
        for (size_t k = 0; k < nb; k++)
            map[k] = from;
    m->len += nb;
    if (m->cell_open && m->len - m->cell_start > CELL_PROSE_BYTES)
        make_prose(m);
}

static size_t utf8_encode(uint32_t cp, char *b)
{
    if (cp < 0x80) {
        b[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (char)(0xF0 | (cp >> 18));
    b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* What a code point is to the text: 0 visible, 1 white space, 2 nothing. */
static int cp_class(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7F || cp == ' ' || cp == '|' || cp == 0xFF5C)
        return 1;
    if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F)
        return 1;
    if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF || cp == 0xAD)
        return 2;
    return 0;
}

/* One character: bytes[0..nb) as written in the input at offset at (own),
 * or decoded from a character reference there. */
static void character(mk *m, uint32_t cp, const char *bytes, size_t nb, size_t at, int own)
{
    switch (cp_class(cp)) {
    case 1:
        white(m, at);
        return;
    case 2:
        return;
    default:
        content(m, bytes, nb, at, own);
    }
}

static void decoded(mk *m, uint32_t cp, size_t at)
{
    char b[4];
    size_t nb = utf8_encode(cp, b);
    character(m, cp, b, nb, at, 0);
}

static int is_alpha(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int is_alnum(char ch)
{
    return is_alpha(ch) || (ch >= '0' && ch <= '9');
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* A character reference at s[i] == '&' (ending before end): write what it
 * means and return the offset after it; a bare '&' is written as itself. */
static size_t reference(mk *m, size_t i, size_t end)
{
    const char *s = m->s;
    size_t j = i + 1;
    if (j < end && s[j] == '#') {
        j++;
        int hex = j < end && (s[j] == 'x' || s[j] == 'X');
        if (hex)
            j++;
        uint32_t cp = 0;
        size_t digits = 0;
        for (; j < end; j++) {
            int d = hex ? hexval(s[j]) : (s[j] >= '0' && s[j] <= '9' ? s[j] - '0' : -1);
            if (d < 0)
                break;
            if (cp <= 0x10FFFF)
                cp = cp * (hex ? 16u : 10u) + (uint32_t)d;
            digits++;
        }
        if (digits) {
            if (j < end && s[j] == ';')
                j++;
            if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                cp = 0xFFFD;
            else if (cp >= 0x80 && cp <= 0x9F)
                cp = cp1252_c1[cp - 0x80];
            decoded(m, cp, i);
            return j;
        }
    } else if (j < end && is_alpha(s[j])) {
        size_t k = j;
        while (k < end && k - j <= ENTITY_NAME_MAX && is_alnum(s[k]))
            k++;
        size_t nl = k - j;
        int semi = k < end && s[k] == ';';
        if (nl <= ENTITY_NAME_MAX) {
            for (const entity_def *e = entities; e->name; e++) {
                if (strlen(e->name) != nl || memcmp(e->name, s + j, nl) != 0)
                    continue;
                int ok = semi;
                for (const char *const *l = legacy_entities; !ok && *l; l++)
                    ok = strcmp(*l, e->name) == 0;
                if (!ok)
                    break;
                decoded(m, e->cp, i);
                return semi ? k + 1 : k;
            }
        }
    }
    content(m, "&", 1, i, 1);
    return i + 1;
}

/* What a byte that starts a character tells of it: how many bytes a
 * character is that is visible text as written (copied as it stands), or
 * TEXT_CHECK (its code point decides: wide spaces, '｜', BOM, U+00AD), or
 * TEXT_SLOW (white space, controls, '|', '&', bytes that start no
 * character: one at a time, as character() reads them). */
enum { TEXT_SLOW = 0, TEXT_CHECK = 5 };

#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
static const unsigned char text_lead[256] = {
    R16(0), R16(0),                             /* controls */
    0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* ' ' and '&' */
    R16(1), R16(1), R16(1), R16(1),
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, /* '|' and DEL */
    R16(0), R16(0), R16(0), R16(0),             /* continuation bytes */
    0, 0, 5, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* C2: U+00A0, U+00AD */
    R16(2),
    3, 3, 5, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 5, /* E2: U+2000.., EF: U+FF5C, U+FEFF */
    4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
#undef R16

/* The end of the run of visible characters copied as written from s[i],
 * before end: where character() would write each byte as it stands. */
static size_t visible_run(const char *s, size_t i, size_t end)
{
    while (i < end) {
        unsigned char b = (unsigned char)s[i];
        size_t nb = text_lead[b];
        if (nb == TEXT_SLOW)
            break;
        if (nb == TEXT_CHECK) {
            nb = b < 0xE0 ? 2 : 3;
            if (nb > end - i || cp_class(gd_utf8_decode(s, end, i, &nb)) != 0)
                break;
        } else if (nb > end - i) {
            break;
        }
        i += nb;
    }
    return i;
}

/* Text s[i..end) with character references. */
static void text_run(mk *m, size_t i, size_t end)
{
    const char *s = m->s;
    while (i < end && !m->failed) {
        size_t e = visible_run(s, i, end);
        if (e > i) {
            content(m, s + i, e - i, i, 1);
            i = e;
            continue;
        }
        unsigned char b = (unsigned char)s[i];
        if (b == '&') {
            i = reference(m, i, end);
        } else if (b < 0x80) {
            character(m, b, s + i, 1, i, 1);
            i++;
        } else {
            size_t nb;
            uint32_t cp = gd_utf8_decode(s, end, i, &nb);
            if (nb > end - i)
                nb = end - i;
            character(m, cp, s + i, nb, i, 1);
            i += nb;
        }
    }
}

/* ---- Tags ---- */

/* What a byte is inside a tag, as bits: one table look instead of five
 * compares for every byte of tag names and attributes. */
enum {
    B_WS = 1,        /* white space: ' ' \t \n \r \f */
    B_SLASH = 2,     /* '/' */
    B_GT = 4,        /* '>' */
    B_EQ = 8,        /* '=' */
    B_QUOTE = 16,    /* '"' '\'' */
    B_NAME_END = B_WS | B_SLASH | B_GT,        /* ends a tag name */
    B_ATTR_END = B_WS | B_SLASH | B_GT | B_EQ, /* ends an attribute name */
    B_VALUE_END = B_WS | B_GT                  /* ends an unquoted value */
};

static const unsigned char tag_byte[256] = {
    [' '] = B_WS, ['\t'] = B_WS, ['\n'] = B_WS, ['\r'] = B_WS, ['\f'] = B_WS,
    ['/'] = B_SLASH, ['>'] = B_GT, ['='] = B_EQ, ['"'] = B_QUOTE, ['\''] = B_QUOTE};

static int is_ws(char ch)
{
    return tag_byte[(unsigned char)ch] & B_WS;
}

static int tag_byte_is(char ch, unsigned bits)
{
    return tag_byte[(unsigned char)ch] & bits;
}

/* The first byte at or after s[i] that is one of stop (bits of tag_byte),
 * which must take in B_GT: the '>' at tags_end - 1 ends every run, so no
 * byte past it is read.  Four bytes a round: names are short, and the loop's
 * own steps would cost as much as the looks. */
static size_t run_to(const char *s, size_t i, unsigned stop)
{
    for (;; i += 4) {
        if (tag_byte_is(s[i], stop))
            return i;
        if (tag_byte_is(s[i + 1], stop))
            return i + 1;
        if (tag_byte_is(s[i + 2], stop))
            return i + 2;
        if (tag_byte_is(s[i + 3], stop))
            return i + 3;
    }
}

/* a[0..n) in any case is name, a name we know (lower case letters, digits
 * and ':').  A byte differs from name's only by the case bit (0x20) when
 * they are the two cases of a letter. */
static int ci_eq(const char *a, const char *name, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        unsigned diff = (unsigned char)(a[k] ^ name[k]);
        if (diff != 0 && (diff != 0x20 || name[k] < 'a' || name[k] > 'z'))
            return 0;
    }
    return 1;
}

/* Offset of the first occurrence of lit (length ln) in s[i..n), or n. */
static size_t find(const char *s, size_t i, size_t n, const char *lit, size_t ln)
{
    while (i + ln <= n) {
        const char *p = memchr(s + i, lit[0], n - i - ln + 1);
        if (!p)
            return n;
        size_t k = (size_t)(p - s);
        if (memcmp(s + k, lit, ln) == 0)
            return k;
        i = k + 1;
    }
    return n;
}

/* Offset of the end tag "</name" (any case) of a raw text element, or n. */
static size_t find_end_tag(const char *s, size_t i, size_t n, const char *name)
{
    size_t nl = strlen(name);
    while (i < n) {
        const char *p = memchr(s + i, '<', n - i);
        if (!p)
            return n;
        size_t k = (size_t)(p - s);
        if (k + 2 + nl <= n && s[k + 1] == '/' && ci_eq(s + k + 2, name, nl) &&
            (k + 2 + nl == n || is_ws(s[k + 2 + nl]) || s[k + 2 + nl] == '/' ||
             s[k + 2 + nl] == '>'))
            return k;
        i = k + 1;
    }
    return n;
}

/* Just past the first '>' at or after i, or n. */
static size_t past_gt(const char *s, size_t i, size_t n)
{
    const char *p = i < n ? memchr(s + i, '>', n - i) : NULL;
    return p ? (size_t)(p - s) + 1 : n;
}

/* A comment or declaration at s[i] == '<', s[i + 1] == '!': the offset after it. */
static size_t skip_declaration(const mk *m, size_t i)
{
    const char *s = m->s;
    size_t n = m->n;
    if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
        size_t b = i + 4; /* HTML: "<!-->" and "<!--->" are whole comments */
        if (b < n && s[b] == '>')
            return b + 1;
        if (n - b >= 2 && s[b] == '-' && s[b + 1] == '>')
            return b + 2;
        for (size_t k = b; k < n;) {
            const char *p = memchr(s + k, '>', n - k);
            if (!p)
                return n;
            size_t g = (size_t)(p - s);
            if (g >= b + 2 && s[g - 1] == '-' && s[g - 2] == '-')
                return g + 1;
            if (!m->docx && g >= b + 3 && s[g - 1] == '!' && s[g - 2] == '-' && s[g - 3] == '-')
                return g + 1;
            k = g + 1;
        }
        return n;
    }
    if (m->docx && n - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0) {
        size_t e = find(s, i + 9, n, "]]>", 3);
        return e < n ? e + 3 : n;
    }
    /* <!DOCTYPE ...>, Word's <![if !supportLists]> / <![endif]>, and HTML's
     * reading of <![CDATA[...]]>: up to the first '>' */
    return past_gt(s, i + 2, n);
}

/* A DOCX merge tag's w:val attribute. */
typedef struct {
    int found;
    size_t at, len; /* the value: s[at..at + len) */
} attr_value;

/* The closing quote of the value opened at s[i], or limit when there is
 * none before it.  DOCX values are a few bytes ("0", "both"): looked at in
 * place, four a round; HTML's are long (style="..."): memchr. */
static size_t closing_quote(const char *s, size_t i, size_t limit, int short_values)
{
    char quote = s[i];
    size_t k = i + 1;
    if (short_values) {
        for (; k + 4 <= limit; k += 4) {
            if (s[k] == quote)
                return k;
            if (s[k + 1] == quote)
                return k + 1;
            if (s[k + 2] == quote)
                return k + 2;
            if (s[k + 3] == quote)
                return k + 3;
        }
        for (; k < limit; k++)
            if (s[k] == quote)
                return k;
        return limit;
    }
    const char *p = k < limit ? memchr(s + k, quote, limit - k) : NULL;
    return p ? (size_t)(p - s) : limit;
}

/* The first byte of s[i..limit) that is '>', '=', '"' or '\'', or limit:
 * sixteen bytes a round with SSE2 (attribute lists are long: style="..."
 * with font names in every span), one at a time in the tail and without it. */
static size_t attr_stop(const char *s, size_t i, size_t limit)
{
#if defined(__SSE2__)
    const __m128i gt = _mm_set1_epi8('>'), eq = _mm_set1_epi8('=');
    const __m128i dq = _mm_set1_epi8('"'), sq = _mm_set1_epi8('\'');
    for (; i + 16 <= limit; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i h = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, gt), _mm_cmpeq_epi8(v, eq)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, dq), _mm_cmpeq_epi8(v, sq)));
        unsigned mask = (unsigned)_mm_movemask_epi8(h);
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
    }
#endif
    for (; i < limit; i++)
        if (tag_byte_is(s[i], B_GT | B_EQ | B_QUOTE))
            return i;
    return limit;
}

/* The first byte of s[i..limit) that is quote, or limit: sixteen a round
 * with SSE2, as attr_stop. */
static size_t quote_at(const char *s, size_t i, size_t limit, char quote)
{
#if defined(__SSE2__)
    const __m128i q = _mm_set1_epi8(quote);
    /* style="..." values run to hundreds of bytes: 64 a round, one mask */
    for (; i + 64 <= limit; i += 64) {
        const __m128i *p = (const __m128i *)(const void *)(s + i);
        __m128i h0 = _mm_cmpeq_epi8(_mm_loadu_si128(p), q);
        __m128i h1 = _mm_cmpeq_epi8(_mm_loadu_si128(p + 1), q);
        __m128i h2 = _mm_cmpeq_epi8(_mm_loadu_si128(p + 2), q);
        __m128i h3 = _mm_cmpeq_epi8(_mm_loadu_si128(p + 3), q);
        if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(h0, h1), _mm_or_si128(h2, h3))))
            break; /* the 16-byte rounds below find it */
    }
    for (; i + 16 <= limit; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, q));
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
    }
#endif
    for (; i < limit; i++)
        if (s[i] == quote)
            return i;
    return limit;
}

/* The offset of the '>' that ends the tag whose attributes start at s[i]
 * (just after its name; i < tags_end), or n when the input ends first.
 * HTML's reading: quotes matter only around a value, so a '>' inside them
 * does not end the tag.  Only DOCX merge tags ask for their w:val (val);
 * other tags pass NULL.  Every loop stops at a '>', and there is one at
 * tags_end - 1: none looks at n. */
static size_t tag_end(const mk *m, size_t i, attr_value *val)
{
    const char *s = m->s;
    size_t last_gt = m->tags_end - 1;
    /* The common shapes first, a scan for '>', '=' and quotes at a time
     * (not for val: it wants every name).  At i the loop below would be at
     * its top.  The first of those bytes is
     *   '>': nothing before it opened a quote, so it ends the tag;
     *   '=' just after a name's last byte and just before a quote: a quoted
     *     value (the bytes before hold no '=', so they were names and white
     *     space, and this name ends at the '='): past its closing quote the
     *     loop is at its top again;
     * anything else (a quote in a name or unquoted value, "a = b", "a=b"),
     * the loop below reads from i, where it would have been anyway. */
    while (!val && s[i] != '>') { /* "</span>", "<o:p>": no attributes */
        size_t e = attr_stop(s, i, last_gt + 1);
        if (s[e] == '>')
            return e;
        if (s[e] != '=' || e == i || tag_byte_is(s[e - 1], B_WS | B_SLASH) ||
            (s[e + 1] != '"' && s[e + 1] != '\''))
            break;
        size_t q = quote_at(s, e + 2, last_gt, s[e + 1]);
        if (q == last_gt)
            return m->n; /* no closing quote, or no '>' after it */
        i = q + 1;
    }
    for (;;) {
        while (tag_byte_is(s[i], B_WS | B_SLASH))
            i++;
        if (s[i] == '>')
            return i;
        size_t ns = i++; /* a name's first byte, whatever it is */
        i = run_to(s, i, B_ATTR_END);
        size_t nl = i - ns;
        while (is_ws(s[i]))
            i++;
        if (s[i] != '=')
            continue;
        i++;
        while (is_ws(s[i]))
            i++;
        size_t v0, v1;
        if (s[i] == '"' || s[i] == '\'') {
            size_t q = closing_quote(s, i, last_gt, m->docx);
            if (q == last_gt)
                return m->n; /* no closing quote, or no '>' after it */
            v0 = i + 1;
            v1 = q;
            i = q + 1;
        } else {
            v0 = i;
            v1 = i = run_to(s, i, B_VALUE_END);
        }
        if (val && nl == 5 && ci_eq(s + ns, "w:val", 5)) {
            val->found = 1;
            val->at = v0;
            val->len = v1 - v0;
        }
    }
}

/* The end of the tag name at s[j] (j < tags_end: a '>' ends it). */
static size_t name_end(const char *s, size_t j)
{
    return run_to(s, j, B_NAME_END);
}

/* The tag we act on that is named name[0..nl) in any case, or NULL.  Only
 * the few names of its letter are compared, and only those of its length:
 * most names in a page are none we know, and are never lowered. */
static const tag_def *lookup(const mk *m, const char *name, size_t nl)
{
    if (nl == 0 || nl > NAME_MAX_BYTES)
        return NULL;
    /* name[0] is a letter: | 0x20 lowers it; of other bytes, | 0x20 makes
     * none a lower case letter */
    unsigned letter = (unsigned char)(name[0] | 0x20);
    if (m->docx && nl > 2 && letter == 'w' && name[1] == ':')
        letter = (unsigned char)(name[2] | 0x20);
    letter -= 'a';
    const tag_def *d = letter < 26 ? m->tags[letter] : NULL;
    if (!d)
        return NULL;
    while (d->len < nl)
        d++;
    for (; d->len == nl; d++)
        if (ci_eq(name, d->name, nl))
            return d;
    return NULL;
}

/* What a start tag (end == 0) or end tag does, in HTML. */
static void html_tag(mk *m, tag_kind k, int end, size_t at)
{
    switch (k) {
    case K_CELL:
        if (end)
            close_cell(m, at);
        else
            open_cell(m, at);
        break;
    case K_ROW:
        close_row(m, at);
        if (!end) {
            m->row_open = 1;
            m->row_cells = 0;
        }
        break;
    case K_TABLE:
        if (end) {
            close_row(m, at);
            newline(m, at);
        } else {
            open_table(m, at);
        }
        break;
    case K_ROWEND:
        close_row(m, at);
        newline(m, at);
        break;
    case K_BLOCK:
    case K_BR:
    case K_RAWKEEP:
        block(m, at);
        break;
    default:
        break;
    }
}

static void docx_tag(mk *m, tag_kind k, int end, int self_closing, const attr_value *val, size_t at)
{
    if (k == K_SKIPALL) {
        if (self_closing)
            return;
        if (!end)
            m->skip_depth++;
        else if (m->skip_depth)
            m->skip_depth--;
        return;
    }
    if (m->skip_depth)
        return;
    switch (k) {
    case K_CELL:
    case K_ROW:
    case K_TABLE:
        if (self_closing && !end) {
            if (k == K_CELL) { /* an empty cell */
                open_cell(m, at);
                close_cell(m, at);
            }
            break;
        }
        html_tag(m, k, end, at);
        break;
    case K_BLOCK:
    case K_BR:
        block(m, at);
        break;
    case K_WT:
        m->in_wt = !end && !self_closing;
        break;
    case K_WTABS:
        if (self_closing)
            break;
        if (!end)
            m->tabs_depth++;
        else if (m->tabs_depth)
            m->tabs_depth--;
        break;
    case K_WTAB:
        if (!end && !m->tabs_depth)
            white(m, at);
        break;
    case K_HYPHEN:
        if (!end)
            content(m, "-", 1, at, 0);
        break;
    case K_VMERGE:
        if (!end && m->cell_open && m->cell_pending &&
            (!val->found || (val->len == 8 && memcmp(m->s + val->at, "continue", 8) == 0)))
            m->cell_continue = 1;
        break;
    default:
        break;
    }
}

/* A raw text element's content from i: skipped, or kept as a line. */
static size_t raw_text(mk *m, const char *name, size_t i, int keep)
{
    size_t e = find_end_tag(m->s, i, m->n, name);
    if (keep) {
        text_run(m, i, e);
        block(m, e < m->n ? e : m->n - 1);
    }
    return e; /* the end tag is read as a tag of its own */
}

/* The markup at s[i] == '<': act on it and return the offset after it. */
static size_t markup(mk *m, size_t i)
{
    const char *s = m->s;
    size_t n = m->n;
    if (i + 1 >= n) {
        if (!m->docx)
            content(m, "<", 1, i, 1);
        return n;
    }
    char nx = s[i + 1];
    if (nx == '!')
        return skip_declaration(m, i);
    if (nx == '?') {
        if (m->docx) {
            size_t e = find(s, i + 2, n, "?>", 2);
            return e < n ? e + 2 : n;
        }
        return past_gt(s, i + 2, n);
    }
    int end = nx == '/';
    size_t j = i + 1 + (size_t)end;
    if (j >= n)
        return n;
    if (!is_alpha(s[j])) {
        if (end)
            return s[j] == '>' ? j + 1 : past_gt(s, j, n); /* "</>", or a bogus comment */
        content(m, "<", 1, i, 1);                          /* "a < b" */
        return i + 1;
    }
    if (j >= m->tags_end)
        return n; /* no '>' ends it: a tag cut off by the end of the input */
    size_t ns = j;
    j = name_end(s, j);
    const tag_def *def = lookup(m, s + ns, j - ns);
    tag_kind k = def ? (tag_kind)def->kind : K_NONE;
    attr_value val = {0, 0, 0};
    size_t gt = tag_end(m, j, m->docx && k == K_VMERGE ? &val : NULL); /* is the merge a continuation */
    if (gt == n)
        return n; /* a tag cut off by the end of the input */
    if (k == K_NONE)
        return gt + 1; /* <span>, <font>, <o:p>, <w:rPr>: most tags */
    if (m->docx) {
        docx_tag(m, k, end, s[gt - 1] == '/', &val, i);
        return gt + 1;
    }
    html_tag(m, k, end, i);
    if (!end && (k == K_RAWKEEP || k == K_RAWSKIP))
        return raw_text(m, def->name, gt + 1, k == K_RAWKEEP);
    return gt + 1;
}

/* ---- The pass ---- */

int gd_markup_to_text(gd_ctx *c)
{
    mk m;
    memset(&m, 0, sizeof m);
    m.c = c;
    m.s = c->src;
    m.n = c->src_len;
    m.docx = c->format == GD_FORMAT_DOCX;
    m.tags = m.docx ? docx_tags : html_tags;
    m.tags_end = m.n;
    while (m.tags_end && m.s[m.tags_end - 1] != '>')
        m.tags_end--;

    /* Pages are mostly markup: start at a fraction of the input and grow. */
    if (reserve(&m, m.n / 8 + 64) == 0) {
        size_t i = 0;
        while (i < m.n && !m.failed) {
            size_t e = i; /* the next '<': often the very next byte (DOCX, "><") */
            if (m.s[i] != '<') {
                const char *lt = memchr(m.s + i, '<', m.n - i);
                e = lt ? (size_t)(lt - m.s) : m.n;
            }
            if (e > i && (!m.docx || (m.in_wt && !m.skip_depth)))
                text_run(&m, i, e);
            i = e < m.n ? markup(&m, e) : m.n;
        }
        size_t last = m.n ? m.n - 1 : 0;
        close_row(&m, last);
        newline(&m, last);
    }
    if (m.failed) {
        gd_free(c, m.out);
        gd_free(c, m.map);
        c->oom = 1;
        return -1;
    }
    for (char *p = m.out; (p = memchr(p, MARK, m.len - (size_t)(p - m.out))) != NULL;)
        *p++ = ' ';
    m.out[m.len] = '\0';
    m.map[m.len] = (uint32_t)m.n;
    c->text = m.out;
    c->len = m.len;
    c->map = m.map;
    return 0;
}
