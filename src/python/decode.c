/*
 * decode.c -- GB18030 bytes decoded by the core (gb18030.c) with the GIL
 * released: _core.decode_gb18030(), and the step of bd_run_core() that
 * decodes the input of parse_report(..., charset="gb18030").
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>

#include "binding.h"
#include "utf8_wide.h"

int bd_raise_at(core_state *st, size_t offset, PyObject *msg)
{
    PyObject *exc = NULL, *off = NULL;
    if (msg == NULL)
        return -1;
    exc = PyObject_CallOneArg(st->ParseError, msg);
    if (exc == NULL)
        goto done;
    off = PyLong_FromSize_t(offset);
    if (off == NULL || PyObject_SetAttrString(exc, "offset", off) < 0)
        goto done;
    PyErr_SetObject(st->ParseError, exc);
done:
    Py_DECREF(msg);
    Py_XDECREF(exc);
    Py_XDECREF(off);
    return -1;
}

int bd_raise_gb18030(core_state *st, size_t offset)
{
    return bd_raise_at(st, offset, PyUnicode_FromFormat(
                                       "input is not valid GB18030 (byte %zu)", offset));
}

PyObject *bd_str_from_utf8(const char *s, size_t len)
{
    int kind = 0;
    size_t n;
    if (len > (size_t)PY_SSIZE_T_MAX)
        return PyErr_NoMemory();
    Py_BEGIN_ALLOW_THREADS
    n = gd_utf8_measure(s, len, &kind);
    Py_END_ALLOW_THREADS
    /* the narrowest kind that holds the text: a str must have no wider one */
    Py_UCS4 maxchar = kind == 0 ? 0x7F : kind == 1 ? 0xFF : kind == 2 ? 0xFFFF : 0x10FFFF;
    PyObject *str = PyUnicode_New((Py_ssize_t)n, maxchar);
    if (str == NULL)
        return NULL;
    void *units = PyUnicode_DATA(str);
    /* nothing else holds the new str: its units are filled without the GIL */
    Py_BEGIN_ALLOW_THREADS
    gd_utf8_to_wide(s, len, kind, units);
    Py_END_ALLOW_THREADS
    return str;
}

int bd_gb18030_pinned(pinned_input *in, unsigned flags, size_t *bad)
{
    size_t bound = gd_gb18030_utf8_bound(in->len, flags);
    char *buf = PyMem_RawMalloc(bound ? bound : 1);
    if (buf == NULL)
        return -1;
    size_t n = gd_gb18030_to_utf8(in->data, in->len, flags, buf, bad);
    if (*bad != (size_t)-1) {
        PyMem_RawFree(buf);
        return 1;
    }
    PyMem_RawFree(in->copy); /* a writable buffer's copy: its bytes are read */
    in->copy = buf;
    in->data = buf;
    in->len = n;
    return 0;
}

const char bd_decode_gb18030_doc[] =
    "decode_gb18030(data, errors=\"strict\") -> str\n"
    "\n"
    "Private: bytes(data).decode(\"gb18030\", errors) for errors \"strict\" or\n"
    "\"replace\", decoded by the core with the GIL released.  Where Python's\n"
    "codec raises UnicodeDecodeError this raises ParseError, its offset the\n"
    "error's start (the first byte of the first sequence that does not decode).";

PyObject *bd_decode_gb18030(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"data", "errors", NULL};
    core_state *st = get_state(module);
    PyObject *obj = NULL, *result = NULL;
    const char *errors = "strict";
    unsigned flags;
    pinned_input in;

    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|s:decode_gb18030", kwlist, &obj,
                                     &errors))
        return NULL;
    if (strcmp(errors, "strict") == 0) {
        flags = 0;
    } else if (strcmp(errors, "replace") == 0) {
        flags = GD_GB18030_REPLACE;
    } else {
        PyErr_Format(PyExc_ValueError, "errors must be \"strict\" or \"replace\", not \"%.100s\"",
                     errors);
        return NULL;
    }
    if (PyUnicode_Check(obj)) {
        PyErr_SetString(PyExc_TypeError, "decode_gb18030() expects a bytes-like object, not str");
        return NULL;
    }
    if (bd_pin_input(st, obj, &in) < 0)
        return NULL;
    size_t bad = (size_t)-1;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = bd_gb18030_pinned(&in, flags, &bad);
    Py_END_ALLOW_THREADS
    if (rc < 0)
        PyErr_NoMemory();
    else if (rc > 0)
        bd_raise_gb18030(st, bad);
    else
        result = bd_str_from_utf8(in.data, in.len);
    bd_unpin_input(&in);
    return result;
}
