/*
 * _core.c -- the CPython binding of the govdisclose core (module govdisclose._core).
 *
 * This is the only file that includes Python.h.  It works in two phases:
 *
 *  1. With the input pinned (a str, a read-only buffer of a bytes-like
 *     object, or a private copy of a writable one) the GIL is released: a
 *     non-ASCII str is encoded to UTF-8 (wide_utf8.c), and gd_parse() parses
 *     and checks the report.  No Python object is touched in between.
 *  2. With the GIL held again, the plain C report is turned into the dicts of
 *     ../../../shared/spec/SCHEMA.md (parse) or straight into the frozen
 *     dataclasses of govdisclose/_model.py (parse_report), and it is freed.
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
#include "wide_utf8.h"

#if PY_VERSION_HEX < 0x030C0000
#include <structmember.h> /* T_OBJECT_EX, READONLY: in Python.h since 3.12 */
#else
#define T_OBJECT_EX Py_T_OBJECT_EX
#define READONLY Py_READONLY
#endif

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

/* The model classes of govdisclose._model, learned once by _set_model(): the
 * binding builds Report objects by storing each field at its slot. */
#define MAX_MODEL 32  /* classes learned */
#define MAX_FIELDS 24 /* fields of the widest class (Report has 17) */

typedef struct {
    PyTypeObject *type;            /* strong reference */
    int nfields;
    Py_ssize_t offset[MAX_FIELDS]; /* each field's slot, in field order */
    int part[MAX_FIELDS];          /* composites: the model index a field holds, else -1 */
    int untrack;                   /* instances leave the cyclic GC once built */
} model_class;

/* Where row r of table t goes: into the table object, or into the group object
 * held by field group_field of the table; the row object is of class cls and
 * its cells go to col_off. */
typedef struct {
    int group_field;
    Py_ssize_t offset;
    int cls;
    Py_ssize_t col_off[GD_MAX_COLS];
} row_place;

typedef struct {
    int ready;
    int nmodel;
    model_class cls[MAX_MODEL];
    int report, cell, finding, unplaced, extra_row, table[GD_NTABLES];
    int extra_field; /* Active.extra */
    uint32_t group_fields[GD_NTABLES]; /* bit f: field f of the table holds a group */
    row_place rows[GD_NTABLES][GD_MAX_ROWS];
} model_layout;

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
    PyObject *date; /* datetime.date, for Report.published */
    model_layout model;
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
        DO((st)->date);                                                        \
        for (int m_ = 0; m_ < (st)->model.nmodel; m_++)                        \
            DO((st)->model.cls[m_].type);                                      \
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
    st->model.ready = 0;
    st->model.nmodel = 0;
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

/* A number cell's value: Decimal for a money column or a decimal point, else
 * int; None for any other kind.  Shared by the dicts and the Report objects. */
static PyObject *cell_value(core_state *st, int money, const gd_cell *cell)
{
    if (cell->kind != GD_CELL_NUMBER)
        return none_ref();
    if (money || cell->scale > 0)
        return make_decimal(st, cell->units, cell->scale);
    if (cell->scale < 0) {
        PyErr_Format(PyExc_SystemError, "govdisclose core returned a number with scale %d",
                     cell->scale);
        return NULL;
    }
    return PyLong_FromLongLong((long long)cell->units);
}

/* A cell's note as str, or None when it has none (or only white space). */
static PyObject *cell_note(const char *text, size_t len, const gd_cell *cell)
{
    if (cell->note.start == cell->note.end)
        return none_ref();
    PyObject *note = folded_text(text, len, cell->note);
    if (note != NULL && PyUnicode_GET_LENGTH(note) == 0) {
        Py_DECREF(note);
        return none_ref();
    }
    return note;
}

/* SystemError for a cell kind the binding does not know; 0 when known. */
static int check_cell_kind(const gd_cell *cell)
{
    if ((unsigned)cell->kind < NKINDS)
        return 0;
    PyErr_Format(PyExc_SystemError, "govdisclose core returned cell kind %d", (int)cell->kind);
    return -1;
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
    if (check_cell_kind(cell) < 0)
        return NULL;
    d = PyDict_New();
    if (d == NULL)
        goto error;
    if (set_item(d, st->keys[K_VALUE], cell_value(st, money, cell)) < 0)
        goto error;
    if (PyDict_SetItem(d, st->keys[K_KIND], st->kinds[cell->kind]) < 0)
        goto error;
    if (set_item(d, st->keys[K_RAW], folded_text(text, len, cell->raw)) < 0)
        goto error;
    if (set_item(d, st->keys[K_NOTE], cell_note(text, len, cell)) < 0)
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

/* The path of the cell a finding names (a row path when col < 0), or None. */
static PyObject *finding_cell(const gd_finding *f)
{
    char small[128];
    if (f->table < 0 || f->table >= GD_NTABLES || f->row < 0)
        return none_ref();
    size_t need = gd_cell_path(f->table, f->row, f->col, small, sizeof small);
    if (need < sizeof small)
        return PyUnicode_DecodeUTF8(small, (Py_ssize_t)need, NULL);
    char *buf = PyMem_Malloc(need + 1);
    if (buf == NULL)
        return PyErr_NoMemory();
    gd_cell_path(f->table, f->row, f->col, buf, need + 1);
    PyObject *cell = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)need, NULL);
    PyMem_Free(buf);
    return cell;
}

/* A finding's severity: one of the interned names (an unknown one is an error). */
static PyObject *severity_of(core_state *st, const gd_finding *f)
{
    PyObject *s = st->severities[(unsigned)f->severity < NSEVERITIES ? f->severity : GD_ERROR];
    Py_INCREF(s);
    return s;
}

/* A finding's message.  A message is prose for people: a bad byte in it (a
 * core bug) shows as U+FFFD rather than failing the whole parse.  Cell text
 * stays strict. */
static PyObject *finding_message(const gd_finding *f)
{
    const char *msg = f->message ? f->message : "";
    return PyUnicode_DecodeUTF8(msg, (Py_ssize_t)strlen(msg), "replace");
}

static PyObject *build_finding(core_state *st, const gd_finding *f)
{
    PyObject *d = NULL;

    d = PyDict_New();
    if (d == NULL)
        goto error;
    if (set_item(d, st->keys[K_CODE], PyUnicode_FromString(f->code ? f->code : "")) < 0)
        goto error;
    if (set_item(d, st->keys[K_SEVERITY], severity_of(st, f)) < 0)
        goto error;
    if (set_item(d, st->keys[K_TABLE], table_id_or_none(st, f->table)) < 0)
        goto error;

    if (set_item(d, st->keys[K_CELL], finding_cell(f)) < 0)
        goto error;
    if (set_item(d, st->keys[K_EXPECTED], optional_int(f->has_expected, f->expected)) < 0)
        goto error;
    if (set_item(d, st->keys[K_ACTUAL], optional_int(f->has_actual, f->actual)) < 0)
        goto error;
    if (set_item(d, st->keys[K_MESSAGE], finding_message(f)) < 0)
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

/* Is the publication date known and a calendar date? */
static int published_valid(const gd_report *rep)
{
    int y = rep->pub_year, m = rep->pub_month, d = rep->pub_day;
    return !(y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m));
}

/* "YYYY-MM-DD", or None when unknown or not a calendar date. */
static PyObject *published_str(const gd_report *rep)
{
    char buf[32];
    int y = rep->pub_year, m = rep->pub_month, d = rep->pub_day;
    if (!published_valid(rep))
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

/* ---- Report objects: the model classes built in C (GIL held) -------------- */
/*
 * govdisclose._model's classes are frozen, slotted dataclasses.  Their
 * __init__ stores each argument with object.__setattr__, that is, in the
 * instance's slot for the field.  _set_model() learns each class's fields and
 * slot offsets once (from the class's member descriptors, and checks that they
 * are the fields the binding fills); parse_report() then makes each object with
 * tp_alloc and stores its fields straight into the slots: no __init__ call, no
 * dict in between.  An object whose building fails is released with its
 * filled slots (the type's dealloc clears them; an empty slot is NULL).
 */

#define SLOT(obj, off) (*(PyObject **)((char *)(obj) + (off)))

/* The fields of the fixed classes, in the order of their dataclass. */
enum { CELL_VALUE, CELL_KIND, CELL_RAW, CELL_NOTE, CELL_SPAN, CELL_N };
static const char *const cell_fields[] = {"value", "kind", "raw", "note", "span", NULL};

enum { FI_CODE, FI_SEVERITY, FI_TABLE, FI_CELL, FI_EXPECTED, FI_ACTUAL, FI_MESSAGE, FI_N };
static const char *const finding_fields[] = {"code", "severity", "table", "cell", "expected",
                                             "actual", "message", NULL};

enum { UN_TEXT, UN_SPAN, UN_TABLE, UN_N };
static const char *const unplaced_fields[] = {"text", "span", "table", NULL};

enum { EX_LABEL, EX_CELLS, EX_SPAN, EX_N };
static const char *const extra_row_fields[] = {"label", "cells", "span", NULL};

enum {
    RE_SOURCE, RE_FORMAT, RE_ENCODING, RE_AGENCY, RE_YEAR, RE_PUBLISHED, RE_TEMPLATE,
    RE_LEVEL, RE_REGION, RE_ACTIVE, RE_REQUESTS, RE_REVIEWS, RE_FINDINGS, RE_UNPLACED,
    RE_TEXT, RE_STATISTICS, RE_METADATA_SPANS, RE_N
};
static const char *const report_fields[] = {
    "source", "format", "encoding", "agency", "year", "published", "template", "level",
    "region", "active", "requests", "reviews", "findings", "unplaced", "text", "statistics",
    "metadata_spans", NULL};

/* Drop every learned class (before learning them again, or on failure). */
static void model_forget(model_layout *ml)
{
    for (int m = 0; m < ml->nmodel; m++)
        Py_CLEAR(ml->cls[m].type);
    memset(ml, 0, sizeof *ml);
}

/* The slot offset of field name in type: its member descriptor must be the
 * type's own object slot.  -1 with TypeError set when it is not. */
static Py_ssize_t slot_offset(PyTypeObject *type, PyObject *name)
{
    PyObject *descr = PyDict_GetItemWithError(type->tp_dict, name); /* borrowed */
    if (descr == NULL) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_TypeError, "govdisclose._core: %s.%U is not a slot", type->tp_name,
                         name);
        return -1;
    }
    if (!Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
        PyErr_Format(PyExc_TypeError, "govdisclose._core: %s.%U is not a slot", type->tp_name,
                     name);
        return -1;
    }
    PyMemberDescrObject *md = (PyMemberDescrObject *)descr;
    if (md->d_common.d_type != type || md->d_member->type != T_OBJECT_EX ||
        (md->d_member->flags & READONLY)) {
        PyErr_Format(PyExc_TypeError, "govdisclose._core: %s.%U is not an object slot of its own",
                     type->tp_name, name);
        return -1;
    }
    return md->d_member->offset;
}

/* The object slots the type declares (its __slots__); -1 on a type whose
 * instances have more than that (a __dict__, slots of a base class). */
static int own_slot_count(PyTypeObject *type)
{
    if (type->tp_dictoffset != 0 || type->tp_itemsize != 0 || type->tp_base == NULL ||
        type->tp_base->tp_basicsize != PyBaseObject_Type.tp_basicsize ||
        !(type->tp_flags & Py_TPFLAGS_HEAPTYPE) || type->tp_members == NULL)
        return -1;
    int n = 0;
    for (const PyMemberDef *m = type->tp_members; m->name != NULL; m++)
        if (m->type == T_OBJECT_EX)
            n++;
    return n;
}

/* The model index of cls, learning it (its dataclass fields and their slots)
 * the first time.  -1 with an exception set when cls is not a frozen slotted
 * dataclass whose every slot is a field. */
static int model_learn(model_layout *ml, PyObject *cls)
{
    for (int m = 0; m < ml->nmodel; m++)
        if ((PyObject *)ml->cls[m].type == cls)
            return m;
    if (!PyType_Check(cls)) {
        PyErr_Format(PyExc_TypeError, "govdisclose._core: %R is not a class", cls);
        return -1;
    }
    if (ml->nmodel == MAX_MODEL) {
        PyErr_SetString(PyExc_TypeError, "govdisclose._core: too many model classes");
        return -1;
    }
    PyTypeObject *type = (PyTypeObject *)cls;
    model_class *mc = &ml->cls[ml->nmodel];
    PyObject *fields = NULL, *key;
    Py_ssize_t pos = 0;
    int n = 0;

    fields = PyObject_GetAttrString(cls, "__dataclass_fields__");
    if (fields == NULL && PyErr_ExceptionMatches(PyExc_AttributeError))
        PyErr_Clear(); /* not a dataclass: said below */
    if (fields == NULL && PyErr_Occurred())
        goto error;
    if (fields == NULL || !PyDict_Check(fields) || PyDict_GET_SIZE(fields) > MAX_FIELDS) {
        PyErr_Format(PyExc_TypeError, "govdisclose._core: %s is not a dataclass of at most %d "
                     "fields", type->tp_name, MAX_FIELDS);
        goto error;
    }
    while (PyDict_Next(fields, &pos, &key, NULL)) {
        Py_ssize_t off = slot_offset(type, key);
        if (off < 0)
            goto error;
        mc->offset[n] = off;
        mc->part[n] = -1;
        n++;
    }
    if (own_slot_count(type) != n) {
        PyErr_Format(PyExc_TypeError, "govdisclose._core: %s has slots that are not its %d "
                     "fields (or a __dict__): the binding would leave them empty",
                     type->tp_name, n);
        goto error;
    }
    Py_DECREF(fields);
    Py_INCREF(cls);
    mc->type = type;
    mc->nfields = n;
    return ml->nmodel++;
error:
    Py_XDECREF(fields);
    return -1;
}

/* The index of field name among cls's fields, or -1. */
static int field_index(PyObject *cls, const char *name)
{
    PyObject *fields = PyObject_GetAttrString(cls, "__dataclass_fields__");
    if (fields == NULL)
        return -2;
    PyObject *key;
    Py_ssize_t pos = 0;
    int i = 0, found = -1;
    while (PyDict_Next(fields, &pos, &key, NULL)) {
        if (PyUnicode_CompareWithASCIIString(key, name) == 0) {
            found = i;
            break;
        }
        i++;
    }
    Py_DECREF(fields);
    return found;
}

/* Learn a class whose fields must be exactly `expected`, in that order. */
static int model_fixed(model_layout *ml, PyObject *cls, const char *const *expected)
{
    int m = model_learn(ml, cls);
    if (m < 0)
        return -1;
    int n = 0;
    while (expected[n] != NULL)
        n++;
    int ok = ml->cls[m].nfields == n;
    for (int i = 0; ok && i < n; i++) {
        int at = field_index(cls, expected[i]);
        if (at == -2)
            return -1;
        ok = at == i;
    }
    if (!ok) {
        PyErr_Format(PyExc_TypeError, "govdisclose._core: the fields of %s are not the %d the "
                     "binding fills (starting %s): rebuild the binding with the model",
                     ml->cls[m].type->tp_name, n, expected[0]);
        return -1;
    }
    return m;
}

/* Learn a composite class from parts[cls], a tuple of (field name, class) in
 * field order, and the classes its fields hold. */
static int model_composite(model_layout *ml, PyObject *parts, PyObject *cls)
{
    int known = ml->nmodel;
    int m = model_learn(ml, cls);
    if (m < known)
        return m; /* learned before (or -1) */
    PyObject *spec = PyDict_GetItemWithError(parts, cls); /* borrowed */
    if (spec == NULL || !PyTuple_Check(spec) ||
        PyTuple_GET_SIZE(spec) != ml->cls[m].nfields) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_TypeError, "govdisclose._core: parts[%s] must name each of its "
                         "%d fields", ml->cls[m].type->tp_name, ml->cls[m].nfields);
        return -1;
    }
    for (int i = 0; i < ml->cls[m].nfields; i++) {
        PyObject *item = PyTuple_GET_ITEM(spec, i), *name, *part;
        if (!PyArg_ParseTuple(item, "UO;parts items are (name, class)", &name, &part))
            return -1;
        const char *cname = PyUnicode_AsUTF8(name);
        if (cname == NULL)
            return -1;
        int at = field_index(cls, cname);
        if (at == -2)
            return -1;
        if (at != i) {
            PyErr_Format(PyExc_TypeError, "govdisclose._core: parts[%s] names %U out of order",
                         ml->cls[m].type->tp_name, name);
            return -1;
        }
        int pm = (part == (PyObject *)ml->cls[ml->cell].type) ? ml->cell
               : (part == (PyObject *)ml->cls[ml->extra_row].type) ? ml->extra_row
               : model_composite(ml, parts, part);
        if (pm < 0)
            return -1;
        ml->cls[m].part[i] = pm;
    }
    return m;
}

/* Place row r of table t (def rd) in the layout, marking the fields it fills. */
static int place_row(core_state *st, model_layout *ml, int t, unsigned r, const gd_rowdef *rd,
                     uint32_t *filled_table, uint32_t filled_group[MAX_FIELDS])
{
    const model_class *tm = &ml->cls[ml->table[t]];
    row_place *rp = &ml->rows[t][r];
    const model_class *parent = tm;
    const char *leaf = PyUnicode_AsUTF8(st->row_leaf[t][r]);
    if (leaf == NULL)
        return -1;
    rp->group_field = -1;
    if (st->row_group[t][r] != NULL) {
        const char *group = PyUnicode_AsUTF8(st->row_group[t][r]);
        if (group == NULL)
            return -1;
        int gf = field_index((PyObject *)tm->type, group);
        if (gf < 0 || tm->part[gf] < 0 || tm->part[gf] == ml->cell)
            goto missing;
        rp->group_field = gf;
        *filled_table |= 1u << gf;
        ml->group_fields[t] |= 1u << gf;
        parent = &ml->cls[tm->part[gf]];
    }
    int f = field_index((PyObject *)parent->type, leaf);
    if (f < 0 || parent->part[f] < 0 || parent->part[f] == ml->cell ||
        parent->part[f] == ml->extra_row)
        goto missing;
    if (rp->group_field < 0)
        *filled_table |= 1u << f;
    else
        filled_group[rp->group_field] |= 1u << f;
    rp->offset = parent->offset[f];
    rp->cls = parent->part[f];

    const model_class *rm = &ml->cls[rp->cls];
    uint32_t filled_row = 0;
    for (unsigned c = 0; c < rd->ncols; c++) {
        int cf = field_index((PyObject *)rm->type, rd->cols[c].id);
        if (cf < 0 || rm->part[cf] != ml->cell)
            goto missing;
        filled_row |= 1u << cf;
        rp->col_off[c] = rm->offset[cf];
    }
    if (filled_row != (1u << rm->nfields) - 1u) {
        PyErr_Format(PyExc_TypeError, "govdisclose._core: row %s of table %s fills only some "
                     "fields of %s", rd->id, gd_table_def((gd_table_id)t)->id,
                     rm->type->tp_name);
        return -1;
    }
    return 0;
missing:
    if (!PyErr_Occurred())
        PyErr_Format(PyExc_TypeError, "govdisclose._core: the model has no place for row %s "
                     "(or a column of it) of table %s", rd->id, gd_table_def((gd_table_id)t)->id);
    return -1;
}

/* Place every row of every table; each field of each table and group class
 * must be filled by exactly the template's rows (and Active.extra). */
static int place_rows(core_state *st, model_layout *ml)
{
    for (int t = 0; t < GD_NTABLES; t++) {
        const gd_tabledef *def = gd_table_def((gd_table_id)t);
        const model_class *tm = &ml->cls[ml->table[t]];
        uint32_t filled = 0, filled_group[MAX_FIELDS] = {0};
        for (unsigned r = 0; r < def->nrows; r++)
            if (place_row(st, ml, t, r, &def->rows[r], &filled, filled_group) < 0)
                return -1;
        if (t == GD_TABLE_ACTIVE) {
            int xf = field_index((PyObject *)tm->type, "extra");
            if (xf < 0 || tm->part[xf] != ml->extra_row) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_TypeError,
                                    "govdisclose._core: the active table has no extra rows");
                return -1;
            }
            ml->extra_field = xf;
            filled |= 1u << xf;
        }
        int complete = filled == (1u << tm->nfields) - 1u;
        for (int f = 0; complete && f < tm->nfields; f++) {
            if (filled_group[f] == 0)
                continue;
            const model_class *gm = &ml->cls[tm->part[f]];
            complete = filled_group[f] == (1u << gm->nfields) - 1u;
        }
        if (!complete) {
            PyErr_Format(PyExc_TypeError, "govdisclose._core: %s has fields that no row of "
                         "table %s fills", tm->type->tp_name, def->id);
            return -1;
        }
    }
    return 0;
}

PyDoc_STRVAR(set_model_doc,
"_set_model(report, cell, finding, unplaced, extra_row, tables, parts)\n"
"\n"
"Private: the model classes of govdisclose._model, for parse_report().  tables\n"
"is (Active, Requests, Reviews); parts maps each composite class to a tuple of\n"
"(field name, class the field holds) in field order.  Raises TypeError when the\n"
"classes are not the shape the binding fills.");

static PyObject *core_set_model(PyObject *module, PyObject *args)
{
    static const char *const *const fixed_fields[4] = {cell_fields, finding_fields,
                                                       unplaced_fields, extra_row_fields};
    core_state *st = get_state(module);
    model_layout *ml = NULL;
    PyObject *report, *fixed[4], *tables, *parts;
    if (!PyArg_ParseTuple(args, "OOOOOO!O!:_set_model", &report, &fixed[0], &fixed[1],
                          &fixed[2], &fixed[3], &PyTuple_Type, &tables, &PyDict_Type, &parts))
        return NULL;
    if (PyTuple_GET_SIZE(tables) != GD_NTABLES) {
        PyErr_SetString(PyExc_TypeError, "_set_model: tables must be (Active, Requests, Reviews)");
        return NULL;
    }
    /* Learned aside, and put in place only when all is well: a model the
     * binding cannot fill leaves the one it has. */
    ml = PyMem_Calloc(1, sizeof *ml);
    if (ml == NULL)
        return PyErr_NoMemory();
    int *fixed_index[4] = {&ml->cell, &ml->finding, &ml->unplaced, &ml->extra_row};
    for (int i = 0; i < 4; i++) {
        *fixed_index[i] = model_fixed(ml, fixed[i], fixed_fields[i]);
        if (*fixed_index[i] < 0)
            goto error;
    }
    if ((ml->report = model_fixed(ml, report, report_fields)) < 0)
        goto error;
    for (int t = 0; t < GD_NTABLES; t++)
        if ((ml->table[t] = model_composite(ml, parts, PyTuple_GET_ITEM(tables, t))) < 0)
            goto error;
    if (place_rows(st, ml) < 0)
        goto error;
    /* Everything below a Report holds only str, int, Decimal, None, tuples and
     * other such objects, built here and frozen: none can be part of a
     * reference cycle, so the cyclic GC need not walk them.  The Report itself
     * holds a dict (metadata_spans) and stays tracked. */
    for (int m = 0; m < ml->nmodel; m++)
        ml->cls[m].untrack = m != ml->report;
    ml->ready = 1;
    model_forget(&st->model);
    st->model = *ml; /* the references move */
    PyMem_Free(ml);
    Py_RETURN_NONE;
error:
    model_forget(ml);
    PyMem_Free(ml);
    return NULL;
}

/* A new, empty instance of model class m (its slots NULL). */
static PyObject *model_new(const model_class *mc)
{
    return mc->type->tp_alloc(mc->type, 0);
}

/* A built object leaves the cyclic GC when its class allows (see _set_model). */
static PyObject *model_done(const model_class *mc, PyObject *obj)
{
    if (mc->untrack)
        PyObject_GC_UnTrack(obj);
    return obj;
}

/* Store value (a new reference, consumed) in field i; -1 when value is NULL. */
static inline int put(PyObject *obj, const model_class *mc, int i, PyObject *value)
{
    if (value == NULL)
        return -1;
    SLOT(obj, mc->offset[i]) = value;
    return 0;
}

/* (start, end) */
static PyObject *span_tuple(gd_span span)
{
    PyObject *t = PyTuple_New(2);
    if (t == NULL)
        return NULL;
    PyObject *start = PyLong_FromSize_t(span.start);
    if (start == NULL)
        goto error;
    PyTuple_SET_ITEM(t, 0, start);
    PyObject *end = PyLong_FromSize_t(span.end);
    if (end == NULL)
        goto error;
    PyTuple_SET_ITEM(t, 1, end);
    PyObject_GC_UnTrack(t); /* two ints: never in a cycle */
    return t;
error:
    Py_DECREF(t); /* a tuple with NULL items is safe to release */
    return NULL;
}

/* One Cell, or None for an absent cell (as build_cell, as an object). */
static PyObject *make_cell(core_state *st, const char *text, size_t len, int money,
                           const gd_cell *cell)
{
    if (cell->kind == GD_CELL_ABSENT)
        return none_ref();
    if (check_cell_kind(cell) < 0)
        return NULL;
    const model_class *mc = &st->model.cls[st->model.cell];
    PyObject *o = model_new(mc);
    if (o == NULL)
        return NULL;
    Py_INCREF(st->kinds[cell->kind]);
    if (put(o, mc, CELL_VALUE, cell_value(st, money, cell)) < 0 ||
        put(o, mc, CELL_KIND, st->kinds[cell->kind]) < 0 ||
        put(o, mc, CELL_RAW, folded_text(text, len, cell->raw)) < 0 ||
        put(o, mc, CELL_NOTE, cell_note(text, len, cell)) < 0 ||
        put(o, mc, CELL_SPAN, span_tuple(cell->span)) < 0) {
        Py_DECREF(o);
        return NULL;
    }
    return model_done(mc, o);
}

/* One ExtraRow (as build_extra, as an object). */
static PyObject *make_extra(core_state *st, const char *text, size_t len, const gd_extra *x)
{
    if (x->ncells > GD_MAX_COLS) {
        PyErr_Format(PyExc_SystemError, "govdisclose core returned an added row of %zu cells",
                     x->ncells);
        return NULL;
    }
    const model_class *mc = &st->model.cls[st->model.extra_row];
    PyObject *o = model_new(mc), *cells = NULL;
    if (o == NULL)
        return NULL;
    if (put(o, mc, EX_LABEL, folded_text(text, len, x->label)) < 0)
        goto error;
    cells = PyTuple_New((Py_ssize_t)x->ncells);
    if (cells == NULL)
        goto error;
    for (size_t k = 0; k < x->ncells; k++) {
        PyObject *cell = make_cell(st, text, len, 0, &x->cells[k]);
        if (cell == NULL)
            goto error;
        PyTuple_SET_ITEM(cells, (Py_ssize_t)k, cell); /* steals */
    }
    PyObject_GC_UnTrack(cells); /* Cells and None only */
    SLOT(o, mc->offset[EX_CELLS]) = cells;
    cells = NULL;
    if (put(o, mc, EX_SPAN, span_tuple(x->label_span)) < 0)
        goto error;
    return model_done(mc, o);
error:
    Py_XDECREF(cells); /* NULL items are safe */
    Py_DECREF(o);
    return NULL;
}

/* The tuple of rows added to table t (-1: the statistics table). */
static PyObject *make_extras(core_state *st, const char *text, size_t len,
                             const gd_report *rep, int t)
{
    size_t n = 0;
    for (size_t i = 0; i < rep->nextras; i++)
        n += rep->extras[i].table == t;
    PyObject *tuple = PyTuple_New((Py_ssize_t)n);
    if (tuple == NULL)
        return NULL;
    for (size_t i = 0, k = 0; i < rep->nextras; i++) {
        if (rep->extras[i].table != t)
            continue;
        PyObject *item = make_extra(st, text, len, &rep->extras[i]);
        if (item == NULL) {
            Py_DECREF(tuple);
            return NULL;
        }
        PyTuple_SET_ITEM(tuple, (Py_ssize_t)k++, item);
    }
    return tuple;
}

/* One row object of table t (row r), its cells in place. */
static PyObject *make_row(core_state *st, const char *text, size_t len, const gd_table *tab,
                          int t, unsigned r, const gd_rowdef *rd)
{
    const row_place *rp = &st->model.rows[t][r];
    const model_class *rm = &st->model.cls[rp->cls];
    PyObject *row = model_new(rm);
    if (row == NULL)
        return NULL;
    for (unsigned c = 0; c < rd->ncols; c++) {
        PyObject *cell = make_cell(st, text, len, rd->cols[c].money, &tab->cells[r][c]);
        if (cell == NULL) {
            Py_DECREF(row);
            return NULL;
        }
        SLOT(row, rp->col_off[c]) = cell;
    }
    return model_done(rm, row);
}

/* One table object (Active, Requests, Reviews), or None when absent. */
static PyObject *make_table(core_state *st, const char *text, size_t len,
                            const gd_report *rep, int t)
{
    const gd_table *tab = &rep->tables[t];
    const gd_tabledef *def = gd_table_def((gd_table_id)t);
    const model_layout *ml = &st->model;
    const model_class *tm = &ml->cls[ml->table[t]];
    if (!tab->present)
        return none_ref();
    PyObject *obj = model_new(tm);
    if (obj == NULL)
        return NULL;
    /* Groups first: each exists, its rows None or not, whenever the table does. */
    for (int f = 0; f < tm->nfields; f++) {
        if (!(ml->group_fields[t] & (1u << f)))
            continue; /* a row or the extra rows: filled below */
        PyObject *group = model_new(&ml->cls[tm->part[f]]);
        if (group == NULL)
            goto error;
        SLOT(obj, tm->offset[f]) = group;
    }
    for (unsigned r = 0; r < def->nrows; r++) {
        const row_place *rp = &ml->rows[t][r];
        PyObject *parent = rp->group_field < 0 ? obj : SLOT(obj, tm->offset[rp->group_field]);
        PyObject *row = tab->row_present[r] ? make_row(st, text, len, tab, t, r, &def->rows[r])
                                            : none_ref();
        if (row == NULL)
            goto error;
        SLOT(parent, rp->offset) = row;
    }
    for (int f = 0; f < tm->nfields; f++)
        if (ml->group_fields[t] & (1u << f))
            model_done(&ml->cls[tm->part[f]], SLOT(obj, tm->offset[f]));
    if (t == GD_TABLE_ACTIVE &&
        put(obj, tm, ml->extra_field, make_extras(st, text, len, rep, t)) < 0)
        goto error;
    return model_done(tm, obj);
error:
    Py_DECREF(obj);
    return NULL;
}

static PyObject *make_finding(core_state *st, const gd_finding *f)
{
    const model_class *mc = &st->model.cls[st->model.finding];
    PyObject *o = model_new(mc);
    if (o == NULL)
        return NULL;
    if (put(o, mc, FI_CODE, PyUnicode_FromString(f->code ? f->code : "")) < 0 ||
        put(o, mc, FI_SEVERITY, severity_of(st, f)) < 0 ||
        put(o, mc, FI_TABLE, table_id_or_none(st, f->table)) < 0 ||
        put(o, mc, FI_CELL, finding_cell(f)) < 0 ||
        put(o, mc, FI_EXPECTED, optional_int(f->has_expected, f->expected)) < 0 ||
        put(o, mc, FI_ACTUAL, optional_int(f->has_actual, f->actual)) < 0 ||
        put(o, mc, FI_MESSAGE, finding_message(f)) < 0) {
        Py_DECREF(o);
        return NULL;
    }
    return model_done(mc, o);
}

/* The report's findings, then `more` (a sequence of Findings from Python). */
static PyObject *make_findings(core_state *st, const gd_report *rep, PyObject *more)
{
    PyObject *seq = PySequence_Fast(more, "findings must be a sequence of Finding");
    if (seq == NULL)
        return NULL;
    Py_ssize_t nmore = PySequence_Fast_GET_SIZE(seq);
    PyObject *tuple = PyTuple_New((Py_ssize_t)rep->nfindings + nmore);
    if (tuple == NULL)
        goto error;
    for (size_t i = 0; i < rep->nfindings; i++) {
        PyObject *item = make_finding(st, &rep->findings[i]);
        if (item == NULL)
            goto error;
        PyTuple_SET_ITEM(tuple, (Py_ssize_t)i, item);
    }
    for (Py_ssize_t i = 0; i < nmore; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        Py_INCREF(item);
        PyTuple_SET_ITEM(tuple, (Py_ssize_t)rep->nfindings + i, item);
    }
    Py_DECREF(seq);
    return tuple;
error:
    Py_XDECREF(tuple);
    Py_DECREF(seq);
    return NULL;
}

static PyObject *make_unplaced(core_state *st, const char *text, size_t len,
                               const gd_unplaced *u)
{
    const model_class *mc = &st->model.cls[st->model.unplaced];
    PyObject *o = model_new(mc);
    if (o == NULL)
        return NULL;
    if (put(o, mc, UN_TEXT, folded_text(text, len, u->raw)) < 0 ||
        put(o, mc, UN_SPAN, span_tuple(u->span)) < 0 ||
        put(o, mc, UN_TABLE, table_id_or_none(st, u->table)) < 0) {
        Py_DECREF(o);
        return NULL;
    }
    return model_done(mc, o);
}

static PyObject *make_unplaced_all(core_state *st, const char *text, size_t len,
                                   const gd_report *rep)
{
    PyObject *tuple = PyTuple_New((Py_ssize_t)rep->nunplaced);
    if (tuple == NULL)
        return NULL;
    for (size_t i = 0; i < rep->nunplaced; i++) {
        PyObject *item = make_unplaced(st, text, len, &rep->unplaced[i]);
        if (item == NULL) {
            Py_DECREF(tuple);
            return NULL;
        }
        PyTuple_SET_ITEM(tuple, (Py_ssize_t)i, item);
    }
    return tuple;
}

/* datetime.date of the publication date, or None (as published_str). */
static PyObject *published_date(core_state *st, const gd_report *rep)
{
    if (!published_valid(rep))
        return none_ref();
    return PyObject_CallFunction(st->date, "iii", rep->pub_year, rep->pub_month,
                                 rep->pub_day);
}

/* {"agency": (s, e) | None, "year": …, "published": …} */
static PyObject *metadata_span_tuples(core_state *st, const gd_report *rep)
{
    PyObject *d = PyDict_New();
    if (d == NULL)
        return NULL;
    const int keys[3] = {K_AGENCY, K_YEAR, K_PUBLISHED};
    const int known[3] = {rep->agency != NULL, rep->year != 0 && rep->year_span.end > 0,
                          rep->pub_year != 0};
    const gd_span spans[3] = {rep->agency_span, rep->year_span, rep->published_span};
    for (int k = 0; k < 3; k++)
        if (set_item(d, st->keys[keys[k]], known[k] ? span_tuple(spans[k]) : none_ref()) < 0) {
            Py_DECREF(d);
            return NULL;
        }
    return d;
}

/* What parse_report() sets besides the core's report. */
typedef struct {
    PyObject *source, *format, *encoding, *text, *findings;
} report_extras;

static PyObject *new_ref(PyObject *o)
{
    Py_INCREF(o);
    return o;
}

/* The Report object (as build_report gives the dict, then Report.from_dict). */
static PyObject *make_report(core_state *st, const gd_report *rep, const report_extras *x)
{
    const char *text = rep->text ? rep->text : "";
    size_t len = rep->text ? rep->text_len : 0;
    const model_class *mc = &st->model.cls[st->model.report];
    unsigned tpl = (unsigned)rep->template < NTEMPLATES ? (unsigned)rep->template
                                                         : (unsigned)GD_TEMPLATE_UNKNOWN;
    PyObject *o = model_new(mc);
    if (o == NULL)
        return NULL;
    if (put(o, mc, RE_SOURCE, new_ref(x->source)) < 0 ||
        put(o, mc, RE_FORMAT, new_ref(x->format)) < 0 ||
        put(o, mc, RE_ENCODING, new_ref(x->encoding)) < 0 ||
        put(o, mc, RE_AGENCY, optional_str(rep->agency)) < 0 ||
        put(o, mc, RE_YEAR, rep->year ? PyLong_FromLong((long)rep->year) : none_ref()) < 0 ||
        put(o, mc, RE_PUBLISHED, published_date(st, rep)) < 0 ||
        put(o, mc, RE_TEMPLATE, new_ref(st->templates[tpl])) < 0 ||
        put(o, mc, RE_LEVEL, optional_str(rep->level)) < 0 ||
        put(o, mc, RE_REGION, optional_str(rep->region)) < 0 ||
        put(o, mc, RE_ACTIVE, make_table(st, text, len, rep, GD_TABLE_ACTIVE)) < 0 ||
        put(o, mc, RE_REQUESTS, make_table(st, text, len, rep, GD_TABLE_REQUESTS)) < 0 ||
        put(o, mc, RE_REVIEWS, make_table(st, text, len, rep, GD_TABLE_REVIEWS)) < 0 ||
        put(o, mc, RE_FINDINGS, make_findings(st, rep, x->findings)) < 0 ||
        put(o, mc, RE_UNPLACED, make_unplaced_all(st, text, len, rep)) < 0 ||
        put(o, mc, RE_TEXT, new_ref(x->text)) < 0 ||
        put(o, mc, RE_STATISTICS, make_extras(st, text, len, rep, -1)) < 0 ||
        put(o, mc, RE_METADATA_SPANS, metadata_span_tuples(st, rep)) < 0) {
        Py_DECREF(o);
        return NULL;
    }
    return o; /* tracked: metadata_spans is a dict */
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

/* ---- A str's UTF-8 form, made without the GIL ----------------------------- */
/*
 * PyUnicode_AsUTF8AndSize() encodes a non-ASCII str with the GIL held, one
 * code point at a time, and keeps the result on the str for as long as the str
 * lives (doubling the memory of a large page).  A str's code points never
 * change and the pinned str keeps them alive, so the binding encodes them
 * itself (wide_utf8.c) into a buffer of its own while the GIL is released.
 * A lone surrogate (which has no UTF-8 form) stops it:
 * PyUnicode_AsUTF8AndSize() then raises its usual error.
 */

/* ---- The input of a parse --------------------------------------------------- */

/* The input of a parse, pinned for as long as the core reads it: a str (its
 * UTF-8 form: its own data when ASCII, else encoded by run_core without the
 * GIL), a read-only buffer, or a private copy of a writable one. */
typedef struct {
    PyObject *str;
    Py_buffer view;
    int have_view;
    char *copy;       /* PyMem_RawMalloc: a writable buffer's copy, or a str's UTF-8 */
    const char *data; /* NULL until a non-ASCII str is encoded */
    size_t len;
    int kind;         /* a non-ASCII str: its kind, code points and their count */
    const void *ucs;
    size_t nchars;
} pinned_input;

static void unpin_input(pinned_input *in)
{
    PyMem_RawFree(in->copy);
    if (in->have_view)
        PyBuffer_Release(&in->view);
    Py_XDECREF(in->str);
    memset(in, 0, sizeof *in);
}

/* The UTF-8 of the pinned str as Python makes it (and keeps on the str). */
static int pin_str_utf8(pinned_input *in)
{
    Py_ssize_t size;
    in->data = PyUnicode_AsUTF8AndSize(in->str, &size);
    if (in->data == NULL)
        return -1;
    in->len = (size_t)size;
    in->kind = 0;
    return 0;
}

static int pin_input(core_state *st, PyObject *obj, pinned_input *in)
{
    memset(in, 0, sizeof *in);
    if (PyUnicode_Check(obj)) {
        Py_INCREF(obj);
        in->str = obj; /* holding the str pins its data */
#if PY_VERSION_HEX < 0x030C0000
        if (PyUnicode_READY(obj) < 0)
            goto error;
#endif
        size_t n = (size_t)PyUnicode_GET_LENGTH(obj);
        if (PyUnicode_IS_ASCII(obj)) { /* ASCII is its own UTF-8 */
            in->data = (const char *)PyUnicode_DATA(obj);
            in->len = n;
        } else if (n > GD_MAX_INPUT / 4) { /* too large: say so with its UTF-8 length */
            if (pin_str_utf8(in) < 0)
                goto error;
        } else {
            in->kind = PyUnicode_KIND(obj);
            in->ucs = PyUnicode_DATA(obj);
            in->nchars = n;
        }
        return 0;
    }
    if (!PyObject_CheckBuffer(obj)) {
        PyErr_Format(PyExc_TypeError,
                     "parse() expects str or a bytes-like object, not %.200s",
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    if (PyObject_GetBuffer(obj, &in->view, PyBUF_SIMPLE) < 0)
        return -1;
    in->have_view = 1;
    in->data = in->view.buf;
    in->len = (size_t)in->view.len;
    if (in->len > GD_MAX_INPUT) { /* before copying a gigabyte */
        raise_status(st, GD_ERR_TOO_LARGE, 0, in->len);
        goto error;
    }
    if (!in->view.readonly && in->len > 0) {
        /* Another thread could write into a bytearray while the GIL is
         * released; the core must see bytes that do not change. */
        in->copy = PyMem_RawMalloc(in->len);
        if (in->copy == NULL) {
            PyErr_NoMemory();
            goto error;
        }
        memcpy(in->copy, in->view.buf, in->len);
        in->data = in->copy;
    }
    return 0;
error:
    unpin_input(in);
    return -1;
}

/* Outcomes of encoding a str without the GIL, besides gd_status. */
#define ENC_NOMEM (-1)
#define ENC_SURROGATE (-2)

/* Encode a non-ASCII pinned str (no GIL held): 0, or ENC_NOMEM / ENC_SURROGATE.
 * The buffer is the most the str can take (3 bytes a unit for Chinese text):
 * one pass, and the pages it is not written are never touched. */
static int encode_pinned(pinned_input *in)
{
    size_t bound = gd_wide_utf8_bound(in->kind, in->nchars);
    in->copy = PyMem_RawMalloc(bound ? bound : 1);
    if (in->copy == NULL)
        return ENC_NOMEM;
    size_t bad;
    size_t len = gd_wide_to_utf8(in->ucs, in->kind, in->nchars, in->copy, &bad);
    if (bad != (size_t)-1)
        return ENC_SURROGATE;
    in->data = in->copy;
    in->len = len;
    return 0;
}

/* gd_parse() on the pinned input, the GIL released; NULL with an exception
 * set when it fails. */
static gd_report *run_core(core_state *st, pinned_input *in, int strict, int format)
{
    gd_options opts = {.flags = strict ? GD_STRICT : 0u, .alloc = NULL,
                       .format = (gd_format)format};
    gd_report *rep = NULL;
    size_t err_offset = 0;
    gd_status status = GD_OK;
    int enc = 0;
    Py_BEGIN_ALLOW_THREADS
    if (in->kind != 0)
        enc = encode_pinned(in);
    if (enc == 0)
        status = gd_parse(in->data, in->len, &opts, &rep, &err_offset);
    Py_END_ALLOW_THREADS
    if (enc == ENC_NOMEM) {
        PyErr_NoMemory();
        return NULL;
    }
    if (enc == ENC_SURROGATE) {
        /* No UTF-8 form: Python's encoder raises its own error. */
        if (pin_str_utf8(in) < 0)
            return NULL;
        return run_core(st, in, strict, format); /* it found none after all */
    }
    if (status != GD_OK) {
        raise_status(st, status, err_offset, in->len);
        return NULL;
    }
    return rep;
}

static PyObject *core_parse(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"data", "strict", "format", NULL};
    core_state *st = get_state(module);
    PyObject *obj = NULL, *result = NULL;
    int strict = 0, format;
    const char *format_name = "text";
    pinned_input in;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|ps:parse", kwlist, &obj, &strict,
                                     &format_name))
        return NULL;
    format = format_of(format_name);
    if (format < 0)
        return NULL;
    if (pin_input(st, obj, &in) < 0)
        return NULL;
    gd_report *rep = run_core(st, &in, strict, format);
    if (rep != NULL)
        result = build_report(st, rep);
    gd_report_free(rep);
    unpin_input(&in);
    return result;
}

PyDoc_STRVAR(parse_report_doc,
"parse_report(data, strict=False, format=\"text\", source=None, report_format=None,\n"
"             encoding=None, text=None, findings=()) -> Report\n"
"\n"
"Private: parse() as a govdisclose.Report, built here without dicts (equal to\n"
"Report.from_dict of parse()'s dict with these fields set).  source, encoding\n"
"and text are the Report's fields; report_format its format (default: format);\n"
"findings are Finding objects put after the core's.  Needs _set_model().");

static PyObject *core_parse_report(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"data", "strict", "format", "source", "report_format",
                             "encoding", "text", "findings", NULL};
    core_state *st = get_state(module);
    PyObject *obj = NULL, *result = NULL, *format_obj = NULL;
    report_extras x = {Py_None, Py_None, Py_None, Py_None, NULL};
    PyObject *empty = NULL;
    int strict = 0, format;
    pinned_input in;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|pUOOOOO:parse_report", kwlist, &obj,
                                     &strict, &format_obj, &x.source, &x.format, &x.encoding,
                                     &x.text, &x.findings))
        return NULL;
    if (!st->model.ready) {
        PyErr_SetString(PyExc_RuntimeError, "parse_report: the model classes are not set "
                                            "(govdisclose._model calls _set_model)");
        return NULL;
    }
    const char *format_name = "text";
    if (format_obj != NULL && (format_name = PyUnicode_AsUTF8(format_obj)) == NULL)
        return NULL;
    format = format_of(format_name);
    if (format < 0)
        return NULL;
    if (x.format == Py_None)
        x.format = format_obj ? format_obj : st->keys[K_TEXT]; /* the str "text" */
    if (x.findings == NULL) {
        empty = PyTuple_New(0);
        if (empty == NULL)
            return NULL;
        x.findings = empty;
    }
    if (pin_input(st, obj, &in) == 0) {
        gd_report *rep = run_core(st, &in, strict, format);
        if (rep != NULL)
            result = make_report(st, rep, &x);
        gd_report_free(rep);
        unpin_input(&in);
    }
    Py_XDECREF(empty);
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
    {"parse_report", (PyCFunction)(void (*)(void))core_parse_report,
     METH_VARARGS | METH_KEYWORDS, parse_report_doc},
    {"_set_model", core_set_model, METH_VARARGS, set_model_doc},
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
    PyObject *decimal = NULL, *datetime = NULL, *dict = NULL;

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

    datetime = PyImport_ImportModule("datetime");
    if (datetime == NULL)
        goto error;
    st->date = PyObject_GetAttrString(datetime, "date");
    if (st->date == NULL)
        goto error;
    Py_CLEAR(datetime);

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
    Py_XDECREF(datetime);
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
