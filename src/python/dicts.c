/*
 * dicts.c -- parse()'s result: a core report as the plain dicts and lists of
 * ../../../shared/spec/SCHEMA.md (GIL held).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdio.h>

#include "binding.h"

/* [start, end] */
static PyObject *span_list(gd_span span)
{
    PyObject *start = NULL, *end = NULL, *list = NULL;
    start = PyLong_FromSize_t(span.start);
    if (start == NULL)
        goto error;
    end = PyLong_FromSize_t(span.end);
    if (end == NULL)
        goto error;
    list = PyList_New(2);
    if (list == NULL)
        goto error;
    PyList_SET_ITEM(list, 0, start); /* steals */
    PyList_SET_ITEM(list, 1, end);
    return list;
error:
    Py_XDECREF(start);
    Py_XDECREF(end);
    return NULL;
}

/* One cell dict, or None for an absent cell.  raw and note are read from the
 * text the parser read (report->text); span is the cell in the input.  money:
 * the column holds an amount (a Decimal even when written without decimals). */
static PyObject *build_cell(core_state *st, const char *text, size_t len, int money,
                            const gd_cell *cell)
{
    PyObject *d = NULL;
    if (cell->kind == GD_CELL_ABSENT)
        return none_ref();
    if (bd_check_cell_kind(cell) < 0)
        return NULL;
    d = PyDict_New();
    if (d == NULL)
        goto error;
    if (set_item(d, st->keys[K_VALUE], bd_cell_value(st, money, cell)) < 0)
        goto error;
    if (PyDict_SetItem(d, st->keys[K_KIND], st->kinds[cell->kind]) < 0)
        goto error;
    if (set_item(d, st->keys[K_RAW], bd_folded_text(text, len, cell->raw)) < 0)
        goto error;
    if (set_item(d, st->keys[K_NOTE], bd_cell_note(text, len, cell)) < 0)
        goto error;
    if (set_item(d, st->keys[K_SPAN], span_list(cell->span)) < 0)
        goto error;
    return d;
error:
    Py_XDECREF(d);
    return NULL;
}

/* One added row: {"label": its label as written (white space folded),
 * "cells": [cell, ...] in the order written, "span": the label in the input}. */
static PyObject *build_extra(core_state *st, const char *text, size_t len, const gd_extra *x)
{
    PyObject *d = NULL, *cells = NULL;
    if (x->ncells > GD_MAX_COLS) {
        PyErr_Format(PyExc_SystemError, "govdisclose core returned an added row of %zu cells",
                     x->ncells);
        return NULL;
    }
    d = PyDict_New();
    if (d == NULL)
        goto error;
    if (set_item(d, st->keys[K_LABEL], bd_folded_text(text, len, x->label)) < 0)
        goto error;
    cells = PyList_New((Py_ssize_t)x->ncells);
    if (cells == NULL)
        goto error;
    for (size_t k = 0; k < x->ncells; k++) {
        PyObject *cell = build_cell(st, text, len, 0, &x->cells[k]);
        if (cell == NULL)
            goto error;
        PyList_SET_ITEM(cells, (Py_ssize_t)k, cell); /* steals */
    }
    if (PyDict_SetItem(d, st->keys[K_CELLS], cells) < 0)
        goto error;
    Py_CLEAR(cells);
    if (set_item(d, st->keys[K_SPAN], span_list(x->label_span)) < 0)
        goto error;
    return d;
error:
    Py_XDECREF(d);
    Py_XDECREF(cells); /* PyList_New fills with NULL: a partial list is safe */
    return NULL;
}

/* The list of rows added to table t, in the order the report has them. */
static PyObject *build_extras(core_state *st, const char *text, size_t len,
                              const gd_report *rep, int t)
{
    PyObject *list = NULL, *item = NULL;
    list = PyList_New(0);
    if (list == NULL)
        goto error;
    for (size_t i = 0; i < rep->nextras; i++) {
        if (rep->extras[i].table != t)
            continue;
        item = build_extra(st, text, len, &rep->extras[i]);
        if (item == NULL)
            goto error;
        if (PyList_Append(list, item) < 0)
            goto error;
        Py_CLEAR(item);
    }
    return list;
error:
    Py_XDECREF(list);
    Py_XDECREF(item);
    return NULL;
}

/* One table dict (rows nested by their dotted ids), or None when absent. */
static PyObject *build_table(core_state *st, const char *text, size_t len,
                             const gd_report *rep, int t)
{
    PyObject *tdict = NULL, *row = NULL, *extra = NULL;
    const gd_table *tab = &rep->tables[t];
    const gd_tabledef *def = gd_table_def((gd_table_id)t);

    if (!tab->present)
        return none_ref();
    tdict = PyDict_New();
    if (tdict == NULL)
        goto error;

    for (unsigned r = 0; r < def->nrows; r++) {
        const gd_rowdef *rd = &def->rows[r];
        if (tab->row_present[r]) {
            row = PyDict_New();
            if (row == NULL)
                goto error;
            for (unsigned c = 0; c < rd->ncols; c++) {
                if (set_item(row, st->col_ids[t][r][c],
                             build_cell(st, text, len, rd->cols[c].money, &tab->cells[r][c])) < 0)
                    goto error;
            }
        } else {
            row = none_ref();
        }

        PyObject *parent = tdict; /* borrowed */
        PyObject *group_key = st->row_group[t][r];
        if (group_key != NULL) {
            parent = PyDict_GetItemWithError(tdict, group_key);
            if (parent == NULL) {
                if (PyErr_Occurred())
                    goto error;
                PyObject *group = PyDict_New();
                if (group == NULL)
                    goto error;
                int rc = PyDict_SetItem(tdict, group_key, group);
                Py_DECREF(group); /* tdict keeps it alive */
                if (rc < 0)
                    goto error;
                parent = group;
            }
        }
        int rc = PyDict_SetItem(parent, st->row_leaf[t][r], row);
        Py_CLEAR(row);
        if (rc < 0)
            goto error;
    }

    if (t == GD_TABLE_ACTIVE) {
        /* Rows a body added to the official table (SCHEMA: active.extra). */
        extra = build_extras(st, text, len, rep, t);
        if (extra == NULL)
            goto error;
        if (PyDict_SetItem(tdict, st->keys[K_EXTRA], extra) < 0)
            goto error;
        Py_CLEAR(extra);
    }
    return tdict;
error:
    Py_XDECREF(tdict);
    Py_XDECREF(row);
    Py_XDECREF(extra);
    return NULL;
}

static PyObject *build_finding(core_state *st, const gd_finding *f)
{
    PyObject *d = NULL;

    d = PyDict_New();
    if (d == NULL)
        goto error;
    if (set_item(d, st->keys[K_CODE], PyUnicode_FromString(f->code ? f->code : "")) < 0)
        goto error;
    if (set_item(d, st->keys[K_SEVERITY], bd_severity_of(st, f)) < 0)
        goto error;
    if (set_item(d, st->keys[K_TABLE], bd_table_id_or_none(st, f->table)) < 0)
        goto error;

    if (set_item(d, st->keys[K_CELL], bd_finding_cell(f)) < 0)
        goto error;
    if (set_item(d, st->keys[K_EXPECTED], bd_optional_int(f->has_expected, f->expected)) < 0)
        goto error;
    if (set_item(d, st->keys[K_ACTUAL], bd_optional_int(f->has_actual, f->actual)) < 0)
        goto error;
    if (set_item(d, st->keys[K_MESSAGE], bd_finding_message(f)) < 0)
        goto error;
    return d;
error:
    Py_XDECREF(d);
    return NULL;
}

static PyObject *build_unplaced(core_state *st, const char *text, size_t len,
                                const gd_unplaced *u)
{
    PyObject *d = PyDict_New();
    if (d == NULL)
        goto error;
    if (set_item(d, st->keys[K_TEXT], bd_folded_text(text, len, u->raw)) < 0)
        goto error;
    if (set_item(d, st->keys[K_SPAN], span_list(u->span)) < 0)
        goto error;
    if (set_item(d, st->keys[K_TABLE], bd_table_id_or_none(st, u->table)) < 0)
        goto error;
    return d;
error:
    Py_XDECREF(d);
    return NULL;
}

/* "YYYY-MM-DD", or None when unknown or not a calendar date. */
static PyObject *date_str(int y, int m, int d)
{
    char buf[48];
    if (!bd_date_valid(y, m, d))
        return none_ref();
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return PyUnicode_FromString(buf);
}

/* The report dict.  Cell raw/note and unplaced text come from rep->text (the
 * text the parser read: the input itself for plain text). */
PyObject *bd_build_report(core_state *st, const gd_report *rep)
{
    PyObject *d = NULL, *list = NULL, *item = NULL;
    const char *text = rep->text ? rep->text : "";
    size_t len = rep->text ? rep->text_len : 0;

    d = PyDict_New();
    if (d == NULL)
        goto error;

    if (set_item(d, st->keys[K_AGENCY], bd_optional_str(rep->agency)) < 0)
        goto error;
    if (set_item(d, st->keys[K_YEAR],
                 rep->year ? PyLong_FromLong((long)rep->year) : none_ref()) < 0)
        goto error;
    if (set_item(d, st->keys[K_PUBLISHED], date_str(rep->pub_year, rep->pub_month,
                                                     rep->pub_day)) < 0 ||
        set_item(d, st->keys[K_DATED], date_str(rep->dated_year, rep->dated_month,
                                                 rep->dated_day)) < 0)
        goto error;
    unsigned tpl = (unsigned)rep->template < NTEMPLATES ? (unsigned)rep->template
                                                         : (unsigned)GD_TEMPLATE_UNKNOWN;
    if (PyDict_SetItem(d, st->keys[K_TEMPLATE], st->templates[tpl]) < 0)
        goto error;
    if (set_item(d, st->keys[K_LEVEL], bd_optional_str(rep->level)) < 0)
        goto error;
    if (set_item(d, st->keys[K_REGION], bd_optional_str(rep->region)) < 0 ||
        set_item(d, st->keys[K_DEADLINE], date_str(rep->deadline_year, rep->deadline_month,
                                                    rep->deadline_day)) < 0 ||
        set_item(d, st->keys[K_DEADLINE_RULE], bd_optional_str(rep->deadline_rule)) < 0)
        goto error;

    static const int table_keys[GD_NTABLES] = {K_ACTIVE, K_REQUESTS, K_REVIEWS};
    for (int t = 0; t < GD_NTABLES; t++) {
        if (set_item(d, st->keys[table_keys[t]], build_table(st, text, len, rep, t)) < 0)
            goto error;
    }

    list = PyList_New((Py_ssize_t)rep->nfindings);
    if (list == NULL)
        goto error;
    for (size_t i = 0; i < rep->nfindings; i++) {
        item = build_finding(st, &rep->findings[i]);
        if (item == NULL)
            goto error;
        PyList_SET_ITEM(list, (Py_ssize_t)i, item); /* steals */
        item = NULL;
    }
    if (PyDict_SetItem(d, st->keys[K_FINDINGS], list) < 0)
        goto error;
    Py_CLEAR(list);

    list = PyList_New((Py_ssize_t)rep->nunplaced);
    if (list == NULL)
        goto error;
    for (size_t i = 0; i < rep->nunplaced; i++) {
        item = build_unplaced(st, text, len, &rep->unplaced[i]);
        if (item == NULL)
            goto error;
        PyList_SET_ITEM(list, (Py_ssize_t)i, item);
        item = NULL;
    }
    if (PyDict_SetItem(d, st->keys[K_UNPLACED], list) < 0)
        goto error;
    Py_CLEAR(list);
    /* the rows of a pre-2019 statistics table (统计表), kept as label and values */
    if (set_item(d, st->keys[K_STATISTICS], build_extras(st, text, len, rep, -1)) < 0)
        goto error;
    /* where agency, year and published were read, like a cell's span */
    if (set_item(d, st->keys[K_METADATA_SPANS], bd_metadata_spans(st, rep, span_list)) < 0)
        goto error;
    return d;
error:
    Py_XDECREF(d);
    Py_XDECREF(list);
    Py_XDECREF(item);
    return NULL;
}
