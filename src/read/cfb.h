/*
 * cfb.h -- the compound file container (OLE2, [MS-CFB]) that Word 97-2003
 * files, WPS files, .xls and .ppt are stored in: what doc.c needs of it.
 *
 * Every integer is assembled from its bytes (little-endian, whatever the
 * machine), every sector number is checked against the file, every chain is
 * bounded by the number of sectors the file has (a chain that loops or runs
 * off the end is an error, never a hang or a read past the end).
 */
#ifndef GD_READ_CFB_H
#define GD_READ_CFB_H

#include "govdisclose.h"

#include <stddef.h>
#include <stdint.h>

static inline uint32_t gd_le16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static inline uint32_t gd_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The signature every compound file starts with. */
#define GD_CFB_MAGIC "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"

typedef struct {
    const unsigned char *data;
    size_t len;
    const gd_allocator *alloc;
    unsigned shift;       /* sector size = 1 << shift (512 or 4096) */
    uint32_t nsectors;    /* whole or partial sectors after the header */
    uint32_t *fat;        /* the FAT sectors' numbers, nfat of them */
    uint32_t nfat;
    uint32_t minifat_start, mini_cutoff;
    unsigned char *dir;   /* the directory stream, ndir entries of 128 bytes */
    uint32_t ndir;
    unsigned char *ministream; /* the root entry's stream (the mini sectors) */
    size_t ministream_len;
} gd_cfb;

/* Open the container: header, FAT sector list (header DIFAT and DIFAT
 * chain), directory.  Returns GD_OK, GD_ERR_NOMEM, or GD_ERR_FORMAT with
 * *why naming the fault (a static string).  gd_cfb_close frees it (also
 * after an error). */
gd_status gd_cfb_open(gd_cfb *f, const char *data, size_t len, const gd_allocator *alloc,
                      const char **why);
void gd_cfb_close(gd_cfb *f);

/* The directory entry of the stream or storage named name (ASCII, compared
 * without case) among the root storage's children, or -1; -2 when out of
 * memory. */
long gd_cfb_find(const gd_cfb *f, const char *name);

/* The whole stream of entry e, allocated with the container's allocator
 * (*out, *out_len; the caller frees it).  GD_ERR_FORMAT with *why for a
 * stream larger than the file, a chain that loops, ends early or leaves the
 * file. */
gd_status gd_cfb_read(gd_cfb *f, long e, unsigned char **out, size_t *out_len,
                      const char **why);

#endif /* GD_READ_CFB_H */
