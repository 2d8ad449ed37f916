/*
 * fuzz_html.c -- gd_parse() on arbitrary bytes as markup: GD_FORMAT_HTML and
 * GD_FORMAT_DOCX (word/document.xml), with allocations that fail.
 *
 * The first byte picks the format (odd: DOCX) and GD_STRICT (bit 1); the rest
 * is the document.  Checks, beyond "no crash, no leak, no undefined
 * behaviour": invalid UTF-8 is refused at the first bad byte; report.text is
 * valid UTF-8 and every raw/note span lies in it, every other span in the
 * input; the contract of govdisclose.h holds (fuzz_common.h).
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    gd_format format = (data[0] & 1) ? GD_FORMAT_DOCX : GD_FORMAT_HTML;
    unsigned flags = (data[0] & 2) ? GD_STRICT : 0;
    data++, size--;

    size_t valid = fuzz_utf8_prefix(data, size);
    gd_report *r = NULL;
    size_t err = (size_t)-1;
    gd_options o = {flags, NULL, format};
    gd_status st = gd_parse((const char *)data, size, &o, &r, &err);
    if (valid != size) {
        FUZZ_REQUIRE(st == GD_ERR_UTF8 && r == NULL, "status %d for invalid UTF-8", (int)st);
        FUZZ_REQUIRE(err == valid, "first bad byte at %zu, gd_parse says %zu", valid, err);
        return 0;
    }
    FUZZ_REQUIRE(st == GD_OK && r, "status %d for valid UTF-8 of %zu bytes", (int)st, size);
    fuzz_check_report(r, (const char *)data, size, format);
    gd_report_free(r);

    fuzz_oom_paths(data, size, format, flags);
    return 0;
}
