// Discovery on randomly damaged trees: the blob comes from firmware and may be anything, so
// discover_platform must either succeed or fail with a message, never read out of bounds
// (AddressSanitizer), overflow (UBSan), hang or trip a KASSERT.
#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>
#include <vector>

#include <libfdt.h>

#include "fdt_blob.hpp"
#include "test_support.hpp"

using tessera_test::Blob;

namespace {

// What a successful discovery promises the rest of the boot.
void check_success_promises(const tessera::PlatformInfo& platform, const Blob& blob) {
    REQUIRE_FALSE(platform.memory.empty());
    REQUIRE_FALSE(platform.harts.empty());
    REQUIRE(platform.timebase_hz != 0);
    REQUIRE(platform.device_tree.size() <= blob.size());
    for (usize i = 0; i < platform.harts.size(); ++i)
        for (usize j = i + 1; j < platform.harts.size(); ++j) REQUIRE(platform.harts[i].hart_id != platform.harts[j].hart_id);
    for (usize i = 0; i < platform.memory.size(); ++i)
        for (usize j = i + 1; j < platform.memory.size(); ++j) REQUIRE_FALSE(platform.memory[i].overlaps(platform.memory[j]));
    if (platform.interrupt_controller == tessera::InterruptControllerKind::Plic) {
        REQUIRE(platform.plic.source_count >= 1);
        REQUIRE(platform.plic.source_count <= 1023);
        for (const auto& hart : platform.harts)
            if (hart.plic_supervisor_context) REQUIRE(*hart.plic_supervisor_context < platform.plic.context_count);
    }
    // Every string discovery hands out must lie inside the blob.
    auto inside = [&](kstd::StringView text) {
        if (text.empty()) return true;
        auto* begin = reinterpret_cast<const char*>(blob.data());
        return text.data() >= begin && text.data() + text.size() <= begin + blob.size();
    };
    REQUIRE(inside(platform.bootargs));
    if (platform.console) REQUIRE(inside(platform.console->path));
}

// Counts of each outcome, so a run that never reached deep into discovery shows up.
struct Outcomes {
    int ok = 0;
    int failed = 0;
};

void run_one(const Blob& blob, std::uint64_t available, Outcomes& outcomes) {
    auto discovery = tessera_test::discover(blob, available);
    if (discovery.ok) {
        ++outcomes.ok;
        check_success_promises(*discovery.platform, blob);
    } else {
        ++outcomes.failed;
        REQUIRE(discovery.error.rfind("device tree: ", 0) == 0); // every error is a formatted message
    }
}

} // namespace

TEST_CASE("fuzz: random byte mutations of the QEMU tree never crash discovery") {
    const Blob original = tessera_test::trimmed(tessera_test::base_dtb().file);
    auto rng = tessera_test::make_rng(6);
    INFO("TESSERA_TEST_SEED=" << tessera_test::test_seed());
    const std::size_t struct_start = fdt_off_dt_struct(original.data());
    const std::size_t strings_start = fdt_off_dt_strings(original.data());
    Outcomes outcomes;
    for (int iteration = 0; iteration < 4000; ++iteration) {
        Blob blob = original;
        int mutations = 1 + static_cast<int>(rng() % 8);
        for (int m = 0; m < mutations; ++m) {
            // Aim at the parts that steer parsing: header, structure block, strings.
            std::size_t offset = 0;
            switch (rng() % 4) {
            case 0: offset = rng() % sizeof(fdt_header); break;
            case 1: offset = strings_start + rng() % (blob.size() - strings_start); break;
            default: offset = struct_start + rng() % (strings_start - struct_start); break;
            }
            switch (rng() % 3) {
            case 0: blob[offset] = static_cast<std::uint8_t>(rng()); break;
            case 1: blob[offset] ^= static_cast<std::uint8_t>(1u << (rng() % 8)); break;
            default: blob[offset] = static_cast<std::uint8_t>(rng() % 2 ? 0x00 : 0xff); break;
            }
        }
        CAPTURE(iteration, mutations);
        run_one(blob, blob.size(), outcomes);
    }
    INFO("ok " << outcomes.ok << ", failed " << outcomes.failed);
    // Some mutations hit bytes discovery ignores, some break it: both paths were exercised.
    CHECK(outcomes.ok > 0);
    CHECK(outcomes.failed > 0);
}

TEST_CASE("fuzz: structure-block property lengths set to extreme values never crash discovery") {
    // A property's length word steers every later read; set it to values around the
    // block's size and to huge ones.
    const Blob original = tessera_test::trimmed(tessera_test::base_dtb().file);
    auto rng = tessera_test::make_rng(7);
    INFO("TESSERA_TEST_SEED=" << tessera_test::test_seed());
    std::vector<std::size_t> length_words;
    const std::size_t struct_start = fdt_off_dt_struct(original.data());
    for (int node = 0; node >= 0; node = fdt_next_node(original.data(), node, nullptr)) {
        int property = 0;
        fdt_for_each_property_offset(property, original.data(), node)
            length_words.push_back(struct_start + static_cast<std::size_t>(property) + 4);
    }
    REQUIRE(length_words.size() > 50);
    const std::uint32_t interesting[] = {0, 1, 3, 4, 7, 8, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff,
                                         static_cast<std::uint32_t>(original.size())};
    Outcomes outcomes;
    for (int iteration = 0; iteration < 2000; ++iteration) {
        Blob blob = original;
        std::size_t word = length_words[rng() % length_words.size()];
        std::uint32_t value = rng() % 2 ? interesting[rng() % std::size(interesting)] : static_cast<std::uint32_t>(rng());
        for (int i = 0; i < 4; ++i) blob[word + i] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
        CAPTURE(iteration, word, value);
        run_one(blob, blob.size(), outcomes);
    }
    CHECK(outcomes.failed > 0);
}

TEST_CASE("fuzz: every truncation of the QEMU tree is rejected") {
    // A blob cut short can never be accepted: its header claims more than is there.
    const Blob original = tessera_test::trimmed(tessera_test::base_dtb().file);
    auto rng = tessera_test::make_rng(8);
    INFO("TESSERA_TEST_SEED=" << tessera_test::test_seed());
    for (int iteration = 0; iteration < 1500; ++iteration) {
        std::size_t length = iteration < 64 ? static_cast<std::size_t>(iteration) : rng() % original.size();
        Blob cut(original.begin(), original.begin() + static_cast<std::ptrdiff_t>(length));
        CAPTURE(iteration, length);
        auto discovery = tessera_test::discover(cut, cut.size());
        REQUIRE_FALSE(discovery.ok);
    }
}

TEST_CASE("fuzz: header totalsize shrunk below the real tree never crashes discovery") {
    // The opposite lie: the header claims less than the blocks need, so libfdt's checks
    // (not the available size) must stop every read.
    const Blob original = tessera_test::trimmed(tessera_test::base_dtb().file);
    auto rng = tessera_test::make_rng(9);
    INFO("TESSERA_TEST_SEED=" << tessera_test::test_seed());
    Outcomes outcomes;
    for (int iteration = 0; iteration < 1000; ++iteration) {
        Blob blob = original;
        auto total = static_cast<std::uint32_t>(rng() % original.size());
        fdt_set_totalsize(blob.data(), total);
        blob.resize(std::max<std::size_t>(total, sizeof(fdt_header)));
        CAPTURE(iteration, total);
        run_one(blob, blob.size(), outcomes);
    }
    CHECK(outcomes.ok == 0);
}
