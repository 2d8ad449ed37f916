/*
 * columns_fill.c -- columns_fill(): a worker's batch into fresh columns, the
 * core run on every input with the GIL released once, each report's rows
 * written right after its parse (column_rows.c), while it is in the cache.
 *
 * An item is (source, what): what is parse_report's arguments (a tuple), a
 * path (a str: the file lane, below), or None (Python gives the item's rows).
 * The file lane reads the file itself, without the GIL, and parses it as
 * UTF-8 text when plain_file.c finds it plainly so; a file it declines (HTML,
 * DOCX, PDF, a byte order mark, ...) is planned in Python as before, and its
 * call given in a second columns_fill for the same columns (slots=).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>

#include "binding.h"
#include "columns.h"

typedef struct {
    batch_job job;      /* state JOB_PINNED: the core runs on it */
    row_meta meta;
    size_t slot;        /* the item of the columns it fills */
    const char *path;   /* the file lane: the file's name (in fspath), else NULL */
    PyObject *fspath;
    int outcome;        /* bd_fill_item's, NOT_RUN or DECLINED */
} fill_job;

#define NOT_RUN 1
#define DECLINED 2 /* the file lane: not plain text, or not readable here */

/* Counts the findings given with the call by severity (wide rows count them
 * with the core's).  0, or -1 with an exception set. */
static int count_given(core_state *st, PyObject *findings, row_meta *mt)
{
    PyObject *seq = PySequence_Fast(findings, "findings must be a sequence of Finding");
    if (seq == NULL)
        return -1;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
        PyObject *sev = PyObject_GetAttr(PySequence_Fast_GET_ITEM(seq, i), st->keys[K_SEVERITY]);
        if (sev == NULL) {
            Py_DECREF(seq);
            return -1;
        }
        int err = PyObject_RichCompareBool(sev, st->severities[GD_ERROR], Py_EQ);
        int warn = err == 0 ? PyObject_RichCompareBool(sev, st->severities[GD_WARNING], Py_EQ) : 0;
        Py_DECREF(sev);
        if (err < 0 || warn < 0) {
            Py_DECREF(seq);
            return -1;
        }
        mt->errors += err;
        mt->warnings += warn;
    }
    Py_DECREF(seq);
    return 0;
}

/* An optional str's UTF-8 (None: NULL).  0, or -1 with an exception set. */
static int utf8_of(PyObject *obj, const char **s, Py_ssize_t *n, const char *what)
{
    *s = NULL;
    *n = 0;
    if (obj == Py_None)
        return 0;
    if (!PyUnicode_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "columns_fill: %s must be str or None, not %.200s", what,
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    *s = PyUnicode_AsUTF8AndSize(obj, n);
    return *s == NULL ? -1 : 0;
}

/* Phase 1 of a file (GIL held): its name, for the lane.  0, or 1 when the
 * lane cannot take it (it is left to Python: no exception). */
static int start_file(columns *cs, PyObject *path, int strict, fill_job *fj)
{
    if (!cs->rules.enabled)
        return 1;
    fj->fspath = PyUnicode_EncodeFSDefault(path);
    if (fj->fspath == NULL) {
        PyErr_Clear(); /* Python reads it, and says why it cannot */
        return 1;
    }
    fj->path = PyBytes_AS_STRING(fj->fspath);
    if (strlen(fj->path) != (size_t)PyBytes_GET_SIZE(fj->fspath)) {
        Py_CLEAR(fj->fspath); /* only a pinned job is finished (and its name released) */
        fj->path = NULL;
        return 1; /* a NUL in the name */
    }
    memset(&fj->job, 0, sizeof fj->job);
    fj->job.call.strict = strict;
    fj->job.call.format = GD_FORMAT_TEXT;
    fj->job.state = JOB_PINNED; /* its input is read without the GIL */
    fj->meta.fmt = "text";
    fj->meta.fmt_len = 4;
    return 0;
}

/* Phase 1 of an item (GIL held): its call pinned (or its file named) and
 * what its rows need read.  0 when the core will run on it; 1 when it waits
 * for Python (no call, a file the lane cannot take, or the call raised: *exc,
 * a new reference, or NULL); -1 for a fatal error (an exception that is no
 * Exception, or a malformed item). */
static int start_item(core_state *st, columns *cs, PyObject *item, int strict, fill_job *fj,
                      PyObject **exc)
{
    *exc = NULL;
    if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2) {
        PyErr_SetString(PyExc_TypeError, "columns_fill: each item is a (source, call) tuple");
        return -1;
    }
    PyObject *source = PyTuple_GET_ITEM(item, 0), *what = PyTuple_GET_ITEM(item, 1);
    if (what == Py_None)
        return 1;
    if (utf8_of(source, &fj->meta.src, &fj->meta.src_len, "a source") == 0) {
        if (PyUnicode_Check(what))
            return start_file(cs, what, strict, fj);
        bd_start_job(st, what, &fj->job);
        if (fj->job.state == JOB_PINNED &&
            utf8_of(fj->job.call.x.format, &fj->meta.fmt, &fj->meta.fmt_len, "a format") == 0 &&
            (cs->shape != WIDE || count_given(st, fj->job.call.x.findings, &fj->meta) == 0))
            return 0;
    }
    bd_drop_job(&fj->job);
    *exc = bd_take_error();
    return *exc == NULL ? -1 : 1;
}

/* Phase 2 of an item (no GIL): the file read (the lane), the core run, the
 * rows written. */
static void run_item(columns *cs, fill_job *fj)
{
    if (fj->path != NULL) {
        char *data;
        size_t len;
        if (!bd_read_plain_file(fj->path, &cs->rules, &data, &len)) {
            fj->outcome = DECLINED;
            return;
        }
        fj->job.in.copy = data; /* bd_unpin_input frees it */
        fj->job.in.data = data;
        fj->job.in.len = len;
    }
    bd_core_nogil(&fj->job.in, fj->job.call.strict, fj->job.call.format, &fj->job.run);
    if (fj->job.run.enc == 0 && fj->job.run.status == GD_OK && fj->job.run.rep != NULL) {
        fj->outcome = bd_fill_item(cs, fj->slot, fj->job.run.rep, &fj->meta);
        gd_report_free(fj->job.run.rep); /* before the next parse: one report at a time */
        fj->job.run.rep = NULL;
    }
}

/* Phase 3 of an item (GIL held): a call the core refused goes through
 * bd_core_finish (which raises its error, or retries what needs the GIL);
 * *exc gets the exception of an item left to Python (NULL: declined by the
 * lane).  Releases the job.  0, or -1 for a fatal error. */
static int finish_item(core_state *st, columns *cs, fill_job *fj, PyObject **exc)
{
    *exc = NULL;
    if (fj->job.state == JOB_PINNED && fj->outcome == NOT_RUN) {
        gd_report *rep = bd_core_finish(st, &fj->job.in, fj->job.call.strict,
                                        fj->job.call.format, &fj->job.run);
        fj->job.run.rep = NULL; /* rep is ours now */
        if (rep != NULL) {
            fj->outcome = bd_fill_item(cs, fj->slot, rep, &fj->meta);
            gd_report_free(rep);
        }
    }
    if (fj->outcome == -1)
        PyErr_NoMemory();
    else if (fj->outcome == BAD)
        PyErr_SetString(PyExc_SystemError,
                        "govdisclose core returned a report its frame row cannot hold");
    bd_drop_job(&fj->job);
    Py_CLEAR(fj->fspath);
    if (!PyErr_Occurred())
        return 0;
    *exc = bd_take_error();
    return *exc == NULL ? -1 : 0;
}

/* The slots items fill: 0..n-1 of fresh columns, or slots (pending items of
 * a filled one).  0, or -1 with an exception set. */
static int claim_slots(columns *cs, Py_ssize_t n, PyObject *slots, fill_job *jobs)
{
    if (slots == Py_None) {
        if (cs->items != NULL || cs->nrows) {
            PyErr_SetString(PyExc_ValueError,
                            "columns_fill: fill fresh columns (columns_like), or give slots=");
            return -1;
        }
        cs->items = PyMem_Calloc(n ? (size_t)n : 1, sizeof *cs->items);
        if (cs->items == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        cs->nitems = (size_t)n;
        for (Py_ssize_t i = 0; i < n; i++) {
            cs->items[i].pending = 1;
            jobs[i].slot = (size_t)i;
        }
        return 0;
    }
    PyObject *seq = PySequence_Fast(slots, "columns_fill: slots must be a sequence of int");
    if (seq == NULL)
        return -1;
    int rc = 0;
    if (PySequence_Fast_GET_SIZE(seq) != n) {
        PyErr_SetString(PyExc_ValueError, "columns_fill: one slot per item");
        rc = -1;
    }
    for (Py_ssize_t i = 0; i < n && rc == 0; i++) {
        Py_ssize_t slot = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(seq, i));
        if (slot == -1 && PyErr_Occurred()) {
            rc = -1;
        } else if (slot < 0 || (size_t)slot >= cs->nitems || cs->items[slot].pending != 1) {
            PyErr_Format(PyExc_ValueError, "columns_fill: slot %zd is not a pending item", slot);
            rc = -1;
        } else {
            cs->items[slot].pending = 2; /* claimed: twice in one call is an error */
            jobs[i].slot = (size_t)slot;
        }
    }
    for (size_t i = 0; i < cs->nitems; i++) /* claimed ones pend until filled */
        if (cs->items[i].pending == 2)
            cs->items[i].pending = 1;
    Py_DECREF(seq);
    return rc;
}

static int append_pending(PyObject *pending, size_t slot, PyObject *exc)
{
    PyObject *entry = Py_BuildValue("(nN)", (Py_ssize_t)slot, exc ? exc : none_ref());
    int rc = entry == NULL ? -1 : PyList_Append(pending, entry);
    Py_XDECREF(entry);
    return rc;
}

const char bd_columns_fill_doc[] =
    "columns_fill(columns, items, strict=False, slots=None) -> list\n"
    "\n"
    "Private: the rows of items, each (source, what) -- what parse_report's\n"
    "arguments, a path (a str: read and parsed as plain UTF-8 text when it\n"
    "plainly is, with strict), or None for an item Python gives the rows of --\n"
    "written into fresh columns (columns_like), or into the pending items\n"
    "slots of columns filled before; the core run on every input with the GIL\n"
    "released once.  Returns [(slot, exception or None)] for the items left\n"
    "pending (None: no call, or a file the lane declined; an exception: the\n"
    "call raised it).  columns_put_rows gives their rows.";

PyObject *bd_columns_fill(PyObject *module, PyObject *args)
{
    core_state *st = get_state(module);
    PyObject *capsule, *items, *slots = Py_None, *tuple = NULL, *pending = NULL;
    fill_job *jobs = NULL;
    int strict = 0;
    Py_ssize_t n = 0;
    if (!PyArg_ParseTuple(args, "OO|pO:columns_fill", &capsule, &items, &strict, &slots))
        return NULL;
    columns *cs = bd_get_columns(capsule);
    if (cs == NULL)
        return NULL;
    tuple = PySequence_Tuple(items); /* a tuple: nothing changes it while the GIL is out */
    if (tuple == NULL)
        return NULL;
    n = PyTuple_GET_SIZE(tuple);
    pending = PyList_New(0);
    jobs = PyMem_Calloc(n ? (size_t)n : 1, sizeof *jobs);
    if (pending == NULL || jobs == NULL) {
        if (pending != NULL)
            PyErr_NoMemory();
        goto error;
    }
    if (claim_slots(cs, n, slots, jobs) < 0)
        goto error;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *exc;
        jobs[i].outcome = NOT_RUN;
        int rc = start_item(st, cs, PyTuple_GET_ITEM(tuple, i), strict, &jobs[i], &exc);
        if (rc < 0 || (rc == 1 && append_pending(pending, jobs[i].slot, exc) < 0))
            goto error;
    }
    cs->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++)
        if (jobs[i].job.state == JOB_PINNED)
            run_item(cs, &jobs[i]);
    Py_END_ALLOW_THREADS
    cs->busy = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *exc;
        if (jobs[i].job.state != JOB_PINNED)
            continue;
        if (finish_item(st, cs, &jobs[i], &exc) < 0)
            goto error;
        if (cs->items[jobs[i].slot].pending && append_pending(pending, jobs[i].slot, exc) < 0)
            goto error;
    }
    PyMem_Free(jobs);
    Py_DECREF(tuple);
    return pending;
error:
    for (Py_ssize_t i = 0; jobs != NULL && i < n; i++) {
        bd_drop_job(&jobs[i].job);
        Py_CLEAR(jobs[i].fspath);
    }
    PyMem_Free(jobs);
    Py_XDECREF(pending);
    Py_XDECREF(tuple);
    return NULL;
}
