/*
 * columns.h -- what the files of read_reports' columns share (private to the
 * binding): columns.c (the columns object: storage, and the calls that
 * create, append, and hand the columns over), column_rows.c (a core report's
 * rows, written without the GIL), columns_fill.c (columns_fill: the core run
 * on a batch, and its file lane) and plain_file.c (a plain text file read
 * without the GIL).
 *
 * Include after Python.h and binding.h.
 */
#ifndef GD_COLUMNS_H
#define GD_COLUMNS_H

#include <stdint.h>
#include <string.h>

/* ---- Growable buffers (PyMem_Raw*: grown with the GIL released) ---------- */

typedef struct {
    char *p;
    size_t len, cap;
} gbuf;

static inline int gbuf_room(gbuf *b, size_t more)
{
    if (b->cap - b->len >= more)
        return 0;
    if (more > SIZE_MAX / 4 - b->len)
        return -1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more)
        cap *= 2;
    char *p = PyMem_RawRealloc(b->p, cap);
    if (p == NULL)
        return -1;
    b->p = p;
    b->cap = cap;
    return 0;
}

static inline int gbuf_put(gbuf *b, const void *src, size_t n)
{
    if (n == 0)
        return 0;
    if (gbuf_room(b, n) < 0)
        return -1;
    memcpy(b->p + b->len, src, n);
    b->len += n;
    return 0;
}

/* The buffers hold this process's own values, in its own byte order: numpy
 * reads them in place (frombuffer), as the machine wrote them. */
static inline int gbuf_i64(gbuf *b, int64_t v)
{
    return gbuf_put(b, &v, sizeof v);
}

static inline int gbuf_u8(gbuf *b, unsigned char v)
{
    return gbuf_put(b, &v, 1);
}

static inline int64_t gbuf_i64_at(const gbuf *b, size_t i)
{
    int64_t v;
    memcpy(&v, b->p + i * sizeof v, sizeof v);
    return v;
}

static inline void gbuf_free(gbuf *b)
{
    PyMem_RawFree(b->p);
    memset(b, 0, sizeof *b);
}

/* ---- Columns ---------------------------------------------------------------- */

/* How a column is stored (and which pandas array frames makes of it). */
enum { CK_STR, CK_INT, CK_INTN, CK_TIME, CK_DEC };

/* What fills a column. */
enum {
    F_SOURCE, F_AGENCY, F_YEAR, F_PUBLISHED, F_DATED, F_DEADLINE, F_DAYS_LATE, F_TEMPLATE,
    F_FORMAT, F_N_ERRORS, F_N_WARNINGS,
    F_TABLE, F_ROW, F_COLUMN, F_LABEL, F_VALUE, F_KIND, F_RAW, F_NOTE, F_SPAN_START,
    F_SPAN_END,
    F_CELL /* wide: one cell of the templates */
};

enum { WIDE = 1, LONG = 2 };

/* A row's byte in a column's m buffer. */
enum { PRESENT = 0, MISSING = 1, OBJECT = 2 /* a Python object, in objs */ };
#define NAT INT64_MIN /* datetime64's missing value */

typedef struct {
    int field, kind;
    int t, r, c; /* F_CELL */
    gbuf v;      /* int64 per row; CK_STR: the end of each row's bytes, after a 0 */
    gbuf m;      /* CK_STR, CK_INTN, CK_DEC: a byte per row (PRESENT, MISSING, OBJECT) */
    gbuf s;      /* CK_STR: the UTF-8 bytes; CK_DEC: each row's scale, a byte */
    PyObject *objs; /* CK_DEC: {row: object} for rows Python gave; NULL when none */
} column;

/* The rows of one item of columns_fill, pending until they are written. */
typedef struct {
    size_t start, count;
    int pending;
} item_rows;

/* The file lane's rules (plain_file.c): the magic numbers of files that are
 * no plain text, as _formats knows them. */
#define MAX_MAGIC 64
#define MAGIC_BYTES 16
typedef struct {
    int enabled;
    int nmagic;
    size_t magic_len[MAX_MAGIC];
    unsigned char magic[MAX_MAGIC][MAGIC_BYTES];
} plain_rules;

typedef struct {
    int shape, ncols;
    int busy;  /* filling with the GIL released: no other call may touch it */
    int taken; /* columns_take emptied it */
    column *cols;
    size_t nrows;
    item_rows *items;
    size_t nitems;
    plain_rules rules;
} columns;

/* columns.c: the columns object of a capsule, ready for a call (NULL with an
 * exception set); back to n rows (no GIL needed); the objects of rows n and
 * later forgotten (GIL held). */
columns *bd_get_columns(PyObject *capsule);
void bd_truncate_rows(columns *cs, size_t n);
void bd_drop_objects(columns *cs, size_t n);

/* ---- Rows (column_rows.c; no GIL) ---------------------------------------------- */

/* Returned for something of the core's report that the Report path refuses
 * (a span outside the text, a cell kind or scale it does not know, text
 * that is not UTF-8): the input goes to that path, which raises what it
 * raises.  -1 is out of memory. */
#define BAD (-2)
/* The most digits after the point a Decimal is made with (values.c). */
#define MAX_SCALE 64

/* What a row takes besides the core's report: the item's source, the call's
 * format, and the findings Python adds to the call, by severity. */
typedef struct {
    const char *src, *fmt; /* UTF-8, or NULL: missing */
    Py_ssize_t src_len, fmt_len;
    int64_t errors, warnings;
} row_meta;

int bd_put_str(column *col, const char *s, size_t n);
int bd_put_missing(column *col);
int bd_put_int(column *col, int64_t v); /* CK_INT, CK_INTN, CK_TIME */
/* The rows of item i from the core's report: 0, -1 or BAD; on failure
 * nothing of the item stays. */
int bd_fill_item(columns *cs, size_t i, const gd_report *rep, const row_meta *mt);

/* ---- The file lane (plain_file.c; no GIL) ---------------------------------------- */

/* Is data plainly UTF-8 text by rules, which _formats sends to the core as
 * it is?  (Or bytes in no UTF-8, which the core refuses.) */
int bd_plain_text(const char *data, size_t n, const plain_rules *rules);
/* 1 and the file's bytes (PyMem_RawMalloc'd) when it is plain text; 0 when
 * it is not, or cannot be read: Python reads it then. */
int bd_read_plain_file(const char *path, const plain_rules *rules, char **data, size_t *len);

#endif /* GD_COLUMNS_H */
