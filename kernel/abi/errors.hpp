#pragma once
// Error codes of invocation replies and the kinds of capability-lookup failure. The
// numbering is ABI (it follows seL4's); the kernel and userlib share this header.
#include <kstd/types.hpp>

namespace tessera {

enum class ErrorCode : u64 {
    None = 0,
    InvalidArgument = 1,   // detail: which argument (0-based message word)
    InvalidCapability = 2, // detail: which capability (0 = the invoked one, 1.. = extra caps)
    IllegalOperation = 3,
    RangeError = 4,        // details: the smallest and largest allowed values
    AlignmentError = 5,
    FailedLookup = 6,      // details: source or destination, and the lookup failure
    TruncatedMessage = 7,
    DeleteFirst = 8,
    RevokeFirst = 9,
    NotEnoughMemory = 10,  // detail: bytes available
    // Internal only: the operation stopped for a pending interrupt and is restarted
    // after it; user space never sees this code.
    Preempted = 0xff,
};

// Why a capability pointer (or a page-table walk) could not be resolved: seL4's
// lookup_fault.
enum class LookupFailureType : u64 {
    None = 0,
    InvalidRoot = 1,       // the root (or a node on the way) is not a CNode
    MissingCapability = 2, // the slot reached is empty; bits_left is what remained
    DepthMismatch = 3,     // bits_left remained but the next level needs bits_found
    GuardMismatch = 4,     // the guard (guard_found, guard_bits) did not match
};

// A lookup failure with its details, as the kernel reports it and user space decodes it.
struct LookupFailure {
    LookupFailureType type = LookupFailureType::None;
    u64 bits_left = 0;
    u64 bits_found = 0;  // DepthMismatch
    u64 guard_found = 0; // GuardMismatch
    u64 guard_bits = 0;  // GuardMismatch
    constexpr bool operator==(const LookupFailure&) const = default;
};

constexpr const char* error_code_name(ErrorCode code) {
    switch (code) {
    case ErrorCode::None: return "None";
    case ErrorCode::InvalidArgument: return "InvalidArgument";
    case ErrorCode::InvalidCapability: return "InvalidCapability";
    case ErrorCode::IllegalOperation: return "IllegalOperation";
    case ErrorCode::RangeError: return "RangeError";
    case ErrorCode::AlignmentError: return "AlignmentError";
    case ErrorCode::FailedLookup: return "FailedLookup";
    case ErrorCode::TruncatedMessage: return "TruncatedMessage";
    case ErrorCode::DeleteFirst: return "DeleteFirst";
    case ErrorCode::RevokeFirst: return "RevokeFirst";
    case ErrorCode::NotEnoughMemory: return "NotEnoughMemory";
    case ErrorCode::Preempted: return "Preempted";
    }
    return "UnknownError";
}

constexpr const char* lookup_failure_name(LookupFailureType type) {
    switch (type) {
    case LookupFailureType::None: return "None";
    case LookupFailureType::InvalidRoot: return "InvalidRoot";
    case LookupFailureType::MissingCapability: return "MissingCapability";
    case LookupFailureType::DepthMismatch: return "DepthMismatch";
    case LookupFailureType::GuardMismatch: return "GuardMismatch";
    }
    return "UnknownLookupFailure";
}

} // namespace tessera
