/*
 * sections.c -- is the report complete: the six sections of the national
 * template (2019 and 2021) in their order, the results 《条例》第五十条 asks
 * of a government's report, and the fee statement the 2021 template asks of
 * section 六.
 *
 * A section is found by its heading: its numeral and 、 (or ． .), then, on
 * the same line and within a few characters, a word of its title (scraped
 * text runs headings into the text before them, so anything may precede).
 * When a section is missing, the finding quotes the first heading with its
 * numeral outside the tables that does not end a word (统一、 is none), or
 * says there is none.
 */
#include "internal.h"

#include <string.h>

/* The template's sections: numeral, official title, words that name it. */
static const struct {
    const char *numeral, *title;
    const char *keys[4];
} sections[] = {
    {"一", "总体情况", {"总体情况", NULL}},
    {"二", "主动公开政府信息情况", {"主动公开", NULL}},
    {"三", "收到和处理政府信息公开申请情况", {"收到和处理", "依申请公开", "申请情况", NULL}},
    {"四", "政府信息公开行政复议、行政诉讼情况", {"行政复议", "行政诉讼", NULL}},
    {"五", "政府信息公开工作存在的主要问题及改进情况", {"主要问题", "存在问题", "存在的问题", NULL}},
    {"六", "其他需要报告的事项", {"其他需要报告", "其他事项", NULL}},
};
#define NSECTIONS 6

#define KEY_WINDOW 48 /* bytes after 、 where the title's word must start */
#define QUOTE_BYTES 60 /* how much of a heading found instead is quoted */

/* 《条例》第五十条: what a government's report must also state. */
static const char *const article50[] = {"考核", "评议", "追究", NULL};
static const char *const article50_names[] = {"工作考核", "社会评议", "责任追究", NULL};

static size_t find_in(const char *s, size_t from, size_t end, const char *lit)
{
    size_t n = strlen(lit);
    for (size_t i = from; i + n <= end; i++) {
        const char *p = memchr(s + i, lit[0], end - n + 1 - i);
        if (!p)
            return end;
        i = (size_t)(p - s);
        if (memcmp(p, lit, n) == 0)
            return i;
    }
    return end;
}

/* The first lit in s[from, end) with any white space (a PDF's line breaks)
 * between its characters, or end. */
static size_t find_loose(const char *s, size_t from, size_t end, const char *lit)
{
    size_t n = strlen(lit);
    for (size_t at = find_in(s, from, end, (char[]){lit[0], lit[1], lit[2], 0}); at < end;
         at = find_in(s, at + 1, end, (char[]){lit[0], lit[1], lit[2], 0})) {
        size_t i = at, k = 0;
        while (k < n && i < end) {
            if (s[i] == lit[k]) {
                i++, k++;
            } else if (k % 3 == 0 && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) {
                i++; /* only between whole characters */
            } else {
                break;
            }
        }
        if (k == n)
            return at;
    }
    return end;
}

/* Does the character before s[at] make the numeral there the end of a word?
 * (A CJK ideograph: lead byte E4-E9.) */
static int ends_word(const char *s, size_t at)
{
    return at >= 3 && (unsigned char)s[at - 3] >= 0xE4 && (unsigned char)s[at - 3] <= 0xE9;
}

/* Is offset i inside one of the tables found? */
static int in_table(const gd_ctx *c, size_t i)
{
    for (int t = 0; t < GD_NTABLES; t++) {
        const gd_table *tab = &c->rep->tables[t];
        if (tab->present && i >= tab->span.start && i < tab->span.end)
            return 1;
    }
    return 0;
}

/* Does a word of section k's title start in s[from, from + KEY_WINDOW) on this line? */
static int names_section(const char *s, size_t from, size_t len, int k)
{
    size_t end = from + KEY_WINDOW < len ? from + KEY_WINDOW : len;
    const char *nl = memchr(s + from, '\n', end - from);
    if (nl)
        end = (size_t)(nl - s);
    for (const char *const *key = sections[k].keys; *key; key++) {
        size_t n = strlen(*key), lim = end + n < len ? end + n : len;
        if (find_in(s, from, lim, *key) < end)
            return 1;
    }
    return 0;
}

/* The section whose numeral ends at s[sep] (just before a separator), or -1. */
static int numeral_before(const char *s, size_t sep)
{
    if (sep < 3)
        return -1;
    for (int k = 0; k < NSECTIONS; k++)
        if (memcmp(s + sep - 3, sections[k].numeral, 3) == 0)
            return k;
    return -1;
}

/* Each section's heading (at[k], or len when missing) and the first heading
 * with its numeral outside the tables (other[k], or len).  One scan per
 * separator (、 ． .), not one per numeral: separators are rarer; the others
 * only while a section is still missing after 、. */
static void find_sections(const gd_ctx *c, size_t *at, size_t *other)
{
    static const char *const separators[] = {"、", "．", ".", NULL};
    const char *s = c->text;
    size_t len = c->len;
    for (int k = 0; k < NSECTIONS; k++)
        at[k] = other[k] = len;
    for (const char *const *sep = separators; *sep; sep++) {
        int found = 0;
        for (int k = 0; k < NSECTIONS; k++)
            found += at[k] < len;
        if (found == NSECTIONS)
            return;
        size_t n = strlen(*sep);
        for (size_t p = find_in(s, 3, len, *sep); p < len; p = find_in(s, p + 1, len, *sep)) {
            int k = numeral_before(s, p);
            if (k < 0 || p - 3 >= at[k])
                continue;
            size_t head = p - 3;
            if (names_section(s, p + n, len, k))
                at[k] = head;
            else if (head < other[k] && !ends_word(s, head) && !in_table(c, head))
                other[k] = head;
        }
    }
}

/* The heading at s[at] as quoted in a finding: up to the end of its line, a
 * cell bar or QUOTE_BYTES, whole characters. */
static int quote_len(const char *s, size_t at, size_t len)
{
    size_t e = at;
    while (e < len && e - at < QUOTE_BYTES && s[e] != '\n' && s[e] != '|' && s[e] != '\r') {
        unsigned char b = (unsigned char)s[e];
        size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        if (e + n > len || e + n - at > QUOTE_BYTES)
            break;
        e += n;
    }
    while (e > at && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        e--;
    return (int)(e - at);
}

/* Does the six-section template apply?  Reports on 2019 and later, or whose
 * tables follow a template of 2019 or 2021. */
static int template_applies(const gd_report *r)
{
    if (r->year)
        return r->year >= 2019;
    return r->template != GD_TEMPLATE_UNKNOWN;
}

/* Is the reporting body a government (not a department)? */
static int is_government(const gd_report *r)
{
    return r->level && strcmp(r->level, "department") != 0;
}

static int check_order(gd_ctx *c, const size_t *at)
{
    size_t last = 0;
    int last_k = -1;
    for (int k = 0; k < NSECTIONS; k++) {
        if (at[k] == c->len)
            continue;
        if (last_k >= 0 && at[k] < last &&
            gd_add_finding(c, "structure.section_order", GD_WARNING, -1, -1, -1, NULL, NULL,
                           (gd_span){at[k], at[k] + 3},
                           "section %s (%s) comes before section %s (%s)", sections[k].numeral,
                           sections[k].title, sections[last_k].numeral, sections[last_k].title))
            return -1;
        if (at[k] >= last) {
            last = at[k];
            last_k = k;
        }
    }
    return 0;
}

static int check_article50(gd_ctx *c)
{
    char missing[64] = "";
    size_t n = 0;
    for (int i = 0; article50[i]; i++) {
        if (find_loose(c->text, 0, c->len, article50[i]) < c->len)
            continue;
        size_t l = strlen(article50_names[i]);
        if (n)
            memcpy(missing + n, "、", 3), n += 3;
        memcpy(missing + n, article50_names[i], l);
        n += l;
        missing[n] = '\0';
    }
    if (!n)
        return 0;
    return gd_add_finding(c, "structure.article50", GD_WARNING, -1, -1, -1, NULL, NULL,
                          (gd_span){0, 0},
                          "a government's report states the results of 工作考核、社会评议和责任追究 "
                          "(《条例》第五十条); this one never mentions %s",
                          missing);
}

/* Section 六 of a report on 2021 or later: the fees charged (信息处理费). */
static int check_fees(gd_ctx *c, size_t six)
{
    size_t end = c->len;
    if (c->dated_closing && c->rep->dated_span.start > six)
        end = c->rep->dated_span.start;
    if (find_in(c->text, six, end, "费") < end)
        return 0;
    return gd_add_finding(c, "structure.fee_statement", GD_WARNING, -1, -1, -1, NULL, NULL,
                          (gd_span){six, six + 3},
                          "section 六 does not state the fees charged (信息处理费), which the 2021 "
                          "template asks for");
}

int gd_check_sections(gd_ctx *c)
{
    gd_report *r = c->rep;
    /* a text that is no report is not held to a report's outline */
    if (!template_applies(r) || gd_has_finding(c, "parse.not_a_report"))
        return 0;
    size_t at[NSECTIONS], others[NSECTIONS];
    find_sections(c, at, others);
    for (int k = 0; k < NSECTIONS; k++) {
        size_t other = others[k];
        if (at[k] < c->len)
            continue;
        int rc;
        if (other < c->len)
            rc = gd_add_finding(c, "structure.missing_section", GD_WARNING, -1, -1, -1, NULL, NULL,
                                (gd_span){other, other + (size_t)quote_len(c->text, other, c->len)},
                                "section %s (%s) is missing; found instead: %.*s",
                                sections[k].numeral, sections[k].title,
                                quote_len(c->text, other, c->len), c->text + other);
        else
            rc = gd_add_finding(c, "structure.missing_section", GD_WARNING, -1, -1, -1, NULL, NULL,
                                (gd_span){0, 0},
                                "section %s (%s) is missing; no heading numbered %s、 was found",
                                sections[k].numeral, sections[k].title, sections[k].numeral);
        if (rc)
            return -1;
    }
    if (check_order(c, at))
        return -1;
    if (is_government(r) && check_article50(c))
        return -1;
    if (r->year >= 2021 && at[5] < c->len && check_fees(c, at[5]))
        return -1;
    return 0;
}
