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

/* The exception raised, as an object, and cleared; NULL when it is no
 * Exception (KeyboardInterrupt, SystemExit): that one stays raised, for the
 * whole call. */
PyObject *bd_take_error(void)
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
void bd_start_job(core_state *st, PyObject *item, batch_job *job)
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
    if (bd_pin_call(st, &job->call, &job->in) < 0) {
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
            result = bd_call_report(st, &job->call, &job->in, rep);
        gd_report_free(rep);
        job->run.rep = NULL;
        bd_unpin_input(&job->in);
    }
    if (job->state >= JOB_CALLED)
        bd_report_call_done(&job->call);
    job->state = JOB_FAILED;
    return result;
}

/* Releases what a job still holds (a finished or failed job holds nothing). */
void bd_drop_job(batch_job *job)
{
    if (job->state == JOB_PINNED) {
        gd_report_free(job->run.rep);
        job->run.rep = NULL;
        bd_unpin_input(&job->in);
    }
    if (job->state >= JOB_CALLED)
        bd_report_call_done(&job->call);
    job->state = JOB_FAILED;
}

static void drop_jobs(batch_job *jobs, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++)
        bd_drop_job(&jobs[i]);
}

/* A batch between its phases: the calls (a tuple, which another thread cannot
 * change while the GIL is released), the result list (a call that failed in
 * phase 1 has its exception there already) and the jobs. */
typedef struct {
    PyObject *items, *results;
    Py_ssize_t n;
    batch_job *jobs;
} batch;

static void batch_free(batch *b)
{
    if (b == NULL)
        return;
    if (b->jobs != NULL)
        drop_jobs(b->jobs, b->n);
    PyMem_Free(b->jobs);
    Py_XDECREF(b->results); /* its unset items are NULL, which a list skips */
    Py_XDECREF(b->items);
    PyMem_Free(b);
}

/* Phases 1 and 2: the calls read and pinned (GIL held), then the core run on
 * all of them with the GIL released once.  NULL with an exception set only
 * for a fatal error (no sequence, no memory, KeyboardInterrupt). */
static batch *batch_run(core_state *st, PyObject *calls)
{
    batch *b = PyMem_Calloc(1, sizeof *b);
    if (b == NULL)
        return (batch *)PyErr_NoMemory();
    b->items = PySequence_Tuple(calls);
    if (b->items == NULL)
        goto error;
    b->n = PyTuple_GET_SIZE(b->items);
    b->results = PyList_New(b->n);
    if (b->results == NULL)
        goto error;
    b->jobs = PyMem_Calloc(b->n ? (size_t)b->n : 1, sizeof *b->jobs);
    if (b->jobs == NULL) {
        PyErr_NoMemory();
        goto error;
    }
    batch_job *jobs = b->jobs;
    for (Py_ssize_t i = 0; i < b->n; i++) {
        bd_start_job(st, PyTuple_GET_ITEM(b->items, i), &jobs[i]);
        if (jobs[i].state != JOB_PINNED) {
            PyObject *exc = bd_take_error();
            if (exc == NULL)
                goto error;
            PyList_SET_ITEM(b->results, i, exc);
        }
    }
    Py_ssize_t n = b->n;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t k = 0; k < n; k++)
        if (jobs[k].state == JOB_PINNED)
            bd_core_nogil(&jobs[k].in, jobs[k].call.strict, jobs[k].call.format,
                          &jobs[k].run);
    Py_END_ALLOW_THREADS
    return b;
error:
    batch_free(b);
    return NULL;
}

/* Phase 3: the Reports, in order (GIL held).  The result list, or NULL with an
 * exception set for a fatal error; either way the jobs hold nothing after. */
static PyObject *batch_finish(core_state *st, batch *b)
{
    for (Py_ssize_t i = 0; i < b->n; i++) {
        if (PyList_GET_ITEM(b->results, i) != NULL)
            continue; /* failed in phase 1 */
        PyObject *r = finish_job(st, &b->jobs[i]);
        if (r == NULL && (r = bd_take_error()) == NULL) {
            drop_jobs(b->jobs, b->n);
            Py_CLEAR(b->results); /* no second build of what is left */
            return NULL;
        }
        PyList_SET_ITEM(b->results, i, r);
    }
    PyObject *results = b->results;
    b->results = NULL;
    return results;
}

PyObject *bd_parse_reports(PyObject *module, PyObject *calls)
{
    core_state *st = get_state(module);
    batch *b = batch_run(st, calls);
    if (b == NULL)
        return NULL;
    PyObject *results = batch_finish(st, b);
    batch_free(b);
    return results;
}

/* ---- The two halves apart: run_cores() and build_reports() ---------------- */

#define CAPSULE_NAME "govdisclose._core.cores"

static void cores_destructor(PyObject *capsule)
{
    /* a batch never built: its reports and pinned inputs are released here */
    batch_free(PyCapsule_GetPointer(capsule, CAPSULE_NAME));
}

const char bd_run_cores_doc[] =
    "run_cores(calls) -> cores\n"
    "\n"
    "Private: parse_reports() without building the Reports: the core run on every\n"
    "call, the GIL released once.  build_reports(cores) builds them, in the\n"
    "thread that will use them; cores dropped unbuilt release everything.";

PyObject *bd_run_cores(PyObject *module, PyObject *calls)
{
    batch *b = batch_run(get_state(module), calls);
    if (b == NULL)
        return NULL;
    PyObject *capsule = PyCapsule_New(b, CAPSULE_NAME, cores_destructor);
    if (capsule == NULL)
        batch_free(b);
    return capsule;
}

const char bd_build_reports_doc[] =
    "build_reports(cores) -> list\n"
    "\n"
    "Private: the list parse_reports() gives, from what run_cores() returned.\n"
    "Once only: a second call raises ValueError.";

PyObject *bd_build_reports(PyObject *module, PyObject *capsule)
{
    batch *b = PyCapsule_GetPointer(capsule, CAPSULE_NAME);
    if (b == NULL)
        return NULL;
    if (b->results == NULL) {
        PyErr_SetString(PyExc_ValueError, "build_reports: these reports are built already");
        return NULL;
    }
    return batch_finish(get_state(module), b);
}
