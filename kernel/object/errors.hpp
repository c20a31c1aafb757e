#pragma once
// Invocation errors inside the kernel: a code (abi/errors.hpp) and the details that say
// exactly what was wrong.
#include <abi/errors.hpp>

namespace tessera {

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
