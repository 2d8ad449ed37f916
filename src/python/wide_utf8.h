/*
 * wide_utf8.h -- UTF-8 from the code units of a Python str, without the GIL.
 *
 * A Python str keeps its text as 1, 2 or 4 bytes per code point (PEP 393).
 * CPython's own UTF-8 encoder needs the GIL and caches its result in the str;
 * for a report that is tens of microseconds, for a 300 KB HTML page most of a
 * millisecond, all of it serial across threads.  These functions read the code
 * units of a str the caller keeps alive (a str never changes) and write UTF-8
 * into the caller's buffer, so the binding can encode with the GIL released.
 *
 * Plain C: no Python.h, so it is tested like the core (tests/c).
 */
#ifndef GD_WIDE_UTF8_H
#define GD_WIDE_UTF8_H

#include <stddef.h>

/* The most bytes n code units of width kind (1, 2 or 4) can take as UTF-8:
 * 2, 3 or 4 per unit.  The caller keeps n small enough not to overflow. */
size_t gd_wide_utf8_bound(int kind, size_t n);

/* Write the UTF-8 form of n code units of width kind into out, which has room
 * for gd_wide_utf8_bound(kind, n) bytes; returns the bytes written.  A code
 * point UTF-8 cannot hold (a lone surrogate, or one above U+10FFFF) stops it:
 * *bad is then its index, else (size_t)-1. */
size_t gd_wide_to_utf8(const void *units, int kind, size_t n, char *out, size_t *bad);

#endif
