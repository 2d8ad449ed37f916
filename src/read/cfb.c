/*
 * cfb.c -- the compound file container ([MS-CFB]): header, FAT (through the
 * header's DIFAT and the DIFAT chain), directory, mini stream and mini FAT.
 *
 * A chain is a list of sector numbers, each the next of the one before in
 * the FAT.  Walked here, a chain may not leave the file, may not visit a
 * sector twice (a bitmap of the sectors seen: a loop is an error, found at
 * once), and may not be longer than the stream it holds needs.
 */
#include "cfb.h"

#include <string.h>

#define HEADER_BYTES 512
#define DIR_ENTRY_BYTES 128
#define MINI_SHIFT 6 /* mini sectors are 64 bytes (the header's field is not trusted) */
#define HEADER_DIFAT 109
#define END_OF_CHAIN 0xFFFFFFFEu
#define NO_STREAM 0xFFFFFFFFu

/* Directory entry fields. */
#define DE_NAME_LEN 0x40
#define DE_TYPE 0x42
#define DE_LEFT 0x44
#define DE_RIGHT 0x48
#define DE_CHILD 0x4C
#define DE_START 0x74
#define DE_SIZE 0x78
#define TYPE_STORAGE 1
#define TYPE_STREAM 2
#define TYPE_ROOT 5

static void *cfb_alloc(const gd_cfb *f, size_t n)
{
    return f->alloc->malloc(f->alloc->ctx, n ? n : 1);
}

static void cfb_free(const gd_cfb *f, void *p)
{
    if (p)
        f->alloc->free(f->alloc->ctx, p);
}

/* The offset of sector s in the file (s < nsectors). */
static size_t sector_at(const gd_cfb *f, uint32_t s)
{
    return ((size_t)s + 1) << f->shift;
}

/* The FAT's entry for sector s: the next sector of its chain; NO_STREAM when
 * the FAT does not reach s or its sector is cut off by the end of the file. */
static uint32_t fat_next(const gd_cfb *f, uint32_t s)
{
    uint32_t per = (uint32_t)1 << (f->shift - 2);
    uint32_t idx = s / per;
    if (idx >= f->nfat)
        return NO_STREAM;
    size_t at = sector_at(f, f->fat[idx]) + (size_t)(s % per) * 4;
    if (at + 4 > f->len)
        return NO_STREAM;
    return gd_le32(f->data + at);
}

/* The mini FAT's entry for mini sector m (minifat: the mini FAT stream). */
static uint32_t minifat_next(const unsigned char *minifat, size_t minifat_len, uint32_t m)
{
    if ((size_t)m >= minifat_len / 4)
        return NO_STREAM;
    return gd_le32(minifat + (size_t)m * 4);
}

/* Walk a chain from start, at most want links (or to its end when want is
 * 0), into list.  nmax: how many sectors there are (mini or regular);
 * mini: follow the mini FAT.  Returns the number of sectors, or -1 with
 * *why set. */
static long walk(const gd_cfb *f, uint32_t start, uint32_t want, uint32_t nmax,
                 const unsigned char *minifat, size_t minifat_len, uint32_t *list,
                 const char **why)
{
    unsigned char *seen = cfb_alloc(f, nmax / 8 + 1);
    if (!seen)
        return -2;
    memset(seen, 0, nmax / 8 + 1);
    uint32_t n = 0, s = start;
    long result = -1;
    while (want == 0 || n < want) {
        if (s == END_OF_CHAIN && want == 0) {
            result = (long)n;
            break;
        }
        if (s >= nmax) {
            *why = s == END_OF_CHAIN ? "a stream's sector chain ends before the stream does"
                                     : "a sector chain points past the end of the file (truncated or corrupt)";
            goto out;
        }
        if (seen[s / 8] & (1u << (s % 8))) {
            *why = "a sector chain loops (the FAT points back into it)";
            goto out;
        }
        seen[s / 8] |= (unsigned char)(1u << (s % 8));
        list[n++] = s;
        s = minifat ? minifat_next(minifat, minifat_len, s) : fat_next(f, s);
    }
    if (want != 0)
        result = (long)n;
out:
    cfb_free(f, seen);
    return result;
}

/* Copy size bytes of the chain's sectors (regular ones from the file, or
 * mini ones from the mini stream) into out. */
static int gather(const gd_cfb *f, const uint32_t *list, uint32_t n, size_t size, int mini,
                  unsigned char *out, const char **why)
{
    unsigned shift = mini ? MINI_SHIFT : f->shift;
    size_t ssz = (size_t)1 << shift, done = 0;
    for (uint32_t k = 0; k < n && done < size; k++) {
        size_t at = mini ? (size_t)list[k] << MINI_SHIFT : sector_at(f, list[k]);
        size_t have = mini ? f->ministream_len : f->len;
        size_t take = size - done < ssz ? size - done : ssz;
        if (at > have || have - at < take) {
            *why = "a stream runs past the end of the file (truncated)";
            return -1;
        }
        memcpy(out + done, (mini ? f->ministream : f->data) + at, take);
        done += take;
    }
    return 0;
}

/* Read the chain from start (size bytes, or the whole chain when size is
 * (size_t)-1) into a new buffer. */
static gd_status read_chain(gd_cfb *f, uint32_t start, size_t size, int mini,
                            const unsigned char *minifat, size_t minifat_len,
                            unsigned char **out, size_t *out_len, const char **why)
{
    unsigned shift = mini ? MINI_SHIFT : f->shift;
    size_t ssz = (size_t)1 << shift;
    uint32_t nmax = mini ? (uint32_t)(f->ministream_len >> MINI_SHIFT) : f->nsectors;
    size_t have = mini ? f->ministream_len : f->len;
    int whole = size == (size_t)-1;
    if (!whole && size > have) {
        *why = "a directory entry's stream is larger than the file";
        return GD_ERR_FORMAT;
    }
    uint32_t want = whole ? 0 : (uint32_t)((size + ssz - 1) / ssz);
    *out = NULL;
    *out_len = 0;
    if (!whole && want == 0) {
        *out = cfb_alloc(f, 1);
        return *out ? GD_OK : GD_ERR_NOMEM;
    }
    uint32_t *list = cfb_alloc(f, ((size_t)(whole ? nmax : want) + 1) * sizeof *list);
    if (!list)
        return GD_ERR_NOMEM;
    long n = walk(f, start, want, nmax, mini ? minifat : NULL, minifat_len, list, why);
    gd_status st = GD_OK;
    if (n < 0) {
        st = n == -2 ? GD_ERR_NOMEM : GD_ERR_FORMAT;
    } else {
        if (whole)
            size = (size_t)n << shift;
        *out = cfb_alloc(f, size);
        if (!*out)
            st = GD_ERR_NOMEM;
        else if (gather(f, list, (uint32_t)n, size, mini, *out, why) < 0)
            st = GD_ERR_FORMAT;
        else
            *out_len = size;
    }
    cfb_free(f, list);
    if (st != GD_OK) {
        cfb_free(f, *out);
        *out = NULL;
    }
    return st;
}

/* The FAT sectors' numbers: the first 109 in the header, the rest in the
 * DIFAT chain (each DIFAT sector: entries, then the next DIFAT sector). */
static gd_status read_fat_list(gd_cfb *f, const char **why)
{
    const unsigned char *h = f->data;
    uint32_t nfat = gd_le32(h + 0x2C);
    if (nfat > f->nsectors) {
        *why = "the compound file's header claims more FAT sectors than the file holds";
        return GD_ERR_FORMAT;
    }
    f->fat = cfb_alloc(f, ((size_t)nfat + 1) * sizeof *f->fat);
    if (!f->fat)
        return GD_ERR_NOMEM;
    uint32_t n = 0;
    for (; n < nfat && n < HEADER_DIFAT; n++)
        f->fat[n] = gd_le32(h + 0x4C + 4 * n);
    uint32_t per = ((uint32_t)1 << (f->shift - 2)) - 1, s = gd_le32(h + 0x44);
    for (uint32_t steps = 0; n < nfat; steps++) {
        if (s >= f->nsectors || steps >= f->nsectors) {
            *why = "the compound file's DIFAT chain ends early, loops or leaves the file";
            return GD_ERR_FORMAT;
        }
        size_t at = sector_at(f, s);
        if (at + ((size_t)per + 1) * 4 > f->len) {
            *why = "the compound file's DIFAT runs past the end of the file (truncated)";
            return GD_ERR_FORMAT;
        }
        for (uint32_t k = 0; k < per && n < nfat; k++)
            f->fat[n++] = gd_le32(f->data + at + 4 * k);
        s = gd_le32(f->data + at + 4 * per);
    }
    for (uint32_t k = 0; k < nfat; k++) {
        if (f->fat[k] >= f->nsectors) {
            *why = "a FAT sector of the compound file lies past the end of the file";
            return GD_ERR_FORMAT;
        }
    }
    f->nfat = nfat;
    return GD_OK;
}

gd_status gd_cfb_open(gd_cfb *f, const char *data, size_t len, const gd_allocator *alloc,
                      const char **why)
{
    memset(f, 0, sizeof *f);
    f->data = (const unsigned char *)data;
    f->len = len;
    f->alloc = alloc;
    if (len < HEADER_BYTES || memcmp(data, GD_CFB_MAGIC, 8) != 0) {
        *why = "the compound file is shorter than its 512-byte header (truncated)";
        return GD_ERR_FORMAT;
    }
    unsigned shift = gd_le16(f->data + 0x1E);
    if (shift != 9 && shift != 12) {
        *why = "the compound file's sector size is neither 512 nor 4096 bytes";
        return GD_ERR_FORMAT;
    }
    f->shift = shift;
    size_t ssz = (size_t)1 << shift;
    size_t body = len > ssz ? len - ssz : 0;
    size_t nsec = (body + ssz - 1) / ssz;
    f->nsectors = nsec > 0xFFFFFFF0u ? 0xFFFFFFF0u : (uint32_t)nsec;
    f->mini_cutoff = gd_le32(f->data + 0x38);
    f->minifat_start = gd_le32(f->data + 0x3C);
    gd_status st = read_fat_list(f, why);
    if (st != GD_OK)
        return st;
    size_t dir_len;
    st = read_chain(f, gd_le32(f->data + 0x30), (size_t)-1, 0, NULL, 0, &f->dir, &dir_len, why);
    if (st != GD_OK)
        return st;
    f->ndir = (uint32_t)(dir_len / DIR_ENTRY_BYTES);
    if (f->ndir == 0 || f->dir[DE_TYPE] != TYPE_ROOT) {
        *why = "the compound file's directory has no root entry";
        return GD_ERR_FORMAT;
    }
    return GD_OK;
}

void gd_cfb_close(gd_cfb *f)
{
    if (!f->alloc)
        return;
    cfb_free(f, f->fat);
    cfb_free(f, f->dir);
    cfb_free(f, f->ministream);
    f->fat = NULL;
    f->dir = NULL;
    f->ministream = NULL;
}

/* Entry e's name equals the ASCII name, without case. */
static int name_is(const unsigned char *e, const char *name)
{
    size_t nbytes = gd_le16(e + DE_NAME_LEN), n = strlen(name);
    if (nbytes != (n + 1) * 2 || nbytes > 64)
        return 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t c = gd_le16(e + 2 * k), want = (unsigned char)name[k];
        if (c >= 'a' && c <= 'z')
            c -= 32;
        if (want >= 'a' && want <= 'z')
            want -= 32;
        if (c != want)
            return 0;
    }
    return 1;
}

long gd_cfb_find(const gd_cfb *f, const char *name)
{
    /* the root's children form a tree through left and right siblings:
     * walked with a stack, each entry once (a malformed tree may loop) */
    uint32_t *stack = cfb_alloc(f, ((size_t)f->ndir * 2 + 2) * sizeof *stack);
    unsigned char *seen = cfb_alloc(f, f->ndir / 8 + 1);
    long found = -1;
    if (!stack || !seen) {
        found = -2;
        goto out;
    }
    memset(seen, 0, f->ndir / 8 + 1);
    size_t top = 0;
    stack[top++] = gd_le32(f->dir + DE_CHILD);
    while (top > 0 && found < 0) {
        uint32_t e = stack[--top];
        if (e >= f->ndir || (seen[e / 8] & (1u << (e % 8))))
            continue;
        seen[e / 8] |= (unsigned char)(1u << (e % 8));
        const unsigned char *d = f->dir + (size_t)e * DIR_ENTRY_BYTES;
        if ((d[DE_TYPE] == TYPE_STREAM || d[DE_TYPE] == TYPE_STORAGE) && name_is(d, name))
            found = (long)e;
        stack[top++] = gd_le32(d + DE_LEFT); /* each entry pushes twice, once */
        stack[top++] = gd_le32(d + DE_RIGHT);
    }
out:
    cfb_free(f, stack);
    cfb_free(f, seen);
    return found;
}

gd_status gd_cfb_read(gd_cfb *f, long e, unsigned char **out, size_t *out_len, const char **why)
{
    *out = NULL;
    *out_len = 0;
    if (e < 0 || (uint32_t)e >= f->ndir) {
        *why = "a directory entry number is out of range";
        return GD_ERR_FORMAT;
    }
    const unsigned char *d = f->dir + (size_t)e * DIR_ENTRY_BYTES;
    uint32_t start = gd_le32(d + DE_START);
    uint32_t size = gd_le32(d + DE_SIZE);
    if (f->shift == 12 && gd_le32(d + DE_SIZE + 4) != 0) {
        *why = "a directory entry's stream is larger than the file";
        return GD_ERR_FORMAT;
    }
    if (e == 0 || size >= f->mini_cutoff)
        return read_chain(f, start, size, 0, NULL, 0, out, out_len, why);
    /* a small stream: in the mini stream (the root entry's), through the mini FAT */
    if (!f->ministream) {
        gd_status st = gd_cfb_read(f, 0, &f->ministream, &f->ministream_len, why);
        if (st != GD_OK)
            return st;
    }
    unsigned char *minifat;
    size_t minifat_len;
    gd_status st = read_chain(f, f->minifat_start, (size_t)-1, 0, NULL, 0, &minifat,
                              &minifat_len, why);
    if (st != GD_OK)
        return st;
    st = read_chain(f, start, size, 1, minifat, minifat_len, out, out_len, why);
    cfb_free(f, minifat);
    return st;
}
