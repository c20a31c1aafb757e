// Decoding the kernel's error replies (the detail words of docs/invocations.md) and the
// names errors print with.
#include <userlib/error.hpp>

namespace tessera::user {

const char* library_error_name(LibraryError error) {
    switch (error) {
    case LibraryError::None: return "None";
    case LibraryError::OutOfSlots: return "OutOfSlots";
    case LibraryError::OutOfMemory: return "OutOfMemory";
    case LibraryError::NoDeviceMemory: return "NoDeviceMemory";
    case LibraryError::AddressInUse: return "AddressInUse";
    case LibraryError::TooManyRegions: return "TooManyRegions";
    case LibraryError::BadBootInfo: return "BadBootInfo";
    case LibraryError::BadElf: return "BadElf";
    case LibraryError::BadArchive: return "BadArchive";
    case LibraryError::NotFound: return "NotFound";
    case LibraryError::BadManifest: return "BadManifest";
    case LibraryError::WritableAndExecutable: return "WritableAndExecutable";
    case LibraryError::AddressSpaceFull: return "AddressSpaceFull";
    case LibraryError::NoIpcBuffer: return "NoIpcBuffer";
    case LibraryError::MessageTooLong: return "MessageTooLong";
    case LibraryError::UnexpectedReply: return "UnexpectedReply";
    case LibraryError::BadDeviceTree: return "BadDeviceTree";
    case LibraryError::ServiceRefused: return "ServiceRefused";
    case LibraryError::IpcFailed: return "IpcFailed";
    }
    return "UnknownLibraryError";
}

Error decode_error(MessageInfo reply, kstd::Span<const u64> words) {
    auto word = [&](usize index) -> u64 { return index < words.size() ? words[index] : 0; };
    Error error;
    error.code = static_cast<ErrorCode>(reply.label);
    switch (error.code) {
    case ErrorCode::InvalidArgument:
    case ErrorCode::InvalidCapability: error.argument = word(0); break;
    case ErrorCode::RangeError:
        error.range_min = word(0);
        error.range_max = word(1);
        break;
    case ErrorCode::NotEnoughMemory: error.memory_available = word(0); break;
    case ErrorCode::FailedLookup:
        error.lookup_was_source = word(0) != 0;
        error.lookup.type = static_cast<LookupFailureType>(word(1));
        error.lookup.bits_left = word(2);
        if (error.lookup.type == LookupFailureType::DepthMismatch) error.lookup.bits_found = word(3);
        if (error.lookup.type == LookupFailureType::GuardMismatch) {
            error.lookup.guard_found = word(3);
            error.lookup.guard_bits = word(4);
        }
        break;
    default: break;
    }
    return error;
}

} // namespace tessera::user
