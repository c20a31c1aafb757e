// The ELF reader on broken images: each error kind, at the exact offset it names, starting
// from the valid hand-built image (valid_elf_spec) changed in one field.
#include <catch2/catch.hpp>

#include <cstdint>

#include "bootimage_support.hpp"

using namespace tessera_test;
using tessera::ElfErrorKind;

namespace {

constexpr std::uint64_t kFirstHeader = 64;
constexpr std::uint64_t kHeaderBytes = 56;

// The file offset of a field of program header `index` (the builder puts them at 64).
constexpr std::uint64_t header_field(std::size_t index, std::uint64_t field) {
    return kFirstHeader + index * kHeaderBytes + field;
}
constexpr std::uint64_t kFlags = 4, kOffset = 8, kVirtualAddress = 16, kFileSize = 32, kAlignment = 48;

// The valid spec's segments: 0 text RX, 1 rodata R, 2 GNU_STACK, 3 data RW.
constexpr std::size_t kText = 0, kRodata = 1, kData = 3;

void expect_error(const ByteVector& file, ElfErrorKind kind, std::uint64_t offset,
                  tessera::ElfTarget target = kRiscvTarget) {
    auto image = tessera::parse_elf(bytes_of(file), target);
    REQUIRE_FALSE(image.ok());
    CHECK(image.error().kind == kind);
    CHECK(image.error().offset == offset);
}

void expect_error(const ElfSpec& spec, ElfErrorKind kind, std::uint64_t offset) {
    expect_error(build_elf(spec), kind, offset);
}

} // namespace

TEST_CASE("elf error: a file shorter than the ELF header") {
    const ByteVector valid = build_elf(valid_elf_spec());
    expect_error(ByteVector{}, ElfErrorKind::FileTooSmall, 0);
    for (std::size_t length = 1; length < 64; ++length) {
        CAPTURE(length);
        expect_error(ByteVector(valid.begin(), valid.begin() + static_cast<long>(length)), ElfErrorKind::FileTooSmall,
                     length);
    }
}

TEST_CASE("elf error: bad magic in any of its four bytes") {
    const ByteVector valid = build_elf(valid_elf_spec());
    for (std::size_t i = 0; i < 4; ++i) {
        ByteVector file = valid;
        file[i] ^= 0x20;
        expect_error(file, ElfErrorKind::BadMagic, i);
        file.resize(i + 1); // short files are "not ELF" before they are "too small"
        expect_error(file, ElfErrorKind::BadMagic, i);
    }
    expect_error(ByteVector{'0', '7', '0', '7', '0', '1'}, ElfErrorKind::BadMagic, 0);
}

TEST_CASE("elf error: the ident bytes") {
    for (std::uint8_t elf_class : {0, 1, 3}) {
        ElfSpec spec = valid_elf_spec();
        spec.elf_class = elf_class;
        expect_error(spec, ElfErrorKind::NotElf64, 4);
    }
    for (std::uint8_t encoding : {0, 2}) {
        ElfSpec spec = valid_elf_spec();
        spec.data_encoding = encoding;
        expect_error(spec, ElfErrorKind::NotLittleEndian, 5);
    }
    for (std::uint8_t version : {0, 2}) {
        ElfSpec spec = valid_elf_spec();
        spec.ident_version = version;
        expect_error(spec, ElfErrorKind::BadVersion, 6);
    }
}

TEST_CASE("elf error: the file header's type, machine, version and sizes") {
    for (std::uint16_t type : {0, 1, 3, 4, 0xfe00}) { // none, relocatable, shared or PIE, core, OS
        ElfSpec spec = valid_elf_spec();
        spec.type = type;
        expect_error(spec, ElfErrorKind::NotExecutable, 16);
    }
    for (std::uint16_t machine : {0, 62, 183, 0xffff}) {
        ElfSpec spec = valid_elf_spec();
        spec.machine = machine;
        expect_error(spec, ElfErrorKind::WrongMachine, 18);
    }
    expect_error(build_elf(valid_elf_spec()), ElfErrorKind::WrongMachine, 18,
                 {tessera::ElfMachine::X86_64, kSv39UserLimit});
    for (std::uint32_t version : {0u, 2u}) {
        ElfSpec spec = valid_elf_spec();
        spec.version = version;
        expect_error(spec, ElfErrorKind::BadVersion, 20);
    }
    for (std::uint16_t size : {0, 52, 65}) {
        ElfSpec spec = valid_elf_spec();
        spec.header_size = size;
        expect_error(spec, ElfErrorKind::BadHeaderSize, 52);
    }
    for (std::uint16_t size : {0, 32, 55, 64}) {
        ElfSpec spec = valid_elf_spec();
        spec.program_header_size = size;
        expect_error(spec, ElfErrorKind::BadProgramHeaderSize, 54);
    }
}

TEST_CASE("elf error: the program header count") {
    ElfSpec none = valid_elf_spec();
    none.program_header_count = 0;
    expect_error(none, ElfErrorKind::NoProgramHeaders, 56);
    for (int count : {static_cast<int>(tessera::kElfMaxProgramHeaders) + 1, 0xffff}) {
        ElfSpec spec = valid_elf_spec();
        spec.program_header_count = count;
        expect_error(spec, ElfErrorKind::TooManyProgramHeaders, 56);
    }
}

TEST_CASE("elf error: a program header table running past the end of the file") {
    const std::uint64_t file_size = valid_elf_spec().file_size;
    for (std::uint64_t offset : {file_size, file_size - 4 * kHeaderBytes + 1, file_size + 1,
                                 ~std::uint64_t{0}, ~std::uint64_t{0} - kHeaderBytes + 1}) {
        CAPTURE(offset);
        ElfSpec spec = valid_elf_spec();
        spec.program_header_offset = offset;
        expect_error(spec, ElfErrorKind::ProgramHeadersOutOfBounds, 32);
    }
    ElfSpec more = valid_elf_spec();
    more.program_header_count = 60; // 60 headers need 3360 bytes from offset 64
    more.file_size = 64 + 59 * kHeaderBytes;
    more.segments.resize(2);
    expect_error(more, ElfErrorKind::ProgramHeadersOutOfBounds, 32);
}

TEST_CASE("elf error: PT_INTERP and PT_DYNAMIC mean dynamic linking") {
    for (std::uint32_t type : {kPtInterp, kPtDynamic}) {
        ElfSpec spec = valid_elf_spec();
        spec.segments[2].type = type;
        expect_error(spec, ElfErrorKind::DynamicallyLinked, header_field(2, 0));
    }
    ElfSpec note = valid_elf_spec();
    note.segments[2].type = kPtNote; // other types are skipped
    CHECK(tessera::parse_elf(bytes_of(build_elf(note)), kRiscvTarget).ok());
}

TEST_CASE("elf error: segment flags beyond R, W and X") {
    for (std::uint32_t flags : {kPfR | 8u, kPfR | 0x0ff00000u, 0xf0000000u}) {
        ElfSpec spec = valid_elf_spec();
        spec.segments[kRodata].flags = flags;
        expect_error(spec, ElfErrorKind::UnknownSegmentFlags, header_field(kRodata, kFlags));
    }
}

TEST_CASE("elf error: W^X, a segment both writable and executable") {
    for (std::uint32_t flags : {kPfR | kPfW | kPfX, kPfW | kPfX}) {
        ElfSpec text = valid_elf_spec();
        text.segments[kText].flags = flags;
        expect_error(text, ElfErrorKind::WritableAndExecutable, header_field(kText, kFlags));
        ElfSpec data = valid_elf_spec();
        data.segments[kData].flags = flags;
        expect_error(data, ElfErrorKind::WritableAndExecutable, header_field(kData, kFlags));
    }
}

TEST_CASE("elf error: alignment that is no power of two, or that address and offset do not meet") {
    for (std::uint64_t alignment : {3u, 0x1800u, 0xffffffffu}) {
        ElfSpec spec = valid_elf_spec();
        spec.segments[kData].alignment = alignment;
        expect_error(spec, ElfErrorKind::BadSegmentAlignment, header_field(kData, kAlignment));
    }
    ElfSpec incongruent = valid_elf_spec();
    incongruent.segments[kData].virtual_address = 0x12000; // the data is at file offset 0x2800
    expect_error(incongruent, ElfErrorKind::BadSegmentAlignment, header_field(kData, kAlignment));
}

TEST_CASE("elf error: a segment with more file bytes than memory bytes") {
    ElfSpec spec = valid_elf_spec();
    spec.segments[kText].file_size = spec.segments[kText].memory_size + 1;
    expect_error(spec, ElfErrorKind::FileSizeExceedsMemorySize, header_field(kText, kFileSize));
}

TEST_CASE("elf error: segment data beyond the end of the file, including by overflow") {
    struct Case {
        std::uint64_t offset, file_size;
    };
    for (Case c : {Case{0x3000, 1}, Case{0x2f00, 0x101}, Case{0x3001, 0}, Case{~std::uint64_t{0} - 0xf, 0x20},
                   Case{0x1000, ~std::uint64_t{0}}}) {
        CAPTURE(c.offset, c.file_size);
        ElfSpec spec = valid_elf_spec();
        spec.segments[kData].offset = c.offset;
        spec.segments[kData].file_size = c.file_size;
        spec.segments[kData].memory_size = ~std::uint64_t{0};
        spec.segments[kData].alignment = 0;
        expect_error(spec, ElfErrorKind::SegmentDataOutOfBounds, header_field(kData, kOffset));
    }
}

TEST_CASE("elf error: a segment whose address range wraps around") {
    struct Case {
        std::uint64_t address, size;
    };
    for (Case c : {Case{~std::uint64_t{0}, 1}, Case{0xfffffffffffff800, 0x1000}, Case{0x12800, ~std::uint64_t{0}}}) {
        CAPTURE(c.address, c.size);
        ElfSpec spec = valid_elf_spec();
        spec.segments[kData].virtual_address = c.address;
        spec.segments[kData].memory_size = c.size;
        spec.segments[kData].file_size = 0;
        expect_error(spec, ElfErrorKind::SegmentAddressOverflow, header_field(kData, kVirtualAddress));
    }
}

TEST_CASE("elf error: a segment above the user-address limit") {
    for (std::uint64_t address : {kSv39UserLimit - 0x2800 + 1, kSv39UserLimit, 0xffffffc000000800, 0x8000000000000800,
                                  ~std::uint64_t{0} - 0x3000 + 1 - 0x7ff}) {
        CAPTURE(address);
        ElfSpec spec = valid_elf_spec();
        spec.segments[kData].virtual_address = address;
        spec.segments[kData].memory_size = 0x2800;
        spec.segments[kData].alignment = 0;
        expect_error(spec, ElfErrorKind::SegmentNotInUserSpace, header_field(kData, kVirtualAddress));
    }
}

TEST_CASE("elf error: overlapping segments, by one byte or entirely") {
    struct Case {
        std::uint64_t address, size;
    };
    // Text is [0x10000, 0x10200).
    for (Case c : {Case{0x101ff, 0x80}, Case{0xff81, 0x80}, Case{0x10000, 0x200}, Case{0x10080, 0x10},
                   Case{0xf000, 0x2000}}) {
        CAPTURE(c.address, c.size);
        ElfSpec spec = valid_elf_spec();
        spec.segments[kRodata].virtual_address = c.address;
        spec.segments[kRodata].memory_size = c.size;
        spec.segments[kRodata].file_size = 0x10;
        spec.segments[kRodata].alignment = 0;
        expect_error(spec, ElfErrorKind::SegmentsOverlap, header_field(kRodata, kVirtualAddress));
    }
    // The later of the two is named, whichever comes first in memory.
    ElfSpec reversed = valid_elf_spec();
    reversed.segments[kData].virtual_address = 0x10800; // [0x10800, 0x13800) holds rodata
    expect_error(reversed, ElfErrorKind::SegmentsOverlap, header_field(kData, kVirtualAddress));
}

TEST_CASE("elf error: more loadable segments than the reader keeps") {
    ElfSpec spec = valid_elf_spec();
    spec.segments.resize(1);
    for (std::uint64_t i = 1; i <= tessera::kElfMaxLoadSegments; ++i)
        spec.segments.push_back({kPtLoad, kPfR, 0x2000, 0x20000 + i * 0x1000, 0x10, 0x10, 0x1000});
    expect_error(spec, ElfErrorKind::TooManyLoadSegments, header_field(tessera::kElfMaxLoadSegments, 0));
}

TEST_CASE("elf error: nothing to load") {
    ElfSpec stack_only = valid_elf_spec();
    stack_only.segments = {stack_only.segments[2]};
    expect_error(stack_only, ElfErrorKind::NoLoadSegments, 32);
    ElfSpec empty_loads = valid_elf_spec();
    for (auto& segment : empty_loads.segments) {
        segment.file_size = 0;
        segment.memory_size = 0;
    }
    expect_error(empty_loads, ElfErrorKind::NoLoadSegments, 32);
}

TEST_CASE("elf error: an entry point outside every executable segment") {
    // One past text, read-only data, writable data, bss, nowhere, and the kernel's half.
    for (std::uint64_t entry : {0x10200ull, 0xffffull, 0x11000ull, 0x12800ull, 0x15000ull, 0ull,
                                0xffffffff80200000ull}) {
        CAPTURE(entry);
        ElfSpec spec = valid_elf_spec();
        spec.entry = entry;
        expect_error(spec, ElfErrorKind::EntryNotExecutable, 24);
    }
}
