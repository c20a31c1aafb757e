#pragma once
// What went wrong, for every fallible userlib call: either the kernel's error reply,
// decoded into its details (docs/invocations.md), or a failure userlib itself found
// before or after talking to the kernel (out of slots, a malformed ELF, ...).
#include <abi/errors.hpp>
#include <abi/message_info.hpp>
#include <kstd/format.hpp>
#include <kstd/result.hpp>
#include <kstd/span.hpp>

namespace tessera::user {

// Failures userlib detects itself; ErrorCode stays None for these.
enum class LibraryError : u8 {
    None,
    OutOfSlots,          // the slot allocator has no (run of) free slots
    OutOfMemory,         // no Untyped region holds the object
    NoDeviceMemory,      // no device Untyped covers the physical address (detail)
    AddressInUse,        // the device address (detail) is below an Untyped's watermark
    TooManyRegions,      // the allocator's table of Untyped regions is full
    BadBootInfo,         // BootInfo fails a check (detail: which, see bootinfo.cpp)
    BadElf,              // the ELF reader refused the file (detail: ElfErrorKind)
    BadArchive,          // the CPIO reader refused the boot image (detail: CpioErrorKind)
    NotFound,            // a named file, node or property is absent
    BadManifest,         // the task manifest has a malformed line (detail: line number)
    WritableAndExecutable, // two segments share a page and together need W and X
    AddressSpaceFull,    // a virtual-address region has no room left
    NoIpcBuffer,         // the thread has no IPC buffer and the message needs one
    MessageTooLong,      // more words or extra capabilities than a message holds
    UnexpectedReply,     // the kernel answered success with fewer words than promised
    BadDeviceTree,       // libfdt refused the blob (detail: its negative error number)
    ServiceRefused,      // a user-level service answered with a status (detail: ServiceStatus)
    IpcFailed,           // the IPC to a service failed (detail: IpcStatus)
};

const char* library_error_name(LibraryError error);
// The kernel's error and lookup-failure names and records are the ABI's own.
using tessera::error_code_name;
using tessera::LookupFailure;
using tessera::lookup_failure_name;

struct Error {
    ErrorCode code = ErrorCode::None;
    u64 argument = 0;  // InvalidArgument: the word; InvalidCapability: the capability
    u64 range_min = 0; // RangeError
    u64 range_max = 0; // RangeError
    bool lookup_was_source = false;
    LookupFailure lookup;     // FailedLookup
    u64 memory_available = 0; // NotEnoughMemory
    LibraryError library = LibraryError::None;
    u64 detail = 0; // LibraryError's detail

    static constexpr Error of(LibraryError error, u64 detail = 0) {
        Error e;
        e.library = error;
        e.detail = detail;
        return e;
    }
    static constexpr Error of(ErrorCode code) {
        Error e;
        e.code = code;
        return e;
    }
    constexpr bool is_kernel_error() const { return code != ErrorCode::None; }
    constexpr bool operator==(const Error&) const = default;
};

template <typename T> using Result = kstd::Result<T, Error>;

// The error of a reply whose label is not 0: `words` are the reply's message words (as
// many as arrived; missing details read as 0).
Error decode_error(MessageInfo reply, kstd::Span<const u64> words);

// Prints e.g. "RangeError (1..256)" or "FailedLookup (source: GuardMismatch, 12 bits left,
// guard 0x3 of 4 bits)" or "userlib: OutOfSlots".
template <kstd::CharSink S> constexpr void format_value(S& sink, const Error& error) {
    if (!error.is_kernel_error()) {
        kstd::format_to(sink, "userlib: {}", user::library_error_name(error.library));
        if (error.detail != 0) kstd::format_to(sink, " ({})", kstd::Hex{error.detail});
        return;
    }
    kstd::format_to(sink, "{}", user::error_code_name(error.code));
    switch (error.code) {
    case ErrorCode::InvalidArgument: kstd::format_to(sink, " (word {})", error.argument); break;
    case ErrorCode::InvalidCapability: kstd::format_to(sink, " (capability {})", error.argument); break;
    case ErrorCode::RangeError: kstd::format_to(sink, " ({}..{})", error.range_min, error.range_max); break;
    case ErrorCode::NotEnoughMemory: kstd::format_to(sink, " ({} bytes free)", error.memory_available); break;
    case ErrorCode::FailedLookup:
        kstd::format_to(sink, " ({}: {}, {} bits left", error.lookup_was_source ? "source" : "destination",
                        user::lookup_failure_name(error.lookup.type), error.lookup.bits_left);
        if (error.lookup.type == LookupFailureType::DepthMismatch)
            kstd::format_to(sink, ", next level needs {}", error.lookup.bits_found);
        if (error.lookup.type == LookupFailureType::GuardMismatch)
            kstd::format_to(sink, ", guard {} of {} bits", kstd::Hex{error.lookup.guard_found}, error.lookup.guard_bits);
        sink.put(')');
        break;
    default: break;
    }
}

} // namespace tessera::user
