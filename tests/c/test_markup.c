/*
 * test_markup.c -- the tag scans of the markup stage (src/markup.c): where a
 * tag ends when its attributes hold quotes, '=' and '>', with each of them at
 * every offset around the 16- and 64-byte blocks the scans read.
 *
 * gd_markup_to_text() runs alone on an input in a buffer of exactly its size
 * (so that AddressSanitizer sees a read past it), and its text must be the
 * text written here by hand.
 */
#include "test.h"

#include "../../src/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *a_malloc(void *ctx, size_t n)
{
    (void)ctx;
    return malloc(n);
}

static void *a_realloc(void *ctx, void *p, size_t n)
{
    (void)ctx;
    return realloc(p, n);
}

static void a_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

static const gd_allocator heap = {a_malloc, a_realloc, a_free, NULL};

/* The text of input[0..n) read as format, checked against expected. */
static int text_is(gd_format format, const char *input, size_t n, const char *expected)
{
    char *src = malloc(n ? n : 1);
    if (!CHECK(src != NULL))
        return 0;
    memcpy(src, input, n);
    gd_ctx c;
    memset(&c, 0, sizeof c);
    c.src = src;
    c.src_len = n;
    c.format = format;
    c.alloc = &heap;
    int ok = CHECK_INT(gd_markup_to_text(&c), 0);
    if (ok) {
        ok = CHECK_MEM(c.text, c.len, expected);
        ok &= CHECK_INT(c.map[c.len], n);
        free((void *)c.text);
        free(c.map);
    }
    free(src);
    return ok;
}

/* a copy of ch, k times */
static char *rep(char *p, char ch, size_t k)
{
    memset(p, ch, k);
    return p + k;
}

/* <span style="v bytes>w bytes" id='u bytes>'>T</span>, after a bytes of
 * text: the '>' in each quoted value does not end the tag. */
static void test_quoted_gt_every_offset(void)
{
    char in[512], want[64];
    for (size_t a = 0; a < 17; a++) {
        for (size_t v = 0; v < 70; v++) {
            for (size_t w = 0; w < 20; w += (v < 20 ? 1 : 7)) {
                char *p = rep(in, 'x', a);
                p += sprintf(p, "<span style=\"");
                p = rep(p, 'a', v);
                *p++ = '>';
                p = rep(p, 'b', w);
                p += sprintf(p, "\" id='");
                p = rep(p, 'c', w);
                p += sprintf(p, ">'>T</span>");
                memset(want, 'x', a);
                strcpy(want + a, "T\n");
                t_context("a=%zu v=%zu w=%zu", a, v, w);
                if (!text_is(GD_FORMAT_HTML, in, (size_t)(p - in), want))
                    return;
            }
        }
    }
    t_context("%s", "");
}

/* An attribute name of k bytes before '=' and the quote, at every offset;
 * the input ends right at the tag's '>', or the value is never closed. */
static void test_name_and_cut_every_offset(void)
{
    char in[256];
    for (size_t k = 1; k < 70; k++) {
        char *p = in + sprintf(in, "P<font ");
        p = rep(p, 'n', k);
        p += sprintf(p, "=\"q>\">");
        t_context("k=%zu", k);
        if (!text_is(GD_FORMAT_HTML, in, (size_t)(p - in), "P\n"))
            return;
        /* no closing quote: the tag is cut off, and so is the rest */
        if (!text_is(GD_FORMAT_HTML, in, (size_t)(p - in) - 2, "P\n"))
            return;
        /* the same with text after the last '>' */
        p += sprintf(p, "Z");
        if (!text_is(GD_FORMAT_HTML, in, (size_t)(p - in), "PZ\n"))
            return;
    }
    t_context("%s", "");
}

/* Quotes that do not open a value, at every offset: in an unquoted value,
 * in a name, after "==", after white space before '='. */
static void test_quotes_that_open_nothing(void)
{
    static const struct {
        const char *attrs, *want;
    } cases[] = {
        {"b=c\"d>e\">T", "e\">T\n"},       /* unquoted value c"d */
        {"\"a=\">b\">T", "T\n"},           /* the name "a, then a quoted value */
        {"a = \"x>y\">T", "T\n"},          /* white space around '=' */
        {"a==\"x>y\">T", "y\">T\n"},       /* the value ="x is unquoted */
        {"=\">\"x>T", "\"x>T\n"},          /* a name that starts with '=' */
        {"a /=\"x>y\">T", "y\">T\n"},      /* '/' then '=': a name "=\"x" */
        {"a b=\"x>y\" c='>'>T", "T\n"},    /* two quoted values */
        {"a='x\"y>z'>T", "T\n"},           /* the other quote inside */
        {"a=\"x\"b=\"y>\">T", "T\n"},      /* no space between values */
        {"a=b c=\"x>y\">T", "T\n"},        /* an unquoted value, then a quoted one */
    };
    char in[256], want[128];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (size_t k = 0; k < 40; k++) {
            char *p = in + sprintf(in, "<span");
            p = rep(p, ' ', k + 1);
            p += sprintf(p, "%s</span>", cases[c].attrs);
            snprintf(want, sizeof want, "%s", cases[c].want);
            t_context("case %zu k=%zu", c, k);
            if (!text_is(GD_FORMAT_HTML, in, (size_t)(p - in), want))
                return;
        }
    }
    t_context("%s", "");
}

/* A tag with no attributes, and '>' at every offset after white space. */
static void test_gt_every_offset(void)
{
    char in[128];
    for (size_t k = 0; k < 70; k++) {
        char *p = in + sprintf(in, "a<span");
        p = rep(p, k % 2 ? '\n' : ' ', k);
        p += sprintf(p, ">b</span >c");
        t_context("k=%zu", k);
        if (!text_is(GD_FORMAT_HTML, in, (size_t)(p - in), "abc\n"))
            return;
    }
    t_context("%s", "");
}

/* DOCX reads quoted values the same way: a '>' in one does not end w:t. */
static void test_docx_quoted_gt(void)
{
    char in[256];
    for (size_t k = 0; k < 40; k++) {
        char *p = in + sprintf(in, "<w:p><w:r><w:t xml:space=\"");
        p = rep(p, 'p', k);
        p += sprintf(p, ">\">T</w:t></w:r></w:p>");
        t_context("k=%zu", k);
        if (!text_is(GD_FORMAT_DOCX, in, (size_t)(p - in), "T\n"))
            return;
    }
    t_context("%s", "");
}

/* The map of copied text, written four offsets a store: every text byte of
 * runs of every length at every offset maps to the input byte it copies. */
static void test_map_of_runs(void)
{
    char in[128];
    for (size_t a = 0; a < 9; a++) {
        for (size_t len = 1; len < 40; len++) {
            char *p = in + sprintf(in, "<b>");
            memset(p, 'x', a);
            p += a;
            p += sprintf(p, "<i>");
            size_t y0 = (size_t)(p - in);
            p = rep(p, 'y', len);
            p += sprintf(p, "</i>");
            size_t n = (size_t)(p - in);
            gd_ctx c;
            memset(&c, 0, sizeof c);
            c.src = in;
            c.src_len = n;
            c.format = GD_FORMAT_HTML;
            c.alloc = &heap;
            t_context("a=%zu len=%zu", a, len);
            if (!CHECK_INT(gd_markup_to_text(&c), 0))
                return;
            int ok = CHECK_INT(c.len, a + len + 1);
            for (size_t k = 0; ok && k < a; k++)
                ok = CHECK_INT(c.map[k], 3 + k);
            for (size_t k = 0; ok && k < len; k++)
                ok = CHECK_INT(c.map[a + k], y0 + k) && CHECK_INT(c.text[a + k], 'y');
            ok = ok && CHECK_INT(c.map[c.len], n);
            free((void *)c.text);
            free(c.map);
            if (!ok)
                return;
        }
    }
    t_context("%s", "");
}

/* A finding with no place and a table not found keep the span {0,0} the
 * header promises, not the offset where the page's text begins. */
static void test_no_place_stays_zero(void)
{
    static const char page[] = "<html><body><p>某某局2021年政府信息公开工作年度报告</p>"
                               "<p>一、总体情况</p></body></html>";
    gd_options opts = {0, NULL, GD_FORMAT_HTML};
    gd_report *rep = NULL;
    if (!CHECK_INT(gd_parse(page, sizeof page - 1, &opts, &rep, NULL), GD_OK))
        return;
    int missing = 0;
    for (size_t i = 0; i < rep->nfindings; i++) {
        const gd_finding *f = &rep->findings[i];
        if (strcmp(f->code, "parse.missing_table") == 0) {
            missing++;
            CHECK_INT(f->span.start, 0);
            CHECK_INT(f->span.end, 0);
        }
    }
    CHECK_INT(missing, 3);
    CHECK_INT(rep->tables[GD_TABLE_ACTIVE].span.start, 0);
    CHECK_INT(rep->tables[GD_TABLE_ACTIVE].span.end, 0);
    gd_report_free(rep);
}

const test_case markup_tests[] = {
    {"markup_quoted_gt_every_offset", test_quoted_gt_every_offset},
    {"markup_name_and_cut_every_offset", test_name_and_cut_every_offset},
    {"markup_quotes_that_open_nothing", test_quotes_that_open_nothing},
    {"markup_gt_every_offset", test_gt_every_offset},
    {"markup_docx_quoted_gt", test_docx_quoted_gt},
    {"markup_map_of_runs", test_map_of_runs},
    {"markup_no_place_stays_zero", test_no_place_stays_zero},
    {NULL, NULL},
};
