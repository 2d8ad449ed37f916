/*
 * _core.c -- the CPython binding of the govdisclose core (module govdisclose._core):
 * the module's state, its methods and their table, and the module definition.
 *
 * A parse works in two phases:
 *
 *  1. With the input pinned (a str, a read-only buffer of a bytes-like
 *     object, or a private copy of a writable one) the GIL is released: a
 *     non-ASCII str is encoded to UTF-8 (wide_utf8.c), and gd_parse() parses
 *     and checks the report.  No Python object is touched in between
 *     (input.c).
 *  2. With the GIL held again, the plain C report is turned into the dicts of
 *     ../../../shared/spec/SCHEMA.md (parse, dicts.c) or straight into the
 *     frozen dataclasses of govdisclose/_model.py (parse_report, objects.c,
 *     with the classes learned by _set_model in model.c), and it is freed.
 *
 * The other files of the binding: binding.h (the module state and what the
 * files share), values.c (a cell's value, a finding's parts, ...: the pieces
 * both forms share), batch.c (parse_reports(): many parse_report() calls in
 * one release of the GIL, for parse_many), definitions.c (template() and
 * identities()).  Every
 * file but wide_utf8.c includes Python.h.
 *
 * Style, in every file of the binding: every local PyObject* starts NULL,
 * every failure is `if (x == NULL) goto error;`, and each function has one
 * cleanup block that releases what it still owns.  The core report is freed
 * on every path.
 *
 * Key strings (table, row and column ids, "value", "kind", ...) are interned
 * once, in the module state, when the module is executed.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>

#include "binding.h"

/* ---- Module state ------------------------------------------------------- */

/* The names of the K_* keys (binding.h), in their order. */
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
static const char *const kind_names[NKINDS] = {NULL, "number", "empty", "na", "text"};

static const char *const severity_names[NSEVERITIES] = {"info", "warning", "error"};

/* Indexed by gd_template. */
static const char *const template_names[NTEMPLATES] = {"unknown", "2019", "2021", "mixed"};

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
    bd_forget_shared(st);
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

/* ---- parse() and parse_report() ---------------------------------------- */

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
    if (bd_pin_input(st, obj, &in) < 0)
        return NULL;
    gd_report *rep = bd_run_core(st, &in, strict, format);
    if (rep != NULL)
        result = bd_build_report(st, rep);
    gd_report_free(rep);
    bd_unpin_input(&in);
    return result;
}

PyDoc_STRVAR(parse_report_doc,
"parse_report(data, strict=False, format=\"text\", source=None, report_format=None,\n"
"             encoding=None, text=None, findings=(), charset=None) -> Report\n"
"\n"
"Private: parse() as a govdisclose.Report, built here without dicts (equal to\n"
"Report.from_dict of parse()'s dict with these fields set).  source, encoding\n"
"and text are the Report's fields; report_format its format (default: format);\n"
"findings are Finding objects put after the core's.  charset=\"gb18030\": data\n"
"is bytes in GB18030, decoded by the core with the GIL released (a U+FEFF at\n"
"the start left out) and parsed as UTF-8; text, when None, becomes the decoded\n"
"text; a sequence that does not decode raises ParseError with its offset.\n"
"Needs _set_model().");

int bd_report_call(core_state *st, PyObject *args, PyObject *kwargs, report_call *call)
{
    static char *kwlist[] = {"data", "strict", "format", "source", "report_format",
                             "encoding", "text", "findings", "charset", NULL};
    PyObject *format_obj = NULL;
    const char *format_name = "text", *charset = NULL;

    memset(call, 0, sizeof *call);
    call->x = (report_extras){Py_None, Py_None, Py_None, Py_None, NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|pUOOOOOz:parse_report", kwlist,
                                     &call->data, &call->strict, &format_obj, &call->x.source,
                                     &call->x.format, &call->x.encoding, &call->x.text,
                                     &call->x.findings, &charset))
        return -1;
    if (charset != NULL && strcmp(charset, "gb18030") != 0) {
        PyErr_Format(PyExc_ValueError, "charset must be \"gb18030\" or None, not \"%.100s\"",
                     charset);
        return -1;
    }
    if (charset != NULL && PyUnicode_Check(call->data)) {
        PyErr_SetString(PyExc_TypeError, "charset= is for bytes: a str is already decoded");
        return -1;
    }
    call->gb18030 = charset != NULL;
    if (!st->model.ready) {
        PyErr_SetString(PyExc_RuntimeError, "parse_report: the model classes are not set "
                                            "(govdisclose._model calls _set_model)");
        return -1;
    }
    if (format_obj != NULL && (format_name = PyUnicode_AsUTF8(format_obj)) == NULL)
        return -1;
    call->format = format_of(format_name);
    if (call->format < 0)
        return -1;
    if (call->x.format == Py_None)
        call->x.format = format_obj ? format_obj : st->keys[K_TEXT]; /* the str "text" */
    if (call->x.findings == NULL) {
        call->empty = PyTuple_New(0);
        if (call->empty == NULL)
            return -1;
        call->x.findings = call->empty;
    }
    return 0;
}

void bd_report_call_done(report_call *call)
{
    Py_CLEAR(call->empty);
}

int bd_pin_call(core_state *st, const report_call *call, pinned_input *in)
{
    if (bd_pin_input(st, call->data, in) < 0)
        return -1;
    in->gb18030 = call->gb18030;
    return 0;
}

PyObject *bd_call_report(core_state *st, const report_call *call, const pinned_input *in,
                         const gd_report *rep)
{
    report_extras x = call->x;
    PyObject *decoded_text = NULL;
    if (call->gb18030 && x.text == Py_None) {
        /* the spans point into the decoded text: it is the Report's text */
        if ((decoded_text = bd_str_from_utf8(in->data, in->len)) == NULL)
            return NULL;
        x.text = decoded_text;
    }
    PyObject *result = bd_make_report(st, rep, &x);
    Py_XDECREF(decoded_text);
    return result;
}

static PyObject *core_parse_report(PyObject *module, PyObject *args, PyObject *kwargs)
{
    core_state *st = get_state(module);
    PyObject *result = NULL;
    report_call call;
    pinned_input in;

    if (bd_report_call(st, args, kwargs, &call) < 0) {
        bd_report_call_done(&call);
        return NULL;
    }
    if (bd_pin_call(st, &call, &in) == 0) {
        gd_report *rep = bd_run_core(st, &in, call.strict, call.format);
        if (rep != NULL)
            result = bd_call_report(st, &call, &in, rep);
        gd_report_free(rep);
        bd_unpin_input(&in);
    }
    bd_report_call_done(&call);
    return result;
}

PyDoc_STRVAR(utf8_invalid_at_doc,
"utf8_invalid_at(data) -> int or None\n"
"\n"
"Private: the offset of the first byte of data (a bytes-like object) that is\n"
"not valid UTF-8, or None when all of it is -- the core's check, without\n"
"decoding to a str (a page's worth of which costs five times as much).");

/* Large inputs are checked with the GIL released: the buffer export keeps the
 * memory alive, and bytes another thread writes meanwhile change only the
 * answer (the caller decodes writable buffers from its own copy anyway). */
#define UTF8_CHECK_NOGIL_BYTES (64 * 1024)

static PyObject *core_utf8_invalid_at(PyObject *module, PyObject *arg)
{
    (void)module;
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    size_t len = (size_t)view.len, bad;
    if (len >= UTF8_CHECK_NOGIL_BYTES) {
        Py_BEGIN_ALLOW_THREADS
        bad = gd_utf8_invalid_at(view.buf, len);
        Py_END_ALLOW_THREADS
    } else {
        bad = gd_utf8_invalid_at(view.buf, len);
    }
    PyBuffer_Release(&view);
    if (bad == len)
        Py_RETURN_NONE;
    return PyLong_FromSize_t(bad);
}

/* ---- Module definition ---------------------------------------------------- */

static PyMethodDef core_methods[] = {
    {"parse", (PyCFunction)(void (*)(void))core_parse, METH_VARARGS | METH_KEYWORDS,
     parse_doc},
    {"parse_report", (PyCFunction)(void (*)(void))core_parse_report,
     METH_VARARGS | METH_KEYWORDS, parse_report_doc},
    {"decode_gb18030", (PyCFunction)(void (*)(void))bd_decode_gb18030,
     METH_VARARGS | METH_KEYWORDS, bd_decode_gb18030_doc},
    {"doc_text", bd_doc_text, METH_O, bd_doc_text_doc},
    {"parse_reports", bd_parse_reports, METH_O, bd_parse_reports_doc},
    {"run_cores", bd_run_cores, METH_O, bd_run_cores_doc},
    {"build_reports", bd_build_reports, METH_O, bd_build_reports_doc},
    {"_set_model", bd_set_model, METH_VARARGS, bd_set_model_doc},
    {"template", bd_template, METH_NOARGS, bd_template_doc},
    {"identities", bd_identities, METH_NOARGS, bd_identities_doc},
    {"utf8_invalid_at", core_utf8_invalid_at, METH_O, utf8_invalid_at_doc},
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
