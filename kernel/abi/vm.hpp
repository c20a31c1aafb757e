#pragma once
// Virtual-memory arguments of Frame.Map / Frame.Remap and the user address range. ABI.
#include <kstd/types.hpp>

namespace tessera {

// The rights word of Frame.Map and Frame.Remap. A mapping never has more than the frame
// capability allows (read and write rights of the capability; execute needs read). A
// mapping without User is present but only for the supervisor: user access faults (a
// guard page that still occupies its place); it may only be readable, never W or X.
struct VmRights {
    static constexpr u64 kRead = 1 << 0;
    static constexpr u64 kWrite = 1 << 1;
    static constexpr u64 kExecute = 1 << 2;
    static constexpr u64 kUser = 1 << 3;
    static constexpr u64 kMask = 0xf;
    static constexpr u64 kReadWrite = kRead | kWrite | kUser;
    static constexpr u64 kReadExecute = kRead | kExecute | kUser;
    static constexpr u64 kReadOnly = kRead | kUser;
};

// The attributes word: no attribute is defined yet, so it must be 0.
inline constexpr u64 kVmAttributesNone = 0;

// User virtual addresses are [0, kUserAddressLimit): the lower half of Sv39.
inline constexpr u64 kUserAddressLimit = u64{1} << 38;
inline constexpr u64 kPageBits = 12;
inline constexpr u64 kPageBytes = u64{1} << kPageBits;

// ASIDs: 16 bits; pools of 512; ASID 0 is the kernel's and never assigned.
inline constexpr u64 kAsidBits = 16;
inline constexpr u64 kAsidPoolBits = 9;
inline constexpr u64 kAsidPoolSize = u64{1} << kAsidPoolBits;

} // namespace tessera
