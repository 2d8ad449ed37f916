/*
 * test_doc.c -- the seed report, dazu-gaj-2021.txt, as an editable document.
 *
 * The real file (重庆市大足区公安局 2021年政府信息公开工作年度报告) holds its three
 * tables one cell per line: each cell a line starting with a tab, a cell's
 * text sometimes broken over lines ("\t商业\n企业"), one blank line after each
 * table row.  doc_load() cuts the text between the headings 二、主动公开政府信息情况
 * and 五、存在的主要问题及改进情况 into those rows and cells and keeps the rest
 * verbatim, so that doc_render(LAYOUT_CELLS) gives back the file byte for
 * byte (a test checks that).  The same rows can be written as one table row
 * per line with tabs (a PDF text copy) or as markdown pipe rows.  Only the
 * cells a test edits differ from the real report.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEED "dazu-gaj-2021.txt"

const char *const t_layout_names[NLAYOUTS] = {"cells", "tabs", "pipes", "spaces"};

/* The section headings exactly as the seed prints them, in order. */
static const char *const headings[GD_NTABLES + 1] = {
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
};

/* The data rows of each table, in the order the seed prints them. */
static const int active_rows_in_seed[] = {0, 1, 2, 4, 5, 6}; /* no 2019 rows */
static const int active_values_in_seed[] = {3, 3, 1, 1, 1, 1};

typedef struct {
    char *text;            /* may hold '\n' where the seed breaks a cell over lines */
    size_t start[NLAYOUTS]; /* where the last render of each layout put it */
    size_t end[NLAYOUTS];
} cell;

typedef struct {
    cell *cells;
    int ncells;
    int first_value; /* index of the first number cell; -1 for captions and headers */
    int table, row;  /* a data row: template row (reviews: one block holds all 15) */
    int blank_after; /* blank lines after it in the seed */
} block;

typedef struct {
    int dropped;
    int blank_before;
    block *blocks;
    int nblocks;
} region;

struct t_doc {
    char *heading[GD_NTABLES]; /* as the seed prints them, unless a test changed them */
    char *head; /* text before heading 二 */
    region regions[GD_NTABLES];
    char *tail; /* text from heading 五 on */
};

static char *dup_mem(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* A value cell of the seed: digits, an optional decimal part and an optional
 * full-width bracketed note ("211184（含交通行政处罚实施数量209995）"). */
static int is_seed_value(const char *s)
{
    const char *p = s;
    if (*p < '0' || *p > '9')
        return 0;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == '\0')
        return 1;
    size_t n = strlen(p);
    return strncmp(p, "（", 3) == 0 && n >= 6 && strcmp(p + n - 3, "）") == 0;
}

static int add_cell(block *b, const char *s, size_t n)
{
    cell *cells = realloc(b->cells, (size_t)(b->ncells + 1) * sizeof *cells);
    if (!cells)
        return -1;
    b->cells = cells;
    memset(&cells[b->ncells], 0, sizeof cells[0]);
    cells[b->ncells].text = dup_mem(s, n);
    if (!cells[b->ncells].text)
        return -1;
    b->ncells++;
    return 0;
}

static int append_line(cell *c, const char *s, size_t n)
{
    size_t old = strlen(c->text);
    char *p = realloc(c->text, old + 1 + n + 1);
    if (!p)
        return -1;
    p[old] = '\n';
    memcpy(p + old + 1, s, n);
    p[old + 1 + n] = '\0';
    c->text = p;
    return 0;
}

/* Cut text[a, b) -- the lines between a heading line and the next heading --
 * into blocks of cells. */
static int cut_region(region *rg, const char *text, size_t a, size_t b)
{
    block *cur = NULL;
    int blank = 0;
    size_t i = a;
    while (i < b) {
        const char *nl = memchr(text + i, '\n', b - i);
        size_t e = nl ? (size_t)(nl - text) : b;
        const char *line = text + i;
        size_t n = e - i;
        i = e + 1;
        if (n == 0) {
            blank++;
            cur = NULL;
            continue;
        }
        if (!cur) {
            if (rg->nblocks == 0)
                rg->blank_before = blank;
            else
                rg->blocks[rg->nblocks - 1].blank_after = blank;
            blank = 0;
            block *bl = realloc(rg->blocks, (size_t)(rg->nblocks + 1) * sizeof *bl);
            if (!bl)
                return -1;
            rg->blocks = bl;
            cur = &bl[rg->nblocks++];
            memset(cur, 0, sizeof *cur);
            cur->first_value = -1;
            cur->row = -1;
        }
        if (line[0] == '\t') {
            if (add_cell(cur, line + 1, n - 1))
                return -1;
        } else if (cur->ncells > 0) {
            if (append_line(&cur->cells[cur->ncells - 1], line, n))
                return -1;
        } else if (add_cell(cur, line, n)) {
            return -1;
        }
    }
    if (rg->nblocks > 0)
        rg->blocks[rg->nblocks - 1].blank_after = blank;
    return 0;
}

/* Give each data block its template row; check the seed is the one we know. */
static int map_rows(t_doc *d)
{
    for (int t = 0; t < GD_NTABLES; t++) {
        region *rg = &d->regions[t];
        int k = 0;
        for (int i = 0; i < rg->nblocks; i++) {
            block *b = &rg->blocks[i];
            for (int c = 0; c < b->ncells; c++)
                if (is_seed_value(b->cells[c].text)) {
                    b->first_value = c;
                    break;
                }
            if (b->first_value < 0)
                continue;
            int nvalues = b->ncells - b->first_value;
            b->table = t;
            if (t == GD_TABLE_ACTIVE) {
                if (!CHECKF(k < 6 && nvalues == active_values_in_seed[k],
                            "seed table 二: unexpected data row %d with %d values", k, nvalues))
                    return -1;
                b->row = active_rows_in_seed[k];
            } else if (t == GD_TABLE_REQUESTS) {
                /* 25 rows: new ... other.other (0..22), total (24), carried_forward (25) */
                if (!CHECKF(k < 25 && nvalues == 7,
                            "seed table 三: unexpected data row %d with %d values", k, nvalues))
                    return -1;
                b->row = k < 23 ? k : k + 1;
            } else {
                if (!CHECKF(k == 0 && nvalues == 15, "seed table 四: unexpected data row"))
                    return -1;
                b->row = -1;
            }
            k++;
        }
        static const int expected_rows[GD_NTABLES] = {6, 25, 1};
        if (!CHECKF(k == expected_rows[t], "seed table %d: %d data rows, expected %d", t, k,
                    expected_rows[t]))
            return -1;
    }
    return 0;
}

static size_t find_line(const char *text, size_t len, const char *line)
{
    size_t n = strlen(line);
    for (size_t i = 0; i + n <= len; i++) {
        if ((i == 0 || text[i - 1] == '\n') && memcmp(text + i, line, n) == 0 &&
            (i + n == len || text[i + n] == '\n'))
            return i;
    }
    return (size_t)-1;
}

t_doc *doc_load(void)
{
    size_t len;
    char *text = t_read_corpus(SEED, &len);
    if (!text)
        return NULL;
    t_doc *d = calloc(1, sizeof *d);
    size_t at[GD_NTABLES + 1];
    int ok = d != NULL;
    for (int h = 0; ok && h <= GD_NTABLES; h++) {
        at[h] = find_line(text, len, headings[h]);
        ok = CHECKF(at[h] != (size_t)-1 && (h == 0 || at[h] > at[h - 1]),
                    "seed: heading %s not found in order", headings[h]);
    }
    for (int t = 0; ok && t < GD_NTABLES; t++)
        ok = (d->heading[t] = dup_mem(headings[t], strlen(headings[t]))) != NULL;
    if (ok) {
        d->head = dup_mem(text, at[0]);
        d->tail = dup_mem(text + at[GD_NTABLES], len - at[GD_NTABLES]);
        ok = d->head && d->tail;
    }
    for (int t = 0; ok && t < GD_NTABLES; t++) {
        size_t body = at[t] + strlen(headings[t]) + 1;
        ok = cut_region(&d->regions[t], text, body, at[t + 1]) == 0;
    }
    ok = ok && map_rows(d) == 0;
    if (ok) {
        /* The cut must be lossless: the seed written back is the seed. */
        size_t n;
        char *again = doc_render(d, LAYOUT_CELLS, &n);
        ok = CHECKF(again && n == len && memcmp(again, text, len) == 0,
                    "seed: cutting and writing back changes the text");
        free(again);
    }
    free(text);
    if (!ok) {
        doc_free(d);
        return NULL;
    }
    return d;
}

void doc_free(t_doc *d)
{
    if (!d)
        return;
    for (int t = 0; t < GD_NTABLES; t++) {
        region *rg = &d->regions[t];
        for (int i = 0; i < rg->nblocks; i++) {
            for (int c = 0; c < rg->blocks[i].ncells; c++)
                free(rg->blocks[i].cells[c].text);
            free(rg->blocks[i].cells);
        }
        free(rg->blocks);
    }
    for (int t = 0; t < GD_NTABLES; t++)
        free(d->heading[t]);
    free(d->head);
    free(d->tail);
    free(d);
}

int doc_set_heading(t_doc *d, int section, const char *heading)
{
    if (!CHECKF(section >= 0 && section <= GD_NTABLES, "doc_set_heading: no section %d",
                section))
        return -1;
    if (section < GD_NTABLES) {
        char *p = dup_mem(heading, strlen(heading));
        if (!p)
            return -1;
        free(d->heading[section]);
        d->heading[section] = p;
        return 0;
    }
    /* 五 starts the verbatim tail. */
    const char *nl = strchr(d->tail, '\n');
    size_t rest = nl ? strlen(nl) : 0, n = strlen(heading);
    char *p = malloc(n + rest + 1);
    if (!p)
        return -1;
    memcpy(p, heading, n);
    memcpy(p + n, nl ? nl : "", rest + 1);
    free(d->tail);
    d->tail = p;
    return 0;
}

/* The cell of (t, row, col), or NULL. */
static cell *find_cell(const t_doc *d, gd_table_id t, int row, int col, block **bp)
{
    const region *rg = &d->regions[t];
    int index = col;
    if (t == GD_TABLE_REVIEWS) {
        index = row * 5 + col;
        row = -1;
    }
    for (int i = 0; i < rg->nblocks; i++) {
        block *b = &rg->blocks[i];
        if (b->first_value < 0 || b->row != row)
            continue;
        if (bp)
            *bp = b;
        if (index == -1)
            return b->first_value > 0 ? &b->cells[b->first_value - 1] : NULL;
        if (index < 0 || b->first_value + index >= b->ncells)
            return NULL;
        return &b->cells[b->first_value + index];
    }
    return NULL;
}

const char *doc_get(const t_doc *d, gd_table_id t, int row, int col)
{
    cell *c = find_cell(d, t, row, col, NULL);
    return c ? c->text : NULL;
}

static int set_text(cell *c, const char *text)
{
    char *p = dup_mem(text, strlen(text));
    if (!p)
        return -1;
    free(c->text);
    c->text = p;
    return 0;
}

int doc_set(t_doc *d, gd_table_id t, int row, int col, const char *text)
{
    cell *c = find_cell(d, t, row, col, NULL);
    if (!CHECKF(c != NULL && col >= 0, "doc_set: no cell (%d, %d, %d) in the seed", (int)t, row,
                col))
        return -1;
    return set_text(c, text);
}

int doc_set_label(t_doc *d, gd_table_id t, int row, const char *label)
{
    cell *c = t == GD_TABLE_REVIEWS ? NULL : find_cell(d, t, row, -1, NULL);
    if (!CHECKF(c != NULL, "doc_set_label: no label of row (%d, %d) in the seed", (int)t, row))
        return -1;
    return set_text(c, label);
}

int doc_replace_cell(t_doc *d, const char *from, const char *to)
{
    int n = 0;
    for (int t = 0; t < GD_NTABLES; t++) {
        region *rg = &d->regions[t];
        for (int i = 0; i < rg->nblocks; i++) {
            block *b = &rg->blocks[i];
            int last = b->first_value < 0 ? b->ncells : b->first_value;
            for (int c = 0; c < last; c++)
                if (strcmp(b->cells[c].text, from) == 0) {
                    if (set_text(&b->cells[c], to))
                        return -1;
                    n++;
                }
        }
    }
    CHECKF(n > 0, "doc_replace_cell: no cell \"%s\" in the seed", from);
    return n;
}

int doc_drop_table(t_doc *d, gd_table_id t)
{
    d->regions[t].dropped = 1;
    return 0;
}

int doc_insert_after(t_doc *d, gd_table_id t, int row, int col, const char *text)
{
    block *b = NULL;
    cell *c = find_cell(d, t, row, col, &b);
    if (!CHECKF(c != NULL && b != NULL, "doc_insert_after: no cell (%d, %d, %d)", (int)t, row,
                col))
        return -1;
    int at = (int)(c - b->cells) + 1;
    if (add_cell(b, text, strlen(text)))
        return -1;
    cell extra = b->cells[b->ncells - 1];
    memmove(&b->cells[at + 1], &b->cells[at], (size_t)(b->ncells - 1 - at) * sizeof(cell));
    b->cells[at] = extra;
    return 0;
}

/* ---- Rendering ---- */

typedef struct {
    char *s;
    size_t len, cap;
    int oom;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void puts_(sbuf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A cell's text on one line: the seed's line breaks inside a cell removed. */
static void put_cell_flat(sbuf *b, cell *c, t_layout layout)
{
    c->start[layout] = b->len;
    for (const char *p = c->text; *p; p++)
        if (*p != '\n')
            put(b, p, 1);
    c->end[layout] = b->len;
}

static void put_row(sbuf *b, cell *cells, int n, t_layout layout)
{
    if (layout == LAYOUT_PIPES)
        puts_(b, "| ");
    for (int i = 0; i < n; i++) {
        if (i)
            puts_(b, layout == LAYOUT_PIPES ? " | " : layout == LAYOUT_SPACES ? "   " : "\t");
        put_cell_flat(b, &cells[i], layout);
    }
    puts_(b, layout == LAYOUT_PIPES ? " |\n" : "\n");
}

static void put_delimiter(sbuf *b, int n)
{
    puts_(b, "|");
    for (int i = 0; i < n; i++)
        puts_(b, " --- |");
    puts_(b, "\n");
}

static void render_region_rows(sbuf *b, region *rg, t_layout layout)
{
    int after_header = 0;
    for (int i = 0; i < rg->nblocks; i++) {
        block *bl = &rg->blocks[i];
        int lo = 0, hi = bl->ncells;
        int label_end = bl->first_value < 0 ? hi : bl->first_value;
        while (lo < label_end && bl->cells[lo].text[0] == '\0')
            lo++; /* the empty cells under a row-spanning group cell */
        if (bl->first_value < 0) {
            while (hi > lo && bl->cells[hi - 1].text[0] == '\0')
                hi--;
            if (hi > lo)
                put_row(b, &bl->cells[lo], hi - lo, layout);
            after_header = 1;
            continue;
        }
        /* Group captions (三、本年度办理结果, （三）不予公开) on lines of their own. */
        for (; lo < label_end - 1; lo++)
            put_row(b, &bl->cells[lo], 1, layout);
        if (layout == LAYOUT_PIPES && after_header)
            put_delimiter(b, hi - lo);
        after_header = 0;
        put_row(b, &bl->cells[lo], hi - lo, layout);
    }
}

char *doc_render(t_doc *d, t_layout layout, size_t *len)
{
    sbuf b = {NULL, 0, 0, 0};
    puts_(&b, d->head);
    for (int t = 0; t < GD_NTABLES; t++) {
        region *rg = &d->regions[t];
        if (rg->dropped)
            continue;
        puts_(&b, d->heading[t]);
        puts_(&b, "\n");
        if (layout == LAYOUT_CELLS) {
            for (int k = 0; k < rg->blank_before; k++)
                puts_(&b, "\n");
            for (int i = 0; i < rg->nblocks; i++) {
                block *bl = &rg->blocks[i];
                for (int c = 0; c < bl->ncells; c++) {
                    puts_(&b, "\t");
                    bl->cells[c].start[layout] = b.len;
                    puts_(&b, bl->cells[c].text);
                    bl->cells[c].end[layout] = b.len;
                    puts_(&b, "\n");
                }
                for (int k = 0; k < bl->blank_after; k++)
                    puts_(&b, "\n");
            }
        } else {
            puts_(&b, "\n");
            render_region_rows(&b, rg, layout);
            puts_(&b, "\n");
        }
    }
    puts_(&b, d->tail);
    if (b.oom || !b.s) {
        free(b.s);
        CHECKF(0, "doc_render: out of memory");
        return NULL;
    }
    *len = b.len;
    return b.s;
}

int doc_cell_offset(const t_doc *d, t_layout layout, gd_table_id t, int row, int col,
                    size_t *start, size_t *end)
{
    const cell *c = find_cell(d, t, row, col, NULL);
    if (!c)
        return 0;
    *start = c->start[layout];
    *end = c->end[layout];
    return 1;
}
