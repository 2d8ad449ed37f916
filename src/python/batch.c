/*
 * batch.c -- parse_reports(): many parse_report() calls in one.
 *
 * Why: parse_report() releases and re-takes the GIL once per report.  A thread
 * of parse_many that does so for every report queues for the GIL as often
 * (behind the other threads and CPython's switch interval), which kept two
 * threads from scaling.  Here every input of a batch is pinned first, the GIL
 * is released once while the core parses them all, and the Reports are built
 * after, in order.  A call that fails gives its exception object in its place
 * in the result; the others go on.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "binding.h"

const char bd_parse_reports_doc[] =
    "parse_reports(calls) -> list\n"
    "\n"
    "Private: parse_report(*call) for each tuple of calls, the core run on all of\n"
    "them in one release of the GIL.  The list holds, in order, each call's\n"
    "Report, or the exception (an Exception instance) it raised.  Raises itself\n"
    "only when calls is no sequence, or for MemoryError before any call ran.";

typedef struct {
    report_call call;
    pinned_input in;
    core_run run;
    int state; /* JOB_* */
} batch_job;

/* A job's state says what it holds: nothing, its call, or its call and input. */
enum { JOB_FAILED, JOB_CALLED, JOB_PINNED };

/* The exception raised, as an object, and cleared; NULL when it is no
 * Exception (KeyboardInterrupt, SystemExit): that one stays raised, for the
 * whole call. */
static PyObject *take_error(void)
{
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *exc = PyErr_GetRaisedException();
#else
    PyObject *type, *exc, *tb;
    PyErr_Fetch(&type, &exc, &tb);
    PyErr_NormalizeException(&type, &exc, &tb);
    if (exc != NULL && tb != NULL)
        PyException_SetTraceback(exc, tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
#endif
    if (exc == NULL)
        return PyErr_Format(PyExc_SystemError, "parse_reports: an error without exception");
    if (!PyObject_TypeCheck(exc, (PyTypeObject *)PyExc_Exception)) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
        return NULL;
    }
    return exc;
}

/* Phase 1 for one call (GIL held): its arguments read and its input pinned. */
static void start_job(core_state *st, PyObject *item, batch_job *job)
{
    job->state = JOB_FAILED;
    if (!PyTuple_Check(item)) {
        PyErr_Format(PyExc_TypeError, "parse_reports: each call is a tuple of "
                                      "parse_report's arguments, not %.200s",
                     Py_TYPE(item)->tp_name);
        return;
    }
    if (bd_report_call(st, item, NULL, &job->call) < 0)
        return;
    job->state = JOB_CALLED;
    if (bd_pin_input(st, job->call.data, &job->in) < 0) {
        bd_report_call_done(&job->call);
        job->state = JOB_FAILED;
        return;
    }
    job->state = JOB_PINNED;
}

/* Phase 3 for one call (GIL held): its Report, or NULL with an exception set.
 * Releases all the job holds. */
static PyObject *finish_job(core_state *st, batch_job *job)
{
    PyObject *result = NULL;
    if (job->state == JOB_PINNED) {
        gd_report *rep = bd_core_finish(st, &job->in, job->call.strict, job->call.format,
                                        &job->run);
        if (rep != NULL)
            result = bd_make_report(st, rep, &job->call.x);
        gd_report_free(rep);
        job->run.rep = NULL;
        bd_unpin_input(&job->in);
    }
    if (job->state >= JOB_CALLED)
        bd_report_call_done(&job->call);
    job->state = JOB_FAILED;
    return result;
}

/* Releases what every job not yet finished holds (after a fatal error). */
static void drop_jobs(batch_job *jobs, Py_ssize_t from, Py_ssize_t n)
{
    for (Py_ssize_t i = from; i < n; i++) {
        if (jobs[i].state == JOB_PINNED) {
            gd_report_free(jobs[i].run.rep);
            bd_unpin_input(&jobs[i].in);
        }
        if (jobs[i].state >= JOB_CALLED)
            bd_report_call_done(&jobs[i].call);
    }
}

PyObject *bd_parse_reports(PyObject *module, PyObject *calls)
{
    core_state *st = get_state(module);
    PyObject *items = NULL, *results = NULL;
    batch_job *jobs = NULL;
    Py_ssize_t n = 0, i = 0, started = 0;

    /* A tuple: another thread cannot change it while the GIL is released. */
    items = PySequence_Tuple(calls);
    if (items == NULL)
        return NULL;
    n = PyTuple_GET_SIZE(items);
    results = PyList_New(n);
    if (results == NULL)
        goto error;
    jobs = PyMem_Calloc(n ? (size_t)n : 1, sizeof *jobs);
    if (jobs == NULL) {
        PyErr_NoMemory();
        goto error;
    }

    /* 1. Arguments and inputs; an error is kept in the call's place. */
    for (; started < n; started++) {
        start_job(st, PyTuple_GET_ITEM(items, started), &jobs[started]);
        if (jobs[started].state != JOB_PINNED) {
            PyObject *exc = take_error();
            if (exc == NULL)
                goto error;
            PyList_SET_ITEM(results, started, exc);
        }
    }

    /* 2. The core on every pinned input, the GIL released once. */
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t k = 0; k < n; k++)
        if (jobs[k].state == JOB_PINNED)
            bd_core_nogil(&jobs[k].in, jobs[k].call.strict, jobs[k].call.format,
                          &jobs[k].run);
    Py_END_ALLOW_THREADS

    /* 3. The Reports, in order. */
    for (; i < n; i++) {
        if (PyList_GET_ITEM(results, i) != NULL)
            continue; /* failed in phase 1 */
        PyObject *r = finish_job(st, &jobs[i]);
        if (r == NULL && (r = take_error()) == NULL) {
            i++;
            goto error;
        }
        PyList_SET_ITEM(results, i, r);
    }
    PyMem_Free(jobs);
    Py_DECREF(items);
    return results;

error:
    if (jobs != NULL)
        drop_jobs(jobs, i, started);
    PyMem_Free(jobs);
    Py_XDECREF(results); /* its unset items are NULL, which a list skips */
    Py_DECREF(items);
    return NULL;
}
