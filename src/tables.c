/*
 * tables.c -- tokens to the cells of tables 二, 三 and 四.
 *
 * 1. Section headings are found by keywords (not numerals): each table's
 *    region runs from its heading to the next heading of any section.
 * 2. Inside a region, a text token that matches a row's keys (template.c)
 *    opens that row; the value tokens that follow fill its cells in column
 *    order.  Text between a label and its values (a label broken over lines)
 *    is skipped.  Table 四 is one row of 15 values, read in order.
 * 3. Numbers in a region that no cell took are reported as unplaced.
 * When a heading occurs more than once, the region that yields most cells wins.
 */
#include "internal.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define NORM_CAP (GD_MAX_LABEL_BYTES * 2)
#define HEADING_MAX_BYTES 240 /* a heading longer than this is prose */

enum { SEC_NONE, SEC_OVERVIEW, SEC_ACTIVE, SEC_REQUESTS, SEC_REVIEWS, SEC_PROBLEMS, SEC_OTHER };

static const int table_section[GD_NTABLES] = {SEC_ACTIVE, SEC_REQUESTS, SEC_REVIEWS};

/* ---- Small string helpers on normalised text ---- */

static int starts(const char *s, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    return n >= l && memcmp(s, lit, l) == 0;
}

static int is_cjk_numeral(const char *s, size_t n)
{
    if (n < 3 || ((unsigned char)s[0] & 0xF0) != 0xE0)
        return 0;
    uint32_t cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) |
                  (uint32_t)(s[2] & 0x3F);
    switch (cp) { /* 一二三四五六七八九十 as code points */
    case 0x4E00: case 0x4E8C: case 0x4E09: case 0x56DB: case 0x4E94:
    case 0x516D: case 0x4E03: case 0x516B: case 0x4E5D: case 0x5341:
        return 1;
    default:
        return 0;
    }
}

/* Bytes of leading numbering to skip: "四.", "(三)", "3.", "第四部分". */
static size_t numbering_len(const char *s, size_t n)
{
    size_t off = 0;
    for (int round = 0; round < 2; round++) {
        const char *p = s + off;
        size_t m = n - off, k = 0;
        if (m && p[0] == '(') {
            const char *close = memchr(p, ')', m < 16 ? m : 16);
            if (!close)
                break;
            off += (size_t)(close - p) + 1;
            continue;
        }
        while (k < m && k < 9 && is_cjk_numeral(p + k, m - k))
            k += 3;
        if (k == 0)
            while (k < m && k < 2 && p[k] >= '0' && p[k] <= '9')
                k++;
        if (k && k < m && p[k] == '.') {
            off += k + 1;
            continue;
        }
        if (starts(p, m, "第") && k == 0) {
            size_t j = 3;
            while (j < m && is_cjk_numeral(p + j, m - j))
                j += 3;
            if (j > 3 && (starts(p + j, m - j, "部分") || starts(p + j, m - j, "章"))) {
                off += j + (starts(p + j, m - j, "章") ? 3 : 6);
                continue;
            }
        }
        break;
    }
    return off;
}

/* ---- Section headings ---- */

#define HEADING_SCAN 300 /* bytes of a text token read to tell a heading */
#if HEADING_SCAN + 3 > GD_NORM_CACHE
#error "a heading's bytes must fit the normal form's cache (gd_parse_tables reads it from there)"
#endif

/* Can a token starting like this be a section heading?  Its first
 * character is numbering, a bracket, or the first of a heading's words. */
static int may_be_heading(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == '#' || s[i] == ' ' || s[i] == '('))
        i++;
    if (i < n && s[i] >= '0' && s[i] <= '9')
        return 1;
    if (n - i < 3 || ((unsigned char)s[i] & 0xF0) != 0xE0)
        return 0;
    uint32_t cp = ((uint32_t)(s[i] & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
                  (uint32_t)(s[i + 2] & 0x3F);
    switch (cp) {
    case 0x4E00: case 0x4E8C: case 0x4E09: case 0x56DB: case 0x4E94: /* 一…十 */
    case 0x516D: case 0x4E03: case 0x516B: case 0x4E5D: case 0x5341:
    case 0x7B2C: case 0xFF08: /* 第 （ */
    case 0xFF10: case 0xFF11: case 0xFF12: case 0xFF13: case 0xFF14: /* ０…９, normalised to 0-9 */
    case 0xFF15: case 0xFF16: case 0xFF17: case 0xFF18: case 0xFF19:
    case 0x603B: case 0x6982: case 0x4E3B: case 0x6536: case 0x653F: /* 总概主收政因行存其 */
    case 0x56E0: case 0x884C: case 0x5B58: case 0x5176:
        return 1;
    default:
        return 0;
    }
}

static int section_of(const char *norm, size_t n)
{
    if (n > HEADING_MAX_BYTES) {
        /* a heading run into its section's text: only a numbered one counts */
        size_t k = 0;
        while (k < 9 && is_cjk_numeral(norm + k, n - k))
            k += 3;
        if (!k || norm[k] != '.')
            return SEC_NONE;
        n = HEADING_MAX_BYTES;
    }
    size_t off = numbering_len(norm, n);
    const char *p = norm + off;
    size_t m = n - off;
    if (starts(p, m, "总体情况") || starts(p, m, "概述") || starts(p, m, "概况"))
        return SEC_OVERVIEW;
    if (starts(p, m, "主动公开政府信息"))
        return SEC_ACTIVE;
    if (starts(p, m, "收到和处理政府信息公开申请") || starts(p, m, "收到和处理政府信息公开"))
        return SEC_REQUESTS;
    if ((starts(p, m, "政府信息公开行政") || starts(p, m, "因政府信息公开") ||
         starts(p, m, "行政复议")) &&
        gd_contains(p, m, "诉讼") && gd_contains(p, m, "情况"))
        return SEC_REVIEWS;
    if ((starts(p, m, "存在的主要问题") || starts(p, m, "政府信息公开工作存在") ||
         starts(p, m, "存在问题") || starts(p, m, "主要问题")) &&
        gd_contains(p, m, "改进"))
        return SEC_PROBLEMS;
    if (starts(p, m, "其他需要报告"))
        return SEC_OTHER;
    return SEC_NONE;
}

/* The fixed words this stage looks for in a token.  Which of them a token's
 * normal form contains is found once (tok_words) and kept as a bit mask in
 * the token, since regions are read more than once (dry runs, anchors). */
const char *const gd_table_words[GD_NWORDS] = {
    "第二十条", "信息内容",                                /* 0-1 */
    "本年新收", "勾稽关系", "结转下年度继续办理",           /* 2-4 */
    "未经复议", "复议后起诉",                              /* 5-6 */
    "申请人情况", "自然人", "勾稽",                         /* 7-9 */
    "行政复议", "行政诉讼", "维持", "审结",                 /* 10-13 */
    "本年制发", "本年废止", "现行有效", "本年处理决定", "本年收费金额", /* 14-18 */
    "本年新制作", "本年新公开", "对外公开总数", "上一年项目", "本年增/减", "采购项目",
    "采购总金额",                                          /* 19-25 */
};

#define NWORDS GD_NWORDS
#define BIT(w) (1u << (w))

/* Words that show a table has begun (column headers, captions). */
static const uint32_t header_words[GD_NTABLES] = {
    BIT(0) | BIT(1),
    BIT(7) | BIT(8) | BIT(9),
    BIT(10) | BIT(11) | BIT(12) | BIT(13) | BIT(6),
};
/* A table's own words, that place it without its heading. */
static const uint32_t anchor_words[GD_NTABLES] = {
    BIT(0) | BIT(1),
    BIT(2) | BIT(3) | BIT(4),
    BIT(5) | BIT(6),
};
/* Column headers that tell the templates of section 二 apart (TEMPLATES §5). */
static const uint32_t active_2021_words = BIT(14) | BIT(15) | BIT(16) | BIT(17) | BIT(18);
static const uint32_t active_2019_words =
    BIT(19) | BIT(20) | BIT(21) | BIT(22) | BIT(23) | BIT(24) | BIT(25);

/* Length and bloom of each word: gd_word_idx (template_keys.c). */
typedef gd_word_index word_index;

/* The words of the table that text s[0, n) (bloom: gd_bloom of it) contains. */
static uint32_t words_in(const word_index *w, const char *s, size_t n, uint64_t bloom)
{
    uint32_t found = 0;
    for (size_t k = 0; k < NWORDS; k++)
        if (!(w->bloom[k] & ~bloom) && gd_contains_n(s, n, gd_table_words[k], w->len[k]))
            found |= BIT(k);
    return found;
}

/* The words of the table that token i's normal form contains. */
static uint32_t tok_words(gd_ctx *c, const word_index *w, size_t i)
{
    gd_tok *tk = &c->toks[i];
    if (!tk->worded) {
        size_t n;
        const char *norm = gd_tok_normed(c, tk, &n);
        tk->words = words_in(w, norm, n, tk->bloom);
        tk->worded = 1;
    }
    return tk->words;
}

static unsigned popcount32(uint32_t v)
{
    unsigned n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

static int has_anchor(gd_ctx *c, const word_index *w, gd_table_id t, size_t i);

/* ---- One table region ---- */

#define MAX_AMBIGUOUS 4  /* rows of run-together digits settled by column identities */
#define MAX_CANDIDATES 8 /* readings kept per such row */

typedef struct {
    int row;
    size_t i, j; /* its tokens */
    int ncand;
    gd_span parts[MAX_CANDIDATES * GD_MAX_COLS];
    int64_t vals[MAX_CANDIDATES * GD_MAX_COLS];
} ambiguous;

typedef struct {
    gd_ctx *c;
    const word_index *w;
    gd_table_id t;
    const gd_tabledef *def;
    size_t a, b;      /* token range of the region */
    int commit;       /* 0: dry run to score a region; 1: fill the report */
    gd_table *out;
    unsigned tplbit;  /* GD_TPL_2019 or GD_TPL_2021 (section 二's columns) */
    int filled;       /* cells filled */
    int written;      /* of them, cells not blank: a blank form has none */
    size_t first, last; /* first and last token that belonged to the table */
    /* the row being read */
    int row;
    size_t got;
    size_t vals[GD_MAX_COLS];
    int group;        /* table 三: current group （三）…（六） */
    int last_row;
    int glued;        /* rows split out of run-together digits */
    gd_span glued_at;
    int namb;         /* rows in amb */
    int at_heading;   /* the region starts at the section heading */
    size_t start;     /* the table's first token in the region (table_start) */
    /* the table's keys in one list, in row then key order, for match_row's
     * bloom test (a label holds all the bits of a key it contains) */
    const gd_keyindex *keys;
    /* table 三 as a broken converter leaves it: labels without values
     * ("floating") and rows of values without labels */
    unsigned char floating[GD_MAX_ROWS];
    size_t unlabelled[GD_MAX_ROWS];
    int nunlabelled;
    size_t label_tok; /* the token that named the row being read */
    size_t line, label_line; /* line count, and the label's line */
    /* last, and not cleared when a region is set up (namb says what holds) */
    ambiguous amb[MAX_AMBIGUOUS]; /* rows whose digits split several ways */
} region;

/* A region with every field zero but amb (large, and read only up to namb). */
static void clear_region(region *g)
{
    memset(g, 0, offsetof(region, amb));
}

/* Normalise token i for label matching into buf; 0 when it cannot be a
 * label.  A long text is prose, unless values follow it at once: then it is
 * a label that a scraper ran into the text before it, and its tail counts. */
static size_t norm_tok(const region *g, size_t i, char *buf, uint64_t *bloom)
{
    gd_ctx *c = g->c;
    const gd_tok *t = &c->toks[i];
    if (t->end - t->start <= GD_MAX_LABEL_BYTES) {
        size_t n = gd_tok_norm(c, t, buf, NORM_CAP);
        *bloom = t->bloom;
        return n;
    }
    if (!(i + 1 < c->ntoks && c->toks[i + 1].type != TOK_TEXT))
        return 0;
    size_t start = t->end - GD_MAX_LABEL_BYTES;
    while (start < t->end && ((unsigned char)c->text[start] & 0xC0) == 0x80)
        start++; /* to a character boundary */
    size_t n = gd_normalize_bloom(c->text + start, t->end - start, buf, NORM_CAP, bloom);
    return n;
}

static int row_in_template(const region *g, int r)
{
    return g->t != GD_TABLE_ACTIVE || (g->def->rows[r].templates & g->tplbit);
}

static size_t row_ncols(const region *g, int r)
{
    const gd_rowdef *rd = &g->def->rows[r];
    size_t n = 0;
    for (unsigned k = 0; k < rd->ncols; k++)
        if (g->t != GD_TABLE_ACTIVE || (rd->cols[k].templates & g->tplbit))
            n++;
    return n;
}

/* A number token's kind in a cell that is not a 本年增/减 one: text when it
 * overflowed or carries a sign word (减4). */
static gd_cell_kind number_kind(const gd_tok *tk)
{
    return (tk->flags & (TOKF_OVERFLOW | TOKF_SIGN_WORD)) ? GD_CELL_TEXT : GD_CELL_NUMBER;
}

/* Is column col of row r the 2019 本年增/减 column, the only one whose
 * values may carry a sign written as a word (减4)?  Elsewhere such a cell is
 * words, never a number. */
static int is_delta(const region *g, int r, int col)
{
    return g->t == GD_TABLE_ACTIVE && col >= 0 &&
           strcmp(g->def->rows[r].cols[col].id, "items_delta") == 0;
}

/* The column index of the k-th value of row r under the region's template. */
static int value_col(const region *g, int r, size_t k)
{
    const gd_rowdef *rd = &g->def->rows[r];
    for (unsigned j = 0; j < rd->ncols; j++)
        if (g->t != GD_TABLE_ACTIVE || (rd->cols[j].templates & g->tplbit)) {
            if (k == 0)
                return (int)j;
            k--;
        }
    return -1;
}

/* The row whose keys the label matches, or -1.  *weak: the label only
 * counts when a value follows at once. */
static int match_row(const region *g, const char *norm, size_t n, uint64_t bloom, int *weak)
{
    size_t off = numbering_len(norm, n);
    *weak = 0;
    /* every key of every row of the template, in order: the bloom test
     * first (a character of the key is not in the label), as it rules out
     * nearly all */
    const gd_keyindex *ki = g->keys;
    for (unsigned e = 0; e < ki->nkeys; e++) {
        if (ki->kbloom[e] & ~bloom)
            continue;
        unsigned r = ki->krow[e];
        size_t q = ki->kkey[e];
        const gd_rowdef *rd = &g->def->rows[r];
        if (!row_in_template(g, (int)r))
            continue;
        size_t kl = ki->keylen[r][q];
        int hit = (rd->flags & GD_ROW_EXACT) ? (n - off == kl && memcmp(norm + off, rd->keys[q], kl) == 0)
                                             : gd_contains_n(norm, n, rd->keys[q], kl);
        if (!hit)
            continue;
        /* the group is the current caption's, or the last row read's
         * (captions may be lost or garbled; rows keep their order) */
        if ((rd->flags & GD_ROW_NEEDS_GROUP) && g->group != rd->group &&
            !(g->last_row >= 0 && g->def->rows[g->last_row].group == rd->group))
            continue;
        *weak = (rd->flags & GD_ROW_EXACT) != 0;
        return (int)r;
    }
    /* A bare 总计 after the results is （七）总计 (the column header 总计 is not:
     * it is never followed by a value). */
    if (g->t == GD_TABLE_REQUESTS && n - off == strlen("总计") &&
        memcmp(norm + off, "总计", n - off) == 0 && g->last_row >= RQ_OTHER_NO_CORRECTION) {
        *weak = 1;
        return RQ_TOTAL;
    }
    return -1;
}

/* The group （三）…（六） a label of table 三 names, or -1.  bloom: gd_bloom
 * of norm, which rules out a keyword whose characters it lacks. */
static int group_of(const region *g, const char *norm, size_t n, uint64_t bloom)
{
    (void)g;
    for (size_t k = 0; k < GD_MAX_GROUPS && gd_request_groups[k].marker; k++) {
        const gd_group_caption *gc = &gd_request_groups[k];
        if (starts(norm, n, gc->marker) ||
            (n < 60 && !(gd_group_idx.bloom[k] & ~bloom) &&
             gd_contains_n(norm, n, gc->keyword, gd_group_idx.len[k])))
            return gc->group;
    }
    return -1;
}

static int is_value(const gd_tok *t)
{
    return t->type != TOK_TEXT;
}

static gd_span tok_span(const gd_tok *t)
{
    gd_span s = {t->start, t->end};
    return s;
}

/* Token i belongs to the table: widen its span (rows may be placed out of
 * order, as unlabelled ones are). */
static void mark(region *g, size_t i)
{
    if (g->first == (size_t)-1 || i < g->first)
        g->first = i;
    if (i > g->last)
        g->last = i;
}

/* Put the values read for g->row into the table. */
static int flush_row(region *g)
{
    int r = g->row;
    size_t got = g->got;
    g->row = -1;
    g->got = 0;
    if (r < 0 || got == 0)
        return 0;
    gd_ctx *c = g->c;
    char path[96];
    if (g->out->row_present[r]) {
        if (g->commit) {
            gd_cell_path(g->t, r, -1, path, sizeof path);
            gd_span at = tok_span(&c->toks[g->vals[0]]);
            if (gd_add_finding(c, "parse.duplicate_row", GD_WARNING, g->t, r, -1, NULL, NULL, at,
                               "%s appears twice; the values of the second one are not used",
                               path))
                return -1;
        }
        return 0;
    }
    g->out->row_present[r] = 1;
    g->last_row = r;
    for (size_t k = 0; k < got; k++) {
        gd_tok *tk = &c->toks[g->vals[k]];
        int col = value_col(g, r, k);
        gd_cell *cell = &g->out->cells[r][col];
        cell->raw = tok_span(tk);
        cell->note.start = tk->note_start;
        cell->note.end = tk->note_end;
        cell->units = tk->units;
        cell->scale = tk->scale;
        g->filled++;
        mark(g, g->vals[k]);
        switch (tk->type) {
        case TOK_NUMBER:
            cell->kind = (tk->flags & TOKF_OVERFLOW) ||
                                 ((tk->flags & TOKF_SIGN_WORD) && !is_delta(g, r, col))
                             ? GD_CELL_TEXT
                             : GD_CELL_NUMBER;
            break;
        case TOK_NA: cell->kind = GD_CELL_NA; break;
        case TOK_TEXT: cell->kind = GD_CELL_TEXT; break;
        default: cell->kind = GD_CELL_EMPTY; break;
        }
        g->written += cell->kind != GD_CELL_EMPTY;
        if (tk->type == TOK_TEXT) {
            /* a words cell runs to the end of its segment */
            size_t e = g->vals[k];
            while (e + 1 < c->ntoks && !(c->toks[e + 1].flags & (TOKF_SEG_START | TOKF_LINE_START)))
                e++;
            cell->raw.end = c->toks[e].end;
            mark(g, e); /* the table's span covers the whole cell */
            for (size_t q = g->vals[k]; q <= e && g->commit; q++)
                if (c->toks[q].type != TOK_NUMBER) /* a number in words stays unplaced */
                    c->toks[q].used = 1;
        }
        if (!g->commit)
            continue;
        tk->used = 1;
        if (tk->flags & TOKF_OVERFLOW) {
            gd_cell_path(g->t, r, col, path, sizeof path);
            if (gd_add_finding(c, "parse.number_too_large", GD_WARNING, g->t, r, col, NULL, NULL,
                               cell->raw,
                               "%s holds a number of more than %d digits; it is kept as text",
                               path, GD_MAX_DIGITS))
                return -1;
        }
    }
    size_t need = row_ncols(g, r);
    if (got < need && g->commit) {
        gd_cell_path(g->t, r, -1, path, sizeof path);
        gd_span at = tok_span(&c->toks[g->vals[0]]);
        if (gd_add_finding(c, "parse.incomplete_row", GD_WARNING, g->t, r, -1, NULL, NULL, at,
                           "%s has %zu of its %zu cells; the others are missing", path, got,
                           need))
            return -1;
    }
    return 0;
}

static int glued_run(const gd_ctx *c, size_t i, size_t j)
{
    for (; i < j; i++)
        if (c->toks[i].flags & TOKF_GLUED)
            return 1;
    return 0;
}

static int delimited_run(const gd_ctx *c, size_t i, size_t j)
{
    for (; i < j; i++)
        if (c->toks[i].flags & TOKF_CELL)
            return 1;
    return 0;
}

static int plain_run(const gd_ctx *c, size_t i, size_t j)
{
    for (; i < j; i++)
        if (!(c->toks[i].flags & TOKF_PLAIN))
            return 0;
    return 1;
}

/* Put a split into the table: `need` cells of `row`, or with row -1 the
 * 15 cells of table 四 in order. */
static void fill_split(region *g, int row, size_t need, const gd_span *parts,
                       const int64_t *vals, size_t i, size_t j)
{
    for (size_t k = 0; k < need; k++) {
        int r = row >= 0 ? row : (int)(k / 5);
        int col = row >= 0 ? value_col(g, row, k) : (int)(k % 5);
        gd_cell *cell = &g->out->cells[r][col];
        g->out->row_present[r] = 1;
        cell->kind = GD_CELL_NUMBER;
        cell->units = vals[k];
        cell->scale = 0;
        cell->raw = parts[k];
        cell->note.start = cell->note.end = parts[k].start;
        g->filled++;
        g->written++;
    }
    for (size_t k = i; k < j; k++) {
        mark(g, k);
        if (g->commit)
            g->c->toks[k].used = 1;
    }
    if (row >= 0)
        g->last_row = row;
    g->glued++;
    if (g->glued_at.end == 0) {
        g->glued_at.start = g->c->toks[i].start;
        g->glued_at.end = g->c->toks[j - 1].end;
    }
}

static int report_ambiguous(region *g, int row, size_t i, size_t j)
{
    gd_ctx *c = g->c;
    char path[96];
    if (!g->commit)
        return 0;
    if (row >= 0)
        c->uncertain[g->t][row] = 1;
    gd_cell_path(g->t, row, -1, path, sizeof path);
    gd_span at = {c->toks[i].start, c->toks[j - 1].end};
    return gd_add_finding(c, "parse.glued_cells", GD_WARNING, g->t, row, -1, NULL, NULL, at,
                          "%s: the digits '%.*s' were run together and split more than one "
                          "way or not at all; the cells are left empty and the digits listed in unplaced",
                          path, (int)(at.end - at.start), c->text + at.start);
}

/* Fill `need` cells of `row` (reviews: row -1, the 15 cells in order) from
 * the digit groups of tokens [i, j).  Returns 1 when placed, 2 when the
 * digits split more than one way (kept as candidates for the column
 * identities, or reported and left unplaced), 0 when they cannot be split
 * (the caller reads them one per cell). */
static int place_split(region *g, int row, size_t need, gd_split_rule rule, size_t i, size_t j)
{
    gd_ctx *c = g->c;
    gd_span groups[32], parts[MAX_CANDIDATES * GD_SPLIT_MAX_PARTS];
    int64_t vals[MAX_CANDIDATES * GD_SPLIT_MAX_PARTS];
    /* only free text can hide run-together cells: cells that tabs or pipes
     * delimit ("128\t121\t" with a blank last cell) are never re-split */
    if (j - i > 32 || need > GD_SPLIT_MAX_PARTS || !plain_run(c, i, j) ||
        (!glued_run(c, i, j) && delimited_run(c, i, j)))
        return 0;
    for (size_t k = i; k < j; k++) {
        groups[k - i].start = c->toks[k].start;
        groups[k - i].end = c->toks[k].end;
    }
    int n = gd_split_digits(c->text, groups, j - i, (int)need, rule, MAX_CANDIDATES, parts, vals,
                            &c->split_budget);
    if (n == 0)
        return 0;
    if (n == 1) {
        fill_split(g, row, need, parts, vals, i, j);
        return 1;
    }
    if (g->t == GD_TABLE_REQUESTS && row >= 0 && n <= MAX_CANDIDATES &&
        g->namb < MAX_AMBIGUOUS) {
        ambiguous *a = &g->amb[g->namb++];
        a->row = row;
        a->i = i;
        a->j = j;
        a->ncand = n;
        memcpy(a->parts, parts, sizeof(gd_span) * need * (size_t)n);
        memcpy(a->vals, vals, sizeof(int64_t) * need * (size_t)n);
        return 2;
    }
    return report_ambiguous(g, row, i, j) ? -1 : 2;
}

/* Do table 三's column identities hold (cells of missing rows skip them)? */
static int columns_hold(const region *g)
{
    size_t nid;
    const gd_identity *ids = gd_identities(&nid);
    const gd_table *tab = g->out;
    for (size_t k = 0; k < nid; k++) {
        const gd_identity *id = &ids[k];
        if (id->table != GD_TABLE_REQUESTS || id->each != GD_EACH_COLUMN)
            continue;
        for (int col = 0; col < GD_MAX_COLS; col++) {
            int ok = tab->row_present[id->target];
            int64_t sum = 0;
            for (int t = 0; ok && t < id->nterms; t++) {
                int r = id->terms[t];
                if (r == RQ_OTHER_ALL && !tab->row_present[r])
                    continue; /* the other template's row */
                if (!tab->row_present[r] &&
                    (r == RQ_OTHER_NO_CORRECTION || r == RQ_OTHER_UNPAID_FEE || r == RQ_OTHER_OTHER) &&
                    tab->row_present[RQ_OTHER_ALL])
                    continue;
                ok = tab->row_present[r];
                sum += id->signs[t] * tab->cells[r][col].units;
            }
            if (ok && sum != tab->cells[id->target][col].units)
                return 0;
        }
    }
    return 1;
}

/* Rows whose digits split several ways: keep the one combination of
 * candidates under which every column identity holds, if there is one. */
static int resolve_ambiguous(region *g)
{
    if (!g->namb)
        return 0;
    int idx[MAX_AMBIGUOUS] = {0}, pick[MAX_AMBIGUOUS] = {0}, hits = 0;
    for (;;) {
        for (int a = 0; a < g->namb; a++) {
            const ambiguous *am = &g->amb[a];
            size_t need = row_ncols(g, am->row);
            g->out->row_present[am->row] = 1;
            for (size_t k = 0; k < need; k++) {
                gd_cell *cell = &g->out->cells[am->row][value_col(g, am->row, k)];
                cell->kind = GD_CELL_NUMBER;
                cell->units = am->vals[(size_t)idx[a] * need + k];
            }
        }
        if (columns_hold(g) && hits++ == 0)
            memcpy(pick, idx, sizeof pick);
        int a = 0;
        while (a < g->namb && ++idx[a] == g->amb[a].ncand)
            idx[a++] = 0;
        if (a == g->namb)
            break;
    }
    for (int a = 0; a < g->namb; a++) {
        const ambiguous *am = &g->amb[a];
        size_t need = row_ncols(g, am->row);
        g->out->row_present[am->row] = 0;
        memset(g->out->cells[am->row], 0, sizeof g->out->cells[am->row]);
        if (hits == 1)
            fill_split(g, am->row, need, &am->parts[(size_t)pick[a] * need],
                       &am->vals[(size_t)pick[a] * need], am->i, am->j);
        else if (report_ambiguous(g, am->row, am->i, am->j))
            return -1;
    }
    return 0;
}

/* A row whose values came run together ("640020470"): split them when the
 * row identity (总计 = the six applicant columns) allows one reading only. */
static int split_glued(region *g, size_t i, size_t j)
{
    int row = g->row;
    size_t need = row_ncols(g, row);
    gd_split_rule rule = (g->t == GD_TABLE_REQUESTS && need == 7) ? GD_SPLIT_LAST_IS_SUM
                                                                   : GD_SPLIT_FREE;
    int rc = place_split(g, row, need, rule, i, j);
    if (rc > 0) {
        g->row = -1;
        g->got = 0;
    }
    return rc;
}

/* A label that white space cut into pieces on one line: try the token
 * joined with the next text tokens of its cell.  PDF text may space every
 * character (行 政 规 范 性 文 件): a label of SPACED_PIECES characters at
 * most (the longest key has 18, its numbering a few more) is read whole. */
#define SPACED_PIECES 32
static int match_spaced(region *g, size_t i, int *weak, size_t *last)
{
    gd_ctx *c = g->c;
    char joined[NORM_CAP];
    size_t len = gd_tok_norm(c, &c->toks[i], joined, NORM_CAP);
    for (size_t k = i + 1; k < g->b && k < i + SPACED_PIECES; k++) {
        const gd_tok *t = &c->toks[k];
        if (t->type != TOK_TEXT || (t->flags & (TOKF_LINE_START | TOKF_SEG_START)))
            break;
        len += gd_tok_norm(c, t, joined + len, NORM_CAP - len);
        if (len > GD_MAX_LABEL_BYTES)
            break;
        int r = match_row(g, joined, len, gd_bloom(joined, len), weak);
        if (r >= 0) {
            *last = k;
            return r;
        }
    }
    return -1;
}

/* In a row of delimited cells, words in the cell after the label's are
 * that cell's value ("见附件"), unless they open with a bracket (the rest of
 * a long label). */
static int text_cell(const region *g, size_t i)
{
    const gd_tok *t = &g->c->toks[i];
    if (g->row < 0 || g->got >= row_ncols(g, g->row) || g->line != g->label_line ||
        (t->flags & (TOKF_CELL | TOKF_SEG_START)) != (TOKF_CELL | TOKF_SEG_START) ||
        i <= g->label_tok)
        return 0;
    const char *s = g->c->text + t->start;
    size_t n = t->end - t->start;
    if (n && (s[0] == '(' || s[0] == '[' ||
              (n >= 3 && (memcmp(s, "（", 3) == 0 || memcmp(s, "【", 3) == 0))))
        return 0;
    /* a column header is not a value: "总计", "自然人", "本年处理决定数量" */
    char norm[NORM_CAP];
    size_t len = gd_tok_norm(g->c, t, norm, NORM_CAP);
    const gd_rowdef *rd = &g->def->rows[g->row];
    for (unsigned k = 0; k < rd->ncols; k++) {
        char col[NORM_CAP];
        size_t cl = gd_normalize(rd->cols[k].label, strlen(rd->cols[k].label), col, NORM_CAP);
        if (cl == len && memcmp(col, norm, len) == 0)
            return 0;
    }
    if (tok_words(g->c, g->w, i) & header_words[g->t])
        return 0;
    return g->t != GD_TABLE_REQUESTS || group_of(g, norm, len, t->bloom) < 0; /* nor a group caption */
}

/* Section 二 with a row the body added (其他主动公开文件 | 5 | 0 | 12):
 * values no row wants, right after words that name no row.  Keep them as
 * an extra row.  Returns the number of value tokens taken (0: not such a
 * row), or (size_t)-1 on out of memory. */
static size_t read_extra(region *g, size_t i)
{
    gd_ctx *c = g->c;
    if (i == 0 || i - 1 < g->a)
        return 0;
    const gd_tok *lab = &c->toks[i - 1], *v = &c->toks[i];
    if (lab->type != TOK_TEXT || lab->end - lab->start > 90 || lab->used)
        return 0;
    int same_line = !(v->flags & TOKF_LINE_START);
    int cell_lines = (v->flags & lab->flags & (TOKF_LINE_START | TOKF_CELL)) ==
                     (TOKF_LINE_START | TOKF_CELL);
    if (!same_line && !cell_lines)
        return 0;
    char norm[NORM_CAP];
    size_t n = gd_tok_norm(c, lab, norm, NORM_CAP), cjk = 0;
    for (size_t k = 0; k < n; k++)
        cjk += (unsigned char)norm[k] >= 0xE4 && (unsigned char)norm[k] <= 0xE9;
    if (cjk < 6) /* at least two Chinese characters */
        return 0;
    if (tok_words(c, g->w, i - 1) & header_words[g->t])
        return 0;
    static const char *const not_rows[] = {"本年", "数量", "件数", "金额", "单位", NULL};
    for (const char *const *w = not_rows; *w; w++)
        if (gd_contains(norm, n, *w))
            return 0; /* a column header */
    size_t j = i;
    while (j < g->b && is_value(&c->toks[j]) && j - i < GD_MAX_COLS &&
           (j == i || cell_lines || !(c->toks[j].flags & TOKF_LINE_START)))
        j++;
    gd_span label = tok_span(lab);
    gd_extra *x = gd_add_extra(c, g->t, label);
    if (!x)
        return (size_t)-1;
    for (size_t k = i; k < j; k++) {
        gd_tok *tk = &c->toks[k];
        gd_cell *cell = &x->cells[x->ncells++];
        cell->raw = tok_span(tk);
        cell->note.start = tk->note_start;
        cell->note.end = tk->note_end;
        cell->units = tk->units;
        cell->scale = tk->scale;
        cell->kind = tk->type == TOK_NUMBER
                         ? number_kind(tk)
                     : tk->type == TOK_NA ? GD_CELL_NA
                                          : GD_CELL_EMPTY;
        tk->used = 1;
        mark(g, k);
    }
    return j - i;
}

/* How many value tokens stand on the line from token i on. */
static size_t line_values(const gd_ctx *c, size_t i, size_t b)
{
    size_t n = 0;
    for (size_t k = i; k < b && is_value(&c->toks[k]); k++) {
        if (k > i && (c->toks[k].flags & TOKF_LINE_START))
            break;
        n++;
    }
    return n;
}

/* A converter that pulled multi-line labels out of table 三 leaves them
 * without values and their values in rows without labels.  When the
 * unlabelled rows are exactly as many as the rows whose labels floated,
 * pair them in template order. */
static int place_unlabelled(region *g)
{
    int missing[GD_MAX_ROWS], nmissing = 0;
    if (g->t != GD_TABLE_REQUESTS || !g->nunlabelled)
        return 0;
    if (g->row >= 0 && g->got == 0 && !g->out->row_present[g->row])
        g->floating[g->row] = 1;
    for (unsigned r = 0; r < g->def->nrows; r++)
        if (g->floating[r] && !g->out->row_present[r])
            missing[nmissing++] = (int)r;
    if (nmissing != g->nunlabelled)
        return 0;
    for (int k = 0; k < nmissing; k++) {
        g->row = missing[k];
        g->got = 0;
        for (size_t v = 0; v < GD_MAX_COLS; v++)
            g->vals[g->got++] = g->unlabelled[k] + v;
        if (flush_row(g))
            return -1;
    }
    if (!g->commit)
        return 0;
    gd_span at = tok_span(&g->c->toks[g->unlabelled[0]]);
    return gd_add_finding(g->c, "parse.unlabelled_rows", GD_WARNING, g->t, -1, -1, NULL, NULL, at,
                          "table %s: %d rows of values had lost their labels; they were given, "
                          "in template order, to the %d rows whose labels stood apart",
                          g->def->id, nmissing, nmissing);
}

/* Rows of 二 and 三: labels followed by their values. */
static int read_rows(region *g)
{
    gd_ctx *c = g->c;
    char norm[NORM_CAP];
    uint64_t bloom;
    for (size_t i = g->a; i < g->b; i++) {
        gd_tok *tk = &c->toks[i];
        if (tk->flags & TOKF_LINE_START)
            g->line++;
        if (is_value(tk)) {
            size_t on_line = line_values(c, i, g->b);
            if (g->row >= 0 && g->t == GD_TABLE_REQUESTS && on_line == GD_MAX_COLS &&
                !(c->toks[g->label_tok].flags & TOKF_CELL) &&
                (tk->flags & (TOKF_CELL | TOKF_LINE_START)) == (TOKF_CELL | TOKF_LINE_START)) {
                /* a label standing apart from a table row of values: the
                 * converter moved it; the row is paired later by order */
                if (!g->out->row_present[g->row])
                    g->floating[g->row] = 1;
                g->row = -1;
                g->got = 0;
            }
            if (g->row < 0 || g->got >= row_ncols(g, g->row)) {
                /* a whole row of values with no label before it */
                if (g->t == GD_TABLE_REQUESTS && on_line == GD_MAX_COLS &&
                    (tk->flags & TOKF_LINE_START) && g->nunlabelled < GD_MAX_ROWS) {
                    g->unlabelled[g->nunlabelled++] = i;
                    i += on_line - 1;
                }
                if (g->t == GD_TABLE_ACTIVE && g->commit) {
                    size_t used = read_extra(g, i);
                    if (used == (size_t)-1)
                        return -1;
                    if (used) {
                        i += used - 1;
                        continue;
                    }
                }
                continue; /* otherwise no row wants it: unplaced */
            }
            size_t j = i, need = row_ncols(g, g->row);
            if (g->got > 0 && (tk->flags & TOKF_LINE_START) && on_line == need)
                g->got = 0; /* a full line of values beats stray ones before it */
            while (j < g->b && is_value(&c->toks[j]))
                j++;
            if (g->got == 0 && j - i < need) {
                int rc = split_glued(g, i, j);
                if (rc < 0)
                    return -1;
                if (rc > 0) {
                    i = j - 1;
                    continue;
                }
                if (glued_run(c, i, j)) {
                    /* run-together cells that cannot be split ("13575394432.52元"
                     * for 采购项目数量 | 采购总金额): no cell, never a wrong one */
                    if (report_ambiguous(g, g->row, i, j))
                        return -1;
                    g->row = -1;
                    i = j - 1;
                    continue;
                }
            }
            for (size_t from = i; i < j && g->got < need; i++) {
                if (i > from && (c->toks[i].flags & TOKF_LINE_START) &&
                    line_values(c, i, g->b) == need)
                    break; /* a whole row of values starts: it is not this row's tail */
                g->vals[g->got++] = i;
            }
            i--;
            if (g->got == need && flush_row(g))
                return -1;
            continue;
        }
        size_t n = norm_tok(g, i, norm, &bloom);
        if (n == 0)
            continue;
        if (g->t == GD_TABLE_REQUESTS) {
            int grp = group_of(g, norm, n, bloom);
            if (grp > 0)
                g->group = grp;
        }
        int weak, r = match_row(g, norm, n, bloom, &weak);
        size_t last = i;
        if (r < 0) /* a label with spaces inside: "（一） 予以 公开" */
            r = match_spaced(g, i, &weak, &last);
        if (r >= 0 && weak && !(last + 1 < g->b && is_value(&c->toks[last + 1])))
            r = -1;
        if (r < 0 && text_cell(g, i)) {
            g->vals[g->got++] = i;
            /* the words cell runs to the end of its segment (见 附件, 约 2 件):
             * what follows in it is no cell of its own */
            while (i + 1 < g->b && !(c->toks[i + 1].flags & (TOKF_SEG_START | TOKF_LINE_START)))
                i += 1;
            if (g->got == row_ncols(g, g->row) && flush_row(g))
                return -1;
            continue;
        }
        if (r >= 0) {
            if (g->row >= 0 && g->got == 0 && !g->out->row_present[g->row])
                g->floating[g->row] = 1;
            if (flush_row(g))
                return -1;
            g->row = r;
            g->label_tok = i;
            g->label_line = g->line;
            i = last;
            mark(g, i);
            if (g->def->rows[r].group == 0 && !(g->def->rows[r].flags & GD_ROW_GROUP))
                g->group = 0;
        } else if (g->got > 0) {
            /* words between values: the row ends short */
            if (flush_row(g))
                return -1;
        }
    }
    if (flush_row(g))
        return -1;
    return place_unlabelled(g);
}

/* Table 四: the 15 values in order, read from runs of values after its
 * headers (a run of only blank cells is header padding). */
static int read_reviews(region *g)
{
    gd_ctx *c = g->c;
    const size_t ncells = 15;
    size_t taken = 0;
    /* all 15 run together: split them by the group totals */
    size_t vi = g->b, vj = g->b, nvals = 0;
    for (size_t i = g->a; i < g->b; i++)
        if (is_value(&c->toks[i])) {
            if (vi == g->b)
                vi = i;
            vj = i + 1;
            nvals++;
        }
    if (nvals && nvals < ncells && nvals == vj - vi) {
        int rc = place_split(g, -1, ncells, GD_SPLIT_FIVES, vi, vj);
        if (rc < 0)
            return -1;
        if (rc > 0)
            return 0;
    }
    for (size_t i = g->a; i < g->b && taken < ncells;) {
        if (!is_value(&c->toks[i])) {
            i++;
            continue;
        }
        size_t j = i;
        int real = 0;
        while (j < g->b && is_value(&c->toks[j])) {
            real |= c->toks[j].type != TOK_EMPTY;
            j++;
        }
        for (size_t k = i; real && k < j && taken < ncells; k++, taken++) {
            /* the k-th value is (group k / 5, outcome k % 5) */
            gd_tok *tk = &c->toks[k];
            gd_cell *cell = &g->out->cells[taken / 5][taken % 5];
            g->out->row_present[taken / 5] = 1;
            cell->raw = tok_span(tk);
            cell->note.start = tk->note_start;
            cell->note.end = tk->note_end;
            cell->units = tk->units;
            cell->scale = tk->scale;
            cell->kind = tk->type == TOK_NUMBER
                             ? number_kind(tk)
                         : tk->type == TOK_NA ? GD_CELL_NA
                                              : GD_CELL_EMPTY;
            g->filled++;
            g->written += cell->kind != GD_CELL_EMPTY;
            mark(g, k);
            if (g->commit)
                tk->used = 1;
        }
        i = j;
    }
    if (g->commit && taken > 0 && taken < ncells) {
        gd_span at = {g->out->cells[0][0].raw.start, g->out->cells[0][0].raw.end};
        if (gd_add_finding(c, "parse.incomplete_table", GD_WARNING, g->t, -1, -1, NULL, NULL, at,
                           "table 四 has %zu of its 15 cells; the others are missing", taken))
            return -1;
    }
    return 0;
}

/* The first token of the region that belongs to the table. */
static size_t table_start(region *g)
{
    char norm[NORM_CAP];
    for (size_t i = g->a; i < g->b; i++) {
        const gd_tok *tk = &g->c->toks[i];
        if (tk->type != TOK_TEXT)
            continue;
        /* the heading itself starts the table only when a scraper ran the
         * table's first words into it: long, with values right after */
        if (i == g->a && g->at_heading &&
            !(tk->end - tk->start > HEADING_MAX_BYTES / 2 && i + 1 < g->b &&
              is_value(&g->c->toks[i + 1])))
            continue;
        uint64_t bloom;
        size_t n = norm_tok(g, i, norm, &bloom);
        if (n == 0)
            continue;
        /* a long token's tail is read, not its normal form */
        uint32_t found = tk->end - tk->start <= GD_MAX_LABEL_BYTES ? tok_words(g->c, g->w, i)
                                                                  : words_in(g->w, norm, n, bloom);
        if (found & header_words[g->t])
            return i;
        int weak;
        if (g->t != GD_TABLE_REVIEWS && match_row(g, norm, n, bloom, &weak) >= 0)
            return i;
    }
    return g->b;
}

/* Section 二's column headers name its template; a region with none of
 * them (a pre-2019 statistics table) is not the template's table: 0. */
static unsigned active_template(region *g)
{
    unsigned v2019 = 0, v2021 = 0;
    for (size_t i = g->a; i < g->b; i++) {
        if (g->c->toks[i].type != TOK_TEXT)
            continue;
        uint32_t found = tok_words(g->c, g->w, i);
        v2021 += popcount32(found & active_2021_words);
        v2019 += popcount32(found & active_2019_words);
    }
    if (!v2019 && !v2021)
        return 0;
    return v2019 > v2021 ? GD_TPL_2019 : GD_TPL_2021;
}

/* Where a later table's own words start inside region [a, b) (a table
 * found without its heading lies inside the region of the one before). */
static size_t next_table_start(region *g)
{
    for (size_t i = g->a + 1; i < g->b; i++)
        for (int t = g->t + 1; t < GD_NTABLES; t++)
            if (has_anchor(g->c, g->w, (gd_table_id)t, i))
                return i;
    return g->b;
}

static int read_region(region *g)
{
    /* A commit read fills the report's table, which is still blank: the
     * report is zeroed when made, and a table read as a blank form is zeroed
     * again (parse_table).  Only the scratch table of dry runs needs clearing. */
    if (!g->commit)
        memset(g->out, 0, sizeof *g->out);
    g->filled = 0;
    g->written = 0;
    g->row = -1;
    g->got = 0;
    g->group = 0;
    g->last_row = -1;
    g->first = (size_t)-1;
    g->last = 0;
    g->glued = 0;
    g->glued_at.start = g->glued_at.end = 0;
    g->namb = 0;
    g->nunlabelled = 0;
    memset(g->floating, 0, sizeof g->floating);
    g->label_tok = 0;
    g->line = g->label_line = 0;
    g->tplbit = g->t == GD_TABLE_ACTIVE ? active_template(g) : GD_TPL_BOTH;
    /* the region's own start until table_start finds the table's (left at
     * 0, a heading's empty region would run from the report's first token) */
    g->start = g->a;
    if (!g->tplbit)
        return 0; /* no template's columns: nothing to read */
    g->b = next_table_start(g);
    size_t start = table_start(g);
    g->start = start;
    size_t a = g->a;
    g->a = start;
    int rc = g->t == GD_TABLE_REVIEWS ? read_reviews(g) : read_rows(g);
    if (rc == 0)
        rc = resolve_ambiguous(g);
    g->a = a;
    if (g->first == (size_t)-1)
        g->first = start;
    return rc;
}

/* ---- Unplaced numbers ---- */

static int is_ascii_digit(char ch) { return ch >= '0' && ch <= '9'; }

/* Whether the token next to tk on its line (step -1: before it, +1: after
 * it) is tk's text with its last digit d moved by step: the neighbour cell
 * of a numbered header (`数据1 | 数据2`). */
static int index_neighbour(const gd_ctx *c, const gd_tok *tk, int step, char d)
{
    size_t k = (size_t)(tk - c->toks);
    if (step < 0 ? k == 0 : k + 1 >= c->ntoks)
        return 0; /* no token there */
    const gd_tok *nb = tk + step;
    if (((step < 0 ? tk : nb)->flags & TOKF_LINE_START) || nb->type != TOK_TEXT ||
        nb->end - nb->start != tk->end - tk->start)
        return 0; /* on another line, or not the same word */
    size_t n = tk->end - tk->start - 1;
    return memcmp(c->text + nb->start, c->text + tk->start, n) == 0 &&
           c->text[nb->start + n] == d + step;
}

/* The bytes of the digit at s[i] (i < end): 1 for 0-9, 3 for ０-９, else 0. */
static size_t digit_at(const char *s, size_t i, size_t end)
{
    if (is_ascii_digit(s[i]))
        return 1;
    return end - i >= 3 && memcmp(s + i, "\xEF\xBC", 2) == 0 && (unsigned char)s[i + 2] >= 0x90 &&
                   (unsigned char)s[i + 2] <= 0x99
               ? 3
               : 0;
}

/* Digit runs (0-9 or ０-９) inside a text token that are not item
 * numbering ("1." in "1.属于国家秘密", one or two digits) nor a header's
 * index: one digit ending a word whose neighbour cell is the same word with
 * the next or previous digit (columns a scrape named `数据1 | 数据2 | … |
 * 数据6`).  A lone word and digit (`约2`, `共3`) can be a count: it is
 * listed like any other. */
static int text_digits_unplaced(gd_ctx *c, int table, const gd_tok *tk, size_t *count)
{
    const char *s = c->text;
    for (size_t i = tk->start; i < tk->end;) {
        if (!digit_at(s, i, tk->end)) {
            i++;
            /* words of eight bytes with no digit at once (most of a label;
             * ０-９ start with 0xEF) */
            while (tk->end - i >= 8 && !gd_has_digit(gd_load8(s + i)) &&
                   !gd_has_byte(gd_load8(s + i), 0xEF))
                i += 8;
            continue;
        }
        size_t j = i, digits = 0, d;
        while (j < tk->end && (d = digit_at(s, j, tk->end)) != 0)
            j += d, digits++;
        int numbering = digits <= 2 && j < tk->end &&
                        (s[j] == '.' || (tk->end - j >= 3 && (memcmp(s + j, "、", 3) == 0 ||
                                                              memcmp(s + j, "．", 3) == 0)));
        int trailing_index = j - i == 1 && j == tk->end && i > tk->start &&
                             (index_neighbour(c, tk, -1, s[i]) || index_neighbour(c, tk, 1, s[i]));
        if (!numbering && !trailing_index) {
            gd_span sp = {i, j};
            if (gd_add_unplaced(c, table, sp))
                return -1;
            ++*count;
        }
        i = j;
    }
    return 0;
}

/* The numbers of tokens [start, g->b) in no cell go to unplaced, with one
 * warning; so do those of [cells_from, start) that stand alone or in a
 * cell, not the digits inside a sentence's words (`收到申请12件`). */
static int report_unplaced(gd_ctx *c, region *g, size_t cells_from, size_t start)
{
    size_t count = 0, before = c->rep->nunplaced;
    for (size_t i = cells_from < start ? cells_from : start; i < g->b; i++) {
        const gd_tok *tk = &c->toks[i];
        if (i < start && tk->type == TOK_TEXT && !(tk->flags & TOKF_CELL))
            continue; /* a sentence's digits */
        if (tk->type == TOK_NUMBER && !tk->used) {
            gd_span sp = tok_span(tk);
            if (gd_add_unplaced(c, g->t, sp))
                return -1;
            count++;
        } else if (tk->type == TOK_TEXT && text_digits_unplaced(c, g->t, tk, &count)) {
            return -1;
        }
    }
    if (!count)
        return 0;
    const gd_unplaced *u = &c->rep->unplaced[before];
    size_t shown = u->raw.end - u->raw.start;
    if (shown > 40) {
        shown = 40; /* a short quote, cut at a character boundary */
        while (shown > 0 && ((unsigned char)c->text[u->raw.start + shown] & 0xC0) == 0x80)
            shown--;
    }
    return gd_add_finding(c, "parse.unplaced_number", GD_WARNING, g->t, -1, -1, NULL, NULL,
                          u->raw,
                          "%zu number%s in table %s could not be placed in a cell (first: %.*s); "
                          "see unplaced",
                          count, count == 1 ? "" : "s", g->def->id, (int)shown,
                          c->text + u->raw.start);
}

/* ---- Driver ---- */

typedef struct {
    size_t tok;
    int sec;
} heading;

static int has_anchor(gd_ctx *c, const word_index *w, gd_table_id t, size_t i)
{
    const gd_tok *tk = &c->toks[i];
    if (tk->type != TOK_TEXT || tk->end - tk->start > GD_MAX_LABEL_BYTES)
        return 0;
    return (tok_words(c, w, i) & anchor_words[t]) != 0;
}

/* The table was read into the report: finish it. */
static int finish_table(gd_ctx *c, region *g)
{
    gd_table *tab = g->out;
    tab->present = 1;
    /* the span runs over the tokens the table took; with none marked (only
     * blank cells were written), over the region's start */
    size_t first = g->first, last = g->last;
    if (first == (size_t)-1 || first >= c->ntoks)
        first = g->start < c->ntoks ? g->start : (c->ntoks ? c->ntoks - 1 : 0);
    if (last < first || last >= c->ntoks)
        last = first;
    if (c->ntoks) {
        tab->span.start = c->toks[first].start;
        tab->span.end = c->toks[last].end;
    }
    if (g->t == GD_TABLE_ACTIVE)
        tab->template = g->tplbit == GD_TPL_2019 ? GD_TEMPLATE_2019 : GD_TEMPLATE_2021;
    if (g->glued &&
        gd_add_finding(c, "parse.glued_cells", GD_WARNING, g->t, -1, -1, NULL, NULL, g->glued_at,
                       "table %s: %d row%s of digits run together were split where the table's "
                       "own totals allow one reading only",
                       g->def->id, g->glued, g->glued == 1 ? "" : "s"))
        return -1;
    return report_unplaced(c, g, first, first);
}

/* A heading's region g gave no cell: keep it, so that its numbers are
 * listed later (unless the report turns out to predate the template):
 * those from the table's first word on, and those below the heading that
 * are not a sentence's (a table whose words were all missed).  With several
 * headings of the section (a table of contents, a repeated heading), the
 * region with the most numbers is kept. */
static size_t numbers_in(const gd_ctx *c, size_t a, size_t b)
{
    size_t numbers = 0;
    for (size_t i = a; i < b; i++)
        numbers += c->toks[i].type == TOK_NUMBER;
    return numbers;
}

static void keep_empty_region(gd_ctx *c, const region *g, size_t heading_tok)
{
    gd_span *e = &c->empty_region[g->t];
    size_t *from = &c->empty_cells_from[g->t];
    if (e->end > *from && numbers_in(c, heading_tok + 1, g->b) <= numbers_in(c, *from, e->end))
        return; /* one was kept with as many */
    e->start = g->start;
    e->end = g->b;
    *from = heading_tok + 1;
}

static int parse_table(gd_ctx *c, const word_index *w, gd_table_id t, const heading *hs,
                       size_t nh, int *heading_seen)
{
    region g;
    clear_region(&g);
    g.c = c;
    g.w = w;
    g.t = t;
    g.def = gd_table_def(t);
    g.keys = &gd_key_index[t];
    gd_table scratch, *tab = &c->rep->tables[t];

    /* Candidate regions: from each heading of this table's section to the
     * next heading.  With one candidate, read it straight into the report;
     * with several, a dry run scores each and the best is read. */
    size_t ncand = 0, only = 0;
    for (size_t h = 0; h < nh; h++)
        if (hs[h].sec == table_section[t])
            ncand++, only = h;
    *heading_seen = ncand > 0;
    if (ncand == 1) {
        g.a = hs[only].tok; /* a heading run into the table may hold its first label */
        g.at_heading = 1;
        g.b = only + 1 < nh ? hs[only + 1].tok : c->ntoks;
        g.out = tab;
        g.commit = 1;
        if (read_region(&g))
            return -1;
        if (g.written > 0)
            return finish_table(c, &g);
        memset(tab, 0, sizeof *tab); /* a blank form is no table */
        keep_empty_region(c, &g, hs[only].tok);
    }
    g.out = &scratch;
    g.commit = 0;
    size_t best_a = 0, best_b = 0;
    int best = -1, best_at_heading = 0;
    for (size_t h = 0; h < nh && ncand > 1; h++) {
        if (hs[h].sec != table_section[t])
            continue;
        g.a = hs[h].tok;
        g.at_heading = 1;
        g.b = h + 1 < nh ? hs[h + 1].tok : c->ntoks;
        if (read_region(&g))
            return -1;
        if (g.written && g.filled > best) {
            best = g.filled;
            best_a = g.a;
            best_b = g.b;
            best_at_heading = 1;
        } else if (!g.written) {
            keep_empty_region(c, &g, hs[h].tok);
        }
    }
    if (best <= 0) {
        /* No heading (or an empty one): start at the table's own words. */
        for (size_t i = 0; i < c->ntoks; i++) {
            if (!has_anchor(c, w, t, i))
                continue;
            g.a = i;
            g.at_heading = 0;
            g.b = c->ntoks;
            for (size_t h = 0; h < nh; h++)
                if (hs[h].tok > i) {
                    g.b = hs[h].tok;
                    break;
                }
            if (read_region(&g))
                return -1;
            if (g.written && g.filled > best) {
                best = g.filled;
                best_a = g.a;
                best_b = g.b;
                best_at_heading = 0;
            }
            break;
        }
    }
    if (best <= 0) {
        memset(tab, 0, sizeof *tab);
        return 0;
    }
    g.a = best_a;
    g.b = best_b;
    g.at_heading = best_at_heading;
    g.out = tab;
    g.commit = 1;
    if (read_region(&g))
        return -1;
    return finish_table(c, &g);
}

/* Table 三's template: （六） as three numbered rows (2021) or one (2019). */
static int settle_requests_template(gd_ctx *c)
{
    gd_table *tab = &c->rep->tables[GD_TABLE_REQUESTS];
    if (!tab->present)
        return 0;
    int split = tab->row_present[RQ_OTHER_NO_CORRECTION] || tab->row_present[RQ_OTHER_UNPAID_FEE] ||
                tab->row_present[RQ_OTHER_OTHER];
    if (!split && tab->row_present[RQ_OTHER_ALL]) {
        tab->template = GD_TEMPLATE_2019;
        return 0;
    }
    if (!split && !tab->row_present[RQ_OTHER_ALL]) {
        tab->template = GD_TEMPLATE_UNKNOWN; /* no （六） row seen: no vote */
        return 0;
    }
    tab->template = GD_TEMPLATE_2021;
    if (!tab->row_present[RQ_OTHER_ALL])
        return 0;
    /* Both shapes at once: keep the numbered rows; the values that followed
     * the caption （六）其他处理 (a lost label's, most likely) go to unplaced. */
    size_t n = 0;
    gd_span first = {0, 0};
    for (int k = 0; k < GD_MAX_COLS; k++) {
        gd_cell *cell = &tab->cells[RQ_OTHER_ALL][k];
        if (cell->kind != GD_CELL_NUMBER && cell->kind != GD_CELL_TEXT)
            continue;
        if (gd_add_unplaced(c, GD_TABLE_REQUESTS, cell->raw))
            return -1;
        if (!n++)
            first = cell->raw;
    }
    tab->row_present[RQ_OTHER_ALL] = 0;
    memset(tab->cells[RQ_OTHER_ALL], 0, sizeof tab->cells[RQ_OTHER_ALL]);
    if (!n)
        return 0;
    return gd_add_finding(c, "parse.unplaced_number", GD_WARNING, GD_TABLE_REQUESTS,
                          RQ_OTHER_ALL, -1, NULL, NULL, first,
                          "%zu values follow the caption （六）其他处理 in a table whose （六） has "
                          "numbered rows; they belong to no row and are listed in unplaced",
                          n);
}

static gd_template overall_template(const gd_report *r)
{
    gd_template t = GD_TEMPLATE_UNKNOWN;
    for (int k = 0; k < GD_NTABLES; k++) {
        gd_template tk = r->tables[k].present ? r->tables[k].template : GD_TEMPLATE_UNKNOWN;
        if (tk == GD_TEMPLATE_UNKNOWN)
            continue;
        if (t == GD_TEMPLATE_UNKNOWN)
            t = tk;
        else if (t != tk)
            return GD_TEMPLATE_MIXED;
    }
    return t;
}

static int missing_rows(gd_ctx *c, gd_table_id t)
{
    const gd_tabledef *def = gd_table_def(t);
    gd_table *tab = &c->rep->tables[t];
    if (!tab->present)
        return 0;
    unsigned bit = tab->template == GD_TEMPLATE_2019 ? GD_TPL_2019 : GD_TPL_2021;
    char path[96];
    for (unsigned r = 0; r < def->nrows; r++) {
        if (tab->row_present[r] || !(def->rows[r].templates & bit) || c->uncertain[t][r])
            continue;
        gd_cell_path(t, (int)r, -1, path, sizeof path);
        if (gd_add_finding(c, "parse.missing_row", GD_WARNING, t, (int)r, -1, NULL, NULL,
                           tab->span, "row %s (%s) was not found; identities using it are not checked",
                           path, def->rows[r].label))
            return -1;
    }
    return 0;
}

/* Is this text a disclosure report at all?  Its title says so. */
static int looks_like_report(const gd_ctx *c)
{
    size_t head = c->len < 4096 ? c->len : 4096;
    return gd_contains(c->text, c->len, "信息公开") &&
           (gd_contains(c->text, head, "年度报告") || gd_contains(c->text, head, "年报") ||
            gd_contains(c->text, head, "工作报告"));
}

/* ---- Statistics tables of reports before 2019 ---- */

/* The units the old statistics tables print between a label and its values. */
static size_t unit_suffix(const char *s, size_t n)
{
    static const char *const units[] = {"条", "件", "个", "项", "人次", "万元", "元", NULL};
    for (const char *const *u = units; *u; u++) {
        size_t l = strlen(*u);
        if (n >= l && memcmp(s + n - l, *u, l) == 0)
            return l;
    }
    return 0;
}

/* The 2008-format 统计表 (指标名称 | 计量单位 | 本年度 | 历年累计): keep each
 * row as an extra with its label and values, so nothing is lost, without
 * forcing it into the template's ids.  Digits run together with no way to
 * split them are kept as a text cell, never as a wrong number. */
/* Does a token's normal form (norm, n bytes; bloom its gd_bloom) contain
 * the word?  The bloom rules most tokens out at once. */
typedef struct {
    const char *s;
    size_t n;
    uint64_t bloom;
} bloomed_word;

static bloomed_word bloomed(const char *s)
{
    bloomed_word w = {s, strlen(s), 0};
    w.bloom = gd_bloom(s, w.n);
    return w;
}

static int has_word(const char *norm, size_t n, uint64_t bloom, const bloomed_word *w)
{
    return !(w->bloom & ~bloom) && gd_contains_n(norm, n, w->s, w->n);
}

/* The bytes of s[0, n) up to the end of its last column header word: where
 * the first row's label starts in a header run into it ("年度历年累计主动公开
 * 信息数条", what follows 指标名称计量单位2011 in one token); 0 for none. */
static size_t header_words_end(const char *s, size_t n)
{
    static const char *const words[] = {"计量", "年度", "累计", "单位", NULL};
    size_t end = 0;
    for (const char *const *w = words; *w; w++) {
        size_t l = strlen(*w);
        for (size_t at = gd_find(s, 0, n, *w); at < n; at = gd_find(s, at + 1, n, *w))
            if (at + l > end)
                end = at + l;
    }
    return end;
}

static int read_statistics(gd_ctx *c)
{
    size_t i = 0;
    char norm[NORM_CAP];
    const bloomed_word names = bloomed("指标名称"), annex = bloomed("附件");
    const bloomed_word headers[] = {bloomed("计量"), bloomed("年度"), bloomed("累计"),
                                    bloomed("单位")};
    /* (gd_tok_norm leaves the token's bloom, of the same normal form, in it) */
    for (; i < c->ntoks; i++) {
        const gd_tok *tk = &c->toks[i];
        if (tk->type != TOK_TEXT || tk->end - tk->start > GD_MAX_LABEL_BYTES)
            continue;
        size_t n = gd_tok_norm(c, tk, norm, NORM_CAP); /* (before its bloom is read) */
        if (has_word(norm, n, tk->bloom, &names))
            break;
    }
    while (++i < c->ntoks) {
        const gd_tok *lab = &c->toks[i];
        if (lab->type != TOK_TEXT)
            continue;
        size_t n = gd_tok_norm(c, lab, norm, NORM_CAP);
        if (has_word(norm, n, lab->bloom, &annex))
            break;
        if (unit_suffix(norm, n) == n)
            continue; /* a unit alone */
        size_t from = 0; /* where the label starts in the token */
        if (has_word(norm, n, lab->bloom, &headers[0]) ||
            has_word(norm, n, lab->bloom, &headers[1]) ||
            has_word(norm, n, lab->bloom, &headers[2]) || has_word(norm, n, lab->bloom, &headers[3])) {
            /* a column header; with values right after it, the header ran
             * into the first row's label, which follows its last word */
            from = header_words_end(c->text + lab->start, lab->end - lab->start);
            if (from >= lab->end - lab->start || i + 1 >= c->ntoks ||
                c->toks[i + 1].type == TOK_TEXT)
                continue;
        }
        size_t j = i + 1;
        if (j < c->ntoks && c->toks[j].type == TOK_TEXT) {
            size_t un = gd_tok_norm(c, &c->toks[j], norm, NORM_CAP);
            if (un && unit_suffix(norm, un) == un)
                j++; /* the unit column */
        }
        size_t k = j;
        while (k < c->ntoks && k - j < 2 && c->toks[k].type != TOK_TEXT)
            k++;
        if (k == j)
            continue;
        gd_span label = {lab->start + from, lab->end};
        size_t ul = unit_suffix(c->text + label.start, label.end - label.start);
        if (ul && j == i + 1 && label.end - label.start > ul)
            label.end -= ul; /* "主动公开信息数条": the unit ran into the label */
        gd_extra *x = gd_add_extra(c, -1, label);
        if (!x)
            return -1;
        int glued_short = k - j < 2 && (c->toks[j].flags & TOKF_GLUED);
        for (size_t q = j; q < k; q++) {
            gd_tok *v = &c->toks[q];
            gd_cell *cell = &x->cells[x->ncells++];
            cell->raw.start = v->start;
            cell->raw.end = v->end;
            cell->note.start = v->note_start;
            cell->note.end = v->note_end;
            if (v->type == TOK_NUMBER && !(v->flags & TOKF_OVERFLOW) && !glued_short) {
                cell->kind = GD_CELL_NUMBER;
                cell->units = v->units;
                cell->scale = v->scale;
            } else {
                cell->kind = v->type == TOK_NA ? GD_CELL_NA
                             : v->type == TOK_EMPTY ? GD_CELL_EMPTY
                                                    : GD_CELL_TEXT;
            }
        }
        i = k - 1;
    }
    return 0;
}

/* The years 2000-2063 that s[0, n) names as "20YY年": bit YY.  One pass
 * finds every place, as a search for each year would. */
static uint64_t years_named(const char *s, size_t n)
{
    uint64_t seen = 0;
    if (n < 7)
        return 0;
    const char *last = s + n - 7; /* the last place "20YY年" may start */
    for (const char *p = s; p <= last; p++) {
        p = memchr(p, '2', (size_t)(last - p) + 1);
        if (!p)
            break;
        if (p[1] == '0' && p[2] >= '0' && p[2] <= '9' && p[3] >= '0' && p[3] <= '9' &&
            memcmp(p + 4, "年", 3) == 0) {
            int yy = (p[2] - '0') * 10 + (p[3] - '0');
            if (yy < 64)
                seen |= (uint64_t)1 << yy;
        }
    }
    return seen;
}

/* A report on a year before 2019 (its title or 统计 period says so): it
 * names one of 2007年-2018年 in its head, and neither 2019年 nor 2020年. */
static int looks_before_2019(const gd_ctx *c)
{
    size_t head = c->len < 4096 ? c->len : 4096;
    uint64_t seen = years_named(c->text, head);
    uint64_t before = (((uint64_t)1 << 19) - 1) & ~(((uint64_t)1 << 7) - 1); /* 07-18 */
    uint64_t after = ((uint64_t)1 << 19) | ((uint64_t)1 << 20);
    return (seen & before) && !(seen & after);
}

/* The numbers in the region of a table that was not kept (its heading found,
 * no cell read) go to unplaced, whatever is said of the report next. */
static int empty_region_unplaced(gd_ctx *c, gd_table_id t)
{
    if (c->rep->tables[t].present || c->empty_region[t].end <= c->empty_cells_from[t])
        return 0;
    region g;
    clear_region(&g);
    g.c = c;
    g.t = t;
    g.def = gd_table_def(t);
    g.b = c->empty_region[t].end;
    return report_unplaced(c, &g, c->empty_cells_from[t], c->empty_region[t].start);
}

static int missing_tables(gd_ctx *c, const int *seen)
{
    gd_span none = {0, 0};
    int any = 0;
    for (int t = 0; t < GD_NTABLES; t++)
        any |= c->rep->tables[t].present;
    if (!any && !looks_like_report(c)) {
        for (int t = 0; t < GD_NTABLES; t++)
            if (empty_region_unplaced(c, (gd_table_id)t))
                return -1;
        return gd_add_finding(c, "parse.not_a_report", GD_WARNING, -1, -1, -1, NULL, NULL, none,
                              "this text is not a government information disclosure annual "
                              "report: no title and none of its tables were found");
    }
    if (!any && looks_before_2019(c)) {
        if (read_statistics(c))
            return -1;
        return gd_add_finding(c, "parse.pre_template", GD_INFO, -1, -1, -1, NULL, NULL, none,
                              "a report from before the 2019 national template: free-form, so "
                              "no standard table is read; its statistics table, if any, is kept "
                              "as extra rows");
    }
    for (int t = 0; t < GD_NTABLES; t++) {
        const gd_tabledef *def = gd_table_def((gd_table_id)t);
        if (c->rep->tables[t].present)
            continue;
        if (empty_region_unplaced(c, (gd_table_id)t))
            return -1;
        if (gd_add_finding(
                c, "parse.missing_table", GD_WARNING, t, -1, -1, NULL, NULL, none,
                seen[t] ? "table %s (%s): its heading was found but no cell could be read"
                        : "table %s (%s): neither its heading nor its rows were found",
                def->id, def->label))
            return -1;
    }
    return 0;
}

int gd_parse_tables(gd_ctx *c)
{
    /* Headings, in token order. */
    heading *hs = NULL;
    size_t nh = 0, cap = 0;
    char norm[NORM_CAP];
    for (size_t i = 0; i < c->ntoks; i++) {
        const gd_tok *tk = &c->toks[i];
        if (tk->type != TOK_TEXT || !may_be_heading(c->text + tk->start, tk->end - tk->start))
            continue;
        /* a heading's words are near its start: normalise only those */
        size_t head = tk->end - tk->start < HEADING_SCAN ? tk->end - tk->start : HEADING_SCAN;
        while (head < tk->end - tk->start &&
               ((unsigned char)c->text[tk->start + head] & 0xC0) == 0x80)
            head++;
        const char *np = norm;
        size_t n;
        if (head == tk->end - tk->start) {
            /* the whole token (no longer than its normal form's cache, so the
             * cache holds all of it): its normal form, made once for the
             * later stages too */
            np = gd_tok_normed(c, tk, &n);
        } else {
            n = gd_normalize(c->text + tk->start, head, norm, NORM_CAP);
            n = n < HEADING_MAX_BYTES + 1 ? n : HEADING_MAX_BYTES + 1; /* still "long" */
        }
        int sec = section_of(np, n);
        if (sec == SEC_NONE)
            continue;
        if (nh == cap) {
            cap = cap ? cap * 2 : 16;
            heading *p = c->alloc->realloc(c->alloc->ctx, hs, cap * sizeof *p);
            if (!p) {
                c->oom = 1;
                gd_free(c, hs);
                return -1;
            }
            hs = p;
        }
        hs[nh].tok = i;
        hs[nh].sec = sec;
        nh++;
    }

    int rc = 0, seen[GD_NTABLES] = {0};
    for (int t = 0; t < GD_NTABLES && rc == 0; t++)
        rc = parse_table(c, &gd_word_idx, (gd_table_id)t, hs, nh, &seen[t]);
    gd_free(c, hs);
    if (rc)
        return -1;
    if (missing_tables(c, seen))
        return -1;

    gd_report *r = c->rep;
    if (settle_requests_template(c))
        return -1;
    r->template = overall_template(r);
    for (int t = 0; t < GD_NTABLES; t++)
        if (missing_rows(c, (gd_table_id)t))
            return -1;
    return 0;
}
