/*
 * test_utf8_wide.c -- the binding's UTF-8 -> str units (src/python/utf8_wide.c):
 * code points encoded by wide_utf8.c come back the same, with their count and
 * the narrowest kind that holds them, for every code point of every kind and
 * around the 8- and 16-byte steps.
 */
#include "test.h"

#include "../../src/python/utf8_wide.h"
#include "../../src/python/wide_utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* cps[0, n) as units of kind (1, 2, 4) -> UTF-8 -> back: the same, and want_kind. */
static int round_trip(const uint32_t *cps, size_t n, int kind, int want_kind)
{
    int ok = 1;
    size_t width = (size_t)kind;
    unsigned char *units = malloc(n * width + 1);
    char *utf8 = malloc(gd_wide_utf8_bound(kind, n) + 1);
    unsigned char *back = malloc(n * 4 + 1);
    if (!CHECK(units && utf8 && back))
        goto done;
    for (size_t i = 0; i < n; i++) {
        if (kind == 1)
            units[i] = (unsigned char)cps[i];
        else if (kind == 2) {
            uint16_t v = (uint16_t)cps[i];
            memcpy(units + 2 * i, &v, 2);
        } else
            memcpy(units + 4 * i, &cps[i], 4);
    }
    size_t bad;
    size_t len = gd_wide_to_utf8(units, kind, n, utf8, &bad);
    int got_kind = -1;
    ok &= CHECK_INT(bad, (size_t)-1);
    ok &= CHECK_INT(gd_utf8_measure(utf8, len, &got_kind), n);
    ok &= CHECK_INT(got_kind, want_kind);
    size_t checked_n = 0;
    int checked_kind = -1;
    ok &= CHECK_INT(gd_utf8_measure_checked(utf8, len, &checked_n, &checked_kind), 0);
    ok &= CHECK_INT(checked_n, n);
    ok &= CHECK_INT(checked_kind, want_kind);
    gd_utf8_to_wide(utf8, len, got_kind, back);
    ok &= CHECK(memcmp(back, units, n * width) == 0);
done:
    free(units);
    free(utf8);
    free(back);
    return ok;
}

static void test_every_code_point(void)
{
    uint32_t *cps = malloc(0x110000 * sizeof *cps);
    if (!CHECK(cps != NULL))
        return;
    size_t n = 0;
    for (uint32_t c = 0; c < 0x80; c++)
        cps[n++] = c;
    round_trip(cps, n, 1, 0);
    for (uint32_t c = 0x80; c < 0x100; c++)
        cps[n++] = c;
    round_trip(cps, n, 1, 1);
    for (uint32_t c = 0x100; c < 0x10000; c++)
        if (c < 0xD800 || c > 0xDFFF)
            cps[n++] = c;
    round_trip(cps, n, 2, 2);
    for (uint32_t c = 0x10000; c < 0x110000; c++)
        cps[n++] = c;
    round_trip(cps, n, 4, 4);
    /* one wide character among ASCII decides the kind */
    static const uint32_t one[] = {0xE9, 0x100, 0x7FF, 0x800, 0x4E2D, 0xFFFF, 0x10000, 0x10FFFF};
    static const int kinds[] = {1, 2, 2, 2, 2, 2, 4, 4};
    for (size_t k = 0; k < sizeof one / sizeof one[0]; k++)
        for (size_t at = 0; at < 40; at++) {
            for (size_t i = 0; i < 40; i++)
                cps[i] = 'a' + (uint32_t)(i % 26);
            cps[at] = one[k];
            t_context("U+%04lX at %zu", (unsigned long)one[k], at);
            if (!round_trip(cps, 40, kinds[k], kinds[k]))
                goto out;
        }
out:
    t_context("%s", "");
    free(cps);
}

static void test_empty(void)
{
    int kind = -1;
    CHECK_INT(gd_utf8_measure("", 0, &kind), 0);
    CHECK_INT(kind, 0);
}

/* The checked measure refuses what PyUnicode_DecodeUTF8 refuses strictly, at
 * every offset around the eight-byte ASCII steps, and takes the valid forms at
 * the edges of each length. */
static void test_checked_refuses_malformed(void)
{
    static const struct {
        const char *bytes;
        int valid;
    } forms[] = {
        {"\xC2\x80", 1},         {"\xDF\xBF", 1},         {"\xE0\xA0\x80", 1},
        {"\xED\x9F\xBF", 1},     {"\xEE\x80\x80", 1},     {"\xF0\x90\x80\x80", 1},
        {"\xF4\x8F\xBF\xBF", 1}, {"\x80", 0},             {"\xBF", 0},
        {"\xC0\x80", 0},         {"\xC1\xBF", 0},         {"\xC2", 0},
        {"\xC2\x41", 0},         {"\xE0\x80\x80", 0},     {"\xE0\x9F\xBF", 0},
        {"\xED\xA0\x80", 0},     {"\xED\xBF\xBF", 0},     {"\xE4\xB8", 0},
        {"\xF0\x80\x80\x80", 0}, {"\xF0\x8F\xBF\xBF", 0}, {"\xF4\x90\x80\x80", 0},
        {"\xF5\x80\x80\x80", 0}, {"\xFF", 0},             {"\xF0\x90\x80", 0},
    };
    char buf[64];
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        size_t flen = strlen(forms[f].bytes);
        for (size_t at = 0; at + flen + 3 <= sizeof buf; at++) {
            memset(buf, 'a', at);
            memcpy(buf + at, forms[f].bytes, flen);
            memcpy(buf + at + flen, "xyz", 3);
            size_t len = at + flen + 3, n = 0;
            int kind = -1;
            t_context("form %zu at %zu", f, at);
            int got = gd_utf8_measure_checked(buf, len, &n, &kind);
            if (!CHECK_INT(got, forms[f].valid ? 0 : -1))
                goto out;
            if (forms[f].valid) {
                int want_kind;
                CHECK_INT(n, gd_utf8_measure(buf, len, &want_kind));
                CHECK_INT(kind, want_kind);
            }
        }
    }
out:
    t_context("%s", "");
}

const test_case utf8_wide_tests[] = {
    {"utf8_wide_checked_refuses_malformed", test_checked_refuses_malformed},
    {"utf8_wide_every_code_point", test_every_code_point},
    {"utf8_wide_empty", test_empty},
    {NULL, NULL},
};
