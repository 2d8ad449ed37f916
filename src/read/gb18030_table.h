/*
 * gb18030_table.h -- the tables of the GB18030 decoder (private to gb18030.c
 * and the generated gb18030_table.c; tools/gen_gb18030.py says their layout).
 */
#ifndef GD_GB18030_TABLE_H
#define GD_GB18030_TABLE_H

#include <stdint.h>

/* Two-byte sequences: 126 leads (0x81..0xFE) by 190 trails (0x40..0x7E,
 * 0x80..0xFE); each entry a BMP code point, 0 for none. */
#define GD_GB18030_TWO (126 * 190)
extern const uint16_t gd_gb18030_two[GD_GB18030_TWO];

/* Four-byte sequences of the BMP as runs of their linear index: a run starts
 * at index `index` with code point `first`, and goes on one to one up to the
 * next run (the last: up to GD_GB18030_BMP_INDEXES). */
#define GD_GB18030_BMP_INDEXES 39420 /* 0x81308130 .. 0x8431A439 */
typedef struct {
    uint16_t index;
    uint16_t first;
} gd_gb18030_run;
extern const gd_gb18030_run gd_gb18030_bmp[];
extern const unsigned gd_gb18030_runs; /* entries of gd_gb18030_bmp; the first has index 0 */

#endif /* GD_GB18030_TABLE_H */
