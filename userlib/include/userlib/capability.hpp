#pragma once
// Capability pointers and slot addresses as user space names them. A CPtr is resolved by
// the kernel at full depth (64 bits) in the caller's CSpace; CNode operations name a slot
// by a (index, depth) path from a CNode they are invoked on. Distinct types, so a slot
// number, a depth and a rights mask cannot be swapped by accident.
#include <kstd/types.hpp>

namespace tessera::user {

struct CPtr {
    u64 value = 0;
    constexpr bool is_null() const { return value == 0; }
    constexpr bool operator==(const CPtr&) const = default;
};

// A slot reached from the CNode an operation is invoked on: `depth` bits of `index`.
struct SlotPath {
    u64 index = 0;
    u64 depth = 64;
    // A slot named by a pointer that resolves at full depth (every CSpace userlib builds).
    static constexpr SlotPath at(CPtr pointer) { return SlotPath{pointer.value, 64}; }
};

// The rights word of CNode.Copy/Mint: they can only be removed.
struct CapRights {
    u64 bits = 0xf;
    static constexpr u64 kRead = 1 << 0;
    static constexpr u64 kWrite = 1 << 1;
    static constexpr u64 kGrant = 1 << 2;
    static constexpr u64 kGrantReply = 1 << 3;
    static constexpr CapRights all() { return CapRights{0xf}; }
    static constexpr CapRights read_only() { return CapRights{kRead}; }
    static constexpr CapRights read_write() { return CapRights{kRead | kWrite}; }
};

// The data word of Mint/Mutate for a CNode capability: the guard and its size in bits.
constexpr u64 cnode_guard_data(u64 guard, unsigned guard_bits) { return (guard << 6) | guard_bits; }

} // namespace tessera::user
