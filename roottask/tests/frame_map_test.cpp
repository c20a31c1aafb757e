#include "harness.hpp"

using namespace tessera;

ROOTTASK_TEST(MAP0001, "a frame maps read-write, keeps what is written, and unmaps") {
    user::Frame frame;
    u64 address = REQUIRE_OK(t, t.new_mapped_page(&frame));
    auto* words = reinterpret_cast<volatile u64*>(address);
    t.expect(words[0] == 0 && words[511] == 0, "a new frame is not zeroed: {} {}", kstd::Hex{words[0]},
             kstd::Hex{words[511]});
    for (u64 i = 0; i < kPageBytes / 8; ++i) words[i] = address ^ (i * 0x9e3779b97f4a7c15);
    bool kept = true;
    for (u64 i = 0; i < kPageBytes / 8; ++i) kept = kept && words[i] == (address ^ (i * 0x9e3779b97f4a7c15));
    t.expect(kept, "the page did not keep what was written");
    u64 physical = REQUIRE_OK(t, frame.get_address());
    t.expect(physical != 0 && physical % kPageBytes == 0, "GetAddress answered {}", kstd::Hex{physical});
    REQUIRE_OK(t, frame.unmap());
    // Mapped again elsewhere, the same frame shows the same bytes.
    u64 second = REQUIRE_OK(t, t.root().addresses.reserve(1));
    REQUIRE_OK(t, user::map_frame(t.root().objects, t.own_vspace(), frame, second, VmRights::kReadOnly));
    t.expect(reinterpret_cast<volatile u64*>(second)[7] == (address ^ (7 * 0x9e3779b97f4a7c15)),
             "the frame lost its contents across unmap and map");
    REQUIRE_OK(t, frame.unmap());
}
