/*
 * input.c -- the input of a parse: pinning it, and running the core on it with
 * the GIL released (a non-ASCII str is encoded to UTF-8 then, by wide_utf8.c).
 *
 * PyUnicode_AsUTF8AndSize() encodes a non-ASCII str with the GIL held, one
 * code point at a time, and keeps the result on the str for as long as the str
 * lives (doubling the memory of a large page).  A str's code points never
 * change and the pinned str keeps them alive, so the binding encodes them
 * itself (wide_utf8.c) into a buffer of its own while the GIL is released.
 * A lone surrogate (which has no UTF-8 form) stops it:
 * PyUnicode_AsUTF8AndSize() then raises its usual error.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>

#include "binding.h"
#include "wide_utf8.h"

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

void bd_unpin_input(pinned_input *in)
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

int bd_pin_input(core_state *st, PyObject *obj, pinned_input *in)
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
    bd_unpin_input(in);
    return -1;
}

/* Outcomes of encoding a str without the GIL, besides gd_status. */
#define ENC_NOMEM (-1)
#define ENC_SURROGATE (-2)
#define ENC_GB18030 (-3)

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

/* Decode the pinned GB18030 bytes (no GIL held): 0, or ENC_NOMEM /
 * ENC_GB18030 (*bad: the first byte that does not decode).  A U+FEFF at the
 * start is left out, as _formats leaves it out of a decoded text.  Once
 * decoded the input is UTF-8 (gb18030 cleared), so a second run does not
 * decode it again. */
static int decode_pinned_gb18030(pinned_input *in, size_t *bad)
{
    int rc = bd_gb18030_pinned(in, 0, bad);
    if (rc != 0)
        return rc < 0 ? ENC_NOMEM : ENC_GB18030;
    in->gb18030 = 0;
    if (in->len >= 3 && memcmp(in->data, "\xEF\xBB\xBF", 3) == 0) {
        in->data += 3;
        in->len -= 3;
    }
    return 0;
}

/* The GIL-free half of a parse: encode a non-ASCII str or decode GB18030
 * bytes, then gd_parse().  Touches no Python object, so a batch runs many of
 * these in one release. */
void bd_core_nogil(pinned_input *in, int strict, int format, core_run *run)
{
    /* A str's UTF-8 is valid by construction (ASCII, our encoder, which stops
     * at a code point without a UTF-8 form, or Python's): no second check. */
    gd_options opts = {.flags = (strict ? GD_STRICT : 0u) | (in->str ? GD_VALID_UTF8 : 0u),
                       .alloc = NULL, .format = (gd_format)format};
    run->rep = NULL;
    run->err_offset = 0;
    run->status = GD_OK;
    run->enc = 0;
    if (in->kind != 0)
        run->enc = encode_pinned(in);
    if (in->gb18030)
        run->enc = decode_pinned_gb18030(in, &run->err_offset);
    if (run->enc == 0)
        run->status = gd_parse(in->data, in->len, &opts, &run->rep, &run->err_offset);
}

/* The GIL-held half: the report, or NULL with the matching exception set. */
gd_report *bd_core_finish(core_state *st, pinned_input *in, int strict, int format,
                          core_run *run)
{
    if (run->enc == ENC_NOMEM) {
        PyErr_NoMemory();
        return NULL;
    }
    if (run->enc == ENC_GB18030) {
        bd_raise_gb18030(st, run->err_offset); /* the first byte that does not decode */
        return NULL;
    }
    if (run->enc == ENC_SURROGATE) {
        /* No UTF-8 form: Python's encoder raises its own error. */
        if (pin_str_utf8(in) < 0)
            return NULL;
        return bd_run_core(st, in, strict, format); /* it found none after all */
    }
    if (run->status != GD_OK) {
        gd_report_free(run->rep);
        run->rep = NULL;
        raise_status(st, run->status, run->err_offset, in->len);
        return NULL;
    }
    return run->rep;
}

/* gd_parse() on the pinned input, the GIL released; NULL with an exception
 * set when it fails. */
gd_report *bd_run_core(core_state *st, pinned_input *in, int strict, int format)
{
    core_run run;
    Py_BEGIN_ALLOW_THREADS
    bd_core_nogil(in, strict, format, &run);
    Py_END_ALLOW_THREADS
    return bd_core_finish(st, in, strict, format, &run);
}
