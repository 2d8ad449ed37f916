/*
 * binding.h -- what the files of the CPython binding share (private): the
 * module state (interned keys, the learned model classes), the input of a
 * parse, and the functions one file defines for another, all named bd_*.
 *
 * Each file includes Python.h (with PY_SSIZE_T_CLEAN) first, then this
 * header; tests/c/Makefile leaves out of the C tests every file that names
 * Python.h.
 */
#ifndef GD_BINDING_H
#define GD_BINDING_H

#ifndef Py_PYTHON_H
#error "include Python.h (after #define PY_SSIZE_T_CLEAN) before binding.h"
#endif

#include "govdisclose.h"

/* ---- Module state (made and released in _core.c) ------------------------ */

/* Keys of the report dict, in SCHEMA order (their names: key_names, _core.c). */
enum {
    K_AGENCY, K_YEAR, K_PUBLISHED, K_TEMPLATE, K_LEVEL, K_REGION, K_ACTIVE, K_REQUESTS,
    K_REVIEWS, K_FINDINGS, K_UNPLACED,
    /* cells */
    K_VALUE, K_KIND, K_RAW, K_NOTE, K_SPAN,
    /* findings and unplaced numbers */
    K_CODE, K_SEVERITY, K_TABLE, K_CELL, K_EXPECTED, K_ACTUAL, K_MESSAGE, K_TEXT,
    /* the active table's local rows: {"label", "cells", "span"} */
    K_EXTRA, K_CELLS,
    /* template() and identities() */
    K_ID, K_LABEL, K_TEMPLATES, K_ROWS, K_COLUMNS, K_MONEY, K_GROUP, K_KEYS,
    K_EACH, K_TARGET, K_TERMS, K_SIGNS, K_RULE,
    K_STATISTICS, K_METADATA_SPANS,
    K_COUNT_
};

/* Cell kinds (indexed by gd_cell_kind; GD_CELL_ABSENT has no name: None),
 * severities and templates (indexed by gd_template), held as interned str
 * too; their names, like the keys', are in _core.c. */
#define NKINDS 5
#define NSEVERITIES 3
#define NTEMPLATES 4

/* The model classes of govdisclose._model, learned once by _set_model(): the
 * binding builds Report objects by storing each field at its slot. */
#define MAX_MODEL 32  /* classes learned */
#define MAX_FIELDS 24 /* fields of the widest class (Report has 17) */

typedef struct {
    PyTypeObject *type;            /* strong reference */
    int nfields;
    Py_ssize_t offset[MAX_FIELDS]; /* each field's slot, in field order */
    int part[MAX_FIELDS];          /* composites: the model index a field holds, else -1 */
    int untrack;                   /* instances leave the cyclic GC once built */
    int plain_alloc;               /* tp_alloc is PyType_GenericAlloc: objects.c may
                                      make instances never tracked (model_new) */
    int bare;                      /* plain_alloc, and an instance is its header and
                                      its fields' slots, nothing more */
} model_class;

/* Where row r of table t goes: into the table object, or into the group object
 * held by field group_field of the table; the row object is of class cls and
 * its cells go to col_off. */
typedef struct {
    int group_field;
    Py_ssize_t offset;
    int cls;
    Py_ssize_t col_off[GD_MAX_COLS];
} row_place;

typedef struct {
    int ready;
    int nmodel;
    model_class cls[MAX_MODEL];
    int report, cell, finding, unplaced, extra_row, table[GD_NTABLES];
    int extra_field; /* Active.extra */
    uint32_t group_fields[GD_NTABLES]; /* bit f: field f of the table holds a group */
    row_place rows[GD_NTABLES][GD_MAX_ROWS];
} model_layout;

/* Values every Report built by objects.c shares, made on first use and kept
 * while the module lives: str and int are immutable, so one object stands in
 * for equal values in any number of cells (and is not made and freed each
 * time).  Byte offsets below SHARED_OFFSETS (the ends of spans), the digit
 * strings "0" to "999" without leading zeros (most cells' raw text), the
 * paths of the cells findings name and the findings' codes.  Filled and read with the GIL held; a
 * build without a GIL shares none of them (objects.c). */
#define SHARED_OFFSET_CHUNK 1024
#define SHARED_OFFSET_CHUNKS 64 /* offsets below 65536, in chunks made as needed */
#define SHARED_OFFSETS (SHARED_OFFSET_CHUNK * SHARED_OFFSET_CHUNKS)
#define SHARED_DIGITS 1000
#define SHARED_CODES 128

typedef struct {
    PyObject **offsets[SHARED_OFFSET_CHUNKS]; /* PyMem_Calloc'd chunks */
    PyObject *digits[SHARED_DIGITS];
    PyObject *paths[GD_NTABLES][GD_MAX_ROWS][GD_MAX_COLS + 1]; /* [col + 1] */
    PyObject *codes[SHARED_CODES]; /* finding codes, by a hash of their text */
} shared_values;

typedef struct {
    PyObject *ParseError; /* subclass of ValueError */
    PyObject *Decimal;    /* decimal.Decimal */
    PyObject *keys[K_COUNT_];
    PyObject *kinds[NKINDS];
    PyObject *severities[NSEVERITIES];
    PyObject *templates[NTEMPLATES];
    PyObject *tpl_2019, *tpl_2021; /* "2019", "2021" for template() */
    PyObject *each_column, *each_row;
    PyObject *table_ids[GD_NTABLES];
    /* A dotted row id "withheld.state_secret" nests: group "withheld" (NULL
     * for an undotted id) holding leaf "state_secret". */
    PyObject *row_group[GD_NTABLES][GD_MAX_ROWS];
    PyObject *row_leaf[GD_NTABLES][GD_MAX_ROWS];
    PyObject *col_ids[GD_NTABLES][GD_MAX_ROWS][GD_MAX_COLS];
    PyObject *date; /* datetime.date, for Report.published */
    model_layout model;
    shared_values shared;
} core_state;

static inline core_state *get_state(PyObject *module)
{
    return (core_state *)PyModule_GetState(module);
}

/* ---- The fields of the model classes ------------------------------------ */

/* The fields of the fixed classes, in the order of their dataclass: model.c
 * checks them by these names (its *_fields), objects.c fills them. */
enum { CELL_VALUE, CELL_KIND, CELL_RAW, CELL_NOTE, CELL_SPAN, CELL_N };
enum { FI_CODE, FI_SEVERITY, FI_TABLE, FI_CELL, FI_EXPECTED, FI_ACTUAL, FI_MESSAGE, FI_N };
enum { UN_TEXT, UN_SPAN, UN_TABLE, UN_N };
enum { EX_LABEL, EX_CELLS, EX_SPAN, EX_N };
enum {
    RE_SOURCE, RE_FORMAT, RE_ENCODING, RE_AGENCY, RE_YEAR, RE_PUBLISHED, RE_TEMPLATE,
    RE_LEVEL, RE_REGION, RE_ACTIVE, RE_REQUESTS, RE_REVIEWS, RE_FINDINGS, RE_UNPLACED,
    RE_TEXT, RE_STATISTICS, RE_METADATA_SPANS, RE_N
};

/* ---- Helpers (GIL held) ------------------------------------------------- */

static inline int set_item(PyObject *dict, PyObject *key, PyObject *value)
{
    /* Consumes value (even on failure); key is borrowed. */
    if (value == NULL)
        return -1;
    int rc = PyDict_SetItem(dict, key, value);
    Py_DECREF(value);
    return rc;
}

static inline PyObject *none_ref(void)
{
    Py_INCREF(Py_None);
    return Py_None;
}

/* values.c: the pieces of a report as Python values */
PyObject *bd_folded_text(const char *text, size_t len, gd_span span);
PyObject *bd_cell_value(core_state *st, int money, const gd_cell *cell);
PyObject *bd_cell_note(const char *text, size_t len, const gd_cell *cell);
int bd_check_cell_kind(const gd_cell *cell);
PyObject *bd_table_id_or_none(core_state *st, int table);
PyObject *bd_optional_int(int has, int64_t v);
PyObject *bd_finding_cell(const gd_finding *f);
PyObject *bd_severity_of(core_state *st, const gd_finding *f);
PyObject *bd_finding_message(const gd_finding *f);
int bd_published_valid(const gd_report *rep);
PyObject *bd_metadata_spans(core_state *st, const gd_report *rep,
                            PyObject *(*make_span)(gd_span));
PyObject *bd_optional_str(const char *s);

/* ---- The input of a parse (input.c) -------------------------------------- */

/* The input of a parse, pinned for as long as the core reads it: a str (its
 * UTF-8 form: its own data when ASCII, else encoded by bd_run_core without the
 * GIL), a read-only buffer, or a private copy of a writable one. */
typedef struct {
    PyObject *str;
    Py_buffer view;
    int have_view;
    char *copy;       /* PyMem_RawMalloc: a writable buffer's copy, or a str's UTF-8 */
    const char *data; /* NULL until a non-ASCII str is encoded */
    size_t len;
    int kind;         /* a non-ASCII str: its kind, code points and their count */
    const void *ucs;
    size_t nchars;
    int gb18030;      /* bytes in GB18030: bd_run_core decodes them to UTF-8 first */
} pinned_input;

int bd_pin_input(core_state *st, PyObject *obj, pinned_input *in);
void bd_unpin_input(pinned_input *in);
gd_report *bd_run_core(core_state *st, pinned_input *in, int strict, int format);

/* decode.c: GB18030 with the GIL released */
/* (no GIL) The pinned bytes -> UTF-8 in a buffer of the input's own (in->copy,
 * in->data, in->len); gd_gb18030_to_utf8's flags.  0, -1 when out of memory,
 * 1 when a sequence does not decode (*bad: where; the input is unchanged). */
int bd_gb18030_pinned(pinned_input *in, unsigned flags, size_t *bad);
/* Raise ParseError(msg) with its offset set; consumes msg (NULL: an error is
 * set already).  Returns -1. */
int bd_raise_at(core_state *st, size_t offset, PyObject *msg);
int bd_raise_gb18030(core_state *st, size_t offset);
/* A str of valid UTF-8 (what the core decoded), its units written with the
 * GIL released. */
PyObject *bd_str_from_utf8(const char *s, size_t len);
extern const char bd_decode_gb18030_doc[];
/* readers.c */
extern const char bd_doc_text_doc[];
PyObject *bd_doc_text(PyObject *module, PyObject *arg);
PyObject *bd_decode_gb18030(PyObject *module, PyObject *args, PyObject *kwargs);

/* bd_run_core in its two halves, for a batch that releases the GIL once for
 * many inputs: bd_core_nogil without the GIL, then bd_core_finish with it
 * (the report, or NULL with an exception set; it owns run->rep then). */
typedef struct {
    gd_report *rep;
    gd_status status;
    size_t err_offset;
    int enc; /* 0, or why a str could not be encoded without the GIL */
} core_run;

void bd_core_nogil(pinned_input *in, int strict, int format, core_run *run);
gd_report *bd_core_finish(core_state *st, pinned_input *in, int strict, int format,
                          core_run *run);

/* ---- The results ---------------------------------------------------------- */

/* dicts.c: parse()'s dict */
PyObject *bd_build_report(core_state *st, const gd_report *rep);

/* model.c: _set_model() */
extern const char bd_set_model_doc[];
PyObject *bd_set_model(PyObject *module, PyObject *args);

/* objects.c: parse_report()'s Report; x is what parse_report() sets besides
 * the core's report. */
typedef struct {
    PyObject *source, *format, *encoding, *text, *findings;
} report_extras;

PyObject *bd_make_report(core_state *st, const gd_report *rep, const report_extras *x);
/* Release st->shared (the module's clear). */
void bd_forget_shared(core_state *st);

/* _core.c: parse_report()'s arguments, read from args and kwargs (kwargs may
 * be NULL).  The objects are borrowed from args, but for call->empty, an
 * owned empty tuple (findings' default) that bd_report_call_done releases. */
typedef struct {
    PyObject *data;
    int strict, format;
    report_extras x;
    PyObject *empty;
    int gb18030; /* charset="gb18030": the core decodes data first */
} report_call;

int bd_report_call(core_state *st, PyObject *args, PyObject *kwargs, report_call *call);
void bd_report_call_done(report_call *call);
/* The call's input pinned (bd_pin_input), marked for GB18030 decoding when
 * the call says so.  0, or -1 with an exception set. */
int bd_pin_call(core_state *st, const report_call *call, pinned_input *in);
/* The Report of a call whose core run gave rep; a GB18030 call's decoded text
 * (in, after the run) becomes its text when none was given. */
PyObject *bd_call_report(core_state *st, const report_call *call, const pinned_input *in,
                         const gd_report *rep);

/* batch.c: parse_reports(), many parse_report() calls in one GIL release */
extern const char bd_parse_reports_doc[];
PyObject *bd_parse_reports(PyObject *module, PyObject *calls);
extern const char bd_run_cores_doc[];
PyObject *bd_run_cores(PyObject *module, PyObject *calls);
extern const char bd_build_reports_doc[];
PyObject *bd_build_reports(PyObject *module, PyObject *capsule);

/* definitions.c: template() and identities() */
extern const char bd_template_doc[];
extern const char bd_identities_doc[];
PyObject *bd_template(PyObject *module, PyObject *Py_UNUSED(ignored));
PyObject *bd_identities(PyObject *module, PyObject *Py_UNUSED(ignored));

#endif /* GD_BINDING_H */
