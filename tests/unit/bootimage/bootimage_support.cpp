#include "bootimage_support.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace tessera_test {

ByteVector read_fixture(const char* environment_variable) {
    const char* path = std::getenv(environment_variable);
    INFO(environment_variable << " names a file the build made; run the test through `meson test`");
    REQUIRE(path != nullptr);
    std::ifstream file(path, std::ios::binary);
    INFO("reading " << path);
    REQUIRE(file.good());
    return ByteVector(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

namespace {

void pad_to_4(ByteVector& bytes) {
    while (bytes.size() % 4 != 0) bytes.push_back(0);
}

void append_text(ByteVector& bytes, const std::string& text) { bytes.insert(bytes.end(), text.begin(), text.end()); }

std::string hex8(std::uint32_t value) {
    char digits[9];
    std::snprintf(digits, sizeof(digits), "%08X", value);
    return std::string(digits, 8);
}

void append_entry(ByteVector& bytes, const CpioFile& file, std::uint32_t inode, CpioFormat format) {
    std::uint32_t check = 0;
    if (format == CpioFormat::Crc)
        for (std::uint8_t byte : file.data) check += byte;
    const auto file_size = static_cast<std::uint32_t>(file.data.size());
    const auto name_size = static_cast<std::uint32_t>(file.name.size() + 1);
    // inode, mode, uid, gid, links, mtime, size, device, rdev, name size, check
    const std::uint32_t fields[] = {inode, file.mode, 1000, 1000, 1, 0x65000000, file_size, 8, 1, 0, 0, name_size, check};
    append_text(bytes, format == CpioFormat::Crc ? "070702" : "070701");
    for (std::uint32_t field : fields) append_text(bytes, hex8(field));
    append_text(bytes, file.name);
    bytes.push_back(0);
    pad_to_4(bytes);
    bytes.insert(bytes.end(), file.data.begin(), file.data.end());
    pad_to_4(bytes);
}

} // namespace

WrittenArchive write_cpio(const std::vector<CpioFile>& files, CpioFormat format, bool with_trailer) {
    WrittenArchive archive;
    std::uint32_t inode = 0x100;
    for (const CpioFile& file : files) {
        archive.header_offsets.push_back(archive.bytes.size());
        append_entry(archive.bytes, file, inode++, format);
    }
    if (with_trailer) {
        archive.header_offsets.push_back(archive.bytes.size());
        append_entry(archive.bytes, CpioFile{"TRAILER!!!", 0, {}}, 0, format);
    }
    return archive;
}

void set_cpio_field(ByteVector& archive, std::size_t header_offset, int field, std::uint32_t value) {
    const std::string digits = hex8(value);
    for (std::size_t i = 0; i < 8; ++i)
        archive.at(header_offset + cpio_field_offset(field) + i) = static_cast<std::uint8_t>(digits[i]);
}

ByteVector fixture_content(const std::string& name, std::size_t size) {
    ByteVector data(size);
    for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::uint8_t>((i * 7 + name.size()) % 251);
    return data;
}

void put_le(ByteVector& bytes, std::size_t offset, std::uint64_t value, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i) bytes.at(offset + i) = static_cast<std::uint8_t>(value >> (8 * i));
}

ElfSpec valid_elf_spec() {
    ElfSpec spec;
    spec.entry = 0x10010;
    spec.segments = {
        {kPtLoad, kPfR | kPfX, 0x1000, 0x10000, 0x200, 0x200, 0x1000},
        {kPtLoad, kPfR, 0x2000, 0x11000, 0x80, 0x80, 0x1000},
        {kPtGnuStack, kPfR | kPfW, 0, 0, 0, 0, 16},
        {kPtLoad, kPfR | kPfW, 0x2800, 0x12800, 0x100, 0x3000, 0x1000},
    };
    spec.file_size = 0x3000;
    return spec;
}

ByteVector build_elf(const ElfSpec& spec) {
    ByteVector file(spec.file_size, 0);
    // Segment bytes first, so that headers placed inside a segment (as tests may) win.
    for (const ProgramHeaderSpec& segment : spec.segments)
        for (std::uint64_t i = 0; i < segment.file_size && segment.offset + i < file.size(); ++i)
            file[segment.offset + i] = static_cast<std::uint8_t>((segment.offset + i) * 13 + 5);

    const std::uint8_t ident[16] = {0x7f, 'E', 'L', 'F', spec.elf_class, spec.data_encoding, spec.ident_version};
    for (std::size_t i = 0; i < sizeof(ident) && i < file.size(); ++i) file[i] = ident[i];
    if (file.size() >= 64) {
        const std::size_t count = spec.program_header_count >= 0 ? static_cast<std::size_t>(spec.program_header_count)
                                                                 : spec.segments.size();
        put_le(file, 16, spec.type, 2);
        put_le(file, 18, spec.machine, 2);
        put_le(file, 20, spec.version, 4);
        put_le(file, 24, spec.entry, 8);
        put_le(file, 32, spec.program_header_offset, 8);
        put_le(file, 40, 0, 8); // no section headers
        put_le(file, 52, spec.header_size, 2);
        put_le(file, 54, spec.program_header_size, 2);
        put_le(file, 56, count, 2);
    }
    for (std::size_t index = 0; index < spec.segments.size(); ++index) {
        const ProgramHeaderSpec& segment = spec.segments[index];
        // Compared without adding, so huge offsets in error tests do not wrap around.
        if (spec.program_header_offset > file.size() || (file.size() - spec.program_header_offset) / 56 <= index)
            continue;
        const std::uint64_t at = spec.program_header_offset + index * 56;
        put_le(file, at + 0, segment.type, 4);
        put_le(file, at + 4, segment.flags, 4);
        put_le(file, at + 8, segment.offset, 8);
        put_le(file, at + 16, segment.virtual_address, 8);
        put_le(file, at + 24, segment.virtual_address, 8);
        put_le(file, at + 32, segment.file_size, 8);
        put_le(file, at + 40, segment.memory_size, 8);
        put_le(file, at + 48, segment.alignment, 8);
    }
    return file;
}

} // namespace tessera_test
