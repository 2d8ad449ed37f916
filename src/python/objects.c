/*
 * objects.c -- parse_report()'s result: a core report as a govdisclose.Report,
 * each object made with tp_alloc and its fields stored straight into their
 * slots, as model.c learned them (GIL held).  No __init__ call, no dict in
 * between.  An object whose building fails is released with its filled slots
 * (the type's dealloc clears them; an empty slot is NULL).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>

#include <string.h>

#include "binding.h"

#define SLOT(obj, off) (*(PyObject **)((char *)(obj) + (off)))

/* A new, empty instance of model class m (its slots NULL).  An instance that
 * will leave the cyclic GC once built (model_done) is never tracked at all:
 * PyObject_GC_New, as tp_alloc would but without tracking, its body zeroed
 * as tp_alloc zeroes it. */
static PyObject *model_new(const model_class *mc)
{
    if (!(mc->untrack && mc->plain_alloc))
        return mc->type->tp_alloc(mc->type, 0);
    PyObject *o = PyObject_GC_New(PyObject, mc->type);
    if (o != NULL)
        memset((char *)o + sizeof(PyObject), 0,
               (size_t)mc->type->tp_basicsize - sizeof(PyObject));
    return o;
}

/* A built object leaves the cyclic GC when its class allows (see _set_model). */
static PyObject *model_done(const model_class *mc, PyObject *obj)
{
    if (mc->untrack && !mc->plain_alloc)
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

/* ---- Shared values (binding.h: shared_values) -------------------------- */

/* Byte offset v as an int: the shared one below SHARED_OFFSETS. */
static PyObject *offset_int(core_state *st, size_t v)
{
#ifndef Py_GIL_DISABLED
    if (v < SHARED_OFFSETS) {
        PyObject ***chunk = &st->shared.offsets[v / SHARED_OFFSET_CHUNK];
        if (*chunk == NULL && (*chunk = PyMem_Calloc(SHARED_OFFSET_CHUNK, sizeof **chunk)) == NULL)
            return PyErr_NoMemory();
        PyObject **slot = &(*chunk)[v % SHARED_OFFSET_CHUNK];
        if (*slot == NULL && (*slot = PyLong_FromSize_t(v)) == NULL)
            return NULL;
        Py_INCREF(*slot);
        return *slot;
    }
#else
    (void)st;
#endif
    return PyLong_FromSize_t(v);
}

void bd_forget_shared(core_state *st)
{
    shared_values *sh = &st->shared;
    for (size_t c = 0; c < SHARED_OFFSET_CHUNKS; c++) {
        if (sh->offsets[c] == NULL)
            continue;
        for (size_t i = 0; i < SHARED_OFFSET_CHUNK; i++)
            Py_CLEAR(sh->offsets[c][i]);
        PyMem_Free(sh->offsets[c]);
        sh->offsets[c] = NULL;
    }
    for (size_t i = 0; i < SHARED_DIGITS; i++)
        Py_CLEAR(sh->digits[i]);
    PyObject **paths = &sh->paths[0][0][0];
    for (size_t i = 0; i < sizeof sh->paths / sizeof *paths; i++)
        Py_CLEAR(paths[i]);
    for (size_t i = 0; i < SHARED_CODES; i++)
        Py_CLEAR(sh->codes[i]);
}

/* A cell's raw text (as bd_folded_text): the shared str when it is "0" to
 * "999" written without leading zeros, as most cells are. */
static PyObject *cell_raw(core_state *st, const char *text, size_t len, gd_span span)
{
#ifndef Py_GIL_DISABLED
    size_t n = span.end - span.start;
    if (span.start < span.end && span.end <= len && n <= 3) {
        const unsigned char *s = (const unsigned char *)text + span.start;
        unsigned v = 0;
        size_t i = 0;
        for (; i < n && (unsigned)(s[i] - '0') < 10u; i++)
            v = v * 10 + (unsigned)(s[i] - '0');
        if (i == n && (s[0] != '0' || n == 1)) {
            PyObject **slot = &st->shared.digits[v];
            if (*slot == NULL && (*slot = PyUnicode_FromStringAndSize((const char *)s,
                                                                      (Py_ssize_t)n)) == NULL)
                return NULL;
            Py_INCREF(*slot);
            return *slot;
        }
    }
#else
    (void)st;
#endif
    return bd_folded_text(text, len, span);
}

/* The path of the cell a finding names (as bd_finding_cell): shared, as a
 * report names the same few cells again and again. */
static PyObject *finding_cell(core_state *st, const gd_finding *f)
{
#ifndef Py_GIL_DISABLED
    if (f->table >= 0 && f->table < GD_NTABLES && f->row >= 0 && f->row < GD_MAX_ROWS &&
        f->col >= -1 && f->col < GD_MAX_COLS) {
        PyObject **slot = &st->shared.paths[f->table][f->row][f->col + 1];
        if (*slot == NULL && (*slot = bd_finding_cell(f)) == NULL)
            return NULL;
        Py_INCREF(*slot);
        return *slot;
    }
#else
    (void)st;
#endif
    return bd_finding_cell(f);
}

/* A finding's code as a str: shared when its slot (by a hash of the text) holds
 * the same text, else made (and kept when the slot is free). */
static PyObject *finding_code(core_state *st, const char *code)
{
    if (code == NULL)
        code = "";
#ifndef Py_GIL_DISABLED
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)code; *p; p++)
        h = (h ^ *p) * 16777619u;
    PyObject **slot = &st->shared.codes[h % SHARED_CODES];
    if (*slot != NULL) {
        const char *have = PyUnicode_AsUTF8(*slot); /* its own data: codes are ASCII */
        if (have == NULL)
            return NULL;
        if (strcmp(have, code) == 0) {
            Py_INCREF(*slot);
            return *slot;
        }
        return PyUnicode_FromString(code); /* another code in its slot */
    }
    if ((*slot = PyUnicode_FromString(code)) == NULL)
        return NULL;
    Py_INCREF(*slot);
    return *slot;
#else
    (void)st;
    return PyUnicode_FromString(code);
#endif
}

/* (start, end), untracked: two ints are never in a cycle. */
static PyObject *span_of(core_state *st, gd_span span)
{
    PyObject *t = PyTuple_New(2);
    if (t == NULL)
        return NULL;
    PyObject *start = offset_int(st, span.start);
    if (start == NULL)
        goto error;
    PyTuple_SET_ITEM(t, 0, start);
    PyObject *end = offset_int(st, span.end);
    if (end == NULL)
        goto error;
    PyTuple_SET_ITEM(t, 1, end);
    PyObject_GC_UnTrack(t);
    return t;
error:
    Py_DECREF(t); /* a tuple with NULL items is safe to release */
    return NULL;
}

/* (start, end) without the shared ints, for bd_metadata_spans's callback. */
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
    PyObject_GC_UnTrack(t);
    return t;
error:
    Py_DECREF(t);
    return NULL;
}

/* One Cell, or None for an absent cell (as build_cell, as an object).  Its
 * values are made first and the Cell last, so that each of its slots is
 * stored once and a failure has no half-made Cell to release. */
static PyObject *make_cell(core_state *st, const char *text, size_t len, int money,
                           const gd_cell *cell)
{
    if (cell->kind == GD_CELL_ABSENT)
        return none_ref();
    if (bd_check_cell_kind(cell) < 0)
        return NULL;
    const model_class *mc = &st->model.cls[st->model.cell];
    PyObject *value = NULL, *raw = NULL, *note = NULL, *span = NULL, *o = NULL;
    if ((value = cell->kind != GD_CELL_NUMBER ? none_ref()
                 : !money && cell->scale == 0 ? PyLong_FromLongLong((long long)cell->units)
                 : bd_cell_value(st, money, cell)) == NULL || /* (the two common cases inline) */
        (raw = cell_raw(st, text, len, cell->raw)) == NULL ||
        (note = bd_cell_note(text, len, cell)) == NULL ||
        (span = span_of(st, cell->span)) == NULL)
        goto error;
    /* Untracked as in model_new, and not zeroed: every slot is stored below. */
    o = mc->untrack && mc->bare ? PyObject_GC_New(PyObject, mc->type) : model_new(mc);
    if (o == NULL)
        goto error;
    Py_INCREF(st->kinds[cell->kind]);
    SLOT(o, mc->offset[CELL_VALUE]) = value;
    SLOT(o, mc->offset[CELL_KIND]) = st->kinds[cell->kind];
    SLOT(o, mc->offset[CELL_RAW]) = raw;
    SLOT(o, mc->offset[CELL_NOTE]) = note;
    SLOT(o, mc->offset[CELL_SPAN]) = span;
    return model_done(mc, o);
error:
    Py_XDECREF(value);
    Py_XDECREF(raw);
    Py_XDECREF(note);
    Py_XDECREF(span);
    return NULL;
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
    if (put(o, mc, EX_LABEL, bd_folded_text(text, len, x->label)) < 0)
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
    if (put(o, mc, EX_SPAN, span_of(st, x->label_span)) < 0)
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
    if (put(o, mc, FI_CODE, finding_code(st, f->code)) < 0 ||
        put(o, mc, FI_SEVERITY, bd_severity_of(st, f)) < 0 ||
        put(o, mc, FI_TABLE, bd_table_id_or_none(st, f->table)) < 0 ||
        put(o, mc, FI_CELL, finding_cell(st, f)) < 0 ||
        put(o, mc, FI_EXPECTED, bd_optional_int(f->has_expected, f->expected)) < 0 ||
        put(o, mc, FI_ACTUAL, bd_optional_int(f->has_actual, f->actual)) < 0 ||
        put(o, mc, FI_MESSAGE, bd_finding_message(f)) < 0) {
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
    if (put(o, mc, UN_TEXT, bd_folded_text(text, len, u->raw)) < 0 ||
        put(o, mc, UN_SPAN, span_of(st, u->span)) < 0 ||
        put(o, mc, UN_TABLE, bd_table_id_or_none(st, u->table)) < 0) {
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

/* datetime.date of a date of the report, or None (as dicts.c's date_str). */
static PyObject *make_date(core_state *st, int y, int m, int d)
{
    if (!bd_date_valid(y, m, d))
        return none_ref();
    /* datetime's C API makes the date without a call through the class (its
     * date class is st->date unless datetime.date was replaced). */
    if (PyDateTimeAPI == NULL) {
        PyDateTime_IMPORT;
        if (PyDateTimeAPI == NULL)
            return NULL;
    }
    if ((PyObject *)PyDateTimeAPI->DateType == st->date)
        return PyDate_FromDate(y, m, d);
    return PyObject_CallFunction(st->date, "iii", y, m, d);
}

static PyObject *new_ref(PyObject *o)
{
    Py_INCREF(o);
    return o;
}

/* The Report object (as bd_build_report gives the dict, then Report.from_dict). */
PyObject *bd_make_report(core_state *st, const gd_report *rep, const report_extras *x)
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
        put(o, mc, RE_AGENCY, bd_optional_str(rep->agency)) < 0 ||
        put(o, mc, RE_YEAR, rep->year ? PyLong_FromLong((long)rep->year) : none_ref()) < 0 ||
        put(o, mc, RE_PUBLISHED, make_date(st, rep->pub_year, rep->pub_month, rep->pub_day)) < 0 ||
        put(o, mc, RE_DATED, make_date(st, rep->dated_year, rep->dated_month, rep->dated_day)) < 0 ||
        put(o, mc, RE_TEMPLATE, new_ref(st->templates[tpl])) < 0 ||
        put(o, mc, RE_LEVEL, bd_optional_str(rep->level)) < 0 ||
        put(o, mc, RE_REGION, bd_optional_str(rep->region)) < 0 ||
        put(o, mc, RE_DEADLINE, make_date(st, rep->deadline_year, rep->deadline_month,
                                          rep->deadline_day)) < 0 ||
        put(o, mc, RE_DEADLINE_RULE, bd_optional_str(rep->deadline_rule)) < 0 ||
        put(o, mc, RE_ACTIVE, make_table(st, text, len, rep, GD_TABLE_ACTIVE)) < 0 ||
        put(o, mc, RE_REQUESTS, make_table(st, text, len, rep, GD_TABLE_REQUESTS)) < 0 ||
        put(o, mc, RE_REVIEWS, make_table(st, text, len, rep, GD_TABLE_REVIEWS)) < 0 ||
        put(o, mc, RE_FINDINGS, make_findings(st, rep, x->findings)) < 0 ||
        put(o, mc, RE_UNPLACED, make_unplaced_all(st, text, len, rep)) < 0 ||
        put(o, mc, RE_TEXT, new_ref(x->text)) < 0 ||
        put(o, mc, RE_STATISTICS, make_extras(st, text, len, rep, -1)) < 0 ||
        put(o, mc, RE_METADATA_SPANS, bd_metadata_spans(st, rep, span_tuple)) < 0) {
        Py_DECREF(o);
        return NULL;
    }
    return o; /* tracked: metadata_spans is a dict */
}
