#include <bootimage/cpio.hpp>
#include <kstd/bit.hpp>

namespace tessera {

namespace {

constexpr usize kMagicBytes = 6;
constexpr usize kFieldDigits = 8;

// The header's 13 fields, in order after the magic. The unused ones (inode, owner, times,
// devices) are still checked for hex digits: a header is either well-formed or rejected.
enum Field : usize {
    Inode,
    Mode,
    Uid,
    Gid,
    LinkCount,
    ModificationTime,
    FileSize,
    DeviceMajor,
    DeviceMinor,
    RdevMajor,
    RdevMinor,
    NameSize,
    Check,
    FieldCount,
};

static_assert(kMagicBytes + FieldCount * kFieldDigits == kCpioHeaderBytes);

constexpr usize field_offset(usize field) { return kMagicBytes + field * kFieldDigits; }

constexpr char kNewcMagic[] = "070701";
constexpr char kCrcMagic[] = "070702";
constexpr kstd::StringView kTrailerName = "TRAILER!!!";

constexpr CpioError error_at(CpioErrorKind kind, usize offset) { return CpioError{kind, offset}; }

// -1 for anything but 0-9, a-f, A-F.
constexpr int hex_digit_value(u8 c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool bytes_equal(kstd::Bytes bytes, const char* text, usize count) {
    for (usize i = 0; i < count; ++i)
        if (bytes[i] != static_cast<u8>(text[i])) return false;
    return true;
}

// The magic is compared on as many bytes as there are, so a short buffer that is not an
// archive at all says "bad magic" rather than "truncated".
bool magic_matches(kstd::Bytes header, const char* magic) {
    return bytes_equal(header, magic, kstd::min(header.size(), kMagicBytes));
}

struct Header {
    u32 fields[FieldCount];
    bool has_checksum;
};

// `header` is exactly kCpioHeaderBytes long and starts at `header_offset` in the archive.
kstd::Result<Header, CpioError> decode_header(kstd::Bytes header, usize header_offset) {
    Header decoded{};
    decoded.has_checksum = bytes_equal(header, kCrcMagic, kMagicBytes);
    for (usize field = 0; field < FieldCount; ++field) {
        u32 value = 0;
        for (usize digit = 0; digit < kFieldDigits; ++digit) {
            usize at = field_offset(field) + digit;
            int digit_value = hex_digit_value(header[at]);
            if (digit_value < 0) return kstd::fail(error_at(CpioErrorKind::BadHexDigit, header_offset + at));
            // Eight hex digits are 32 bits exactly, so the shift never loses a digit.
            value = (value << 4) | static_cast<u32>(digit_value);
        }
        decoded.fields[field] = value;
    }
    return decoded;
}

bool is_known_file_type(u32 mode) {
    switch (mode & kCpioTypeMask) {
    case 0010000: // FIFO
    case 0020000: // character device
    case kCpioTypeDirectory:
    case 0060000: // block device
    case kCpioTypeRegular:
    case kCpioTypeSymlink:
    case 0140000: // socket
        return true;
    default:
        return false;
    }
}

u32 byte_sum(kstd::Bytes data) {
    u32 sum = 0;
    for (u8 byte : data) sum += byte; // wraps modulo 2^32, as cpio computes it
    return sum;
}

} // namespace

const char* cpio_error_name(CpioErrorKind kind) {
    switch (kind) {
    case CpioErrorKind::BadMagic: return "bad magic (expected \"070701\" or \"070702\")";
    case CpioErrorKind::HeaderTruncated: return "header truncated";
    case CpioErrorKind::BadHexDigit: return "header field is not 8 hex digits";
    case CpioErrorKind::FieldTooLarge: return "header field too large";
    case CpioErrorKind::UnknownFileType: return "unknown file type in mode";
    case CpioErrorKind::EmptyName: return "empty name";
    case CpioErrorKind::NameNotTerminated: return "name not NUL-terminated";
    case CpioErrorKind::NameBeyondEnd: return "name beyond the end of the archive";
    case CpioErrorKind::DataBeyondEnd: return "file data beyond the end of the archive";
    case CpioErrorKind::ChecksumMismatch: return "file data does not match its checksum";
    case CpioErrorKind::MissingTrailer: return "archive ends without a TRAILER!!! entry";
    case CpioErrorKind::DuplicateName: return "name occurs twice";
    case CpioErrorKind::NotFound: return "no such file";
    }
    return "unknown cpio error";
}

kstd::Result<kstd::Optional<CpioEntry>, CpioError> CpioReader::next() {
    if (failure_) return kstd::fail(*failure_);
    if (finished_) return kstd::Optional<CpioEntry>{};
    auto entry = read_entry();
    if (!entry.ok()) failure_ = entry.error();
    return entry;
}

kstd::Result<kstd::Optional<CpioEntry>, CpioError> CpioReader::read_entry() {
    const usize start = offset_;
    // offset_ never passes the end (see below), so this cannot wrap.
    const usize remaining = archive_.size() - start;
    if (remaining == 0) return kstd::fail(error_at(CpioErrorKind::MissingTrailer, start));

    kstd::Bytes available = archive_.subspan(start);
    if (!magic_matches(available, kNewcMagic) && !magic_matches(available, kCrcMagic))
        return kstd::fail(error_at(CpioErrorKind::BadMagic, start));
    if (remaining < kCpioHeaderBytes) return kstd::fail(error_at(CpioErrorKind::HeaderTruncated, start));

    const Header header = TRY(decode_header(available.subspan(0, kCpioHeaderBytes), start));
    const u32 mode = header.fields[Mode];
    const usize name_size = header.fields[NameSize];
    const usize file_size = header.fields[FileSize];

    if (mode > 0177777) return kstd::fail(error_at(CpioErrorKind::FieldTooLarge, start + field_offset(Mode)));
    if (name_size <= 1) return kstd::fail(error_at(CpioErrorKind::EmptyName, start + field_offset(NameSize)));
    if (name_size > kCpioMaxNameBytes)
        return kstd::fail(error_at(CpioErrorKind::FieldTooLarge, start + field_offset(NameSize)));

    // From here on lengths are compared with what is left, never added to an offset
    // before that comparison.
    const usize name_offset = start + kCpioHeaderBytes;
    const usize after_header = remaining - kCpioHeaderBytes;
    if (name_size > after_header) return kstd::fail(error_at(CpioErrorKind::NameBeyondEnd, name_offset));
    kstd::Bytes name_bytes = archive_.subspan(name_offset, name_size);
    for (usize i = 0; i + 1 < name_size; ++i)
        if (name_bytes[i] == 0) return kstd::fail(error_at(CpioErrorKind::NameNotTerminated, name_offset + i));
    if (name_bytes[name_size - 1] != 0)
        return kstd::fail(error_at(CpioErrorKind::NameNotTerminated, name_offset + name_size - 1));
    const kstd::StringView name(reinterpret_cast<const char*>(name_bytes.data()), name_size - 1);
    const bool is_trailer = name == kTrailerName;

    // GNU cpio writes the trailer with mode 0; every other entry must be some kind of file.
    if (!is_trailer && !is_known_file_type(mode))
        return kstd::fail(error_at(CpioErrorKind::UnknownFileType, start + field_offset(Mode)));

    // The name's padding may be cut off only when no data follows it (at the trailer).
    const usize data_offset = static_cast<usize>(kstd::align_up(name_offset + name_size, 4));
    const usize data_start = kstd::min(data_offset, archive_.size());
    const usize data_available = archive_.size() - data_start;
    if (file_size > data_available)
        return kstd::fail(error_at(CpioErrorKind::DataBeyondEnd, data_start));
    kstd::Bytes data = archive_.subspan(data_start, file_size);

    // GNU cpio sums regular files only and writes 0 for the rest (symbolic links included),
    // so only a regular file's check means anything.
    const bool is_regular = (mode & kCpioTypeMask) == kCpioTypeRegular;
    if (header.has_checksum && is_regular && byte_sum(data) != header.fields[Check])
        return kstd::fail(error_at(CpioErrorKind::ChecksumMismatch, data_start));

    // Likewise the data's padding: a missing one shows up as a missing trailer next time.
    offset_ = kstd::min(static_cast<usize>(kstd::align_up(data_start + file_size, 4)), archive_.size());
    if (is_trailer) {
        finished_ = true;
        trailer_offset_ = start;
        return kstd::Optional<CpioEntry>{};
    }
    return kstd::Optional<CpioEntry>(CpioEntry{name, mode, data, start});
}

kstd::Result<CpioEntry, CpioError> cpio_find(kstd::Bytes archive, kstd::StringView name) {
    CpioReader reader(archive);
    kstd::Optional<CpioEntry> found;
    while (true) {
        auto entry = TRY(reader.next());
        if (!entry) break;
        if (entry->name != name) continue;
        if (found) return kstd::fail(error_at(CpioErrorKind::DuplicateName, entry->header_offset));
        found = *entry;
    }
    if (!found) return kstd::fail(error_at(CpioErrorKind::NotFound, reader.trailer_offset()));
    return *found;
}

} // namespace tessera
