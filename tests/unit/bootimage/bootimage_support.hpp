#pragma once
// Shared by the boot-image tests: the files the build made (GNU cpio archives, the kernel,
// a small riscv64 user program), an in-test CPIO writer and ELF builder that make valid
// images for the tests to damage one field at a time, and how Catch prints the error kinds.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include <bootimage/cpio.hpp>
#include <bootimage/elf.hpp>

#include "../test_support.hpp"

namespace tessera_test {

using ByteVector = std::vector<std::uint8_t>;

inline kstd::Bytes bytes_of(const ByteVector& bytes) { return kstd::Bytes(bytes.data(), bytes.size()); }

// The build's fixtures come through the environment (tests/unit/bootimage/meson.build sets
// these), because tap_main.cpp hands every unknown command-line argument to Catch.
ByteVector read_fixture(const char* environment_variable);

// --- CPIO ------------------------------------------------------------------------------

enum class CpioFormat { Newc, Crc };

// The header fields, in order after the 6-byte magic, each 8 hex digits.
enum CpioField : int { Inode, Mode, Uid, Gid, LinkCount, ModificationTime, FileSize, DeviceMajor, DeviceMinor,
                       RdevMajor, RdevMinor, NameSize, Check };

constexpr std::size_t cpio_field_offset(int field) { return 6 + 8 * static_cast<std::size_t>(field); }

struct CpioFile {
    std::string name; // may hold a NUL on purpose
    std::uint32_t mode = 0100644;
    ByteVector data;
};

struct WrittenArchive {
    ByteVector bytes;
    std::vector<std::size_t> header_offsets; // one per file, then the trailer's (if written)
};

// What `cpio -o -H newc` (or `-H crc`) writes for these files, padding included; without
// the 512-byte block padding after the trailer.
WrittenArchive write_cpio(const std::vector<CpioFile>& files, CpioFormat format = CpioFormat::Newc,
                          bool with_trailer = true);

// Overwrites one header field with `value` as 8 upper-case hex digits.
void set_cpio_field(ByteVector& archive, std::size_t header_offset, int field, std::uint32_t value);

// The content of file `name` in the GNU cpio fixtures (make_cpio_fixture.py makes the same).
ByteVector fixture_content(const std::string& name, std::size_t size);

// --- ELF -------------------------------------------------------------------------------

constexpr std::uint32_t kPtLoad = 1, kPtDynamic = 2, kPtInterp = 3, kPtNote = 4, kPtGnuStack = 0x6474e551;
constexpr std::uint32_t kPfX = 1, kPfW = 2, kPfR = 4;
constexpr std::uint64_t kSv39UserLimit = 0x40'0000'0000;
constexpr tessera::ElfTarget kRiscvTarget{tessera::ElfMachine::RiscV, kSv39UserLimit};

struct ProgramHeaderSpec {
    std::uint32_t type = kPtLoad;
    std::uint32_t flags = kPfR;
    std::uint64_t offset = 0;
    std::uint64_t virtual_address = 0;
    std::uint64_t file_size = 0;
    std::uint64_t memory_size = 0;
    std::uint64_t alignment = 0x1000;
};

struct ElfSpec {
    std::uint8_t elf_class = 2, data_encoding = 1, ident_version = 1;
    std::uint16_t type = 2, machine = 243;
    std::uint32_t version = 1;
    std::uint64_t entry = 0;
    std::uint64_t program_header_offset = 64;
    std::uint16_t header_size = 64, program_header_size = 56;
    int program_header_count = -1; // -1: as many as `segments`
    std::vector<ProgramHeaderSpec> segments;
    std::size_t file_size = 0;
};

// A valid static executable: text RX at 0x10000 (entry 0x10010), rodata R at 0x11000, a
// GNU_STACK header, data RW at 0x12800 with bss after it; the segments' bytes are at file
// offsets 0x1000, 0x2000 and 0x2800.
ElfSpec valid_elf_spec();

// Writes the spec; program headers that would not fit in file_size are left out, and each
// segment's file bytes are a pattern of its offset.
ByteVector build_elf(const ElfSpec& spec);

// Little-endian store of the low `width` bytes of `value`.
void put_le(ByteVector& bytes, std::size_t offset, std::uint64_t value, std::size_t width);

} // namespace tessera_test

namespace Catch {
template <> struct StringMaker<tessera::CpioErrorKind> {
    static std::string convert(tessera::CpioErrorKind kind) { return tessera::cpio_error_name(kind); }
};
template <> struct StringMaker<tessera::ElfErrorKind> {
    static std::string convert(tessera::ElfErrorKind kind) { return tessera::elf_error_name(kind); }
};
} // namespace Catch
