/*
 * _core.c -- the CPython binding of the govdisclose core (module govdisclose._core).
 *
 * This is the only file that includes Python.h.  It works in two phases:
 *
 *  1. With the input pinned (a str's UTF-8 buffer, or a read-only buffer of a
 *     bytes-like object, or a private copy of a writable one) the GIL is
 *     released and gd_parse() parses and checks the report.  No Python object
 *     is touched in between.
 *  2. With the GIL held again, the plain C report is turned into the dicts of
 *     ../../../shared/spec/SCHEMA.md, and the report is freed.
 *
 * Style: every local PyObject* starts NULL, every failure is
 * `if (x == NULL) goto error;`, and each function has one cleanup block that
 * releases what it still owns.  The core report is freed on every path.
 *
 * Key strings (table, row and column ids, "value", "kind", ...) are interned
 * once, in the module state, when the module is executed.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdio.h>
#include <string.h>

#include "govdisclose.h"

/* ---- Module state ------------------------------------------------------- */

/* Keys of the report dict, in SCHEMA order. */
enum {
    K_AGENCY, K_YEAR, K_PUBLISHED, K_TEMPLATE, K_LEVEL, K_REGION, K_ACTIVE, K_REQUESTS,
    K_REVIEWS, K_FINDINGS, K_UNPLACED,
    /* cells */
    K_VALUE, K_KIND, K_RAW, K_NOTE, K_SPAN,
    /* findings and unplaced numbers */
    K_CODE, K_SEVERITY, K_TABLE, K_CELL, K_EXPECTED, K_ACTUAL, K_MESSAGE, K_TEXT,
    /* the active table's local rows: {"label", "cells", "span"} */
    K_EXTRA, K_CELLS,
    /* template() and identities() */
    K_ID, K_LABEL, K_TEMPLATES, K_ROWS, K_COLUMNS, K_MONEY, K_GROUP, K_KEYS,
    K_EACH, K_TARGET, K_TERMS, K_SIGNS, K_RULE,
    K_STATISTICS, K_METADATA_SPANS,
    K_COUNT_
};

static const char *const key_names[K_COUNT_] = {
    "agency", "year", "published", "template", "level", "region", "active", "requests",
    "reviews", "findings", "unplaced",
    "value", "kind", "raw", "note", "span",
    "code", "severity", "table", "cell", "expected", "actual", "message", "text",
    "extra", "cells",
    "id", "label", "templates", "rows", "columns", "money", "group", "keys",
    "each", "target", "terms", "signs", "rule",
    "statistics", "metadata_spans",
};

/* Cell kinds, indexed by gd_cell_kind (GD_CELL_ABSENT has no name: None). */
#define NKINDS 5
static const char *const kind_names[NKINDS] = {NULL, "number", "empty", "na", "text"};

#define NSEVERITIES 3
static const char *const severity_names[NSEVERITIES] = {"info", "warning", "error"};

/* Indexed by gd_template. */
#define NTEMPLATES 4
static const char *const template_names[NTEMPLATES] = {"unknown", "2019", "2021", "mixed"};

typedef struct {
    PyObject *ParseError; /* subclass of ValueError */
    PyObject *Decimal;    /* decimal.Decimal */
    PyObject *keys[K_COUNT_];
    PyObject *kinds[NKINDS];
    PyObject *severities[NSEVERITIES];
    PyObject *templates[NTEMPLATES];
    PyObject *tpl_2019, *tpl_2021; /* "2019", "2021" for template() */
    PyObject *each_column, *each_row;
    PyObject *table_ids[GD_NTABLES];
    /* A dotted row id "withheld.state_secret" nests: group "withheld" (NULL
     * for an undotted id) holding leaf "state_secret". */
    PyObject *row_group[GD_NTABLES][GD_MAX_ROWS];
    PyObject *row_leaf[GD_NTABLES][GD_MAX_ROWS];
    PyObject *col_ids[GD_NTABLES][GD_MAX_ROWS][GD_MAX_COLS];
} core_state;

static inline core_state *get_state(PyObject *module)
{
    return (core_state *)PyModule_GetState(module);
}

/* Visit (or clear) every object reference held in the state. */
#define STATE_FOR_EACH(st, DO)                                                 \
    do {                                                                       \
        DO((st)->ParseError);                                                  \
        DO((st)->Decimal);                                                     \
        for (int i_ = 0; i_ < K_COUNT_; i_++)                                  \
            DO((st)->keys[i_]);                                                \
        for (int i_ = 0; i_ < NKINDS; i_++)                                    \
            DO((st)->kinds[i_]);                                               \
        for (int i_ = 0; i_ < NSEVERITIES; i_++)                               \
            DO((st)->severities[i_]);                                          \
        for (int i_ = 0; i_ < NTEMPLATES; i_++)                                \
            DO((st)->templates[i_]);                                           \
        DO((st)->tpl_2019);                                                    \
        DO((st)->tpl_2021);                                                    \
        DO((st)->each_column);                                                 \
        DO((st)->each_row);                                                    \
        for (int t_ = 0; t_ < GD_NTABLES; t_++) {                              \
            DO((st)->table_ids[t_]);                                           \
            for (int r_ = 0; r_ < GD_MAX_ROWS; r_++) {                         \
                DO((st)->row_group[t_][r_]);                                   \
                DO((st)->row_leaf[t_][r_]);                                    \
                for (int c_ = 0; c_ < GD_MAX_COLS; c_++)                       \
                    DO((st)->col_ids[t_][r_][c_]);                             \
            }                                                                  \
        }                                                                      \
    } while (0)

static int core_traverse(PyObject *module, visitproc visit, void *arg)
{
    core_state *st = get_state(module);
    if (st == NULL)
        return 0;
    STATE_FOR_EACH(st, Py_VISIT);
    return 0;
}

static int core_clear(PyObject *module)
{
    core_state *st = get_state(module);
    if (st == NULL)
        return 0;
    STATE_FOR_EACH(st, Py_CLEAR);
    return 0;
}

static void core_free(void *module)
{
    core_clear((PyObject *)module);
}

/* A new interned str for s[0..len). */
static PyObject *intern_n(const char *s, size_t len)
{
    PyObject *u = PyUnicode_FromStringAndSize(s, (Py_ssize_t)len);
    if (u == NULL)
        return NULL;
    PyUnicode_InternInPlace(&u);
    return u;
}

static PyObject *intern_s(const char *s)
{
    return intern_n(s, strlen(s));
}

/* ---- Small helpers (GIL held) ------------------------------------------- */

/* Is code point cp white space in the sense of Python's str.isspace()? */
static int is_space_cp(unsigned long cp)
{
    if (cp < 0x80)
        return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Length of the UTF-8 sequence at s[i] (the input is valid UTF-8; a short or
 * odd byte counts as one) and its code point. */
static size_t utf8_next(const unsigned char *s, size_t len, size_t i, unsigned long *cp)
{
    unsigned char b = s[i];
    size_t n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3
             : (b & 0xF8) == 0xF0 ? 4 : 1;
    if (i + n > len)
        n = 1;
    if (n == 1) {
        *cp = b;
        return 1;
    }
    unsigned long v = b & (0x7F >> n);
    for (size_t k = 1; k < n; k++)
        v = (v << 6) | (s[i + k] & 0x3F);
    *cp = v;
    return n;
}

/* The text of s[start, end) as a str, every run of white space folded to one
 * ASCII space and both ends stripped (what " ".join(x.split()) gives).
 * The span is checked against the input: a span outside it is a core bug
 * and raises SystemError rather than reading out of bounds. */
static PyObject *folded_text(const char *text, size_t len, gd_span span)
{
    if (span.start > span.end || span.end > len) {
        PyErr_Format(PyExc_SystemError,
                     "govdisclose core returned the span [%zu, %zu) outside an input of %zu bytes",
                     span.start, span.end, len);
        return NULL;
    }
    const unsigned char *s = (const unsigned char *)text + span.start;
    size_t n = span.end - span.start;

    /* Fast path: nothing to fold (no space at either end, only single ASCII
     * spaces inside). */
    int clean = 1, prev_space = 1;
    for (size_t i = 0; i < n && clean;) {
        unsigned long cp;
        i += utf8_next(s, n, i, &cp);
        if (is_space_cp(cp)) {
            if (cp != ' ' || prev_space)
                clean = 0;
            prev_space = 1;
        } else {
            prev_space = 0;
        }
    }
    if (n > 0 && prev_space)
        clean = 0;
    if (clean)
        return PyUnicode_DecodeUTF8((const char *)s, (Py_ssize_t)n, NULL);

    char small[256];
    char *buf = n <= sizeof small ? small : PyMem_Malloc(n);
    if (buf == NULL)
        return PyErr_NoMemory();
    size_t o = 0;
    int pending_space = 0;
    for (size_t i = 0; i < n;) {
        unsigned long cp;
        size_t k = utf8_next(s, n, i, &cp);
        if (is_space_cp(cp)) {
            pending_space = o > 0;
        } else {
            if (pending_space)
                buf[o++] = ' ';
            pending_space = 0;
            memcpy(buf + o, s + i, k);
            o += k;
        }
        i += k;
    }
    PyObject *res = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)o, NULL);
    if (buf != small)
        PyMem_Free(buf);
    return res;
}

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

/* The exact decimal units * 10^-scale as decimal.Decimal, trailing zeros kept:
 * (22167, 2) -> Decimal("221.67"), (900, 2) -> Decimal("9.00"). */
static PyObject *make_decimal(core_state *st, int64_t units, int scale)
{
    /* 20 digits of an int64, up to 64 leading zeros, sign, point, NUL. */
    enum { MAX_SCALE = 64 };
    char digits[24], out[24 + MAX_SCALE + 4];
    if (scale < 0 || scale > MAX_SCALE) {
        PyErr_Format(PyExc_SystemError, "govdisclose core returned a number with scale %d",
                     scale);
        return NULL;
    }
    uint64_t mag = units < 0 ? (uint64_t)0 - (uint64_t)units : (uint64_t)units;
    int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)mag);
    if (nd <= 0)
        nd = 0;
    char *p = out;
    if (units < 0)
        *p++ = '-';
    if (nd <= scale) { /* 0.0ddd */
        *p++ = '0';
        *p++ = '.';
        for (int i = 0; i < scale - nd; i++)
            *p++ = '0';
        memcpy(p, digits, (size_t)nd);
        p += nd;
    } else {
        memcpy(p, digits, (size_t)(nd - scale));
        p += nd - scale;
        if (scale > 0) {
            *p++ = '.';
            memcpy(p, digits + nd - scale, (size_t)scale);
            p += scale;
        }
    }
    *p = '\0';

    PyObject *str = NULL, *res = NULL;
    str = PyUnicode_FromStringAndSize(out, p - out);
    if (str == NULL)
        goto error;
    res = PyObject_CallOneArg(st->Decimal, str);
error:
    Py_XDECREF(str);
    return res;
}

static int set_item(PyObject *dict, PyObject *key, PyObject *value)
{
    /* Consumes value (even on failure); key is borrowed. */
    if (value == NULL)
        return -1;
    int rc = PyDict_SetItem(dict, key, value);
    Py_DECREF(value);
    return rc;
}

static PyObject *none_ref(void)
{
    Py_INCREF(Py_None);
    return Py_None;
}

/* ---- Building the result (GIL held) ------------------------------------- */

/* One cell dict, or None for an absent cell.  raw and note are read from the
 * text the parser read (report->text); span is the cell in the input.  money:
 * the column holds an amount (a Decimal even when written without decimals). */
static PyObject *build_cell(core_state *st, const char *text, size_t len, int money,
                            const gd_cell *cell)
{
    PyObject *d = NULL;
    if (cell->kind == GD_CELL_ABSENT)
        return none_ref();
    if ((unsigned)cell->kind >= NKINDS) {
        PyErr_Format(PyExc_SystemError, "govdisclose core returned cell kind %d",
                     (int)cell->kind);
        return NULL;
    }
    d = PyDict_New();
    if (d == NULL)
        goto error;

    PyObject *value;
    if (cell->kind != GD_CELL_NUMBER)
        value = none_ref();
    else if (money || cell->scale > 0)
        value = make_decimal(st, cell->units, cell->scale);
    else if (cell->scale < 0) {
        PyErr_Format(PyExc_SystemError, "govdisclose core returned a number with scale %d",
                     cell->scale);
        value = NULL;
    } else
        value = PyLong_FromLongLong((long long)cell->units);
    if (set_item(d, st->keys[K_VALUE], value) < 0)
        goto error;
    if (PyDict_SetItem(d, st->keys[K_KIND], st->kinds[cell->kind]) < 0)
        goto error;
    if (set_item(d, st->keys[K_RAW], folded_text(text, len, cell->raw)) < 0)
        goto error;

    PyObject *note;
    if (cell->note.start == cell->note.end) {
        note = none_ref();
    } else {
        note = folded_text(text, len, cell->note);
        if (note != NULL && PyUnicode_GET_LENGTH(note) == 0) {
            Py_DECREF(note);
            note = none_ref();
        }
    }
    if (set_item(d, st->keys[K_NOTE], note) < 0)
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
    if (set_item(d, st->keys[K_LABEL], folded_text(text, len, x->label)) < 0)
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

/* {"agency": [s, e] | None, "year": …, "published": …}: where each was read. */
static PyObject *metadata_spans(core_state *st, const gd_report *rep)
{
    PyObject *d = PyDict_New();
    if (d == NULL)
        return NULL;
    const int keys[3] = {K_AGENCY, K_YEAR, K_PUBLISHED};
    const int known[3] = {rep->agency != NULL, rep->year != 0 && rep->year_span.end > 0,
                          rep->pub_year != 0};
    const gd_span spans[3] = {rep->agency_span, rep->year_span, rep->published_span};
    for (int k = 0; k < 3; k++)
        if (set_item(d, st->keys[keys[k]], known[k] ? span_list(spans[k]) : none_ref()) < 0) {
            Py_DECREF(d);
            return NULL;
        }
    return d;
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

static PyObject *table_id_or_none(core_state *st, int table)
{
    if (table < 0 || table >= GD_NTABLES)
        return none_ref();
    Py_INCREF(st->table_ids[table]);
    return st->table_ids[table];
}

static PyObject *optional_int(int has, int64_t v)
{
    return has ? PyLong_FromLongLong((long long)v) : none_ref();
}

static PyObject *build_finding(core_state *st, const gd_finding *f)
{
    PyObject *d = NULL;
    PyObject *cell;
    char small[128], *buf = NULL;

    d = PyDict_New();
    if (d == NULL)
        goto error;
    if (set_item(d, st->keys[K_CODE], PyUnicode_FromString(f->code ? f->code : "")) < 0)
        goto error;
    if (PyDict_SetItem(d, st->keys[K_SEVERITY],
                       st->severities[(unsigned)f->severity < NSEVERITIES ? f->severity
                                                                          : GD_ERROR]) < 0)
        goto error;
    if (set_item(d, st->keys[K_TABLE], table_id_or_none(st, f->table)) < 0)
        goto error;

    /* The cell path (a row path when col < 0); None when no cell is named. */
    if (f->table < 0 || f->table >= GD_NTABLES || f->row < 0) {
        cell = none_ref();
    } else {
        size_t need = gd_cell_path(f->table, f->row, f->col, small, sizeof small);
        if (need < sizeof small) {
            cell = PyUnicode_DecodeUTF8(small, (Py_ssize_t)need, NULL);
        } else {
            buf = PyMem_Malloc(need + 1);
            if (buf == NULL) {
                PyErr_NoMemory();
                goto error;
            }
            gd_cell_path(f->table, f->row, f->col, buf, need + 1);
            cell = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)need, NULL);
        }
    }
    if (set_item(d, st->keys[K_CELL], cell) < 0)
        goto error;
    if (set_item(d, st->keys[K_EXPECTED], optional_int(f->has_expected, f->expected)) < 0)
        goto error;
    if (set_item(d, st->keys[K_ACTUAL], optional_int(f->has_actual, f->actual)) < 0)
        goto error;
    /* A message is prose for people: a bad byte in it (a core bug) shows as
     * U+FFFD rather than failing the whole parse.  Cell text stays strict. */
    const char *msg = f->message ? f->message : "";
    if (set_item(d, st->keys[K_MESSAGE],
                 PyUnicode_DecodeUTF8(msg, (Py_ssize_t)strlen(msg), "replace")) < 0)
        goto error;
    PyMem_Free(buf);
    return d;
error:
    PyMem_Free(buf);
    Py_XDECREF(d);
    return NULL;
}

static PyObject *build_unplaced(core_state *st, const char *text, size_t len,
                                const gd_unplaced *u)
{
    PyObject *d = PyDict_New();
    if (d == NULL)
        goto error;
    if (set_item(d, st->keys[K_TEXT], folded_text(text, len, u->raw)) < 0)
        goto error;
    if (set_item(d, st->keys[K_SPAN], span_list(u->span)) < 0)
        goto error;
    if (set_item(d, st->keys[K_TABLE], table_id_or_none(st, u->table)) < 0)
        goto error;
    return d;
error:
    Py_XDECREF(d);
    return NULL;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* "YYYY-MM-DD", or None when unknown or not a calendar date. */
static PyObject *published_str(const gd_report *rep)
{
    char buf[32];
    int y = rep->pub_year, m = rep->pub_month, d = rep->pub_day;
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return none_ref();
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return PyUnicode_FromString(buf);
}

/* A NUL-terminated UTF-8 string of the report as str, or None for NULL. */
static PyObject *optional_str(const char *s)
{
    if (s == NULL)
        return none_ref();
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), NULL);
}

/* The report dict.  Cell raw/note and unplaced text come from rep->text (the
 * text the parser read: the input itself for plain text). */
static PyObject *build_report(core_state *st, const gd_report *rep)
{
    PyObject *d = NULL, *list = NULL, *item = NULL;
    const char *text = rep->text ? rep->text : "";
    size_t len = rep->text ? rep->text_len : 0;

    d = PyDict_New();
    if (d == NULL)
        goto error;

    if (set_item(d, st->keys[K_AGENCY], optional_str(rep->agency)) < 0)
        goto error;
    if (set_item(d, st->keys[K_YEAR],
                 rep->year ? PyLong_FromLong((long)rep->year) : none_ref()) < 0)
        goto error;
    if (set_item(d, st->keys[K_PUBLISHED], published_str(rep)) < 0)
        goto error;
    unsigned tpl = (unsigned)rep->template < NTEMPLATES ? (unsigned)rep->template
                                                         : (unsigned)GD_TEMPLATE_UNKNOWN;
    if (PyDict_SetItem(d, st->keys[K_TEMPLATE], st->templates[tpl]) < 0)
        goto error;
    if (set_item(d, st->keys[K_LEVEL], optional_str(rep->level)) < 0)
        goto error;
    if (set_item(d, st->keys[K_REGION], optional_str(rep->region)) < 0)
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
    if (set_item(d, st->keys[K_METADATA_SPANS], metadata_spans(st, rep)) < 0)
        goto error;
    return d;
error:
    Py_XDECREF(d);
    Py_XDECREF(list);
    Py_XDECREF(item);
    return NULL;
}

/* ---- parse() ------------------------------------------------------------- */

/* Raise the exception that matches a failed gd_parse(). */
static void raise_status(core_state *st, gd_status status, size_t err_offset, size_t len)
{
    PyObject *msg = NULL, *exc = NULL, *off = NULL;
    switch (status) {
    case GD_ERR_NOMEM:
        PyErr_NoMemory();
        return;
    case GD_ERR_UTF8:
        msg = PyUnicode_FromFormat("input is not valid UTF-8 (byte %zu): decode it to str "
                                   "first if it is in another encoding",
                                   err_offset);
        if (msg == NULL)
            goto error;
        exc = PyObject_CallOneArg(st->ParseError, msg);
        if (exc == NULL)
            goto error;
        off = PyLong_FromSize_t(err_offset);
        if (off == NULL)
            goto error;
        if (PyObject_SetAttrString(exc, "offset", off) < 0)
            goto error;
        PyErr_SetObject(st->ParseError, exc);
        goto error;
    case GD_ERR_TOO_LARGE:
        PyErr_Format(st->ParseError,
                     "input is too large: %zu bytes, the limit is %zu bytes (GD_MAX_INPUT)", len,
                     (size_t)GD_MAX_INPUT);
        return;
    default:
        PyErr_Format(PyExc_SystemError, "gd_parse failed: %s",
                     gd_status_message(status));
        return;
    }
error:
    Py_XDECREF(msg);
    Py_XDECREF(exc);
    Py_XDECREF(off);
}

PyDoc_STRVAR(parse_doc,
"parse(data, strict=False, format=\"text\") -> dict\n"
"\n"
"Parse one report and reconcile its tables.  data is a str, or a bytes-like\n"
"object holding UTF-8.  format says what it is: \"text\" (plain text or\n"
"markdown), \"html\" (an HTML page, decoded) or \"docx\" (the word/document.xml\n"
"of a DOCX file).  Returns the report as plain data in the shape of SCHEMA.md,\n"
"with level and region after template and active.extra as a list of\n"
"{\"label\", \"cells\", \"span\"}.  Cell raw and note are the text the parser\n"
"read (for markup: the text extracted from it); every span is a byte offset\n"
"into data's UTF-8 form.  strict=True treats blank and na cells as unknown, so\n"
"identities that depend on them are reported as not checkable.\n"
"\n"
"Raises TypeError for other types, ValueError for an unknown format,\n"
"ParseError (a ValueError) for bytes that are not UTF-8 (with the byte\n"
"offset) or an input that is too large, and MemoryError when the core runs\n"
"out of memory.");

/* The gd_format a format name names; -1 (with ValueError set) for none. */
static int format_of(const char *name)
{
    static const struct {
        const char *name;
        gd_format format;
    } formats[] = {{"text", GD_FORMAT_TEXT}, {"html", GD_FORMAT_HTML}, {"docx", GD_FORMAT_DOCX}};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(name, formats[i].name) == 0)
            return (int)formats[i].format;
    PyErr_Format(PyExc_ValueError,
                 "format must be \"text\", \"html\" or \"docx\", not \"%.100s\"", name);
    return -1;
}

static PyObject *core_parse(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"data", "strict", "format", NULL};
    core_state *st = get_state(module);
    PyObject *obj = NULL, *pinned_str = NULL, *result = NULL;
    Py_buffer view;
    int have_view = 0, strict = 0, format;
    const char *format_name = "text";
    char *copy = NULL;
    const char *data;
    Py_ssize_t size;
    gd_report *rep = NULL;
    gd_status status;
    size_t err_offset = 0;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|ps:parse", kwlist, &obj, &strict,
                                     &format_name))
        return NULL;
    format = format_of(format_name);
    if (format < 0)
        return NULL;

    if (PyUnicode_Check(obj)) {
        /* The str owns its cached UTF-8 form; holding the str pins it. */
        Py_INCREF(obj);
        pinned_str = obj;
        data = PyUnicode_AsUTF8AndSize(pinned_str, &size);
        if (data == NULL)
            goto error;
    } else if (PyObject_CheckBuffer(obj)) {
        if (PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE) < 0)
            goto error;
        have_view = 1;
        data = view.buf;
        size = view.len;
        if ((size_t)size > GD_MAX_INPUT) { /* before copying a gigabyte */
            raise_status(st, GD_ERR_TOO_LARGE, 0, (size_t)size);
            goto error;
        }
        if (!view.readonly && size > 0) {
            /* Another thread could write into a bytearray while the GIL is
             * released; the core must see bytes that do not change. */
            copy = PyMem_Malloc((size_t)size);
            if (copy == NULL) {
                PyErr_NoMemory();
                goto error;
            }
            memcpy(copy, view.buf, (size_t)size);
            data = copy;
        }
    } else {
        PyErr_Format(PyExc_TypeError,
                     "parse() expects str or a bytes-like object, not %.200s",
                     Py_TYPE(obj)->tp_name);
        goto error;
    }

    gd_options opts = {.flags = strict ? GD_STRICT : 0u, .alloc = NULL,
                       .format = (gd_format)format};
    size_t len = (size_t)size;
    Py_BEGIN_ALLOW_THREADS
    status = gd_parse(data, len, &opts, &rep, &err_offset);
    Py_END_ALLOW_THREADS

    if (status != GD_OK) {
        raise_status(st, status, err_offset, len);
        goto error;
    }
    result = build_report(st, rep);

error:
    gd_report_free(rep);
    PyMem_Free(copy);
    if (have_view)
        PyBuffer_Release(&view);
    Py_XDECREF(pinned_str);
    return result;
}

/* ---- template() and identities() ----------------------------------------- */

static PyObject *templates_list(core_state *st, unsigned bits)
{
    PyObject *list = PyList_New(0);
    if (list == NULL)
        return NULL;
    if ((bits & GD_TPL_2019) && PyList_Append(list, st->tpl_2019) < 0)
        goto error;
    if ((bits & GD_TPL_2021) && PyList_Append(list, st->tpl_2021) < 0)
        goto error;
    return list;
error:
    Py_DECREF(list);
    return NULL;
}

static PyObject *coldef_dict(core_state *st, int t, unsigned r, unsigned c,
                             const gd_coldef *col)
{
    PyObject *d = PyDict_New();
    if (d == NULL)
        goto error;
    if (PyDict_SetItem(d, st->keys[K_ID], st->col_ids[t][r][c]) < 0)
        goto error;
    if (set_item(d, st->keys[K_LABEL], PyUnicode_FromString(col->label)) < 0)
        goto error;
    if (set_item(d, st->keys[K_TEMPLATES], templates_list(st, col->templates)) < 0)
        goto error;
    if (set_item(d, st->keys[K_MONEY], PyBool_FromLong(col->money)) < 0)
        goto error;
    return d;
error:
    Py_XDECREF(d);
    return NULL;
}

static PyObject *rowdef_dict(core_state *st, int t, unsigned r, const gd_rowdef *rd)
{
    PyObject *d = NULL, *cols = NULL, *keys = NULL;
    d = PyDict_New();
    if (d == NULL)
        goto error;
    if (set_item(d, st->keys[K_ID], PyUnicode_FromString(rd->id)) < 0)
        goto error;
    if (set_item(d, st->keys[K_LABEL], PyUnicode_FromString(rd->label)) < 0)
        goto error;
    if (set_item(d, st->keys[K_TEMPLATES], templates_list(st, rd->templates)) < 0)
        goto error;
    if (set_item(d, st->keys[K_GROUP], PyLong_FromLong(rd->group)) < 0)
        goto error;
    keys = PyList_New(0);
    if (keys == NULL)
        goto error;
    for (size_t k = 0; k < sizeof rd->keys / sizeof rd->keys[0] && rd->keys[k]; k++) {
        PyObject *key = PyUnicode_FromString(rd->keys[k]);
        if (key == NULL)
            goto error;
        int rc = PyList_Append(keys, key);
        Py_DECREF(key);
        if (rc < 0)
            goto error;
    }
    if (PyDict_SetItem(d, st->keys[K_KEYS], keys) < 0)
        goto error;
    cols = PyList_New((Py_ssize_t)rd->ncols);
    if (cols == NULL)
        goto error;
    for (unsigned c = 0; c < rd->ncols; c++) {
        PyObject *col = coldef_dict(st, t, r, c, &rd->cols[c]);
        if (col == NULL)
            goto error;
        PyList_SET_ITEM(cols, (Py_ssize_t)c, col);
    }
    if (PyDict_SetItem(d, st->keys[K_COLUMNS], cols) < 0)
        goto error;
    Py_DECREF(keys);
    Py_DECREF(cols);
    return d;
error:
    Py_XDECREF(d);
    Py_XDECREF(cols);
    Py_XDECREF(keys);
    return NULL;
}

PyDoc_STRVAR(template_doc,
"template() -> dict\n"
"\n"
"The template definition as plain data: {table id: {\"id\", \"label\",\n"
"\"rows\": [{\"id\", \"label\", \"templates\", \"group\", \"keys\", \"columns\":\n"
"[{\"id\", \"label\", \"templates\", \"money\"}]}]}}.  templates lists the national\n"
"templates (\"2019\", \"2021\") a row or column belongs to.");

static PyObject *core_template(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    core_state *st = get_state(module);
    PyObject *res = NULL, *tdict = NULL, *rows = NULL;
    res = PyDict_New();
    if (res == NULL)
        goto error;
    for (int t = 0; t < GD_NTABLES; t++) {
        const gd_tabledef *def = gd_table_def((gd_table_id)t);
        tdict = PyDict_New();
        if (tdict == NULL)
            goto error;
        if (PyDict_SetItem(tdict, st->keys[K_ID], st->table_ids[t]) < 0)
            goto error;
        if (set_item(tdict, st->keys[K_LABEL], PyUnicode_FromString(def->label)) < 0)
            goto error;
        rows = PyList_New((Py_ssize_t)def->nrows);
        if (rows == NULL)
            goto error;
        for (unsigned r = 0; r < def->nrows; r++) {
            PyObject *row = rowdef_dict(st, t, r, &def->rows[r]);
            if (row == NULL)
                goto error;
            PyList_SET_ITEM(rows, (Py_ssize_t)r, row);
        }
        if (PyDict_SetItem(tdict, st->keys[K_ROWS], rows) < 0)
            goto error;
        Py_CLEAR(rows);
        if (PyDict_SetItem(res, st->table_ids[t], tdict) < 0)
            goto error;
        Py_CLEAR(tdict);
    }
    return res;
error:
    Py_XDECREF(res);
    Py_XDECREF(tdict);
    Py_XDECREF(rows);
    return NULL;
}

/* The id a term index of identity id names: a row id for GD_EACH_COLUMN,
 * a column id (of the table's first row) for GD_EACH_ROW. */
static PyObject *identity_ref(const gd_identity *id, int index)
{
    const gd_tabledef *def = gd_table_def(id->table);
    if (def == NULL || def->nrows == 0)
        goto bad;
    if (id->each == GD_EACH_COLUMN) {
        if (index < 0 || (unsigned)index >= def->nrows)
            goto bad;
        return PyUnicode_FromString(def->rows[index].id);
    }
    if (index < 0 || (unsigned)index >= def->rows[0].ncols)
        goto bad;
    return PyUnicode_FromString(def->rows[0].cols[index].id);
bad:
    PyErr_Format(PyExc_SystemError, "identity %s names index %d outside its table",
                 id->code, index);
    return NULL;
}

PyDoc_STRVAR(identities_doc,
"identities() -> list\n"
"\n"
"The identities the core checks: [{\"code\", \"table\", \"each\" (\"column\" or\n"
"\"row\"), \"target\", \"terms\", \"signs\", \"rule\"}].  For each column (or row)\n"
"of the table, target == sum(sign * term); target and terms are row ids when\n"
"each is \"column\" and column ids when each is \"row\".");

static PyObject *core_identities(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    core_state *st = get_state(module);
    PyObject *res = NULL, *d = NULL, *terms = NULL, *signs = NULL;
    size_t n = 0;
    const gd_identity *ids = gd_identities(&n);

    res = PyList_New(0);
    if (res == NULL)
        goto error;
    for (size_t i = 0; i < n; i++) {
        const gd_identity *id = &ids[i];
        if (id->nterms < 0 || id->nterms > GD_MAX_TERMS) {
            PyErr_Format(PyExc_SystemError, "identity %s has %d terms", id->code, id->nterms);
            goto error;
        }
        d = PyDict_New();
        if (d == NULL)
            goto error;
        if (set_item(d, st->keys[K_CODE], PyUnicode_FromString(id->code)) < 0)
            goto error;
        if (set_item(d, st->keys[K_TABLE], table_id_or_none(st, (int)id->table)) < 0)
            goto error;
        if (PyDict_SetItem(d, st->keys[K_EACH],
                           id->each == GD_EACH_ROW ? st->each_row : st->each_column) < 0)
            goto error;
        if (set_item(d, st->keys[K_TARGET], identity_ref(id, id->target)) < 0)
            goto error;
        terms = PyList_New(id->nterms);
        if (terms == NULL)
            goto error;
        signs = PyList_New(id->nterms);
        if (signs == NULL)
            goto error;
        for (int k = 0; k < id->nterms; k++) {
            PyObject *term = identity_ref(id, id->terms[k]);
            if (term == NULL)
                goto error;
            PyList_SET_ITEM(terms, k, term);
            PyObject *sign = PyLong_FromLong(id->signs[k]);
            if (sign == NULL)
                goto error;
            PyList_SET_ITEM(signs, k, sign);
        }
        if (PyDict_SetItem(d, st->keys[K_TERMS], terms) < 0)
            goto error;
        Py_CLEAR(terms);
        if (PyDict_SetItem(d, st->keys[K_SIGNS], signs) < 0)
            goto error;
        Py_CLEAR(signs);
        if (set_item(d, st->keys[K_RULE], PyUnicode_FromString(id->rule ? id->rule : "")) < 0)
            goto error;
        if (PyList_Append(res, d) < 0)
            goto error;
        Py_CLEAR(d);
    }
    return res;
error:
    Py_XDECREF(res);
    Py_XDECREF(d);
    Py_XDECREF(terms); /* PyList_New fills with NULL: a partial list is safe */
    Py_XDECREF(signs);
    return NULL;
}

/* ---- Module definition ---------------------------------------------------- */

static PyMethodDef core_methods[] = {
    {"parse", (PyCFunction)(void (*)(void))core_parse, METH_VARARGS | METH_KEYWORDS,
     parse_doc},
    {"template", core_template, METH_NOARGS, template_doc},
    {"identities", core_identities, METH_NOARGS, identities_doc},
    {NULL, NULL, 0, NULL},
};

/* PyModule_AddObject steals only on success; this never steals. */
static int add_ref(PyObject *module, const char *name, PyObject *obj)
{
    Py_INCREF(obj);
    if (PyModule_AddObject(module, name, obj) < 0) {
        Py_DECREF(obj);
        return -1;
    }
    return 0;
}

static int core_exec(PyObject *module)
{
    core_state *st = get_state(module);
    PyObject *decimal = NULL, *dict = NULL;

    /* ParseError(ValueError), with offset = None unless set. */
    dict = PyDict_New();
    if (dict == NULL)
        goto error;
    if (PyDict_SetItemString(dict, "offset", Py_None) < 0)
        goto error;
    st->ParseError = PyErr_NewExceptionWithDoc(
        "govdisclose._core.ParseError",
        "The input cannot be read at all: bytes in no encoding that fits, a file\n"
        "of a kind govdisclose does not read, a damaged DOCX or PDF, or an input\n"
        "that is too large.\n\n"
        "A subclass of ValueError; offset is the byte offset of the first bad\n"
        "byte for input that does not decode, else None.",
        PyExc_ValueError, dict);
    if (st->ParseError == NULL)
        goto error;
    Py_CLEAR(dict);

    decimal = PyImport_ImportModule("decimal");
    if (decimal == NULL)
        goto error;
    st->Decimal = PyObject_GetAttrString(decimal, "Decimal");
    if (st->Decimal == NULL)
        goto error;
    Py_CLEAR(decimal);

    for (int i = 0; i < K_COUNT_; i++) {
        st->keys[i] = intern_s(key_names[i]);
        if (st->keys[i] == NULL)
            goto error;
    }
    for (int i = 1; i < NKINDS; i++) {
        st->kinds[i] = intern_s(kind_names[i]);
        if (st->kinds[i] == NULL)
            goto error;
    }
    for (int i = 0; i < NSEVERITIES; i++) {
        st->severities[i] = intern_s(severity_names[i]);
        if (st->severities[i] == NULL)
            goto error;
    }
    for (int i = 0; i < NTEMPLATES; i++) {
        st->templates[i] = intern_s(template_names[i]);
        if (st->templates[i] == NULL)
            goto error;
    }
    st->tpl_2019 = intern_s("2019");
    if (st->tpl_2019 == NULL)
        goto error;
    st->tpl_2021 = intern_s("2021");
    if (st->tpl_2021 == NULL)
        goto error;
    st->each_column = intern_s("column");
    if (st->each_column == NULL)
        goto error;
    st->each_row = intern_s("row");
    if (st->each_row == NULL)
        goto error;

    for (int t = 0; t < GD_NTABLES; t++) {
        const gd_tabledef *def = gd_table_def((gd_table_id)t);
        if (def == NULL || def->nrows > GD_MAX_ROWS) {
            PyErr_SetString(PyExc_SystemError, "govdisclose core: bad table definition");
            goto error;
        }
        st->table_ids[t] = intern_s(def->id);
        if (st->table_ids[t] == NULL)
            goto error;
        for (unsigned r = 0; r < def->nrows; r++) {
            const gd_rowdef *rd = &def->rows[r];
            if (rd->ncols > GD_MAX_COLS) {
                PyErr_Format(PyExc_SystemError, "govdisclose core: row %s has %u columns",
                             rd->id, rd->ncols);
                goto error;
            }
            const char *dot = strchr(rd->id, '.');
            if (dot != NULL) {
                st->row_group[t][r] = intern_n(rd->id, (size_t)(dot - rd->id));
                if (st->row_group[t][r] == NULL)
                    goto error;
                st->row_leaf[t][r] = intern_s(dot + 1);
            } else {
                st->row_leaf[t][r] = intern_s(rd->id);
            }
            if (st->row_leaf[t][r] == NULL)
                goto error;
            for (unsigned c = 0; c < rd->ncols; c++) {
                st->col_ids[t][r][c] = intern_s(rd->cols[c].id);
                if (st->col_ids[t][r][c] == NULL)
                    goto error;
            }
        }
    }

    if (add_ref(module, "ParseError", st->ParseError) < 0)
        goto error;
    if (PyModule_AddStringConstant(module, "__version__", GD_VERSION) < 0)
        goto error;
    if (PyModule_AddIntConstant(module, "MAX_INPUT", (long)GD_MAX_INPUT) < 0)
        goto error;
    return 0;
error:
    Py_XDECREF(decimal);
    Py_XDECREF(dict);
    return -1; /* the state is released by core_clear/core_free */
}

static PyModuleDef_Slot core_slots[] = {
    {Py_mod_exec, (void *)core_exec},
#if PY_VERSION_HEX >= 0x030C0000
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
#endif
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

PyDoc_STRVAR(core_doc,
"The C core of govdisclose: parse Chinese government information disclosure\n"
"annual reports into their three tables and reconcile them.  Use the\n"
"govdisclose package for the typed API.");

static struct PyModuleDef core_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "govdisclose._core",
    .m_doc = core_doc,
    .m_size = sizeof(core_state),
    .m_methods = core_methods,
    .m_slots = core_slots,
    .m_traverse = core_traverse,
    .m_clear = core_clear,
    .m_free = core_free,
};

PyMODINIT_FUNC PyInit__core(void)
{
    return PyModuleDef_Init(&core_module);
}
