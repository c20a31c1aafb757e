#include <bootimage/elf.hpp>
#include <kstd/bit.hpp>

namespace tessera {

namespace {

constexpr u8 kMagic[4] = {0x7f, 'E', 'L', 'F'};
constexpr usize kClassIndex = 4;
constexpr usize kDataIndex = 5;
constexpr usize kIdentVersionIndex = 6;
constexpr u8 kClass64 = 2;
constexpr u8 kDataLittleEndian = 1;
constexpr u32 kCurrentVersion = 1;
constexpr u16 kTypeExecutable = 2;

constexpr u32 kProgramLoad = 1;
constexpr u32 kProgramDynamic = 2;
constexpr u32 kProgramInterpreter = 3;

constexpr u32 kFlagExecute = 1;
constexpr u32 kFlagWrite = 2;
constexpr u32 kFlagRead = 4;

constexpr ElfError error_at(ElfErrorKind kind, u64 offset) { return ElfError{kind, offset}; }

// Little-endian decoding of a field the caller has already bounds-checked.
template <typename T> T read_le(kstd::Bytes bytes, usize offset) {
    static_assert(kstd::is_integral_v<T> && !kstd::is_signed_v<T>);
    kstd::Bytes field = bytes.subspan(offset, sizeof(T));
    T value = 0;
    for (usize i = sizeof(T); i > 0; --i) value = static_cast<T>((value << 8) | field[i - 1]);
    return value;
}

#define READ_FIELD(bytes, Struct, field)                                                   \
    read_le<decltype(Struct::field)>(bytes, offsetof(Struct, field))

Elf64FileHeader decode_file_header(kstd::Bytes bytes) {
    Elf64FileHeader header{};
    for (usize i = 0; i < sizeof(header.ident); ++i) header.ident[i] = bytes[i];
    header.type = READ_FIELD(bytes, Elf64FileHeader, type);
    header.machine = READ_FIELD(bytes, Elf64FileHeader, machine);
    header.version = READ_FIELD(bytes, Elf64FileHeader, version);
    header.entry = READ_FIELD(bytes, Elf64FileHeader, entry);
    header.program_header_offset = READ_FIELD(bytes, Elf64FileHeader, program_header_offset);
    header.section_header_offset = READ_FIELD(bytes, Elf64FileHeader, section_header_offset);
    header.flags = READ_FIELD(bytes, Elf64FileHeader, flags);
    header.header_size = READ_FIELD(bytes, Elf64FileHeader, header_size);
    header.program_header_size = READ_FIELD(bytes, Elf64FileHeader, program_header_size);
    header.program_header_count = READ_FIELD(bytes, Elf64FileHeader, program_header_count);
    header.section_header_size = READ_FIELD(bytes, Elf64FileHeader, section_header_size);
    header.section_header_count = READ_FIELD(bytes, Elf64FileHeader, section_header_count);
    header.section_name_index = READ_FIELD(bytes, Elf64FileHeader, section_name_index);
    return header;
}

Elf64ProgramHeader decode_program_header(kstd::Bytes bytes) {
    Elf64ProgramHeader header{};
    header.type = READ_FIELD(bytes, Elf64ProgramHeader, type);
    header.flags = READ_FIELD(bytes, Elf64ProgramHeader, flags);
    header.offset = READ_FIELD(bytes, Elf64ProgramHeader, offset);
    header.virtual_address = READ_FIELD(bytes, Elf64ProgramHeader, virtual_address);
    header.physical_address = READ_FIELD(bytes, Elf64ProgramHeader, physical_address);
    header.file_size = READ_FIELD(bytes, Elf64ProgramHeader, file_size);
    header.memory_size = READ_FIELD(bytes, Elf64ProgramHeader, memory_size);
    header.alignment = READ_FIELD(bytes, Elf64ProgramHeader, alignment);
    return header;
}

#undef READ_FIELD

// The magic and e_ident; compared on what there is, so a short file that is not ELF at all
// says "bad magic" rather than "too small".
kstd::Result<void, ElfError> check_ident(kstd::Bytes file) {
    for (usize i = 0; i < sizeof(kMagic) && i < file.size(); ++i)
        if (file[i] != kMagic[i]) return kstd::fail(error_at(ElfErrorKind::BadMagic, i));
    if (file.size() < sizeof(Elf64FileHeader)) return kstd::fail(error_at(ElfErrorKind::FileTooSmall, file.size()));
    if (file[kClassIndex] != kClass64) return kstd::fail(error_at(ElfErrorKind::NotElf64, kClassIndex));
    if (file[kDataIndex] != kDataLittleEndian)
        return kstd::fail(error_at(ElfErrorKind::NotLittleEndian, kDataIndex));
    if (file[kIdentVersionIndex] != kCurrentVersion)
        return kstd::fail(error_at(ElfErrorKind::BadVersion, kIdentVersionIndex));
    return {};
}

// Everything in the file header but the entry point, which needs the segments.
kstd::Result<void, ElfError> check_file_header(const Elf64FileHeader& header, u64 file_size, ElfMachine machine) {
    if (header.type != kTypeExecutable)
        return kstd::fail(error_at(ElfErrorKind::NotExecutable, offsetof(Elf64FileHeader, type)));
    if (header.machine != kstd::to_underlying(machine))
        return kstd::fail(error_at(ElfErrorKind::WrongMachine, offsetof(Elf64FileHeader, machine)));
    if (header.version != kCurrentVersion)
        return kstd::fail(error_at(ElfErrorKind::BadVersion, offsetof(Elf64FileHeader, version)));
    if (header.header_size != sizeof(Elf64FileHeader))
        return kstd::fail(error_at(ElfErrorKind::BadHeaderSize, offsetof(Elf64FileHeader, header_size)));
    if (header.program_header_size != sizeof(Elf64ProgramHeader))
        return kstd::fail(error_at(ElfErrorKind::BadProgramHeaderSize,
                                   offsetof(Elf64FileHeader, program_header_size)));
    // Also refuses PN_XNUM (0xffff), the escape to a count kept in a section header.
    if (header.program_header_count == 0)
        return kstd::fail(error_at(ElfErrorKind::NoProgramHeaders, offsetof(Elf64FileHeader, program_header_count)));
    if (header.program_header_count > kElfMaxProgramHeaders)
        return kstd::fail(error_at(ElfErrorKind::TooManyProgramHeaders,
                                   offsetof(Elf64FileHeader, program_header_count)));
    // The count is small (checked above), so the table's size cannot overflow.
    const u64 table_bytes = u64{header.program_header_count} * sizeof(Elf64ProgramHeader);
    if (header.program_header_offset > file_size || table_bytes > file_size - header.program_header_offset)
        return kstd::fail(error_at(ElfErrorKind::ProgramHeadersOutOfBounds,
                                   offsetof(Elf64FileHeader, program_header_offset)));
    return {};
}

// One PT_LOAD header on its own; `at` is the header's file offset.
kstd::Result<ElfSegment, ElfError> check_load_segment(const Elf64ProgramHeader& header, u64 at,
                                                      kstd::Bytes file, const ElfTarget& target) {
    const u64 flags_at = at + offsetof(Elf64ProgramHeader, flags);
    const u64 address_at = at + offsetof(Elf64ProgramHeader, virtual_address);
    if ((header.flags & ~(kFlagRead | kFlagWrite | kFlagExecute)) != 0)
        return kstd::fail(error_at(ElfErrorKind::UnknownSegmentFlags, flags_at));
    if (header.file_size > header.memory_size)
        return kstd::fail(
            error_at(ElfErrorKind::FileSizeExceedsMemorySize, at + offsetof(Elf64ProgramHeader, file_size)));
    if (header.offset > file.size() || header.file_size > file.size() - header.offset)
        return kstd::fail(error_at(ElfErrorKind::SegmentDataOutOfBounds, at + offsetof(Elf64ProgramHeader, offset)));
    if (header.memory_size > ~u64{0} - header.virtual_address)
        return kstd::fail(error_at(ElfErrorKind::SegmentAddressOverflow, address_at));
    if (header.virtual_address + header.memory_size > target.user_address_limit)
        return kstd::fail(error_at(ElfErrorKind::SegmentNotInUserSpace, address_at));
    if ((header.flags & kFlagWrite) != 0 && (header.flags & kFlagExecute) != 0)
        return kstd::fail(error_at(ElfErrorKind::WritableAndExecutable, flags_at));
    // 0 and 1 both mean "no alignment"; otherwise the loader may map the file page by page
    // only if address and offset agree modulo the alignment.
    if (header.alignment > 1 && (!kstd::is_power_of_two(header.alignment) ||
                                 (header.virtual_address - header.offset) % header.alignment != 0))
        return kstd::fail(error_at(ElfErrorKind::BadSegmentAlignment, at + offsetof(Elf64ProgramHeader, alignment)));

    ElfSegment segment;
    segment.virtual_address = header.virtual_address;
    segment.memory_size = header.memory_size;
    segment.file_offset = header.offset;
    segment.file_size = header.file_size;
    segment.alignment = header.alignment;
    segment.readable = (header.flags & kFlagRead) != 0;
    segment.writable = (header.flags & kFlagWrite) != 0;
    segment.executable = (header.flags & kFlagExecute) != 0;
    segment.contents = file.subspan(static_cast<usize>(header.offset), static_cast<usize>(header.file_size));
    return segment;
}

bool overlap(const ElfSegment& a, const ElfSegment& b) {
    return a.virtual_address < b.end() && b.virtual_address < a.end();
}

} // namespace

const char* elf_error_name(ElfErrorKind kind) {
    switch (kind) {
    case ElfErrorKind::FileTooSmall: return "file shorter than the ELF header";
    case ElfErrorKind::BadMagic: return "bad magic (not an ELF file)";
    case ElfErrorKind::NotElf64: return "not a 64-bit ELF file";
    case ElfErrorKind::NotLittleEndian: return "not little-endian";
    case ElfErrorKind::BadVersion: return "unknown ELF version";
    case ElfErrorKind::NotExecutable: return "not an executable (ET_EXEC)";
    case ElfErrorKind::WrongMachine: return "built for another machine";
    case ElfErrorKind::BadHeaderSize: return "ELF header size is not 64";
    case ElfErrorKind::BadProgramHeaderSize: return "program header size is not 56";
    case ElfErrorKind::NoProgramHeaders: return "no program headers";
    case ElfErrorKind::TooManyProgramHeaders: return "too many program headers";
    case ElfErrorKind::ProgramHeadersOutOfBounds: return "program headers beyond the end of the file";
    case ElfErrorKind::DynamicallyLinked: return "dynamically linked (PT_INTERP or PT_DYNAMIC)";
    case ElfErrorKind::UnknownSegmentFlags: return "segment flags other than R, W, X";
    case ElfErrorKind::BadSegmentAlignment: return "segment alignment invalid or not met";
    case ElfErrorKind::FileSizeExceedsMemorySize: return "segment file size exceeds its memory size";
    case ElfErrorKind::SegmentDataOutOfBounds: return "segment data beyond the end of the file";
    case ElfErrorKind::SegmentAddressOverflow: return "segment address range overflows";
    case ElfErrorKind::SegmentNotInUserSpace: return "segment above the user-address limit";
    case ElfErrorKind::WritableAndExecutable: return "segment both writable and executable (W^X)";
    case ElfErrorKind::SegmentsOverlap: return "segments overlap";
    case ElfErrorKind::TooManyLoadSegments: return "too many loadable segments";
    case ElfErrorKind::NoLoadSegments: return "no loadable segments";
    case ElfErrorKind::EntryNotExecutable: return "entry point outside every executable segment";
    }
    return "unknown ELF error";
}

kstd::Result<ElfImage, ElfError> parse_elf(kstd::Bytes file, const ElfTarget& target) {
    TRY(check_ident(file));
    const Elf64FileHeader header = decode_file_header(file.subspan(0, sizeof(Elf64FileHeader)));
    TRY(check_file_header(header, file.size(), target.machine));

    ElfImage image;
    image.entry = header.entry;
    for (usize index = 0; index < header.program_header_count; ++index) {
        const u64 at = header.program_header_offset + index * sizeof(Elf64ProgramHeader);
        const Elf64ProgramHeader program_header =
            decode_program_header(file.subspan(static_cast<usize>(at), sizeof(Elf64ProgramHeader)));
        if (program_header.type == kProgramInterpreter || program_header.type == kProgramDynamic)
            return kstd::fail(error_at(ElfErrorKind::DynamicallyLinked, at));
        if (program_header.type != kProgramLoad) continue;

        const ElfSegment segment = TRY(check_load_segment(program_header, at, file, target));
        if (segment.memory_size == 0) continue; // maps nothing, so it cannot conflict
        for (const ElfSegment& earlier : image.segments)
            if (overlap(earlier, segment))
                return kstd::fail(
                    error_at(ElfErrorKind::SegmentsOverlap, at + offsetof(Elf64ProgramHeader, virtual_address)));
        if (!image.segments.push_back(segment)) return kstd::fail(error_at(ElfErrorKind::TooManyLoadSegments, at));
    }
    if (image.segments.empty())
        return kstd::fail(error_at(ElfErrorKind::NoLoadSegments, offsetof(Elf64FileHeader, program_header_offset)));

    bool entry_is_executable = false;
    for (const ElfSegment& segment : image.segments)
        if (segment.executable && segment.contains(header.entry)) entry_is_executable = true;
    if (!entry_is_executable)
        return kstd::fail(error_at(ElfErrorKind::EntryNotExecutable, offsetof(Elf64FileHeader, entry)));
    return image;
}

} // namespace tessera
