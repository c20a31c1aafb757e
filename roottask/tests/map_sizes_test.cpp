#include <kstd/bit.hpp>

#include "map_support.hpp"

using namespace tessera;
using namespace tessera::roottask::maptest;

namespace {

constexpr unsigned kTestUntypedBits = 22; // the harness gives each test 4 MiB

// Maps a new frame of `type` read-write at a fresh, suitably aligned address of the root
// task, fills it, checks GetAddress against where the test's Untyped put it (`base`: the
// Untyped's physical address, learnt from the first frame), unmaps it (a probe named
// `fault_name` faults there) and maps it again elsewhere: same bytes.
void check_frame_size(roottask::TestContext& t, ObjectType type, unsigned bits, kstd::StringView fault_name,
                      u64& base) {
    u64 offset = next_offset(t, bits);
    user::Frame frame(REQUIRE_OK(t, t.objects().allocate(type)));
    u64 address = REQUIRE_OK(t, reserve_aligned(t, bits));
    REQUIRE_OK(t, user::map_frame(t.objects(), t.own_vspace(), frame, address, VmRights::kReadWrite));

    u64 words = kstd::bit(bits) / 8;
    volatile u64* data = words_at(address);
    t.expect(data[0] == 0 && data[words - 1] == 0, "a new {}-bit frame is not zeroed", bits);
    // One word per page is enough to tell the pages apart, and quick.
    for (u64 i = 0; i < words; i += 512) data[i] = address + i;
    data[words - 1] = ~address;
    bool kept = data[words - 1] == ~address;
    for (u64 i = 0; i < words; i += 512) kept = kept && data[i] == address + i;
    t.expect(kept, "the {}-bit frame did not keep what was written", bits);

    u64 physical = REQUIRE_OK(t, frame.get_address());
    if (base == 0) {
        base = physical - offset;
        t.expect(kstd::is_aligned(base, kstd::bit(kTestUntypedBits)) &&
                     inside_boot_ram(t, base, kstd::bit(kTestUntypedBits)),
                 "GetAddress {} of the first frame puts the test's Untyped at {}: not a 4 MiB block of RAM",
                 kstd::Hex{physical}, kstd::Hex{base});
    }
    t.expect(physical == base + offset, "GetAddress of the {}-bit frame is {}, the Untyped placed it at {}", bits,
             kstd::Hex{physical}, kstd::Hex{base + offset});

    REQUIRE_OK(t, frame.unmap());
    ProbeSpace own = own_probe_space(t);
    expect_faults(t, own, fault_name, Access::Load, address + kPageBytes);

    u64 second = REQUIRE_OK(t, reserve_aligned(t, bits));
    REQUIRE_OK(t, user::map_frame(t.objects(), t.own_vspace(), frame, second, VmRights::kReadOnly));
    u64 sample = words > 512 ? 512 : 0; // the second page's first word, if there is one
    t.expect(words_at(second)[sample] == address + sample && words_at(second)[words - 1] == ~address,
             "the {}-bit frame lost its contents across unmap and map", bits);
    expect_reads(t, own, "read-remapped", second + 8 * sample, address + sample);
    REQUIRE_OK(t, frame.unmap());
}

} // namespace

ROOTTASK_TEST(MAP0003, "4 KiB and 2 MiB frames map, hold data, sit where GetAddress says, and fault once unmapped") {
    // The 2 MiB frame first: the test's 4 MiB Untyped has room for it only at an aligned offset.
    u64 base = 0;
    check_frame_size(t, ObjectType::Frame2M, 21, "fault-unmap-2m", base);
    check_frame_size(t, ObjectType::Frame4K, 12, "fault-unmap-4k", base);
}
