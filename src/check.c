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

static term_value value_of(const gd_cell *cell)
{
    term_value v = {0, 0, 0};
    switch (cell->kind) {
    case GD_CELL_NUMBER:
        v.ok = cell->scale == 0;
        v.value = cell->units;
        break;
    case GD_CELL_EMPTY:
    case GD_CELL_NA:
        v.ok = 1;
        v.blank = 1;
        break;
    default:
        break;
    }
    return v;
}

static int add_checked(int64_t *acc, int64_t x)
{
    if ((x > 0 && *acc > INT64_MAX - x) || (x < 0 && *acc < INT64_MIN - x))
        return -1;
    *acc += x;
    return 0;
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
    int blanks = target.blank, cells = 1, first_blank_row = target.blank ? trow : -1,
        first_blank_col = tcol;
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
        if (add_checked(&expected, id->signs[k] * v.value))
            return 0; /* cannot overflow with GD_MAX_DIGITS digits, but be sure */
    }
    if (blanks == cells)
        return 0; /* nothing written: nothing to check */

    if (!blanks && expected == target.value)
        return 0; /* the common case: it holds, nothing to say */
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
    (void)def;
    if (expected == target.value) {
        if (!blanks)
            return 0;
        return gd_add_finding(c, id->code, GD_INFO, id->table, trow, tcol, &expected, actual, at,
                              "%s: holds only when %d blank or na cell%s (first: %s) count as 0 "
                              "[%s]",
                              path, blanks, blanks == 1 ? "" : "s", blank_path, id->rule);
    }
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
