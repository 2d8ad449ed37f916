/*
 * test_meta_scan.c -- meta.c's backward line scan (line_start, sixteen
 * bytes at a time with SSE2, else eight): the 落款 date is found on its own
 * line whatever the lengths of the lines around it, so that each '\n' falls
 * at every offset of a block (a decoy date under the title would be read
 * instead if the closing one were missed), and the first line of the text
 * (no '\n' before it) is read whole.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* n bytes of a line: ASCII and Chinese characters, no '\n', no date. */
static size_t pad(char *out, size_t n)
{
    static const char unit[] = "ab 说明"; /* 3 + 6 bytes */
    size_t o = 0;
    while (o < n) {
        size_t k = o % (sizeof unit - 1);
        if ((unsigned char)unit[k] >= 0x80 && n - o < 3) {
            out[o++] = 'x';
            continue;
        }
        size_t len = (unsigned char)unit[k] >= 0x80 ? 3 : 1;
        memcpy(out + o, unit + k, len);
        o += len;
    }
    return o;
}

static int date_at(const char *text, size_t len, size_t want_start)
{
    gd_report *rep = NULL;
    size_t bad = 0;
    if (!CHECK_INT(gd_parse(text, len, NULL, &rep, &bad), GD_OK))
        return 0;
    int ok = CHECK_INT(rep->pub_year, 2023) && CHECK_INT(rep->pub_month, 1) &&
             CHECK_INT(rep->pub_day, 20) && CHECK_INT(rep->published_span.start, want_start) &&
             CHECK_INT(rep->published_span.end, want_start + strlen("2023年1月20日"));
    gd_report_free(rep);
    return ok;
}

static void test_closing_date_any_line_lengths(void)
{
    static const char date[] = "2023年1月20日";
    char *buf = malloc(512);
    if (!CHECK(buf != NULL))
        return;
    for (size_t before = 0; before <= 70; before++) {
        for (size_t after = 0; after <= 40; after++) {
            t_context("before %zu after %zu", before, after);
            /* a decoy date under the title (read only when the closing date
             * is missed), a line of `before` bytes, the date line, a line of
             * `after` bytes */
            static const char head[] = "测试局2022年度报告\n2022年12月1日\n";
            size_t n = sizeof head - 1;
            memcpy(buf, head, n);
            n += pad(buf + n, before);
            buf[n++] = '\n';
            size_t at = n;
            memcpy(buf + n, date, sizeof date - 1);
            n += sizeof date - 1;
            buf[n++] = '\n';
            n += pad(buf + n, after);
            if (!date_at(buf, n, at))
                goto out;
            /* the date is the first line: no '\n' before it */
            n = 0;
            memcpy(buf, date, sizeof date - 1);
            n += sizeof date - 1;
            buf[n++] = '\n';
            n += pad(buf + n, before);
            buf[n++] = '\n';
            n += pad(buf + n, after);
            if (!date_at(buf, n, 0))
                goto out;
        }
    }
out:
    t_context("%s", "");
    free(buf);
}

const test_case meta_scan_tests[] = {
    {"closing_date_any_line_lengths", test_closing_date_any_line_lengths},
    {NULL, NULL},
};
