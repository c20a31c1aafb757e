#pragma once
// Invocation errors, as user space sees them: a code and the details that say exactly what
// was wrong. The numbering is ABI and follows seL4's.
#include <kstd/types.hpp>

namespace tessera {

enum class ErrorCode : u64 {
    None = 0,
    InvalidArgument = 1,   // detail: which argument (0-based message register)
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

const char* error_code_name(ErrorCode code);

// Why a capability pointer could not be resolved (seL4's lookup_fault).
enum class LookupFailureType : u64 {
    None = 0,
    InvalidRoot = 1,       // the root (or a node on the way) is not a CNode
    MissingCapability = 2, // the slot reached is empty; bits_left is what remained
    DepthMismatch = 3,     // bits_left remained but the next level needs bits_found
    GuardMismatch = 4,     // the guard (guard_found, guard_bits) did not match
};

struct LookupFailure {
    LookupFailureType type = LookupFailureType::None;
    u64 bits_left = 0;
    u64 bits_found = 0;  // DepthMismatch
    u64 guard_found = 0; // GuardMismatch
    u64 guard_bits = 0;  // GuardMismatch
    constexpr bool operator==(const LookupFailure&) const = default;
};

struct InvocationError {
    ErrorCode code = ErrorCode::None;
    u64 argument = 0;            // InvalidArgument, InvalidCapability
    u64 range_min = 0;           // RangeError
    u64 range_max = 0;           // RangeError
    bool lookup_was_source = false;
    LookupFailure lookup;        // FailedLookup
    u64 memory_available = 0;    // NotEnoughMemory

    static InvocationError of(ErrorCode code) {
        InvocationError e;
        e.code = code;
        return e;
    }
    static InvocationError invalid_argument(u64 index) {
        InvocationError e;
        e.code = ErrorCode::InvalidArgument;
        e.argument = index;
        return e;
    }
    static InvocationError invalid_capability(u64 index) {
        InvocationError e;
        e.code = ErrorCode::InvalidCapability;
        e.argument = index;
        return e;
    }
    static InvocationError range(u64 min, u64 max) {
        InvocationError e;
        e.code = ErrorCode::RangeError;
        e.range_min = min;
        e.range_max = max;
        return e;
    }
    static InvocationError failed_lookup(bool source, const LookupFailure& failure) {
        InvocationError e;
        e.code = ErrorCode::FailedLookup;
        e.lookup_was_source = source;
        e.lookup = failure;
        return e;
    }
    static InvocationError not_enough_memory(u64 available) {
        InvocationError e;
        e.code = ErrorCode::NotEnoughMemory;
        e.memory_available = available;
        return e;
    }
};

} // namespace tessera
