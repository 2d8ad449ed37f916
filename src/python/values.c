/*
 * values.c -- the Python values of the pieces of a core report (GIL held), shared
 * by the dicts of parse() (dicts.c) and the Report objects of parse_report()
 * (objects.c): a cell's text, value and note, a finding's parts, the
 * publication date's check, an optional str or int.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdio.h>
#include <string.h>

#include "binding.h"
#include "utf8_wide.h"

/* Is code point cp white space in the sense of Python's str.isspace()? */
static int is_space_cp(unsigned long cp)
{
    if (cp < 0x80)
        return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Length of the UTF-8 sequence at s[i] (the input is valid UTF-8; a short or
 * odd byte counts as one) and its code point. */
static size_t utf8_next(const unsigned char *s, size_t len, size_t i, unsigned long *cp)
{
    unsigned char b = s[i];
    size_t n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3
             : (b & 0xF8) == 0xF0 ? 4 : 1;
    if (i + n > len)
        n = 1;
    if (n == 1) {
        *cp = b;
        return 1;
    }
    unsigned long v = b & (0x7F >> n);
    for (size_t k = 1; k < n; k++)
        v = (v << 6) | (s[i + k] & 0x3F);
    *cp = v;
    return n;
}

/* s[0, n) as a str, or NULL with an exception.  Well-formed UTF-8 is decoded
 * here: measured first, then written once into a str of its final width
 * (PyUnicode_DecodeUTF8 starts narrow and widens, copying, at the first wider
 * character: most of its cost on a report's short Chinese texts).  Anything
 * else goes to PyUnicode_DecodeUTF8 with errors, for its exact behaviour. */
static PyObject *utf8_str(const char *text, size_t n, const char *errors)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t count;
    int kind;
    if (n > (size_t)PY_SSIZE_T_MAX || gd_utf8_measure_checked(text, n, &count, &kind) < 0)
        return PyUnicode_DecodeUTF8(text, (Py_ssize_t)n, errors);
    if (count == 1 && kind <= 1) /* the shared str of one Latin-1 character */
        return PyUnicode_FromOrdinal(n == 1 ? s[0] : ((s[0] & 0x1F) << 6) | (s[1] & 0x3F));
    static const Py_UCS4 widest[] = {0x7F, 0xFF, 0xFFFF, 0, 0x10FFFF};
    PyObject *u = PyUnicode_New((Py_ssize_t)count, count == 0 ? 0 : widest[kind]);
    if (u == NULL)
        return NULL;
    if (kind == 0)
        memcpy(PyUnicode_DATA(u), s, n);
    else
        gd_utf8_to_wide(text, n, kind, PyUnicode_DATA(u));
    return u;
}

/* The text of s[start, end) as a str, every run of white space folded to one
 * ASCII space and both ends stripped (what " ".join(x.split()) gives).
 * The span is checked against the input: a span outside it is a core bug
 * and raises SystemError rather than reading out of bounds. */
PyObject *bd_folded_text(const char *text, size_t len, gd_span span)
{
    if (span.start > span.end || span.end > len) {
        PyErr_Format(PyExc_SystemError,
                     "govdisclose core returned the span [%zu, %zu) outside an input of %zu bytes",
                     span.start, span.end, len);
        return NULL;
    }
    const unsigned char *s = (const unsigned char *)text + span.start;
    size_t n = span.end - span.start;

    /* Fast path: nothing to fold (no space at either end, only single ASCII
     * spaces inside). */
    int clean = 1, prev_space = 1;
    for (size_t i = 0; i < n && clean;) {
        unsigned long cp;
        i += utf8_next(s, n, i, &cp);
        if (is_space_cp(cp)) {
            if (cp != ' ' || prev_space)
                clean = 0;
            prev_space = 1;
        } else {
            prev_space = 0;
        }
    }
    if (n > 0 && prev_space)
        clean = 0;
    if (clean)
        return utf8_str((const char *)s, n, NULL);

    char small[256];
    char *buf = n <= sizeof small ? small : PyMem_Malloc(n);
    if (buf == NULL)
        return PyErr_NoMemory();
    size_t o = 0;
    int pending_space = 0;
    for (size_t i = 0; i < n;) {
        unsigned long cp;
        size_t k = utf8_next(s, n, i, &cp);
        if (is_space_cp(cp)) {
            pending_space = o > 0;
        } else {
            if (pending_space)
                buf[o++] = ' ';
            pending_space = 0;
            memcpy(buf + o, s + i, k);
            o += k;
        }
        i += k;
    }
    PyObject *res = utf8_str(buf, o, NULL);
    if (buf != small)
        PyMem_Free(buf);
    return res;
}

/* The exact decimal units * 10^-scale as decimal.Decimal, trailing zeros kept:
 * (22167, 2) -> Decimal("221.67"), (900, 2) -> Decimal("9.00"). */
static PyObject *make_decimal(core_state *st, int64_t units, int scale)
{
    /* 20 digits of an int64, up to 64 leading zeros, sign, point, NUL. */
    enum { MAX_SCALE = 64 };
    char digits[24], out[24 + MAX_SCALE + 4];
    if (scale < 0 || scale > MAX_SCALE) {
        PyErr_Format(PyExc_SystemError, "govdisclose core returned a number with scale %d",
                     scale);
        return NULL;
    }
    uint64_t mag = units < 0 ? (uint64_t)0 - (uint64_t)units : (uint64_t)units;
    int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)mag);
    if (nd <= 0)
        nd = 0;
    char *p = out;
    if (units < 0)
        *p++ = '-';
    if (nd <= scale) { /* 0.0ddd */
        *p++ = '0';
        *p++ = '.';
        for (int i = 0; i < scale - nd; i++)
            *p++ = '0';
        memcpy(p, digits, (size_t)nd);
        p += nd;
    } else {
        memcpy(p, digits, (size_t)(nd - scale));
        p += nd - scale;
        if (scale > 0) {
            *p++ = '.';
            memcpy(p, digits + nd - scale, (size_t)scale);
            p += scale;
        }
    }
    *p = '\0';

    PyObject *str = NULL, *res = NULL;
    str = PyUnicode_FromStringAndSize(out, p - out);
    if (str == NULL)
        goto error;
    res = PyObject_CallOneArg(st->Decimal, str);
error:
    Py_XDECREF(str);
    return res;
}

/* A number cell's value: Decimal for a money column or a decimal point, else
 * int; None for any other kind.  Shared by the dicts and the Report objects. */
PyObject *bd_cell_value(core_state *st, int money, const gd_cell *cell)
{
    if (cell->kind != GD_CELL_NUMBER)
        return none_ref();
    if (money || cell->scale > 0)
        return make_decimal(st, cell->units, cell->scale);
    if (cell->scale < 0) {
        PyErr_Format(PyExc_SystemError, "govdisclose core returned a number with scale %d",
                     cell->scale);
        return NULL;
    }
    return PyLong_FromLongLong((long long)cell->units);
}

/* A cell's note as str, or None when it has none (or only white space). */
PyObject *bd_cell_note(const char *text, size_t len, const gd_cell *cell)
{
    if (cell->note.start == cell->note.end)
        return none_ref();
    PyObject *note = bd_folded_text(text, len, cell->note);
    if (note != NULL && PyUnicode_GET_LENGTH(note) == 0) {
        Py_DECREF(note);
        return none_ref();
    }
    return note;
}

/* SystemError for a cell kind the binding does not know; 0 when known. */
int bd_check_cell_kind(const gd_cell *cell)
{
    if ((unsigned)cell->kind < NKINDS)
        return 0;
    PyErr_Format(PyExc_SystemError, "govdisclose core returned cell kind %d", (int)cell->kind);
    return -1;
}

PyObject *bd_table_id_or_none(core_state *st, int table)
{
    if (table < 0 || table >= GD_NTABLES)
        return none_ref();
    Py_INCREF(st->table_ids[table]);
    return st->table_ids[table];
}

PyObject *bd_optional_int(int has, int64_t v)
{
    return has ? PyLong_FromLongLong((long long)v) : none_ref();
}

/* The path of the cell a finding names (a row path when col < 0), or None. */
PyObject *bd_finding_cell(const gd_finding *f)
{
    char small[128];
    if (f->table < 0 || f->table >= GD_NTABLES || f->row < 0)
        return none_ref();
    size_t need = gd_cell_path(f->table, f->row, f->col, small, sizeof small);
    if (need < sizeof small)
        return PyUnicode_DecodeUTF8(small, (Py_ssize_t)need, NULL);
    char *buf = PyMem_Malloc(need + 1);
    if (buf == NULL)
        return PyErr_NoMemory();
    gd_cell_path(f->table, f->row, f->col, buf, need + 1);
    PyObject *cell = PyUnicode_DecodeUTF8(buf, (Py_ssize_t)need, NULL);
    PyMem_Free(buf);
    return cell;
}

/* A finding's severity: one of the interned names (an unknown one is an error). */
PyObject *bd_severity_of(core_state *st, const gd_finding *f)
{
    PyObject *s = st->severities[(unsigned)f->severity < NSEVERITIES ? f->severity : GD_ERROR];
    Py_INCREF(s);
    return s;
}

/* A finding's message.  A message is prose for people: a bad byte in it (a
 * core bug) shows as U+FFFD rather than failing the whole parse.  Cell text
 * stays strict. */
PyObject *bd_finding_message(const gd_finding *f)
{
    const char *msg = f->message ? f->message : "";
    return utf8_str(msg, strlen(msg), "replace");
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* Is the date (published, dated, deadline) known and a calendar date? */
int bd_date_valid(int y, int m, int d)
{
    return !(y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m));
}

/* {"agency": span | None, "year": …, "published": …, "dated": …}: where each was read,
 * each span made by make_span (a list for the dicts, a tuple for the objects). */
PyObject *bd_metadata_spans(core_state *st, const gd_report *rep,
                            PyObject *(*make_span)(gd_span))
{
    PyObject *d = PyDict_New();
    if (d == NULL)
        return NULL;
    const int keys[4] = {K_AGENCY, K_YEAR, K_PUBLISHED, K_DATED};
    const int known[4] = {rep->agency != NULL, rep->year != 0 && rep->year_span.end > 0,
                          rep->pub_year != 0, rep->dated_year != 0};
    const gd_span spans[4] = {rep->agency_span, rep->year_span, rep->published_span,
                              rep->dated_span};
    for (int k = 0; k < 4; k++)
        if (set_item(d, st->keys[keys[k]], known[k] ? make_span(spans[k]) : none_ref()) < 0) {
            Py_DECREF(d);
            return NULL;
        }
    return d;
}

/* A NUL-terminated UTF-8 string of the report as str, or None for NULL. */
PyObject *bd_optional_str(const char *s)
{
    if (s == NULL)
        return none_ref();
    return utf8_str(s, strlen(s), NULL);
}
