// The one umbrella header for every C declaration tierbench uses.
// Include order matters (see shared/reference/swift-liburing.md): a glibc header first, so that
// liburing's own _GNU_SOURCE/_XOPEN_SOURCE defines do not reshape fd_set under Swift's importer,
// then the kernel's io_uring header, then liburing.
#ifndef TIERBENCH_CURING_H
#define TIERBENCH_CURING_H

#include <stdint.h>
#include <linux/io_uring.h>
#include <liburing.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <linux/fs.h>
#include <unistd.h>
#include <errno.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

// Constants Swift cannot import (function-like macros and `1U << enum` expressions).
static inline uint8_t tb_iosqe_fixed_file(void) { return IOSQE_FIXED_FILE; }
static inline unsigned long tb_blksszget(void) { return BLKSSZGET; }
static inline unsigned long tb_blkgetsize64(void) { return BLKGETSIZE64; }
static inline long tb_sys_io_uring_setup(void) { return SYS_io_uring_setup; }

// Typed ioctl wrappers: Swift cannot call the variadic ioctl(2).
static inline int tb_ioctl_int(int fd, unsigned long request, int *out) { return ioctl(fd, request, out); }
static inline int tb_ioctl_u64(int fd, unsigned long request, uint64_t *out) { return ioctl(fd, request, out); }

// The calling thread's CPU affinity (sched_{get,set}affinity(0, ...) need _GNU_SOURCE; the raw
// system calls do not). 0 or -1 (errno set); get returns the mask size the kernel wrote.
static inline long tb_sched_setaffinity_self(size_t size, const void *mask) { return syscall(SYS_sched_setaffinity, 0, size, mask); }
static inline long tb_sched_getaffinity_self(size_t size, void *mask) { return syscall(SYS_sched_getaffinity, 0, size, mask); }

// Defined in shim.c, which is compiled with _GNU_SOURCE (this header cannot define it: see above).
/// O_DIRECT.
int tb_o_direct(void);
/// O_SYNC (file integrity: data and metadata written before a write completes).
int tb_o_sync(void);
/// O_DSYNC (data integrity: the data and the metadata needed to read it back).
int tb_o_dsync(void);
/// statx(STATX_DIOALIGN): 0 and the memory and offset alignment O_DIRECT needs, or -1 (errno set,
/// or ENODATA when the kernel or file system does not report it).
int tb_statx_dio_alignment(int fd, uint32_t *mem_align, uint32_t *offset_align);

#endif
