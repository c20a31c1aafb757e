#pragma once
// Typed access to the supervisor CSRs: read_csr<Csr::sepc>() instead of inline assembly
// scattered around the kernel.
#include <kstd/types.hpp>

namespace arch {

enum class Csr : u16 {
    sstatus = 0x100,
    sie = 0x104,
    stvec = 0x105,
    scounteren = 0x106,
    sscratch = 0x140,
    sepc = 0x141,
    scause = 0x142,
    stval = 0x143,
    sip = 0x144,
    stimecmp = 0x14d,
    satp = 0x180,
    time = 0xc01,
};

template <Csr csr> inline u64 read_csr() {
    u64 value;
    asm volatile("csrr %0, %1" : "=r"(value) : "i"(static_cast<u16>(csr)));
    return value;
}

template <Csr csr> inline void write_csr(u64 value) {
    asm volatile("csrw %0, %1" ::"i"(static_cast<u16>(csr)), "r"(value) : "memory");
}

template <Csr csr> inline void set_csr_bits(u64 bits) {
    asm volatile("csrs %0, %1" ::"i"(static_cast<u16>(csr)), "r"(bits) : "memory");
}

template <Csr csr> inline void clear_csr_bits(u64 bits) {
    asm volatile("csrc %0, %1" ::"i"(static_cast<u16>(csr)), "r"(bits) : "memory");
}

namespace sstatus {
inline constexpr u64 SIE = u64{1} << 1;
inline constexpr u64 SPIE = u64{1} << 5;
inline constexpr u64 SPP = u64{1} << 8;
inline constexpr u64 FS_MASK = u64{3} << 13;
inline constexpr u64 FS_INITIAL = u64{1} << 13;
inline constexpr u64 FS_CLEAN = u64{2} << 13;
inline constexpr u64 FS_DIRTY = u64{3} << 13;
inline constexpr u64 SUM = u64{1} << 18;
} // namespace sstatus

namespace sie {
inline constexpr u64 SSIE = u64{1} << 1;
inline constexpr u64 STIE = u64{1} << 5;
inline constexpr u64 SEIE = u64{1} << 9;
} // namespace sie

inline constexpr u64 kScauseInterruptBit = u64{1} << 63;

} // namespace arch
