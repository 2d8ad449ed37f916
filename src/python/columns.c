/*
 * columns.c -- the columns of read_reports' DataFrames straight from the core,
 * without a Report object per report (issue 17): the columns object and its
 * calls, but columns_fill (columns_fill.c).
 *
 * A columns object (a capsule) holds a frame's columns as plain C buffers:
 * int64 values, a byte per row that says "missing", UTF-8 bytes with int64
 * offsets (Arrow's large_string layout), exact decimals as units and scale.
 * The columns, and so the frame's shape, are named by frames.py; this file
 * knows how to fill each name and refuses a name it does not know.
 *
 * A worker fills a fresh object with its batch (columns_fill); an item the
 * core did not take is left pending, and Python gives its rows, made from
 * its Report as before (columns_put_rows).  The consumer appends the batches
 * in input order (columns_extend), and columns_take hands the buffers over
 * once, as bytearrays (and lists of Decimal), which govdisclose/_columns.py
 * wraps in pandas arrays.  See columns.h for the storage.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "binding.h"
#include "columns.h"

#define CAPSULE_NAME "govdisclose._core.columns"

/* ---- Columns -------------------------------------------------------------- */

/* The kinds of columns (CK_*) as columns_take names them. */
static const char *const ck_names[] = {"str", "int", "intn", "time", "dec"};

/* The columns a name may give, besides the cells of the wide frame. */

static const struct {
    const char *name;
    int field, kind, shapes;
} named_fields[] = {
    {"source", F_SOURCE, CK_STR, WIDE | LONG},
    {"agency", F_AGENCY, CK_STR, WIDE | LONG},
    {"year", F_YEAR, CK_INTN, WIDE | LONG},
    {"published", F_PUBLISHED, CK_TIME, WIDE},
    {"dated", F_DATED, CK_TIME, WIDE},
    {"deadline", F_DEADLINE, CK_TIME, WIDE},
    {"days_late", F_DAYS_LATE, CK_INTN, WIDE},
    {"template", F_TEMPLATE, CK_STR, WIDE},
    {"format", F_FORMAT, CK_STR, WIDE},
    {"n_errors", F_N_ERRORS, CK_INT, WIDE},
    {"n_warnings", F_N_WARNINGS, CK_INT, WIDE},
    {"table", F_TABLE, CK_STR, LONG},
    {"row", F_ROW, CK_STR, LONG},
    {"column", F_COLUMN, CK_STR, LONG},
    {"label", F_LABEL, CK_STR, LONG},
    {"value", F_VALUE, CK_DEC, LONG},
    {"kind", F_KIND, CK_STR, LONG},
    {"raw", F_RAW, CK_STR, LONG},
    {"note", F_NOTE, CK_STR, LONG},
    {"span_start", F_SPAN_START, CK_INT, LONG},
    {"span_end", F_SPAN_END, CK_INT, LONG},
};

static void columns_free(columns *cs)
{
    if (cs == NULL)
        return;
    for (int k = 0; k < cs->ncols && cs->cols; k++) {
        gbuf_free(&cs->cols[k].v);
        gbuf_free(&cs->cols[k].m);
        gbuf_free(&cs->cols[k].s);
        Py_CLEAR(cs->cols[k].objs);
    }
    PyMem_Free(cs->cols);
    PyMem_Free(cs->items);
    PyMem_Free(cs);
}

static void capsule_destructor(PyObject *capsule)
{
    columns_free(PyCapsule_GetPointer(capsule, CAPSULE_NAME));
}

/* A new columns object with the layout of spec (ncols columns; their buffers
 * empty), as a capsule; NULL with an exception set. */
static PyObject *columns_capsule(int shape, int ncols, const column *spec,
                                 const plain_rules *rules)
{
    columns *cs = PyMem_Calloc(1, sizeof *cs);
    if (cs == NULL)
        return PyErr_NoMemory();
    cs->shape = shape;
    cs->rules = *rules;
    cs->cols = PyMem_Calloc(ncols ? (size_t)ncols : 1, sizeof *cs->cols);
    if (cs->cols == NULL) {
        PyMem_Free(cs);
        return PyErr_NoMemory();
    }
    cs->ncols = ncols;
    for (int k = 0; k < ncols; k++) {
        column *col = &cs->cols[k];
        col->field = spec[k].field;
        col->kind = spec[k].kind;
        col->t = spec[k].t;
        col->r = spec[k].r;
        col->c = spec[k].c;
        if (col->kind == CK_STR && gbuf_i64(&col->v, 0) < 0) {
            columns_free(cs);
            return PyErr_NoMemory();
        }
    }
    PyObject *capsule = PyCapsule_New(cs, CAPSULE_NAME, capsule_destructor);
    if (capsule == NULL)
        columns_free(cs);
    return capsule;
}

/* The columns object of a capsule, ready for a call; NULL with an exception. */
columns *bd_get_columns(PyObject *capsule)
{
    columns *cs = PyCapsule_GetPointer(capsule, CAPSULE_NAME);
    if (cs == NULL)
        return NULL;
    if (cs->busy) {
        PyErr_SetString(PyExc_RuntimeError, "these columns are being filled (by another thread, "
                                            "or by the call this one came from)");
        return NULL;
    }
    if (cs->taken) {
        PyErr_SetString(PyExc_ValueError, "these columns were taken already (columns_take)");
        return NULL;
    }
    return cs;
}

/* Back to n rows: what a failed row (or item) wrote is dropped.  Rows from
 * Python may hold objects: the caller holds the GIL then (drop_objects). */
void bd_truncate_rows(columns *cs, size_t n)
{
    for (int k = 0; k < cs->ncols; k++) {
        column *col = &cs->cols[k];
        switch (col->kind) {
        case CK_STR:
            col->v.len = (n + 1) * sizeof(int64_t);
            col->s.len = (size_t)gbuf_i64_at(&col->v, n);
            col->m.len = n;
            break;
        case CK_DEC:
            col->s.len = n;
            /* fall through */
        case CK_INTN:
            col->m.len = n;
            /* fall through */
        default:
            col->v.len = n * sizeof(int64_t);
        }
    }
    cs->nrows = n;
}

/* The objects of rows n and later forgotten (GIL held; an exception set
 * before stays set). */
void bd_drop_objects(columns *cs, size_t n)
{
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *raised = PyErr_GetRaisedException();
#else
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
#endif
    for (int k = 0; k < cs->ncols; k++) {
        column *col = &cs->cols[k];
        for (size_t row = n; col->objs != NULL && row < col->m.len; row++) {
            if (col->m.p[row] != OBJECT)
                continue;
            PyObject *key = PyLong_FromSize_t(row);
            if (key == NULL || PyDict_DelItem(col->objs, key) < 0)
                PyErr_Clear(); /* not there, or no memory: a row past the end is never read */
            Py_XDECREF(key);
        }
    }
#if PY_VERSION_HEX >= 0x030C0000
    PyErr_SetRaisedException(raised);
#else
    PyErr_Restore(type, value, tb);
#endif
}

/* ---- columns_new, columns_like ------------------------------------------------ */

/* Where a wide cell column's name ("requests.withheld.state_secret.total")
 * points in the templates: 0 and *t, *r, *c, or -1. */
static int find_cell(const char *name, int *t, int *r, int *c)
{
    for (int ti = 0; ti < GD_NTABLES; ti++) {
        const gd_tabledef *def = gd_table_def((gd_table_id)ti);
        size_t n = strlen(def->id);
        if (strncmp(name, def->id, n) != 0 || name[n] != '.')
            continue;
        const char *rest = name + n + 1;
        for (unsigned ri = 0; ri < def->nrows && ri < GD_MAX_ROWS; ri++) {
            const gd_rowdef *rd = &def->rows[ri];
            size_t m = strlen(rd->id);
            if (strncmp(rest, rd->id, m) != 0 || rest[m] != '.')
                continue;
            for (unsigned ci = 0; ci < rd->ncols && ci < GD_MAX_COLS; ci++)
                if (strcmp(rest + m + 1, rd->cols[ci].id) == 0) {
                    *t = ti;
                    *r = (int)ri;
                    *c = (int)ci;
                    return 0;
                }
        }
    }
    return -1;
}

/* Column spec k from its name; -1 with ValueError for a name this file
 * cannot fill. */
static int resolve(const char *name, int shape, column *col)
{
    for (size_t i = 0; i < sizeof named_fields / sizeof named_fields[0]; i++)
        if (strcmp(name, named_fields[i].name) == 0 && (named_fields[i].shapes & shape)) {
            col->field = named_fields[i].field;
            col->kind = named_fields[i].kind;
            return 0;
        }
    if (shape == WIDE && find_cell(name, &col->t, &col->r, &col->c) == 0) {
        const gd_rowdef *rd = &gd_table_def((gd_table_id)col->t)->rows[col->r];
        col->field = F_CELL;
        col->kind = rd->cols[col->c].money ? CK_DEC : CK_INTN;
        return 0;
    }
    PyErr_Format(PyExc_ValueError, "the core fills no column \"%.200s\" of the %s frame", name,
                 shape == WIDE ? "wide" : "long");
    return -1;
}

/* The file lane's rules from magic: None (no lane), or a sequence of bytes,
 * the starts of files that are no plain text.  0, or -1 with an exception. */
static int read_rules(PyObject *magic, plain_rules *rules)
{
    memset(rules, 0, sizeof *rules);
    if (magic == Py_None)
        return 0;
    PyObject *seq = PySequence_Fast(magic, "columns_new: magic must be a sequence of bytes");
    if (seq == NULL)
        return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *m = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyBytes_Check(m) || PyBytes_GET_SIZE(m) < 1 || PyBytes_GET_SIZE(m) > MAGIC_BYTES ||
            i >= MAX_MAGIC) {
            PyErr_Format(PyExc_ValueError, "columns_new: magic: at most %d bytes objects of 1 "
                         "to %d bytes", MAX_MAGIC, MAGIC_BYTES);
            Py_DECREF(seq);
            return -1;
        }
        rules->magic_len[i] = (size_t)PyBytes_GET_SIZE(m);
        memcpy(rules->magic[i], PyBytes_AS_STRING(m), rules->magic_len[i]);
    }
    rules->nmagic = (int)n;
    rules->enabled = 1;
    Py_DECREF(seq);
    return 0;
}

const char bd_columns_new_doc[] =
    "columns_new(shape, names, magic=None) -> columns\n"
    "\n"
    "Private (frames.py): empty columns for a frame of shape \"wide\" or \"long\",\n"
    "one per name, in order.  Raises ValueError for a name the core does not\n"
    "fill (frames.py then builds the frame from Reports).  magic: the starts of\n"
    "files that are no plain text (_formats'), which turns on the file lane of\n"
    "columns_fill; None leaves every file to Python.";

PyObject *bd_columns_new(PyObject *module, PyObject *args)
{
    (void)module;
    const char *shape_name;
    PyObject *names, *magic = Py_None, *seq = NULL, *capsule = NULL;
    column *spec = NULL;
    plain_rules rules;
    if (!PyArg_ParseTuple(args, "sO|O:columns_new", &shape_name, &names, &magic))
        return NULL;
    if (read_rules(magic, &rules) < 0)
        return NULL;
    int shape = strcmp(shape_name, "wide") == 0 ? WIDE : strcmp(shape_name, "long") == 0 ? LONG : 0;
    if (shape == 0) {
        PyErr_Format(PyExc_ValueError, "shape must be \"wide\" or \"long\", not \"%.100s\"",
                     shape_name);
        return NULL;
    }
    seq = PySequence_Fast(names, "columns_new: names must be a sequence of str");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (n > INT_MAX / 2) {
        PyErr_SetString(PyExc_ValueError, "columns_new: too many columns");
        goto done;
    }
    spec = PyMem_Calloc(n ? (size_t)n : 1, sizeof *spec);
    if (spec == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        const char *name = PyUnicode_AsUTF8(PySequence_Fast_GET_ITEM(seq, k));
        if (name == NULL || resolve(name, shape, &spec[k]) < 0)
            goto done;
    }
    capsule = columns_capsule(shape, (int)n, spec, &rules);
done:
    PyMem_Free(spec);
    Py_DECREF(seq);
    return capsule;
}

const char bd_columns_like_doc[] =
    "columns_like(columns) -> columns\n"
    "\n"
    "Private: new empty columns with the layout of these (a worker's batch).";

PyObject *bd_columns_like(PyObject *module, PyObject *capsule)
{
    (void)module;
    columns *cs = bd_get_columns(capsule);
    if (cs == NULL)
        return NULL;
    return columns_capsule(cs->shape, cs->ncols, cs->cols, &cs->rules);
}

const char bd_columns_len_doc[] =
    "columns_len(columns) -> int\n"
    "\n"
    "Private: the rows the columns hold.";

PyObject *bd_columns_len(PyObject *module, PyObject *capsule)
{
    (void)module;
    columns *cs = bd_get_columns(capsule);
    return cs == NULL ? NULL : PyLong_FromSize_t(cs->nrows);
}

const char bd_columns_clear_doc[] =
    "columns_clear(columns) -> None\n"
    "\n"
    "Private: no rows and no items again, as fresh as columns_like's, but with\n"
    "the buffers kept: a worker's next batch writes into them without\n"
    "allocating hundreds of small ones again.";

PyObject *bd_columns_clear(PyObject *module, PyObject *capsule)
{
    (void)module;
    columns *cs = bd_get_columns(capsule);
    if (cs == NULL)
        return NULL;
    bd_drop_objects(cs, 0);
    bd_truncate_rows(cs, 0);
    PyMem_Free(cs->items);
    cs->items = NULL;
    cs->nitems = 0;
    Py_RETURN_NONE;
}

/* ---- columns_put_rows ---------------------------------------------------------- */

/* One Python value into a column (GIL held): 0, or -1 with an exception. */
static int put_object(column *col, size_t row, PyObject *v)
{
    int rc;
    if (v == Py_None) {
        rc = bd_put_missing(col);
    } else if (col->kind == CK_STR) {
        Py_ssize_t n;
        const char *s = PyUnicode_Check(v) ? PyUnicode_AsUTF8AndSize(v, &n) : NULL;
        if (s == NULL) {
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_TypeError, "a string column takes str or None, not %.200s",
                             Py_TYPE(v)->tp_name);
            return -1;
        }
        rc = bd_put_str(col, s, (size_t)n);
    } else if (col->kind == CK_DEC) {
        if (col->objs == NULL && (col->objs = PyDict_New()) == NULL)
            return -1;
        PyObject *key = PyLong_FromSize_t(row);
        if (key == NULL)
            return -1;
        rc = PyDict_SetItem(col->objs, key, v);
        Py_DECREF(key);
        if (rc < 0)
            return -1;
        if (gbuf_i64(&col->v, 0) < 0 || gbuf_u8(&col->s, 0) < 0 || gbuf_u8(&col->m, OBJECT) < 0)
            rc = -1;
    } else {
        /* int only: an __index__ would run Python code with the row half written */
        if (!PyLong_Check(v)) {
            PyErr_Format(PyExc_TypeError, "an int column takes int or None, not %.200s",
                         Py_TYPE(v)->tp_name);
            return -1;
        }
        long long x = PyLong_AsLongLong(v);
        if (x == -1 && PyErr_Occurred())
            return -1;
        rc = bd_put_int(col, (int64_t)x);
    }
    if (rc < 0)
        PyErr_NoMemory();
    return rc;
}

const char bd_columns_put_rows_doc[] =
    "columns_put_rows(columns, index, rows) -> None\n"
    "\n"
    "Private: the rows of pending item index of columns_fill, each a sequence\n"
    "of values in column order: str or None, int or None (datetime64 as\n"
    "nanoseconds), any object in a Decimal column.";

PyObject *bd_columns_put_rows(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *capsule, *rows, *seq = NULL, *row = NULL;
    Py_ssize_t index;
    if (!PyArg_ParseTuple(args, "OnO:columns_put_rows", &capsule, &index, &rows))
        return NULL;
    columns *cs = bd_get_columns(capsule);
    if (cs == NULL)
        return NULL;
    if (index < 0 || (size_t)index >= cs->nitems || !cs->items[index].pending) {
        PyErr_Format(PyExc_ValueError, "columns_put_rows: item %zd is not pending", index);
        return NULL;
    }
    size_t start = cs->nrows;
    seq = PySequence_Fast(rows, "columns_put_rows: rows must be a sequence");
    if (seq == NULL)
        return NULL;
    cs->busy = 1; /* a row that is no list or tuple is iterated: Python code */
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
        row = PySequence_Fast(PySequence_Fast_GET_ITEM(seq, i), "a row must be a sequence");
        if (row == NULL)
            goto error;
        if (PySequence_Fast_GET_SIZE(row) != cs->ncols) {
            PyErr_Format(PyExc_ValueError, "columns_put_rows: a row of %zd values for %d columns",
                         PySequence_Fast_GET_SIZE(row), cs->ncols);
            goto error;
        }
        for (int k = 0; k < cs->ncols; k++)
            if (put_object(&cs->cols[k], cs->nrows, PySequence_Fast_GET_ITEM(row, k)) < 0)
                goto error;
        cs->nrows++;
        Py_CLEAR(row);
    }
    Py_DECREF(seq);
    cs->busy = 0;
    cs->items[index] = (item_rows){start, cs->nrows - start, 0};
    Py_RETURN_NONE;
error:
    Py_XDECREF(row);
    Py_DECREF(seq);
    bd_drop_objects(cs, start);
    bd_truncate_rows(cs, start);
    cs->busy = 0;
    return NULL;
}

/* ---- columns_extend -------------------------------------------------------------- */

/* Rows [start, start + count) of src appended to dst (same layout; GIL held
 * for the objects).  0, or -1 (out of memory, or an exception set). */
static int copy_rows(column *dst, size_t dst_row, const column *src, size_t start, size_t count)
{
    size_t i64 = sizeof(int64_t);
    if (src->kind == CK_STR) {
        int64_t from = gbuf_i64_at(&src->v, start), to = gbuf_i64_at(&src->v, start + count);
        int64_t base = (int64_t)dst->s.len;
        if (gbuf_put(&dst->s, src->s.p + from, (size_t)(to - from)) < 0 ||
            gbuf_room(&dst->v, count * i64) < 0)
            return -1;
        for (size_t k = 1; k <= count; k++)
            gbuf_i64(&dst->v, base + gbuf_i64_at(&src->v, start + k) - from); /* room made */
        return gbuf_put(&dst->m, src->m.p + start, count);
    }
    if (gbuf_put(&dst->v, src->v.p + start * i64, count * i64) < 0)
        return -1;
    if (src->kind == CK_INTN || src->kind == CK_DEC)
        if (gbuf_put(&dst->m, src->m.p + start, count) < 0)
            return -1;
    if (src->kind != CK_DEC)
        return 0;
    if (gbuf_put(&dst->s, src->s.p + start, count) < 0)
        return -1;
    for (size_t k = 0; k < count && src->objs != NULL; k++) {
        if (src->m.p[start + k] != OBJECT)
            continue;
        PyObject *from_key = PyLong_FromSize_t(start + k), *to_key = NULL, *obj;
        int rc = -1;
        if (from_key != NULL && (obj = PyDict_GetItemWithError(src->objs, from_key)) != NULL &&
            (to_key = PyLong_FromSize_t(dst_row + k)) != NULL &&
            (dst->objs != NULL || (dst->objs = PyDict_New()) != NULL))
            rc = PyDict_SetItem(dst->objs, to_key, obj);
        if (rc < 0 && !PyErr_Occurred())
            PyErr_SetString(PyExc_SystemError, "columns_extend: a row's object is missing");
        Py_XDECREF(from_key);
        Py_XDECREF(to_key);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int same_layout(const columns *a, const columns *b)
{
    if (a->shape != b->shape || a->ncols != b->ncols)
        return 0;
    for (int k = 0; k < a->ncols; k++) {
        const column *x = &a->cols[k], *y = &b->cols[k];
        if (x->field != y->field || x->kind != y->kind || x->t != y->t || x->r != y->r ||
            x->c != y->c)
            return 0;
    }
    return 1;
}

const char bd_columns_extend_doc[] =
    "columns_extend(columns, batch) -> None\n"
    "\n"
    "Private: the rows of batch (columns_fill'ed, every item's rows given)\n"
    "appended to columns, in the order of batch's items.";

PyObject *bd_columns_extend(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *cap_dst, *cap_src;
    if (!PyArg_ParseTuple(args, "OO:columns_extend", &cap_dst, &cap_src))
        return NULL;
    columns *dst = bd_get_columns(cap_dst), *src = dst ? bd_get_columns(cap_src) : NULL;
    if (src == NULL)
        return NULL;
    if (dst == src || !same_layout(dst, src)) {
        PyErr_SetString(PyExc_ValueError, "columns_extend: columns of another layout");
        return NULL;
    }
    for (size_t i = 0; i < src->nitems; i++)
        if (src->items[i].pending) {
            PyErr_Format(PyExc_ValueError, "columns_extend: the rows of item %zu are missing", i);
            return NULL;
        }
    size_t n0 = dst->nrows;
    for (size_t i = 0; i < src->nitems;) {
        /* items whose rows follow each other are copied in one go */
        size_t start = src->items[i].start, count = src->items[i].count;
        for (i++; i < src->nitems && src->items[i].start == start + count; i++)
            count += src->items[i].count;
        if (count == 0)
            continue;
        for (int k = 0; k < dst->ncols; k++)
            if (copy_rows(&dst->cols[k], dst->nrows, &src->cols[k], start, count) < 0) {
                if (!PyErr_Occurred())
                    PyErr_NoMemory();
                bd_drop_objects(dst, n0);
                bd_truncate_rows(dst, n0);
                return NULL;
            }
        dst->nrows += count;
    }
    Py_RETURN_NONE;
}

/* ---- columns_take ------------------------------------------------------------------- */

static PyObject *bytes_of(gbuf *b)
{
    PyObject *ba = PyByteArray_FromStringAndSize(b->p ? b->p : "", (Py_ssize_t)b->len);
    gbuf_free(b); /* column by column: the copies never double the whole frame */
    return ba;
}

/* Decimals of scale 0 below this are made once per column. */
#define SMALL_DECIMALS 1024

static PyObject *decimal_list(core_state *st, column *col, size_t n)
{
    PyObject *small[SMALL_DECIMALS] = {NULL};
    PyObject *list = PyList_New((Py_ssize_t)n);
    if (list == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        PyObject *v = NULL;
        unsigned char m = (unsigned char)col->m.p[i];
        if (m == MISSING) {
            v = none_ref();
        } else if (m == OBJECT) {
            PyObject *key = PyLong_FromSize_t(i);
            if (key != NULL) {
                v = col->objs ? PyDict_GetItemWithError(col->objs, key) : NULL;
                Py_XINCREF(v);
                Py_DECREF(key);
                if (v == NULL && !PyErr_Occurred())
                    PyErr_SetString(PyExc_SystemError, "columns_take: a row's object is missing");
            }
        } else {
            int64_t units = gbuf_i64_at(&col->v, i);
            int scale = (unsigned char)col->s.p[i];
            if (scale == 0 && units >= 0 && units < SMALL_DECIMALS) {
                PyObject **slot = &small[units];
                if (*slot == NULL)
                    *slot = bd_make_decimal(st, units, 0);
                v = *slot;
                Py_XINCREF(v);
            } else {
                v = bd_make_decimal(st, units, scale);
            }
        }
        if (v == NULL) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, v);
    }
    for (size_t i = 0; i < SMALL_DECIMALS; i++)
        Py_XDECREF(small[i]);
    return list;
}

const char bd_columns_take_doc[] =
    "columns_take(columns) -> list\n"
    "\n"
    "Private: the columns, once, as (kind, parts...) tuples in column order:\n"
    "(\"str\", offsets, data, missing), (\"int\", values), (\"intn\", values,\n"
    "missing), (\"time\", values) or (\"dec\", list of Decimal or None).  offsets\n"
    "and values are bytearrays of native int64 (offsets: rows + 1 of them),\n"
    "missing a bytearray of a byte per row (1: missing), data UTF-8.";

PyObject *bd_columns_take(PyObject *module, PyObject *capsule)
{
    core_state *st = get_state(module);
    columns *cs = bd_get_columns(capsule);
    if (cs == NULL)
        return NULL;
    PyObject *out = PyList_New(cs->ncols);
    if (out == NULL)
        return NULL;
    size_t n = cs->nrows;
    cs->taken = 1; /* even when this fails half-way: its buffers are going */
    for (int k = 0; k < cs->ncols; k++) {
        column *col = &cs->cols[k];
        PyObject *item = NULL;
        switch (col->kind) {
        case CK_STR:
            item = Py_BuildValue("(sNNN)", ck_names[col->kind], bytes_of(&col->v),
                                 bytes_of(&col->s), bytes_of(&col->m));
            break;
        case CK_INTN:
            item = Py_BuildValue("(sNN)", ck_names[col->kind], bytes_of(&col->v),
                                 bytes_of(&col->m));
            break;
        case CK_DEC:
            item = Py_BuildValue("(sN)", ck_names[col->kind], decimal_list(st, col, n));
            break;
        default:
            item = Py_BuildValue("(sN)", ck_names[col->kind], bytes_of(&col->v));
        }
        gbuf_free(&col->v);
        gbuf_free(&col->m);
        gbuf_free(&col->s);
        Py_CLEAR(col->objs);
        if (item == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, k, item);
    }
    return out;
}
