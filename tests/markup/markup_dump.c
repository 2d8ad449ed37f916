/*
 * markup_dump.c -- a small harness around the markup stage (src/read/markup.c),
 * built by tests/test_markup.py with cc against the core files of src/ (and with
 * -fsanitize=address,undefined).  Plain C, no Python.
 *
 *   markup_dump text   FORMAT FILE   the text gd_parse() read (report->text)
 *   markup_dump cells  FORMAT FILE   every cell the parse found, one a line:
 *                                    "PATH<TAB>KIND<TAB>VALUE<TAB>START<TAB>END<TAB>RAW"
 *                                    (START, END: the cell's span in the input;
 *                                    RAW: the cell as the parser read it), then
 *                                    meta, unplaced and finding lines
 *   markup_dump check  FORMAT FILE   run gd_markup_to_text() alone and check
 *                                    its contract (map, text, lines); prints
 *                                    "ok LEN" or what is wrong, exit 1
 *   markup_dump oom    FORMAT FILE   fail the K-th allocation for every K
 *                                    until none fails: each must end in
 *                                    GD_ERR_NOMEM with nothing leaked
 *   markup_dump fuzz   FORMAT FILE SEED COUNT
 *                                    parse COUNT random truncations and
 *                                    splices of FILE, checking the contract
 *
 * FORMAT is text, html or docx; FILE "-" is standard input.
 */
#include "govdisclose.h"
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Input ---- */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            break;
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        char *nb = realloc(buf, cap *= 2);
        if (!nb)
            free(buf);
        buf = nb;
    }
    if (f != stdin)
        fclose(f);
    *len = n;
    return buf;
}

static int parse_format(const char *s, gd_format *fmt)
{
    if (strcmp(s, "text") == 0)
        *fmt = GD_FORMAT_TEXT;
    else if (strcmp(s, "html") == 0)
        *fmt = GD_FORMAT_HTML;
    else if (strcmp(s, "docx") == 0)
        *fmt = GD_FORMAT_DOCX;
    else
        return -1;
    return 0;
}

/* ---- A counting allocator that can be told to fail ---- */

typedef struct {
    long calls;   /* malloc and realloc calls so far */
    long fail_at; /* the call that fails (1-based), 0: none */
    long live;    /* blocks not freed */
} counting;

static void *c_malloc(void *ctx, size_t n)
{
    counting *a = ctx;
    if (++a->calls == a->fail_at)
        return NULL;
    void *p = malloc(n);
    if (p)
        a->live++;
    return p;
}

static void *c_realloc(void *ctx, void *p, size_t n)
{
    counting *a = ctx;
    if (++a->calls == a->fail_at)
        return NULL;
    void *q = realloc(p, n);
    if (q && !p)
        a->live++;
    return q;
}

static void c_free(void *ctx, void *p)
{
    counting *a = ctx;
    if (p)
        a->live--;
    free(p);
}

/* ---- The contract of gd_markup_to_text() ---- */

/* Returns NULL when text/map keep the contract, else what is wrong. */
static const char *contract(const char *src, size_t n, const char *t, size_t len,
                            const uint32_t *map)
{
    if (map[len] != n)
        return "map[len] != src_len";
    for (size_t i = 0; i < len; i++) {
        if (map[i] >= n)
            return "map points past the input";
        if (i && map[i] < map[i - 1])
            return "map decreases";
        unsigned char b = (unsigned char)t[i];
        if (b < 0x20 && b != '\n')
            return "control byte in the text";
    }
    /* valid UTF-8, each multi-byte character copied from the input or from a
     * character reference there */
    for (size_t i = 0; i < len;) {
        unsigned char b = (unsigned char)t[i];
        size_t k = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3
                                   : (b & 0xF8) == 0xF0 ? 4 : 0;
        if (!k || i + k > len)
            return "text is not UTF-8";
        for (size_t j = 1; j < k; j++)
            if (((unsigned char)t[i + j] & 0xC0) != 0x80)
                return "text is not UTF-8";
        if (k > 1 && src[map[i]] != '&' && memcmp(src + map[i], t + i, k) != 0)
            return "a character does not come from where the map says";
        i += k;
    }
    /* a line that opens as a row closes as one */
    size_t ls = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || t[i] == '\n') {
            if (i > ls && t[ls] == '|' && t[i - 1] != '|')
                return "a row line that does not end with '|'";
            ls = i + 1;
        }
    }
    return NULL;
}

/* Run the stage alone on src; 0 when it kept its contract. */
static int check_stage(const char *src, size_t n, gd_format fmt, counting *ca, int quiet)
{
    gd_allocator a = {c_malloc, c_realloc, c_free, ca};
    gd_ctx c;
    memset(&c, 0, sizeof c);
    c.text = c.src = src;
    c.len = c.src_len = n;
    c.format = fmt;
    c.alloc = &a;
    int rc = gd_markup_to_text(&c);
    if (rc != 0) {
        if (!c.oom || ca->live != 0) {
            printf("failed without oom or leaked %ld blocks\n", ca->live);
            return 1;
        }
        return 2; /* out of memory, cleanly */
    }
    const char *why = contract(src, n, c.text, c.len, c.map);
    if (why)
        printf("contract: %s\n", why);
    else if (!quiet)
        printf("ok %zu\n", c.len);
    c_free(ca, (void *)c.text);
    c_free(ca, c.map);
    if (why)
        return 1;
    if (ca->live != 0) {
        printf("leaked %ld blocks\n", ca->live);
        return 1;
    }
    return 0;
}

/* ---- Commands ---- */

static const char *kind_name(gd_cell_kind k)
{
    switch (k) {
    case GD_CELL_NUMBER: return "number";
    case GD_CELL_EMPTY: return "empty";
    case GD_CELL_NA: return "na";
    case GD_CELL_TEXT: return "text";
    default: return "absent";
    }
}

static void print_number(const gd_cell *cl)
{
    int64_t u = cl->units;
    uint64_t mag = u < 0 ? (uint64_t)0 - (uint64_t)u : (uint64_t)u;
    char digits[32];
    int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)mag);
    if (u < 0)
        putchar('-');
    if (cl->scale <= 0) {
        fputs(digits, stdout);
        return;
    }
    int s = cl->scale;
    if (nd <= s) {
        printf("0.");
        for (int k = nd; k < s; k++)
            putchar('0');
        fputs(digits, stdout);
        return;
    }
    printf("%.*s.%s", nd - s, digits, digits + nd - s);
}

static int cmd_cells(const gd_report *r)
{
    char path[160];
    for (int t = 0; t < GD_NTABLES; t++) {
        const gd_table *tab = &r->tables[t];
        for (int row = 0; row < GD_MAX_ROWS; row++)
            for (int col = 0; col < GD_MAX_COLS; col++) {
                const gd_cell *cl = &tab->cells[row][col];
                if (cl->kind == GD_CELL_ABSENT)
                    continue;
                gd_cell_path(t, row, col, path, sizeof path);
                printf("%s\t%s\t", path, kind_name(cl->kind));
                if (cl->kind == GD_CELL_NUMBER)
                    print_number(cl);
                else
                    fwrite(r->text + cl->raw.start, 1, cl->raw.end - cl->raw.start, stdout);
                /* where it is in the input, and as the parser read it */
                printf("\t%zu\t%zu\t", cl->span.start, cl->span.end);
                fwrite(r->text + cl->raw.start, 1, cl->raw.end - cl->raw.start, stdout);
                putchar('\n');
            }
    }
    printf("meta.agency\t%s\n", r->agency ? r->agency : "");
    printf("meta.year\t%d\n", r->year);
    printf("meta.published\t%04d-%02d-%02d\n", r->pub_year, r->pub_month, r->pub_day);
    printf("meta.template\t%d\n", (int)r->template);
    for (size_t i = 0; i < r->nunplaced; i++) {
        const gd_unplaced *u = &r->unplaced[i];
        printf("unplaced\t%d\t", u->table);
        fwrite(r->text + u->raw.start, 1, u->raw.end - u->raw.start, stdout);
        putchar('\n');
    }
    for (size_t i = 0; i < r->nfindings; i++)
        printf("finding\t%s\n", r->findings[i].code);
    return 0;
}

/* A small deterministic generator (xorshift), so that failures reproduce. */
static uint64_t next_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* Back up to the start of a UTF-8 character. */
static size_t char_start(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

static int cmd_fuzz(const char *src, size_t n, gd_format fmt, uint64_t seed, long count)
{
    static const char *const pieces[] = {
        "<", ">", "</", "<td>", "</td>", "<tr>", "</tr>", "<table>", "</table>", "<td rowspan=22>",
        "<!--", "-->", "<script>", "</script>", "&", "&#", "&#x", "&nbsp", "&nbsp;", "&#1114112;",
        "&#xD800;", "\"", "'", "<p>", "</p>", "<br>", "<w:tc>", "</w:tc>", "<w:vMerge/>", "<w:t>",
        "</w:t>", "<w:tbl>", "</w:tbl>", "<w:tr>", "<![CDATA[", "]]>", "<?", "?>", "<title>",
        "<td colspan=\"4\" style=\"a>b\">", "|", "\t", "\xE4\xB8\x80", "<o:p>", "</o:p>",
        "<mc:Fallback>", "</mc:Fallback>", "<w:tabs>", "<w:tab/>", "<!DOCTYPE html>"};
    const size_t npieces = sizeof pieces / sizeof pieces[0];
    uint64_t st = seed ? seed : 88172645463325252ULL;
    char *buf = malloc(n + 4096);
    if (!buf)
        return 1;
    for (long it = 0; it < count; it++) {
        size_t len;
        uint64_t r = next_rand(&st);
        if (r % 3 == 0 || n == 0) { /* a truncation */
            size_t cut = (size_t)(next_rand(&st) % (n + 1));
            len = cut == n ? n : char_start(src, cut);
            memcpy(buf, src, len);
        } else { /* a few splices of markup pieces, cut at a random point */
            len = 0;
            size_t from = 0;
            int edits = 1 + (int)(next_rand(&st) % 8);
            for (int e = 0; e < edits; e++) {
                size_t at = char_start(src, from + (size_t)(next_rand(&st) % (n - from + 1)));
                if (at < from)
                    at = from;
                memcpy(buf + len, src + from, at - from);
                len += at - from;
                const char *p = pieces[next_rand(&st) % npieces];
                size_t pl = strlen(p);
                if (len + pl + (n - at) > n + 4096)
                    break;
                memcpy(buf + len, p, pl);
                len += pl;
                from = at;
                if (next_rand(&st) % 4 == 0 && from < n) /* drop some input too */
                    from = char_start(src, from + (size_t)(next_rand(&st) % (n - from)));
                if (from < at)
                    from = at;
            }
            memcpy(buf + len, src + from, n - from);
            len += n - from;
        }
        counting ca = {0, 0, 0};
        if (check_stage(buf, len, fmt, &ca, 1) == 1) {
            printf("fuzz case %ld (seed %llu) broke the contract\n", it, (unsigned long long)seed);
            FILE *f = fopen("markup_fuzz_failure.bin", "wb");
            if (f) {
                fwrite(buf, 1, len, f);
                fclose(f);
            }
            free(buf);
            return 1;
        }
        gd_options o = {0, NULL, fmt};
        gd_report *rep = NULL;
        gd_status stt = gd_parse(buf, len, &o, &rep, NULL);
        if (stt != GD_OK && stt != GD_ERR_UTF8) {
            printf("fuzz case %ld: gd_parse: %s\n", it, gd_status_message(stt));
            free(buf);
            return 1;
        }
        gd_report_free(rep);
    }
    free(buf);
    printf("ok %ld\n", count);
    return 0;
}

static int cmd_oom(const char *src, size_t n, gd_format fmt)
{
    long k;
    for (k = 1;; k++) {
        counting ca = {0, k, 0};
        int rc = check_stage(src, n, fmt, &ca, 1);
        if (rc == 1)
            return 1;
        if (rc == 0)
            break;
    }
    long stage_calls = k - 1;
    /* the whole parse, failing every allocation in turn */
    for (k = 1;; k++) {
        counting ca = {0, k, 0};
        gd_allocator a = {c_malloc, c_realloc, c_free, &ca};
        gd_options o = {0, &a, fmt};
        gd_report *rep = NULL;
        gd_status st = gd_parse(src, n, &o, &rep, NULL);
        if (st == GD_OK) {
            gd_report_free(rep);
            if (ca.live) {
                printf("parse leaked %ld blocks\n", ca.live);
                return 1;
            }
            break;
        }
        if (st != GD_ERR_NOMEM || rep || ca.live) {
            printf("allocation %ld failing: status %d, %ld blocks leaked\n", k, (int)st, ca.live);
            return 1;
        }
    }
    printf("ok %ld %ld\n", stage_calls, k - 1);
    return 0;
}

int main(int argc, char **argv)
{
    gd_format fmt;
    if (argc < 4 || parse_format(argv[2], &fmt)) {
        fprintf(stderr, "usage: %s text|cells|check|oom|fuzz text|html|docx FILE [SEED COUNT]\n",
                argv[0]);
        return 2;
    }
    size_t n;
    char *src = read_all(argv[3], &n);
    if (!src)
        return 2;
    int rc = 0;
    const char *cmd = argv[1];
    if (strcmp(cmd, "check") == 0) {
        counting ca = {0, 0, 0};
        rc = check_stage(src, n, fmt, &ca, 0) != 0;
    } else if (strcmp(cmd, "oom") == 0) {
        rc = cmd_oom(src, n, fmt);
    } else if (strcmp(cmd, "fuzz") == 0) {
        if (argc < 6) {
            free(src);
            return 2;
        }
        rc = cmd_fuzz(src, n, fmt, strtoull(argv[4], NULL, 10), strtol(argv[5], NULL, 10));
    } else if (strcmp(cmd, "text") == 0 || strcmp(cmd, "cells") == 0) {
        gd_options o = {0, NULL, fmt};
        gd_report *rep = NULL;
        size_t bad = 0;
        gd_status st = gd_parse(src, n, &o, &rep, &bad);
        if (st != GD_OK) {
            printf("error\t%s\t%zu\n", gd_status_message(st), bad);
            rc = 1;
        } else if (cmd[0] == 't') {
            fwrite(rep->text, 1, rep->text_len, stdout);
        } else {
            rc = cmd_cells(rep);
        }
        gd_report_free(rep);
    } else {
        fprintf(stderr, "unknown command %s\n", cmd);
        rc = 2;
    }
    free(src);
    return rc;
}
