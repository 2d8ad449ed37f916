/*
 * test.h -- a tiny test harness for the C unit tests of the govdisclose core.
 *
 * Every check is an expression that returns 1 when it holds, so a test can
 * stop early:  if (!CHECK(rep != NULL)) return;
 * A failed check prints one line, "file:line: test [context]: what failed",
 * and marks the running test as failed; the test goes on unless it returns.
 * The runner (test_main.c) ends with the line "N passed, M failed".
 */
#ifndef GD_TEST_H
#define GD_TEST_H

#include "govdisclose.h"

#include <stddef.h>
#include <stdint.h>

/* ---- The runner ---- */

typedef struct {
    const char *name;
    void (*fn)(void);
} test_case;

/* One array per test file, ended by {NULL, NULL}. */
extern const test_case tables_tests[]; /* run first: they stop tables.c's mutants soonest */
extern const test_case labels_tests[];
extern const test_case values_tests[];
extern const test_case checks_tests[];
extern const test_case errors_tests[];
extern const test_case wide_utf8_tests[];
extern const test_case lex_scan_tests[];
extern const test_case gb18030_tests[];
extern const test_case utf8_wide_tests[];
extern const test_case format_tests[];
extern const test_case meta_scan_tests[];
extern const test_case markup_tests[];
extern const test_case longtail_tests[];
extern const test_case cfb_tests[];
extern const test_case word97_tests[];
extern const test_case glued_tests[];
extern const test_case tables_after_tests[];
extern const test_case deadline_tests[];

/* C99 formats: "gnu_printf" on MinGW, whose "printf" is msvcrt's (no %zu). */
#if defined(__MINGW32__)
#define T_PRINTF(f, a) __attribute__((format(gnu_printf, f, a)))
#elif defined(__GNUC__)
#define T_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define T_PRINTF(f, a)
#endif

int t_check(int ok, const char *file, int line, const char *fmt, ...) T_PRINTF(4, 5);
int t_check_int(long long actual, long long expected, const char *actual_src,
                const char *expected_src, const char *file, int line);
int t_check_str(const char *actual, const char *expected, const char *actual_src,
                const char *file, int line);
int t_check_mem(const char *actual, size_t actual_len, const char *expected,
                const char *actual_src, const char *file, int line);

/* Printed with every failure until changed; "" for none (e.g. "layout=pipes"). */
void t_context(const char *fmt, ...) T_PRINTF(1, 2);

#define CHECK(cond) t_check((cond) != 0, __FILE__, __LINE__, "%s", #cond)
#define CHECKF(cond, ...) t_check((cond) != 0, __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_INT(actual, expected) \
    t_check_int((long long)(actual), (long long)(expected), #actual, #expected, __FILE__, __LINE__)
/* NUL-terminated strings; NULL is a value (equal only to NULL). */
#define CHECK_STR(actual, expected) t_check_str((actual), (expected), #actual, __FILE__, __LINE__)
/* (pointer, length) against a NUL-terminated string. */
#define CHECK_MEM(ptr, len, expected) \
    t_check_mem((ptr), (len), (expected), #ptr, __FILE__, __LINE__)

/* ---- The corpus ---- */

/* Directory of ../shared/corpus: --corpus DIR, else $GOVDISCLOSE_CORPUS, else
 * the default compiled in by the Makefile. */
const char *t_corpus_dir(void);
/* Read a corpus file; NULL (and a failed check) when it cannot be read.
 * The caller frees the result. */
char *t_read_corpus(const char *name, size_t *len);
/* (text, len) edited: from the first `from` (or just after it, when
 * after_from), up to the first `upto` at or after that point (NULL: nothing
 * cut), the text is replaced by `by`.  NULL (and a failed check) when a
 * string is not found; the caller frees the result (NUL-terminated). */
char *t_edit(const char *text, size_t len, const char *from, int after_from, const char *upto,
             const char *by, size_t *out_len);
/* The same on the seed report, dazu-gaj-2021.txt. */
char *t_seed_edit(const char *from, int after_from, const char *upto, const char *by,
                  size_t *out_len);

/* ---- Parsing helpers ---- */

/* Parse (text, len) from an exact-size heap copy with no terminating NUL, so
 * that ASan and valgrind catch any read past the end.  Checks the status is
 * GD_OK and the report's invariants (spans inside the text, rows and columns
 * inside the template, messages present).  Returns the report or NULL. */
gd_report *t_parse(const char *text, size_t len, unsigned flags);
/* The same with an allocator; returns the status and sets *out. */
gd_status t_parse_with(const char *text, size_t len, const gd_options *opts, gd_report **out,
                       size_t *err_offset);
/* The invariants that every report must satisfy, whatever the input. */
void t_check_invariants(const gd_report *rep, const char *text, size_t len);

/* The text a span points at (trimmed of white space at both ends). */
size_t t_span_text(const char *text, gd_span sp, const char **start);

/* Findings: how many match (code or NULL for any, severity or -1 for any). */
size_t t_count_findings(const gd_report *rep, const char *code, int severity);
/* The first finding with this code, severity (or -1), table, row and col
 * (row/col -2 for "any"), or NULL. */
const gd_finding *t_find_finding(const gd_report *rep, const char *code, int severity,
                                 int table, int row, int col);
/* Print every finding of a report (to explain a failure). */
void t_dump_findings(const gd_report *rep);

/* Row index of a SCHEMA row id in table t, or -1 (also a failed check). */
int t_row(gd_table_id t, const char *id);
/* Column index of a column id in row r of table t, or -1 (also a failed check). */
int t_col(gd_table_id t, int row, const char *id);

/* ---- The seed report as an editable document (test_doc.c) ---- */

/*
 * dazu-gaj-2021.txt, read at run time and cut into its table cells, so that
 * a test can change one cell and write the report out again in one of the
 * layouts real reports come in.  Every number the tests use is the real
 * report's; only the cells a test edits differ.
 */
typedef enum {
    LAYOUT_CELLS = 0, /* as the real file: one cell per line, tab-indented, blank line between rows */
    LAYOUT_TABS = 1,  /* one table row per line, cells separated by one tab (PDF text copy) */
    LAYOUT_PIPES = 2, /* markdown pipe rows: | label | v | v | */
    LAYOUT_SPACES = 3, /* one table row per line, cells separated by runs of spaces (PDF) */
    NLAYOUTS = 4
} t_layout;

extern const char *const t_layout_names[NLAYOUTS];

typedef struct t_doc t_doc;

/* Load and cut the seed; NULL (and a failed check) when that fails. */
t_doc *doc_load(void);
void doc_free(t_doc *d);
/* The cell's text as the document holds it now, or NULL. */
const char *doc_get(const t_doc *d, gd_table_id t, int row, int col);
/* Replace the text of one data cell (table, template row, column). */
int doc_set(t_doc *d, gd_table_id t, int row, int col, const char *text);
/* Replace the label of a data row (the last label cell before its numbers). */
int doc_set_label(t_doc *d, gd_table_id t, int row, const char *label);
/* Replace the text of every non-data cell whose text is exactly from. */
int doc_replace_cell(t_doc *d, const char *from, const char *to);
/* Replace a section heading: 0..2 the tables' (二 三 四), 3 the heading 五. */
int doc_set_heading(t_doc *d, int section, const char *heading);
/* Drop one table region (heading and rows); the text is the report without it. */
int doc_drop_table(t_doc *d, gd_table_id t);
/* Insert an extra cell after data cell (t, row, col), in the same row. */
int doc_insert_after(t_doc *d, gd_table_id t, int row, int col, const char *text);
/* Layout masks: the layouts where a blank cell, or white space inside a
 * cell, cannot be told from a separator are left out where they matter. */
#define ALL_LAYOUTS 15u
#define NO_SPACES 7u /* cells, tabs, pipes */
#define CELLS_AND_PIPES ((1u << LAYOUT_CELLS) | (1u << LAYOUT_PIPES))

/* Write the document out (and note where each cell went); the caller frees
 * the result. */
char *doc_render(t_doc *d, t_layout layout, size_t *len);
/* Where the text of cell (t, row, col) went in the last render in that
 * layout: [*start, *end); 0 when there is no such cell. */
int doc_cell_offset(const t_doc *d, t_layout layout, gd_table_id t, int row, int col,
                    size_t *start, size_t *end);

/* Render d in a layout and parse it (t_parse); sets the failure context to
 * the layout.  *text and *len get the rendered text (the caller frees it). */
gd_report *doc_parse(t_doc *d, t_layout layout, unsigned flags, char **text, size_t *len);

/* ---- Cells ---- */

/* Check one cell: its kind; for numbers units and scale; raw (the span's text,
 * trimmed) unless NULL; note (the note span's text, "" for none) unless NULL. */
int t_check_cell(const gd_report *rep, const char *text, size_t len, gd_table_id t, int row,
                 int col, gd_cell_kind kind, long long units, int scale, const char *raw,
                 const char *note, const char *file, int line);
#define CHECK_CELL(rep, text, len, t, row, col, kind, units, scale, raw, note) \
    t_check_cell((rep), (text), (len), (t), (row), (col), (kind), (units), (scale), (raw), \
                 (note), __FILE__, __LINE__)

#endif /* GD_TEST_H */
