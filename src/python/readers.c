/*
 * readers.c -- the core's readers of binary documents, for the Python
 * layer's table of readers: _core.doc_text() (read/doc.c) with the GIL
 * released.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdlib.h>

#include "binding.h"

const char bd_doc_text_doc[] =
    "doc_text(data) -> str\n"
    "\n"
    "Private: the main text of a Word 97-2003 document (a .doc file, or a WPS\n"
    "file in the same container) as the core reads it: paragraphs as lines,\n"
    "table rows as \"|cell|cell|\" lines.  Raises ParseError naming what the\n"
    "input is when it is no Word document the reader can read (an .xls, a\n"
    ".ppt, an encrypted or Word 95 document, a corrupt compound file).";

PyObject *bd_doc_text(PyObject *module, PyObject *arg)
{
    core_state *st = get_state(module);
    pinned_input in;
    if (PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "doc_text() expects a bytes-like object, not str");
        return NULL;
    }
    if (bd_pin_input(st, arg, &in) < 0)
        return NULL;
    char *text = NULL;
    size_t len = 0;
    const char *why = NULL;
    gd_status status;
    Py_BEGIN_ALLOW_THREADS
    status = gd_doc_to_text(in.data, in.len, NULL, &text, &len, &why);
    Py_END_ALLOW_THREADS
    size_t input_len = in.len;
    bd_unpin_input(&in);
    PyObject *result = NULL;
    if (status == GD_OK)
        result = bd_str_from_utf8(text, len);
    else if (status == GD_ERR_NOMEM)
        PyErr_NoMemory();
    else if (status == GD_ERR_FORMAT)
        PyErr_SetString(st->ParseError, why ? why : "the input is no Word document");
    else if (status == GD_ERR_TOO_LARGE)
        PyErr_Format(st->ParseError, "input is too large: %zu bytes, the limit is %zu bytes "
                     "(GD_MAX_INPUT)", input_len, (size_t)GD_MAX_INPUT);
    else
        PyErr_Format(PyExc_SystemError, "gd_doc_to_text failed: %s", gd_status_message(status));
    free(text);
    return result;
}
