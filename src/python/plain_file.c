/*
 * plain_file.c -- a report file read without the GIL when it is plainly UTF-8
 * text (or bytes the core will refuse as not UTF-8), for read_reports' file
 * lane (columns_fill.c).
 *
 * Python finds a file's format and encoding by content (_formats.sniff and
 * decode): a few microseconds of work under the GIL per file, which two
 * threads then queue for.  Most report files are text files that every rule
 * there sends the same way: to the core as they are, as UTF-8 text.  This
 * file takes only those, by rules stricter than _formats' (so that _formats
 * never sees them otherwise): no PDF header in the first KB, none of the
 * magic numbers _formats names (given by frames, from _formats itself), no
 * byte order mark, and in the first PLAIN_HEAD bytes no NUL byte (no UTF-16)
 * and no '<' before a letter, '!', '?' or '/' (no tag of HTML or XML; a
 * Chinese text may write <...> for 《...》).  Everything else -- HTML, DOCX, PDF, a byte
 * order mark, an empty file, a file that cannot be read -- is declined and
 * planned in Python as before.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdio.h>
#include <string.h>

#include "binding.h"
#include "columns.h"

/* _formats looks for markup in the first 4 KB after white space, and for
 * NUL bytes (UTF-16) in the first 4 KB: twice that is looked at here. */
#define PLAIN_HEAD 8192
/* _formats: a PDF header may follow a little junk, within the first KB. */
#define PDF_WITHIN 1024
/* The first read; a larger file is read on in doubling steps. */
#define FIRST_READ 65536

static int has_pdf_header(const unsigned char *d, size_t n)
{
    size_t end = n < PDF_WITHIN ? n : PDF_WITHIN;
    for (size_t i = 0; i + 5 <= end; i++)
        if (d[i] == '%' && memcmp(d + i, "%PDF-", 5) == 0)
            return 1;
    return 0;
}

/* A '<' that may open a tag: before an ASCII letter, '!', '?' or '/'. */
static int has_tag_start(const unsigned char *d, size_t n)
{
    const unsigned char *p = d, *end = d + n;
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        if (++p == end)
            return 1; /* cut off: cannot tell */
        unsigned char c = *p | 0x20; /* ASCII lower case */
        if ((c >= 'a' && c <= 'z') || *p == '!' || *p == '?' || *p == '/')
            return 1;
    }
    return 0;
}

int bd_plain_text(const char *data, size_t n, const plain_rules *rules)
{
    const unsigned char *d = (const unsigned char *)data;
    if (n == 0 || has_pdf_header(d, n))
        return 0;
    for (int i = 0; i < rules->nmagic; i++)
        if (n >= rules->magic_len[i] && memcmp(d, rules->magic[i], rules->magic_len[i]) == 0)
            return 0;
    /* byte order marks: UTF-8, UTF-16 and UTF-32 (LE starts as UTF-16 LE), UTF-32 BE */
    if ((n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0) || (n >= 2 && d[0] == 0xFF && d[1] == 0xFE) ||
        (n >= 2 && d[0] == 0xFE && d[1] == 0xFF) || (n >= 4 && memcmp(d, "\0\0\xFE\xFF", 4) == 0))
        return 0;
    size_t head = n < PLAIN_HEAD ? n : PLAIN_HEAD;
    return memchr(d, 0, head) == NULL && !has_tag_start(d, head);
}

int bd_read_plain_file(const char *path, const plain_rules *rules, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    setvbuf(f, NULL, _IONBF, 0); /* read straight into our buffer */
    size_t cap = FIRST_READ, n = 0;
    char *buf = PyMem_RawMalloc(cap);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) /* the end (or an error: declined below) */
            break;
        if (cap > GD_MAX_INPUT) { /* too large: Python says so */
            n = 0;
            break;
        }
        char *more = PyMem_RawRealloc(buf, cap * 2);
        if (more == NULL) {
            n = 0;
            break;
        }
        buf = more;
        cap *= 2;
    }
    int failed = ferror(f);
    fclose(f);
    if (buf == NULL || failed || n > GD_MAX_INPUT || !bd_plain_text(buf, n, rules)) {
        PyMem_RawFree(buf);
        return 0;
    }
    *data = buf;
    *len = n;
    return 1;
}
