/*
 * utf8_wide.h -- the code units of a Python str from valid UTF-8, without the
 * GIL: the reverse of wide_utf8.h, for the text the core decoded (a GB18030
 * page's Report.text).
 *
 * PyUnicode_DecodeUTF8() needs the GIL and, for a 300 KB page of markup and
 * Chinese, a few hundred microseconds.  The binding measures the UTF-8 (its
 * code points and the narrowest kind that holds them, which a str must have),
 * makes the str with the GIL, and fills its units with the GIL released
 * (nothing else holds the new str yet).
 *
 * values.c uses the checked measure for the short strings of a report (cell
 * text, notes, messages): measured once and written at the final width, where
 * PyUnicode_DecodeUTF8 starts narrow and copies as it widens.
 *
 * Plain C: no Python.h, so it is tested like the core (tests/c).
 */
#ifndef GD_UTF8_WIDE_H
#define GD_UTF8_WIDE_H

#include <stddef.h>

/* The code points of valid UTF-8 s[0, len), and in *kind the narrowest width
 * that holds them all: 0 (all ASCII), 1 (below U+0100), 2 (below U+10000) or
 * 4. */
size_t gd_utf8_measure(const char *s, size_t len, int *kind);

/* The same for UTF-8 from anywhere: 0 when s[0, len) is well-formed as
 * PyUnicode_DecodeUTF8 reads it strictly (no overlong form, no surrogate,
 * nothing beyond U+10FFFF), with its code points in *count and the kind in
 * *kind; -1 otherwise, and the caller decodes it the slow way. */
int gd_utf8_measure_checked(const char *s, size_t len, size_t *count, int *kind);

/* Write the code points of valid UTF-8 s[0, len) as units of width kind (1, 2
 * or 4; 0 is 1) into out, which has room for all of them. */
void gd_utf8_to_wide(const char *s, size_t len, int kind, void *out);

#endif
