/*
 * test_deadline.c -- the findings published.late and dated.late as the core
 * makes them: the days counted by the calendar, no cell named, and the span
 * that says where the date was read (none when it came from a <meta> tag).
 * Dates are moved on real reports: 平潭 2025's page (a zone: 31 March) and
 * 大足公安局 2021 (a department: 31 January).
 */
#include "test.h"

#include <stdlib.h>
#include <string.h>

/* The one finding with this code: no table, row or column, the days late
 * as its actual value, the message starting with `message`. */
static const gd_finding *check_late(const gd_report *rep, const char *code, int severity,
                                    int64_t days, const char *message)
{
    CHECK_INT(t_count_findings(rep, code, -1), 1);
    const gd_finding *f = t_find_finding(rep, code, severity, -1, -1, -1);
    if (!CHECKF(f != NULL, "no %s finding on no cell", code))
        return NULL;
    CHECK(f->has_actual && !f->has_expected);
    CHECK_INT(f->actual, days);
    CHECKF(strncmp(f->message, message, strlen(message)) == 0, "message \"%s\"", f->message);
    return f;
}

/* 平潭 2025's page with its visible 时间 set to `shown` (NULL: taken out)
 * and its <meta name="PubDate"> to `meta`; parsed as HTML. */
static gd_report *pingtan_page(const char *shown, const char *meta, char **page, size_t *len)
{
    size_t n0, n1;
    char *orig = t_read_corpus("pages/pingtan-2025.html", &n0);
    char *a = orig ? t_edit(orig, n0, "时间：", 1, " 12:56</span>", shown ? shown : "", &n1) : NULL;
    char *b = a && !shown ? t_edit(a, n1, "时间：", 0, "</span>", "", &n1) : a;
    if (b != a)
        free(a);
    *page = b ? t_edit(b, n1, "name=\"PubDate\" content=\"", 1, " 12:56", meta, len) : NULL;
    free(b);
    free(orig);
    gd_options opts = {0, NULL, GD_FORMAT_HTML};
    gd_report *rep = NULL;
    if (!*page || !CHECK_INT(t_parse_with(*page, *len, &opts, &rep, NULL), GD_OK))
        return NULL;
    return rep;
}

/* Published 15 July, 106 days after 31 March (30 + 31 + 30 + 15): the span
 * is the date where the page shows it. */
static void test_published_late_days(void)
{
    char *page;
    size_t len;
    gd_report *rep = pingtan_page("2026-07-15", "2026-07-15", &page, &len);
    if (rep) {
        const gd_finding *f = check_late(rep, "published.late", GD_WARNING, 106,
                                         "published 2026-07-15, 106 days after the deadline "
                                         "2026-03-31 [");
        if (f)
            CHECK_MEM(page + f->span.start, f->span.end - f->span.start, "2026-07-15");
        gd_report_free(rep);
    }
    free(page);
}

/* Only the <meta> tag dates the page, one day late: "1 day", and no span
 * (the tag is no part of the text the spans point into). */
static void test_published_late_from_meta(void)
{
    char *page;
    size_t len;
    gd_report *rep = pingtan_page(NULL, "2026-04-01", &page, &len);
    if (rep) {
        const gd_finding *f = check_late(rep, "published.late", GD_WARNING, 1,
                                         "published 2026-04-01, 1 day after the deadline "
                                         "2026-03-31 [");
        if (f) {
            CHECK_INT(f->span.start, 0);
            CHECK_INT(f->span.end, 0);
        }
        gd_report_free(rep);
    }
    free(page);
}

/* 大足 signed on 1 February: one day after its 31 January, and no
 * publication date: dated.late, its span the signature's date.  Signed on
 * 31 January itself: on time, no finding. */
static void test_dated_late_by_one_day(void)
{
    size_t len;
    char *text = t_seed_edit("2022年1月20日", 0, "\n", "2022年2月1日", &len);
    gd_report *rep = text ? t_parse(text, len, 0) : NULL;
    if (rep) {
        const gd_finding *f = check_late(rep, "dated.late", GD_INFO, 1,
                                         "signed 2022-02-01, 1 day after the deadline 2022-01-31,");
        if (f)
            CHECK_MEM(text + f->span.start, f->span.end - f->span.start, "2022年2月1日");
        gd_report_free(rep);
    }
    free(text);
    text = t_seed_edit("2022年1月20日", 0, "\n", "2022年1月31日", &len);
    rep = text ? t_parse(text, len, 0) : NULL;
    if (rep) {
        CHECK_INT(rep->dated_day, 31);
        CHECK_INT(t_count_findings(rep, "dated.late", -1), 0);
        gd_report_free(rep);
    }
    free(text);
}

const test_case deadline_tests[] = {
    {"published_late_days", test_published_late_days},
    {"published_late_from_meta", test_published_late_from_meta},
    {"dated_late_by_one_day", test_dated_late_by_one_day},
    {NULL, NULL},
};
