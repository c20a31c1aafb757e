// ELF segment planning, the manifest, the boot image the build writes, line output and
// the command line.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <bootimage/cpio.hpp>
#include <userlib/device_tree.hpp>
#include <userlib/elf_plan.hpp>
#include <userlib/line_buffer.hpp>

#include "manifest.hpp"

using namespace tessera;
using namespace tessera::user;

namespace {

ElfSegment segment(u64 address, u64 memory_size, kstd::Bytes contents, bool r, bool w, bool x) {
    ElfSegment s;
    s.virtual_address = address;
    s.memory_size = memory_size;
    s.file_size = contents.size();
    s.contents = contents;
    s.readable = r;
    s.writable = w;
    s.executable = x;
    return s;
}

std::vector<u8> read_file(const char* variable) {
    const char* path = std::getenv(variable);
    REQUIRE(path != nullptr);
    std::ifstream file(path, std::ios::binary);
    REQUIRE(file.good());
    return std::vector<u8>(std::istreambuf_iterator<char>(file), {});
}

std::vector<std::string> g_lines;
void collect(kstd::StringView text) { g_lines.emplace_back(text.data(), text.size()); }

} // namespace

TEST_CASE("userlib: a page-aligned image plans one run per segment with its rights") {
    static const u8 code[] = {1, 2, 3, 4};
    ElfImage image;
    image.entry = 0x10000;
    REQUIRE(image.segments.push_back(segment(0x10000, 0x1800, kstd::Bytes(code, 4), true, false, true)));
    REQUIRE(image.segments.push_back(segment(0x12000, 0x100, kstd::Bytes(), true, false, false)));
    REQUIRE(image.segments.push_back(segment(0x13000, 0x3000, kstd::Bytes(code, 2), true, true, false)));
    LoadPlan plan = plan_load(image).value();
    REQUIRE(plan.runs.size() == 3);
    CHECK(plan.runs[0].first_page == 0x10000);
    CHECK(plan.runs[0].page_count == 2);
    CHECK(plan.runs[0].rights == VmRights::kReadExecute);
    CHECK(plan.runs[1].rights == VmRights::kReadOnly);
    CHECK(plan.runs[2].page_count == 3);
    CHECK(plan.runs[2].rights == VmRights::kReadWrite);
    CHECK(plan.total_pages() == 6);

    std::vector<u8> page(kPageBytes, 0xff);
    fill_page(image, 0x13000, kstd::Span<u8>(page.data(), page.size()));
    CHECK(page[0] == 1);
    CHECK(page[1] == 2);
    CHECK(page[2] == 0); // bss
    fill_page(image, 0x11000, kstd::Span<u8>(page.data(), page.size()));
    CHECK(page[0] == 0);
}

TEST_CASE("userlib: segments sharing a page merge their rights, but never into W and X") {
    static const u8 bytes[16] = {};
    ElfImage image;
    REQUIRE(image.segments.push_back(segment(0x10000, 0x1100, kstd::Bytes(bytes, 16), true, false, true)));
    REQUIRE(image.segments.push_back(segment(0x11100, 0x1000, kstd::Bytes(bytes, 16), true, false, false)));
    LoadPlan plan = plan_load(image).value();
    REQUIRE(plan.runs.size() == 2);
    CHECK(plan.runs[0].page_count == 2); // 0x10000 and the shared 0x11000: R X
    CHECK(plan.runs[0].rights == VmRights::kReadExecute);
    CHECK(plan.runs[1].first_page == 0x12000);
    CHECK(plan.runs[1].rights == VmRights::kReadOnly);

    ElfImage clash;
    REQUIRE(clash.segments.push_back(segment(0x10000, 0x1100, kstd::Bytes(bytes, 16), true, false, true)));
    REQUIRE(clash.segments.push_back(segment(0x11100, 0x1000, kstd::Bytes(bytes, 16), true, true, false)));
    auto refused = plan_load(clash);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().library == LibraryError::WritableAndExecutable);
    CHECK(refused.error().detail == 0x11000);
}

TEST_CASE("userlib: the boot image holds roottask, manifest and hello, readable by the kernel's reader") {
    std::vector<u8> archive = read_file("TESSERA_BOOT_IMAGE");
    kstd::Bytes bytes(archive.data(), archive.size());
    CHECK(archive.size() % 512 == 0);
    for (const char* name : {"roottask", "manifest", "hello"}) {
        INFO(name);
        auto file = cpio_find(bytes, name);
        REQUIRE(file.ok());
        CHECK(file.value().is_regular_file());
    }
    for (const char* name : {"roottask", "hello"}) {
        auto elf = parse_elf(cpio_find(bytes, name).value().data, ElfTarget{ElfMachine::RiscV, u64{1} << 38});
        REQUIRE(elf.ok());
        auto plan = plan_load(elf.value());
        REQUIRE(plan.ok());
        CHECK(plan.value().runs.size() == 3);
        CHECK(plan.value().runs[0].first_page == 0x10000);
        CHECK(plan.value().runs[0].rights == VmRights::kReadExecute);
    }
}

TEST_CASE("roottask: the manifest lists tasks with options, comments and blank lines") {
    roottask::ManifestReader reader("# tasks\n\nhello priority=120\n  shell   stack=32 priority=7 # comment\nlast");
    auto first = reader.next().value();
    REQUIRE(first);
    CHECK(first->file == "hello");
    CHECK(first->priority == 120);
    CHECK(first->stack_pages == kTaskDefaultStackPages);
    auto second = reader.next().value();
    REQUIRE(second);
    CHECK(second->file == "shell");
    CHECK(second->priority == 7);
    CHECK(second->stack_pages == 32);
    auto third = reader.next().value();
    REQUIRE(third);
    CHECK(third->priority == roottask::kDefaultTaskPriority);
    CHECK_FALSE(reader.next().value());
}

TEST_CASE("roottask: a malformed manifest line is reported by its number") {
    for (const char* text : {"a\nb priority=256", "a\nb priority", "a\nb colour=red", "a\nb stack=0", "a\nb priority=x"}) {
        INFO(text);
        roottask::ManifestReader reader(text);
        REQUIRE(reader.next().ok());
        auto bad = reader.next();
        REQUIRE_FALSE(bad.ok());
        CHECK(bad.error().library == LibraryError::BadManifest);
        CHECK(bad.error().detail == 2);
    }
}

TEST_CASE("userlib: console output goes out in whole lines, long ones in 256-byte pieces") {
    g_lines.clear();
    {
        LineBuffer line(collect);
        kstd::format_to(line, "one {}\ntwo", 1);
        CHECK(g_lines.size() == 1);
    }
    REQUIRE(g_lines.size() == 2);
    CHECK(g_lines[0] == "one 1\n");
    CHECK(g_lines[1] == "two");
    g_lines.clear();
    {
        LineBuffer line(collect);
        for (int i = 0; i < 300; ++i) line.put('x');
    }
    REQUIRE(g_lines.size() == 2);
    CHECK(g_lines[0].size() == 256);
    CHECK(g_lines[1].size() == 44);
}

TEST_CASE("userlib: boot options are whole words of the command line") {
    CHECK(has_boot_option("roottask-tests", "roottask-tests"));
    CHECK(has_boot_option("  console=ttyS0 roottask-tests ", "roottask-tests"));
    CHECK(has_boot_option("timer=sbi", "timer"));
    CHECK_FALSE(has_boot_option("roottask-tests-extra", "roottask-tests"));
    CHECK_FALSE(has_boot_option("", "roottask-tests"));
}

TEST_CASE("userlib: DeviceTree reads /chosen/bootargs and finds devices by compatible") {
    std::vector<u8> blob = read_file("TESSERA_USERLIB_DTB");
    auto tree = DeviceTree::from(kstd::Bytes(blob.data(), blob.size()));
    REQUIRE(tree.ok());
    CHECK(tree.value().bootargs() == "roottask-tests console=ttyS0");
    CHECK(has_boot_option(tree.value().bootargs(), "roottask-tests"));
    auto uart = tree.value().find_compatible("ns16550a");
    REQUIRE(uart);
    CHECK(uart->has_reg);
    CHECK(uart->address == 0x10000000);
    CHECK(uart->size == 0x100);
    REQUIRE(uart->interrupt);
    CHECK(*uart->interrupt == 10);
    auto rtc = tree.value().find_compatible("google,goldfish-rtc");
    REQUIRE(rtc);
    REQUIRE(rtc->interrupt);
    CHECK(*rtc->interrupt == 11);
    auto flash = tree.value().find_compatible("cfi-flash");
    REQUIRE(flash);
    CHECK_FALSE(flash->interrupt);
    CHECK_FALSE(tree.value().find_compatible("no-such-device"));
    std::vector<u8> broken(blob.begin(), blob.begin() + 64);
    CHECK_FALSE(DeviceTree::from(kstd::Bytes(broken.data(), broken.size())).ok());
}
