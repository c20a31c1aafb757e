/* The environment libfdt expects, for the freestanding kernel: fixed-width types, the
 * byte-order helpers, and declarations of the memory and string functions that
 * kernel/lib/string.cpp defines. libfdt itself is compiled unmodified. */
#ifndef LIBFDT_ENV_H
#define LIBFDT_ENV_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif
void* memcpy(void* destination, const void* source, size_t count);
void* memmove(void* destination, const void* source, size_t count);
void* memset(void* destination, int value, size_t count);
int memcmp(const void* a, const void* b, size_t count);
void* memchr(const void* memory, int value, size_t count);
size_t strlen(const char* text);
size_t strnlen(const char* text, size_t limit);
char* strrchr(const char* text, int c);
char* strchr(const char* text, int c);
#ifdef __cplusplus
}
#endif

typedef uint16_t fdt16_t;
typedef uint32_t fdt32_t;
typedef uint64_t fdt64_t;

/* The device tree is big-endian; every Tessera target is little-endian. */
static inline uint16_t fdt16_to_cpu(fdt16_t x) { return __builtin_bswap16(x); }
static inline fdt16_t cpu_to_fdt16(uint16_t x) { return __builtin_bswap16(x); }
static inline uint32_t fdt32_to_cpu(fdt32_t x) { return __builtin_bswap32(x); }
static inline fdt32_t cpu_to_fdt32(uint32_t x) { return __builtin_bswap32(x); }
static inline uint64_t fdt64_to_cpu(fdt64_t x) { return __builtin_bswap64(x); }
static inline fdt64_t cpu_to_fdt64(uint64_t x) { return __builtin_bswap64(x); }

#endif
