/*
 * util.h: allocation that never fails, small helpers used everywhere.
 *
 * Out of memory is fatal (xmalloc), so callers never check for NULL.
 */
#ifndef NETSIM_UTIL_H
#define NETSIM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A parameter a callback's signature imposes but this implementation does not need. */
#define UNUSED __attribute__((unused))

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)    ((a) < (b) ? (a) : (b))
#define MAX(a, b)    ((a) > (b) ? (a) : (b))

#define container_of(ptr, type, member) ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
void *xmemdup(const void *, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
char *xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/* A 64-bit finaliser (MurmurHash3's fmix64 without its last step): hash table keys. */
static inline uint64_t
hash_mix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return k;
}

/* Grow *arr (element size sz) so that it holds at least need elements. */
void grow_array(void **arr, size_t *cap, size_t need, size_t sz);
#define VEC_PUSH(arr, n, cap, val)                                                              \
	do {                                                                                     \
		grow_array((void **)&(arr), &(cap), (n) + 1, sizeof(*(arr)));                   \
		(arr)[(n)++] = (val);                                                            \
	} while (0)

/*
 * The characters of device and interface names: letters, digits, '.', '_'
 * and '-'. Names become parts of file names (one pcap per link), so no '/'.
 */
static inline bool
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '_' || c == '-';
}

/* FNV-1a of a string: hash table keys for names. */
uint64_t str_hash(const char *);
bool str_eq(const char *, const char *);
bool str_prefix(const char *s, const char *prefix);

/*
 * Start loading len bytes at p into the cache: one sweep over memory that
 * is about to be read in an unpredictable order (a hint, no effect on results).
 */
static inline void
prefetch_span(const void *p, size_t len)
{
	for (size_t off = 0; off < len; off += 64)
		__builtin_prefetch((const char *)p + off);
}

#endif
