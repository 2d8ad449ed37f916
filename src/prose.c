/*
 * prose.c -- section 一 restates table numbers in words ("共受理政府信息
 * 公开申请3条（结转下年度办理1条）"); check them against the cells.
 *
 * Only clear statements are read: a count followed by 件/条/份, whose
 * clause names what it counts.  Wording that is ambiguous (受理 may mean
 * 新收 or 新收+上年结转) is checked against every reading and flagged only
 * when none holds.  A disagreement is a text.mismatch warning naming the
 * cell, the table's value (expected) and the prose's (actual).
 */
#include "internal.h"

#include <inttypes.h>
#include <string.h>

#define CLAUSE_BACK 90 /* bytes a clause may reach back from its number */

typedef struct {
    const char *s;
    size_t start, end; /* the clause */
} clause_t;

static int has(const clause_t *cl, const char *word)
{
    return gd_contains(cl->s + cl->start, cl->end - cl->start, word);
}

static int lit_at(const char *s, size_t i, size_t end, const char *lit)
{
    size_t n = strlen(lit);
    return end - i >= n && memcmp(s + i, lit, n) == 0;
}

/* The clause before the number at i: back to a clause mark. */
static clause_t clause_before(const gd_ctx *c, size_t i)
{
    static const char *const marks[] = {"。", "；", "，", "（", "：", "！", "？", NULL};
    clause_t cl = {c->text, i, i};
    size_t floor = i > CLAUSE_BACK ? i - CLAUSE_BACK : 0;
    while (cl.start > floor) {
        size_t k = cl.start - 1;
        char ch = c->text[k];
        if (ch == '\n' || ch == ';' || ch == ',' || ch == '(' || ch == ':')
            break;
        int stop = 0;
        /* every mark is E3 or EF and two bytes more: test the lead first */
        unsigned char lead = k >= 2 ? (unsigned char)c->text[k - 2] : 0;
        if (lead == 0xE3 || lead == 0xEF)
            for (const char *const *m = marks; *m; m++)
                if (memcmp(c->text + k - 2, *m, 3) == 0)
                    stop = 1;
        if (stop)
            break;
        cl.start--;
    }
    while (cl.start < i && ((unsigned char)c->text[cl.start] & 0xC0) == 0x80)
        cl.start++; /* to a character boundary */
    return cl;
}

typedef struct {
    int ok;
    int64_t v;
    gd_span span;
} cellval;

static cellval cell_value(const gd_report *r, int t, int row, int col)
{
    cellval out = {0, 0, {0, 0}};
    const gd_table *tab = &r->tables[t];
    if (!tab->present || !tab->row_present[row])
        return out;
    const gd_cell *cell = &tab->cells[row][col];
    if (cell->kind != GD_CELL_NUMBER || cell->scale)
        return out;
    out.ok = 1;
    out.v = cell->units;
    out.span = cell->raw;
    return out;
}

static int mismatch(gd_ctx *c, int t, int row, int col, int64_t table_value, int64_t said,
                    gd_span at, const char *what, const char *alt)
{
    char path[96];
    gd_cell_path(t, row, col, path, sizeof path);
    return gd_add_finding(c, "text.mismatch", GD_WARNING, t, row, col, &table_value, &said, at,
                          "section 一 says %s %" PRId64 " (byte %zu) but %s is %" PRId64 "%s",
                          what, said, at.start, path, table_value, alt ? alt : "");
}

/* Compare one stated count with the tables. */
static int check_statement(gd_ctx *c, const clause_t *cl, int64_t n, gd_span at)
{
    const gd_report *r = c->rep;
    const int RQ = GD_TABLE_REQUESTS, RV = GD_TABLE_REVIEWS, TOTAL = 6;
    int review = has(cl, "复议"), suit = has(cl, "诉讼");
    if (review && suit && !has(cl, "复议后")) {
        /* "行政复议案件2件、行政诉讼案件7件": the word nearest the number counts */
        size_t last_review = 0, last_suit = 0;
        for (size_t k = cl->start; k + 6 <= cl->end; k++) {
            if (memcmp(cl->s + k, "复议", 6) == 0)
                last_review = k + 1;
            if (memcmp(cl->s + k, "诉讼", 6) == 0)
                last_suit = k + 1;
        }
        review = last_review > last_suit;
        suit = !review;
        /* and the other count must not sit between the word and this number */
        size_t from = (review ? last_review : last_suit) + 5;
        for (size_t k = from; k < cl->end; k++)
            if (cl->s[k] >= '0' && cl->s[k] <= '9')
                return 0;
    }
    if (review && !suit) {
        cellval v = cell_value(r, RV, 0, 4);
        return v.ok && v.v != n ? mismatch(c, RV, 0, 4, v.v, n, at, "行政复议", NULL) : 0;
    }
    if (suit && !review) {
        cellval a = cell_value(r, RV, 1, 4), b = cell_value(r, RV, 2, 4);
        if (a.ok && b.ok && a.v + b.v != n)
            return mismatch(c, RV, 1, 4, a.v + b.v, n, at, "行政诉讼",
                            " (未经复议直接起诉 + 复议后起诉)");
        return 0;
    }
    if (review || suit || has(cl, "案件"))
        return 0;
    if (has(cl, "结转下") || has(cl, "转下一") || has(cl, "结转至") || has(cl, "下年度") ||
        has(cl, "下一年")) {
        cellval v = cell_value(r, RQ, RQ_CARRIED_FORWARD, TOTAL);
        return v.ok && v.v != n ? mismatch(c, RQ, RQ_CARRIED_FORWARD, TOTAL, v.v, n, at,
                                           "结转下年度", NULL)
                                : 0;
    }
    if (has(cl, "上年结转") || has(cl, "结转上年") || has(cl, "转结上年") ||
        has(cl, "上年度结转")) {
        cellval v = cell_value(r, RQ, RQ_CARRIED_OVER, TOTAL);
        return v.ok && v.v != n ? mismatch(c, RQ, RQ_CARRIED_OVER, TOTAL, v.v, n, at, "上年结转",
                                           NULL)
                                : 0;
    }
    if ((has(cl, "受理") || has(cl, "收到") || has(cl, "新收") || has(cl, "接收")) &&
        has(cl, "申请")) {
        static const char *const parts[] = {"自然人", "法人", "网上", "信函", "当面", "传真",
                                            "邮件", "电话", NULL};
        for (const char *const *p = parts; *p; p++)
            if (has(cl, *p))
                return 0; /* a breakdown, not the total */
        cellval nw = cell_value(r, RQ, RQ_NEW, TOTAL), co = cell_value(r, RQ, RQ_CARRIED_OVER, TOTAL);
        if (!nw.ok || nw.v == n || (co.ok && nw.v + co.v == n))
            return 0;
        return mismatch(c, RQ, RQ_NEW, TOTAL, nw.v, n, at, "受理/收到申请",
                        co.ok ? " (nor 新收 + 上年结转 either)" : NULL);
    }
    /* "共办结148件", "共办理 718 件": the verb right before the number */
    size_t k = at.start;
    while (k > cl->start && (c->text[k - 1] == ' ' || c->text[k - 1] == '\t'))
        k--;
    if (k >= cl->start + 6 && (lit_at(c->text, k - 6, k, "办结") || lit_at(c->text, k - 6, k, "办理"))) {
        cellval v = cell_value(r, RQ, RQ_TOTAL, TOTAL);
        return v.ok && v.v != n ? mismatch(c, RQ, RQ_TOTAL, TOTAL, v.v, n, at, "办结/办理", NULL)
                                : 0;
    }
    return 0;
}

int gd_check_prose(gd_ctx *c)
{
    const gd_report *r = c->rep;
    /* section 一: the text before the first table */
    size_t end = c->len;
    for (int t = 0; t < GD_NTABLES; t++)
        if (r->tables[t].present && r->tables[t].span.start < end)
            end = r->tables[t].span.start;
    if (end == c->len)
        return 0; /* no table: nothing to compare with */
    const char *s = c->text;
    for (size_t i = 0; i < end;) {
        int64_t n;
        int scale, overflow;
        /* skip to a byte that may start a digit: ASCII, or EF (full width) */
        while (end - i >= 8) {
            uint64_t w = gd_load8(s + i);
            if (gd_has_digit(w) | gd_has_byte(w, 0xEF))
                break;
            i += 8;
        }
        if (i >= end)
            break;
        unsigned char b = (unsigned char)s[i];
        if (b >= 0xE4 && b <= 0xE9 && i + 3 <= end) { /* CJK: no digit */
            i += 3;
            continue;
        }
        /* a digit: ASCII or full width (EF BC 90-99), all gd_scan_number reads
         * (full-width punctuation, EF BC 8C and the like, is most EF bytes) */
        if (!((b >= '0' && b <= '9') ||
              (b == 0xEF && i + 2 < end && (unsigned char)s[i + 1] == 0xBC &&
               (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99))) {
            i++;
            continue;
        }
        if (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') {
            i++;
            continue;
        }
        size_t e = gd_scan_number(s, i, end, &n, &scale, &overflow);
        if (e == i) {
            i++;
            continue;
        }
        size_t u = e;
        while (u < end && (s[u] == ' ' || s[u] == '\t'))
            u++;
        if (!scale && !overflow &&
            (lit_at(s, u, end, "件") || lit_at(s, u, end, "条") || lit_at(s, u, end, "份"))) {
            clause_t cl = clause_before(c, i);
            gd_span at = {i, e};
            if (check_statement(c, &cl, n, at))
                return -1;
        }
        i = e;
    }
    return 0;
}
