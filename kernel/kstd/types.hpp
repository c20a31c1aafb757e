#pragma once
// Fixed-width integer names used everywhere in the kernel. The compiler's freestanding
// <stdint.h> and <stddef.h> are the only C headers the kernel includes.
#include <stddef.h>
#include <stdint.h>

using u8 = uint8_t;
using u16 = uint16_t;
using u32 = uint32_t;
using u64 = uint64_t;
using i8 = int8_t;
using i16 = int16_t;
using i32 = int32_t;
using i64 = int64_t;
using usize = size_t;
using uptr = uintptr_t;

static_assert(sizeof(u64) == 8 && sizeof(uptr) == 8, "Tessera targets are 64-bit");
