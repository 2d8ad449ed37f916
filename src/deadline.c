/*
 * deadline.c -- when the report had to be published, and how late it was.
 *
 * 《政府信息公开条例》(2019) 第四十九条: a department of a government at
 * county level or above publishes its report by 31 January; the report of a
 * local government at county level or above is published by 31 March.  The
 * article covers nobody else (townships, bodies whose level the name does not
 * tell): they get no deadline, and the rule says so.  Reports on 2008-2018
 * fall under 第三十一条 of the 2008 条例: every administrative body by 31 March.
 * Who reports is read from the agency's name (meta.c: level and place).
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

#define ART49 "《条例》第四十九条: "
#define ART31 "2008年《条例》第三十一条: "

/* Each kind of body under the 2019 条例.  place: for departments, the level
 * of the place whose government they belong to; NULL for any.  month 0: no
 * deadline. */
static const struct {
    const char *level, *place;
    int month, day;
    const char *rule;
} rules[] = {
    {"department", "township", 0, 0, ART49 "sets no deadline for the bodies of a township"},
    {"department", NULL, 1, 31, ART49 "a department of a government at county level or above, "
                                      "by 31 January of the next year"},
    {"township", NULL, 0, 0, ART49 "sets no deadline for a township government"},
    {"province", NULL, 3, 31, ART49 "a local government at county level or above, by 31 March "
                                    "of the next year"},
    {"city", NULL, 3, 31, ART49 "a local government at county level or above, by 31 March of "
                                "the next year"},
    {"county", NULL, 3, 31, ART49 "a local government at county level or above, by 31 March of "
                                  "the next year"},
    {"zone", NULL, 3, 31, ART49 "the body governing a zone at county level or above, by 31 "
                              "March of the next year"},
};

/* Zones by the kind their name ends with, the first that matches: a 综合实验区
 * or a 新区 (国家级新区) is set up at county level or above by the State
 * Council; a 开发区 or 高新区 (which ends in 新区 too) may be of any level,
 * and its name does not say which. */
static const struct {
    const char *suffix;
    int county_or_above;
} zones[] = {{"高新区", 0}, {"开发区", 0}, {"综合实验区", 1}, {"新区", 1}};

static const char NO_YEAR[] = "no deadline: the year the report covers is not known";
static const char NO_LEVEL[] = "no deadline: the agency's name does not tell which body reports";
static const char ZONE_LEVEL[] =
    "no deadline: the name does not tell the level of the zone (a 开发区 or 高新区 may be of "
    "any level)";
static const char BEFORE_2008[] = "no deadline: the 条例 took effect on 1 May 2008";
static const char RULE_2008[] = ART31 "every administrative body, by 31 March of the next year";

static int ends_with_s(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* Is the zone the region names one at county level or above? */
static int zone_known(const char *region)
{
    for (size_t i = 0; region && i < sizeof zones / sizeof zones[0]; i++)
        if (ends_with_s(region, zones[i].suffix))
            return zones[i].county_or_above;
    return 0;
}

/* The rule for this report: sets *month and *day (0 when none). */
static const char *find_rule(const gd_ctx *c, int *month, int *day)
{
    const gd_report *r = c->rep;
    *month = *day = 0;
    if (!r->year)
        return NO_YEAR;
    if (!r->level || !c->place_level)
        return NO_LEVEL;
    if (r->year < 2008)
        return BEFORE_2008;
    if (r->year <= 2018) {
        *month = 3;
        *day = 31;
        return RULE_2008;
    }
    if (strcmp(c->place_level, "zone") == 0 && !zone_known(r->region))
        return ZONE_LEVEL;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (strcmp(rules[i].level, r->level) != 0 ||
            (rules[i].place && strcmp(rules[i].place, c->place_level) != 0))
            continue;
        *month = rules[i].month;
        *day = rules[i].day;
        return rules[i].rule;
    }
    return NO_LEVEL;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long days_of(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void iso(char *buf, size_t size, int y, int m, int d)
{
    snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

int gd_check_deadline(gd_ctx *c)
{
    gd_report *r = c->rep;
    int month = 0, day = 0; /* find_rule sets them; none until it does */
    if (gd_has_finding(c, "parse.not_a_report"))
        return 0; /* no report: nothing was due */
    r->deadline_rule = find_rule(c, &month, &day);
    if (!month)
        return 0;
    r->deadline_year = r->year + 1;
    r->deadline_month = month;
    r->deadline_day = day;
    long deadline = days_of(r->deadline_year, month, day);
    char due[40], when[40];
    iso(due, sizeof due, r->deadline_year, month, day);
    if (r->pub_year) {
        int64_t late = days_of(r->pub_year, r->pub_month, r->pub_day) - deadline;
        if (late <= 0)
            return 0;
        iso(when, sizeof when, r->pub_year, r->pub_month, r->pub_day);
        /* a span in the input (a <meta>) cannot go through the text's map */
        gd_span at = c->published_in_src ? (gd_span){0, 0} : r->published_span;
        return gd_add_finding(c, "published.late", GD_WARNING, -1, -1, -1, NULL, &late, at,
                              "published %s, %lld day%s after the deadline %s [%s]", when,
                              (long long)late, late == 1 ? "" : "s", due, r->deadline_rule);
    }
    if (r->dated_year) {
        int64_t late = days_of(r->dated_year, r->dated_month, r->dated_day) - deadline;
        if (late <= 0)
            return 0;
        iso(when, sizeof when, r->dated_year, r->dated_month, r->dated_day);
        return gd_add_finding(c, "dated.late", GD_INFO, -1, -1, -1, NULL, &late, r->dated_span,
                              "signed %s, %lld day%s after the deadline %s, so published late "
                              "too (no publication date is known) [%s]",
                              when, (long long)late, late == 1 ? "" : "s", due, r->deadline_rule);
    }
    return 0;
}
