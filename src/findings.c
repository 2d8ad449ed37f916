/*
 * findings.c -- what every stage adds to the report: findings (with their
 * messages), unplaced numbers, extra rows, and the cell paths that name them.
 */
#include "internal.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- Messages: the few printf conversions findings use ---- */

/* Appends n bytes to buf[0, size) at *at, as snprintf would: what does not
 * fit (with the NUL) is dropped but still counted. */
static void fmt_put(char *buf, size_t size, size_t *at, const char *s, size_t n)
{
    if (*at < size) {
        size_t room = size - 1 - *at; /* size > *at: room for the NUL is kept */
        memcpy(buf + *at, s, n < room ? n : room);
    }
    *at += n;
}

/* Decimal of v (any int64 or uint64, negative as sign and magnitude). */
static void fmt_int(char *buf, size_t size, size_t *at, int neg, uint64_t mag)
{
    char d[24];
    size_t i = sizeof d;
    do {
        d[--i] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag);
    if (neg)
        d[--i] = '-';
    fmt_put(buf, size, at, d + i, sizeof d - i);
}

static void fmt_signed(char *buf, size_t size, size_t *at, long long v)
{
    /* The magnitude in unsigned arithmetic: -LLONG_MIN overflows a long long. */
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    fmt_int(buf, size, at, v < 0, mag);
}

int gd_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    size_t at = 0;
    const char *p = fmt;
    for (;;) {
        const char *q = strchr(p, '%');
        if (!q) {
            fmt_put(buf, size, &at, p, strlen(p));
            break;
        }
        fmt_put(buf, size, &at, p, (size_t)(q - p));
        q++;
        if (*q == '%') {
            fmt_put(buf, size, &at, "%", 1);
            p = q + 1;
        } else if (*q == 's') {
            const char *s = va_arg(ap, const char *);
            if (!s)
                return -1; /* "(null)" is glibc's: leave it to vsnprintf */
            fmt_put(buf, size, &at, s, strlen(s));
            p = q + 1;
        } else if (q[0] == '.' && q[1] == '*' && q[2] == 's') {
            int prec = va_arg(ap, int);
            const char *s = va_arg(ap, const char *);
            if (!s)
                return -1;
            size_t n = 0;
            if (prec < 0) {
                n = strlen(s);
            } else {
                const char *e = memchr(s, '\0', (size_t)prec);
                n = e ? (size_t)(e - s) : (size_t)prec;
            }
            fmt_put(buf, size, &at, s, n);
            p = q + 3;
        } else if (*q == 'd') {
            fmt_signed(buf, size, &at, va_arg(ap, int));
            p = q + 1;
        } else if (q[0] == 'z' && q[1] == 'u') {
            fmt_int(buf, size, &at, 0, (uint64_t)va_arg(ap, size_t));
            p = q + 2;
        } else if (q[0] == 'l' && q[1] == 'd') {
            fmt_signed(buf, size, &at, va_arg(ap, long));
            p = q + 2;
        } else if (q[0] == 'l' && q[1] == 'l' && q[2] == 'd') {
            fmt_signed(buf, size, &at, va_arg(ap, long long));
            p = q + 3;
        } else {
            return -1; /* flags, widths, other conversions: not ours */
        }
    }
    if (size)
        buf[at < size ? at : size - 1] = '\0';
    return at > (size_t)INT_MAX ? -1 : (int)at;
}

/* ---- Findings and unplaced numbers ---- */

int gd_add_finding(gd_ctx *c, const char *code, gd_severity sev, int table, int row, int col,
                   const int64_t *expected, const int64_t *actual, gd_span span, const char *fmt,
                   ...)
{
    gd_report *r = c->rep;
    if (c->oom)
        return -1;
    if (gd_grow(c, (void **)&r->findings, &r->priv->cap_findings, r->nfindings + 1,
             sizeof *r->findings))
        return -1;

    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = gd_vformat(small, sizeof small, fmt, ap);
    va_end(ap);
    int own = n >= 0; /* gd_vformat read the format; else vsnprintf does */
    if (!own) {
        va_start(ap, fmt);
        n = vsnprintf(small, sizeof small, fmt, ap);
        va_end(ap);
    }
    if (n < 0)
        n = 0;
    char *msg = gd_malloc(c, (size_t)n + 1);
    if (!msg)
        return -1;
    if ((size_t)n < sizeof small) {
        memcpy(msg, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        if (own)
            gd_vformat(msg, (size_t)n + 1, fmt, ap);
        else
            vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }

    gd_finding *f = &r->findings[r->nfindings++];
    memset(f, 0, sizeof *f);
    f->code = code;
    f->severity = sev;
    f->table = table;
    f->row = row;
    f->col = col;
    if (expected) {
        f->has_expected = 1;
        f->expected = *expected;
    }
    if (actual) {
        f->has_actual = 1;
        f->actual = *actual;
    }
    f->span = span;
    f->message = msg;
    return 0;
}

int gd_add_unplaced(gd_ctx *c, int table, gd_span span)
{
    gd_report *r = c->rep;
    if (c->oom)
        return -1;
    if (gd_grow(c, (void **)&r->unplaced, &r->priv->cap_unplaced, r->nunplaced + 1,
             sizeof *r->unplaced))
        return -1;
    r->unplaced[r->nunplaced].table = table;
    r->unplaced[r->nunplaced].raw = span;
    r->unplaced[r->nunplaced].span = span; /* mapped to the input at the end */
    r->nunplaced++;
    return 0;
}

gd_extra *gd_add_extra(gd_ctx *c, int table, gd_span label)
{
    gd_report *r = c->rep;
    if (c->oom || gd_grow(c, (void **)&r->extras, &r->priv->cap_extras, r->nextras + 1,
                       sizeof *r->extras))
        return NULL;
    gd_extra *x = &r->extras[r->nextras++];
    memset(x, 0, sizeof *x);
    x->table = table;
    x->label = x->label_span = label;
    return x;
}


/* ---- Paths ---- */

size_t gd_cell_path(int table, int row, int col, char *buf, size_t size)
{
    const gd_tabledef *t = gd_table_def((gd_table_id)table);
    size_t at = 0; /* snprintf's result: the whole path, cut to fit buf */
    if (t) {
        fmt_put(buf, size, &at, t->id, strlen(t->id));
        if (row >= 0 && (unsigned)row < t->nrows) {
            const char *r = t->rows[row].id;
            fmt_put(buf, size, &at, ".", 1);
            fmt_put(buf, size, &at, r, strlen(r));
            if (col >= 0 && (unsigned)col < t->rows[row].ncols) {
                const char *k = t->rows[row].cols[col].id;
                fmt_put(buf, size, &at, ".", 1);
                fmt_put(buf, size, &at, k, strlen(k));
            }
        }
    }
    if (size)
        buf[at < size ? at : size - 1] = '\0';
    return at;
}

