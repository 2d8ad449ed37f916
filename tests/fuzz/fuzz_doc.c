/*
 * fuzz_doc.c -- the Word 97-2003 reader (gd_doc_to_text, src/read/doc.c and
 * cfb.c) on arbitrary bytes, then gd_parse() on the text it gives, with
 * allocations that fail.
 *
 * Checks, beyond "no crash, no hang, no leak, no undefined behaviour":
 *  - the status is GD_OK or GD_ERR_FORMAT (with a reason), never another;
 *  - the text is valid UTF-8 with no byte the lexer reads as a cell border
 *    outside the "|cell|" rows the reader writes (no tab), and parses (GD_OK)
 *    to a report that keeps the contract of govdisclose.h (fuzz_common.h);
 *  - reading again gives the same text (no state kept between calls);
 *  - a failed allocation is GD_ERR_NOMEM with nothing leaked.
 * Inputs are most useful when they start as a compound file: the seeds are
 * small Word documents (tests/doc_inputs.py) and the corpus's .doc files.
 */
#include "fuzz_common.h"

static gd_status read_doc(const uint8_t *data, size_t size, const gd_allocator *a, char **text,
                          size_t *len, const char **why)
{
    *text = (char *)(uintptr_t)1;
    *why = NULL;
    return gd_doc_to_text((const char *)data, size, a, text, len, why);
}

static void oom_paths(const uint8_t *data, size_t size)
{
    uint32_t h = fuzz_hash(data, size); /* a quarter of the inputs, as fuzz_oom_paths */
    if (h % 4 != 0)
        return;
    fuzz_pool pool = {0, 0, 0, 0};
    gd_allocator a = fuzz_allocator(&pool);
    char *text;
    size_t len;
    const char *why;
    gd_status st = read_doc(data, size, &a, &text, &len, &why);
    if (st == GD_OK)
        a.free(a.ctx, text);
    FUZZ_REQUIRE(pool.live == 0, "%ld blocks leaked by a normal read", pool.live);
    size_t total = pool.calls;
    if (total == 0)
        return;
    h = h * 2654435761u + 1;
    size_t points[3] = {1, total, 1 + h % total};
    for (int k = 0; k < 3; k++) {
        fuzz_pool p = {0, points[k], 0, 0};
        gd_allocator fa = fuzz_allocator(&p);
        gd_status fs = read_doc(data, size, &fa, &text, &len, &why);
        FUZZ_REQUIRE(!p.failed || fs == GD_ERR_NOMEM || fs == GD_ERR_FORMAT,
                     "allocation %zu of %zu failed but the reader returned %d", points[k],
                     total, (int)fs);
        if (fs == GD_OK)
            fa.free(fa.ctx, text);
        FUZZ_REQUIRE(p.live == 0, "%ld blocks leaked when allocation %zu of %zu failed", p.live,
                     points[k], total);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;
    size_t len;
    const char *why;
    gd_status st = read_doc(data, size, NULL, &text, &len, &why);
    FUZZ_REQUIRE(st == GD_OK || st == GD_ERR_FORMAT, "status %d", (int)st);
    if (st == GD_ERR_FORMAT) {
        FUZZ_REQUIRE(why != NULL && *why != '\0', "GD_ERR_FORMAT without a reason");
        oom_paths(data, size);
        return 0;
    }
    FUZZ_REQUIRE(fuzz_utf8_valid((const unsigned char *)text, len), "text of %zu bytes is not "
                 "UTF-8", len);
    FUZZ_REQUIRE(memchr(text, '\t', len) == NULL, "a tab in the text");
    char *again;
    size_t again_len;
    FUZZ_REQUIRE(read_doc(data, size, NULL, &again, &again_len, &why) == GD_OK &&
                     again_len == len && memcmp(again, text, len) == 0,
                 "a second read gives another text");
    free(again);
    gd_report *r = NULL;
    gd_options o = {0, NULL, GD_FORMAT_TEXT};
    st = gd_parse(text, len, &o, &r, NULL);
    FUZZ_REQUIRE(st == GD_OK && r, "gd_parse of the text: status %d", (int)st);
    fuzz_check_report(r, text, len, GD_FORMAT_TEXT);
    gd_report_free(r);
    free(text);
    oom_paths(data, size);
    return 0;
}
