/*
 * test_cfb.c -- the compound file container (src/read/cfb.c) on edited copies
 * of the corpus's .doc files: each edit (a FAT entry, a header field, a
 * directory entry, a cut) makes one fault or one edge case, and the test
 * checks the status, the reason (*why) and *out / *out_len that cfb.h
 * promises, or that the stream's bytes still come out.
 *
 * Layouts used (LibreOffice's files; 512-byte sectors, sector s at byte
 * (s + 1) * 512, one FAT entry of 4 bytes per sector):
 *   hongze-2023.doc  103 sectors; FAT: sector 0; mini FAT: sector 2; the
 *     mini stream (root entry): sectors 3..7 (2432 bytes, 38 mini sectors);
 *     WordDocument: sectors 48..100 (26685 bytes); directory: 101, 102
 *     (entries 0-3, 4-7); 1Table: mini sectors 3..32 (1917 bytes);
 *     \1Ole: mini sector 2 (20 bytes).
 *   pingtan-2025.doc 276 sectors; FAT: sectors 0, 128, 129; directory:
 *     267..275; entry 7 is the ObjectPool storage (no stream: size 0).
 * Each test checks these facts of the file before it edits it.
 *
 * Every read goes through a test allocator that fills each new block with a
 * chosen byte, writes a guard word after it (checked when the block is
 * freed: a write past a block is seen without AddressSanitizer), counts the
 * blocks alive and refuses a request for 0 bytes (malloc(0) may give NULL).
 * Some tests pass a length shorter than the buffer: a read past the length
 * then finds the real file's bytes, so a check that let it through would
 * give a stream instead of the error.
 */
#include "test.h"

#include "internal.h"
#include "read/cfb.h"

#include <stdlib.h>
#include <string.h>

#define SECTOR 512
#define AT(s) (((size_t)(s) + 1) * SECTOR) /* byte offset of sector s */
#define EOC 0xFFFFFFFEu
#define GUARD_BYTES 16

#define PAST_END "a sector chain points past the end of the file (truncated or corrupt)"
#define CHAIN_SHORT "a stream's sector chain ends before the stream does"
#define RUNS_PAST "a stream runs past the end of the file (truncated)"
#define LOOPS "a sector chain loops (the FAT points back into it)"

/* ---- The test allocator ---- */

typedef struct {
    unsigned char fill; /* every new block's bytes */
    uint32_t guard;     /* the word repeated after each block */
    long live, spoiled, zero_asks;
} t_alloc;

typedef union { /* the block's size, aligned for any use of the block */
    size_t n;
    long double ld;
    void *p;
    long long ll;
} block_head;

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static void *ta_malloc(void *ctx, size_t n)
{
    t_alloc *a = ctx;
    if (n == 0) {
        a->zero_asks++;
        return NULL;
    }
    block_head *h = malloc(sizeof *h + n + GUARD_BYTES);
    if (!h)
        return NULL;
    h->n = n;
    unsigned char *p = (unsigned char *)(h + 1);
    memset(p, a->fill, n);
    for (size_t k = 0; k < GUARD_BYTES; k += 4)
        put32(p + n + k, a->guard);
    a->live++;
    return p;
}

static void ta_free(void *ctx, void *ptr)
{
    t_alloc *a = ctx;
    if (!ptr)
        return;
    block_head *h = (block_head *)ptr - 1;
    unsigned char *p = ptr, want[4];
    put32(want, a->guard);
    for (size_t k = 0; k < GUARD_BYTES; k++)
        if (p[h->n + k] != want[k % 4]) {
            a->spoiled++;
            break;
        }
    a->live--;
    free(h);
}

static void *ta_realloc(void *ctx, void *ptr, size_t n)
{
    if (!ptr)
        return ta_malloc(ctx, n);
    void *q = ta_malloc(ctx, n);
    if (!q)
        return NULL;
    size_t old = ((block_head *)ptr - 1)->n;
    memcpy(q, ptr, old < n ? old : n);
    ta_free(ctx, ptr);
    return q;
}

/* Open data[0, len) with allocator a (a fresh one when NULL). */
typedef struct {
    t_alloc a;
    gd_allocator al;
    gd_cfb f;
    const char *why;
    gd_status st;
} opened;

static void open_with(opened *o, const unsigned char *data, size_t len, unsigned char fill,
                      uint32_t guard)
{
    memset(o, 0, sizeof *o);
    o->a.fill = fill;
    o->a.guard = guard;
    o->al = (gd_allocator){ta_malloc, ta_realloc, ta_free, &o->a};
    o->st = gd_cfb_open(&o->f, (const char *)data, len, &o->al, &o->why);
}

#define FILL 0xA5          /* the allocator's usual fill ... */
#define GUARD 0x5A5A5A5Au /* ... and guard word */

/* Close, then: no block left, none written past its end, no 0-byte request. */
static void close_checked(opened *o)
{
    gd_cfb_close(&o->f);
    CHECKF(o->a.live == 0, "%ld block(s) not freed", o->a.live);
    CHECKF(o->a.spoiled == 0, "%ld block(s) written past their end", o->a.spoiled);
    CHECKF(o->a.zero_asks == 0, "%ld request(s) for 0 bytes", o->a.zero_asks);
}

/* Read the entry named name: status; *out and *out_len as cfb.h says (NULL
 * and 0 on failure). */
static gd_status read_named(opened *o, const char *name, unsigned char **out, size_t *len,
                            const char **why)
{
    long e = gd_cfb_find(&o->f, name);
    if (!CHECKF(e > 0, "no entry %s", name))
        return GD_ERR_ARG;
    *out = (unsigned char *)"x";
    *len = 12345;
    *why = NULL;
    gd_status st = gd_cfb_read(&o->f, e, out, len, why);
    if (st != GD_OK) {
        CHECKF(*out == NULL, "%s: a buffer after status %d", name, (int)st);
        CHECKF(*len == 0, "%s: length %zu after status %d", name, *len, (int)st);
    }
    return st;
}

/* Read the entry named name: GD_OK and the bytes want, or the status. */
static gd_status read_same(opened *o, const char *name, const unsigned char *want,
                           size_t want_len, const char **why)
{
    unsigned char *out;
    size_t n;
    gd_status st = read_named(o, name, &out, &n, why);
    if (st == GD_OK) {
        CHECKF(n == want_len && memcmp(out, want, n) == 0, "%s: %zu bytes, not the %zu expected",
               name, n, want_len);
        o->al.free(o->al.ctx, out);
    }
    return st;
}

/* Open data[0, len) (allocator: fill, GUARD) and check it is refused for why. */
static void open_refused(const unsigned char *data, size_t len, unsigned char fill,
                         const char *why)
{
    opened o;
    open_with(&o, data, len, fill, GUARD);
    CHECK_INT(o.st, GD_ERR_FORMAT);
    CHECK_STR(o.why, why);
    close_checked(&o);
}

/* ---- The files and their edits ---- */

static uint32_t get32(const unsigned char *p)
{
    return gd_le32(p);
}

/* A copy of a corpus file with room for extra sectors after it. */
static unsigned char *load(const char *name, size_t *len, size_t extra)
{
    size_t n;
    char *data = t_read_corpus(name, &n);
    if (!data)
        return NULL;
    unsigned char *buf = calloc(1, n + extra);
    if (CHECK(buf != NULL))
        memcpy(buf, data, n);
    free(data);
    *len = n;
    return buf;
}

/* hongze's FAT entry for sector s (its one FAT sector, sector 0). */
static unsigned char *hz_fat(unsigned char *d, uint32_t s)
{
    return d + AT(0) + 4 * (size_t)s;
}

/* hongze's directory entry e (sectors 101, 102). */
static unsigned char *hz_entry(unsigned char *d, int e)
{
    return d + AT(e < 4 ? 101 : 102) + (size_t)(e % 4) * 128;
}

/* The facts of hongze-2023.doc the edits rely on. */
static int hongze_is_as_expected(unsigned char *d, size_t len)
{
    int ok = CHECK_INT(len, AT(103));
    ok &= CHECK_INT(get32(d + 0x2C), 1) && CHECK_INT(get32(d + 0x4C), 0); /* FAT: sector 0 */
    ok &= CHECK_INT(get32(d + 0x30), 101) && CHECK_INT(get32(d + 0x3C), 2);
    ok &= CHECK_INT(get32(hz_fat(d, 101)), 102) && CHECK_INT(get32(hz_fat(d, 102)), EOC);
    ok &= CHECK_INT(get32(hz_entry(d, 0) + 0x74), 3);
    ok &= CHECK_INT(get32(hz_entry(d, 0) + 0x78), 2432);
    ok &= CHECK_INT(get32(hz_fat(d, 7)), EOC);
    ok &= CHECK_INT(hz_entry(d, 6)[0], 'W') && CHECK_INT(get32(hz_entry(d, 6) + 0x74), 48);
    ok &= CHECK_INT(get32(hz_entry(d, 6) + 0x78), 26685);
    for (uint32_t s = 48; s < 100; s++)
        ok &= CHECK_INT(get32(hz_fat(d, s)), s + 1);
    ok &= CHECK_INT(get32(hz_fat(d, 100)), EOC);
    ok &= CHECK_INT(hz_entry(d, 3)[0], '1') && CHECK_INT(get32(hz_entry(d, 3) + 0x74), 3);
    ok &= CHECK_INT(get32(hz_entry(d, 3) + 0x78), 1917);
    ok &= CHECK_INT(hz_entry(d, 2)[2], 'O') && CHECK_INT(get32(hz_entry(d, 2) + 0x74), 2);
    ok &= CHECK_INT(get32(hz_entry(d, 2) + 0x78), 20);
    for (uint32_t m = 3; m < 32; m++) /* 1Table's mini chain */
        ok &= CHECK_INT(get32(d + AT(2) + 4 * m), m + 1);
    return ok;
}

static unsigned char *hongze(size_t *len, size_t extra)
{
    unsigned char *d = load("formats/hongze-2023.doc", len, extra);
    if (d && !hongze_is_as_expected(d, *len)) {
        free(d);
        return NULL;
    }
    return d;
}

/* WordDocument's bytes as the file holds them (sectors 48..100 in a row). */
#define HZ_WORD(d) ((d) + AT(48))
#define HZ_WORD_LEN 26685u
/* The mini stream's mini sector m (m < 40: sectors 3..7 in a row). */
#define HZ_MINI(d, m) ((d) + AT(3) + (size_t)(m) * 64)

/* Read hongze's WordDocument from an edited copy: the status and the why. */
static gd_status hz_read_word(const unsigned char *d, size_t len, const char **why)
{
    opened o;
    open_with(&o, d, len, FILL, GUARD);
    gd_status st = o.st;
    *why = o.why;
    if (CHECKF(st == GD_OK, "open: %d (%s)", (int)st, o.why ? o.why : ""))
        st = read_same(&o, "WordDocument", HZ_WORD(d), HZ_WORD_LEN, why);
    close_checked(&o);
    return st;
}

/* ---- Tests ---- */

/* Every stream of both files read whole, their bytes where the layout says,
 * with the allocator's guards intact and every block freed. */
static void streams_read_within_their_blocks(void)
{
    size_t len;
    unsigned char *d = hongze(&len, 0);
    if (!d)
        return;
    opened o;
    open_with(&o, d, len, FILL, GUARD);
    if (CHECK_INT(o.st, GD_OK)) {
        const char *why;
        CHECK_INT(read_same(&o, "WordDocument", HZ_WORD(d), HZ_WORD_LEN, &why), GD_OK);
        CHECK_INT(read_same(&o, "1Table", HZ_MINI(d, 3), 1917, &why), GD_OK);
        /* a stream of one mini sector: OLE stream version 0x02000001 */
        CHECK_INT(get32(HZ_MINI(d, 2)), 0x02000001u);
        CHECK_INT(read_same(&o, "\001Ole", HZ_MINI(d, 2), 20, &why), GD_OK);
        CHECK_INT(read_same(&o, "Data", d + AT(8), 20115, &why), GD_OK);
    }
    close_checked(&o);
    free(d);

    d = load("formats/pingtan-2025.doc", &len, 0);
    if (!d)
        return;
    open_with(&o, d, len, FILL, GUARD);
    if (CHECK_INT(o.st, GD_OK)) {
        unsigned char *out;
        size_t n;
        const char *why;
        /* a storage has no stream: an empty buffer, length 0 */
        if (CHECK_INT(read_named(&o, "ObjectPool", &out, &n, &why), GD_OK)) {
            CHECK(out != NULL);
            CHECK_INT(n, 0);
            o.al.free(o.al.ctx, out);
        }
        if (CHECK_INT(read_named(&o, "WordDocument", &out, &n, &why), GD_OK)) {
            CHECK_INT(n, 72704);
            o.al.free(o.al.ctx, out);
        }
    }
    close_checked(&o);
    free(d);
}

/* A compound file with no mini FAT (its start is END_OF_CHAIN): its empty
 * streams read as empty, without asking the allocator for 0 bytes. */
static void no_mini_fat_reads_empty_streams(void)
{
    size_t len;
    unsigned char *d = load("formats/pingtan-2025.doc", &len, 0);
    if (!d)
        return;
    if (CHECK_INT(get32(d + 0x3C), 2)) {
        put32(d + 0x3C, EOC);
        opened o;
        open_with(&o, d, len, FILL, GUARD);
        if (CHECK_INT(o.st, GD_OK)) {
            unsigned char *out;
            size_t n;
            const char *why = NULL;
            gd_status st = read_named(&o, "ObjectPool", &out, &n, &why);
            if (CHECKF(st == GD_OK, "status %d: %s", (int)st, why ? why : "")) {
                CHECK(out != NULL);
                CHECK_INT(n, 0);
                o.al.free(o.al.ctx, out);
            }
        }
        close_checked(&o);
    }
    free(d);
}

/* The directory's start set to END_OF_CHAIN: an empty directory, no root. */
static void empty_directory_is_refused(void)
{
    size_t len;
    unsigned char *d = hongze(&len, 0);
    if (!d)
        return;
    put32(d + 0x30, EOC);
    open_refused(d, len, FILL, "the compound file's directory has no root entry");
    free(d);
}

/* The file cut inside the directory's last sector (the length given is
 * short; the buffer still holds the rest): refused, every block freed. */
static void cut_directory_is_refused(void)
{
    size_t len;
    unsigned char *d = hongze(&len, 0);
    if (!d)
        return;
    /* the directory's last sector is the file's last: it ends exactly at the end */
    opened o;
    open_with(&o, d, len, FILL, GUARD);
    CHECK_INT(o.st, GD_OK);
    CHECK_INT(o.f.ndir, 8);
    close_checked(&o);
    for (size_t cut = 1; cut < SECTOR; cut += 100) {
        t_context("cut %zu bytes", cut);
        open_refused(d, len - cut, FILL, RUNS_PAST);
    }
    free(d);
}

/* WordDocument said to be one sector longer than its chain. */
static void stream_longer_than_its_chain(void)
{
    size_t len;
    unsigned char *d = hongze(&len, 0);
    if (!d)
        return;
    put32(hz_entry(d, 6) + 0x78, 53 * SECTOR + 1);
    const char *why;
    CHECK_INT(hz_read_word(d, len, &why), GD_ERR_FORMAT);
    CHECK_STR(why, CHAIN_SHORT);
    /* larger than the file */
    put32(hz_entry(d, 6) + 0x78, (uint32_t)len + 1);
    CHECK_INT(hz_read_word(d, len, &why), GD_ERR_FORMAT);
    CHECK_STR(why, "a directory entry's stream is larger than the file");
    free(d);
}

/* WordDocument's chain made to end in a partial sector at the file's end:
 * read when the stream ends exactly there, refused one byte later. */
static void stream_in_a_partial_last_sector(void)
{
    size_t len;
    unsigned char *d = hongze(&len, SECTOR);
    if (!d)
        return;
    /* sector 103: 100 bytes of WordDocument's sector 100, its chain
     * 48..99 -> 103; the stream: 52 sectors and those 100 bytes */
    memcpy(d + AT(103), d + AT(100), 100);
    put32(hz_fat(d, 99), 103);
    put32(hz_fat(d, 103), EOC);
    put32(hz_entry(d, 6) + 0x78, 52 * SECTOR + 100);
    opened o;
    open_with(&o, d, len + 100, FILL, GUARD);
    const char *why;
    if (CHECK_INT(o.st, GD_OK))
        CHECK_INT(read_same(&o, "WordDocument", HZ_WORD(d), 52 * SECTOR + 100, &why), GD_OK);
    close_checked(&o);
    put32(hz_entry(d, 6) + 0x78, 52 * SECTOR + 101);
    open_with(&o, d, len + 100, FILL, GUARD);
    if (CHECK_INT(o.st, GD_OK)) {
        CHECK_INT(read_same(&o, "WordDocument", HZ_WORD(d), 0, &why), GD_ERR_FORMAT);
        CHECK_STR(why, RUNS_PAST);
    }
    close_checked(&o);
    free(d);
}

/* A link to the sector right after the file's last (103): named as a chain
 * leaving the file, also when it is the chain's last link. */
static void link_to_the_first_sector_past_the_end(void)
{
    size_t len;
    unsigned char *d = hongze(&len, 0);
    if (!d)
        return;
    const char *why;
    put32(hz_fat(d, 99), 103); /* the last link of the stream's 53 */
    CHECK_INT(hz_read_word(d, len, &why), GD_ERR_FORMAT);
    CHECK_STR(why, PAST_END);
    put32(hz_fat(d, 99), 100);
    put32(hz_fat(d, 60), 103); /* in the middle */
    CHECK_INT(hz_read_word(d, len, &why), GD_ERR_FORMAT);
    CHECK_STR(why, PAST_END);
    put32(hz_fat(d, 60), 102); /* the last sector of the file is one */
    CHECK_INT(hz_read_word(d, len, &why), GD_ERR_FORMAT);
    CHECK_STR(why, CHAIN_SHORT); /* 48..60, 102 and the directory's end */
    free(d);
}

/* Chains that loop: within a stream's length, and in the directory (read to
 * its end: the loop is the only thing that could stop it). */
static void loops_are_refused(void)
{
    size_t len;
    unsigned char *d = hongze(&len, 0);
    if (!d)
        return;
    const char *why;
    put32(hz_fat(d, 98), 97);
    CHECK_INT(hz_read_word(d, len, &why), GD_ERR_FORMAT);
    CHECK_STR(why, LOOPS);
    put32(hz_fat(d, 98), 48); /* back to its first sector */
    CHECK_INT(hz_read_word(d, len, &why), GD_ERR_FORMAT);
    CHECK_STR(why, LOOPS);
    put32(hz_fat(d, 98), 99);
    put32(hz_fat(d, 102), 101);
    open_refused(d, len, FILL, LOOPS);
    free(d);
}

/* The FAT moved to a new last sector (103), then the file cut inside it: the
 * directory's chain needs entry 102 (bytes 408..411 of the sector). */
static void fat_sector_cut_by_the_end(void)
{
    size_t len;
    unsigned char *d = hongze(&len, SECTOR);
    if (!d)
        return;
    memcpy(d + AT(103), d + AT(0), SECTOR);
    put32(d + 0x4C, 103);
    for (size_t keep = 412; keep <= SECTOR; keep += SECTOR - 412) {
        t_context("%zu bytes of the FAT kept", keep);
        opened o;
        open_with(&o, d, AT(103) + keep, FILL, GUARD);
        CHECK_INT(o.st, GD_OK);
        CHECK_INT(o.f.ndir, 8);
        const char *why;
        if (o.st == GD_OK)
            CHECK_INT(read_same(&o, "WordDocument", HZ_WORD(d), HZ_WORD_LEN, &why), GD_OK);
        close_checked(&o);
    }
    for (size_t keep = 408; keep <= 411; keep++) {
        t_context("%zu bytes of the FAT kept", keep);
        open_refused(d, AT(103) + keep, FILL, PAST_END);
    }
    free(d);
}

/* pingtan's header made to list 2 FAT sectors of its 3: sectors 256..275
 * (the directory's) have no FAT entry.  The allocator fills new blocks with
 * 0, so an unlisted third FAT sector would read as sector 0. */
static void sectors_past_the_fat_are_refused(void)
{
    size_t len;
    unsigned char *d = load("formats/pingtan-2025.doc", &len, 0);
    if (!d)
        return;
    if (CHECK_INT(get32(d + 0x2C), 3) && CHECK_INT(get32(d + 0x30), 267) &&
        CHECK_INT(get32(d + 0x54), 129)) {
        put32(d + 0x2C, 2);
        open_refused(d, len, 0x00, PAST_END);
    }
    free(d);
}

/* The header's count of FAT sectors: as many as the file's sectors passes
 * that check (and is refused for its second FAT sector, 0xFFFFFFFF); one
 * more is refused by it. */
static void fat_count_against_the_file(void)
{
    size_t len;
    unsigned char *d = hongze(&len, 0);
    if (!d)
        return;
    CHECK_INT(get32(d + 0x50), 0xFFFFFFFFu);
    put32(d + 0x2C, 103);
    open_refused(d, len, FILL, "a FAT sector of the compound file lies past the end of the file");
    put32(d + 0x2C, 104);
    open_refused(d, len, FILL,
                 "the compound file's header claims more FAT sectors than the file holds");
    free(d);
}

/*
 * hongze with a mini stream of 144 mini sectors (the root entry's chain
 * 3..7 grown by 13 new sectors 103..115) and 1Table moved to mini sectors
 * first..first+29 (in the new sectors: mini sector m at AT(103) + (m - 40) *
 * 64).  With two_minifat, the mini FAT gets a second sector (116) for mini
 * sectors 128..255; else the entries past 127 are not written.
 */
static unsigned char *big_mini_stream(size_t *len, uint32_t first, int two_minifat)
{
    unsigned char *d = hongze(len, 14 * SECTOR);
    if (!d)
        return NULL;
    put32(hz_fat(d, 7), 103);
    for (uint32_t s = 103; s < 115; s++)
        put32(hz_fat(d, s), s + 1);
    put32(hz_fat(d, 115), EOC);
    put32(hz_entry(d, 0) + 0x78, 18 * SECTOR);
    *len = AT(116);
    if (two_minifat) {
        put32(hz_fat(d, 2), 116);
        put32(hz_fat(d, 116), EOC);
        put32(d + 0x40, 2);
        memset(d + AT(116), 0xFF, SECTOR);
        *len = AT(117);
    }
    memcpy(d + AT(103) + (size_t)(first - 40) * 64, HZ_MINI(d, 3), 30 * 64);
    for (uint32_t m = first; m < first + 30; m++) {
        uint32_t next = m + 1 < first + 30 ? m + 1 : EOC;
        if (m < 128)
            put32(d + AT(2) + 4 * m, next);
        else if (two_minifat)
            put32(d + AT(116) + 4 * (m - 128), next);
    }
    put32(hz_entry(d, 3) + 0x74, first);
    return d;
}

/* Read 1Table of a big_mini_stream file; guard: the allocator's guard word. */
static gd_status read_moved_table(const unsigned char *d, size_t len, uint32_t guard,
                                  const char **why)
{
    opened o;
    open_with(&o, d, len, 0xA5, guard);
    gd_status st = o.st;
    *why = o.why;
    if (CHECKF(st == GD_OK, "open: %s", o.why ? o.why : ""))
        st = read_same(&o, "1Table", HZ_MINI(d, 3), 1917, why);
    close_checked(&o);
    return st;
}

static void mini_chains_and_the_mini_fat(void)
{
    size_t len;
    const char *why = NULL;
    /* mini sectors 98..127: up to the last entry of a one-sector mini FAT */
    unsigned char *d = big_mini_stream(&len, 98, 0);
    if (d) {
        gd_status st = read_moved_table(d, len, GUARD, &why);
        CHECKF(st == GD_OK, "status %d: %s", (int)st, why ? why : "");
    }
    free(d);
    /* 100..129 across the two sectors of the mini FAT */
    d = big_mini_stream(&len, 100, 1);
    if (d) {
        gd_status st = read_moved_table(d, len, GUARD, &why);
        CHECKF(st == GD_OK, "status %d: %s", (int)st, why ? why : "");
    }
    free(d);
    /* 100..129 with a one-sector mini FAT: 128 has no entry.  The guard word
     * after the mini FAT's block is 129, so reading the word past its end
     * would go on to mini sector 129 and give the stream. */
    d = big_mini_stream(&len, 100, 0);
    if (d) {
        CHECK_INT(read_moved_table(d, len, 129, &why), GD_ERR_FORMAT);
        CHECK_STR(why, PAST_END);
    }
    free(d);
}

/* memory.c: gd_grow from nothing to more than twice the first capacity in
 * one call, every element then writable; gd_malloc of 0 bytes asks the
 * allocator for 1 (malloc(0) may give NULL, which is not a failure). */
static void memory_grow_and_malloc(void)
{
    t_alloc a = {0, GUARD, 0, 0, 0};
    gd_allocator al = {ta_malloc, ta_realloc, ta_free, &a};
    gd_ctx c;
    memset(&c, 0, sizeof c);
    c.alloc = &al;
    uint32_t *arr = NULL;
    size_t cap = 0;
    if (CHECK_INT(gd_grow(&c, (void **)&arr, &cap, 100, sizeof *arr), 0) && CHECK(arr != NULL)) {
        CHECK(cap >= 100);
        for (uint32_t k = 0; k < 100; k++)
            arr[k] = k;
        size_t had = cap;
        CHECK_INT(gd_grow(&c, (void **)&arr, &cap, 5 * had + 3, sizeof *arr), 0);
        CHECK(cap >= 5 * had + 3);
        CHECK(arr[99] == 99);
        for (size_t k = 100; k < 5 * had + 3; k++)
            arr[k] = (uint32_t)k;
    }
    ta_free(&a, arr);
    void *one = gd_malloc(&c, 0);
    CHECK(one != NULL);
    gd_free(&c, one);
    CHECK_INT(a.zero_asks, 0);
    CHECK_INT(c.oom, 0);
    CHECK_INT(a.live, 0);
    CHECK_INT(a.spoiled, 0);
}

const test_case cfb_tests[] = {
    {"cfb_streams_read_within_their_blocks", streams_read_within_their_blocks},
    {"cfb_no_mini_fat_reads_empty_streams", no_mini_fat_reads_empty_streams},
    {"cfb_empty_directory_is_refused", empty_directory_is_refused},
    {"cfb_cut_directory_is_refused", cut_directory_is_refused},
    {"cfb_stream_longer_than_its_chain", stream_longer_than_its_chain},
    {"cfb_stream_in_a_partial_last_sector", stream_in_a_partial_last_sector},
    {"cfb_link_to_the_first_sector_past_the_end", link_to_the_first_sector_past_the_end},
    {"cfb_loops_are_refused", loops_are_refused},
    {"cfb_fat_sector_cut_by_the_end", fat_sector_cut_by_the_end},
    {"cfb_sectors_past_the_fat_are_refused", sectors_past_the_fat_are_refused},
    {"cfb_fat_count_against_the_file", fat_count_against_the_file},
    {"cfb_mini_chains_and_the_mini_fat", mini_chains_and_the_mini_fat},
    {"cfb_memory_grow_and_malloc", memory_grow_and_malloc},
    {NULL, NULL},
};
