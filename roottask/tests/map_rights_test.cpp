#include "map_support.hpp"

using namespace tessera;
using namespace tessera::roottask::maptest;

ROOTTASK_TEST(MAP0011, "mapping rights: never beyond the capability, W needs R, U for user access, X to run code") {
    ProbeSpace own = own_probe_space(t);
    user::Frame frame;
    u64 original = REQUIRE_OK(t, t.new_mapped_page(&frame));
    words_at(original)[0] = 0x0bad'cafe;
    u64 address = REQUIRE_OK(t, t.root().addresses.reserve(1));
    // An intermediate table for `address`, so every refusal below is about the rights.
    user::Frame helper(REQUIRE_OK(t, copy_cap(t, frame.cap())));
    REQUIRE_OK(t, user::map_frame(t.objects(), t.own_vspace(), helper, address, VmRights::kReadOnly));
    REQUIRE_OK(t, helper.unmap());

    user::Frame read_only(REQUIRE_OK(t, copy_cap(t, frame.cap(), user::CapRights::read_only())));
    expect_error(t, read_only.map(t.own_vspace(), address, VmRights::kReadWrite), invalid_argument(1),
                 "writable through a read-only capability");
    user::Frame write_only(REQUIRE_OK(t, copy_cap(t, frame.cap(), user::CapRights{user::CapRights::kWrite})));
    expect_error(t, write_only.map(t.own_vspace(), address, VmRights::kReadWrite), invalid_argument(1),
                 "readable through a write-only capability");
    expect_error(t, write_only.map(t.own_vspace(), address, VmRights::kExecute | VmRights::kUser), invalid_argument(1),
                 "executable through a write-only capability");
    expect_error(t, helper.map(t.own_vspace(), address, VmRights::kWrite | VmRights::kUser), invalid_argument(1),
                 "W without R");
    expect_error(t, helper.map(t.own_vspace(), address, VmRights::kUser), invalid_argument(1), "no R, W or X");
    expect_error(t, helper.map(t.own_vspace(), address, VmRights::kReadWrite | 0x100), invalid_argument(1),
                 "an unknown rights bit");
    expect_error(t, read_only.map(t.own_vspace(), address, VmRights::kReadOnly, 2), invalid_argument(2),
                 "attributes");
    expect_faults(t, own, "fault-refused", Access::Load, address);

    // Read-only through the read-only capability: reads work, writes fault.
    REQUIRE_OK(t, read_only.map(t.own_vspace(), address, VmRights::kReadOnly));
    expect_reads(t, own, "read-ro-cap", address, 0x0bad'cafe);
    expect_faults(t, own, "fault-ro-cap", Access::Store, address);
    t.expect(words_at(original)[0] == 0x0bad'cafe, "the faulted store reached the frame");
    REQUIRE_OK(t, read_only.unmap());

    // Without U the page is present for the kernel only, and only readable: user access
    // faults, and a writable or executable supervisor page is refused.
    expect_error(t, helper.map(t.own_vspace(), address, VmRights::kRead | VmRights::kWrite), invalid_argument(1),
                 "RW without U");
    expect_error(t, helper.map(t.own_vspace(), address, VmRights::kRead | VmRights::kExecute), invalid_argument(1),
                 "RX without U");
    REQUIRE_OK(t, read_only.map(t.own_vspace(), address, VmRights::kRead));
    expect_faults(t, own, "fault-no-user", Access::Load, address);
    REQUIRE_OK(t, read_only.unmap());

    // Code runs from an R X mapping (a read-only capability suffices) and not from an R one.
    user::Frame code_frame;
    u64 code_here = REQUIRE_OK(t, t.new_mapped_page(&code_frame));
    kstd::Bytes code = probe_code();
    for (usize i = 0; i < code.size(); ++i) reinterpret_cast<volatile u8*>(code_here)[i] = code[i];
    asm volatile("fence.i" ::: "memory");
    user::Frame code_copy(REQUIRE_OK(t, copy_cap(t, code_frame.cap(), user::CapRights::read_only())));
    u64 code_address = REQUIRE_OK(t, t.root().addresses.reserve(1));
    REQUIRE_OK(t, user::map_frame(t.objects(), t.own_vspace(), code_copy, code_address, VmRights::kReadOnly));
    expect_faults(t, own, "fault-no-exec", Access::Execute, code_address + probe_load_offset());
    REQUIRE_OK(t, code_copy.remap(VmRights::kReadExecute));
    ProbeResult ran = REQUIRE_OK(t, run_probe(t, own, "run-copy", Access::Execute, code_address + probe_load_offset()));
    t.expect(ran.completed, "the probe code did not run from an R X mapping (stopped at {})",
             kstd::Hex{ran.stopped_pc});
    expect_faults(t, own, "fault-exec-data", Access::Execute, original);
}
