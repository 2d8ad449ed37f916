/*
 * test_checks.c -- the reconciliation (勾稽关系, TEMPLATES.md §6.1-6.2) on the
 * real table 三 and 四 of dazu-gaj-2021.txt, and on mutations of them.
 *
 * The seed's table 三: 3 new + 1 carried over = 3 handled + 1 carried forward,
 * all in 自然人; the 3 handled are 2 予以公开 and 1 （六）3.其他.  Table 四 is
 * all zeros.  Each test changes a cell or two and asserts exactly the
 * findings that change implies -- no more, no fewer -- in every layout.
 * A finding names the identity's target cell (the （七）总计 row for a column
 * identity, the 总计 column for a row identity): expected is what the identity
 * says it should hold, actual what the report holds.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NEW = 0, CARRIED_OVER = 1, GRANTED = 2, STATE_SECRET = 4, OTHER_OTHER = 22, TOTAL = 24,
       CARRIED_FORWARD = 25 };
enum { NP = 0, COMMERCIAL = 1, RESEARCH = 2, COL_TOTAL = 6 };


typedef struct {
    gd_table_id t;
    int row, col;
    const char *text;
} edit;

typedef struct {
    const char *code;
    gd_severity severity;
    gd_table_id table;
    int row, col;       /* -2: any */
    int alt_row, alt_col; /* also accepted (-3: none) */
    int with_values;    /* 1: expected and actual as given; 2: actual as given, no expected */
    long long expected, actual;
    const char *message; /* when set, the message starts with it */
} want;

#define ERR(code, t, row, col, exp, act) {code, GD_ERROR, t, row, col, -3, -3, 1, exp, act, NULL}
#define ERR_MSG(code, t, row, col, exp, act, msg) \
    {code, GD_ERROR, t, row, col, -3, -3, 1, exp, act, msg}
/* An identity whose terms add up beyond int64: no expected value, the sum in the message. */
#define BEYOND(code, t, row, col, act, msg) {code, GD_ERROR, t, row, col, -3, -3, 2, 0, act, msg}

static int matches(const gd_finding *f, const want *w)
{
    if (!f->code || strcmp(f->code, w->code) != 0 || f->severity != w->severity ||
        f->table != (int)w->table)
        return 0;
    if (w->row != -2 && f->row != w->row && f->row != w->alt_row)
        return 0;
    if (w->col != -2 && f->col != w->col && f->col != w->alt_col)
        return 0;
    if (w->with_values == 1 &&
        !(f->has_expected && f->has_actual && f->expected == w->expected &&
          f->actual == w->actual))
        return 0;
    if (w->with_values == 2 && !(!f->has_expected && f->has_actual && f->actual == w->actual))
        return 0;
    if (w->message && strncmp(f->message, w->message, strlen(w->message)) != 0)
        return 0;
    return 1;
}

static const char *const sev_name[] = {"info", "warning", "error"};

/* Exactly these findings, in any order.  Prose-versus-table findings
 * (text.*) are left out: editing a table cell of the real report can make
 * its section 一 disagree, and that has tests of its own. */
static void expect_exactly(const gd_report *rep, const want *w, size_t n)
{
    size_t counted = 0;
    for (size_t k = 0; k < rep->nfindings; k++)
        counted += strncmp(rep->findings[k].code, "text.", 5) != 0;
    int ok = CHECKF(counted == n, "%zu findings, expected %zu", counted, n);
    for (size_t i = 0; i < n; i++) {
        int found = 0;
        for (size_t k = 0; k < rep->nfindings; k++)
            found |= matches(&rep->findings[k], &w[i]);
        char path[128];
        gd_cell_path(w[i].table, w[i].row, w[i].col, path, sizeof path);
        if (w[i].message)
            ok &= CHECKF(found, "no %s %s finding for %s saying \"%s...\"",
                         sev_name[w[i].severity], w[i].code, path, w[i].message);
        else if (w[i].with_values)
            ok &= CHECKF(found, "no %s %s finding for %s with expected %lld, actual %lld",
                         sev_name[w[i].severity], w[i].code, path,
                         w[i].expected, w[i].actual);
        else
            ok &= CHECKF(found, "no %s %s finding for %s", sev_name[w[i].severity], w[i].code,
                         path);
    }
    if (!ok)
        t_dump_findings(rep);
}

static void run(const edit *edits, size_t nedits, unsigned layouts, unsigned flags,
                const want *w, size_t nw)
{
    for (int layout = 0; layout < NLAYOUTS; layout++) {
        if (!(layouts & (1u << layout)))
            continue;
        t_doc *d = doc_load();
        if (!d)
            return;
        for (size_t i = 0; i < nedits; i++)
            doc_set(d, edits[i].t, edits[i].row, edits[i].col, edits[i].text);
        char *text;
        size_t len;
        gd_report *rep = doc_parse(d, (t_layout)layout, flags, &text, &len);
        if (rep) {
            /* The edited cells are read as written. */
            for (size_t i = 0; i < nedits; i++) {
                const gd_cell *c = &rep->tables[edits[i].t].cells[edits[i].row][edits[i].col];
                char *end;
                long long v = strtoll(edits[i].text, &end, 10);
                if (edits[i].text[0] && *end == '\0')
                    CHECKF(c->kind == GD_CELL_NUMBER && c->units == v,
                           "edited cell (%d,%d,%d) reads %lld (kind %d), expected %lld",
                           (int)edits[i].t, edits[i].row, edits[i].col, (long long)c->units,
                           (int)c->kind, v);
            }
            expect_exactly(rep, w, nw);
            gd_report_free(rep);
        }
        free(text);
        doc_free(d);
    }
    t_context("%s", "");
}

#define N(a) (sizeof a / sizeof a[0])

static void test_reconcile_clean(void)
{
    run(NULL, 0, ALL_LAYOUTS, 0, NULL, 0);
}

static void test_mutation_one_cell(void)
{
    /* （一）予以公开 自然人 2 -> 3: the 自然人 column sum and the row sum break;
     * the balance (through （七）总计) still holds. */
    const edit e[] = {{GD_TABLE_REQUESTS, GRANTED, NP, "3"}};
    const want w[] = {
        ERR_MSG("requests.column_total", GD_TABLE_REQUESTS, TOTAL, NP, 4, 3,
                "requests.total.natural_person is 3 but should be 4 ["),
        ERR_MSG("requests.row_total", GD_TABLE_REQUESTS, GRANTED, COL_TOTAL, 3, 2,
                "requests.granted.total is 2 but should be 3 ["),
    };
    run(e, N(e), ALL_LAYOUTS, 0, w, N(w));
}

static void test_mutation_cancel_in_column(void)
{
    /* +1 in （一）予以公开, -1 in （六）3.其他, both 自然人: the column still sums
     * to 3, both rows no longer do. */
    const edit e[] = {{GD_TABLE_REQUESTS, GRANTED, NP, "3"},
                      {GD_TABLE_REQUESTS, OTHER_OTHER, NP, "0"}};
    const want w[] = {
        ERR("requests.row_total", GD_TABLE_REQUESTS, GRANTED, COL_TOTAL, 3, 2),
        ERR("requests.row_total", GD_TABLE_REQUESTS, OTHER_OTHER, COL_TOTAL, 0, 1),
    };
    run(e, N(e), ALL_LAYOUTS, 0, w, N(w));
}

static void test_mutation_cancel_in_row(void)
{
    /* One application of （一）予以公开 moved from 自然人 to 商业企业: the row
     * still sums to 2, both columns no longer do. */
    const edit e[] = {{GD_TABLE_REQUESTS, GRANTED, NP, "1"},
                      {GD_TABLE_REQUESTS, GRANTED, COMMERCIAL, "1"}};
    const want w[] = {
        ERR("requests.column_total", GD_TABLE_REQUESTS, TOTAL, NP, 2, 3),
        ERR("requests.column_total", GD_TABLE_REQUESTS, TOTAL, COMMERCIAL, 1, 0),
    };
    run(e, N(e), ALL_LAYOUTS, 0, w, N(w));
}

static void test_mutation_balance(void)
{
    /* 一、本年新收 3 -> 4 in 自然人 and 总计: row sums hold, 一+二 = 5 but
     * （七）总计 + 四 = 4 in both columns. */
    const edit e[] = {{GD_TABLE_REQUESTS, NEW, NP, "4"}, {GD_TABLE_REQUESTS, NEW, COL_TOTAL, "4"}};
    const want w[] = {
        ERR("requests.balance", GD_TABLE_REQUESTS, TOTAL, NP, 4, 3),
        ERR("requests.balance", GD_TABLE_REQUESTS, TOTAL, COL_TOTAL, 4, 3),
    };
    run(e, N(e), ALL_LAYOUTS, 0, w, N(w));
}

static void test_mutation_total_cell(void)
{
    /* （七）总计 自然人 3 -> 4 breaks three identities at once. */
    const edit e[] = {{GD_TABLE_REQUESTS, TOTAL, NP, "4"}};
    const want w[] = {
        ERR("requests.balance", GD_TABLE_REQUESTS, TOTAL, NP, 3, 4),
        ERR("requests.column_total", GD_TABLE_REQUESTS, TOTAL, NP, 3, 4),
        ERR("requests.row_total", GD_TABLE_REQUESTS, TOTAL, COL_TOTAL, 4, 3),
    };
    run(e, N(e), ALL_LAYOUTS, 0, w, N(w));
}

static void test_mutation_carried_forward(void)
{
    /* 四、结转下年度 自然人 1 -> 0: only the balance of 自然人 (and the row). */
    const edit e[] = {{GD_TABLE_REQUESTS, CARRIED_FORWARD, NP, "0"}};
    const want w[] = {
        ERR("requests.balance", GD_TABLE_REQUESTS, TOTAL, NP, 4, 3),
        ERR("requests.row_total", GD_TABLE_REQUESTS, CARRIED_FORWARD, COL_TOTAL, 0, 1),
    };
    run(e, N(e), ALL_LAYOUTS, 0, w, N(w));
}

static void test_reviews_total_broken(void)
{
    static const char *const groups[3] = {"review", "litigation_direct",
                                          "litigation_after_review"};
    for (int g = 0; g < 3; g++) {
        /* One upheld case, but 总计 still 0, in group g only. */
        const edit e[] = {{GD_TABLE_REVIEWS, g, 0, "1"}};
        const want w[] = {ERR("reviews.total", GD_TABLE_REVIEWS, g, 4, 1, 0)};
        char path[128];
        gd_cell_path(GD_TABLE_REVIEWS, g, 4, path, sizeof path);
        char want_path[128];
        snprintf(want_path, sizeof want_path, "reviews.%s.total", groups[g]);
        CHECK_STR(path, want_path);
        run(e, N(e), ALL_LAYOUTS, 0, w, N(w));
    }
    /* 总计 too large in the last group: 0+0+0+0 != 2. */
    const edit e[] = {{GD_TABLE_REVIEWS, 2, 4, "2"}};
    const want w[] = {ERR("reviews.total", GD_TABLE_REVIEWS, 2, 4, 0, 2)};
    run(e, N(e), ALL_LAYOUTS, 0, w, N(w));
}

static void test_reviews_total_includes_pending(void)
{
    /* 总计 counts 尚未审结 (TEMPLATES.md §6.2, not KIROGOVCOMPARE's 结案总数):
     * 1 upheld + 2 pending = 3 holds. */
    const edit e[] = {{GD_TABLE_REVIEWS, 0, 0, "1"},
                      {GD_TABLE_REVIEWS, 0, 3, "2"},
                      {GD_TABLE_REVIEWS, 0, 4, "3"}};
    run(e, N(e), ALL_LAYOUTS, 0, NULL, 0);
}

/* ---- Blank and none cells (SCHEMA.md "Cells") ---- */

static void test_blank_counts_as_zero(void)
{
    static const char *const blanks[] = {"", "—"};
    for (int b = 0; b < 2; b++) {
        /* A blank where the seed has 0: the two identities through it hold only
         * with it as 0, and say so (SCHEMA.md "Cells"): info, not error. */
        const edit e0[] = {{GD_TABLE_REQUESTS, GRANTED, COMMERCIAL, blanks[b]}};
        const want w0[] = {
            {"requests.column_total", GD_INFO, GD_TABLE_REQUESTS, TOTAL, COMMERCIAL, GRANTED, -3,
             0, 0, 0, NULL},
            {"requests.row_total", GD_INFO, GD_TABLE_REQUESTS, GRANTED, COL_TOTAL, -3, COMMERCIAL,
             0, 0, 0, NULL},
        };
        run(e0, N(e0), CELLS_AND_PIPES, 0, w0, N(w0));

        /* A blank where the seed has 2: counted as 0, the column and the row break. */
        const edit e[] = {{GD_TABLE_REQUESTS, GRANTED, NP, blanks[b]}};
        const want w[] = {
            ERR("requests.column_total", GD_TABLE_REQUESTS, TOTAL, NP, 1, 3),
            ERR("requests.row_total", GD_TABLE_REQUESTS, GRANTED, COL_TOTAL, 0, 2),
        };
        run(e, N(e), CELLS_AND_PIPES, 0, w, N(w));

        /* The cell stays blank in the data: never turned into 0. */
        for (int layout = 0; layout < NLAYOUTS; layout += 2) {
            t_doc *d = doc_load();
            if (!d)
                return;
            doc_set(d, GD_TABLE_REQUESTS, GRANTED, NP, blanks[b]);
            char *text;
            size_t len;
            gd_report *rep = doc_parse(d, (t_layout)layout, 0, &text, &len);
            if (rep) {
                CHECK_INT(rep->tables[GD_TABLE_REQUESTS].cells[GRANTED][NP].kind,
                          b == 0 ? GD_CELL_EMPTY : GD_CELL_NA);
                gd_report_free(rep);
            }
            free(text);
            doc_free(d);
        }
    }
    t_context("%s", "");
}

static void test_strict_blank_not_checkable(void)
{
    static const char *const blanks[] = {"", "—"};
    for (int b = 0; b < 2; b++) {
        /* With GD_STRICT the two identities that hold the blank are not checked
         * but reported as not checkable (warning); nothing is an error. The
         * finding may name the identity's target or the blank cell. */
        const edit e[] = {{GD_TABLE_REQUESTS, GRANTED, NP, blanks[b]}};
        const want w[] = {
            {"requests.column_total", GD_WARNING, GD_TABLE_REQUESTS, TOTAL, NP, GRANTED, -3, 0, 0,
             0, NULL},
            {"requests.row_total", GD_WARNING, GD_TABLE_REQUESTS, GRANTED, COL_TOTAL, -3, NP, 0,
             0, 0, NULL},
        };
        run(e, N(e), CELLS_AND_PIPES, GD_STRICT, w, N(w));

        /* Where the blank would hold as 0, strict still does not check it. */
        const edit e0[] = {{GD_TABLE_REQUESTS, GRANTED, COMMERCIAL, blanks[b]}};
        const want w0[] = {
            {"requests.column_total", GD_WARNING, GD_TABLE_REQUESTS, TOTAL, COMMERCIAL, GRANTED,
             -3, 0, 0, 0, NULL},
            {"requests.row_total", GD_WARNING, GD_TABLE_REQUESTS, GRANTED, COL_TOTAL, -3,
             COMMERCIAL, 0, 0, 0, NULL},
        };
        run(e0, N(e0), CELLS_AND_PIPES, GD_STRICT, w0, N(w0));
    }
}

static void test_strict_checks_the_rest(void)
{
    /* A blank in （一）予以公开 and, unrelated to it, 一、本年新收 3 -> 4: the
     * balance (no blank in it) is still checked and broken. */
    const edit e[] = {{GD_TABLE_REQUESTS, GRANTED, COMMERCIAL, ""},
                      {GD_TABLE_REQUESTS, NEW, NP, "4"},
                      {GD_TABLE_REQUESTS, NEW, COL_TOTAL, "4"}};
    const want w[] = {
        {"requests.column_total", GD_WARNING, GD_TABLE_REQUESTS, TOTAL, COMMERCIAL, GRANTED, -3,
         0, 0, 0, NULL},
        {"requests.row_total", GD_WARNING, GD_TABLE_REQUESTS, GRANTED, COL_TOTAL, -3, COMMERCIAL,
         0, 0, 0, NULL},
        ERR("requests.balance", GD_TABLE_REQUESTS, TOTAL, NP, 4, 3),
        ERR("requests.balance", GD_TABLE_REQUESTS, TOTAL, COL_TOTAL, 4, 3),
    };
    run(e, N(e), CELLS_AND_PIPES, GD_STRICT, w, N(w));
}

/* ---- Sums at the edge of 64 bits ----
 *
 * A cell holds at most GD_MAX_DIGITS (18) digits, but 21 result rows of such
 * cells add up past int64.  Each test writes the 21 result rows of 自然人
 * （（一）予以公开 .. （六）3.其他, rows 2-22 of the 2021 template) and puts the
 * same number in each row's 总计, the other columns staying 0: every row total
 * holds, and requests.column_total of 自然人 and of 总计 sees the sum, against
 * the 3 that （七）总计 says.  The sums below are worked out by hand (and
 * checked with Python's integers); a sum that fits is the finding's expected
 * value, one that does not is written out in full in its message. */

static void run_result_rows(const char *const *values, size_t n, const want *w, size_t nw)
{
    enum { FIRST = GRANTED, ROWS = OTHER_OTHER - GRANTED + 1 };
    edit e[2 * ROWS];
    for (int k = 0; k < ROWS; k++) {
        const char *v = (size_t)k < n ? values[k] : "0";
        e[2 * k] = (edit){GD_TABLE_REQUESTS, FIRST + k, NP, v};
        e[2 * k + 1] = (edit){GD_TABLE_REQUESTS, FIRST + k, COL_TOTAL, v};
    }
    run(e, N(e), ALL_LAYOUTS, 0, w, nw);
}

#define MAX18 "999999999999999999" /* the largest cell: 10^18 - 1 */
#define NINE(v) v, v, v, v, v, v, v, v, v
#define RULE_COLUMN "（七）总计 = 本年度办理结果各行之和"

/* The sum fits in int64: both column totals name it as expected, and say it. */
static void sum_fits(const char *const *values, size_t n, long long sum)
{
    char np[192], total[192];
    snprintf(np, sizeof np, "requests.total.natural_person is 3 but should be %lld [" RULE_COLUMN "]",
             sum);
    snprintf(total, sizeof total, "requests.total.total is 3 but should be %lld [" RULE_COLUMN "]",
             sum);
    const want w[] = {
        ERR_MSG("requests.column_total", GD_TABLE_REQUESTS, TOTAL, NP, sum, 3, np),
        ERR_MSG("requests.column_total", GD_TABLE_REQUESTS, TOTAL, COL_TOTAL, sum, 3, total),
    };
    run_result_rows(values, n, w, N(w));
}

/* The sum does not fit: no expected value, its decimal digits in the message. */
static void sum_beyond(const char *const *values, size_t n, const char *digits)
{
    char np[192], total[192];
    snprintf(np, sizeof np, "requests.total.natural_person should be %s, beyond what a 64-bit "
             "count holds [" RULE_COLUMN "]", digits);
    snprintf(total, sizeof total, "requests.total.total should be %s, beyond what a 64-bit count "
             "holds [" RULE_COLUMN "]", digits);
    const want w[] = {
        BEYOND("requests.column_total", GD_TABLE_REQUESTS, TOTAL, NP, 3, np),
        BEYOND("requests.column_total", GD_TABLE_REQUESTS, TOTAL, COL_TOTAL, 3, total),
    };
    run_result_rows(values, n, w, N(w));
}

static void test_sum_of_int64_max_fits(void)
{
    /* 9 * (10^18 - 1) + 223372036854775816 = 9223372036854775807 = 2^63 - 1 */
    const char *const v[] = {NINE(MAX18), "223372036854775816"};
    sum_fits(v, N(v), 9223372036854775807LL);
}

static void test_sum_of_int64_max_plus_one_is_beyond(void)
{
    /* one more: 9223372036854775808 = 2^63, the smallest sum beyond int64 */
    const char *const v[] = {NINE(MAX18), "223372036854775817"};
    sum_beyond(v, N(v), "9223372036854775808");
}

static void test_sum_of_all_rows_at_the_limit(void)
{
    /* 21 * (10^18 - 1) = 20999999999999999979, and its negative */
    const char *const v[] = {NINE(MAX18), NINE(MAX18), MAX18, MAX18, MAX18};
    sum_beyond(v, N(v), "20999999999999999979");
    const char *const neg[] = {NINE("-" MAX18), NINE("-" MAX18), "-" MAX18, "-" MAX18,
                               "-" MAX18};
    sum_beyond(neg, N(neg), "-20999999999999999979");
}

static void test_sum_of_a_round_number_beyond(void)
{
    /* 11 * (10^18 - 1) + 11 = 11000000000000000000: the last term makes the
     * low 18 digits exactly 10^18, a carry; the nine 0s after it add nothing.
     * The low part is printed with its zeros. */
    const char *const v[] = {NINE(MAX18), MAX18, MAX18, "11"};
    sum_beyond(v, N(v), "11000000000000000000");
    /* and negative: -11000000000000000000 */
    const char *const neg[] = {NINE("-" MAX18), "-" MAX18, "-" MAX18, "-11"};
    sum_beyond(neg, N(neg), "-11000000000000000000");
}

static void test_sum_of_int64_min_fits(void)
{
    /* -(9 * (10^18 - 1) + 223372036854775817) = -9223372036854775808 = -2^63:
     * the smallest int64, a sum that fits */
    const char *const v[] = {NINE("-" MAX18), "-223372036854775817"};
    sum_fits(v, N(v), -9223372036854775807LL - 1);
    /* -(9 * (10^18 - 1) + 10) = -9000000000000000001: fits too */
    const char *const v2[] = {NINE("-" MAX18), "-10"};
    sum_fits(v2, N(v2), -9000000000000000001LL);
}

static void test_sum_of_int64_min_minus_one_is_beyond(void)
{
    /* -(9 * (10^18 - 1) + 223372036854775818) = -9223372036854775809 = -2^63 - 1 */
    const char *const v[] = {NINE("-" MAX18), "-223372036854775818"};
    sum_beyond(v, N(v), "-9223372036854775809");
}

static void test_negative_balance(void)
{
    /* 四、结转下年度 1 -> 5 in 自然人 and 总计: 一 + 二 - 四 = 3 + 1 - 5 = -1, but
     * （七）总计 says 3 (a signed cell in a count table is read as written). */
    const edit e[] = {{GD_TABLE_REQUESTS, CARRIED_FORWARD, NP, "5"},
                      {GD_TABLE_REQUESTS, CARRIED_FORWARD, COL_TOTAL, "5"}};
    const want w[] = {
        ERR_MSG("requests.balance", GD_TABLE_REQUESTS, TOTAL, NP, -1, 3,
                "requests.total.natural_person is 3 but should be -1 ["),
        ERR_MSG("requests.balance", GD_TABLE_REQUESTS, TOTAL, COL_TOTAL, -1, 3,
                "requests.total.total is 3 but should be -1 ["),
    };
    run(e, N(e), ALL_LAYOUTS, 0, w, N(w));
}

/* SCHEMA.md's blank policy: blank and na count as 0, a number is itself, words
 * and an absent cell are not checkable.  years.py reads the same answer. */
static void test_counts_as_zero_kinds(void)
{
    CHECK(gd_counts_as_zero(GD_CELL_EMPTY));
    CHECK(gd_counts_as_zero(GD_CELL_NA));
    CHECK(!gd_counts_as_zero(GD_CELL_NUMBER));
    CHECK(!gd_counts_as_zero(GD_CELL_TEXT));
    CHECK(!gd_counts_as_zero(GD_CELL_ABSENT));
}

/* A finding's span is where in the text it was seen (govdisclose.h): for a run
 * of digits no row can be read from, the digits themselves. */
static void finding_span_is_its_text(void)
{
    char text[256];
    int head = snprintf(text, sizeof text, "%s",
                        "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量");
    memset(text + head, '5', 69);
    memcpy(text + head + 69, "\n", 2);
    size_t len = strlen(text);
    gd_report *rep = t_parse(text, len, 0);
    if (!CHECK(rep != NULL))
        return;
    int seen = 0;
    for (size_t k = 0; k < rep->nfindings; k++) {
        const gd_finding *f = &rep->findings[k];
        if (strcmp(f->code, "parse.glued_cells") != 0)
            continue;
        seen++;
        CHECK_INT(f->span.start, head);
        CHECK_INT(f->span.end, head + 69);
    }
    CHECK_INT(seen, 1);
    gd_report_free(rep);
}

const test_case checks_tests[] = {
    {"finding_span_is_its_text", finding_span_is_its_text},
    {"counts_as_zero_kinds", test_counts_as_zero_kinds},
    {"reconcile_clean", test_reconcile_clean},
    {"mutation_one_cell", test_mutation_one_cell},
    {"mutation_cancel_in_column", test_mutation_cancel_in_column},
    {"mutation_cancel_in_row", test_mutation_cancel_in_row},
    {"mutation_balance", test_mutation_balance},
    {"mutation_total_cell", test_mutation_total_cell},
    {"mutation_carried_forward", test_mutation_carried_forward},
    {"reviews_total_broken", test_reviews_total_broken},
    {"reviews_total_includes_pending", test_reviews_total_includes_pending},
    {"blank_counts_as_zero", test_blank_counts_as_zero},
    {"strict_blank_not_checkable", test_strict_blank_not_checkable},
    {"strict_checks_the_rest", test_strict_checks_the_rest},
    {"sum_of_int64_max_fits", test_sum_of_int64_max_fits},
    {"sum_of_int64_max_plus_one_is_beyond", test_sum_of_int64_max_plus_one_is_beyond},
    {"sum_of_all_rows_at_the_limit", test_sum_of_all_rows_at_the_limit},
    {"sum_of_a_round_number_beyond", test_sum_of_a_round_number_beyond},
    {"sum_of_int64_min_fits", test_sum_of_int64_min_fits},
    {"sum_of_int64_min_minus_one_is_beyond", test_sum_of_int64_min_minus_one_is_beyond},
    {"negative_balance", test_negative_balance},
    {NULL, NULL},
};
