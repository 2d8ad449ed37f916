/*
 * fuzz_text.c -- gd_parse() on arbitrary bytes as plain text (GD_FORMAT_TEXT),
 * with and without GD_STRICT, and with allocations that fail.
 *
 * Checks, beyond "no crash, no leak, no undefined behaviour":
 *  - invalid UTF-8 is GD_ERR_UTF8 at exactly the first bad byte, and valid
 *    UTF-8 is never refused;
 *  - every report satisfies the contract of govdisclose.h (fuzz_common.h);
 *  - GD_STRICT changes findings only, never cells;
 *  - a failed allocation is GD_ERR_NOMEM with nothing leaked.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t valid = fuzz_utf8_prefix(data, size);
    gd_report *plain = NULL, *strict = NULL;
    size_t err = (size_t)-1;
    gd_options o = {0, NULL, GD_FORMAT_TEXT};
    gd_status st = gd_parse((const char *)data, size, &o, &plain, &err);
    if (valid != size) {
        FUZZ_REQUIRE(st == GD_ERR_UTF8 && plain == NULL, "status %d for invalid UTF-8",
                     (int)st);
        FUZZ_REQUIRE(err == valid, "first bad byte at %zu, gd_parse says %zu", valid, err);
        return 0;
    }
    FUZZ_REQUIRE(st == GD_OK && plain, "status %d for valid UTF-8 of %zu bytes", (int)st, size);
    fuzz_check_report(plain, (const char *)data, size, GD_FORMAT_TEXT);

    o.flags = GD_STRICT;
    st = gd_parse((const char *)data, size, &o, &strict, NULL);
    FUZZ_REQUIRE(st == GD_OK && strict, "strict: status %d", (int)st);
    fuzz_check_report(strict, (const char *)data, size, GD_FORMAT_TEXT);
    fuzz_same_cells(plain, strict);
    gd_report_free(plain);
    gd_report_free(strict);

    fuzz_oom_paths(data, size, GD_FORMAT_TEXT, size & 1 ? GD_STRICT : 0);
    return 0;
}
