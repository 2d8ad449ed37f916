/*
 * definitions.c -- template() and identities(): the core's table definitions
 * and the identities it checks, as plain data (GIL held).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "binding.h"

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
    /* the captions printed over the row (三、本年度办理结果, （三）不予公开) */
    const char *caption[2];
    int ncaptions = gd_row_captions((gd_table_id)t, r, caption);
    PyObject *captions = PyList_New(ncaptions);
    if (captions == NULL)
        goto error;
    for (int k = 0; k < ncaptions; k++) {
        PyObject *text = PyUnicode_FromString(caption[k]);
        if (text == NULL) {
            Py_DECREF(captions);
            goto error;
        }
        PyList_SET_ITEM(captions, k, text);
    }
    int rc = PyDict_SetItemString(d, "captions", captions);
    Py_DECREF(captions);
    if (rc < 0)
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

const char bd_template_doc[] = PyDoc_STR(
"template() -> dict\n"
"\n"
"The template definition as plain data: {table id: {\"id\", \"label\",\n"
"\"rows\": [{\"id\", \"label\", \"templates\", \"group\", \"keys\", \"columns\":\n"
"[{\"id\", \"label\", \"templates\", \"money\"}], \"captions\"}]}}.  templates lists the national\n"
"templates (\"2019\", \"2021\") a row or column belongs to; captions, the\n"
"captions printed over the row, outermost first (三、本年度办理结果, （三）不予公开).");

PyObject *bd_template(PyObject *module, PyObject *Py_UNUSED(ignored))
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

const char bd_identities_doc[] = PyDoc_STR(
"identities() -> list\n"
"\n"
"The identities the core checks: [{\"code\", \"table\", \"each\" (\"column\" or\n"
"\"row\"), \"target\", \"terms\", \"signs\", \"rule\"}].  For each column (or row)\n"
"of the table, target == sum(sign * term); target and terms are row ids when\n"
"each is \"column\" and column ids when each is \"row\".");

PyObject *bd_identities(PyObject *module, PyObject *Py_UNUSED(ignored))
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
        if (set_item(d, st->keys[K_TABLE], bd_table_id_or_none(st, (int)id->table)) < 0)
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
