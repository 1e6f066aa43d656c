// The two declarations of CURing.h that need _GNU_SOURCE, which the umbrella header cannot set.
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <errno.h>
#include <stdint.h>

int tb_o_direct(void) { return O_DIRECT; }
int tb_o_sync(void) { return O_SYNC; }
int tb_o_dsync(void) { return O_DSYNC; }

int tb_statx_dio_alignment(int fd, uint32_t *mem_align, uint32_t *offset_align) {
    struct statx stx;
    if (statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &stx) != 0) return -1;
    if (!(stx.stx_mask & STATX_DIOALIGN) || stx.stx_dio_offset_align == 0) { errno = ENODATA; return -1; }
    *mem_align = stx.stx_dio_mem_align;
    *offset_align = stx.stx_dio_offset_align;
    return 0;
}
