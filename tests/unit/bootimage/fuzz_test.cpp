// Both readers on randomly damaged images: the bytes come from whoever built the boot image,
// so each reader must accept or refuse with an error, and never read outside the buffer
// (AddressSanitizer: every damaged image is its own exactly-sized allocation), overflow
// (UBSan), loop forever or trip a KASSERT. What an accepted image promises is checked too.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "bootimage_support.hpp"

using namespace tessera_test;

namespace {

struct Outcomes {
    int ok = 0;
    int failed = 0;
};

bool inside(const void* begin, std::size_t size, const ByteVector& buffer) {
    auto* first = static_cast<const std::uint8_t*>(begin);
    return size == 0 || (first >= buffer.data() && first + size <= buffer.data() + buffer.size());
}

// --- CPIO ------------------------------------------------------------------------------

void check_cpio(const ByteVector& archive, Outcomes& outcomes) {
    tessera::CpioReader reader(bytes_of(archive));
    std::size_t previous_header = 0;
    bool first = true;
    // Each entry takes at least 112 bytes, so the walk ends; the bound only makes a bug
    // fail instead of hang.
    for (std::size_t step = 0; step <= archive.size() / 112 + 1; ++step) {
        auto entry = reader.next();
        if (!entry.ok()) {
            ++outcomes.failed;
            CHECK(entry.error().offset <= archive.size());
            CHECK(std::string(tessera::cpio_error_name(entry.error().kind)) != "unknown cpio error");
            return;
        }
        if (!entry.value()) {
            ++outcomes.ok;
            return;
        }
        const tessera::CpioEntry& found = *entry.value();
        REQUIRE(inside(found.name.data(), found.name.size(), archive));
        REQUIRE(inside(found.data.data(), found.data.size(), archive));
        CHECK_FALSE(found.name.empty());
        CHECK_FALSE(found.name.contains('\0'));
        CHECK(found.mode <= 0177777);
        CHECK(found.header_offset % 4 == 0);
        CHECK((first || found.header_offset > previous_header));
        previous_header = found.header_offset;
        first = false;
    }
    FAIL("the reader did not finish");
}

void mutate_cpio(ByteVector& archive, std::mt19937_64& rng) {
    const char digits[] = "0123456789abcdefABCDEFgG -\0";
    const std::uint32_t interesting[] = {0, 1, 2, 3, 4, 0x7f, 0x1000, 0x1001, 0xfff, 0x10000, 0x7fffffff, 0xffffffff,
                                         static_cast<std::uint32_t>(archive.size())};
    if (archive.empty()) return;
    switch (rng() % 6) {
    case 0: archive[rng() % archive.size()] = static_cast<std::uint8_t>(rng()); break;
    case 1: archive[rng() % archive.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8)); break;
    case 2: archive[rng() % archive.size()] = static_cast<std::uint8_t>(digits[rng() % (sizeof(digits) - 1)]); break;
    case 3: { // a whole header field, in a header where one would be (offsets are 4-aligned)
        std::size_t header = (rng() % archive.size()) & ~std::size_t{3};
        int field = static_cast<int>(rng() % 13);
        if (header + tessera::kCpioHeaderBytes <= archive.size())
            set_cpio_field(archive, header, field,
                           static_cast<std::uint32_t>(interesting[rng() % std::size(interesting)] + rng() % 3 - 1));
        break;
    }
    case 4: archive.resize(rng() % archive.size()); break;
    default: { // shift everything after a point, breaking the alignment of what follows
        std::size_t at = rng() % archive.size();
        if (rng() % 2)
            archive.erase(archive.begin() + static_cast<long>(at));
        else
            archive.insert(archive.begin() + static_cast<long>(at), static_cast<std::uint8_t>(rng()));
        break;
    }
    }
}

// --- ELF -------------------------------------------------------------------------------

void check_elf(const ByteVector& file, const tessera::ElfTarget& target, Outcomes& outcomes) {
    auto result = tessera::parse_elf(bytes_of(file), target);
    if (!result.ok()) {
        ++outcomes.failed;
        CHECK(result.error().offset <= file.size());
        CHECK(std::string(tessera::elf_error_name(result.error().kind)) != "unknown ELF error");
        return;
    }
    ++outcomes.ok;
    const tessera::ElfImage& image = result.value();
    REQUIRE_FALSE(image.segments.empty());
    bool entry_executable = false;
    for (std::size_t i = 0; i < image.segments.size(); ++i) {
        const tessera::ElfSegment& segment = image.segments[i];
        REQUIRE(inside(segment.contents.data(), segment.contents.size(), file));
        CHECK(segment.contents.size() == segment.file_size);
        CHECK(segment.file_size <= segment.memory_size);
        CHECK(segment.memory_size > 0);
        CHECK(segment.virtual_address + segment.memory_size > segment.virtual_address); // no wrap
        CHECK(segment.end() <= target.user_address_limit);
        CHECK_FALSE((segment.writable && segment.executable));
        if (segment.executable && segment.contains(image.entry)) entry_executable = true;
        for (std::size_t j = i + 1; j < image.segments.size(); ++j) {
            const tessera::ElfSegment& other = image.segments[j];
            CHECK((segment.end() <= other.virtual_address || other.end() <= segment.virtual_address));
        }
    }
    CHECK(entry_executable);
}

void put_random_field(ByteVector& file, std::size_t offset, std::mt19937_64& rng) {
    const std::uint64_t interesting[] = {0, 1, 0x1000, 0x10000, 0x10010, kSv39UserLimit, kSv39UserLimit - 1,
                                         0xffffffc000000000, 0x8000000000000000, ~std::uint64_t{0},
                                         ~std::uint64_t{0} - 0xfff, file.size(), file.size() - 1};
    const std::size_t widths[] = {1, 2, 4, 8};
    const std::size_t width = widths[rng() % 4];
    if (offset + width > file.size()) return;
    put_le(file, offset, rng() % 2 ? interesting[rng() % std::size(interesting)] : rng(), width);
}

void mutate_elf(ByteVector& file, std::mt19937_64& rng) {
    if (file.size() < 64) return;
    // What the reader reads: the file header and the program header table.
    std::uint64_t table = 0;
    for (int i = 7; i >= 0; --i) table = (table << 8) | file[32 + static_cast<std::size_t>(i)];
    const std::size_t table_end = table < file.size() ? std::min<std::size_t>(file.size(), table + 20 * 56) : 64;
    const std::size_t target = rng() % 3 == 0 ? rng() % 64
                               : table < file.size() ? table + rng() % (table_end - table)
                                                     : rng() % file.size();
    switch (rng() % 4) {
    case 0: file[target] = static_cast<std::uint8_t>(rng()); break;
    case 1: file[target] ^= static_cast<std::uint8_t>(1u << (rng() % 8)); break;
    case 2: put_random_field(file, target & ~std::size_t{7}, rng); break;
    default: file.resize(rng() % file.size()); break;
    }
}

void fuzz_cpio(const std::vector<ByteVector>& bases, std::uint64_t salt, int iterations) {
    auto rng = make_rng(salt);
    INFO("TESSERA_TEST_SEED=" << test_seed());
    Outcomes outcomes;
    for (int iteration = 0; iteration < iterations; ++iteration) {
        const std::size_t base = rng() % bases.size();
        ByteVector archive = bases[base];
        const int mutations = 1 + static_cast<int>(rng() % 4);
        for (int m = 0; m < mutations; ++m) mutate_cpio(archive, rng);
        archive.shrink_to_fit(); // an exactly-sized allocation, so ASan sees a read past the end
        CAPTURE(iteration, base, mutations, archive.size());
        check_cpio(archive, outcomes);
        (void)tessera::cpio_find(bytes_of(archive), "roottask");
    }
    INFO("ok " << outcomes.ok << ", failed " << outcomes.failed);
    CHECK(outcomes.ok > 0);
    CHECK(outcomes.failed > 0);
}

} // namespace

TEST_CASE("fuzz: damaged GNU cpio archives never crash the reader") {
    fuzz_cpio({read_fixture("TESSERA_BOOTIMAGE_NEWC_CPIO"), read_fixture("TESSERA_BOOTIMAGE_CRC_CPIO")}, 101, 3000);
}

TEST_CASE("fuzz: damaged written archives never crash the reader") {
    std::vector<CpioFile> files;
    for (int i = 0; i < 12; ++i) {
        std::string name = "file" + std::string(static_cast<std::size_t>(i % 5), 'x') + std::to_string(i);
        files.push_back({name, 0100644, fixture_content(name, static_cast<std::size_t>(i * 3))});
    }
    fuzz_cpio({write_cpio(files).bytes, write_cpio(files, CpioFormat::Crc).bytes, write_cpio({}).bytes}, 102, 3000);
}

TEST_CASE("fuzz: damaged ELF files never crash the reader") {
    const std::vector<ByteVector> bases = {build_elf(valid_elf_spec()), read_fixture("TESSERA_BOOTIMAGE_USER_ELF")};
    const tessera::ElfTarget targets[] = {kRiscvTarget, {tessera::ElfMachine::RiscV, ~std::uint64_t{0}}};
    auto rng = make_rng(103);
    INFO("TESSERA_TEST_SEED=" << test_seed());
    Outcomes outcomes;
    for (int iteration = 0; iteration < 4000; ++iteration) {
        const std::size_t base = rng() % bases.size();
        ByteVector file = bases[base];
        const int mutations = 1 + static_cast<int>(rng() % 3);
        for (int m = 0; m < mutations; ++m) mutate_elf(file, rng);
        file.shrink_to_fit();
        const tessera::ElfTarget& target = targets[rng() % 2];
        CAPTURE(iteration, base, mutations, file.size(), target.user_address_limit);
        check_elf(file, target, outcomes);
    }
    INFO("ok " << outcomes.ok << ", failed " << outcomes.failed);
    CHECK(outcomes.ok > 0);
    CHECK(outcomes.failed > 0);
}

TEST_CASE("fuzz: the kernel's ELF with damaged headers never crashes the reader") {
    // Only its headers are read, so they are what is damaged; the kernel is large, so fewer rounds.
    const ByteVector kernel = read_fixture("TESSERA_BOOTIMAGE_KERNEL_ELF");
    auto rng = make_rng(104);
    INFO("TESSERA_TEST_SEED=" << test_seed());
    Outcomes outcomes;
    for (int iteration = 0; iteration < 300; ++iteration) {
        ByteVector file = kernel;
        mutate_elf(file, rng);
        file.shrink_to_fit();
        CAPTURE(iteration, file.size());
        check_elf(file, {tessera::ElfMachine::RiscV, ~std::uint64_t{0}}, outcomes);
    }
    CHECK(outcomes.failed > 0);
}
