#pragma once
// A reader of the boot image: a CPIO archive in the "newc" format ("070701", as written by
// `cpio -o -H newc`) or its checksummed twin ("070702", `-H crc`). The bytes come from
// whoever built the image and are trusted for nothing: every header field is checked,
// every length is compared with what is left of the buffer (never added to an offset
// first, so nothing can overflow), and a bad archive gives an error naming what was wrong
// and the byte offset where it was found.
//
// Layout of one entry, all offsets relative to the start of the archive:
//   110-byte header: the 6-byte magic, then 13 fields of 8 ASCII hex digits
//   the name, `namesize` bytes including its NUL, padded so header + name ends on 4 bytes
//   the data, `filesize` bytes, padded to 4 bytes
// The entry named "TRAILER!!!" ends the archive; what follows it (cpio pads to 512-byte
// blocks) is not read.
#include <kstd/format.hpp>
#include <kstd/optional.hpp>
#include <kstd/result.hpp>
#include <kstd/span.hpp>

namespace tessera {

enum class CpioErrorKind : u8 {
    BadMagic,          // not "070701" or "070702"
    HeaderTruncated,   // fewer than 110 bytes left where a header starts
    BadHexDigit,       // a header field holds something other than 8 hex digits
    FieldTooLarge,     // mode above 0177777, or a name longer than kCpioMaxNameBytes
    UnknownFileType,   // the mode's type bits name no file type
    EmptyName,         // namesize 0 or 1: no name at all
    NameNotTerminated, // the name's last byte is not NUL, or a NUL comes before it
    NameBeyondEnd,     // the name runs past the end of the archive
    DataBeyondEnd,     // the data runs past the end of the archive
    ChecksumMismatch,  // "070702": a regular file's byte sum differs from its check field
    MissingTrailer,    // the archive ends without a "TRAILER!!!" entry
    DuplicateName,     // find(): the name occurs twice, so which one is meant is unclear
    NotFound,          // find(): no entry has the name
};

const char* cpio_error_name(CpioErrorKind kind);

struct CpioError {
    CpioErrorKind kind = CpioErrorKind::BadMagic;
    // The byte where the problem is: the bad digit, the name's last byte, the start of the
    // data that does not fit, the header of a duplicate; the end of the archive for
    // MissingTrailer, the trailer's header for NotFound.
    usize offset = 0;
};

// Prints "cpio: <what> at offset 0x..".
template <kstd::CharSink S> constexpr void format_value(S& sink, const CpioError& error) {
    kstd::format_to(sink, "cpio: {} at offset {}", cpio_error_name(error.kind), kstd::Hex{error.offset, 1});
}

// A path in a boot image is short; a longer name is corruption, not a file.
inline constexpr usize kCpioMaxNameBytes = 4096;
inline constexpr usize kCpioHeaderBytes = 110;

// The file-type bits of `mode` (the values of <sys/stat.h>).
inline constexpr u32 kCpioTypeMask = 0170000;
inline constexpr u32 kCpioTypeRegular = 0100000;
inline constexpr u32 kCpioTypeDirectory = 0040000;
inline constexpr u32 kCpioTypeSymlink = 0120000;

struct CpioEntry {
    kstd::StringView name; // without the NUL; points into the archive
    u32 mode = 0;          // type and permission bits
    kstd::Bytes data;      // points into the archive
    usize header_offset = 0;

    constexpr bool is_regular_file() const { return (mode & kCpioTypeMask) == kCpioTypeRegular; }
    constexpr bool is_directory() const { return (mode & kCpioTypeMask) == kCpioTypeDirectory; }
};

// Walks the entries in archive order. Hard links are not resolved: newc stores the data
// once, with the last of the links, and the others have empty data.
class CpioReader {
public:
    explicit CpioReader(kstd::Bytes archive) : archive_(archive) {}

    // The next entry; none once the trailer has been read (and on every later call); an
    // error if the entry at the current position is malformed (and on every later call).
    kstd::Result<kstd::Optional<CpioEntry>, CpioError> next();

    // Where the next header is expected.
    usize offset() const { return offset_; }
    // Where the trailer's header is, once next() has returned none.
    usize trailer_offset() const { return trailer_offset_; }

private:
    kstd::Result<kstd::Optional<CpioEntry>, CpioError> read_entry();

    kstd::Bytes archive_;
    usize offset_ = 0;
    usize trailer_offset_ = 0;
    bool finished_ = false;
    kstd::Optional<CpioError> failure_;
};

// The regular file or other entry called exactly `name` (no "./" is added or removed).
// The whole archive is checked up to its trailer first, so the answer does not depend on
// where in a damaged archive the file happens to sit, and a name present twice is an error.
kstd::Result<CpioEntry, CpioError> cpio_find(kstd::Bytes archive, kstd::StringView name);

} // namespace tessera
