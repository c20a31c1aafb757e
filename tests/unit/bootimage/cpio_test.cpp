// The CPIO reader on well-formed archives: the ones GNU cpio writes at build time (both
// "newc" and "crc", see make_cpio_fixture.py) and ones written here with every amount of
// name and data padding.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "bootimage_support.hpp"

using namespace tessera_test;
using tessera::CpioEntry;
using tessera::CpioErrorKind;
using tessera::CpioReader;

namespace {

struct ExpectedEntry {
    std::string name;
    std::uint32_t mode;
    ByteVector data;
};

// What make_cpio_fixture.py puts in the archive, in its order.
std::vector<ExpectedEntry> fixture_entries() {
    const std::string link_target = "roottask";
    return {
        {"roottask", 0100755, fixture_content("roottask", 1001)},
        {"empty", 0100644, {}},
        {"a", 0100644, fixture_content("a", 3)},
        {"bc", 0100600, fixture_content("bc", 4)},
        {"dir", 0040755, {}},
        {"dir/nested.bin", 0100644, fixture_content("dir/nested.bin", 4098)},
        {"link", 0120777, ByteVector(link_target.begin(), link_target.end())},
    };
}

std::string text(kstd::StringView view) { return std::string(view.data(), view.size()); }
ByteVector copy(kstd::Bytes bytes) { return ByteVector(bytes.begin(), bytes.end()); }

bool points_into(kstd::Bytes inner, const ByteVector& archive) {
    return inner.data() >= archive.data() && inner.data() + inner.size() <= archive.data() + archive.size();
}

std::vector<CpioEntry> read_all(const ByteVector& archive) {
    std::vector<CpioEntry> entries;
    CpioReader reader(bytes_of(archive));
    while (true) {
        auto entry = reader.next();
        INFO("error: " << (entry.ok() ? "" : tessera::cpio_error_name(entry.error().kind)) << " at "
                       << (entry.ok() ? 0 : entry.error().offset));
        REQUIRE(entry.ok());
        if (!entry.value()) break;
        entries.push_back(*entry.value());
    }
    return entries;
}

void check_fixture(const ByteVector& archive) {
    const auto expected = fixture_entries();
    const auto entries = read_all(archive);
    REQUIRE(entries.size() == expected.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        INFO("entry " << i << ": " << expected[i].name);
        CHECK(text(entries[i].name) == expected[i].name);
        CHECK(entries[i].mode == expected[i].mode);
        CHECK(copy(entries[i].data) == expected[i].data);
        CHECK(points_into(entries[i].data, archive));
        CHECK(entries[i].header_offset % 4 == 0);
    }
    CHECK(entries[0].is_regular_file());
    CHECK(entries[4].is_directory());
    CHECK_FALSE(entries[6].is_regular_file());
}

} // namespace

TEST_CASE("cpio: the newc archive GNU cpio wrote lists every file with its mode and data") {
    check_fixture(read_fixture("TESSERA_BOOTIMAGE_NEWC_CPIO"));
}

TEST_CASE("cpio: the crc archive GNU cpio wrote reads the same and passes its checksums") {
    const ByteVector archive = read_fixture("TESSERA_BOOTIMAGE_CRC_CPIO");
    REQUIRE(std::memcmp(archive.data(), "070702", 6) == 0);
    check_fixture(archive);
}

TEST_CASE("cpio: find locates each file of the GNU cpio archives") {
    for (const char* variable : {"TESSERA_BOOTIMAGE_NEWC_CPIO", "TESSERA_BOOTIMAGE_CRC_CPIO"}) {
        INFO(variable);
        const ByteVector archive = read_fixture(variable);
        for (const ExpectedEntry& expected : fixture_entries()) {
            INFO(expected.name);
            auto found = tessera::cpio_find(bytes_of(archive), kstd::StringView(expected.name.c_str()));
            REQUIRE(found.ok());
            CHECK(text(found.value().name) == expected.name);
            CHECK(copy(found.value().data) == expected.data);
        }
        // Names match exactly: no "./", no prefixes, and the trailer is not a file.
        for (const char* absent : {"./roottask", "roottas", "roottask2", "nested.bin", "TRAILER!!!", ""}) {
            INFO(absent);
            auto missing = tessera::cpio_find(bytes_of(archive), absent);
            REQUIRE_FALSE(missing.ok());
            CHECK(missing.error().kind == CpioErrorKind::NotFound);
        }
    }
}

TEST_CASE("cpio: NotFound names the trailer's header") {
    const WrittenArchive written = write_cpio({{"one", 0100644, {1, 2, 3}}});
    auto missing = tessera::cpio_find(bytes_of(written.bytes), "two");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().kind == CpioErrorKind::NotFound);
    CHECK(missing.error().offset == written.header_offsets.back());
}

TEST_CASE("cpio: every name length and data length modulo 4 is padded and read back") {
    std::vector<CpioFile> files;
    for (std::size_t name_length = 1; name_length <= 8; ++name_length)
        for (std::size_t data_length = 0; data_length <= 9; ++data_length) {
            std::string name = std::string(name_length - 1, 'n') + static_cast<char>('0' + data_length);
            files.push_back({name, 0100644, fixture_content(name, data_length)});
        }
    for (CpioFormat format : {CpioFormat::Newc, CpioFormat::Crc}) {
        const WrittenArchive written = write_cpio(files, format);
        const auto entries = read_all(written.bytes);
        REQUIRE(entries.size() == files.size());
        for (std::size_t i = 0; i < files.size(); ++i) {
            CHECK(text(entries[i].name) == files[i].name);
            CHECK(copy(entries[i].data) == files[i].data);
            CHECK(entries[i].header_offset == written.header_offsets[i]);
        }
    }
}

TEST_CASE("cpio: an archive of only the trailer is empty") {
    const WrittenArchive written = write_cpio({});
    CpioReader reader(bytes_of(written.bytes));
    auto first = reader.next();
    REQUIRE(first.ok());
    CHECK_FALSE(first.value().has_value());
    CHECK(reader.trailer_offset() == 0);
}

TEST_CASE("cpio: after the trailer the reader stays finished and reads nothing more") {
    WrittenArchive written = write_cpio({{"file", 0100644, {9}}});
    // cpio pads to 512-byte blocks; whatever follows the trailer is not the archive's.
    written.bytes.resize(512, 0);
    written.bytes.insert(written.bytes.end(), {'g', 'a', 'r', 'b', 'a', 'g', 'e'});
    CpioReader reader(bytes_of(written.bytes));
    auto entry = reader.next();
    REQUIRE(entry.ok());
    REQUIRE(entry.value().has_value());
    for (int i = 0; i < 3; ++i) {
        auto end = reader.next();
        REQUIRE(end.ok());
        CHECK_FALSE(end.value().has_value());
    }
    CHECK(tessera::cpio_find(bytes_of(written.bytes), "file").ok());
}

TEST_CASE("cpio: lower-case hex digits are accepted") {
    WrittenArchive written = write_cpio({{"f", 0100644, {1, 2}}});
    // Mode 0100644 is 000081A4; cpio itself writes upper case.
    std::memcpy(written.bytes.data() + cpio_field_offset(Mode), "000081a4", 8);
    auto found = tessera::cpio_find(bytes_of(written.bytes), "f");
    REQUIRE(found.ok());
    CHECK(found.value().mode == 0100644);
}

TEST_CASE("cpio: the trailer's own padding may be cut off") {
    // The last bytes of an archive can be the trailer's name padding; an archive cut there
    // lost nothing.
    WrittenArchive written = write_cpio({{"f", 0100644, {1}}});
    const std::size_t name_end = written.header_offsets.back() + tessera::kCpioHeaderBytes + 11;
    REQUIRE(written.bytes.size() > name_end);
    written.bytes.resize(name_end);
    CHECK(tessera::cpio_find(bytes_of(written.bytes), "f").ok());
}

TEST_CASE("cpio: a name of the largest accepted size is read") {
    const std::string name(tessera::kCpioMaxNameBytes - 1, 'x');
    const WrittenArchive written = write_cpio({{name, 0100644, {1, 2, 3, 4, 5}}});
    auto found = tessera::cpio_find(bytes_of(written.bytes), kstd::StringView(name.c_str()));
    REQUIRE(found.ok());
    CHECK(found.value().data.size() == 5);
}

TEST_CASE("cpio: errors print their name and offset") {
    tessera_test::StringSink sink;
    kstd::format_to(sink, "{}", tessera::CpioError{CpioErrorKind::MissingTrailer, 0x200});
    CHECK(sink.text == "cpio: archive ends without a TRAILER!!! entry at offset 0x200");
}

TEST_CASE("cpio: every error kind has its own name") {
    std::vector<std::string> names;
    for (int kind = 0; kind <= static_cast<int>(CpioErrorKind::NotFound); ++kind)
        names.push_back(tessera::cpio_error_name(static_cast<CpioErrorKind>(kind)));
    for (std::size_t i = 0; i < names.size(); ++i) {
        CHECK(names[i] != "unknown cpio error");
        for (std::size_t j = i + 1; j < names.size(); ++j) CHECK(names[i] != names[j]);
    }
}
