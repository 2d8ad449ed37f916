/*
 * check.c -- the reconciliation: every identity of template.c, in exact
 * integer arithmetic, with the blank policy of SCHEMA.md:
 *   default: blank and na cells count as 0, and the finding says so when an
 *            identity only holds, or only breaks, because of them;
 *   strict:  an identity with a blank or na cell is reported not checkable.
 * An identity whose cells are all blank says nothing and is skipped.
 */
#include "internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    int ok;        /* the cell can take part in a sum */
    int blank;     /* empty or na, counted as 0 */
    int64_t value;
} term_value;

int gd_counts_as_zero(gd_cell_kind kind)
{
    return kind == GD_CELL_EMPTY || kind == GD_CELL_NA;
}

static term_value value_of(const gd_cell *cell)
{
    term_value v = {0, 0, 0};
    if (cell->kind == GD_CELL_NUMBER) {
        v.ok = cell->scale == 0;
        v.value = cell->units;
    } else if (gd_counts_as_zero(cell->kind)) {
        v.ok = 1;
        v.blank = 1;
    }
    return v;
}

/* A sum that may pass 64 bits: hi * 10^18 + lo with 0 <= lo < 10^18.
 * Every cell has at most GD_MAX_DIGITS (18) digits, so each term is below
 * 10^18 in magnitude (one carry or borrow at most) and the sum of
 * GD_MAX_TERMS terms stays far inside hi's range. */
#define WIDE_BASE 1000000000000000000LL
#if GD_MAX_DIGITS > 18
#error "wide_add takes terms below 10^18: one carry or borrow each"
#endif
typedef struct {
    int64_t hi, lo;
} wide;

static void wide_add(wide *w, int64_t x)
{
    w->lo += x;
    if (w->lo >= WIDE_BASE)
        w->lo -= WIDE_BASE, w->hi++;
    else if (w->lo < 0)
        w->lo += WIDE_BASE, w->hi--;
}

/* The wide value as an int64, or -1 when it does not fit.  v starts at lo
 * (0 <= lo < 10^18) and takes |hi| steps of 10^18, all one way, so it leaves
 * the int64 range on the way only when the value itself is outside: -2^63
 * (hi = -10, lo = 776627963145224192) fits, though -10 * 10^18 does not. */
static int wide_fits(wide w, int64_t *out)
{
    int64_t v = w.lo;
    for (int64_t k = 0; k < w.hi; k++) {
        if (v > INT64_MAX - WIDE_BASE)
            return -1;
        v += WIDE_BASE;
    }
    for (int64_t k = 0; k > w.hi; k--) {
        if (v < INT64_MIN + WIDE_BASE)
            return -1;
        v -= WIDE_BASE;
    }
    *out = v;
    return 0;
}

/* A sum beyond int64 in decimal, for a message.  Its magnitude is at least
 * 2^63 > 10^18: it has a high part, and lo is printed with its zeros. */
static void wide_print(wide w, char *buf, size_t size)
{
    const char *sign = "";
    /* negative: its magnitude, -(hi * 10^18 + lo) = (-hi - 1) * 10^18 + (10^18 - lo) */
    if (w.hi < 0) {
        sign = "-";
        w.hi = -w.hi;
        if (w.lo)
            w.hi--, w.lo = WIDE_BASE - w.lo;
    }
    snprintf(buf, size, "%s%" PRId64 "%018" PRId64, sign, w.hi, w.lo);
}

static unsigned table_bit(const gd_table *tab)
{
    return tab->template == GD_TEMPLATE_2019 ? GD_TPL_2019 : GD_TPL_2021;
}

/* Check one instance: for EACH_COLUMN, line is the column; for EACH_ROW, the row. */
static int check_one(gd_ctx *c, const gd_identity *id, int line)
{
    const gd_tabledef *def = gd_table_def(id->table);
    const gd_table *tab = &c->rep->tables[id->table];
    unsigned bit = table_bit(tab);
    int trow = id->each == GD_EACH_COLUMN ? id->target : line;
    int tcol = id->each == GD_EACH_COLUMN ? line : id->target;
    if (!tab->row_present[trow])
        return 0;

    term_value target = value_of(&tab->cells[trow][tcol]);
    if (!target.ok)
        return 0; /* a text or decimal cell: its own finding says why */
    int64_t expected = 0;
    wide sum = {0, 0};
    /* the first blank: the target when it is blank, else the first blank term */
    int blanks = target.blank, cells = 1, first_blank_row = trow, first_blank_col = tcol;
    for (int k = 0; k < id->nterms; k++) {
        int r = id->each == GD_EACH_COLUMN ? id->terms[k] : line;
        int col = id->each == GD_EACH_COLUMN ? line : id->terms[k];
        if (!(def->rows[r].templates & bit))
            continue; /* a row of the other template */
        if (!tab->row_present[r])
            return 0; /* missing row: reported as parse.missing_row */
        term_value v = value_of(&tab->cells[r][col]);
        if (!v.ok)
            return 0;
        cells++;
        if (v.blank) {
            if (!blanks++) {
                first_blank_row = r;
                first_blank_col = col;
            }
        }
        wide_add(&sum, id->signs[k] * v.value);
    }
    if (blanks == cells)
        return 0; /* nothing written: nothing to check */

    int fits = wide_fits(sum, &expected) == 0;
    if (!blanks && fits && expected == target.value)
        return 0; /* the common case: it holds, nothing to say */
    if (!fits) {
        /* the terms add up beyond 64 bits: the identity is broken all the same */
        char path[96], shown[48];
        gd_cell_path(id->table, trow, tcol, path, sizeof path);
        wide_print(sum, shown, sizeof shown);
        const int64_t *actual = target.blank ? NULL : &target.value;
        return gd_add_finding(c, id->code, GD_ERROR, id->table, trow, tcol, NULL, actual,
                              tab->cells[trow][tcol].raw,
                              "%s should be %s, beyond what a 64-bit count holds [%s]", path,
                              shown, id->rule);
    }
    char path[96], blank_path[96];
    gd_cell_path(id->table, trow, tcol, path, sizeof path);
    gd_cell_path(id->table, first_blank_row, first_blank_col, blank_path, sizeof blank_path);
    gd_span at = tab->cells[trow][tcol].raw;
    const int64_t *actual = target.blank ? NULL : &target.value;

    if (blanks && (c->flags & GD_STRICT))
        return gd_add_finding(c, id->code, GD_WARNING, id->table, trow, tcol, NULL, NULL, at,
                              "%s: not checkable in strict mode, %d blank or na cell%s (first: "
                              "%s) [%s]",
                              path, blanks, blanks == 1 ? "" : "s", blank_path, id->rule);
    /* holds, so with blanks (without them the common case returned above) */
    if (expected == target.value)
        return gd_add_finding(c, id->code, GD_INFO, id->table, trow, tcol, &expected, actual, at,
                              "%s: holds only when %d blank or na cell%s (first: %s) count as 0 "
                              "[%s]",
                              path, blanks, blanks == 1 ? "" : "s", blank_path, id->rule);
    char shown[32];
    if (target.blank)
        snprintf(shown, sizeof shown, "blank");
    else
        snprintf(shown, sizeof shown, "%" PRId64, target.value);
    return gd_add_finding(c, id->code, GD_ERROR, id->table, trow, tcol, &expected, actual, at,
                          "%s is %s but should be %" PRId64 " [%s]%s", path, shown, expected,
                          id->rule,
                          blanks ? " (blank or na cells counted as 0)" : "");
}

int gd_check(gd_ctx *c)
{
    size_t n;
    const gd_identity *ids = gd_identities(&n);
    for (size_t k = 0; k < n; k++) {
        const gd_identity *id = &ids[k];
        const gd_table *tab = &c->rep->tables[id->table];
        if (!tab->present)
            continue;
        const gd_tabledef *def = gd_table_def(id->table);
        int lines = id->each == GD_EACH_COLUMN ? (int)def->rows[id->target].ncols
                                               : (int)def->nrows;
        for (int line = 0; line < lines; line++)
            if (check_one(c, id, line))
                return -1;
    }
    return 0;
}
