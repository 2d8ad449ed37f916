/*
 * test_main.c -- the runner of the C unit tests and the helpers they share.
 *
 *   test_core [--corpus DIR] [-l] [-v] [-x] [NAME...]
 *
 * Runs every test (or those whose name contains one of the NAMEs), prints one
 * line per failed check and ends with exactly one line "N passed, M failed"
 * (tests, not checks).  Exit status 0 only when no test failed.  -x stops
 * after the first failed test (the mutation runner needs only one).
 */
#include "test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef GD_TEST_CORPUS
#define GD_TEST_CORPUS "../../../shared/corpus"
#endif

/* A failing loop over 175 cells should not bury the other tests' output. */
#define MAX_LINES_PER_TEST 40

static const char *corpus_dir = NULL;
static const char *current_test = "";
static char context[256];
static int current_failed;
static int lines_printed;
static long checks_run, checks_failed;

/* ---- Checks ---- */

static void vfail(const char *file, int line, const char *fmt, va_list ap)
{
    current_failed = 1;
    checks_failed++;
    if (lines_printed++ >= MAX_LINES_PER_TEST) {
        if (lines_printed == MAX_LINES_PER_TEST + 1)
            printf("%s: ... further failures of this test not shown\n", current_test);
        return;
    }
    printf("%s:%d: %s%s%s%s: ", file, line, current_test, context[0] ? " [" : "", context,
           context[0] ? "]" : "");
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
}

int t_check(int ok, const char *file, int line, const char *fmt, ...)
{
    checks_run++;
    if (!ok) {
        va_list ap;
        va_start(ap, fmt);
        vfail(file, line, fmt, ap);
        va_end(ap);
    }
    return ok;
}

int t_check_int(long long actual, long long expected, const char *actual_src,
                const char *expected_src, const char *file, int line)
{
    return t_check(actual == expected, file, line, "%s is %lld, expected %s = %lld", actual_src,
                   actual, expected_src, expected);
}

int t_check_str(const char *actual, const char *expected, const char *actual_src,
                const char *file, int line)
{
    int ok = (actual == NULL && expected == NULL) ||
             (actual != NULL && expected != NULL && strcmp(actual, expected) == 0);
    return t_check(ok, file, line, "%s is \"%s\", expected \"%s\"", actual_src,
                   actual ? actual : "(null)", expected ? expected : "(null)");
}

int t_check_mem(const char *actual, size_t actual_len, const char *expected,
                const char *actual_src, const char *file, int line)
{
    size_t n = strlen(expected);
    int ok = actual != NULL && actual_len == n && memcmp(actual, expected, n) == 0;
    if (actual == NULL)
        actual_len = 0;
    return t_check(ok, file, line, "%s is \"%.*s\" (%zu bytes), expected \"%s\" (%zu bytes)",
                   actual_src, (int)(actual_len > 400 ? 400 : actual_len),
                   actual ? actual : "", actual_len, expected, n);
}

void t_context(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(context, sizeof context, fmt, ap);
    va_end(ap);
}

/* ---- Corpus ---- */

const char *t_corpus_dir(void)
{
    return corpus_dir;
}

char *t_read_corpus(const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", corpus_dir, name);
    FILE *f = fopen(path, "rb");
    if (!CHECKF(f != NULL, "cannot open %s (set GOVDISCLOSE_CORPUS or --corpus to the "
                           "directory of ../shared/corpus)",
                path))
        return NULL;
    size_t cap = 1 << 14, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int err = ferror(f);
    fclose(f);
    if (!CHECKF(buf != NULL && !err, "cannot read %s", path)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

char *t_edit(const char *text, size_t len, const char *from, int after_from, const char *upto,
             const char *by, size_t *out_len)
{
    char *z = malloc(len + strlen(by) + 1);
    char *a = NULL, *b = NULL;
    if (z) {
        memcpy(z, text, len);
        z[len] = '\0';
        a = strstr(z, from);
        if (a && after_from)
            a += strlen(from);
        b = a && upto ? strstr(a, upto) : a;
    }
    if (!CHECKF(b != NULL, "edit: \"%s\" ... \"%s\" not found", from, upto ? upto : "")) {
        free(z);
        return NULL;
    }
    size_t off = (size_t)(a - z), cut = (size_t)(b - a), n = strlen(by);
    memmove(z + off + n, z + off + cut, len - off - cut + 1);
    memcpy(z + off, by, n);
    *out_len = len - cut + n;
    return z;
}

char *t_seed_edit(const char *from, int after_from, const char *upto, const char *by,
                  size_t *out_len)
{
    size_t len;
    char *seed = t_read_corpus("dazu-gaj-2021.txt", &len);
    char *z = seed ? t_edit(seed, len, from, after_from, upto, by, out_len) : NULL;
    free(seed);
    return z;
}

/* ---- Parsing helpers ---- */

gd_status t_parse_with(const char *text, size_t len, const gd_options *opts, gd_report **out,
                       size_t *err_offset)
{
    /* An exact-size copy without a terminating NUL: reading past len is caught. */
    char *copy = malloc(len ? len : 1);
    if (!CHECK(copy != NULL))
        return GD_ERR_NOMEM;
    if (len)
        memcpy(copy, text, len);
    gd_status st = gd_parse(text ? copy : NULL, len, opts, out, err_offset);
    if (st == GD_OK && *out && len > 0 && (!opts || opts->format == GD_FORMAT_TEXT))
        /* For text, gd_report.text is the input itself. */
        CHECKF((*out)->text == copy && (*out)->text_len == len,
               "report text is not the input (%p, %zu bytes; input %p, %zu bytes)",
               (const void *)(*out)->text, (*out)->text_len, (void *)copy, len);
    free(copy);
    return st;
}

gd_report *t_parse(const char *text, size_t len, unsigned flags)
{
    gd_options opts = {.flags = flags, .alloc = NULL};
    gd_report *rep = (gd_report *)&opts; /* not NULL: gd_parse must set it */
    gd_status st = t_parse_with(text, len, &opts, &rep, NULL);
    if (!CHECKF(st == GD_OK, "gd_parse returned %d (%s)", (int)st, gd_status_message(st)))
        return NULL;
    if (!CHECK(rep != NULL))
        return NULL;
    t_check_invariants(rep, text, len);
    return rep;
}

static int valid_utf8(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        int n = *u < 0x80 ? 1 : (*u & 0xE0) == 0xC0 ? 2 : (*u & 0xF0) == 0xE0 ? 3
                                : (*u & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0)
            return 0;
        for (int k = 1; k < n; k++)
            if ((u[k] & 0xC0) != 0x80)
                return 0;
        u += n;
    }
    return 1;
}

static int span_ok(gd_span sp, size_t len)
{
    return sp.start <= sp.end && sp.end <= len;
}

/* Every report parsed here is from text (GD_FORMAT_TEXT). */
void t_check_invariants(const gd_report *rep, const char *text, size_t len)
{
    (void)text;
    CHECKF(rep->template >= GD_TEMPLATE_UNKNOWN && rep->template <= GD_TEMPLATE_MIXED,
           "report template %d", (int)rep->template);
    if (rep->agency) {
        CHECK(rep->agency[0] != '\0');
        CHECK(valid_utf8(rep->agency));
    }
    CHECK(span_ok(rep->agency_span, len));
    CHECK(span_ok(rep->year_span, len));
    CHECK(span_ok(rep->published_span, len));
    CHECK(span_ok(rep->dated_span, len));
    if (rep->year)
        CHECKF(rep->year >= 1990 && rep->year <= 2100, "year %d", rep->year);
    if (rep->pub_year) {
        CHECKF(rep->pub_year >= 1990 && rep->pub_year <= 2100, "pub_year %d", rep->pub_year);
        CHECKF(rep->pub_month >= 1 && rep->pub_month <= 12, "pub_month %d", rep->pub_month);
        CHECKF(rep->pub_day >= 1 && rep->pub_day <= 31, "pub_day %d", rep->pub_day);
    }
    if (rep->dated_year) {
        CHECKF(rep->dated_year >= 1990 && rep->dated_year <= 2100, "dated_year %d",
               rep->dated_year);
        CHECKF(rep->dated_month >= 1 && rep->dated_month <= 12, "dated_month %d",
               rep->dated_month);
        CHECKF(rep->dated_day >= 1 && rep->dated_day <= 31, "dated_day %d", rep->dated_day);
    }
    if (rep->deadline_year)
        CHECKF(rep->deadline_year == rep->year + 1, "deadline_year %d", rep->deadline_year);
    CHECK(rep->deadline_rule == NULL || rep->deadline_rule[0] != '\0');

    for (int t = 0; t < GD_NTABLES; t++) {
        const gd_tabledef *def = gd_table_def((gd_table_id)t);
        const gd_table *tab = &rep->tables[t];
        int any_row = 0, any_number = 0;
        CHECKF(tab->template >= GD_TEMPLATE_UNKNOWN && tab->template <= GD_TEMPLATE_MIXED,
               "table %d template %d", t, (int)tab->template);
        CHECK(span_ok(tab->span, len));
        for (int r = 0; r < GD_MAX_ROWS; r++) {
            int in_template = (unsigned)r < def->nrows;
            if (tab->row_present[r]) {
                any_row = 1;
                CHECKF(in_template, "table %d row %d present but not in the template", t, r);
            }
            for (int c = 0; c < GD_MAX_COLS; c++) {
                const gd_cell *cell = &tab->cells[r][c];
                if (cell->kind == GD_CELL_ABSENT)
                    continue;
                if (!CHECKF(in_template && (unsigned)c < def->rows[r].ncols,
                            "table %d cell [%d][%d] filled outside the template", t, r, c))
                    continue;
                CHECKF(tab->row_present[r], "table %d cell [%d][%d] filled in an absent row", t,
                       r, c);
                CHECKF(cell->kind >= GD_CELL_NUMBER && cell->kind <= GD_CELL_TEXT,
                       "table %d cell [%d][%d] kind %d", t, r, c, (int)cell->kind);
                CHECKF(span_ok(cell->raw, len), "table %d cell [%d][%d] raw span [%zu,%zu)", t,
                       r, c, cell->raw.start, cell->raw.end);
                CHECKF(span_ok(cell->span, len), "table %d cell [%d][%d] span [%zu,%zu)", t, r,
                       c, cell->span.start, cell->span.end);
                /* the table's span runs from its first to its last recognised
                 * token (govdisclose.h): each cell lies inside it */
                CHECKF(cell->raw.start >= tab->span.start && cell->raw.end <= tab->span.end,
                       "table %d cell [%d][%d] raw [%zu,%zu) outside the table's span [%zu,%zu)",
                       t, r, c, cell->raw.start, cell->raw.end, tab->span.start, tab->span.end);
                /* Text input: the report's text is the input, so the cell as
                 * written lies within the cell in the input. */
                CHECKF(cell->raw.start >= cell->span.start && cell->raw.end <= cell->span.end,
                       "table %d cell [%d][%d] raw [%zu,%zu) outside its span [%zu,%zu)", t, r, c,
                       cell->raw.start, cell->raw.end, cell->span.start, cell->span.end);
                if (cell->note.end > cell->note.start)
                    CHECKF(cell->note.start >= cell->raw.start && cell->note.end <= cell->raw.end,
                           "table %d cell [%d][%d] note outside its cell", t, r, c);
                if (cell->kind == GD_CELL_NUMBER) {
                    any_number = 1;
                    CHECKF(cell->scale >= 0 && cell->scale <= GD_MAX_DIGITS,
                           "table %d cell [%d][%d] scale %d", t, r, c, cell->scale);
                    CHECKF(cell->raw.end > cell->raw.start,
                           "table %d cell [%d][%d] is a number with an empty span", t, r, c);
                }
            }
        }
        if (tab->present)
            CHECKF(any_row, "table %d present without any row", t);
        else
            CHECKF(!any_number, "table %d not present but holds numbers", t);
    }

    CHECK(rep->nfindings == 0 || rep->findings != NULL);
    for (size_t i = 0; i < rep->nfindings; i++) {
        const gd_finding *f = &rep->findings[i];
        if (!CHECKF(f->code != NULL && f->code[0] != '\0', "finding %zu has no code", i))
            continue;
        CHECKF(f->severity >= GD_INFO && f->severity <= GD_ERROR, "finding %s severity %d",
               f->code, (int)f->severity);
        CHECKF(f->message != NULL && f->message[0] != '\0' && valid_utf8(f->message),
               "finding %s has no readable message", f->code);
        CHECKF(span_ok(f->span, len), "finding %s span [%zu,%zu)", f->code, f->span.start,
               f->span.end);
        if (!CHECKF(f->table >= -1 && f->table < GD_NTABLES, "finding %s table %d", f->code,
                    f->table))
            continue;
        if (f->table >= 0 && f->row >= 0) {
            const gd_tabledef *def = gd_table_def((gd_table_id)f->table);
            if (CHECKF((unsigned)f->row < def->nrows, "finding %s row %d", f->code, f->row) &&
                f->col >= 0)
                CHECKF((unsigned)f->col < def->rows[f->row].ncols, "finding %s col %d", f->code,
                       f->col);
        }
    }

    CHECK(rep->nunplaced == 0 || rep->unplaced != NULL);
    for (size_t i = 0; i < rep->nunplaced; i++) {
        const gd_unplaced *u = &rep->unplaced[i];
        CHECKF(u->table >= 0 && u->table < GD_NTABLES, "unplaced %zu table %d", i, u->table);
        CHECKF(span_ok(u->span, len) && u->span.end > u->span.start, "unplaced %zu span", i);
        CHECKF(span_ok(u->raw, len) && u->raw.end > u->raw.start, "unplaced %zu raw", i);
        CHECKF(u->raw.start >= u->span.start && u->raw.end <= u->span.end,
               "unplaced %zu raw outside its span", i);
    }
}

size_t t_span_text(const char *text, gd_span sp, const char **start)
{
    size_t a = sp.start, b = sp.end;
    for (;;) {
        if (a < b && (text[a] == ' ' || text[a] == '\t' || text[a] == '\n' || text[a] == '\r'))
            a++;
        else if (b - a >= 3 && memcmp(text + a, "\xE3\x80\x80", 3) == 0) /* U+3000 */
            a += 3;
        else
            break;
    }
    for (;;) {
        if (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '\n' ||
                      text[b - 1] == '\r'))
            b--;
        else if (b - a >= 3 && memcmp(text + b - 3, "\xE3\x80\x80", 3) == 0)
            b -= 3;
        else
            break;
    }
    *start = text + a;
    return b - a;
}

size_t t_count_findings(const gd_report *rep, const char *code, int severity)
{
    size_t n = 0;
    for (size_t i = 0; i < rep->nfindings; i++) {
        const gd_finding *f = &rep->findings[i];
        if ((code == NULL || (f->code && strcmp(f->code, code) == 0)) &&
            (severity < 0 || (int)f->severity == severity))
            n++;
    }
    return n;
}

const gd_finding *t_find_finding(const gd_report *rep, const char *code, int severity,
                                 int table, int row, int col)
{
    for (size_t i = 0; i < rep->nfindings; i++) {
        const gd_finding *f = &rep->findings[i];
        if (code && (!f->code || strcmp(f->code, code) != 0))
            continue;
        if (severity >= 0 && (int)f->severity != severity)
            continue;
        if (table != -2 && f->table != table)
            continue;
        if (row != -2 && f->row != row)
            continue;
        if (col != -2 && f->col != col)
            continue;
        return f;
    }
    return NULL;
}

void t_dump_findings(const gd_report *rep)
{
    static const char *sev[] = {"info", "warning", "error"};
    printf("    %zu finding(s), %zu unplaced:\n", rep->nfindings, rep->nunplaced);
    for (size_t i = 0; i < rep->nfindings && i < 30; i++) {
        const gd_finding *f = &rep->findings[i];
        char path[128];
        gd_cell_path(f->table, f->row, f->col, path, sizeof path);
        printf("    - %s %s %s", f->code ? f->code : "(null)",
               (unsigned)f->severity < 3 ? sev[f->severity] : "?", path);
        if (f->has_expected)
            printf(" expected=%lld", (long long)f->expected);
        if (f->has_actual)
            printf(" actual=%lld", (long long)f->actual);
        printf(": %s\n", f->message ? f->message : "(null)");
    }
}

int t_row(gd_table_id t, const char *id)
{
    const gd_tabledef *def = gd_table_def(t);
    for (unsigned r = 0; def && r < def->nrows; r++)
        if (strcmp(def->rows[r].id, id) == 0)
            return (int)r;
    CHECKF(0, "no row %s in table %d", id, (int)t);
    return -1;
}

int t_col(gd_table_id t, int row, const char *id)
{
    const gd_tabledef *def = gd_table_def(t);
    if (def && row >= 0 && (unsigned)row < def->nrows)
        for (unsigned c = 0; c < def->rows[row].ncols; c++)
            if (strcmp(def->rows[row].cols[c].id, id) == 0)
                return (int)c;
    CHECKF(0, "no column %s in row %d of table %d", id, row, (int)t);
    return -1;
}

gd_report *doc_parse(t_doc *d, t_layout layout, unsigned flags, char **text, size_t *len)
{
    *text = doc_render(d, layout, len);
    t_context("layout=%s%s", t_layout_names[layout], flags & GD_STRICT ? ", strict" : "");
    if (!*text)
        return NULL;
    return t_parse(*text, *len, flags);
}

static const char *const kind_names[] = {"absent", "number", "empty", "na", "text"};

static const char *kind_name(int kind)
{
    return kind >= 0 && kind <= GD_CELL_TEXT ? kind_names[kind] : "?";
}

int t_check_cell(const gd_report *rep, const char *text, size_t len, gd_table_id t, int row,
                 int col, gd_cell_kind kind, long long units, int scale, const char *raw,
                 const char *note, const char *file, int line)
{
    char path[128];
    gd_cell_path(t, row, col, path, sizeof path);
    const gd_cell *c = &rep->tables[t].cells[row][col];
    int ok = t_check(c->kind == kind, file, line, "%s: kind %s, expected %s", path,
                     kind_name(c->kind), kind_name(kind));
    if (ok && kind == GD_CELL_NUMBER) {
        ok &= t_check(c->units == units && c->scale == scale, file, line,
                      "%s: units %lld scale %d, expected units %lld scale %d", path,
                      (long long)c->units, c->scale, units, scale);
    }
    if (c->kind == GD_CELL_ABSENT)
        return ok;
    if (!t_check(c->raw.start <= c->raw.end && c->raw.end <= len && c->note.start <= len &&
                     c->note.end <= len,
                 file, line, "%s: span out of the text", path))
        return 0;
    if (raw) {
        const char *p;
        size_t n = t_span_text(text, c->raw, &p);
        ok &= t_check(n == strlen(raw) && memcmp(p, raw, n) == 0, file, line,
                      "%s: raw span [%zu,%zu) is \"%.*s\", expected \"%s\"", path, c->raw.start,
                      c->raw.end, (int)n, p, raw);
    }
    if (note) {
        const char *p = text + c->note.start;
        size_t n = c->note.end > c->note.start ? c->note.end - c->note.start : 0;
        ok &= t_check(n == strlen(note) && memcmp(p, note, n) == 0, file, line,
                      "%s: note is \"%.*s\", expected \"%s\"", path, (int)n, p, note);
    }
    return ok;
}

/* ---- The runner ---- */

static const test_case *const suites[] = {tables_tests, labels_tests, values_tests, checks_tests,
                                          errors_tests, wide_utf8_tests, lex_scan_tests,
                                          gb18030_tests, utf8_wide_tests, format_tests,
                                          meta_scan_tests, markup_tests, longtail_tests,
                                          cfb_tests, word97_tests, glued_tests, tables_after_tests,
                                          deadline_tests};

static int selected(const char *name, int argc, char **argv, int first)
{
    if (first >= argc)
        return 1;
    for (int i = first; i < argc; i++)
        if (strstr(name, argv[i]))
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    int list = 0, verbose = 0, stop_at_failure = 0, first = 1;
    corpus_dir = getenv("GOVDISCLOSE_CORPUS");
    if (!corpus_dir || !corpus_dir[0])
        corpus_dir = GD_TEST_CORPUS;
    while (first < argc && argv[first][0] == '-') {
        if (strcmp(argv[first], "--corpus") == 0 && first + 1 < argc) {
            corpus_dir = argv[first + 1];
            first += 2;
        } else if (strcmp(argv[first], "-l") == 0) {
            list = 1;
            first++;
        } else if (strcmp(argv[first], "-v") == 0) {
            verbose = 1;
            first++;
        } else if (strcmp(argv[first], "-x") == 0) {
            stop_at_failure = 1;
            first++;
        } else {
            fprintf(stderr, "usage: %s [--corpus DIR] [-l] [-v] [-x] [NAME...]\n", argv[0]);
            return 2;
        }
    }

    int passed = 0, failed = 0;
    for (size_t s = 0; s < sizeof suites / sizeof suites[0]; s++) {
        for (const test_case *tc = suites[s]; tc->name; tc++) {
            if (!selected(tc->name, argc, argv, first))
                continue;
            if (list) {
                printf("%s\n", tc->name);
                continue;
            }
            current_test = tc->name;
            current_failed = 0;
            lines_printed = 0;
            context[0] = '\0';
            tc->fn();
            context[0] = '\0';
            if (current_failed) {
                failed++;
                printf("FAIL %s\n", tc->name);
                if (stop_at_failure)
                    goto done;
            } else {
                passed++;
                if (verbose)
                    printf("ok   %s\n", tc->name);
            }
            fflush(stdout);
        }
    }
done:
    if (list)
        return 0;
    printf("checks run: %ld, checks failed: %ld (corpus: %s)\n", checks_run, checks_failed,
           corpus_dir);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
