#pragma once
// The object types Untyped.Retype creates, with their sizes. Numbers are ABI: the kernel
// and userlib share this header.
#include <kstd/types.hpp>

namespace tessera {

enum class ObjectType : u64 {
    Untyped = 0,
    Tcb = 1,
    Endpoint = 2,
    Notification = 3,
    CNode = 4,
    Reply = 5,
    Frame4K = 6,
    Frame2M = 7,
    Frame1G = 8,
    PageTable = 9,
};

inline constexpr u64 kObjectTypeCount = 10;

inline constexpr unsigned kMinUntypedBits = 4;
inline constexpr unsigned kMaxUntypedBits = 47;
inline constexpr unsigned kTcbSizeBits = 10;
inline constexpr unsigned kEndpointSizeBits = 4;
inline constexpr unsigned kNotificationSizeBits = 5;
inline constexpr unsigned kReplySizeBits = 5;
inline constexpr unsigned kPageTableSizeBits = 12;
inline constexpr unsigned kAsidPoolSizeBits = 12;
inline constexpr unsigned kCNodeSlotSizeBits = 5;

// Retype creates at most this many objects per call, so one call is bounded work.
inline constexpr u64 kRetypeFanOutLimit = 256;

constexpr bool is_frame_type(ObjectType type) {
    return type == ObjectType::Frame4K || type == ObjectType::Frame2M || type == ObjectType::Frame1G;
}

// Size in bits of one object; `user_size_bits` matters for Untyped (its size) and CNode
// (its radix).
constexpr unsigned object_size_bits(ObjectType type, unsigned user_size_bits) {
    switch (type) {
    case ObjectType::Untyped: return user_size_bits;
    case ObjectType::Tcb: return kTcbSizeBits;
    case ObjectType::Endpoint: return kEndpointSizeBits;
    case ObjectType::Notification: return kNotificationSizeBits;
    case ObjectType::CNode: return user_size_bits + kCNodeSlotSizeBits;
    case ObjectType::Reply: return kReplySizeBits;
    case ObjectType::Frame4K: return 12;
    case ObjectType::Frame2M: return 21;
    case ObjectType::Frame1G: return 30;
    case ObjectType::PageTable: return kPageTableSizeBits;
    }
    return 0;
}

} // namespace tessera
