/*
 * test_word97.c -- the Word 97-2003 reader (src/read/doc.c, cfb.c) on the
 * corpus's .doc files: the text and rows it gives, and every truncation and
 * many corruptions of them read to a text or refused, within bounds (ASan and
 * valgrind see each read).  The bad inputs of issue 12 are pytest's
 * (tests/test_doc.py, made by tests/doc_inputs.py) and the fuzzer's.
 */
#include "test.h"

#include <stdlib.h>
#include <string.h>

static char *doc_text(const char *data, size_t len, gd_status *st, const char **why,
                      size_t *text_len)
{
    char *copy = malloc(len ? len : 1); /* exact size: a read past the end is seen */
    if (!CHECK(copy != NULL))
        return NULL;
    memcpy(copy, data, len);
    char *text = NULL;
    *st = gd_doc_to_text(copy, len, NULL, &text, text_len, why);
    free(copy);
    return text;
}

static int has(const char *text, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(text + i, needle, n) == 0)
            return 1;
    return 0;
}

static void reads_hongze_rows(void)
{
    size_t len, tlen;
    char *data = t_read_corpus("formats/hongze-2023.doc", &len);
    if (!data)
        return;
    gd_status st;
    const char *why;
    char *text = doc_text(data, len, &st, &why, &tlen);
    if (CHECK_INT(st, GD_OK) && CHECK(text != NULL)) {
        /* rows of cells as from DOCX: a merged cell once, its continuation left out */
        CHECK(has(text, tlen, "\n|规章|0|0|0|\n"));
        CHECK(has(text, tlen, "\n|一、本年新收政府信息公开申请数量|21|0|0|0|0|0|21|\n"));
        CHECK(has(text, tlen, "\n|（三）不予公开|1.属于国家秘密|1|0|0|0|0|0|1|\n"));
        CHECK(has(text, tlen, "\n|行政事业性收费|7730.28|\n"));
        CHECK(!has(text, tlen, "\t"));
        gd_report *r = t_parse(text, tlen, 0);
        if (CHECK(r != NULL)) {
            CHECK_INT(r->year, 2023);
            CHECK_STR(r->agency, "洪泽区人民政府");
            gd_report_free(r);
        }
    }
    free(text);
    free(data);
}

static void truncations_are_refused_or_read(void)
{
    size_t len, tlen;
    char *data = t_read_corpus("formats/hongze-2023.doc", &len);
    if (!data)
        return;
    size_t refused = 0;
    for (size_t cut = 0; cut < len; cut += cut < 2048 ? 61 : 997) {
        gd_status st;
        const char *why = NULL;
        char *text = doc_text(data, cut, &st, &why, &tlen);
        if (!CHECKF(st == GD_OK || (st == GD_ERR_FORMAT && why && *why), "cut at %zu: %d", cut,
                    (int)st))
            break;
        refused += st == GD_ERR_FORMAT;
        free(text);
    }
    CHECK(refused > 0);
    free(data);
}

static void corruptions_stay_in_bounds(void)
{
    size_t len, tlen;
    char *data = t_read_corpus("formats/hongze-2023.doc", &len);
    if (!data)
        return;
    /* every byte of the header, the FAT and the directory set to 0xFF and to
     * 0x00 in turn, then bytes throughout the file */
    for (size_t at = 0; at < len; at += at < 1024 ? 1 : 509) {
        for (int v = 0; v < 2; v++) {
            char keep = data[at];
            data[at] = v ? '\xFF' : '\0';
            gd_status st;
            const char *why = NULL;
            char *text = doc_text(data, len, &st, &why, &tlen);
            data[at] = keep;
            if (!CHECKF(st == GD_OK || (st == GD_ERR_FORMAT && why && *why),
                        "byte %zu = %d: status %d", at, v, (int)st))
                goto out;
            free(text);
        }
    }
out:
    free(data);
}

static void other_containers_are_named(void)
{
    gd_status st;
    const char *why = NULL;
    size_t tlen;
    static const char header[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    char *text = doc_text(header, 8, &st, &why, &tlen);
    CHECK_INT(st, GD_ERR_FORMAT);
    CHECK(why && strstr(why, "truncated"));
    free(text);
    CHECK_INT(gd_doc_to_text(NULL, 0, NULL, NULL, NULL, NULL), GD_ERR_ARG);
}

/* An allocator that fails its k-th call (malloc or realloc) and counts the
 * blocks alive, each with a size header so realloc and free can find it. */
typedef struct {
    long calls, fail_at, live;
} failing_alloc;

static void *fa_malloc(void *ctx, size_t n)
{
    failing_alloc *a = ctx;
    if (++a->calls == a->fail_at)
        return NULL;
    void *p = malloc(n ? n : 1);
    a->live += p != NULL;
    return p;
}

static void *fa_realloc(void *ctx, void *ptr, size_t n)
{
    failing_alloc *a = ctx;
    if (++a->calls == a->fail_at)
        return NULL; /* ptr stays the caller's */
    void *p = realloc(ptr, n ? n : 1);
    a->live += ptr == NULL && p != NULL;
    return p;
}

static void fa_free(void *ctx, void *ptr)
{
    failing_alloc *a = ctx;
    a->live -= ptr != NULL;
    free(ptr);
}

/* Every allocation of a read failing in turn: GD_ERR_NOMEM, no text, every
 * block freed; then the read that succeeds gives the text the plain one does. */
static void allocation_failures_are_clean(void)
{
    size_t len, want_len = 0, tlen;
    char *data = t_read_corpus("formats/hongze-2023.doc", &len);
    if (!data)
        return;
    gd_status st;
    const char *why;
    char *want = doc_text(data, len, &st, &why, &want_len);
    long k;
    for (k = 1; k < 100000; k++) {
        failing_alloc a = {0, k, 0};
        gd_allocator al = {fa_malloc, fa_realloc, fa_free, &a};
        char *text = NULL;
        st = gd_doc_to_text(data, len, &al, &text, &tlen, &why);
        if (st == GD_OK) {
            CHECK(want != NULL && tlen == want_len && memcmp(text, want, tlen) == 0);
            fa_free(&a, text);
            CHECKF(a.live == 0, "%ld block(s) leaked by the read that succeeded", a.live);
            break;
        }
        int ok = CHECKF(st == GD_ERR_NOMEM, "k=%ld: status %d, expected GD_ERR_NOMEM", k, (int)st);
        ok &= CHECKF(text == NULL, "k=%ld: a text after GD_ERR_NOMEM", k);
        ok &= CHECKF(a.live == 0, "k=%ld: %ld block(s) leaked after GD_ERR_NOMEM", k, a.live);
        if (!ok)
            break;
    }
    CHECKF(k > 1, "the read allocated nothing");
    free(want);
    free(data);
}

const test_case word97_tests[] = {
    {"word97_allocation_failures_are_clean", allocation_failures_are_clean},
    {"word97_reads_hongze_rows", reads_hongze_rows},
    {"word97_truncations_are_refused_or_read", truncations_are_refused_or_read},
    {"word97_corruptions_stay_in_bounds", corruptions_stay_in_bounds},
    {"word97_other_containers_are_named", other_containers_are_named},
    {NULL, NULL},
};
