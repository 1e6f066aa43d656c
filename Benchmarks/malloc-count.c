/*
 * malloc-count.c: an LD_PRELOAD shim that counts heap allocations of one process.
 *
 *   gcc -shared -fPIC -O2 -o malloc-count.so Benchmarks/malloc-count.c -ldl
 *   MALLOC_COUNT_FILE=/tmp/m.txt LD_PRELOAD=$PWD/malloc-count.so some-program ...
 *
 * Counts calls to malloc, calloc, realloc, posix_memalign, aligned_alloc and memalign
 * (every thread, relaxed atomic counters) and forwards them to the next definition
 * (glibc's). At exit, a destructor appends one line to $MALLOC_COUNT_FILE:
 *
 *   mallocs=N malloc=a calloc=b realloc=c posix_memalign=d aligned_alloc=e memalign=f pid=P
 *
 * where N is the sum. free is interposed only to recognise the bootstrap buffer below.
 *
 * Bootstrap: the real functions are found with dlsym(RTLD_NEXT), and dlsym itself may call
 * calloc (glibc's dlerror buffer) or malloc before the real ones are known. While resolving,
 * those calls are served from a small static buffer; they are not counted, and free/realloc
 * recognise pointers into it. Only the standard library's async-signal-safe calls
 * (open, write, close, getpid, getenv) are used at exit: no stdio.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef void *(*malloc_fn)(size_t);
typedef void *(*calloc_fn)(size_t, size_t);
typedef void *(*realloc_fn)(void *, size_t);
typedef void (*free_fn)(void *);
typedef int (*posix_memalign_fn)(void **, size_t, size_t);
typedef void *(*aligned_alloc_fn)(size_t, size_t);
typedef void *(*memalign_fn)(size_t, size_t);

static malloc_fn real_malloc;
static calloc_fn real_calloc;
static realloc_fn real_realloc;
static free_fn real_free;
static posix_memalign_fn real_posix_memalign;
static aligned_alloc_fn real_aligned_alloc;
static memalign_fn real_memalign;

enum { C_MALLOC, C_CALLOC, C_REALLOC, C_POSIX_MEMALIGN, C_ALIGNED_ALLOC, C_MEMALIGN, C_COUNT };
static const char *const counter_names[C_COUNT] = {
    "malloc", "calloc", "realloc", "posix_memalign", "aligned_alloc", "memalign",
};
static uint64_t counters[C_COUNT];

static inline void count(int which) { __atomic_fetch_add(&counters[which], 1, __ATOMIC_RELAXED); }

/* ---- bootstrap buffer for allocations made while resolving (by dlsym itself) ---- */

static _Alignas(64) unsigned char boot_buf[64 * 1024];
static size_t boot_used; /* atomic */
static int resolving;    /* atomic; nonzero while resolve() runs */
static int resolved;     /* atomic */

static void *boot_alloc(size_t size, int zero) {
    size_t need = (size + 63) & ~(size_t)63;
    size_t at = __atomic_fetch_add(&boot_used, need, __ATOMIC_RELAXED);
    if (at + need > sizeof boot_buf) return NULL; /* static buffer exhausted */
    if (zero) memset(boot_buf + at, 0, size);     /* already zero, unless reused: be safe */
    return boot_buf + at;
}

static inline int is_boot(const void *p) {
    return (const unsigned char *)p >= boot_buf && (const unsigned char *)p < boot_buf + sizeof boot_buf;
}

static void resolve(void) {
    if (__atomic_load_n(&resolved, __ATOMIC_ACQUIRE)) return;
    __atomic_store_n(&resolving, 1, __ATOMIC_RELEASE);
    /* Idempotent: two threads racing here store the same pointers. */
    real_calloc = (calloc_fn)dlsym(RTLD_NEXT, "calloc");
    real_malloc = (malloc_fn)dlsym(RTLD_NEXT, "malloc");
    real_realloc = (realloc_fn)dlsym(RTLD_NEXT, "realloc");
    real_free = (free_fn)dlsym(RTLD_NEXT, "free");
    real_posix_memalign = (posix_memalign_fn)dlsym(RTLD_NEXT, "posix_memalign");
    real_aligned_alloc = (aligned_alloc_fn)dlsym(RTLD_NEXT, "aligned_alloc");
    real_memalign = (memalign_fn)dlsym(RTLD_NEXT, "memalign");
    __atomic_store_n(&resolving, 0, __ATOMIC_RELEASE);
    if (real_malloc && real_calloc && real_realloc && real_free && real_posix_memalign &&
        real_aligned_alloc && real_memalign) {
        __atomic_store_n(&resolved, 1, __ATOMIC_RELEASE);
    } else {
        static const char msg[] = "malloc-count: dlsym(RTLD_NEXT) did not find the allocator\n";
        (void)!write(2, msg, sizeof msg - 1);
        _exit(127);
    }
}

/* True when the call must be served from the bootstrap buffer. */
static inline int bootstrapping(void) {
    if (__builtin_expect(__atomic_load_n(&resolved, __ATOMIC_ACQUIRE), 1)) return 0;
    if (__atomic_load_n(&resolving, __ATOMIC_ACQUIRE)) return 1;
    resolve();
    return 0;
}

__attribute__((constructor)) static void malloc_count_init(void) { resolve(); }

/* ---- the interposed functions ---- */

void *malloc(size_t size) {
    if (bootstrapping()) return boot_alloc(size, 0);
    count(C_MALLOC);
    return real_malloc(size);
}

void *calloc(size_t n, size_t size) {
    if (bootstrapping()) {
        if (size && n > SIZE_MAX / size) return NULL;
        return boot_alloc(n * size, 1);
    }
    count(C_CALLOC);
    return real_calloc(n, size);
}

void *realloc(void *p, size_t size) {
    if (bootstrapping()) {
        void *q = boot_alloc(size, 0);
        if (q && p) memmove(q, p, size); /* p is a boot pointer; over-copying stays in boot_buf */
        return q;
    }
    count(C_REALLOC);
    if (is_boot(p)) { /* move a bootstrap block onto the real heap */
        void *q = real_malloc(size);
        if (q) {
            size_t room = (size_t)(boot_buf + sizeof boot_buf - (unsigned char *)p);
            memcpy(q, p, size < room ? size : room);
        }
        return q;
    }
    return real_realloc(p, size);
}

void free(void *p) {
    if (!p || is_boot(p)) return;
    if (!__atomic_load_n(&resolved, __ATOMIC_ACQUIRE)) resolve();
    real_free(p);
}

int posix_memalign(void **out, size_t alignment, size_t size) {
    if (bootstrapping()) return ENOMEM;
    count(C_POSIX_MEMALIGN);
    return real_posix_memalign(out, alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    if (bootstrapping()) return NULL;
    count(C_ALIGNED_ALLOC);
    return real_aligned_alloc(alignment, size);
}

void *memalign(size_t alignment, size_t size) {
    if (bootstrapping()) return NULL;
    count(C_MEMALIGN);
    return real_memalign(alignment, size);
}

/* ---- report at exit ---- */

static char *put_str(char *at, const char *s) {
    while (*s) *at++ = *s++;
    return at;
}

static char *put_u64(char *at, uint64_t v) {
    char digits[24];
    int n = 0;
    do { digits[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) *at++ = digits[--n];
    return at;
}

__attribute__((destructor)) static void malloc_count_report(void) {
    const char *path = getenv("MALLOC_COUNT_FILE");
    if (!path || !*path) return;
    uint64_t values[C_COUNT], total = 0;
    for (int i = 0; i < C_COUNT; i++) {
        values[i] = __atomic_load_n(&counters[i], __ATOMIC_RELAXED);
        total += values[i];
    }
    char line[512];
    char *at = put_str(line, "mallocs=");
    at = put_u64(at, total);
    for (int i = 0; i < C_COUNT; i++) {
        at = put_str(at, " ");
        at = put_str(at, counter_names[i]);
        at = put_str(at, "=");
        at = put_u64(at, values[i]);
    }
    at = put_str(at, " pid=");
    at = put_u64(at, (uint64_t)getpid());
    *at++ = '\n';
    /* O_APPEND: a child that inherited LD_PRELOAD adds its own line instead of clobbering. */
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return;
    size_t len = (size_t)(at - line), done = 0;
    while (done < len) {
        ssize_t n = write(fd, line + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += (size_t)n;
    }
    close(fd);
}
