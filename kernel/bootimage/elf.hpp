#pragma once
// A reader of ELF64 little-endian executables: the root task the kernel starts, and later
// whatever user space loads. The file is untrusted: every header field the loader relies
// on is checked, every range is compared with the file's size without overflowing, and
// the result promises what a loader needs to map it safely: the loadable segments lie
// inside the file and below the user-address limit, do not overlap, are never writable
// and executable at once, and the entry point is inside an executable segment.
//
// Only what loading needs is read: the file header and the program headers. Section
// headers are ignored; of the program headers, PT_LOAD is used, PT_INTERP and PT_DYNAMIC
// are refused (nothing links dynamically here) and the rest (GNU_STACK, TLS, attributes)
// is skipped. The checks are byte-exact: two segments may share a page, so a loader that
// maps whole pages must still decide what such a shared page's permissions are.
#include <kstd/bounded_vector.hpp>
#include <kstd/format.hpp>
#include <kstd/result.hpp>
#include <kstd/span.hpp>

namespace tessera {

// The file layouts of the System V ABI, here for their offsets: the reader decodes fields
// byte by byte at these offsets and never casts the buffer, which need not be aligned.
struct Elf64FileHeader {
    u8 ident[16];
    u16 type;
    u16 machine;
    u32 version;
    u64 entry;
    u64 program_header_offset;
    u64 section_header_offset;
    u32 flags;
    u16 header_size;
    u16 program_header_size;
    u16 program_header_count;
    u16 section_header_size;
    u16 section_header_count;
    u16 section_name_index;
};

static_assert(offsetof(Elf64FileHeader, type) == 16);
static_assert(offsetof(Elf64FileHeader, machine) == 18);
static_assert(offsetof(Elf64FileHeader, version) == 20);
static_assert(offsetof(Elf64FileHeader, entry) == 24);
static_assert(offsetof(Elf64FileHeader, program_header_offset) == 32);
static_assert(offsetof(Elf64FileHeader, section_header_offset) == 40);
static_assert(offsetof(Elf64FileHeader, flags) == 48);
static_assert(offsetof(Elf64FileHeader, header_size) == 52);
static_assert(offsetof(Elf64FileHeader, program_header_size) == 54);
static_assert(offsetof(Elf64FileHeader, program_header_count) == 56);
static_assert(offsetof(Elf64FileHeader, section_header_size) == 58);
static_assert(offsetof(Elf64FileHeader, section_header_count) == 60);
static_assert(offsetof(Elf64FileHeader, section_name_index) == 62);
static_assert(sizeof(Elf64FileHeader) == 64);

struct Elf64ProgramHeader {
    u32 type;
    u32 flags;
    u64 offset;
    u64 virtual_address;
    u64 physical_address;
    u64 file_size;
    u64 memory_size;
    u64 alignment;
};

static_assert(offsetof(Elf64ProgramHeader, flags) == 4);
static_assert(offsetof(Elf64ProgramHeader, offset) == 8);
static_assert(offsetof(Elf64ProgramHeader, virtual_address) == 16);
static_assert(offsetof(Elf64ProgramHeader, physical_address) == 24);
static_assert(offsetof(Elf64ProgramHeader, file_size) == 32);
static_assert(offsetof(Elf64ProgramHeader, memory_size) == 40);
static_assert(offsetof(Elf64ProgramHeader, alignment) == 48);
static_assert(sizeof(Elf64ProgramHeader) == 56);

enum class ElfMachine : u16 {
    X86_64 = 62,
    RiscV = 243,
};

struct ElfTarget {
    ElfMachine machine = ElfMachine::RiscV;
    // Every segment must end at or below this address (0x40'0000'0000 under Sv39): user
    // space lives in the lower half, and a segment above it would be kernel memory.
    u64 user_address_limit = 0;
};

enum class ElfErrorKind : u8 {
    FileTooSmall,              // shorter than the 64-byte file header
    BadMagic,                  // not "\x7fELF"
    NotElf64,                  // EI_CLASS is not ELFCLASS64
    NotLittleEndian,           // EI_DATA is not ELFDATA2LSB
    BadVersion,                // EI_VERSION or e_version is not 1
    NotExecutable,             // e_type is not ET_EXEC (relocatable, shared, PIE, core)
    WrongMachine,              // e_machine is not the target's
    BadHeaderSize,             // e_ehsize is not 64
    BadProgramHeaderSize,      // e_phentsize is not 56
    NoProgramHeaders,          // e_phnum is 0
    TooManyProgramHeaders,     // e_phnum above kElfMaxProgramHeaders
    ProgramHeadersOutOfBounds, // the program header table runs past the end of the file
    DynamicallyLinked,         // a PT_INTERP or PT_DYNAMIC header
    UnknownSegmentFlags,       // p_flags has bits other than R, W and X
    BadSegmentAlignment,       // p_align not a power of two, or p_vaddr and p_offset disagree modulo it
    FileSizeExceedsMemorySize, // p_filesz > p_memsz
    SegmentDataOutOfBounds,    // p_offset + p_filesz past the end of the file
    SegmentAddressOverflow,    // p_vaddr + p_memsz wraps around
    SegmentNotInUserSpace,     // p_vaddr + p_memsz above the user-address limit
    WritableAndExecutable,     // W^X: a segment both writable and executable
    SegmentsOverlap,           // two PT_LOAD segments share an address
    TooManyLoadSegments,       // more than kElfMaxLoadSegments non-empty PT_LOAD segments
    NoLoadSegments,            // nothing to load
    EntryNotExecutable,        // e_entry outside every executable segment
};

const char* elf_error_name(ElfErrorKind kind);

struct ElfError {
    ElfErrorKind kind = ElfErrorKind::FileTooSmall;
    // The file offset of the field at fault: in the file header, or in the program header
    // of the segment at fault (for SegmentsOverlap, the later of the two).
    u64 offset = 0;
};

// Prints "elf: <what> at offset 0x..".
template <kstd::CharSink S> constexpr void format_value(S& sink, const ElfError& error) {
    kstd::format_to(sink, "elf: {} at offset {}", elf_error_name(error.kind), kstd::Hex{error.offset, 1});
}

// A real executable has a handful of each; far more is corruption.
inline constexpr usize kElfMaxProgramHeaders = 64;
inline constexpr usize kElfMaxLoadSegments = 16;

struct ElfSegment {
    u64 virtual_address = 0;
    u64 memory_size = 0; // > 0; the bytes past file_size are zero-filled
    u64 file_offset = 0;
    u64 file_size = 0;   // <= memory_size
    u64 alignment = 0;   // 0 or 1 (none), or a power of two
    bool readable = false;
    bool writable = false;
    bool executable = false; // never together with writable
    kstd::Bytes contents;    // the file_size bytes at file_offset, inside the file

    // One past the last byte; the checks guarantee it does not wrap.
    constexpr u64 end() const { return virtual_address + memory_size; }
    constexpr bool contains(u64 address) const { return address >= virtual_address && address < end(); }
};

struct ElfImage {
    u64 entry = 0;
    // The non-empty PT_LOAD segments, in program-header order.
    kstd::BoundedVector<ElfSegment, kElfMaxLoadSegments> segments;
};

kstd::Result<ElfImage, ElfError> parse_elf(kstd::Bytes file, const ElfTarget& target);

} // namespace tessera
