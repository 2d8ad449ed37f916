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
 * Plain C: no Python.h, so it is tested like the core.
 */
#ifndef GD_WIDE_UTF8_H
#define GD_WIDE_UTF8_H

#include <stddef.h>

/* The UTF-8 size of n code units of width kind (1, 2 or 4 bytes each).
 * Returns 0 and sets *bad to the index of the first code point UTF-8 cannot
 * hold (a lone surrogate, or above U+10FFFF) when there is one; *bad is
 * (size_t)-1 otherwise.  (A size of 0 with *bad == (size_t)-1 is an empty str.) */
size_t gd_wide_utf8_size(const void *units, int kind, size_t n, size_t *bad);

/* Write the UTF-8 form of n code units of width kind into out, which holds the
 * size gd_wide_utf8_size() returned for them (and found no bad code point). */
void gd_wide_to_utf8(const void *units, int kind, size_t n, char *out);

#endif
