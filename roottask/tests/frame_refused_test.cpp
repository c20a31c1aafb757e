#include "harness.hpp"

using namespace tessera;

ROOTTASK_TEST(MAP0002, "maps the kernel must refuse change nothing") {
    user::Frame frame(REQUIRE_OK(t, t.objects().allocate(ObjectType::Frame4K)));
    u64 address = REQUIRE_OK(t, t.root().addresses.reserve(1));

    auto kernel_half = frame.map(t.own_vspace(), kUserAddressLimit, VmRights::kReadWrite);
    t.expect(!kernel_half.ok() && kernel_half.error().is_kernel_error(), "a map at the user limit {} was not refused",
             kstd::Hex{kUserAddressLimit});
    auto misaligned = user::map_frame(t.root().objects, t.own_vspace(), frame, address + 8, VmRights::kReadWrite);
    t.expect(!misaligned.ok() && misaligned.error().code == ErrorCode::AlignmentError,
             "a misaligned map answered {}", misaligned.ok() ? user::Error{} : misaligned.error());
    auto bad_rights = frame.map(t.own_vspace(), address, VmRights::kMask + 1);
    t.expect(!bad_rights.ok() && bad_rights.error().is_kernel_error(), "unknown rights bits were accepted");

    // None of that left a mapping behind: the frame still maps where it should.
    REQUIRE_OK(t, user::map_frame(t.root().objects, t.own_vspace(), frame, address, VmRights::kReadWrite));
    *reinterpret_cast<volatile u64*>(address) = 42;
    t.expect(*reinterpret_cast<volatile u64*>(address) == 42, "the mapped page did not keep a write");
    REQUIRE_OK(t, frame.unmap());
}
