/*
 * fuzz_gb18030.c -- the GB18030 decoder (gd_gb18030_to_utf8) on arbitrary
 * bytes, strict and with GD_GB18030_REPLACE, each into a buffer of exactly
 * gd_gb18030_utf8_bound() bytes (ASan sees any overrun); then gd_parse() on
 * the decoded text, as the binding runs it for a GB2312 page.
 *
 * Checks, beyond "no crash, no leak, no undefined behaviour":
 *  - the output is valid UTF-8 (what gd_parse() and the binding's str need);
 *  - strict and replace agree up to the first bad sequence, where strict stops
 *    and replace writes U+FFFD; strict on the bytes before it decodes them all
 *    to the same text;
 *  - after the first bad sequence replace goes on as the rest decoded alone
 *    (at the next byte), or ends with one U+FFFD when the end cut it short;
 *  - the decoded text parses (GD_OK) to a report that keeps the contract of
 *    govdisclose.h (fuzz_common.h).
 * The comparison with Python's codec itself is tests/test_gb18030.py.
 */
#include "fuzz_common.h"

#define NONE ((size_t)-1)

static char *decode(const uint8_t *data, size_t size, unsigned flags, size_t *len, size_t *bad)
{
    size_t bound = gd_gb18030_utf8_bound(size, flags);
    char *out = malloc(bound ? bound : 1);
    FUZZ_REQUIRE(out != NULL, "malloc of %zu bytes", bound);
    *len = gd_gb18030_to_utf8((const char *)data, size, flags, out, bad);
    FUZZ_REQUIRE(*len <= bound, "%zu bytes written, bound %zu", *len, bound);
    FUZZ_REQUIRE(fuzz_utf8_valid((const unsigned char *)out, *len),
                 "output of %zu bytes is not UTF-8", *len);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t slen, sbad, rlen, rbad;
    char *s = decode(data, size, 0, &slen, &sbad);
    char *r = decode(data, size, GD_GB18030_REPLACE, &rlen, &rbad);
    FUZZ_REQUIRE(rbad == NONE, "replace reports a bad byte at %zu", rbad);
    if (sbad == NONE) {
        FUZZ_REQUIRE(slen == rlen && memcmp(s, r, slen) == 0, "strict and replace differ");
    } else {
        FUZZ_REQUIRE(sbad < size, "bad byte %zu of %zu", sbad, size);
        FUZZ_REQUIRE(slen + 3 <= rlen && memcmp(s, r, slen) == 0 &&
                         memcmp(r + slen, "\xEF\xBF\xBD", 3) == 0,
                     "replace is not strict's text then U+FFFD");
        size_t plen, pbad;
        char *p = decode(data, sbad, 0, &plen, &pbad);
        FUZZ_REQUIRE(pbad == NONE && plen == slen && memcmp(p, s, slen) == 0,
                     "the bytes before the bad one decode otherwise alone");
        free(p);
        /* a sequence cut short by the end: replace's U+FFFD takes all the
         * rest; else replace goes on at the byte after the bad one, and the
         * rest decoded alone (when it has no bad byte of its own) ends its text */
        size_t left = size - sbad;
        int cut_short = left < 2 || (data[sbad + 1] >= 0x30 && data[sbad + 1] <= 0x39 && left < 4);
        if (cut_short) {
            FUZZ_REQUIRE(rlen == slen + 3, "a cut-short sequence is not one U+FFFD at the end");
        } else {
            size_t tlen, tbad;
            char *t = decode(data + sbad + 1, size - sbad - 1, 0, &tlen, &tbad);
            if (tbad == NONE)
                FUZZ_REQUIRE(tlen <= rlen && memcmp(r + rlen - tlen, t, tlen) == 0,
                             "the rest decodes otherwise after a bad byte");
            free(t);
        }
    }
    free(r);
    if (sbad == NONE) {
        gd_report *rep = NULL;
        gd_options o = {size & 1 ? GD_STRICT : 0u, NULL, GD_FORMAT_TEXT};
        gd_status st = gd_parse(s, slen, &o, &rep, NULL);
        FUZZ_REQUIRE(st == GD_OK && rep, "status %d for decoded text of %zu bytes", (int)st,
                     slen);
        fuzz_check_report(rep, s, slen, GD_FORMAT_TEXT);
        gd_report_free(rep);
    }
    free(s);
    return 0;
}
