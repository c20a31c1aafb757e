#include "map_support.hpp"

using namespace tessera;
using namespace tessera::roottask::maptest;

ROOTTASK_TEST(MAP0006, "Remap to read-only makes writes fault and reads work; refused Remaps change nothing") {
    ProbeSpace own = own_probe_space(t);
    user::Frame frame;
    u64 address = REQUIRE_OK(t, t.new_mapped_page(&frame));
    words_at(address)[1] = 0x600d;

    REQUIRE_OK(t, frame.remap(VmRights::kReadOnly));
    expect_faults(t, own, "fault-readonly", Access::Store, address + 8);
    t.expect(words_at(address)[1] == 0x600d, "the faulted store changed the page");
    expect_reads(t, own, "read-readonly", address + 8, 0x600d);

    // Each refusal leaves the read-only mapping as it was: writes still fault.
    expect_error(t, frame.remap(VmRights::kWrite | VmRights::kUser), invalid_argument(0), "Remap W without R");
    expect_error(t, frame.remap(VmRights::kUser), invalid_argument(0), "Remap without R, W or X");
    expect_error(t, frame.remap(VmRights::kReadWrite | 0x10), invalid_argument(0), "Remap with an unknown bit");
    expect_error(t, frame.remap(VmRights::kReadWrite, 1), invalid_argument(1), "Remap with attributes");
    user::Frame read_only(REQUIRE_OK(t, copy_cap(t, frame.cap(), user::CapRights::read_only())));
    u64 second = REQUIRE_OK(t, t.root().addresses.reserve(1));
    REQUIRE_OK(t, user::map_frame(t.objects(), t.own_vspace(), read_only, second, VmRights::kReadOnly));
    expect_error(t, read_only.remap(VmRights::kReadWrite), invalid_argument(0),
                 "Remap writable through a read-only capability");
    expect_faults(t, own, "fault-still-ro", Access::Store, address + 8);
    expect_faults(t, own, "fault-ro-copy", Access::Store, second + 8);

    REQUIRE_OK(t, frame.remap(VmRights::kReadWrite));
    ProbeResult stored = REQUIRE_OK(t, run_probe(t, own, "write-again", Access::Store, address + 16, 0xabc));
    t.expect(stored.completed && words_at(address)[2] == 0xabc, "after Remap read-write the store did not land");
    t.expect(words_at(second)[2] == 0xabc, "the read-only copy does not see the write");

    // Remap needs a mapping.
    REQUIRE_OK(t, frame.unmap());
    expect_error(t, frame.remap(VmRights::kReadOnly), invalid_capability(0), "Remap of an unmapped frame");
    expect_faults(t, own, "fault-unmapped", Access::Load, address);
}
