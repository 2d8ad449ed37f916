/*
 * test_gb18030.c -- the core's GB18030 decoder (src/gb18030.c) on its own:
 * sequences whose code points the standard fixes, every invalid and truncated
 * form found at the right offset, output within gd_gb18030_utf8_bound() (each
 * decode writes into a buffer of exactly that size, so ASan and valgrind see
 * any overrun), and a text decoded in one piece equal to it decoded in pieces
 * cut at sequence boundaries, around the 16-byte blocks.  The comparison with
 * Python's codec on every sequence is tests/test_gb18030.py.
 */
#include "test.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE ((size_t)-1)

/* Decode (in, len) into a buffer of exactly the bound: its output, length, bad. */
typedef struct {
    char *out;
    size_t len, bad;
} decoded;

static decoded dec(const char *in, size_t len, unsigned flags)
{
    decoded d;
    size_t bound = gd_gb18030_utf8_bound(len, flags);
    d.out = malloc(bound ? bound : 1);
    d.len = 0;
    d.bad = 0;
    if (!CHECK(d.out != NULL))
        return d;
    d.len = gd_gb18030_to_utf8(in, len, flags, d.out, &d.bad);
    CHECKF(d.len <= bound, "wrote %zu bytes, bound %zu", d.len, bound);
    return d;
}

static int decodes_to(const char *in, size_t len, const char *utf8, size_t utf8_len)
{
    decoded d = dec(in, len, 0);
    int ok = CHECK_INT(d.bad, NONE) && CHECK_INT(d.len, utf8_len) &&
             CHECKF(memcmp(d.out, utf8, utf8_len) == 0, "bytes differ");
    free(d.out);
    return ok;
}

#define DECODES_TO(gb, utf8) decodes_to(gb, sizeof gb - 1, utf8, sizeof utf8 - 1)

static void test_fixed_points(void)
{
    DECODES_TO("", "");
    DECODES_TO("abc\n", "abc\n");
    DECODES_TO("\xD2\xBB", "\xE4\xB8\x80");                 /* 一 U+4E00 (GB2312) */
    DECODES_TO("\xA1\xA1", "\xE3\x80\x80");                 /* ideographic space */
    DECODES_TO("\x81\x40", "\xE4\xB8\x82");                 /* 丂 U+4E02 (GBK) */
    DECODES_TO("\x81\x30\x81\x30", "\xC2\x80");             /* U+0080: the first four-byte */
    DECODES_TO("\x84\x31\xA4\x39", "\xEF\xBF\xBF");         /* U+FFFF: the last BMP one */
    DECODES_TO("\x90\x30\x81\x30", "\xF0\x90\x80\x80");     /* U+10000 */
    DECODES_TO("\xE3\x32\x9A\x35", "\xF4\x8F\xBF\xBF");     /* U+10FFFF */
    DECODES_TO("\x95\x32\x82\x36", "\xF0\xA0\x80\x80");     /* U+20000, CJK extension B */
    DECODES_TO("\x84\x31\x95\x33", "\xEF\xBB\xBF");         /* U+FEFF */
    DECODES_TO("2021\xC4\xEA", "2021\xE5\xB9\xB4");         /* 2021年 */
}

static void bad_at(const char *in, size_t len, size_t at)
{
    t_context("input of %zu bytes, bad at %zu", len, at);
    decoded d = dec(in, len, 0);
    CHECK_INT(d.bad, at);
    /* the output is the decoded text before the bad byte */
    decoded before = dec(in, at, 0);
    CHECK_INT(before.bad, NONE);
    if (CHECK_INT(d.len, before.len))
        CHECK(memcmp(d.out, before.out, d.len) == 0);
    free(d.out);
    free(before.out);
    t_context("%s", "");
}

#define BAD_AT(gb, at) bad_at(gb, sizeof gb - 1, at)

static void test_bad_forms(void)
{
    BAD_AT("\x80", 0);
    BAD_AT("\xFF", 0);
    BAD_AT("\x81", 0);              /* a lead byte at the end */
    BAD_AT("ab\xFE", 2);
    BAD_AT("\x80\x41", 0);          /* 0x80 and 0xFF lead nothing */
    BAD_AT("\xFF\x41", 0);
    BAD_AT("\x81\x7F", 0);          /* trails 0x7F and 0xFF are none */
    BAD_AT("\x81\xFF", 0);
    BAD_AT("\x81\x20", 0);          /* nor an ASCII byte other than a digit */
    BAD_AT("\x81\x30", 0);          /* four-byte, cut short */
    BAD_AT("\x81\x30\x81", 0);
    BAD_AT("x\x81\x30\x20\x30", 1); /* a bad third byte */
    BAD_AT("\x81\x30\x81\x20", 0);  /* a bad fourth byte */
    BAD_AT("\x80\x30\x81\x30", 0);
    BAD_AT("\x84\x31\xA5\x30", 0);  /* past the BMP's four-byte range */
    BAD_AT("\x85\x30\x81\x30", 0);  /* 0x85..0x8F: no four-byte sequence */
    BAD_AT("\x8F\x39\xFE\x39", 0);
    BAD_AT("\xE3\x32\x9A\x36", 0);  /* past U+10FFFF */
    BAD_AT("\xFE\x39\xFE\x39", 0);
    BAD_AT("\xD2\xBB\xD2", 2);
}

static void test_replace(void)
{
    static const struct {
        const char *in;
        size_t len;
        const char *out;
    } cases[] = {
        {"a\x81 b", 4, "a\xEF\xBF\xBD b"},               /* one U+FFFD, then the next byte */
        {"\x80\x41", 2, "\xEF\xBF\xBD" "A"},
        {"\x81\x30\x81\x20x", 5, "\xEF\xBF\xBD" "0\xEF\xBF\xBD x"},
        {"ab\x81\x30\x81", 5, "ab\xEF\xBF\xBD"},        /* cut short: one U+FFFD for the rest */
        {"\xFF", 1, "\xEF\xBF\xBD"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        t_context("case %zu", i);
        decoded d = dec(cases[i].in, cases[i].len, GD_GB18030_REPLACE);
        CHECK_INT(d.bad, NONE);
        CHECK_MEM(d.out, d.len, cases[i].out);
        free(d.out);
    }
    t_context("%s", "");
}

/* Pieces a text is made of: ASCII, two-byte, four-byte BMP, supplementary. */
static const char *const pieces[] = {"a", "\xD6\xD0", "\x81\x30\x81\x30", "\x95\x32\x82\x36",
                                     "\x81\x40", "\n", "\xA3\xB1"};

static void test_pieces_around_blocks(void)
{
    /* n ASCII bytes, then piece p, then m ASCII bytes: equal to its parts */
    char in[128], want[256];
    for (size_t p = 0; p < sizeof pieces / sizeof pieces[0]; p++)
        for (size_t n = 0; n <= 40; n++)
            for (size_t m = 0; m <= 20; m += 5) {
                size_t plen = strlen(pieces[p]);
                memset(in, 'x', n);
                memcpy(in + n, pieces[p], plen);
                memset(in + n + plen, 'y', m);
                decoded piece = dec(pieces[p], plen, 0);
                memset(want, 'x', n);
                memcpy(want + n, piece.out, piece.len);
                memset(want + n + piece.len, 'y', m);
                t_context("piece %zu after %zu ASCII bytes, before %zu", p, n, m);
                decoded d = dec(in, n + plen + m, 0);
                if (CHECK_INT(d.bad, NONE) && CHECK_INT(d.len, n + piece.len + m))
                    CHECK(memcmp(d.out, want, d.len) == 0);
                free(d.out);
                free(piece.out);
                /* and a bad byte in place of the piece's last byte */
                in[n + plen - 1] = (char)0xFF;
                if (plen > 1)
                    bad_at(in, n + plen + m, n);
            }
    t_context("%s", "");
}

/* xorshift: reproducible random bytes */
static uint32_t next(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void test_random_texts(void)
{
    /* Texts of random pieces and random bytes: within the bound in both modes;
     * strict stops where replace first writes U+FFFD, or agrees with it. */
    uint32_t s = 2463534242u;
    char in[512];
    for (int round = 0; round < 20000; round++) {
        size_t len = 0, want = next(&s) % 400;
        while (len < want) {
            uint32_t r = next(&s);
            if (r % 4 == 0) {
                in[len++] = (char)(r >> 8);
            } else {
                const char *pc = pieces[(r >> 8) % (sizeof pieces / sizeof pieces[0])];
                size_t pl = strlen(pc);
                memcpy(in + len, pc, pl);
                len += pl;
            }
        }
        t_context("round %d", round);
        decoded strict = dec(in, len, 0);
        decoded repl = dec(in, len, GD_GB18030_REPLACE);
        CHECK_INT(repl.bad, NONE);
        if (strict.bad == NONE) {
            if (CHECK_INT(strict.len, repl.len))
                CHECK(memcmp(strict.out, repl.out, strict.len) == 0);
        } else if (CHECK(strict.bad < len) && CHECK(strict.len + 3 <= repl.len)) {
            CHECK(memcmp(strict.out, repl.out, strict.len) == 0);
            CHECK(memcmp(repl.out + strict.len, "\xEF\xBF\xBD", 3) == 0);
        }
        free(strict.out);
        free(repl.out);
    }
    t_context("%s", "");
}

static void test_every_two_byte_sequence(void)
{
    /* Every lead and trail: a BMP character (3 bytes at most) or bad at 0. */
    for (unsigned lead = 0x80; lead <= 0xFF; lead++)
        for (unsigned trail = 0; trail <= 0xFF; trail++) {
            char in[2] = {(char)lead, (char)trail};
            decoded d = dec(in, 2, 0);
            int four = trail >= 0x30 && trail <= 0x39;
            int valid = lead >= 0x81 && lead <= 0xFE && trail >= 0x40 && trail != 0x7F &&
                        trail != 0xFF;
            if (four || !valid)
                CHECKF(d.bad == 0, "%02X %02X: bad %zu", lead, trail, d.bad);
            else
                CHECKF(d.bad == NONE && d.len >= 2 && d.len <= 3, "%02X %02X: %zu bytes, bad %zu",
                       lead, trail, d.len, d.bad);
            free(d.out);
        }
}

const test_case gb18030_tests[] = {
    {"gb18030_fixed_points", test_fixed_points},
    {"gb18030_bad_forms", test_bad_forms},
    {"gb18030_replace", test_replace},
    {"gb18030_pieces_around_blocks", test_pieces_around_blocks},
    {"gb18030_random_texts", test_random_texts},
    {"gb18030_every_two_byte_sequence", test_every_two_byte_sequence},
    {NULL, NULL},
};
