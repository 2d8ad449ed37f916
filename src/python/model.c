/*
 * model.c -- _set_model(): learning the model classes of govdisclose._model
 * (their fields and slot offsets, checked against what the binding fills),
 * and where each table row goes in them.  objects.c builds the Report with it.
 *
 * govdisclose._model's classes are frozen, slotted dataclasses.  Their
 * __init__ stores each argument with object.__setattr__, that is, in the
 * instance's slot for the field.  _set_model() learns each class's fields and
 * slot offsets once (from the class's member descriptors, and checks that they
 * are the fields the binding fills); parse_report() then makes each object with
 * tp_alloc and stores its fields straight into the slots: no __init__ call, no
 * dict in between.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>

#include "binding.h"

#if PY_VERSION_HEX < 0x030C0000
#include <structmember.h> /* T_OBJECT_EX, READONLY: in Python.h since 3.12 */
#else
#define T_OBJECT_EX Py_T_OBJECT_EX
#define READONLY Py_READONLY
#endif

/* The fields of the fixed classes, in the order of their dataclass (and of
 * the enums of binding.h). */
static const char *const cell_fields[] = {"value", "kind", "raw", "note", "span", NULL};
static const char *const finding_fields[] = {"code", "severity", "table", "cell", "expected",
                                             "actual", "message", NULL};
static const char *const unplaced_fields[] = {"text", "span", "table", NULL};
static const char *const extra_row_fields[] = {"label", "cells", "span", NULL};
static const char *const report_fields[] = {
    "source", "format", "encoding", "agency", "year", "published", "dated", "template", "level",
    "region", "deadline", "deadline_rule", "active", "requests", "reviews", "findings", "unplaced", "text", "statistics",
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
    /* What PyType_GenericAlloc does, objects.c can do without the tracking it
     * would undo at once; any other allocator is left to do its own work. */
    mc->plain_alloc = type->tp_alloc == PyType_GenericAlloc && type->tp_itemsize == 0 &&
                      PyType_IS_GC(type);
    mc->bare = mc->plain_alloc &&
               type->tp_basicsize == (Py_ssize_t)(sizeof(PyObject) + (size_t)n * sizeof(PyObject *));
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

const char bd_set_model_doc[] = PyDoc_STR(
"_set_model(report, cell, finding, unplaced, extra_row, tables, parts)\n"
"\n"
"Private: the model classes of govdisclose._model, for parse_report().  tables\n"
"is (Active, Requests, Reviews); parts maps each composite class to a tuple of\n"
"(field name, class the field holds) in field order.  Raises TypeError when the\n"
"classes are not the shape the binding fills.");

PyObject *bd_set_model(PyObject *module, PyObject *args)
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
