/*
 * test_meta_scan.c -- meta.c's backward line scan (line_start, sixteen
 * bytes at a time with SSE2, else eight): the 落款 date (dated) is found on its own
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

/* Is 2023-01-20 (want_len bytes at want_start) the report's published date
 * (published 1) or its dated one (published 0), and the other date unknown? */
static int date_at_as(const char *text, size_t len, size_t want_start, size_t want_len,
                      int published)
{
    gd_report *rep = NULL;
    size_t bad = 0;
    if (!CHECK_INT(gd_parse(text, len, NULL, &rep, &bad), GD_OK))
        return 0;
    int y = published ? rep->pub_year : rep->dated_year;
    int m = published ? rep->pub_month : rep->dated_month;
    int d = published ? rep->pub_day : rep->dated_day;
    gd_span sp = published ? rep->published_span : rep->dated_span;
    int other = published ? rep->dated_year : rep->pub_year;
    int ok = CHECK_INT(y, 2023) && CHECK_INT(m, 1) && CHECK_INT(d, 20) &&
             CHECK_INT(sp.start, want_start) &&
             CHECK_INT(sp.end, want_start + want_len) && CHECK_INT(other, 0);
    gd_report_free(rep);
    return ok;
}

static int date_at(const char *text, size_t len, size_t want_start)
{
    return date_at_as(text, len, want_start, strlen("2023年1月20日"), 0);
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

/* No date line: the published date comes from a 发布时间-like field of a
 * page's box, the dated one from a 成文日期-like field, whichever name it has
 * and wherever the line puts it (lines holding 时/日 but no field come before
 * it). */
static void test_published_field(void)
{
    static const char *const fields[] = {"发布时间", "发布日期", "公开日期", "成文日期",
                                         "发文日期"};
    static const char *const seps[] = {"：", ":", "： "};
    char buf[512];
    for (size_t f = 0; f < 5; f++)
        for (size_t k = 0; k < 3; k++)
            for (size_t lead = 0; lead <= 20; lead++) {
                t_context("field %s sep '%s' lead %zu", fields[f], seps[k], lead);
                int n = snprintf(buf, sizeof buf, "测试局2022年度报告\n统计时间与日程安排\n来源：测试局 索引号：%.*s %s%s",
                                 (int)lead, "ab12345678901234567890", fields[f], seps[k]);
                if (!CHECK(n > 0 && (size_t)n < sizeof buf - 64))
                    return;
                size_t at = (size_t)n;
                n += snprintf(buf + n, sizeof buf - (size_t)n, "2023年1月20日 浏览次数：5\n正文。\n");
                if (!date_at_as(buf, (size_t)n, at, strlen("2023年1月20日"), f < 3))
                    return;
            }
    t_context("%s", "");
}

/* Beside 来源 (on its line or the line after), a bare 时间 is the page's
 * publication date; 采集时间 (when a copy was made) and a 时间 elsewhere
 * never are. */
static void test_time_beside_source(void)
{
    static const char *const pages[] = {
        "测试局2022年度报告\n来源：测试局 时间：2023-01-20 15:34\n正文。\n",
        "测试局2022年度报告\n来源：测试局\n时间：2023-01-20\n正文。\n",
    };
    for (size_t i = 0; i < 2; i++) {
        t_context("page %zu", i);
        const char *at = strstr(pages[i], "2023");
        if (!date_at_as(pages[i], strlen(pages[i]), (size_t)(at - pages[i]), 10, 1))
            return;
    }
    static const char *const not_published[] = {
        "测试局2022年度报告\n来源：测试局 采集时间：2023-01-20 15:34\n正文。\n",
        "测试局2022年度报告\n会议时间：2023-01-20\n正文。\n",
        "测试局2022年度报告\n时间：2023-01-20\n正文。\n",
    };
    for (size_t i = 0; i < 3; i++) {
        t_context("not published %zu", i);
        gd_report *rep = NULL;
        size_t bad = 0;
        if (!CHECK_INT(gd_parse(not_published[i], strlen(not_published[i]), NULL, &rep, &bad),
                       GD_OK))
            return;
        CHECK_INT(rep->pub_year, 0);
        gd_report_free(rep);
    }
    t_context("%s", "");
}

const test_case meta_scan_tests[] = {
    {"closing_date_any_line_lengths", test_closing_date_any_line_lengths},
    {"published_field", test_published_field},
    {"time_beside_source", test_time_beside_source},
    {NULL, NULL},
};
