#include "map_support.hpp"

using namespace tessera;
using namespace tessera::roottask::maptest;

ROOTTASK_TEST(MAP0005, "copies of one frame share its bytes at another address and in a second VSpace") {
    user::Frame frame;
    u64 first = REQUIRE_OK(t, t.new_mapped_page(&frame));
    user::Frame copy(REQUIRE_OK(t, copy_cap(t, frame.cap())));
    u64 second = REQUIRE_OK(t, t.root().addresses.reserve(1));
    REQUIRE_OK(t, user::map_frame(t.objects(), t.own_vspace(), copy, second, VmRights::kReadWrite));

    words_at(first)[3] = 0x1234'5678'9abc'def0;
    t.expect(words_at(second)[3] == 0x1234'5678'9abc'def0, "the copy at {} reads {}", kstd::Hex{second},
             kstd::Hex{words_at(second)[3]});
    words_at(second)[4] = 0xfeed;
    t.expect(words_at(first)[4] == 0xfeed, "a write through the copy is not seen through the original");

    // A third capability maps the frame in another VSpace, where a thread reads and writes it.
    ProbeSpace other = REQUIRE_OK(t, make_probe_space(t, roottask::RootEnvironment::own_caps().asid_pool));
    user::Frame in_other(REQUIRE_OK(t, copy_cap(t, frame.cap())));
    constexpr u64 kSharedAddress = 0x12000;
    REQUIRE_OK(t, user::map_frame(t.objects(), other.vspace, in_other, kSharedAddress, VmRights::kReadWrite));
    expect_reads(t, other, "read-shared", kSharedAddress + 3 * 8, 0x1234'5678'9abc'def0);
    ProbeResult stored =
        REQUIRE_OK(t, run_probe(t, other, "write-shared", Access::Store, kSharedAddress + 5 * 8, 0xc0ffee));
    t.expect(stored.completed, "the store in the second VSpace faulted");
    t.expect(words_at(first)[5] == 0xc0ffee, "the root task reads {} where the other VSpace stored 0xc0ffee",
             kstd::Hex{words_at(first)[5]});

    // The VSpaces are separate: the second has nothing where the root task maps the frame.
    expect_faults(t, other, "fault-not-there", Access::Load, first);
}
