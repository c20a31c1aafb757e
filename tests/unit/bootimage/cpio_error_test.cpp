// The CPIO reader on broken archives: each error kind, at the exact offset it names,
// starting from archives written here and damaged one field at a time.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "bootimage_support.hpp"

using namespace tessera_test;
using tessera::CpioError;
using tessera::CpioErrorKind;
using tessera::CpioReader;
using tessera::kCpioHeaderBytes;

namespace {

// The first error of a walk over the whole archive; fails the test if there is none.
CpioError walk_error(const ByteVector& archive) {
    CpioReader reader(bytes_of(archive));
    for (int entries = 0; entries < 1000; ++entries) {
        auto entry = reader.next();
        if (!entry.ok()) {
            // The reader stays on its error, and find() meets the same one.
            auto again = reader.next();
            REQUIRE_FALSE(again.ok());
            CHECK(again.error().kind == entry.error().kind);
            CHECK(again.error().offset == entry.error().offset);
            auto found = tessera::cpio_find(bytes_of(archive), "some-name");
            REQUIRE_FALSE(found.ok());
            CHECK(found.error().kind == entry.error().kind);
            CHECK(found.error().offset == entry.error().offset);
            return entry.error();
        }
        if (!entry.value()) break;
    }
    FAIL("the archive was accepted");
    return {};
}

void expect_error(const ByteVector& archive, CpioErrorKind kind, std::size_t offset) {
    const CpioError error = walk_error(archive);
    CHECK(error.kind == kind);
    CHECK(error.offset == offset);
}

// Two regular files, "first" (5 bytes) and "second" (2 bytes), and the trailer.
WrittenArchive two_files(CpioFormat format = CpioFormat::Newc) {
    return write_cpio({{"first", 0100644, {1, 2, 3, 4, 5}}, {"second", 0100755, {6, 7}}}, format);
}

std::size_t name_offset(std::size_t header_offset) { return header_offset + kCpioHeaderBytes; }

// Where the data of an entry with this name length starts.
std::size_t data_offset(std::size_t header_offset, std::size_t name_length) {
    return (name_offset(header_offset) + name_length + 1 + 3) & ~std::size_t{3};
}

} // namespace

TEST_CASE("cpio error: bad magic, at the start or in a later header") {
    WrittenArchive written = two_files();
    ByteVector odc = written.bytes;
    std::memcpy(odc.data(), "070707", 6); // the old portable format, not newc
    expect_error(odc, CpioErrorKind::BadMagic, 0);

    ByteVector second = written.bytes;
    second[written.header_offsets[1] + 5] = '3';
    expect_error(second, CpioErrorKind::BadMagic, written.header_offsets[1]);

    const std::string not_an_archive = "hello";
    expect_error(ByteVector(not_an_archive.begin(), not_an_archive.end()), CpioErrorKind::BadMagic, 0);
    expect_error(ByteVector(200, 0), CpioErrorKind::BadMagic, 0);
}

TEST_CASE("cpio error: a header cut short") {
    const WrittenArchive written = two_files();
    for (std::size_t length = 1; length < kCpioHeaderBytes; ++length) {
        CAPTURE(length);
        // A prefix of the magic is still a truncated header, not a wrong one.
        expect_error(ByteVector(written.bytes.begin(), written.bytes.begin() + static_cast<long>(length)),
                     CpioErrorKind::HeaderTruncated, 0);
    }
    const std::size_t second = written.header_offsets[1];
    expect_error(ByteVector(written.bytes.begin(), written.bytes.begin() + static_cast<long>(second + 50)),
                 CpioErrorKind::HeaderTruncated, second);
}

TEST_CASE("cpio error: a non-hex character in any digit of any header field") {
    const WrittenArchive written = two_files();
    const std::uint8_t bad_characters[] = {'g', 'G', 'x', ' ', '-', '+', 0, 0xff};
    for (std::size_t header : {written.header_offsets[0], written.header_offsets[1]})
        for (int field = Inode; field <= Check; ++field)
            for (std::size_t digit = 0; digit < 8; ++digit)
                for (std::uint8_t bad : bad_characters) {
                    CAPTURE(header, field, digit, static_cast<int>(bad));
                    ByteVector archive = written.bytes;
                    const std::size_t at = header + cpio_field_offset(field) + digit;
                    archive[at] = bad;
                    expect_error(archive, CpioErrorKind::BadHexDigit, at);
                }
}

TEST_CASE("cpio error: a mode above 16 bits or a name above the limit is too large") {
    const WrittenArchive written = two_files();
    const std::size_t second = written.header_offsets[1];
    for (std::uint32_t mode : {0x10000u, 0x181a4u, 0xffffffffu}) {
        ByteVector archive = written.bytes;
        set_cpio_field(archive, second, Mode, mode);
        expect_error(archive, CpioErrorKind::FieldTooLarge, second + cpio_field_offset(Mode));
    }
    for (std::uint32_t name_size : {static_cast<std::uint32_t>(tessera::kCpioMaxNameBytes + 1), 0xffffffffu}) {
        ByteVector archive = written.bytes;
        set_cpio_field(archive, second, NameSize, name_size);
        expect_error(archive, CpioErrorKind::FieldTooLarge, second + cpio_field_offset(NameSize));
    }
}

TEST_CASE("cpio error: a mode whose type bits name no file type") {
    const WrittenArchive written = two_files();
    for (std::uint32_t mode : {0644u, 0170644u, 0030000u}) {
        CAPTURE(mode);
        ByteVector archive = written.bytes;
        set_cpio_field(archive, 0, Mode, mode);
        expect_error(archive, CpioErrorKind::UnknownFileType, cpio_field_offset(Mode));
    }
}

TEST_CASE("cpio error: a name size of 0 or 1 is an empty name") {
    const WrittenArchive written = two_files();
    for (std::uint32_t name_size : {0u, 1u}) {
        ByteVector archive = written.bytes;
        set_cpio_field(archive, written.header_offsets[1], NameSize, name_size);
        expect_error(archive, CpioErrorKind::EmptyName, written.header_offsets[1] + cpio_field_offset(NameSize));
    }
}

TEST_CASE("cpio error: a name whose last byte is not NUL, or with a NUL inside") {
    const WrittenArchive written = two_files();
    ByteVector short_size = written.bytes;
    set_cpio_field(short_size, 0, NameSize, 4); // "firs": its last byte is 's'
    expect_error(short_size, CpioErrorKind::NameNotTerminated, name_offset(0) + 3);

    const WrittenArchive inner_nul = write_cpio({{std::string("ab\0cd", 5), 0100644, {1}}});
    expect_error(inner_nul.bytes, CpioErrorKind::NameNotTerminated, name_offset(0) + 2);
}

TEST_CASE("cpio error: a name running past the end") {
    const WrittenArchive written = two_files();
    const std::size_t second = written.header_offsets[1];
    // Cut inside the name, and just before its NUL.
    for (std::size_t keep : {std::size_t{1}, std::size_t{6}}) {
        ByteVector cut(written.bytes.begin(), written.bytes.begin() + static_cast<long>(name_offset(second) + keep));
        expect_error(cut, CpioErrorKind::NameBeyondEnd, name_offset(second));
    }
    ByteVector large = written.bytes;
    set_cpio_field(large, second, NameSize, static_cast<std::uint32_t>(tessera::kCpioMaxNameBytes));
    expect_error(large, CpioErrorKind::NameBeyondEnd, name_offset(second));
}

TEST_CASE("cpio error: file data running past the end") {
    const WrittenArchive written = two_files();
    const std::size_t first_data = data_offset(0, 5);
    for (std::uint32_t file_size : {0xffffffffu, 0x80000000u, static_cast<std::uint32_t>(written.bytes.size())}) {
        CAPTURE(file_size);
        ByteVector archive = written.bytes;
        set_cpio_field(archive, 0, FileSize, file_size);
        expect_error(archive, CpioErrorKind::DataBeyondEnd, first_data);
    }
    // Exactly one byte too many: the data would end one past the archive.
    ByteVector cut(written.bytes.begin(), written.bytes.begin() + static_cast<long>(first_data + 4));
    expect_error(cut, CpioErrorKind::DataBeyondEnd, first_data);
    // Cut inside the name's padding: the data cannot start.
    const WrittenArchive odd = write_cpio({{"abc", 0100644, {1, 2}}});
    ByteVector no_padding(odd.bytes.begin(), odd.bytes.begin() + static_cast<long>(name_offset(0) + 4));
    expect_error(no_padding, CpioErrorKind::DataBeyondEnd, no_padding.size());
}

TEST_CASE("cpio error: crc archives check regular files' data; newc archives have no check") {
    const WrittenArchive crc = two_files(CpioFormat::Crc);
    const std::size_t second_data = data_offset(crc.header_offsets[1], 6);
    ByteVector damaged = crc.bytes;
    damaged[second_data + 1] ^= 0x10;
    expect_error(damaged, CpioErrorKind::ChecksumMismatch, second_data);

    ByteVector wrong_check = crc.bytes;
    set_cpio_field(wrong_check, 0, Check, 16); // the true sum is 15
    expect_error(wrong_check, CpioErrorKind::ChecksumMismatch, data_offset(0, 5));

    // Only regular files are summed: GNU cpio writes 0 for a symbolic link's target.
    const WrittenArchive link = write_cpio({{"link", 0120777, {'t', 'o'}}}, CpioFormat::Crc);
    ByteVector link_check = link.bytes;
    set_cpio_field(link_check, 0, Check, 0);
    CHECK(tessera::cpio_find(bytes_of(link_check), "link").ok());

    WrittenArchive newc = two_files(CpioFormat::Newc);
    newc.bytes[data_offset(newc.header_offsets[1], 6)] ^= 0x10;
    set_cpio_field(newc.bytes, 0, Check, 0x12345678);
    CHECK(tessera::cpio_find(bytes_of(newc.bytes), "second").ok());
}

TEST_CASE("cpio error: an archive without its trailer") {
    expect_error(ByteVector{}, CpioErrorKind::MissingTrailer, 0);
    const WrittenArchive no_trailer = write_cpio({{"a", 0100644, {1, 2, 3}}}, CpioFormat::Newc, false);
    expect_error(no_trailer.bytes, CpioErrorKind::MissingTrailer, no_trailer.bytes.size());
    // The last file's data padding cut off as well.
    ByteVector unpadded = no_trailer.bytes;
    unpadded.pop_back();
    expect_error(unpadded, CpioErrorKind::MissingTrailer, unpadded.size());
}

TEST_CASE("cpio error: a name occurring twice is ambiguous to find, but the reader lists both") {
    const WrittenArchive written = write_cpio({{"x", 0100644, {1}}, {"y", 0100644, {2}}, {"x", 0100644, {3}}});
    auto found = tessera::cpio_find(bytes_of(written.bytes), "x");
    REQUIRE_FALSE(found.ok());
    CHECK(found.error().kind == CpioErrorKind::DuplicateName);
    CHECK(found.error().offset == written.header_offsets[2]);
    CHECK(tessera::cpio_find(bytes_of(written.bytes), "y").ok());
}

TEST_CASE("cpio error: find checks the archive past the file it is looking for") {
    WrittenArchive written = two_files();
    written.bytes[written.header_offsets[1]] = 'X';
    auto found = tessera::cpio_find(bytes_of(written.bytes), "first");
    REQUIRE_FALSE(found.ok());
    CHECK(found.error().kind == CpioErrorKind::BadMagic);
    CHECK(found.error().offset == written.header_offsets[1]);
}

TEST_CASE("cpio error: every truncation fails, except those cutting only the trailer's padding") {
    for (CpioFormat format : {CpioFormat::Newc, CpioFormat::Crc}) {
        const WrittenArchive written = two_files(format);
        const std::size_t trailer_name_end = name_offset(written.header_offsets.back()) + 11;
        for (std::size_t length = 0; length <= written.bytes.size(); ++length) {
            CAPTURE(length);
            ByteVector cut(written.bytes.begin(), written.bytes.begin() + static_cast<long>(length));
            auto found = tessera::cpio_find(bytes_of(cut), "second");
            CHECK(found.ok() == (length >= trailer_name_end));
        }
    }
}
