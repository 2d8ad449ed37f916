/*
 * doc.c -- Word 97-2003 documents (.doc, and WPS files in the same
 * container) to the text lex_text.c reads, tables as "|cell|cell|" rows the
 * way read/markup.c writes them ([MS-DOC]).
 *
 * The container (cfb.c) gives the WordDocument stream and the table stream
 * (0Table or 1Table, as the FIB says).  The FIB gives the length of the main
 * text (ccpText: headers, footers, footnotes, comments and text boxes come
 * after it, so they are never read), the piece table (CLX) and the
 * paragraph properties (PlcBtePapx).  The piece table maps character
 * positions to the bytes of each piece: 8-bit (cp1252) or UTF-16.
 *
 * Pass 1 decodes the main text into paragraphs: a paragraph ends at 0x0D
 * (paragraph mark) or 0x07 (cell or row mark); field codes 0x13 instruction
 * 0x14 result 0x15 keep their result only; other control characters
 * (pictures, note references) are dropped; tabs and '|' become spaces.  Each
 * paragraph mark's properties (found by its file offset in the PAPX pages)
 * say its table depth, and whether it ends a cell or a row; a row's mark
 * also carries the row's cell merges.
 *
 * Pass 2 writes lines: a paragraph outside tables is a line; a table row
 * is a line "|cell|cell|", blank cells "| |", the paragraphs of a cell
 * joined by spaces, a cell merged into the one above or to its left left out
 * (as DOCX's w:vMerge "continue").  A row that holds a nested table or a cell
 * longer than any label is page layout, not a table: its paragraphs become
 * lines (the nested table's rows are rows of their own).
 */
#include "internal.h"
#include "cfb.h"

#include <string.h>

/* A cell with more text than this is prose, not a table cell (markup.c). */
#define CELL_PROSE_BYTES GD_MAX_LABEL_BYTES
/* Tables nested deeper than this count as this deep. */
#define MAX_DEPTH 16
/* Fields nested deeper than this are all instruction until they end. */
#define MAX_FIELDS 64
/* Cells of a row whose merges are read (the rest are never left out). */
#define MERGE_CELLS 64
#define FKP_BYTES 512

#define NONE ((size_t)-1)

/* What a paragraph mark's properties say. */
typedef struct {
    uint32_t fc_start, fc_end; /* the file offsets whose marks have them */
    uint8_t depth;             /* table depth: 0 outside tables */
    uint8_t ttp;               /* ends a row of depth 1 */
    uint8_t inner_ttp;         /* ends a row of a nested table */
    uint8_t inner_cell;        /* ends a cell of a nested table */
    uint64_t skip;             /* a row's mark: cells merged into a neighbour */
} papx_run;

typedef struct {
    size_t start, end; /* its text in the scratch buffer */
    uint32_t mark;     /* 0x0D or 0x07 */
    uint32_t fc;       /* the mark's file offset */
    uint8_t depth, kind;
    uint64_t skip;
} para;

enum { P_TEXT = 0, P_CELL_END = 1, P_ROW_END = 2 };

typedef struct {
    const gd_allocator *a;
    const char **why;
    gd_status status;
    const unsigned char *wd; /* WordDocument */
    size_t wd_len;
    const unsigned char *tbl; /* 0Table or 1Table */
    size_t tbl_len;
    const unsigned char *data; /* Data (or NULL): where large PAPX live */
    size_t data_len;
    papx_run *runs;
    size_t nruns, cap_runs;
    int runs_sorted;
    char *scratch; /* pass 1: the decoded text of every paragraph */
    size_t scratch_len, scratch_cap;
    para *paras;
    size_t nparas, cap_paras;
    char *out; /* pass 2 */
    size_t out_len, out_cap;
} doc;

/* ---- Memory ---- */

static void *doc_alloc(doc *d, size_t n)
{
    void *p = d->a->malloc(d->a->ctx, n ? n : 1);
    if (!p)
        d->status = GD_ERR_NOMEM;
    return p;
}

static void doc_free(doc *d, void *p)
{
    if (p)
        d->a->free(d->a->ctx, p);
}

static int fail(doc *d, const char *why)
{
    if (d->status == GD_OK) {
        d->status = GD_ERR_FORMAT;
        *d->why = why;
    }
    return -1;
}

/* Make room for need more elements of sz bytes in *arr. */
static int reserve(doc *d, void **arr, size_t *cap, size_t used, size_t need, size_t sz)
{
    if (used + need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 64;
    while (ncap < used + need)
        ncap *= 2;
    void *p = d->a->realloc(d->a->ctx, *arr, ncap * sz);
    if (!p) {
        d->status = GD_ERR_NOMEM;
        return -1;
    }
    *arr = p;
    *cap = ncap;
    return 0;
}

/* ---- Paragraph properties (PAPX in FKP pages) ---- */

/* The size of a sprm's operand at p (lim: end of the grpprl), or -1. */
static long sprm_operand(uint32_t op, const unsigned char *p, const unsigned char *lim)
{
    switch (op >> 13) {
    case 0:
    case 1: return 1;
    case 2:
    case 4:
    case 5: return 2;
    case 3: return 4;
    case 7: return 3;
    default: /* 6: variable */
        if (op == 0xD608) /* sprmTDefTable: a two-byte size, counted plus one */
            return lim - p >= 2 ? (long)gd_le16(p) + 1 : -1;
        if (p >= lim || (op == 0xC615 && *p == 255)) /* sprmPChgTabs' long form */
            return -1;
        return (long)*p + 1;
    }
}

/* sprmTDefTable: the row's cells (TC80), whose merge flags leave cells out. */
static uint64_t merged_cells(const unsigned char *p, size_t n)
{
    if (n < 3)
        return 0;
    unsigned cells = p[2];
    size_t tc = 3 + ((size_t)cells + 1) * 2; /* after rgdxaCenter */
    uint64_t skip = 0;
    for (unsigned c = 0; c < cells && c < MERGE_CELLS && tc + 20 * ((size_t)c + 1) <= n; c++) {
        uint32_t flags = gd_le16(p + tc + 20 * (size_t)c);
        unsigned horz = flags & 3, vert = (flags >> 5) & 3;
        if (horz >= 2 || vert == 1) /* merged with the cell before, or above */
            skip |= (uint64_t)1 << c;
    }
    return skip;
}

static void read_sprms(const doc *d, const unsigned char *p, const unsigned char *lim,
                       papx_run *r, int in_data)
{
    int in_table = 0;
    long itap = r->depth;
    while (lim - p >= 2) {
        uint32_t op = gd_le16(p);
        p += 2;
        long n = sprm_operand(op, p, lim);
        if (n < 0 || n > lim - p)
            break;
        switch (op) {
        case 0x2416: in_table = p[0] != 0; break;      /* sprmPFInTable */
        case 0x2417: r->ttp = p[0] != 0; break;        /* sprmPFTtp */
        case 0x244B: r->inner_cell = p[0] != 0; break; /* sprmPFInnerTableCell */
        case 0x244C: r->inner_ttp = p[0] != 0; break;  /* sprmPFInnerTtp */
        case 0x6649: itap = (long)gd_le32(p); break;   /* sprmPItap */
        case 0x6646: /* sprmPHugePapx: the rest is in the Data stream (size, sprms) */
            if (!in_data && d->data && gd_le32(p) < d->data_len && d->data_len - gd_le32(p) >= 2) {
                const unsigned char *q = d->data + gd_le32(p);
                size_t cb = gd_le16(q);
                if (cb <= (size_t)(d->data + d->data_len - q - 2)) {
                    read_sprms(d, q + 2, q + 2 + cb, r, 1);
                    in_table |= r->depth > 0;
                    itap = r->depth;
                }
            }
            break;
        case 0xD608: r->skip |= merged_cells(p, (size_t)n); break; /* sprmTDefTable */
        case 0xD62B: /* sprmTVertMerge: cb, itc, flags */
            if (n >= 3 && p[1] < MERGE_CELLS && p[2] == 1)
                r->skip |= (uint64_t)1 << p[1];
            break;
        default: break;
        }
        p += n;
    }
    if (itap <= 0 || itap > 0x7FFF)
        itap = in_table;
    r->depth = (uint8_t)(itap > MAX_DEPTH ? MAX_DEPTH : itap);
}

/* One FKP page of PAPX: its runs of file offsets and their properties. */
static int read_fkp(doc *d, const unsigned char *fkp)
{
    unsigned crun = fkp[FKP_BYTES - 1];
    if (crun == 0 || 4 * ((size_t)crun + 1) + 13 * (size_t)crun > FKP_BYTES - 1)
        return 0; /* not a PAPX page: no properties from it */
    if (reserve(d, (void **)&d->runs, &d->cap_runs, d->nruns, crun, sizeof *d->runs))
        return -1;
    for (unsigned i = 0; i < crun; i++) {
        papx_run r;
        memset(&r, 0, sizeof r);
        r.fc_start = gd_le32(fkp + 4 * i);
        r.fc_end = gd_le32(fkp + 4 * (i + 1));
        size_t at = 2 * (size_t)fkp[4 * ((size_t)crun + 1) + 13 * i];
        if (at != 0 && at < FKP_BYTES - 1) {
            size_t cb = fkp[at], start, len;
            if (cb != 0) {
                start = at + 1;
                len = 2 * cb - 1;
            } else {
                start = at + 2;
                len = 2 * (size_t)fkp[at + 1];
            }
            if (start + len <= FKP_BYTES - 1 && len >= 2) /* istd, then the sprms */
                read_sprms(d, fkp + start + 2, fkp + start + len, &r, 0);
        }
        if (d->nruns && r.fc_start < d->runs[d->nruns - 1].fc_start)
            d->runs_sorted = 0;
        d->runs[d->nruns++] = r;
    }
    return 0;
}

/* Every PAPX page the PlcBtePapx names. */
static int read_papx(doc *d, uint32_t fc, uint32_t lcb)
{
    d->runs_sorted = 1;
    if (lcb < 12 || fc > d->tbl_len || lcb > d->tbl_len - fc || (lcb - 4) % 8 != 0)
        return 0; /* no paragraph properties: no table structure either */
    size_t n = (lcb - 4) / 8;
    const unsigned char *pn = d->tbl + fc + 4 * (n + 1);
    for (size_t i = 0; i < n; i++) {
        size_t page = (size_t)(gd_le32(pn + 4 * i) & 0x3FFFFF) * FKP_BYTES;
        if (page > d->wd_len || d->wd_len - page < FKP_BYTES)
            return fail(d, "the Word document's paragraph properties lie past the end of the "
                           "WordDocument stream (truncated)");
        if (read_fkp(d, d->wd + page) < 0)
            return -1;
    }
    return 0;
}

/* The properties of the paragraph whose mark is at file offset fc. */
static const papx_run *papx_at(const doc *d, uint32_t fc)
{
    if (!d->runs_sorted)
        return NULL;
    size_t lo = 0, hi = d->nruns;
    while (lo < hi) { /* the last run starting at or before fc */
        size_t mid = lo + (hi - lo) / 2;
        if (d->runs[mid].fc_start <= fc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || fc >= d->runs[lo - 1].fc_end)
        return NULL;
    return &d->runs[lo - 1];
}

/* ---- Pass 1: the main text, paragraph by paragraph ---- */

/* cp1252's 0x80-0x9F (the rest of the 8-bit pieces are Latin-1). */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178};

static void put_utf8(doc *d, uint32_t cp)
{
    char *o = d->scratch + d->scratch_len;
    if (cp < 0x80) {
        o[0] = (char)cp;
        d->scratch_len += 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        d->scratch_len += 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        d->scratch_len += 3;
    } else {
        o[0] = (char)(0xF0 | cp >> 18);
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (char)(0x80 | (cp & 0x3F));
        d->scratch_len += 4;
    }
}

typedef struct {
    unsigned char instr[MAX_FIELDS]; /* each open field: still in its instruction */
    size_t open, deep;               /* open fields; of them, past MAX_FIELDS */
    size_t in_instr;                 /* open fields in their instruction */
    uint32_t high;                   /* a UTF-16 high surrogate waiting for its pair */
    size_t para_start;
} pass1;

static int end_paragraph(doc *d, pass1 *s, uint32_t mark, uint32_t fc)
{
    if (reserve(d, (void **)&d->paras, &d->cap_paras, d->nparas, 1, sizeof *d->paras))
        return -1;
    para *p = &d->paras[d->nparas++];
    memset(p, 0, sizeof *p);
    p->start = s->para_start;
    p->end = d->scratch_len;
    p->mark = mark;
    p->fc = fc;
    s->para_start = d->scratch_len;
    return 0;
}

/* One character of the main text (fc: where its bytes are). */
static int take_char(doc *d, pass1 *s, uint32_t c, uint32_t fc)
{
    if (c >= 0xD800 && c <= 0xDBFF) {
        if (s->high && !s->in_instr) /* a field's instruction is not text, broken or not */
            put_utf8(d, 0xFFFD);
        s->high = c;
        return 0;
    }
    if (s->high) {
        uint32_t high = s->high;
        s->high = 0;
        if (c >= 0xDC00 && c <= 0xDFFF)
            c = 0x10000 + ((high - 0xD800) << 10) + (c - 0xDC00);
        else if (!s->in_instr)
            put_utf8(d, 0xFFFD);
    } else if (c >= 0xDC00 && c <= 0xDFFF) {
        c = 0xFFFD;
    }
    switch (c) {
    case 0x13: /* field begin: its instruction follows */
        if (s->open < MAX_FIELDS)
            s->instr[s->open] = 1;
        else
            s->deep++;
        s->open++;
        s->in_instr++;
        return 0;
    case 0x14: /* field separator: its result follows */
        if (s->open && s->open <= MAX_FIELDS && s->instr[s->open - 1]) {
            s->instr[s->open - 1] = 0;
            s->in_instr--;
        }
        return 0;
    case 0x15: /* field end */
        if (s->open) {
            s->open--;
            if (s->open >= MAX_FIELDS) {
                s->deep--;
                s->in_instr--;
            } else if (s->instr[s->open]) {
                s->in_instr--;
            }
        }
        return 0;
    case 0x0D:
    case 0x07: return end_paragraph(d, s, c, fc);
    default: break;
    }
    if (s->in_instr)
        return 0;
    if (c == 0x0B || c == 0x0C || c == 0x0E) /* line, page, column break */
        c = '\n';
    else if (c == 0x09 || c == '|' || c == 0xFF5C || c == 0xA0)
        c = ' '; /* the lexer would read them as cell borders */
    else if (c == 0x1E) /* non-breaking hyphen */
        c = '-';
    else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))
        return 0; /* pictures, drawn objects, note references, optional hyphens */
    put_utf8(d, c);
    return 0;
}

/* The text of CPs [0, ntext) through the piece table at plc (npieces). */
static int decode_text(doc *d, const unsigned char *plc, size_t npieces, uint32_t ntext)
{
    pass1 s;
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < npieces; i++) {
        uint32_t cp0 = gd_le32(plc + 4 * i), cp1 = gd_le32(plc + 4 * (i + 1));
        if (cp1 < cp0)
            return fail(d, "the Word document's piece table is out of order (corrupt)");
        if (cp0 >= ntext)
            break;
        if (cp1 > ntext)
            cp1 = ntext;
        const unsigned char *pcd = plc + 4 * (npieces + 1) + 8 * i;
        uint32_t fc = gd_le32(pcd + 2);
        int compressed = (fc & 0x40000000u) != 0;
        fc &= 0x3FFFFFFFu;
        if (compressed)
            fc /= 2;
        size_t nchars = cp1 - cp0, width = compressed ? 1 : 2;
        if (fc > d->wd_len || (d->wd_len - fc) / width < nchars)
            return fail(d, "a piece of the Word document's text lies past the end of the "
                           "WordDocument stream (truncated)");
        /* at most 4 bytes of UTF-8 a character (a surrogate pair: 4 for 2) */
        if (reserve(d, (void **)&d->scratch, &d->scratch_cap, d->scratch_len, 4 * nchars + 4, 1))
            return -1;
        const unsigned char *b = d->wd + fc;
        for (size_t k = 0; k < nchars; k++) {
            uint32_t c;
            if (compressed)
                c = b[k] >= 0x80 && b[k] < 0xA0 ? cp1252_high[b[k] - 0x80] : b[k];
            else
                c = gd_le16(b + 2 * k);
            if (take_char(d, &s, c, (uint32_t)(fc + k * width)) < 0)
                return -1;
        }
    }
    if (s.high && !s.in_instr)
        put_utf8(d, 0xFFFD);
    if (d->scratch_len > s.para_start) /* text after the last mark */
        return end_paragraph(d, &s, 0x0D, (uint32_t)-1);
    return 0;
}

/* Each paragraph's depth and kind from its mark's properties. */
static void classify(doc *d)
{
    for (size_t i = 0; i < d->nparas; i++) {
        para *p = &d->paras[i];
        const papx_run *r = p->fc == (uint32_t)-1 ? NULL : papx_at(d, p->fc);
        p->depth = r ? r->depth : 0;
        if (!r || p->depth == 0)
            continue;
        if (p->depth == 1 ? r->ttp : r->inner_ttp) {
            p->kind = P_ROW_END;
            p->skip = r->skip;
        } else if (p->depth == 1 ? p->mark == 0x07 : r->inner_cell) {
            p->kind = P_CELL_END;
        }
    }
}

/* ---- Pass 2: lines and rows ---- */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r';
}

/* Write text [s, e) of the scratch buffer: white space runs as one space (a
 * line break as itself, unless in a cell), nothing at either end. */
static void put_clean(doc *d, size_t s, size_t e, int in_cell, int *pending)
{
    for (size_t k = s; k < e; k++) {
        unsigned char c = (unsigned char)d->scratch[k];
        if (is_space(c)) { /* 1: a space is due, 2: a line break */
            int want = c == '\n' && !in_cell ? 2 : 1;
            if (want > *pending)
                *pending = want;
            continue;
        }
        if (*pending && d->out_len && d->out[d->out_len - 1] != '\n' &&
            d->out[d->out_len - 1] != '|')
            d->out[d->out_len++] = *pending == 2 ? '\n' : ' ';
        *pending = 0;
        d->out[d->out_len++] = (char)c;
    }
}

static void put_line(doc *d, const para *p)
{
    int pending = 0;
    size_t before = d->out_len;
    put_clean(d, p->start, p->end, 0, &pending);
    if (d->out_len > before)
        d->out[d->out_len++] = '\n';
}

/* The row [a, b] (b its row mark) as "|cell|cell|". */
static void put_row(doc *d, size_t a, size_t b)
{
    uint64_t skip = d->paras[b].skip;
    unsigned cell = 0;
    int open = 0, pending = 0;
    for (size_t i = a; i <= b; i++) {
        const para *p = &d->paras[i];
        if (p->kind == P_ROW_END && !open && p->end == p->start)
            break;
        int skipped = cell < MERGE_CELLS && (skip >> cell & 1);
        if (!open && !skipped) {
            d->out[d->out_len++] = '|';
            pending = 0;
        }
        open = 1;
        if (!skipped) {
            pending = 1; /* the cell's paragraphs, one space apart */
            put_clean(d, p->start, p->end, 1, &pending);
        }
        if (p->kind != P_TEXT) {
            if (!skipped && d->out[d->out_len - 1] == '|')
                d->out[d->out_len++] = ' ';
            open = 0;
            cell++;
        }
    }
    if (open && d->out[d->out_len - 1] == '|')
        d->out[d->out_len++] = ' ';
    if (d->out_len && d->out[d->out_len - 1] != '\n') {
        d->out[d->out_len++] = '|';
        d->out[d->out_len++] = '\n';
    }
}

/* A row is a table row when none of its paragraphs is deeper (a nested
 * table) and no cell is longer than a label. */
static int simple_row(const doc *d, size_t a, size_t b, unsigned depth)
{
    size_t cell_bytes = 0;
    for (size_t i = a; i <= b; i++) {
        const para *p = &d->paras[i];
        if (p->depth != depth)
            return 0;
        cell_bytes += p->end - p->start;
        if (cell_bytes > CELL_PROSE_BYTES)
            return 0;
        if (p->kind != P_TEXT)
            cell_bytes = 0;
    }
    return 1;
}

static int write_text(doc *d)
{
    size_t n = d->nparas;
    /* rows: for each paragraph in a table, the first paragraph and the mark
     * of its row at its depth (NONE when the row never ends) */
    size_t *row_start = doc_alloc(d, (n + 1) * sizeof *row_start);
    size_t *row_end = doc_alloc(d, (n + 1) * sizeof *row_end);
    unsigned char *verdict = doc_alloc(d, n + 1); /* by row mark: 0 unknown, 1 table, 2 layout */
    int rc = -1;
    if (!row_start || !row_end || !verdict)
        goto out;
    memset(verdict, 0, n + 1);
    size_t open_at[MAX_DEPTH + 1], next_end[MAX_DEPTH + 1];
    for (unsigned k = 0; k <= MAX_DEPTH; k++)
        open_at[k] = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned dep = d->paras[i].depth;
        for (unsigned k = dep + 1; k <= MAX_DEPTH; k++)
            open_at[k] = i + 1; /* a shallower paragraph: no deeper row spans it */
        row_start[i] = open_at[dep];
        if (d->paras[i].kind == P_ROW_END)
            open_at[dep] = i + 1;
    }
    for (unsigned k = 0; k <= MAX_DEPTH; k++)
        next_end[k] = NONE;
    for (size_t i = n; i-- > 0;) {
        unsigned dep = d->paras[i].depth;
        for (unsigned k = dep + 1; k <= MAX_DEPTH; k++)
            next_end[k] = NONE;
        if (d->paras[i].kind == P_ROW_END)
            next_end[dep] = i;
        row_end[i] = next_end[dep];
    }
    /* the most bytes written: the text, and per paragraph a '|', a space
     * between paragraphs, the space of a blank cell, a line break, "|\n" */
    if (reserve(d, (void **)&d->out, &d->out_cap, 0, d->scratch_len + 6 * n + 16, 1))
        goto out;
    for (size_t i = 0; i < n;) {
        const para *p = &d->paras[i];
        size_t end = row_end[i];
        if (p->depth == 0 || end == NONE) {
            put_line(d, p);
            i++;
            continue;
        }
        if (!verdict[end])
            verdict[end] = simple_row(d, row_start[i], end, p->depth) ? 1 : 2;
        if (verdict[end] == 1 && row_start[i] == i) {
            put_row(d, i, end);
            i = end + 1;
        } else {
            put_line(d, p);
            i++;
        }
    }
    rc = 0;
out:
    doc_free(d, row_start);
    doc_free(d, row_end);
    doc_free(d, verdict);
    return rc;
}

/* ---- The document ---- */

/* The entry named name, or -1 (also when out of memory: d->status says so). */
static long find(doc *d, const gd_cfb *f, const char *name)
{
    long e = gd_cfb_find(f, name);
    if (e == -2) {
        d->status = GD_ERR_NOMEM;
        return -1;
    }
    return e;
}

/* What a compound file without a WordDocument stream is. */
static const char *not_word(doc *d, const gd_cfb *f)
{
    if (find(d, f, "Workbook") >= 0 || find(d, f, "Book") >= 0)
        return "the input is an Excel workbook (.xls), not a Word document: save the report "
               "as .docx or PDF";
    if (find(d, f, "PowerPoint Document") >= 0)
        return "the input is a PowerPoint presentation (.ppt), not a Word document";
    if (find(d, f, "EncryptedPackage") >= 0)
        return "the input is a password-protected (encrypted) Office document: save it "
               "without a password";
    if (find(d, f, "CONTENTS") >= 0)
        return "the input is a Works or WPS document in an older layout (a compound file "
               "with a CONTENTS stream, no WordDocument): save it as .docx or PDF";
    return "the input is a compound file (OLE2) without a WordDocument stream: no Word "
           "document";
}

/* The FIB's fields doc.c uses, found by the counts the FIB gives. */
typedef struct {
    uint32_t flags, ccp_text, fc_clx, lcb_clx, fc_papx, lcb_papx;
} fib;

static int read_fib(doc *d, fib *fb)
{
    const unsigned char *w = d->wd;
    if (d->wd_len < 34)
        return fail(d, "the Word document's WordDocument stream is too short for a FIB "
                       "(truncated)");
    if (gd_le16(w) != 0xA5EC)
        return fail(d, "the WordDocument stream does not start with a Word 97-2003 FIB "
                       "(not a Word document)");
    uint32_t nfib = gd_le16(w + 2);
    if (nfib < 0xC1)
        return fail(d, "the input is a Word 6.0/95 document, a layout older than Word 97: "
                       "save it as .docx or PDF");
    fb->flags = gd_le16(w + 0x0A);
    if (fb->flags & 0x0100)
        return fail(d, "the Word document is encrypted (password protected): save it "
                       "without a password");
    size_t at = 32;
    size_t csw = gd_le16(w + at);
    at += 2 + 2 * csw;
    if (at + 2 > d->wd_len)
        goto short_fib;
    size_t cslw = gd_le16(w + at);
    size_t lw = at + 2;
    at = lw + 4 * cslw;
    if (cslw < 4 || at + 2 > d->wd_len)
        goto short_fib;
    fb->ccp_text = gd_le32(w + lw + 12);
    size_t pairs = gd_le16(w + at);
    size_t fclcb = at + 2;
    if (pairs < 34 || fclcb + 8 * 34 > d->wd_len)
        goto short_fib;
    fb->fc_papx = gd_le32(w + fclcb + 8 * 13);
    fb->lcb_papx = gd_le32(w + fclcb + 8 * 13 + 4);
    fb->fc_clx = gd_le32(w + fclcb + 8 * 33);
    fb->lcb_clx = gd_le32(w + fclcb + 8 * 33 + 4);
    return 0;
short_fib:
    return fail(d, "the Word document's FIB is cut short (truncated or corrupt)");
}

/* The piece table (PlcPcd) in the CLX: *plc and its number of pieces. */
static int find_pieces(doc *d, const fib *fb, const unsigned char **plc, size_t *npieces)
{
    if (fb->fc_clx > d->tbl_len || fb->lcb_clx > d->tbl_len - fb->fc_clx)
        return fail(d, "the Word document's piece table lies past the end of its table "
                       "stream (truncated)");
    const unsigned char *p = d->tbl + fb->fc_clx, *lim = p + fb->lcb_clx;
    while (p < lim && *p == 0x01) { /* Prc: property modifiers, skipped */
        if (lim - p < 3)
            break;
        size_t cb = gd_le16(p + 1);
        if (cb > (size_t)(lim - p - 3))
            break;
        p += 3 + cb;
    }
    if (lim - p < 5 || *p != 0x02)
        return fail(d, "the Word document has no piece table (corrupt CLX)");
    size_t lcb = gd_le32(p + 1);
    if (lcb > (size_t)(lim - p - 5) || lcb < 16 || (lcb - 4) % 12 != 0)
        return fail(d, "the Word document's piece table is cut short or has a bad size");
    *plc = p + 5;
    *npieces = (lcb - 4) / 12;
    return 0;
}

static int read_document(doc *d, gd_cfb *f, unsigned char **wd, unsigned char **tbl,
                         unsigned char **data)
{
    size_t len;
    long e = find(d, f, "WordDocument");
    if (e < 0)
        return d->status != GD_OK ? -1 : fail(d, not_word(d, f));
    gd_status st = gd_cfb_read(f, e, wd, &len, d->why);
    if (st != GD_OK)
        return d->status = st, -1;
    d->wd = *wd;
    d->wd_len = len;
    fib fb = {0, 0, 0, 0, 0, 0};
    if (read_fib(d, &fb) < 0)
        return -1;
    const char *table = fb.flags & 0x0200 ? "1Table" : "0Table";
    if ((e = find(d, f, table)) < 0)
        return d->status != GD_OK ? -1 : fail(d, fb.flags & 0x0200 ? "the Word document has no 1Table stream (corrupt)"
                                         : "the Word document has no 0Table stream (corrupt)");
    if ((st = gd_cfb_read(f, e, tbl, &len, d->why)) != GD_OK)
        return d->status = st, -1;
    d->tbl = *tbl;
    d->tbl_len = len;
    if ((e = find(d, f, "Data")) >= 0) {
        if ((st = gd_cfb_read(f, e, data, &len, d->why)) != GD_OK)
            return d->status = st, -1;
        d->data = *data;
        d->data_len = len;
    }
    if (d->status != GD_OK)
        return -1;
    const unsigned char *plc = NULL;
    size_t npieces = 0;
    if (find_pieces(d, &fb, &plc, &npieces) < 0 || read_papx(d, fb.fc_papx, fb.lcb_papx) < 0 ||
        decode_text(d, plc, npieces, fb.ccp_text) < 0)
        return -1;
    classify(d);
    return write_text(d);
}

gd_status gd_doc_to_text(const char *data, size_t len, const gd_allocator *alloc, char **text,
                         size_t *text_len, const char **why)
{
    const char *unused;
    if (!why)
        why = &unused;
    *why = NULL;
    if (!text || !text_len || (!data && len))
        return GD_ERR_ARG;
    *text = NULL;
    *text_len = 0;
    if (len > GD_MAX_INPUT)
        return GD_ERR_TOO_LARGE;
    doc d;
    memset(&d, 0, sizeof d);
    d.a = alloc ? alloc : &gd_libc_allocator;
    d.why = why;
    gd_cfb f;
    unsigned char *wd = NULL, *tbl = NULL, *data_stream = NULL;
    gd_status st = gd_cfb_open(&f, data ? data : "", len, d.a, why);
    if (st == GD_OK && read_document(&d, &f, &wd, &tbl, &data_stream) == 0 && d.status == GD_OK) {
        *text = d.out;
        *text_len = d.out_len;
        d.out = NULL;
    } else if (st == GD_OK) {
        st = d.status != GD_OK ? d.status : GD_ERR_NOMEM;
    }
    gd_cfb_close(&f);
    doc_free(&d, wd);
    doc_free(&d, tbl);
    doc_free(&d, data_stream);
    doc_free(&d, d.runs);
    doc_free(&d, d.scratch);
    doc_free(&d, d.paras);
    doc_free(&d, d.out);
    if (st == GD_OK && !*text) { /* an empty document */
        *text = doc_alloc(&d, 1);
        if (!*text)
            return GD_ERR_NOMEM;
    }
    return st;
}
