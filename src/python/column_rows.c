/*
 * column_rows.c -- a core report's rows in the columns of read_reports'
 * frames, written with the GIL released (columns_fill.c calls it while the
 * core's report is fresh): wide, one row per report; long, one row per cell.
 * Every value is the one frames.py's Report path gives (_wide_row,
 * _long_rows): text folded as bd_folded_text folds it, exact decimals as
 * units and scale, counts that hold a fraction missing.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "binding.h"
#include "columns.h"
#include "utf8_wide.h"

/* ---- One value into a column ------------------------------------------------ */

int bd_put_str(column *col, const char *s, size_t n)
{
    if (gbuf_put(&col->s, s, n) < 0 || gbuf_i64(&col->v, (int64_t)col->s.len) < 0 ||
        gbuf_u8(&col->m, PRESENT) < 0)
        return -1;
    return 0;
}

int bd_put_missing(column *col)
{
    switch (col->kind) {
    case CK_STR:
        if (gbuf_i64(&col->v, (int64_t)col->s.len) < 0)
            return -1;
        break;
    case CK_TIME:
        return gbuf_i64(&col->v, NAT);
    case CK_DEC:
        if (gbuf_u8(&col->s, 0) < 0)
            return -1;
        /* fall through */
    default:
        if (gbuf_i64(&col->v, 0) < 0)
            return -1;
    }
    return col->kind == CK_INT ? 0 : gbuf_u8(&col->m, MISSING);
}

/* An int64 into a CK_INT, CK_INTN or CK_TIME column. */
int bd_put_int(column *col, int64_t v)
{
    if (gbuf_i64(&col->v, v) < 0)
        return -1;
    return col->kind == CK_INTN ? gbuf_u8(&col->m, PRESENT) : 0;
}

static int put_decimal(column *col, int64_t units, int scale)
{
    if (gbuf_i64(&col->v, units) < 0 || gbuf_u8(&col->s, (unsigned char)scale) < 0 ||
        gbuf_u8(&col->m, PRESENT) < 0)
        return -1;
    return 0;
}

/* The NUL-terminated UTF-8 s (NULL: missing), checked as the Report path
 * checks it. */
static int put_cstr(column *col, const char *s)
{
    if (s == NULL)
        return bd_put_missing(col);
    size_t n = strlen(s), count;
    int kind;
    if (gd_utf8_measure_checked(s, n, &count, &kind) < 0)
        return BAD;
    return bd_put_str(col, s, n);
}

/* text[span] folded as bd_folded_text folds it; an empty result is missing
 * when empty_missing (a note). */
static int put_folded(column *col, const char *text, size_t len, gd_span span,
                      int empty_missing)
{
    if (span.start > span.end || span.end > len)
        return BAD;
    size_t n = span.end - span.start, count;
    int kind;
    if (gbuf_room(&col->s, n) < 0)
        return -1;
    char *out = col->s.p + col->s.len;
    size_t o = bd_fold_space(text + span.start, n, out);
    if (gd_utf8_measure_checked(out, o, &count, &kind) < 0)
        return BAD;
    if (o == 0 && empty_missing)
        return bd_put_missing(col);
    col->s.len += o;
    if (gbuf_i64(&col->v, (int64_t)col->s.len) < 0 || gbuf_u8(&col->m, PRESENT) < 0)
        return -1;
    return 0;
}

/* ---- A report's rows (no GIL) ------------------------------------------------ */

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* A date of the report (published, dated, deadline) as nanoseconds since
 * 1970 (datetime64[ns]); missing when not a calendar date (as make_date). */
static int put_date(column *col, int y, int m, int d)
{
    if (!bd_date_valid(y, m, d))
        return bd_put_missing(col);
    if (y < 1678 || y > 2261)
        return BAD; /* outside datetime64[ns]: the Report path says what it says */
    return bd_put_int(col, days_from_civil(y, m, d) * 86400 * INT64_C(1000000000));
}

/* Report.days_late: days from the deadline to published, else dated;
 * missing when there is no deadline or neither date is known. */
static int put_days_late(column *col, const gd_report *rep)
{
    int y = rep->pub_year, m = rep->pub_month, d = rep->pub_day;
    if (!bd_date_valid(y, m, d)) {
        y = rep->dated_year;
        m = rep->dated_month;
        d = rep->dated_day;
    }
    if (!bd_date_valid(y, m, d) ||
        !bd_date_valid(rep->deadline_year, rep->deadline_month, rep->deadline_day))
        return bd_put_missing(col);
    return bd_put_int(col, days_from_civil(y, m, d) -
                               days_from_civil(rep->deadline_year, rep->deadline_month,
                                               rep->deadline_day));
}

static int64_t pow10_i64(int n)
{
    int64_t p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

/* A wide cell column: Decimal for money; else the count, missing when the
 * cell holds no number or a fraction (as frames._wide_row: int(v) when v ==
 * int(v)). */
static int put_cell(column *col, const gd_report *rep)
{
    const gd_table *tab = &rep->tables[col->t];
    if (!tab->present || !tab->row_present[col->r])
        return bd_put_missing(col);
    const gd_cell *cell = &tab->cells[col->r][col->c];
    if ((unsigned)cell->kind >= NKINDS)
        return BAD;
    if (cell->kind != GD_CELL_NUMBER)
        return bd_put_missing(col);
    if (cell->scale < 0 || cell->scale > MAX_SCALE)
        return BAD;
    if (col->kind == CK_DEC)
        return put_decimal(col, cell->units, cell->scale);
    if (cell->scale == 0 || cell->units == 0)
        return bd_put_int(col, cell->scale == 0 ? cell->units : 0);
    if (cell->scale > GD_MAX_DIGITS) /* |units| < 10^19: a fraction */
        return bd_put_missing(col);
    int64_t p = pow10_i64(cell->scale);
    return cell->units % p == 0 ? bd_put_int(col, cell->units / p) : bd_put_missing(col);
}

/* Fields both shapes share. */
static int put_shared(column *col, const gd_report *rep, const row_meta *mt)
{
    switch (col->field) {
    case F_SOURCE:
        return mt->src ? bd_put_str(col, mt->src, (size_t)mt->src_len) : bd_put_missing(col);
    case F_AGENCY:
        return put_cstr(col, rep->agency);
    case F_YEAR:
        return rep->year ? bd_put_int(col, rep->year) : bd_put_missing(col);
    default:
        return BAD; /* not a field of this shape: columns_new lets none through */
    }
}

/* A row: each column's value from value(col, ctx), in column order. */
static int write_row(columns *cs, int (*value)(column *, const void *), const void *ctx)
{
    for (int k = 0; k < cs->ncols; k++) {
        int rc = value(&cs->cols[k], ctx);
        if (rc < 0)
            return rc;
    }
    cs->nrows++;
    return 0;
}

/* What a wide row's columns take. */
typedef struct {
    const gd_report *rep;
    const row_meta *mt;
    int64_t errors, warnings;
    const char *tpl;
} wide_row;

static int wide_value(column *col, const void *ctx)
{
    const wide_row *w = ctx;
    switch (col->field) {
    case F_CELL:
        return put_cell(col, w->rep);
    case F_PUBLISHED:
        return put_date(col, w->rep->pub_year, w->rep->pub_month, w->rep->pub_day);
    case F_DATED:
        return put_date(col, w->rep->dated_year, w->rep->dated_month, w->rep->dated_day);
    case F_DEADLINE:
        return put_date(col, w->rep->deadline_year, w->rep->deadline_month,
                        w->rep->deadline_day);
    case F_DAYS_LATE:
        return put_days_late(col, w->rep);
    case F_TEMPLATE:
        return bd_put_str(col, w->tpl, strlen(w->tpl));
    case F_FORMAT:
        return w->mt->fmt ? bd_put_str(col, w->mt->fmt, (size_t)w->mt->fmt_len)
                          : bd_put_missing(col);
    case F_N_ERRORS:
        return bd_put_int(col, w->errors);
    case F_N_WARNINGS:
        return bd_put_int(col, w->warnings);
    default:
        return put_shared(col, w->rep, w->mt);
    }
}

static int fill_wide(columns *cs, const gd_report *rep, const row_meta *mt)
{
    wide_row w = {rep, mt, mt->errors, mt->warnings, NULL};
    for (size_t i = 0; i < rep->nfindings; i++) {
        /* as bd_severity_of: an unknown severity is an error */
        gd_severity sev = rep->findings[i].severity;
        w.warnings += sev == GD_WARNING;
        w.errors += sev != GD_WARNING && sev != GD_INFO;
    }
    unsigned tpl = (unsigned)rep->template < NTEMPLATES ? (unsigned)rep->template
                                                         : (unsigned)GD_TEMPLATE_UNKNOWN;
    w.tpl = bd_template_names[tpl];
    return write_row(cs, wide_value, &w);
}

/* One row of the long frame: a cell and where it stands. */
typedef struct {
    const char *table, *row, *column; /* ids */
    const char *label;                /* the template's label, or NULL: label_span */
    gd_span label_span;               /* an added row's label, in the report's text */
    const gd_cell *cell;
} long_row;

/* What a long row's columns take. */
typedef struct {
    const gd_report *rep;
    const row_meta *mt;
    const long_row *lr;
    const char *text;
    size_t len;
} long_ctx;

static int long_value(column *col, const void *ctx)
{
    const long_ctx *x = ctx;
    const long_row *lr = x->lr;
    const gd_cell *cell = lr->cell;
    switch (col->field) {
    case F_TABLE:
        return bd_put_str(col, lr->table, strlen(lr->table));
    case F_ROW:
        return bd_put_str(col, lr->row, strlen(lr->row));
    case F_COLUMN:
        return bd_put_str(col, lr->column, strlen(lr->column));
    case F_LABEL:
        return lr->label ? bd_put_str(col, lr->label, strlen(lr->label))
                         : put_folded(col, x->text, x->len, lr->label_span, 0);
    case F_VALUE:
        return cell->kind == GD_CELL_NUMBER ? put_decimal(col, cell->units, cell->scale)
                                            : bd_put_missing(col);
    case F_KIND:
        return bd_put_str(col, bd_kind_names[cell->kind], strlen(bd_kind_names[cell->kind]));
    case F_RAW:
        return put_folded(col, x->text, x->len, cell->raw, 0);
    case F_NOTE: /* as bd_cell_note: none when empty or only white space */
        return cell->note.start == cell->note.end ? bd_put_missing(col)
                                                  : put_folded(col, x->text, x->len,
                                                               cell->note, 1);
    case F_SPAN_START:
    case F_SPAN_END: {
        size_t at = col->field == F_SPAN_START ? cell->span.start : cell->span.end;
        return at > (size_t)INT64_MAX ? BAD : bd_put_int(col, (int64_t)at);
    }
    default:
        return put_shared(col, x->rep, x->mt);
    }
}

static int put_long_row(columns *cs, const gd_report *rep, const row_meta *mt,
                        const long_row *lr)
{
    const gd_cell *cell = lr->cell;
    if ((unsigned)cell->kind >= NKINDS || cell->scale < 0 || cell->scale > MAX_SCALE)
        return BAD;
    long_ctx x = {rep, mt, lr, rep->text ? rep->text : "", rep->text ? rep->text_len : 0};
    return write_row(cs, long_value, &x);
}

/* Every cell the report holds, in the template's order, then the rows a body
 * added to table 二 (frames._long_rows' order). */
static int fill_long(columns *cs, const gd_report *rep, const row_meta *mt)
{
    for (int t = 0; t < GD_NTABLES; t++) {
        const gd_table *tab = &rep->tables[t];
        const gd_tabledef *def = gd_table_def((gd_table_id)t);
        if (!tab->present)
            continue;
        for (unsigned r = 0; r < def->nrows && r < GD_MAX_ROWS; r++) {
            const gd_rowdef *rd = &def->rows[r];
            if (!tab->row_present[r])
                continue;
            for (unsigned c = 0; c < rd->ncols && c < GD_MAX_COLS; c++) {
                if (tab->cells[r][c].kind == GD_CELL_ABSENT)
                    continue;
                long_row lr = {def->id, rd->id, rd->cols[c].id, rd->label, {0, 0},
                               &tab->cells[r][c]};
                int rc = put_long_row(cs, rep, mt, &lr);
                if (rc < 0)
                    return rc;
            }
        }
    }
    if (!rep->tables[GD_TABLE_ACTIVE].present)
        return 0; /* no Active object: its added rows are not reached (Report.active None) */
    size_t i = 0;
    for (size_t x = 0; x < rep->nextras; x++) {
        const gd_extra *ex = &rep->extras[x];
        if (ex->table != GD_TABLE_ACTIVE)
            continue;
        if (ex->ncells > GD_MAX_COLS)
            return BAD;
        char row[32], col[24];
        snprintf(row, sizeof row, "extra.%zu", i++);
        for (size_t j = 0; j < ex->ncells; j++) {
            if (ex->cells[j].kind == GD_CELL_ABSENT)
                continue;
            snprintf(col, sizeof col, "%zu", j);
            long_row lr = {"active", row, col, NULL, ex->label, &ex->cells[j]};
            int rc = put_long_row(cs, rep, mt, &lr);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

int bd_fill_item(columns *cs, size_t i, const gd_report *rep, const row_meta *mt)
{
    size_t start = cs->nrows;
    int rc = cs->shape == WIDE ? fill_wide(cs, rep, mt) : fill_long(cs, rep, mt);
    if (rc < 0) {
        bd_truncate_rows(cs, start);
        return rc;
    }
    cs->items[i] = (item_rows){start, cs->nrows - start, 0};
    return 0;
}
