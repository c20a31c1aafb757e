// The ELF reader on real executables: the riscv64 user program built beside this test
// (user_program.S laid out by user_program.ld), the kernel itself (linked in the upper half,
// so never acceptable as a user program), and the valid hand-built image the error tests
// start from.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "bootimage_support.hpp"

using namespace tessera_test;
using tessera::ElfErrorKind;
using tessera::ElfImage;
using tessera::ElfSegment;

namespace {

ByteVector copy(kstd::Bytes bytes) { return ByteVector(bytes.begin(), bytes.end()); }

ElfImage parse_ok(const ByteVector& file, tessera::ElfTarget target = kRiscvTarget) {
    auto image = tessera::parse_elf(bytes_of(file), target);
    INFO((image.ok() ? "" : tessera::elf_error_name(image.error().kind)) << " at "
         << (image.ok() ? 0 : image.error().offset));
    REQUIRE(image.ok());
    return image.value();
}

void check_permissions(const ElfSegment& segment, bool readable, bool writable, bool executable) {
    CHECK(segment.readable == readable);
    CHECK(segment.writable == writable);
    CHECK(segment.executable == executable);
}

// Which program header, and which field of it, a file offset names.
struct ProgramHeaderField {
    std::size_t index;
    std::size_t field_offset;
};

ProgramHeaderField program_header_field(const ByteVector& file, std::uint64_t offset) {
    std::uint64_t table = 0;
    for (int i = 7; i >= 0; --i) table = (table << 8) | file.at(32 + static_cast<std::size_t>(i));
    REQUIRE(offset >= table);
    return {static_cast<std::size_t>((offset - table) / 56), static_cast<std::size_t>((offset - table) % 56)};
}

constexpr std::size_t kVirtualAddressField = 16;

} // namespace

TEST_CASE("elf: the cross-compiled user program has its three segments and its entry") {
    const ByteVector file = read_fixture("TESSERA_BOOTIMAGE_USER_ELF");
    const ElfImage image = parse_ok(file);
    CHECK(image.entry == 0x10000);
    REQUIRE(image.segments.size() == 3);

    const ElfSegment& text = image.segments[0];
    CHECK(text.virtual_address == 0x10000);
    check_permissions(text, true, false, true);
    CHECK(text.file_size == text.memory_size);
    CHECK(text.file_size >= 16); // two `la`s, a load, an add, a store and a jump
    CHECK(text.contains(image.entry));

    const ElfSegment& rodata = image.segments[1];
    CHECK(rodata.virtual_address == 0x11000);
    check_permissions(rodata, true, false, false);
    const std::string greeting = "tessera user program";
    REQUIRE(rodata.contents.size() == greeting.size() + 1);
    CHECK(std::memcmp(rodata.contents.data(), greeting.c_str(), greeting.size() + 1) == 0);

    const ElfSegment& data = image.segments[2];
    CHECK(data.virtual_address == 0x12000);
    check_permissions(data, true, true, false);
    CHECK(data.file_size == 8);
    CHECK(data.memory_size == 8 + 0x2000); // the counter, then the bss
    CHECK(copy(data.contents) == ByteVector{0x01, 0x00, 0xd0, 0xee, 0xa5, 0xe7, 0x55, 0x7e});

    for (const ElfSegment& segment : image.segments) {
        CHECK(segment.contents.data() == file.data() + segment.file_offset);
        CHECK(segment.contents.size() == segment.file_size);
        CHECK(segment.alignment == 0x1000);
        CHECK(segment.file_offset % 0x1000 == segment.virtual_address % 0x1000);
    }
}

TEST_CASE("elf: the user program is refused for another machine or a lower address limit") {
    const ByteVector file = read_fixture("TESSERA_BOOTIMAGE_USER_ELF");
    auto x86 = tessera::parse_elf(bytes_of(file), {tessera::ElfMachine::X86_64, kSv39UserLimit});
    REQUIRE_FALSE(x86.ok());
    CHECK(x86.error().kind == ElfErrorKind::WrongMachine);
    CHECK(x86.error().offset == 18);

    // The data segment ends at 0x14008: a limit there is enough, one byte less is not.
    CHECK(tessera::parse_elf(bytes_of(file), {tessera::ElfMachine::RiscV, 0x14008}).ok());
    auto low = tessera::parse_elf(bytes_of(file), {tessera::ElfMachine::RiscV, 0x14007});
    REQUIRE_FALSE(low.ok());
    CHECK(low.error().kind == ElfErrorKind::SegmentNotInUserSpace);
    const ProgramHeaderField at = program_header_field(file, low.error().offset);
    CHECK(at.index == 2);
    CHECK(at.field_offset == kVirtualAddressField);
}

TEST_CASE("elf: the kernel is a valid riscv64 executable but not a user program") {
    const ByteVector file = read_fixture("TESSERA_BOOTIMAGE_KERNEL_ELF");
    auto refused = tessera::parse_elf(bytes_of(file), kRiscvTarget);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind == ElfErrorKind::SegmentNotInUserSpace);
    // The offset names the p_vaddr of a program header.
    CHECK(program_header_field(file, refused.error().offset).field_offset == kVirtualAddressField);

    // With no limit at all its segments pass, and the entry is what stops it: the kernel
    // starts at its physical load address, which no segment's virtual range contains.
    auto unlimited = tessera::parse_elf(bytes_of(file), {tessera::ElfMachine::RiscV, ~std::uint64_t{0}});
    REQUIRE_FALSE(unlimited.ok());
    CHECK(unlimited.error().kind == ElfErrorKind::EntryNotExecutable);
    CHECK(unlimited.error().offset == 24);
}

TEST_CASE("elf: the valid hand-built image yields its PT_LOAD segments in order") {
    const ByteVector file = build_elf(valid_elf_spec());
    const ElfImage image = parse_ok(file);
    CHECK(image.entry == 0x10010);
    REQUIRE(image.segments.size() == 3); // GNU_STACK is not loaded
    CHECK(image.segments[0].virtual_address == 0x10000);
    check_permissions(image.segments[0], true, false, true);
    CHECK(image.segments[1].virtual_address == 0x11000);
    CHECK(image.segments[2].virtual_address == 0x12800);
    CHECK(image.segments[2].memory_size == 0x3000);
    CHECK(image.segments[2].file_size == 0x100);
    CHECK(image.segments[2].end() == 0x15800);
    CHECK(image.segments[2].contents.data() == file.data() + 0x2800);
}

TEST_CASE("elf: accepted corner cases") {
    SECTION("a segment ending exactly at the limit") {
        ElfSpec spec = valid_elf_spec();
        spec.segments[3].virtual_address = kSv39UserLimit - 0x2800;
        spec.segments[3].memory_size = 0x2800;
        parse_ok(build_elf(spec));
    }
    SECTION("adjacent segments") {
        ElfSpec spec = valid_elf_spec();
        spec.segments[1].virtual_address = 0x10200; // right after text
        spec.segments[1].offset = 0x1200;
        spec.segments[1].alignment = 0x200;
        parse_ok(build_elf(spec));
    }
    SECTION("alignment 0 or 1, and segments with no file bytes") {
        ElfSpec spec = valid_elf_spec();
        spec.segments[1].alignment = 0;
        spec.segments[1].virtual_address = 0x11003;
        spec.segments[3].alignment = 1;
        spec.segments[3].file_size = 0;
        parse_ok(build_elf(spec));
    }
    SECTION("an empty PT_LOAD anywhere, even at an unusable address, loads nothing") {
        ElfSpec spec = valid_elf_spec();
        spec.segments.push_back({kPtLoad, kPfR, 0, 0x10000, 0, 0, 0});
        const ElfImage image = parse_ok(build_elf(spec));
        CHECK(image.segments.size() == 3);
    }
    SECTION("the entry at the last byte of the executable segment") {
        ElfSpec spec = valid_elf_spec();
        spec.entry = 0x101ff;
        parse_ok(build_elf(spec));
    }
    SECTION("program headers anywhere in the file, unaligned") {
        ElfSpec spec = valid_elf_spec();
        spec.program_header_offset = 0x2fff - 4 * 56;
        parse_ok(build_elf(spec));
    }
    SECTION("exactly kElfMaxLoadSegments segments") {
        ElfSpec spec = valid_elf_spec();
        spec.segments.resize(1);
        for (std::uint64_t i = 1; i < tessera::kElfMaxLoadSegments; ++i)
            spec.segments.push_back({kPtLoad, kPfR, 0x2000, 0x20000 + i * 0x1000, 0x10, 0x10, 0x1000});
        CHECK(parse_ok(build_elf(spec)).segments.size() == tessera::kElfMaxLoadSegments);
    }
}

TEST_CASE("elf: errors print their name and offset") {
    tessera_test::StringSink sink;
    kstd::format_to(sink, "{}", tessera::ElfError{ElfErrorKind::WritableAndExecutable, 0x7c});
    CHECK(sink.text == "elf: segment both writable and executable (W^X) at offset 0x7c");
}

TEST_CASE("elf: every error kind has its own name") {
    std::vector<std::string> names;
    for (int kind = 0; kind <= static_cast<int>(ElfErrorKind::EntryNotExecutable); ++kind)
        names.push_back(tessera::elf_error_name(static_cast<ElfErrorKind>(kind)));
    for (std::size_t i = 0; i < names.size(); ++i) {
        CHECK(names[i] != "unknown ELF error");
        for (std::size_t j = i + 1; j < names.size(); ++j) CHECK(names[i] != names[j]);
    }
}
