// The API the kernel's root-task builder uses: boot_make_asid_pool, boot_assign_asid,
// boot_map_page_table, boot_map_frame (the invocations' own decoders, so the same
// errors), is_valid_vspace_root (also object_invokers().is_vspace_root) and user_memory.
#include "vspace_fixture.hpp"

#include <vspace/vspace_internal.hpp>

using namespace vstest;
using namespace arch::sv39;

namespace {

constexpr u64 K4 = u64{1} << 12, M2 = u64{1} << 21;

InvocationError error_of(const kstd::Result<void, InvocationError>& result) {
    REQUIRE_FALSE(result.ok());
    return result.error();
}

struct BootPool {
    alignas(4096) arch::vspace::AsidPoolObject pool{};
};

} // namespace

TEST_CASE("boot_make_asid_pool enters a pool in the ASID table, and only where the table has room") {
    Space s(false);
    static BootPool a, b;
    u64 address = reinterpret_cast<u64>(&a.pool);
    CHECK(arch::boot_make_asid_pool(address, 0) == Capability::asid_pool(address, 0));
    CHECK(arch::vspace::pool_at(0) == &a.pool);
    CHECK(arch::boot_make_asid_pool(reinterpret_cast<u64>(&b.pool), 0).is_null());       // taken
    CHECK(arch::boot_make_asid_pool(reinterpret_cast<u64>(&b.pool), 100).is_null());     // not a pool boundary
    CHECK(arch::boot_make_asid_pool(reinterpret_cast<u64>(&b.pool), 1 << 16).is_null()); // beyond 16 bits
    CHECK(arch::boot_make_asid_pool(reinterpret_cast<u64>(&b.pool) + 8, 512).is_null()); // misaligned
    CHECK(arch::boot_make_asid_pool(reinterpret_cast<u64>(&b.pool), 65024) ==
          Capability::asid_pool(reinterpret_cast<u64>(&b.pool), 65024));
}

TEST_CASE("the boot calls build a VSpace exactly as the invocations do, with the same errors") {
    Space s(false);
    static BootPool boot_pool;
    boot_pool.pool = {};
    s.place_original(5, arch::boot_make_asid_pool(reinterpret_cast<u64>(&boot_pool.pool), 0));
    s.new_tables(10, 3);
    s.new_frames(30, 2);
    REQUIRE(arch::boot_assign_asid(s.slot(5), s.slot(10)).ok());
    CHECK(s.cap(10).page_table_asid() == 1);
    CHECK(arch::is_valid_vspace_root(s.cap(10)));
    CHECK(object_invokers().is_vspace_root(s.cap(10)));
    CHECK_FALSE(object_invokers().is_vspace_root(s.cap(11)));
    CHECK(describe(error_of(arch::boot_assign_asid(s.slot(5), s.slot(10)))) == describe(invalid_capability(1)));
    CHECK(describe(error_of(arch::boot_assign_asid(s.slot(10), s.slot(11)))) == describe(invalid_capability(0)));

    CHECK(describe(error_of(arch::boot_map_frame(s.slot(10), s.slot(30), 0x10000, VmRights::kReadWrite))) ==
          describe(missing_table(30)));
    REQUIRE(arch::boot_map_page_table(s.slot(10), s.slot(11), 0x10000).ok());
    CHECK(describe(error_of(arch::boot_map_frame(s.slot(10), s.slot(30), 0x10000, VmRights::kReadWrite))) ==
          describe(missing_table(21)));
    REQUIRE(arch::boot_map_page_table(s.slot(10), s.slot(12), 0x10000).ok());
    CHECK(describe(error_of(arch::boot_map_page_table(s.slot(10), s.slot(12), 0x10000))) ==
          describe(invalid_capability(0)));
    CHECK(describe(error_of(arch::boot_map_page_table(s.slot(10), s.slot(30), 0x10000))) ==
          describe(invalid_capability(0)));
    REQUIRE(arch::boot_map_frame(s.slot(10), s.slot(30), 0x10000, VmRights::kReadExecute).ok());
    CHECK(s.cap(30).frame_mapped_address() == 0x10000);
    CHECK(describe(error_of(arch::boot_map_frame(s.slot(10), s.slot(31), 0x10000, VmRights::kReadWrite))) ==
          describe(error(ErrorCode::DeleteFirst)));
    CHECK(describe(error_of(arch::boot_map_frame(s.slot(10), s.slot(31), 0x10800, VmRights::kReadWrite))) ==
          describe(error(ErrorCode::AlignmentError)));
    CHECK(describe(error_of(arch::boot_map_frame(s.slot(10), s.slot(31), 0x11000, VmRights::kWrite))) ==
          describe(invalid_argument(1)));
    CHECK(describe(error_of(arch::boot_map_frame(s.slot(11), s.slot(31), 0x11000, VmRights::kReadWrite))) ==
          describe(invalid_capability(1)));
    CHECK(describe(error_of(arch::boot_map_frame(s.slot(10), s.slot(11), 0x11000, VmRights::kReadWrite))) ==
          describe(invalid_capability(0)));
    Translation t = s.translate(10, 0x10010);
    REQUIRE(t.mapped);
    CHECK(t.physical == s.cap(30).address() + 0x10);
}

TEST_CASE("user_memory gives the kernel's view of one user page, honouring user access and write permission") {
    Space s;
    s.new_vspace(10);
    s.new_tables(11, 2);
    s.new_frames(30, 3);
    s.place_frame(34, 21, kFakeRam);
    s.place_original(20, Capability::untyped(0x10000000, 12, true));
    REQUIRE(s.retype(20, ObjectType::Frame4K, 0, 33) == success());
    REQUIRE(s.map_table(11, 10, 0) == success());
    REQUIRE(s.map_table(12, 10, 0) == success());
    REQUIRE(s.map_frame(30, 10, 0x1000, VmRights::kReadWrite) == success());
    REQUIRE(s.map_frame(31, 10, 0x2000, VmRights::kReadOnly) == success());
    REQUIRE(s.map_frame(32, 10, 0x3000, VmRights::kRead) == success()); // no User: a guard
    REQUIRE(s.map_frame(33, 10, 0x4000, VmRights::kReadWrite) == success());               // device
    REQUIRE(s.map_frame(34, 10, 2 * M2, VmRights::kReadWrite) == success());

    const Capability& space = s.cap(10);
    u64 frame30 = s.cap(30).address(), frame31 = s.cap(31).address();
    CHECK(arch::user_memory(space, 0x1000, K4, true) == reinterpret_cast<u8*>(frame30));
    CHECK(arch::user_memory(space, 0x1ff8, 8, true) == reinterpret_cast<u8*>(frame30 + 0xff8));
    CHECK(arch::user_memory(space, 0x1ff8, 9, false) == nullptr); // leaves the page
    CHECK(arch::user_memory(space, 0x2010, 16, false) == reinterpret_cast<u8*>(frame31 + 0x10));
    CHECK(arch::user_memory(space, 0x2010, 16, true) == nullptr); // read-only
    CHECK(arch::user_memory(space, 0x3000, 8, false) == nullptr); // not user-accessible
    CHECK(arch::user_memory(space, 0x4000, 8, false) == nullptr); // device memory
    CHECK(arch::user_memory(space, 0x5000, 8, false) == nullptr); // not mapped
    CHECK(arch::user_memory(space, 2 * M2 + M2 - 4, 4, true) == reinterpret_cast<u8*>(kFakeRam + M2 - 4));
    CHECK(arch::user_memory(space, tessera::kUserAddressLimit - 4, 8, false) == nullptr);
    CHECK(arch::user_memory(space, ~u64{0} - 3, 8, false) == nullptr);
    CHECK(arch::user_memory(s.cap(11), 0x1000, 8, false) == nullptr); // no root
    REQUIRE(s.remove(Space::kPool) == success());
    CHECK(arch::user_memory(space, 0x1000, 8, false) == nullptr); // stale root
}

TEST_CASE("without the address-space objects installed, their capabilities are refused") {
    Space s;
    s.new_tables(10);
    object_invokers() = ObjectInvokers{};
    CHECK(s.assign(Space::kPool, 10) == error(ErrorCode::IllegalOperation));
    CHECK(s.map_table(10, 10, 0) == error(ErrorCode::IllegalOperation));
}
