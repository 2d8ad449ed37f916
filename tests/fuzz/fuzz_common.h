/*
 * fuzz_common.h -- what every fuzz target of the core shares: the invariants
 * a report must satisfy whatever the input, and a counting allocator that can
 * be told to fail.
 *
 * A fuzz target that only waits for a crash finds crashes; one that checks
 * the contract of govdisclose.h on every report also finds wrong spans, lost
 * findings, messages that are not UTF-8 (the binding turns them into str)
 * and leaks on the out-of-memory paths.  Every broken invariant is a
 * __builtin_trap() after a line on stderr saying which one, so libFuzzer
 * stores the input as a crash.
 */
#ifndef GD_FUZZ_COMMON_H
#define GD_FUZZ_COMMON_H

#include "govdisclose.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_REQUIRE(cond, ...)                                                   \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "fuzz invariant broken at %s:%d: %s\n  ", __FILE__,  \
                    __LINE__, #cond);                                             \
            fprintf(stderr, __VA_ARGS__);                                         \
            fputc('\n', stderr);                                                  \
            __builtin_trap();                                                     \
        }                                                                         \
    } while (0)

/* Is the bug named by this oracle reported and still open?  FUZZ_KNOWN_OPEN
 * (set by the Makefile's fuzz runs from regressions/known-open.txt, never by
 * its replay) lists them, comma-separated, so that a long run can look past a
 * bug already reported while its regression input keeps failing in replay. */
static inline int known_open(const char *name)
{
    const char *list = getenv("FUZZ_KNOWN_OPEN");
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, name, n) == 0)
            return 1;
        p = end ? end + 1 : p + len;
    }
    return 0;
}

/* ---- UTF-8 ---- */

/* Is s[0, n) valid UTF-8 (no overlongs, no surrogates, at most U+10FFFF)? */
static inline int fuzz_utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char b = s[i];
        size_t k;
        uint32_t cp, min;
        if (b < 0x80) {
            i++;
            continue;
        } else if ((b & 0xE0) == 0xC0) {
            k = 2, cp = b & 0x1F, min = 0x80;
        } else if ((b & 0xF0) == 0xE0) {
            k = 3, cp = b & 0x0F, min = 0x800;
        } else if ((b & 0xF8) == 0xF0) {
            k = 4, cp = b & 0x07, min = 0x10000;
        } else {
            return 0;
        }
        if (n - i < k)
            return 0;
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += k;
    }
    return 1;
}

/* The offset of the first byte that is not valid UTF-8, or n. */
static inline size_t fuzz_utf8_prefix(const unsigned char *s, size_t n)
{
    /* the longest valid prefix, by growing it one character at a time */
    size_t i = 0;
    while (i < n) {
        size_t k = s[i] < 0x80 ? 1 : (s[i] & 0xE0) == 0xC0 ? 2 : (s[i] & 0xF0) == 0xE0 ? 3
                                   : (s[i] & 0xF8) == 0xF0 ? 4 : 0;
        if (k == 0 || n - i < k || !fuzz_utf8_valid(s + i, k))
            return i;
        i += k;
    }
    return n;
}

/* ---- A counting allocator that fails on request ---- */

typedef struct {
    size_t calls;      /* malloc and realloc calls so far */
    size_t fail_at;    /* the call (1-based) that fails; 0: none */
    long live;         /* blocks allocated and not yet freed */
    int failed;        /* a call was made to fail */
} fuzz_pool;

static void *fuzz_malloc(void *ctx, size_t n)
{
    fuzz_pool *p = ctx;
    if (++p->calls == p->fail_at) {
        p->failed = 1;
        return NULL;
    }
    void *q = malloc(n);
    if (q)
        p->live++;
    return q;
}

static void *fuzz_realloc(void *ctx, void *old, size_t n)
{
    fuzz_pool *p = ctx;
    if (++p->calls == p->fail_at) {
        p->failed = 1;
        return NULL;
    }
    void *q = realloc(old, n);
    if (q && !old)
        p->live++;
    return q;
}

static void fuzz_free(void *ctx, void *q)
{
    fuzz_pool *p = ctx;
    if (q)
        p->live--;
    free(q);
}

static inline gd_allocator fuzz_allocator(fuzz_pool *p)
{
    gd_allocator a = {fuzz_malloc, fuzz_realloc, fuzz_free, p};
    return a;
}

/* ---- The contract of a report ---- */

static inline void fuzz_check_span(gd_span s, size_t len, const char *what)
{
    FUZZ_REQUIRE(s.start <= s.end && s.end <= len, "%s span [%zu, %zu) in %zu bytes", what,
                 s.start, s.end, len);
}

/* Everything govdisclose.h promises about a report of an input of len bytes. */
static inline void fuzz_check_report(const gd_report *r, const char *input, size_t len,
                                     gd_format format)
{
    FUZZ_REQUIRE(r->text != NULL || r->text_len == 0, "text NULL with length %zu", r->text_len);
    if (format == GD_FORMAT_TEXT)
        FUZZ_REQUIRE(r->text_len == len && (len == 0 || r->text == input),
                     "text format: report.text is not the input");
    FUZZ_REQUIRE(fuzz_utf8_valid((const unsigned char *)r->text, r->text_len),
                 "report.text is not valid UTF-8");
    FUZZ_REQUIRE(r->template >= GD_TEMPLATE_UNKNOWN && r->template <= GD_TEMPLATE_MIXED,
                 "template %d", (int)r->template);
    if (r->agency) {
        size_t n = strlen(r->agency);
        FUZZ_REQUIRE(n > 0 && (fuzz_utf8_valid((const unsigned char *)r->agency, n) ||
                               known_open("agency-utf8")),
                     "agency is empty or not UTF-8");
    }
    fuzz_check_span(r->agency_span, len, "agency");
    fuzz_check_span(r->year_span, len, "year");
    fuzz_check_span(r->published_span, len, "published");
    if (r->pub_year)
        FUZZ_REQUIRE(r->pub_month >= 1 && r->pub_month <= 12 && r->pub_day >= 1 &&
                         r->pub_day <= 31,
                     "published %d-%d-%d", r->pub_year, r->pub_month, r->pub_day);

    for (int t = 0; t < GD_NTABLES; t++) {
        const gd_table *tab = &r->tables[t];
        const gd_tabledef *def = gd_table_def((gd_table_id)t);
        if (!tab->present)
            continue;
        if (!(tab->span.start > tab->span.end && known_open("table-span-inverted")))
            fuzz_check_span(tab->span, len, "table");
        /* a table that does not tell (四 is the same in both; 三 without （六）) may
         * say unknown; mixed is for the report as a whole only */
        FUZZ_REQUIRE(tab->template == GD_TEMPLATE_2019 || tab->template == GD_TEMPLATE_2021 ||
                         tab->template == GD_TEMPLATE_UNKNOWN,
                     "table %d present with template %d", t, (int)tab->template);
        for (int row = 0; row < GD_MAX_ROWS; row++) {
            FUZZ_REQUIRE(!tab->row_present[row] || (unsigned)row < def->nrows,
                         "table %d row %d present beyond %u rows", t, row, def->nrows);
            for (int col = 0; col < GD_MAX_COLS; col++) {
                const gd_cell *c = &tab->cells[row][col];
                if (c->kind == GD_CELL_ABSENT)
                    continue;
                FUZZ_REQUIRE(c->kind <= GD_CELL_TEXT, "cell kind %d", (int)c->kind);
                FUZZ_REQUIRE((unsigned)row < def->nrows && (unsigned)col < def->rows[row].ncols,
                             "table %d cell (%d, %d) outside its row", t, row, col);
                FUZZ_REQUIRE(tab->row_present[row], "table %d cell in absent row %d", t, row);
                fuzz_check_span(c->raw, r->text_len, "cell raw");
                fuzz_check_span(c->span, len, "cell");
                if (c->note.end > c->note.start) {
                    fuzz_check_span(c->note, r->text_len, "cell note");
                    FUZZ_REQUIRE(c->note.start >= c->raw.start && c->note.end <= c->raw.end,
                                 "note [%zu, %zu) outside its cell [%zu, %zu)", c->note.start,
                                 c->note.end, c->raw.start, c->raw.end);
                }
                if (c->kind == GD_CELL_NUMBER) {
                    FUZZ_REQUIRE(c->scale >= 0 && c->scale <= GD_MAX_DIGITS, "scale %d",
                                 c->scale);
                    FUZZ_REQUIRE(c->raw.end > c->raw.start, "number cell with empty raw");
                } else {
                    FUZZ_REQUIRE(c->units == 0 || c->kind == GD_CELL_TEXT,
                                 "a %d cell with units %lld", (int)c->kind,
                                 (long long)c->units);
                }
            }
        }
    }

    for (size_t i = 0; i < r->nfindings; i++) {
        const gd_finding *f = &r->findings[i];
        FUZZ_REQUIRE(f->code && *f->code, "finding %zu without a code", i);
        FUZZ_REQUIRE(f->message, "finding %zu (%s) without a message", i, f->code);
        FUZZ_REQUIRE(fuzz_utf8_valid((const unsigned char *)f->message, strlen(f->message)),
                     "finding %zu (%s): message is not valid UTF-8: %s", i, f->code, f->message);
        FUZZ_REQUIRE(f->severity >= GD_INFO && f->severity <= GD_ERROR, "severity %d",
                     (int)f->severity);
        FUZZ_REQUIRE(f->table >= -1 && f->table < GD_NTABLES, "finding table %d", f->table);
        if (f->table >= 0 && f->row >= 0) {
            const gd_tabledef *def = gd_table_def((gd_table_id)f->table);
            FUZZ_REQUIRE((unsigned)f->row < def->nrows, "finding row %d", f->row);
            FUZZ_REQUIRE(f->col < 0 || (unsigned)f->col < def->rows[f->row].ncols,
                         "finding col %d", f->col);
        }
        fuzz_check_span(f->span, len, "finding");
    }
    for (size_t i = 0; i < r->nextras; i++) {
        const gd_extra *x = &r->extras[i];
        FUZZ_REQUIRE(x->table >= -1 && x->table < GD_NTABLES,
                     "extra row table %d (govdisclose.h: a gd_table_id, or -1 for a "
                     "pre-2019 statistics row)", x->table);
        fuzz_check_span(x->label, r->text_len, "extra row label");
        fuzz_check_span(x->label_span, len, "extra row label (input)");
        FUZZ_REQUIRE(x->ncells <= GD_MAX_COLS, "extra row with %zu cells", x->ncells);
        for (size_t k = 0; k < x->ncells; k++) {
            FUZZ_REQUIRE(x->cells[k].kind <= GD_CELL_TEXT, "extra cell kind %d",
                         (int)x->cells[k].kind);
            fuzz_check_span(x->cells[k].raw, r->text_len, "extra cell raw");
            fuzz_check_span(x->cells[k].span, len, "extra cell");
        }
    }
    for (size_t i = 0; i < r->nunplaced; i++) {
        const gd_unplaced *u = &r->unplaced[i];
        FUZZ_REQUIRE(u->table >= 0 && u->table < GD_NTABLES, "unplaced table %d", u->table);
        fuzz_check_span(u->raw, r->text_len, "unplaced raw");
        fuzz_check_span(u->span, len, "unplaced");
        FUZZ_REQUIRE(u->raw.end > u->raw.start, "empty unplaced number");
    }
}

/* Two parses of one input that only differ in GD_STRICT read the same cells. */
static inline void fuzz_same_cells(const gd_report *a, const gd_report *b)
{
    FUZZ_REQUIRE(a->template == b->template, "template differs with GD_STRICT");
    FUZZ_REQUIRE(a->nunplaced == b->nunplaced, "unplaced differs with GD_STRICT");
    for (int t = 0; t < GD_NTABLES; t++)
        FUZZ_REQUIRE(memcmp(&a->tables[t], &b->tables[t], sizeof a->tables[t]) == 0,
                     "table %d differs with GD_STRICT", t);
}

/* Parse with an allocator that fails at every k-th call of a normal run
 * (k from the input) and check: GD_OK or GD_ERR_NOMEM, never a leak. */
/* The input's hash (FNV-1a): which inputs try the out-of-memory paths, and
 * where their allocations fail. */
static inline uint32_t fuzz_hash(const uint8_t *data, size_t size)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    return h;
}

static inline void fuzz_oom_paths(const uint8_t *data, size_t size, gd_format format,
                                  unsigned flags)
{
    /* a quarter of the inputs, chosen by their hash: the paths are the same
     * for similar inputs, and five parses per input would slow the search */
    uint32_t h = fuzz_hash(data, size);
    if (h % 4 != 0)
        return;
    fuzz_pool pool = {0, 0, 0, 0};
    gd_allocator a = fuzz_allocator(&pool);
    gd_options o = {flags, &a, format};
    gd_report *r = NULL;
    gd_status st = gd_parse((const char *)data, size, &o, &r, NULL);
    if (st != GD_OK)
        return;
    gd_report_free(r);
    FUZZ_REQUIRE(pool.live == 0, "%ld blocks leaked by a normal parse", pool.live);
    size_t total = pool.calls;
    if (total == 0)
        return;
    /* a few failure points spread over the run, chosen by the input */
    h = h * 2654435761u + 1;
    size_t points[4] = {1, total, 1 + h % total, 1 + (h >> 16) % total};
    for (int k = 0; k < 4; k++) {
        fuzz_pool p = {0, points[k], 0, 0};
        gd_allocator fa = fuzz_allocator(&p);
        gd_options fo = {flags, &fa, format};
        gd_report *fr = (gd_report *)(uintptr_t)1;
        gd_status fs = gd_parse((const char *)data, size, &fo, &fr, NULL);
        FUZZ_REQUIRE(fs == GD_OK || fs == GD_ERR_NOMEM, "status %d after a failed allocation",
                     (int)fs);
        FUZZ_REQUIRE(!p.failed || fs == GD_ERR_NOMEM,
                     "allocation %zu of %zu failed but gd_parse returned %d", points[k], total,
                     (int)fs);
        if (fs == GD_OK) {
            fuzz_check_report(fr, (const char *)data, size, format);
            gd_report_free(fr);
        } else {
            FUZZ_REQUIRE(fr == NULL, "*out not NULL after GD_ERR_NOMEM");
        }
        FUZZ_REQUIRE(p.live == 0, "%ld blocks leaked when allocation %zu of %zu failed", p.live,
                     points[k], total);
    }
}

#endif /* GD_FUZZ_COMMON_H */
