/*
 * test_glued.c -- the splitter of run-together digits (gd_split_digits in
 * internal.h): which readings it finds, what it refuses, and its step budget.
 *
 * Its promises: a reading puts every digit in exactly one cell, a cell has no
 * leading zero unless it is "0" and at most GD_MAX_DIGITS digits, and cells
 * never span white space; it returns how many readings it found, at most
 * max + 1 (more than max: the first max are kept); a search that would pass
 * its budget of steps stops and counts as ambiguous (max + 1), and the steps
 * it took are taken off the caller's budget.  The readings below are worked
 * out by hand from those rules (or from the counts a row was made of).
 */
#include "test.h"

#include "../../src/internal.h"

#include <string.h>

#define MAX 8   /* readings kept, as tables.c keeps them */
#define AMPLE 1000000L

typedef struct {
    int n;         /* what gd_split_digits returned */
    long spent;    /* steps taken off the budget */
    int64_t vals[(MAX + 1) * GD_SPLIT_MAX_PARTS];
    gd_span out[(MAX + 1) * GD_SPLIT_MAX_PARTS];
} split_result;

/* Split `text`, whose groups are its runs of bytes between spaces, into
 * nparts cells with `budget` steps. */
static split_result split(const char *text, int nparts, gd_split_rule rule, int max, long budget)
{
    gd_span groups[40];
    size_t ng = 0, len = strlen(text);
    for (size_t i = 0; i < len; i++) {
        if (text[i] == ' ')
            continue;
        size_t start = i;
        while (i < len && text[i] != ' ')
            i++;
        if (ng < 40) {
            groups[ng].start = start;
            groups[ng].end = i;
        }
        ng++;
    }
    split_result r;
    memset(&r, 0, sizeof r);
    long b = budget;
    r.n = gd_split_digits(text, groups, ng, nparts, rule, max, r.out, r.vals, &b);
    r.spent = budget - b;
    return r;
}

static int values_are(const split_result *r, int reading, int nparts, const int64_t *want)
{
    for (int k = 0; k < nparts; k++)
        if (!CHECK_INT(r->vals[reading * nparts + k], want[k]))
            return 0;
    return 1;
}

/* 大足's 予以公开 row (2, 0, 0, 0, 0, 0, 2) run together: the total allows one reading. */
static void test_split_forced_by_the_row_total(void)
{
    static const int64_t want[7] = {2, 0, 0, 0, 0, 0, 2};
    split_result r = split("2000002", 7, GD_SPLIT_LAST_IS_SUM, MAX, AMPLE);
    if (!CHECK_INT(r.n, 1) || !values_are(&r, 0, 7, want))
        return;
    for (int k = 0; k < 7; k++)
        CHECKF(r.out[k].start == (size_t)k && r.out[k].end == (size_t)k + 1, "cell %d", k);
}

/* One cell is a split too (the whole run), and max 1 keeps one reading. */
static void test_split_into_one_cell_and_max_one(void)
{
    static const int64_t whole[1] = {123}, two[2] = {1, 2};
    split_result r = split("123", 1, GD_SPLIT_FREE, MAX, AMPLE);
    if (CHECK_INT(r.n, 1))
        values_are(&r, 0, 1, whole);
    r = split("12", 2, GD_SPLIT_FREE, 1, AMPLE); /* 1|2 only */
    if (CHECK_INT(r.n, 1))
        values_are(&r, 0, 2, two);
}

/* Arguments out of range are refused: no reading, and no step taken. */
static void test_split_refuses_what_it_cannot_read(void)
{
    static const struct {
        const char *text;
        int nparts, max;
    } cases[] = {
        {"12", 0, MAX},                  /* no cells */
        {"1111111111111111", 16, MAX},   /* more cells than GD_SPLIT_MAX_PARTS */
        {"12", 2, 0},                    /* no reading may be kept */
        {"1a 2", 2, MAX},                /* a byte that is no digit, first group */
        {"1 2a", 2, MAX},                /* ... last group */
        {"1 2 3 4 5 6 7 8 9 1 2 3 4 5 6 7 8 9 1 2 3 4 5 6 7 8 9 1 2 3 4 5 6", 15, MAX}, /* 33 groups */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        t_context("'%s' into %d, max %d", cases[k].text, cases[k].nparts, cases[k].max);
        split_result r = split(cases[k].text, cases[k].nparts, GD_SPLIT_FREE, cases[k].max, AMPLE);
        CHECK_INT(r.n, 0);
        CHECK_INT(r.spent, 0);
    }
    t_context("no groups");
    gd_span groups[2] = {{0, 1}, {2, 3}};
    gd_span out[2];
    int64_t vals[2];
    long b = AMPLE;
    CHECK_INT(gd_split_digits("1 2", groups, 0, 1, GD_SPLIT_FREE, MAX, out, vals, &b), 0);
    CHECK_INT(b, AMPLE);
    t_context("%s", "");
}

/* A cell holds at most GD_MAX_DIGITS (18) digits, even when that leaves no reading. */
static void test_split_cells_of_at_most_18_digits(void)
{
    static const int64_t two18[2] = {999999999999999999LL, 999999999999999999LL};
    /* 1 and nineteen 0s: the one reading in two cells is 10^18 | 0, a cell of 19 digits */
    split_result r = split("10000000000000000000", 2, GD_SPLIT_FREE, MAX, AMPLE);
    CHECK_INT(r.n, 0);
    /* two groups of 18 digits: each is a cell */
    r = split("999999999999999999 999999999999999999", 2, GD_SPLIT_FREE, MAX, AMPLE);
    if (CHECK_INT(r.n, 1))
        values_are(&r, 0, 2, two18);
    /* 130 digits cannot fill 7 cells of at most 18: no reading (not "ambiguous") */
    char fives[131];
    memset(fives, '5', 130);
    fives[130] = 0;
    r = split(fives, 7, GD_SPLIT_LAST_IS_SUM, MAX, AMPLE);
    CHECK_INT(r.n, 0);
}

/* More readings than it keeps: max + 1, the first max kept, shortest first cell first. */
static void test_split_more_readings_than_kept(void)
{
    /* 1234567890 in two cells: 1|234567890 ... 123456789|0, nine readings */
    split_result r = split("1234567890", 2, GD_SPLIT_FREE, MAX, AMPLE);
    if (!CHECK_INT(r.n, MAX + 1))
        return;
    int64_t head = 0, tail = 1234567890;
    for (int k = 0; k < MAX; k++) {
        int64_t p = 1;
        for (int d = 0; d < 9 - k; d++)
            p *= 10;
        head = head * 10 + (k + 1);
        tail %= p;
        int64_t want[2] = {head, tail};
        t_context("reading %d", k);
        values_are(&r, k, 2, want);
    }
    t_context("%s", "");
    r = split("1234567890", 2, GD_SPLIT_FREE, MAX + 1, AMPLE); /* room for all nine */
    CHECK_INT(r.n, MAX + 1);
}

/* The budget: a search takes steps off it; the steps it took are enough to repeat it,
 * one fewer is not (the search stops and says ambiguous), and none left is ambiguous. */
static void test_split_budget_is_counted(void)
{
    static const struct {
        const char *text;
        int nparts;
        gd_split_rule rule;
    } cases[] = {
        {"2000002", 7, GD_SPLIT_LAST_IS_SUM},        /* one reading */
        {"110000011", 7, GD_SPLIT_LAST_IS_SUM},      /* two */
        {"1011110020133", 7, GD_SPLIT_LAST_IS_SUM},  /* eight */
        {"1234567890", 2, GD_SPLIT_FREE},            /* nine: more than kept */
        {"12", 3, GD_SPLIT_FREE},                    /* too few digits: none, at once */
        {"1 2", 2, GD_SPLIT_FREE},                   /* one, across white space */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        t_context("'%s' into %d", cases[k].text, cases[k].nparts);
        split_result r = split(cases[k].text, cases[k].nparts, cases[k].rule, MAX, AMPLE);
        if (!CHECK(r.spent >= 1 && r.spent < AMPLE))
            continue;
        split_result again = split(cases[k].text, cases[k].nparts, cases[k].rule, MAX, r.spent);
        CHECK_INT(again.n, r.n);
        CHECK_INT(again.spent, r.spent);
        if (r.n >= 1 && r.n <= MAX)
            CHECK(memcmp(again.vals, r.vals, sizeof(int64_t) * (size_t)(r.n * cases[k].nparts)) == 0);
        if (r.spent > 1) {
            split_result short_ = split(cases[k].text, cases[k].nparts, cases[k].rule, MAX, r.spent - 1);
            CHECK_INT(short_.n, MAX + 1);
        }
        for (long none = -1; none <= 0; none++)
            CHECK_INT(split(cases[k].text, cases[k].nparts, cases[k].rule, MAX, none).n, MAX + 1);
    }
    t_context("%s", "");
}

const test_case glued_tests[] = {
    {"split_forced_by_the_row_total", test_split_forced_by_the_row_total},
    {"split_into_one_cell_and_max_one", test_split_into_one_cell_and_max_one},
    {"split_refuses_what_it_cannot_read", test_split_refuses_what_it_cannot_read},
    {"split_cells_of_at_most_18_digits", test_split_cells_of_at_most_18_digits},
    {"split_more_readings_than_kept", test_split_more_readings_than_kept},
    {"split_budget_is_counted", test_split_budget_is_counted},
    {NULL, NULL},
};
